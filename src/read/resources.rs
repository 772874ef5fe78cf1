//! Finding the bytes of resources a page refers to — only inside its own folder.

use std::collections::HashMap;
use std::path::{Component, Path};
use std::sync::{Arc, LazyLock};

use base64::Engine as _;
use regex::Regex;

use super::limits::{MAX_RESOURCE_BYTES, MAX_RESOURCES, MAX_RESOURCES_TOTAL_BYTES};

/// Bytes of resources, keyed by the reference as the page writes it
/// (`page_files/p1.jpg`, `http://host/p1.jpg` for MHTML, `cid:…`).
#[derive(Clone, Debug, Default)]
pub struct Resources {
    map: HashMap<String, Arc<[u8]>>,
    /// Resources held (a resource found under several keys counts once).
    held: usize,
    total_bytes: usize,
    /// Resources refused for a limit (not aliases).
    dropped: usize,
}

impl Resources {
    /// Add a resource under `key` (ignored past the limits). Bytes already
    /// shared elsewhere (a web archive's payload used by several of its
    /// pages) are kept without being copied.
    pub fn insert(&mut self, key: &str, bytes: impl Into<Arc<[u8]>>) {
        self.admit(normalize_key(key), bytes.into());
    }

    /// The bytes for a reference as written in the page, if the page carries them.
    pub fn get(&self, reference: &str) -> Option<Arc<[u8]>> {
        if self.map.is_empty() {
            return None;
        }
        self.map.get(&normalize_key(reference)).cloned()
    }

    /// Make the resource held under `key` found under `alias` too (its
    /// bytes shared, not counted twice). Nothing happens when `key` is not held.
    pub(crate) fn alias(&mut self, alias: &str, key: &str) {
        // Aliases hold no bytes; their number is bounded all the same.
        if self.map.len() >= 4 * MAX_RESOURCES {
            return;
        }
        if let Some(bytes) = self.map.get(&normalize_key(key)).cloned() {
            self.map.insert(normalize_key(alias), bytes);
        }
    }

    /// Move every resource of `other` into `self` (within the same limits as
    /// [`Resources::insert`]), in key order so that which ones fit does not
    /// depend on hashing.
    pub fn extend(&mut self, other: Resources) {
        let mut all: Vec<_> = other.map.into_iter().collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, bytes) in all {
            self.admit(key, bytes);
        }
        self.dropped += other.dropped;
    }

    /// How many resources were refused because they passed a limit (one
    /// resource's size, the number of resources or their total size).
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Keep `bytes` under the (normalized) `key` unless that passes a limit.
    fn admit(&mut self, key: String, bytes: Arc<[u8]>) {
        if bytes.len() > MAX_RESOURCE_BYTES
            || self.held >= MAX_RESOURCES
            || self.total_bytes + bytes.len() > MAX_RESOURCES_TOTAL_BYTES
        {
            self.dropped += 1;
            return;
        }
        self.total_bytes += bytes.len();
        // The same key again replaces a resource: still one held (its
        // bytes stay counted, erring on the side of the limit).
        if self.map.insert(key, bytes).is_none() {
            self.held += 1;
        }
    }

    /// All resources, sorted by key.
    pub fn iter_sorted(&self) -> Vec<(&str, &Arc<[u8]>)> {
        let mut all: Vec<_> = self.map.iter().map(|(k, v)| (k.as_str(), v)).collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all
    }

    /// Number of resources held.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no resource is held.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Savers write references relative to the page (Word's `Hey.files/image001.jpg`,
/// Safari's `crouton.png`) while each stored resource's location is absolute
/// (`file:///C:/B133AD19/Hey.files/image001.jpg`): every resource in the
/// page's folder is also found by its path relative to the page. Nothing is
/// read from the disk: the bytes are the archive's own.
pub(super) fn alias_relative(resources: &mut Resources, page: &str) {
    let page = normalize_key(page);
    let Some(slash) = page.rfind('/') else {
        return;
    };
    let folder = &page[..=slash];
    if folder.ends_with("://") {
        return; // `https://host`: no folder of its own
    }
    let aliases: Vec<(String, String)> = resources
        .iter_sorted()
        .into_iter()
        .filter_map(|(key, _)| {
            let relative = key.strip_prefix(folder)?;
            (!relative.is_empty() && resources.get(relative).is_none())
                .then(|| (relative.to_owned(), key.to_owned()))
        })
        .collect();
    for (alias, key) in aliases {
        resources.alias(&alias, &key);
    }
}

/// `./a%20b.jpg#x` and `a b.jpg` are the same reference.
fn normalize_key(reference: &str) -> String {
    let reference = reference.trim();
    let reference = reference.split('#').next().unwrap_or(reference);
    let decoded = percent_encoding::percent_decode_str(reference).decode_utf8_lossy();
    let decoded = decoded.replace("&amp;", "&");
    decoded.strip_prefix("./").unwrap_or(&decoded).to_owned()
}

/// Attributes lazy-loading scripts keep an image's real URL in (one URL
/// each). The extractor looks an image up by them, and the reader loads the
/// files they name: one list for both.
pub const LAZY_SRC: &[&str] = &[
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
    "data-full-src",
    "data-orig-file",
    "data-large-file",
];

/// Attributes holding a `srcset` list, the lazy-loading ones included.
pub const SRCSET: &[&str] = &[
    "srcset",
    "data-srcset",
    "data-lazy-srcset",
    "data-original-set",
];

/// Attributes naming one resource besides [`LAZY_SRC`].
const PLAIN_REFERENCES: &[&str] = &["src", "href", "poster"];

/// Every attribute [`references`] reads, the longest first (so that
/// `data-src=` is read as `data-src`, not `src`).
static REFERENCE_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut names: Vec<&str> = PLAIN_REFERENCES
        .iter()
        .chain(LAZY_SRC)
        .chain(SRCSET)
        .copied()
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
});

/// Every reference a page's markup makes (`src`, `href`, `poster`, the
/// lazy-loading attributes, each URL of a `srcset`), as written, in order.
///
/// The text is scanned as written, inline scripts included (`img.src =
/// "a.jpg"` counts): an attribute is a name from the lists above (in any
/// case, not preceded by a letter, digit or `_`, so `data-hi-res-src`
/// counts as `src` too), optional spaces, `=`, optional spaces and a value
/// in double or single quotes or unquoted up to a space, quote or `>`.
/// One linear pass over the `=` signs.
pub(super) fn references(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(offset) = memchr::memchr(b'=', &bytes[from..]) {
        let equals = from + offset;
        let mut name_end = equals;
        while name_end > from && bytes[name_end - 1].is_ascii_whitespace() {
            name_end -= 1;
        }
        let name = REFERENCE_NAMES.iter().copied().find(|name| {
            name_end >= from + name.len() && {
                let start = name_end - name.len();
                bytes[start..name_end].eq_ignore_ascii_case(name.as_bytes())
                    && (start == 0 || !is_word(bytes[start - 1]))
            }
        });
        let value = name.and_then(|_| attribute_value(bytes, equals + 1));
        let (Some(name), Some((value_start, value_end, next))) = (name, value) else {
            from = equals + 1;
            continue;
        };
        // Quotes, `>` and spaces are ASCII: the value is whole characters.
        let value = &text[value_start..value_end];
        if SRCSET.contains(&name) {
            out.extend(parse_srcset(value).into_iter().map(|c| c.url));
        } else {
            out.push(value);
        }
        from = next;
    }
    out
}

/// The value of an attribute whose `=` ends just before `at`: where it
/// starts and ends, and where the scan goes on; `None` when there is none
/// (an unclosed quote, nothing before `>`).
fn attribute_value(bytes: &[u8], mut at: usize) -> Option<(usize, usize, usize)> {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    match *bytes.get(at)? {
        quote @ (b'"' | b'\'') => {
            let len = memchr::memchr(quote, &bytes[at + 1..])?;
            Some((at + 1, at + 1 + len, at + 1 + len + 1))
        }
        _ => {
            let len = bytes[at..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'>'))
                .unwrap_or(bytes.len() - at);
            (len > 0).then_some((at, at + len, at + len))
        }
    }
}

/// One candidate of a `srcset` list.
#[derive(Debug, PartialEq)]
pub struct SrcsetCandidate<'a> {
    /// The URL as written.
    pub url: &'a str,
    /// Its width descriptor, else its density times 1000 (`2x` = 2000), else 0.
    pub score: f64,
}

/// The candidates of a `srcset` attribute, as the HTML standard splits them:
/// a URL runs to the next whitespace (so it may hold commas, as image CDNs'
/// `w_424,c_limit` do), then descriptors run to the next comma.
pub fn parse_srcset(list: &str) -> Vec<SrcsetCandidate<'_>> {
    let mut out = Vec::new();
    let mut rest = list;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let url_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let mut url = &rest[..url_end];
        rest = &rest[url_end..];
        let mut descriptors = "";
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            descriptors = &rest[..end];
            rest = &rest[end..];
        }
        if url.is_empty() {
            continue;
        }
        let mut score = 0.0;
        for descriptor in descriptors.split_whitespace() {
            if let Some(w) = descriptor
                .strip_suffix('w')
                .and_then(|n| n.parse::<f64>().ok())
            {
                score = w;
            } else if let Some(x) = descriptor
                .strip_suffix('x')
                .and_then(|n| n.parse::<f64>().ok())
            {
                score = x * 1000.0;
            }
        }
        out.push(SrcsetCandidate { url, score });
    }
    out
}

/// True when a reference (a URL or path, a query allowed) names an image file.
pub(super) fn looks_like_image_reference(reference: &str) -> bool {
    let path = reference.split(['?', '#']).next().unwrap_or(reference);
    let lower = path.to_ascii_lowercase();
    IMAGE_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// Load the local files a page refers to, from `dir` (the page's own folder) only.
///
/// References with a scheme (`http:`, `data:`) are not files. `file:` URLs,
/// absolute paths, `..` components and symlinks leading out of `dir` are
/// refused with a warning and never read. Each file is read once, however
/// many references name it (`a.jpg?1`, `a.jpg?2`, … are one file), and the
/// loop stops when the page is past its time budget.
pub(super) fn load_local(dir: &Path, text: &str, warnings: &mut Vec<String>) -> Resources {
    let mut found = Resources::default();
    let Ok(root) = dir.canonicalize() else {
        return found;
    };
    let mut seen = std::collections::HashSet::new();
    // Each file read, by its real path: the first reference it was kept under.
    let mut read: HashMap<std::path::PathBuf, Option<String>> = HashMap::new();
    for raw in references(text) {
        if super::limits::work_stopped() {
            break;
        }
        let raw = raw.trim();
        if raw.is_empty() || !seen.insert(raw) {
            continue;
        }
        let lower = raw.to_ascii_lowercase();
        if lower.starts_with("file:") {
            warnings.push(format!(
                "refused to read {raw}: file: URLs are never followed"
            ));
            continue;
        }
        if lower.starts_with("//") || has_scheme(&lower) || raw.starts_with('#') {
            continue;
        }
        let decoded = normalize_key(raw);
        let decoded = decoded.split('?').next().unwrap_or(&decoded).to_owned();
        let rel = Path::new(&decoded);
        if rel.is_absolute() || decoded.starts_with('/') || decoded.starts_with('\\') {
            if looks_like_resource(&decoded) {
                warnings.push(format!(
                    "refused to read {raw}: absolute paths outside the page's folder are never read"
                ));
            }
            continue;
        }
        if rel.components().any(|c| matches!(c, Component::ParentDir)) {
            warnings.push(format!(
                "refused to read {raw}: it points outside the page's folder"
            ));
            continue;
        }
        if !looks_like_resource(&decoded) {
            continue;
        }
        let path = root.join(rel);
        let Ok(real) = path.canonicalize() else {
            continue; // missing: the extractor reports it against the image
        };
        if !real.starts_with(&root) {
            warnings.push(format!(
                "refused to read {raw}: it is a link leading outside the page's folder"
            ));
            continue;
        }
        if let Some(first) = read.get(&real) {
            // Read already: found under this reference too, not read again.
            if let Some(first) = first {
                found.alias(raw, first);
            }
            continue;
        }
        read.insert(real.clone(), found_key(&found, raw));
        match std::fs::metadata(&real) {
            Ok(meta) if meta.is_file() && meta.len() <= MAX_RESOURCE_BYTES as u64 => {
                match super::limits::read_at_most(&real, MAX_RESOURCE_BYTES as u64) {
                    Ok(bytes) if bytes.len() > MAX_RESOURCE_BYTES => warnings.push(format!(
                        "skipped {raw}: it grew over the limit of {MAX_RESOURCE_BYTES} bytes while being read"
                    )),
                    Ok(bytes) => {
                        found.insert(raw, bytes);
                        read.insert(real, found_key(&found, raw));
                    }
                    Err(err) => warnings.push(format!("cannot read {raw}: {err}")),
                }
            }
            Ok(meta) if meta.is_file() => warnings.push(format!(
                "skipped {raw}: {} bytes is over the limit of {MAX_RESOURCE_BYTES}",
                meta.len()
            )),
            _ => {}
        }
    }
    found
}

/// `raw`, when `found` holds a resource under it.
fn found_key(found: &Resources, raw: &str) -> Option<String> {
    found.get(raw).map(|_| raw.to_owned())
}

fn has_scheme(lower: &str) -> bool {
    match lower.find(':') {
        Some(pos) => {
            pos > 1
                && lower[..pos]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Files worth loading: images and the like, not other pages or scripts.
fn looks_like_resource(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    IMAGE_EXTENSIONS.iter().any(|ext| lower.ends_with(ext)) || lower.contains("_files/")
}

/// File name endings of images.
const IMAGE_EXTENSIONS: &[&str] = &[
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".svg", ".avif", ".ico", ".tif", ".tiff",
];

/// Decode a `data:` URI's payload (base64 or percent-encoded), within the size limit.
pub fn decode_data_uri(uri: &str) -> Result<(String, Vec<u8>), String> {
    let rest = uri
        .get(5..)
        .filter(|_| uri[..5].eq_ignore_ascii_case("data:"))
        .ok_or_else(|| "not a data: URI".to_owned())?;
    let (header, payload) = rest
        .split_once(',')
        .ok_or_else(|| "a data: URI without a comma".to_owned())?;
    let mime = header.split(';').next().unwrap_or("").trim().to_owned();
    if payload.len() > MAX_RESOURCE_BYTES / 3 * 4 + 4 {
        return Err(format!(
            "a data: URI of {} bytes is over the limit of {MAX_RESOURCE_BYTES}",
            payload.len()
        ));
    }
    let bytes = if header.to_ascii_lowercase().ends_with(";base64") {
        let cleaned: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(
                cleaned.trim_end_matches('=').to_owned()
                    + &"=".repeat((4 - cleaned.trim_end_matches('=').len() % 4) % 4),
            )
            .map_err(|err| format!("a data: URI with bad base64: {err}"))?
    } else {
        percent_encoding::percent_decode_str(payload).collect()
    };
    Ok((mime, bytes))
}

static SINGLEFILE_VAR: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: the pattern is a constant that compiles.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r#"(--sf-img-\d+)\s*:\s*url\(\s*["']?(data:[^"')]+)["']?\s*\)"#)
        .expect("valid regex")
});

/// SingleFile shows each image as a transparent SVG `src` whose CSS background is
/// a custom property (`--sf-img-5: url("data:…")`). Keep those images' bytes,
/// keyed by the property name.
pub(super) fn collect_singlefile_images(
    text: &str,
    resources: &mut Resources,
    warnings: &mut Vec<String>,
) {
    for caps in SINGLEFILE_VAR.captures_iter(text) {
        match decode_data_uri(&caps[2]) {
            Ok((_, bytes)) => resources.insert(&caps[1], bytes),
            Err(err) => warnings.push(format!("{}: {err}", &caps[1])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn srcset_urls(list: &str) -> Vec<&str> {
        parse_srcset(list).into_iter().map(|c| c.url).collect()
    }

    #[test]
    fn srcset_lists_give_each_url() {
        assert_eq!(
            srcset_urls("a_files/s.jpg 1x, a_files/l,w_2.jpg 2x,c.png"),
            ["a_files/s.jpg", "a_files/l,w_2.jpg", "c.png"]
        );
        assert_eq!(srcset_urls("a.jpg, b.jpg 2x"), ["a.jpg", "b.jpg"]);
    }

    #[test]
    fn srcset_urls_may_hold_commas() {
        let list = "https://cdn.test/fetch/w_424,c_limit/a.jpeg 424w, \
                    https://cdn.test/fetch/w_848,c_limit/a.jpeg 848w,b.png 2x,c.png";
        let got = parse_srcset(list);
        assert_eq!(
            srcset_urls(list),
            [
                "https://cdn.test/fetch/w_424,c_limit/a.jpeg",
                "https://cdn.test/fetch/w_848,c_limit/a.jpeg",
                "b.png",
                "c.png"
            ]
        );
        assert_eq!(got[1].score, 848.0);
        assert_eq!(got[2].score, 2000.0);
    }

    #[test]
    fn references_are_read_as_the_markup_writes_them() {
        let page = r#"<img SRC = "a b.jpg" data-src='c.jpg' data-hi-res-src=d.png>
            <img data-srcset="e.jpg 1x, f.jpg 2x" data-orig-file="g.jpg" xsrc="no.jpg">
            <a href=h.html>x</a> <p title="src=j.jpg">
            <script>img.src = "i.jpg";</script> <img src="unclosed.jpg>"#;
        assert_eq!(
            references(page),
            [
                "a b.jpg", "c.jpg", "d.png", "e.jpg", "f.jpg", "g.jpg", "h.html", "j.jpg", "i.jpg"
            ]
        );
    }

    #[test]
    fn extend_skips_what_does_not_fit_and_keeps_what_does() {
        let big = 31 * 1024 * 1024;
        let mut page = Resources::default();
        for i in 0..8 {
            page.insert(&format!("page_files/{i}.jpg"), vec![0; big]);
        }
        let mut folder = Resources::default();
        folder.insert("page_files/a-too-big.jpg", vec![0; big]);
        folder.insert("page_files/b-small.jpg", vec![1; 1024]);
        page.extend(folder);
        assert!(page.get("page_files/a-too-big.jpg").is_none());
        assert_eq!(
            page.get("page_files/b-small.jpg").map(|b| b.len()),
            Some(1024)
        );
        assert!(page.total_bytes <= MAX_RESOURCES_TOTAL_BYTES);
    }
}

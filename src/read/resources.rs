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
    total_bytes: usize,
}

impl Resources {
    /// Add a resource under `key` (ignored past the limits).
    pub fn insert(&mut self, key: &str, bytes: Vec<u8>) {
        self.admit(normalize_key(key), bytes.into());
    }

    /// Keep bytes already shared elsewhere (a web archive's payload used by
    /// several of its pages) without copying them.
    pub fn insert_shared(&mut self, key: &str, bytes: Arc<[u8]>) {
        self.admit(normalize_key(key), bytes);
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
        if self.map.len() >= MAX_RESOURCES {
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
    }

    /// Keep `bytes` under the (normalized) `key` unless that passes a limit.
    fn admit(&mut self, key: String, bytes: Arc<[u8]>) {
        if bytes.len() > MAX_RESOURCE_BYTES
            || self.map.len() >= MAX_RESOURCES
            || self.total_bytes + bytes.len() > MAX_RESOURCES_TOTAL_BYTES
        {
            return;
        }
        self.total_bytes += bytes.len();
        self.map.insert(key, bytes);
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

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: the pattern is a constant that compiles.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r#"(?i)\b(src|data-src|data-original|data-lazy-src|href|poster|srcset|data-srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .expect("valid regex")
});

/// Every reference a page's markup makes (`src`, `href`, `poster`, the
/// lazy-loading attributes, each URL of a `srcset`), as written.
pub(super) fn references(text: &str) -> impl Iterator<Item = &str> {
    REFERENCE.captures_iter(text).flat_map(|caps| {
        let value = caps.get(2).or(caps.get(3)).or(caps.get(4));
        let value = value.map_or("", |v| v.as_str());
        if caps[1].to_ascii_lowercase().ends_with("srcset") {
            srcset_urls(value)
        } else {
            vec![value]
        }
    })
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
/// refused with a warning and never read.
pub(super) fn load_local(dir: &Path, text: &str, warnings: &mut Vec<String>) -> Resources {
    let mut found = Resources::default();
    let Ok(root) = dir.canonicalize() else {
        return found;
    };
    let mut seen = std::collections::HashSet::new();
    for raw in references(text) {
        let raw = raw.trim();
        if raw.is_empty() || !seen.insert(raw.to_owned()) {
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
        match std::fs::metadata(&real) {
            Ok(meta) if meta.is_file() && meta.len() <= MAX_RESOURCE_BYTES as u64 => {
                match super::read_at_most(&real, MAX_RESOURCE_BYTES as u64) {
                    Ok(bytes) if bytes.len() > MAX_RESOURCE_BYTES => warnings.push(format!(
                        "skipped {raw}: it grew over the limit of {MAX_RESOURCE_BYTES} bytes while being read"
                    )),
                    Ok(bytes) => found.insert(raw, bytes),
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

/// The URLs of a `srcset` list (`a.jpg 1x, b.jpg 2x`): each runs to the next
/// whitespace; descriptors and separating commas are dropped.
fn srcset_urls(list: &str) -> Vec<&str> {
    let mut urls = Vec::new();
    let mut expect_url = true;
    for token in list.split_whitespace() {
        if expect_url {
            let url = token.trim_end_matches(',');
            if !url.is_empty() {
                urls.push(url);
            }
            expect_url = token.ends_with(',');
        } else if let Some((_, after)) = token.split_once(',') {
            // `2x,next.jpg`: the descriptor ends at the comma.
            let url = after.trim_end_matches(',');
            if !url.is_empty() {
                urls.push(url);
            }
            expect_url = url.is_empty() || after.ends_with(',');
        }
    }
    urls
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

    #[test]
    fn srcset_lists_give_each_url() {
        assert_eq!(
            srcset_urls("a_files/s.jpg 1x, a_files/l,w_2.jpg 2x,c.png"),
            ["a_files/s.jpg", "a_files/l,w_2.jpg", "c.png"]
        );
        assert_eq!(srcset_urls("a.jpg, b.jpg 2x"), ["a.jpg", "b.jpg"]);
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

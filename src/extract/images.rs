//! Resolving `<img>` elements to [`Image`]s: which source, which bytes, what size.

use std::cell::RefCell;
use std::io::Cursor;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use scraper::node::Element;
use url::Url;

use super::text::collapse;
use crate::model::{Image, ImageData};
use crate::read::limits::MAX_IMAGE_PIXELS;
use crate::read::{LAZY_SRC, Resources, SRCSET, decode_data_uri, parse_srcset};

static IMAGE_URL: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"(?i)\.(jpe?g|png|gif|webp|bmp|avif|tiff?)(\?.*)?$").expect("valid regex")
});

/// True when a URL's path ends like an image file.
pub fn looks_like_image_url(url: &str) -> bool {
    IMAGE_URL.is_match(url)
}

/// Resolves image references against the page's base URL and its resources.
pub struct ImageResolver<'a> {
    base: Option<Url>,
    resources: &'a Resources,
    /// Images whose `src` matches are dropped (QR codes, share buttons, trackers).
    drop: Option<&'a Regex>,
    warnings: RefCell<Vec<String>>,
}

impl<'a> ImageResolver<'a> {
    /// A resolver for one page.
    pub fn new(base: Option<&str>, resources: &'a Resources, drop: Option<&'a Regex>) -> Self {
        Self {
            base: base.and_then(|b| Url::parse(b).ok()),
            resources,
            drop,
            warnings: RefCell::new(Vec::new()),
        }
    }

    /// The warnings collected so far.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.borrow_mut())
    }

    /// Make `href` absolute against the page's URL when it is relative.
    pub fn resolve_url(&self, href: &str) -> String {
        let href = href.trim();
        if href.starts_with("data:") || Url::parse(href).is_ok() {
            return href.to_owned();
        }
        match &self.base {
            Some(base) => base
                .join(href)
                .map(|u| u.to_string())
                .unwrap_or_else(|_| href.to_owned()),
            None => href.to_owned(),
        }
    }

    /// The image an `<img>` element shows, or `None` for placeholders, pixels and dropped images.
    ///
    /// `sources` are the `<source>` elements of the `<picture>` around it,
    /// if any. Every candidate (`src`, `srcset`, the sources' `srcset`, the
    /// lazy-loading attributes) is looked up in the save: the largest one it
    /// holds is shown; when it holds none, the best remote one is linked.
    pub fn image(&self, el: &Element, sources: &[&Element]) -> Option<Image> {
        if crate::read::limits::work_stopped() {
            return None; // past the page's budget: nobody wants the result
        }
        let chosen = choose_src(el);
        let stored = self.best_stored(el, sources);
        let raw = match (&stored, chosen) {
            (Some((reference, _)), _) => reference.clone(),
            (None, Some(chosen)) => chosen,
            (None, None) => return None,
        };
        if self.drop.is_some_and(|re| re.is_match(&raw)) {
            return None;
        }
        let attr_dim = |name| {
            el.attr(name)
                .and_then(|v: &str| v.trim().trim_end_matches("px").parse::<u32>().ok())
        };
        let (mut width, mut height) = (attr_dim("width"), attr_dim("height"));
        if width == Some(1) && height == Some(1) {
            return None; // a tracking pixel
        }
        let mut data = None;
        let src;
        let singlefile_var = raw
            .strip_prefix(SINGLEFILE_SRC)
            .or_else(|| singlefile_background(el));
        if let Some(bytes) = singlefile_var.and_then(|var| self.resources.get(var)) {
            data = self.image_data(bytes, "a SingleFile image");
            src = el
                .attr("data-src")
                .or_else(|| el.attr("data-sf-src"))
                .map_or_else(|| "(saved in the page)".to_owned(), |s| self.resolve_url(s));
        } else if raw.len() > 5
            && raw
                .get(..5)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:"))
        {
            match decode_data_uri(&raw) {
                Ok((_, bytes)) => data = self.image_data(bytes.into(), "an inline data: image"),
                Err(err) => self.warn(err),
            }
            src = format!(
                "data:{}…",
                raw.get(5..raw.find(',').unwrap_or(5).min(60)).unwrap_or("")
            );
        } else {
            let absolute = self.resolve_url(&raw);
            let bytes = match stored {
                Some((_, bytes)) => Some(bytes),
                None => self
                    .resources
                    .get(&raw)
                    .or_else(|| self.resources.get(&absolute)),
            };
            match bytes {
                Some(bytes) => {
                    data = self.image_data(bytes, &raw);
                    src = raw.clone();
                }
                None => {
                    let is_relative = Url::parse(&raw).is_err();
                    if is_relative && (!self.resources.is_empty() || self.base.is_none()) {
                        self.warn(format!("image {raw} was not found with the page"));
                    }
                    src = absolute;
                }
            }
        }
        if let Some(data) = &data
            && let Some((w, h)) = dimensions(&data.bytes)
        {
            if u64::from(w) * u64::from(h) <= MAX_IMAGE_PIXELS {
                width = Some(w);
                height = Some(h);
            } else {
                self.warn(format!(
                    "image {src} claims {w}×{h} pixels, over the limit of {MAX_IMAGE_PIXELS}; it is kept but never decoded"
                ));
            }
        }
        let alt = el.attr("alt").map(clean_alt).filter(|a| !a.is_empty());
        let title = el.attr("title").map(clean_alt).filter(|t| !t.is_empty());
        Some(Image {
            src,
            full_src: None,
            width,
            height,
            alt: alt.or(title),
            caption: None,
            credit: None,
            data,
        })
    }

    /// The largest candidate of the image that the save holds (by the
    /// pixels its header states), with its bytes. A SingleFile or `data:`
    /// image is not a candidate: those are read as they are.
    fn best_stored(&self, el: &Element, sources: &[&Element]) -> Option<(String, Arc<[u8]>)> {
        if self.resources.is_empty() {
            return None;
        }
        let mut best: Option<(u64, String, Arc<[u8]>)> = None;
        for candidate in candidates(el, sources) {
            if candidate.len() > 5 && candidate[..5].eq_ignore_ascii_case("data:") {
                continue;
            }
            if self.drop.is_some_and(|re| re.is_match(&candidate)) {
                continue;
            }
            let bytes = self
                .resources
                .get(&candidate)
                .or_else(|| self.resources.get(&self.resolve_url(&candidate)));
            let Some(bytes) = bytes else {
                continue;
            };
            let area = dimensions(&bytes).map_or(0, |(w, h)| u64::from(w) * u64::from(h));
            if best
                .as_ref()
                .is_none_or(|(best_area, ..)| area > *best_area)
            {
                best = Some((area, candidate, bytes));
            }
        }
        best.map(|(_, reference, bytes)| (reference, bytes))
    }

    fn image_data(&self, bytes: Arc<[u8]>, what: &str) -> Option<ImageData> {
        match image::guess_format(&bytes) {
            Ok(format) => Some(ImageData {
                mime: format.to_mime_type().to_owned(),
                bytes,
            }),
            Err(_) if bytes.starts_with(b"<svg") || bytes.starts_with(b"<?xml") => {
                Some(ImageData {
                    mime: "image/svg+xml".to_owned(),
                    bytes,
                })
            }
            Err(_) => {
                self.warn(format!(
                    "{what} is not an image Folio can read; kept as a link"
                ));
                None
            }
        }
    }

    fn warn(&self, message: String) {
        self.warnings.borrow_mut().push(message);
    }
}

/// The `src` prefix [`inline_singlefile_images`] gives SingleFile's painted images.
const SINGLEFILE_SRC: &str = "folio-sf-img:";

/// Point each SingleFile placeholder `src` (a transparent SVG) at the custom
/// property holding the real image, so the reference survives the
/// readability pass, which drops `style` attributes.
pub fn inline_singlefile_images(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pos) = rest.find("src=") {
        let (before, after) = rest.split_at(pos);
        out.push_str(before);
        let value = &after[4..];
        let quote = value.chars().next().filter(|q| *q == '\'' || *q == '"');
        let Some(quote) = quote else {
            out.push_str("src=");
            rest = value;
            continue;
        };
        let body = &value[1..];
        let Some(end) = body.find(quote) else {
            out.push_str(after);
            return out;
        };
        let src = &body[..end];
        let tail = &body[end + 1..];
        let tag_rest = &tail[..tail.find('>').unwrap_or(tail.len()).min(4096)];
        let var = tag_rest.find("var(--sf-img-").and_then(|start| {
            let name = &tag_rest[start + 4..];
            name.find(')').map(|len| &name[..len])
        });
        match var {
            Some(var) if src.starts_with("data:image/svg+xml") => {
                out.push_str(&format!("src=\"{SINGLEFILE_SRC}{var}\""));
            }
            _ => {
                out.push_str("src=");
                out.push(quote);
                out.push_str(src);
                out.push(quote);
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The `--sf-img-N` custom property SingleFile paints an image with, if any.
fn singlefile_background(el: &Element) -> Option<&str> {
    let style = el.attr("style")?;
    let start = style.find("var(--sf-img-")? + 4;
    let len = style[start..].find(')')?;
    Some(&style[start..start + len])
}

/// The best remote source of an `<img>`: `src`, unless it is a
/// lazy-loading placeholder; then the lazy-loading attribute; else the
/// largest `srcset` candidate.
fn choose_src(el: &Element) -> Option<String> {
    let src = el.attr("src").map(str::trim).filter(|s| !s.is_empty());
    let lazy = LAZY_SRC
        .iter()
        .find_map(|name| el.attr(name))
        .map(str::trim)
        .filter(|s| !s.is_empty() && !is_placeholder(s));
    let srcset_best = SRCSET
        .iter()
        .filter_map(|name| el.attr(name))
        .flat_map(parse_srcset)
        .filter(|c| !is_placeholder(c.url))
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .map(|c| c.url.to_owned());
    match (src, lazy) {
        (Some(s), Some(l)) if is_placeholder(s) => Some(l.to_owned()),
        (Some(s), _) if !is_placeholder(s) || srcset_best.is_none() => Some(s.to_owned()),
        (None, Some(l)) => Some(l.to_owned()),
        _ => srcset_best.or(src.map(str::to_owned)),
    }
}

/// A lazy-loading stand-in: a tiny `data:` image, a blank or placeholder file.
fn is_placeholder(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    (lower.starts_with("data:") && s.len() < 300)
        || lower.contains("placeholder")
        || lower.contains("blank.gif")
        || lower.contains("spacer.gif")
        || lower.contains("lazy")
}

/// Every URL an image may be shown from: its `src`, lazy-loading
/// attributes and `srcset` lists, and those of its `<picture>`'s sources.
fn candidates(el: &Element, sources: &[&Element]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for element in sources.iter().copied().chain(std::iter::once(el)) {
        for name in SRCSET {
            if let Some(list) = element.attr(name) {
                out.extend(parse_srcset(list).into_iter().map(|c| c.url.to_owned()));
            }
        }
    }
    for name in std::iter::once(&"src").chain(LAZY_SRC) {
        if let Some(url) = el.attr(name).map(str::trim).filter(|s| !s.is_empty()) {
            out.push(url.to_owned());
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|u| seen.insert(u.clone()));
    out
}

static TAG_IN_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"</?[A-Za-z][^>]*(>|$)").expect("valid regex")
});

/// Alt text as the page meant it: the mirror's `&#039…&#039` quoting removed,
/// and markup that a broken page's quoting left in the attribute dropped.
pub fn clean_alt(alt: &str) -> String {
    let alt = alt.replace("&#039", "").replace("&amp;#039", "");
    let alt = TAG_IN_ATTRIBUTE.replace_all(&alt, " ");
    collapse(alt.trim_matches(['\'', '"', ' ']))
        .trim()
        .to_owned()
}

/// Width and height from the image header (only the header is read).
fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    reader.into_dimensions().ok()
}

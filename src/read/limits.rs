//! Every size limit Folio applies to input, in one place (documented in README.md).

/// Largest saved page read at all (bytes). Bigger files are refused with an error.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest single resource (image) read from a page's folder or decoded from a `data:` URI.
pub const MAX_RESOURCE_BYTES: usize = 32 * 1024 * 1024;
/// Total resource bytes kept for one page.
pub const MAX_RESOURCES_TOTAL_BYTES: usize = 256 * 1024 * 1024;
/// Most resources kept for one page.
pub const MAX_RESOURCES: usize = 2_000;
/// Most parts read from one MHTML file.
pub const MAX_MHTML_PARTS: usize = 5_000;
/// Largest image (width × height) decoded for dimensions or thumbnails.
pub const MAX_IMAGE_PIXELS: u64 = 100_000_000;
/// Widest or tallest image whose header is trusted enough to decode it.
pub const MAX_IMAGE_SIDE: u32 = 30_000;
/// Most memory the decoder may allocate for one image (thumbnails); two
/// images decode at once at most per core, so this bounds an import's peak.
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// Deepest element nesting kept: deeper start tags are dropped before parsing
/// (`read::nesting`), and the extractor flattens anything deeper to text.
pub const MAX_DEPTH: usize = 512;
/// Most attributes kept on one tag; later ones are cut before parsing
/// (`read::nesting`: html5ever's duplicate check is quadratic).
pub const MAX_ATTRIBUTES: usize = 128;
/// Most elements (start tags) kept in one page; later tags are cut before
/// parsing and their text joins the last element kept (`read::nesting`).
pub const MAX_ELEMENTS: usize = 250_000;
/// Most blocks kept in one extracted body; the rest is cut with a warning.
pub const MAX_BLOCKS: usize = 50_000;
/// Most text kept in one extracted body (bytes of its plain text); the rest
/// is cut with a warning.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Longest one page may take to read and extract in an import or
/// re-extraction before it fails with its reason and the batch goes on:
/// 10 s (a release build reads a 64 MiB page in about 2 s). A debug build
/// (the tests) is about ten times slower and gets 60 s.
pub const PAGE_TIME_BUDGET: std::time::Duration =
    std::time::Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 10 });
/// Deepest nesting of quotes, lists and inline emphasis/links in an
/// extracted body; deeper ones are flattened into their parent (the body is
/// stored as JSON, read back with serde_json's recursion limit of 128).
pub const MAX_MODEL_NESTING: usize = 16;
/// Largest page text given to the readability pass (which holds several
/// copies of the document); bigger pages are converted whole.
pub const MAX_READABILITY_BYTES: usize = 8 * 1024 * 1024;
/// Largest web archive (`.warc`, `.warc.gz`, `.wacz`) read, in bytes on disk;
/// decompressed it may hold at most four times as much.
pub const MAX_ARCHIVE_BYTES: u64 = 1024 * 1024 * 1024;
/// Most pages taken from one web archive.
pub const MAX_ARCHIVE_PAGES: usize = 100_000;
/// Most files one import discovers.
pub const MAX_FILES_PER_IMPORT: usize = 1_000_000;

thread_local! {
    /// Set on a page's thread: true once the page is past its time budget
    /// (see [`stop_work_when`]).
    static STOP: std::cell::RefCell<Option<std::sync::Arc<std::sync::atomic::AtomicBool>>> =
        const { std::cell::RefCell::new(None) };
}

/// Make `flag` tell the work on this thread to stop: the import's watchdog
/// sets it when the page is past [`PAGE_TIME_BUDGET`] (its result is no
/// longer wanted), and [`work_stopped`] reads it.
pub fn stop_work_when(flag: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    STOP.with(|stop| *stop.borrow_mut() = Some(flag));
}

/// True when the work on this thread is no longer wanted: reading and
/// extraction loops check it and stop at once (what they return is dropped).
pub fn work_stopped() -> bool {
    STOP.with(|stop| {
        stop.borrow()
            .as_ref()
            .is_some_and(|flag| flag.load(std::sync::atomic::Ordering::Relaxed))
    })
}

/// An image reader for `bytes` that refuses images wider or taller than
/// [`MAX_IMAGE_SIDE`] and allocations over `max_alloc` bytes.
pub fn limited_image_reader(
    bytes: &[u8],
    max_alloc: u64,
) -> image::ImageResult<image::ImageReader<std::io::Cursor<&[u8]>>> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(max_alloc);
    reader.limits(limits);
    Ok(reader)
}

/// True when `bytes` look like an SVG document: after an optional BOM,
/// white space, XML declarations, comments and a DOCTYPE (its internal
/// subset skipped unread), the first element is `<svg`. An HTML page that
/// merely holds an inline `<svg>` icon is not SVG. Folio stores SVG as
/// written and never parses or renders it (so its entities are never
/// resolved); this sniff is all it looks at.
pub fn looks_like_svg(bytes: &[u8]) -> bool {
    /// The bytes after the first `end` in `rest`, if any.
    fn after<'a>(rest: &'a [u8], end: &[u8]) -> Option<&'a [u8]> {
        let at = rest.windows(end.len()).position(|w| w == end)?;
        Some(&rest[at + end.len()..])
    }
    let mut rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // A prolog longer than this is not worth sniffing.
    for _ in 0..64 {
        let start = rest
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        rest = &rest[start..];
        let next = if rest.starts_with(b"<?") {
            after(rest, b"?>")
        } else if rest.starts_with(b"<!--") {
            after(rest, b"-->")
        } else if rest.starts_with(b"<!DOCTYPE") {
            let gt = rest.iter().position(|&b| b == b'>');
            let bracket = rest.iter().position(|&b| b == b'[');
            match (gt, bracket) {
                // An internal subset: skip to its `]`, then the `>`.
                (Some(gt), Some(open)) if open < gt => {
                    after(&rest[open..], b"]").and_then(|r| after(r, b">"))
                }
                (Some(gt), _) => Some(&rest[gt + 1..]),
                (None, _) => None,
            }
        } else {
            return rest.starts_with(b"<svg")
                && rest
                    .get(4)
                    .is_some_and(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/');
        };
        match next {
            Some(next) => rest = next,
            None => return false,
        }
    }
    false
}

/// The first `limit + 1` bytes of a file at most (one more than allowed, so a
/// caller can tell that the file is over the limit).
pub(crate) fn read_at_most(path: &std::path::Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let hint = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::looks_like_svg;

    #[test]
    fn svg_is_sniffed_by_its_first_element() {
        for svg in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "\u{feff}\n  <?xml version=\"1.0\"?><!-- a > b --><svg>",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY a \"<svg>\">]>\n<svg\n>",
            "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\"><svg width=\"1\">",
        ] {
            assert!(looks_like_svg(svg.as_bytes()), "{svg}");
        }
        for other in [
            "",
            "<!DOCTYPE html><html><body><svg></svg></body></html>",
            "<!-- page --><html><svg></svg></html>",
            "<?xml version=\"1.0\"?><rss><svg/></rss>",
            "<svgfoo>",
            "<!-- never closed <svg>",
        ] {
            assert!(!looks_like_svg(other.as_bytes()), "{other}");
        }
    }
}

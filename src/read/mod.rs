//! Turning a path on disk into a decoded [`Source`]: format detection, charset
//! decoding and finding the bytes of every resource the page refers to.
//!
//! Promise: nothing outside the page's own folder is ever read (no `../`, no
//! absolute paths, no `file://`, no symlinks that leave the folder), nothing
//! touches the network, and every size is bounded by [`limits`].

pub mod charset;
pub mod discover;
pub mod limits;
pub mod meter;
mod mhtml;
pub mod nesting;
mod resources;
mod source;
pub mod warc;
pub mod warnings;
mod webarchive;

use std::path::Path;
use std::sync::Arc;

use crate::model::capture::{self, Capture, CapturedFrom};
use limits::read_at_most;
use source::bounded_nesting;

pub use discover::discover_files;
pub use resources::{LAZY_SRC, Resources, SRCSET, SrcsetCandidate, decode_data_uri, parse_srcset};
pub(crate) use source::regular_file_within;
pub use source::{Format, ReadError, Source};

/// The kind of saved page an original is, in words a person reads
/// ("Chrome MHTML", "Safari web archive", "WARC page"): its stored
/// `format` (`Format::as_str`), told apart further by the saver's mark at
/// the head of the original where one is written.
#[must_use]
pub fn format_in_words(format: &str, file_name: &str, original: &[u8]) -> String {
    let head = String::from_utf8_lossy(&original[..original.len().min(4096)]).to_ascii_lowercase();
    let words = match Format::parse(format) {
        Some(Format::Mhtml) if head.contains("saved by blink") => "Chrome MHTML",
        Some(Format::Mhtml) if head.contains("saved by mozilla") => "Firefox MHTML",
        Some(Format::Mhtml) if head.contains("nextpart_") => "Word web page (MHTML)",
        Some(Format::Mhtml) => "MHTML web archive",
        Some(Format::WebArchive) => "Safari web archive",
        Some(Format::SingleFile) => "SingleFile page",
        Some(Format::HtmlWithFolder) => "web page with its files folder",
        Some(Format::Html) if head.contains("<!-- saved from url=") => {
            "web page saved by a browser"
        }
        Some(Format::Html) => "HTML page",
        Some(Format::Mirror) => "mirror page (Markdown around HTML)",
        Some(Format::Warc) => {
            let archive = file_name
                .split('#')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if archive.ends_with(".wacz") {
                "page of a WACZ web archive"
            } else {
                "WARC page"
            }
        }
        None => return format.to_owned(),
    };
    words.to_owned()
}

/// Read one saved page from disk, with its resources.
pub fn read_path(path: &Path) -> Result<Source, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let too_large = |size| ReadError::TooLarge {
        path: path.to_owned(),
        size,
        limit: limits::MAX_FILE_BYTES,
    };
    regular_file_within(path, limits::MAX_FILE_BYTES)?;
    // The file may grow between the size check and the read: never read past the limit.
    let bytes = read_at_most(path, limits::MAX_FILE_BYTES).map_err(io)?;
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut source = read_bytes(path, &file_name, bytes.into())?;
    if matches!(
        source.format,
        Format::Html | Format::HtmlWithFolder | Format::Mirror
    ) && let Some(dir) = path.parent()
    {
        // `page.html` given alone: its folder is the current one.
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let found = resources::load_local(dir, &source.text, &mut source.warnings);
        if !found.is_empty() && source.format == Format::Html {
            source.format = Format::HtmlWithFolder;
        }
        source.resources.extend(found);
    }
    if source.captured.is_none()
        && matches!(source.format, Format::WebArchive | Format::HtmlWithFolder)
    {
        source.captured = file_time(path);
    }
    Ok(source)
}

/// The modification time of the file at `path` as a capture date: the last
/// resort for the formats that state none (a `.webarchive`, a page saved
/// with its `_files/` folder), marked as such.
fn file_time(path: &Path) -> Option<Capture> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let seconds = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(Capture {
        at: capture::from_unix_seconds(i64::try_from(seconds).ok()?)?,
        from: CapturedFrom::FileTime,
    })
}

/// A page read again from what the library stores of it: the original
/// file's bytes, the format it was imported as and the resources stored
/// beside it (a folder save's files, a web archive page's images). What
/// re-extraction and "view as saved" read.
pub fn from_stored(
    file_name: &str,
    format: Option<Format>,
    bytes: Arc<[u8]>,
    resources: Vec<(String, Vec<u8>)>,
) -> Result<Source, ReadError> {
    let mut source = read_bytes(Path::new(file_name), file_name, bytes)?;
    if !resources.is_empty() && source.format == Format::Html {
        source.format = Format::HtmlWithFolder;
    }
    if format == Some(Format::Warc) {
        source.format = Format::Warc;
    }
    for (name, data) in resources {
        source.resources.insert(&name, data);
    }
    Ok(source)
}

/// Read a saved page from bytes already in memory (no file system access at all).
///
/// `path` is only used in error messages. Local resources of a "page + folder"
/// save are not looked up; pass them through [`Source::resources`] afterwards.
pub fn read_bytes(path: &Path, file_name: &str, original: Arc<[u8]>) -> Result<Source, ReadError> {
    let not_a_page = |reason: &str| ReadError::NotAPage {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    if original.is_empty() {
        return Err(not_a_page("the file is empty"));
    }
    if webarchive::looks_like_webarchive(&original) {
        let doc = webarchive::parse(&original).map_err(|reason| ReadError::WebArchive {
            path: path.to_owned(),
            reason,
        })?;
        return Ok(doc.into_source(Format::WebArchive, file_name, original));
    }
    if let Some(kind) = sniff_binary(&original) {
        return Err(not_a_page(kind));
    }
    let mut warnings = Vec::new();
    if mhtml::looks_like_mhtml(&original) {
        let doc = mhtml::parse(&original).map_err(|reason| ReadError::Mhtml {
            path: path.to_owned(),
            reason,
        })?;
        return Ok(doc.into_source(Format::Mhtml, file_name, original));
    }
    // A page Folio took out of a web archive names the charset its HTTP
    // response gave, which wins over the page's own `<meta charset>`.
    let declared = warc::stored_charset(&original);
    let text = charset::decode_document(&original, declared.as_deref(), &mut warnings);
    if text.contains('\0') && text.chars().filter(|c| *c == '\0').count() > text.len() / 100 {
        return Err(not_a_page("it contains binary data"));
    }
    let text = if text.contains('\0') {
        text.replace('\0', "")
    } else {
        text
    };
    let text = bounded_nesting(text, &mut warnings);
    let (format, saved_from) = detect_text_format(&text);
    if format == Format::Html && is_plain_text(file_name, &text) {
        return Err(ReadError::NotAPageText {
            path: path.to_owned(),
            reason: "it is a text file, neither a saved web page nor a mirror page".to_owned(),
        });
    }
    let mut resources = Resources::default();
    let mut captured = warc::stored_capture(&original);
    if format == Format::SingleFile {
        resources::collect_singlefile_images(&text, &mut resources, &mut warnings);
        captured = singlefile_saved_date(&text).map(|at| Capture {
            at,
            from: CapturedFrom::SinglefileComment,
        });
    }
    Ok(Source {
        file_name: file_name.to_owned(),
        format,
        text,
        saved_from,
        resources,
        original,
        warnings,
        captured,
    })
}

/// Recognise binary files that are certainly not pages, by their magic bytes.
fn sniff_binary(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "it is a PNG image"),
        (b"\xFF\xD8\xFF", "it is a JPEG image"),
        (b"GIF87a", "it is a GIF image"),
        (b"GIF89a", "it is a GIF image"),
        (b"%PDF-", "it is a PDF document"),
        (b"PK\x03\x04", "it is a ZIP archive"),
        (b"\x1f\x8b", "it is a gzip archive"),
        (b"\x7fELF", "it is an executable"),
        (b"SQLite format 3\0", "it is an SQLite database"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(kind);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("it is a WebP image");
    }
    // Text in UTF-16 has many NULs but a BOM; without one, a high share of
    // control bytes in the head means binary.
    let head = &bytes[..bytes.len().min(4096)];
    let has_utf16_bom = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if !has_utf16_bom {
        let control = head
            .iter()
            .filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b) && b != 0x1B)
            .count();
        if control * 10 > head.len() && !charset::looks_like_utf16(head) {
            return Some("it contains binary data");
        }
    }
    None
}

/// Decide between the mirror wrapper, SingleFile and plain HTML by content.
fn detect_text_format(text: &str) -> (Format, Option<String>) {
    let head: String = text.chars().take(2048).collect();
    if let Some(url) = singlefile_url(&head) {
        return (Format::SingleFile, Some(url));
    }
    if let Some(url) = saved_from_mark(&head) {
        return (Format::Html, Some(url));
    }
    let first_line = text.trim_start().lines().next().unwrap_or("");
    if first_line.starts_with("### ")
        && (text.contains("原文链接") || text.contains("原文地址") || head.contains("\n---"))
    {
        return (Format::Mirror, None);
    }
    (Format::Html, None)
}

/// The `url:` line of SingleFile's "Page saved with SingleFile" comment.
fn singlefile_url(head: &str) -> Option<String> {
    let start = head.find("Page saved with SingleFile")?;
    let rest = &head[start..];
    let end = rest.find("-->").unwrap_or(rest.len());
    rest[..end].lines().find_map(|line| {
        line.trim()
            .strip_prefix("url:")
            .map(|url| url.trim().to_owned())
    })
}

/// The `saved date:` line of SingleFile's "Page saved with SingleFile"
/// comment (`saved date: Tue Nov 24 2026 22:46:46 GMT+0000 (…)`), as
/// RFC 3339. Only the head of the page is looked at.
fn singlefile_saved_date(text: &str) -> Option<String> {
    let head = &text[..text
        .char_indices()
        .nth(2048)
        .map_or(text.len(), |(at, _)| at)];
    let start = head.find("Page saved with SingleFile")?;
    let rest = &head[start..];
    let end = rest.find("-->").unwrap_or(rest.len());
    rest[..end].lines().find_map(|line| {
        line.trim()
            .strip_prefix("saved date:")
            .and_then(capture::from_js_date)
    })
}

/// The URL of the `<!-- saved from url=(0034)https://… -->` mark that
/// browsers write at the top of a saved page (and Folio writes on the pages
/// it takes out of a web archive).
fn saved_from_mark(head: &str) -> Option<String> {
    let start = head.find("<!-- saved from url=(")? + "<!-- saved from url=(".len();
    let rest = &head[start..];
    let close = rest.find(')')?;
    let url = rest[close + 1..].split_whitespace().next()?;
    let url = url.trim_end_matches("-->");
    url.starts_with("http").then(|| url.to_owned())
}

/// A `.md` or `.txt` file (a README, notes) that is not markup: its first
/// character is not `<`. Mirror pages are recognised before this is asked.
fn is_plain_text(file_name: &str, text: &str) -> bool {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(ext.as_str(), "md" | "markdown" | "txt" | "text")
        && !text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
}

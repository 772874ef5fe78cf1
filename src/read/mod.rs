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
pub mod warc;
mod webarchive;

use limits::{MAX_RESOURCE_BYTES, MAX_RESOURCES, MAX_RESOURCES_TOTAL_BYTES};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use discover::discover_files;
pub use resources::{LAZY_SRC, Resources, SRCSET, SrcsetCandidate, decode_data_uri, parse_srcset};

/// The kinds of saved page Folio understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A mirror site's Markdown wrapper (`### title`, nav, HTML body, `原文链接` footer).
    Mirror,
    /// A plain HTML page.
    Html,
    /// "Save page, complete": `page.html` with a `page_files/` folder.
    HtmlWithFolder,
    /// A SingleFile page (resources inlined as `data:` URIs).
    SingleFile,
    /// A MIME `multipart/related` archive (`.mht`, `.mhtml`).
    Mhtml,
    /// A Safari `.webarchive` (a property list of the page and its resources).
    WebArchive,
    /// One page of a web archive (WARC or WACZ), with the images it shows
    /// taken from the same archive.
    Warc,
}

impl Format {
    /// Stable lowercase name, as stored in the library.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mirror => "mirror",
            Self::Html => "html",
            Self::HtmlWithFolder => "html_with_folder",
            Self::SingleFile => "singlefile",
            Self::Mhtml => "mhtml",
            Self::WebArchive => "webarchive",
            Self::Warc => "warc",
        }
    }

    /// True when the original file holds the page's resources itself (they
    /// are found again by reading it, so they are not stored beside it).
    pub fn holds_resources(self) -> bool {
        matches!(self, Self::Mhtml | Self::WebArchive)
    }

    /// Inverse of [`Format::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "mirror" => Self::Mirror,
            "html" => Self::Html,
            "html_with_folder" => Self::HtmlWithFolder,
            "singlefile" => Self::SingleFile,
            "mhtml" => Self::Mhtml,
            "webarchive" => Self::WebArchive,
            "warc" => Self::Warc,
            _ => return None,
        })
    }
}

/// A saved page, decoded and with its resources at hand, ready for extraction.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file's name (no directories), as the user saved it.
    pub file_name: String,
    /// Detected format.
    pub format: Format,
    /// The document text, decoded to UTF-8 (for MHTML: the HTML part).
    pub text: String,
    /// Where the page was saved from, when the file says so (MHTML location, SingleFile comment).
    pub saved_from: Option<String>,
    /// Bytes of referenced resources found with the page, keyed by the reference as written.
    pub resources: Resources,
    /// The raw bytes of the file as read, kept so extraction can be re-run later.
    pub original: Arc<[u8]>,
    /// Problems met while reading (undecodable bytes, missing or refused resources).
    pub warnings: Vec<String>,
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused or failed the read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is larger than [`limits::MAX_FILE_BYTES`].
    #[error("{path} is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is not a saved page (binary, image, empty…).
    #[error("{path} is not a saved web page: {reason}")]
    NotAPage {
        /// The file.
        path: PathBuf,
        /// What it looked like instead.
        reason: String,
    },
    /// A text file that is neither a saved page nor a mirror wrapper (a
    /// README, notes): skipped, not imported.
    #[error("{path} was skipped: {reason}")]
    NotAPageText {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        reason: String,
    },
    /// A web archive (WARC, WACZ) that could not be read.
    #[error("{path}: unreadable web archive: {reason}")]
    Archive {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// A Safari webarchive that could not be read.
    #[error("{path}: unreadable Safari webarchive: {reason}")]
    WebArchive {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// An MHTML file that could not be parsed.
    #[error("{path}: malformed MHTML: {reason}")]
    Mhtml {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
}

/// Check that `path` is a regular file of at most `limit` bytes before it
/// is opened (a FIFO would block forever, and /dev/zero never ends).
pub(crate) fn regular_file_within(path: &Path, limit: u64) -> Result<(), ReadError> {
    let meta = std::fs::metadata(path).map_err(|source| ReadError::Io {
        path: path.to_owned(),
        source,
    })?;
    if !meta.is_file() {
        return Err(ReadError::NotAPage {
            path: path.to_owned(),
            reason: "it is not a regular file".to_owned(),
        });
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            path: path.to_owned(),
            size: meta.len(),
            limit,
        });
    }
    Ok(())
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
        let found = resources::load_local(dir, &source.text, &mut source.warnings);
        if !found.is_empty() && source.format == Format::Html {
            source.format = Format::HtmlWithFolder;
        }
        source.resources.extend(found);
    }
    Ok(source)
}

/// The first `limit + 1` bytes of a file at most (one more than allowed, so a
/// caller can tell that the file is over the limit).
pub(crate) fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let hint = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A page read from an archive file (a webarchive or MHTML): its HTML,
/// where it was saved from, its resources and what was skipped.
pub(super) struct ArchiveDocument {
    /// The main page's text, decoded.
    pub html: String,
    /// The address the archive says the page was saved from.
    pub location: Option<String>,
    /// The archive's other resources, keyed as the archive names them.
    pub resources: Resources,
    /// What was skipped or could not be decoded.
    pub warnings: Vec<String>,
}

impl ArchiveDocument {
    /// Say how many of the archive's `count` resources the limits dropped
    /// (`also`: what else limits them, appended to the sentence), and make
    /// the resources findable relative to `page`, the main page's address.
    pub(super) fn finish(
        mut self,
        page: Option<&str>,
        dropped: usize,
        count: usize,
        also: &str,
    ) -> Self {
        if dropped > 0 {
            self.warnings.push(format!(
                "{dropped} of the archive's {count} resources were dropped: a page keeps at most \
                 {MAX_RESOURCES} resources, {} MiB in all and {} MiB each{also}",
                MAX_RESOURCES_TOTAL_BYTES / (1024 * 1024),
                MAX_RESOURCE_BYTES / (1024 * 1024)
            ));
        }
        if let Some(page) = page {
            resources::alias_relative(&mut self.resources, page);
        }
        self
    }

    /// The [`Source`] of this page (its markup's nesting bounded).
    fn into_source(self, format: Format, file_name: &str, original: Arc<[u8]>) -> Source {
        let mut warnings = self.warnings;
        Source {
            file_name: file_name.to_owned(),
            format,
            text: bounded_nesting(self.html, &mut warnings),
            saved_from: self.location,
            resources: self.resources,
            original,
            warnings,
        }
    }
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
    if format == Format::SingleFile {
        resources::collect_singlefile_images(&text, &mut resources, &mut warnings);
    }
    Ok(Source {
        file_name: file_name.to_owned(),
        format,
        text,
        saved_from,
        resources,
        original,
        warnings,
    })
}

/// The text with element nesting, attributes and elements past their limits
/// cut (see [`nesting`]), each cut named in `warnings`.
fn bounded_nesting(text: String, warnings: &mut Vec<String>) -> String {
    let bounded = nesting::limit_nesting(&text);
    if bounded.too_deep {
        warnings.push(format!(
            "elements nested deeper than {} were flattened",
            limits::MAX_DEPTH
        ));
    }
    if bounded.attributes_cut {
        warnings.push(format!(
            "attributes past the first {} of a tag were dropped",
            limits::MAX_ATTRIBUTES
        ));
    }
    if bounded.elements_cut {
        warnings.push(format!(
            "the page has more than {} elements; the markup after them was dropped, \
             keeping its text",
            limits::MAX_ELEMENTS
        ));
    }
    match bounded.text {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(cut) => cut,
    }
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

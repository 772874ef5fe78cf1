//! What reading gives and how it fails: the [`Format`]s Folio knows, the
//! decoded [`Source`] of a page, [`ReadError`], and the pieces every format
//! reader shares (a page taken out of an archive, markup nesting bounded, a
//! file checked before it is opened). The format readers build on this
//! module; it builds on none of them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::capture::Capture;

use super::limits::{self, MAX_RESOURCE_BYTES, MAX_RESOURCES, MAX_RESOURCES_TOTAL_BYTES};
use super::nesting;
use super::resources::{self, Resources};

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
    /// When the page was captured, when the file says so (an MHTML `Date:`,
    /// a `WARC-Date`, SingleFile's saved date, or as a last resort the file's
    /// time).
    pub captured: Option<Capture>,
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

/// A page read from an archive file (a webarchive or MHTML): its HTML,
/// where it was saved from, its resources and what was skipped.
pub(crate) struct ArchiveDocument {
    /// The main page's text, decoded.
    pub html: String,
    /// The address the archive says the page was saved from.
    pub location: Option<String>,
    /// The archive's other resources, keyed as the archive names them.
    pub resources: Resources,
    /// What was skipped or could not be decoded.
    pub warnings: Vec<String>,
    /// When the archive says the page was captured.
    pub captured: Option<Capture>,
}

impl ArchiveDocument {
    /// Say how many of the archive's `count` resources the limits dropped
    /// (`also`: what else limits them, appended to the sentence), and make
    /// the resources findable relative to `page`, the main page's address.
    pub(crate) fn finish(
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
    pub(crate) fn into_source(
        self,
        format: Format,
        file_name: &str,
        original: Arc<[u8]>,
    ) -> Source {
        let mut warnings = self.warnings;
        Source {
            file_name: file_name.to_owned(),
            format,
            text: bounded_nesting(self.html, &mut warnings),
            saved_from: self.location,
            resources: self.resources,
            original,
            warnings,
            captured: self.captured,
        }
    }
}

/// The text with element nesting, attributes and elements past their limits
/// cut (see [`nesting`]), each cut named in `warnings`.
pub(crate) fn bounded_nesting(text: String, warnings: &mut Vec<String>) -> String {
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

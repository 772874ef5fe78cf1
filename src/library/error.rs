//! Everything that can go wrong in the library, each a sentence a person
//! reads ([`LibraryError`]), and this module's [`Result`]. The bottom of the
//! library: it imports nothing of the library.

use std::path::PathBuf;

use super::types::{ArticleId, HighlightId, ImportReport};

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The file could not be opened as a library.
    #[error("cannot open the library {path}: {reason}")]
    Open {
        /// The library file.
        path: PathBuf,
        /// Why, in one sentence (SQLite's message once, or Folio's own).
        reason: String,
    },
    /// The file is an SQLite database that belongs to another program.
    #[error(
        "{path} is not a Folio library (its application_id is {application_id:#010x}); \
         refusing to change it"
    )]
    NotALibrary {
        /// The file.
        path: PathBuf,
        /// The `PRAGMA application_id` it has.
        application_id: i32,
    },
    /// The library was written by a newer Folio.
    #[error(
        "the library has schema version {version}, but this Folio only knows up to {supported}; please upgrade Folio"
    )]
    TooNew {
        /// The file's `user_version`.
        version: i32,
        /// The newest version this build knows.
        supported: i32,
    },
    /// The file's `user_version` does not match its tables: it was changed
    /// outside Folio, and Folio will not upgrade it.
    #[error(
        "the library's schema version ({version}) does not match its tables ({detail}); \
         it was changed outside Folio, so Folio leaves it as it is"
    )]
    SchemaMismatch {
        /// The file's `user_version`.
        version: i32,
        /// The first difference found.
        detail: String,
    },
    /// The library is read-only for this user and the work would change it.
    #[error(
        "the library {path} is read-only (this user cannot write the file or its folder); \
         nothing was changed"
    )]
    ReadOnly {
        /// The library file.
        path: PathBuf,
    },
    /// The library is read-only for this user but needs an upgrade first.
    #[error(
        "the library {path} has schema version {version} and needs an upgrade, \
         but it is read-only for this user"
    )]
    ReadOnlyUpgrade {
        /// The library file.
        path: PathBuf,
        /// Its `user_version`.
        version: i32,
    },
    /// An SQLite error (SQLite's message, once: no SQL text, no source chain).
    #[error("database error: {}", sqlite_reason(.0))]
    Sqlite(rusqlite::Error),
    /// No live or trashed article has this id.
    #[error("no article with id {0}")]
    NoSuchArticle(ArticleId),
    /// The article has no version with this number.
    #[error("article {id} has no version {number} (it has {count})")]
    NoSuchVersion {
        id: ArticleId,
        number: usize,
        count: usize,
    },
    /// The copy keeps no original saved file (it was stored from a page
    /// given as bytes, not read from a file).
    #[error("article {0} keeps no original saved file to show as saved")]
    NoOriginal(ArticleId),
    /// The version asked to be removed is the copy shown (or the only one).
    #[error(
        "version {number} of article {id} is the copy shown and cannot be removed; only the other versions can"
    )]
    ShownVersion { id: ArticleId, number: usize },
    /// A corrected detail that cannot be stored (not a date, not a web
    /// address, control characters, too long): nothing was changed.
    #[error("{0}; nothing was changed")]
    InvalidEdit(String),
    /// No tag has this name.
    #[error("no tag named {0:?}")]
    NoSuchTag(String),
    /// A tag name is empty or only whitespace.
    #[error("a tag name cannot be empty")]
    EmptyTagName,
    /// A new tag name that cannot be used (see the `tags` module).
    #[error("cannot use {name:?} as a tag name: {reason}")]
    BadTagName {
        /// The name, trimmed and normalised.
        name: String,
        /// Why not.
        reason: String,
    },
    /// No collection has this name.
    #[error("no collection named {0:?}")]
    NoSuchCollection(String),
    /// Another collection has this name already.
    #[error("a collection named {0:?} exists already")]
    CollectionExists(String),
    /// A rename whose new name the collections that name the old one could
    /// not follow (their query would grow past the length limit, or the
    /// name cannot be written in a query): nothing was renamed.
    #[error(
        "cannot rename {what}: the collections {} name it and could not follow ({reason}); \
         nothing was renamed",
        .collections.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", ")
    )]
    WouldBreakCollections {
        /// What was to be renamed (`the tag "a"`).
        what: String,
        /// Why they could not follow.
        reason: String,
        /// The collections concerned, by name.
        collections: Vec<String>,
    },
    /// A new collection name that cannot be used.
    #[error("cannot use {name:?} as a collection name: {reason}")]
    BadCollectionName {
        /// The name, trimmed and normalised.
        name: String,
        /// Why not.
        reason: String,
    },
    /// A reading position that is not a fraction from 0 to 1.
    #[error("a reading position is a fraction from 0 to 1, not {0}")]
    BadPosition(f64),
    /// A tag colour that is not `#rrggbb`.
    #[error("a tag colour is written #rrggbb (e.g. #d04040), not {0:?}")]
    BadColour(String),
    /// A search query could not be understood.
    #[error("bad query: {0}")]
    Query(String),
    /// No highlight has this id.
    #[error("no highlight with id {0}")]
    NoSuchHighlight(HighlightId),
    /// A highlight colour that is not one of [`Colour::ALL`].
    #[error(
        "no highlight colour {0:?}; the colours are yellow, green, blue, pink, purple and orange"
    )]
    BadHighlightColour(String),
    /// A highlight range that is empty, only whitespace, or past the text.
    #[error(
        "cannot highlight characters {start}..{end}: the range must hold text within the \
         article's {len} characters"
    )]
    BadHighlightRange {
        /// First char asked for.
        start: usize,
        /// One past the last.
        end: usize,
        /// Chars in the canonical text.
        len: usize,
    },
    /// Stored data could not be decoded (the file was changed by hand or is damaged).
    #[error("damaged library data: {0}")]
    Corrupt(String),
    /// Re-reading a stored original failed.
    #[error(transparent)]
    Read(#[from] crate::read::ReadError),
    /// Reading or writing a file failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Stored data of the articles to export or merge is damaged; nothing
    /// was written. Names each damaged row (article id, image hash).
    #[error(
        "refusing to {action}: the library has damaged data ({rows}); nothing was written; `folio check` lists all damage"
    )]
    Damaged {
        /// What was refused (`export`, …).
        action: &'static str,
        /// The damaged rows, named.
        rows: String,
    },
    /// An article has no image at this position.
    #[error("article {article} has no image at position {position}")]
    NoSuchImage {
        /// The article.
        article: ArticleId,
        /// The position asked for (counting from 0).
        position: usize,
    },
    /// Bytes offered as an image are not one.
    #[error("not an image: {0}")]
    BadImage(String),
    /// An import stopped part way (the disk is full, the library cannot be
    /// written): what was committed before stays, nothing else was stored.
    #[error(
        "the import stopped: {reason}. {} article(s) were imported before it stopped \
         and are safe in the library; {} file(s) were not imported",
        report.imported + report.updated,
        report.files.saturating_sub(report.imported + report.updated + report.duplicates)
    )]
    ImportStopped {
        /// Why it stopped.
        reason: String,
        /// What was done before it stopped (committed articles only).
        report: Box<ImportReport>,
    },
}

impl From<rusqlite::Error> for LibraryError {
    fn from(err: rusqlite::Error) -> Self {
        Self::Sqlite(err)
    }
}

/// Shorthand for results of this module.
pub type Result<T, E = LibraryError> = std::result::Result<T, E>;

/// SQLite's own message for `err`, once: never the SQL text a statement
/// failed in, never the error code repeated.
pub fn sqlite_reason(err: &rusqlite::Error) -> String {
    match err {
        rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
        rusqlite::Error::SqliteFailure(code, None) => {
            rusqlite::ffi::code_to_str(code.extended_code).to_owned()
        }
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

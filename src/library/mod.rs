//! The library: one SQLite file holding every article, its original saved file,
//! images, tags, notes and a full-text index. This is the only module that
//! holds SQL.
//!
//! Promises:
//! * every article is stored whole or not at all (one transaction or savepoint);
//! * a plain `sqlite3` can read and search the file: no custom SQL functions,
//!   FTS5 kept in step by triggers over the `search_text` table;
//! * a search for any Chinese (or Japanese, Korean) string finds exactly the
//!   articles whose title, body, captions or notes contain it (see [`segment`]),
//!   Simplified and Traditional characters and character widths folded alike
//!   (see [`fold`]; `exact:` leaves the script as written);
//! * writers take the write lock up front (`BEGIN IMMEDIATE`) and wait up to
//!   [`schema::BUSY_TIMEOUT`], so a GUI and a CLI can write at the same time
//!   without "database is locked" reaching the user;
//! * a library this user cannot write (the file or its folder) is opened
//!   read-only and never changed: reading, searching, exporting and `check`
//!   work, writing fails with [`LibraryError::ReadOnly`]; opening a current
//!   library never waits for a writer;
//! * errors are one sentence: SQLite's message once, never a schema script.
//!
//! Inside, queries are small free functions taking a `&Connection`; outside,
//! [`Library`] wraps the connection.

mod articles;
mod check;
mod collections;
mod exact;
mod export;
pub mod fold;
mod highlights;
mod images;
mod import;
mod merge;
mod notes;
mod query;
mod rank;
mod reading;
pub mod schema;
mod search;
pub mod segment;
mod settings;
mod store;
mod tags;
mod trash;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use rusqlite::{Connection, TransactionBehavior};

use crate::model::{Article, ImageData};
use crate::read::Source;

pub use check::CheckReport;
pub use export::{
    ExportError, ExportJob, ExportReport, FOLDER_MARKER, Result as ExportResult, TargetKind,
    TempTarget, mark_folder, remove_stale_partials,
};
pub use highlights::{Colour, Highlight, HighlightId, Reanchored};
pub use images::MissingImage;
pub use import::{ImportOptions, ImportReport, PageError, ReextractReport};
pub use merge::{MAX_MERGE_BLOB_BYTES, MergeError, MergeReport};
pub use query::{MAX_COLLECTION_DEPTH, MAX_EXPANDED_TERMS, MAX_QUERY_CHARS, MAX_QUERY_TERMS};
pub use search::{MatchedIn, RANKED_MATCHES, SearchHit, Snippet, find_highlights, highlight_terms};
pub use segment::segment;

/// A JSON array of ids, for `json_each(?)`: one parameter for a list of any length.
pub(crate) fn json_ids(ids: impl IntoIterator<Item = i64>) -> String {
    let list: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
    format!("[{}]", list.join(","))
}

/// The query that shows the collection `name`.
fn collection_query(name: &str) -> String {
    format!("collection:\"{}\"", name.replace('"', ""))
}
pub use exact::{MAX_EXACT_BYTES, MAX_EXACT_TERMS};
pub use store::{ImportMode, PreparedArticle, StoreOutcome};
pub use tags::{MAX_TAG_CHARS, MAX_TAG_DEPTH};

/// The id of an article in a library (its `articles.id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleId(pub i64);

impl std::fmt::Display for ArticleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for ArticleId {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse().map(Self)
    }
}

/// `ids` without repeats, in the order first seen: what every command that
/// takes ids works on, so `1,1,2` exports, trashes or counts two articles.
pub fn unique_ids(ids: &[ArticleId]) -> Vec<ArticleId> {
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

/// Progress of a long task (an import, re-extraction, export, merge or
/// image fetch), reported after each item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Items finished (stored, skipped or failed).
    pub done: usize,
    /// Items in all.
    pub total: usize,
    /// The file just finished, when importing files.
    pub path: Option<PathBuf>,
}

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
    #[error("database error: {}", schema::sqlite_reason(.0))]
    Sqlite(rusqlite::Error),
    /// No live or trashed article has this id.
    #[error("no article with id {0}")]
    NoSuchArticle(ArticleId),
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

/// A size or index as an SQLite integer (saturating; no real size comes near).
pub(crate) fn sql_int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Shorthand for results of this module.
pub type Result<T, E = LibraryError> = std::result::Result<T, E>;

/// The orders [`Library::list`] can sort by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Newest publication date first (undated last).
    #[default]
    Date,
    /// Title, A to Z (case-insensitive).
    Title,
    /// Most recently added first.
    Added,
    /// Site name A to Z, newest first within a site.
    Site,
}

/// What a list or search result is sorted by ([`SortOrder`]).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    /// Best match first (bm25, see [`RANKED_MATCHES`]); only meaningful with
    /// text in the query: without, the newest publication date first.
    /// Always best first: the direction is ignored.
    Relevance,
    /// Publication date (undated last either way).
    #[default]
    Date,
    /// Title (case-insensitive).
    Title,
    /// When it was added.
    Added,
    /// Site name (case-insensitive; articles without one last either way),
    /// newest first within a site.
    Site,
}

/// A sort order: a key and a direction. Every order but relevance walks an
/// index of the live articles (see `sql/v4.sql`), so the first page of a
/// 100,000-article list needs no sort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SortOrder {
    /// The key.
    pub by: SortBy,
    /// Ascending (oldest, A to Z) rather than descending (newest, Z to A).
    pub ascending: bool,
}

impl SortOrder {
    /// `by` in its usual direction: newest first for dates, A to Z for
    /// titles and sites, best first for relevance.
    pub fn new(by: SortBy) -> Self {
        Self {
            by,
            ascending: matches!(by, SortBy::Title | SortBy::Site),
        }
    }

    /// `by`, ascending.
    pub fn asc(by: SortBy) -> Self {
        Self {
            by,
            ascending: true,
        }
    }

    /// `by`, descending.
    pub fn desc(by: SortBy) -> Self {
        Self {
            by,
            ascending: false,
        }
    }
}

impl Default for SortOrder {
    fn default() -> Self {
        Self::new(SortBy::Date)
    }
}

impl From<Sort> for SortOrder {
    fn from(sort: Sort) -> Self {
        Self::new(match sort {
            Sort::Date => SortBy::Date,
            Sort::Title => SortBy::Title,
            Sort::Added => SortBy::Added,
            Sort::Site => SortBy::Site,
        })
    }
}

impl From<SortBy> for SortOrder {
    fn from(by: SortBy) -> Self {
        Self::new(by)
    }
}

/// The reading state of an article.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadingState {
    /// When it was marked read (UTC, RFC 3339); `None` while unread.
    pub read_at: Option<String>,
    /// Starred by the user.
    pub starred: bool,
    /// The saved reading position, a fraction 0..=1 of the article.
    pub position: Option<f64>,
}

/// A saved search ([`Library::save_collection`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collection {
    /// Its name as written.
    pub name: String,
    /// The query it saves (the language of [`Library::list`]).
    pub query: String,
    /// When it was created (UTC, RFC 3339).
    pub created_at: String,
}

/// A collection with its live count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectionCount {
    /// The collection.
    pub collection: Collection,
    /// Live articles its query matches; `None` when the query cannot be run
    /// (then `error` says why).
    pub count: Option<u64>,
    /// Why the query cannot be run (a collection it names was deleted, …).
    pub error: Option<String>,
}

/// Live articles published in one month: a bar of [`Library::timeline`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthCount {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// Matching live articles published that month.
    pub count: u64,
}

/// A query's matches by month of publication ([`Library::timeline`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Months with at least one match, oldest first.
    pub months: Vec<MonthCount>,
    /// Matches with no (readable) publication date.
    pub undated: u64,
}

/// Everything the status bar and the library pane count, in one call
/// ([`Library::overview`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overview {
    /// Live articles.
    pub articles: u64,
    /// Live articles not marked read.
    pub unread: u64,
    /// Live starred articles.
    pub starred: u64,
    /// Articles in the trash.
    pub trashed: u64,
    /// Every collection with its count, sorted by name.
    pub collections: Vec<CollectionCount>,
    /// The tag hierarchy with counts ([`Library::tag_tree`]).
    pub tags: Vec<TagNode>,
    /// The newest article id counted: [`Change::Appended`] counts only the
    /// articles after it.
    pub newest: i64,
}

/// What some articles contribute to an [`Overview`]'s reading counts and to
/// its collections that use `is:`: taken before and after marking them
/// ([`Library::marked_part`]), the difference updates the overview
/// ([`Library::overview_marked`]) at the cost of counting those articles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkedPart {
    unread: u64,
    starred: u64,
    /// By the previous overview's collections: the count among the
    /// articles, for those whose query uses `is:`.
    collections: Vec<Option<u64>>,
    newest: i64,
}

/// What changed in a library since an [`Overview`] was counted: what
/// [`Library::overview_after`] counts again (the rest is kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Articles were marked read, unread, starred or not: the unread and
    /// starred counts and the collections whose queries use `is:`.
    Reading,
    /// Tags were added, removed, renamed, coloured or deleted: the tag tree
    /// and the collections whose queries use `tag:`.
    Tags,
    /// Notes, highlights or comments changed: the collections whose queries
    /// have words (notes and comments are searched) or `has:`.
    Annotations,
    /// Collections were saved, renamed or deleted: the new or changed ones.
    Collections,
    /// Only new articles were added (an import that replaced nothing):
    /// each count grows by what the new articles add to it.
    Appended,
    /// Anything else (trash, restore, merge, re-extraction): all of it.
    Everything,
}

/// One row of the article list: what a list or a search hit shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleSummary {
    /// The article's id.
    pub id: ArticleId,
    /// Its title.
    pub title: String,
    /// Publication date as stored (`YYYY-MM-DD` or RFC 3339).
    pub published: Option<String>,
    /// Site name.
    pub site: Option<String>,
    /// URL as the page stated it.
    pub url: Option<String>,
    /// Language tag.
    pub lang: Option<String>,
    /// The user's tags, sorted by name (case-insensitive).
    pub tags: Vec<String>,
    /// The saved file's name.
    pub source_file: String,
    /// When the article was added (UTC, RFC 3339).
    pub added_at: String,
    /// True when the article has a note.
    pub has_note: bool,
    /// The sha256 of the first stored image, to show its [`Library::thumbnail`].
    pub thumbnail_sha256: Option<String>,
    /// Marked read.
    pub read: bool,
    /// Starred.
    pub starred: bool,
}

/// An article as stored, with everything the reader and inspector show.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredArticle {
    /// The article's id.
    pub id: ArticleId,
    /// The article; images whose bytes are stored have `data` filled in.
    pub article: Article,
    /// The user's tags, sorted by name (case-insensitive).
    pub tags: Vec<String>,
    /// The note (Markdown), if any.
    pub note: Option<String>,
    /// The saved file's name.
    pub source_file: String,
    /// The saved file's format, as `read::Format::as_str` names it.
    pub source_format: String,
    /// sha256 (hex) of the normalized text, used to find duplicates.
    pub content_hash: String,
    /// When the article was added (UTC, RFC 3339).
    pub added_at: String,
    /// When it was last re-extracted or updated (UTC, RFC 3339).
    pub updated_at: String,
    /// When it was put in the trash, if it is there.
    pub deleted_at: Option<String>,
    /// The sha256 of each body image in order (`None` for images known only by URL).
    pub image_sha256: Vec<Option<String>>,
    /// The article's highlights by position, orphans (flagged) last.
    pub highlights: Vec<Highlight>,
    /// Read, starred, reading position.
    pub reading: ReadingState,
}

/// A user tag with the number of live articles carrying it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagCount {
    /// The tag's name as first written.
    pub name: String,
    /// Live (not trashed) articles with the tag.
    pub count: u64,
    /// Its colour (`#rrggbb`), if one was set.
    pub colour: Option<String>,
}

/// One node of the tag hierarchy ([`Library::tag_tree`]): a tag, or a parent
/// that is only the path of tags below it (`research` while only
/// `research/2021` exists).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagNode {
    /// The full path as first written (`research/2021`): what `tag:` takes.
    pub name: String,
    /// The last part of the path (`2021`), to show in a tree.
    pub label: String,
    /// 0 for a top-level tag, 1 for its children, …
    pub depth: usize,
    /// False for a parent that is only a path (no tag of that name).
    pub exists: bool,
    /// Live articles carrying this tag itself.
    pub count: u64,
    /// Live articles carrying this tag or any tag below it, each counted once:
    /// what `tag:NAME` finds.
    pub total: u64,
    /// The colour to show: its own, else the nearest ancestor's.
    pub colour: Option<String>,
    /// Its own colour, if one was set.
    pub own_colour: Option<String>,
}

/// Counts and sizes of a library.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Articles not in the trash.
    pub articles: u64,
    /// Articles in the trash.
    pub trashed: u64,
    /// Distinct stored images.
    pub images: u64,
    /// Total bytes of stored images.
    pub image_bytes: u64,
    /// Total compressed bytes of stored originals and resources.
    pub original_bytes: u64,
    /// Distinct user tags.
    pub tags: u64,
    /// Articles with a note.
    pub notes: u64,
    /// Highlights of live articles.
    pub highlights: u64,
    /// Those of them that could not be found again after their article's
    /// body changed (kept, flagged).
    pub orphans: u64,
    /// Live articles not marked read.
    pub unread: u64,
    /// Live starred articles.
    pub starred: u64,
    /// Saved searches.
    pub collections: u64,
    /// Copies of articles kept besides the copy shown (schema v7): an
    /// earlier copy a richer one replaced, a merged library's differing copy.
    pub kept_copies: u64,
    /// Size of the database file (pages × page size).
    pub file_bytes: u64,
    /// Schema version.
    pub schema_version: i32,
}

/// A Folio library: one SQLite file (or an in-memory database).
///
/// Reading methods take `&self`; writing methods take `&mut self` and each
/// commits whole or not at all.
pub struct Library {
    conn: Connection,
    path: Option<PathBuf>,
    /// Opened read-only: every writing method fails with [`LibraryError::ReadOnly`].
    read_only: bool,
    /// Every live article's month, for the timeline, while the library is
    /// unchanged.
    months: std::sync::Mutex<Option<articles::MonthIndex>>,
    /// A second, read-only connection to the file, opened the first time a
    /// count is split over two cores ([`articles::count_on_two`]); `None`
    /// in memory or when it cannot be opened.
    helper: std::sync::OnceLock<Option<std::sync::Mutex<Connection>>>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl Library {
    /// Open the library at `path`, creating it when missing and upgrading an
    /// older schema. Refuses SQLite files of other programs.
    ///
    /// When this user cannot write the file or its folder
    /// ([`schema::decide_access`]), the library is opened read-only instead
    /// (see [`Library::open_read_only`]; [`Library::is_read_only`] tells).
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with_progress(path, None)
    }

    /// [`Library::open`], telling `progress` how an upgrade goes (see
    /// [`schema::UpgradeProgress`]): a library of 100,000 articles takes a
    /// while to upgrade to schema version 5, whose index is rebuilt folded.
    pub fn open_with_progress(
        path: &Path,
        progress: Option<schema::UpgradeProgress<'_>>,
    ) -> Result<Self> {
        let opened = schema::open_auto(path, progress)?;
        Ok(Self {
            conn: opened.conn,
            path: Some(path.to_owned()),
            read_only: opened.read_only,
            months: std::sync::Mutex::default(),
            helper: std::sync::OnceLock::new(),
        })
    }

    /// Open the existing library at `path` for reading only: nothing in the
    /// file is changed, and every writing method fails with
    /// [`LibraryError::ReadOnly`]. Listing, searching, showing, exporting,
    /// checking and counting all work. A WAL library in a folder where
    /// SQLite cannot create its `-shm` file is opened with `immutable=1`. A
    /// library that needs an upgrade fails with [`LibraryError::ReadOnlyUpgrade`].
    pub fn open_read_only(path: &Path) -> Result<Self> {
        Ok(Self {
            conn: schema::open_read_only(path)?,
            path: Some(path.to_owned()),
            read_only: true,
            months: std::sync::Mutex::default(),
            helper: std::sync::OnceLock::new(),
        })
    }

    /// A new, empty library held in memory only.
    pub fn open_in_memory() -> Result<Self> {
        Ok(Self {
            conn: schema::open_in_memory()?,
            path: None,
            read_only: false,
            months: std::sync::Mutex::default(),
            helper: std::sync::OnceLock::new(),
        })
    }

    /// The file this library lives in (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A number that changes whenever another connection (another process,
    /// or this process's import thread) has committed a change to the file
    /// since this connection last looked (SQLite's `PRAGMA data_version`);
    /// this connection's own commits leave it alone. The window's worker
    /// polls it to show what a second `folio` process imported.
    pub fn data_version(&self) -> Result<i64> {
        Ok(articles::library_stamp(&self.conn)?.0)
    }

    /// True when the library was opened read-only (see [`Library::open`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Fail with [`LibraryError::ReadOnly`] when the library is read-only.
    fn writable(&self) -> Result<()> {
        if self.read_only {
            return Err(LibraryError::ReadOnly {
                path: self.path.clone().unwrap_or_default(),
            });
        }
        Ok(())
    }

    /// Run `f` in a write transaction taken with `BEGIN IMMEDIATE`.
    fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        self.writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    // ---- storing ----------------------------------------------------------

    /// Store one extracted article with its source (original bytes and
    /// resources), in one transaction.
    ///
    /// A duplicate is an article with the same canonical URL or the same
    /// normalized text (trashed articles count). With
    /// [`ImportMode::SkipDuplicates`] nothing is written; with
    /// [`ImportMode::Update`] the stored article is replaced in place, keeping
    /// its tags, note and added date.
    pub fn store_article(
        &mut self,
        source: &Source,
        article: &Article,
        mode: ImportMode,
    ) -> Result<StoreOutcome> {
        let prepared = PreparedArticle::new(source, article);
        self.write(|tx| store::store_prepared(tx, &prepared, mode))
    }

    /// Store an article prepared with [`PreparedArticle::new`] (which does the
    /// hashing, compression and thumbnails, and may run on another thread).
    pub fn store_prepared(
        &mut self,
        prepared: &PreparedArticle,
        mode: ImportMode,
    ) -> Result<StoreOutcome> {
        self.write(|tx| store::store_prepared(tx, prepared, mode))
    }

    /// Import saved pages: files and folders (walked with
    /// [`crate::read::discover_files`]).
    ///
    /// Files are read and extracted in parallel; one writer commits them in
    /// batches, each article in its own savepoint. A file that cannot be read
    /// is reported in [`ImportReport::failed`] and skipped. `progress` is called
    /// on this thread after each file; setting `cancel` stops the import after
    /// committing what was done.
    pub fn import_paths(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: &dyn Fn(&Progress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        self.writable()?;
        import::import_paths(&mut self.conn, paths, options, progress, cancel)
    }

    /// Re-run extraction from the stored originals of `ids` (all live and
    /// trashed articles when `None`; a repeated id counts once), keeping tags,
    /// notes and dates.
    pub fn reextract(
        &mut self,
        ids: Option<&[ArticleId]>,
        progress: &dyn Fn(&Progress),
        cancel: &AtomicBool,
    ) -> Result<ReextractReport> {
        self.writable()?;
        import::reextract(&mut self.conn, ids, progress, cancel)
    }

    // ---- reading ----------------------------------------------------------

    /// Full-text search with filters, best match first (see [`Library::list`]
    /// for the query language). Trashed articles are not found.
    pub fn search(&self, query: &str, limit: usize, offset: usize) -> Result<Vec<SearchHit>> {
        search::search(
            &self.conn,
            query,
            SortOrder::new(SortBy::Relevance),
            limit,
            offset,
        )
    }

    /// [`Library::search`] in the order `order`: relevance (best first; the
    /// newest first when the query has no text) or any list order, each hit
    /// with its snippet.
    pub fn search_sorted(
        &self,
        query: &str,
        order: impl Into<SortOrder>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<SearchHit>> {
        search::search(&self.conn, query, order.into(), limit, offset)
    }

    /// True when `query` has text to rank its matches by (so [`Library::search`]
    /// orders by relevance); false for filters only, or only excluded words,
    /// which [`Library::list`] sorts as asked.
    pub fn query_ranks(query: &str) -> Result<bool> {
        Ok(query::compile(&query::parse(query)?, true).fts.is_some())
    }

    /// [`Library::query_ranks`] with the query's collections expanded: true
    /// for `collection:NAME` when that collection's query has text.
    pub fn ranks(&self, query: &str) -> Result<bool> {
        Ok(query::compile(&query::parse_for(&self.conn, query)?, true)
            .fts
            .is_some())
    }

    /// A page of live articles, sorted by `sort`, optionally filtered by a query.
    ///
    /// Query language: words and CJK strings must all occur (`小米 主板`);
    /// `"exact phrase"`; `-word` excludes; `tag:NAME` (`tag:"two words"`),
    /// `-tag:NAME`, `site:TEXT`, `lang:zh`, `after:YYYY-MM-DD` (inclusive),
    /// `before:YYYY-MM-DD` (exclusive); `is:read`, `is:unread`,
    /// `is:starred`; `collection:NAME` (a saved search); `A OR B` between any
    /// two terms. `tag:research` also finds the tags below it
    /// (`research/2021`).
    ///
    /// `sort` is a [`Sort`] or a [`SortOrder`] (with a direction); relevance
    /// ranks as [`Library::search`] does when the query has text.
    pub fn list(
        &self,
        query: Option<&str>,
        sort: impl Into<SortOrder>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<ArticleSummary>> {
        let order = sort.into();
        if order.by == SortBy::Relevance
            && let Some(query) = query
        {
            // Ranked as a search is, without the snippets a list does not show.
            let (rows, _) = search::ranked_rows(&self.conn, query, order, limit, offset)?;
            return Ok(rows.into_iter().map(|(summary, _)| summary).collect());
        }
        articles::list(&self.conn, query, order, limit, offset)
    }

    /// The articles in the trash, most recently trashed first.
    pub fn list_trash(&self, limit: usize, offset: usize) -> Result<Vec<ArticleSummary>> {
        articles::list_trash(&self.conn, limit, offset)
    }

    /// How many live articles match `query` (all live articles when `None`).
    pub fn count(&self, query: Option<&str>) -> Result<u64> {
        let parsed = query::parse_for(&self.conn, query.unwrap_or(""))?;
        articles::count_on_two(&self.conn, &|| self.helper(), &parsed)
    }

    /// The second connection [`Library::count`] splits a count with.
    fn helper(&self) -> Option<&std::sync::Mutex<Connection>> {
        self.helper
            .get_or_init(|| {
                let path = self.path.as_deref()?;
                schema::open_read_only(path).ok().map(std::sync::Mutex::new)
            })
            .as_ref()
    }

    /// How many live articles matching `query` (all when `None`) were
    /// published in each month: the window's timeline. Finds the ids of the
    /// query of [`Library::count`] and buckets them by a month index of the
    /// live articles (the first seven characters of the stored date), which
    /// is built once and again only after the library changed.
    pub fn timeline(&self, query: Option<&str>) -> Result<Timeline> {
        let mut months = self
            .months
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let stamp = articles::library_stamp(&self.conn)?;
        let index = match &mut *months {
            Some(index) if index.stamp == stamp => index,
            slot => slot.insert(articles::month_index(&self.conn, stamp)?),
        };
        articles::timeline(&self.conn, query, index)
    }

    /// The ids of every live article matching `query` (all live articles when
    /// `None`), newest publication date first: what an export of a query writes.
    pub fn matching_ids(&self, query: Option<&str>) -> Result<Vec<ArticleId>> {
        articles::matching_ids(&self.conn, query)
    }

    /// One article with its images' bytes, tags, note and highlights (trashed ones too).
    pub fn article(&self, id: ArticleId) -> Result<StoredArticle> {
        self.stored_article(id, true)
    }

    /// [`Library::article`] without reading the images' bytes (each image's
    /// `data` is `None`; `image_sha256` says which are stored, and
    /// [`Library::image_bytes`] reads one): what a reader loading pictures
    /// one by one needs.
    pub fn article_without_image_bytes(&self, id: ArticleId) -> Result<StoredArticle> {
        self.stored_article(id, false)
    }

    /// An article with its highlights and reading state, its images' bytes
    /// read when `image_bytes`.
    fn stored_article(&self, id: ArticleId, image_bytes: bool) -> Result<StoredArticle> {
        let mut stored = articles::article(&self.conn, id, image_bytes)?;
        stored.highlights = highlights::list_raw(&self.conn, id)?;
        stored.reading = reading::state(&self.conn, id)?;
        Ok(stored)
    }

    /// The original saved file of an article: its name and bytes.
    pub fn original(&self, id: ArticleId) -> Result<(String, Vec<u8>)> {
        articles::original(&self.conn, id)
    }

    /// The bytes of a stored image.
    pub fn image_bytes(&self, sha256: &str) -> Result<Option<ImageData>> {
        articles::image_bytes(&self.conn, sha256)
    }

    /// The thumbnail (at most 256 px, PNG or JPEG) of a stored image, when one
    /// could be made.
    pub fn thumbnail(&self, sha256: &str) -> Result<Option<ImageData>> {
        articles::thumbnail(&self.conn, sha256)
    }

    // ---- tags, notes, trash -----------------------------------------------

    /// Add the user tags `names` to an article (creating tags as needed).
    pub fn add_tags(&mut self, id: ArticleId, names: &[&str]) -> Result<()> {
        self.write(|tx| tags::add_tags(tx, id, names))
    }

    /// Remove the user tags `names` from an article (unknown names are ignored).
    pub fn remove_tags(&mut self, id: ArticleId, names: &[&str]) -> Result<()> {
        self.write(|tx| tags::remove_tags(tx, id, names))
    }

    /// Every user tag with its count of live articles, sorted by name
    /// (case-insensitive). Tags on no article are listed with count 0.
    pub fn tags(&self) -> Result<Vec<TagCount>> {
        tags::tags(&self.conn)
    }

    /// The tag hierarchy with own counts and counts with descendants, depth
    /// first, siblings sorted by name (case-insensitive); see [`TagNode`].
    pub fn tag_tree(&self) -> Result<Vec<TagNode>> {
        tags::tag_tree(&self.conn)
    }

    /// Rename a tag and every tag below it (`research` → `study` makes
    /// `research/2021` → `study/2021`); a tag whose new name exists already
    /// is merged into it. A tag cannot be renamed below itself.
    pub fn rename_tag(&mut self, old: &str, new: &str) -> Result<()> {
        self.write(|tx| {
            // The collections naming the tag follow it (or the rename is
            // refused, naming them), and tags below it move with it.
            collections::follow_tag_rename(tx, old, new)?;
            tags::rename_tag(tx, old, new)
        })
    }

    /// Delete a tag and remove it from every article.
    pub fn delete_tag(&mut self, name: &str) -> Result<()> {
        self.write(|tx| tags::delete_tag(tx, name))
    }

    /// Set (or with `None` clear) a tag's colour, e.g. `#d04040`. Tags below
    /// it without a colour of their own show it ([`TagNode::colour`]).
    pub fn set_tag_colour(&mut self, name: &str, colour: Option<&str>) -> Result<()> {
        self.write(|tx| tags::set_tag_colour(tx, name, colour))
    }

    /// Add (`add`) or remove the user tag `name` on every article of `ids`,
    /// in one transaction (all or none).
    pub fn tag_many(&mut self, ids: &[ArticleId], name: &str, add: bool) -> Result<()> {
        self.write(|tx| {
            for &id in ids {
                if add {
                    tags::add_tags(tx, id, &[name])?;
                } else {
                    tags::remove_tags(tx, id, &[name])?;
                }
            }
            Ok(())
        })
    }

    /// An article's note, if it has one.
    pub fn note(&self, id: ArticleId) -> Result<Option<String>> {
        notes::note(&self.conn, id)
    }

    /// Set an article's note (Markdown); empty or whitespace-only text deletes it.
    /// The note is searchable.
    pub fn set_note(&mut self, id: ArticleId, text: &str) -> Result<()> {
        self.write(|tx| notes::set_note(tx, id, text))
    }

    /// Put an article in the trash: it disappears from lists and searches.
    /// True when it moved (false: it was in the trash already).
    pub fn trash(&mut self, id: ArticleId) -> Result<bool> {
        self.write(|tx| trash::set_trashed(tx, id, true))
    }

    /// Take an article out of the trash. True when it moved (false: it was
    /// not in the trash).
    pub fn restore(&mut self, id: ArticleId) -> Result<bool> {
        self.write(|tx| trash::set_trashed(tx, id, false))
    }

    /// Move every article of `ids` into the trash (`trashed`) or out of it,
    /// in one transaction; returns how many moved.
    pub fn set_trashed_many(&mut self, ids: &[ArticleId], trashed: bool) -> Result<usize> {
        self.write(|tx| {
            let mut moved = 0;
            for &id in ids {
                moved += usize::from(trash::set_trashed(tx, id, trashed)?);
            }
            Ok(moved)
        })
    }

    /// Delete every trashed article for good (with its originals, links and
    /// images no other article uses). Returns how many were deleted.
    pub fn empty_trash(&mut self) -> Result<u64> {
        self.write(|tx| trash::empty_trash(tx))
    }

    // ---- highlights (see `model::anchor`) ----------------------------------

    /// The canonical text of an article's body: what highlight offsets count in.
    pub fn canonical_text(&self, id: ArticleId) -> Result<crate::model::canonical::CanonicalText> {
        highlights::canonical_text(&self.conn, id)
    }

    /// Highlight `range` (chars of [`Library::canonical_text`]) of an article
    /// in `colour`, with a comment (empty for none). Refuses an empty or
    /// whitespace-only range, or one past the text
    /// ([`LibraryError::BadHighlightRange`]).
    pub fn add_highlight(
        &mut self,
        id: ArticleId,
        range: std::ops::Range<usize>,
        colour: Colour,
        comment: &str,
    ) -> Result<Highlight> {
        self.write(|tx| highlights::add(tx, id, range, colour, comment))
    }

    /// One highlight.
    pub fn highlight(&self, id: HighlightId) -> Result<Highlight> {
        highlights::get(&self.conn, id)
    }

    /// The highlights of the articles `ids` (of every live article when
    /// `None`), by article and position, each article's orphans last. Fails
    /// with [`LibraryError::NoSuchArticle`] for an unknown id.
    pub fn highlights(&self, ids: Option<&[ArticleId]>) -> Result<Vec<Highlight>> {
        highlights::list(&self.conn, ids)
    }

    /// Set a highlight's comment (empty deletes it); the comment is
    /// searchable. Returns the highlight as it was (for undo).
    pub fn set_highlight_comment(&mut self, id: HighlightId, comment: &str) -> Result<Highlight> {
        self.write(|tx| highlights::set_comment(tx, id, comment))
    }

    /// Set a highlight's colour. Returns the highlight as it was (for undo).
    pub fn set_highlight_colour(&mut self, id: HighlightId, colour: Colour) -> Result<Highlight> {
        self.write(|tx| highlights::set_colour(tx, id, colour))
    }

    /// Delete a highlight. Returns it whole: [`Library::restore_highlight`]
    /// puts it back (undo).
    pub fn delete_highlight(&mut self, id: HighlightId) -> Result<Highlight> {
        self.write(|tx| highlights::delete(tx, id))
    }

    /// Put back a deleted highlight (with its old id when still free).
    pub fn restore_highlight(&mut self, highlight: &Highlight) -> Result<HighlightId> {
        self.write(|tx| highlights::restore(tx, highlight))
    }

    /// Attach a highlight (an orphan, usually) to `range` of its article's
    /// current text. Returns it as it was.
    pub fn reattach_highlight(
        &mut self,
        id: HighlightId,
        range: std::ops::Range<usize>,
    ) -> Result<Highlight> {
        self.write(|tx| highlights::reattach(tx, id, range))
    }

    // ---- reading state -----------------------------------------------------

    /// Mark `ids` read (now; an article read already keeps its time) or
    /// unread. Returns how many changed; an unknown id fails with
    /// [`LibraryError::NoSuchArticle`] and nothing is changed.
    pub fn mark_read(&mut self, ids: &[ArticleId], read: bool) -> Result<usize> {
        let ids = unique_ids(ids);
        self.write(|tx| reading::set_read(tx, &ids, read))
    }

    /// Star or unstar `ids`. Returns how many changed; an unknown id fails
    /// with [`LibraryError::NoSuchArticle`] and nothing is changed.
    pub fn set_starred(&mut self, ids: &[ArticleId], starred: bool) -> Result<usize> {
        let ids = unique_ids(ids);
        self.write(|tx| reading::set_starred(tx, &ids, starred))
    }

    /// Save the reading position of an article, a fraction 0..=1 (`None`
    /// clears it); anything else fails with [`LibraryError::BadPosition`].
    pub fn set_reading_position(&mut self, id: ArticleId, position: Option<f64>) -> Result<()> {
        self.write(|tx| reading::set_position(tx, id, position))
    }

    /// The reading state of an article (read, starred, position).
    pub fn reading_state(&self, id: ArticleId) -> Result<ReadingState> {
        tags::ensure_article(&self.conn, id)?;
        reading::state(&self.conn, id)
    }

    // ---- collections (saved searches) --------------------------------------

    /// Every collection, sorted by name (case-insensitive).
    pub fn collections(&self) -> Result<Vec<Collection>> {
        collections::list(&self.conn)
    }

    /// Save `query` as the collection `name` (replacing the query of the
    /// collection of that name, if any). The query must parse and must not
    /// refer to the collection itself, directly or through others
    /// ([`LibraryError::Query`]). True when it was created.
    pub fn save_collection(&mut self, name: &str, query: &str) -> Result<bool> {
        self.write(|tx| collections::save(tx, name, query))
    }

    /// Delete the collection `name` ([`LibraryError::NoSuchCollection`] if none).
    pub fn remove_collection(&mut self, name: &str) -> Result<()> {
        self.write(|tx| collections::remove(tx, name))
    }

    /// Rename a collection, and the `collection:` references to it in the
    /// others' queries. Fails with [`LibraryError::CollectionExists`] when
    /// another collection has the new name.
    pub fn rename_collection(&mut self, old: &str, new: &str) -> Result<()> {
        self.write(|tx| collections::rename(tx, old, new))
    }

    /// Every collection with its live count (a collection whose query
    /// cannot be run has its error instead of a count).
    pub fn collection_counts(&self) -> Result<Vec<CollectionCount>> {
        collections::list(&self.conn)?
            .into_iter()
            .map(|c| self.collection_count(c))
            .collect()
    }

    /// The counts the status bar and the library pane show, read in one
    /// snapshot: articles, unread, starred, trashed, every collection's
    /// count and the tag tree.
    pub fn overview(&self) -> Result<Overview> {
        let _snapshot = self.snapshot()?;
        let (articles, unread, starred) = reading::counts(&self.conn)?;
        Ok(Overview {
            articles,
            unread,
            starred,
            trashed: check::trashed(&self.conn)?,
            collections: self.collection_counts()?,
            tags: tags::tag_tree(&self.conn)?,
            newest: self.newest_article()?,
        })
    }

    /// [`Library::overview`] after `change`, counting again only what the
    /// change can touch and keeping the rest of `previous` (which must be
    /// this library's overview from before the change). After an import
    /// that replaced nothing ([`Change::Appended`]) every count grows by
    /// what the new articles add, so it costs what they cost, not what the
    /// library does.
    pub fn overview_after(&self, previous: &Overview, change: Change) -> Result<Overview> {
        use query::Atom;
        let _snapshot = self.snapshot()?;
        let mut next = previous.clone();
        if change != Change::Appended && self.newest_article()? != previous.newest {
            // Articles came or went besides this change (an import on
            // another connection): count everything.
            return self.overview();
        }
        match change {
            Change::Everything => return self.overview(),
            Change::Reading => {
                (_, next.unread, next.starred) = reading::counts(&self.conn)?;
                next.collections = self.recount(previous, &|a| matches!(a, Atom::Is(_)))?;
            }
            Change::Tags => {
                next.tags = tags::tag_tree(&self.conn)?;
                next.collections =
                    self.recount(previous, &|a| matches!(a, Atom::Tag(_) | Atom::TagIds(..)))?;
            }
            Change::Annotations => {
                next.collections = self.recount(previous, &|a| {
                    matches!(
                        a,
                        Atom::Text { .. }
                            | Atom::Exact { .. }
                            | Atom::Ids(_)
                            | Atom::HasNote
                            | Atom::HasHighlights
                    )
                })?;
            }
            Change::Collections => next.collections = self.recount(previous, &|_| false)?,
            Change::Appended => {
                let since = previous.newest;
                next.newest = self.newest_article()?;
                if next.newest < since {
                    // Articles were deleted since: not an append.
                    return self.overview();
                }
                let (all, live, unread, starred) =
                    reading::counts_of(&self.conn, &reading::Among::After(since))?;
                next.articles += live;
                next.unread += unread;
                next.starred += starred;
                // Added straight into the trash (a merge of trashed articles).
                next.trashed += all.saturating_sub(live);
                let added = tags::tag_tree_since(&self.conn, since)?;
                let same_tree = added.len() == previous.tags.len()
                    && added
                        .iter()
                        .zip(&previous.tags)
                        .all(|(a, b)| a.name == b.name);
                next.tags = if same_tree {
                    added
                        .into_iter()
                        .zip(&previous.tags)
                        .map(|(mut node, old)| {
                            node.count += old.count;
                            node.total += old.total;
                            node
                        })
                        .collect()
                } else {
                    tags::tag_tree(&self.conn)?
                };
                next.collections = Vec::new();
                for collection in collections::list(&self.conn)? {
                    let kept = previous
                        .collections
                        .iter()
                        .find(|c| c.collection == collection && c.count.is_some());
                    next.collections.push(match kept {
                        Some(old) => {
                            let query = collection_query(&collection.name);
                            let parsed = query::parse_for(&self.conn, &query)?;
                            let added = articles::count_since(&self.conn, &parsed, since)?;
                            CollectionCount {
                                count: old.count.map(|n| n + added),
                                ..old.clone()
                            }
                        }
                        None => self.collection_count(collection)?,
                    });
                }
            }
        }
        Ok(next)
    }

    /// What the articles `ids` contribute to `previous`'s unread and starred
    /// counts and to its collections whose queries use `is:` (see
    /// [`MarkedPart`]).
    pub fn marked_part(&self, previous: &Overview, ids: &[ArticleId]) -> Result<MarkedPart> {
        let _snapshot = self.snapshot()?;
        let (_, _, unread, starred) = reading::counts_of(&self.conn, &reading::Among::Ids(ids))?;
        let mut collections = Vec::with_capacity(previous.collections.len());
        for entry in &previous.collections {
            let reading = entry
                .count
                .and_then(|_| {
                    query::parse_for(&self.conn, &collection_query(&entry.collection.name)).ok()
                })
                .filter(|q| query::any_atom(q, &|a| matches!(a, query::Atom::Is(_))));
            collections.push(match reading {
                Some(parsed) => Some(articles::count_among(&self.conn, &parsed, ids)?),
                None => None,
            });
        }
        Ok(MarkedPart {
            unread,
            starred,
            collections,
            newest: self.newest_article()?,
        })
    }

    /// `previous` after marking articles whose [`MarkedPart`]s were `before`
    /// and `after` the marking: their difference applied. Counted again
    /// whole ([`Change::Reading`]) when anything else changed meanwhile.
    pub fn overview_marked(
        &self,
        previous: &Overview,
        before: &MarkedPart,
        after: &MarkedPart,
    ) -> Result<Overview> {
        let same_collections = collections::list(&self.conn)?
            .iter()
            .eq(previous.collections.iter().map(|c| &c.collection));
        if before.newest != previous.newest
            || after.newest != previous.newest
            || !same_collections
            || before.collections.len() != previous.collections.len()
            || after.collections.len() != previous.collections.len()
        {
            return self.overview_after(previous, Change::Reading);
        }
        let apply = |n: u64, b: u64, a: u64| (n + a).saturating_sub(b);
        let mut next = previous.clone();
        next.unread = apply(previous.unread, before.unread, after.unread);
        next.starred = apply(previous.starred, before.starred, after.starred);
        for ((entry, b), a) in next
            .collections
            .iter_mut()
            .zip(&before.collections)
            .zip(&after.collections)
        {
            if let (Some(n), Some(b), Some(a)) = (entry.count, b, a) {
                entry.count = Some(apply(n, *b, *a));
            }
        }
        Ok(next)
    }

    /// The collections with their counts: kept from `previous` when the
    /// collection is unchanged there and its query has no atom that
    /// `touched` says the change reached; counted again otherwise.
    fn recount(
        &self,
        previous: &Overview,
        touched: &dyn Fn(&query::Atom) -> bool,
    ) -> Result<Vec<CollectionCount>> {
        let mut out = Vec::new();
        for collection in collections::list(&self.conn)? {
            let old = previous
                .collections
                .iter()
                .find(|c| c.collection == collection && c.count.is_some());
            let parsed = query::parse_for(&self.conn, &collection_query(&collection.name));
            let reached = parsed
                .as_ref()
                .map_or(true, |q| query::any_atom(q, &|a| touched(a)));
            out.push(match old {
                Some(old) if !reached => old.clone(),
                _ => self.count_collection(collection, parsed)?,
            });
        }
        Ok(out)
    }

    /// One collection with its live count (or the reason it cannot run).
    fn collection_count(&self, collection: Collection) -> Result<CollectionCount> {
        let parsed = query::parse_for(&self.conn, &collection_query(&collection.name));
        self.count_collection(collection, parsed)
    }

    /// [`Library::collection_count`] with the collection's query already
    /// parsed (`Err` when it cannot be).
    fn count_collection(
        &self,
        collection: Collection,
        parsed: Result<query::Query>,
    ) -> Result<CollectionCount> {
        let counted =
            parsed.and_then(|q| articles::count_on_two(&self.conn, &|| self.helper(), &q));
        let (count, error) = match counted {
            Ok(n) => (Some(n), None),
            Err(LibraryError::Query(reason)) => (None, Some(reason)),
            Err(err) => return Err(err),
        };
        Ok(CollectionCount {
            collection,
            count,
            error,
        })
    }

    /// The newest article's id (0 in an empty library).
    fn newest_article(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM articles")?
            .query_row([], |row| row.get(0))?)
    }

    /// A read transaction when none is open, so several counts see one state.
    fn snapshot(&self) -> Result<Option<rusqlite::Transaction<'_>>> {
        Ok(if self.conn.is_autocommit() {
            Some(self.conn.unchecked_transaction()?)
        } else {
            None
        })
    }

    // ---- export, merge -----------------------------------------------------

    /// Write the articles `ids` (live or trashed; unknown ids are skipped) as a
    /// standalone Folio library at `out`: same schema, with their images,
    /// originals, resources, tags (with colours), source tags, notes and
    /// search index.
    ///
    /// The file is built next to `out` and renamed into place at the end, so
    /// an interrupted export never leaves a partial file under `out`. An
    /// existing `out` is replaced only with `overwrite`, else
    /// [`LibraryError::TargetExists`]. `progress` is called after each chunk
    /// of articles; setting `cancel` stops with [`LibraryError::Cancelled`].
    pub fn export_sqlite(&self, job: &ExportJob<'_>) -> Result<ExportReport, ExportError> {
        self.refuse_own_file(job.out)?;
        export::export_sqlite(&self.conn, self.path.as_deref(), self.read_only, job)
    }

    /// Fail when `out` is this library's own file, or a folder holding it:
    /// an export must never replace either.
    pub fn refuse_own_file(&self, out: &Path) -> Result<(), ExportError> {
        let (Some(own), Ok(out_real)) = (&self.path, out.canonicalize()) else {
            return Ok(());
        };
        let Ok(own) = own.canonicalize() else {
            return Ok(());
        };
        if own == out_real || own.starts_with(&out_real) {
            return Err(ExportError::OwnLibrary {
                path: out.to_owned(),
                holds: own != out_real,
            });
        }
        Ok(())
    }

    /// Bring another library file's articles into this one, in one
    /// transaction (all or nothing).
    ///
    /// The file is treated as untrusted (see [`MergeReport`] and the `merge`
    /// module): opened read-only and defensively, its identity, schema,
    /// integrity and sizes checked before any row is read; a file that fails
    /// is refused with [`MergeError::Untrusted`]. Duplicates (same canonical
    /// URL or text) are not added again: their tags are unioned and a
    /// differing note is appended under a line naming the file.
    pub fn merge_from(
        &mut self,
        path: &Path,
        progress: &dyn Fn(&Progress),
        cancel: &AtomicBool,
    ) -> Result<MergeReport, MergeError> {
        self.writable()?;
        merge::merge_from(&mut self.conn, path, progress, cancel)
    }

    // ---- settings, maintenance --------------------------------------------

    /// A stored setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        settings::setting(&self.conn, key)
    }

    /// Store a setting (replacing any old value).
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| settings::set_setting(tx, key, value))
    }

    /// Every stored setting as `(key, value)`, sorted by key.
    pub fn settings(&self) -> Result<Vec<(String, String)>> {
        images::settings(&self.conn)
    }

    // ---- missing images (fetched on request, see `crate::fetch`) ----------

    /// The body images whose bytes the library does not hold, for the
    /// articles `ids` (every live article when `None`), by article then
    /// position. Fails with [`LibraryError::NoSuchArticle`] for an unknown id.
    pub fn missing_images(&self, ids: Option<&[ArticleId]>) -> Result<Vec<MissingImage>> {
        images::missing_images(&self.conn, ids)
    }

    /// Store `bytes` (an image of type `mime`) as the image at `position` of
    /// `article`, like an image that came with the page: content-addressed,
    /// with sizes and a thumbnail, so it shows offline from then on (and
    /// survives a re-extraction). Returns its sha256.
    ///
    /// The bytes are decoded first; bytes that are not an image are refused
    /// with [`LibraryError::BadImage`]. On any failure nothing is written.
    pub fn store_fetched_image(
        &mut self,
        article: ArticleId,
        position: usize,
        bytes: &[u8],
        mime: &str,
    ) -> Result<String> {
        self.writable()?;
        let blob = images::prepare_blob(bytes, mime)?;
        self.write(|tx| images::store_fetched(tx, article, position, &blob))
    }

    /// How many highlights of live articles are orphaned (one query; what
    /// `folio check` reports without the cost of [`Library::stats`]).
    pub fn orphaned_highlights(&self) -> Result<u64> {
        Ok(highlights::counts(&self.conn)?.1)
    }

    /// Counts and sizes.
    pub fn stats(&self) -> Result<Stats> {
        check::stats(&self.conn)
    }

    /// Problems found: `PRAGMA integrity_check`, foreign keys, the FTS index,
    /// Folio's own invariants (every article has a readable body, a search
    /// row and an original, image links match the body), and every stored
    /// original, resource and image verified (see [`Library::check_report`]).
    /// Empty when all is well.
    pub fn check(&self) -> Result<Vec<String>> {
        Ok(self.check_report(false)?.problems)
    }

    /// [`Library::check`] with notes on what was not checked. `quick` skips
    /// verifying the stored blobs (originals decompress to their recorded
    /// size, images match their sha256 and size), the slow part on a large
    /// library. Reads the library only (it works on a read-only one); beside
    /// a writable library it also clears the hidden partial files that
    /// interrupted exports left there ([`remove_stale_partials`]).
    pub fn check_report(&self, quick: bool) -> Result<CheckReport> {
        let mut report = check::check(&self.conn, self.read_only, quick)?;
        // What interrupted exports left beside the library (never when it
        // may not be changed).
        if !self.read_only
            && let Some(dir) = self.path.as_deref().and_then(Path::parent)
        {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            for cleared in remove_stale_partials(dir) {
                report.notes.push(format!(
                    "cleared {}, left by an interrupted export",
                    cleared.display()
                ));
            }
        }
        Ok(report)
    }

    /// Fail with [`LibraryError::Damaged`], naming them, when stored data of
    /// the articles `ids` is damaged: with `originals`, their originals and
    /// resources must decompress to their recorded size; always, the images
    /// they use must match their sha256 and size. What an export checks
    /// before it writes anything.
    pub fn verify_for_export(&self, ids: &[ArticleId], originals: bool) -> Result<()> {
        check::refuse_damaged(&self.conn, ids, originals)
    }
}

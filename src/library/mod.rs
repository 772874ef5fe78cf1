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
//! Inside, the order runs one way, from the bottom up (ARCHITECTURE.md has a
//! line per module; `tests/it/architecture.rs` enforces it):
//! * [`error`], [`types`] and [`codec`]: what every other module shares;
//! * the SQL modules, each owning its tables, as small free functions
//!   taking a `&Connection` (`schema`, `store`, `articles`, `query`, …);
//! * [`overview`]: the window's counts over those modules;
//! * [`facade`]: [`Library`], the one door, importing down only.
//!
//! This file is the table of contents: it declares the modules and names
//! what the rest of Folio may use.

mod articles;
mod check;
mod codec;
mod collections;
mod edits;
mod error;
mod exact;
mod export;
mod facade;
pub mod fold;
mod highlights;
mod history;
mod images;
mod import;
mod merge;
mod notes;
mod overview;
mod query;
pub mod query_edit;
mod rank;
mod reading;
mod reindex;
pub mod schema;
mod search;
pub mod segment;
mod settings;
mod store;
mod tags;
mod trash;
mod types;

pub use check::CheckReport;
pub use edits::{EDITABLE, MAX_EDIT_CHARS, check as edits_check};
pub use error::{LibraryError, Result};
pub use exact::{MAX_EXACT_BYTES, MAX_EXACT_TERMS};
pub use export::{ExportError, ExportJob, ExportReport, Result as ExportResult};
pub use facade::Library;
pub use images::MissingImage;
pub use import::{ImportOptions, PageError};
pub use merge::{MAX_MERGE_BLOB_BYTES, MergeError, MergeReport};
pub use query::{
    MAX_COLLECTION_DEPTH, MAX_EXPANDED_TERMS, MAX_QUERY_CHARS, MAX_QUERY_TERMS,
    SYNTAX as QUERY_SYNTAX,
};
pub use search::{
    FindPattern, MAX_FIND_CHARS, MatchedIn, RANKED_MATCHES, SearchHit, Snippet, find_highlights,
    highlight_terms,
};
pub use segment::segment;
pub use store::{ImportMode, PreparedArticle, StoreOutcome};
pub use tags::{MAX_TAG_CHARS, MAX_TAG_DEPTH};
pub use types::{
    ArticleId, ArticleSummary, Change, Collection, CollectionCount, Colour, FieldEdit, Highlight,
    HighlightEntry, HighlightId, HighlightOrder, ImportReport, MarkedPart, MonthCount,
    OriginalFile, Overview, Progress, ReadingState, Reanchored, ReextractReport, SavedCopy, Sort,
    SortBy, SortOrder, Stats, StoredArticle, TagCount, TagNode, TagSnapshot, TagState, Timeline,
    VersionInfo, unique_ids,
};

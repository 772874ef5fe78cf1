//! The plain types the library hands out and takes in (ids, summaries,
//! counts, sort orders, progress). The bottom of the library beside
//! [`super::error`]: no SQL here.

use std::path::PathBuf;

use crate::model::Article;
use crate::model::anchor::{TextPositionSelector, TextQuoteSelector};

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
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
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
    pub(super) unread: u64,
    pub(super) starred: u64,
    /// By the previous overview's collections: the count among the
    /// articles, for those whose query uses `is:`.
    pub(super) collections: Vec<Option<u64>>,
    pub(super) newest: i64,
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
    /// How far an unread article was read: its saved reading position (a
    /// fraction of its length), when it has one.
    pub progress: Option<f64>,
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
    /// The details the user corrected (the article's fields hold the
    /// corrected values), with what Folio read.
    pub edits: Vec<FieldEdit>,
    /// The stored original file: its size, SHA-256 and kind. Filled only
    /// where it is shown (the window's inspector, through
    /// [`Library::original_file`](crate::library::Library::original_file)):
    /// hashing reads the whole file.
    pub original: Option<OriginalFile>,
}

/// The original saved file of an article, as the inspector describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginalFile {
    /// Bytes, as imported.
    pub size: u64,
    /// SHA-256 (hex) of the bytes as imported.
    pub sha256: String,
    /// What kind of saved page it is, in words ("Chrome MHTML").
    pub kind: String,
}

/// A detail the user corrected ([`Library::edit_field`](crate::library::Library::edit_field)).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldEdit {
    /// `title`, `published`, `byline`, `editor`, `site` or `url`.
    pub field: String,
    /// The corrected value (`None`: cleared).
    pub value: Option<String>,
    /// What Folio read.
    pub extracted: Option<String>,
    /// When it was corrected (UTC, RFC 3339).
    pub edited_at: String,
}

/// The original saved file of one version of an article, with the
/// resources stored beside it (a folder save's files, a web archive page's
/// images): what "view as saved" serves (`Library::saved_copy`).
#[derive(Clone, Debug)]
pub struct SavedCopy {
    /// The article.
    pub id: ArticleId,
    /// Which version this is, numbered as [`VersionInfo::number`].
    pub version: usize,
    /// How many versions the article has.
    pub versions: usize,
    /// The file's name as saved, no directories.
    pub file_name: String,
    /// The format it was read as (`read::Format::as_str`).
    pub format: String,
    /// The page's address as the copy states it.
    pub url: Option<String>,
    /// The copy's title as Folio read it.
    pub title: String,
    /// When this copy was stored (RFC 3339).
    pub stored_at: String,
    /// The file's bytes as imported.
    pub bytes: Vec<u8>,
    /// Resources stored beside it: the name as the page wrote it, the bytes.
    pub resources: Vec<(String, Vec<u8>)>,
}

/// One version of an article ([`Library::versions`](crate::library::Library::versions)):
/// the copy shown or a kept one, numbered from 1 in the order they were
/// stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VersionInfo {
    /// 1 is the first copy stored.
    pub number: usize,
    /// Whether this is the copy the reader shows.
    pub shown: bool,
    /// The copy's title.
    pub title: String,
    /// Its publication date, as the page states it.
    pub published: Option<String>,
    /// When this copy was stored (UTC, RFC 3339).
    pub imported_at: String,
    /// The saved file's name.
    pub source_file: String,
    /// The saved file's format.
    pub source_format: String,
    /// Bytes of the stored original file, when one is kept.
    pub original_size: Option<u64>,
    /// sha256 (hex) of the normalized text.
    pub content_hash: String,
    /// Paragraphs (units of the canonical text) of its body.
    pub paragraphs: usize,
    /// Images of its body.
    pub images: usize,
    /// Against the version before it: paragraphs added, removed and edited
    /// (0 for the first).
    pub inserted: usize,
    /// See `inserted`.
    pub deleted: usize,
    /// See `inserted`.
    pub changed: usize,
    /// Times an identical copy was imported again.
    pub seen_again: u64,
    /// When this copy's page was captured (RFC 3339), when its file says
    /// so or its file time stands for it.
    pub captured_at: Option<String>,
    /// Where `captured_at` was found (`mhtml-date`, `warc-date`, …).
    pub captured_from: Option<&'static str>,
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

/// The tags at or below some names as they stood, with every collection's
/// query, to put them back ([`Library::tag_snapshot`],
/// [`Library::restore_tags`]): what the window's undo of a tag rename,
/// merge, delete or colour needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagSnapshot {
    /// The names whose trees were read, as given.
    pub roots: Vec<String>,
    /// Every tag at or below them, oldest first.
    pub tags: Vec<TagState>,
    /// Every collection's name and query (a tag rename rewrites them).
    pub collections: Vec<(String, String)>,
}

/// One tag as it stood ([`TagSnapshot`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagState {
    /// Its name as stored.
    pub name: String,
    /// Its own colour, if it had one.
    pub colour: Option<String>,
    /// The articles carrying it (trashed ones too), by id.
    pub articles: Vec<ArticleId>,
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

/// The id of a highlight (its `highlights.id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HighlightId(pub i64);

impl std::fmt::Display for HighlightId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for HighlightId {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        s.trim().parse().map(Self)
    }
}

/// The colours a highlight can have (stored by name).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Colour {
    /// The default.
    #[default]
    Yellow,
    /// Green.
    Green,
    /// Blue.
    Blue,
    /// Pink.
    Pink,
    /// Purple.
    Purple,
    /// Orange.
    Orange,
}

impl Colour {
    /// Every colour, in menu order.
    pub const ALL: [Self; 6] = [
        Self::Yellow,
        Self::Green,
        Self::Blue,
        Self::Pink,
        Self::Purple,
        Self::Orange,
    ];

    /// The stored name (`yellow`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yellow => "yellow",
            Self::Green => "green",
            Self::Blue => "blue",
            Self::Pink => "pink",
            Self::Purple => "purple",
            Self::Orange => "orange",
        }
    }
}

impl std::fmt::Display for Colour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One highlight as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    /// Its id.
    pub id: HighlightId,
    /// The article it belongs to.
    pub article: ArticleId,
    /// Its colour.
    pub colour: Colour,
    /// The comment (Markdown), empty for none.
    pub comment: String,
    /// The quote with its context.
    pub quote: TextQuoteSelector,
    /// Where it is in the canonical text (the last place it was found, for an orphan).
    pub position: TextPositionSelector,
    /// The path of the span it starts in (`3.1`, see [`crate::model::canonical`]).
    pub block_hint: Option<String>,
    /// True when re-anchoring could not find it in the current body.
    pub orphan: bool,
    /// When it was made (UTC, RFC 3339).
    pub created_at: String,
    /// When it was last changed (UTC, RFC 3339).
    pub updated_at: String,
}

/// The order of the library-wide highlights view and `folio highlights`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum HighlightOrder {
    /// Newest first (when made), the default.
    #[default]
    Newest,
    /// By article (newest publication first), each article's highlights by
    /// position, its orphans last.
    ByArticle,
    /// By colour (menu order), each colour newest first.
    ByColour,
}

/// A highlight with what a list of highlights shows of its article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HighlightEntry {
    /// The highlight.
    pub highlight: Highlight,
    /// Its article's title.
    pub title: String,
    /// Its article's site, if known.
    pub site: Option<String>,
    /// Its article's publication date, as the page states it.
    pub published: Option<String>,
    /// Its article's address, as the page states it.
    pub url: Option<String>,
}

/// What a re-anchoring of one article did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reanchored {
    /// Found again (at the same or another place).
    pub anchored: usize,
    /// Not found: flagged as orphans.
    pub orphaned: usize,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Files found to import.
    pub files: usize,
    /// New articles added.
    pub imported: usize,
    /// Existing articles replaced ([`ImportMode::Update`]).
    pub updated: usize,
    /// Files identical to a copy already in the library (the same text and
    /// images): recorded as seen again, nothing else stored.
    pub duplicates: usize,
    /// The ids of the articles added, updated or upgraded, in the order they were stored.
    pub ids: Vec<ArticleId>,
    /// The article of the first path given (the first file stored from it,
    /// when it is a folder), whether it was added, updated or found already
    /// in the library; when that path gave none, the first article stored.
    pub first_article: Option<ArticleId>,
    /// Each file that was a duplicate, with the id of the article already there.
    pub duplicate_of: Vec<(PathBuf, ArticleId)>,
    /// Each file that was a richer copy of an article already there (more
    /// images stored, a longer body, more metadata), with the id of that
    /// article, which it replaced keeping tags, note, highlights and reading state.
    pub upgraded: Vec<(PathBuf, ArticleId)>,
    /// Each file that was another copy of an article already there, differing
    /// in text or images but not richer, with the id of that article: kept as
    /// one of its versions, the copy shown left as it was.
    pub versioned: Vec<(PathBuf, ArticleId)>,
    /// Each file whose article was in the trash, with its id: the import
    /// brought it back (never a duplicate that emptying the trash would then
    /// delete). When the file also became the copy shown it is in `upgraded` too.
    pub restored: Vec<(PathBuf, ArticleId)>,
    /// Each file stored as a new article (counted in `imported`) although a
    /// stored article has its address, with both ids: their texts differ.
    pub separate: Vec<(PathBuf, ArticleId, ArticleId)>,
    /// Files or folders that could not be imported, with the reason.
    pub failed: Vec<(PathBuf, String)>,
    /// Files that are not pages (a README, a text file), with the reason:
    /// left out, not a failure.
    pub skipped: Vec<(PathBuf, String)>,
    /// True when the import was cancelled before every file was done.
    pub cancelled: bool,
}

/// What a re-extraction did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReextractReport {
    /// Articles re-extracted.
    pub updated: usize,
    /// Articles that could not be re-extracted (kept as they were), with the reason.
    pub failed: Vec<(ArticleId, String)>,
    /// True when cancelled before every article was done.
    pub cancelled: bool,
}

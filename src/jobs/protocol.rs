//! The worker's protocol: the [`Command`]s the window sends, the [`Event`]s
//! it gets back, and the long [`Task`]s with their [`CancelToken`]s. Events
//! carry data, never words: the window says what happened in its own text
//! (`app::words`).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::export::highlights::HighlightFormat;
use crate::library::{
    ArticleId, ArticleSummary, Change, Colour, Highlight, HighlightEntry, HighlightId,
    HighlightOrder, ImportReport, MatchedIn, MergeReport, Overview, Snippet, SortOrder,
    StoredArticle, TagSnapshot, Timeline,
};

/// Rows fetched per page of the article list.
pub const PAGE_ROWS: usize = 100;

/// A long task's stop flag, created fresh for each task and set only when
/// that task is cancelled.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// Ask the task to stop after what it has committed.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether the task was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// The flag the library's long operations poll.
    pub(super) fn flag(&self) -> &AtomicBool {
        &self.0
    }
}

/// The kinds of long task, each with its own [`CancelToken`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Task {
    /// [`Command::Import`] and [`Command::ImportSamples`].
    Import,
    /// [`Command::Export`].
    Export,
    /// [`Command::Merge`].
    Merge,
    /// [`Command::FetchImages`].
    Fetch,
}

impl Task {
    /// The name of the thread that runs it.
    pub(super) fn thread_name(self) -> &'static str {
        match self {
            Self::Import => "folio-import",
            Self::Export => "folio-export",
            Self::Merge => "folio-merge",
            Self::Fetch => "folio-fetch",
        }
    }
}

/// Something the GUI asks the worker to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Count the articles matching `query` (the search language of `folio search`).
    Count {
        /// Identifies the list the answer belongs to.
        generation: u64,
        /// Query text, filters included.
        query: String,
    },
    /// Fetch one page of the list.
    Page {
        /// Identifies the list the answer belongs to.
        generation: u64,
        /// Query text, filters included.
        query: String,
        /// The order (relevance ranks only when the query has words).
        sort: SortOrder,
        /// Page number (rows `page * PAGE_ROWS ..`).
        page: usize,
    },
    /// Load an article for the reader.
    Open(ArticleId),
    /// Open the best match of a search (used to show the featured sample).
    OpenFirst(String),
    /// Load version `number` of an article for the reader
    /// ([`Event::VersionOpened`]).
    OpenVersion {
        /// The article.
        id: ArticleId,
        /// The version (from 1).
        number: usize,
    },
    /// Serve a copy of an article as saved (`serve`, started on first use
    /// for this library) and answer with its address ([`Event::AsSaved`]).
    ViewAsSaved {
        /// The article.
        id: ArticleId,
        /// The version, or the copy shown.
        version: Option<usize>,
    },
    /// Compare two versions of an article ([`Event::Compared`]).
    CompareVersions {
        /// The article.
        id: ArticleId,
        /// The older version.
        old: usize,
        /// The newer version.
        new: usize,
    },
    /// Count what the status bar and the library pane show (articles,
    /// unread, starred, trashed, collections, the tag tree), again where
    /// this change reaches.
    LoadOverview(Change),
    /// Add tags to an article.
    AddTag(ArticleId, String),
    /// Correct details of an article (every value checked before any is
    /// written) and put others back as Folio read them.
    EditDetails {
        /// The article.
        id: ArticleId,
        /// `(field, value)`; an empty value clears the field.
        changes: Vec<(String, String)>,
        /// Fields put back.
        reset: Vec<String>,
    },
    /// Remove a tag from an article.
    RemoveTag(ArticleId, String),
    /// Rename a tag (merging into an existing one).
    RenameTag(String, String),
    /// Delete a tag everywhere.
    DeleteTag(String),
    /// Set or clear a tag's colour.
    SetTagColour(String, Option<String>),
    /// Save an article's note.
    SetNote(ArticleId, String),
    /// Move an article to the trash.
    Trash(ArticleId),
    /// Bring an article back from the trash.
    Restore(ArticleId),
    /// Import files and folders.
    Import(Vec<PathBuf>),
    /// Import these files replacing the articles they duplicate (the
    /// report's "Use this copy instead"), keeping tags, note, highlights
    /// and reading state.
    ImportReplacing(Vec<PathBuf>),
    /// Write the bundled sample articles under this folder and import them
    /// (the files are written on the import thread, not the GUI's).
    ImportSamples(PathBuf),
    /// Export articles (by id, or all matching a query) to a file or folder.
    Export {
        /// The format.
        format: crate::export::ExportFormat,
        /// The articles; `None` means every article matching `query`.
        ids: Option<Vec<ArticleId>>,
        /// The list's query when `ids` is `None` (empty: the whole library).
        query: String,
        /// Where to write.
        out: PathBuf,
        /// Replace an existing target (the user confirmed).
        overwrite: bool,
    },
    /// Merge another library file into this one.
    Merge(PathBuf),
    /// Cite these articles in a format (text: in the library's chosen
    /// style), answered with [`Event::Cited`]; `quote` (a Markdown quote
    /// of the reader's selection) comes back with the citation.
    Cite {
        /// The articles.
        ids: Vec<ArticleId>,
        /// The format.
        format: crate::cite::Format,
        /// The quote the citation is the source line of, if any.
        quote: Option<String>,
    },
    /// Choose the citation style (a name of hayagriva's archive; stored as
    /// the library's `citation_style` setting), answered with
    /// [`Event::CitationStyle`].
    SetCitationStyle(String),
    /// Ask for the library's chosen citation style ([`Event::CitationStyle`]).
    LoadCitationStyle,
    /// Decode a stored image (`thumbnail` for the list's small version).
    LoadImage {
        /// The image's sha256.
        sha256: String,
        /// The small version.
        thumbnail: bool,
    },
    /// Download an article's missing images on a thread of its own (refused
    /// while the `offline` setting is on), then re-open the article.
    FetchImages(ArticleId),
    /// Highlight a range of an article's canonical text (`model::canonical`)
    /// in a colour, then re-open the article.
    AddHighlight {
        /// The article.
        article: ArticleId,
        /// Chars of its canonical text.
        range: std::ops::Range<usize>,
        /// The colour.
        colour: Colour,
    },
    /// Set a highlight's comment (empty removes it), then re-open its article.
    SetHighlightComment(HighlightId, String),
    /// Set a highlight's colour, then re-open its article.
    SetHighlightColour(HighlightId, Colour),
    /// Delete a highlight, then re-open its article.
    DeleteHighlight(HighlightId),
    /// Put back a deleted highlight (undo), then re-open its article.
    RestoreHighlight(Box<Highlight>),
    /// Undo of a highlight made: delete it, but only while its colour and
    /// comment are still as made ([`Failure::HighlightChanged`] otherwise:
    /// undo never takes a comment written since).
    DeleteHighlightIfUnchanged(Box<Highlight>),
    /// Put tags (and the collections' queries) back as they were read
    /// (undo of a tag rename, merge, delete or colour).
    RestoreTags(Box<TagSnapshot>),
    /// Run a change the user made in the window and record it for undo:
    /// what it takes to put the library back is read first, and a
    /// [`Event::Recorded`] step follows the change (none when it changed
    /// nothing, or it failed).
    Record {
        /// The change.
        command: Box<Command>,
        /// The note-editing session it belongs to (0: none); the window
        /// makes one step of a session's saves.
        session: u64,
    },
    /// Take a recorded step back: its `undo` commands in order, answered
    /// with [`Event::Undone`] or [`Event::NotUndone`].
    Undo(Box<Step>),
    /// Make an undone step again: its `redo` commands in order, answered
    /// with [`Event::Redone`] or [`Event::NotUndone`].
    Redo(Box<Step>),
    /// Attach a highlight (an orphan) to a range of its article's canonical
    /// text, then re-open the article.
    ReattachHighlight(HighlightId, std::ops::Range<usize>),
    /// The ids of every article matching `query` (Ctrl+A in the list selects
    /// rows not loaded yet too).
    MatchingIds {
        /// Identifies the list the answer belongs to.
        generation: u64,
        /// Query text, filters included.
        query: String,
    },
    /// Add a tag to each of these articles.
    AddTagMany(Vec<ArticleId>, String),
    /// Remove a tag from each of these articles.
    RemoveTagMany(Vec<ArticleId>, String),
    /// Move these articles to the trash.
    TrashMany(Vec<ArticleId>),
    /// Bring these articles back from the trash.
    RestoreMany(Vec<ArticleId>),
    /// List the trash (newest first), one page.
    ListTrash {
        /// Page number (rows `page * PAGE_ROWS ..`).
        page: usize,
    },
    /// Delete every trashed article for good.
    EmptyTrash,
    /// Mark articles read or unread, starred or not (`None`: leave as is).
    Mark {
        /// The articles.
        ids: Vec<ArticleId>,
        /// Read (`true`) or unread.
        read: Option<bool>,
        /// Starred (`true`) or not.
        starred: Option<bool>,
    },
    /// Mark articles read at the times they were first read (undo of
    /// "mark unread"), answered as [`Command::Mark`] is.
    MarkReadAt(Vec<(ArticleId, String)>),
    /// Remember where the reader stands in an article (a fraction 0..=1).
    SetPosition(ArticleId, f64),
    /// Save the query as a collection (replacing one of that name).
    SaveCollection(String, String),
    /// Rename a collection.
    RenameCollection(String, String),
    /// Delete a collection.
    RemoveCollection(String),
    /// Count the list's matches by month of publication.
    Timeline {
        /// Identifies the list the answer belongs to.
        generation: u64,
        /// Query text, filters included.
        query: String,
    },
    /// The ids of the highlights of the articles `query` matches, in
    /// `order` ([`Event::HighlightIds`]): the highlights view's list.
    HighlightIds {
        /// Identifies the highlights list the answer belongs to.
        generation: u64,
        /// Query text, filters included.
        query: String,
        /// The order.
        order: HighlightOrder,
    },
    /// One page of the highlights view ([`Event::HighlightPage`]).
    HighlightPage {
        /// Identifies the highlights list the answer belongs to.
        generation: u64,
        /// Page number (rows `page * PAGE_ROWS ..`).
        page: usize,
        /// The page's highlights, in order.
        ids: Vec<HighlightId>,
    },
    /// These highlights written in a format with their citations in the
    /// chosen style ([`Event::HighlightsWritten`]): to copy when `out` is
    /// `None`, else into that file.
    WriteHighlights {
        /// The highlights, in order.
        ids: Vec<HighlightId>,
        /// The format.
        format: HighlightFormat,
        /// The file to write, or `None` to copy.
        out: Option<PathBuf>,
    },
}

impl Command {
    /// The long task this command starts, if it starts one.
    pub fn task(&self) -> Option<Task> {
        match self {
            Command::Import(_) | Command::ImportReplacing(_) | Command::ImportSamples(_) => {
                Some(Task::Import)
            }
            Command::Export { .. } => Some(Task::Export),
            Command::Merge(_) => Some(Task::Merge),
            Command::FetchImages(_) => Some(Task::Fetch),
            _ => None,
        }
    }

    /// The list generation a `Count`, `Page` or `Timeline` command belongs to.
    pub(super) fn list_generation(&self) -> Option<u64> {
        match self {
            Command::Count { generation, .. }
            | Command::Page { generation, .. }
            | Command::Timeline { generation, .. } => Some(*generation),
            _ => None,
        }
    }

    /// The highlights list generation a `HighlightIds` or `HighlightPage`
    /// command belongs to.
    pub(super) fn highlight_generation(&self) -> Option<u64> {
        match self {
            Command::HighlightIds { generation, .. }
            | Command::HighlightPage { generation, .. } => Some(*generation),
            _ => None,
        }
    }
}

/// What the worker reports back.
#[derive(Debug)]
pub enum Event {
    /// How many articles match.
    Counted {
        /// The list generation asked for.
        generation: u64,
        /// Matching articles.
        total: usize,
    },
    /// One page of the list.
    Page {
        /// The list generation asked for.
        generation: u64,
        /// Page number.
        page: usize,
        /// The rows, with a snippet when the query had words.
        rows: Vec<ListRow>,
    },
    /// An article for the reader.
    Opened(Arc<StoredArticle>),
    /// The library's counts and tag tree changed (or were asked for).
    Overview(Box<Overview>),
    /// The library changed (tags, notes, trash, import): lists should refresh.
    Changed,
    /// Another connection (another process, or this window's import)
    /// changed the library: lists refresh, and the open article may have
    /// changed too.
    ChangedElsewhere,
    /// A note was saved.
    NoteSaved(ArticleId),
    /// Import progress.
    Progress {
        /// Files done.
        done: usize,
        /// Files in all.
        total: usize,
    },
    /// An import finished (or was cancelled).
    ImportDone(ImportReport),
    /// An import could not run at all.
    ImportFailed(Failure),
    /// A decoded image.
    Image {
        /// The image's sha256.
        sha256: String,
        /// The small version.
        thumbnail: bool,
        /// The pixels, or `None` when the bytes could not be decoded.
        image: Option<Arc<egui::ColorImage>>,
    },
    /// The library is being upgraded from this schema version (it opens
    /// once the upgrade is done).
    Upgrading(i32),
    /// How far the upgrade is: `done` of `total` articles re-indexed (sent
    /// at each tenth).
    UpgradeProgress {
        /// Articles re-indexed.
        done: usize,
        /// Articles in all.
        total: usize,
    },
    /// A collection was saved, renamed or deleted.
    Collection(CollectionChange),
    /// A long task finished; what it did.
    Done(Outcome),
    /// An export's target exists: the user must confirm replacing it.
    ExportTargetExists(PathBuf),
    /// Something failed; shown to the user.
    Error(Failure),
    /// The versions of the article just opened, sent after its
    /// [`Event::Opened`] when it has more than one.
    Versions {
        /// The article.
        id: ArticleId,
        /// Its versions, oldest first.
        versions: Vec<crate::library::VersionInfo>,
    },
    /// A version of an article for the reader ([`Command::OpenVersion`]).
    VersionOpened {
        /// The version shown (from 1).
        number: usize,
        /// That version, with the article's tags, note and highlights.
        article: Arc<StoredArticle>,
    },
    /// The address a copy is served at as saved ([`Command::ViewAsSaved`]).
    AsSaved {
        /// The article.
        id: ArticleId,
        /// The version, or the copy shown.
        version: Option<usize>,
        /// `http://127.0.0.1:PORT/TOKEN/ID/…`.
        url: String,
    },
    /// Two versions compared ([`Command::CompareVersions`]).
    Compared {
        /// The article.
        id: ArticleId,
        /// The older version.
        old: usize,
        /// The newer version.
        new: usize,
        /// What changed.
        diff: Arc<crate::model::diff::Diff>,
    },
    /// Citations of articles ([`Command::Cite`]).
    Cited {
        /// The citations, as the format writes them.
        citation: String,
        /// The format.
        format: crate::cite::Format,
        /// The style the text is in (its archive name).
        style: String,
        /// How many articles are cited.
        count: usize,
        /// The quote they are the source of, as sent.
        quote: Option<String>,
    },
    /// The library's chosen citation style (its archive name).
    CitationStyle(String),
    /// A change the window asked to record was run: how to undo it (`None`:
    /// it changed nothing, or failed and an [`Event::Error`] said why).
    Recorded(Option<Box<Step>>),
    /// A step was taken back ([`Command::Undo`]).
    Undone(Box<Step>),
    /// A step was made again ([`Command::Redo`]).
    Redone(Box<Step>),
    /// A step could not be undone or redone; it stays where it was.
    NotUndone {
        /// The step.
        step: Box<Step>,
        /// It was being redone (else undone).
        redo: bool,
        /// Why.
        failure: Failure,
    },
    /// The ids of every article matching a list's query.
    MatchingIds {
        /// The list generation asked for.
        generation: u64,
        /// The ids, in no particular order.
        ids: Vec<ArticleId>,
    },
    /// Articles were marked (the list's rows change in place).
    Marked {
        /// The articles.
        ids: Vec<ArticleId>,
        /// Now read (`true`) or unread, if that changed.
        read: Option<bool>,
        /// Now starred (`true`) or not, if that changed.
        starred: Option<bool>,
    },
    /// The list's matches by month.
    Timeline {
        /// The list generation asked for.
        generation: u64,
        /// The counts.
        timeline: Timeline,
    },
    /// A long task's progress (export, merge).
    TaskProgress {
        /// Which task.
        task: Task,
        /// Items done.
        done: usize,
        /// Items in all.
        total: usize,
    },
    /// A long task (export, merge, image fetch) ended, however it went.
    TaskEnded(Task),
    /// The list's query could not run; the message says why.
    QueryFailed {
        /// The list generation asked for.
        generation: u64,
        /// What was wrong (e.g. "bad query: …").
        message: String,
    },
    /// The highlights view's list ([`Command::HighlightIds`]).
    HighlightIds {
        /// The highlights list generation asked for.
        generation: u64,
        /// The highlights, in order.
        ids: Vec<HighlightId>,
    },
    /// One page of the highlights view ([`Command::HighlightPage`]).
    HighlightPage {
        /// The highlights list generation asked for.
        generation: u64,
        /// Page number.
        page: usize,
        /// The highlights with their articles' details.
        rows: Vec<HighlightEntry>,
    },
    /// Highlights written ([`Command::WriteHighlights`]).
    HighlightsWritten {
        /// The text (empty when it went to a file).
        text: String,
        /// The format.
        format: HighlightFormat,
        /// How many highlights.
        count: usize,
        /// The file written, if any.
        out: Option<PathBuf>,
    },
    /// One page of the trash.
    Trash {
        /// Page number.
        page: usize,
        /// The trashed articles.
        rows: Vec<ArticleSummary>,
    },
}

/// A change made in the window, recorded for undo: the command the user
/// asked for (what the window names), the commands that make it again and
/// those that take it back, read from the library before it changed (a
/// bulk tag is taken back only from the articles that lacked it).
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The change as asked for.
    pub done: Command,
    /// Commands that make it again.
    pub redo: Vec<Command>,
    /// Commands that take it back.
    pub undo: Vec<Command>,
    /// The note-editing session it belongs to (0: none).
    pub session: u64,
}

/// One row of the list, as the worker found it.
#[derive(Clone, Debug)]
pub struct ListRow {
    /// The article.
    pub summary: ArticleSummary,
    /// Search snippet with its matches, when the list is a search.
    pub snippet: Option<Snippet>,
    /// Where the snippet matched, when the list is a search (`None`: the
    /// query has no text, or it matched only after folding).
    pub matched_in: Option<MatchedIn>,
}

/// What a long task (or the library's upgrade) did, for the window to word.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The library was upgraded to the current schema.
    Upgraded,
    /// An export wrote these articles and images to `out`.
    Exported {
        /// Articles written.
        articles: usize,
        /// Images written.
        images: usize,
        /// Where.
        out: PathBuf,
    },
    /// Another library file was merged into this one.
    Merged {
        /// The merged file.
        path: PathBuf,
        /// What the merge did.
        report: MergeReport,
    },
    /// An article's missing images were fetched.
    Fetched {
        /// Images stored.
        fetched: usize,
        /// The images that could not be fetched, each with why.
        failed: Vec<NotFetched>,
    },
    /// The trash was emptied: this many articles deleted for good.
    TrashEmptied(usize),
}

/// One image that was not fetched: its address and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotFetched {
    /// The address asked for.
    pub url: String,
    /// Why it is still missing.
    pub why: FetchFailure,
}

/// Why an image was not fetched, for the window to word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchFailure {
    /// The server answered with this HTTP status (404, 403…).
    Status(u16),
    /// The image is larger than this many bytes, the limit.
    TooLarge(u64),
    /// The bytes are not an image; what they look like instead.
    NotAnImage(String),
    /// The address is not http(s).
    NotWeb,
    /// A wait expired (which one).
    Timeout(String),
    /// No connection: the host was not found, refused, reset, TLS failed
    /// (the network library's own text).
    Network(String),
    /// Too many redirects, a loop, or one to a refused address.
    Redirect,
    /// The fetch was cancelled first.
    Cancelled,
    /// Anything else (a bad address, the library refused to store it),
    /// with the error's own text.
    Other(String),
}

/// A change to the saved searches, for the window to word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CollectionChange {
    /// A query was saved under `name` (`replaced`: over one of that name).
    Saved {
        /// The collection.
        name: String,
        /// It replaced a collection of that name.
        replaced: bool,
    },
    /// A collection was renamed.
    Renamed {
        /// The old name.
        old: String,
        /// The new name.
        new: String,
    },
    /// A collection was deleted.
    Removed(String),
}

/// What failed, with the error's own text, for the window to word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The library file could not be opened.
    Open {
        /// The library file.
        path: PathBuf,
        /// Why.
        error: String,
    },
    /// The bundled samples could not be written before importing them.
    WriteSamples(String),
    /// An import could not run.
    Import(String),
    /// A command or task failed.
    Other(String),
    /// Undo of a highlight made: its comment or colour changed since, so
    /// it was not deleted.
    HighlightChanged,
}

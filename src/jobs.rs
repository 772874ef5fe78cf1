//! Background work for the GUI: a worker thread owns the library connection,
//! takes [`Command`]s and answers with [`Event`]s, waking the GUI with
//! `request_repaint`. Imports run on a thread of their own (with their own
//! connection) so the list, the reader and the tags stay usable meanwhile.
//! Images are decoded here, never on the GUI thread.
//!
//! Every long task (import, export, merge, image fetch) gets a fresh
//! [`CancelToken`] when its command is sent; [`Worker::cancel`] stops only the
//! latest task of that kind, never another one running beside it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::library::{
    ArticleId, ArticleSummary, Change, Colour, Highlight, HighlightId, ImportMode, ImportOptions,
    ImportReport, Library, Overview, Snippet, SortOrder, StoredArticle, Timeline,
};

/// Report a long task's progress to the window: at most every 1% (and at
/// the end), so a 100,000-article export does not flood the event queue.
fn task_progress(send: &dyn Fn(Event), task: Task, progress: &crate::library::Progress) {
    let step = (progress.total / 100).max(1);
    if progress.done.is_multiple_of(step) || progress.done == progress.total {
        send(Event::TaskProgress {
            task,
            done: progress.done,
            total: progress.total,
        });
    }
}

/// Rows fetched per page of the article list.
pub const PAGE_ROWS: usize = 100;
/// Largest edge of a decoded reader image (pixels); bigger images are scaled down.
pub const MAX_TEXTURE_EDGE: u32 = 2048;

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
    fn flag(&self) -> &AtomicBool {
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
    fn thread_name(self) -> &'static str {
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
    /// Count what the status bar and the library pane show (articles,
    /// unread, starred, trashed, collections, the tag tree), again where
    /// this change reaches.
    LoadOverview(Change),
    /// Add tags to an article.
    AddTag(ArticleId, String),
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
    /// Delete a highlight (reported with [`Event::HighlightDeleted`], for
    /// undo), then re-open its article.
    DeleteHighlight(HighlightId),
    /// Put back a deleted highlight (undo), then re-open its article.
    RestoreHighlight(Box<Highlight>),
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
        rows: Vec<(ArticleSummary, Option<Snippet>)>,
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
    /// An import could not run at all; the message says why.
    ImportFailed(String),
    /// A decoded image.
    Image {
        /// The image's sha256.
        sha256: String,
        /// The small version.
        thumbnail: bool,
        /// The pixels, or `None` when the bytes could not be decoded.
        image: Option<Arc<egui::ColorImage>>,
    },
    /// Something slow is under way; the message says what.
    Status(String),
    /// A long task finished; the message says how it went.
    Done(String),
    /// An export's target exists: the user must confirm replacing it.
    ExportTargetExists(PathBuf),
    /// Something failed; shown to the user.
    Error(String),
    /// A highlight was deleted: here it is whole, for undo.
    HighlightDeleted(Box<Highlight>),
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
    /// One page of the trash.
    Trash {
        /// Page number.
        page: usize,
        /// The trashed articles.
        rows: Vec<ArticleSummary>,
    },
}

/// How often the worker asks SQLite whether another connection changed the
/// library ([`Library::data_version`]).
pub const DATA_VERSION_POLL: Duration = Duration::from_secs(1);

/// The GUI's handle on the worker.
pub struct Worker {
    commands: Sender<(Command, Option<CancelToken>)>,
    events: Receiver<Event>,
    /// The token of the latest task of each kind.
    tokens: Mutex<HashMap<Task, CancelToken>>,
}

impl Worker {
    /// Start a worker on the library at `path`; `wake` is called after each event.
    /// With `offline`, fetching images is refused (no network request at all).
    pub fn start(
        path: &Path,
        offline: bool,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> anyhow::Result<Self> {
        let (commands, command_rx) = channel();
        let (event_tx, events) = channel();
        let path = path.to_owned();
        let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(wake);
        // The library is opened (and migrated) on the worker, never on the GUI thread.
        std::thread::Builder::new()
            .name("folio-worker".to_owned())
            .spawn(move || {
                let upgrading = crate::library::schema::pending_upgrade(&path);
                if let Some(from) = upgrading {
                    let _ =
                        event_tx.send(Event::Status(crate::library::schema::upgrade_notice(from)));
                    wake();
                }
                // Each tenth of an upgrade is told in the status bar.
                let mut told = 0;
                let mut report = |done: usize, total: usize| {
                    let tenth = (done * 10).checked_div(total).unwrap_or(10);
                    if tenth > told {
                        told = tenth;
                        let _ = event_tx.send(Event::Status(format!(
                            "Upgrading the library: {done} of {total} articles re-indexed"
                        )));
                        wake();
                    }
                };
                let library = Library::open_with_progress(&path, Some(&mut report));
                if upgrading.is_some() && library.is_ok() {
                    let _ = event_tx.send(Event::Done("Library upgraded.".to_owned()));
                }
                match library {
                    Ok(library) => WorkerContext {
                        library,
                        overview: None,
                        importing: Arc::default(),
                        path,
                        offline,
                        events: event_tx,
                        wake,
                    }
                    .run(&command_rx),
                    Err(err) => {
                        let _ = event_tx.send(Event::Error(format!(
                            "cannot open {}: {err}",
                            path.display()
                        )));
                        wake();
                    }
                }
            })?;
        Ok(Self {
            commands,
            events,
            tokens: Mutex::new(HashMap::new()),
        })
    }

    /// Send a command (ignored if the worker has stopped). A command that
    /// starts a long task gets a fresh [`CancelToken`] of its own.
    pub fn send(&self, command: Command) {
        let token = command.task().map(|task| {
            let token = CancelToken::default();
            self.tokens
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(task, token.clone());
            token
        });
        if self.commands.send((command, token)).is_err() {
            log::error!("the worker thread has stopped");
        }
    }

    /// Events that arrived since the last call.
    pub fn poll(&self) -> Vec<Event> {
        self.events.try_iter().collect()
    }

    /// Ask the latest task of this kind to stop after what it has
    /// committed; other tasks keep running.
    pub fn cancel(&self, task: Task) {
        if let Some(token) = self
            .tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&task)
        {
            token.cancel();
        }
    }
}

struct WorkerContext {
    library: Library,
    /// The counts sent last (the next are counted from them).
    overview: Option<Overview>,
    /// This window's imports under way (their own threads and connections).
    importing: Arc<std::sync::atomic::AtomicUsize>,
    path: PathBuf,
    offline: bool,
    events: Sender<Event>,
    wake: Arc<dyn Fn() + Send + Sync>,
}

impl WorkerContext {
    fn run(mut self, commands: &Receiver<(Command, Option<CancelToken>)>) {
        let mut seen = self.library.data_version().ok();
        let mut looked = Instant::now();
        loop {
            // Another process (`folio FILE…`, `folio import`) may write to
            // the library: once a second, a change committed by another
            // connection makes the window reload its list.
            if looked.elapsed() >= DATA_VERSION_POLL {
                looked = Instant::now();
                let now = self.library.data_version().ok();
                if now != seen {
                    seen = now;
                    // This window's own import counts its articles when it
                    // ends; anything else another process did, from scratch.
                    if self.importing.load(Ordering::SeqCst) == 0
                        && let Err(err) = self.emit_overview(Change::Everything)
                    {
                        self.emit(Event::Error(format!("{err:#}")));
                    }
                    self.emit(Event::ChangedElsewhere);
                }
            }
            let first =
                match commands.recv_timeout(DATA_VERSION_POLL.saturating_sub(looked.elapsed())) {
                    Ok(first) => first,
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => return,
                };
            // Coalesce: of the commands waiting, list requests for an older
            // list than the newest asked for (typing runs ahead of the
            // worker) are answers nobody will look at, so they are skipped.
            let batch: Vec<_> = std::iter::once(first).chain(commands.try_iter()).collect();
            let newest = batch.iter().filter_map(|(c, _)| list_generation(c)).max();
            for (command, token) in batch {
                if list_generation(&command).is_some_and(|g| Some(g) < newest) {
                    continue;
                }
                // Every task command carries a token (`Worker::send`); a
                // default one is simply never cancelled.
                if let Err(err) = self.handle(command, token.unwrap_or_default()) {
                    self.emit(Event::Error(format!("{err:#}")));
                }
            }
        }
    }

    fn emit(&self, event: Event) {
        // The GUI has gone away when this fails; nothing is left to tell.
        let _ = self.events.send(event);
        (self.wake)();
    }

    /// Run one command; `cancel` is the token of the task it starts, if any.
    fn handle(&mut self, command: Command, cancel: CancelToken) -> anyhow::Result<()> {
        match command {
            Command::Count { generation, query } => {
                let q = query.trim();
                let total = match self.library.count((!q.is_empty()).then_some(q)) {
                    Ok(total) => total,
                    Err(err) => {
                        self.emit(Event::QueryFailed {
                            generation,
                            message: err.to_string(),
                        });
                        return Ok(());
                    }
                };
                self.emit(Event::Counted {
                    generation,
                    total: usize::try_from(total).unwrap_or(usize::MAX),
                });
            }
            Command::Page {
                generation,
                query,
                sort,
                page,
            } => {
                let q = query.trim();
                let offset = page * PAGE_ROWS;
                // `ranks` expands saved searches (`collection:NAME`) first.
                let rows = if self.library.ranks(q)? {
                    self.library
                        .search_sorted(q, sort, PAGE_ROWS, offset)?
                        .into_iter()
                        .map(|hit| {
                            let snippet = snippet_saying_where(&hit);
                            (hit.summary, Some(snippet))
                        })
                        .collect()
                } else {
                    self.library
                        .list((!q.is_empty()).then_some(q), sort, PAGE_ROWS, offset)?
                        .into_iter()
                        .map(|s| (s, None))
                        .collect()
                };
                self.emit(Event::Page {
                    generation,
                    page,
                    rows,
                });
            }
            Command::Open(id) => {
                let article = self.library.article_without_image_bytes(id)?;
                self.emit(Event::Opened(Arc::new(article)));
            }
            Command::OpenFirst(query) => {
                if let Some(hit) = self.library.search(&query, 1, 0)?.into_iter().next() {
                    let article = self.library.article_without_image_bytes(hit.summary.id)?;
                    self.emit(Event::Opened(Arc::new(article)));
                }
            }
            Command::LoadOverview(change) => self.emit_overview(change)?,
            Command::AddTag(id, name) => {
                self.library.add_tags(id, &[name.as_str()])?;
                self.changed_article(id, Change::Tags)?;
            }
            Command::RemoveTag(id, name) => {
                self.library.remove_tags(id, &[name.as_str()])?;
                self.changed_article(id, Change::Tags)?;
            }
            Command::RenameTag(old, new) => {
                self.library.rename_tag(&old, &new)?;
                self.changed(Change::Tags)?;
            }
            Command::DeleteTag(name) => {
                self.library.delete_tag(&name)?;
                self.changed(Change::Tags)?;
            }
            Command::SetTagColour(name, colour) => {
                self.library.set_tag_colour(&name, colour.as_deref())?;
                self.changed(Change::Tags)?;
            }
            Command::SetNote(id, text) => {
                self.library.set_note(id, &text)?;
                self.emit(Event::NoteSaved(id));
                self.emit_overview(Change::Annotations)?;
            }
            Command::Trash(id) => {
                self.library.trash(id)?;
                self.changed(Change::Everything)?;
            }
            Command::Restore(id) => {
                self.library.restore(id)?;
                self.changed(Change::Everything)?;
            }
            Command::AddHighlight {
                article,
                range,
                colour,
            } => {
                self.library.add_highlight(article, range, colour, "")?;
                self.changed_article(article, Change::Annotations)?;
            }
            Command::SetHighlightComment(id, comment) => {
                let old = self.library.set_highlight_comment(id, &comment)?;
                self.changed_article(old.article, Change::Annotations)?;
            }
            Command::SetHighlightColour(id, colour) => {
                let old = self.library.set_highlight_colour(id, colour)?;
                self.changed_article(old.article, Change::Annotations)?;
            }
            Command::DeleteHighlight(id) => {
                let old = self.library.delete_highlight(id)?;
                let article = old.article;
                self.emit(Event::HighlightDeleted(Box::new(old)));
                self.changed_article(article, Change::Annotations)?;
            }
            Command::RestoreHighlight(highlight) => {
                self.library.restore_highlight(&highlight)?;
                self.changed_article(highlight.article, Change::Annotations)?;
            }
            Command::ReattachHighlight(id, range) => {
                let old = self.library.reattach_highlight(id, range)?;
                self.changed_article(old.article, Change::Annotations)?;
            }
            Command::Import(paths) => {
                self.spawn_import(paths, None, ImportMode::SkipDuplicates, cancel)?;
            }
            Command::ImportReplacing(paths) => {
                self.spawn_import(paths, None, ImportMode::Update, cancel)?;
            }
            Command::ImportSamples(dir) => {
                self.spawn_import(Vec::new(), Some(dir), ImportMode::SkipDuplicates, cancel)?;
            }
            Command::Export {
                format,
                ids,
                query,
                out,
                overwrite,
            } => {
                if out.exists() && !overwrite {
                    self.emit(Event::ExportTargetExists(out));
                    return Ok(());
                }
                let ids = match ids {
                    Some(ids) => ids,
                    None => {
                        let q = query.trim();
                        self.library.matching_ids((!q.is_empty()).then_some(q))?
                    }
                };
                self.spawn_task(Task::Export, cancel, move |library, cancel, send| {
                    let report = crate::export::export(
                        library,
                        format,
                        &crate::library::ExportJob {
                            ids: &ids,
                            out: &out,
                            overwrite,
                            progress: &|p| task_progress(send, Task::Export, p),
                            cancel,
                        },
                    )?;
                    Ok(format!(
                        "Exported {} and {} to {}",
                        counted(report.articles, "article", "articles"),
                        counted(report.images, "image", "images"),
                        out.display()
                    ))
                })?;
            }
            Command::Merge(path) => {
                self.spawn_task(Task::Merge, cancel, move |library, cancel, send| {
                    let report = library
                        .merge_from(&path, &|p| task_progress(send, Task::Merge, p), cancel)?;
                    Ok(format!(
                        "Merged {}: {} added, {} already here ({} restored from the trash, {} differing copies kept), {} tags added, {} notes kept from both sides",
                        path.display(),
                        report.added,
                        report.duplicates,
                        report.restored,
                        report.copies_kept,
                        report.tags_added,
                        report.notes_appended
                    ))
                })?;
            }
            Command::LoadImage { sha256, thumbnail } => {
                let data = if thumbnail {
                    self.library.thumbnail(&sha256)
                } else {
                    self.library.image_bytes(&sha256)
                };
                // Always answer, so the reader stops waiting: an image that
                // cannot be read shows as a missing one.
                let data = data.unwrap_or_else(|err| {
                    log::warn!("cannot read image {sha256}: {err}");
                    None
                });
                let image = data.and_then(|d| decode_image(&d.bytes)).map(Arc::new);
                self.emit(Event::Image {
                    sha256,
                    thumbnail,
                    image,
                });
            }
            Command::FetchImages(id) => self.spawn_fetch(id, cancel)?,
            Command::MatchingIds { generation, query } => {
                let q = query.trim();
                let ids = self.library.matching_ids((!q.is_empty()).then_some(q))?;
                self.emit(Event::MatchingIds { generation, ids });
            }
            Command::AddTagMany(ids, name) => {
                self.library.tag_many(&ids, &name, true)?;
                self.changed_many(&ids, Change::Tags)?;
            }
            Command::RemoveTagMany(ids, name) => {
                self.library.tag_many(&ids, &name, false)?;
                self.changed_many(&ids, Change::Tags)?;
            }
            Command::TrashMany(ids) => {
                self.library.set_trashed_many(&ids, true)?;
                self.changed(Change::Everything)?;
            }
            Command::RestoreMany(ids) => {
                self.library.set_trashed_many(&ids, false)?;
                self.changed(Change::Everything)?;
            }
            Command::ListTrash { page } => {
                let rows = self.library.list_trash(PAGE_ROWS, page * PAGE_ROWS)?;
                self.emit(Event::Trash { page, rows });
            }
            Command::Mark { ids, read, starred } => {
                // What the articles counted for before and after: the
                // overview changes by the difference.
                let before = match &self.overview {
                    Some(previous) => Some(self.library.marked_part(previous, &ids)?),
                    None => None,
                };
                if let Some(read) = read {
                    self.library.mark_read(&ids, read)?;
                }
                if let Some(starred) = starred {
                    self.library.set_starred(&ids, starred)?;
                }
                match (self.overview.take(), before) {
                    (Some(previous), Some(before)) => {
                        let after = self.library.marked_part(&previous, &ids)?;
                        let next = self.library.overview_marked(&previous, &before, &after)?;
                        self.overview = Some(next.clone());
                        self.emit(Event::Overview(Box::new(next)));
                    }
                    (previous, _) => {
                        self.overview = previous;
                        self.emit_overview(Change::Reading)?;
                    }
                }
                self.emit(Event::Marked { ids, read, starred });
            }
            Command::SetPosition(id, position) => {
                self.library.set_reading_position(id, Some(position))?;
            }
            Command::SaveCollection(name, query) => {
                let created = self.library.save_collection(&name, &query)?;
                let verb = if created { "Saved" } else { "Replaced" };
                self.emit(Event::Status(format!("{verb} the collection “{name}”")));
                self.emit_overview(Change::Collections)?;
            }
            Command::RenameCollection(old, new) => {
                self.library.rename_collection(&old, &new)?;
                self.emit(Event::Status(format!("Renamed “{old}” to “{new}”")));
                self.emit_overview(Change::Collections)?;
            }
            Command::RemoveCollection(name) => {
                self.library.remove_collection(&name)?;
                self.emit(Event::Status(format!("Deleted the collection “{name}”")));
                self.emit_overview(Change::Collections)?;
            }
            Command::Timeline { generation, query } => {
                let q = query.trim();
                // A bad query is reported by the list's own count.
                if let Ok(timeline) = self.library.timeline((!q.is_empty()).then_some(q)) {
                    self.emit(Event::Timeline {
                        generation,
                        timeline,
                    });
                }
            }
            Command::EmptyTrash => {
                let removed = self.library.empty_trash()?;
                self.emit(Event::Done(format!(
                    "Deleted {} for good",
                    counted(
                        usize::try_from(removed).unwrap_or(usize::MAX),
                        "article",
                        "articles"
                    )
                )));
                self.changed(Change::Everything)?;
            }
        }
        Ok(())
    }

    /// Fetch the missing images of `id` on a `folio-fetch` thread with its own
    /// connection; afterwards the article is re-opened and lists refresh.
    fn spawn_fetch(&self, id: ArticleId, cancel: CancelToken) -> anyhow::Result<()> {
        let offline = self.offline;
        self.spawn_task(Task::Fetch, cancel, move |library, cancel, send| {
            let fetcher = crate::fetch::Fetcher::new(crate::fetch::FetchOptions {
                offline,
                ..crate::fetch::FetchOptions::default()
            });
            let report =
                crate::fetch::fetch_missing(library, Some(&[id]), &fetcher, &|_| {}, cancel)?;
            let mut failed = 0;
            for outcome in &report.outcomes {
                if let Err(err) = &outcome.result {
                    failed += 1;
                    send(Event::Error(format!("image not fetched: {err}")));
                }
            }
            let article = library.article_without_image_bytes(id)?;
            send(Event::Opened(Arc::new(article)));
            Ok(format!(
                "Fetched {} image(s), {failed} failed",
                report.outcomes.len() - failed
            ))
        })
    }

    /// After `change`: the counts, then that lists should refresh.
    fn changed(&mut self, change: Change) -> anyhow::Result<()> {
        self.emit_overview(change)?;
        self.emit(Event::Changed);
        Ok(())
    }

    /// Send the library's counts and tag tree after `change`.
    fn emit_overview(&mut self, change: Change) -> anyhow::Result<()> {
        let overview = match &self.overview {
            Some(previous) => self.library.overview_after(previous, change)?,
            None => self.library.overview()?,
        };
        self.overview = Some(overview.clone());
        self.emit(Event::Overview(Box::new(overview)));
        Ok(())
    }

    /// After a change to several articles: lists refresh, and the first of
    /// them is sent again (the reader shows it when it is the open one).
    fn changed_many(&mut self, ids: &[ArticleId], change: Change) -> anyhow::Result<()> {
        match ids.first() {
            Some(id) if ids.len() == 1 => self.changed_article(*id, change),
            _ => self.changed(change),
        }
    }

    /// After `change` to article `id`: it is sent again (the reader shows
    /// it when it is the open one), then as [`Self::changed`].
    fn changed_article(&mut self, id: ArticleId, change: Change) -> anyhow::Result<()> {
        self.emit(Event::Opened(Arc::new(
            self.library.article_without_image_bytes(id)?,
        )));
        self.changed(change)
    }

    /// Run `task` on a thread of its own with its own connection, then report
    /// its message (or error) and that the library changed.
    fn spawn_task(
        &self,
        kind: Task,
        cancel: CancelToken,
        task: impl FnOnce(&mut Library, &AtomicBool, &dyn Fn(Event)) -> Result<String, TaskError>
        + Send
        + 'static,
    ) -> anyhow::Result<()> {
        let path = self.path.clone();
        let events = self.events.clone();
        let wake = self.wake.clone();
        std::thread::Builder::new()
            .name(kind.thread_name().to_owned())
            .spawn(move || {
                let send = |event| {
                    let _ = events.send(event);
                    wake();
                };
                let result = Library::open(&path)
                    .map_err(TaskError::from)
                    .and_then(|mut library| task(&mut library, cancel.flag(), &send));
                send(match result {
                    Ok(message) => Event::Done(message),
                    Err(err) => Event::Error(err.to_string()),
                });
                send(Event::TaskEnded(kind));
                send(Event::Changed);
            })?;
        Ok(())
    }

    /// Import `paths`, and first the bundled samples written under `samples`
    /// when given, on a `folio-import` thread with its own connection.
    fn spawn_import(
        &self,
        mut paths: Vec<PathBuf>,
        samples: Option<PathBuf>,
        mode: ImportMode,
        cancel: CancelToken,
    ) -> anyhow::Result<()> {
        let path = self.path.clone();
        let events = self.events.clone();
        let wake = self.wake.clone();
        let importing = self.importing.clone();
        importing.fetch_add(1, Ordering::SeqCst);
        std::thread::Builder::new()
            .name(Task::Import.thread_name().to_owned())
            .spawn(move || {
                // Counted down however the thread ends.
                struct Done(Arc<std::sync::atomic::AtomicUsize>);
                impl Drop for Done {
                    fn drop(&mut self) {
                        self.0.fetch_sub(1, Ordering::SeqCst);
                    }
                }
                let _done = Done(importing);
                let send = |event| {
                    let _ = events.send(event);
                    wake();
                };
                if let Some(dir) = samples {
                    match crate::samples::write_samples(&dir) {
                        Ok(root) => paths.push(root),
                        Err(err) => {
                            send(Event::ImportFailed(format!(
                                "cannot write the samples: {err}"
                            )));
                            return;
                        }
                    }
                }
                let result = Library::open(&path).and_then(|mut library| {
                    library.import_paths(
                        &paths,
                        &ImportOptions {
                            mode,
                            ..ImportOptions::default()
                        },
                        &|p| {
                            send(Event::Progress {
                                done: p.done,
                                total: p.total,
                            });
                        },
                        cancel.flag(),
                    )
                });
                match result {
                    Ok(report) => send(Event::ImportDone(report)),
                    Err(err) => send(Event::ImportFailed(format!("import failed: {err}"))),
                }
                send(Event::Changed);
            })?;
        Ok(())
    }
}

/// A count with its noun, singular for one: "1 article", "2 articles".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How a row's snippet opens when the match is in the note or in a
/// highlight's comment (the list keeps these openings when it cuts a snippet).
pub const SNIPPET_OPENINGS: [&str; 2] = ["In the note: ", "In a highlight's comment: "];

/// A search hit's snippet, saying where it matched when that is not the
/// body or title (a note, a highlight's comment).
fn snippet_saying_where(hit: &crate::library::SearchHit) -> Snippet {
    use crate::library::MatchedIn;
    let [in_note, in_comment] = SNIPPET_OPENINGS;
    let prefix = match hit.matched_in {
        Some(MatchedIn::Note) => in_note,
        Some(MatchedIn::HighlightComment) => in_comment,
        Some(MatchedIn::Body | MatchedIn::Title) | None => "",
    };
    let shift = prefix.len();
    Snippet {
        text: format!("{prefix}{}", hit.snippet.text),
        highlights: hit
            .snippet
            .highlights
            .iter()
            .map(|r| r.start + shift..r.end + shift)
            .collect(),
    }
}

/// Why a background task (export, merge, image fetch) failed; shown in the
/// status bar.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// Opening, reading or writing the library failed.
    #[error(transparent)]
    Library(#[from] crate::library::LibraryError),
    /// An export wrote nothing.
    #[error(transparent)]
    Export(#[from] crate::library::ExportError),
    /// A merge changed nothing.
    #[error(transparent)]
    Merge(#[from] crate::library::MergeError),
    /// Fetching images could not run.
    #[error("fetching images failed: {0}")]
    Fetch(#[from] crate::fetch::FetchMissingError),
}

/// The list generation a `Count`, `Page` or `Timeline` command belongs to.
fn list_generation(command: &Command) -> Option<u64> {
    match command {
        Command::Count { generation, .. }
        | Command::Page { generation, .. }
        | Command::Timeline { generation, .. } => Some(*generation),
        _ => None,
    }
}

/// Decode image bytes to pixels within [`MAX_TEXTURE_EDGE`] (never on the GUI thread).
pub fn decode_image(bytes: &[u8]) -> Option<egui::ColorImage> {
    // One image at a time here, so more memory than an import's decoders get.
    let mut img = crate::read::limits::limited_image_reader(bytes, 512 * 1024 * 1024)
        .ok()?
        .decode()
        .ok()?;
    if img.width() > MAX_TEXTURE_EDGE || img.height() > MAX_TEXTURE_EDGE {
        img = img.thumbnail(MAX_TEXTURE_EDGE, MAX_TEXTURE_EDGE);
    }
    let rgba = img.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Some(egui::ColorImage::from_rgba_unmultiplied(
        size,
        rgba.as_raw(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read as _, Write as _};
    use std::time::{Duration, Instant};

    /// Serve the fixture JPEG on 127.0.0.1, stopping halfway through the
    /// body until `release` says go on. Returns the base URL, a receiver told
    /// when the first half is out, and the sender that releases the rest.
    fn held_image_server() -> (String, Receiver<()>, Sender<()>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let jpeg = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/formats/complete/m-epoch/m-epoch_files/p1.jpg"),
        )
        .unwrap();
        let (halfway_tx, halfway) = channel();
        let (release, release_rx) = channel::<()>();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    jpeg.len()
                );
                let (first, rest) = jpeg.split_at(jpeg.len() / 2);
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(first);
                let _ = stream.flush();
                let _ = halfway_tx.send(());
                let _ = release_rx.recv();
                let _ = stream.write_all(rest);
            }
        });
        (format!("http://{addr}"), halfway, release)
    }

    /// A library holding the seed, its images served from `base`.
    fn seed_library(dir: &Path, base: &str) -> (PathBuf, ArticleId) {
        let seed = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/seed/000_2ed360ca1ed3b761.txt"),
        )
        .unwrap()
        .replace("https://i.epochtimes.com", base);
        let page = dir.join("seed.txt");
        std::fs::write(&page, seed).unwrap();
        let path = dir.join("cancel.folio");
        let report = Library::open(&path)
            .unwrap()
            .import_paths(
                &[page],
                &ImportOptions::default(),
                &|_| {},
                &AtomicBool::new(false),
            )
            .unwrap();
        (path, report.ids[0])
    }

    /// Events until one satisfies `stop` (which is returned with the rest).
    fn events_until(worker: &Worker, stop: impl Fn(&Event) -> bool) -> Vec<Event> {
        let start = Instant::now();
        let mut seen = Vec::new();
        loop {
            for event in worker.poll() {
                let last = stop(&event);
                seen.push(event);
                if last {
                    return seen;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out; events so far: {seen:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Fetch the seed's image from a server that stops halfway, cancel
    /// `task` meanwhile, and return what the fetch reported.
    fn fetch_cancelling(task: Task) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let (base, halfway, release) = held_image_server();
        let (path, id) = seed_library(dir.path(), &base);
        let worker = Worker::start(&path, false, || {}).unwrap();
        // An import started earlier (nothing to import, it ends at once):
        // its token is the one "Cancel import" sets.
        worker.send(Command::Import(Vec::new()));
        worker.send(Command::FetchImages(id));
        halfway.recv_timeout(Duration::from_secs(20)).unwrap();
        worker.cancel(task);
        release.send(()).unwrap();
        let events = events_until(&worker, |e| matches!(e, Event::Done(_) | Event::Error(_)));
        let messages: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                Event::Done(m) | Event::Error(m) => Some(m.clone()),
                _ => None,
            })
            .collect();
        messages
    }

    /// One cancel flag used to serve every task: cancelling an import
    /// stopped a fetch (or export, or merge) running beside it.
    #[test]
    fn cancelling_an_import_leaves_a_running_fetch_alone() {
        assert_eq!(
            fetch_cancelling(Task::Import),
            ["Fetched 1 image(s), 0 failed"]
        );
    }

    #[test]
    fn cancelling_a_fetch_stops_it() {
        assert_eq!(
            fetch_cancelling(Task::Fetch),
            ["image not fetched: cancelled"]
        );
    }

    #[test]
    fn every_task_gets_a_fresh_token() {
        let dir = tempfile::tempdir().unwrap();
        let worker = Worker::start(&dir.path().join("t.folio"), true, || {}).unwrap();
        let token = |task| worker.tokens.lock().unwrap().get(&task).cloned().unwrap();
        worker.send(Command::Merge(dir.path().join("missing.folio")));
        worker.cancel(Task::Merge);
        let first = token(Task::Merge);
        worker.send(Command::Merge(dir.path().join("missing.folio")));
        assert!(first.is_cancelled());
        assert!(
            !token(Task::Merge).is_cancelled(),
            "a new merge starts uncancelled"
        );
    }
}

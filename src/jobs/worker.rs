//! The worker: [`Worker`], the window's handle (send commands, poll
//! events, cancel a task), and the `folio-worker` thread that owns the
//! library connection and answers each [`Command`] in turn. Long tasks are
//! started from here on threads of their own (`jobs::tasks`).
//!
//! Long because: one match from each command to its `Library` method, and
//! the recording and replaying of undo steps that run through that match;
//! its end-to-end tests close it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::protocol::{
    CancelToken, CollectionChange, Command, Event, Failure, ListRow, Outcome, PAGE_ROWS, Step, Task,
};
use crate::library::{ArticleId, Change, ImportMode, Library, Overview, StoredArticle};

/// How long a comparison of two versions refines edited paragraphs before
/// it shows the rest whole (the window waits for it).
pub const COMPARE_BUDGET: Duration = Duration::from_secs(2);

/// How often the worker asks SQLite whether another connection changed the
/// library ([`Library::data_version`]).
pub const DATA_VERSION_POLL: Duration = Duration::from_secs(1);

/// The GUI's handle on the worker.
pub struct Worker {
    commands: Sender<(Command, Option<CancelToken>)>,
    events: Receiver<Event>,
    /// The token of the latest task of each kind.
    pub(super) tokens: Mutex<HashMap<Task, CancelToken>>,
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
                    let _ = event_tx.send(Event::Upgrading(from));
                    wake();
                }
                // Each tenth of an upgrade is told in the status bar; a
                // library with nothing to upgrade (a new one) hears nothing.
                let mut told = 0;
                let mut report = |done: usize, total: usize| {
                    if upgrading.is_none() || total == 0 {
                        return;
                    }
                    let tenth = (done * 10).checked_div(total).unwrap_or(10);
                    if tenth > told {
                        told = tenth;
                        let _ = event_tx.send(Event::UpgradeProgress { done, total });
                        wake();
                    }
                };
                let library = Library::open_with_progress(&path, Some(&mut report));
                if upgrading.is_some() && library.is_ok() {
                    let _ = event_tx.send(Event::Done(Outcome::Upgraded));
                }
                match library {
                    Ok(library) => WorkerContext {
                        library,
                        overview: None,
                        importing: Arc::default(),
                        path,
                        offline,
                        served: None,
                        events: event_tx,
                        wake,
                    }
                    .run(&command_rx),
                    Err(err) => {
                        let _ = event_tx.send(Event::Error(Failure::Open {
                            path,
                            error: err.to_string(),
                        }));
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

/// The worker thread's own state: its connection and where events go.
pub(super) struct WorkerContext {
    library: Library,
    /// The counts sent last (the next are counted from them).
    overview: Option<Overview>,
    /// This window's imports under way (their own threads and connections).
    pub(super) importing: Arc<AtomicUsize>,
    /// The library file (task threads open their own connection to it).
    pub(super) path: PathBuf,
    /// No network request at all.
    pub(super) offline: bool,
    /// The loopback server of "view as saved", started on first use and
    /// stopped with the worker (each library has its own, with its token).
    pub(super) served: Option<crate::serve::Server>,
    pub(super) events: Sender<Event>,
    pub(super) wake: Arc<dyn Fn() + Send + Sync>,
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
                        self.emit(Event::Error(Failure::Other(format!("{err:#}"))));
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
            let newest = batch.iter().filter_map(|(c, _)| c.list_generation()).max();
            let newest_highlights = batch
                .iter()
                .filter_map(|(c, _)| c.highlight_generation())
                .max();
            for (command, token) in batch {
                if command.list_generation().is_some_and(|g| Some(g) < newest)
                    || command
                        .highlight_generation()
                        .is_some_and(|g| Some(g) < newest_highlights)
                {
                    continue;
                }
                // Every task command carries a token (`Worker::send`); a
                // default one is simply never cancelled.
                if let Err(err) = self.handle(command, token.unwrap_or_default()) {
                    self.emit(Event::Error(Failure::Other(format!("{err:#}"))));
                }
            }
        }
    }

    pub(super) fn emit(&self, event: Event) {
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
                        .map(|hit| ListRow {
                            summary: hit.summary,
                            snippet: Some(hit.snippet),
                            matched_in: hit.matched_in,
                        })
                        .collect()
                } else {
                    self.library
                        .list((!q.is_empty()).then_some(q), sort, PAGE_ROWS, offset)?
                        .into_iter()
                        .map(|summary| ListRow {
                            summary,
                            snippet: None,
                            matched_in: None,
                        })
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
                self.emit_opened(article)?;
            }
            Command::OpenFirst(query) => {
                if let Some(hit) = self.library.search(&query, 1, 0)?.into_iter().next() {
                    let article = self.library.article_without_image_bytes(hit.summary.id)?;
                    self.emit_opened(article)?;
                }
            }
            Command::OpenVersion { id, number } => {
                let article = self.library.version(id, number, false)?;
                self.emit(Event::VersionOpened {
                    number,
                    article: Arc::new(article),
                });
            }
            Command::ViewAsSaved { id, version } => {
                // Say what is wrong (no original kept, no such version)
                // before anything is served.
                self.library.saved_copy(id, version)?;
                let server = match &mut self.served {
                    Some(server) => server,
                    None => self.served.insert(crate::serve::Server::start(&self.path)?),
                };
                let url = server.page_url(id, version);
                self.emit(Event::AsSaved { id, version, url });
            }
            Command::CompareVersions { id, old, new } => {
                let deadline = Instant::now() + COMPARE_BUDGET;
                let diff = self.library.compare_versions(id, old, new, deadline)?;
                self.emit(Event::Compared {
                    id,
                    old,
                    new,
                    diff: Arc::new(diff),
                });
            }
            Command::LoadOverview(change) => self.emit_overview(change)?,
            Command::Cite { ids, format, quote } => {
                let style = crate::export::references::chosen_style_name(&self.library);
                let citation = crate::export::references::cite_ids(
                    &self.library,
                    &ids,
                    format,
                    &crate::cite::Style::by_name(&style)?,
                )?;
                self.emit(Event::Cited {
                    citation,
                    format,
                    style,
                    count: crate::library::unique_ids(&ids).len(),
                    quote,
                });
            }
            Command::SetCitationStyle(name) => {
                // Refused, named, when the archive has no such style.
                crate::cite::Style::by_name(&name)?;
                self.library
                    .set_setting(crate::export::references::SETTING_STYLE, name.trim())?;
                self.emit(Event::CitationStyle(name.trim().to_owned()));
            }
            Command::LoadCitationStyle => {
                let style = crate::export::references::chosen_style_name(&self.library);
                self.emit(Event::CitationStyle(style));
            }
            Command::EditDetails { id, changes, reset } => {
                for (field, value) in &changes {
                    crate::library::edits_check(field, value)?;
                }
                for field in &reset {
                    self.library.reset_field(id, field)?;
                }
                for (field, value) in &changes {
                    self.library.edit_field(id, field, value)?;
                }
                self.changed_article(id, Change::Everything)?;
            }
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
                self.changed_article(old.article, Change::Annotations)?;
            }
            Command::DeleteHighlightIfUnchanged(highlight) => {
                // `replay` checked it is unchanged.
                self.library.delete_highlight(highlight.id)?;
                self.changed_article(highlight.article, Change::Annotations)?;
            }
            Command::RestoreTags(snapshot) => {
                self.library.restore_tags(&snapshot)?;
                self.emit_overview(Change::Collections)?;
                self.changed(Change::Tags)?;
            }
            Command::Record { command, session } => {
                // Always answered, so the window knows nothing is being
                // recorded any more.
                let result = self.record(*command, session, cancel);
                let step = result.as_ref().ok().cloned().flatten().map(Box::new);
                self.emit(Event::Recorded(step));
                result?;
            }
            Command::Undo(step) => self.replay(*step, false),
            Command::Redo(step) => self.replay(*step, true),
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
                self.spawn_export(format, ids, out, overwrite, cancel)?;
            }
            Command::Merge(path) => self.spawn_merge(path, cancel)?,
            Command::LoadImage { sha256, thumbnail } => {
                let image = super::images::load(&self.library, &sha256, thumbnail);
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
                self.mark(ids, read, starred, |library, ids| {
                    if let Some(read) = read {
                        library.mark_read(ids, read)?;
                    }
                    if let Some(starred) = starred {
                        library.set_starred(ids, starred)?;
                    }
                    Ok(())
                })?;
            }
            Command::MarkReadAt(marks) => {
                let ids = marks.iter().map(|(id, _)| *id).collect();
                self.mark(ids, Some(true), None, |library, _| {
                    library.mark_read_at(&marks)?;
                    Ok(())
                })?;
            }
            Command::SetPosition(id, position) => {
                self.library.set_reading_position(id, Some(position))?;
            }
            Command::SaveCollection(name, query) => {
                let created = self.library.save_collection(&name, &query)?;
                self.emit(Event::Collection(CollectionChange::Saved {
                    name,
                    replaced: !created,
                }));
                self.emit_overview(Change::Collections)?;
            }
            Command::RenameCollection(old, new) => {
                self.library.rename_collection(&old, &new)?;
                self.emit(Event::Collection(CollectionChange::Renamed { old, new }));
                self.emit_overview(Change::Collections)?;
            }
            Command::RemoveCollection(name) => {
                self.library.remove_collection(&name)?;
                self.emit(Event::Collection(CollectionChange::Removed(name)));
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
            Command::HighlightIds {
                generation,
                query,
                order,
            } => {
                let q = query.trim();
                // A bad query is reported by the list's own count; the
                // view lists nothing for it.
                let ids = self
                    .library
                    .highlight_ids((!q.is_empty()).then_some(q), order)
                    .unwrap_or_default();
                self.emit(Event::HighlightIds { generation, ids });
            }
            Command::HighlightPage {
                generation,
                page,
                ids,
            } => {
                let rows = self.library.highlight_entries(&ids)?;
                self.emit(Event::HighlightPage {
                    generation,
                    page,
                    rows,
                });
            }
            Command::WriteHighlights { ids, format, out } => {
                let entries = self.library.highlight_entries(&ids)?;
                let style = crate::export::references::chosen_style_name(&self.library);
                let style = crate::cite::Style::by_name(&style)?;
                let text =
                    crate::export::highlights::render(&self.library, &entries, format, &style)?;
                let text = match &out {
                    Some(path) => {
                        crate::export::highlights::write_file(path, &text)?;
                        String::new()
                    }
                    None => text,
                };
                self.emit(Event::HighlightsWritten {
                    text,
                    format,
                    count: entries.len(),
                    out,
                });
            }
            Command::EmptyTrash => {
                let removed = self.library.empty_trash()?;
                self.emit(Event::Done(Outcome::TrashEmptied(
                    usize::try_from(removed).unwrap_or(usize::MAX),
                )));
                self.changed(Change::Everything)?;
            }
        }
        Ok(())
    }

    /// Run a change the window records for undo: its step (`None` when
    /// the change altered nothing).
    fn record(
        &mut self,
        command: Command,
        session: u64,
        cancel: CancelToken,
    ) -> anyhow::Result<Option<Step>> {
        if let Command::AddHighlight {
            article,
            range,
            colour,
        } = &command
        {
            // Its id is known only once it exists: made again whole, taken
            // back only while it is as made.
            let made = self
                .library
                .add_highlight(*article, range.clone(), *colour, "")?;
            self.changed_article(*article, Change::Annotations)?;
            return Ok(Some(Step {
                redo: vec![Command::RestoreHighlight(Box::new(made.clone()))],
                undo: vec![Command::DeleteHighlightIfUnchanged(Box::new(made))],
                done: command,
                session,
            }));
        }
        let plan = super::record::plan(&self.library, &command)?;
        self.handle(command.clone(), cancel)?;
        Ok(plan.map(|(redo, undo)| Step {
            done: command,
            redo,
            undo,
            session,
        }))
    }

    /// Undo (or with `redo`, make again) a recorded step: its commands in
    /// order, then [`Event::Undone`] / [`Event::Redone`], or
    /// [`Event::NotUndone`] with why at the first that fails.
    fn replay(&mut self, step: Step, redo: bool) {
        let commands = if redo { &step.redo } else { &step.undo };
        for command in commands.clone() {
            let result = match &command {
                Command::DeleteHighlightIfUnchanged(made) => {
                    match self.library.highlight(made.id) {
                        Ok(now) if now.comment != made.comment || now.colour != made.colour => {
                            Err(Failure::HighlightChanged)
                        }
                        Ok(_) => Ok(()),
                        Err(err) => Err(Failure::Other(err.to_string())),
                    }
                }
                _ => Ok(()),
            }
            .and_then(|()| {
                self.handle(command, CancelToken::default())
                    .map_err(|err| Failure::Other(format!("{err:#}")))
            });
            if let Err(failure) = result {
                self.emit(Event::NotUndone {
                    step: Box::new(step),
                    redo,
                    failure,
                });
                return;
            }
        }
        self.emit(if redo {
            Event::Redone(Box::new(step))
        } else {
            Event::Undone(Box::new(step))
        });
    }

    /// Mark `ids` (read and starred as `read` and `starred` say, by
    /// `change`): the overview changes by what the articles counted for
    /// before and after, and the rows change in place ([`Event::Marked`]).
    fn mark(
        &mut self,
        ids: Vec<ArticleId>,
        read: Option<bool>,
        starred: Option<bool>,
        change: impl FnOnce(&mut Library, &[ArticleId]) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let before = match &self.overview {
            Some(previous) => Some(self.library.marked_part(previous, &ids)?),
            None => None,
        };
        change(&mut self.library, &ids)?;
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
        Ok(())
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
        let article = self.library.article_without_image_bytes(id)?;
        self.emit_opened(article)?;
        self.changed(change)
    }

    /// An article for the reader, then its versions when it has several.
    fn emit_opened(&mut self, mut article: StoredArticle) -> anyhow::Result<()> {
        let id = article.id;
        // The inspector's Source section: the original's size, SHA-256 and
        // kind. An original that does not decompress (`check` names it)
        // leaves the section without them; the article still opens.
        article.original = self.library.original_file(id).unwrap_or_else(|err| {
            log::warn!("article {id}: {err}");
            None
        });
        self.emit(Event::Opened(Arc::new(article)));
        if self.library.version_count(id)? > 1 {
            let versions = self.library.versions(id)?;
            self.emit(Event::Versions { id, versions });
        }
        Ok(())
    }
}

/// The worker end to end: cancelling one task leaves another alone.
#[cfg(test)]
mod tests {
    use std::io::{Read as _, Write as _};
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::jobs::FetchFailure;
    use crate::library::ImportOptions;
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
    fn fetch_cancelling(task: Task) -> Vec<Result<Outcome, Failure>> {
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
        events
            .into_iter()
            .filter_map(|e| match e {
                Event::Done(outcome) => Some(Ok(outcome)),
                Event::Error(failure) => Some(Err(failure)),
                _ => None,
            })
            .collect()
    }

    /// One cancel flag used to serve every task: cancelling an import
    /// stopped a fetch (or export, or merge) running beside it.
    #[test]
    fn cancelling_an_import_leaves_a_running_fetch_alone() {
        assert_eq!(
            fetch_cancelling(Task::Import),
            [Ok(Outcome::Fetched {
                fetched: 1,
                failed: Vec::new()
            })]
        );
    }

    #[test]
    fn cancelling_a_fetch_stops_it() {
        let outcomes = fetch_cancelling(Task::Fetch);
        assert!(
            matches!(
                outcomes.as_slice(),
                [Ok(Outcome::Fetched { fetched: 0, failed })]
                    if failed.iter().map(|f| &f.why).eq([&FetchFailure::Cancelled])
            ),
            "{outcomes:?}"
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

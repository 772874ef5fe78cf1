//! Applying actions and worker events to the state, at the end of the
//! frame: the only code that changes shared state or talks to the worker.

use std::path::PathBuf;
use std::time::Duration;

use super::import_ui;
use super::inspector_ui::NoteState;
use super::library_files_ui::{ExportDialog, PathDialog, Scope};
use super::selection;
use super::state::Pane;
use super::state::{ListState, Row, TextureCache, TrashList};
use super::windows_ui::{RenameTag, Windows, Zoom};
use super::{Action, FolioApp};
use crate::jobs::{Command, Event, PAGE_ROWS, Worker};
use crate::library::{ArticleId, Change};
use crate::samples;

/// How long the search box waits after the last keystroke.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);
/// How long the note editor waits after the last keystroke before saving.
const NOTE_SAVE_DELAY: Duration = Duration::from_millis(800);
/// How long an article stays open before it counts as read.
pub(super) const READ_AFTER: Duration = Duration::from_secs(3);

impl FolioApp {
    /// Run the list's query again from its first page.
    pub(super) fn refresh_list(&mut self) {
        let query = self.library.query();
        if query != self.list.query {
            // The selection is of the old result's rows.
            self.library.selection.clear();
            self.library.anchor = None;
        }
        self.list.generation += 1;
        self.list.query = query.clone();
        self.list.total = None;
        self.list.pages.clear();
        self.list.requested.clear();
        self.worker.send(Command::Count {
            generation: self.list.generation,
            query: query.clone(),
        });
        // The rows first, then the timeline above them.
        self.request_page(0);
        self.worker.send(Command::Timeline {
            generation: self.list.generation,
            query,
        });
    }

    /// Ask for one page of the list, unless it is here or asked for.
    fn request_page(&mut self, page: usize) {
        if self.list.pages.contains_key(&page) || !self.list.requested.insert(page) {
            return;
        }
        self.worker.send(Command::Page {
            generation: self.list.generation,
            query: self.list.query.clone(),
            sort: self.persisted.order,
            page,
        });
    }

    /// Open an article in the reader.
    pub(super) fn select(&mut self, id: ArticleId) {
        self.flush_note();
        self.save_position();
        self.selected = Some(id);
        self.persisted.last_article = Some(id.0);
        self.persisted.last_library = Some(self.library_path.clone());
        self.worker.send(Command::Open(id));
    }

    /// Remember where the reader stands in the open article (it is restored
    /// when the article is opened again).
    pub(super) fn save_position(&mut self) {
        if let Some((id, at)) = self.reader.position()
            && Some(id) == self.selected
            && self
                .saved_position
                .is_none_or(|(was, then)| was != id || (then - at).abs() > 0.001)
        {
            self.saved_position = Some((id, at));
            self.worker.send(Command::SetPosition(id, at));
        }
    }

    /// Mark the open article read once it has been open for [`READ_AFTER`]
    /// or scrolled to its end (once per opening: marking it unread again
    /// sticks); asks for a frame when the time will be up.
    fn mark_read_when_read(&mut self, ctx: &egui::Context) {
        let Some(article) = &self.article else { return };
        let Some((id, since, done)) = &mut self.opened else {
            return;
        };
        if *done || *id != article.id || article.reading.read_at.is_some() {
            return;
        }
        let waited = since.elapsed();
        if waited >= READ_AFTER || self.reader.at_end() {
            *done = true;
            let id = *id;
            self.worker.send(Command::Mark {
                ids: vec![id],
                read: Some(true),
                starred: None,
            });
        } else {
            ctx.request_repaint_after(READ_AFTER - waited);
        }
    }

    /// The rows a key or a menu marks: the selected rows, else the open
    /// article; with whether they are all read and all starred now.
    fn mark_targets(&self) -> Option<(Vec<ArticleId>, bool, bool)> {
        if !self.library.selection.is_empty() {
            let ids = self.library.selected_ids();
            let rows: Vec<&super::state::Row> = (0..self.list.total.unwrap_or(0))
                .filter_map(|i| self.list.row(i))
                .filter(|r| self.library.selection.contains(&r.summary.id))
                .collect();
            let read = rows.iter().all(|r| r.summary.read);
            let starred = rows.iter().all(|r| r.summary.starred);
            return Some((ids, read, starred));
        }
        let article = self.article.as_ref()?;
        Some((
            vec![article.id],
            article.reading.read_at.is_some(),
            article.reading.starred,
        ))
    }

    /// Articles were marked: their rows and the open article change in place.
    fn take_marked(&mut self, ids: &[ArticleId], read: Option<bool>, starred: Option<bool>) {
        for rows in self.list.pages.values_mut() {
            for row in rows.iter_mut().filter(|r| ids.contains(&r.summary.id)) {
                if let Some(read) = read {
                    row.summary.read = read;
                }
                if let Some(starred) = starred {
                    row.summary.starred = starred;
                }
            }
        }
        if let Some(article) = &mut self.article
            && ids.contains(&article.id)
        {
            let article = std::sync::Arc::make_mut(article);
            if let Some(read) = read {
                article.reading.read_at = read.then(|| "now".to_owned());
            }
            if let Some(starred) = starred {
                article.reading.starred = starred;
            }
        }
    }

    /// Save the note now if it has unsaved changes.
    pub(super) fn flush_note(&mut self) {
        let note = &mut self.inspector.note;
        if let (Some(id), Some(_)) = (note.article, note.dirty_since) {
            self.worker.send(Command::SetNote(id, note.text.clone()));
            note.dirty_since = None;
        }
    }

    /// Take in what the worker reported since the last frame.
    pub(super) fn handle_events(&mut self, ctx: &egui::Context) {
        for event in self.worker.poll() {
            match event {
                Event::Counted { generation, total } if generation == self.list.generation => {
                    self.list.total = Some(total);
                    if self.list.query.is_empty() {
                        self.library_total = Some(total);
                    }
                    // The query runs: a message about a bad one no longer applies.
                    if let Some(message) = self.query_status.take()
                        && self.status.as_deref() == Some(message.as_str())
                    {
                        self.status = None;
                    }
                    if total == 0
                        && self.library.search.is_empty()
                        && !self.library.has_filter()
                        && self.import.open_featured_after
                        && !self.import.running
                    {
                        self.apply(ctx, Action::LoadSamples);
                    } else if total > 0
                        && self.import.open_featured_after
                        && !self.import.running
                        && self.article.is_none()
                    {
                        self.open_featured();
                    }
                }
                Event::Page {
                    generation,
                    page,
                    rows,
                } if generation == self.list.generation => {
                    self.list.requested.remove(&page);
                    self.list.pages.insert(
                        page,
                        rows.into_iter()
                            .map(|(summary, snippet)| Row { summary, snippet })
                            .collect(),
                    );
                }
                Event::Counted { .. } | Event::Page { .. } => {}
                Event::Opened(article) => {
                    if Some(article.id) == self.selected || self.selected.is_none() {
                        self.selected = Some(article.id);
                        if self.opened.is_none_or(|(id, _, _)| id != article.id) {
                            // A new opening: its reading time starts, and
                            // the reader goes back to where it was left.
                            self.opened = Some((article.id, std::time::Instant::now(), false));
                            if let Some(at) = article.reading.position.filter(|p| *p > 0.0) {
                                self.reader.restore = Some((article.id, at));
                            }
                        }
                        if self.inspector.note.article != Some(article.id) {
                            self.inspector.note = NoteState {
                                article: Some(article.id),
                                text: article.note.clone().unwrap_or_default(),
                                dirty_since: None,
                                preview: false,
                                saved: true,
                            };
                        }
                        self.article = Some(article);
                    }
                }
                Event::Overview(overview) => {
                    self.tags = super::state::flat_tags(&overview.tags);
                    self.library_total = usize::try_from(overview.articles).ok();
                    // A collection shown that is gone (deleted, renamed).
                    if let Some(name) = &self.library.collection
                        && !overview
                            .collections
                            .iter()
                            .any(|c| &c.collection.name == name)
                    {
                        self.library.collection = None;
                        self.refresh_list();
                    }
                    self.overview = Some(*overview);
                }
                Event::Marked { ids, read, starred } => self.take_marked(&ids, read, starred),
                Event::Timeline {
                    generation,
                    timeline,
                } => {
                    if generation == self.list.generation {
                        self.timeline = Some(timeline);
                    }
                }
                Event::Changed => self.library_changed(),
                Event::ChangedElsewhere => {
                    self.library_changed();
                    // Another process may have tagged, noted or replaced the
                    // open article (this window's own import adds articles).
                    if let Some(id) = self.selected.filter(|_| !self.import.running) {
                        self.worker.send(Command::Open(id));
                    }
                }
                Event::NoteSaved(id) => {
                    let note = &mut self.inspector.note;
                    if note.article == Some(id) && note.dirty_since.is_none() {
                        note.saved = true;
                    }
                }
                Event::Progress { done, total } => {
                    self.import.running = true;
                    self.import.done = done;
                    self.import.total = total;
                }
                Event::ImportFailed(message) => {
                    log::warn!("{message}");
                    self.import.running = false;
                    self.import.open_first_after = false;
                    self.status = Some(message);
                }
                Event::ImportDone(report) => {
                    self.import.running = false;
                    let mut status = format!(
                        "Imported {} · updated {} · duplicates {} · failed {}",
                        report.imported,
                        report.updated,
                        report.duplicates,
                        report.failed.len()
                    );
                    if !report.upgraded.is_empty() {
                        status.push_str(&format!(" · better copies {}", report.upgraded.len()));
                    }
                    if !report.skipped.is_empty() {
                        status.push_str(&format!(" · not pages {}", report.skipped.len()));
                    }
                    if !report.restored.is_empty() {
                        status.push_str(&format!(" · restored {}", report.restored.len()));
                    }
                    self.status = Some(status);
                    // Only new articles: the counts grow by what they add.
                    let change = if report.updated == 0
                        && report.upgraded.is_empty()
                        && report.restored.is_empty()
                    {
                        Change::Appended
                    } else {
                        Change::Everything
                    };
                    if let Some(id) = self.import.take_article_to_open(&report) {
                        self.select(id);
                    }
                    // Failures, better copies and duplicates (each with "Use
                    // this copy instead") are worth a report window.
                    if !report.failed.is_empty()
                        || !report.upgraded.is_empty()
                        || !report.restored.is_empty()
                        || !report.separate.is_empty()
                        || !report.duplicate_of.is_empty()
                        || report.cancelled
                    {
                        self.import.report = Some(report);
                    }
                    self.worker.send(Command::LoadOverview(change));
                    if self.import.open_featured_after {
                        self.open_featured();
                    }
                }
                Event::Image {
                    sha256,
                    thumbnail,
                    image,
                } => {
                    self.textures.insert(ctx, sha256, thumbnail, image);
                }
                Event::Status(message) => self.status = Some(message),
                Event::Done(message) => {
                    self.status = Some(message);
                    self.worker.send(Command::LoadOverview(Change::Everything));
                }
                Event::ExportTargetExists(path) => {
                    // Nothing was started: "Exporting…" no longer applies.
                    self.tasks.retain(|t| t.task != crate::jobs::Task::Export);
                    self.status = Some(format!("{} exists already", path.display()));
                    if let Some(dialog) = &mut self.dialogs.export {
                        dialog.confirm_replace = Some(path);
                    }
                }
                Event::HighlightDeleted(highlight) => {
                    self.status = Some("Highlight deleted (Ctrl+Z to undo)".to_owned());
                    self.undo_highlight = Some(highlight);
                }
                Event::Error(message) => {
                    log::warn!("{message}");
                    self.status = Some(message);
                }
                Event::MatchingIds { generation, ids } => {
                    if generation == self.list.generation {
                        self.library.selection = ids.into_iter().collect();
                    }
                }
                Event::Trash { page, rows } => self.take_trash_page(page, rows),
                Event::TaskProgress { task, done, total } => {
                    if let Some(running) = self.tasks.iter_mut().find(|t| t.task == task) {
                        running.done = done;
                        running.total = total;
                    }
                }
                Event::TaskEnded(task) => self.tasks.retain(|t| t.task != task),
                Event::QueryFailed {
                    generation,
                    message,
                } => {
                    if generation == self.list.generation {
                        self.status = Some(message.clone());
                        self.query_status = Some(message);
                    }
                }
            }
        }
    }

    /// The library changed: the list (and the trash view) again.
    fn library_changed(&mut self) {
        self.refresh_list();
        if self.library.show_trash {
            self.trash.loaded = false;
            self.worker.send(Command::ListTrash { page: 0 });
        }
    }

    /// Show another library file: a new worker, everything else reset.
    fn switch_library(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.flush_note();
        self.save_position();
        let ctx = ctx.clone();
        match Worker::start(&path, self.offline, move || ctx.request_repaint()) {
            Ok(worker) => {
                self.worker = worker;
                self.library_path = path;
                self.list = ListState::default();
                self.article = None;
                self.selected = None;
                self.persisted.last_article = None;
                self.inspector.note = NoteState::default();
                self.tags.clear();
                self.library.include_tags.clear();
                self.library.exclude_tags.clear();
                self.library.collection = None;
                self.overview = None;
                self.opened = None;
                self.textures = TextureCache::default();
                // What refers to the old library's articles, images or tags.
                self.undo_trash = None;
                self.undo_trash_many.clear();
                self.export_chosen.clear();
                self.library.selection.clear();
                self.library.anchor = None;
                self.library.show_trash = false;
                self.trash = TrashList::default();
                self.library_total = None;
                self.tasks.clear();
                self.query_status = None;
                self.windows = Windows::default();
                self.status = Some(format!("Opened {}", self.library_path.display()));
                self.refresh_list();
                self.worker.send(Command::LoadOverview(Change::Everything));
            }
            Err(err) => self.status = Some(format!("cannot open {}: {err:#}", path.display())),
        }
    }

    /// Send an import command, showing its progress from now on.
    fn start_import(&mut self, command: Command) {
        self.import.running = true;
        self.import.done = 0;
        self.import.total = 0;
        self.import.report = None;
        self.worker.send(command);
    }

    /// The article to open once the open one and `ids` are trashed: the
    /// next row not trashed, else the one before; with the row it will
    /// stand at once they are gone.
    fn next_after_trash(&self, ids: &[ArticleId]) -> Option<(ArticleId, usize)> {
        let open = self.list.index_of(self.selected?)?;
        let total = self.list.total.unwrap_or(0);
        let kept = |i: usize| {
            self.list
                .row(i)
                .map(|r| r.summary.id)
                .filter(|id| !ids.contains(id))
        };
        let gone_before = |i: usize| (0..i).filter(|&j| kept(j).is_none()).count();
        (open + 1..total.min(open + 1 + PAGE_ROWS))
            .chain((0..open).rev())
            .find_map(|i| kept(i).map(|id| (id, i - gone_before(i))))
    }

    /// Open the article chosen by [`Self::next_after_trash`] and keep its row in view.
    fn open_after_trash(&mut self, next: Option<(ArticleId, usize)>) {
        if let Some((id, row)) = next {
            self.select(id);
            self.library.scroll_to_row = Some(row);
        }
    }

    /// Show a long task in the status bar until it ends.
    fn start_task(&mut self, task: crate::jobs::Task, label: &str) {
        self.tasks.retain(|t| t.task != task);
        self.tasks.push(super::state::RunningTask {
            task,
            label: label.to_owned(),
            done: 0,
            total: 0,
        });
    }

    /// A page of the trash arrived: the first replaces, later ones append.
    fn take_trash_page(&mut self, page: usize, rows: Vec<crate::library::ArticleSummary>) {
        if page == 0 {
            self.trash.rows.clear();
        } else if self.trash.rows.len() != page * PAGE_ROWS {
            return;
        }
        self.trash.complete = rows.len() < PAGE_ROWS;
        self.trash.rows.extend(rows);
        self.trash.loaded = true;
    }

    /// Apply the actions of bulk work, the trash view and the status bar
    /// (`None`: not one of them).
    fn apply_bulk(&mut self, action: Action) -> Option<Action> {
        match action {
            Action::SelectAllRows => {
                self.worker.send(Command::MatchingIds {
                    generation: self.list.generation,
                    query: self.list.query.clone(),
                });
            }
            Action::TrashMany(ids) => {
                if ids.is_empty() {
                    return None;
                }
                self.flush_note();
                let next = self.next_after_trash(&ids);
                if self.selected.is_some_and(|open| ids.contains(&open)) {
                    self.article = None;
                    self.selected = None;
                    self.open_after_trash(next);
                }
                self.status = Some(format!(
                    "Moved {} to the trash",
                    crate::jobs::counted(ids.len(), "article", "articles")
                ));
                self.worker.send(Command::TrashMany(ids.clone()));
                self.undo_trash = None;
                self.undo_trash_many = ids;
                self.library.selection.clear();
                self.library.anchor = None;
            }
            Action::ExportMany(ids) => {
                self.dialogs.export = Some(ExportDialog {
                    chosen: ids.len(),
                    scope: Scope::Chosen,
                    ..Default::default()
                });
                self.export_chosen = ids;
            }
            Action::ShowTrash(show) => {
                self.library.show_trash = show;
                self.library.confirm_empty = false;
                if show {
                    self.trash = TrashList::default();
                    self.worker.send(Command::ListTrash { page: 0 });
                }
            }
            Action::RequestTrashPage(page) => self.worker.send(Command::ListTrash { page }),
            Action::RestoreMany(ids) => {
                self.status = Some(format!(
                    "Restored {} from the trash",
                    crate::jobs::counted(ids.len(), "article", "articles")
                ));
                self.undo_trash_many.retain(|id| !ids.contains(id));
                if self.undo_trash.is_some_and(|id| ids.contains(&id)) {
                    self.undo_trash = None;
                }
                self.worker.send(Command::RestoreMany(ids));
            }
            Action::CloseWindows => self.close_windows(),
            Action::EmptyTrash => {
                self.undo_trash = None;
                self.undo_trash_many.clear();
                self.status = Some("Emptying the trash…".to_owned());
                self.worker.send(Command::EmptyTrash);
            }
            other => return Some(other),
        }
        None
    }

    fn open_featured(&mut self) {
        self.import.open_featured_after = false;
        self.worker
            .send(Command::OpenFirst(samples::FEATURED_TITLE.to_owned()));
    }

    /// Apply one action: the only place where shared state changes and
    /// commands go to the worker.
    pub(super) fn apply(&mut self, ctx: &egui::Context, action: Action) {
        let Some(action) = self.apply_bulk(action) else {
            return;
        };
        match action {
            Action::Select(id) => self.select(id),
            Action::MoveSelection(delta) => {
                let total = self.list.total.unwrap_or(0);
                if total == 0 {
                    return;
                }
                let current = self.selected.and_then(|id| self.list.index_of(id));
                let next = match current {
                    Some(i) => i.saturating_add_signed(delta).min(total - 1),
                    None => 0,
                };
                if let Some(row) = self.list.row(next) {
                    let id = row.summary.id;
                    self.select(id);
                    self.library.scroll_to_row = Some(next);
                } else {
                    self.request_page(next / PAGE_ROWS);
                }
            }
            Action::ToggleTagFilter { name, exclude } => {
                let library = &mut self.library;
                let (set, other) = if exclude {
                    (&mut library.exclude_tags, &mut library.include_tags)
                } else {
                    (&mut library.include_tags, &mut library.exclude_tags)
                };
                other.remove(&name);
                if !set.remove(&name) {
                    set.insert(name);
                }
                self.refresh_list();
            }
            Action::SetOrder(order) => {
                self.persisted.order = order;
                self.refresh_list();
            }
            Action::SetReadFilter(filter) => {
                self.library.read_filter = filter;
                self.library.show_trash = false;
                self.refresh_list();
            }
            Action::OpenCollection(name) => {
                self.library.collection = name;
                self.library.show_trash = false;
                self.refresh_list();
            }
            Action::CollectionDialog { old, query } => {
                self.windows.collection = Some(super::windows_ui::CollectionWindow {
                    name: old.clone().unwrap_or_default(),
                    old,
                    query,
                });
            }
            Action::SetDateRange { after, before } => {
                self.library.search =
                    super::library_ui::with_date_range(&self.library.search, &after, &before);
                self.library.search_changed = None;
                self.refresh_list();
            }
            Action::ClearDateRange => {
                self.library.search = super::library_ui::without_date_range(&self.library.search);
                self.library.search_changed = None;
                self.refresh_list();
            }
            Action::ToggleRead => {
                if let Some((ids, read, _)) = self.mark_targets() {
                    if let Some(open) = &mut self.opened {
                        // Marked by hand: not marked read again this opening.
                        open.2 = true;
                    }
                    self.worker.send(Command::Mark {
                        ids,
                        read: Some(!read),
                        starred: None,
                    });
                }
            }
            Action::ToggleStar => {
                if let Some((ids, _, starred)) = self.mark_targets() {
                    self.worker.send(Command::Mark {
                        ids,
                        read: None,
                        starred: Some(!starred),
                    });
                }
            }
            Action::RequestPage(page) => self.request_page(page),
            Action::Worker(command) => {
                let library = &mut self.library;
                let mut refresh = false;
                match &command {
                    Command::RenameTag(old, new) => {
                        for set in [&mut library.include_tags, &mut library.exclude_tags] {
                            if set.remove(old) {
                                set.insert(new.clone());
                            }
                        }
                    }
                    Command::DeleteTag(name) => {
                        library.include_tags.remove(name);
                        library.exclude_tags.remove(name);
                    }
                    Command::RenameCollection(old, new)
                        if library.collection.as_ref() == Some(old) =>
                    {
                        library.collection = Some(new.clone());
                        refresh = true;
                    }
                    _ => {}
                }
                self.worker.send(command);
                if refresh {
                    self.refresh_list();
                }
            }
            Action::Cancel(task) => self.worker.cancel(task),
            Action::OpenPathDialog => import_ui::open_path_dialog(&mut self.import, None),
            Action::FocusSearch => {
                self.persisted.show_library = true;
                self.library.focus_search = true;
                ctx.request_repaint();
            }
            Action::FocusTagInput => {
                self.persisted.show_inspector = true;
                self.inspector.focus_tag_input = true;
                ctx.request_repaint();
            }
            Action::RenameTagDialog(name) => {
                self.windows.rename = Some(RenameTag {
                    old: name.clone(),
                    new: name,
                });
                ctx.request_repaint();
            }
            Action::Import(paths) => {
                if !paths.is_empty() {
                    self.start_import(Command::Import(paths));
                }
            }
            Action::ReplaceWithCopy(path) => {
                self.import.open_first_after = true;
                self.start_import(Command::ImportReplacing(vec![path]));
            }
            Action::PickFiles { folder } => import_ui::pick_files(&mut self.import, folder),
            Action::TrashOpen if !self.library.selection.is_empty() => {
                let ids = self.library.selected_ids();
                self.apply(ctx, Action::TrashMany(ids));
            }
            Action::TrashOpen => {
                if let Some(id) = self.selected {
                    self.undo_trash_many.clear();
                    self.flush_note();
                    let next = self.next_after_trash(&[id]);
                    self.worker.send(Command::Trash(id));
                    self.undo_trash = Some(id);
                    self.status = Some("Moved to the trash".to_owned());
                    self.article = None;
                    self.selected = None;
                    self.open_after_trash(next);
                }
            }
            Action::UndoTrash if !self.undo_trash_many.is_empty() => {
                let ids = std::mem::take(&mut self.undo_trash_many);
                self.apply(ctx, Action::RestoreMany(ids));
            }
            Action::UndoTrash => {
                if let Some(id) = self.undo_trash.take() {
                    self.worker.send(Command::Restore(id));
                    self.status = Some("Restored from the trash".to_owned());
                    self.select(id);
                }
            }
            Action::TextSize(delta) => {
                self.persisted.text_size = (self.persisted.text_size + delta).clamp(11.0, 32.0);
            }
            Action::ReaderFont(font) => self.persisted.reader_font = font,
            Action::TogglePane(Pane::Library) => {
                self.persisted.show_library = !self.persisted.show_library;
            }
            Action::TogglePane(Pane::Inspector) => {
                self.persisted.show_inspector = !self.persisted.show_inspector;
            }
            Action::ScrollReader(scroll) => {
                self.reader.scroll = Some(scroll);
                ctx.request_repaint();
            }
            Action::SelectAll => {
                if let Some(article) = &self.article {
                    self.reader.selection =
                        selection::select_all(&selection::text_blocks(&article.article));
                    ctx.request_repaint();
                }
            }
            Action::CopySelection { quote } => {
                if let (Some(article), Some(selected)) = (&self.article, self.reader.selection) {
                    let blocks = selection::text_blocks(&article.article);
                    let text = if quote {
                        selection::quote_text(&article.article, &blocks, &selected)
                    } else {
                        selection::plain_text(&blocks, &selected)
                    };
                    if !text.is_empty() {
                        ctx.copy_text(text);
                    }
                }
            }
            Action::LoadSamples => {
                self.import.open_featured_after = true;
                // Next to the library, so a test's or a portable library's
                // samples stay with it.
                let dir = self
                    .library_path
                    .parent()
                    .map_or_else(samples::data_dir, |p| p.join("folio-samples"));
                self.start_import(Command::ImportSamples(dir));
            }
            Action::ZoomImage(sha256) => {
                self.windows.zoom = Some(Zoom { sha256, scale: 1.0 });
            }
            Action::OpenExport => {
                self.dialogs.export = Some(ExportDialog {
                    scope: if !self.library.has_filter() && self.library.search.trim().is_empty() {
                        Scope::All
                    } else {
                        Scope::Listed
                    },
                    ..Default::default()
                });
            }
            Action::OpenLibraryDialog => self.dialogs.open_library = Some(PathDialog::default()),
            Action::MergeDialog => self.dialogs.merge = Some(PathDialog::default()),
            Action::Export {
                format,
                scope,
                out,
                overwrite,
            } => {
                let (ids, query) = match scope {
                    Scope::Open => (Some(self.selected.into_iter().collect()), String::new()),
                    Scope::Listed => (None, self.library.query()),
                    Scope::All => (None, String::new()),
                    Scope::Chosen => (Some(self.export_chosen.clone()), String::new()),
                };
                self.status = Some(format!("Exporting to {}…", out.display()));
                self.start_task(crate::jobs::Task::Export, "Exporting");
                self.worker.send(Command::Export {
                    format,
                    ids,
                    query,
                    out,
                    overwrite,
                });
            }
            Action::OpenLibrary(path) => self.switch_library(ctx, path),
            Action::MergeLibrary(path) => {
                self.status = Some(format!("Importing the library {}…", path.display()));
                self.start_task(crate::jobs::Task::Merge, "Merging");
                self.worker.send(Command::Merge(path));
            }
            Action::Highlight(colour) => self.highlight_selection(colour),
            Action::OpenHighlight(id) => self.highlight_editor.open(id),
            Action::ShowHighlight(id) => self.show_highlight(id),
            Action::ReattachHighlight(id) => {
                if let Some(range) = self.selected_range() {
                    self.worker.send(Command::ReattachHighlight(id, range));
                    self.reader.selection = None;
                } else {
                    self.status =
                        Some("Select the highlight's new text in the reader first".to_owned());
                }
            }
            Action::UndoHighlight => {
                if let Some(highlight) = self.undo_highlight.take() {
                    self.status = Some("Highlight restored".to_owned());
                    self.worker.send(Command::RestoreHighlight(highlight));
                }
            }
            Action::FetchImages(id) => {
                self.status = Some("Fetching images…".to_owned());
                self.start_task(crate::jobs::Task::Fetch, "Fetching images");
                self.worker.send(Command::FetchImages(id));
            }
            // Applied by `apply_bulk` before this match.
            Action::SelectAllRows
            | Action::TrashMany(_)
            | Action::ExportMany(_)
            | Action::ShowTrash(_)
            | Action::RequestTrashPage(_)
            | Action::RestoreMany(_)
            | Action::EmptyTrash
            | Action::CloseWindows => {}
        }
    }

    /// Some dialog or window is open (Escape closes them: [`Self::close_windows`]).
    pub(super) fn windows_open(&self) -> bool {
        self.windows.any_open()
            || self.dialogs.export.is_some()
            || self.dialogs.open_library.is_some()
            || self.dialogs.merge.is_some()
            || self.import.path_dialog
            || self.import.report.is_some()
    }

    /// Close every dialog and window that [`Self::windows_open`] looks at.
    fn close_windows(&mut self) {
        self.windows.rename = None;
        self.windows.collection = None;
        self.windows.zoom = None;
        self.dialogs.export = None;
        self.dialogs.open_library = None;
        self.dialogs.merge = None;
        self.import.path_dialog = false;
        self.import.report = None;
    }

    /// A deleted highlight of the open article can be put back.
    pub(super) fn can_undo_highlight(&self) -> bool {
        self.undo_highlight
            .as_ref()
            .is_some_and(|h| Some(h.article) == self.selected)
    }

    /// The canonical range of the reader's selection, if it holds text.
    fn selected_range(&self) -> Option<std::ops::Range<usize>> {
        let article = self.article.as_ref()?;
        let selected = self.reader.selection.filter(|s| !s.is_empty())?;
        selection::TextMap::new(&article.article).range(&selected)
    }

    /// Highlight the reader's selection in `colour`.
    fn highlight_selection(&mut self, colour: crate::library::Colour) {
        let (Some(article), Some(range)) = (self.selected, self.selected_range()) else {
            return;
        };
        self.worker.send(Command::AddHighlight {
            article,
            range,
            colour,
        });
        self.reader.selection = None;
    }

    /// Scroll the reader to a highlight and open its comment editor.
    fn show_highlight(&mut self, id: crate::library::HighlightId) {
        let Some(article) = &self.article else { return };
        let Some(highlight) = article.highlights.iter().find(|h| h.id == id) else {
            return;
        };
        if !highlight.orphan {
            let map = selection::TextMap::new(&article.article);
            self.reader.scroll_to_block = Some(map.pos(highlight.position.start).block);
        }
        self.highlight_editor.open(id);
    }

    /// Refresh the list once typing pauses; save the note likewise; mark
    /// the open article read once it has been read.
    pub(super) fn tick(&mut self, ctx: &egui::Context) {
        self.mark_read_when_read(ctx);
        if self
            .library
            .search_changed
            .is_some_and(|t| t.elapsed() >= SEARCH_DEBOUNCE)
        {
            self.library.search_changed = None;
            self.refresh_list();
        }
        if self
            .inspector
            .note
            .dirty_since
            .is_some_and(|t| t.elapsed() >= NOTE_SAVE_DELAY)
        {
            self.flush_note();
        }
    }
}

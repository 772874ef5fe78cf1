//! The list and the open article as the frame loop keeps them: running
//! the query again, asking for pages, opening an article, the rows a mark
//! changes in place, what opens after a trash, the trash view's pages, and
//! switching to another library file.

use std::path::PathBuf;

use crate::app::FolioApp;
use crate::app::action::Action;
use crate::app::state::{ListState, RunningTask, TextureCache, TrashList};
use crate::app::windows_ui::Windows;
use crate::jobs::{Command, PAGE_ROWS, Task, Worker};
use crate::library::{ArticleId, ArticleSummary, Change, HighlightId};

impl FolioApp {
    /// Run the list's query again from its first page.
    pub(in crate::app) fn refresh_list(&mut self) {
        let query = self.library.query();
        if query != self.list.query {
            // The selection is of the old result's rows.
            self.library.clear_selection();
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
        if self.library.shows_highlights() {
            self.refresh_highlights();
        }
    }

    /// List the highlights view's query again (the rows shown stay until
    /// the new list arrives).
    pub(in crate::app) fn refresh_highlights(&mut self) {
        self.highlights.generation += 1;
        self.highlights.query = self.library.query();
        self.worker.send(Command::HighlightIds {
            generation: self.highlights.generation,
            query: self.highlights.query.clone(),
            order: self.highlights.order,
        });
    }

    /// The highlights view's list arrived: its rows from the first page.
    pub(super) fn take_highlight_ids(&mut self, generation: u64, ids: Vec<HighlightId>) {
        if generation != self.highlights.generation {
            return;
        }
        self.highlights_pane.keep_selection_among(&ids);
        self.highlights.ids = Some(ids);
        self.highlights.loaded = generation;
        self.highlights.pages.clear();
        self.highlights.requested.clear();
        self.request_highlight_page(0);
    }

    /// Ask for one page of the highlights view, unless it is here, asked
    /// for, or the list it belongs to is not here yet.
    pub(super) fn request_highlight_page(&mut self, page: usize) {
        let list = &mut self.highlights;
        if list.loaded != list.generation
            || list.pages.contains_key(&page)
            || !list.requested.insert(page)
        {
            return;
        }
        let ids = list.page_ids(page);
        if ids.is_empty() {
            list.pages.insert(page, Vec::new());
            return;
        }
        self.worker.send(Command::HighlightPage {
            generation: list.generation,
            page,
            ids,
        });
    }

    /// [`Action::ShowHighlight`] for the highlight a click in the
    /// highlights view asked for, once the reader shows its article.
    pub(in crate::app) fn pending_highlight_shown(&mut self) -> Option<Action> {
        let (article, id) = self.pending_highlight?;
        let open = self.article.as_ref()?;
        if open.id != article || !open.highlights.iter().any(|h| h.id == id) {
            return None;
        }
        self.pending_highlight = None;
        Some(Action::ShowHighlight(id))
    }

    /// Ask for one page of the list, unless it is here or asked for.
    pub(super) fn request_page(&mut self, page: usize) {
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
    pub(in crate::app) fn select(&mut self, id: ArticleId) {
        self.pending_highlight = None;
        self.flush_typed();
        self.save_position();
        if self.selected != Some(id) {
            // Another article's note: another editing session.
            self.note_session += 1;
        }
        self.selected = Some(id);
        self.persisted.last_article = Some(id.0);
        self.persisted.last_library = Some(self.library_path.clone());
        self.worker.send(Command::Open(id));
    }

    /// Move the open article by `delta` rows of the list (asking for the
    /// page first when it is not here).
    pub(super) fn move_selection(&mut self, delta: isize) {
        let total = self.list.total.unwrap_or(0);
        if total == 0 {
            return;
        }
        let current = self.selected.and_then(|id| self.list.index_of(id));
        let next = match current {
            Some(i) => i.saturating_add_signed(delta).min(total - 1),
            None => 0,
        };
        self.open_row(next);
    }

    /// Open the list's row `next` (its page asked for when not loaded yet).
    pub(super) fn open_row(&mut self, next: usize) {
        if let Some(row) = self.list.row(next) {
            let id = row.summary.id;
            self.select(id);
            self.library.scroll_to_row(next);
        } else {
            self.request_page(next / PAGE_ROWS);
        }
    }

    /// The rows a key or a menu marks: the selected rows, else the open
    /// article; with whether they are all read and all starred now.
    pub(super) fn mark_targets(&self) -> Option<(Vec<ArticleId>, bool, bool)> {
        if self.library.selected_count() > 0 {
            let ids = self.library.selected_ids();
            let rows: Vec<_> = (0..self.list.total.unwrap_or(0))
                .filter_map(|i| self.list.row(i))
                .filter(|r| self.library.is_selected(r.summary.id))
                .collect();
            let read = rows.iter().all(|r| r.summary.read);
            let starred = rows.iter().all(|r| r.summary.starred);
            return Some((ids, read, starred));
        }
        // A trashed article previewed from the trash is read only.
        let article = self.article.as_ref().filter(|a| a.deleted_at.is_none())?;
        Some((
            vec![article.id],
            article.reading.read_at.is_some(),
            article.reading.starred,
        ))
    }

    /// Articles were marked: their rows and the open article change in place.
    pub(super) fn take_marked(
        &mut self,
        ids: &[ArticleId],
        read: Option<bool>,
        starred: Option<bool>,
    ) {
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

    /// The library changed: the list (and the trash view) again.
    pub(super) fn library_changed(&mut self) {
        self.refresh_list();
        if self.library.shows_trash() {
            self.trash.loaded = false;
            self.worker.send(Command::ListTrash { page: 0 });
        }
    }

    /// Show another library file: a new worker, everything else reset.
    pub(super) fn switch_library(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.flush_typed();
        self.save_position();
        let ctx = ctx.clone();
        match Worker::start(&path, self.offline, move || ctx.request_repaint()) {
            Ok(worker) => {
                self.worker = worker;
                self.library_path = path;
                self.list = ListState::default();
                self.highlights = crate::app::state::HighlightList::default();
                self.highlights_pane.forget_library();
                self.pending_highlight = None;
                self.article = None;
                self.selected = None;
                self.persisted.last_article = None;
                self.inspector.forget_note();
                self.tags.clear();
                self.library.forget_library();
                self.overview = None;
                self.opened = None;
                self.textures = TextureCache::default();
                // What refers to the old library's articles, images or tags.
                self.undo.clear();
                self.export_chosen.clear();
                self.trash = TrashList::default();
                self.library_total = None;
                self.tasks.clear();
                self.query_status = None;
                self.windows = Windows::default();
                self.status = Some(format!("Opened {}", self.library_path.display()));
                self.refresh_list();
                self.worker.send(Command::LoadOverview(Change::Everything));
                self.worker.send(Command::LoadCitationStyle);
            }
            Err(err) => self.status = Some(format!("cannot open {}: {err:#}", path.display())),
        }
    }

    /// Send an import command, showing its progress from now on.
    pub(super) fn start_import(&mut self, command: Command) {
        self.import.started();
        self.worker.send(command);
    }

    /// The article to open once the open one and `ids` are trashed: the
    /// next row not trashed, else the one before; with the row it will
    /// stand at once they are gone.
    pub(super) fn next_after_trash(&self, ids: &[ArticleId]) -> Option<(ArticleId, usize)> {
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
    pub(super) fn open_after_trash(&mut self, next: Option<(ArticleId, usize)>) {
        if let Some((id, row)) = next {
            self.select(id);
            self.library.scroll_to_row(row);
        }
    }

    /// Show a long task in the status bar until it ends.
    pub(super) fn start_task(&mut self, task: Task, label: &str) {
        self.tasks.retain(|t| t.task != task);
        self.tasks.push(RunningTask {
            task,
            label: label.to_owned(),
            done: 0,
            total: 0,
        });
    }

    /// A page of the trash arrived: the first replaces, later ones append.
    pub(super) fn take_trash_page(&mut self, page: usize, rows: Vec<ArticleSummary>) {
        if page == 0 {
            self.trash.rows.clear();
        } else if self.trash.rows.len() != page * PAGE_ROWS {
            return;
        }
        self.trash.complete = rows.len() < PAGE_ROWS;
        self.trash.rows.extend(rows);
        self.trash.loaded = true;
    }

    /// Ask for the sample article the window opens first.
    pub(super) fn open_featured(&mut self) {
        self.import.featured_opened();
        self.worker.send(Command::OpenFirst(
            crate::samples::FEATURED_TITLE.to_owned(),
        ));
    }
}

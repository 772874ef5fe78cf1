//! Applying actions and worker events, at the end of the frame: the only
//! code that changes shared state or talks to the worker. A pane's state
//! changes through the pane's own methods.
//!
//! The route of a window feature: a pane returns an [`Action`]
//! (`app::action`) → [`FolioApp::apply`] here, which hands the library's
//! changes to `apply::edits` (the one place an action becomes a worker
//! [`Command`]) → the worker (`jobs::worker`) answers with an event →
//! `apply::events` takes it in. `apply::list` keeps the list and the open
//! article, `apply::timers` what happens as time passes.

mod edits;
mod events;
mod list;
mod timers;

use crate::app::FolioApp;
use crate::app::action::{Action, Scope};
use crate::app::import_ui;
use crate::app::selection;
use crate::app::state::{Pane, TrashList};
use crate::app::words;
use crate::jobs::{Command, Task};
use crate::library::{Colour, HighlightId};

impl FolioApp {
    /// Apply one action: the only place where shared state changes and
    /// commands go to the worker.
    pub(in crate::app) fn apply(&mut self, ctx: &egui::Context, action: Action) {
        let Some(action) = self.apply_edit(action) else {
            return;
        };
        match action {
            Action::Select(id) => self.select(id),
            Action::MoveSelection(delta) => self.move_selection(delta),
            Action::RequestPage(page) => self.request_page(page),
            Action::SelectAllRows => {
                self.worker.send(Command::MatchingIds {
                    generation: self.list.generation,
                    query: self.list.query.clone(),
                });
            }
            Action::ToggleTagFilter { name, exclude } => {
                self.library.toggle_tag_filter(name, exclude);
                self.refresh_list();
            }
            Action::SetOrder(order) => {
                self.persisted.order = order;
                self.refresh_list();
            }
            Action::SetReadFilter(filter) => {
                self.library.set_read_filter(filter);
                self.refresh_list();
            }
            Action::OpenCollection(name) => {
                self.library.open_collection(name);
                self.refresh_list();
            }
            Action::SetDateRange { after, before } => {
                self.library.set_date_range(&after, &before);
                self.refresh_list();
            }
            Action::ClearDateRange => {
                self.library.clear_date_range();
                self.refresh_list();
            }
            Action::ToggleRead => {
                if let Some((ids, read, _)) = self.mark_targets() {
                    if let Some(open) = &mut self.opened {
                        // Marked by hand: not marked read again this opening.
                        open.2 = true;
                    }
                    let read = Some(!read);
                    self.apply(
                        ctx,
                        Action::Mark {
                            ids,
                            read,
                            starred: None,
                        },
                    );
                }
            }
            Action::ToggleStar => {
                if let Some((ids, _, starred)) = self.mark_targets() {
                    let starred = Some(!starred);
                    self.apply(
                        ctx,
                        Action::Mark {
                            ids,
                            read: None,
                            starred,
                        },
                    );
                }
            }
            Action::ShowTrash(show) => {
                self.library.show_trash(show);
                if show {
                    self.trash = TrashList::default();
                    self.worker.send(Command::ListTrash { page: 0 });
                }
            }
            Action::RequestTrashPage(page) => self.worker.send(Command::ListTrash { page }),
            Action::TrashOpen if self.library.selected_count() > 0 => {
                let ids = self.library.selected_ids();
                self.apply(ctx, Action::TrashMany(ids));
            }
            Action::TrashOpen => self.trash_open(),
            Action::Cancel(task) => self.worker.cancel(task),
            Action::Import(paths) => {
                if !paths.is_empty() {
                    self.start_import(Command::Import(paths));
                }
            }
            Action::ReplaceWithCopy(path) => {
                self.import.open_first_when_done();
                self.start_import(Command::ImportReplacing(vec![path]));
            }
            Action::LoadSamples => {
                self.import.open_featured_when_done();
                // Next to the library, so a test's or a portable library's
                // samples stay with it.
                let dir = self
                    .library_path
                    .parent()
                    .map_or_else(crate::samples::data_dir, |p| p.join("folio-samples"));
                self.start_import(Command::ImportSamples(dir));
            }
            Action::PickFiles { folder } => import_ui::pick_files(&mut self.import, folder),
            Action::OpenPathDialog => import_ui::open_path_dialog(&mut self.import, None),
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
                self.start_task(Task::Export, "Exporting");
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
                self.start_task(Task::Merge, "Merging");
                self.worker.send(Command::Merge(path));
            }
            Action::FetchImages(id) => {
                self.status = Some("Fetching images…".to_owned());
                self.start_task(Task::Fetch, "Fetching images");
                self.worker.send(Command::FetchImages(id));
            }
            Action::Highlight(colour) => self.highlight_selection(colour),
            Action::ShowVersion { id, number } => {
                let default = self
                    .versions
                    .as_ref()
                    .filter(|(of, _)| *of == id)
                    .and_then(|(_, list)| list.iter().find(|v| v.shown))
                    .map(|v| v.number);
                if default == Some(number) {
                    self.worker.send(Command::Open(id));
                } else {
                    self.worker.send(Command::OpenVersion { id, number });
                }
            }
            Action::ViewAsSaved { id, version } => {
                self.status = Some(words::opening_as_saved(id, version));
                self.worker.send(Command::ViewAsSaved { id, version });
            }
            Action::CompareVersions { id, old, new } => {
                self.compare.open(id, old, new);
                if let Some((of, list)) = &self.versions
                    && *of == id
                {
                    self.compare.set_versions(id, list);
                }
                self.worker.send(Command::CompareVersions { id, old, new });
            }
            Action::OpenHighlight(id) => {
                // A comment typed on the highlight open before is kept.
                self.flush_typed();
                self.highlight_editor.open(id);
            }
            Action::ShowHighlight(id) => self.show_highlight(id),
            Action::ReattachHighlight(id) => {
                if let Some(range) = self.selected_range() {
                    self.record(Command::ReattachHighlight(id, range));
                    self.reader.clear_selection();
                } else {
                    self.status =
                        Some("Select the highlight's new text in the reader first".to_owned());
                }
            }
            Action::TextSize(delta) => {
                self.persisted.text_size = (self.persisted.text_size + delta).clamp(11.0, 32.0);
            }
            Action::ReaderFont(font) => self.persisted.reader_font = font,
            Action::Column(width) => self.persisted.column = width,
            Action::LineSpacing(spacing) => self.persisted.line_spacing = spacing,
            Action::TogglePane(Pane::Library) => {
                self.persisted.show_library = !self.persisted.show_library;
            }
            Action::TogglePane(Pane::Inspector) => {
                self.persisted.show_inspector = !self.persisted.show_inspector;
            }
            Action::ScrollReader(scroll) => {
                self.reader.scroll(scroll);
                ctx.request_repaint();
            }
            Action::SelectAll => {
                if let Some(article) = &self.article {
                    self.reader.select_all(&article.article);
                    ctx.request_repaint();
                }
            }
            Action::CopySelection { quote } => self.copy_selection(ctx, quote),
            Action::FocusSearch => {
                self.persisted.show_library = true;
                self.library.focus_search();
                ctx.request_repaint();
            }
            Action::FindInArticle => {
                self.reader.open_find();
                ctx.request_repaint();
            }
            Action::IntoResults => {
                self.library.focus_list();
                self.open_row(0);
                ctx.request_repaint();
            }
            Action::FocusParagraph(by) => {
                if let Some(article) = &self.article {
                    self.reader.focus_paragraph(&article.article, by);
                }
                ctx.request_repaint();
            }
            Action::HighlightFocused => {
                if let Some(article) = &self.article
                    && self.reader.select_focused(&article.article)
                {
                    self.highlight_selection(crate::library::Colour::Yellow);
                }
            }
            Action::FindStep(by) => {
                self.reader.find_step(by);
                ctx.request_repaint();
            }
            Action::CloseFind => {
                self.reader.close_find();
                ctx.request_repaint();
            }
            Action::SearchStep(by) => {
                self.reader.search_step(by);
                ctx.request_repaint();
            }
            Action::FocusTagInput => {
                self.persisted.show_inspector = true;
                self.inspector.focus_tag_input();
                ctx.request_repaint();
            }
            Action::RenameTagDialog(name) => {
                self.windows.rename_tag(name);
                ctx.request_repaint();
            }
            Action::CollectionDialog { old, query } => self.windows.collection(old, query),
            Action::ZoomImage(sha256) => self.windows.zoom(sha256),
            Action::OpenExport => {
                let scope = if self.library.lists_everything() {
                    Scope::All
                } else {
                    Scope::Listed
                };
                self.dialogs.open_export(scope, 0);
            }
            Action::ExportMany(ids) => {
                self.dialogs.open_export(Scope::Chosen, ids.len());
                self.export_chosen = ids;
            }
            Action::ExportReferences(ids) => {
                let format = crate::export::ExportFormat::References(crate::cite::Format::Bibtex);
                self.dialogs
                    .open_export_as(Scope::Chosen, ids.len(), format);
                self.export_chosen = ids;
            }
            Action::CopyCitation { ids, format } => {
                if !ids.is_empty() {
                    self.worker.send(Command::Cite {
                        ids,
                        format,
                        quote: None,
                    });
                }
            }
            Action::CopyOpenCitation(format) => {
                if let Some(id) = self.selected {
                    self.apply(
                        ctx,
                        Action::CopyCitation {
                            ids: vec![id],
                            format,
                        },
                    );
                }
            }
            Action::SetCitationStyle(name) => self.worker.send(Command::SetCitationStyle(name)),
            Action::ShowHighlights(show) => {
                self.library.show_highlights(show);
                if show {
                    self.refresh_highlights();
                }
            }
            Action::SetHighlightOrder(order) => {
                self.highlights.order = order;
                self.refresh_highlights();
            }
            Action::RequestHighlightPage(page) => self.request_highlight_page(page),
            Action::GoToHighlight { article, highlight } => {
                if self.article.as_ref().is_some_and(|a| a.id == article)
                    && self.showing_version.is_none()
                {
                    self.show_highlight(highlight);
                } else {
                    self.select(article);
                    self.pending_highlight = Some((article, highlight));
                }
            }
            Action::WriteHighlights { ids, format, out } => {
                if !ids.is_empty() {
                    if let Some(out) = &out {
                        self.status = Some(format!("Exporting to {}…", out.display()));
                    }
                    self.worker
                        .send(Command::WriteHighlights { ids, format, out });
                }
            }
            Action::OpenLibraryDialog => self.dialogs.open_library(),
            Action::MergeDialog => self.dialogs.open_merge(),
            Action::CloseWindows => self.close_windows(),
            Action::DismissStatus => self.status = None,
            Action::ShowHelp(page) => self.windows.help(page),
            // Applied by `apply_edit` before this match.
            Action::AddTag(..)
            | Action::EditDetails { .. }
            | Action::RemoveTag(..)
            | Action::TagMany { .. }
            | Action::UntagMany { .. }
            | Action::Mark { .. }
            | Action::RenameTag { .. }
            | Action::DeleteTag(_)
            | Action::SetTagColour { .. }
            | Action::SaveCollection { .. }
            | Action::RenameCollection { .. }
            | Action::RemoveCollection(_)
            | Action::SetHighlightComment(..)
            | Action::SetHighlightColour(..)
            | Action::DeleteHighlight(_)
            | Action::Undo
            | Action::Redo
            | Action::LoadImage { .. }
            | Action::TrashMany(_)
            | Action::RestoreMany(_)
            | Action::EmptyTrash => {}
        }
    }

    /// Trash the open article and open the next one.
    fn trash_open(&mut self) {
        if self
            .article
            .as_ref()
            .is_some_and(|a| a.deleted_at.is_some())
        {
            return;
        }
        if let Some(id) = self.selected {
            self.flush_typed();
            let next = self.next_after_trash(&[id]);
            self.record(Command::Trash(id));
            self.status = Some("Moved to the trash".to_owned());
            self.article = None;
            self.selected = None;
            self.open_after_trash(next);
        }
    }

    /// Copy the reader's selection: plain text, or (`quote`) a Markdown
    /// quote whose source line is the article's citation in the chosen
    /// style, copied when the worker answers ([`Event::Cited`]).
    fn copy_selection(&self, ctx: &egui::Context, quote: bool) {
        if let (Some(article), Some(selected)) = (&self.article, self.reader.selection()) {
            let blocks = selection::text_blocks(&article.article);
            if quote {
                let text = selection::quote_lines(&blocks, &selected);
                if !text.is_empty() {
                    self.worker.send(Command::Cite {
                        ids: vec![article.id],
                        format: crate::cite::Format::Text,
                        quote: Some(text),
                    });
                }
                return;
            }
            let text = selection::plain_text(&blocks, &selected);
            if !text.is_empty() {
                ctx.copy_text(text);
            }
        }
    }

    /// Some dialog or window is open (Escape closes them: [`Self::close_windows`]).
    pub(in crate::app) fn windows_open(&self) -> bool {
        self.windows.any_open()
            || self.dialogs.any_open()
            || self.import.windows_open()
            || self.compare.is_open()
    }

    /// Close every dialog and window that [`Self::windows_open`] looks at.
    fn close_windows(&mut self) {
        self.windows.close_all();
        self.dialogs.close_all();
        self.import.close_windows();
        self.compare.close();
    }

    /// The canonical range of the reader's selection, if it holds text.
    fn selected_range(&self) -> Option<std::ops::Range<usize>> {
        let article = self.article.as_ref()?;
        let selected = self.reader.selection()?;
        selection::TextMap::new(&article.article).range(&selected)
    }

    /// Highlight the reader's selection in `colour`.
    fn highlight_selection(&mut self, colour: Colour) {
        let (Some(article), Some(range)) = (self.selected, self.selected_range()) else {
            return;
        };
        if self
            .article
            .as_ref()
            .is_some_and(|a| a.deleted_at.is_some())
        {
            self.status = Some("The article is in the trash: restore it to highlight".to_owned());
            return;
        }
        // A highlight is anchored to the text of the copy shown by default;
        // another version's offsets are not that text's.
        if self.showing_version.is_some() {
            self.status = Some(
                "Highlights are made on the copy shown by default: show it (the reader's \
                 version list) to highlight"
                    .to_owned(),
            );
            return;
        }
        self.record(Command::AddHighlight {
            article,
            range,
            colour,
        });
        self.reader.clear_selection();
    }

    /// Scroll the reader to a highlight and open its comment editor.
    fn show_highlight(&mut self, id: HighlightId) {
        let Some(article) = &self.article else { return };
        let Some(highlight) = article.highlights.iter().find(|h| h.id == id) else {
            return;
        };
        if !highlight.orphan {
            let map = selection::TextMap::new(&article.article);
            self.reader
                .scroll_to_block(map.pos(highlight.position.start).block);
        }
        self.flush_typed();
        self.highlight_editor.open(id);
    }
}

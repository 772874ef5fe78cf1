//! Taking in what the worker reported since the last frame: list pages
//! and counts (stale generations dropped), the opened article, the
//! overview, import progress and reports, decoded images, and what finished
//! or failed, worded for the status bar by `app::words`.

use crate::app::FolioApp;
use crate::app::action::Action;
use crate::app::browser::Browser;
use crate::app::state::flat_tags;
use crate::app::words;
use crate::jobs::{Command, Event, Task};
use crate::library::Change;

impl FolioApp {
    /// Take in what the worker reported since the last frame.
    pub(in crate::app) fn handle_events(&mut self, ctx: &egui::Context) {
        // The open article as the worker sent it in this batch: a change
        // that follows needs no second reading of it.
        let mut fresh = None;
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
                        && self.library.search().is_empty()
                        && !self.library.has_filter()
                        && self.import.featured_due()
                    {
                        self.apply(ctx, Action::LoadSamples);
                    } else if total > 0 && self.import.featured_due() && self.article.is_none() {
                        self.open_featured();
                    }
                }
                Event::Page {
                    generation,
                    page,
                    rows,
                } if generation == self.list.generation => {
                    self.list.requested.remove(&page);
                    self.list.pages.insert(page, rows);
                }
                Event::Counted { .. } | Event::Page { .. } => {}
                Event::Versions { id, versions } => {
                    self.compare.set_versions(id, &versions);
                    self.versions = Some((id, versions));
                }
                Event::VersionOpened { number, article } => {
                    if Some(article.id) == self.selected {
                        self.showing_version = Some(number);
                        self.article = Some(article);
                    }
                }
                Event::Compared { id, old, new, diff } => self.compare.set_diff(id, old, new, diff),
                Event::AsSaved { id, version, url } => {
                    ctx.open_url(egui::OpenUrl::new_tab(&url));
                    self.status = Some(words::as_saved(id, version));
                }
                Event::Opened(article) => {
                    fresh = Some(article.id);
                    // Its versions follow when it has several.
                    if self
                        .versions
                        .as_ref()
                        .is_some_and(|(id, _)| *id == article.id)
                    {
                        self.versions = None;
                    }
                    if Some(article.id) == self.selected || self.selected.is_none() {
                        self.showing_version = None;
                        self.selected = Some(article.id);
                        if self.opened.is_none_or(|(id, _, _)| id != article.id) {
                            // A new opening: its reading time starts, and
                            // the reader goes back to where it was left
                            // (unless it opens at a highlight's passage).
                            self.opened = Some((article.id, self.clock.now(), false));
                            let at_highlight =
                                self.pending_highlight.is_some_and(|(a, _)| a == article.id);
                            if let Some(at) = article
                                .reading
                                .position
                                .filter(|p| *p > 0.0 && !at_highlight)
                            {
                                self.reader.restore(article.id, at);
                            }
                        }
                        self.inspector
                            .show_note(article.id, article.note.as_deref());
                        self.article = Some(article);
                    }
                }
                Event::Overview(overview) => {
                    self.tags = flat_tags(&overview.tags);
                    self.library_total = usize::try_from(overview.articles).ok();
                    // A collection shown that is gone (deleted, renamed).
                    if self.library.keep_collection_among(
                        overview
                            .collections
                            .iter()
                            .map(|c| c.collection.name.as_str()),
                    ) {
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
                Event::Changed => {
                    self.library_changed();
                    // A bulk tag, a tag renamed, merged or deleted: the
                    // inspector shows what the library holds now (issue 27).
                    if let Some(id) = self.selected.filter(|id| fresh != Some(*id)) {
                        self.worker.send(Command::Open(id));
                    }
                }
                Event::ChangedElsewhere => {
                    self.library_changed();
                    // Another process may have tagged, noted or replaced the
                    // open article (this window's own import adds articles).
                    if let Some(id) = self.selected.filter(|_| !self.import.is_running()) {
                        self.worker.send(Command::Open(id));
                    }
                }
                Event::NoteSaved(id) => self.inspector.note_saved(id),
                Event::Progress { done, total } => self.import.progress(done, total),
                Event::ImportFailed(failure) => {
                    let message = words::failure(&failure);
                    log::warn!("{message}");
                    self.import.failed();
                    self.status = Some(message);
                }
                Event::ImportDone(report) => {
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
                    if !report.versioned.is_empty() {
                        status.push_str(&format!(" · new versions {}", report.versioned.len()));
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
                        && report.versioned.is_empty()
                        && report.restored.is_empty()
                    {
                        Change::Appended
                    } else {
                        Change::Everything
                    };
                    // Failures, better copies and duplicates (each with "Use
                    // this copy instead") are worth a report window.
                    if let Some(id) = self.import.finished(report) {
                        self.select(id);
                    }
                    self.worker.send(Command::LoadOverview(change));
                    if self.import.wants_featured() {
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
                Event::Upgrading(from) => {
                    self.status = Some(crate::library::schema::upgrade_notice(from));
                }
                Event::UpgradeProgress { done, total } => {
                    self.status = Some(words::upgrade_progress(done, total));
                }
                Event::Collection(change) => self.status = Some(words::collection(&change)),
                Event::Done(outcome) => {
                    self.status = Some(words::outcome(&outcome));
                    self.worker.send(Command::LoadOverview(Change::Everything));
                }
                Event::ExportTargetExists(path) => {
                    // Nothing was started: "Exporting…" no longer applies.
                    self.tasks.retain(|t| t.task != Task::Export);
                    self.status = Some(format!("{} exists already", path.display()));
                    self.dialogs.confirm_replace(path);
                }
                Event::Cited {
                    citation,
                    format,
                    style,
                    count,
                    quote,
                } => {
                    self.citation_style = style;
                    if let Some(quote) = quote {
                        ctx.copy_text(crate::app::selection::quote_with_source(&quote, &citation));
                        self.status = Some("Copied the quote with its citation".to_owned());
                    } else {
                        ctx.copy_text(citation);
                        self.status = Some(words::cited(format, count, &self.citation_style));
                    }
                }
                Event::CitationStyle(style) => self.citation_style = style,
                Event::Recorded(step) => {
                    if step
                        .as_ref()
                        .is_some_and(|s| matches!(s.done, Command::DeleteHighlight(_)))
                    {
                        self.status = Some("Highlight deleted (Ctrl+Z to undo)".to_owned());
                    }
                    for redo in self.undo.recorded(step.map(|s| *s)) {
                        self.replay(redo);
                    }
                }
                Event::Undone(step) => self.replayed(*step, false),
                Event::Redone(step) => self.replayed(*step, true),
                Event::NotUndone {
                    step,
                    redo,
                    failure,
                } => {
                    self.status = Some(format!(
                        "Could not {} \"{}\": {}",
                        if redo { "redo" } else { "undo" },
                        words::step(&step.done),
                        words::failure(&failure)
                    ));
                    self.undo.failed(*step, redo);
                }
                Event::Error(failure) => {
                    let message = words::failure(&failure);
                    log::warn!("{message}");
                    self.status = Some(message);
                }
                Event::MatchingIds { generation, ids } => {
                    if generation == self.list.generation {
                        self.library.select_rows(ids);
                    }
                }
                Event::Trash { page, rows } => self.take_trash_page(page, rows),
                Event::HighlightIds { generation, ids } => self.take_highlight_ids(generation, ids),
                Event::HighlightPage {
                    generation,
                    page,
                    rows,
                } => {
                    if generation == self.highlights.generation {
                        self.highlights.requested.remove(&page);
                        self.highlights.pages.insert(page, rows);
                    }
                }
                Event::HighlightsWritten {
                    text,
                    format,
                    count,
                    out,
                } => {
                    if out.is_none() {
                        ctx.copy_text(text);
                    }
                    self.status = Some(words::highlights_written(format, count, out.as_deref()));
                }
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
        // A link the browser could not open says so (not only in the log).
        let failures = self.browser.as_ref().map(Browser::failures);
        for (url, why) in failures.unwrap_or_default() {
            self.status = Some(words::browser_failed(&url, &why));
        }
    }
}

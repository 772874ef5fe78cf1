//! What happens when time passes, read on the window's [`Clock`]: the
//! search runs once typing pauses, the note is saved likewise, and an
//! article open long enough (or scrolled to its end) is marked read.
//! Saving the reading position and the note happens here too.
//!
//! [`Clock`]: crate::app::clock::Clock

use crate::app::FolioApp;
use crate::jobs::Command;

impl FolioApp {
    /// Remember where the reader stands in the open article (it is restored
    /// when the article is opened again).
    pub(in crate::app) fn save_position(&mut self) {
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

    /// Save what is typed and not saved yet: the note, and a highlight's
    /// comment in its editor.
    pub(in crate::app) fn flush_typed(&mut self) {
        if let Some((id, text)) = self.inspector.take_unsaved_note() {
            self.record(Command::SetNote(id, text));
        }
        if let Some((id, text)) = self.highlight_editor.take_unsaved(self.article.as_deref()) {
            self.record(Command::SetHighlightComment(id, text));
        }
    }

    /// Mark the open article read once it has been open for
    /// [`Timers::read_after`](crate::app::clock::Timers::read_after) or
    /// scrolled to its end (once per opening: marking it unread again
    /// sticks); asks for a frame when the time will be up.
    fn mark_read_when_read(&mut self, ctx: &egui::Context) {
        let Some(article) = &self.article else { return };
        let Some((id, since, done)) = &mut self.opened else {
            return;
        };
        // A trashed article previewed from the trash is read only.
        if *done
            || *id != article.id
            || article.reading.read_at.is_some()
            || article.deleted_at.is_some()
        {
            return;
        }
        let read_after = self.timers.read_after;
        let waited = self.clock.now().saturating_duration_since(*since);
        if waited >= read_after || self.reader.at_end() {
            *done = true;
            let id = *id;
            self.worker.send(Command::Mark {
                ids: vec![id],
                read: Some(true),
                starred: None,
            });
        } else {
            ctx.request_repaint_after(read_after - waited);
        }
    }

    /// Clear a status message no newer one has replaced for
    /// `timers.status_fade` ("Exported…" used to stay for good), unless a
    /// task is under way (its message is its progress).
    fn fade_status(&mut self, ctx: &egui::Context) {
        let now = self.clock.now();
        match (&self.status, &self.status_seen) {
            (None, _) => self.status_seen = None,
            (Some(shown), Some((seen, _))) if shown == seen => {}
            (Some(shown), _) => self.status_seen = Some((shown.clone(), now)),
        }
        let Some((_, since)) = &self.status_seen else {
            return;
        };
        let shown_for = now.saturating_duration_since(*since);
        if !self.tasks.is_empty() || self.import.is_running() {
            return;
        }
        if shown_for >= self.timers.status_fade {
            self.status = None;
            self.status_seen = None;
        } else {
            ctx.request_repaint_after(self.timers.status_fade - shown_for);
        }
    }

    /// Refresh the list once typing pauses; save the note likewise; mark
    /// the open article read once it has been read.
    pub(in crate::app) fn tick(&mut self, ctx: &egui::Context) {
        self.mark_read_when_read(ctx);
        self.fade_status(ctx);
        let now = self.clock.now();
        if self
            .library
            .take_search_paused(now, self.timers.search_pause)
        {
            self.refresh_list();
        }
        if self.inspector.note_paused(now, self.timers.note_pause) {
            self.flush_typed();
        }
    }
}

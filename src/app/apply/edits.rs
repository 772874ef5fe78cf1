//! The actions that change the library: tags, marks, collections,
//! highlights, notes, corrections, the trash. Each becomes the worker
//! command that does it (the one place where a pane's wish turns into a
//! [`Command`]), sent to be recorded for undo ([`Command::Record`]), and
//! what the window keeps of it — the filters following a renamed tag, the
//! status line — changes here too. Undo and redo send a recorded step back
//! to the worker, and what the window shows follows when it answers. The
//! worker's answers come back as events (`apply::events`).

use crate::app::FolioApp;
use crate::app::action::Action;
use crate::app::words;
use crate::jobs::{Command, Step};

impl FolioApp {
    /// Apply `action` when it changes the library; `Some(action)` when it
    /// is not one of these.
    pub(super) fn apply_edit(&mut self, action: Action) -> Option<Action> {
        let command = match action {
            Action::AddTag(id, name) => Command::AddTag(id, name),
            Action::EditDetails { id, changes, reset } => {
                Command::EditDetails { id, changes, reset }
            }
            Action::RemoveTag(id, name) => Command::RemoveTag(id, name),
            Action::TagMany { ids, name } => Command::AddTagMany(ids, name),
            Action::UntagMany { ids, name } => Command::RemoveTagMany(ids, name),
            Action::Mark { ids, read, starred } => Command::Mark { ids, read, starred },
            Action::RenameTag { old, new } => {
                self.library.tag_renamed(&old, &new);
                Command::RenameTag(old, new)
            }
            Action::DeleteTag(name) => {
                self.library.tag_deleted(&name);
                Command::DeleteTag(name)
            }
            Action::SetTagColour { name, colour } => Command::SetTagColour(name, colour),
            Action::SaveCollection { name, query } => Command::SaveCollection(name, query),
            Action::RenameCollection { old, new } => {
                let shown = self.library.collection_renamed(&old, &new);
                self.record(Command::RenameCollection(old, new));
                if shown {
                    self.refresh_list();
                }
                return None;
            }
            Action::RemoveCollection(name) => Command::RemoveCollection(name),
            Action::SetHighlightComment(id, comment) => Command::SetHighlightComment(id, comment),
            Action::SetHighlightColour(id, colour) => Command::SetHighlightColour(id, colour),
            Action::DeleteHighlight(id) => Command::DeleteHighlight(id),
            Action::LoadImage { sha256, thumbnail } => {
                self.worker.send(Command::LoadImage { sha256, thumbnail });
                return None;
            }
            Action::TrashMany(ids) => {
                if ids.is_empty() {
                    return None;
                }
                self.flush_typed();
                self.close_trashed(&ids);
                self.status = Some(format!(
                    "Moved {} to the trash",
                    words::counted(ids.len(), "article", "articles")
                ));
                self.library.clear_selection();
                Command::TrashMany(ids)
            }
            Action::RestoreMany(ids) => {
                self.status = Some(format!(
                    "Restored {} from the trash",
                    words::counted(ids.len(), "article", "articles")
                ));
                Command::RestoreMany(ids)
            }
            Action::EmptyTrash => {
                self.status = Some("Emptying the trash…".to_owned());
                self.worker.send(Command::EmptyTrash);
                return None;
            }
            Action::Undo => {
                self.replay(false);
                return None;
            }
            Action::Redo => {
                self.replay(true);
                return None;
            }
            other => return Some(other),
        };
        self.record(command);
        None
    }

    /// Send a change to the worker to be made and recorded for undo (a
    /// note's save with its editing session).
    pub(super) fn record(&mut self, command: Command) {
        let session = if matches!(command, Command::SetNote(..)) {
            self.note_session
        } else {
            0
        };
        self.undo.recording();
        self.worker.send(Command::Record {
            command: Box::new(command),
            session,
        });
    }

    /// Undo the newest step (or with `redo`, redo the newest undone one),
    /// once the changes being recorded are answered.
    pub(super) fn replay(&mut self, redo: bool) {
        // What is typed in the note is saved (and recorded) first.
        self.flush_typed();
        if self.undo.must_wait(redo) {
            return;
        }
        // A note edited after an undo is a session of its own.
        self.note_session += 1;
        let step = if redo {
            self.undo.take_redo()
        } else {
            self.undo.take_undo()
        };
        match step {
            Some(step) if redo => self.worker.send(Command::Redo(Box::new(step))),
            Some(step) => self.worker.send(Command::Undo(Box::new(step))),
            None if redo => self.status = Some("Nothing to redo".to_owned()),
            None => self.status = Some("Nothing to undo".to_owned()),
        }
    }

    /// The worker undid (or with `redo`, redid) `step`: the window follows
    /// what it changed and says so.
    pub(super) fn replayed(&mut self, step: Step, redo: bool) {
        let what = words::step(&step.done);
        self.status = Some(if redo {
            format!("Redid: {what}")
        } else {
            format!("Undid: {what}")
        });
        let commands = if redo { &step.redo } else { &step.undo };
        for command in commands {
            match command {
                Command::SetNote(id, text) => {
                    self.inspector.replace_note(*id, text);
                    if self.selected == Some(*id) {
                        self.worker.send(Command::Open(*id));
                    }
                }
                Command::SetHighlightComment(id, _) => self.highlight_editor.reload(*id),
                Command::RenameTag(old, new) => self.library.tag_renamed(old, new),
                Command::DeleteTag(name) => self.library.tag_deleted(name),
                Command::RenameCollection(old, new) => {
                    // The list follows it when it is the one shown.
                    let shown = self.library.collection_renamed(old, new);
                    if shown {
                        self.refresh_list();
                    }
                }
                Command::Trash(id) => self.close_trashed(&[*id]),
                Command::TrashMany(ids) => self.close_trashed(ids),
                Command::Restore(id) => self.select(*id),
                _ => {}
            }
        }
        // A tag renamed back: the filters follow it back.
        if let (false, Command::RenameTag(old, new)) = (redo, &step.done) {
            self.library.tag_renamed(new, old);
        }
        if redo {
            self.undo.redone(step);
        } else {
            self.undo.undone(step);
        }
    }

    /// These articles go to the trash: the open one among them is closed
    /// and the next one opened.
    fn close_trashed(&mut self, ids: &[crate::library::ArticleId]) {
        let next = self.next_after_trash(ids);
        if self.selected.is_some_and(|open| ids.contains(&open)) {
            self.article = None;
            self.selected = None;
            self.open_after_trash(next);
        }
    }
}

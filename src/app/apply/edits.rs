//! The actions that change the library: tags, marks, collections,
//! highlights, the trash. Each becomes the worker command that does it (the
//! one place where a pane's wish turns into a [`Command`]), and what the
//! window keeps of it — the filters following a renamed tag, undo, the
//! status line — changes here too. The worker's answer comes back as an
//! event (`apply::events`).

use crate::app::FolioApp;
use crate::app::action::Action;
use crate::app::words;
use crate::jobs::Command;

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
                self.worker.send(Command::RenameCollection(old, new));
                if shown {
                    self.refresh_list();
                }
                return None;
            }
            Action::RemoveCollection(name) => Command::RemoveCollection(name),
            Action::SetHighlightComment(id, comment) => Command::SetHighlightComment(id, comment),
            Action::SetHighlightColour(id, colour) => Command::SetHighlightColour(id, colour),
            Action::DeleteHighlight(id) => Command::DeleteHighlight(id),
            Action::UndoHighlight => {
                let highlight = self.undo_highlight.take()?;
                self.status = Some("Highlight restored".to_owned());
                Command::RestoreHighlight(highlight)
            }
            Action::LoadImage { sha256, thumbnail } => Command::LoadImage { sha256, thumbnail },
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
                    words::counted(ids.len(), "article", "articles")
                ));
                self.worker.send(Command::TrashMany(ids.clone()));
                self.undo_trash = None;
                self.undo_trash_many = ids;
                self.library.clear_selection();
                return None;
            }
            Action::RestoreMany(ids) => {
                self.status = Some(format!(
                    "Restored {} from the trash",
                    words::counted(ids.len(), "article", "articles")
                ));
                self.undo_trash_many.retain(|id| !ids.contains(id));
                if self.undo_trash.is_some_and(|id| ids.contains(&id)) {
                    self.undo_trash = None;
                }
                Command::RestoreMany(ids)
            }
            Action::EmptyTrash => {
                self.undo_trash = None;
                self.undo_trash_many.clear();
                self.status = Some("Emptying the trash…".to_owned());
                Command::EmptyTrash
            }
            other => return Some(other),
        };
        self.worker.send(command);
        None
    }
}

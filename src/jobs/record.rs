//! Undo's memory on the worker's side: before a change the window asked to
//! record ([`Command::Record`]) is made, the library is read for what it
//! takes to put it back, so a [`Step`] holds the change and its inverse as
//! commands. Only what the change alters is taken back: a tag added to four
//! articles of which one had it already is taken from the other three; a
//! mark undoes only the articles whose state it changed (an article marked
//! unread gets back the time it was read); a tag made by the
//! change goes with its undo; a correction undone puts back the earlier
//! correction, or what Folio read. A change that alters nothing makes no
//! step.

use super::protocol::Command;
use crate::library::{ArticleId, Library};

/// The commands that make `command` again and those that take it back, as
/// the library stands before it runs; `None` when it would change nothing
/// (or is not a change the window records). A highlight made is recorded by
/// the worker after it exists (its id is known only then).
pub(super) fn plan(
    library: &Library,
    command: &Command,
) -> anyhow::Result<Option<(Vec<Command>, Vec<Command>)>> {
    let again = || vec![command.clone()];
    let undo = match command {
        Command::AddTag(id, name) => match library.having_tag(&[*id], name)? {
            Some(had) if !had.is_empty() => return Ok(None),
            Some(_) => vec![Command::RemoveTag(*id, name.clone())],
            None => vec![
                Command::RemoveTag(*id, name.clone()),
                Command::DeleteTag(name.clone()),
            ],
        },
        Command::AddTagMany(ids, name) => {
            let (lacking, new_tag) = match library.having_tag(ids, name)? {
                Some(had) => (without(ids, &had), false),
                None => (ids.clone(), true),
            };
            if lacking.is_empty() {
                return Ok(None);
            }
            let mut undo = vec![Command::RemoveTagMany(lacking, name.clone())];
            if new_tag {
                undo.push(Command::DeleteTag(name.clone()));
            }
            undo
        }
        Command::RemoveTag(id, name) => match library.having_tag(&[*id], name)? {
            Some(had) if !had.is_empty() => vec![Command::AddTag(*id, name.clone())],
            _ => return Ok(None),
        },
        Command::RemoveTagMany(ids, name) => match library.having_tag(ids, name)? {
            Some(had) if !had.is_empty() => vec![Command::AddTagMany(had, name.clone())],
            _ => return Ok(None),
        },
        Command::Mark { ids, read, starred } => {
            let mut undo = Vec::new();
            let mut read_changed = Vec::new();
            // Marked unread: when each was read, to be put back.
            let mut read_times = Vec::new();
            let mut star_changed = Vec::new();
            for &id in &crate::library::unique_ids(ids) {
                let state = library.reading_state(id)?;
                if read.is_some_and(|r| r != state.read_at.is_some()) {
                    read_changed.push(id);
                    if let Some(at) = state.read_at {
                        read_times.push((id, at));
                    }
                }
                if starred.is_some_and(|s| s != state.starred) {
                    star_changed.push(id);
                }
            }
            if !read_times.is_empty() {
                undo.push(Command::MarkReadAt(read_times));
            } else if let (Some(read), false) = (read, read_changed.is_empty()) {
                undo.push(Command::Mark {
                    ids: read_changed,
                    read: Some(!read),
                    starred: None,
                });
            }
            if let (Some(starred), false) = (starred, star_changed.is_empty()) {
                undo.push(Command::Mark {
                    ids: star_changed,
                    read: None,
                    starred: Some(!starred),
                });
            }
            if undo.is_empty() {
                return Ok(None);
            }
            undo
        }
        Command::SetNote(id, text) => {
            let before = library.note(*id)?.unwrap_or_default();
            if before.trim() == text.trim() {
                return Ok(None);
            }
            vec![Command::SetNote(*id, before)]
        }
        Command::EditDetails { id, changes, reset } => {
            let edits = library.field_edits(*id)?;
            let mut back = Vec::new();
            let mut back_reset = Vec::new();
            let fields = changes.iter().map(|(f, _)| f).chain(reset);
            for field in fields {
                if back.iter().any(|(f, _)| f == field) || back_reset.contains(field) {
                    continue;
                }
                match edits.iter().find(|e| &e.field == field) {
                    Some(edit) => {
                        back.push((field.clone(), edit.value.clone().unwrap_or_default()))
                    }
                    None => back_reset.push(field.clone()),
                }
            }
            vec![Command::EditDetails {
                id: *id,
                changes: back,
                reset: back_reset,
            }]
        }
        Command::RenameTag(old, new) => {
            vec![Command::RestoreTags(Box::new(
                library.tag_snapshot(&[old, new])?,
            ))]
        }
        Command::DeleteTag(name) | Command::SetTagColour(name, _) => {
            vec![Command::RestoreTags(Box::new(
                library.tag_snapshot(&[name])?,
            ))]
        }
        Command::SaveCollection(name, query) => match same_collection(library, name)? {
            Some((_, old)) if old.trim() == query.trim() => return Ok(None),
            Some((stored, old)) => vec![Command::SaveCollection(stored, old)],
            None => vec![Command::RemoveCollection(name.trim().to_owned())],
        },
        Command::RenameCollection(old, new) => {
            vec![Command::RenameCollection(new.clone(), old.clone())]
        }
        Command::RemoveCollection(name) => match same_collection(library, name)? {
            Some((stored, query)) => vec![Command::SaveCollection(stored, query)],
            None => return Ok(None),
        },
        Command::SetHighlightComment(id, comment) => {
            let before = library.highlight(*id)?;
            if before.comment == *comment {
                return Ok(None);
            }
            vec![Command::SetHighlightComment(*id, before.comment)]
        }
        Command::SetHighlightColour(id, colour) => {
            let before = library.highlight(*id)?;
            if before.colour == *colour {
                return Ok(None);
            }
            vec![Command::SetHighlightColour(*id, before.colour)]
        }
        Command::DeleteHighlight(id) => {
            vec![Command::RestoreHighlight(Box::new(library.highlight(*id)?))]
        }
        Command::ReattachHighlight(id, _) => {
            let before = library.highlight(*id)?;
            vec![
                Command::DeleteHighlight(*id),
                Command::RestoreHighlight(Box::new(before)),
            ]
        }
        Command::Trash(id) => {
            if !library.trashed_among(&[*id])?.is_empty() {
                return Ok(None);
            }
            vec![Command::Restore(*id)]
        }
        Command::TrashMany(ids) => {
            let moving = without(ids, &library.trashed_among(ids)?);
            if moving.is_empty() {
                return Ok(None);
            }
            return Ok(Some((
                vec![Command::TrashMany(moving.clone())],
                vec![Command::RestoreMany(moving)],
            )));
        }
        Command::Restore(id) => {
            if library.trashed_among(&[*id])?.is_empty() {
                return Ok(None);
            }
            vec![Command::Trash(*id)]
        }
        Command::RestoreMany(ids) => {
            let moving = library.trashed_among(ids)?;
            if moving.is_empty() {
                return Ok(None);
            }
            return Ok(Some((
                vec![Command::RestoreMany(moving.clone())],
                vec![Command::TrashMany(moving)],
            )));
        }
        _ => return Ok(None),
    };
    Ok(Some((again(), undo)))
}

/// `ids` without those in `drop`, in order.
fn without(ids: &[ArticleId], drop: &[ArticleId]) -> Vec<ArticleId> {
    crate::library::unique_ids(ids)
        .into_iter()
        .filter(|id| !drop.contains(id))
        .collect()
}

/// The collection named `name` (case aside): its name as stored and its
/// query.
fn same_collection(library: &Library, name: &str) -> anyhow::Result<Option<(String, String)>> {
    let wanted = name.trim().to_lowercase();
    Ok(library
        .collections()?
        .into_iter()
        .find(|c| c.name.to_lowercase() == wanted)
        .map(|c| (c.name, c.query)))
}

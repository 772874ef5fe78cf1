//! The window's undo: one stack of the changes made in this window (tags,
//! marks, notes, highlights, collections, the trash, corrected details),
//! each a [`Step`] the worker recorded with its inverse read from the
//! library before the change. Undo takes the newest step back, redo makes
//! the newest undone one again, a new change forgets what was undone. The
//! stack holds at most [`MAX_STEPS`]; the oldest go first. A note's saves
//! while it is being edited are one step (its text before the session,
//! its text after). Changes made by another process are never on it.
//!
//! A step being undone or redone is with the worker until it answers; it
//! then goes on the other stack (or back where it was when it failed). An
//! undo asked for while a change is still being recorded waits for it, so
//! it takes back that change and not the one before.

use std::collections::VecDeque;

use crate::jobs::{Command, Step};

/// How many steps undo remembers.
pub const MAX_STEPS: usize = 200;

/// The undo and redo stacks.
#[derive(Default)]
pub struct UndoStack {
    /// Steps to undo, oldest first.
    undo: VecDeque<Step>,
    /// Steps undone, to redo, the newest undone last.
    redo: Vec<Step>,
    /// Changes sent to be recorded, not answered yet.
    recording: usize,
    /// Undo (`false`) and redo (`true`) asked for while changes were being
    /// recorded, in order.
    waiting: Vec<bool>,
}

impl UndoStack {
    /// A change was sent to the worker to be recorded.
    pub fn recording(&mut self) {
        self.recording += 1;
    }

    /// The worker answered a change sent to be recorded: its step, if it
    /// changed anything. Returns the undos and redos that waited for it,
    /// once nothing is being recorded any more.
    pub fn recorded(&mut self, step: Option<Step>) -> Vec<bool> {
        self.recording = self.recording.saturating_sub(1);
        if let Some(step) = step {
            self.push(step);
        }
        if self.recording == 0 {
            std::mem::take(&mut self.waiting)
        } else {
            Vec::new()
        }
    }

    /// Undo (or with `redo`, redo) must wait for a change being recorded:
    /// true when it was put in the queue.
    pub fn must_wait(&mut self, redo: bool) -> bool {
        if self.recording > 0 {
            self.waiting.push(redo);
        }
        self.recording > 0
    }

    /// A change was made: it goes on top (or joins the step of the same
    /// note-editing session on top), and nothing undone can be redone any
    /// more.
    pub fn push(&mut self, step: Step) {
        self.redo.clear();
        if let Some(top) = self.undo.back_mut()
            && step.session != 0
            && top.session == step.session
            && same_note(&top.done, &step.done)
        {
            // One session, one step: the text before the first save, the
            // text after the last.
            top.done = step.done;
            top.redo = step.redo;
            return;
        }
        self.undo.push_back(step);
        while self.undo.len() > MAX_STEPS {
            self.undo.pop_front();
        }
    }

    /// The newest step, taken off to be undone.
    pub fn take_undo(&mut self) -> Option<Step> {
        self.undo.pop_back()
    }

    /// The newest undone step, taken off to be redone.
    pub fn take_redo(&mut self) -> Option<Step> {
        self.redo.pop()
    }

    /// A step was undone: it can be redone.
    pub fn undone(&mut self, step: Step) {
        self.redo.push(step);
    }

    /// A step was redone: it can be undone again (what else was undone
    /// stays redoable).
    pub fn redone(&mut self, step: Step) {
        self.undo.push_back(step);
        while self.undo.len() > MAX_STEPS {
            self.undo.pop_front();
        }
    }

    /// Undoing (or with `redo`, redoing) a step failed: it goes back.
    pub fn failed(&mut self, step: Step, redo: bool) {
        if redo {
            self.redo.push(step);
        } else {
            self.undo.push_back(step);
        }
    }

    /// The step undo would take back.
    pub fn next_undo(&self) -> Option<&Step> {
        self.undo.back()
    }

    /// The step redo would make again.
    pub fn next_redo(&self) -> Option<&Step> {
        self.redo.last()
    }

    /// Forget every step (another library is open).
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

/// Both are saves of one article's note.
fn same_note(a: &Command, b: &Command) -> bool {
    matches!((a, b), (Command::SetNote(x, _), Command::SetNote(y, _)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::ArticleId;

    fn note(id: i64, text: &str, session: u64) -> Step {
        Step {
            done: Command::SetNote(ArticleId(id), text.to_owned()),
            redo: vec![Command::SetNote(ArticleId(id), text.to_owned())],
            undo: vec![Command::SetNote(ArticleId(id), String::new())],
            session,
        }
    }

    #[test]
    fn a_note_session_is_one_step_and_a_new_change_forgets_the_redo() {
        let mut stack = UndoStack::default();
        stack.push(note(1, "a", 7));
        stack.push(note(1, "ab", 7));
        stack.push(note(1, "abc", 7));
        let step = stack.take_undo().unwrap();
        assert_eq!(
            step.redo,
            vec![Command::SetNote(ArticleId(1), "abc".into())]
        );
        assert_eq!(
            step.undo,
            vec![Command::SetNote(ArticleId(1), String::new())]
        );
        assert!(stack.next_undo().is_none());
        stack.undone(step);
        assert!(stack.next_redo().is_some());
        stack.push(note(2, "x", 8));
        assert!(stack.next_redo().is_none());
        // Another session of the same note is a step of its own.
        stack.push(note(2, "xy", 9));
        assert!(stack.take_undo().is_some());
        assert!(stack.take_undo().is_some());
    }

    #[test]
    fn the_stack_keeps_the_newest_steps() {
        let mut stack = UndoStack::default();
        for i in 0..(MAX_STEPS as i64 + 10) {
            stack.push(note(i, "t", 0));
        }
        let mut n = 0;
        while let Some(step) = stack.take_undo() {
            n += 1;
            if stack.next_undo().is_none() {
                assert_eq!(step.done, Command::SetNote(ArticleId(10), "t".into()));
            }
        }
        assert_eq!(n, MAX_STEPS);
    }
}

//! Input that belongs to no pane: keyboard shortcuts and dropped files, as
//! actions.

use std::path::PathBuf;

use super::action::{Action, Scroll};
use super::state::Pane;

/// The keyboard shortcuts pressed this frame. Undo and redo (Ctrl+Z,
/// Ctrl+Shift+Z, Ctrl+Y) are the library's only while no text field has the
/// keyboard: in a field they undo its text (egui's own undo).
#[must_use]
pub fn keyboard(ctx: &egui::Context) -> Vec<Action> {
    let mut actions = Vec::new();
    let text_field = ctx.egui_wants_keyboard_input();
    let typing = ctx.memory(|m| m.focused().is_some()) && text_field;
    ctx.input_mut(|i| {
        let cmd = egui::Modifiers::COMMAND;
        if i.consume_key(cmd, egui::Key::F) {
            actions.push(Action::FocusSearch);
        }
        if i.consume_key(cmd, egui::Key::I) {
            actions.push(Action::PickFiles { folder: false });
        }
        if i.consume_key(cmd, egui::Key::E) {
            actions.push(Action::OpenExport);
        }
        if i.consume_key(cmd, egui::Key::T) {
            actions.push(Action::FocusTagInput);
        }
        if i.consume_key(cmd, egui::Key::Plus) || i.consume_key(cmd, egui::Key::Equals) {
            actions.push(Action::TextSize(1.0));
        }
        if i.consume_key(cmd, egui::Key::Minus) {
            actions.push(Action::TextSize(-1.0));
        }
        if i.consume_key(egui::Modifiers::NONE, egui::Key::F8) {
            actions.push(Action::TogglePane(Pane::Library));
        }
        if i.consume_key(egui::Modifiers::NONE, egui::Key::F9) {
            actions.push(Action::TogglePane(Pane::Inspector));
        }
        if !text_field {
            // Ctrl+Shift+Z first: Ctrl+Z would match it too.
            if i.consume_key(cmd | egui::Modifiers::SHIFT, egui::Key::Z)
                || i.consume_key(cmd, egui::Key::Y)
            {
                actions.push(Action::Redo);
            } else if i.consume_key(cmd, egui::Key::Z) {
                actions.push(Action::Undo);
            }
        }
        if !typing {
            if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown)
                || i.consume_key(egui::Modifiers::NONE, egui::Key::J)
            {
                actions.push(Action::MoveSelection(1));
            }
            if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp)
                || i.consume_key(egui::Modifiers::NONE, egui::Key::K)
            {
                actions.push(Action::MoveSelection(-1));
            }
            if i.consume_key(egui::Modifiers::NONE, egui::Key::Delete) {
                actions.push(Action::TrashOpen);
            }
            if i.consume_key(egui::Modifiers::NONE, egui::Key::M) {
                actions.push(Action::ToggleRead);
            }
            if i.consume_key(egui::Modifiers::NONE, egui::Key::S) {
                actions.push(Action::ToggleStar);
            }
        }
    });
    actions
}

/// The reader's keys, unless a text field has the keyboard: selecting all
/// (Ctrl+A), copying (Ctrl+C, and Ctrl+Shift+C as a quote), and scrolling
/// (Space and Shift+Space when nothing has the focus, Page Up/Down, Home,
/// End).
#[must_use]
pub fn reader_keys(ctx: &egui::Context, has_article: bool) -> Vec<Action> {
    let mut actions = Vec::new();
    if !has_article || ctx.egui_wants_keyboard_input() {
        return actions;
    }
    let nothing_focused = ctx.memory(|m| m.focused().is_none());
    ctx.input_mut(|i| {
        let cmd = egui::Modifiers::COMMAND;
        let none = egui::Modifiers::NONE;
        // Ctrl+Shift+C first: Ctrl+C would match it too.
        if i.consume_key(cmd | egui::Modifiers::SHIFT, egui::Key::C) {
            actions.push(Action::CopySelection { quote: true });
        }
        let copy_event = i.events.iter().any(|e| matches!(e, egui::Event::Copy));
        i.events.retain(|e| !matches!(e, egui::Event::Copy));
        if copy_event || i.consume_key(cmd, egui::Key::C) {
            actions.push(Action::CopySelection { quote: false });
        }
        if i.consume_key(cmd, egui::Key::A) {
            actions.push(Action::SelectAll);
        }
        let mut scroll = |key, modifiers, to| {
            if i.consume_key(modifiers, key) {
                actions.push(Action::ScrollReader(to));
            }
        };
        if nothing_focused {
            scroll(egui::Key::Space, egui::Modifiers::SHIFT, Scroll::PageUp);
            scroll(egui::Key::Space, none, Scroll::PageDown);
        }
        scroll(egui::Key::PageDown, none, Scroll::PageDown);
        scroll(egui::Key::PageUp, none, Scroll::PageUp);
        scroll(egui::Key::Home, none, Scroll::Top);
        scroll(egui::Key::End, none, Scroll::Bottom);
    });
    actions
}

/// H highlights the reader's selection (in yellow), unless a text field
/// has the keyboard.
#[must_use]
pub fn highlight_key(ctx: &egui::Context, has_selection: bool) -> Vec<Action> {
    if has_selection
        && !ctx.egui_wants_keyboard_input()
        && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::H))
    {
        vec![Action::Highlight(crate::library::Colour::Yellow)]
    } else {
        Vec::new()
    }
}

/// Files dropped on the window: an import.
#[must_use]
pub fn dropped_files(ctx: &egui::Context) -> Option<Action> {
    let paths: Vec<PathBuf> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    (!paths.is_empty()).then_some(Action::Import(paths))
}

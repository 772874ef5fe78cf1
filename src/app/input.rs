//! Input that belongs to no pane: keyboard shortcuts and dropped files, as
//! actions.

use std::path::PathBuf;

use super::Action;

/// The keyboard shortcuts pressed this frame (Undo only when `can_undo`).
#[must_use]
pub fn keyboard(ctx: &egui::Context, can_undo: bool) -> Vec<Action> {
    let mut actions = Vec::new();
    let typing = ctx.memory(|m| m.focused().is_some()) && ctx.egui_wants_keyboard_input();
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
        if i.consume_key(cmd, egui::Key::Z) && can_undo {
            actions.push(Action::UndoTrash);
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
        }
    });
    actions
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

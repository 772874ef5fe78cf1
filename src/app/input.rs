//! Input that belongs to no pane: keyboard shortcuts and dropped files, as
//! actions.

use std::path::PathBuf;

use super::action::{Action, HelpPage, Scroll};
use super::state::Pane;

/// The keyboard shortcuts pressed this frame. Undo and redo (Ctrl+Z,
/// Ctrl+Shift+Z, Ctrl+Y) are the library's only while no text field has the
/// keyboard: in a field they undo its text (egui's own undo). Ctrl+F finds
/// in the article when `in_reader` (the reader was clicked last and shows
/// an article), else it goes to the library search, as Ctrl+K always does.
#[must_use]
pub fn keyboard(ctx: &egui::Context, in_reader: bool) -> Vec<Action> {
    let mut actions = Vec::new();
    let text_field = ctx.egui_wants_keyboard_input();
    let typing = ctx.memory(|m| m.focused().is_some()) && text_field;
    ctx.input_mut(|i| {
        let cmd = egui::Modifiers::COMMAND;
        if i.consume_key(cmd, egui::Key::F) {
            actions.push(if in_reader {
                Action::FindInArticle
            } else {
                Action::FocusSearch
            });
        }
        if i.consume_key(cmd, egui::Key::K) {
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
        if i.consume_key(egui::Modifiers::NONE, egui::Key::F1) {
            actions.push(Action::ShowHelp(HelpPage::Shortcuts));
        }
        if !typing {
            // ? is Shift+/ on most keyboards: either way, the shortcuts sheet.
            if i.consume_key(egui::Modifiers::SHIFT, egui::Key::Questionmark)
                || i.consume_key(egui::Modifiers::SHIFT, egui::Key::Slash)
            {
                actions.push(Action::ShowHelp(HelpPage::Shortcuts));
            }
            // j / k: paragraph by paragraph in the reader, else the list.
            if in_reader && i.consume_key(egui::Modifiers::NONE, egui::Key::J) {
                actions.push(Action::FocusParagraph(1));
            }
            if in_reader && i.consume_key(egui::Modifiers::NONE, egui::Key::K) {
                actions.push(Action::FocusParagraph(-1));
            }
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

/// The find bar's and the search matches' keys: F3 and Shift+F3 step the
/// find bar's matches when `find_open`, and Escape closes it when the
/// reader has the focus too (`in_reader`); n and
/// Shift+N step the library search's matches in the article (when
/// `search_matches`, unless a text field has the keyboard).
#[must_use]
pub fn find_keys(
    ctx: &egui::Context,
    find_open: bool,
    in_reader: bool,
    search_matches: bool,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input_mut(|i| {
        let (none, shift) = (egui::Modifiers::NONE, egui::Modifiers::SHIFT);
        if find_open {
            // Shifted first: the plain key matches it too.
            if i.consume_key(shift, egui::Key::F3) {
                actions.push(Action::FindStep(-1));
            }
            if i.consume_key(none, egui::Key::F3) {
                actions.push(Action::FindStep(1));
            }
            if in_reader && i.consume_key(none, egui::Key::Escape) {
                actions.push(Action::CloseFind);
            }
        }
        if search_matches && !typing {
            if i.consume_key(shift, egui::Key::N) {
                actions.push(Action::SearchStep(-1));
            }
            if i.consume_key(none, egui::Key::N) {
                actions.push(Action::SearchStep(1));
            }
        }
    });
    actions
}

/// H highlights the reader's selection (in yellow), or with none the
/// paragraph j / k focused (`has_focused`), unless a text field has the
/// keyboard.
#[must_use]
pub fn highlight_key(ctx: &egui::Context, has_selection: bool, has_focused: bool) -> Vec<Action> {
    if (has_selection || has_focused)
        && !ctx.egui_wants_keyboard_input()
        && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::H))
    {
        vec![if has_selection {
            Action::Highlight(crate::library::Colour::Yellow)
        } else {
            Action::HighlightFocused
        }]
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

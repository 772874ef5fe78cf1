//! The floating windows that are not dialogs of a menu: renaming (or
//! merging) a tag, saving or renaming a collection, an image at full
//! size with zoom, and the Help menu's pages (keyboard shortcuts, the
//! search syntax, About). It owns [`Windows`]; the images it only reads.

use std::path::Path;

use super::action::{Action, HelpPage};
use super::state::TextureCache;

/// The "Rename tag" window's state.
struct RenameTag {
    /// The tag's name now.
    old: String,
    /// The name typed.
    new: String,
    /// The field still has to take the keyboard focus (just opened).
    focus: bool,
}

/// The "Save collection" / "Rename collection" window's state.
struct CollectionWindow {
    /// The collection renamed (`None`: a new one is saved).
    old: Option<String>,
    /// The name typed.
    name: String,
    /// The query it saves.
    query: String,
    /// The field still has to take the keyboard focus (just opened).
    focus: bool,
}

/// The "Image" window's state.
struct Zoom {
    /// The image shown.
    sha256: String,
    /// Its scale (1.0: actual size).
    scale: f32,
}

/// Which of these windows are open.
#[derive(Default)]
pub struct Windows {
    /// Renaming a tag.
    rename: Option<RenameTag>,
    /// An image at full size.
    zoom: Option<Zoom>,
    /// Saving or renaming a collection.
    collection: Option<CollectionWindow>,
    /// A page of the Help menu.
    help: Option<HelpPage>,
}

/// Escape closes the dialogs and windows (image viewer, rename, export, open
/// or import library, import from path, import report) when one is open.
#[must_use]
pub fn escape_closes(ctx: &egui::Context, any_open: bool) -> Option<Action> {
    (any_open && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)))
        .then_some(Action::CloseWindows)
}

impl Windows {
    /// A window is open.
    pub fn any_open(&self) -> bool {
        self.rename.is_some()
            || self.zoom.is_some()
            || self.collection.is_some()
            || self.help.is_some()
    }

    /// Open the window that renames (or merges) the tag `name`.
    pub fn rename_tag(&mut self, name: String) {
        self.rename = Some(RenameTag {
            old: name.clone(),
            new: name,
            focus: true,
        });
    }

    /// Open the window that saves `query` as a collection (`old: None`) or
    /// renames the collection `old`.
    pub fn collection(&mut self, old: Option<String>, query: String) {
        self.collection = Some(CollectionWindow {
            name: old.clone().unwrap_or_default(),
            old,
            query,
            focus: true,
        });
    }

    /// Show the image `sha256` at full size.
    pub fn zoom(&mut self, sha256: String) {
        self.zoom = Some(Zoom { sha256, scale: 1.0 });
    }

    /// Show a page of the Help menu.
    pub fn help(&mut self, page: HelpPage) {
        self.help = Some(page);
    }

    /// Close every window (Escape).
    pub fn close_all(&mut self) {
        *self = Self::default();
    }
}

/// Width of the small dialogs: the same at every opening, whatever the
/// names in them, so their buttons stay where the mouse found them.
const DIALOG_WIDTH: f32 = 360.0;

/// A small dialog of [`DIALOG_WIDTH`] (Enter submits it, Escape closes it),
/// first shown at the top of the window's middle.
fn dialog<'a>(ctx: &egui::Context, title: &str) -> egui::Window<'a> {
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .min_width(DIALOG_WIDTH)
        .max_width(DIALOG_WIDTH)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 120.0))
}

/// Draw the open windows.
#[must_use]
pub fn windows_ui(
    ctx: &egui::Context,
    windows: &mut Windows,
    textures: &TextureCache,
    library: &Path,
) -> Vec<Action> {
    let mut actions = Vec::new();
    if let Some(page) = windows.help {
        let mut open = true;
        help_ui(ctx, page, library, &mut open);
        if !open {
            windows.help = None;
        }
    }
    if let Some(RenameTag { old, new, focus }) = &mut windows.rename {
        let mut open = true;
        let mut done = false;
        dialog(ctx, "Rename tag").open(&mut open).show(ctx, |ui| {
            // One line whatever the name: the dialog keeps its height.
            ui.add(egui::Label::new(format!("Rename “{old}”")).truncate());
            ui.label(egui::RichText::new("An existing name merges the two.").weak());
            let label = ui.label("New name");
            let field = ui
                .add(egui::TextEdit::singleline(new).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            // Read before the focus is given back (it would hide the Enter).
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if std::mem::take(focus) {
                field.request_focus();
            }
            let clicked = ui
                .add_enabled(!new.trim().is_empty(), egui::Button::new("Rename"))
                .clicked();
            if (clicked || entered) && !new.trim().is_empty() {
                actions.push(Action::RenameTag {
                    old: old.clone(),
                    new: new.trim().to_owned(),
                });
                done = true;
            }
        });
        if !open || done {
            windows.rename = None;
        }
    }
    if let Some(window) = &mut windows.collection {
        let (open, done, action) = collection_window_ui(ctx, window);
        actions.extend(action);
        if !open || done {
            windows.collection = None;
        }
    }
    if let Some(Zoom { sha256, scale }) = &mut windows.zoom {
        let mut open = true;
        egui::Window::new("Image")
            .open(&mut open)
            .default_size([900.0, 700.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("-").on_hover_text("Zoom out").clicked() {
                        *scale = (*scale / 1.25).max(0.1);
                    }
                    ui.label(format!("{:.0}%", *scale * 100.0));
                    if ui.button("+").on_hover_text("Zoom in").clicked() {
                        *scale = (*scale * 1.25).min(8.0);
                    }
                });
                egui::ScrollArea::both().show(ui, |ui| {
                    if let Some(Some(texture)) = textures.get(sha256, false) {
                        let size = texture.size_vec2() * *scale;
                        ui.add(
                            egui::Image::from_texture(texture)
                                .fit_to_exact_size(size)
                                .alt_text("Full-size image"),
                        );
                    }
                });
            });
        if !open {
            windows.zoom = None;
        }
    }
    actions
}

/// The collection window: (still open, done, what to do).
fn collection_window_ui(
    ctx: &egui::Context,
    window: &mut CollectionWindow,
) -> (bool, bool, Option<Action>) {
    let mut open = true;
    let mut done = false;
    let mut action = None;
    let title = if window.old.is_some() {
        "Rename collection"
    } else {
        "Save collection"
    };
    dialog(ctx, title).open(&mut open).show(ctx, |ui| {
        ui.add(egui::Label::new(format!("Search: {}", window.query)).truncate());
        let label = ui.label("Collection name");
        let field = ui
            .add(egui::TextEdit::singleline(&mut window.name).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        // Read before the focus is given back (it would hide the Enter).
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if std::mem::take(&mut window.focus) {
            field.request_focus();
        }
        let name = window.name.trim().to_owned();
        let verb = if window.old.is_some() {
            "Rename"
        } else {
            "Save"
        };
        let clicked = ui
            .add_enabled(!name.is_empty(), egui::Button::new(verb))
            .clicked();
        if (clicked || entered) && !name.is_empty() {
            action = Some(match &window.old {
                Some(old) => Action::RenameCollection {
                    old: old.clone(),
                    new: name,
                },
                None => Action::SaveCollection {
                    name,
                    query: window.query.clone(),
                },
            });
            done = true;
        }
    });
    (open, done, action)
}

/// The keys the window answers to, as the Help menu lists them.
const SHORTCUTS: &[(&str, &str)] = &[
    (
        "Ctrl+F",
        "Find in the article (after a click in the reader); elsewhere, the library search",
    ),
    ("Ctrl+K", "The library search, wherever the focus is"),
    (
        "Enter, Shift+Enter or F3, Shift+F3",
        "Next, previous match of the find bar",
    ),
    ("Escape", "Close the find bar (in the reader)"),
    (
        "N, Shift+N",
        "Next, previous match of the library search in the article",
    ),
    ("Ctrl+I", "Import files"),
    ("Ctrl+E", "Export"),
    ("Ctrl+T", "Add a tag to the open article"),
    ("F1 or ?", "This sheet of every key"),
    (
        "Down or J, Up or K",
        "Next, previous article (J, K: paragraph by paragraph after a click in the reader)",
    ),
    (
        "Down or Enter in the search box",
        "Into the results: the first one opens",
    ),
    (
        "Ctrl-click, Shift-click",
        "Select rows (then tag, mark, trash or export them)",
    ),
    (
        "Ctrl+A",
        "Select every row (in the list) or the article (in the reader)",
    ),
    ("M", "Mark read or unread"),
    ("S", "Star or unstar"),
    ("Delete", "Move to the trash"),
    (
        "Ctrl+Z",
        "Undo the last change (in a text field: its typing)",
    ),
    ("Ctrl+Shift+Z, Ctrl+Y", "Redo the change undone last"),
    (
        "H",
        "Highlight the selected text, or the paragraph J / K marked",
    ),
    ("Ctrl+C", "Copy the selected text"),
    ("Ctrl+Shift+C", "Copy it as a quote with its source"),
    ("Space, Shift+Space", "Scroll the reader down, up a screen"),
    ("Page Down, Page Up, Home, End", "Scroll the reader"),
    ("Ctrl++, Ctrl+-", "Larger, smaller text"),
    ("F8, F9", "Show or hide the library, the inspector"),
    ("Enter", "Confirm a dialog"),
    ("Escape", "Close dialogs and windows"),
];

/// The fonts bundled in the binary and their licences.
const BUNDLED: &[(&str, &str)] = &[
    (
        "Droid Sans Fallback (Chinese, Japanese, Korean)",
        "Apache-2.0",
    ),
    (
        "Liberation Serif (the reader's serif)",
        "SIL Open Font License 1.1",
    ),
    ("egui's fonts and emoji", "MIT, Apache-2.0, SIL OFL 1.1"),
];

/// The bundled fonts' licence texts (`assets/fonts/`).
const FONT_LICENCES: &[(&str, &str)] = &[
    (
        "Droid Sans Fallback licence",
        include_str!("../../assets/fonts/DroidSansFallback-COPYRIGHT.txt"),
    ),
    (
        "Liberation Serif licence",
        include_str!("../../assets/fonts/LiberationSerif-COPYRIGHT.txt"),
    ),
];

/// The crates Folio is built from with their licences, one per line:
/// name, version, licence, tab-separated (`#` lines are comments). Kept
/// equal to Cargo.lock by a test (`tests/it/licences.rs`), which writes it.
const CRATES: &str = include_str!("../../assets/licences.txt");

/// The About window's list of crates (name, version, licence), scrolling,
/// only the rows in view laid out.
fn crates_ui(ui: &mut egui::Ui) {
    let rows: Vec<Vec<&str>> = CRATES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    ui.label(
        egui::RichText::new(format!(
            "Built from {} crates, each under its own licence",
            rows.len()
        ))
        .strong(),
    );
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("crate-licences")
        .max_height(220.0)
        .min_scrolled_height(200.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            egui::Grid::new("crate-licences-grid")
                .num_columns(3)
                .striped(true)
                .min_row_height(row_height)
                .start_row(range.start)
                .show(ui, |ui| {
                    for row in &rows[range] {
                        for cell in row.iter().take(3) {
                            ui.label(*cell);
                        }
                        ui.end_row();
                    }
                });
        });
}

/// One page of the Help menu in a window of its own.
fn help_ui(ctx: &egui::Context, page: HelpPage, library: &Path, open: &mut bool) {
    let title = match page {
        HelpPage::Shortcuts => "Keyboard shortcuts",
        HelpPage::SearchSyntax => "Search syntax",
        HelpPage::About => "About Folio",
    };
    egui::Window::new(title)
        .id(egui::Id::unique("folio-help"))
        .open(open)
        .collapsible(false)
        .default_width(480.0)
        .show(ctx, |ui| match page {
            HelpPage::Shortcuts => {
                egui::Grid::new("shortcuts")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (keys, what) in SHORTCUTS {
                            ui.label(egui::RichText::new(*keys).strong());
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
            }
            HelpPage::SearchSyntax => {
                for paragraph in crate::library::QUERY_SYNTAX.split("\n\n") {
                    ui.label(paragraph.replace('\n', " "));
                    ui.add_space(6.0);
                }
            }
            HelpPage::About => {
                ui.heading(format!("Folio {}", env!("CARGO_PKG_VERSION")));
                ui.label("A desktop archive of saved web pages.");
                ui.add_space(6.0);
                ui.label(format!("Library: {}", library.display()));
                ui.add_space(6.0);
                ui.label(format!("Folio is licensed {}.", env!("CARGO_PKG_LICENSE")));
                ui.add_space(6.0);
                ui.label(egui::RichText::new("Bundled fonts").strong());
                for (font, licence) in BUNDLED {
                    ui.label(format!("{font}: {licence}"));
                }
                for (name, text) in FONT_LICENCES {
                    egui::CollapsingHeader::new(*name)
                        .id_salt(("font-licence", *name))
                        .show(ui, |ui| {
                            egui::ScrollArea::vertical()
                                .id_salt(("font-licence-text", *name))
                                .max_height(160.0)
                                .show(ui, |ui| ui.label(egui::RichText::new(*text).small()));
                        });
                }
                ui.add_space(6.0);
                crates_ui(ui);
            }
        });
}

//! The floating windows that are not dialogs of a menu: renaming (or
//! merging) a tag, saving or renaming a collection, and an image at full
//! size with zoom. It owns [`Windows`];
//! the images it only reads.

use super::action::Action;
use super::state::TextureCache;

/// The "Rename tag" window's state.
struct RenameTag {
    /// The tag's name now.
    old: String,
    /// The name typed.
    new: String,
}

/// The "Save collection" / "Rename collection" window's state.
struct CollectionWindow {
    /// The collection renamed (`None`: a new one is saved).
    old: Option<String>,
    /// The name typed.
    name: String,
    /// The query it saves.
    query: String,
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
        self.rename.is_some() || self.zoom.is_some() || self.collection.is_some()
    }

    /// Open the window that renames (or merges) the tag `name`.
    pub fn rename_tag(&mut self, name: String) {
        self.rename = Some(RenameTag {
            old: name.clone(),
            new: name,
        });
    }

    /// Open the window that saves `query` as a collection (`old: None`) or
    /// renames the collection `old`.
    pub fn collection(&mut self, old: Option<String>, query: String) {
        self.collection = Some(CollectionWindow {
            name: old.clone().unwrap_or_default(),
            old,
            query,
        });
    }

    /// Show the image `sha256` at full size.
    pub fn zoom(&mut self, sha256: String) {
        self.zoom = Some(Zoom { sha256, scale: 1.0 });
    }

    /// Close every window (Escape).
    pub fn close_all(&mut self) {
        *self = Self::default();
    }
}

/// Draw the open windows.
#[must_use]
pub fn windows_ui(
    ctx: &egui::Context,
    windows: &mut Windows,
    textures: &TextureCache,
) -> Vec<Action> {
    let mut actions = Vec::new();
    if let Some(RenameTag { old, new }) = &mut windows.rename {
        let mut open = true;
        let mut done = false;
        egui::Window::new("Rename tag")
            .open(&mut open)
            .show(ctx, |ui| {
                ui.label(format!(
                    "Rename “{old}” to (an existing name merges the two):"
                ));
                let label = ui.label("New name");
                ui.text_edit_singleline(new).labelled_by(label.id);
                if ui.button("Rename").clicked() && !new.trim().is_empty() {
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
    egui::Window::new(title)
        .open(&mut open)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(format!("Search: {}", window.query));
            let label = ui.label("Collection name");
            let field = ui
                .text_edit_singleline(&mut window.name)
                .labelled_by(label.id);
            if field.gained_focus() || ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
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

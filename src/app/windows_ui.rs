//! The floating windows that are not dialogs of a menu: renaming (or
//! merging) a tag, saving or renaming a collection, and an image at full
//! size with zoom. It owns [`Windows`];
//! the images it only reads.

use super::Action;
use super::state::TextureCache;
use crate::jobs::Command;

/// The "Rename tag" window's state.
pub struct RenameTag {
    /// The tag's name now.
    pub old: String,
    /// The name typed.
    pub new: String,
}

/// The "Save collection" / "Rename collection" window's state.
pub struct CollectionWindow {
    /// The collection renamed (`None`: a new one is saved).
    pub old: Option<String>,
    /// The name typed.
    pub name: String,
    /// The query it saves.
    pub query: String,
}

/// The "Image" window's state.
pub struct Zoom {
    /// The image shown.
    pub sha256: String,
    /// Its scale (1.0: actual size).
    pub scale: f32,
}

/// Which of these windows are open.
#[derive(Default)]
pub struct Windows {
    /// Renaming a tag.
    pub rename: Option<RenameTag>,
    /// An image at full size.
    pub zoom: Option<Zoom>,
    /// Saving or renaming a collection.
    pub collection: Option<CollectionWindow>,
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
                    actions.push(Action::Worker(Command::RenameTag(
                        old.clone(),
                        new.trim().to_owned(),
                    )));
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
                action = Some(Action::Worker(match &window.old {
                    Some(old) => Command::RenameCollection(old.clone(), name),
                    None => Command::SaveCollection(name, window.query.clone()),
                }));
                done = true;
            }
        });
    (open, done, action)
}

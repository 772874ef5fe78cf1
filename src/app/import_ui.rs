//! Import: the File menu, file dialogs (on their own thread), the in-app path
//! field when no dialog is available, progress with cancel, and the report.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::RichText;

use super::{Action, FolioApp, ImportState, PickResult, WorkerAction};
use crate::jobs::{Worker, counted};

/// A dialog that answers faster than this without a choice was never shown.
const DIALOG_MIN_DURATION: Duration = Duration::from_millis(400);

/// The menu bar.
pub fn menu_bar_ui(ui: &mut egui::Ui, import: &ImportState) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                let enabled = !import.running;
                if ui
                    .add_enabled(
                        enabled,
                        egui::Button::new("Import files…").shortcut_text("Ctrl+I"),
                    )
                    .clicked()
                {
                    actions.push(Action::PickFiles { folder: false });
                    ui.close();
                }
                if ui
                    .add_enabled(enabled, egui::Button::new("Import folder…"))
                    .clicked()
                {
                    actions.push(Action::PickFiles { folder: true });
                    ui.close();
                }
                if ui
                    .add_enabled(enabled, egui::Button::new("Import from path…"))
                    .clicked()
                {
                    actions.push(Action::Worker(WorkerAction::OpenPathDialog));
                    ui.close();
                }
                if ui
                    .add_enabled(enabled, egui::Button::new("Add the sample articles"))
                    .clicked()
                {
                    actions.push(Action::LoadSamples);
                    ui.close();
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Export…").shortcut_text("Ctrl+E"))
                    .clicked()
                {
                    actions.push(Action::OpenExport);
                    ui.close();
                }
                if ui.button("Open library…").clicked() {
                    actions.push(Action::OpenLibraryDialog);
                    ui.close();
                }
                if ui
                    .add_enabled(enabled, egui::Button::new("Import library…"))
                    .clicked()
                {
                    actions.push(Action::MergeDialog);
                    ui.close();
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("View", |ui| {
                if ui
                    .add(egui::Button::new("Larger text").shortcut_text("Ctrl++"))
                    .clicked()
                {
                    actions.push(Action::TextSize(1.0));
                }
                if ui
                    .add(egui::Button::new("Smaller text").shortcut_text("Ctrl+-"))
                    .clicked()
                {
                    actions.push(Action::TextSize(-1.0));
                }
                ui.separator();
                egui::widgets::global_theme_preference_buttons(ui);
            });
        });
    });
    actions
}

/// The status bar: import progress with cancel, the last message, undo.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    import: &ImportState,
    status: Option<&str>,
    can_undo: bool,
    worker: &Worker,
) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if import.running {
                let fraction = if import.total == 0 {
                    0.0
                } else {
                    import.done as f32 / import.total as f32
                };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(220.0)
                        .text(format!("Importing {} / {}", import.done, import.total)),
                );
                if ui.button("Cancel import").clicked() {
                    worker.cancel(crate::jobs::Task::Import);
                }
            }
            if let Some(status) = status {
                ui.label(status);
            }
            if can_undo && ui.button("Undo").clicked() {
                actions.push(Action::UndoTrash);
            }
        });
    });
    actions
}

/// Open a file dialog on its own thread (the frame never waits for it).
pub fn pick_files(import: &mut ImportState, folder: bool) {
    let (tx, rx) = std::sync::mpsc::channel();
    let started = Instant::now();
    let spawned = std::thread::Builder::new()
        .name("folio-file-dialog".to_owned())
        .spawn(move || {
            let dialog = rfd::FileDialog::new().set_title(if folder {
                "Import a folder"
            } else {
                "Import saved pages"
            });
            let picked: Option<Vec<PathBuf>> = if folder {
                dialog.pick_folder().map(|p| vec![p])
            } else {
                dialog
                    .add_filter("Saved pages", crate::read::discover::PAGE_EXTENSIONS)
                    .pick_files()
            };
            let result = match picked {
                Some(paths) => PickResult::Picked(paths),
                None if started.elapsed() < DIALOG_MIN_DURATION => PickResult::Unavailable(
                    "No file dialog is available on this system (no desktop portal).".to_owned(),
                ),
                None => PickResult::Cancelled,
            };
            let _ = tx.send(result);
        });
    match spawned {
        Ok(_) => import.picking = Some(rx),
        Err(err) => open_path_dialog(import, Some(format!("cannot open a file dialog: {err}"))),
    }
}

/// Open the in-app path field.
pub fn open_path_dialog(import: &mut ImportState, reason: Option<String>) {
    import.path_dialog = true;
    import.path_dialog_reason = reason;
}

/// Check whether a file dialog has answered.
pub fn poll_picker(import: &mut ImportState) -> Option<Vec<PathBuf>> {
    let result = import.picking.as_ref()?.try_recv().ok()?;
    import.picking = None;
    match result {
        PickResult::Picked(paths) => return Some(paths),
        PickResult::Cancelled => {}
        PickResult::Unavailable(reason) => open_path_dialog(import, Some(reason)),
    }
    None
}

/// Floating windows: import report, path field, tag rename, image zoom.
pub fn windows_ui(ctx: &egui::Context, app: &mut FolioApp) -> Vec<Action> {
    let mut actions = Vec::new();
    if let Some(report) = &app.import.report {
        let mut open = true;
        egui::Window::new("Import report")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.label(format!(
                    "{}: {} imported, {} updated, {}, {} failed{}",
                    counted(report.files, "file", "files"),
                    report.imported,
                    report.updated,
                    counted(report.duplicates, "duplicate", "duplicates"),
                    report.failed.len(),
                    if report.cancelled { " (cancelled)" } else { "" }
                ));
                egui::ScrollArea::vertical()
                    .max_height(300.0)
                    .show(ui, |ui| {
                        for (path, reason) in &report.failed {
                            ui.label(RichText::new(path.display().to_string()).strong());
                            ui.label(RichText::new(reason).small());
                            ui.add_space(4.0);
                        }
                    });
            });
        if !open {
            app.import.report = None;
        }
    }
    if app.import.path_dialog {
        let mut open = true;
        egui::Window::new("Import from path")
            .open(&mut open)
            .show(ctx, |ui| {
                if let Some(reason) = &app.import.path_dialog_reason {
                    ui.label(RichText::new(reason).weak());
                }
                let label = ui.label("Files or folders (one per line)");
                ui.add(
                    egui::TextEdit::multiline(&mut app.import.path_input)
                        .desired_rows(3)
                        .desired_width(400.0),
                )
                .labelled_by(label.id);
                if ui.button("Import").clicked() {
                    let paths: Vec<PathBuf> = app
                        .import
                        .path_input
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(PathBuf::from)
                        .collect();
                    actions.push(Action::Import(paths));
                    app.import.path_dialog = false;
                    app.import.path_input.clear();
                }
            });
        if !open {
            app.import.path_dialog = false;
        }
    }
    if let Some((old, new)) = &mut app.rename {
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
                    actions.push(Action::Worker(WorkerAction::RenameTag(
                        old.clone(),
                        new.trim().to_owned(),
                    )));
                    done = true;
                }
            });
        if !open || done {
            app.rename = None;
        }
    }
    if let Some((sha, zoom)) = &mut app.zoom {
        let mut open = true;
        let sha = sha.clone();
        egui::Window::new("Image")
            .open(&mut open)
            .default_size([900.0, 700.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("-").on_hover_text("Zoom out").clicked() {
                        *zoom = (*zoom / 1.25).max(0.1);
                    }
                    ui.label(format!("{:.0}%", *zoom * 100.0));
                    if ui.button("+").on_hover_text("Zoom in").clicked() {
                        *zoom = (*zoom * 1.25).min(8.0);
                    }
                });
                egui::ScrollArea::both().show(ui, |ui| {
                    if let Some(Some(texture)) = app.textures.get(&app.worker, &sha, false) {
                        let size = texture.size_vec2() * *zoom;
                        ui.add(
                            egui::Image::from_texture(texture)
                                .fit_to_exact_size(size)
                                .alt_text("Full-size image"),
                        );
                    }
                });
            });
        if !open {
            app.zoom = None;
        }
    }
    actions
}

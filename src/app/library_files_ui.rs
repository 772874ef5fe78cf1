//! The dialogs that work on whole library files — File ▸ Export…, Open
//! library… and Import library… (merge): small windows with a path field
//! (and the system dialog where one exists). They own [`Dialogs`] and return
//! actions; the work runs on the worker, and a confirmation guards replacing
//! an existing export target.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use egui::RichText;

use super::action::{Action, Scope};
use crate::cite::Format;
use crate::export::ExportFormat;

/// The export dialog's state.
#[derive(Default)]
struct ExportDialog {
    /// How many articles [`Scope::Chosen`] covers (0: the choice is not offered).
    chosen: usize,
    /// The chosen format.
    format: ExportFormat,
    /// What to export.
    scope: Scope,
    /// Target file or folder.
    path: String,
    /// Set when the worker found the target existing: ask before replacing.
    confirm_replace: Option<PathBuf>,
    picking: Option<Receiver<Option<PathBuf>>>,
}

/// A dialog that asks for one library file.
#[derive(Default)]
struct PathDialog {
    /// The path typed or picked.
    path: String,
    picking: Option<Receiver<Option<PathBuf>>>,
}

/// Which library dialog is open.
#[derive(Default)]
pub struct Dialogs {
    /// File ▸ Export…
    export: Option<ExportDialog>,
    /// File ▸ Open library…
    open_library: Option<PathDialog>,
    /// File ▸ Import library… (merge)
    merge: Option<PathDialog>,
}

impl Dialogs {
    /// Open the export dialog on `scope`; `chosen` articles are chosen in
    /// the list (0: [`Scope::Chosen`] is not offered).
    pub fn open_export(&mut self, scope: Scope, chosen: usize) {
        self.export = Some(ExportDialog {
            chosen,
            scope,
            ..ExportDialog::default()
        });
    }

    /// Open the export dialog on `scope` with `format` chosen (the bulk
    /// bar's "Export references…").
    pub fn open_export_as(&mut self, scope: Scope, chosen: usize, format: ExportFormat) {
        self.export = Some(ExportDialog {
            chosen,
            scope,
            format,
            ..ExportDialog::default()
        });
    }

    /// The export's target exists: the open export dialog asks before
    /// replacing it.
    pub fn confirm_replace(&mut self, path: PathBuf) {
        if let Some(dialog) = &mut self.export {
            dialog.confirm_replace = Some(path);
        }
    }

    /// Open the "open library" dialog.
    pub fn open_library(&mut self) {
        self.open_library = Some(PathDialog::default());
    }

    /// Open the "import library" (merge) dialog.
    pub fn open_merge(&mut self) {
        self.merge = Some(PathDialog::default());
    }

    /// Some dialog is open.
    pub fn any_open(&self) -> bool {
        self.export.is_some() || self.open_library.is_some() || self.merge.is_some()
    }

    /// Close every dialog (Escape).
    pub fn close_all(&mut self) {
        *self = Self::default();
    }
}

fn format_name(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Sqlite => "Folio library (SQLite)",
        ExportFormat::Markdown => "Markdown folder",
        ExportFormat::Html => "HTML folder (offline website)",
        ExportFormat::Jsonl => "JSON Lines file",
        ExportFormat::References(Format::Bibtex) => "References: BibTeX (.bib)",
        ExportFormat::References(Format::Biblatex) => "References: BibLaTeX (.bib)",
        ExportFormat::References(Format::Ris) => "References: RIS (.ris)",
        ExportFormat::References(Format::CslJson) => "References: CSL-JSON (.json)",
        ExportFormat::References(Format::Text) => "References: formatted text",
    }
}

/// Ask the system for a path on a thread of its own; `None` when cancelled
/// or when no dialog exists (the path field stays usable either way).
fn pick(save: bool, folder: bool) -> Option<Receiver<Option<PathBuf>>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("folio-file-dialog".to_owned())
        .spawn(move || {
            let dialog = rfd::FileDialog::new();
            let picked = match (save, folder) {
                (true, true) | (false, true) => dialog.pick_folder(),
                (true, false) => dialog.save_file(),
                (false, false) => dialog
                    .add_filter("Folio library", &["folio", "sqlite", "db"])
                    .pick_file(),
            };
            let _ = tx.send(picked);
        })
        .ok()?;
    Some(rx)
}

/// Ask the system where to save a file of references, offering the
/// format's extension (`.bib`, `.ris`, `.json`).
fn pick_references(format: Format) -> Option<Receiver<Option<PathBuf>>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("folio-file-dialog".to_owned())
        .spawn(move || {
            let extension = format.extension();
            let picked = rfd::FileDialog::new()
                .add_filter(format.name(), &[extension])
                .set_file_name(format!("references.{extension}"))
                .save_file();
            let _ = tx.send(picked);
        })
        .ok()?;
    Some(rx)
}

fn poll(picking: &mut Option<Receiver<Option<PathBuf>>>, path: &mut String) {
    if let Some(Ok(result)) = picking.as_ref().map(Receiver::try_recv) {
        *picking = None;
        if let Some(picked) = result {
            *path = picked.display().to_string();
        }
    }
}

/// Draw the open dialogs; `listed` is the list's count, `has_open` whether
/// an article is open.
#[must_use]
pub fn dialogs_ui(
    ctx: &egui::Context,
    dialogs: &mut Dialogs,
    listed: Option<usize>,
    has_open: bool,
) -> Vec<Action> {
    let mut actions = Vec::new();
    if let Some(dialog) = &mut dialogs.export {
        poll(&mut dialog.picking, &mut dialog.path);
        let mut open = true;
        let mut close = false;
        egui::Window::new("Export")
            .open(&mut open)
            .default_width(460.0)
            .show(ctx, |ui| {
                ui.label(RichText::new("Format").strong());
                for format in [
                    ExportFormat::Sqlite,
                    ExportFormat::Markdown,
                    ExportFormat::Html,
                    ExportFormat::Jsonl,
                    ExportFormat::References(Format::Bibtex),
                    ExportFormat::References(Format::Biblatex),
                    ExportFormat::References(Format::Ris),
                    ExportFormat::References(Format::CslJson),
                ] {
                    ui.radio_value(&mut dialog.format, format, format_name(format));
                }
                ui.label(RichText::new("Articles").strong());
                if dialog.chosen > 0 {
                    let text = format!("The selected articles ({})", dialog.chosen);
                    ui.radio_value(&mut dialog.scope, Scope::Chosen, text);
                }
                ui.add_enabled_ui(has_open, |ui| {
                    ui.radio_value(&mut dialog.scope, Scope::Open, "The open article");
                });
                let listed_text = match listed {
                    Some(n) => format!("The articles listed ({n})"),
                    None => "The articles listed".to_owned(),
                };
                ui.radio_value(&mut dialog.scope, Scope::Listed, listed_text);
                ui.radio_value(&mut dialog.scope, Scope::All, "The whole library");
                ui.horizontal(|ui| {
                    let label = ui.label("Save to");
                    ui.add(
                        egui::TextEdit::singleline(&mut dialog.path)
                            .desired_width(260.0)
                            .hint_text("path of the new file or folder"),
                    )
                    .labelled_by(label.id);
                    let folder =
                        matches!(dialog.format, ExportFormat::Markdown | ExportFormat::Html);
                    if ui.button("Choose…").clicked() && dialog.picking.is_none() {
                        dialog.picking = match dialog.format {
                            ExportFormat::References(format) => pick_references(format),
                            _ => pick(true, folder),
                        };
                    }
                });
                if let Some(existing) = dialog.confirm_replace.clone() {
                    ui.label(
                        RichText::new(format!("{} already exists.", existing.display()))
                            .color(ui.visuals().warn_fg_color),
                    );
                    ui.horizontal(|ui| {
                        if ui.button("Replace it").clicked() {
                            actions.push(export_action(dialog, true));
                            close = true;
                        }
                        if ui.button("Keep it").clicked() {
                            dialog.confirm_replace = None;
                        }
                    });
                } else if ui
                    .add_enabled(!dialog.path.trim().is_empty(), egui::Button::new("Export"))
                    .clicked()
                {
                    actions.push(export_action(dialog, false));
                }
            });
        if !open || close {
            dialogs.export = None;
        }
    }
    for (merge, slot) in [
        (false, &mut dialogs.open_library),
        (true, &mut dialogs.merge),
    ] {
        let Some(dialog) = slot else { continue };
        poll(&mut dialog.picking, &mut dialog.path);
        let mut open = true;
        let mut done = false;
        let title = if merge {
            "Import library"
        } else {
            "Open library"
        };
        egui::Window::new(title).open(&mut open).show(ctx, |ui| {
            ui.label(if merge {
                "Bring the articles, tags and notes of another Folio library into this one. Duplicates are skipped; differing notes are both kept."
            } else {
                "Open another Folio library file (a new path creates an empty library)."
            });
            ui.horizontal(|ui| {
                let label = ui.label("Library file");
                ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(260.0)).labelled_by(label.id);
                if ui.button("Choose…").clicked() && dialog.picking.is_none() {
                    dialog.picking = pick(false, false);
                }
            });
            let verb = if merge { "Import" } else { "Open" };
            if ui.add_enabled(!dialog.path.trim().is_empty(), egui::Button::new(verb)).clicked() {
                let path = PathBuf::from(dialog.path.trim());
                actions.push(if merge { Action::MergeLibrary(path) } else { Action::OpenLibrary(path) });
                done = true;
            }
        });
        if !open || done {
            *slot = None;
        }
    }
    actions
}

fn export_action(dialog: &ExportDialog, overwrite: bool) -> Action {
    Action::Export {
        format: dialog.format,
        scope: dialog.scope,
        out: PathBuf::from(dialog.path.trim()),
        overwrite,
    }
}

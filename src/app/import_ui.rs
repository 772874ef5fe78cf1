//! Import: file dialogs (on their own thread), the in-app path field when no
//! dialog is available, progress with cancel in the status bar, and the
//! report. It owns [`ImportState`].

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::RichText;

use super::action::Action;
use super::words::counted;
use crate::jobs::Task;
use crate::library::ImportReport;

/// A dialog that answers faster than this without a choice was never shown.
const DIALOG_MIN_DURATION: Duration = Duration::from_millis(400);

/// Import progress, its last report, and the ways of choosing what to import.
#[derive(Default)]
pub struct ImportState {
    /// An import is running.
    running: bool,
    /// Files done.
    done: usize,
    /// Files in all.
    total: usize,
    /// The last finished import's report (shown in a window until closed).
    report: Option<ImportReport>,
    /// The in-app "import from path" field is open.
    path_dialog: bool,
    /// Text of the in-app path field.
    path_input: String,
    /// Explains why the path field was opened (no file dialog available).
    path_dialog_reason: Option<String>,
    /// A file dialog is open on another thread.
    picking: Option<std::sync::mpsc::Receiver<PickResult>>,
    /// Open the sample article when this import is done.
    open_featured_after: bool,
    /// Open the first imported page when this import is done (`folio FILE…`).
    open_first_after: bool,
}

impl ImportState {
    /// An import is running.
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// An import was sent: its progress shows from now on.
    pub fn started(&mut self) {
        self.running = true;
        self.done = 0;
        self.total = 0;
        self.report = None;
    }

    /// The running import's progress.
    pub fn progress(&mut self, done: usize, total: usize) {
        self.running = true;
        self.done = done;
        self.total = total;
    }

    /// The import could not run: nothing is opened after it.
    pub fn failed(&mut self) {
        self.running = false;
        self.open_first_after = false;
    }

    /// The import is done: its report is kept for a window when it is
    /// worth one (failures, better copies, duplicates, a cancel); returns
    /// the article to open, once: the first page of `folio FILE…`, whether
    /// it was just imported or was in the library already.
    pub fn finished(&mut self, report: ImportReport) -> Option<crate::library::ArticleId> {
        self.running = false;
        let open = std::mem::take(&mut self.open_first_after)
            .then_some(report.first_article)
            .flatten();
        if !report.failed.is_empty()
            || !report.upgraded.is_empty()
            || !report.versioned.is_empty()
            || !report.restored.is_empty()
            || !report.separate.is_empty()
            || !report.duplicate_of.is_empty()
            || report.cancelled
        {
            self.report = Some(report);
        }
        open
    }

    /// Open the first imported page when the next import is done.
    pub fn open_first_when_done(&mut self) {
        self.open_first_after = true;
    }

    /// Open the featured sample article once the samples are imported.
    pub fn open_featured_when_done(&mut self) {
        self.open_featured_after = true;
    }

    /// The featured sample article waits to be opened and no import runs.
    pub fn featured_due(&self) -> bool {
        self.open_featured_after && !self.running
    }

    /// The featured sample article waits to be opened (an import may run).
    pub fn wants_featured(&self) -> bool {
        self.open_featured_after
    }

    /// The featured sample article was asked for: not again.
    pub fn featured_opened(&mut self) {
        self.open_featured_after = false;
    }

    /// The report window or the path field is open.
    pub fn windows_open(&self) -> bool {
        self.path_dialog || self.report.is_some()
    }

    /// Close the report window and the path field (Escape).
    pub fn close_windows(&mut self) {
        self.path_dialog = false;
        self.report = None;
    }
}

/// What a file dialog thread reports.
pub enum PickResult {
    /// The user chose these paths.
    Picked(Vec<PathBuf>),
    /// The user cancelled.
    Cancelled,
    /// No dialog could be shown.
    Unavailable(String),
}

/// The status bar: import progress with cancel, the last message, undo.
#[must_use]
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    import: &ImportState,
    status: Option<&str>,
    can_undo: bool,
    view: &super::state::StatusView<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(egui::RichText::new(view.counts()).weak());
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    actions.extend(status_left_ui(ui, import, status, can_undo, view));
                });
            });
        });
    });
    actions
}

/// The status bar's left side: tasks with their progress, the message, Undo.
fn status_left_ui(
    ui: &mut egui::Ui,
    import: &ImportState,
    status: Option<&str>,
    can_undo: bool,
    view: &super::state::StatusView<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    for running in view.tasks {
        let text = if running.total == 0 {
            format!("{}…", running.label)
        } else {
            format!("{} {} / {}", running.label, running.done, running.total)
        };
        let fraction = if running.total == 0 {
            0.0
        } else {
            running.done as f32 / running.total as f32
        };
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(200.0)
                .animate(running.total == 0)
                .text(text),
        );
        if ui
            .button(format!("Cancel {}", running.label.to_lowercase()))
            .clicked()
        {
            actions.push(Action::Cancel(running.task));
        }
    }
    {
        {
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
                    actions.push(Action::Cancel(Task::Import));
                }
            }
            if let Some(status) = status {
                ui.label(status);
                let dismiss = ui.add(egui::Button::new("×").small().frame(false));
                dismiss.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Button, true, "Dismiss the message")
                });
                if dismiss.on_hover_text("Dismiss the message").clicked() {
                    actions.push(Action::DismissStatus);
                }
            }
            if can_undo && ui.button("Undo").clicked() {
                actions.push(Action::Undo);
            }
        }
    }
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

/// The report's first line: every count, what is not zero.
fn report_summary(report: &ImportReport) -> String {
    let mut parts = vec![format!("{} imported", report.imported)];
    for (n, what) in [
        (report.updated, "updated"),
        (report.versioned.len(), "kept as versions"),
        (report.upgraded.len(), "better copies"),
        (report.restored.len(), "back from the trash"),
        (report.duplicates, "already there"),
        (report.skipped.len(), "not pages"),
        (report.failed.len(), "failed"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    format!(
        "{}: {}{}",
        counted(report.files, "file", "files"),
        parts.join(" · "),
        if report.cancelled { " (cancelled)" } else { "" }
    )
}

/// A heading of the report, in `colour` when given (failures).
fn section(ui: &mut egui::Ui, title: &str, colour: Option<egui::Color32>) {
    ui.add_space(6.0);
    let mut text = RichText::new(title).strong();
    if let Some(colour) = colour {
        text = text.color(colour);
    }
    ui.label(text);
}

/// One file of the report: its name (the whole path on hover, with a copy
/// button), what happened at the body's size, and the row's own buttons.
fn file_row(
    ui: &mut egui::Ui,
    path: &std::path::Path,
    what: &str,
    colour: Option<egui::Color32>,
    buttons: impl FnOnce(&mut egui::Ui),
) {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    ui.horizontal_wrapped(|ui| {
        let mut text = RichText::new(name).strong();
        if let Some(colour) = colour {
            text = text.color(colour);
        }
        ui.label(text).on_hover_text(path.display().to_string());
        if ui
            .small_button("Copy path")
            .on_hover_text(path.display().to_string())
            .clicked()
        {
            ui.ctx().copy_text(path.display().to_string());
        }
        buttons(ui);
    });
    ui.label(what);
    ui.add_space(4.0);
}

/// The import's windows: the last report, and the in-app path field.
#[must_use]
pub fn import_windows_ui(ctx: &egui::Context, import: &mut ImportState) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut replace: Option<std::path::PathBuf> = None;
    if let Some(report) = &import.report {
        let mut open = true;
        egui::Window::new("Import report")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.label(RichText::new(report_summary(report)).strong());
                ui.add_space(4.0);
                let failure = ui.visuals().error_fg_color;
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        if !report.failed.is_empty() {
                            section(ui, &format!("Failed ({})", report.failed.len()), Some(failure));
                            for (path, reason) in &report.failed {
                                file_row(ui, path, reason, Some(failure), |ui| {
                                    if ui
                                        .small_button("Retry")
                                        .on_hover_text("Import this file again")
                                        .clicked()
                                    {
                                        actions.push(Action::Import(vec![path.clone()]));
                                    }
                                });
                            }
                        }
                        if !report.versioned.is_empty() {
                            section(ui, &format!("Kept as versions ({})", report.versioned.len()), None);
                            for (path, id) in &report.versioned {
                                let why = format!(
                                    "another copy of article {} whose text or images differ: kept as a version",
                                    id.0
                                );
                                file_row(ui, path, &why, None, |ui| {
                                    if ui
                                        .small_button("Use this copy instead")
                                        .on_hover_text(
                                            "Show this copy of the article from now on; the copy \
                                             shown until now is kept as a version, with the tags, \
                                             note, highlights and reading state",
                                        )
                                        .clicked()
                                    {
                                        replace = Some(path.clone());
                                    }
                                });
                            }
                        }
                        if !report.upgraded.is_empty() {
                            section(ui, &format!("Better copies ({})", report.upgraded.len()), None);
                            for (path, id) in &report.upgraded {
                                let why = format!(
                                    "a richer copy: now shown for article {} (the earlier copy is kept)",
                                    id.0
                                );
                                file_row(ui, path, &why, None, |_| {});
                            }
                        }
                        if !report.restored.is_empty() {
                            section(ui, &format!("Back from the trash ({})", report.restored.len()), None);
                            for (path, id) in &report.restored {
                                let why = format!(
                                    "article {} was in the trash: it is back in the library",
                                    id.0
                                );
                                file_row(ui, path, &why, None, |_| {});
                            }
                        }
                        if !report.separate.is_empty() {
                            section(ui, &format!("Separate articles ({})", report.separate.len()), None);
                            for (path, id, other) in &report.separate {
                                let why = format!(
                                    "same address as article {} but different text: kept as a \
                                     separate article ({})",
                                    other.0, id.0
                                );
                                file_row(ui, path, &why, None, |_| {});
                            }
                        }
                        if !report.duplicate_of.is_empty() {
                            section(ui, &format!("Already there ({})", report.duplicate_of.len()), None);
                            for (path, id) in &report.duplicate_of {
                                let why = format!("already there as article {}", id.0);
                                file_row(ui, path, &why, None, |ui| {
                                    if ui
                                        .small_button("Use this copy instead")
                                        .on_hover_text(
                                            "Replace the stored article with this file's, keeping \
                                             its tags, note, highlights and reading state",
                                        )
                                        .clicked()
                                    {
                                        replace = Some(path.clone());
                                    }
                                });
                            }
                        }
                        if !report.skipped.is_empty() {
                            section(ui, &format!("Not pages ({})", report.skipped.len()), None);
                            for (path, reason) in &report.skipped {
                                file_row(ui, path, reason, None, |_| {});
                            }
                        }
                    });
            });
        if !open {
            import.report = None;
        }
    }
    if let Some(path) = replace {
        // The report has done its work: the new import brings its own.
        import.report = None;
        actions.push(Action::ReplaceWithCopy(path));
    }
    if import.path_dialog {
        let mut open = true;
        egui::Window::new("Import from path")
            .open(&mut open)
            .show(ctx, |ui| {
                if let Some(reason) = &import.path_dialog_reason {
                    ui.label(RichText::new(reason).weak());
                }
                let label = ui.label("Files or folders (one per line)");
                ui.add(
                    egui::TextEdit::multiline(&mut import.path_input)
                        .desired_rows(3)
                        .desired_width(400.0),
                )
                .labelled_by(label.id);
                if ui.button("Import").clicked() {
                    let paths: Vec<PathBuf> = import
                        .path_input
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(PathBuf::from)
                        .collect();
                    actions.push(Action::Import(paths));
                    import.path_dialog = false;
                    import.path_input.clear();
                }
            });
        if !open {
            import.path_dialog = false;
        }
    }
    actions
}

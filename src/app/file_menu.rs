//! The menu bar: File (import, export, open and merge library files, quit)
//! and View (text size, theme). Every entry returns an [`Action`]; the
//! dialogs they open live in `import_ui` and `library_files_ui`.

use super::Action;

/// The menu bar; the import entries are disabled while `import_running`.
#[must_use]
pub fn menu_bar_ui(ui: &mut egui::Ui, import_running: bool) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                let enabled = !import_running;
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
                    actions.push(Action::OpenPathDialog);
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

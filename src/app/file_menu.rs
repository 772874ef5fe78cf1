//! The menu bar: File (import, export, open and merge library files, quit),
//! Edit (undo and redo, each naming its change), Article (read, star, trash the open article), View (text size,
//! typeface, panes, theme) and Help (shortcuts, search syntax, about).
//! Every entry returns an [`Action`]; the dialogs they open live in
//! `import_ui`, `library_files_ui` and `windows_ui`.

use super::action::{Action, HelpPage};
use super::state::{ColumnWidth, LineSpacing, Pane, Persisted, ReaderFont};

/// The menu bar; the import entries are disabled while `import_running`;
/// the View menu shows the `persisted` settings; `marks` is the open
/// article's (read, starred), `None` when none is open; `citation_style`
/// the chosen citation style (the Article menu's "Citation style");
/// `steps` names the change undo and redo would make (`None`: greyed).
#[must_use]
pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    import_running: bool,
    persisted: &Persisted,
    marks: Option<(bool, bool)>,
    citation_style: &str,
    steps: [Option<&str>; 2],
    cjk_serif: Option<&str>,
) -> Vec<Action> {
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
            ui.menu_button("Edit", |ui| {
                let [undo, redo] = steps;
                let items = [
                    ("Undo", undo, "Ctrl+Z", Action::Undo),
                    ("Redo", redo, "Ctrl+Shift+Z", Action::Redo),
                ];
                for (verb, step, keys, action) in items {
                    let label = step.map_or_else(|| verb.to_owned(), |s| format!("{verb} {s}"));
                    if ui
                        .add_enabled(step.is_some(), egui::Button::new(label).shortcut_text(keys))
                        .clicked()
                    {
                        actions.push(action);
                        ui.close();
                    }
                }
            });
            ui.menu_button("Article", |ui| {
                let (read, starred) = marks.unwrap_or_default();
                let open = marks.is_some();
                let read_label = if read { "Mark unread" } else { "Mark read" };
                if ui
                    .add_enabled(open, egui::Button::new(read_label).shortcut_text("M"))
                    .clicked()
                {
                    actions.push(Action::ToggleRead);
                    ui.close();
                }
                let star_label = if starred { "Unstar" } else { "Star" };
                if ui
                    .add_enabled(open, egui::Button::new(star_label).shortcut_text("S"))
                    .clicked()
                {
                    actions.push(Action::ToggleStar);
                    ui.close();
                }
                if ui
                    .add_enabled(
                        open,
                        egui::Button::new("Move to trash").shortcut_text("Delete"),
                    )
                    .clicked()
                {
                    actions.push(Action::TrashOpen);
                    ui.close();
                }
                ui.separator();
                actions.extend(citation_items(ui, open, citation_style, |format| {
                    Action::CopyOpenCitation(format)
                }));
                ui.menu_button("Citation style", |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(360.0)
                        .show(ui, |ui| {
                            for (name, title) in crate::cite::styles() {
                                let chosen = hayagriva_same(name, citation_style);
                                if ui.radio(chosen, title).on_hover_text(name).clicked() {
                                    actions.push(Action::SetCitationStyle(name.to_owned()));
                                    ui.close();
                                }
                            }
                        });
                });
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
                for (font, name) in [
                    (ReaderFont::Sans, "Sans-serif"),
                    (ReaderFont::Serif, "Serif"),
                ] {
                    if ui.radio(persisted.reader_font == font, name).clicked() {
                        actions.push(Action::ReaderFont(font));
                    }
                }
                ui.label(
                    egui::RichText::new(match cjk_serif {
                        Some(name) => format!("Chinese in Serif: {name}"),
                        None => "No Chinese serif font installed: Chinese shows in sans; install fonts-noto-cjk".to_owned(),
                    })
                    .small()
                    .weak(),
                );
                ui.separator();
                for (width, name) in ColumnWidth::ALL {
                    if ui.radio(persisted.column == width, name).clicked() {
                        actions.push(Action::Column(width));
                    }
                }
                ui.separator();
                for (spacing, name) in LineSpacing::ALL {
                    if ui.radio(persisted.line_spacing == spacing, name).clicked() {
                        actions.push(Action::LineSpacing(spacing));
                    }
                }
                ui.separator();
                for (pane, name, key, shown) in [
                    (Pane::Library, "Library pane", "F8", persisted.show_library),
                    (
                        Pane::Inspector,
                        "Inspector pane",
                        "F9",
                        persisted.show_inspector,
                    ),
                ] {
                    let label = format!("{} {name}", if shown { "Hide" } else { "Show" });
                    if ui
                        .add(egui::Button::new(label).shortcut_text(key))
                        .clicked()
                    {
                        actions.push(Action::TogglePane(pane));
                    }
                }
                ui.separator();
                // The theme, with its icons named (an icon alone says little).
                let mut theme = ui.options(|o| o.theme_preference);
                for (preference, name) in [
                    (egui::ThemePreference::System, "System theme"),
                    (egui::ThemePreference::Dark, "Dark"),
                    (egui::ThemePreference::Light, "Light"),
                ] {
                    ui.selectable_value(
                        &mut theme,
                        preference,
                        format!("{} {name}", preference.icon()),
                    );
                }
                ui.ctx().set_theme(theme);
            });
            ui.menu_button("Help", |ui| {
                for (page, name) in [
                    (HelpPage::Shortcuts, "Keyboard shortcuts"),
                    (HelpPage::SearchSyntax, "Search syntax"),
                    (HelpPage::About, "About Folio"),
                ] {
                    if ui.button(name).clicked() {
                        actions.push(Action::ShowHelp(page));
                        ui.close();
                    }
                }
            });
        });
    });
    actions
}

/// Whether two style names name one style of the archive (`apa` and
/// `american-psychological-association`).
fn hayagriva_same(a: &str, b: &str) -> bool {
    crate::cite::same_style(a, b)
}

/// "Copy citation (style)" and "Copy as BibTeX / RIS / CSL-JSON", enabled
/// when `enabled`; `action` makes the action for a format. Shared by the
/// Article menu and the list's row menu.
#[must_use]
pub fn citation_items(
    ui: &mut egui::Ui,
    enabled: bool,
    citation_style: &str,
    action: impl Fn(crate::cite::Format) -> Action,
) -> Vec<Action> {
    use crate::cite::Format;
    let mut actions = Vec::new();
    for (format, label) in [
        (Format::Text, format!("Copy citation ({citation_style})")),
        (Format::Bibtex, "Copy as BibTeX".to_owned()),
        (Format::Ris, "Copy as RIS".to_owned()),
        (Format::CslJson, "Copy as CSL-JSON".to_owned()),
    ] {
        if ui.add_enabled(enabled, egui::Button::new(label)).clicked() {
            actions.push(action(format));
            ui.close();
        }
    }
    actions
}

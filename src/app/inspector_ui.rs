//! The inspector: the open article's tags, its note and where it came from.

use egui::RichText;

use super::{Action, FolioApp, WorkerAction};

/// Draw the inspector.
pub fn inspector_ui(ui: &mut egui::Ui, app: &mut FolioApp) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(stored) = app.article.clone() else {
        ui.add_space(8.0);
        ui.label(RichText::new("No article open.").weak());
        return actions;
    };
    let id = stored.id;
    egui::ScrollArea::vertical()
        .id_salt("inspector")
        .show(ui, |ui| {
            ui.add_space(6.0);
            ui.heading("Tags");
            ui.horizontal_wrapped(|ui| {
                for tag in &stored.tags {
                    ui.label(RichText::new(tag).strong());
                    if ui
                        .small_button("×")
                        .on_hover_text(format!("Remove tag {tag}"))
                        .clicked()
                    {
                        actions.push(Action::Worker(WorkerAction::RemoveTag(id, tag.clone())));
                    }
                }
                if stored.tags.is_empty() {
                    ui.label(RichText::new("none").weak());
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label("Add tag");
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut app.tag_input)
                            .hint_text("name or parent/child")
                            .desired_width(140.0),
                    )
                    .labelled_by(label.id);
                if app.focus_tag_input {
                    response.request_focus();
                    app.focus_tag_input = false;
                }
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Add").clicked() || enter) && !app.tag_input.trim().is_empty() {
                    actions.push(Action::Worker(WorkerAction::AddTag(
                        id,
                        app.tag_input.trim().to_owned(),
                    )));
                    app.tag_input.clear();
                }
            });
            // Autocomplete from existing tags.
            let typed = app.tag_input.trim().to_lowercase();
            if !typed.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    for tag in app
                        .tags
                        .iter()
                        .filter(|t| {
                            t.name.to_lowercase().contains(&typed) && !stored.tags.contains(&t.name)
                        })
                        .take(8)
                    {
                        if ui.small_button(&tag.name).clicked() {
                            actions
                                .push(Action::Worker(WorkerAction::AddTag(id, tag.name.clone())));
                            app.tag_input.clear();
                        }
                    }
                });
            }
            let suggested: Vec<&String> = stored
                .article
                .source_tags
                .iter()
                .filter(|t| !stored.tags.iter().any(|u| u.eq_ignore_ascii_case(t)))
                .collect();
            if !suggested.is_empty() {
                ui.label(RichText::new("Suggested by the page:").small().weak());
                ui.horizontal_wrapped(|ui| {
                    for tag in suggested {
                        if ui.small_button(format!("+ {tag}")).clicked() {
                            actions.push(Action::Worker(WorkerAction::AddTag(id, tag.clone())));
                        }
                    }
                });
            }

            ui.add_space(10.0);
            ui.separator();
            ui.horizontal(|ui| {
                ui.heading("Note");
                ui.selectable_value(&mut app.note.preview, false, "Edit");
                ui.selectable_value(&mut app.note.preview, true, "Preview");
                let state = if app.note.dirty_since.is_some() {
                    "saving…"
                } else if app.note.saved {
                    "saved"
                } else {
                    ""
                };
                ui.label(RichText::new(state).small().weak());
            });
            if app.note.preview {
                markdown_preview_ui(ui, &app.note.text);
            } else {
                let label = ui.label(RichText::new("Markdown; saved as you type").small().weak());
                let response = ui
                    .add(
                        egui::TextEdit::multiline(&mut app.note.text)
                            .desired_rows(8)
                            .desired_width(f32::INFINITY)
                            .hint_text("Write a note…"),
                    )
                    .labelled_by(label.id);
                if response.changed() {
                    app.note.dirty_since = Some(std::time::Instant::now());
                    app.note.saved = false;
                }
            }

            ui.add_space(10.0);
            ui.separator();
            ui.heading("Source");
            egui::Grid::new("source-grid")
                .num_columns(2)
                .spacing([8.0, 2.0])
                .show(ui, |ui| {
                    ui.label(RichText::new("File").weak());
                    ui.label(&stored.source_file);
                    ui.end_row();
                    ui.label(RichText::new("Format").weak());
                    ui.label(&stored.source_format);
                    ui.end_row();
                    ui.label(RichText::new("Imported").weak());
                    ui.label(
                        stored
                            .added_at
                            .get(..16)
                            .unwrap_or(&stored.added_at)
                            .replace('T', " "),
                    );
                    ui.end_row();
                    if let Some(lang) = &stored.article.lang {
                        ui.label(RichText::new("Language").weak());
                        ui.label(lang);
                        ui.end_row();
                    }
                });
            if !stored.article.warnings.is_empty() {
                ui.label(
                    RichText::new(format!(
                        "Extraction warnings ({})",
                        stored.article.warnings.len()
                    ))
                    .strong(),
                );
                for warning in &stored.article.warnings {
                    ui.label(RichText::new(format!("• {warning}")).small());
                }
            }
            let stored_images = stored.image_sha256.iter().filter(|s| s.is_some()).count();
            let missing = stored.article.images().len().saturating_sub(stored_images);
            if missing > 0 {
                ui.label(
                    RichText::new(format!("{missing} image(s) not stored in the library")).small(),
                );
                if ui.button("Fetch missing images").clicked() {
                    actions.push(Action::FetchImages(id));
                }
            }
            ui.add_space(10.0);
            if ui.button("Move to trash").clicked() {
                actions.push(Action::TrashOpen);
            }
        });
    actions
}

/// A small Markdown preview: headings, bullets, paragraphs.
fn markdown_preview_ui(ui: &mut egui::Ui, text: &str) {
    if text.trim().is_empty() {
        ui.label(RichText::new("(empty note)").weak());
    }
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(h) = trimmed
            .strip_prefix("### ")
            .or_else(|| trimmed.strip_prefix("## "))
            .or_else(|| trimmed.strip_prefix("# "))
        {
            ui.label(RichText::new(h).strong().size(16.0));
        } else if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            ui.label(format!("• {item}"));
        } else if !trimmed.is_empty() {
            ui.add(egui::Label::new(trimmed).wrap());
        } else {
            ui.add_space(4.0);
        }
    }
}

//! The inspector: the open article's tags, its note and where it came from.
//! It owns [`InspectorPane`] (the tag field and the note being edited); the
//! article and the tag list it only reads.

use std::time::Instant;

use egui::RichText;

use super::action::Action;
use crate::library::{ArticleId, StoredArticle, TagCount};

/// The note editor's buffer.
#[derive(Default)]
struct NoteState {
    /// The article the buffer belongs to.
    article: Option<ArticleId>,
    /// The text being edited.
    text: String,
    /// Set when the text changed and is not saved yet.
    dirty_since: Option<Instant>,
    /// Show the rendered Markdown instead of the editor.
    preview: bool,
    /// The last save the worker confirmed.
    saved: bool,
}

/// The inspector's own state.
#[derive(Default)]
pub struct InspectorPane {
    /// The "Add tag" field.
    tag_input: String,
    /// Put the focus in the tag field on the next frame.
    focus_tag_input: bool,
    /// The note being edited.
    note: NoteState,
    /// The Markdown renderer's state (the note preview, highlight comments).
    preview: egui_commonmark::CommonMarkCache,
    /// The details being corrected: the article and each field's text.
    details: Option<(ArticleId, Vec<(&'static str, String)>)>,
}

impl InspectorPane {
    /// An article was opened: its note goes in the editor, unless the
    /// editor holds this article's note already (typing is not undone).
    pub fn show_note(&mut self, article: ArticleId, note: Option<&str>) {
        if self.note.article != Some(article) {
            self.note = NoteState {
                article: Some(article),
                text: note.unwrap_or_default().to_owned(),
                dirty_since: None,
                preview: false,
                saved: true,
            };
        }
    }

    /// Undo or redo set article `id`'s note to `text`: the editor shows
    /// it when it holds that article's note.
    pub fn replace_note(&mut self, id: ArticleId, text: &str) {
        if self.note.article == Some(id) {
            self.note.text = text.to_owned();
            self.note.dirty_since = None;
            self.note.saved = true;
        }
    }

    /// Forget the note (another library is open).
    pub fn forget_note(&mut self) {
        self.note = NoteState::default();
    }

    /// The note's article and text when it has unsaved changes, now counted
    /// as saved (the caller saves them).
    pub fn take_unsaved_note(&mut self) -> Option<(ArticleId, String)> {
        let note = &mut self.note;
        let id = note.article?;
        note.dirty_since.take()?;
        Some((id, note.text.clone()))
    }

    /// The note of `article` as it stands in the editor (typed, saved or
    /// not), when the editor holds that article's.
    pub fn note_text(&self, article: ArticleId) -> Option<&str> {
        (self.note.article == Some(article)).then_some(self.note.text.as_str())
    }

    /// The note has not changed for `pause` at `now`: time to save it.
    pub fn note_paused(&self, now: Instant, pause: std::time::Duration) -> bool {
        self.note
            .dirty_since
            .is_some_and(|t| now.saturating_duration_since(t) >= pause)
    }

    /// The note changed and is not saved yet.
    pub fn is_typing(&self) -> bool {
        self.note.dirty_since.is_some()
    }

    /// The worker saved article `id`'s note: "Saved" shows unless it
    /// changed again since.
    pub fn note_saved(&mut self, id: ArticleId) {
        if self.note.article == Some(id) && self.note.dirty_since.is_none() {
            self.note.saved = true;
        }
    }

    /// Put the keyboard focus in the tag field on the next frame.
    pub fn focus_tag_input(&mut self) {
        self.focus_tag_input = true;
    }
}

/// The reader's find bar, as the note shows it.
#[derive(Clone, Copy, Default)]
pub struct NoteFind<'a> {
    /// What the find bar looks for, when open: its matches are marked.
    pub pattern: Option<&'a crate::library::FindPattern>,
    /// The current match, when it is the note's: its number among them.
    pub current: Option<usize>,
    /// Scroll the note to the current match (it was just stepped to).
    pub scroll: bool,
}

/// Draw the inspector for the open article (`None`: no article open),
/// completing tag names from `tags`; `has_selection`: the reader has text
/// selected (an orphaned highlight can be re-attached to it); `now` is the
/// frame's time on the window's clock.
#[must_use]
pub fn inspector_ui(
    ui: &mut egui::Ui,
    pane: &mut InspectorPane,
    article: Option<&StoredArticle>,
    tags: &[TagCount],
    has_selection: bool,
    now: Instant,
    find: NoteFind<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(stored) = article else {
        ui.add_space(8.0);
        ui.label(RichText::new("No article open.").weak());
        return actions;
    };
    let id = stored.id;
    if stored.deleted_at.is_some() {
        trashed_ui(ui, &mut pane.preview, stored);
        return actions;
    }
    egui::ScrollArea::vertical()
        .id_salt("inspector")
        .show(ui, |ui| {
            ui.add_space(6.0);
            actions.extend(reading_ui(ui, stored));
            ui.add_space(6.0);
            ui.heading("Tags");
            ui.horizontal_wrapped(|ui| {
                for tag in &stored.tags {
                    let colour = tags
                        .iter()
                        .find(|t| &t.name == tag)
                        .and_then(|t| t.colour.as_deref())
                        .and_then(super::palette::parse_colour);
                    if tag_chip_ui(ui, tag, colour) {
                        actions.push(Action::RemoveTag(id, tag.clone()));
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
                        egui::TextEdit::singleline(&mut pane.tag_input)
                            .hint_text("name or parent/child")
                            .desired_width(140.0),
                    )
                    .labelled_by(label.id);
                if pane.focus_tag_input {
                    response.request_focus();
                    pane.focus_tag_input = false;
                }
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Add").clicked() || enter) && !pane.tag_input.trim().is_empty() {
                    actions.push(Action::AddTag(id, pane.tag_input.trim().to_owned()));
                    pane.tag_input.clear();
                    if enter {
                        // Keep typing: the next tag goes in the same field.
                        response.request_focus();
                    }
                }
            });
            // Autocomplete from existing tags.
            let typed = pane.tag_input.trim().to_lowercase();
            if !typed.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    for tag in tags
                        .iter()
                        .filter(|t| {
                            t.name.to_lowercase().contains(&typed) && !stored.tags.contains(&t.name)
                        })
                        .take(8)
                    {
                        if ui.small_button(&tag.name).clicked() {
                            actions.push(Action::AddTag(id, tag.name.clone()));
                            pane.tag_input.clear();
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
                            actions.push(Action::AddTag(id, tag.clone()));
                        }
                    }
                });
            }

            ui.add_space(10.0);
            ui.separator();
            actions.extend(super::highlight_ui::highlights_list_ui(
                ui,
                &mut pane.preview,
                &stored.highlights,
                has_selection,
            ));

            ui.add_space(10.0);
            ui.separator();
            ui.horizontal(|ui| {
                ui.heading("Note");
                ui.selectable_value(&mut pane.note.preview, false, "Edit");
                ui.selectable_value(&mut pane.note.preview, true, "Preview");
                let state = if pane.note.dirty_since.is_some() {
                    "saving…"
                } else if pane.note.saved {
                    "saved"
                } else {
                    ""
                };
                ui.label(RichText::new(state).small().weak());
            });
            if find.scroll && find.current.is_some() {
                // Stepped to a match in the note: the editor shows it.
                pane.note.preview = false;
            }
            if pane.note.preview {
                markdown_preview_ui(ui, &mut pane.preview, &pane.note.text);
            } else {
                let label = ui.label(RichText::new("Markdown; saved as you type").small().weak());
                let palette = super::palette::Palette::new(ui.visuals().dark_mode);
                let found_in =
                    |text: &str| find.pattern.map(|p| p.find_all(text)).unwrap_or_default();
                // The reader's find bar marks its matches in the note too,
                // the current one as in the reader.
                let mut layouter = |ui: &egui::Ui, text: &dyn egui::TextBuffer, wrap: f32| {
                    let text = text.as_str();
                    let plain = egui::TextFormat::simple(
                        egui::TextStyle::Body.resolve(ui.style()),
                        ui.visuals().text_color(),
                    );
                    let mut job = egui::text::LayoutJob::default();
                    let mut at = 0;
                    for (i, range) in found_in(text).into_iter().enumerate() {
                        let found = egui::TextFormat {
                            background: if find.current == Some(i) {
                                palette.find_current_bg
                            } else {
                                palette.find_bg
                            },
                            color: palette.find_text,
                            ..plain.clone()
                        };
                        job.append(&text[at..range.start], 0.0, plain.clone());
                        job.append(&text[range.clone()], 0.0, found);
                        at = range.end;
                    }
                    job.append(&text[at..], 0.0, plain);
                    job.wrap.max_width = wrap;
                    ui.fonts_mut(|f| f.layout_job(job))
                };
                let output = egui::TextEdit::multiline(&mut pane.note.text)
                    .desired_rows(8)
                    .desired_width(f32::INFINITY)
                    .hint_text("Write a note…")
                    .layouter(&mut layouter)
                    .show(ui);
                if find.scroll
                    && let Some(range) = find
                        .current
                        .and_then(|i| found_in(&pane.note.text).into_iter().nth(i))
                {
                    let at = pane.note.text[..range.start].chars().count();
                    let place = output
                        .galley
                        .pos_from_cursor(egui::text::CCursor::new(at))
                        .translate(output.galley_pos.to_vec2());
                    ui.scroll_to_rect(place.expand(8.0), Some(egui::Align::Center));
                }
                let response = output.response.response.clone().labelled_by(label.id);
                if response.changed() {
                    pane.note.dirty_since = Some(now);
                    pane.note.saved = false;
                }
            }

            ui.add_space(10.0);
            ui.separator();
            actions.extend(details_ui(ui, &mut pane.details, stored));

            ui.add_space(10.0);
            ui.separator();
            source_ui(ui, stored);
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

/// A trashed article, previewed from the trash: what it holds, read only.
fn trashed_ui(
    ui: &mut egui::Ui,
    cache: &mut egui_commonmark::CommonMarkCache,
    stored: &StoredArticle,
) {
    egui::ScrollArea::vertical()
        .id_salt("inspector-trashed")
        .show(ui, |ui| {
            ui.add_space(6.0);
            ui.label(
                RichText::new("In the trash: restore it to tag it, note it or highlight it.")
                    .weak(),
            );
            ui.add_space(6.0);
            ui.heading("Tags");
            if stored.tags.is_empty() {
                ui.label(RichText::new("none").weak());
            } else {
                ui.label(stored.tags.join(", "));
            }
            ui.add_space(6.0);
            ui.heading("Note");
            markdown_preview_ui(ui, cache, stored.note.as_deref().unwrap_or_default());
        });
}

/// A field's name as the inspector shows it.
fn field_label(field: &str) -> &str {
    match field {
        "title" => "Title",
        "published" => "Date",
        "byline" => "Byline",
        "editor" => "Editor",
        "site" => "Site",
        "url" => "Address",
        other => other,
    }
}

/// The article's value of an editable field.
fn field_value(stored: &StoredArticle, field: &str) -> String {
    let a = &stored.article;
    match field {
        "title" => Some(&a.title),
        "published" => a.published.as_ref(),
        "byline" => a.byline.as_ref(),
        "editor" => a.editor.as_ref(),
        "site" => a.site.as_ref(),
        "url" => a.url.as_ref(),
        _ => None,
    }
    .cloned()
    .unwrap_or_default()
}

/// Details: what the user corrected, each with what Folio read and a
/// Reset; "Correct details…" opens a field per detail, saved together.
fn details_ui(
    ui: &mut egui::Ui,
    editing: &mut Option<(ArticleId, Vec<(&'static str, String)>)>,
    stored: &StoredArticle,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let id = stored.id;
    ui.horizontal(|ui| {
        ui.heading("Details");
        if editing.as_ref().is_none_or(|(of, _)| *of != id)
            && ui
                .small_button("Correct details…")
                .on_hover_text(
                    "Correct the title, date, byline, editor, site or address Folio read",
                )
                .clicked()
        {
            *editing = Some((
                id,
                crate::library::EDITABLE
                    .iter()
                    .map(|f| (*f, field_value(stored, f)))
                    .collect(),
            ));
        }
    });
    for edit in &stored.edits {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "{} corrected · Folio read: {}",
                    field_label(&edit.field),
                    edit.extracted.as_deref().unwrap_or("nothing")
                ))
                .small(),
            );
            if ui
                .small_button(format!("Reset {}", field_label(&edit.field).to_lowercase()))
                .clicked()
            {
                actions.push(Action::EditDetails {
                    id,
                    changes: Vec::new(),
                    reset: vec![edit.field.clone()],
                });
            }
        });
    }
    let Some((_, fields)) = editing.as_mut().filter(|(of, _)| *of == id) else {
        if stored.edits.is_empty() {
            ui.label(RichText::new("As Folio read them.").weak().small());
        }
        return actions;
    };
    egui::Grid::new("details-grid")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            for (field, text) in fields.iter_mut() {
                ui.label(RichText::new(field_label(field)).weak());
                ui.add(
                    egui::TextEdit::singleline(text)
                        .desired_width(170.0)
                        .hint_text(if *field == "published" {
                            "YYYY-MM-DD HH:MM"
                        } else {
                            ""
                        }),
                )
                .widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::TextInput,
                        true,
                        format!("Corrected {}", field_label(field).to_lowercase()),
                    )
                });
                ui.end_row();
            }
        });
    let mut close = false;
    ui.horizontal(|ui| {
        if ui.button("Save details").clicked() {
            let changes: Vec<(String, String)> = fields
                .iter()
                .filter(|(field, text)| text.trim() != field_value(stored, field).trim())
                .map(|(field, text)| ((*field).to_owned(), text.clone()))
                .collect();
            if !changes.is_empty() {
                actions.push(Action::EditDetails {
                    id,
                    changes,
                    reset: Vec::new(),
                });
            }
            close = true;
        }
        if ui.button("Cancel").clicked() {
            close = true;
        }
    });
    if close {
        *editing = None;
    }
    actions
}

/// The note rendered as CommonMark ([`super::highlight_ui::markdown_ui`]).
fn markdown_preview_ui(
    ui: &mut egui::Ui,
    cache: &mut egui_commonmark::CommonMarkCache,
    text: &str,
) {
    if text.trim().is_empty() {
        ui.label(RichText::new("(empty note)").weak());
        return;
    }
    super::highlight_ui::markdown_ui(ui, cache, text);
}

/// The open article's reading state: read or not, starred or not, each a
/// button that changes it (M and S do the same from the keyboard).
fn reading_ui(ui: &mut egui::Ui, stored: &StoredArticle) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        let starred = stored.reading.starred;
        let (star, star_hint) = if starred {
            ("★ Starred", "Unstar (S)")
        } else {
            ("☆ Star", "Star (S)")
        };
        if ui
            .selectable_label(starred, star)
            .on_hover_text(star_hint)
            .clicked()
        {
            actions.push(Action::ToggleStar);
        }
        let read = stored.reading.read_at.is_some();
        let (label, hint) = if read {
            ("✔ Read", "Mark unread (M)")
        } else {
            ("Mark read", "Mark read (M)")
        };
        if ui
            .selectable_label(false, label)
            .on_hover_text(hint)
            .clicked()
        {
            actions.push(Action::ToggleRead);
        }
    });
    actions
}

/// One tag as a chip in its colour that never breaks inside the name (the
/// whole chip moves to the next line), with a × that removes it. True when
/// the × was clicked.
fn tag_chip_ui(ui: &mut egui::Ui, tag: &str, colour: Option<egui::Color32>) -> bool {
    let colour = colour.unwrap_or_else(|| ui.visuals().strong_text_color());
    let font = egui::TextStyle::Body.resolve(ui.style());
    let galley = ui
        .painter()
        .layout_no_wrap(tag.to_owned(), font.clone(), colour);
    let cross = ui
        .painter()
        .layout_no_wrap("×".to_owned(), font, ui.visuals().weak_text_color());
    let pad = egui::vec2(6.0, 2.0);
    let size = egui::vec2(
        galley.size().x + cross.size().x + pad.x * 3.0,
        galley.size().y.max(cross.size().y) + pad.y * 2.0,
    );
    let (rect, chip) = ui.allocate_exact_size(size, egui::Sense::hover());
    chip.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, tag));
    let cross_rect = egui::Rect::from_min_max(
        egui::pos2(rect.right() - cross.size().x - pad.x * 1.5, rect.top()),
        rect.max,
    );
    let remove = ui.interact(cross_rect, chip.id.with("remove"), egui::Sense::click());
    remove.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Remove tag {tag}"))
    });
    let remove = remove.on_hover_text(format!("Remove tag {tag}"));
    let painter = ui.painter();
    painter.rect_filled(rect, 8.0, colour.gamma_multiply(0.12));
    painter.rect_stroke(
        rect,
        8.0,
        egui::Stroke::new(1.0, colour),
        egui::StrokeKind::Inside,
    );
    painter.galley(rect.min + pad, galley, colour);
    let cross_colour = if remove.hovered() {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().weak_text_color()
    };
    painter.galley(
        egui::pos2(cross_rect.left() + pad.x * 0.5, rect.top() + pad.y),
        cross,
        cross_colour,
    );
    remove.clicked()
}

/// The inspector's Source section: what the original file is (name, kind,
/// size, SHA-256 with Copy), when the page was captured and where that was
/// found, when it was imported, the page's own address, and the warnings of
/// reading it grouped by kind, each group's files under an expander.
fn source_ui(ui: &mut egui::Ui, stored: &StoredArticle) {
    ui.heading("Source");
    egui::Grid::new("source-grid")
        .num_columns(2)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            ui.label(RichText::new("File").weak());
            ui.label(&stored.source_file);
            ui.end_row();
            ui.label(RichText::new("Format").weak());
            match &stored.original {
                Some(original) => ui.label(&original.kind),
                None => ui.label(&stored.source_format),
            };
            ui.end_row();
            if let Some(original) = &stored.original {
                ui.label(RichText::new("Size").weak());
                ui.label(file_size(original.size));
                ui.end_row();
                ui.label(RichText::new("SHA-256").weak());
                ui.horizontal(|ui| {
                    let short: String = original.sha256.chars().take(16).collect();
                    ui.label(RichText::new(format!("{short}…")).monospace().small())
                        .on_hover_text(&original.sha256);
                    if ui
                        .small_button("Copy")
                        .on_hover_text("Copy the original file's SHA-256")
                        .clicked()
                    {
                        ui.ctx().copy_text(original.sha256.clone());
                    }
                });
                ui.end_row();
            }
            ui.label(RichText::new("Captured").weak());
            match &stored.article.captured {
                Some(captured) => {
                    ui.vertical(|ui| {
                        ui.label(date_time(&captured.at));
                        ui.label(RichText::new(captured.from.describe()).weak().small());
                    });
                }
                None => {
                    ui.label(RichText::new("the file does not say").weak());
                }
            }
            ui.end_row();
            ui.label(RichText::new("Imported").weak());
            ui.label(date_time(&stored.added_at));
            ui.end_row();
            if let Some(url) = &stored.article.url {
                ui.label(RichText::new("Address").weak());
                ui.add(egui::Label::new(url.as_str()).wrap());
                ui.end_row();
            }
            if let Some(lang) = &stored.article.lang {
                ui.label(RichText::new("Language").weak());
                ui.label(lang);
                ui.end_row();
            }
        });
    if stored.article.warnings.is_empty() {
        return;
    }
    let groups = crate::read::warnings::group(&stored.article.warnings);
    ui.add_space(4.0);
    ui.label(RichText::new("While reading the page").strong());
    for (n, group) in groups.iter().enumerate() {
        ui.label(RichText::new(format!("• {}", group.summary)).small());
        if group.items.len() > 1
            || (group.items.len() == 1 && !group.summary.contains(&group.items[0]))
        {
            egui::CollapsingHeader::new(
                RichText::new(format!("List them ({})", group.items.len())).small(),
            )
            .id_salt(("source-warnings", n))
            .show(ui, |ui| {
                for item in &group.items {
                    ui.add(egui::Label::new(RichText::new(item).small().monospace()).wrap());
                }
            });
        }
    }
}

/// A stored RFC 3339 date-time as a person reads it: `2019-06-03 07:00:02
/// UTC`, or with the offset the file stated (`+08:00`).
fn date_time(at: &str) -> String {
    let at = at.trim();
    let Some((date, time)) = at.split_once('T') else {
        return at.to_owned();
    };
    if let Some(time) = time.strip_suffix(['Z', 'z']) {
        return format!("{date} {time} UTC");
    }
    match time.rfind(['+', '-']) {
        Some(zone) => format!("{date} {} {}", &time[..zone], &time[zone..]),
        None => format!("{date} {time}"),
    }
}

/// Bytes as a person reads them: `812 bytes`, `14.2 KB`, `3.1 MB`.
fn file_size(bytes: u64) -> String {
    const KB: u64 = 1000;
    // Shown to one decimal: the precision a size in a sentence needs.
    #[allow(clippy::cast_precision_loss)]
    let scaled = |unit: u64| bytes as f64 / unit as f64;
    if bytes < KB {
        format!("{bytes} bytes")
    } else if bytes < KB * KB {
        format!("{:.1} KB", scaled(KB))
    } else {
        format!("{:.1} MB", scaled(KB * KB))
    }
}

//! The library pane: search box, sort, the reading-state, collection and
//! tag filters (`organise`), the timeline and the article list. It owns
//! [`LibraryPane`] (what is typed and filtered); the list, the counts, the
//! tags and the thumbnails it only reads.

mod organise;
mod pane;
mod rows;

use std::time::Instant;

use egui::RichText;

pub use pane::{LibraryPane, LibraryView};

use super::action::Action;
use super::state::TrashList;
use super::timeline_ui;
use super::words::counted;
use crate::jobs::PAGE_ROWS;
use crate::library::SortBy;
use crate::library::SortOrder;
use crate::library::query_edit;

/// The list's own keys, when it was clicked last and no text field has the
/// keyboard: Ctrl+A selects every row of the result, Escape clears the
/// selection (or closes the "empty the trash" question).
#[must_use]
pub fn list_keys(ctx: &egui::Context, pane: &mut LibraryPane) -> Vec<Action> {
    let mut actions = Vec::new();
    if pane.confirm_empty
        && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
    {
        pane.confirm_empty = false;
        return actions;
    }
    if !pane.list_focused || pane.show_trash || ctx.egui_wants_keyboard_input() {
        return actions;
    }
    ctx.input_mut(|i| {
        if i.consume_key(egui::Modifiers::COMMAND, egui::Key::A) {
            actions.push(Action::SelectAllRows);
        }
        if !pane.selection.is_empty() && i.consume_key(egui::Modifiers::NONE, egui::Key::Escape) {
            pane.selection.clear();
        }
    });
    actions
}

/// Draw the library pane.
#[must_use]
pub fn library_ui(
    ui: &mut egui::Ui,
    pane: &mut LibraryPane,
    view: &LibraryView<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.add_space(6.0);
    actions.extend(view_switch_ui(ui, pane));
    actions.extend(search_row_ui(ui, pane, view.now));
    if !pane.shows_highlights() {
        actions.extend(sort_row_ui(ui, view));
    }
    ui.separator();
    actions.extend(organise::reading_filters_ui(ui, pane, view.overview));
    actions.extend(organise::collections_ui(ui, pane, view.overview));
    let tree = view.overview.map_or(&[][..], |o| &o.tags[..]);
    actions.extend(organise::tag_tree_ui(ui, pane, tree));
    ui.separator();
    if pane.show_trash {
        actions.extend(trash_ui(ui, pane, view.trash, view.selected));
        return actions;
    }
    if pane.shows_highlights() {
        // The frame loop draws the highlights view (`highlights_ui`) below.
        return actions;
    }
    actions.extend(timeline_ui::timeline_ui(
        ui,
        &mut pane.timeline,
        view.timeline,
    ));
    if query_edit::has_date_range(&pane.search) && ui.small_button("All dates").clicked() {
        actions.push(Action::ClearDateRange);
    }
    // The bulk bar sits under the list: appearing with the first selected
    // row, it must not push the rows down under the next click (issue 27).
    if !pane.selection.is_empty() {
        egui::Panel::bottom("bulk-bar").show(ui, |ui| actions.extend(bulk_ui(ui, pane)));
    }
    actions.extend(rows::list_ui(ui, pane, view));
    actions
}

/// "Articles | Highlights": what the pane lists under its search and filters.
fn view_switch_ui(ui: &mut egui::Ui, pane: &LibraryPane) -> Vec<Action> {
    let mut actions = Vec::new();
    let highlights = pane.shows_highlights();
    ui.horizontal(|ui| {
        if ui.selectable_label(!highlights, "Articles").clicked() && highlights {
            actions.push(Action::ShowHighlights(false));
        }
        if ui
            .selectable_label(highlights, "Highlights")
            .on_hover_text("Every highlight of the articles the search and filters match")
            .clicked()
            && !highlights
        {
            actions.push(Action::ShowHighlights(true));
        }
    });
    actions
}

/// The search box, with "Save…" to keep the query as a collection.
fn search_row_ui(ui: &mut egui::Ui, pane: &mut LibraryPane, now: Instant) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        let label = ui.label("Search");
        let query = pane.query();
        // Right to left: "Save…" keeps its place, the field takes the rest.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if !query.is_empty()
                && ui
                    .button("Save…")
                    .on_hover_text("Save this search as a collection")
                    .clicked()
            {
                actions.push(Action::CollectionDialog {
                    old: None,
                    query: query.clone(),
                });
            }
            // A fixed id: "Save…" comes and goes before it in this layout,
            // and must not take the focus away while the user types.
            let response = ui.add(
                egui::TextEdit::singleline(&mut pane.search)
                    .id_salt("search-box")
                    .hint_text("words, 小米, tag:name, site:…")
                    .desired_width(ui.available_width()),
            );
            let response = response.labelled_by(label.id);
            if pane.focus_search {
                response.request_focus();
                pane.focus_search = false;
            }
            if response.changed() {
                pane.search_changed = Some(now);
            }
            // Down, or Enter, goes into the results: the first one opens.
            let down = response.has_focus()
                && ui.input(|i| i.key_pressed(egui::Key::ArrowDown) && i.modifiers.is_none());
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if down || enter {
                response.surrender_focus();
                actions.push(Action::IntoResults);
            }
        });
    });
    actions
}

/// The list order: a key, and the direction.
fn sort_row_ui(ui: &mut egui::Ui, view: &LibraryView<'_>) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        let label = ui.label("Sort");
        let current = view.order;
        egui::ComboBox::from_id_salt("sort")
            .selected_text(sort_name(current.by))
            .show_ui(ui, |ui| {
                for by in [
                    SortBy::Relevance,
                    SortBy::Date,
                    SortBy::Title,
                    SortBy::Added,
                    SortBy::Site,
                ] {
                    if ui
                        .selectable_label(current.by == by, sort_name(by))
                        .clicked()
                        && by != current.by
                    {
                        actions.push(Action::SetOrder(SortOrder::new(by)));
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(
                "Relevance: best match first while searching for words, else newest first",
            );
        if current.by != SortBy::Relevance {
            let (arrow, name) = if current.ascending {
                ("⬆", "Ascending")
            } else {
                ("⬇", "Descending")
            };
            if ui
                .button(arrow)
                .on_hover_text(format!("{name}: click to reverse"))
                .clicked()
            {
                actions.push(Action::SetOrder(SortOrder {
                    by: current.by,
                    ascending: !current.ascending,
                }));
            }
        }
        if let Some(total) = view.list.total {
            ui.label(RichText::new(counted(total, "article", "articles")).weak());
        }
    });
    actions
}

fn sort_name(by: SortBy) -> &'static str {
    match by {
        SortBy::Relevance => "Relevance",
        SortBy::Date => "Date",
        SortBy::Title => "Title",
        SortBy::Added => "Added",
        SortBy::Site => "Site",
    }
}

/// The trash: each trashed article with Restore (a click on its title
/// shows it in the reader, read only; `open` is the one shown), and "Empty
/// trash" after a confirmation.
fn trash_ui(
    ui: &mut egui::Ui,
    pane: &mut LibraryPane,
    trash: &TrashList,
    open: Option<crate::library::ArticleId>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        if ui.button("Back to the library").clicked() {
            actions.push(Action::ShowTrash(false));
        }
        if ui
            .add_enabled(!trash.rows.is_empty(), egui::Button::new("Empty trash…"))
            .clicked()
        {
            pane.confirm_empty = true;
        }
    });
    if pane.confirm_empty {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            let n = if trash.complete {
                counted(trash.rows.len(), "article", "articles")
            } else {
                "every trashed article".to_owned()
            };
            ui.label(format!("Delete {n} for good? This cannot be undone."));
            ui.horizontal(|ui| {
                if ui.button("Delete for good").clicked() {
                    actions.push(Action::EmptyTrash);
                    pane.confirm_empty = false;
                }
                if ui.button("Cancel").clicked() {
                    pane.confirm_empty = false;
                }
            });
        });
    }
    if trash.loaded && trash.rows.is_empty() {
        ui.label(RichText::new("The trash is empty.").weak());
        return actions;
    }
    egui::ScrollArea::vertical()
        .id_salt("trash-list")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for row in &trash.rows {
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        actions.push(Action::RestoreMany(vec![row.id]));
                    }
                    let title = ui
                        .add(egui::Button::selectable(open == Some(row.id), &row.title).truncate())
                        .on_hover_text("Show it in the reader (read only)");
                    if title.clicked() {
                        actions.push(Action::Select(row.id));
                    }
                });
            }
            if !trash.complete && trash.loaded && ui.button("More…").clicked() {
                actions.push(Action::RequestTrashPage(trash.rows.len() / PAGE_ROWS));
            }
        });
    actions
}

/// The bulk bar, shown while rows are selected: tag, untag, trash or export
/// all of them.
fn bulk_ui(ui: &mut egui::Ui, pane: &mut LibraryPane) -> Vec<Action> {
    let mut actions = Vec::new();
    if pane.selection.is_empty() {
        return actions;
    }
    let ids = LibraryPane::selected_ids;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{} selected", pane.selection.len())).strong());
        let label = ui.label("Tag them");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut pane.bulk_tag)
                    .hint_text("tag name")
                    .desired_width(110.0),
            )
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let name = pane.bulk_tag.trim().to_owned();
        let add = ui.add_enabled(!name.is_empty(), egui::Button::new("Tag all"));
        if (add.clicked() || entered) && !name.is_empty() {
            actions.push(Action::TagMany {
                ids: ids(pane),
                name: name.clone(),
            });
            pane.bulk_tag.clear();
            if entered {
                field.request_focus();
            }
        }
        if ui
            .add_enabled(!name.is_empty(), egui::Button::new("Untag all"))
            .clicked()
        {
            actions.push(Action::UntagMany {
                ids: ids(pane),
                name,
            });
            pane.bulk_tag.clear();
        }
        for (name, read, starred) in [
            ("Mark read", Some(true), None),
            ("Mark unread", Some(false), None),
            ("Star", None, Some(true)),
            ("Unstar", None, Some(false)),
        ] {
            if ui.button(name).clicked() {
                actions.push(Action::Mark {
                    ids: ids(pane),
                    read,
                    starred,
                });
            }
        }
        if ui.button("Trash selected").clicked() {
            actions.push(Action::TrashMany(ids(pane)));
        }
        if ui.button("Export selected…").clicked() {
            actions.push(Action::ExportMany(ids(pane)));
        }
        if ui.button("Export references…").clicked() {
            actions.push(Action::ExportReferences(ids(pane)));
        }
        if ui.button("Clear selection").clicked() {
            pane.selection.clear();
        }
    });
    ui.separator();
    actions
}

//! The library-wide highlights view, shown in the library pane instead of
//! the article list ("Articles | Highlights"): every highlight of the
//! articles the pane's query matches, in an order (newest first, by
//! article, by colour), each row its colour, quote, comment, an orphan's
//! reason, and its article's title, site and date. Only the visible rows
//! are fetched (pages of ids the worker listed). A click opens the article
//! at the passage; Ctrl- and Shift-click select rows to copy or export as
//! Markdown (with citations) or JSON-LD. It owns [`HighlightsPane`] (the
//! selection and the export form); the list it only reads.

use std::collections::HashSet;

use egui::{RichText, Sense};

use super::action::Action;
use super::palette::Palette;
use super::state::HighlightList;
use super::words::counted;
use crate::export::highlights::HighlightFormat;
use crate::jobs::PAGE_ROWS;
use crate::library::{HighlightEntry, HighlightId, HighlightOrder};

/// Height of one row (fixed, so only visible rows are laid out).
const ROW_HEIGHT: f32 = 78.0;

/// What a row says of an orphan.
pub const ORPHAN_REASON: &str = "Orphaned: its passage is no longer in the article";

/// The view's own state: the rows chosen, and the export form.
#[derive(Default)]
pub struct HighlightsPane {
    /// The highlights chosen to copy or export.
    selection: HashSet<HighlightId>,
    /// Where the last plain or Ctrl-click landed: a Shift-click selects from here.
    anchor: Option<usize>,
    /// The export form, while open.
    export: Option<ExportForm>,
}

/// The export form: a format and a file.
struct ExportForm {
    format: HighlightFormat,
    path: String,
}

impl HighlightsPane {
    /// Keep only the chosen highlights still listed (a new query or order).
    pub fn keep_selection_among(&mut self, ids: &[HighlightId]) {
        let listed: HashSet<HighlightId> = ids.iter().copied().collect();
        self.selection.retain(|id| listed.contains(id));
        self.anchor = None;
    }

    /// Another library is open: its highlights are others.
    pub fn forget_library(&mut self) {
        *self = Self::default();
    }

    /// The chosen highlights in the list's order.
    fn selected_in_order(&self, list: &HighlightList) -> Vec<HighlightId> {
        list.ids
            .as_deref()
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|id| self.selection.contains(id))
            .collect()
    }
}

/// What the view shows, read-only.
pub struct HighlightsView<'a> {
    /// The list as fetched so far.
    pub list: &'a HighlightList,
    /// The highlight whose passage the reader shows, if any.
    pub shown: Option<HighlightId>,
}

/// Draw the highlights view (under the library pane's search and filters).
#[must_use]
pub fn highlights_ui(
    ui: &mut egui::Ui,
    pane: &mut HighlightsPane,
    view: &HighlightsView<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let list = view.list;
    actions.extend(order_row_ui(ui, list));
    ui.separator();
    // Under the list, as the article list's bulk bar: appearing with the
    // first chosen row, it must not push the rows under the next click.
    if !pane.selection.is_empty() || pane.export.is_some() {
        egui::Panel::bottom("highlight-bar").show(ui, |ui| {
            if !pane.selection.is_empty() {
                actions.extend(selection_ui(ui, pane, list));
            }
            if pane.export.is_some() {
                actions.extend(export_form_ui(ui, pane, list));
            }
        });
    }
    let Some(total) = list.total() else {
        ui.label(RichText::new("Listing highlights…").weak());
        return actions;
    };
    if total == 0 {
        ui.add_space(12.0);
        if list.query.is_empty() {
            ui.label("No highlights yet: select text in the reader and press H.");
        } else {
            ui.label(format!(
                "No highlight in the articles matching “{}”.",
                list.query
            ));
        }
        return actions;
    }
    egui::ScrollArea::vertical()
        .id_salt("highlight-list")
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, total, |ui, range| {
            let pages: Vec<usize> =
                (range.start / PAGE_ROWS..=range.end.saturating_sub(1) / PAGE_ROWS).collect();
            actions.extend(pages.into_iter().map(Action::RequestHighlightPage));
            for index in range {
                let (rect, response) = ui.allocate_exact_size(
                    egui::vec2(ui.available_width(), ROW_HEIGHT),
                    Sense::click(),
                );
                let Some(entry) = list.row(index) else {
                    ui.painter().text(
                        rect.left_center(),
                        egui::Align2::LEFT_CENTER,
                        "…",
                        egui::FontId::proportional(14.0),
                        ui.visuals().weak_text_color(),
                    );
                    continue;
                };
                let id = entry.highlight.id;
                let selected = pane.selection.contains(&id) || view.shown == Some(id);
                let title = entry.title.clone();
                response.widget_info(|| {
                    egui::WidgetInfo::selected(
                        egui::Role::Button,
                        true,
                        selected,
                        format!("Highlight in {title}"),
                    )
                });
                if response.clicked() {
                    actions.extend(click_row(ui, pane, list, index, entry));
                }
                row_ui(ui, entry, rect, selected, response.hovered());
            }
        });
    actions
}

/// The order picker and the count.
fn order_row_ui(ui: &mut egui::Ui, list: &HighlightList) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        let label = ui.label("Order");
        egui::ComboBox::from_id_salt("highlight-order")
            .selected_text(order_name(list.order))
            .show_ui(ui, |ui| {
                for order in [
                    HighlightOrder::Newest,
                    HighlightOrder::ByArticle,
                    HighlightOrder::ByColour,
                ] {
                    if ui
                        .selectable_label(list.order == order, order_name(order))
                        .clicked()
                        && order != list.order
                    {
                        actions.push(Action::SetHighlightOrder(order));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if let Some(total) = list.total() {
            ui.label(RichText::new(counted(total, "highlight", "highlights")).weak());
        }
    });
    actions
}

fn order_name(order: HighlightOrder) -> &'static str {
    match order {
        HighlightOrder::Newest => "Newest first",
        HighlightOrder::ByArticle => "By article",
        HighlightOrder::ByColour => "By colour",
    }
}

/// The bar shown while highlights are chosen: copy or export them.
fn selection_ui(ui: &mut egui::Ui, pane: &mut HighlightsPane, list: &HighlightList) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{} selected", pane.selection.len())).strong());
        for format in [HighlightFormat::Markdown, HighlightFormat::JsonLd] {
            if ui
                .button(format!("Copy as {}", format.name()))
                .on_hover_text(match format {
                    HighlightFormat::Markdown => {
                        "Each quote, its comment and its article's citation in the chosen style"
                    }
                    HighlightFormat::JsonLd => "W3C Web Annotations",
                })
                .clicked()
            {
                actions.push(Action::WriteHighlights {
                    ids: pane.selected_in_order(list),
                    format,
                    out: None,
                });
            }
        }
        if ui.button("Export…").clicked() {
            pane.export = Some(ExportForm {
                format: HighlightFormat::Markdown,
                path: String::new(),
            });
        }
        if ui.button("Select all").clicked() {
            pane.selection = list.ids.iter().flatten().copied().collect();
        }
        if ui.button("Clear selection").clicked() {
            pane.selection.clear();
            pane.export = None;
        }
    });
    actions
}

/// The export form: a format, a file, Export.
fn export_form_ui(
    ui: &mut egui::Ui,
    pane: &mut HighlightsPane,
    list: &HighlightList,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let ids = pane.selected_in_order(list);
    let Some(form) = &mut pane.export else {
        return actions;
    };
    let mut close = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(format!(
            "Export {}",
            counted(ids.len(), "highlight", "highlights")
        ));
        ui.horizontal(|ui| {
            for format in [HighlightFormat::Markdown, HighlightFormat::JsonLd] {
                ui.radio_value(&mut form.format, format, format.name());
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("Export to file");
            ui.add(
                egui::TextEdit::singleline(&mut form.path)
                    .hint_text(format!("highlights.{}", form.format.extension()))
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let path = form.path.trim();
            if ui
                .add_enabled(
                    !path.is_empty() && !ids.is_empty(),
                    egui::Button::new("Export"),
                )
                .clicked()
            {
                actions.push(Action::WriteHighlights {
                    ids: ids.clone(),
                    format: form.format,
                    out: Some(std::path::PathBuf::from(path)),
                });
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if close {
        pane.export = None;
    }
    actions
}

/// A click on row `index`: plain opens the article at the passage (and
/// chooses only this row), Ctrl toggles it, Shift chooses the range from
/// the anchor.
fn click_row(
    ui: &egui::Ui,
    pane: &mut HighlightsPane,
    list: &HighlightList,
    index: usize,
    entry: &HighlightEntry,
) -> Option<Action> {
    let modifiers = ui.input(|i| i.modifiers);
    let id = entry.highlight.id;
    if modifiers.shift {
        let anchor = pane.anchor.unwrap_or(index);
        let (from, to) = (anchor.min(index), anchor.max(index));
        let ids = list.ids.as_deref().unwrap_or_default();
        pane.selection = ids
            .get(from..=to.min(ids.len().saturating_sub(1)))
            .unwrap_or_default()
            .iter()
            .copied()
            .collect();
        None
    } else if modifiers.command {
        if !pane.selection.remove(&id) {
            pane.selection.insert(id);
        }
        pane.anchor = Some(index);
        None
    } else {
        pane.selection = HashSet::from([id]);
        pane.anchor = Some(index);
        Some(Action::GoToHighlight {
            article: entry.highlight.article,
            highlight: id,
        })
    }
}

/// One row: the colour, the quote, an orphan's reason, the comment, and
/// the article's title, site and date.
fn row_ui(
    ui: &mut egui::Ui,
    entry: &HighlightEntry,
    rect: egui::Rect,
    selected: bool,
    hovered: bool,
) {
    let visuals = ui.visuals().clone();
    if selected {
        ui.painter()
            .rect_filled(rect, 4.0, visuals.selection.bg_fill.gamma_multiply(0.35));
    } else if hovered {
        ui.painter()
            .rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let h = &entry.highlight;
    let swatch = egui::Rect::from_min_size(
        rect.min + egui::vec2(2.0, 6.0),
        egui::vec2(6.0, rect.height() - 12.0),
    );
    ui.painter()
        .rect_filled(swatch, 2.0, Palette::new(visuals.dark_mode).mark(h.colour));
    let inner = egui::Rect::from_min_max(
        rect.min + egui::vec2(14.0, 3.0),
        rect.max - egui::vec2(4.0, 3.0),
    );
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(inner)
            .layout(egui::Layout::top_down(egui::Align::Min)),
    );
    child.spacing_mut().item_spacing.y = 1.0;
    let quote = h
        .quote
        .exact
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    child.add(egui::Label::new(quote).truncate().selectable(false));
    if h.orphan {
        child.add(
            egui::Label::new(
                RichText::new(ORPHAN_REASON)
                    .small()
                    .color(visuals.warn_fg_color),
            )
            .truncate()
            .selectable(false),
        );
    }
    let comment = h.comment.split_whitespace().collect::<Vec<_>>().join(" ");
    if !comment.is_empty() {
        child.add(
            egui::Label::new(RichText::new(comment).small().italics())
                .truncate()
                .selectable(false),
        );
    }
    let mut meta = vec![entry.title.clone()];
    meta.extend(entry.site.clone().filter(|s| !s.trim().is_empty()));
    if let Some(date) = entry.published.as_deref() {
        meta.push(crate::model::date::display_date(date).to_owned());
    }
    child.add(
        egui::Label::new(RichText::new(meta.join(" · ")).small().weak())
            .truncate()
            .selectable(false),
    );
}

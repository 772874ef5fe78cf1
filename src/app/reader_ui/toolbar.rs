//! The reader's toolbar, one row above the article: Find (Ctrl+F), the
//! library search's matches in this article ("match 2 of 9", n / N), the
//! outline's button and how far the reader has read; a thin bar under it
//! shows the same progress. Kept apart from the article's header so the
//! header's own buttons change without touching it.

use egui::RichText;

use super::find::Hits;
use crate::app::palette::Palette;

/// What the toolbar asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct ToolbarClicks {
    /// Open the find bar.
    pub(super) find: bool,
    /// Step the search's matches by this much.
    pub(super) search_step: i32,
    /// Show or hide the outline.
    pub(super) outline: bool,
}

/// The toolbar row; `progress` is the fraction of the article above the
/// view's bottom edge (`None` before it is laid out).
pub(super) fn toolbar_ui(
    ui: &mut egui::Ui,
    search: &Hits,
    searching: bool,
    outline_open: bool,
    progress: Option<f32>,
    palette: &Palette,
) -> ToolbarClicks {
    let mut clicks = ToolbarClicks::default();
    ui.horizontal_wrapped(|ui| {
        clicks.find = ui
            .button("Find")
            .on_hover_text("Find in this article (Ctrl+F)")
            .clicked();
        clicks.outline = ui
            .selectable_label(outline_open, "Outline")
            .on_hover_text("The article's headings, or its first sentences every few screens")
            .clicked();
        if searching {
            ui.separator();
            let total = search.list.len();
            let words = match (search.current, total) {
                (_, 0) => "no search match here".to_owned(),
                (Some(i), _) => format!("match {} of {total}", i + 1),
                (None, 1) => "1 search match".to_owned(),
                (None, _) => format!("{total} search matches"),
            };
            ui.label(RichText::new(words).color(palette.text));
            if ui
                .add_enabled(total > 0, egui::Button::new("Previous match").small())
                .on_hover_text("The search's previous match here (Shift+N)")
                .clicked()
            {
                clicks.search_step = -1;
            }
            if ui
                .add_enabled(total > 0, egui::Button::new("Next match").small())
                .on_hover_text("The search's next match here (N)")
                .clicked()
            {
                clicks.search_step = 1;
            }
        }
        if let Some(progress) = progress {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(
                    RichText::new(format!("{:.0}% read", progress * 100.0)).color(palette.weak),
                );
            });
        }
    });
    // The thin progress bar under the row.
    let (rect, _) =
        ui.allocate_exact_size(egui::vec2(ui.available_width(), 2.0), egui::Sense::hover());
    ui.painter()
        .rect_filled(rect, 0.0, ui.visuals().faint_bg_color);
    if let Some(progress) = progress {
        let mut done = rect;
        done.set_width(rect.width() * progress.clamp(0.0, 1.0));
        ui.painter().rect_filled(done, 0.0, palette.link);
    }
    clicks
}

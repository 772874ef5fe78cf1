//! Highlights in the window: the comment editor (a small window opened by a
//! click on a highlight, or on its entry in the inspector) and the
//! inspector's list of the open article's highlights, orphans included.
//! It owns [`HighlightEditor`]; the article it only reads.

use egui::RichText;

use super::action::Action;
use super::palette::{Palette, colour_name};
use crate::library::{Colour, Highlight, HighlightId, StoredArticle};

/// The comment editor's state.
#[derive(Default)]
pub struct HighlightEditor {
    /// The highlight being edited (the window is open).
    open: Option<HighlightId>,
    /// The comment as typed.
    comment: String,
    /// The highlight `comment` was loaded from.
    loaded: Option<HighlightId>,
    /// The comment last handed on to be saved (not handed on twice while
    /// the library's answer is on its way).
    flushed: Option<String>,
    /// The window is still to be put beside its highlight (once the
    /// highlight is in view).
    place: bool,
    /// The corner the window was placed by, kept for every later frame:
    /// egui keeps the placed point and reads it by this frame's pivot, so
    /// a window placed by its bottom edge and then drawn by its top one
    /// would jump down over the passage.
    /// `None` until placed once: egui's default, the top left corner.
    pivot: Option<egui::Align2>,
    /// Where the highlight was drawn last frame while the window follows
    /// it (the passage may be scrolling into view).
    last_anchor: Option<egui::Rect>,
    /// Frames the passage has stood still while followed.
    still: u8,
    /// Frames waited for the highlight to be drawn in view.
    waited: u8,
}

impl HighlightEditor {
    /// Open the editor on a highlight.
    pub fn open(&mut self, id: HighlightId) {
        self.open = Some(id);
        self.loaded = None;
        self.place = true;
        self.last_anchor = None;
        self.still = 0;
        self.waited = 0;
    }

    /// Undo or redo changed highlight `id`'s comment: the editor shows it
    /// again from the library.
    pub fn reload(&mut self, id: HighlightId) {
        if self.loaded == Some(id) {
            self.loaded = None;
        }
    }

    /// The highlight being edited, if the editor is open.
    pub fn editing(&self) -> Option<HighlightId> {
        self.open
    }

    /// A comment typed and not saved, with its highlight, handed on once:
    /// what is typed is saved like the note, when another highlight or
    /// article is opened, on undo, and when the window saves or closes.
    /// `article` is what the library holds.
    pub fn take_unsaved(
        &mut self,
        article: Option<&StoredArticle>,
    ) -> Option<(HighlightId, String)> {
        let id = self.loaded?;
        let stored = article?.highlights.iter().find(|h| h.id == id)?;
        if self.comment == stored.comment || self.flushed.as_deref() == Some(self.comment.as_str())
        {
            return None;
        }
        self.flushed = Some(self.comment.clone());
        Some((id, self.comment.clone()))
    }
}

/// Width of the comment editor.
const EDITOR_WIDTH: f32 = 340.0;

/// Frames the editor waits for its highlight to be drawn in view (it is
/// scrolled to) before it opens in the middle of the window instead.
const WAIT_FRAMES: u8 = 60;

/// Frames the passage must stand still before the editor stops following
/// it: the reader starts scrolling to a highlight a frame or two after it
/// is chosen.
const STILL_FRAMES: u8 = 8;

/// Where the editor goes for a highlight drawn at `anchor` (its start):
/// left-aligned with it, under its first line, or above it in the lower
/// half of the window; never over the passage. The pivot and the point.
fn beside(ctx: &egui::Context, anchor: egui::Rect) -> (egui::Align2, egui::Pos2) {
    if anchor.center().y < ctx.content_rect().center().y {
        (
            egui::Align2::LEFT_TOP,
            anchor.left_bottom() + egui::vec2(0.0, 6.0),
        )
    } else {
        (
            egui::Align2::LEFT_BOTTOM,
            anchor.left_top() - egui::vec2(0.0, 6.0),
        )
    }
}

/// Move the editor's window to `at` by its `pivot`, whether or not it is
/// already open. `Window::current_pos` alone moves only a window egui has
/// not seen yet: for one already shown, egui 0.37 puts back the position
/// it held before the frame (its title-bar drag keeps it), so the editor
/// stayed wherever it first opened. The area's stored state is the
/// position egui reads.
fn put(ctx: &egui::Context, area: egui::Id, pivot: egui::Align2, at: egui::Pos2) {
    let mut state = egui::AreaState::load(ctx, area).unwrap_or_default();
    state.pivot = pivot;
    state.pivot_pos = Some(at);
    let layer = egui::LayerId::new(egui::Order::Middle, area);
    ctx.memory_mut(|memory| memory.areas_mut().set_state(layer, state));
}

/// A quote shortened to `max` characters.
fn short(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        text
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// The colour buttons: a swatch per colour, the current one marked.
fn colour_buttons(ui: &mut egui::Ui, current: Colour) -> Option<Colour> {
    let palette = Palette::new(ui.visuals().dark_mode);
    let mut chosen = None;
    ui.horizontal_wrapped(|ui| {
        for colour in Colour::ALL {
            let name = colour_name(colour);
            let label = if colour == current {
                format!("✔ {name}")
            } else {
                name.to_owned()
            };
            let button = egui::Button::new(RichText::new(label).color(palette.text))
                .fill(palette.mark(colour))
                .selected(colour == current);
            if ui.add(button).clicked() && colour != current {
                chosen = Some(colour);
            }
        }
    });
    chosen
}

/// The comment editor window for the open article's highlight, if open,
/// opened just under the highlight's start (`anchor`, where the reader drew
/// it this frame) rather than wherever the window was last.
#[must_use]
pub fn highlight_window_ui(
    ctx: &egui::Context,
    editor: &mut HighlightEditor,
    article: Option<&StoredArticle>,
    anchor: Option<egui::Rect>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(id) = editor.open else {
        return actions;
    };
    let Some(highlight) = article.and_then(|a| a.highlights.iter().find(|h| h.id == id)) else {
        // Deleted, or another article opened.
        editor.open = None;
        return actions;
    };
    if editor.loaded != Some(id) {
        editor.comment = highlight.comment.clone();
        editor.loaded = Some(id);
        editor.flushed = None;
    }
    let mut open = true;
    let area = egui::Id::unique("highlight-editor");
    let window = egui::Window::new("Highlight")
        .id(area)
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_width(EDITOR_WIDTH);
    if editor.place {
        let placed = match anchor {
            // Beside the passage, following it while it moves (scrolled
            // into view), until it has stood still a few frames: a window
            // put beside it once, mid-scroll, is left behind.
            Some(anchor) => {
                editor.still = if editor.last_anchor == Some(anchor) {
                    editor.still + 1
                } else {
                    0
                };
                editor.last_anchor = Some(anchor);
                editor.place = editor.still < STILL_FRAMES;
                Some(beside(ctx, anchor))
            }
            // Not drawn (an orphan, or scrolled to and still not there
            // after a while): the middle of the window.
            None if highlight.orphan || editor.waited >= WAIT_FRAMES => {
                editor.place = false;
                Some((egui::Align2::CENTER_CENTER, ctx.content_rect().center()))
            }
            None => {
                editor.waited = editor.waited.saturating_add(1);
                None
            }
        };
        if let Some((pivot, at)) = placed {
            put(ctx, area, pivot, at);
            editor.pivot = Some(pivot);
        }
        if editor.place {
            ctx.request_repaint();
        }
        if editor.last_anchor.is_none() && placed.is_none() {
            // Not shown before it is first placed: no flash in a corner.
            return actions;
        }
    }
    let window = window.pivot(editor.pivot.unwrap_or(egui::Align2::LEFT_TOP));
    window.show(ctx, |ui| {
        ui.label(RichText::new(format!("“{}”", short(&highlight.quote.exact, 300))).italics());
        if highlight.orphan {
            ui.label(RichText::new("Orphaned: not found in the article's current text.").strong());
        }
        ui.add_space(4.0);
        if let Some(colour) = colour_buttons(ui, highlight.colour) {
            actions.push(Action::SetHighlightColour(id, colour));
        }
        ui.add_space(4.0);
        let label = ui.label("Comment on the highlight");
        ui.add(
            egui::TextEdit::multiline(&mut editor.comment)
                .hint_text("Markdown")
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        ui.horizontal(|ui| {
            let changed = editor.comment != highlight.comment;
            if ui
                .add_enabled(changed, egui::Button::new("Save comment"))
                .clicked()
            {
                actions.push(Action::SetHighlightComment(id, editor.comment.clone()));
                editor.flushed = Some(editor.comment.clone());
            }
            if ui.button("Delete highlight").clicked() {
                actions.push(Action::DeleteHighlight(id));
                editor.open = None;
                // What was typed goes with it.
                editor.loaded = None;
            }
        });
    });
    if !open {
        // Closing keeps what was typed.
        if editor.comment != highlight.comment
            && editor.flushed.as_deref() != Some(editor.comment.as_str())
        {
            actions.push(Action::SetHighlightComment(id, editor.comment.clone()));
        }
        editor.open = None;
        editor.loaded = None;
    }
    actions
}

/// The inspector's list of the article's highlights in reading order,
/// orphans last (marked, with a "Re-attach" that takes the reader's
/// selection when there is one).
#[must_use]
pub fn highlights_list_ui(
    ui: &mut egui::Ui,
    markdown: &mut egui_commonmark::CommonMarkCache,
    highlights: &[Highlight],
    has_selection: bool,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let palette = Palette::new(ui.visuals().dark_mode);
    ui.heading(format!("Highlights ({})", highlights.len()));
    if highlights.is_empty() {
        ui.label(RichText::new("Select text in the reader and press H to highlight it.").weak());
    }
    for highlight in highlights {
        ui.horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(6.0, 18.0), egui::Sense::hover());
            ui.painter()
                .rect_filled(rect, 2.0, palette.mark(highlight.colour));
            ui.vertical(|ui| {
                let quote = short(&highlight.quote.exact, 140);
                let text = RichText::new(format!("“{quote}”")).color(palette.text);
                let response = ui
                    .add(egui::Button::new(text).frame(false).wrap())
                    .on_hover_text(if highlight.orphan {
                        "Open its comment"
                    } else {
                        "Show it in the reader"
                    });
                if response.clicked() {
                    actions.push(Action::ShowHighlight(highlight.id));
                }
                if !highlight.comment.trim().is_empty() {
                    // Written as Markdown, shown as the note's preview shows it.
                    ui.push_id(highlight.id, |ui| {
                        markdown_ui(ui, markdown, &highlight.comment);
                    });
                }
                if highlight.orphan {
                    ui.label(
                        RichText::new("Orphaned: its text is no longer in the article").strong(),
                    );
                    if ui
                        .add_enabled(has_selection, egui::Button::new("Re-attach"))
                        .on_hover_text("Attach it to the text selected in the reader")
                        .on_disabled_hover_text("Select its new text in the reader first")
                        .clicked()
                    {
                        actions.push(Action::ReattachHighlight(highlight.id));
                    }
                }
            });
        });
        ui.add_space(4.0);
    }
    actions
}

/// Markdown (CommonMark with tables) as the note's preview and the
/// highlights' comments show it; its links open in the browser only when
/// `model::links::safe_link` accepts them.
pub fn markdown_ui(ui: &mut egui::Ui, cache: &mut egui_commonmark::CommonMarkCache, text: &str) {
    egui_commonmark::CommonMarkViewer::new().show(ui, cache, text);
    ui.ctx().output_mut(|o| {
        o.commands.retain(|command| match command {
            egui::OutputCommand::OpenUrl(open) => {
                crate::model::links::safe_link(&open.url).is_some()
            }
            _ => true,
        });
    });
}

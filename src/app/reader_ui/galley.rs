//! One text block of the article as a galley: laid out from its inlines
//! (runs, links, search hits), numbered in drawing order, selectable by
//! dragging, its highlights painted under the glyphs and its links
//! underlined. [`TextState`] is what the reader keeps of it between frames.

use egui::text::{LayoutJob, TextFormat};
use egui::text_selection::CCursorRange;
use egui::{Color32, FontFamily, FontId, RichText, Sense, Stroke};

use super::typeset;
use crate::app::action::Action;
use crate::app::palette::{Palette, colour_name};
use crate::app::selection::{Selection, TextPos};
use crate::app::state::TextureCache;
use crate::library::{ArticleId, Colour, HighlightId};
use crate::model::Inline;

/// The reader's text as drawn: the selection, the drag that makes it, the
/// highlights' marks per block, and the block to scroll into view.
#[derive(Default)]
pub(super) struct TextState {
    /// The selection, if any.
    pub(super) selection: Option<Selection>,
    /// A drag that started on the text is selecting.
    pub(super) dragging: bool,
    /// The next text galley's block number, while drawing.
    pub(super) next_block: usize,
    /// Scroll the text block with this number into view (a highlight
    /// chosen in the inspector), done when it is drawn.
    pub(super) scroll_to_block: Option<usize>,
    /// The highlights as drawn: each text block's marks.
    pub(super) marks: Vec<Vec<Mark>>,
    /// Where each highlight's start was drawn this frame, when in view
    /// (the comment editor opens beside it).
    pub(super) mark_rects: Vec<(HighlightId, egui::Rect)>,
    /// The link a context menu was opened on (its "Open link" and "Copy
    /// link address").
    pub(super) menu_link: Option<String>,
    /// Each text block's find marks: char ranges, and whether the range is
    /// the current match (find bar, or the search's match stepped to).
    pub(super) found: Vec<Vec<(std::ops::Range<usize>, bool)>>,
    /// Scroll to this place (block, char) when its block is drawn.
    pub(super) scroll_to_char: Option<(usize, usize)>,
    /// The first text block drawn in view this frame.
    pub(super) first_visible: Option<usize>,
    /// The last text block drawn in view this frame.
    pub(super) last_visible: Option<usize>,
    /// The text block j / k moved to (a bar in the margin marks it).
    pub(super) focus_block: Option<usize>,
    /// Scroll the focused block into view when it is drawn.
    pub(super) scroll_to_focus: bool,
    /// What typesetting remembers between frames: the punctuation's
    /// blanks, each block's added line breaks.
    pub(super) typeset: typeset::Memo,
}

/// A highlight's part inside one text block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Mark {
    /// Chars of the block.
    pub(super) range: std::ops::Range<usize>,
    pub(super) colour: Colour,
    pub(super) id: HighlightId,
}

/// What every block of the article is drawn with.
#[derive(Clone, Copy)]
pub(super) struct BlockCtx<'a> {
    /// The article.
    pub(super) article: ArticleId,
    /// Text size in points.
    pub(super) size: f32,
    /// The line height as a multiple of the text size.
    pub(super) line_height: f32,
    /// The column's width.
    pub(super) width: f32,
    /// The typeface.
    pub(super) family: &'a FontFamily,
    /// The theme's colours.
    pub(super) palette: Palette,
    /// Words of the search to highlight.
    pub(super) highlights: &'a [String],
    /// The article's images.
    pub(super) textures: &'a TextureCache,
    /// The article is Traditional Chinese (its `。，、` are centred).
    pub(super) traditional: bool,
}

#[derive(Clone, Copy, Default)]
pub(super) struct RunStyle {
    pub(super) strong: bool,
    pub(super) italic: bool,
    pub(super) code: bool,
}

/// A paragraph, heading or list item as one selectable galley.
pub(super) fn paragraph_ui(
    ui: &mut egui::Ui,
    state: &mut TextState,
    inlines: &[Inline],
    ctx: &BlockCtx<'_>,
    size: f32,
    style: RunStyle,
) -> Vec<Action> {
    let code_bg = ui.visuals().code_bg_color;
    let (job, links) = paragraph_job(inlines, ctx, size, style, code_bg, ui.available_width());
    text_galley_ui(ui, state, job, &links, ctx)
}

/// A paragraph's job at `width`, with its links' byte ranges.
pub(super) fn paragraph_job(
    inlines: &[Inline],
    ctx: &BlockCtx<'_>,
    size: f32,
    style: RunStyle,
    code_bg: Color32,
    width: f32,
) -> (LayoutJob, Vec<(std::ops::Range<usize>, String)>) {
    let mut text = ParagraphText {
        job: LayoutJob::default(),
        links: Vec::new(),
        size,
        line_height: ctx.line_height,
        family: ctx.family,
        palette: &ctx.palette,
        code_bg,
        highlights: ctx.highlights,
    };
    text.layout_inlines(inlines, style, None);
    let ParagraphText { mut job, links, .. } = text;
    job.wrap.max_width = width;
    job.halign = egui::Align::LEFT;
    (job, links)
}

/// One text block of the article: laid out, numbered, selectable by
/// dragging (Shift+click extends), links clickable, the selection drawn
/// under the glyphs; one accessible label.
pub(super) fn text_galley_ui(
    ui: &mut egui::Ui,
    state: &mut TextState,
    job: LayoutJob,
    links: &[(std::ops::Range<usize>, String)],
    ctx: &BlockCtx<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let index = state.next_block;
    state.next_block += 1;
    let mut job = job;
    let marks = state.marks.get(index).cloned().unwrap_or_default();
    let found = state.found.get(index).map_or(&[][..], Vec::as_slice);
    if !marks.is_empty() || !found.is_empty() {
        paint_marks(&mut job, &marks, found, &ctx.palette);
    }
    // The block's own text: what selections, marks and links count in
    // (the galley's may hold line breaks kinsoku added).
    let text = job.text.clone();
    state.typeset.at_scale(ui.ctx().pixels_per_point());
    let laid = ui.fonts_mut(|f| typeset::layout(f, job, ctx.traditional, &mut state.typeset));
    let mut galley = std::sync::Arc::clone(&laid.galley);
    // Clicked and dragged, but not a keyboard stop: text is not a control.
    let (rect, response) = ui.allocate_exact_size(galley.size(), Sense::CLICK | Sense::DRAG);
    if ui.is_rect_visible(rect) {
        state.first_visible.get_or_insert(index);
        state.last_visible = Some(index);
    }
    if state.focus_block == Some(index) {
        let bar = egui::Rect::from_min_max(
            rect.left_top() - egui::vec2(10.0, 0.0),
            egui::pos2(rect.left() - 6.0, rect.bottom()),
        );
        ui.painter().rect_filled(bar, 1.0, ctx.palette.link);
        if std::mem::take(&mut state.scroll_to_focus) {
            ui.scroll_to_rect(rect.expand(ctx.size), None);
        }
    }
    if let Some((block, at)) = state.scroll_to_char
        && block == index
    {
        let place = galley
            .pos_from_cursor(laid.cursor(at))
            .translate(rect.min.to_vec2())
            .expand(ctx.size);
        ui.scroll_to_rect(place, Some(egui::Align::Center));
        state.scroll_to_char = None;
    }
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
    for mark in &marks {
        let start = galley
            .pos_from_cursor(laid.cursor(mark.range.start))
            .translate(rect.min.to_vec2());
        if ui.is_rect_visible(start) && !state.mark_rects.iter().any(|(id, _)| *id == mark.id) {
            state.mark_rects.push((mark.id, start));
        }
    }
    let len = text.chars().count();
    let at = |pos: egui::Pos2| TextPos {
        block: index,
        offset: laid
            .offset(usize::from(galley.cursor_from_pos(pos - rect.min).index))
            .min(len),
    };
    let link_at = |pos: egui::Pos2| -> Option<&String> {
        let byte = char_to_byte(&text, at(pos).offset);
        links
            .iter()
            .find(|(range, _)| range.contains(&byte))
            .map(|(_, href)| href)
    };
    let shift = ui.input(|i| i.modifiers.shift);
    let before = state.selection;
    if response.drag_started()
        && let Some(origin) = ui.input(|i| i.pointer.press_origin())
    {
        state.dragging = true;
        state.selection = match state.selection {
            Some(selection) if shift => Some(Selection {
                anchor: selection.anchor,
                focus: at(origin),
            }),
            _ => Some(Selection {
                anchor: at(origin),
                focus: at(origin),
            }),
        };
    }
    if state.dragging
        && let Some(pos) = ui.input(|i| i.pointer.latest_pos())
        // This block's lines, and the gap below it (the end of the block).
        && pos.y >= rect.top()
        && pos.y < rect.bottom() + ctx.size * 0.8
        && let Some(selection) = &mut state.selection
    {
        selection.focus = at(pos);
    }
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        match state.selection {
            Some(selection) if shift => {
                state.selection = Some(Selection {
                    anchor: selection.anchor,
                    focus: at(pos),
                });
            }
            _ => {
                state.selection = None;
                let offset = at(pos).offset;
                if let Some(href) = link_at(pos)
                    // Libraries written before links were checked at extraction may hold others.
                    && crate::model::links::safe_link(href).is_some()
                {
                    ui.ctx().open_url(egui::OpenUrl::new_tab(href));
                } else if let Some(mark) = marks
                    .iter()
                    .rev()
                    .find(|m| m.range.contains(&offset))
                    .or_else(|| marks.iter().rev().find(|m| m.range.end == offset))
                {
                    actions.push(Action::OpenHighlight(mark.id));
                }
            }
        }
    }
    if state.scroll_to_block == Some(index) {
        ui.scroll_to_rect(rect, Some(egui::Align::TOP));
        state.scroll_to_block = None;
    }
    if state.selection != before {
        // Blocks drawn before this one show the change next frame.
        ui.ctx().request_repaint();
    }
    // Where a link goes, shown before it is followed.
    let response = match response.hover_pos().and_then(link_at) {
        Some(href) => {
            ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
            response.on_hover_text_at_pointer(href)
        }
        None if response.hovered() => {
            ui.ctx().set_cursor_icon(egui::CursorIcon::Text);
            response
        }
        None => response,
    };
    if response.secondary_clicked() {
        state.menu_link = response
            .interact_pointer_pos()
            .and_then(link_at)
            .filter(|href| crate::model::links::safe_link(href).is_some())
            .cloned();
    }
    let has_selection = state.selection.is_some_and(|s| !s.is_empty());
    response.context_menu(|ui| {
        if let Some(href) = &state.menu_link {
            if ui.button("Open link").clicked() {
                ui.ctx().open_url(egui::OpenUrl::new_tab(href));
                ui.close();
            }
            if ui.button("Copy link address").clicked() {
                ui.ctx().copy_text(href.clone());
                ui.close();
            }
            ui.separator();
        }
        if ui
            .add_enabled(
                has_selection,
                egui::Button::new("Copy").shortcut_text("Ctrl+C"),
            )
            .clicked()
        {
            actions.push(Action::CopySelection { quote: false });
            ui.close();
        }
        if ui
            .add_enabled(
                has_selection,
                egui::Button::new("Copy as quote").shortcut_text("Ctrl+Shift+C"),
            )
            .clicked()
        {
            actions.push(Action::CopySelection { quote: true });
            ui.close();
        }
        if ui
            .add(egui::Button::new("Select all").shortcut_text("Ctrl+A"))
            .clicked()
        {
            actions.push(Action::SelectAll);
            ui.close();
        }
        ui.separator();
        if ui
            .add_enabled(
                has_selection,
                egui::Button::new("Highlight selection").shortcut_text("H"),
            )
            .clicked()
        {
            actions.push(Action::Highlight(Colour::Yellow));
            ui.close();
        }
        ui.add_enabled_ui(has_selection, |ui| {
            ui.menu_button("Highlight in colour", |ui| {
                for colour in Colour::ALL {
                    if ui
                        .button(
                            RichText::new(colour_name(colour))
                                .background_color(ctx.palette.mark(colour)),
                        )
                        .clicked()
                    {
                        actions.push(Action::Highlight(colour));
                        ui.close();
                    }
                }
            });
        });
    });
    if let Some((from, to)) = state.selection.and_then(|s| s.range_in(index, len)) {
        let mut visuals = ui.visuals().clone();
        visuals.selection.bg_fill = ctx.palette.selection_bg;
        visuals.selection.stroke.color = ctx.palette.selection_text;
        egui::text_selection::visuals::paint_text_selection(
            &mut galley,
            &visuals,
            &CCursorRange::two(laid.cursor(from), laid.cursor(to)),
            None,
        );
    }
    let link_color = ctx.palette.link;
    ui.painter()
        .galley(rect.min, galley.clone(), ctx.palette.text);
    underline_links(
        ui.painter(),
        &galley,
        &laid,
        &text,
        rect.min,
        links,
        link_color,
    );
    actions
}

/// Paint highlights' backgrounds (search hits keep theirs) and find marks
/// (over everything, with their own text colour) into `job`'s sections;
/// `marks` and `found` are char ranges of `job.text`.
fn paint_marks(
    job: &mut LayoutJob,
    marks: &[Mark],
    found: &[(std::ops::Range<usize>, bool)],
    palette: &Palette,
) {
    let text = &job.text;
    let bytes = |r: &std::ops::Range<usize>| char_to_byte(text, r.start)..char_to_byte(text, r.end);
    // In order of precedence, the last wins: highlights, then find marks.
    let mut layers: Vec<(std::ops::Range<usize>, Color32, Option<Color32>)> = marks
        .iter()
        .map(|m| (bytes(&m.range), palette.mark(m.colour), None))
        .collect();
    layers.extend(found.iter().map(|(r, current)| {
        let bg = if *current {
            palette.find_current_bg
        } else {
            palette.find_bg
        };
        (bytes(r), bg, Some(palette.find_text))
    }));
    let mut cuts: Vec<usize> = layers
        .iter()
        .flat_map(|(r, _, _)| [r.start, r.end])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut sections = Vec::with_capacity(job.sections.len() + cuts.len());
    for section in std::mem::take(&mut job.sections) {
        let range = section.byte_range.start.0..section.byte_range.end.0;
        let mut start = range.start;
        let mut first = true;
        let ends = cuts
            .iter()
            .copied()
            .filter(|&c| c > range.start && c < range.end)
            .chain(std::iter::once(range.end));
        for end in ends {
            let mut format = section.format.clone();
            if let Some((_, bg, fg)) = layers
                .iter()
                .rev()
                .find(|(r, _, _)| r.start <= start && end <= r.end)
                && (fg.is_some() || format.background != palette.hit_bg)
            {
                format.background = *bg;
                if let Some(fg) = fg {
                    format.color = *fg;
                }
            }
            sections.push(egui::text::LayoutSection {
                leading_space: if first { section.leading_space } else { 0.0 },
                byte_range: egui::text::ByteIndex(start)..egui::text::ByteIndex(end),
                format,
            });
            first = false;
            start = end;
        }
    }
    job.sections = sections;
}

/// A line just under the baseline of every link's glyphs.
fn underline_links(
    painter: &egui::Painter,
    galley: &egui::Galley,
    laid: &typeset::Typeset,
    text: &str,
    origin: egui::Pos2,
    links: &[(std::ops::Range<usize>, String)],
    color: Color32,
) {
    for (xs, y) in link_underlines(galley, laid, text, origin, links) {
        painter.hline(xs, y, Stroke::new(1.0, color));
    }
}

/// Where [`underline_links`] draws: each line's run of link glyphs, from
/// the first to the last that is not a space (a link's text often starts
/// or ends with one, and an underlined space reads as part of the link),
/// with its height.
fn link_underlines(
    galley: &egui::Galley,
    laid: &typeset::Typeset,
    text: &str,
    origin: egui::Pos2,
    links: &[(std::ops::Range<usize>, String)],
) -> Vec<(egui::Rangef, f32)> {
    let mut out = Vec::new();
    if links.is_empty() {
        return out;
    }
    // Each char's byte offset, found once (not by a walk from the start per glyph).
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    let in_link = |galley_index: usize| {
        let char_index = laid.offset(galley_index);
        let byte = bytes.get(char_index).copied().unwrap_or(text.len());
        links.iter().any(|(range, _)| range.contains(&byte))
    };
    let mut first_char = 0;
    for placed in &galley.rows {
        let mut run: Option<(f32, f32, f32)> = None;
        for (i, glyph) in placed.row.glyphs.iter().enumerate() {
            let y = origin.y + placed.pos.y + glyph.pos.y + (glyph.font_height * 0.12).max(1.5);
            let x0 = origin.x + placed.pos.x + glyph.pos.x;
            let x1 = x0 + glyph.advance_width;
            if in_link(first_char + i) {
                if !glyph.chr.is_whitespace() {
                    run = Some(run.map_or((x0, x1, y), |(start, _, y)| (start, x1, y)));
                }
            } else if let Some((start, end, y)) = run.take() {
                out.push((egui::Rangef::new(start, end), y));
            }
        }
        if let Some((start, end, y)) = run {
            out.push((egui::Rangef::new(start, end), y));
        }
        first_char += placed.row.glyphs.len() + usize::from(placed.ends_with_newline);
    }
    out
}

fn char_to_byte(text: &str, char_index: usize) -> usize {
    text.char_indices()
        .nth(char_index)
        .map_or(text.len(), |(b, _)| b)
}

/// A paragraph being laid out: its runs, where its links are, and how to
/// style them.
struct ParagraphText<'a> {
    job: LayoutJob,
    /// Byte ranges of `job.text` that are links, with their targets.
    links: Vec<(std::ops::Range<usize>, String)>,
    size: f32,
    /// The line height as a multiple of `size`.
    line_height: f32,
    family: &'a FontFamily,
    palette: &'a Palette,
    code_bg: Color32,
    highlights: &'a [String],
}

impl ParagraphText<'_> {
    fn layout_inlines(&mut self, inlines: &[Inline], style: RunStyle, link: Option<&str>) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => self.push_text(text, style, link, true),
                Inline::Code { text } => self.push_text(
                    text,
                    RunStyle {
                        code: true,
                        ..style
                    },
                    link,
                    true,
                ),
                Inline::LineBreak => self.push_text("\n", style, link, false),
                Inline::Link { href, children } => {
                    self.layout_inlines(children, style, Some(href));
                }
                Inline::Emphasis { children } => self.layout_inlines(
                    children,
                    RunStyle {
                        italic: true,
                        ..style
                    },
                    link,
                ),
                Inline::Strong { children } => self.layout_inlines(
                    children,
                    RunStyle {
                        strong: true,
                        ..style
                    },
                    link,
                ),
            }
        }
    }

    /// Append a run; search hits in it are highlighted when `highlight`.
    fn push_text(&mut self, text: &str, style: RunStyle, link: Option<&str>, highlight: bool) {
        let (size, palette) = (self.size, self.palette);
        let mut format = TextFormat {
            font_id: if style.code {
                FontId::new(size * 0.9, FontFamily::Monospace)
            } else {
                FontId::new(size, self.family.clone())
            },
            color: if style.strong {
                palette.strong
            } else {
                palette.text
            },
            italics: style.italic,
            line_height: Some(size * self.line_height),
            ..TextFormat::default()
        };
        if style.code {
            format.background = self.code_bg;
        }
        if let Some(href) = link {
            // Underlined by `underline_links` (egui's underline sits at the
            // bottom of the 1.6 line box, closer to the next line).
            format.color = palette.link;
            let start = self.job.text.len();
            self.links
                .push((start..start + text.len(), href.to_owned()));
        }
        let highlights = if highlight { self.highlights } else { &[] };
        // Split the run at search hits so they can be highlighted.
        let mut at = 0;
        for std::ops::Range { start, end } in crate::library::find_highlights(text, highlights) {
            self.job.append(&text[at..start], 0.0, format.clone());
            let mut hit = format.clone();
            hit.background = palette.hit_bg;
            hit.color = palette.hit_text;
            self.job.append(&text[start..end], 0.0, hit);
            at = end;
        }
        self.job.append(&text[at..], 0.0, format);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::reader_ui::typeset::tests::{job, with_fonts};

    #[test]
    fn a_link_underline_leaves_out_the_spaces_around_its_words() {
        // "its territorial claim": the link's text begins with a space, as
        // Wikipedia's often do.
        let text = "its territorial claim, and more";
        let link = 3..21;
        assert_eq!(&text[link.clone()], " territorial claim");
        with_fonts(|fonts| {
            let laid = typeset::layout(
                fonts,
                job(text, 2000.0),
                false,
                &mut typeset::Memo::default(),
            );
            let lines = link_underlines(
                &laid.galley,
                &laid,
                text,
                egui::Pos2::ZERO,
                &[(link, "https://example.org".to_owned())],
            );
            assert_eq!(lines.len(), 1, "{lines:?}");
            let glyphs = &laid.galley.rows[0].row.glyphs;
            // From the "t" of "territorial" to the end of "claim".
            let t = &glyphs[4];
            let m = &glyphs[20];
            assert_eq!((t.chr, m.chr), ('t', 'm'));
            assert!(
                (lines[0].0.min - t.pos.x).abs() < 0.01,
                "{lines:?} {}",
                t.pos.x
            );
            assert!(
                (lines[0].0.max - (m.pos.x + m.advance_width)).abs() < 0.01,
                "{lines:?}"
            );
        });
    }
}

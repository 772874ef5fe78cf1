//! The reader: title, metadata and the body as typeset blocks, with captioned
//! images, working links, search hits highlighted, and a text selection
//! across the whole article.
//!
//! Typography: the column is a measure in ems (`MEASURE_LATIN` or
//! `MEASURE_CJK` times the text size, about 70 Latin or 35 Chinese
//! characters a line), lines are 1.6 times the text size, and the colours
//! come from [`Palette`], whose contrast against the panel is tested (body
//! text at least 7:1; links, search hits and selected text at least 4.5:1,
//! in the dark and the light theme).
//!
//! The reader's own state is [`ReaderPane`]: the selection (see
//! `app::selection`), the drag that makes it, and a scroll asked for by a key.
//! Each text galley gets the next block number as it is drawn, in the order
//! of `selection::text_blocks`.

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::text_selection::CCursorRange;
use egui::{Color32, FontFamily, FontId, RichText, Sense, Stroke};

use super::Action;
use super::selection::{Selection, TextMap, TextPos};
use super::state::{ReaderFont, TextureCache};
use crate::library::{ArticleId, Colour, HighlightId, StoredArticle};
use crate::model::{Block, Image, Inline, ListItem};

/// The Latin measure in ems for the sans-serif: about 70 characters a line.
const MEASURE_LATIN_SANS: f32 = 33.0;
/// The Latin measure in ems for the serif (narrower letters): about 70 too.
const MEASURE_LATIN_SERIF: f32 = 29.0;
/// The CJK measure in ems: 35 full-width characters a line.
const MEASURE_CJK: f32 = 35.0;
/// Line height as a multiple of the text size.
pub const LINE_HEIGHT: f32 = 1.6;

/// A scroll of the reader asked for by a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scroll {
    /// Down a screen (Space, Page Down).
    PageDown,
    /// Up a screen (Shift+Space, Page Up).
    PageUp,
    /// To the top (Home).
    Top,
    /// To the end (End).
    Bottom,
}

/// The reader pane's own state.
#[derive(Default)]
pub struct ReaderPane {
    /// The article the selection and scroll position belong to.
    article: Option<ArticleId>,
    /// The selection, if any.
    pub selection: Option<Selection>,
    /// A drag that started on the text is selecting.
    dragging: bool,
    /// A scroll asked for by a key, done in the next frame.
    pub scroll: Option<Scroll>,
    /// The next text galley's block number, while drawing.
    next_block: usize,
    /// The scroll area as last drawn: offset, viewport and content height.
    offset: f32,
    viewport: f32,
    content: f32,
    /// Scroll the text block with this number into view (a highlight
    /// chosen in the inspector), done when it is drawn.
    pub scroll_to_block: Option<usize>,
    /// The highlights as drawn: each text block's marks, and what they
    /// were computed from (the body's hash and the highlights' places).
    marks: Vec<Vec<Mark>>,
    marks_key: Option<(String, Vec<MarkKey>)>,
    /// Whether the article shown is mostly CJK, by its content hash
    /// (worked out once, not every frame).
    cjk: Option<(String, bool)>,
    /// Scroll to this reading position (a fraction of the scroll range) once
    /// the article is laid out: where the user left it last time.
    pub restore: Option<(ArticleId, f64)>,
}

/// What a highlight's marks are computed from: id, canonical start and end, colour.
type MarkKey = (HighlightId, usize, usize, Colour);

/// A highlight's part inside one text block.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Mark {
    /// Chars of the block.
    range: std::ops::Range<usize>,
    colour: Colour,
    id: HighlightId,
}

impl ReaderPane {
    /// Whether `stored` is mostly CJK text ([`is_cjk`]), cached per body.
    fn is_cjk(&mut self, stored: &StoredArticle) -> bool {
        match &self.cjk {
            Some((hash, cjk)) if *hash == stored.content_hash => *cjk,
            _ => {
                let cjk = is_cjk(&stored.article);
                self.cjk = Some((stored.content_hash.clone(), cjk));
                cjk
            }
        }
    }

    /// Recompute the marks when the body or its highlights changed.
    fn update_marks(&mut self, stored: &StoredArticle) {
        let key: Vec<_> = stored
            .highlights
            .iter()
            .filter(|h| !h.orphan)
            .map(|h| (h.id, h.position.start, h.position.end, h.colour))
            .collect();
        if self
            .marks_key
            .as_ref()
            .is_some_and(|(hash, k)| *hash == stored.content_hash && *k == key)
        {
            return;
        }
        let map = TextMap::new(&stored.article);
        let mut marks = vec![Vec::new(); map.blocks()];
        for &(id, start, end, colour) in &key {
            for (block, range) in map.block_ranges(start..end) {
                marks[block].push(Mark { range, colour, id });
            }
        }
        self.marks = marks;
        self.marks_key = Some((stored.content_hash.clone(), key));
    }
}

impl ReaderPane {
    /// Forget the selection and the scroll position when `id` is not the
    /// article they belong to.
    pub fn show_article(&mut self, id: Option<ArticleId>) {
        if self.article != id {
            let restore = self.restore.take().filter(|(a, _)| Some(*a) == id);
            *self = Self {
                article: id,
                restore,
                ..Self::default()
            };
        }
    }

    /// Where the reader stands in the article shown: the fraction of its
    /// scroll range above the view (`None` before it is laid out, or when
    /// it fits the view).
    pub fn position(&self) -> Option<(ArticleId, f64)> {
        let range = self.content - self.viewport;
        let id = self.article?;
        (range > 1.0).then(|| (id, f64::from((self.offset / range).clamp(0.0, 1.0))))
    }

    /// The user scrolled to the article's end (one that fits the view
    /// does not count: it is read after a few seconds instead).
    pub fn at_end(&self) -> bool {
        self.content > self.viewport
            && self.offset > 0.0
            && self.offset + self.viewport >= self.content - 48.0
    }

    /// Where a key's scroll goes from the current position.
    fn scroll_target(&self, scroll: Scroll) -> f32 {
        let page = (self.viewport - 40.0).max(self.viewport * 0.5);
        let max = (self.content - self.viewport).max(0.0);
        match scroll {
            Scroll::PageDown => self.offset + page,
            Scroll::PageUp => self.offset - page,
            Scroll::Top => 0.0,
            Scroll::Bottom => max,
        }
        .clamp(0.0, max)
    }
}

/// The reader's colours for one theme.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    /// Body text.
    pub text: Color32,
    /// Headings and bold text.
    pub strong: Color32,
    /// Metadata and captions.
    pub weak: Color32,
    /// Links.
    pub link: Color32,
    /// Search hits: background and text.
    pub hit_bg: Color32,
    /// Text on a search hit.
    pub hit_text: Color32,
    /// The selection's background.
    pub selection_bg: Color32,
    /// Selected text.
    pub selection_text: Color32,
    /// Highlight backgrounds, in [`Colour::ALL`]'s order.
    pub marks: [Color32; 6],
}

impl Palette {
    /// The background of a highlight in `colour`.
    #[must_use]
    pub fn mark(&self, colour: Colour) -> Color32 {
        let i = Colour::ALL.iter().position(|c| *c == colour).unwrap_or(0);
        self.marks[i]
    }

    /// The colours for the dark or the light theme.
    #[must_use]
    pub fn new(dark: bool) -> Self {
        if dark {
            Self {
                text: Color32::from_gray(222),
                strong: Color32::from_gray(240),
                weak: Color32::from_gray(160),
                link: Color32::from_rgb(120, 185, 255),
                hit_bg: Color32::from_rgb(110, 85, 0),
                hit_text: Color32::from_gray(240),
                selection_bg: Color32::from_rgb(38, 79, 138),
                selection_text: Color32::WHITE,
                marks: [
                    Color32::from_rgb(95, 78, 0),
                    Color32::from_rgb(28, 86, 44),
                    Color32::from_rgb(30, 66, 122),
                    Color32::from_rgb(116, 36, 78),
                    Color32::from_rgb(84, 50, 128),
                    Color32::from_rgb(118, 56, 8),
                ],
            }
        } else {
            Self {
                text: Color32::from_gray(28),
                strong: Color32::BLACK,
                weak: Color32::from_gray(95),
                link: Color32::from_rgb(0, 85, 180),
                hit_bg: Color32::from_rgb(255, 214, 90),
                hit_text: Color32::from_gray(28),
                selection_bg: Color32::from_rgb(170, 205, 255),
                selection_text: Color32::from_gray(28),
                marks: [
                    Color32::from_rgb(255, 226, 110),
                    Color32::from_rgb(178, 234, 166),
                    Color32::from_rgb(178, 210, 255),
                    Color32::from_rgb(255, 190, 214),
                    Color32::from_rgb(220, 198, 255),
                    Color32::from_rgb(255, 204, 148),
                ],
            }
        }
    }
}

/// The article's text is mostly Chinese, Japanese or Korean (by its
/// language, else by its first paragraphs).
fn is_cjk(article: &crate::model::Article) -> bool {
    if let Some(lang) = &article.lang {
        let lang = lang.to_ascii_lowercase();
        if ["zh", "ja", "ko"].iter().any(|l| lang.starts_with(l)) {
            return true;
        }
        if lang.starts_with("en") {
            return false;
        }
    }
    let sample: String = article
        .blocks
        .iter()
        .take(8)
        .map(Block::text)
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(2000)
        .collect();
    let cjk = sample
        .chars()
        .filter(|c| matches!(*c as u32, 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF))
        .count();
    cjk * 3 > sample.chars().count()
}

/// The reading column's width for `article` at text size `size` in `font`.
#[cfg(test)]
fn measure(article: &crate::model::Article, size: f32, font: ReaderFont) -> f32 {
    measure_for(is_cjk(article), size, font)
}

/// [`measure`] for text known to be mostly CJK (`cjk`) or not.
fn measure_for(cjk: bool, size: f32, font: ReaderFont) -> f32 {
    let ems = match (cjk, font) {
        (true, _) => MEASURE_CJK,
        (false, ReaderFont::Sans) => MEASURE_LATIN_SANS,
        (false, ReaderFont::Serif) => MEASURE_LATIN_SERIF,
    };
    ems * size
}

/// Draw the reader.
#[must_use]
pub fn reader_ui(ui: &mut egui::Ui, pane: &mut ReaderPane, view: &ReaderView<'_>) -> Vec<Action> {
    let mut actions = Vec::new();
    pane.show_article(view.article.map(|a| a.id));
    let Some(stored) = view.article else {
        ui.centered_and_justified(|ui| {
            if view.empty_library {
                ui.label(RichText::new("Welcome to Folio. Import saved pages (File > Import files…, or drop them here), or add the sample articles from the library pane.").size(16.0).weak());
            } else {
                ui.label(RichText::new("Select an article to read it.").size(16.0).weak());
            }
        });
        return actions;
    };
    let size = view.text_size;
    let palette = Palette::new(ui.visuals().dark_mode);
    let family = match view.font {
        ReaderFont::Sans => FontFamily::Proportional,
        ReaderFont::Serif => super::fonts::serif(),
    };
    let mut area = egui::ScrollArea::vertical()
        .id_salt(("reader", stored.id.0))
        .auto_shrink([false, false]);
    if let Some(scroll) = pane.scroll.take() {
        area = area.vertical_scroll_offset(pane.scroll_target(scroll));
    } else if let Some((id, at)) = pane.restore
        && id == stored.id
        && pane.content > pane.viewport
    {
        // Laid out once: the scroll range is known.
        pane.restore = None;
        area = area.vertical_scroll_offset(at as f32 * (pane.content - pane.viewport));
    }
    pane.next_block = 0;
    pane.update_marks(stored);
    let cjk = pane.is_cjk(stored);
    let output = area.show(ui, |ui| {
        let available = ui.available_width();
        let width = measure_for(cjk, size, view.font)
            .min(available - 24.0)
            .max(200.0);
        ui.horizontal(|ui| {
            ui.add_space(((available - width) / 2.0).max(0.0));
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.add_space(16.0);
                header_ui(ui, stored, size, &family, &palette);
                ui.add_space(12.0);
                let mut images = stored.image_sha256.iter();
                let ctx = BlockCtx {
                    article: stored.id,
                    size,
                    width,
                    family: &family,
                    palette,
                    highlights: view.highlights,
                    textures: view.textures,
                };
                for block in &stored.article.blocks {
                    actions.extend(block_ui(ui, pane, block, &ctx, &mut images));
                }
                ui.add_space(40.0);
            });
        });
    });
    pane.offset = output.state.clamped_offset().y;
    pane.viewport = output.inner_rect.height();
    pane.content = output.content_size.y;
    if pane.dragging && !ui.input(|i| i.pointer.primary_down()) {
        pane.dragging = false;
    }
    actions
}

/// What the reader shows, read-only.
pub struct ReaderView<'a> {
    /// The open article, if any.
    pub article: Option<&'a StoredArticle>,
    /// Text size in points.
    pub text_size: f32,
    /// The typeface.
    pub font: ReaderFont,
    /// Words of the search to highlight.
    pub highlights: &'a [String],
    /// The article's images.
    pub textures: &'a TextureCache,
    /// The library is empty (not merely filtered): show the welcome text.
    pub empty_library: bool,
}

#[derive(Clone, Copy)]
struct BlockCtx<'a> {
    article: crate::library::ArticleId,
    size: f32,
    width: f32,
    family: &'a FontFamily,
    palette: Palette,
    highlights: &'a [String],
    textures: &'a TextureCache,
}

fn header_ui(
    ui: &mut egui::Ui,
    stored: &crate::library::StoredArticle,
    size: f32,
    family: &FontFamily,
    palette: &Palette,
) {
    let article = &stored.article;
    ui.add(
        egui::Label::new(
            RichText::new(&article.title)
                .size(size * 1.6)
                .family(family.clone())
                .strong()
                .color(palette.strong),
        )
        .wrap(),
    );
    ui.add_space(6.0);
    let mut meta = Vec::new();
    if let Some(byline) = &article.byline {
        meta.push(byline.clone());
    }
    if let Some(editor) = &article.editor {
        meta.push(format!("Editor: {editor}"));
    }
    if let Some(date) = &article.published {
        meta.push(crate::model::date::display_date(date).to_owned());
    }
    if let Some(site) = &article.site {
        meta.push(site.clone());
    }
    if !meta.is_empty() {
        ui.label(
            RichText::new(meta.join(" · "))
                .size(size * 0.85)
                .color(palette.weak),
        );
    }
    if let Some(url) = article
        .url
        .as_deref()
        .and_then(crate::model::links::safe_link)
    {
        ui.hyperlink_to(
            RichText::new(format!("Original: {url}"))
                .size(size * 0.8)
                .color(palette.link),
            url,
        );
    }
    if !article.source_tags.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new("Page tags:")
                    .size(size * 0.75)
                    .color(palette.weak),
            );
            for tag in &article.source_tags {
                ui.label(
                    RichText::new(format!("#{tag}"))
                        .size(size * 0.75)
                        .color(palette.weak),
                );
            }
        });
    }
    ui.separator();
}

fn block_ui<'a>(
    ui: &mut egui::Ui,
    pane: &mut ReaderPane,
    block: &Block,
    ctx: &BlockCtx<'_>,
    images: &mut impl Iterator<Item = &'a Option<String>>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    match block {
        Block::Heading { level, inlines } => {
            ui.add_space(ctx.size * 0.6);
            let scale = match level {
                1 => 1.45,
                2 => 1.3,
                3 => 1.15,
                _ => 1.05,
            };
            let style = RunStyle {
                strong: true,
                ..RunStyle::default()
            };
            actions.extend(paragraph_ui(
                ui,
                pane,
                inlines,
                ctx,
                ctx.size * scale,
                style,
            ));
            ui.add_space(ctx.size * 0.2);
        }
        Block::Paragraph { inlines } => {
            actions.extend(paragraph_ui(
                ui,
                pane,
                inlines,
                ctx,
                ctx.size,
                RunStyle::default(),
            ));
            ui.add_space(ctx.size * 0.7);
        }
        Block::List { ordered, items } => {
            actions.extend(list_ui(ui, pane, *ordered, items, ctx, images));
            ui.add_space(ctx.size * 0.5);
        }
        Block::Quote { blocks } => {
            egui::Frame::NONE
                .inner_margin(egui::Margin {
                    left: 14,
                    right: 4,
                    top: 2,
                    bottom: 2,
                })
                .stroke(Stroke::NONE)
                .show(ui, |ui| {
                    let rect = ui.max_rect();
                    for inner in blocks {
                        actions.extend(block_ui(ui, pane, inner, ctx, images));
                    }
                    let bar = egui::Rect::from_min_max(
                        rect.left_top() - egui::vec2(10.0, 0.0),
                        egui::pos2(rect.left() - 7.0, ui.min_rect().bottom()),
                    );
                    ui.painter().rect_filled(bar, 1.0, ctx.palette.weak);
                });
            ui.add_space(ctx.size * 0.5);
        }
        Block::Code { text } => {
            egui::Frame::NONE
                .fill(ui.visuals().code_bg_color)
                .inner_margin(8)
                .corner_radius(4)
                .show(ui, |ui| {
                    let mut job = LayoutJob::single_section(
                        text.clone(),
                        TextFormat {
                            font_id: FontId::monospace(ctx.size * 0.85),
                            color: ctx.palette.text,
                            line_height: Some(ctx.size * 0.85 * 1.4),
                            ..TextFormat::default()
                        },
                    );
                    job.wrap.max_width = ui.available_width();
                    actions.extend(text_galley_ui(ui, pane, job, &[], ctx));
                });
            ui.add_space(ctx.size * 0.5);
        }
        Block::Table { rows } => {
            egui::ScrollArea::horizontal()
                .id_salt(ui.next_auto_id())
                .show(ui, |ui| {
                    egui::Grid::new(ui.next_auto_id())
                        .striped(true)
                        .spacing([12.0, 4.0])
                        .show(ui, |ui| {
                            for row in rows {
                                for cell in row {
                                    ui.label(
                                        RichText::new(cell)
                                            .size(ctx.size * 0.85)
                                            .color(ctx.palette.text),
                                    );
                                }
                                ui.end_row();
                            }
                        });
                });
            ui.add_space(ctx.size * 0.5);
        }
        Block::Image(image) => {
            let sha = images.next().cloned().flatten();
            actions.extend(image_ui(ui, pane, image, sha.as_deref(), ctx));
            ui.add_space(ctx.size * 0.8);
        }
    }
    actions
}

/// A list; an item's child blocks (nested lists, pictures, quotes) are drawn
/// as blocks, so that its pictures take their turn among the article's.
fn list_ui<'a>(
    ui: &mut egui::Ui,
    pane: &mut ReaderPane,
    ordered: bool,
    items: &[ListItem],
    ctx: &BlockCtx<'_>,
    images: &mut impl Iterator<Item = &'a Option<String>>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    for (n, item) in items.iter().enumerate() {
        ui.horizontal_top(|ui| {
            let marker = if ordered {
                format!("{}.", n + 1)
            } else {
                "•".to_owned()
            };
            ui.label(
                RichText::new(marker)
                    .size(ctx.size)
                    .family(ctx.family.clone())
                    .line_height(Some(ctx.size * LINE_HEIGHT))
                    .color(ctx.palette.text),
            );
            ui.vertical(|ui| {
                if !item.inlines.is_empty() {
                    actions.extend(paragraph_ui(
                        ui,
                        pane,
                        &item.inlines,
                        ctx,
                        ctx.size,
                        RunStyle::default(),
                    ));
                }
                let inner = BlockCtx {
                    width: ui.available_width(),
                    ..*ctx
                };
                for child in &item.children {
                    actions.extend(block_ui(ui, pane, child, &inner, images));
                }
            });
        });
    }
    actions
}

/// Style of a run while laying out a paragraph.
#[derive(Clone, Copy, Default)]
struct RunStyle {
    strong: bool,
    italic: bool,
    code: bool,
}

/// A paragraph, heading or list item as one selectable galley.
fn paragraph_ui(
    ui: &mut egui::Ui,
    pane: &mut ReaderPane,
    inlines: &[Inline],
    ctx: &BlockCtx<'_>,
    size: f32,
    style: RunStyle,
) -> Vec<Action> {
    let mut text = ParagraphText {
        job: LayoutJob::default(),
        links: Vec::new(),
        size,
        family: ctx.family,
        palette: &ctx.palette,
        code_bg: ui.visuals().code_bg_color,
        highlights: ctx.highlights,
    };
    text.layout_inlines(inlines, style, None);
    let ParagraphText { mut job, links, .. } = text;
    job.wrap.max_width = ui.available_width();
    job.halign = egui::Align::LEFT;
    text_galley_ui(ui, pane, job, &links, ctx)
}

/// One text block of the article: laid out, numbered, selectable by
/// dragging (Shift+click extends), links clickable, the selection drawn
/// under the glyphs; one accessible label.
fn text_galley_ui(
    ui: &mut egui::Ui,
    pane: &mut ReaderPane,
    job: LayoutJob,
    links: &[(std::ops::Range<usize>, String)],
    ctx: &BlockCtx<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let index = pane.next_block;
    pane.next_block += 1;
    let mut job = job;
    let marks = pane.marks.get(index).cloned().unwrap_or_default();
    if !marks.is_empty() {
        paint_marks(&mut job, &marks, &ctx.palette);
    }
    let mut galley = ui.fonts_mut(|f| f.layout_job(job));
    // Clicked and dragged, but not a keyboard stop: text is not a control.
    let (rect, response) = ui.allocate_exact_size(galley.size(), Sense::CLICK | Sense::DRAG);
    let text = galley.text().to_owned();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
    let len = text.chars().count();
    let at = |pos: egui::Pos2| TextPos {
        block: index,
        offset: usize::from(galley.cursor_from_pos(pos - rect.min).index).min(len),
    };
    let link_at = |pos: egui::Pos2| -> Option<&String> {
        let byte = char_to_byte(galley.text(), at(pos).offset);
        links
            .iter()
            .find(|(range, _)| range.contains(&byte))
            .map(|(_, href)| href)
    };
    let shift = ui.input(|i| i.modifiers.shift);
    let before = pane.selection;
    if response.drag_started()
        && let Some(origin) = ui.input(|i| i.pointer.press_origin())
    {
        pane.dragging = true;
        pane.selection = match pane.selection {
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
    if pane.dragging
        && let Some(pos) = ui.input(|i| i.pointer.latest_pos())
        // This block's lines, and the gap below it (the end of the block).
        && pos.y >= rect.top()
        && pos.y < rect.bottom() + ctx.size * 0.8
        && let Some(selection) = &mut pane.selection
    {
        selection.focus = at(pos);
    }
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        match pane.selection {
            Some(selection) if shift => {
                pane.selection = Some(Selection {
                    anchor: selection.anchor,
                    focus: at(pos),
                });
            }
            _ => {
                pane.selection = None;
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
    if pane.scroll_to_block == Some(index) {
        ui.scroll_to_rect(rect, Some(egui::Align::TOP));
        pane.scroll_to_block = None;
    }
    if pane.selection != before {
        // Blocks drawn before this one show the change next frame.
        ui.ctx().request_repaint();
    }
    if response
        .hover_pos()
        .is_some_and(|pos| link_at(pos).is_some())
    {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
    } else if response.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Text);
    }
    let has_selection = pane.selection.is_some_and(|s| !s.is_empty());
    response.context_menu(|ui| {
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
    if let Some((from, to)) = pane.selection.and_then(|s| s.range_in(index, len)) {
        let mut visuals = ui.visuals().clone();
        visuals.selection.bg_fill = ctx.palette.selection_bg;
        visuals.selection.stroke.color = ctx.palette.selection_text;
        egui::text_selection::visuals::paint_text_selection(
            &mut galley,
            &visuals,
            &CCursorRange::two(CCursor::new(from), CCursor::new(to)),
            None,
        );
    }
    let link_color = ctx.palette.link;
    ui.painter()
        .galley(rect.min, galley.clone(), ctx.palette.text);
    underline_links(ui.painter(), &galley, rect.min, links, link_color);
    actions
}

/// A highlight colour's name as the menus show it.
#[must_use]
pub fn colour_name(colour: Colour) -> &'static str {
    match colour {
        Colour::Yellow => "Yellow",
        Colour::Green => "Green",
        Colour::Blue => "Blue",
        Colour::Pink => "Pink",
        Colour::Purple => "Purple",
        Colour::Orange => "Orange",
    }
}

/// Give the parts of `job` under a highlight its colour as background
/// (search hits keep theirs); `marks` are char ranges of `job.text`.
fn paint_marks(job: &mut LayoutJob, marks: &[Mark], palette: &Palette) {
    let text = &job.text;
    let byte_marks: Vec<(std::ops::Range<usize>, Color32)> = marks
        .iter()
        .map(|m| {
            (
                char_to_byte(text, m.range.start)..char_to_byte(text, m.range.end),
                palette.mark(m.colour),
            )
        })
        .collect();
    let mut cuts: Vec<usize> = byte_marks
        .iter()
        .flat_map(|(r, _)| [r.start, r.end])
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
            if format.background != palette.hit_bg
                && let Some((_, colour)) = byte_marks
                    .iter()
                    .rev()
                    .find(|(r, _)| r.start <= start && end <= r.end)
            {
                format.background = *colour;
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
    origin: egui::Pos2,
    links: &[(std::ops::Range<usize>, String)],
    color: Color32,
) {
    if links.is_empty() {
        return;
    }
    let text = galley.text();
    // Each char's byte offset, found once (not by a walk from the start per glyph).
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    let in_link = |char_index: usize| {
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
                run = Some(run.map_or((x0, x1, y), |(start, _, y)| (start, x1, y)));
            } else if let Some((start, end, y)) = run.take() {
                painter.hline(start..=end, y, Stroke::new(1.0, color));
            }
        }
        if let Some((start, end, y)) = run {
            painter.hline(start..=end, y, Stroke::new(1.0, color));
        }
        first_char += placed.row.glyphs.len() + usize::from(placed.ends_with_newline);
    }
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
            line_height: Some(size * LINE_HEIGHT),
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

/// An image at reading size with its caption beneath; a card when the bytes are missing.
fn image_ui(
    ui: &mut egui::Ui,
    pane: &mut ReaderPane,
    image: &Image,
    sha: Option<&str>,
    ctx: &BlockCtx<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    match sha.map(|sha| (sha, ctx.textures.get(sha, false))) {
        Some((sha, Some(Some(texture)))) => {
            let size = texture.size_vec2();
            let width = size.x.min(ctx.width);
            let shown = egui::vec2(width, size.y * width / size.x.max(1.0));
            // The caption is its own label below; the image is named by its alt text.
            let alt = image.alt.clone().unwrap_or_else(|| "Image".to_owned());
            let response = ui.add(
                egui::Image::from_texture(texture)
                    .fit_to_exact_size(shown)
                    .alt_text(alt)
                    .sense(Sense::click()),
            );
            if response.on_hover_text("Click to view full size").clicked() {
                actions.push(Action::ZoomImage(sha.to_owned()));
            }
        }
        Some((_, None)) => {
            // Being decoded: the worker wakes the window when it is ready.
            let (rect, _) = ui.allocate_exact_size(egui::vec2(ctx.width, 120.0), Sense::hover());
            ui.painter()
                .rect_filled(rect, 4.0, ui.visuals().faint_bg_color);
        }
        Some((_, Some(None))) | None => {
            if missing_image_ui(ui, image, ctx) {
                actions.push(Action::FetchImages(ctx.article));
            }
        }
    }
    if let Some(caption) = image.caption.as_ref().filter(|c| !c.is_empty()) {
        let size = ctx.size * 0.82;
        let mut job = LayoutJob::single_section(
            caption.clone(),
            TextFormat {
                font_id: FontId::new(size, ctx.family.clone()),
                color: ctx.palette.weak,
                line_height: Some(size * 1.5),
                ..TextFormat::default()
            },
        );
        job.wrap.max_width = ui.available_width();
        actions.extend(text_galley_ui(ui, pane, job, &[], ctx));
    }
    actions
}

/// The card shown for an image the library does not hold; true when the
/// user asks to fetch it.
fn missing_image_ui(ui: &mut egui::Ui, image: &Image, ctx: &BlockCtx<'_>) -> bool {
    let mut fetch = false;
    egui::Frame::group(ui.style())
        .inner_margin(10)
        .show(ui, |ui| {
            ui.set_width(ctx.width - 24.0);
            ui.label(
                RichText::new("Image not stored in the library")
                    .size(ctx.size * 0.8)
                    .strong(),
            );
            if let Some(alt) = image
                .alt
                .as_ref()
                // The caption is shown under the card: the alt text only when it says more.
                .filter(|a| {
                    let bare = |s: &str| s.trim().trim_end_matches(['.', '。']).trim().to_owned();
                    image.caption.as_deref().map(bare) != Some(bare(a))
                })
            {
                ui.label(RichText::new(alt).size(ctx.size * 0.75).weak());
            }
            if image.src.starts_with("http") {
                ui.hyperlink_to(RichText::new(&image.src).size(ctx.size * 0.7), &image.src);
                fetch = ui
                    .button("Fetch image")
                    .on_hover_text("Download the article's missing images from their web addresses")
                    .clicked();
            } else {
                ui.label(RichText::new(&image.src).size(ctx.size * 0.7).weak());
            }
        });
    fetch
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 contrast ratio of two opaque colours.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let luminance = |c: Color32| {
            let lin = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn reader_colours_meet_wcag_contrast_in_both_themes() {
        for dark in [true, false] {
            let visuals = if dark {
                egui::Visuals::dark()
            } else {
                egui::Visuals::light()
            };
            let bg = visuals.panel_fill;
            let p = Palette::new(dark);
            let checks = [
                ("body text", contrast(p.text, bg), 7.0),
                ("headings", contrast(p.strong, bg), 7.0),
                ("code", contrast(p.text, visuals.code_bg_color), 7.0),
                ("links", contrast(p.link, bg), 4.5),
                ("search hits", contrast(p.hit_text, p.hit_bg), 4.5),
                ("selection", contrast(p.selection_text, p.selection_bg), 4.5),
                ("metadata and captions", contrast(p.weak, bg), 4.5),
            ];
            let marks = Colour::ALL.iter().flat_map(|&c| {
                [
                    (c, "body text", contrast(p.text, p.mark(c)), 4.5),
                    (c, "headings", contrast(p.strong, p.mark(c)), 4.5),
                    (c, "links", contrast(p.link, p.mark(c)), 3.0),
                ]
            });
            for (colour, what, ratio, least) in marks {
                assert!(
                    ratio >= least,
                    "{what} on a {colour} highlight in the {} theme: {ratio:.2}:1, wants {least}:1",
                    if dark { "dark" } else { "light" }
                );
            }
            for (what, ratio, least) in checks {
                assert!(
                    ratio >= least,
                    "{what} in the {} theme: {ratio:.2}:1, wants {least}:1",
                    if dark { "dark" } else { "light" }
                );
            }
        }
    }

    /// Characters per full line of `text` laid out at the reader's measure.
    fn chars_per_line(article: &crate::model::Article, text: &str, font: ReaderFont) -> f32 {
        let family = match font {
            ReaderFont::Sans => FontFamily::Proportional,
            ReaderFont::Serif => super::super::fonts::serif(),
        };
        let ctx = egui::Context::default();
        ctx.set_fonts(super::super::fonts::definitions());
        let mut per_line = 0.0;
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            for size in [14.0, 17.0, 24.0] {
                let mut job = LayoutJob::single_section(
                    text.to_owned(),
                    TextFormat::simple(FontId::new(size, family.clone()), Color32::WHITE),
                );
                job.wrap.max_width = measure(article, size, font);
                let galley = ui.fonts_mut(|f| f.layout_job(job));
                let rows = &galley.rows[..galley.rows.len() - 1];
                let chars: usize = rows
                    .iter()
                    .map(|r| usize::from(r.char_count_including_newline()))
                    .sum();
                #[expect(clippy::cast_precision_loss, reason = "small counts")]
                let average = chars as f32 / rows.len() as f32;
                per_line = average;
                eprintln!("{family:?} {size}: {average:.1}");
                let (low, high) = if is_cjk(article) {
                    (30.0, 40.0)
                } else {
                    (65.0, 75.0)
                };
                assert!(
                    (low..=high).contains(&average),
                    "{average:.1} characters a line at {size} pt in {family:?}"
                );
            }
        });
        output.textures_delta.clear();
        per_line
    }

    #[test]
    fn the_measure_is_65_to_75_latin_or_30_to_40_chinese_characters() {
        let latin = "Whale whisperer Hori Parata was just seven years old when he attended his first mass stranding, a beaching of porpoises in New Zealand's Northland, their cries screeching through the air on the deserted stretch of sand. Seven decades later, Parata, 75, has now overseen more than 500 strandings and is renowned in New Zealand as the leading Maori whale expert, called on by tribes around the country for cultural guidance as marine strandings become increasingly complex and fatal.";
        let english = crate::model::Article {
            lang: Some("en".to_owned()),
            ..Default::default()
        };
        chars_per_line(&english, latin, ReaderFont::Sans);
        chars_per_line(&english, latin, ReaderFont::Serif);
        let chinese_text = "近日，小米11系列手机屡次被曝出质量问题，不少用户反映手机出现发热、信号差、主板损坏等问题，而小米公司推出的售后新政也引发了用户的不满。有用户表示，手机在保修期内出现问题，售后却以各种理由拒绝免费维修，要求用户支付高额的维修费用。";
        let chinese = crate::model::Article {
            lang: Some("zh-CN".to_owned()),
            ..Default::default()
        };
        chars_per_line(&chinese, chinese_text, ReaderFont::Sans);
        chars_per_line(&chinese, chinese_text, ReaderFont::Serif);
    }
}

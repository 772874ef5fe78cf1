//! The reader: title, metadata and the body as typeset blocks, with captioned
//! images, working links and search hits highlighted. The reader has no
//! state of its own: it draws a [`ReaderView`] and returns actions.

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontFamily, FontId, RichText, Sense, Stroke};

use super::Action;
use super::state::TextureCache;
use crate::library::StoredArticle;
use crate::model::{Block, Image, Inline, ListItem};

/// The reading column's width at the default text size.
const READING_WIDTH: f32 = 720.0;

/// Draw the reader.
#[must_use]
pub fn reader_ui(ui: &mut egui::Ui, view: &ReaderView<'_>) -> Vec<Action> {
    let mut actions = Vec::new();
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
    egui::ScrollArea::vertical()
        .id_salt(("reader", stored.id.0))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let available = ui.available_width();
            let width = (READING_WIDTH * size / 17.0)
                .min(available - 24.0)
                .max(200.0);
            ui.horizontal(|ui| {
                ui.add_space(((available - width) / 2.0).max(0.0));
                ui.vertical(|ui| {
                    ui.set_width(width);
                    ui.add_space(16.0);
                    header_ui(ui, stored, size);
                    ui.add_space(12.0);
                    let mut images = stored.image_sha256.iter();
                    let ctx = BlockCtx {
                        article: stored.id,
                        size,
                        width,
                        highlights: view.highlights,
                        textures: view.textures,
                    };
                    for block in &stored.article.blocks {
                        actions.extend(block_ui(ui, block, &ctx, &mut images));
                    }
                    ui.add_space(40.0);
                });
            });
        });
    actions
}

/// What the reader shows, read-only.
pub struct ReaderView<'a> {
    /// The open article, if any.
    pub article: Option<&'a StoredArticle>,
    /// Text size in points.
    pub text_size: f32,
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
    highlights: &'a [String],
    textures: &'a TextureCache,
}

fn header_ui(ui: &mut egui::Ui, stored: &crate::library::StoredArticle, size: f32) {
    let article = &stored.article;
    ui.add(egui::Label::new(RichText::new(&article.title).size(size * 1.6).strong()).wrap());
    ui.add_space(6.0);
    let mut meta = Vec::new();
    if let Some(byline) = &article.byline {
        meta.push(byline.clone());
    }
    if let Some(editor) = &article.editor {
        meta.push(format!("Editor: {editor}"));
    }
    if let Some(date) = &article.published {
        meta.push(date.clone());
    }
    if let Some(site) = &article.site {
        meta.push(site.clone());
    }
    if !meta.is_empty() {
        ui.label(RichText::new(meta.join(" · ")).size(size * 0.85).weak());
    }
    if let Some(url) = article
        .url
        .as_deref()
        .and_then(crate::model::links::safe_link)
    {
        ui.hyperlink_to(
            RichText::new(format!("Original: {url}")).size(size * 0.8),
            url,
        );
    }
    if !article.source_tags.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Page tags:").size(size * 0.75).weak());
            for tag in &article.source_tags {
                ui.label(RichText::new(format!("#{tag}")).size(size * 0.75).weak());
            }
        });
    }
    ui.separator();
}

fn block_ui<'a>(
    ui: &mut egui::Ui,
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
            paragraph_ui(ui, inlines, ctx.size * scale, true, ctx.highlights);
            ui.add_space(ctx.size * 0.2);
        }
        Block::Paragraph { inlines } => {
            paragraph_ui(ui, inlines, ctx.size, false, ctx.highlights);
            ui.add_space(ctx.size * 0.7);
        }
        Block::List { ordered, items } => {
            actions.extend(list_ui(ui, *ordered, items, ctx, images));
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
                        actions.extend(block_ui(ui, inner, ctx, images));
                    }
                    let bar = egui::Rect::from_min_max(
                        rect.left_top() - egui::vec2(10.0, 0.0),
                        egui::pos2(rect.left() - 7.0, ui.min_rect().bottom()),
                    );
                    ui.painter()
                        .rect_filled(bar, 1.0, ui.visuals().weak_text_color());
                });
            ui.add_space(ctx.size * 0.5);
        }
        Block::Code { text } => {
            egui::Frame::NONE
                .fill(ui.visuals().code_bg_color)
                .inner_margin(8)
                .corner_radius(4)
                .show(ui, |ui| {
                    ui.add(
                        egui::Label::new(RichText::new(text).monospace().size(ctx.size * 0.85))
                            .wrap(),
                    );
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
                                    ui.label(RichText::new(cell).size(ctx.size * 0.85));
                                }
                                ui.end_row();
                            }
                        });
                });
            ui.add_space(ctx.size * 0.5);
        }
        Block::Image(image) => {
            let sha = images.next().cloned().flatten();
            actions.extend(image_ui(ui, image, sha.as_deref(), ctx));
            ui.add_space(ctx.size * 0.8);
        }
    }
    actions
}

/// A list; an item's child blocks (nested lists, pictures, quotes) are drawn
/// as blocks, so that its pictures take their turn among the article's.
fn list_ui<'a>(
    ui: &mut egui::Ui,
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
            ui.label(RichText::new(marker).size(ctx.size));
            ui.vertical(|ui| {
                if !item.inlines.is_empty() {
                    paragraph_ui(ui, &item.inlines, ctx.size, false, ctx.highlights);
                }
                let inner = BlockCtx {
                    width: ui.available_width(),
                    ..*ctx
                };
                for child in &item.children {
                    actions.extend(block_ui(ui, child, &inner, images));
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

/// A paragraph as one galley (one accessible label), links clickable by position.
fn paragraph_ui(
    ui: &mut egui::Ui,
    inlines: &[Inline],
    size: f32,
    heading: bool,
    highlights: &[String],
) {
    let visuals = ui.visuals().clone();
    let style = RunStyle {
        strong: heading,
        ..RunStyle::default()
    };
    let mut text = ParagraphText {
        job: LayoutJob::default(),
        links: Vec::new(),
        size,
        visuals: &visuals,
        highlights,
    };
    text.layout_inlines(inlines, style, None);
    let ParagraphText { mut job, links, .. } = text;
    job.wrap.max_width = ui.available_width();
    job.halign = egui::Align::LEFT;
    let galley = ui.fonts_mut(|f| f.layout_job(job));
    let (rect, response) = ui.allocate_exact_size(galley.size(), Sense::click());
    let text = galley.text().to_owned();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
    let link_at = |pos: egui::Pos2| -> Option<&String> {
        let cursor = galley.cursor_from_pos(pos - rect.min);
        let byte = char_to_byte(galley.text(), cursor.index.0);
        links
            .iter()
            .find(|(range, _)| range.contains(&byte))
            .map(|(_, href)| href)
    };
    if response
        .hover_pos()
        .is_some_and(|pos| link_at(pos).is_some())
    {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
    }
    if response.clicked()
        && let Some(href) = response
            .interact_pointer_pos()
            .and_then(|p| link_at(p).cloned())
        // Libraries written before links were checked at extraction may hold others.
        && crate::model::links::safe_link(&href).is_some()
    {
        ui.ctx().open_url(egui::OpenUrl::new_tab(href));
    }
    ui.painter().galley(rect.min, galley, visuals.text_color());
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
    visuals: &'a egui::Visuals,
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
        let (size, visuals) = (self.size, self.visuals);
        let mut format = TextFormat {
            font_id: if style.code {
                FontId::new(size * 0.9, FontFamily::Monospace)
            } else {
                FontId::proportional(size)
            },
            color: if style.strong {
                visuals.strong_text_color()
            } else {
                visuals.text_color()
            },
            italics: style.italic,
            line_height: Some(size * 1.6),
            ..TextFormat::default()
        };
        if style.code {
            format.background = visuals.code_bg_color;
        }
        if let Some(href) = link {
            format.color = visuals.hyperlink_color;
            format.underline = Stroke::new(1.0, visuals.hyperlink_color);
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
            hit.background = Color32::from_rgba_unmultiplied(255, 210, 0, 110);
            self.job.append(&text[start..end], 0.0, hit);
            at = end;
        }
        self.job.append(&text[at..], 0.0, format);
    }
}

/// An image at reading size with its caption beneath; a card when the bytes are missing.
fn image_ui(
    ui: &mut egui::Ui,
    image: &Image,
    sha: Option<&str>,
    ctx: &BlockCtx<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let caption = image
        .caption
        .clone()
        .or_else(|| image.alt.clone())
        .unwrap_or_default();
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
    if !caption.is_empty() && image.caption.is_some() {
        ui.add(egui::Label::new(RichText::new(&caption).size(ctx.size * 0.82).weak()).wrap());
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
                .filter(|a| Some(*a) != image.caption.as_ref())
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

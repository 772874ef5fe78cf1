//! The article's blocks as the reader draws them: the header (title,
//! metadata, the original's link), headings, paragraphs, lists, quotes,
//! code, tables, and images with their captions (a card when the bytes are
//! missing).

use egui::text::{LayoutJob, TextFormat};
use egui::{FontFamily, FontId, RichText, Sense, Stroke};

use super::galley::{BlockCtx, RunStyle, TextState, paragraph_ui, text_galley_ui};
use crate::app::action::Action;
use crate::app::palette::Palette;
use crate::model::{Block, Image, ListItem};

/// The article's title, byline, date, site, the original's link, "View as
/// saved" (the copy `showing`, or the one shown by default) and the page's
/// own tags.
pub(super) fn header_ui(
    ui: &mut egui::Ui,
    stored: &crate::library::StoredArticle,
    showing: Option<usize>,
    size: f32,
    family: &FontFamily,
    palette: &Palette,
) -> Option<Action> {
    let mut action = None;
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
    ui.horizontal_wrapped(|ui| {
        let saved = ui
            .button(RichText::new("View as saved").size(size * 0.8))
            .on_hover_text(
                "The page as it was saved — its layout, styles and images — in your browser, \
                 served from the library on this computer only. No script runs and nothing \
                 loads from the web.",
            );
        if saved.clicked() {
            action = Some(Action::ViewAsSaved {
                id: stored.id,
                version: showing,
            });
        }
        if let Some(url) = article
            .url
            .as_deref()
            .and_then(crate::model::links::safe_link)
        {
            ui.hyperlink_to(
                RichText::new(format!("Live page: {url}"))
                    .size(size * 0.8)
                    .color(palette.link),
                url,
            )
            .on_hover_text("The address on the web today: it may have changed or gone.");
        }
    });
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
    action
}

/// The versions of the open article, for the reader's banner.
pub struct VersionsView<'a> {
    /// Every version, oldest first.
    pub list: &'a [crate::library::VersionInfo],
    /// The version shown, when it is not the copy shown by default.
    pub showing: Option<usize>,
}

/// What the latest version changed, in words: "the latest removed 2
/// paragraphs and edited 1".
fn latest_change(last: &crate::library::VersionInfo) -> String {
    let mut parts = Vec::new();
    for (n, verb) in [
        (last.inserted, "added"),
        (last.deleted, "removed"),
        (last.changed, "edited"),
    ] {
        if n > 0 {
            parts.push(format!("{verb} {n}"));
        }
    }
    match parts.len() {
        0 => "the latest has the same paragraphs".to_owned(),
        1 => format!(
            "the latest {} paragraph{}",
            parts[0],
            if last.inserted + last.deleted + last.changed == 1 {
                ""
            } else {
                "s"
            }
        ),
        _ => {
            let tail = parts.pop().unwrap_or_default();
            format!("the latest {} and {tail} paragraphs", parts.join(", "))
        }
    }
}

/// The banner of an article with several versions: how many, when they
/// were stored, what the latest changed; which one the reader shows (a
/// picker) and the compare window's button.
pub(super) fn versions_ui(
    ui: &mut egui::Ui,
    id: crate::library::ArticleId,
    versions: &VersionsView<'_>,
    size: f32,
    palette: &Palette,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let list = versions.list;
    let (Some(first), Some(last)) = (list.first(), list.last()) else {
        return actions;
    };
    let default = list
        .iter()
        .find(|v| v.shown)
        .map_or(last.number, |v| v.number);
    let showing = versions.showing.unwrap_or(default);
    let day = |v: &crate::library::VersionInfo| {
        v.imported_at.get(..10).unwrap_or(&v.imported_at).to_owned()
    };
    egui::Frame::group(ui.style())
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "{} versions, stored {}; {}.",
                    list.len(),
                    if day(first) == day(last) {
                        format!("on {}", day(first))
                    } else {
                        format!("{} … {}", day(first), day(last))
                    },
                    latest_change(last)
                ))
                .size(size * 0.85)
                .color(palette.text),
            );
            ui.horizontal_wrapped(|ui| {
                let name = |v: &crate::library::VersionInfo| {
                    format!(
                        "version {} · {} · {}{}",
                        v.number,
                        day(v),
                        v.source_file,
                        if v.shown { " (shown by default)" } else { "" }
                    )
                };
                let mut chosen = showing;
                egui::ComboBox::new(("reader-version", id.0), "Version shown")
                    .selected_text(
                        list.iter()
                            .find(|v| v.number == showing)
                            .map_or_else(|| format!("version {showing}"), name),
                    )
                    .show_ui(ui, |ui| {
                        for v in list {
                            ui.selectable_value(&mut chosen, v.number, name(v));
                        }
                    });
                if chosen != showing {
                    actions.push(Action::ShowVersion { id, number: chosen });
                }
                if ui
                    .button("View this version as saved")
                    .on_hover_text("This copy's own saved file, in your browser.")
                    .clicked()
                {
                    actions.push(Action::ViewAsSaved {
                        id,
                        version: Some(showing),
                    });
                }
                if ui.button("Compare versions…").clicked() {
                    let (old, new) = if showing == last.number {
                        (last.number.saturating_sub(1).max(1), last.number)
                    } else {
                        (showing, last.number)
                    };
                    actions.push(Action::CompareVersions { id, old, new });
                }
            });
            if showing != default {
                ui.label(
                    RichText::new(format!(
                        "This is version {showing}, not the copy shown by default; highlights \
                         appear where their passage is in it."
                    ))
                    .size(size * 0.8)
                    .color(palette.weak),
                );
            }
        });
    actions
}

/// How many text blocks (numbered galleys, `selection::text_blocks`'s
/// order) and images `block` draws, and its characters: what the reader
/// skips when it does not draw a block out of view.
pub(super) fn counts(block: &Block) -> (usize, usize, usize) {
    match block {
        Block::Heading { .. } | Block::Paragraph { .. } | Block::Code { .. } => {
            (1, 0, block.text().len())
        }
        Block::List { items, .. } => items.iter().fold((0, 0, 0), |(t, i, c), item| {
            let own = usize::from(!item.inlines.is_empty());
            let (ct, ci, cc) = item
                .children
                .iter()
                .map(counts)
                .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
            (t + own + ct, i + ci, c + cc + item.text().len())
        }),
        Block::Quote { blocks } => blocks
            .iter()
            .map(counts)
            .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2)),
        Block::Table { rows } => (0, 0, rows.iter().flatten().map(String::len).sum()),
        Block::Image(image) => (
            usize::from(image.caption.as_ref().is_some_and(|c| !c.is_empty())),
            1,
            0,
        ),
    }
}

/// A heading's text size as a multiple of the body's, by its level.
pub(super) fn heading_scale(level: u8) -> f32 {
    match level {
        1 => 1.45,
        2 => 1.3,
        3 => 1.15,
        _ => 1.05,
    }
}

/// One block of the article (a quote's or a list item's blocks in turn).
pub(super) fn block_ui<'a>(
    ui: &mut egui::Ui,
    state: &mut TextState,
    block: &Block,
    ctx: &BlockCtx<'_>,
    images: &mut impl Iterator<Item = &'a Option<String>>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    match block {
        Block::Heading { level, inlines } => {
            ui.add_space(ctx.size * 0.6);
            let scale = heading_scale(*level);
            let style = RunStyle {
                strong: true,
                ..RunStyle::default()
            };
            actions.extend(paragraph_ui(
                ui,
                state,
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
                state,
                inlines,
                ctx,
                ctx.size,
                RunStyle::default(),
            ));
            ui.add_space(ctx.size * 0.7);
        }
        Block::List { ordered, items } => {
            actions.extend(list_ui(ui, state, *ordered, items, ctx, images));
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
                        actions.extend(block_ui(ui, state, inner, ctx, images));
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
                    actions.extend(text_galley_ui(ui, state, job, &[], ctx));
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
            actions.extend(image_ui(ui, state, image, sha.as_deref(), ctx));
            ui.add_space(ctx.size * 0.8);
        }
    }
    actions
}

/// A list; an item's child blocks (nested lists, pictures, quotes) are drawn
/// as blocks, so that its pictures take their turn among the article's.
fn list_ui<'a>(
    ui: &mut egui::Ui,
    state: &mut TextState,
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
                    .line_height(Some(ctx.size * ctx.line_height))
                    .color(ctx.palette.text),
            );
            ui.vertical(|ui| {
                if !item.inlines.is_empty() {
                    actions.extend(paragraph_ui(
                        ui,
                        state,
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
                    actions.extend(block_ui(ui, state, child, &inner, images));
                }
            });
        });
    }
    actions
}

/// An image at reading size with its caption beneath; a card when the bytes are missing.
fn image_ui(
    ui: &mut egui::Ui,
    state: &mut TextState,
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
                // A little tighter than the text's.
                line_height: Some(size * (ctx.line_height - 0.1)),
                ..TextFormat::default()
            },
        );
        job.wrap.max_width = ui.available_width();
        actions.extend(text_galley_ui(ui, state, job, &[], ctx));
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

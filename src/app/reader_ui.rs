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

mod blocks;
mod find;
mod galley;
mod measure;
mod outline;
mod spacing;
mod toolbar;
mod typeset;

pub use blocks::VersionsView;

use egui::{FontFamily, RichText};

use super::action::{Action, Scroll};
use super::palette::Palette;
use super::selection::{Selection, TextMap};
use super::state::{ReaderFont, TextureCache};
use crate::library::{ArticleId, Colour, HighlightId, StoredArticle};
use galley::{BlockCtx, Mark, TextState};
use measure::{is_cjk, measure_for};

/// The reader pane's own state.
#[derive(Default)]
pub struct ReaderPane {
    /// The article the selection and scroll position belong to.
    article: Option<ArticleId>,
    /// The text as drawn: selection, drag, marks, a block to scroll to.
    text: TextState,
    /// A scroll asked for by a key, done in the next frame.
    scroll: Option<Scroll>,
    /// The scroll area as last drawn: offset, viewport and content height.
    offset: f32,
    viewport: f32,
    content: f32,
    /// What the marks were computed from (the body's hash and the
    /// highlights' places).
    marks_key: Option<(String, Vec<MarkKey>)>,
    /// Whether the article shown is mostly CJK, by its content hash
    /// (worked out once, not every frame).
    cjk: Option<(String, bool)>,
    /// Scroll to this reading position (a fraction of the scroll range) once
    /// the article is laid out: where the user left it last time.
    restore: Option<(ArticleId, f64)>,
    /// The find bar.
    find: find::Find,
    /// The library search's matches in the article (n / N).
    search: find::Hits,
    /// The find marks must be worked out again (matches or the current
    /// one changed).
    found_dirty: bool,
    /// The last press of the pointer was in the reader: Ctrl+F finds in
    /// the article (else it goes to the library's search).
    focused: bool,
    /// The outline is shown.
    outline_open: bool,
    /// The outline, by the body's hash (worked out when first shown).
    outline: Option<(String, Vec<outline::Entry>)>,
    /// A long article's blocks as last drawn, to skip those out of view.
    heights: Heights,
}

/// Above this many bytes of text an article's blocks out of view are not
/// laid out each frame: their height as last drawn is kept instead.
const SKIP_ABOVE_BYTES: usize = 50_000;

/// Each top-level block's height as last drawn (`None` until drawn), what
/// it holds (text blocks, images), and what they were measured at: the
/// body's hash, the column's width and the text size.
#[derive(Default)]
struct Heights {
    key: Option<(String, u32, u32)>,
    heights: Vec<Option<f32>>,
    counts: Vec<(usize, usize)>,
    long: bool,
}

impl Heights {
    fn update(&mut self, stored: &StoredArticle, width: f32, size: f32, font: ReaderFont) {
        let key = (
            format!("{}{font:?}", stored.content_hash),
            width.to_bits(),
            size.to_bits(),
        );
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let counts: Vec<_> = stored.article.blocks.iter().map(blocks::counts).collect();
        self.long = counts.iter().map(|c| c.2).sum::<usize>() > SKIP_ABOVE_BYTES;
        self.counts = counts.iter().map(|c| (c.0, c.1)).collect();
        self.heights = vec![None; counts.len()];
        self.key = Some(key);
    }
}

/// What a highlight's marks are computed from: id, canonical start and end, colour.
type MarkKey = (HighlightId, usize, usize, Colour);

impl ReaderPane {
    /// Where highlight `id` starts on screen, when it was drawn in view
    /// this frame.
    pub fn highlight_rect(&self, id: HighlightId) -> Option<egui::Rect> {
        self.text
            .mark_rects
            .iter()
            .find(|(mark, _)| *mark == id)
            .map(|(_, rect)| *rect)
    }

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
        self.text.marks = marks;
        self.marks_key = Some((stored.content_hash.clone(), key));
    }
}

impl ReaderPane {
    /// The reader's text selection, if it holds text.
    pub fn selection(&self) -> Option<Selection> {
        self.text.selection.filter(|s| !s.is_empty())
    }

    /// Drop the text selection.
    pub fn clear_selection(&mut self) {
        self.text.selection = None;
    }

    /// Select the whole of `article`.
    pub fn select_all(&mut self, article: &crate::model::Article) {
        self.text.selection = super::selection::select_all(&super::selection::text_blocks(article));
    }

    /// Scroll as a key asks, in the next frame.
    pub fn scroll(&mut self, scroll: Scroll) {
        self.scroll = Some(scroll);
    }

    /// Scroll the text block `block` into view when it is drawn.
    pub fn scroll_to_block(&mut self, block: usize) {
        self.text.scroll_to_block = Some(block);
    }

    /// Go back to reading position `at` (a fraction of the scroll range) of
    /// article `id` once it is laid out.
    pub fn restore(&mut self, id: ArticleId, at: f64) {
        self.restore = Some((id, at));
    }

    /// Forget the selection and the scroll position when `id` is not the
    /// article they belong to (the find bar stays open with its text, and
    /// the outline too).
    pub fn show_article(&mut self, id: Option<ArticleId>) {
        if self.article != id {
            let restore = self.restore.take().filter(|(a, _)| Some(*a) == id);
            let find = find::Find {
                open: self.find.open,
                text: std::mem::take(&mut self.find.text),
                ..find::Find::default()
            };
            *self = Self {
                article: id,
                restore,
                find,
                focused: self.focused,
                outline_open: self.outline_open,
                found_dirty: true,
                ..Self::default()
            };
        }
    }

    /// The last press of the pointer was in the reader.
    pub fn has_focus(&self) -> bool {
        self.focused
    }

    /// Open the find bar with the keyboard in its field.
    pub fn open_find(&mut self) {
        self.find.open = true;
        self.find.focus = true;
        self.focused = true;
        self.found_dirty = true;
    }

    /// Close the find bar (its marks go).
    pub fn close_find(&mut self) {
        self.find.open = false;
        self.found_dirty = true;
    }

    /// What the find bar looks for, when it is open and something is typed.
    pub fn find_pattern(&self) -> Option<crate::library::FindPattern> {
        self.find.pattern()
    }

    /// The find bar is open.
    pub fn find_open(&self) -> bool {
        self.find.open
    }

    /// Step the find bar's matches by `by` and scroll to the match.
    pub fn find_step(&mut self, by: i32) {
        let from = self.text.first_visible.unwrap_or(0);
        match self.find.hits.step(by, from) {
            Some(find::Stepped::Article(hit)) => {
                self.text.scroll_to_char = Some((hit.block, hit.range.start));
            }
            // The inspector shows it in the note.
            Some(find::Stepped::Extra(_)) => self.find.scroll_note = true,
            None => {}
        }
        self.found_dirty = true;
    }

    /// The find bar's current match, when it is the note's: its number
    /// among the note's matches.
    pub fn find_note_match(&self) -> Option<usize> {
        if self.find.open {
            self.find.hits.current_extra()
        } else {
            None
        }
    }

    /// Find has stepped into the note and the inspector is yet to show it.
    pub fn note_scroll_pending(&self) -> bool {
        self.find.scroll_note
    }

    /// Whether the inspector is to scroll its note to the current match
    /// (once: asking clears it).
    pub fn take_note_scroll(&mut self) -> bool {
        std::mem::take(&mut self.find.scroll_note)
    }

    /// Move the paragraph focus (j / k) by `by` text blocks, from the first
    /// block in view when none has it; the view follows.
    pub fn focus_paragraph(&mut self, article: &crate::model::Article, by: i32) {
        let blocks = super::selection::text_blocks(article).len();
        if blocks == 0 {
            return;
        }
        let next = match self.text.focus_block {
            Some(at) => at.saturating_add_signed(by as isize).min(blocks - 1),
            None => self.text.first_visible.unwrap_or(0).min(blocks - 1),
        };
        self.text.focus_block = Some(next);
        self.text.scroll_to_focus = true;
        self.focused = true;
    }

    /// The text block j / k focused.
    pub fn focused_paragraph(&self) -> Option<usize> {
        self.text.focus_block
    }

    /// Select the whole of the focused text block (for H); false when no
    /// block has the focus.
    pub fn select_focused(&mut self, article: &crate::model::Article) -> bool {
        let Some(block) = self.text.focus_block else {
            return false;
        };
        let blocks = super::selection::text_blocks(article);
        let Some(text) = blocks.get(block) else {
            return false;
        };
        self.text.selection = Some(Selection {
            anchor: super::selection::TextPos { block, offset: 0 },
            focus: super::selection::TextPos {
                block,
                offset: text.chars().count(),
            },
        });
        true
    }

    /// The library search has matches in the article.
    pub fn has_search_matches(&self) -> bool {
        !self.search.list.is_empty()
    }

    /// Step the library search's matches by `by` and scroll to the match.
    pub fn search_step(&mut self, by: i32) {
        let from = self.text.first_visible.unwrap_or(0);
        if let Some(find::Stepped::Article(hit)) = self.search.step(by, from) {
            self.text.scroll_to_char = Some((hit.block, hit.range.start));
            self.found_dirty = true;
        }
    }

    /// The find marks of each text block, from the matches and the current ones.
    fn rebuild_found(&mut self) {
        let mut found: Vec<Vec<(std::ops::Range<usize>, bool)>> = Vec::new();
        let mut put = |hit: &find::Hit, current: bool| {
            if found.len() <= hit.block {
                found.resize(hit.block + 1, Vec::new());
            }
            found[hit.block].push((hit.range.clone(), current));
        };
        if self.find.open {
            for (i, hit) in self.find.hits.list.iter().enumerate() {
                put(hit, self.find.hits.current == Some(i));
            }
        }
        if let Some(hit) = self.search.current.and_then(|i| self.search.list.get(i)) {
            put(hit, true);
        }
        self.text.found = found;
        self.found_dirty = false;
    }

    /// How much of the article is read: the reading position as the list
    /// shows it (the fraction of the scroll range above the view), all of it
    /// when it fits the view (`None` before it is laid out).
    fn progress(&self) -> Option<f32> {
        if self.content <= 0.0 {
            None
        } else if self.content <= self.viewport + 1.0 {
            Some(1.0)
        } else {
            Some((self.offset / (self.content - self.viewport)).clamp(0.0, 1.0))
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

/// Draw the reader.
#[must_use]
/// Above a trashed article (previewed from the trash): it is in the trash,
/// read only, with Restore.
fn trashed_banner_ui(ui: &mut egui::Ui, id: crate::library::ArticleId) -> Vec<Action> {
    let mut actions = Vec::new();
    egui::Frame::group(ui.style())
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("In the trash").strong());
                ui.label("— read only until it is restored.");
                if ui.button("Restore").clicked() {
                    actions.push(Action::RestoreMany(vec![id]));
                }
            });
        });
    ui.add_space(8.0);
    actions
}

pub fn reader_ui(ui: &mut egui::Ui, pane: &mut ReaderPane, view: &ReaderView<'_>) -> Vec<Action> {
    let mut actions = Vec::new();
    pane.show_article(view.article.map(|a| a.id));
    let area_rect = ui.max_rect();
    // Where the press was (not `press_origin`: a press and its release in
    // one frame, as a quick click may come, leave that empty).
    if let Some(origin) = ui.input(|i| {
        i.pointer
            .any_pressed()
            .then(|| i.pointer.interact_pos())
            .flatten()
    }) {
        pane.focused = area_rect.contains(origin);
    }
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
        ReaderFont::Serif => super::fonts::serif_for(stored.article.lang.as_deref()),
    };
    let searching = !view.highlights.is_empty();
    let terms = view.highlights.join("\u{1f}");
    pane.found_dirty |= pane.search.update(stored, &terms, |text| {
        crate::library::find_highlights(text, view.highlights)
    });
    let clicks = toolbar::toolbar_ui(
        ui,
        &pane.search,
        searching,
        pane.outline_open,
        pane.progress(),
        &palette,
    );
    if clicks.find {
        pane.open_find();
    }
    if clicks.search_step != 0 {
        pane.search_step(clicks.search_step);
    }
    if clicks.outline {
        pane.outline_open = !pane.outline_open;
    }
    if pane.find.open {
        match find::find_bar_ui(ui, &mut pane.find, &palette) {
            find::FindStep::Step(by) => pane.find_step(by),
            find::FindStep::Close => pane.close_find(),
            find::FindStep::None => {}
        }
    }
    // The note as the inspector holds it: what find counts is what it marks.
    let note = view.note.or(stored.note.as_deref()).unwrap_or_default();
    if pane.find.update(stored, note) {
        pane.found_dirty = true;
        // As the user types, the first match from the view on is current.
        pane.find_step(0);
    }
    if pane.found_dirty {
        pane.rebuild_found();
    }
    if pane.outline_open {
        let cjk = pane.is_cjk(stored);
        if pane
            .outline
            .as_ref()
            .is_none_or(|(hash, _)| *hash != stored.content_hash)
        {
            let entries = outline::outline(&stored.article, cjk);
            pane.outline = Some((stored.content_hash.clone(), entries));
        }
        let entries = pane.outline.as_ref().map_or(&[][..], |(_, e)| e.as_slice());
        // At the end the last headings cannot reach the top: the last one in view is current.
        let top = if pane.at_end() {
            pane.text.last_visible
        } else {
            pane.text.first_visible
        };
        let current = outline::current(entries, top);
        let clicked = egui::Panel::left("reader-outline")
            .resizable(true)
            .default_size(220.0)
            .min_size(140.0)
            .show(ui, |ui| outline::outline_ui(ui, entries, current, &palette))
            .inner;
        if let Some(block) = clicked {
            pane.text.scroll_to_block = Some(block);
        }
    }
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
    pane.text.next_block = 0;
    pane.text.first_visible = None;
    pane.text.last_visible = None;
    pane.text.mark_rects.clear();
    pane.update_marks(stored);
    let cjk = pane.is_cjk(stored);
    let output = area.show(ui, |ui| {
        let available = ui.available_width();
        let width = (measure_for(cjk, size, view.font) * view.column)
            .min(available - 24.0)
            .max(200.0);
        ui.horizontal(|ui| {
            ui.add_space(((available - width) / 2.0).max(0.0));
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.add_space(16.0);
                if stored.deleted_at.is_some() {
                    actions.extend(trashed_banner_ui(ui, stored.id));
                }
                let showing = view.versions.as_ref().and_then(|v| v.showing);
                actions.extend(blocks::header_ui(
                    ui, stored, showing, size, &family, &palette,
                ));
                if let Some(versions) = &view.versions {
                    actions.extend(blocks::versions_ui(ui, stored.id, versions, size, &palette));
                }
                ui.add_space(12.0);
                let mut images = stored.image_sha256.iter();
                let ctx = BlockCtx {
                    article: stored.id,
                    size,
                    line_height: view.line_height,
                    width,
                    family: &family,
                    palette,
                    highlights: view.highlights,
                    textures: view.textures,
                    traditional: (stored.article.lang.as_deref())
                        .is_some_and(super::fonts::is_traditional),
                };
                pane.heights
                    .update(stored, width, size * view.line_height, view.font);
                let clip = ui.clip_rect().expand(200.0);
                let spacing = ui.spacing().item_spacing.y;
                for (i, block) in stored.article.blocks.iter().enumerate() {
                    let top = ui.cursor().top();
                    let (texts, imgs) = pane.heights.counts.get(i).copied().unwrap_or((0, 0));
                    let range = pane.text.next_block..pane.text.next_block + texts;
                    let wanted = pane
                        .text
                        .scroll_to_block
                        .is_some_and(|b| range.contains(&b))
                        || pane
                            .text
                            .scroll_to_char
                            .is_some_and(|(b, _)| range.contains(&b))
                        || (pane.text.scroll_to_focus
                            && pane.text.focus_block.is_some_and(|b| range.contains(&b)));
                    // A long article's block out of view: its place, not its text.
                    if pane.heights.long
                        && !wanted
                        && let Some(height) = pane.heights.heights.get(i).copied().flatten()
                        && (top + height < clip.top() || top > clip.bottom())
                    {
                        ui.allocate_space(egui::vec2(width, height));
                        pane.text.next_block += texts;
                        for _ in 0..imgs {
                            images.next();
                        }
                        continue;
                    }
                    actions.extend(blocks::block_ui(
                        ui,
                        &mut pane.text,
                        block,
                        &ctx,
                        &mut images,
                    ));
                    if let Some(h) = pane.heights.heights.get_mut(i) {
                        *h = Some((ui.cursor().top() - top - spacing).max(0.0));
                    }
                }
                ui.add_space(40.0);
            });
        });
    });
    pane.offset = output.state.clamped_offset().y;
    pane.viewport = output.inner_rect.height();
    pane.content = output.content_size.y;
    if pane.text.dragging && !ui.input(|i| i.pointer.primary_down()) {
        pane.text.dragging = false;
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
    /// The column's width as a share of the measure.
    pub column: f32,
    /// The line height as a multiple of the text size.
    pub line_height: f32,
    /// The open article's note as it stands in the inspector's editor
    /// (typed since it was opened), when the editor holds it.
    pub note: Option<&'a str>,
    /// Words of the search to highlight.
    pub highlights: &'a [String],
    /// The article's images.
    pub textures: &'a TextureCache,
    /// The library is empty (not merely filtered): show the welcome text.
    pub empty_library: bool,
    /// The open article's versions, when it has several.
    pub versions: Option<VersionsView<'a>>,
}

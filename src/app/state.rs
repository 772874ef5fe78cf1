//! The state the panes share and only read: what is persisted between runs,
//! the article list as fetched so far, and the decoded images. Only the frame
//! loop (`app::apply`) changes it, from actions and worker events.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::jobs::PAGE_ROWS;
use crate::library::{ArticleId, ArticleSummary, SortBy, SortOrder, TagCount, TagNode};

/// Most decoded images kept as textures (reader images and thumbnails).
const MAX_TEXTURES: usize = 256;

/// The state that we persist between runs.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Persisted {
    /// Reader text size in points.
    pub text_size: f32,
    /// List order (relevance: best match first while the query has words,
    /// else newest first).
    pub order: SortOrder,
    /// The article open when the window closed.
    pub last_article: Option<i64>,
    /// The library `last_article` belongs to (ids mean nothing in another).
    pub last_library: Option<std::path::PathBuf>,
    /// The reader's typeface.
    pub reader_font: ReaderFont,
    /// The reading column's width.
    pub column: ColumnWidth,
    /// The reader's line spacing.
    pub line_spacing: LineSpacing,
    /// The library pane (list, search, tags) is shown.
    pub show_library: bool,
    /// The inspector pane (tags, note) is shown.
    pub show_inspector: bool,
}

impl Persisted {
    /// The article to open at start on `library`: the last one open, when it
    /// was open in this same library (an id of another library means nothing
    /// here, or a different article).
    pub fn article_to_reopen(&self, library: &std::path::Path) -> Option<ArticleId> {
        let id = self.last_article?;
        (self.last_library.as_deref() == Some(library)).then_some(ArticleId(id))
    }
}

/// The reader's typeface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReaderFont {
    /// Ubuntu (egui's own sans-serif).
    #[default]
    Sans,
    /// Liberation Serif (bundled).
    Serif,
}

/// The reading column's width, a share of the measure (about 70 Latin or
/// 35 Chinese characters a line at Medium).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ColumnWidth {
    /// About 60 Latin or 30 Chinese characters a line.
    Narrow,
    /// The measure.
    #[default]
    Medium,
    /// About 85 Latin or 42 Chinese characters a line.
    Wide,
}

impl ColumnWidth {
    /// Every width, narrowest first, with the View menu's name.
    pub const ALL: [(Self, &'static str); 3] = [
        (Self::Narrow, "Narrow column"),
        (Self::Medium, "Medium column"),
        (Self::Wide, "Wide column"),
    ];

    /// The measure multiplied by this.
    #[must_use]
    pub fn factor(self) -> f32 {
        match self {
            Self::Narrow => 0.85,
            Self::Medium => 1.0,
            Self::Wide => 1.2,
        }
    }
}

/// The reader's line spacing: the line height as a multiple of the text
/// size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LineSpacing {
    /// 1.4: more lines on the screen.
    Compact,
    /// 1.6: the default, for Latin and Chinese alike.
    #[default]
    Normal,
    /// 1.9: Chinese set loosely, as many Chinese readers prefer.
    Relaxed,
}

impl LineSpacing {
    /// Every spacing, tightest first, with the View menu's name.
    pub const ALL: [(Self, &'static str); 3] = [
        (Self::Compact, "Compact lines"),
        (Self::Normal, "Normal lines"),
        (Self::Relaxed, "Relaxed lines"),
    ];

    /// The line height as a multiple of the text size.
    #[must_use]
    pub fn factor(self) -> f32 {
        match self {
            Self::Compact => 1.4,
            Self::Normal => 1.6,
            Self::Relaxed => 1.9,
        }
    }
}

/// A pane beside the reader that can be hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    /// The library pane on the left.
    Library,
    /// The inspector pane on the right.
    Inspector,
}

impl Default for Persisted {
    fn default() -> Self {
        Self {
            text_size: 17.0,
            order: SortOrder::new(SortBy::Relevance),
            last_article: None,
            last_library: None,
            reader_font: ReaderFont::Sans,
            column: ColumnWidth::Medium,
            line_spacing: LineSpacing::Normal,
            show_library: true,
            show_inspector: true,
        }
    }
}

/// One row of the list, as fetched.
pub use crate::jobs::ListRow as Row;

/// The article list: which query, how many rows, which pages are here.
#[derive(Default)]
pub struct ListState {
    /// Bumped for every new query; stale answers are dropped.
    pub generation: u64,
    /// The query the list shows (search words plus tag filters).
    pub query: String,
    /// Total matching rows, once counted.
    pub total: Option<usize>,
    /// Pages fetched so far.
    pub pages: HashMap<usize, Vec<Row>>,
    /// Pages asked for and not yet here.
    pub requested: HashSet<usize>,
}

impl ListState {
    /// The row at `index`, if its page is here.
    pub fn row(&self, index: usize) -> Option<&Row> {
        self.pages.get(&(index / PAGE_ROWS))?.get(index % PAGE_ROWS)
    }

    /// The rows here carry search snippets (the query has text).
    pub fn shows_snippets(&self) -> bool {
        self.pages
            .values()
            .any(|rows| rows.iter().any(|r| r.snippet.is_some()))
    }

    /// Where article `id` stands in the list, if its page is here (pages
    /// arrive as the list scrolls, so they need not be contiguous).
    pub fn index_of(&self, id: ArticleId) -> Option<usize> {
        self.pages.iter().find_map(|(page, rows)| {
            let i = rows.iter().position(|r| r.summary.id == id)?;
            Some(page * PAGE_ROWS + i)
        })
    }
}

/// The highlights view's list: every id of the query's highlights in
/// order (small: an id each), and the pages of rows fetched so far.
#[derive(Default)]
pub struct HighlightList {
    /// Bumped for every new query or order; stale answers are dropped.
    pub generation: u64,
    /// The query the list shows (the library pane's).
    pub query: String,
    /// The order.
    pub order: crate::library::HighlightOrder,
    /// Every highlight's id in order, once the worker answered.
    pub ids: Option<Vec<crate::library::HighlightId>>,
    /// The generation `ids` belong to (pages are asked for only of the
    /// current one).
    pub loaded: u64,
    /// Pages fetched so far.
    pub pages: HashMap<usize, Vec<crate::library::HighlightEntry>>,
    /// Pages asked for and not yet here.
    pub requested: HashSet<usize>,
}

impl HighlightList {
    /// How many highlights the list holds, once known.
    pub fn total(&self) -> Option<usize> {
        self.ids.as_ref().map(Vec::len)
    }

    /// The row at `index`, if its page is here.
    pub fn row(&self, index: usize) -> Option<&crate::library::HighlightEntry> {
        self.pages.get(&(index / PAGE_ROWS))?.get(index % PAGE_ROWS)
    }

    /// The ids of page `page` (empty past the end or before the list).
    pub fn page_ids(&self, page: usize) -> Vec<crate::library::HighlightId> {
        let ids = self.ids.as_deref().unwrap_or_default();
        let start = (page * PAGE_ROWS).min(ids.len());
        ids[start..(start + PAGE_ROWS).min(ids.len())].to_vec()
    }
}

/// The tags as a flat list (every tag that exists, with its own count and
/// the colour it shows): what the inspector, the row chips and the row
/// menu use.
pub fn flat_tags(tree: &[TagNode]) -> Vec<TagCount> {
    tree.iter()
        .filter(|n| n.exists)
        .map(|n| TagCount {
            name: n.name.clone(),
            count: n.count,
            colour: n.colour.clone(),
        })
        .collect()
}

/// A long task under way (export, merge, image fetch), for the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct RunningTask {
    /// Which task.
    pub task: crate::jobs::Task,
    /// What the bar says it does ("Exporting").
    pub label: String,
    /// Items done.
    pub done: usize,
    /// Items in all (0 until the task reports).
    pub total: usize,
}

/// What the status bar shows besides the last message.
pub struct StatusView<'a> {
    /// Live articles in the library, once counted.
    pub library: Option<usize>,
    /// Articles the list shows, once counted.
    pub shown: Option<usize>,
    /// Rows selected for bulk work.
    pub selected: usize,
    /// Long tasks under way besides an import.
    pub tasks: &'a [RunningTask],
}

impl StatusView<'_> {
    /// "120 in the library · 14 shown · 3 selected" (parts not known yet left out).
    pub fn counts(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.library {
            parts.push(format!("{n} in the library"));
        }
        if let Some(n) = self.shown {
            parts.push(format!("{n} shown"));
        }
        parts.push(format!("{} selected", self.selected));
        parts.join(" · ")
    }
}

/// The trash as fetched for the library pane's trash view.
#[derive(Default)]
pub struct TrashList {
    /// The trashed articles fetched so far, most recently trashed first.
    pub rows: Vec<ArticleSummary>,
    /// The first page has arrived.
    pub loaded: bool,
    /// Every trashed article is in `rows`.
    pub complete: bool,
}

/// An image as the cache knows it: its sha256, and whether the small version.
type ImageKey = (String, bool);

/// Decoded images as textures, bounded in number. Panes only look images up
/// (`get`); what they asked for and is not here is recorded, and the frame
/// loop turns it into `LoadImage` commands at the end of the frame
/// ([`TextureCache::take_missing`]).
#[derive(Default)]
pub struct TextureCache {
    textures: HashMap<ImageKey, Option<egui::TextureHandle>>,
    order: Vec<ImageKey>,
    /// Asked of the worker, not yet answered.
    requested: HashSet<ImageKey>,
    /// Looked up this frame, neither here nor asked for yet.
    missing: RefCell<BTreeSet<ImageKey>>,
}

impl TextureCache {
    /// The texture for an image; `None` while it is not decoded yet (it is
    /// then recorded as missing), `Some(None)` when it could not be decoded.
    pub fn get(&self, sha256: &str, thumbnail: bool) -> Option<Option<&egui::TextureHandle>> {
        let key = (sha256.to_owned(), thumbnail);
        match self.textures.get(&key) {
            Some(texture) => Some(texture.as_ref()),
            None => {
                if !self.requested.contains(&key) {
                    self.missing.borrow_mut().insert(key);
                }
                None
            }
        }
    }

    /// The images looked up and missing since the last call, now counted as
    /// asked for (the caller sends one `LoadImage` for each).
    pub fn take_missing(&mut self) -> Vec<ImageKey> {
        let missing = std::mem::take(self.missing.get_mut());
        self.requested.extend(missing.iter().cloned());
        missing.into_iter().collect()
    }

    /// Keep a decoded image (or the news that it cannot be decoded).
    pub fn insert(
        &mut self,
        ctx: &egui::Context,
        sha256: String,
        thumbnail: bool,
        image: Option<Arc<egui::ColorImage>>,
    ) {
        let key = (sha256, thumbnail);
        self.requested.remove(&key);
        let texture = image.map(|image| {
            ctx.load_texture(
                format!("{}-{}", key.0, if thumbnail { "thumb" } else { "full" }),
                egui::ImageData::Color(image),
                egui::TextureOptions::LINEAR,
            )
        });
        self.textures.insert(key.clone(), texture);
        self.order.push(key);
        while self.order.len() > MAX_TEXTURES {
            let old = self.order.remove(0);
            self.textures.remove(&old);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64) -> Row {
        Row {
            summary: crate::library::ArticleSummary {
                id: ArticleId(id),
                title: format!("article {id}"),
                published: None,
                site: None,
                url: None,
                lang: None,
                tags: Vec::new(),
                source_file: String::new(),
                added_at: String::new(),
                has_note: false,
                thumbnail_sha256: None,
                read: false,
                starred: false,
                progress: None,
            },
            snippet: None,
            matched_in: None,
        }
    }

    #[test]
    fn a_row_is_found_on_a_page_far_down_the_list() {
        let mut list = ListState::default();
        list.pages.insert(0, (0..3).map(row).collect());
        // Scrolled far down: page 40 is here, the ones between are not.
        list.pages.insert(40, (1000..1003).map(row).collect());
        assert_eq!(list.index_of(ArticleId(1)), Some(1));
        assert_eq!(list.index_of(ArticleId(1002)), Some(40 * PAGE_ROWS + 2));
        assert_eq!(list.index_of(ArticleId(7)), None);
    }

    #[test]
    fn a_missing_image_is_asked_for_once() {
        let mut cache = TextureCache::default();
        assert!(cache.get("abc", true).is_none());
        assert!(cache.get("abc", true).is_none());
        assert_eq!(cache.take_missing(), [("abc".to_owned(), true)]);
        // Asked for: not missing again until the answer comes.
        assert!(cache.get("abc", true).is_none());
        assert!(cache.take_missing().is_empty());
        let ctx = egui::Context::default();
        cache.insert(&ctx, "abc".to_owned(), true, None);
        assert!(matches!(cache.get("abc", true), Some(None)));
        assert!(cache.take_missing().is_empty());
    }

    #[test]
    fn the_last_article_is_reopened_only_in_its_own_library() {
        let persisted = Persisted {
            last_article: Some(7),
            last_library: Some("a.folio".into()),
            ..Persisted::default()
        };
        assert_eq!(
            persisted.article_to_reopen(std::path::Path::new("a.folio")),
            Some(ArticleId(7))
        );
        assert_eq!(
            persisted.article_to_reopen(std::path::Path::new("b.folio")),
            None
        );
        // Saved before the library was remembered: not reopened anywhere.
        let old: Persisted = serde_json::from_str(r#"{"last_article":7}"#).unwrap();
        assert_eq!(old.article_to_reopen(std::path::Path::new("a.folio")), None);
    }

    #[test]
    fn the_typeface_text_size_and_hidden_panes_are_remembered() {
        let chosen = Persisted {
            text_size: 20.0,
            reader_font: ReaderFont::Serif,
            column: ColumnWidth::Wide,
            line_spacing: LineSpacing::Relaxed,
            show_library: false,
            show_inspector: false,
            ..Persisted::default()
        };
        let stored = serde_json::to_string(&chosen).unwrap();
        let back: Persisted = serde_json::from_str(&stored).unwrap();
        assert_eq!(back.reader_font, ReaderFont::Serif);
        assert_eq!(back.column, ColumnWidth::Wide);
        assert_eq!(back.line_spacing, LineSpacing::Relaxed);
        assert!(!back.show_library && !back.show_inspector);
        assert!((back.text_size - 20.0).abs() < f32::EPSILON);
        // Settings saved before these existed: sans-serif, both panes shown.
        let old: Persisted = serde_json::from_str(r#"{"text_size":17.0}"#).unwrap();
        assert_eq!(old.reader_font, ReaderFont::Sans);
        assert_eq!(old.column, ColumnWidth::Medium);
        assert_eq!(old.line_spacing, LineSpacing::Normal);
        assert!(old.show_library && old.show_inspector);
    }
}

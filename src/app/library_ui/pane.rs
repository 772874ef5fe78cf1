//! The library pane's own state ([`LibraryPane`]: what is typed, filtered
//! and chosen) with the methods the frame loop changes it through, and
//! what the pane shows read-only ([`LibraryView`]).

use std::collections::{BTreeSet, HashSet};
use std::time::Instant;

use crate::app::action::ReadFilter;
use crate::app::state::{ListState, TextureCache, TrashList};
use crate::app::timeline_ui::TimelineDrag;
use crate::library::query_edit::{self, Filter};
use crate::library::{ArticleId, Overview, SortOrder, TagCount, Timeline};

/// The library pane's own state: the search box, the filters, the rows
/// chosen for bulk work. Only the pane changes it: the frame loop asks
/// through the methods below.
#[derive(Default)]
pub struct LibraryPane {
    /// The search box's text.
    pub(super) search: String,
    /// When the search text last changed and the list was not refreshed yet.
    pub(super) search_changed: Option<Instant>,
    /// Tags every listed article has.
    pub(super) include_tags: BTreeSet<String>,
    /// Tags no listed article has.
    pub(super) exclude_tags: BTreeSet<String>,
    /// Put the focus in the search box on the next frame.
    pub(super) focus_search: bool,
    /// Scroll the list so this row is in view on the next frame.
    pub(super) scroll_to_row: Option<usize>,
    /// The rows chosen for bulk work (Ctrl-click, Shift-click, Ctrl+A), by
    /// id: a set, so a frame asks only whether each visible row is in it.
    pub(super) selection: HashSet<ArticleId>,
    /// Where the last plain or Ctrl-click landed: a Shift-click selects from here.
    pub(super) anchor: Option<usize>,
    /// Rows were Ctrl- or Shift-clicked last (Ctrl+A and Escape then act on
    /// the list's rows, not the reader's text).
    pub(super) list_focused: bool,
    /// The bulk bar's tag field.
    pub(super) bulk_tag: String,
    /// The pane shows the trash instead of the library.
    pub(super) show_trash: bool,
    /// "Empty trash" was pressed: ask before deleting for good.
    pub(super) confirm_empty: bool,
    /// Which articles by reading state: all, unread or starred.
    pub(super) read_filter: ReadFilter,
    /// The collection shown (its query joins the search box's), if any.
    pub(super) collection: Option<String>,
    /// Tag parents shown unfolded in the tag tree, by name.
    pub(super) unfolded: BTreeSet<String>,
    /// The tag tree shows tags no live article carries (hidden by default).
    pub(super) show_empty_tags: bool,
    /// The timeline's drag.
    pub(super) timeline: TimelineDrag,
    /// The pane shows the highlights view instead of the article list.
    pub(super) show_highlights: bool,
}

impl LibraryPane {
    /// The selected rows' article ids, sorted.
    pub fn selected_ids(&self) -> Vec<ArticleId> {
        let mut ids: Vec<ArticleId> = self.selection.iter().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// How many rows are selected for bulk work.
    pub fn selected_count(&self) -> usize {
        self.selection.len()
    }

    /// Whether article `id`'s row is selected for bulk work.
    pub fn is_selected(&self, id: ArticleId) -> bool {
        self.selection.contains(&id)
    }

    /// Select exactly these rows (Ctrl+A's answer).
    pub fn select_rows(&mut self, ids: impl IntoIterator<Item = ArticleId>) {
        self.selection = ids.into_iter().collect();
    }

    /// Drop the selection and its anchor (the rows are gone or changed).
    pub fn clear_selection(&mut self) {
        self.selection.clear();
        self.anchor = None;
    }

    /// The query the list runs: the search box plus the filters.
    pub fn query(&self) -> String {
        let mut filters = Vec::new();
        if let Some(name) = &self.collection {
            filters.push(Filter::Collection(name));
        }
        match self.read_filter {
            ReadFilter::All => {}
            ReadFilter::Unread => filters.push(Filter::Unread),
            ReadFilter::Starred => filters.push(Filter::Starred),
        }
        filters.extend(self.include_tags.iter().map(|t| Filter::Tag(t)));
        filters.extend(self.exclude_tags.iter().map(|t| Filter::NotTag(t)));
        query_edit::with_filters(&self.search, &filters)
    }

    /// The search box's text.
    pub fn search(&self) -> &str {
        &self.search
    }

    /// True when a tag (included or excluded) narrows the list.
    pub fn has_tag_filter(&self) -> bool {
        !self.include_tags.is_empty() || !self.exclude_tags.is_empty()
    }

    /// True when anything besides the search box narrows the list (tags, a
    /// collection, unread or starred).
    pub fn has_filter(&self) -> bool {
        self.has_tag_filter() || self.collection.is_some() || self.read_filter != ReadFilter::All
    }

    /// True when nothing narrows the list: no search, no filter.
    pub fn lists_everything(&self) -> bool {
        self.search.trim().is_empty() && !self.has_filter()
    }

    /// Include the tag in the filter, or take it out (`exclude`: the
    /// negated filter); a tag is never in both.
    pub fn toggle_tag_filter(&mut self, name: String, exclude: bool) {
        let (set, other) = if exclude {
            (&mut self.exclude_tags, &mut self.include_tags)
        } else {
            (&mut self.include_tags, &mut self.exclude_tags)
        };
        other.remove(&name);
        if !set.remove(&name) {
            set.insert(name);
        }
    }

    /// A tag was renamed: the filters follow it.
    pub fn tag_renamed(&mut self, old: &str, new: &str) {
        for set in [&mut self.include_tags, &mut self.exclude_tags] {
            if set.remove(old) {
                set.insert(new.to_owned());
            }
        }
    }

    /// A tag was deleted: it leaves the filters.
    pub fn tag_deleted(&mut self, name: &str) {
        self.include_tags.remove(name);
        self.exclude_tags.remove(name);
    }

    /// Show the library filtered by reading state (not the trash).
    pub fn set_read_filter(&mut self, filter: ReadFilter) {
        self.read_filter = filter;
        self.show_trash = false;
    }

    /// Show a collection (`None`: all articles), not the trash.
    pub fn open_collection(&mut self, name: Option<String>) {
        self.collection = name;
        self.show_trash = false;
    }

    /// The collection `old` was renamed: true when it is the one shown
    /// (which now shows under its new name).
    pub fn collection_renamed(&mut self, old: &str, new: &str) -> bool {
        if self.collection.as_deref() == Some(old) {
            self.collection = Some(new.to_owned());
            return true;
        }
        false
    }

    /// The collections that exist now: true when the one shown is gone
    /// (deleted, renamed elsewhere), which then is shown no longer.
    pub fn keep_collection_among<'a>(&mut self, mut names: impl Iterator<Item = &'a str>) -> bool {
        if let Some(name) = &self.collection
            && !names.any(|n| n == name)
        {
            self.collection = None;
            return true;
        }
        false
    }

    /// Put this span of publication dates in the search box (the timeline).
    pub fn set_date_range(&mut self, after: &str, before: &str) {
        self.search = query_edit::with_date_range(&self.search, after, before);
        self.search_changed = None;
    }

    /// Take the dates out of the search box.
    pub fn clear_date_range(&mut self) {
        self.search = query_edit::without_date_range(&self.search);
        self.search_changed = None;
    }

    /// The search text changed and the list waits for typing to pause.
    pub fn is_typing(&self) -> bool {
        self.search_changed.is_some()
    }

    /// True once the search text has not changed for `pause` at `now`:
    /// the list should run it (asked once per change).
    pub fn take_search_paused(&mut self, now: Instant, pause: std::time::Duration) -> bool {
        if self
            .search_changed
            .is_some_and(|t| now.saturating_duration_since(t) >= pause)
        {
            self.search_changed = None;
            return true;
        }
        false
    }

    /// The list takes the keys (the search box's Down or Enter).
    pub fn focus_list(&mut self) {
        self.list_focused = true;
    }

    /// Put the keyboard focus in the search box on the next frame.
    pub fn focus_search(&mut self) {
        self.focus_search = true;
    }

    /// Scroll the list so `row` is in view on the next frame.
    pub fn scroll_to_row(&mut self, row: usize) {
        self.scroll_to_row = Some(row);
    }

    /// The pane shows the highlights view (below its search and filters).
    pub fn shows_highlights(&self) -> bool {
        self.show_highlights && !self.show_trash
    }

    /// Show the highlights view (`true`) or the article list.
    pub fn show_highlights(&mut self, show: bool) {
        self.show_highlights = show;
        if show {
            self.show_trash = false;
        }
    }

    /// The pane shows the trash.
    pub fn shows_trash(&self) -> bool {
        self.show_trash
    }

    /// Show the trash (`true`) or the library again.
    pub fn show_trash(&mut self, show: bool) {
        self.show_trash = show;
        self.confirm_empty = false;
    }

    /// Another library is open: its tags, collections and rows are others.
    pub fn forget_library(&mut self) {
        self.include_tags.clear();
        self.exclude_tags.clear();
        self.collection = None;
        self.clear_selection();
        self.show_trash = false;
    }
}

/// What the library pane shows, read-only.
pub struct LibraryView<'a> {
    /// The list as fetched so far.
    pub list: &'a ListState,
    /// Every tag with its count and colour.
    pub tags: &'a [TagCount],
    /// The counts of the library, collections and tag tree, once here.
    pub overview: Option<&'a Overview>,
    /// The list's matches by month, once counted.
    pub timeline: Option<&'a Timeline>,
    /// The article open in the reader.
    pub selected: Option<ArticleId>,
    /// The list order.
    pub order: SortOrder,
    /// Thumbnails.
    pub textures: &'a TextureCache,
    /// The trash, as fetched (shown when [`LibraryPane::shows_trash`]).
    pub trash: &'a TrashList,
    /// The frame's time on the window's clock (when typing last changed
    /// the search).
    pub now: Instant,
    /// The chosen citation style (the row menu's "Copy citation").
    pub citation_style: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_joins_search_collection_reading_state_and_tags() {
        let mut pane = LibraryPane {
            search: "小米".to_owned(),
            collection: Some("To \"read\"".to_owned()),
            read_filter: ReadFilter::Starred,
            ..LibraryPane::default()
        };
        pane.include_tags.insert("two words".to_owned());
        assert_eq!(
            pane.query(),
            "小米 collection:\"To read\" is:starred tag:\"two words\""
        );
        assert!(pane.has_filter());
    }
}

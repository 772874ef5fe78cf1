//! The library pane: search box, sort, the reading-state, collection and
//! tag filters (`organise`), the timeline and the article list. It owns
//! [`LibraryPane`] (what is typed and filtered); the list, the counts, the
//! tags and the thumbnails it only reads.

mod organise;

use std::collections::{BTreeSet, HashSet};
use std::time::Instant;

use egui::{RichText, Sense};

use super::action::{Action, ReadFilter};
use super::state::{ListState, Row, TextureCache, TrashList};
use super::timeline_ui::{self, TimelineDrag};
use crate::jobs::PAGE_ROWS;
use crate::library::query_edit::{self, Filter};
use crate::library::{ArticleId, Overview, SortBy, SortOrder, TagCount, Timeline};

/// Height of one list row (fixed, so only visible rows are laid out).
const ROW_HEIGHT: f32 = 58.0;
/// The library pane's own state: the search box, the filters, the rows
/// chosen for bulk work. Only the pane changes it: the frame loop asks
/// through the methods below.
#[derive(Default)]
pub struct LibraryPane {
    /// The search box's text.
    search: String,
    /// When the search text last changed and the list was not refreshed yet.
    search_changed: Option<Instant>,
    /// Tags every listed article has.
    include_tags: BTreeSet<String>,
    /// Tags no listed article has.
    exclude_tags: BTreeSet<String>,
    /// Put the focus in the search box on the next frame.
    focus_search: bool,
    /// Scroll the list so this row is in view on the next frame.
    scroll_to_row: Option<usize>,
    /// The rows chosen for bulk work (Ctrl-click, Shift-click, Ctrl+A), by
    /// id: a set, so a frame asks only whether each visible row is in it.
    selection: HashSet<ArticleId>,
    /// Where the last plain or Ctrl-click landed: a Shift-click selects from here.
    anchor: Option<usize>,
    /// Rows were Ctrl- or Shift-clicked last (Ctrl+A and Escape then act on
    /// the list's rows, not the reader's text).
    list_focused: bool,
    /// The bulk bar's tag field.
    bulk_tag: String,
    /// The pane shows the trash instead of the library.
    show_trash: bool,
    /// "Empty trash" was pressed: ask before deleting for good.
    confirm_empty: bool,
    /// Which articles by reading state: all, unread or starred.
    read_filter: ReadFilter,
    /// The collection shown (its query joins the search box's), if any.
    collection: Option<String>,
    /// Tag parents shown unfolded in the tag tree, by name.
    unfolded: BTreeSet<String>,
    /// The timeline's drag.
    timeline: TimelineDrag,
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

    /// Put the keyboard focus in the search box on the next frame.
    pub fn focus_search(&mut self) {
        self.focus_search = true;
    }

    /// Scroll the list so `row` is in view on the next frame.
    pub fn scroll_to_row(&mut self, row: usize) {
        self.scroll_to_row = Some(row);
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
}

/// The list's own keys, when it was clicked last and no text field has the
/// keyboard: Ctrl+A selects every row of the result, Escape clears the
/// selection (or closes the "empty the trash" question).
#[must_use]
pub fn list_keys(ctx: &egui::Context, pane: &mut LibraryPane) -> Vec<Action> {
    let mut actions = Vec::new();
    if pane.confirm_empty
        && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
    {
        pane.confirm_empty = false;
        return actions;
    }
    if !pane.list_focused || pane.show_trash || ctx.egui_wants_keyboard_input() {
        return actions;
    }
    ctx.input_mut(|i| {
        if i.consume_key(egui::Modifiers::COMMAND, egui::Key::A) {
            actions.push(Action::SelectAllRows);
        }
        if !pane.selection.is_empty() && i.consume_key(egui::Modifiers::NONE, egui::Key::Escape) {
            pane.selection.clear();
        }
    });
    actions
}

/// Draw the library pane.
#[must_use]
pub fn library_ui(
    ui: &mut egui::Ui,
    pane: &mut LibraryPane,
    view: &LibraryView<'_>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.add_space(6.0);
    actions.extend(search_row_ui(ui, pane, view.now));
    actions.extend(sort_row_ui(ui, view));
    ui.separator();
    actions.extend(organise::reading_filters_ui(ui, pane, view.overview));
    actions.extend(organise::collections_ui(ui, pane, view.overview));
    let tree = view.overview.map_or(&[][..], |o| &o.tags[..]);
    actions.extend(organise::tag_tree_ui(ui, pane, tree));
    ui.separator();
    if pane.show_trash {
        actions.extend(trash_ui(ui, pane, view.trash));
        return actions;
    }
    if let Some(timeline) = view.timeline {
        actions.extend(timeline_ui::timeline_ui(ui, &mut pane.timeline, timeline));
    }
    if query_edit::has_date_range(&pane.search) && ui.small_button("All dates").clicked() {
        actions.push(Action::ClearDateRange);
    }
    actions.extend(bulk_ui(ui, pane));
    actions.extend(list_ui(ui, pane, view));
    actions
}

/// The search box, with "Save…" to keep the query as a collection.
fn search_row_ui(ui: &mut egui::Ui, pane: &mut LibraryPane, now: Instant) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        let label = ui.label("Search");
        let query = pane.query();
        // Right to left: "Save…" keeps its place, the field takes the rest.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if !query.is_empty()
                && ui
                    .button("Save…")
                    .on_hover_text("Save this search as a collection")
                    .clicked()
            {
                actions.push(Action::CollectionDialog {
                    old: None,
                    query: query.clone(),
                });
            }
            // A fixed id: "Save…" comes and goes before it in this layout,
            // and must not take the focus away while the user types.
            let response = ui.add(
                egui::TextEdit::singleline(&mut pane.search)
                    .id_salt("search-box")
                    .hint_text("words, 小米, tag:name, site:…")
                    .desired_width(ui.available_width()),
            );
            let response = response.labelled_by(label.id);
            if pane.focus_search {
                response.request_focus();
                pane.focus_search = false;
            }
            if response.changed() {
                pane.search_changed = Some(now);
            }
        });
    });
    actions
}

/// The list order: a key, and the direction.
fn sort_row_ui(ui: &mut egui::Ui, view: &LibraryView<'_>) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        let label = ui.label("Sort");
        let current = view.order;
        egui::ComboBox::from_id_salt("sort")
            .selected_text(sort_name(current.by))
            .show_ui(ui, |ui| {
                for by in [
                    SortBy::Relevance,
                    SortBy::Date,
                    SortBy::Title,
                    SortBy::Added,
                    SortBy::Site,
                ] {
                    if ui
                        .selectable_label(current.by == by, sort_name(by))
                        .clicked()
                        && by != current.by
                    {
                        actions.push(Action::SetOrder(SortOrder::new(by)));
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(
                "Relevance: best match first while searching for words, else newest first",
            );
        if current.by != SortBy::Relevance {
            let (arrow, name) = if current.ascending {
                ("⬆", "Ascending")
            } else {
                ("⬇", "Descending")
            };
            if ui
                .button(arrow)
                .on_hover_text(format!("{name}: click to reverse"))
                .clicked()
            {
                actions.push(Action::SetOrder(SortOrder {
                    by: current.by,
                    ascending: !current.ascending,
                }));
            }
        }
        if let Some(total) = view.list.total {
            ui.label(RichText::new(super::words::counted(total, "article", "articles")).weak());
        }
    });
    actions
}

fn sort_name(by: SortBy) -> &'static str {
    match by {
        SortBy::Relevance => "Relevance",
        SortBy::Date => "Date",
        SortBy::Title => "Title",
        SortBy::Added => "Added",
        SortBy::Site => "Site",
    }
}

/// The trash: each trashed article with Restore, and "Empty trash" after a
/// confirmation.
fn trash_ui(ui: &mut egui::Ui, pane: &mut LibraryPane, trash: &TrashList) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        if ui.button("Back to the library").clicked() {
            actions.push(Action::ShowTrash(false));
        }
        if ui
            .add_enabled(!trash.rows.is_empty(), egui::Button::new("Empty trash…"))
            .clicked()
        {
            pane.confirm_empty = true;
        }
    });
    if pane.confirm_empty {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            let n = if trash.complete {
                super::words::counted(trash.rows.len(), "article", "articles")
            } else {
                "every trashed article".to_owned()
            };
            ui.label(format!("Delete {n} for good? This cannot be undone."));
            ui.horizontal(|ui| {
                if ui.button("Delete for good").clicked() {
                    actions.push(Action::EmptyTrash);
                    pane.confirm_empty = false;
                }
                if ui.button("Cancel").clicked() {
                    pane.confirm_empty = false;
                }
            });
        });
    }
    if trash.loaded && trash.rows.is_empty() {
        ui.label(RichText::new("The trash is empty.").weak());
        return actions;
    }
    egui::ScrollArea::vertical()
        .id_salt("trash-list")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for row in &trash.rows {
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        actions.push(Action::RestoreMany(vec![row.id]));
                    }
                    ui.add(egui::Label::new(&row.title).truncate());
                });
            }
            if !trash.complete && trash.loaded && ui.button("More…").clicked() {
                actions.push(Action::RequestTrashPage(trash.rows.len() / PAGE_ROWS));
            }
        });
    actions
}

/// The bulk bar, shown while rows are selected: tag, untag, trash or export
/// all of them.
fn bulk_ui(ui: &mut egui::Ui, pane: &mut LibraryPane) -> Vec<Action> {
    let mut actions = Vec::new();
    if pane.selection.is_empty() {
        return actions;
    }
    let ids = LibraryPane::selected_ids;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{} selected", pane.selection.len())).strong());
        let label = ui.label("Tag them");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut pane.bulk_tag)
                    .hint_text("tag name")
                    .desired_width(110.0),
            )
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let name = pane.bulk_tag.trim().to_owned();
        let add = ui.add_enabled(!name.is_empty(), egui::Button::new("Tag all"));
        if (add.clicked() || entered) && !name.is_empty() {
            actions.push(Action::TagMany {
                ids: ids(pane),
                name: name.clone(),
            });
            pane.bulk_tag.clear();
            if entered {
                field.request_focus();
            }
        }
        if ui
            .add_enabled(!name.is_empty(), egui::Button::new("Untag all"))
            .clicked()
        {
            actions.push(Action::UntagMany {
                ids: ids(pane),
                name,
            });
            pane.bulk_tag.clear();
        }
        for (name, read, starred) in [
            ("Mark read", Some(true), None),
            ("Mark unread", Some(false), None),
            ("Star", None, Some(true)),
            ("Unstar", None, Some(false)),
        ] {
            if ui.button(name).clicked() {
                actions.push(Action::Mark {
                    ids: ids(pane),
                    read,
                    starred,
                });
            }
        }
        if ui.button("Trash selected").clicked() {
            actions.push(Action::TrashMany(ids(pane)));
        }
        if ui.button("Export selected…").clicked() {
            actions.push(Action::ExportMany(ids(pane)));
        }
        if ui.button("Clear selection").clicked() {
            pane.selection.clear();
        }
    });
    ui.separator();
    actions
}

/// Parse `#rrggbb`.
pub fn parse_colour(hex: &str) -> Option<egui::Color32> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some(egui::Color32::from_rgb(
        (v >> 16) as u8,
        (v >> 8) as u8,
        v as u8,
    ))
}

/// The article list: only the visible rows are fetched and laid out.
fn list_ui(ui: &mut egui::Ui, pane: &mut LibraryPane, view: &LibraryView<'_>) -> Vec<Action> {
    let mut actions = Vec::new();
    let list = view.list;
    let total = list.total.unwrap_or(0);
    if list.total == Some(0) {
        ui.add_space(12.0);
        if list.query.is_empty() {
            ui.label("The library is empty.");
            if ui.button("Add the sample articles").clicked() {
                actions.push(Action::LoadSamples);
            }
            if ui.button("Import files…").clicked() {
                actions.push(Action::PickFiles { folder: false });
            }
        } else {
            ui.label(format!("No article matches “{}”.", list.query));
        }
        return actions;
    }
    let scroll_to = pane.scroll_to_row.take();
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("article-list")
        .auto_shrink([false, false]);
    if let Some(row) = scroll_to {
        let spacing = ui.spacing().item_spacing.y;
        let y = row as f32 * (ROW_HEIGHT + spacing);
        let visible = ui.available_height();
        scroll = scroll.vertical_scroll_offset((y - visible / 2.0).max(0.0));
    }
    scroll.show_rows(ui, ROW_HEIGHT, total, |ui, range| {
        let pages: Vec<usize> =
            (range.start / PAGE_ROWS..=range.end.saturating_sub(1) / PAGE_ROWS).collect();
        actions.extend(pages.into_iter().map(Action::RequestPage));
        for index in range {
            let row = list.row(index);
            let (rect, response) = ui
                .allocate_exact_size(egui::vec2(ui.available_width(), ROW_HEIGHT), Sense::click());
            let Some(row) = row else {
                ui.painter().text(
                    rect.left_center(),
                    egui::Align2::LEFT_CENTER,
                    "…",
                    egui::FontId::proportional(14.0),
                    ui.visuals().weak_text_color(),
                );
                continue;
            };
            let id = row.summary.id;
            let selected = view.selected == Some(id) || pane.selection.contains(&id);
            let title = row.summary.title.clone();
            response.widget_info(|| {
                let mut info =
                    egui::WidgetInfo::selected(egui::Role::Button, true, selected, &title);
                // What the row shows under its title, for screen readers too.
                info.current_text_value = Some(second_line(row));
                info
            });
            if response.clicked() {
                actions.extend(click_row(ui, pane, view, index, id));
            }
            actions.extend(row_menu(pane, view, row, &response));
            row_ui(ui, view, row, rect, selected, response.hovered());
        }
    });
    // A click elsewhere takes the list's keys (Ctrl+A, Escape) away.
    let list_rect = ui.min_rect();
    if ui.input(|i| {
        i.pointer.any_pressed()
            && i.pointer
                .interact_pos()
                .is_some_and(|p| !list_rect.contains(p))
    }) {
        pane.list_focused = false;
    }
    actions
}

/// A click on row `index`: plain opens it (and drops the selection),
/// Ctrl toggles it in the selection, Shift selects the range from the anchor.
fn click_row(
    ui: &egui::Ui,
    pane: &mut LibraryPane,
    view: &LibraryView<'_>,
    index: usize,
    id: ArticleId,
) -> Option<Action> {
    let modifiers = ui.input(|i| i.modifiers);
    // Selecting rows gives the list the keys (Ctrl+A selects every row); a
    // plain click opens the article and leaves them to the reader (Ctrl+A
    // then selects the article's text).
    pane.list_focused = modifiers.shift || modifiers.command;
    if modifiers.shift {
        let anchor = pane
            .anchor
            .or_else(|| view.selected.and_then(|open| view.list.index_of(open)))
            .unwrap_or(index);
        let (from, to) = (anchor.min(index), anchor.max(index));
        pane.selection = (from..=to)
            .filter_map(|i| view.list.row(i))
            .map(|r| r.summary.id)
            .collect();
        None
    } else if modifiers.command {
        if pane.selection.is_empty()
            && let Some(open) = view.selected
        {
            pane.selection.insert(open);
        }
        if !pane.selection.remove(&id) {
            pane.selection.insert(id);
        }
        pane.anchor = Some(index);
        None
    } else {
        pane.selection.clear();
        pane.anchor = Some(index);
        Some(Action::Select(id))
    }
}

/// A row's context menu: open the original, copy its link, tag, trash,
/// export; acting on the whole selection when the row is in it.
fn row_menu(
    pane: &LibraryPane,
    view: &LibraryView<'_>,
    row: &Row,
    response: &egui::Response,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let id = row.summary.id;
    response.context_menu(|ui| {
        let targets: Vec<ArticleId> = if pane.selection.contains(&id) {
            pane.selected_ids()
        } else {
            vec![id]
        };
        let link = row
            .summary
            .url
            .as_deref()
            .and_then(crate::model::links::safe_link)
            .filter(|l| l.starts_with("http://") || l.starts_with("https://"))
            .map(str::to_owned);
        if ui
            .add_enabled(
                link.is_some(),
                egui::Button::new("Open original in browser"),
            )
            .clicked()
        {
            if let Some(link) = &link {
                ui.ctx().open_url(egui::OpenUrl::new_tab(link));
            }
            ui.close();
        }
        if ui
            .add_enabled(link.is_some(), egui::Button::new("Copy link"))
            .clicked()
        {
            if let Some(link) = link {
                ui.ctx().copy_text(link);
            }
            ui.close();
        }
        let many = targets.len() > 1;
        let suffix = if many {
            format!(" ({} articles)", targets.len())
        } else {
            String::new()
        };
        ui.menu_button(format!("Tag{suffix}"), |ui| {
            egui::ScrollArea::vertical()
                .max_height(240.0)
                .show(ui, |ui| {
                    for tag in view.tags {
                        if ui.button(&tag.name).clicked() {
                            actions.push(Action::TagMany {
                                ids: targets.clone(),
                                name: tag.name.clone(),
                            });
                            ui.close();
                        }
                    }
                });
        });
        if !row.summary.tags.is_empty() {
            ui.menu_button(format!("Untag{suffix}"), |ui| {
                for tag in &row.summary.tags {
                    if ui.button(tag).clicked() {
                        actions.push(Action::UntagMany {
                            ids: targets.clone(),
                            name: tag.clone(),
                        });
                        ui.close();
                    }
                }
            });
        }
        let (read, starred) = (row.summary.read, row.summary.starred);
        let read_label = if read { "Mark unread" } else { "Mark read" };
        if ui.button(format!("{read_label}{suffix}")).clicked() {
            actions.push(Action::Mark {
                ids: targets.clone(),
                read: Some(!read),
                starred: None,
            });
            ui.close();
        }
        let star_label = if starred { "Unstar" } else { "Star" };
        if ui.button(format!("{star_label}{suffix}")).clicked() {
            actions.push(Action::Mark {
                ids: targets.clone(),
                read: None,
                starred: Some(!starred),
            });
            ui.close();
        }
        if ui.button(format!("Move to trash{suffix}")).clicked() {
            actions.push(Action::TrashMany(targets.clone()));
            ui.close();
        }
        if ui.button(format!("Export…{suffix}")).clicked() {
            actions.push(Action::ExportMany(targets.clone()));
            ui.close();
        }
    });
    actions
}

fn row_ui(
    ui: &mut egui::Ui,
    view: &LibraryView<'_>,
    row: &Row,
    rect: egui::Rect,
    selected: bool,
    hovered: bool,
) {
    let visuals = ui.visuals().clone();
    let painter = ui.painter_at(rect);
    if selected {
        painter.rect_filled(rect, 4.0, visuals.selection.bg_fill);
    } else if hovered {
        painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    // Room on the left for the unread dot.
    let mut x = rect.left() + 9.0;
    if let Some(sha) = &row.summary.thumbnail_sha256 {
        let thumb_rect =
            egui::Rect::from_min_size(egui::pos2(x, rect.top() + 5.0), egui::vec2(48.0, 48.0));
        if let Some(Some(texture)) = view.textures.get(sha, true) {
            let size = texture.size_vec2();
            let scale = (48.0 / size.x).min(48.0 / size.y);
            let image_rect = egui::Rect::from_center_size(thumb_rect.center(), size * scale);
            painter.image(
                texture.id(),
                image_rect,
                egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                egui::Color32::WHITE,
            );
        } else {
            painter.rect_filled(thumb_rect, 3.0, visuals.faint_bg_color);
        }
        x += 56.0;
    }
    let text_color = if selected {
        visuals.selection.stroke.color
    } else if row.summary.read {
        visuals.text_color()
    } else {
        visuals.strong_text_color()
    };
    if !row.summary.read {
        // Unread: a dot in the left margin, and the title in strong colour.
        painter.circle_filled(
            egui::pos2(rect.left() + 4.0, rect.top() + 13.0),
            2.5,
            visuals.hyperlink_color,
        );
    }
    let mut right = rect.right() - 4.0;
    if row.summary.starred {
        let star = painter.text(
            egui::pos2(right, rect.top() + 5.0),
            egui::Align2::RIGHT_TOP,
            "★",
            egui::FontId::proportional(13.0),
            egui::Color32::from_rgb(0xd0, 0x9a, 0x20),
        );
        right = star.left() - 4.0;
    }
    let width = right - x;
    let title_galley = ui.fonts_mut(|f| {
        let mut job = egui::text::LayoutJob::single_section(
            row.summary.title.clone(),
            egui::TextFormat::simple(egui::FontId::proportional(14.5), text_color),
        );
        job.wrap = egui::text::TextWrapping::truncate_at_width(width);
        f.layout_job(job)
    });
    painter.galley(egui::pos2(x, rect.top() + 4.0), title_galley, text_color);
    let meta_galley = ui.fonts_mut(|f| {
        let mut job = second_line_job(row, &visuals);
        job.wrap = egui::text::TextWrapping::truncate_at_width(rect.right() - 4.0 - x);
        f.layout_job(job)
    });
    painter.galley(
        egui::pos2(x, rect.top() + 23.0),
        meta_galley,
        visuals.weak_text_color(),
    );
    let mut chip_x = x;
    for tag in row.summary.tags.iter().take(4) {
        let colour = view
            .tags
            .iter()
            .find(|t| &t.name == tag)
            .and_then(|t| t.colour.as_deref())
            .and_then(parse_colour)
            .unwrap_or(visuals.hyperlink_color);
        let galley = ui
            .fonts_mut(|f| f.layout_no_wrap(tag.clone(), egui::FontId::proportional(11.0), colour));
        let chip = egui::Rect::from_min_size(
            egui::pos2(chip_x, rect.top() + 40.0),
            galley.size() + egui::vec2(8.0, 2.0),
        );
        if chip.right() > rect.right() {
            break;
        }
        painter.rect_stroke(
            chip,
            6.0,
            egui::Stroke::new(1.0, colour),
            egui::StrokeKind::Inside,
        );
        painter.galley(chip.min + egui::vec2(4.0, 1.0), galley, colour);
        chip_x = chip.right() + 4.0;
    }
}

/// A row's second line: its date, site and whether it has a note, then the
/// search snippet when there is one (saying where it matched), with the
/// byte ranges of its matches in the line.
fn second_line_parts(row: &Row) -> (String, Vec<std::ops::Range<usize>>) {
    let mut meta = Vec::new();
    if let Some(date) = &row.summary.published {
        meta.push(crate::model::date::display_date(date).to_owned());
    }
    if let Some(site) = &row.summary.site {
        meta.push(site.clone());
    }
    if row.summary.has_note {
        meta.push("note".to_owned());
    }
    let mut ranges = Vec::new();
    if let Some(snippet) = row.snippet.as_ref().filter(|s| !s.text.is_empty()) {
        let (cut, marks) = lead_to_match(snippet, SNIPPET_LEAD);
        // Where it matched, when not the body or title ("In the note: ").
        let opening = super::words::snippet_opening(row.matched_in);
        let text = format!("{opening}{cut}");
        let start = meta.iter().map(|m| m.len() + " · ".len()).sum::<usize>() + opening.len();
        ranges = marks
            .into_iter()
            .map(|r| r.start + start..r.end + start)
            .collect();
        meta.push(text);
    }
    (meta.join(" · "), ranges)
}

/// Half-width columns of a snippet kept before its first match in a row
/// (a Chinese character is two): the narrow list cuts the line's end, so
/// the match must come early.
const SNIPPET_LEAD: usize = 14;

/// The snippet from `lead` columns before its first match on (with `…`
/// where it was cut), and its matches' byte ranges in that text.
fn lead_to_match(
    snippet: &crate::library::Snippet,
    lead: usize,
) -> (String, Vec<std::ops::Range<usize>>) {
    let text = &snippet.text;
    let first = snippet.highlights.first().map_or(0, |r| r.start);
    let before = text.get(..first).unwrap_or("");
    // Measured in half-width columns: a Chinese character takes two.
    let mut columns = 0;
    let cut = before
        .char_indices()
        .rev()
        .find(|&(_, c)| {
            columns += if crate::library::segment::is_cjk(c) {
                2
            } else {
                1
            };
            columns > lead
        })
        .map(|(i, _)| i);
    let Some(cut) = cut.filter(|&c| c > 0) else {
        return (text.clone(), snippet.highlights.clone());
    };
    let mut out = String::with_capacity(text.len() - cut + 3);
    out.push('…');
    let shift = out.len();
    out.push_str(&text[cut..]);
    let ranges = snippet
        .highlights
        .iter()
        .filter(|r| r.start >= cut)
        .map(|r| r.start - cut + shift..r.end - cut + shift)
        .collect();
    (out, ranges)
}

/// The row's second line as plain text (for screen readers and tests).
fn second_line(row: &Row) -> String {
    second_line_parts(row).0
}

/// [`second_line_parts`] laid out: the snippet's matches in strong text on
/// the selection colour, the rest weak.
fn second_line_job(row: &Row, visuals: &egui::Visuals) -> egui::text::LayoutJob {
    let (text, ranges) = second_line_parts(row);
    let font = egui::FontId::proportional(12.0);
    let weak = egui::TextFormat::simple(font.clone(), visuals.weak_text_color());
    let mut marked = egui::TextFormat::simple(font, visuals.strong_text_color());
    marked.background = visuals.selection.bg_fill.gamma_multiply(0.6);
    let mut job = egui::text::LayoutJob::default();
    let mut at = 0;
    for range in ranges {
        if range.start < at || text.get(range.clone()).is_none() {
            continue;
        }
        job.append(&text[at..range.start], 0.0, weak.clone());
        job.append(&text[range.clone()], 0.0, marked.clone());
        at = range.end;
    }
    job.append(&text[at..], 0.0, weak);
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_in_a_row_starts_a_little_before_its_match() {
        let text = "a long opening that the row would cut before the word solar appears";
        let at = text.find("solar").unwrap();
        let snippet = crate::library::Snippet {
            text: text.to_owned(),
            highlights: std::iter::once(at..at + 5).collect(),
        };
        let (cut, ranges) = lead_to_match(&snippet, 6);
        assert_eq!(cut, "…e word solar appears");
        assert_eq!(&cut[ranges[0].clone()], "solar");
        // Where it matched opens the row's line, before the cut.
        let row = Row {
            summary: crate::library::ArticleSummary {
                id: ArticleId(1),
                title: String::new(),
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
            },
            snippet: Some(snippet),
            matched_in: Some(crate::library::MatchedIn::Note),
        };
        let (line, ranges) = second_line_parts(&row);
        assert_eq!(line, "In the note: …efore the word solar appears");
        assert_eq!(&line[ranges[0].clone()], "solar");
        // A match near the start keeps the snippet whole.
        let chinese = "市场，向民众传播法轮功在中国遭受迫害的真相";
        let at = chinese.find("迫害").unwrap();
        let snippet = crate::library::Snippet {
            text: chinese.to_owned(),
            highlights: std::iter::once(at..at + "迫害".len()).collect(),
        };
        // A Chinese character is two columns: six and a little more.
        assert_eq!(lead_to_match(&snippet, 6).0, "…中国遭受迫害的真相");
        let near = crate::library::Snippet {
            text: "solar panels".to_owned(),
            highlights: std::iter::once(0..5).collect(),
        };
        assert_eq!(lead_to_match(&near, 6).0, "solar panels");
    }

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

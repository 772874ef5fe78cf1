//! The library pane: search box, sort, the reading-state, collection and
//! tag filters (`organise`), the timeline and the article list. It owns
//! [`LibraryPane`] (what is typed and filtered); the list, the counts, the
//! tags and the thumbnails it only reads.

mod organise;

use std::collections::{BTreeSet, HashSet};
use std::time::Instant;

use egui::{RichText, Sense};

use super::Action;
use super::state::{ListState, Row, TextureCache, TrashList};
use super::timeline_ui::{self, TimelineDrag};
use crate::jobs::{Command, PAGE_ROWS};
use crate::library::{ArticleId, Overview, SortBy, SortOrder, TagCount, Timeline};

/// Height of one list row (fixed, so only visible rows are laid out).
const ROW_HEIGHT: f32 = 58.0;
/// The library pane's own state: the search box and the tag filter.
#[derive(Default)]
pub struct LibraryPane {
    /// The search box's text.
    pub search: String,
    /// When the search text last changed and the list was not refreshed yet.
    pub search_changed: Option<Instant>,
    /// Tags every listed article has.
    pub include_tags: BTreeSet<String>,
    /// Tags no listed article has.
    pub exclude_tags: BTreeSet<String>,
    /// Put the focus in the search box on the next frame.
    pub focus_search: bool,
    /// Scroll the list so this row is in view on the next frame.
    pub scroll_to_row: Option<usize>,
    /// The rows chosen for bulk work (Ctrl-click, Shift-click, Ctrl+A), by
    /// id: a set, so a frame asks only whether each visible row is in it.
    pub selection: HashSet<ArticleId>,
    /// Where the last plain or Ctrl-click landed: a Shift-click selects from here.
    pub anchor: Option<usize>,
    /// Rows were Ctrl- or Shift-clicked last (Ctrl+A and Escape then act on
    /// the list's rows, not the reader's text).
    pub list_focused: bool,
    /// The bulk bar's tag field.
    pub bulk_tag: String,
    /// The pane shows the trash instead of the library.
    pub show_trash: bool,
    /// "Empty trash" was pressed: ask before deleting for good.
    pub confirm_empty: bool,
    /// Which articles by reading state: all, unread or starred.
    pub read_filter: ReadFilter,
    /// The collection shown (its query joins the search box's), if any.
    pub collection: Option<String>,
    /// Tag parents shown unfolded in the tag tree, by name.
    pub unfolded: BTreeSet<String>,
    /// The timeline's drag.
    pub timeline: TimelineDrag,
}

/// The reading-state filter of the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadFilter {
    /// Every article.
    #[default]
    All,
    /// `is:unread`.
    Unread,
    /// `is:starred`.
    Starred,
}

impl LibraryPane {
    /// The selected rows' article ids, sorted.
    pub fn selected_ids(&self) -> Vec<ArticleId> {
        let mut ids: Vec<ArticleId> = self.selection.iter().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// The query the list runs: the search box plus the tag filters.
    pub fn query(&self) -> String {
        let quote = |t: &str| {
            if t.chars().any(|c| c.is_whitespace() || c == '"') {
                format!("\"{}\"", t.replace('"', ""))
            } else {
                t.to_owned()
            }
        };
        let mut parts: Vec<String> = Vec::new();
        let search = self.search.trim();
        if !search.is_empty() {
            parts.push(search.to_owned());
        }
        if let Some(name) = &self.collection {
            parts.push(format!("collection:\"{}\"", name.replace('"', "")));
        }
        match self.read_filter {
            ReadFilter::All => {}
            ReadFilter::Unread => parts.push("is:unread".to_owned()),
            ReadFilter::Starred => parts.push("is:starred".to_owned()),
        }
        parts.extend(
            self.include_tags
                .iter()
                .map(|t| format!("tag:{}", quote(t))),
        );
        parts.extend(
            self.exclude_tags
                .iter()
                .map(|t| format!("-tag:{}", quote(t))),
        );
        parts.join(" ")
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
}

/// The terms of a search as typed: split at spaces outside quotes.
fn terms(search: &str) -> impl Iterator<Item = &str> {
    let mut rest = search.trim();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c.is_whitespace() && !quoted
            })
            .map_or(rest.len(), |(i, _)| i);
        let term = &rest[..end];
        rest = rest[end..].trim_start();
        Some(term)
    })
}

/// An `after:` or `before:` term.
fn is_date_term(term: &str) -> bool {
    let lower = term.to_lowercase();
    lower.starts_with("after:") || lower.starts_with("before:")
}

/// `search` without its `after:`/`before:` terms; other terms, quoted
/// ones too, are kept as typed.
pub fn without_date_range(search: &str) -> String {
    terms(search)
        .filter(|t| !is_date_term(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `search` with its `after:`/`before:` terms replaced by `after` and
/// `before` (what the timeline sets).
pub fn with_date_range(search: &str, after: &str, before: &str) -> String {
    let mut out = without_date_range(search);
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&format!("after:{after} before:{before}"));
    out
}

/// True when `search` has an `after:` or `before:` term.
pub fn has_date_range(search: &str) -> bool {
    terms(search).any(is_date_term)
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
    /// The trash, as fetched (shown when [`LibraryPane::show_trash`]).
    pub trash: &'a TrashList,
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
    actions.extend(search_row_ui(ui, pane));
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
    if has_date_range(&pane.search) && ui.small_button("All dates").clicked() {
        actions.push(Action::ClearDateRange);
    }
    actions.extend(bulk_ui(ui, pane));
    actions.extend(list_ui(ui, pane, view));
    actions
}

/// The search box, with "Save…" to keep the query as a collection.
fn search_row_ui(ui: &mut egui::Ui, pane: &mut LibraryPane) -> Vec<Action> {
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
                pane.search_changed = Some(Instant::now());
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
            ui.label(RichText::new(crate::jobs::counted(total, "article", "articles")).weak());
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
                crate::jobs::counted(trash.rows.len(), "article", "articles")
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
            actions.push(Action::Worker(Command::AddTagMany(ids(pane), name.clone())));
            pane.bulk_tag.clear();
            if entered {
                field.request_focus();
            }
        }
        if ui
            .add_enabled(!name.is_empty(), egui::Button::new("Untag all"))
            .clicked()
        {
            actions.push(Action::Worker(Command::RemoveTagMany(ids(pane), name)));
            pane.bulk_tag.clear();
        }
        for (name, read, starred) in [
            ("Mark read", Some(true), None),
            ("Mark unread", Some(false), None),
            ("Star", None, Some(true)),
            ("Unstar", None, Some(false)),
        ] {
            if ui.button(name).clicked() {
                actions.push(Action::Worker(Command::Mark {
                    ids: ids(pane),
                    read,
                    starred,
                }));
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
                            actions.push(Action::Worker(Command::AddTagMany(
                                targets.clone(),
                                tag.name.clone(),
                            )));
                            ui.close();
                        }
                    }
                });
        });
        if !row.summary.tags.is_empty() {
            ui.menu_button(format!("Untag{suffix}"), |ui| {
                for tag in &row.summary.tags {
                    if ui.button(tag).clicked() {
                        actions.push(Action::Worker(Command::RemoveTagMany(
                            targets.clone(),
                            tag.clone(),
                        )));
                        ui.close();
                    }
                }
            });
        }
        let (read, starred) = (row.summary.read, row.summary.starred);
        let read_label = if read { "Mark unread" } else { "Mark read" };
        if ui.button(format!("{read_label}{suffix}")).clicked() {
            actions.push(Action::Worker(Command::Mark {
                ids: targets.clone(),
                read: Some(!read),
                starred: None,
            }));
            ui.close();
        }
        let star_label = if starred { "Unstar" } else { "Star" };
        if ui.button(format!("{star_label}{suffix}")).clicked() {
            actions.push(Action::Worker(Command::Mark {
                ids: targets.clone(),
                read: None,
                starred: Some(!starred),
            }));
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
        let (text, marks) = lead_to_match(snippet, SNIPPET_LEAD);
        let start = meta.iter().map(|m| m.len() + " · ".len()).sum::<usize>();
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
/// where it was cut; a "In the note: " opening is kept), and its matches'
/// byte ranges in that text.
fn lead_to_match(
    snippet: &crate::library::Snippet,
    lead: usize,
) -> (String, Vec<std::ops::Range<usize>>) {
    let text = &snippet.text;
    let first = snippet.highlights.first().map_or(0, |r| r.start);
    // Keep where it matched ("In the note: ").
    let opening = crate::jobs::SNIPPET_OPENINGS
        .into_iter()
        .find(|o| text.starts_with(o))
        .map_or(0, str::len);
    let before = text.get(opening..first).unwrap_or("");
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
        .map(|(i, _)| opening + i);
    let Some(cut) = cut.filter(|&c| c > opening) else {
        return (text.clone(), snippet.highlights.clone());
    };
    let mut out = String::with_capacity(text.len() - cut + opening + 3);
    out.push_str(&text[..opening]);
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
        let text =
            "In the note: a long opening that the row would cut before the word solar appears";
        let at = text.find("solar").unwrap();
        let snippet = crate::library::Snippet {
            text: text.to_owned(),
            highlights: std::iter::once(at..at + 5).collect(),
        };
        let (cut, ranges) = lead_to_match(&snippet, 6);
        assert_eq!(cut, "In the note: …e word solar appears");
        assert_eq!(&cut[ranges[0].clone()], "solar");
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
    fn the_timeline_replaces_only_the_dates_of_the_search() {
        assert_eq!(
            with_date_range(
                "climate \"sea level\" after:2019-01-01",
                "2020-03-01",
                "2020-04-01"
            ),
            "climate \"sea level\" after:2020-03-01 before:2020-04-01"
        );
        assert_eq!(
            with_date_range("", "2020-03-01", "2020-04-01"),
            "after:2020-03-01 before:2020-04-01"
        );
        assert_eq!(
            without_date_range("Before:2021-01-01 小米 \"after: x\" after:2020"),
            "小米 \"after: x\""
        );
        assert!(has_date_range("x after:2020"));
        assert!(!has_date_range("x \"after\""));
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

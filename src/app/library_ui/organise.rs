//! The library pane's organising parts: the reading-state filters with their
//! counts (all, unread, starred, trash), the collections (saved searches)
//! with live counts, and the tag tree that folds. They draw what
//! [`Overview`] counted and change only the library pane's own state; every
//! change to the list goes out as an [`Action`].

use egui::RichText;

use super::pane::LibraryPane;
use crate::app::action::{Action, ReadFilter};
use crate::app::palette::parse_colour;
use crate::library::{Overview, TagNode};

/// Colours offered in a tag's context menu.
const TAG_COLOURS: &[(&str, &str)] = &[
    ("Red", "#d04040"),
    ("Orange", "#d08020"),
    ("Green", "#3a9a4a"),
    ("Blue", "#3a6ad0"),
    ("Purple", "#8a4ac0"),
];

/// Width of a tag parent's fold arrow (a leaf is indented as much).
const ARROW_WIDTH: f32 = 14.0;

/// Tallest the collections and the tag tree grow before they scroll.
const SECTION_HEIGHT: f32 = 150.0;

/// "All (120) Unread (80) Starred (3) Trash (2)" ("Starred", "Trash" when
/// none): one click shows each.
#[must_use]
pub fn reading_filters_ui(
    ui: &mut egui::Ui,
    pane: &LibraryPane,
    overview: Option<&Overview>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let count = |n: Option<u64>| n.map_or_else(String::new, |n| format!(" ({n})"));
    // One line at the pane's default width (issue 27: "Trash (0)" wrapped
    // under the others): an empty trash or none starred says no "(0)".
    let some = |n: Option<u64>| count(n.filter(|n| *n > 0));
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for (filter, name, n) in [
            (ReadFilter::All, "All", overview.map(|o| o.articles)),
            (ReadFilter::Unread, "Unread", overview.map(|o| o.unread)),
        ] {
            let on = !pane.show_trash && pane.read_filter == filter;
            if ui
                .selectable_label(on, format!("{name}{}", count(n)))
                .clicked()
            {
                actions.push(Action::SetReadFilter(filter));
            }
        }
        let starred = ui.selectable_label(
            !pane.show_trash && pane.read_filter == ReadFilter::Starred,
            format!("Starred{}", some(overview.map(|o| o.starred))),
        );
        if starred.clicked() {
            actions.push(Action::SetReadFilter(ReadFilter::Starred));
        }
        let trash = ui.selectable_label(
            pane.show_trash,
            format!("Trash{}", some(overview.map(|o| o.trashed))),
        );
        if trash.clicked() {
            actions.push(Action::ShowTrash(!pane.show_trash));
        }
    });
    actions
}

/// The collections: click one to show it (again to leave it); rename or
/// delete it from its context menu. A collection whose query no longer runs
/// says why when hovered.
#[must_use]
pub fn collections_ui(
    ui: &mut egui::Ui,
    pane: &LibraryPane,
    overview: Option<&Overview>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let collections = overview.map_or(&[][..], |o| &o.collections[..]);
    egui::CollapsingHeader::new(format!("Collections ({})", collections.len()))
        .default_open(true)
        .show(ui, |ui| {
            if collections.is_empty() {
                ui.label(
                    RichText::new("Search, then “Save…” keeps the search here.")
                        .small()
                        .weak(),
                );
                return;
            }
            egui::ScrollArea::vertical()
                .id_salt("collections-scroll")
                .max_height(SECTION_HEIGHT)
                .show(ui, |ui| {
                    for entry in collections {
                        let name = &entry.collection.name;
                        let text = match entry.count {
                            Some(n) => format!("{name} ({n})"),
                            None => format!("{name} (cannot run)"),
                        };
                        let open = pane.collection.as_deref() == Some(name.as_str());
                        let mut response = ui.selectable_label(open, text);
                        response = match &entry.error {
                            Some(error) => response.on_hover_text(error),
                            None => response.on_hover_text(&entry.collection.query),
                        };
                        if response.clicked() {
                            actions.push(Action::OpenCollection((!open).then(|| name.clone())));
                        }
                        response.context_menu(|ui| {
                            if ui.button("Rename…").clicked() {
                                actions.push(Action::CollectionDialog {
                                    old: Some(name.clone()),
                                    query: entry.collection.query.clone(),
                                });
                                ui.close();
                            }
                            if ui.button("Delete collection").clicked() {
                                actions.push(Action::RemoveCollection(name.clone()));
                                ui.close();
                            }
                        });
                    }
                });
        });
    actions
}

/// Whether `nodes[i]` has children (they follow it, one level deeper).
fn has_children(nodes: &[&TagNode], i: usize) -> bool {
    nodes.get(i + 1).is_some_and(|n| n.depth > nodes[i].depth)
}

/// The tag tree: a parent folds (▸/▾) and counts its own articles and those
/// of the tags below it; click filters (several combine with AND), Alt- or
/// Ctrl-click excludes; rename, colour and delete from the context menu (a
/// parent's rename and colour reach its children).
#[must_use]
pub fn tag_tree_ui(ui: &mut egui::Ui, pane: &mut LibraryPane, tree: &[TagNode]) -> Vec<Action> {
    let mut actions = Vec::new();
    let tags = tree.iter().filter(|n| n.exists).count();
    // A tag whose articles are all gone ("xiaomi (0)") is hidden unless
    // asked for (it can then be deleted), or while it filters the list.
    let empty = tree.iter().filter(|n| n.total == 0).count();
    let tree: Vec<&TagNode> = tree
        .iter()
        .filter(|n| {
            n.total > 0
                || pane.show_empty_tags
                || pane.include_tags.contains(&n.name)
                || pane.exclude_tags.contains(&n.name)
        })
        .collect();
    let tree = &tree[..];
    egui::CollapsingHeader::new(format!("Tags ({tags})"))
        .default_open(true)
        .show(ui, |ui| {
            if tree.is_empty() {
                ui.label(RichText::new("No tags yet: add one in the inspector (Ctrl+T).").weak());
            }
            egui::ScrollArea::vertical()
                .id_salt("tags-scroll")
                .max_height(SECTION_HEIGHT)
                .show(ui, |ui| {
                    // Depth of the folded parent being skipped, if any.
                    let mut hidden_below: Option<usize> = None;
                    for (i, node) in tree.iter().enumerate() {
                        if let Some(depth) = hidden_below {
                            if node.depth > depth {
                                continue;
                            }
                            hidden_below = None;
                        }
                        let parent = has_children(tree, i);
                        let open = parent && pane.unfolded.contains(&node.name);
                        if parent && !open {
                            hidden_below = Some(node.depth);
                        }
                        ui.horizontal(|ui| {
                            ui.add_space(node.depth as f32 * 14.0);
                            if parent {
                                let arrow = if open { "⏷" } else { "⏵" };
                                let verb = if open { "Fold" } else { "Unfold" };
                                if ui
                                    .add_sized(
                                        [ARROW_WIDTH, 18.0],
                                        egui::Button::new(arrow).frame(false),
                                    )
                                    .on_hover_text(format!("{verb} {}", node.name))
                                    .clicked()
                                {
                                    if open {
                                        pane.unfolded.remove(&node.name);
                                    } else {
                                        pane.unfolded.insert(node.name.clone());
                                    }
                                }
                            } else {
                                ui.add_space(ARROW_WIDTH + ui.spacing().item_spacing.x);
                            }
                            actions.extend(tag_node_ui(ui, pane, node, parent));
                        });
                    }
                });
            if empty > 0 {
                let text = if pane.show_empty_tags {
                    "Hide tags without articles".to_owned()
                } else {
                    format!(
                        "Show {} without articles",
                        crate::app::words::counted(empty, "tag", "tags")
                    )
                };
                if ui
                    .add(egui::Button::new(RichText::new(text).small()).frame(false))
                    .clicked()
                {
                    pane.show_empty_tags = !pane.show_empty_tags;
                }
            }
            if pane.has_tag_filter() {
                ui.label(
                    RichText::new("Alt-click a tag to exclude it.")
                        .small()
                        .weak(),
                );
            }
        });
    actions
}

/// One tag of the tree: its label with counts, the filter click and the menu.
fn tag_node_ui(ui: &mut egui::Ui, pane: &LibraryPane, node: &TagNode, parent: bool) -> Vec<Action> {
    let mut actions = Vec::new();
    let included = pane.include_tags.contains(&node.name);
    let excluded = pane.exclude_tags.contains(&node.name);
    let label = if parent && node.count != node.total {
        format!("{} ({} · {})", node.label, node.count, node.total)
    } else {
        format!("{} ({})", node.label, node.total)
    };
    let mut text = RichText::new(label);
    if excluded {
        text = text.strikethrough();
    }
    if !node.exists {
        text = text.italics();
    }
    if let Some(colour) = node.colour.as_deref().and_then(parse_colour) {
        text = text.color(colour);
    }
    let mut response = ui.selectable_label(included || excluded, text);
    if parent {
        response = response.on_hover_text(format!(
            "{}: {} tagged with it, {} with it or a tag below it",
            node.name, node.count, node.total
        ));
    }
    if response.clicked() {
        let exclude = ui.input(|i| i.modifiers.alt || i.modifiers.command);
        actions.push(Action::ToggleTagFilter {
            name: node.name.clone(),
            exclude,
        });
    }
    response.context_menu(|ui| {
        if ui.button("Filter out").clicked() {
            actions.push(Action::ToggleTagFilter {
                name: node.name.clone(),
                exclude: true,
            });
            ui.close();
        }
        if ui.button("Rename or merge…").clicked() {
            actions.push(Action::RenameTagDialog(node.name.clone()));
            ui.close();
        }
        ui.menu_button("Colour", |ui| {
            for (name, hex) in TAG_COLOURS {
                if ui.button(*name).clicked() {
                    actions.push(Action::SetTagColour {
                        name: node.name.clone(),
                        colour: Some((*hex).to_owned()),
                    });
                    ui.close();
                }
            }
            if ui.button("None").clicked() {
                actions.push(Action::SetTagColour {
                    name: node.name.clone(),
                    colour: None,
                });
                ui.close();
            }
        });
        if node.exists && ui.button("Delete tag").clicked() {
            actions.push(Action::DeleteTag(node.name.clone()));
            ui.close();
        }
    });
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, depth: usize) -> TagNode {
        TagNode {
            name: name.to_owned(),
            label: name.rsplit('/').next().unwrap_or(name).to_owned(),
            depth,
            exists: true,
            count: 1,
            total: 1,
            colour: None,
            own_colour: None,
        }
    }

    #[test]
    fn a_node_has_children_when_a_deeper_one_follows() {
        let tree = [node("a", 0), node("a/b", 1), node("c", 0)];
        let tree: Vec<&TagNode> = tree.iter().collect();
        assert!(has_children(&tree, 0));
        assert!(!has_children(&tree, 1));
        assert!(!has_children(&tree, 2));
    }
}

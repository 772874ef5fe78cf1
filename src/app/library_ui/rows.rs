//! The article list: only the visible rows are fetched and laid out; a
//! row shows its thumbnail, title, date, site and snippet (where it
//! matched, its matches marked), and clicks select rows for bulk work. Its
//! context menu tags, marks, trashes or exports the row or the selection.

use egui::Sense;

use super::pane::{LibraryPane, LibraryView};
use crate::app::action::Action;
use crate::app::palette::parse_colour;
use crate::app::state::Row;
use crate::jobs::PAGE_ROWS;
use crate::library::ArticleId;

/// Height of one list row (fixed, so only visible rows are laid out).
const ROW_HEIGHT: f32 = 58.0;

/// What a search's rows add for the snippet's second line.
const SNIPPET_LINE: f32 = 15.0;

/// The article list: only the visible rows are fetched and laid out.
pub(super) fn list_ui(
    ui: &mut egui::Ui,
    pane: &mut LibraryPane,
    view: &LibraryView<'_>,
) -> Vec<Action> {
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
    // A search's rows are a line taller: the snippet gets two lines.
    let row_height = if list.shows_snippets() {
        ROW_HEIGHT + SNIPPET_LINE
    } else {
        ROW_HEIGHT
    };
    let scroll_to = pane.scroll_to_row.take();
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("article-list")
        .auto_shrink([false, false]);
    if let Some(row) = scroll_to {
        let spacing = ui.spacing().item_spacing.y;
        let y = row as f32 * (row_height + spacing);
        let visible = ui.available_height();
        scroll = scroll.vertical_scroll_offset((y - visible / 2.0).max(0.0));
    }
    scroll.show_rows(ui, row_height, total, |ui, range| {
        let pages: Vec<usize> =
            (range.start / PAGE_ROWS..=range.end.saturating_sub(1) / PAGE_ROWS).collect();
        actions.extend(pages.into_iter().map(Action::RequestPage));
        for index in range {
            let row = list.row(index);
            let (rect, response) = ui
                .allocate_exact_size(egui::vec2(ui.available_width(), row_height), Sense::click());
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
        // What is selected is what was clicked: the open article joins
        // only when it is clicked too (issue 27).
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

/// A row's context menu: view it as saved, open the live page, copy its link, tag, trash,
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
        if ui.button("View as saved").clicked() {
            actions.push(Action::ViewAsSaved {
                id: row.summary.id,
                version: None,
            });
            ui.close();
        }
        if ui
            .add_enabled(link.is_some(), egui::Button::new("Open live page"))
            .on_hover_text("The address on the web today: it may have changed or gone.")
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
        ui.separator();
        actions.extend(crate::app::file_menu::citation_items(
            ui,
            true,
            view.citation_style,
            |format| Action::CopyCitation {
                ids: targets.clone(),
                format,
            },
        ));
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
    // A snippet may take a second line (the row is taller then).
    let lines = if row.snippet.is_some() { 2 } else { 1 };
    let meta_galley = ui.fonts_mut(|f| {
        let mut job = second_line_job(row, &visuals);
        job.wrap = egui::text::TextWrapping {
            max_width: rect.right() - 4.0 - x,
            max_rows: lines,
            break_anywhere: true,
            overflow_character: Some('…'),
        };
        f.layout_job(job)
    });
    let chips_top = rect.bottom() - (ROW_HEIGHT - 40.0);
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
            egui::pos2(chip_x, chips_top),
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
    if let Some(progress) = row.summary.progress.filter(|p| (0.01..0.99).contains(p)) {
        meta.push(format!("{:.0}% read", progress * 100.0));
    }
    let mut ranges = Vec::new();
    if let Some(snippet) = row.snippet.as_ref().filter(|s| !s.text.is_empty()) {
        let (cut, marks) = lead_to_match(snippet, SNIPPET_LEAD);
        // Where it matched, when not the body or title ("In the note: ").
        let opening = crate::app::words::snippet_opening(row.matched_in);
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
                progress: None,
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
}

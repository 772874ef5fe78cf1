//! The timeline above the list: the current result set as a histogram by
//! month of publication (by year when the months would be thinner than a
//! few pixels), drawn with the painter. A click on a bar shows that month;
//! a drag over a span shows the span (both become `after:`/`before:` in the
//! search box, so the user sees and can edit them; a click on an empty
//! month does nothing). It follows the list's
//! query: the counts come from the worker with the list's generation.

use egui::{Rect, Sense, pos2, vec2};

use super::action::Action;
use crate::library::{MonthCount, Timeline};

/// The timeline's height (bars and the axis labels under them).
const HEIGHT: f32 = 64.0;
/// Room under the bars for the axis labels.
const AXIS: f32 = 13.0;
/// Narrowest a month's bar may get before bars become years.
const MIN_MONTH_WIDTH: f32 = 3.0;

/// The timeline's own state: where a drag over it started.
#[derive(Default)]
pub struct TimelineDrag {
    /// The bar the drag started on.
    from: Option<usize>,
}

/// One bar: a month, or a whole year when `month` is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// The year.
    pub year: i32,
    /// The month (1–12), or `None` for the whole year.
    pub month: Option<u32>,
    /// Matches in it.
    pub count: u64,
}

impl Bucket {
    /// The first day of the bucket, as `after:` takes it.
    pub fn start(&self) -> String {
        format!("{:04}-{:02}-01", self.year, self.month.unwrap_or(1))
    }

    /// The first day after the bucket, as `before:` takes it.
    pub fn end(&self) -> String {
        match self.month {
            Some(12) => format!("{:04}-01-01", self.year + 1),
            Some(m) => format!("{:04}-{:02}-01", self.year, m + 1),
            None => format!("{:04}-01-01", self.year + 1),
        }
    }

    /// "2021-03" or "2021".
    pub fn name(&self) -> String {
        match self.month {
            Some(m) => format!("{:04}-{m:02}", self.year),
            None => format!("{:04}", self.year),
        }
    }
}

/// Every month from the first to the last with matches (empty ones
/// included, so the gaps show); as years instead when `width` cannot give
/// each month [`MIN_MONTH_WIDTH`].
pub fn buckets(months: &[MonthCount], width: f32) -> Vec<Bucket> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Vec::new();
    };
    let index = |m: &MonthCount| i64::from(m.year) * 12 + i64::from(m.month) - 1;
    let span = index(last) - index(first) + 1;
    let by_year = span as f32 * MIN_MONTH_WIDTH > width;
    let mut out: Vec<Bucket> = Vec::new();
    if by_year {
        for year in first.year..=last.year {
            out.push(Bucket {
                year,
                month: None,
                count: 0,
            });
        }
        for m in months {
            if let Some(b) = out.get_mut(usize::try_from(m.year - first.year).unwrap_or(0)) {
                b.count += m.count;
            }
        }
    } else {
        for i in index(first)..=index(last) {
            out.push(Bucket {
                year: i32::try_from(i.div_euclid(12)).unwrap_or(0),
                month: u32::try_from(i.rem_euclid(12) + 1).ok(),
                count: 0,
            });
        }
        for m in months {
            if let Some(b) = out.get_mut(usize::try_from(index(m) - index(first)).unwrap_or(0)) {
                b.count += m.count;
            }
        }
    }
    out
}

/// Draw the timeline `counted` (`None` while the worker counts it).
///
/// The strip always takes its height, counted or not, dated matches or
/// none: the list under it must not move when the counts arrive after the
/// rows, or a click aimed at a row lands on its neighbour.
#[must_use]
pub fn timeline_ui(
    ui: &mut egui::Ui,
    drag: &mut TimelineDrag,
    counted: Option<&Timeline>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let width = ui.available_width();
    let bars = counted.map_or_else(Vec::new, |t| buckets(&t.months, width));
    let Some(timeline) = counted.filter(|_| !bars.is_empty()) else {
        let (rect, response) = ui.allocate_exact_size(vec2(width, HEIGHT), Sense::hover());
        if counted.is_some() {
            let text = "Timeline: none of these has a date";
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, text));
            ui.painter().text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "No dates among these articles",
                egui::FontId::proportional(12.0),
                ui.visuals().weak_text_color(),
            );
        }
        return actions;
    };
    let (rect, response) = ui.allocate_exact_size(vec2(width, HEIGHT), Sense::click_and_drag());
    let total: u64 = bars.iter().map(|b| b.count).sum();
    let (first, last) = (bars[0].name(), bars[bars.len() - 1].name());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Image,
            true,
            format!("Timeline: {total} dated from {first} to {last}"),
        )
    });
    let plot = Rect::from_min_max(rect.min, pos2(rect.max.x, rect.max.y - AXIS));
    let step = plot.width() / bars.len() as f32;
    let at = |x: f32| -> usize {
        (((x - plot.left()) / step).floor().max(0.0) as usize).min(bars.len() - 1)
    };
    let hovered = response.hover_pos().map(|p| at(p.x));
    // Where the button went down, not where the drag was recognised.
    if response.drag_started()
        && let Some(p) = ui
            .input(|i| i.pointer.press_origin())
            .or(response.interact_pointer_pos())
    {
        drag.from = Some(at(p.x));
    }
    let span = match (drag.from, response.interact_pointer_pos()) {
        (Some(from), Some(p)) if response.dragged() || response.drag_stopped() => {
            let to = at(p.x);
            Some((from.min(to), from.max(to)))
        }
        _ => None,
    };
    if response.drag_stopped() {
        drag.from = None;
        if let Some((a, b)) = span {
            actions.push(Action::SetDateRange {
                after: bars[a].start(),
                before: bars[b].end(),
            });
        }
    } else if response.clicked()
        && let Some(i) = hovered.filter(|&i| bars[i].count > 0)
    {
        actions.push(Action::SetDateRange {
            after: bars[i].start(),
            before: bars[i].end(),
        });
    }

    let visuals = ui.visuals();
    let painter = ui.painter_at(rect);
    painter.rect_filled(plot, 3.0, visuals.faint_bg_color);
    let max = bars.iter().map(|b| b.count).max().unwrap_or(1).max(1) as f32;
    let bar_colour = visuals.selection.bg_fill;
    let strong = visuals.strong_text_color();
    for (i, bar) in bars.iter().enumerate() {
        if let Some((a, b)) = span
            && (a..=b).contains(&i)
        {
            let x = plot.left() + i as f32 * step;
            painter.rect_filled(
                Rect::from_min_max(pos2(x, plot.top()), pos2(x + step, plot.bottom())),
                0.0,
                visuals.widgets.hovered.weak_bg_fill,
            );
        }
        if bar.count == 0 {
            continue;
        }
        let h = ((bar.count as f32 / max) * (plot.height() - 4.0)).max(1.5);
        let x = plot.left() + i as f32 * step;
        let gap = if step > 4.0 { 1.0 } else { 0.0 };
        let colour = if hovered == Some(i) {
            strong
        } else {
            bar_colour
        };
        painter.rect_filled(
            Rect::from_min_max(
                pos2(x + gap, plot.bottom() - h),
                pos2(x + step - gap, plot.bottom()),
            ),
            0.0,
            colour,
        );
    }
    let small = egui::FontId::proportional(10.5);
    let weak = visuals.weak_text_color();
    painter.text(
        pos2(rect.left(), rect.bottom()),
        egui::Align2::LEFT_BOTTOM,
        &first,
        small.clone(),
        weak,
    );
    painter.text(
        pos2(rect.right(), rect.bottom()),
        egui::Align2::RIGHT_BOTTOM,
        &last,
        small.clone(),
        weak,
    );
    if timeline.undated > 0 {
        painter.text(
            pos2(rect.center().x, rect.bottom()),
            egui::Align2::CENTER_BOTTOM,
            format!("{} undated", timeline.undated),
            small,
            weak,
        );
    }
    if let Some(i) = hovered {
        let bar = bars[i];
        let text = match span {
            Some((a, b)) if a != b => format!("{} – {}", bars[a].name(), bars[b].name()),
            _ => format!(
                "{}: {}",
                bar.name(),
                super::words::counted(
                    usize::try_from(bar.count).unwrap_or(0),
                    "article",
                    "articles"
                )
            ),
        };
        response.on_hover_text_at_pointer(text);
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(year: i32, month: u32, count: u64) -> MonthCount {
        MonthCount { year, month, count }
    }

    #[test]
    fn empty_months_between_matches_are_bars_of_their_own() {
        let bars = buckets(&[month(2020, 11, 2), month(2021, 2, 5)], 400.0);
        let names: Vec<String> = bars.iter().map(Bucket::name).collect();
        assert_eq!(names, ["2020-11", "2020-12", "2021-01", "2021-02"]);
        assert_eq!(
            bars.iter().map(|b| b.count).collect::<Vec<_>>(),
            [2, 0, 0, 5]
        );
        assert_eq!(bars[1].start(), "2020-12-01");
        assert_eq!(bars[1].end(), "2021-01-01");
    }

    #[test]
    fn thirty_years_in_a_narrow_pane_are_years() {
        let bars = buckets(
            &[month(1990, 5, 1), month(1990, 6, 1), month(2020, 1, 3)],
            300.0,
        );
        assert_eq!(bars.len(), 31);
        assert_eq!(bars[0].name(), "1990");
        assert_eq!(bars[0].count, 2);
        assert_eq!(bars[30].count, 3);
        assert_eq!(bars[30].start(), "2020-01-01");
        assert_eq!(bars[30].end(), "2021-01-01");
    }
}

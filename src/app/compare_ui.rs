//! The compare window: two versions of an article, inline or side by side,
//! aligned paragraph by paragraph, text removed struck through on red and
//! text added underlined on green inside edited paragraphs (by character
//! for Chinese, by word for Latin text), runs of unchanged paragraphs
//! folded to a count, changed details and images added or removed. The
//! comparison itself is `model::diff`, made by the worker.

use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, RichText, Stroke};

use super::action::Action;
use super::palette::Palette;
use crate::library::{ArticleId, VersionInfo};
use crate::model::diff::{Diff, InlineSpan, ParagraphChange, SpanOp};

/// Unchanged paragraphs shown around a change before the rest of a run is
/// folded to a count.
const CONTEXT: usize = 1;

/// The compare window's own state.
#[derive(Default)]
pub struct ComparePane {
    /// Shown.
    open: bool,
    /// The article and the two versions asked for.
    id: Option<ArticleId>,
    old: usize,
    new: usize,
    /// The article's versions (for the two pickers).
    versions: Vec<VersionInfo>,
    /// The comparison of `(id, old, new)`, once the worker sent it.
    diff: Option<(ArticleId, usize, usize, Arc<Diff>)>,
    /// Side by side rather than inline.
    side_by_side: bool,
}

impl ComparePane {
    /// Open on versions `old` and `new` of article `id` (the comparison is
    /// asked for by the caller).
    pub fn open(&mut self, id: ArticleId, old: usize, new: usize) {
        self.open = true;
        if self.id != Some(id) {
            self.versions.clear();
        }
        self.id = Some(id);
        self.old = old;
        self.new = new;
    }

    /// The versions of article `id` are these (kept for the pickers).
    pub fn set_versions(&mut self, id: ArticleId, versions: &[VersionInfo]) {
        if self.id == Some(id) {
            self.versions = versions.to_vec();
        }
    }

    /// The worker compared versions `old` and `new` of article `id`.
    pub fn set_diff(&mut self, id: ArticleId, old: usize, new: usize, diff: Arc<Diff>) {
        self.diff = Some((id, old, new, diff));
    }

    /// Whether the window is shown.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Close the window (Escape).
    pub fn close(&mut self) {
        self.open = false;
    }
}

/// Draw the compare window when it is open.
#[must_use]
pub fn compare_window_ui(ctx: &egui::Context, pane: &mut ComparePane) -> Vec<Action> {
    let mut actions = Vec::new();
    let Some(id) = pane.id.filter(|_| pane.open) else {
        return actions;
    };
    let mut open = true;
    let palette = Palette::new(ctx.global_style().visuals.dark_mode);
    egui::Window::new("Compare versions")
        .open(&mut open)
        .default_size([860.0, 620.0])
        .default_pos(ctx.content_rect().center() - egui::vec2(430.0, 310.0))
        .resizable(true)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal_wrapped(|ui| {
                let (mut old, mut new) = (pane.old, pane.new);
                version_picker(ui, "Older", &pane.versions, &mut old);
                version_picker(ui, "Newer", &pane.versions, &mut new);
                if (old, new) != (pane.old, pane.new) {
                    actions.push(Action::CompareVersions { id, old, new });
                }
                ui.separator();
                ui.selectable_value(&mut pane.side_by_side, false, "Inline");
                ui.selectable_value(&mut pane.side_by_side, true, "Side by side");
            });
            ui.separator();
            let diff = pane
                .diff
                .as_ref()
                .filter(|(of, o, n, _)| *of == id && *o == pane.old && *n == pane.new)
                .map(|(.., diff)| Arc::clone(diff));
            let Some(diff) = diff else {
                ui.label(RichText::new("Comparing…").weak());
                return;
            };
            summary_ui(ui, &diff, pane.old, pane.new);
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    if pane.side_by_side {
                        side_by_side_ui(ui, &diff, &palette);
                    } else {
                        inline_ui(ui, &diff, &palette);
                    }
                    images_ui(ui, &diff, &palette);
                });
        });
    if !open {
        pane.open = false;
    }
    actions
}

/// A picker of one of the two versions.
fn version_picker(ui: &mut egui::Ui, label: &str, versions: &[VersionInfo], number: &mut usize) {
    ui.label(label);
    let name = |v: &VersionInfo| {
        format!(
            "{} · {} · {}{}",
            v.number,
            v.imported_at.get(..10).unwrap_or(&v.imported_at),
            v.source_file,
            if v.shown { " (shown)" } else { "" }
        )
    };
    let selected = versions
        .iter()
        .find(|v| v.number == *number)
        .map_or_else(|| format!("version {number}"), name);
    egui::ComboBox::from_id_salt(("compare-version", label))
        .selected_text(selected)
        .width(260.0)
        .show_ui(ui, |ui| {
            for v in versions {
                ui.selectable_value(number, v.number, name(v));
            }
        });
}

/// What changed, in one line, then the details that differ.
fn summary_ui(ui: &mut egui::Ui, diff: &Diff, old: usize, new: usize) {
    let c = diff.counts;
    ui.label(format!(
        "Version {old} to {new}: {} added, {} removed, {} edited, {} unchanged paragraphs; {} images added, {} removed",
        c.inserted, c.deleted, c.changed, c.equal, c.images_added, c.images_removed
    ));
    if !diff.complete {
        ui.label(
            RichText::new(
                "The comparison took too long to finish: some edited paragraphs are shown \
                 removed and added whole.",
            )
            .weak(),
        );
    }
    for field in &diff.metadata {
        ui.label(format!(
            "{}: was {}, now {}",
            field_name(field.field),
            field.old.as_deref().unwrap_or("(none)"),
            field.new.as_deref().unwrap_or("(none)")
        ));
    }
    ui.separator();
}

fn field_name(field: &str) -> &str {
    match field {
        "title" => "Title",
        "byline" => "Byline",
        "published" => "Date",
        "site" => "Site",
        "url" => "Address",
        "lang" => "Language",
        other => other,
    }
}

/// Which paragraphs to draw: every change, `CONTEXT` unchanged ones on
/// each side of a change; the rest of a run of unchanged ones is folded.
fn visible(paragraphs: &[ParagraphChange]) -> Vec<Option<usize>> {
    let changed: Vec<bool> = paragraphs
        .iter()
        .map(|p| !matches!(p, ParagraphChange::Equal { .. }))
        .collect();
    let near = |i: usize| {
        let from = i.saturating_sub(CONTEXT);
        let to = (i + CONTEXT + 1).min(changed.len());
        changed[from..to].iter().any(|c| *c)
    };
    let mut out = Vec::new();
    let mut folded = false;
    for (i, &is_change) in changed.iter().enumerate() {
        if is_change || near(i) {
            out.push(Some(i));
            folded = false;
        } else if !folded {
            out.push(None);
            folded = true;
        }
    }
    out
}

/// How many unchanged paragraphs a fold at `at` (in `visible`'s list) stands for.
fn folded_count(paragraphs: &[ParagraphChange], shown: &[Option<usize>], at: usize) -> usize {
    let from = shown[..at]
        .iter()
        .rev()
        .find_map(|s| *s)
        .map_or(0, |i| i + 1);
    let to = shown[at + 1..]
        .iter()
        .find_map(|s| *s)
        .unwrap_or(paragraphs.len());
    to - from
}

fn fold_label(ui: &mut egui::Ui, n: usize) {
    ui.label(
        RichText::new(format!(
            "… {n} unchanged paragraph{}",
            if n == 1 { "" } else { "s" }
        ))
        .weak()
        .italics(),
    );
}

/// Text runs as one wrapped label: removed text struck through on red,
/// added text underlined on green; `side` leaves out what the other side
/// shows (`Some(false)`: the older text, `Some(true)`: the newer).
fn runs_ui(ui: &mut egui::Ui, spans: &[InlineSpan], palette: &Palette, side: Option<bool>) {
    let font = FontId::proportional(15.0);
    let mut job = LayoutJob::default();
    job.wrap.max_width = ui.available_width();
    for span in spans {
        let format = match span.op {
            SpanOp::Equal => TextFormat::simple(font.clone(), palette.text),
            SpanOp::Deleted if side != Some(true) => TextFormat {
                font_id: font.clone(),
                color: palette.text,
                background: palette.deleted_bg,
                strikethrough: Stroke::new(1.0, palette.text),
                ..TextFormat::default()
            },
            SpanOp::Inserted if side != Some(false) => TextFormat {
                font_id: font.clone(),
                color: palette.text,
                background: palette.inserted_bg,
                underline: Stroke::new(1.0, palette.text),
                ..TextFormat::default()
            },
            SpanOp::Deleted | SpanOp::Inserted => continue,
        };
        job.append(&span.text, 0.0, format);
    }
    ui.label(job);
}

/// One paragraph whole, as removed or added text or unchanged.
fn whole_ui(ui: &mut egui::Ui, op: SpanOp, text: &str, palette: &Palette) {
    runs_ui(
        ui,
        &[InlineSpan {
            op,
            text: text.to_owned(),
        }],
        palette,
        None,
    );
}

/// The comparison as one column.
fn inline_ui(ui: &mut egui::Ui, diff: &Diff, palette: &Palette) {
    let shown = visible(&diff.paragraphs);
    for (at, entry) in shown.iter().enumerate() {
        let Some(i) = *entry else {
            fold_label(ui, folded_count(&diff.paragraphs, &shown, at));
            continue;
        };
        match &diff.paragraphs[i] {
            ParagraphChange::Equal { text, .. } => whole_ui(ui, SpanOp::Equal, text, palette),
            ParagraphChange::Deleted { text, .. } => whole_ui(ui, SpanOp::Deleted, text, palette),
            ParagraphChange::Inserted { text, .. } => {
                whole_ui(ui, SpanOp::Inserted, text, palette);
            }
            ParagraphChange::Changed { spans, .. } => runs_ui(ui, spans, palette, None),
        }
        ui.add_space(8.0);
    }
}

/// The comparison as two columns, the older copy on the left.
fn side_by_side_ui(ui: &mut egui::Ui, diff: &Diff, palette: &Palette) {
    let shown = visible(&diff.paragraphs);
    let width = (ui.available_width() - 24.0) / 2.0;
    egui::Grid::new("compare-side-by-side")
        .num_columns(2)
        .min_col_width(width)
        .max_col_width(width)
        .spacing([24.0, 10.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Older").strong());
            ui.label(RichText::new("Newer").strong());
            ui.end_row();
            for (at, entry) in shown.iter().enumerate() {
                let Some(i) = *entry else {
                    let n = folded_count(&diff.paragraphs, &shown, at);
                    fold_label(ui, n);
                    fold_label(ui, n);
                    ui.end_row();
                    continue;
                };
                match &diff.paragraphs[i] {
                    ParagraphChange::Equal { text, .. } => {
                        whole_ui(ui, SpanOp::Equal, text, palette);
                        whole_ui(ui, SpanOp::Equal, text, palette);
                    }
                    ParagraphChange::Deleted { text, .. } => {
                        whole_ui(ui, SpanOp::Deleted, text, palette);
                        ui.label("");
                    }
                    ParagraphChange::Inserted { text, .. } => {
                        ui.label("");
                        whole_ui(ui, SpanOp::Inserted, text, palette);
                    }
                    ParagraphChange::Changed { spans, .. } => {
                        runs_ui(ui, spans, palette, Some(false));
                        runs_ui(ui, spans, palette, Some(true));
                    }
                }
                ui.end_row();
            }
        });
}

/// Images removed and added.
fn images_ui(ui: &mut egui::Ui, diff: &Diff, palette: &Palette) {
    if diff.images_added.is_empty() && diff.images_removed.is_empty() {
        return;
    }
    ui.separator();
    for image in &diff.images_removed {
        whole_ui(
            ui,
            SpanOp::Deleted,
            &format!("Image removed: {}", image.label),
            palette,
        );
    }
    for image in &diff.images_added {
        whole_ui(
            ui,
            SpanOp::Inserted,
            &format!("Image added: {}", image.label),
            palette,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(i: usize) -> ParagraphChange {
        ParagraphChange::Equal {
            old: i,
            new: i,
            kind: "paragraph",
            text: format!("p{i}"),
        }
    }

    #[test]
    fn unchanged_runs_fold_around_the_changes() {
        let mut paragraphs: Vec<ParagraphChange> = (0..10).map(eq).collect();
        paragraphs[5] = ParagraphChange::Deleted {
            old: 5,
            kind: "paragraph",
            text: "gone".into(),
        };
        let shown = visible(&paragraphs);
        assert_eq!(shown, [None, Some(4), Some(5), Some(6), None]);
        assert_eq!(folded_count(&paragraphs, &shown, 0), 4);
        assert_eq!(folded_count(&paragraphs, &shown, 4), 3);
    }
}

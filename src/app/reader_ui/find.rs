//! Finding in the open article: the find bar (Ctrl+F in the reader, or
//! its Find button) and the library search's matches stepped with n / N.
//!
//! Both are [`Hits`]: where a matcher found its text in the article's text
//! blocks (`selection::text_blocks`, captions included), worked out once
//! per body and pattern, not every frame, and which one is current. The
//! find bar folds Simplified/Traditional, widths and case as the library
//! search does, and `exact:TEXT` leaves the scripts apart
//! ([`FindPattern`]).

use std::ops::Range;

use egui::RichText;

use crate::app::palette::Palette;
use crate::library::{FindPattern, StoredArticle};

/// Most matches counted in one article (a one-letter pattern in a book
/// stops here; the count says "1000+").
pub(super) const MAX_HITS: usize = 1000;

/// One match: a text block (drawing order) and a char range in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Hit {
    pub(super) block: usize,
    pub(super) range: Range<usize>,
}

/// Where a text was found in the article, and which match is current.
#[derive(Default)]
pub(super) struct Hits {
    /// What the list was worked out from: the body's hash and the pattern.
    key: Option<(String, String)>,
    /// The matches in reading order.
    pub(super) list: Vec<Hit>,
    /// Matches after the article's, elsewhere (the find bar's in the note):
    /// stepped to after the last of `list`, numbered from `list.len()`.
    pub(super) extra: usize,
    /// `extra` was cut at [`MAX_HITS`].
    pub(super) extra_capped: bool,
    /// The current match, once stepped to.
    pub(super) current: Option<usize>,
    /// The list was cut at [`MAX_HITS`].
    pub(super) capped: bool,
}

impl Hits {
    /// Work the list out again when the body or the pattern changed
    /// (`find` gives each block's byte ranges); true when it did.
    pub(super) fn update(
        &mut self,
        stored: &StoredArticle,
        pattern: &str,
        find: impl Fn(&str) -> Vec<Range<usize>>,
    ) -> bool {
        if self
            .key
            .as_ref()
            .is_some_and(|(hash, p)| *hash == stored.content_hash && p == pattern)
        {
            return false;
        }
        self.key = Some((stored.content_hash.clone(), pattern.to_owned()));
        self.list.clear();
        self.current = None;
        self.capped = false;
        if pattern.is_empty() {
            return true;
        }
        for (block, text) in crate::app::selection::text_blocks(&stored.article)
            .iter()
            .enumerate()
        {
            for range in find(text) {
                if self.list.len() == MAX_HITS {
                    self.capped = true;
                    return true;
                }
                let start = text[..range.start].chars().count();
                let len = text[range].chars().count();
                self.list.push(Hit {
                    block,
                    range: start..start + len,
                });
            }
        }
        true
    }

    /// Step `by` matches (wrapping round, through the article's and then
    /// the `extra` ones), or to the first at or after `block` when none is
    /// current yet; the match stepped to. `by == 0` makes the first of the
    /// article's from the view current (as the user types), never an
    /// extra one: what is found only in the note is counted, not shown.
    pub(super) fn step(&mut self, by: i32, from_block: usize) -> Option<Stepped<'_>> {
        let n = self.list.len() + self.extra;
        if n == 0 || (by == 0 && self.list.is_empty()) {
            self.current = None;
            return None;
        }
        let next = match self.current {
            Some(i) => {
                let n = i64::try_from(n).unwrap_or(i64::MAX);
                let i = i64::try_from(i).unwrap_or(0);
                usize::try_from((i + i64::from(by)).rem_euclid(n)).unwrap_or(0)
            }
            None if by == 0 => self
                .list
                .iter()
                .position(|h| h.block >= from_block)
                .unwrap_or(0),
            // After the last in the article: the first extra one, if any.
            None if by > 0 => self
                .list
                .iter()
                .position(|h| h.block >= from_block)
                .unwrap_or(self.list.len() % n),
            None => self
                .list
                .iter()
                .rposition(|h| h.block < from_block)
                .unwrap_or(n - 1),
        };
        self.current = Some(next);
        Some(match self.list.get(next) {
            Some(hit) => Stepped::Article(hit),
            None => Stepped::Extra(next - self.list.len()),
        })
    }

    /// The current match's number among the extra ones, when it is one.
    pub(super) fn current_extra(&self) -> Option<usize> {
        self.current
            .and_then(|i| i.checked_sub(self.list.len()))
            .filter(|&k| k < self.extra)
    }

    /// "3 of 17" (or "17 matches" before the first step, "No matches";
    /// "18 of 19 in the note" for an extra one).
    pub(super) fn position_words(&self) -> String {
        let n = self.list.len() + self.extra;
        let total = if self.capped || self.extra_capped {
            format!("{}+", n)
        } else {
            n.to_string()
        };
        match (self.current, n) {
            (_, 0) => "No matches".to_owned(),
            (Some(i), _) if i >= self.list.len() => format!("{} of {total} in the note", i + 1),
            (Some(i), _) => format!("{} of {total}", i + 1),
            (None, 1) => "1 match".to_owned(),
            (None, _) => format!("{total} matches"),
        }
    }
}

/// A match stepped to: in the article, or the extra one with this number.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Stepped<'a> {
    Article(&'a Hit),
    Extra(usize),
}

/// The find bar's own state.
#[derive(Default)]
pub(super) struct Find {
    /// The bar is shown.
    pub(super) open: bool,
    /// What is typed in it.
    pub(super) text: String,
    /// Put the keyboard focus in its field next frame.
    pub(super) focus: bool,
    /// Where the typed text is found.
    pub(super) hits: Hits,
    /// Matches in the article's note (shown in the inspector), stepped to
    /// after the article's: `hits.extra`.
    pub(super) in_note: usize,
    /// The note and pattern `in_note` was counted in.
    pub(super) note_key: Option<(String, String)>,
    /// The inspector is to scroll its note to the current match.
    pub(super) scroll_note: bool,
}

impl Find {
    /// The pattern typed, when the bar is open and it looks for something.
    pub(super) fn pattern(&self) -> Option<FindPattern> {
        self.open.then(|| FindPattern::new(&self.text)).flatten()
    }

    /// Work the matches out again when the body, the note or the typed
    /// text changed.
    pub(super) fn update(&mut self, stored: &StoredArticle, note: &str) -> bool {
        let pattern = self.pattern();
        let typed = if pattern.is_some() {
            self.text.as_str()
        } else {
            ""
        };
        let mut changed = self.hits.update(stored, typed, |text| {
            pattern
                .as_ref()
                .map(|p| p.find_all(text))
                .unwrap_or_default()
        });
        let note_changed = self
            .note_key
            .as_ref()
            .is_none_or(|(n, p)| n != note || p != typed);
        if changed || note_changed {
            self.note_key = Some((note.to_owned(), typed.to_owned()));
            let found = pattern.as_ref().map_or(0, |p| p.find_all(note).len());
            self.in_note = found.min(MAX_HITS);
            self.hits.extra_capped = found > MAX_HITS;
            if self.hits.extra != self.in_note {
                self.hits.extra = self.in_note;
                // The numbering past the article's changed.
                if self.hits.current.is_some_and(|i| i >= self.hits.list.len()) {
                    self.hits.current = None;
                }
                changed = true;
            }
        }
        changed
    }
}

/// What the find bar asks the reader for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FindStep {
    /// Nothing.
    None,
    /// Step to the next (1) or previous (-1) match.
    Step(i32),
    /// Close the bar.
    Close,
}

/// Width kept for the find bar's count.
const COUNT_WIDTH: f32 = 170.0;

/// The find bar: the field, "3 of 17", Previous / Next, Close. Enter steps
/// forward, Shift+Enter back (the field keeps the focus).
pub(super) fn find_bar_ui(ui: &mut egui::Ui, find: &mut Find, palette: &Palette) -> FindStep {
    let mut step = FindStep::None;
    ui.horizontal_wrapped(|ui| {
        let response = ui.add(
            egui::TextEdit::singleline(&mut find.text)
                .id_salt("reader-find")
                .hint_text("Find in article (exact: for unfolded)")
                .desired_width(240.0),
        );
        let response = response.labelled_by(ui.label("Find in article").id);
        if std::mem::take(&mut find.focus) {
            response.request_focus();
        }
        // Shift as the Enter event has it (the modifiers may have changed
        // again within the frame).
        let enter = ui.input(|i| {
            i.events.iter().find_map(|e| match e {
                egui::Event::Key {
                    key: egui::Key::Enter,
                    pressed: true,
                    modifiers,
                    ..
                } => Some(modifiers.shift),
                _ => None,
            })
        });
        if response.lost_focus()
            && let Some(back) = enter
        {
            step = FindStep::Step(if back { -1 } else { 1 });
            response.request_focus();
        }
        let words = if FindPattern::new(&find.text).is_none() {
            String::new()
        } else {
            find.hits.position_words()
        };
        // The count in a place of its own width, so the buttons after it
        // stay put as it changes ("1 of 4", "4 of 4 in the note").
        ui.allocate_ui_with_layout(
            egui::vec2(COUNT_WIDTH, ui.spacing().interact_size.y),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.set_min_width(COUNT_WIDTH);
                ui.label(RichText::new(words).color(palette.text));
                if find.in_note > 0 && find.hits.current_extra().is_none() {
                    let plus = if find.hits.extra_capped { "+" } else { "" };
                    ui.label(
                        RichText::new(format!("{}{plus} in the note", find.in_note))
                            .color(palette.weak),
                    );
                }
            },
        );
        let any = !find.hits.list.is_empty() || find.hits.extra > 0;
        if ui
            .add_enabled(any, egui::Button::new("Previous"))
            .on_hover_text("Previous match (Shift+Enter, Shift+F3)")
            .clicked()
        {
            step = FindStep::Step(-1);
        }
        if ui
            .add_enabled(any, egui::Button::new("Next"))
            .on_hover_text("Next match (Enter, F3)")
            .clicked()
        {
            step = FindStep::Step(1);
        }
        if ui.button("Close find").on_hover_text("Escape").clicked() {
            step = FindStep::Close;
        }
    });
    step
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block of the article's match stepped to.
    fn block(stepped: Option<Stepped<'_>>) -> Option<usize> {
        match stepped {
            Some(Stepped::Article(hit)) => Some(hit.block),
            _ => None,
        }
    }

    fn hits(n: usize) -> Hits {
        Hits {
            list: (0..n)
                .map(|i| Hit {
                    block: i * 2,
                    range: 0..1,
                })
                .collect(),
            ..Hits::default()
        }
    }

    #[test]
    fn steps_wrap_round_and_start_from_the_view() {
        let mut h = hits(3);
        assert_eq!(h.position_words(), "3 matches");
        // The first match at or after the block in view.
        assert_eq!(block(h.step(1, 3)), Some(4));
        assert_eq!(h.position_words(), "3 of 3");
        assert_eq!(block(h.step(1, 0)), Some(0));
        assert_eq!(block(h.step(-1, 0)), Some(4));
        let mut h = hits(3);
        assert_eq!(block(h.step(-1, 3)), Some(2));
        assert!(hits(0).step(1, 0).is_none());
        assert_eq!(hits(0).position_words(), "No matches");
    }

    #[test]
    fn steps_go_on_into_the_note_and_back() {
        let mut h = hits(2);
        h.extra = 2;
        assert_eq!(h.position_words(), "4 matches");
        // Typing makes the article's first current, never the note's.
        assert!(matches!(h.step(0, 0), Some(Stepped::Article(_))));
        assert!(matches!(h.step(1, 0), Some(Stepped::Article(_))));
        assert_eq!(h.step(1, 0), Some(Stepped::Extra(0)));
        assert_eq!(h.position_words(), "3 of 4 in the note");
        assert_eq!(h.current_extra(), Some(0));
        assert_eq!(h.step(1, 0), Some(Stepped::Extra(1)));
        // Round to the article's first.
        assert!(matches!(h.step(1, 0), Some(Stepped::Article(hit)) if hit.block == 0));
        assert_eq!(h.step(-1, 0), Some(Stepped::Extra(1)));
        // Found only in the note: typing makes nothing current; Enter does.
        let mut h = hits(0);
        h.extra = 1;
        assert_eq!(h.step(0, 0), None);
        assert_eq!(h.position_words(), "1 match");
        assert_eq!(h.step(1, 0), Some(Stepped::Extra(0)));
        // Past the last article match in view: into the note.
        let mut h = hits(2);
        h.extra = 1;
        assert_eq!(h.step(1, 9), Some(Stepped::Extra(0)));
    }
}

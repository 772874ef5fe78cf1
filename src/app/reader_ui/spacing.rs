//! Full-width punctuation at its proper width and Han–Latin spacing, for
//! [`super::typeset`]:
//!
//! * two adjacent full-width marks whose blanks meet (`。「`, `」，`, `）。`,
//!   `：「`, `「『`) come half an em closer, as CLREQ and JLREQ set them, or
//!   less where the face centres its marks (never closer than an eighth of
//!   an em of blank between the inks); Traditional text centres
//!   `。，、；：！？`, so there only brackets and quotes are compressed;
//! * an eighth of an em between a Han character and a Latin letter or digit
//!   that touch (CSS `text-autospace`'s amount, what browsers now draw; a
//!   quarter em is as wide as a Latin word space in the reader's faces and
//!   reads as a typed space).
//!
//! Both are [`egui::text::TextFormat::extra_letter_spacing`], which epaint
//! adds before a glyph (never before a paragraph's first), so it is set on
//! the second character of a pair and vanishes at the start of a line; no
//! character is added.

use egui::FontFamily;
use egui::epaint::FontsView;
use egui::text::{ByteIndex, LayoutJob, LayoutSection};

/// Which side of its em box a full-width mark leaves blank.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Blank {
    /// An opening bracket or quote: the glyph sits right.
    Left,
    /// A closing bracket or quote, or (Simplified) `。，、；：`: the glyph
    /// sits left.
    Right,
}

/// A mark's blank, `None` for other characters (and for `。，、；：` in
/// Traditional text, which centres them).
fn blank(c: char, traditional: bool) -> Option<Blank> {
    /// Opening brackets and quotes: the glyph sits right.
    const LEFT: &[char] = &[
        '（', '「', '『', '《', '〈', '【', '〔', '〖', '〘', '〚', '“', '‘',
    ];
    /// Closing brackets and quotes: the glyph sits left.
    const RIGHT: &[char] = &[
        '）', '」', '』', '》', '〉', '】', '〕', '〗', '〙', '〛', '”', '’',
    ];
    /// Simplified Chinese sets these left too; Traditional centres them.
    const RIGHT_SIMPLIFIED: &[char] = &['。', '，', '、', '；', '：', '．'];
    if LEFT.contains(&c) {
        Some(Blank::Left)
    } else if RIGHT.contains(&c) || (!traditional && RIGHT_SIMPLIFIED.contains(&c)) {
        Some(Blank::Right)
    } else {
        None
    }
}

/// A Han character (CJK Unified Ideographs, their extensions and
/// compatibility forms).
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
}

/// A Latin letter or a digit.
fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || (matches!(c, '\u{C0}'..='\u{24F}') && c.is_alphabetic())
}

/// The extra space, in ems, before `b` when it follows `a`: minus a half
/// where two marks' blanks meet, an eighth between Han and Latin, else 0.
fn gap_em(a: char, b: char, traditional: bool) -> f32 {
    // Most pairs are two Han characters, or two ASCII ones.
    if (a.is_ascii() && b.is_ascii()) || (is_han(a) && is_han(b)) {
        return 0.0;
    }
    match (blank(a, traditional), blank(b, traditional)) {
        // 。「 」「 ：（ and 」， ）。 」』: a's blank is half the gap.
        (Some(Blank::Right), Some(_)) | (Some(Blank::Left), Some(Blank::Left)) => -0.5,
        _ if (is_han(a) && is_latin(b)) || (is_latin(a) && is_han(b)) => 0.125,
        _ => 0.0,
    }
}

/// The marks' blanks measured so far, by mark, family and size (a mark is
/// measured once, not on every frame; only marks are, so it stays small).
#[derive(Default)]
pub(super) struct Blanks(std::collections::HashMap<(char, FontFamily, u32), Option<(f32, f32)>>);

impl Blanks {
    /// [`blanks`], measured once.
    fn of(
        &mut self,
        fonts: &mut FontsView<'_>,
        font: &egui::FontId,
        c: char,
    ) -> Option<(f32, f32)> {
        *self
            .0
            .entry((c, font.family.clone(), font.size.to_bits()))
            .or_insert_with(|| blanks(fonts, font, c))
    }
}

/// The blank left and right of `c`'s ink in its advance, in points, when
/// the font draws it full width (an em, give or take 15 %: egui rounds).
fn blanks(fonts: &mut FontsView<'_>, font: &egui::FontId, c: char) -> Option<(f32, f32)> {
    let galley = fonts.layout_no_wrap(c.to_string(), font.clone(), egui::Color32::WHITE);
    let glyph = galley.rows.first()?.row.glyphs.first()?;
    let ink = glyph.uv_rect;
    (glyph.advance_width >= font.size * 0.85 && ink.size.x > 0.0).then(|| {
        let left = ink.offset.x.max(0.0);
        let right = (glyph.advance_width - ink.offset.x - ink.size.x).max(0.0);
        (left, right)
    })
}

/// How far (a negative number of points) to bring two marks together whose
/// blanks between their inks add up to `blank` points at `size`: half an em
/// (CLREQ, JLREQ), but never closer than an eighth of an em of blank.
fn compression(blank: f32, size: f32) -> f32 {
    -(size * 0.5).min(blank - size * 0.125).max(0.0)
}

/// Set the spacing of [`gap_em`] on the second character of every pair in
/// `job` (marks only where the font draws them full width); sections are
/// split so that each spaced character has its own.
pub(super) fn space(
    fonts: &mut FontsView<'_>,
    job: &mut LayoutJob,
    traditional: bool,
    measured: &mut Blanks,
) {
    let text = &job.text;
    // (byte range of the character, points to add before it)
    let mut spaced: Vec<(std::ops::Range<usize>, f32)> = Vec::new();
    let mut section = 0;
    let mut previous: Option<(char, usize)> = None; // (char, its section)
    for (byte, c) in text.char_indices() {
        while job
            .sections
            .get(section)
            .is_some_and(|s| s.byte_range.end.0 <= byte)
        {
            section += 1;
        }
        let Some(format) = job.sections.get(section).map(|s| &s.format) else {
            break;
        };
        if let Some((a, a_section)) = previous
            && let em = gap_em(a, c, traditional)
            && em != 0.0
            && format.font_id.family != FontFamily::Monospace
        {
            let a_font = job.sections.get(a_section).map(|s| &s.format.font_id);
            let points = if em < 0.0 {
                // As much of the half em as the inks allow (a face that
                // centres its marks has less blank to give).
                a_font
                    .and_then(|f| measured.of(fonts, f, a))
                    .zip(measured.of(fonts, &format.font_id, c))
                    .map_or(0.0, |((_, right), (left, _))| {
                        compression(right + left, format.font_id.size)
                    })
            } else if em > 0.0 && a_font.is_some_and(|f| f.family != FontFamily::Monospace) {
                em * format.font_id.size
            } else {
                0.0
            };
            if points != 0.0 {
                spaced.push((byte..byte + c.len_utf8(), points));
            }
        }
        previous = Some((c, section));
    }
    if spaced.is_empty() {
        return;
    }
    let mut sections = Vec::with_capacity(job.sections.len() + 2 * spaced.len());
    let mut next = spaced.iter().peekable();
    for section in std::mem::take(&mut job.sections) {
        let (mut start, end) = (section.byte_range.start.0, section.byte_range.end.0);
        let mut leading_space = section.leading_space;
        let mut push = |from: usize, to: usize, extra: f32, lead: &mut f32| {
            if from < to {
                let mut format = section.format.clone();
                format.extra_letter_spacing += extra;
                sections.push(LayoutSection {
                    leading_space: std::mem::take(lead),
                    byte_range: ByteIndex(from)..ByteIndex(to),
                    format,
                });
            }
        };
        while let Some((range, extra)) = next.next_if(|(r, _)| r.start < end) {
            push(start, range.start, 0.0, &mut leading_space);
            push(range.start, range.end, *extra, &mut leading_space);
            start = range.end;
        }
        push(start, end, 0.0, &mut leading_space);
    }
    job.sections = sections;
}

#[cfg(test)]
mod tests {
    use egui::{FontId, Galley};

    use super::*;
    use crate::app::reader_ui::typeset::layout;
    use crate::app::reader_ui::typeset::tests::{GAP_SIZE, PIXEL, job, job_at, with_fonts};

    /// The x of char `index` of `galley` (one row, no added breaks).
    fn x_at(galley: &Galley, index: usize) -> f32 {
        let row = &galley.rows[0];
        row.pos.x + row.row.glyphs[index].pos.x
    }

    /// (the gap between the first `a` followed by `b` in `text` as egui
    /// sets it, as Folio does).
    fn gaps(text: &str, a: char, b: char, traditional: bool) -> (f32, f32) {
        let chars: Vec<char> = text.chars().collect();
        let i = chars.windows(2).position(|w| w == [a, b]).unwrap();
        with_fonts(|fonts| {
            let plain = fonts.layout_job(job_at(text, 2000.0, GAP_SIZE));
            let laid = layout(
                fonts,
                job_at(text, 2000.0, GAP_SIZE),
                traditional,
                &mut crate::app::reader_ui::typeset::Memo::default(),
            );
            assert_eq!(laid.galley.rows.len(), 1);
            (
                x_at(&plain, i + 1) - x_at(&plain, i),
                x_at(&laid.galley, i + 1) - x_at(&laid.galley, i),
            )
        })
    }

    #[test]
    fn marks_set_in_half_an_em_come_half_an_em_closer_others_as_their_ink_allows() {
        // A face that sets its marks in half of their em (the other half
        // blank: an em of blank between 。 and 「) loses half an em; one
        // that centres them (the bundled Droid Sans Fallback) keeps an
        // eighth of an em of blank between the inks.
        assert_eq!(compression(0.75 * 64.0, 64.0), -32.0);
        assert_eq!(compression(1.0 * 64.0, 64.0), -32.0);
        assert!((compression(0.4 * 64.0, 64.0) + (0.4 - 0.125) * 64.0).abs() < 1e-3);
        assert_eq!(compression(0.1 * 64.0, 64.0), 0.0);
        let font = FontId::proportional(GAP_SIZE);
        for (text, a, b) in [
            ("他说。「好」", '。', '「'),
            ("「好」，他说", '」', '，'),
            ("（好）。他说", '）', '。'),
            ("他说：「好」", '：', '「'),
            ("「『好』」", '「', '『'),
            ("「好」「对」", '」', '「'),
        ] {
            let blank = with_fonts(|fonts| {
                blanks(fonts, &font, a).unwrap().1 + blanks(fonts, &font, b).unwrap().0
            });
            let (plain, folio) = gaps(text, a, b, false);
            eprintln!("{text}: {a}{b} {plain:.1} -> {folio:.1} (blank {blank:.1})");
            // Full width as egui sets them (with the font's own kerning).
            assert!(plain > GAP_SIZE * 0.85, "{text}: {plain}");
            assert!(folio < plain - GAP_SIZE / 8.0, "{text}: {plain} {folio}");
            assert!(
                (plain - folio + compression(blank, GAP_SIZE)).abs() <= PIXEL,
                "{text}: {plain} {folio}"
            );
            // What is left between the inks: at least an eighth of an em.
            assert!(blank - (plain - folio) >= GAP_SIZE / 8.0 - PIXEL, "{text}");
        }
        // Traditional centres 。，、；：, so only brackets meeting lose it.
        let (plain, folio) = gaps("他說。「好」", '。', '「', true);
        assert!((plain - folio).abs() < 0.01, "{plain} {folio}");
        let (plain, folio) = gaps("「好」「對」", '」', '「', true);
        assert!(folio < plain - GAP_SIZE / 8.0, "{plain} {folio}");
        // A closing mark then a Han character, or an opening mark after
        // one, keep their blank: it is the only space there.
        for (text, a, b) in [
            ("「好」他说", '」', '他'),
            ("他「好」", '他', '「'),
            ("「」", '「', '」'),
        ] {
            let (plain, folio) = gaps(text, a, b, false);
            assert!((plain - folio).abs() < 0.01, "{text}: {plain} {folio}");
        }
    }

    #[test]
    fn han_and_latin_that_touch_get_an_eighth_of_an_em() {
        let (plain, folio) = gaps("使用Folio阅读", '用', 'F', false);
        assert!(
            (folio - plain - GAP_SIZE / 8.0).abs() <= PIXEL,
            "{plain} {folio}"
        );
        let (plain, folio) = gaps("使用Folio阅读", 'o', '阅', false);
        assert!(
            (folio - plain - GAP_SIZE / 8.0).abs() <= PIXEL,
            "{plain} {folio}"
        );
        let (plain, folio) = gaps("共2024年", '共', '2', false);
        assert!(
            (folio - plain - GAP_SIZE / 8.0).abs() <= PIXEL,
            "{plain} {folio}"
        );
        // Where the text has a space, nothing is added.
        for (a, b) in [('用', ' '), (' ', 'F'), ('o', ' '), (' ', '阅')] {
            let (plain, folio) = gaps("使用 Folio 阅读", a, b, false);
            assert!((folio - plain).abs() < 0.01, "{a}{b}: {plain} {folio}");
        }
    }

    #[test]
    fn text_without_such_pairs_is_set_as_egui_sets_it() {
        for text in [
            "The reader sets Latin text exactly as before, word for word.",
            "中文没有相邻的标点，也没有拉丁字母。这是第二句。",
        ] {
            with_fonts(|fonts| {
                let plain = fonts.layout_job(job(text, 1000.0));
                let laid = layout(
                    fonts,
                    job(text, 1000.0),
                    false,
                    &mut crate::app::reader_ui::typeset::Memo::default(),
                );
                let xs = |g: &Galley| -> Vec<f32> {
                    g.rows
                        .iter()
                        .flat_map(|r| r.row.glyphs.iter().map(|g| g.pos.x))
                        .collect()
                };
                assert_eq!(xs(&plain), xs(&laid.galley), "{text}");
                assert!(laid.breaks().is_empty());
            });
        }
    }
}

//! Whitespace as a browser renders it (CSS Text 3), CJK-aware.

use crate::model::Inline;

/// True for characters whose line breaks vanish between them: East Asian
/// wide/fullwidth characters (Han, kana, CJK punctuation, fullwidth forms),
/// except Hangul, which uses spaces between words.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F // Hangul Jamo leading (wide, but Hangul: handled below)
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD)
        && !is_hangul(c)
}

fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF)
}

/// True for CJK ideographs and kana (used for language guessing).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFD)
}

fn is_collapsible(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{000C}')
}

/// Collapse whitespace in a plain string the way a browser renders inline text.
pub fn collapse(text: &str) -> String {
    let mut state = Collapser::default();
    let mut out = String::with_capacity(text.len());
    state.push(text, &mut out);
    out
}

/// Whitespace collapsing state carried across inline runs.
#[derive(Default)]
struct Collapser {
    /// The last non-whitespace character written, if any since the start or a `<br>`.
    prev: Option<char>,
    /// Whitespace seen since `prev`: `None`, or `Some(contains_newline)`.
    pending: Option<bool>,
}

impl Collapser {
    fn push(&mut self, text: &str, out: &mut String) {
        for c in text.chars() {
            let c = if c == '\u{00A0}' { ' ' } else { c };
            if is_collapsible(c) {
                let newline = c == '\n' || c == '\r';
                self.pending = Some(self.pending.unwrap_or(false) || newline);
                continue;
            }
            if let (Some(newline), Some(prev)) = (self.pending, self.prev) {
                let vanish = newline && is_wide(prev) && is_wide(c);
                if !vanish {
                    out.push(' ');
                }
            }
            self.pending = None;
            self.prev = Some(c);
            out.push(c);
        }
    }

    fn line_break(&mut self) {
        self.prev = None;
        self.pending = None;
    }
}

/// Collapse whitespace across a paragraph's runs (leading/trailing space dropped,
/// spaces around `<br>` dropped), then drop empty runs and merge neighbours.
pub fn normalize_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut state = Collapser::default();
    let mut out = collapse_runs(inlines, &mut state);
    trim_end(&mut out);
    merge_text(out)
}

fn collapse_runs(inlines: Vec<Inline>, state: &mut Collapser) -> Vec<Inline> {
    let mut out = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match inline {
            Inline::Text { text } => {
                let mut buf = String::new();
                state.push(&text, &mut buf);
                if !buf.is_empty() {
                    out.push(Inline::Text { text: buf });
                }
            }
            Inline::Code { text } => {
                let mut buf = String::new();
                state.push(&text, &mut buf);
                if !buf.is_empty() {
                    out.push(Inline::Code { text: buf });
                }
            }
            Inline::LineBreak => {
                state.line_break();
                // Two <br> in a row are a paragraph gap; keep at most two.
                let breaks = out
                    .iter()
                    .rev()
                    .take_while(|i| matches!(i, Inline::LineBreak))
                    .count();
                if !out.is_empty() && breaks < 2 {
                    trim_end(&mut out);
                    out.push(Inline::LineBreak);
                }
            }
            Inline::Link { href, children } => {
                let children = collapse_runs(children, state);
                if has_text(&children) {
                    out.push(Inline::Link { href, children });
                }
            }
            Inline::Emphasis { children } => {
                let children = collapse_runs(children, state);
                if has_text(&children) {
                    out.push(Inline::Emphasis { children });
                }
            }
            Inline::Strong { children } => {
                let children = collapse_runs(children, state);
                if has_text(&children) {
                    out.push(Inline::Strong { children });
                }
            }
        }
    }
    out
}

fn has_text(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Text { text } | Inline::Code { text } => !text.trim().is_empty(),
        Inline::Link { children, .. }
        | Inline::Emphasis { children }
        | Inline::Strong { children } => has_text(children),
        Inline::LineBreak => false,
    })
}

/// Remove trailing line breaks and trailing spaces.
fn trim_end(inlines: &mut Vec<Inline>) {
    while matches!(inlines.last(), Some(Inline::LineBreak)) {
        inlines.pop();
    }
    if let Some(Inline::Text { text }) = inlines.last_mut() {
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
        if text.is_empty() {
            inlines.pop();
        }
    }
}

fn merge_text(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match (out.last_mut(), inline) {
            (Some(Inline::Text { text: last }), Inline::Text { text }) => last.push_str(&text),
            (_, Inline::Link { href, children }) => out.push(Inline::Link {
                href,
                children: merge_text(children),
            }),
            (_, other) => out.push(other),
        }
    }
    out
}

/// Text whose UTF-8 bytes were once read as Latin-1 (`ä¸\u{ad}å\u{9b}½`
/// for `中国`), repaired: each run of three or more characters in
/// U+0080..=U+00FF that, taken as Latin-1 bytes, is valid UTF-8 becomes
/// what it spells. Other text is returned as it is.
pub fn repair_double_utf8(text: &str) -> std::borrow::Cow<'_, str> {
    let latin = |c: char| ('\u{80}'..='\u{ff}').contains(&c);
    if !text.chars().any(|c| matches!(c as u32, 0xC2..=0xEF)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 3 {
            let bytes: Vec<u8> = run.chars().map(|c| c as u32 as u8).collect();
            if let Ok(fixed) = std::str::from_utf8(&bytes) {
                out.push_str(fixed);
                run.clear();
                return;
            }
        }
        out.push_str(run);
        run.clear();
    };
    for c in text.chars() {
        if latin(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    if out == text {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoded_utf8_is_repaired_and_latin1_text_kept() {
        let mojibake: String = "台湾有大约30万天主教友。".bytes().map(char::from).collect();
        assert_eq!(repair_double_utf8(&mojibake), "台湾有大约30万天主教友。");
        assert_eq!(repair_double_utf8("Café crème, naïve"), "Café crème, naïve");
        assert_eq!(repair_double_utf8("中国 and ×÷"), "中国 and ×÷");
    }
    use crate::model::inline_text;

    #[test]
    fn line_break_between_cjk_vanishes() {
        let runs = vec![
            Inline::text("\n  近日，\n  "),
            Inline::Link {
                href: "x".into(),
                children: vec![Inline::text("\n   小米11系列\n  ")],
            },
            Inline::text("\n  手机\n"),
        ];
        assert_eq!(
            inline_text(&normalize_inlines(runs)),
            "近日，小米11系列手机"
        );
    }

    #[test]
    fn line_break_between_latin_words_is_a_space() {
        assert_eq!(collapse("hello\n   world  again"), "hello world again");
    }

    #[test]
    fn space_between_cjk_without_newline_stays() {
        assert_eq!(
            collapse("小米11系列屡曝质量问题 售后新政"),
            "小米11系列屡曝质量问题 售后新政"
        );
    }

    #[test]
    fn spaces_around_br_are_dropped() {
        let runs = vec![Inline::text("a  "), Inline::LineBreak, Inline::text("  b ")];
        assert_eq!(inline_text(&normalize_inlines(runs)), "a\nb");
    }
}

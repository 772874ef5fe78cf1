//! Segmenting text for the full-text index, so that Chinese, Japanese and
//! Korean text can be searched by any substring.
//!
//! SQLite's `unicode61` tokenizer keeps a run of Han characters as one token,
//! and `trigram` cannot find two-character words. So the text is segmented in
//! Rust before it reaches FTS5, and queries are segmented the same way:
//!
//! * every CJK character (Han, Hiragana, Katakana, Hangul, CJK symbols like
//!   `々`) becomes a token of its own;
//! * a run of other letters and digits is one word token, left to `unicode61`
//!   to case-fold and strip of diacritics;
//! * everything else (spaces, punctuation) separates tokens. Where such a gap
//!   lies next to a CJK token, a break token [`BREAK`] is written, so that
//!   `小，米` is not found by a search for `小米`.
//!
//! A query is run as an FTS5 phrase of its tokens. A phrase of unigrams matches
//! exactly where the characters stand next to each other, which is substring
//! semantics: a search for `小米` finds exactly the texts containing `小米`.
//! Latin words match from the start of a word, and the query's last word as a
//! prefix (`micro` finds `microsoft`).
//!
//! Unigrams were chosen over bigrams because they need no special cases for
//! one-character queries or query edges, and the break token keeps them exact.
//!
//! Text is folded ([`super::fold`]: widths, compatibility forms, Traditional
//! Chinese made Simplified) before it is segmented, so `神韻` is indexed as
//! `神 韵` and a query for either form finds both.

/// The token written where text was separated by spaces or punctuation next to
/// a CJK character: a private-use character that `unicode61` keeps as a token
/// and that a segmented query never contains.
pub const BREAK: char = '\u{E000}';

/// True for characters indexed one by one: Han ideographs, kana, Hangul and the
/// CJK iteration marks.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // CJK and Kangxi radicals
        | 0x3005..=0x3007    // 々 〆 〇
        | 0x3021..=0x3029    // Hangzhou numerals
        | 0x3031..=0x3035    // kana repeat marks
        | 0x303B..=0x303C
        | 0x3040..=0x309F    // Hiragana
        | 0x30A0..=0x30FF    // Katakana
        | 0x3100..=0x312F    // Bopomofo
        | 0x3130..=0x318F    // Hangul compatibility jamo
        | 0x31A0..=0x31BF    // Bopomofo extended
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xA960..=0xA97F    // Hangul jamo extended A
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xD7B0..=0xD7FF    // Hangul jamo extended B
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0xFFA0..=0xFFDC    // half-width Hangul
        | 0x1100..=0x11FF    // Hangul jamo
        | 0x1B000..=0x1B16F  // kana supplement and extended
        | 0x20000..=0x3FFFF  // CJK extensions B and later
    )
}

/// One token of segmented text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// One CJK character, as a string slice.
    Cjk(&'a str),
    /// A word of letters and digits.
    Word(&'a str),
    /// A gap (spaces, punctuation) next to a CJK token.
    Break,
}

/// True for characters that belong to a word token.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Split `text` into tokens as described in the module documentation.
pub(crate) fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    // A separator was seen since the last token.
    let mut gap = false;
    let mut word_start: Option<usize> = None;
    fn push<'a>(out: &mut Vec<Token<'a>>, gap: &mut bool, token: Token<'a>) {
        let cjk_side = matches!(token, Token::Cjk(_)) || matches!(out.last(), Some(Token::Cjk(_)));
        if *gap && cjk_side && !out.is_empty() {
            out.push(Token::Break);
        }
        *gap = false;
        out.push(token);
    }
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            if word_start.is_none() {
                word_start = Some(i);
            }
            continue;
        }
        if let Some(start) = word_start.take() {
            push(&mut out, &mut gap, Token::Word(&text[start..i]));
        }
        if is_cjk(c) {
            push(&mut out, &mut gap, Token::Cjk(&text[i..i + c.len_utf8()]));
        } else {
            gap = true;
        }
    }
    if let Some(start) = word_start {
        push(&mut out, &mut gap, Token::Word(&text[start..]));
    }
    out
}

/// Segment `text` for the full-text index: folded ([`super::fold::fold`]),
/// then tokens separated by single spaces.
///
/// ```
/// assert_eq!(folio::library::segment("小米11系列, Hello"), "小 米 11 系 列 \u{E000} Hello");
/// assert_eq!(folio::library::segment("神韻"), "神 韵");
/// ```
pub fn segment(text: &str) -> String {
    segment_with(text, true)
}

/// [`segment`], with the Simplified/Traditional fold only when `scripts`
/// (widths and compatibility forms are always folded).
pub(crate) fn segment_with(text: &str, scripts: bool) -> String {
    let text = super::fold::fold_with(text, scripts);
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for token in tokens(&text) {
        if !out.is_empty() {
            out.push(' ');
        }
        match token {
            Token::Cjk(s) | Token::Word(s) => out.push_str(s),
            Token::Break => out.push(BREAK),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_chars_are_single_tokens() {
        assert_eq!(segment("小米主板"), "小 米 主 板");
    }

    #[test]
    fn gaps_next_to_cjk_become_breaks() {
        assert_eq!(segment("小，米"), "小 \u{E000} 米");
        assert_eq!(segment("abc 小"), "abc \u{E000} 小");
        assert_eq!(segment("hello, world"), "hello world");
        assert_eq!(segment("  小米  "), "小 米");
    }

    #[test]
    fn words_next_to_cjk_stay_adjacent() {
        assert_eq!(segment("小米11系列"), "小 米 11 系 列");
        assert_eq!(segment("iPhone手机"), "iPhone 手 机");
    }

    #[test]
    fn text_is_folded_before_it_is_segmented() {
        assert_eq!(segment("法輪功"), "法 轮 功");
        assert_eq!(segment("Ｗｉ－Ｆｉ"), "Wi Fi");
        assert_eq!(segment("神韻\u{3000}藝術"), "神 韵 \u{E000} 艺 术");
        assert_eq!(segment_with("神韻", false), "神 韻");
    }

    #[test]
    fn private_use_text_is_a_separator() {
        assert_eq!(segment("a\u{E000}b"), "a b");
    }
}

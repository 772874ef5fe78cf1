//! Folding text for search, one character at a time: what the index holds
//! and what every query is turned into before they meet.
//!
//! Two folds, applied in this order to each character on its own:
//!
//! * **width and compatibility forms**, as Unicode's NFKC does: full-width
//!   Latin letters and digits (`Ｗｉ－Ｆｉ` → `Wi-Fi`), the ideographic space,
//!   half-width kana, compatibility ideographs (`U+F900`…) and ligatures;
//! * **Traditional → Simplified Chinese**, from OpenCC's `t2s` character
//!   dictionary (`TSCharacters`, read at build time by `build.rs`): each
//!   Traditional character becomes the first Simplified character OpenCC
//!   gives it (`韻` → `韵`, `後` → `后`, `乾` → `干`).
//!
//! Promises: folding is per character (one character becomes zero or more
//! characters, independently of its neighbours), so a search keeps substring
//! exactness over folded text: a query finds exactly the texts whose folded
//! form contains the folded query. Folding twice changes nothing. ASCII is
//! left as it is (case is folded by the index's tokenizer and by the
//! snippet matcher).
//!
//! The price of per-character folding is the one-to-many characters:
//! Simplified `干` stands for Traditional `乾`, `幹` and `干`, `后` for `後`
//! and `后`, `里` for `裏` and `里`, `发` for `發` and `髮`; all of them fold
//! to one form, so a search for `幹` also finds `干`. The `exact:` query
//! prefix searches without the Simplified/Traditional fold.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

include!(concat!(env!("OUT_DIR"), "/t2s.rs"));

/// The Simplified form of one Han character (the character itself when it
/// has none).
pub fn simplified(c: char) -> char {
    if (c as u32) < 0x2E80 {
        return c;
    }
    T2S.binary_search_by_key(&c, |&(from, _)| from)
        .map_or(c, |i| T2S[i].1)
}

/// Call `out` with the folded form of `c`: its NFKC form, each character of
/// it made Simplified when `scripts` is set.
pub fn fold_char(c: char, scripts: bool, mut out: impl FnMut(char)) {
    if c.is_ascii() {
        return out(c);
    }
    let script = |c: char| if scripts { simplified(c) } else { c };
    if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
        return out(script(c));
    }
    for n in std::iter::once(c).nfkc() {
        out(script(n));
    }
}

/// True when folding (with `scripts`) leaves `c` as it is.
fn unchanged(c: char, scripts: bool) -> bool {
    if c.is_ascii() {
        return true;
    }
    let mut same = true;
    let mut n = 0;
    fold_char(c, scripts, |f| {
        n += 1;
        same &= f == c;
    });
    same && n == 1
}

/// `text` folded: widths, compatibility forms, and (with `scripts`)
/// Traditional Chinese made Simplified. Borrowed when nothing changes.
pub fn fold_with(text: &str, scripts: bool) -> Cow<'_, str> {
    let Some(first) = text
        .char_indices()
        .find(|&(_, c)| !unchanged(c, scripts))
        .map(|(i, _)| i)
    else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        fold_char(c, scripts, |f| out.push(f));
    }
    Cow::Owned(out)
}

/// `text` folded as the search index holds it (see the module documentation).
///
/// ```
/// assert_eq!(folio::library::fold::fold("神韻 Ｗｉ－Ｆｉ"), "神韵 Wi-Fi");
/// ```
pub fn fold(text: &str) -> Cow<'_, str> {
    fold_with(text, true)
}

/// The folded characters of `text`, each with the byte range of the
/// original character it came from: to find a folded query in original
/// text and mark the original characters. Case is folded too (simple
/// lowercase), as the snippets match.
pub(crate) fn folded_chars(text: &str, scripts: bool, out: &mut Vec<(char, usize, usize)>) {
    out.clear();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        fold_char(c, scripts, |f| out.push((lower(f), i, end)));
    }
}

/// Simple case folding for matching: lowercase, first char of the mapping.
pub(crate) fn lower(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_folds_to_simplified() {
        assert_eq!(fold("神韻"), "神韵");
        assert_eq!(fold("法輪功"), "法轮功");
        assert_eq!(fold("江澤民"), "江泽民");
        assert_eq!(fold("神韵"), "神韵");
        // The one-to-many characters fold to one form.
        assert_eq!(fold("乾幹干"), "干干干");
        assert_eq!(fold("後后"), "后后");
        assert_eq!(fold("裏里"), "里里");
    }

    #[test]
    fn widths_fold_as_nfkc() {
        assert_eq!(fold("Ｗｉ－Ｆｉ"), "Wi-Fi");
        assert_eq!(fold("１２３\u{3000}ａ"), "123 a");
        // A compatibility ideograph becomes the unified one.
        assert_eq!(fold("\u{F900}"), "岂");
        assert_eq!(fold("ｶﾀｶﾅ"), "カタカナ");
    }

    #[test]
    fn folding_twice_changes_nothing_and_ascii_is_borrowed() {
        assert!(matches!(fold("plain ascii"), Cow::Borrowed(_)));
        for &(from, _) in T2S {
            let once = fold_with(&from.to_string(), true).into_owned();
            assert_eq!(fold(&once), once, "{from}");
        }
    }

    #[test]
    fn scripts_can_be_left_alone() {
        assert_eq!(fold_with("神韻 Ｗｉ", false), "神韻 Wi");
    }
}

//! Bounding element nesting before any HTML parser sees the text.
//!
//! html5ever checks element scopes by walking the stack of open elements, so
//! 100,000 nested `<div>`s take quadratic time, and recursive passes over the
//! tree (the readability pass) overflow the stack on them. Browsers cap the
//! tree depth for the same reason. Here the tags *as written* are counted in
//! one linear scan; past [`MAX_DEPTH`] further start tags (and the end tags
//! matching them) are dropped, so their text stays in the innermost element
//! kept. Elements that close themselves (`<p>`, `<li>`, `<td>`, …), void
//! elements and self-closing tags are not counted; comments and raw text
//! (`<script>`, `<style>`, `<textarea>`, `<title>`…) are skipped whole.
//! The same scan cuts `<iframe>`, `<noembed>` and `<noframes>` with their raw
//! content, which browsers never show but a readability pass would keep as text.
//!
//! It bounds two more costs in the same pass:
//! * attributes: html5ever checks each new attribute against the tag's
//!   earlier ones (quadratic: 80,000 attributes took 7 s, 300,000 never
//!   ended), so attributes past [`MAX_ATTRIBUTES`] of one tag are cut;
//! * elements: every element costs a tree node in each parse (1.8 million
//!   `<p>` took 1.2 GB), so past [`MAX_ELEMENTS`] start tags further tags,
//!   comments and raw-text elements are cut and their text joins the last
//!   element kept.

use std::borrow::Cow;
use std::collections::HashMap;

use super::limits::{MAX_ATTRIBUTES, MAX_DEPTH, MAX_ELEMENTS};

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "image", "keygen", "basefont", "bgsound", "frame",
];

/// Elements whose end tag is optional (closed by a sibling or the parent):
/// counting them would see depth that the parser never builds.
const SELF_CLOSING: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "option", "optgroup", "rb",
    "rt", "rtc", "rp", "colgroup", "caption", "html", "head", "body",
];

/// Elements whose content is text up to their end tag. (`<noscript>` is not
/// one: the readability pass parses its content as markup.)
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// Raw-text elements whose content a browser never shows as text.
const NEVER_SHOWN: &[&str] = &["iframe", "noembed", "noframes"];

/// The end of the tag starting at `at` (`</name …>`), if there is one.
fn tag_end_at(bytes: &[u8], at: usize) -> Option<usize> {
    if at >= bytes.len() {
        return None;
    }
    tag_end(bytes, at + 1)
}

/// What [`limit_nesting`] did to a page.
#[derive(Debug)]
pub struct Bounded<'a> {
    /// The text to parse (borrowed when nothing had to change).
    pub text: Cow<'a, str>,
    /// Elements nested deeper than [`MAX_DEPTH`] were flattened.
    pub too_deep: bool,
    /// Some tag had more than [`MAX_ATTRIBUTES`] attributes; the rest were cut.
    pub attributes_cut: bool,
    /// The page had more than [`MAX_ELEMENTS`] elements; later tags were cut.
    pub elements_cut: bool,
}

/// Cut `[start, end)`, first dropping cuts inside it (a tag's attributes,
/// when the whole tag goes).
fn cut(cuts: &mut Vec<(usize, usize)>, start: usize, end: usize) {
    while cuts.last().is_some_and(|&(s, _)| s >= start) {
        cuts.pop();
    }
    cuts.push((start, end));
}

/// `text` with element nesting beyond [`MAX_DEPTH`], attributes beyond
/// [`MAX_ATTRIBUTES`] per tag, tags beyond [`MAX_ELEMENTS`] and never-shown
/// raw-text elements removed; see the module docs.
pub fn limit_nesting(text: &str) -> Bounded<'_> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut elements = 0usize;
    let (mut too_deep, mut attributes_cut, mut elements_cut) = (false, false, false);
    // Start tags dropped and not yet matched by an end tag, by name.
    let mut dropped: HashMap<String, usize> = HashMap::new();
    // Byte ranges to cut out, in order, never overlapping.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        let start = i + offset;
        let rest = &bytes[start..];
        let over = elements >= MAX_ELEMENTS;
        if rest.starts_with(b"<!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            if over {
                cut(&mut cuts, start, i);
            }
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        // The lowercase name, on the stack: no name the lists below hold
        // is longer than `NAME_BUFFER` bytes, and a longer one is only
        // needed (as a `String`) when it is dropped.
        let mut buffer = [0u8; NAME_BUFFER];
        let written = &bytes[name_start..name_start + name_len.min(NAME_BUFFER)];
        buffer[..written.len()].copy_from_slice(written);
        buffer[..written.len()].make_ascii_lowercase();
        let name = if name_len <= NAME_BUFFER {
            // ASCII alphanumerics, `-` and `:` only: always UTF-8.
            std::str::from_utf8(&buffer[..name_len]).unwrap_or_default()
        } else {
            ""
        };
        let Some(end) = tag_end(bytes, name_start + name_len) else {
            break; // an unfinished tag: the parser treats the rest as text
        };
        let tag_end = end + 1;
        i = tag_end;
        // More than `MAX_ATTRIBUTES` attributes take at least two bytes each.
        if end - (name_start + name_len) > 2 * MAX_ATTRIBUTES
            && let Some(from) = nth_attribute(bytes, name_start + name_len, end, MAX_ATTRIBUTES)
        {
            attributes_cut = true;
            cut(&mut cuts, from, end);
        }
        let owned_name = || text[name_start..name_start + name_len].to_ascii_lowercase();
        if closing {
            if over {
                cut(&mut cuts, start, tag_end);
            } else if !dropped.is_empty()
                && let Some(count) = dropped.get_mut(owned_name().as_str())
                && *count > 0
            {
                *count -= 1;
                cut(&mut cuts, start, tag_end);
            } else if counts(name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        elements += 1;
        if RAW_TEXT.contains(&name) {
            // Skip to the matching end tag (case-insensitive), content untouched.
            i = find_end_tag(bytes, tag_end, name.as_bytes()).unwrap_or(bytes.len());
            if over || NEVER_SHOWN.contains(&name) {
                // Its raw text is never rendered (or the page has too many
                // elements), but a readability pass may turn it into text:
                // cut the element whole.
                let end = match tag_end_at(bytes, i) {
                    Some(end) => end + 1,
                    None => bytes.len(),
                };
                elements_cut |= over;
                cut(&mut cuts, start, end);
                i = end;
            }
            continue;
        }
        if over {
            elements_cut = true;
            cut(&mut cuts, start, tag_end);
            continue;
        }
        let self_closed = bytes[end - 1] == b'/';
        if self_closed || !counts(name) {
            continue;
        }
        if depth >= MAX_DEPTH {
            too_deep = true;
            *dropped.entry(owned_name()).or_default() += 1;
            cut(&mut cuts, start, tag_end);
        } else {
            depth += 1;
        }
    }
    let text = if cuts.is_empty() {
        Cow::Borrowed(text)
    } else {
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        for (start, end) in cuts {
            out.push_str(&text[from..start]);
            from = end;
        }
        out.push_str(&text[from..]);
        Cow::Owned(out)
    };
    Bounded {
        text,
        too_deep,
        attributes_cut,
        elements_cut,
    }
}

/// Where the attribute after the first `keep` of the tag whose attributes
/// span `from..end` starts (`end` is the tag's `>`), if it has more than
/// `keep`. Attributes are read as the HTML tokenizer reads them: a name runs
/// to whitespace, `/`, `>` or `=`; a value after `=` is quoted or runs to
/// whitespace.
fn nth_attribute(bytes: &[u8], from: usize, end: usize, keep: usize) -> Option<usize> {
    let mut i = from;
    let mut seen = 0;
    let skip_space = |mut i: usize| {
        while i < end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    loop {
        while i < end && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= end {
            return None;
        }
        if seen == keep {
            return Some(i);
        }
        seen += 1;
        // The name: its first character may be anything, `=` included.
        i += 1;
        while i < end && !matches!(bytes[i], b'=' | b'/') && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let after_name = skip_space(i);
        if after_name < end && bytes[after_name] == b'=' {
            i = skip_space(after_name + 1);
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) if i < end => {
                    i = bytes[i + 1..end]
                        .iter()
                        .position(|&b| b == q)
                        .map_or(end, |p| i + 1 + p + 1);
                }
                _ => {
                    while i < end && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                }
            }
        }
    }
}

fn counts(name: &str) -> bool {
    !VOID.contains(&name) && !SELF_CLOSING.contains(&name)
}

/// The longest element name the lists above hold is shorter than this.
const NAME_BUFFER: usize = 16;

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'<', bytes)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|p| from + p)
}

/// Where `</name` (the name in any case) first starts at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    loop {
        let lt = at + memchr::memchr(b'<', bytes.get(at..)?)?;
        let after = lt + 2;
        if bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(after..after + name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        {
            return Some(lt);
        }
        at = lt + 1;
    }
}

/// The index of the `>` ending a tag whose attributes start at `from`
/// (quotes respected), or `None` when the text ends first.
pub fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    let mut after_equals = false;
    for (offset, &b) in bytes.get(from..)?.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            // A quote opens a value only right after `=` (`a=b'c` is not quoted).
            (None, b'"' | b'\'') if after_equals => quote = Some(b),
            (None, b'>') => return Some(from + offset),
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            after_equals = quote.is_none() && b == b'=';
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_of(text: &str) -> usize {
        text.matches("<div>").count()
    }

    fn limit(text: &str) -> (Cow<'_, str>, bool) {
        let bounded = limit_nesting(text);
        (bounded.text, bounded.too_deep)
    }

    #[test]
    fn deep_divs_are_cut_to_the_limit_keeping_the_text() {
        let n = 10_000;
        let text = format!("{}deep text{}", "<div>".repeat(n), "</div>".repeat(n));
        let (out, too_deep) = limit(&text);
        assert!(too_deep);
        assert_eq!(depth_of(&out), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert!(out.contains("deep text"));
    }

    #[test]
    fn ordinary_pages_are_untouched() {
        let text = "<html><body><p>a<p>b<ul><li>x<li>y</ul><br><img src=x>\
                    <script>if (a<b) { x = '<div>'; }</script><!-- <div> --></body></html>";
        assert!(matches!(limit(text), (Cow::Borrowed(_), false)));
        let many_paragraphs = "<p>unclosed ".repeat(10_000);
        assert!(matches!(limit(&many_paragraphs), (Cow::Borrowed(_), false)));
    }

    #[test]
    fn never_shown_raw_text_is_cut() {
        let (out, _) = limit("a<IFRAME src=x><p>not text</p></iframe >b<noframes><div>");
        assert_eq!(out, "ab");
    }

    #[test]
    fn quotes_and_unfinished_tags_are_kept_as_written() {
        // Nothing here is deep, wide or never shown: the parser gets it as is.
        for text in [
            "<div title='>'>",
            "<div",
            "</",
            "<",
            "<<<>>>",
            "<a b=\"",
            "<!--",
            "<script>",
        ] {
            let bounded = limit_nesting(text);
            assert_eq!(bounded.text, text);
            assert!(!bounded.too_deep && !bounded.attributes_cut && !bounded.elements_cut);
        }
    }

    /// Issue 10, 3: 300,000 attributes on one tag never finished parsing.
    #[test]
    fn attributes_past_the_limit_are_cut_keeping_the_first() {
        let attrs: String = (0..300_000).map(|n| format!(" a{n}=\"v>{n}\"")).collect();
        let text = format!("<p class=x{attrs}>kept text</p><img src=a.png{attrs}/>");
        let bounded = limit_nesting(&text);
        assert!(bounded.attributes_cut);
        let out = bounded.text;
        assert!(out.len() < 20_000, "{} bytes left", out.len());
        assert!(out.starts_with("<p class=x a0=\"v>0\""));
        assert!(out.contains(&format!(" a{}=", MAX_ATTRIBUTES - 2)));
        assert!(!out.contains(&format!(" a{}=", MAX_ATTRIBUTES - 1)));
        assert!(out.contains(">kept text</p><img src=a.png a0="));
        // The parser sees what was kept: the text and both elements.
        let doc = scraper::Html::parse_document(&out);
        let p = doc
            .select(&scraper::Selector::parse("p").unwrap())
            .next()
            .unwrap();
        assert_eq!(p.value().attrs().count(), MAX_ATTRIBUTES);
        assert_eq!(p.text().collect::<String>(), "kept text");
    }

    #[test]
    fn ordinary_attributes_are_untouched() {
        let text = "<a href=\"x\" title='a > b' data-x = y checked/><input value=\"=\">";
        let bounded = limit_nesting(text);
        assert!(matches!(bounded.text, Cow::Borrowed(_)));
        assert!(!bounded.attributes_cut);
    }

    /// Issue 10, 2: 1.8 million `<p>` lines took 1.2 GB in one import.
    #[test]
    fn elements_past_the_limit_are_cut_keeping_their_text() {
        let n = MAX_ELEMENTS + 1_000;
        let text = format!(
            "<body>{}<script>var x = '<p>';</script><!-- c --><p>last</p></body>",
            "<p>w</p>\n".repeat(n)
        );
        let bounded = limit_nesting(&text);
        assert!(bounded.elements_cut);
        let out = bounded.text;
        assert_eq!(out.matches("<p>").count(), MAX_ELEMENTS - 1);
        assert_eq!(out.matches('w').count(), n, "text was lost");
        assert!(out.ends_with("last"), "{}", &out[out.len() - 40..]);
        assert!(!out.contains("var x"), "a script became text");
        assert!(!out.contains("<!--"));
    }
}

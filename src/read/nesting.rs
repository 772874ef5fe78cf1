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

use std::borrow::Cow;
use std::collections::HashMap;

use super::limits::MAX_DEPTH;

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

/// `text` with element nesting beyond [`MAX_DEPTH`] and never-shown raw-text
/// elements removed (borrowed when nothing had to change), and whether the
/// depth limit was hit.
pub fn limit_nesting(text: &str) -> (Cow<'_, str>, bool) {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    // Start tags dropped and not yet matched by an end tag, by name.
    let mut dropped: HashMap<String, usize> = HashMap::new();
    // Byte ranges of tags to cut out.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        let start = i + offset;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
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
        let name = text[name_start..name_start + name_len].to_ascii_lowercase();
        let Some(end) = tag_end(bytes, name_start + name_len) else {
            break; // an unfinished tag: the parser treats the rest as text
        };
        let tag_end = end + 1;
        i = tag_end;
        if closing {
            if let Some(count) = dropped.get_mut(&name)
                && *count > 0
            {
                *count -= 1;
                cuts.push((start, tag_end));
            } else if counts(&name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            // Skip to the matching end tag (case-insensitive), content untouched.
            let close = format!("</{name}");
            i = find_ci(bytes, tag_end, close.as_bytes()).unwrap_or(bytes.len());
            if NEVER_SHOWN.contains(&name.as_str()) {
                // Its raw text is never rendered, but a readability pass may
                // turn it into text: cut the element whole.
                let end = match tag_end_at(bytes, i) {
                    Some(end) => end + 1,
                    None => bytes.len(),
                };
                cuts.push((start, end));
                i = end;
            }
            continue;
        }
        let self_closed = bytes[end - 1] == b'/';
        if self_closed || !counts(&name) {
            continue;
        }
        if depth >= MAX_DEPTH {
            *dropped.entry(name).or_default() += 1;
            cuts.push((start, tag_end));
        } else {
            depth += 1;
        }
    }
    let too_deep = !dropped.is_empty();
    if cuts.is_empty() {
        return (Cow::Borrowed(text), too_deep);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (start, end) in cuts {
        out.push_str(&text[from..start]);
        from = end;
    }
    out.push_str(&text[from..]);
    (Cow::Owned(out), too_deep)
}

fn counts(name: &str) -> bool {
    !VOID.contains(&name) && !SELF_CLOSING.contains(&name)
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

/// The index of the `>` ending a tag whose attributes start at `from`
/// (quotes respected), or `None` when the text ends first.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
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

    #[test]
    fn deep_divs_are_cut_to_the_limit_keeping_the_text() {
        let n = 10_000;
        let text = format!("{}deep text{}", "<div>".repeat(n), "</div>".repeat(n));
        let (out, too_deep) = limit_nesting(&text);
        assert!(too_deep);
        assert_eq!(depth_of(&out), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert!(out.contains("deep text"));
    }

    #[test]
    fn ordinary_pages_are_untouched() {
        let text = "<html><body><p>a<p>b<ul><li>x<li>y</ul><br><img src=x>\
                    <script>if (a<b) { x = '<div>'; }</script><!-- <div> --></body></html>";
        assert!(matches!(limit_nesting(text), (Cow::Borrowed(_), false)));
        let many_paragraphs = "<p>unclosed ".repeat(10_000);
        assert!(matches!(
            limit_nesting(&many_paragraphs),
            (Cow::Borrowed(_), false)
        ));
    }

    #[test]
    fn never_shown_raw_text_is_cut() {
        let (out, _) = limit_nesting("a<IFRAME src=x><p>not text</p></iframe >b<noframes><div>");
        assert_eq!(out, "ab");
    }

    #[test]
    fn quotes_and_unfinished_tags_are_safe() {
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
            let _ = limit_nesting(text);
        }
    }
}

//! The text of a slice of raw HTML, as a reader sees it: tags, comments,
//! scripts and styles gone, character references decoded, whitespace runs
//! as one space. Used on the bounded window under a headline, which is not
//! parsed as a document (the readability pass parses the page).

use std::sync::LazyLock;

use regex::Regex;

static SKIPPED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?is)<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<select\b.*?</select\s*>|<(?:script|style|select)\b.*\z|<[^>]*>?").ok()
});

/// The visible text of an HTML fragment (see the module doc). A `<select>`'s
/// options (a drop-down of other headlines and their dates) are not text.
pub fn html_text(html: &str) -> String {
    let Some(skipped) = SKIPPED.as_ref() else {
        return String::new();
    };
    let stripped = skipped.replace_all(html, " ");
    let decoded = decode_entities(&stripped);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `&#x8FD9;`, `&#36825;`, `&nbsp;`, `&amp;` and the other common named
/// references decoded; an unknown or broken one kept as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                named(name)
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" => '\u{a0}',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "middot" => '·',
        "bull" => '•',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "laquo" => '«',
        "raquo" => '»',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_a_fragment() {
        assert_eq!(
            html_text(
                "<span class=\"name\">&#x8C22;&#x82E5;&#x542B;</span><!-- x --><script>var a = '2019-01-01';</script>&nbsp;<b>2017-03-01</b> &amp; &bogus; &"
            ),
            "谢若含 2017-03-01 & &bogus; &"
        );
        assert_eq!(
            html_text("<select><option>旧标题 2014-12-01</option></select>市料 <span>2014-12-08"),
            "市料 2014-12-08"
        );
    }
}

//! Which link targets Folio keeps, shows and writes: one allow-list for
//! extraction, the reader and every export.
//!
//! A saved page is untrusted. A link whose scheme can run code or smuggle a
//! document (`javascript:`, `vbscript:`, `data:`, `file:`, …) must never
//! reach a Markdown or HTML file a user opens later, in any spelling: scheme
//! names are case-insensitive, and browsers ignore leading spaces and
//! control characters and strip tabs and newlines anywhere in a URL, so
//! ` JaVa\tScRiPt:` is `javascript:`. Kept are `http:`, `https:`, `mailto:`
//! and references without a scheme (relative paths, `#fragments`, `?query`).

/// Schemes a link may have.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// `href` trimmed, when it is safe to keep and follow (see the module docs);
/// `None` for any other scheme.
pub fn safe_link(href: &str) -> Option<&str> {
    let trimmed = href.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    match scheme(trimmed) {
        None => Some(trimmed),
        Some(scheme) => ALLOWED_SCHEMES
            .contains(&scheme.as_str())
            .then_some(trimmed),
    }
}

/// The scheme of `href` as a browser reads it (lowercase, tabs and newlines
/// removed), or `None` for a reference without one. Anything before the
/// first `:` that comes before any `/`, `?` or `#` counts as a scheme, even
/// when it is not a valid scheme name: refusing `a b:c` costs nothing,
/// guessing wrong about how a Markdown viewer reads it could.
fn scheme(href: &str) -> Option<String> {
    let mut out = String::new();
    for c in href.chars() {
        match c {
            ':' => return Some(out),
            '/' | '?' | '#' => return None,
            '\t' | '\n' | '\r' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_mail_and_relative_links_are_kept() {
        for href in [
            "https://example.com/a?b=c#d",
            "HTTP://EXAMPLE.COM",
            "mailto:someone@example.com",
            "page.html",
            "../up/page.html",
            "/rooted",
            "#section",
            "?q=1",
            "images/a:b.png",
            "//example.com/protocol-relative",
        ] {
            assert_eq!(safe_link(href), Some(href), "{href}");
        }
        assert_eq!(safe_link("  https://x.org \n"), Some("https://x.org"));
    }

    #[test]
    fn scripts_and_documents_are_refused_in_any_spelling() {
        for href in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "VBScript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "DATA:image/svg+xml;base64,AAAA",
            "file:///etc/passwd",
            "jar:http://x!/",
            "a b:c",
        ] {
            assert_eq!(safe_link(href), None, "{href:?}");
        }
    }
}

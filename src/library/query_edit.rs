//! Query strings as the window edits them: the list's query is the typed
//! search joined with the pane's filters ([`with_filters`]), and the
//! timeline puts a span of dates in the search or takes it out
//! ([`with_date_range`], [`without_date_range`], [`has_date_range`]).
//!
//! The window never builds or splits a query string itself: what a term is
//! (words split at white space outside quotes, `"`, `“` and `”` opening and
//! closing a quote, as `query::lex` splits them) and how a filter's value is
//! quoted are decided here, beside the parser. Terms the user typed are kept
//! exactly as typed.

/// A filter the window adds to the typed search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter<'a> {
    /// `collection:NAME`: a saved search.
    Collection(&'a str),
    /// `is:unread`.
    Unread,
    /// `is:starred`.
    Starred,
    /// `tag:NAME`: articles with this tag (or a tag under it).
    Tag(&'a str),
    /// `-tag:NAME`: articles without it.
    NotTag(&'a str),
}

impl Filter<'_> {
    /// The filter as a query term.
    pub fn term(&self) -> String {
        match self {
            Self::Collection(name) => format!("collection:\"{}\"", name.replace('"', "")),
            Self::Unread => "is:unread".to_owned(),
            Self::Starred => "is:starred".to_owned(),
            Self::Tag(name) => format!("tag:{}", quoted(name)),
            Self::NotTag(name) => format!("-tag:{}", quoted(name)),
        }
    }
}

/// A filter value as one term: quoted when it holds white space or a quote
/// (whose quotes are dropped: a value cannot hold one).
fn quoted(value: &str) -> String {
    if value.chars().any(|c| c.is_whitespace() || is_quote(c)) {
        format!("\"{}\"", value.replace(is_quote, ""))
    } else {
        value.to_owned()
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

/// The query the list runs: the typed `search` (trimmed), then each filter
/// in the order given.
pub fn with_filters(search: &str, filters: &[Filter<'_>]) -> String {
    let search = search.trim();
    let mut parts: Vec<String> = Vec::with_capacity(filters.len() + 1);
    if !search.is_empty() {
        parts.push(search.to_owned());
    }
    parts.extend(filters.iter().map(Filter::term));
    parts.join(" ")
}

/// The terms of a search as typed: split at white space outside quotes,
/// as the parser splits them, each a slice of `search`.
fn terms(search: &str) -> impl Iterator<Item = &str> {
    let mut rest = search.trim();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if is_quote(c) {
                    quoted = !quoted;
                }
                c.is_whitespace() && !quoted
            })
            .map_or(rest.len(), |(i, _)| i);
        let term = &rest[..end];
        rest = rest[end..].trim_start();
        Some(term)
    })
}

/// An `after:` or `before:` term.
fn is_date_term(term: &str) -> bool {
    let lower = term.to_lowercase();
    lower.starts_with("after:") || lower.starts_with("before:")
}

/// `search` without its `after:`/`before:` terms; other terms, quoted
/// ones too, are kept as typed.
pub fn without_date_range(search: &str) -> String {
    terms(search)
        .filter(|t| !is_date_term(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `search` with its `after:`/`before:` terms replaced by `after:AFTER
/// before:BEFORE` (what the timeline sets; dates as `YYYY-MM-DD`).
pub fn with_date_range(search: &str, after: &str, before: &str) -> String {
    let mut out = without_date_range(search);
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&format!("after:{after} before:{before}"));
    out
}

/// True when `search` has an `after:` or `before:` term.
pub fn has_date_range(search: &str) -> bool {
    terms(search).any(is_date_term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_replaces_only_the_dates_of_the_search() {
        assert_eq!(
            with_date_range(
                "climate \"sea level\" after:2019-01-01",
                "2020-03-01",
                "2020-04-01"
            ),
            "climate \"sea level\" after:2020-03-01 before:2020-04-01"
        );
        assert_eq!(
            with_date_range("", "2020-03-01", "2020-04-01"),
            "after:2020-03-01 before:2020-04-01"
        );
        assert_eq!(
            without_date_range("Before:2021-01-01 小米 \"after: x\" after:2020"),
            "小米 \"after: x\""
        );
        assert!(has_date_range("x after:2020"));
        assert!(!has_date_range("x \"after\""));
    }

    #[test]
    fn terms_split_as_the_parser_splits() {
        for search in [
            "climate \"sea level\" after:2019",
            "“sea level” tag:\"two words\"  小米",
            "a\"b c\"d e",
            "  ",
        ] {
            let ours: Vec<String> = terms(search).map(|t| t.replace(is_quote, "\"")).collect();
            assert_eq!(ours, super::super::query::lex(search), "{search}");
        }
    }

    #[test]
    fn filters_follow_the_search_and_their_values_are_quoted() {
        assert_eq!(
            with_filters(
                " 小米 ",
                &[
                    Filter::Collection("To \"read\""),
                    Filter::Starred,
                    Filter::Tag("two words"),
                    Filter::NotTag("x"),
                ]
            ),
            "小米 collection:\"To read\" is:starred tag:\"two words\" -tag:x"
        );
        assert_eq!(with_filters("", &[Filter::Unread]), "is:unread");
        // A filtered query parses, with the values the pane asked for.
        let query = with_filters("", &[Filter::Tag("a “b”")]);
        assert_eq!(query, "tag:\"a b\"");
        assert!(super::super::query::parse(&query).is_ok());
    }
}

//! Full-text search: ranked with bm25 over the segmented index, with a
//! readable snippet cut in Rust from the original (unsegmented) text.
//!
//! Snippets and the reader's highlights match folded text ([`super::fold`])
//! and mark the original characters: a search for `神韵` marks `神韻` where
//! the article says so, `Wi-Fi` marks `Ｗｉ－Ｆｉ`.

use std::ops::Range;

use rusqlite::{Connection, params_from_iter, types::Value};

use super::articles::{SUMMARY_COLUMNS, limit_offset, list_compiled, summary_from_row};
use super::codec::{for_each_block, sql_int};
use super::error::Result;
use super::fold::{fold_char, folded_chars, lower};
use super::query::{Compiled, compile, parse, parse_for};
use super::types::{ArticleId, ArticleSummary, SortBy, SortOrder};
use crate::model::{Block, Image};

/// The relevance score ([`super::rank`]: bm25, without the factor that is
/// the same for every match of a one-phrase query), with the weights of the
/// `search_fts` columns: title, body, notes, highlight comments, text only earlier versions hold.
const BM25: &str = "folio_rank(search_fts, 10.0, 1.0, 2.0, 2.0, 0.5)";

/// Characters of context shown on each side of a hit.
pub const SNIPPET_CONTEXT_CHARS: usize = 40;

/// One search result.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    /// The article, as the list shows it.
    pub summary: ArticleSummary,
    /// Text around the first hit (or the start of the body when the query has no text).
    pub snippet: Snippet,
    /// Relevance, bm25 ([`super::rank`]): lower is better; 0 when the query
    /// has no text.
    pub rank: f64,
    /// Where the snippet's hit was found; `None` when the query has no text
    /// (or its text was found only by the index's folding, not literally).
    pub matched_in: Option<MatchedIn>,
}

/// The part of an article a search hit was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedIn {
    /// The body (captions and alt texts included).
    Body,
    /// The user's note.
    Note,
    /// The comment of a highlight.
    HighlightComment,
    /// The title.
    Title,
    /// Only an earlier version of the article (a copy kept, not shown).
    EarlierVersion,
}

impl MatchedIn {
    /// A short name: `body`, `note`, `highlight comment`, `title`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Body => "body",
            Self::Note => "note",
            Self::HighlightComment => "highlight comment",
            Self::Title => "title",
            Self::EarlierVersion => "earlier version",
        }
    }
}

/// A short piece of an article's text with the hits marked: centred on the
/// first hit (about [`SNIPPET_CONTEXT_CHARS`] characters each side, more on
/// one side when the other runs out), one line, with every occurrence of
/// every searched text in it marked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    /// Readable text (`…` where it was cut), one line.
    pub text: String,
    /// Byte ranges of `text` to highlight, sorted and not overlapping.
    pub highlights: Vec<Range<usize>>,
}

impl Snippet {
    /// [`Snippet::highlights`] as ranges of characters (Unicode scalar
    /// values) of `text`: for JSON readers, which do not count bytes.
    pub fn char_ranges(&self) -> Vec<Range<usize>> {
        let at = |byte: usize| self.text.get(..byte).map_or(0, |t| t.chars().count());
        self.highlights
            .iter()
            .map(|r| at(r.start)..at(r.end))
            .collect()
    }
}

/// How many matches are ranked: a query matching more articles than this
/// (a very common word such as `的` or `the`) is ranked by bm25 among its
/// `RANKED_MATCHES` most recently added matches, and the older matches follow,
/// newest first. Ranking costs a few microseconds per match (bm25 reads each
/// match's positions and column sizes), and for such words bm25 hardly tells
/// the matches apart anyway.
pub const RANKED_MATCHES: usize = 1000;

/// Search live articles in `order`: by relevance, best first (see
/// [`RANKED_MATCHES`]), or in a list order.
pub(crate) fn search(
    conn: &Connection,
    query: &str,
    order: SortOrder,
    limit: usize,
    offset: usize,
) -> Result<Vec<SearchHit>> {
    // One snapshot for the page and its snippets.
    let _snapshot = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let (rows, texts) = ranked_rows(conn, query, order, limit, offset)?;
    let mut hits = Vec::with_capacity(rows.len());
    for (summary, rank) in rows {
        let (snippet, matched_in) = snippet_for(conn, summary.id, &summary.title, &texts)?;
        hits.push(SearchHit {
            summary,
            snippet,
            rank,
            matched_in,
        });
    }
    Ok(hits)
}

/// An article of a page of results with its rank ([`SearchHit::rank`]).
pub(crate) type RankedRow = (ArticleSummary, f64);

/// One page of [`search`]'s rows, without snippets: each article's summary
/// and rank, and the query's texts as typed (what snippets look for).
pub(crate) fn ranked_rows(
    conn: &Connection,
    query: &str,
    order: SortOrder,
    limit: usize,
    offset: usize,
) -> Result<(Vec<RankedRow>, Vec<String>)> {
    let parsed = parse_for(conn, query)?;
    let compiled = compile(&parsed, order.by == SortBy::Relevance);
    // One snapshot for the statements below, so that a writer committing in
    // between cannot shift the ranked set under the page.
    let _snapshot = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let rows = match &compiled.fts {
        Some(fts) if order.by == SortBy::Relevance => {
            let ranked = ranked_page(conn, &compiled, fts, limit, offset)?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.id = ?1"
            ))?;
            let mut rows = Vec::with_capacity(ranked.len());
            for (id, rank) in ranked {
                rows.push((stmt.query_row([id], summary_from_row)?, rank));
            }
            rows
        }
        // No text to rank by (the newest first), or another order asked for.
        _ => list_compiled(conn, &compiled, order, limit, offset)?
            .into_iter()
            .map(|summary| (summary, 0.0))
            .collect(),
    };
    Ok((rows, compiled.texts))
}

/// Ids and bm25 scores of one page of a text query's matches: the ranked
/// ones (the newest [`RANKED_MATCHES`], or all) best first, then the rest
/// newest first.
///
/// One pass walks the newest matches and scores each as it goes (FTS5 has
/// the positions bm25 needs at hand), and the sort happens here; walking
/// them twice, once to find the boundary and once to rank, cost 5–25 % more
/// in the 100,000-article benchmark.
fn ranked_page(
    conn: &Connection,
    compiled: &Compiled,
    fts: &str,
    limit: usize,
    offset: usize,
) -> Result<Vec<(i64, f64)>> {
    let from = compiled.fts_from();
    let cond = &compiled.where_sql;
    let base = compiled.params.len();
    let (f, x, l, o) = (base + 1, base + 2, base + 3, base + 4);
    let params = |extra: &[i64]| {
        let mut p = compiled.params.clone();
        p.push(Value::Text(fts.to_owned()));
        p.extend(extra.iter().map(|&v| Value::Integer(v)));
        params_from_iter(p)
    };
    let (limit, offset) = limit_offset(limit, offset);
    let ranked = sql_int(RANKED_MATCHES);
    // The newest matches, one more than are ranked: that one (if any) is the
    // boundary, the newest match left unranked.
    let mut newest: Vec<(i64, f64)> = conn
        .prepare_cached(&format!(
            "SELECT search_fts.rowid, {BM25} FROM {from}
             WHERE search_fts MATCH ?{f} AND {cond}
             ORDER BY search_fts.rowid DESC LIMIT ?{x}"
        ))?
        .query_map(params(&[ranked + 1]), |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let boundary = (newest.len() > RANKED_MATCHES).then(|| newest[RANKED_MATCHES].0);
    newest.truncate(RANKED_MATCHES);
    newest.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut out: Vec<(i64, f64)> = newest
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    if let Some(boundary) = boundary {
        let take = limit - sql_int(out.len());
        if take > 0 {
            let skip = (offset - ranked).max(0);
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT search_fts.rowid, {BM25} FROM {from}
                 WHERE search_fts MATCH ?{f} AND {cond} AND search_fts.rowid <= ?{x}
                 ORDER BY search_fts.rowid DESC LIMIT ?{l} OFFSET ?{o}"
            ))?;
            let rows = stmt.query_map(params(&[boundary, take, skip]), |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
            for row in rows {
                out.push(row?);
            }
        }
    }
    Ok(out)
}

/// Kept copies of an article whose text a snippet looks in: the newest,
/// and the newest of those whose stored text holds a searched text as typed.
const EARLIER_SNIPPET_VERSIONS: i64 = 16;

/// The block texts and titles of an article's kept copies a snippet looks
/// in: those whose stored body holds one of `texts` as typed (found by SQL
/// without decoding, however many copies there are), then the newest.
fn earlier_texts(conn: &Connection, id: ArticleId, texts: &[String]) -> Result<Vec<String>> {
    let mut rows: Vec<(String, String)> = Vec::new();
    for text in texts.iter().filter(|t| !t.trim().is_empty()).take(4) {
        rows.extend(
            conn.prepare_cached(
                "SELECT title, body_json FROM article_versions
                  WHERE article_id = ?1 AND instr(lower(body_json), lower(?2)) > 0
                  ORDER BY id DESC LIMIT 2",
            )?
            .query_map(rusqlite::params![id.0, text], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    rows.extend(
        conn.prepare_cached(
            "SELECT title, body_json FROM article_versions WHERE article_id = ?1
              ORDER BY id DESC LIMIT ?2",
        )?
        .query_map(rusqlite::params![id.0, EARLIER_SNIPPET_VERSIONS], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?,
    );
    let mut out = Vec::new();
    for (title, body_json) in rows {
        out.push(title);
        for_each_block(id, &body_json, |block| {
            let text = block.text();
            if !text.is_empty() {
                out.push(text);
            }
            true
        })?;
    }
    Ok(out)
}

/// The snippet for one hit and where it was found: around the first text
/// found in the body, the note, a highlight comment or the title, else the
/// start of the body.
///
/// The body is searched block by block (then the alt texts, the order of
/// [`Article::searchable_text`]), stopping at the first block with a hit, so
/// a long article costs only the decoding of its JSON.
fn snippet_for(
    conn: &Connection,
    id: ArticleId,
    title: &str,
    texts: &[String],
) -> Result<(Snippet, Option<MatchedIn>)> {
    let (body_json, note): (String, Option<String>) = conn
        .prepare_cached(
            "SELECT a.body_json, n.body FROM articles a LEFT JOIN notes n ON n.article_id = a.id
             WHERE a.id = ?1",
        )?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let note = note.unwrap_or_default();
    let comments = super::highlights::comments_of(conn, id)?;
    let needles: Vec<Vec<char>> = texts
        .iter()
        .map(|t| needle(t))
        .filter(|n: &Vec<char>| !n.is_empty())
        .collect();
    // The body's texts, then its images' alt texts. The body is decoded
    // block by block and the first needle looked for as it goes: the blocks
    // after its hit are skipped, not decoded (decoding a long article's body
    // was most of what a snippet cost).
    let mut parts: Vec<String> = Vec::new();
    let mut alts: Vec<String> = Vec::new();
    let mut first_hit = None;
    for_each_block(id, &body_json, |block| {
        if let Block::Image(Image { alt: Some(alt), .. }) = &block {
            alts.push(alt.clone());
        }
        let text = block.text();
        if text.is_empty() {
            return true;
        }
        if let Some(hit) = needles.first().and_then(|first| find_chars(&text, first)) {
            first_hit = Some((text, hit));
            return false;
        }
        parts.push(text);
        true
    })?;
    if let Some((part, hit)) = first_hit {
        return Ok((cut(&part, hit, texts), Some(MatchedIn::Body)));
    }
    let searched = parts.len();
    parts.extend(alts);
    for (i, needle) in needles.iter().enumerate() {
        // The first needle was looked for in the block texts already.
        let from = if i == 0 { searched } else { 0 };
        for part in &parts[from..] {
            if let Some(hit) = find_chars(part, needle) {
                return Ok((cut(part, hit, texts), Some(MatchedIn::Body)));
            }
        }
        let others = std::iter::once((note.as_str(), MatchedIn::Note))
            .chain(
                comments
                    .iter()
                    .map(|c| (c.as_str(), MatchedIn::HighlightComment)),
            )
            .chain(std::iter::once((title, MatchedIn::Title)));
        for (haystack, place) in others {
            if let Some(hit) = find_chars(haystack, needle) {
                return Ok((cut(haystack, hit, texts), Some(place)));
            }
        }
    }
    // Only in a copy kept from before: the text as that copy has it.
    if !needles.is_empty() {
        for part in earlier_texts(conn, id, texts)? {
            for needle in &needles {
                if let Some(hit) = find_chars(&part, needle) {
                    return Ok((cut(&part, hit, texts), Some(MatchedIn::EarlierVersion)));
                }
            }
        }
    }
    // No hit (or no text): the start of the body.
    let limit = SNIPPET_CONTEXT_CHARS * 2;
    let mut start = String::new();
    let mut chars = 0;
    let mut cut_off = false;
    'parts: for part in parts {
        for c in (if start.is_empty() { "" } else { "\n" })
            .chars()
            .chain(part.chars())
        {
            if chars == limit {
                cut_off = true;
                break 'parts;
            }
            start.push(c);
            chars += 1;
        }
    }
    Ok((
        Snippet {
            text: if cut_off {
                format!("{start}…")
            } else {
                start
            },
            highlights: Vec::new(),
        },
        None,
    ))
}

/// The texts `query` looks for, as typed (filters and excluded words left
/// out): what a reader highlights. Empty for a query that does not parse.
pub fn highlight_terms(query: &str) -> Vec<String> {
    parse(query).map_or_else(|_| Vec::new(), |q| compile(&q, true).texts)
}

/// Byte ranges of the occurrences of `terms` in `text`, sorted and not
/// overlapping (matched as the snippets are): case-insensitive and folded
/// as the index is ([`super::fold`]), so `神韵` marks `神韻` and `wi-fi`
/// marks `Ｗｉ－Ｆｉ`; a range always covers whole original characters.
pub fn find_highlights(text: &str, terms: &[String]) -> Vec<Range<usize>> {
    let mut hits = Vec::new();
    let mut folded = Vec::new();
    folded_chars(text, true, &mut folded);
    for term in terms {
        let needle = needle(term);
        if needle.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(at) = find_at(&folded[from..], &needle) {
            let (first, last) = (from + at, from + at + needle.len() - 1);
            hits.push(folded[first].1..folded[last].2);
            from = last + 1;
        }
    }
    hits.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(hits.len());
    for hit in hits {
        if out.last().is_none_or(|last| hit.start >= last.end) {
            out.push(hit);
        }
    }
    out
}

/// Most characters a find-in-article pattern may hold (longer ones are
/// cut: a pattern is typed, not pasted books).
pub const MAX_FIND_CHARS: usize = 256;

/// What the reader's find bar looks for: a typed text folded as the
/// library search folds it (Simplified/Traditional, widths, case), or,
/// written `exact:TEXT` (or `exact:"TEXT"`), folded for widths and case only,
/// as the search's `exact:` is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindPattern {
    needle: Vec<char>,
    scripts: bool,
}

impl FindPattern {
    /// The pattern `typed` means; `None` when it looks for nothing (empty,
    /// spaces only, or a bare `exact:`).
    #[must_use]
    pub fn new(typed: &str) -> Option<Self> {
        let typed: String = typed.chars().take(MAX_FIND_CHARS).collect();
        let (text, scripts) = match typed.trim_start().strip_prefix("exact:") {
            Some(rest) => (super::query::unquote(rest.trim()).0, false),
            None => (typed.clone(), true),
        };
        if text.trim().is_empty() {
            return None;
        }
        let mut needle = Vec::with_capacity(text.len());
        for c in text.chars() {
            fold_char(c, scripts, |f| needle.push(lower(f)));
        }
        (!needle.is_empty()).then_some(Self { needle, scripts })
    }

    /// Byte ranges of the pattern's occurrences in `text`, in order, not
    /// overlapping, each covering whole original characters.
    #[must_use]
    pub fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        let mut folded = Vec::new();
        folded_chars(text, self.scripts, &mut folded);
        let mut hits = Vec::new();
        let mut from = 0;
        while let Some(at) = find_at(&folded[from..], &self.needle) {
            let (first, last) = (from + at, from + at + self.needle.len() - 1);
            hits.push(folded[first].1..folded[last].2);
            from = last + 1;
        }
        hits
    }
}

/// A searched text as the matcher compares it: folded as the index is,
/// then lowercased, one `char` each.
fn needle(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, true, |f| out.push(lower(f)));
    }
    out
}

/// Index of the first window of `folded` equal to `needle` (not empty).
fn find_at(folded: &[(char, usize, usize)], needle: &[char]) -> Option<usize> {
    folded
        .windows(needle.len())
        .position(|w| w.iter().zip(needle).all(|(f, n)| f.0 == *n))
}

/// Byte range of the first occurrence of `text` in `haystack`, both folded
/// as the index folds them and lowercased, covering whole original
/// characters.
#[cfg(test)]
fn find_folded(haystack: &str, text: &str) -> Option<Range<usize>> {
    find_chars(haystack, &needle(text))
}

/// [`find_folded`] with the needle already folded ([`needle`]).
fn find_chars(haystack: &str, needle: &[char]) -> Option<Range<usize>> {
    let first = *needle.first()?;
    // Most parts do not hold the needle's first character at all: tell
    // without folding them when that character cannot come from another.
    if first.is_ascii_digit() || first == ' ' {
        // Digits and spaces also come from full-width forms: fold.
    } else if first.is_ascii() && haystack.is_ascii() {
        let lower = first.to_ascii_lowercase();
        if !haystack
            .bytes()
            .any(|b| b.to_ascii_lowercase() == lower as u8)
        {
            return None;
        }
    }
    let mut folded = Vec::new();
    folded_chars(haystack, true, &mut folded);
    let at = find_at(&folded, needle)?;
    Some(folded[at].1..folded[at + needle.len() - 1].2)
}

/// Cut a snippet of `text` centred on `hit`, marking every occurrence of
/// `texts` in it.
fn cut(text: &str, hit: Range<usize>, texts: &[String]) -> Snippet {
    let budget = SNIPPET_CONTEXT_CHARS * 2;
    let before_chars = text[..hit.start].chars().count();
    let after_chars = text[hit.end..].chars().count();
    // Centred; the side that runs out gives its share to the other.
    let take_before =
        before_chars.min(SNIPPET_CONTEXT_CHARS.max(budget.saturating_sub(after_chars)));
    let take_after = after_chars.min(budget - take_before);
    let from = text[..hit.start]
        .char_indices()
        .nth(before_chars - take_before)
        .map_or(hit.start, |(i, _)| i);
    let to = text[hit.end..]
        .char_indices()
        .nth(take_after)
        .map_or(text.len(), |(i, _)| hit.end + i);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    // Lines become spaces so the snippet is one line.
    out.push_str(&text[from..to].replace('\n', " "));
    if to < text.len() {
        out.push('…');
    }
    let mut highlights = find_highlights(&out, texts);
    if highlights.is_empty() {
        let offset = if from > 0 { '…'.len_utf8() } else { 0 };
        highlights.push(offset + (hit.start - from)..offset + (hit.end - from));
    }
    Snippet {
        text: out,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_the_query_texts_found_case_insensitively() {
        let terms = highlight_terms("小米 tag:phones -apple \"Exact Phrase\" OR micro");
        assert_eq!(terms, ["小米", "Exact Phrase", "micro"]);
        let text = "MICROsoft and an exact phrase near 小米 and micro";
        let found: Vec<&str> = find_highlights(text, &terms)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(found, ["MICRO", "exact phrase", "小米", "micro"]);
        assert!(highlight_terms("before:yesterday").is_empty());
    }

    #[test]
    fn find_is_case_insensitive() {
        assert_eq!(find_folded("Hello World", "world"), Some(6..11));
        assert_eq!(find_folded("售后新政来了", "新政"), Some(6..12));
        assert_eq!(find_folded("abc", "abcd"), None);
    }

    #[test]
    fn traditional_and_full_width_text_is_marked_in_its_own_characters() {
        let text = "新唐人報道：神韻藝術團在紐約演出，Ｗｉ－Ｆｉ 免費。";
        let found: Vec<&str> = find_highlights(text, &["神韵艺术".to_owned(), "wi-fi".to_owned()])
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(found, ["神韻藝術", "Ｗｉ－Ｆｉ"]);
        // The reverse: a Traditional query marks Simplified text.
        let simplified = "神韵艺术团";
        let r = find_folded(simplified, "神韻");
        assert_eq!(r.map(|r| &simplified[r]), Some("神韵"));
        // A query inside one compatibility character marks the whole character.
        let sq = "株式会社は㍿と書く";
        let found: Vec<&str> = find_highlights(sq, &["株式".to_owned()])
            .into_iter()
            .map(|r| &sq[r])
            .collect();
        assert_eq!(found, ["株式", "㍿"]);
    }

    #[test]
    fn cut_marks_the_hit() {
        let s = cut(
            "前文很长很长。小米发布新品。",
            find_folded("前文很长很长。小米发布新品。", "小米").unwrap_or(0..0),
            &["小米".to_owned()],
        );
        assert_eq!(&s.text[s.highlights[0].clone()], "小米");
    }
}

#[cfg(test)]
mod find_tests {
    use super::FindPattern;

    fn found<'a>(pattern: &str, text: &'a str) -> Vec<&'a str> {
        FindPattern::new(pattern)
            .map(|p| p.find_all(text).into_iter().map(|r| &text[r]).collect())
            .unwrap_or_default()
    }

    #[test]
    fn find_folds_scripts_widths_and_case_like_the_search() {
        assert_eq!(found("神韵", "神韻晚會與神韵"), ["神韻", "神韵"]);
        assert_eq!(
            found("wi-fi", "Ｗｉ－Ｆｉ and WI-FI"),
            ["Ｗｉ－Ｆｉ", "WI-FI"]
        );
        assert_eq!(found("aa", "aaaa"), ["aa", "aa"], "not overlapping");
    }

    #[test]
    fn exact_leaves_the_scripts_apart() {
        assert_eq!(found("exact:後", "後来 后来"), ["後"]);
        assert_eq!(found("exact:\"後来\"", "後来 后来"), ["後来"]);
        assert_eq!(found("後", "後来 后来"), ["後", "后"]);
        // Widths still fold under exact:, as the search's exact: does.
        assert_eq!(found("exact:Wi", "Ｗｉ"), ["Ｗｉ"]);
    }

    #[test]
    fn an_empty_pattern_finds_nothing() {
        assert!(FindPattern::new("").is_none());
        assert!(FindPattern::new("   ").is_none());
        assert!(FindPattern::new("exact:").is_none());
        let long = "字".repeat(10_000);
        let pattern = FindPattern::new(&long).unwrap();
        assert_eq!(
            pattern.find_all(&long).len(),
            10_000 / super::MAX_FIND_CHARS
        );
    }
}

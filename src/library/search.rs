//! Full-text search: ranked with bm25 over the segmented index, with a
//! readable snippet cut in Rust from the original (unsegmented) text.

use std::ops::Range;

use rusqlite::{Connection, params_from_iter, types::Value};

use super::articles::{
    SUMMARY_COLUMN_COUNT, SUMMARY_COLUMNS, decode_blocks, limit_offset, summary_from_row,
};
use super::query::{compile, parse};
use super::{ArticleId, ArticleSummary, Result};
use crate::model::Article;

/// bm25 weights of the `search_fts` columns: title, body, notes.
const BM25: &str = "bm25(search_fts, 10.0, 1.0, 2.0)";

/// Characters of context shown on each side of a hit.
const SNIPPET_CONTEXT_CHARS: usize = 40;

/// One search result.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    /// The article, as the list shows it.
    pub summary: ArticleSummary,
    /// Text around the first hit (or the start of the body when the query has no text).
    pub snippet: Snippet,
    /// bm25 score: lower is better; 0 when the query has no text.
    pub rank: f64,
}

/// A short piece of an article's text with the hit marked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    /// Readable text (`…` where it was cut).
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<Range<usize>>,
}

/// Search live articles; best first.
pub(crate) fn search(
    conn: &Connection,
    query: &str,
    limit: usize,
    offset: usize,
) -> Result<Vec<SearchHit>> {
    let compiled = compile(&parse(query)?, true);
    let mut params = compiled.params;
    let (limit, offset) = limit_offset(limit, offset);
    let sql = if let Some(fts) = &compiled.fts {
        params.push(Value::Text(fts.clone()));
        let m = params.len();
        params.push(Value::Integer(limit));
        params.push(Value::Integer(offset));
        format!(
            "SELECT {SUMMARY_COLUMNS}, {BM25} AS rank FROM search_fts
             JOIN articles a ON a.id = search_fts.rowid
             WHERE search_fts MATCH ?{m} AND {}
             ORDER BY rank, a.id LIMIT ?{} OFFSET ?{}",
            compiled.where_sql,
            m + 1,
            m + 2,
        )
    } else {
        let n = params.len();
        params.push(Value::Integer(limit));
        params.push(Value::Integer(offset));
        format!(
            "SELECT {SUMMARY_COLUMNS}, 0.0 AS rank FROM articles a WHERE {}
             ORDER BY a.published DESC, a.id DESC LIMIT ?{} OFFSET ?{}",
            compiled.where_sql,
            n + 1,
            n + 2,
        )
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(params), |row| {
            Ok((
                summary_from_row(row)?,
                row.get::<_, f64>(SUMMARY_COLUMN_COUNT)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut hits = Vec::with_capacity(rows.len());
    for (summary, rank) in rows {
        let snippet = snippet_for(conn, summary.id, &summary.title, &compiled.texts)?;
        hits.push(SearchHit {
            summary,
            snippet,
            rank,
        });
    }
    Ok(hits)
}

/// The snippet for one hit: around the first text found in the body, the
/// note or the title, else the start of the body.
fn snippet_for(conn: &Connection, id: ArticleId, title: &str, texts: &[String]) -> Result<Snippet> {
    let (body_json, note): (String, Option<String>) = conn
        .prepare_cached(
            "SELECT a.body_json, n.body FROM articles a LEFT JOIN notes n ON n.article_id = a.id
             WHERE a.id = ?1",
        )?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let article = Article {
        blocks: decode_blocks(id, &body_json)?,
        ..Article::default()
    };
    let body = article.searchable_text();
    let note = note.unwrap_or_default();
    for text in texts {
        for haystack in [body.as_str(), note.as_str(), title] {
            if let Some(hit) = find_folded(haystack, text) {
                return Ok(cut(haystack, hit));
            }
        }
    }
    let start: String = body.chars().take(SNIPPET_CONTEXT_CHARS * 2).collect();
    let cut_off = start.len() < body.len();
    Ok(Snippet {
        text: if cut_off {
            format!("{start}…")
        } else {
            start
        },
        highlights: Vec::new(),
    })
}

/// Simple case folding for matching: lowercase, first char of the mapping.
fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Byte range of the first case-insensitive occurrence of `needle` in
/// `haystack`, ignoring whitespace differences inside the needle.
pub(crate) fn find_folded(haystack: &str, needle: &str) -> Option<Range<usize>> {
    let needle: Vec<char> = needle.chars().map(fold).collect();
    if needle.is_empty() {
        return None;
    }
    let hay: Vec<(usize, char)> = haystack.char_indices().map(|(i, c)| (i, fold(c))).collect();
    if hay.len() < needle.len() {
        return None;
    }
    for start in 0..=hay.len() - needle.len() {
        if hay[start..start + needle.len()]
            .iter()
            .zip(&needle)
            .all(|((_, a), b)| a == b)
        {
            let (begin, _) = hay[start];
            let end = hay
                .get(start + needle.len())
                .map_or(haystack.len(), |(i, _)| *i);
            return Some(begin..end);
        }
    }
    None
}

/// Cut a snippet of `text` around `hit`.
fn cut(text: &str, hit: Range<usize>) -> Snippet {
    let before: Vec<(usize, char)> = text[..hit.start].char_indices().collect();
    let from = before
        .len()
        .checked_sub(SNIPPET_CONTEXT_CHARS)
        .map_or(0, |k| before[k].0);
    let to = text[hit.end..]
        .char_indices()
        .nth(SNIPPET_CONTEXT_CHARS)
        .map_or(text.len(), |(i, _)| hit.end + i);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let offset = out.len();
    // Lines become spaces so the snippet is one line.
    out.push_str(&text[from..to].replace('\n', " "));
    let highlight = offset + (hit.start - from)..offset + (hit.end - from);
    if to < text.len() {
        out.push('…');
    }
    Snippet {
        text: out,
        highlights: vec![highlight],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_is_case_insensitive() {
        assert_eq!(find_folded("Hello World", "world"), Some(6..11));
        assert_eq!(find_folded("售后新政来了", "新政"), Some(6..12));
        assert_eq!(find_folded("abc", "abcd"), None);
    }

    #[test]
    fn cut_marks_the_hit() {
        let s = cut(
            "前文很长很长。小米发布新品。",
            find_folded("前文很长很长。小米发布新品。", "小米").unwrap_or(0..0),
        );
        assert_eq!(&s.text[s.highlights[0].clone()], "小米");
    }
}

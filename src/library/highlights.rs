//! Highlights with comments, anchored in an article's canonical text
//! ([`crate::model::canonical`]) with W3C selectors
//! ([`crate::model::anchor`]).
//!
//! Promises:
//! * a highlight is created only over a non-empty range of the article's
//!   current canonical text, in one of the named [`Colour`]s;
//! * whenever an article's body is replaced (re-extraction, import
//!   `--update`), every highlight of it is re-anchored in the same
//!   transaction ([`reanchor_article`]); one that cannot be found again is
//!   kept with its old quote and comment and flagged `orphan`, never deleted
//!   and never moved onto other text;
//! * comments are searchable: `search_text.comments` holds them, segmented
//!   like the body, rewritten whenever a comment or highlight changes;
//! * deleting returns the whole row, so [`restore`] can undo it.

use std::ops::Range;

use rusqlite::{Connection, OptionalExtension as _, Row, params};

use super::codec::{decode_blocks, sql_int};
use super::error::{LibraryError, Result};
use super::segment::segment;
use super::types::{
    ArticleId, Colour, Highlight, HighlightEntry, HighlightId, HighlightOrder, Reanchored,
};
use crate::model::Block;
use crate::model::anchor::{
    Anchor, CONTEXT_CHARS, Haystack, Selectors, TextPositionSelector, TextQuoteSelector,
    reanchor_in,
};
use crate::model::canonical::CanonicalText;

impl std::str::FromStr for Colour {
    type Err = LibraryError;
    /// A colour by name, case-insensitive; anything else is
    /// [`LibraryError::BadHighlightColour`].
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == lower)
            .ok_or_else(|| LibraryError::BadHighlightColour(s.to_owned()))
    }
}

const COLUMNS: &str = "id, article_id, colour, comment, exact, prefix, suffix, start_char, \
                       end_char, block_hint, orphan, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Highlight> {
    let colour: String = row.get(2)?;
    let offset = |i: usize| -> rusqlite::Result<usize> {
        Ok(usize::try_from(row.get::<_, i64>(i)?).unwrap_or(0))
    };
    Ok(Highlight {
        id: HighlightId(row.get(0)?),
        article: ArticleId(row.get(1)?),
        // A colour written by another program reads as the default.
        colour: colour.parse().unwrap_or_default(),
        comment: row.get(3)?,
        quote: TextQuoteSelector {
            exact: row.get(4)?,
            prefix: row.get(5)?,
            suffix: row.get(6)?,
        },
        position: TextPositionSelector {
            start: offset(7)?,
            end: offset(8)?,
        },
        block_hint: row.get(9)?,
        orphan: row.get(10)?,
        created_at: row.get(11)?,
        updated_at: row.get(12)?,
    })
}

/// The stored body of article `id` (live or trashed).
fn body(conn: &Connection, id: ArticleId) -> Result<Vec<Block>> {
    let json: String = conn
        .prepare_cached("SELECT body_json FROM articles WHERE id = ?1")?
        .query_row([id.0], |row| row.get(0))
        .optional()?
        .ok_or(LibraryError::NoSuchArticle(id))?;
    decode_blocks(id, &json)
}

/// The canonical text of article `id`'s body.
pub(crate) fn canonical_text(conn: &Connection, id: ArticleId) -> Result<CanonicalText> {
    Ok(CanonicalText::new(&body(conn, id)?))
}

/// One highlight.
pub(crate) fn get(conn: &Connection, id: HighlightId) -> Result<Highlight> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM highlights WHERE id = ?1"))?
        .query_row([id.0], from_row)
        .optional()?
        .ok_or(LibraryError::NoSuchHighlight(id))
}

/// The highlights of `ids` (every live article's when `None`), by article,
/// then position; an article's orphans after its anchored highlights.
pub(crate) fn list(conn: &Connection, ids: Option<&[ArticleId]>) -> Result<Vec<Highlight>> {
    let order = "ORDER BY article_id, orphan, start_char, id";
    let Some(ids) = ids else {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM highlights
             WHERE article_id IN (SELECT id FROM articles WHERE deleted_at IS NULL) {order}"
        ))?;
        return Ok(stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?);
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM highlights WHERE article_id = ?1 {order}"
    ))?;
    let mut out = Vec::new();
    for id in super::types::unique_ids(ids) {
        super::tags::ensure_article(conn, id)?;
        for h in stmt.query_map([id.0], from_row)? {
            out.push(h?);
        }
    }
    Ok(out)
}

/// The highlights of the articles `articles` (in the order given: what
/// [`HighlightOrder::ByArticle`] follows), as ids in `order`. One pass over
/// the highlights' small columns, sorted in Rust: at 50,000 highlights
/// this is a few milliseconds, and no quote or comment is read.
pub(crate) fn ordered_ids(
    conn: &Connection,
    articles: &[ArticleId],
    order: HighlightOrder,
) -> Result<Vec<HighlightId>> {
    let rank: std::collections::HashMap<ArticleId, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    struct Key {
        id: HighlightId,
        rank: usize,
        colour: usize,
        orphan: bool,
        start: i64,
        created: String,
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, article_id, colour, orphan, start_char, created_at FROM highlights",
    )?;
    let mut keys = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let Some(&rank) = rank.get(&ArticleId(row.get(1)?)) else {
            continue;
        };
        let colour: String = row.get(2)?;
        let colour: Colour = colour.parse().unwrap_or_default();
        keys.push(Key {
            id: HighlightId(row.get(0)?),
            rank,
            colour: Colour::ALL.iter().position(|c| *c == colour).unwrap_or(0),
            orphan: row.get(3)?,
            start: row.get(4)?,
            created: row.get(5)?,
        });
    }
    let newest = |a: &Key, b: &Key| b.created.cmp(&a.created).then(b.id.cmp(&a.id));
    match order {
        HighlightOrder::Newest => keys.sort_unstable_by(newest),
        HighlightOrder::ByArticle => keys.sort_unstable_by(|a, b| {
            (a.rank, a.orphan, a.start, a.id).cmp(&(b.rank, b.orphan, b.start, b.id))
        }),
        HighlightOrder::ByColour => {
            keys.sort_unstable_by(|a, b| a.colour.cmp(&b.colour).then_with(|| newest(a, b)));
        }
    }
    Ok(keys.into_iter().map(|k| k.id).collect())
}

/// The highlights `ids` (in that order) with their articles' title, site,
/// date and address; an id no longer stored is left out.
pub(crate) fn entries(conn: &Connection, ids: &[HighlightId]) -> Result<Vec<HighlightEntry>> {
    let mut article =
        conn.prepare_cached("SELECT title, site, published, url FROM articles WHERE id = ?1")?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let highlight = match get(conn, id) {
            Ok(h) => h,
            Err(LibraryError::NoSuchHighlight(_)) => continue,
            Err(err) => return Err(err),
        };
        let Some((title, site, published, url)) = article
            .query_row([highlight.article.0], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .optional()?
        else {
            continue;
        };
        out.push(HighlightEntry {
            highlight,
            title,
            site,
            published,
            url,
        });
    }
    Ok(out)
}

/// Check `range` against the text and make its selectors.
fn selectors(text: &CanonicalText, range: &Range<usize>) -> Result<Selectors> {
    if range.start >= range.end || range.end > text.char_len() {
        return Err(LibraryError::BadHighlightRange {
            start: range.start,
            end: range.end,
            len: text.char_len(),
        });
    }
    let chars = text.chars();
    if chars[range.clone()].iter().all(|c| c.is_whitespace()) {
        return Err(LibraryError::BadHighlightRange {
            start: range.start,
            end: range.end,
            len: text.char_len(),
        });
    }
    Ok(Selectors::from_range(&chars, range.clone()))
}

/// Add a highlight over `range` (chars of the canonical text).
pub(crate) fn add(
    tx: &Connection,
    article: ArticleId,
    range: Range<usize>,
    colour: Colour,
    comment: &str,
) -> Result<Highlight> {
    let text = canonical_text(tx, article)?;
    let sel = selectors(&text, &range)?;
    let id = insert(
        tx,
        article,
        colour,
        comment,
        &sel,
        text.hint_at(range.start).as_deref(),
        false,
    )?;
    refresh_search(tx, article)?;
    get(tx, id)
}

fn insert(
    tx: &Connection,
    article: ArticleId,
    colour: Colour,
    comment: &str,
    sel: &Selectors,
    hint: Option<&str>,
    orphan: bool,
) -> Result<HighlightId> {
    tx.prepare_cached(
        "INSERT INTO highlights (article_id, colour, comment, exact, prefix, suffix,
             start_char, end_char, block_hint, orphan)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        article.0,
        colour.as_str(),
        comment.trim(),
        sel.quote.exact,
        sel.quote.prefix,
        sel.quote.suffix,
        sql_int(sel.position.start),
        sql_int(sel.position.end),
        hint,
        orphan,
    ])?;
    Ok(HighlightId(tx.last_insert_rowid()))
}

/// Put back a highlight returned by [`delete`] (undo), with its id when
/// that id is free. Returns the id it has now.
pub(crate) fn restore(tx: &Connection, h: &Highlight) -> Result<HighlightId> {
    super::tags::ensure_article(tx, h.article)?;
    let taken: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM highlights WHERE id = ?1)")?
        .query_row([h.id.0], |row| row.get(0))?;
    tx.prepare_cached(
        "INSERT INTO highlights (id, article_id, colour, comment, exact, prefix, suffix,
             start_char, end_char, block_hint, orphan, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        (!taken).then_some(h.id.0),
        h.article.0,
        h.colour.as_str(),
        h.comment,
        h.quote.exact,
        h.quote.prefix,
        h.quote.suffix,
        sql_int(h.position.start),
        sql_int(h.position.end),
        h.block_hint,
        h.orphan,
        h.created_at,
        h.updated_at,
    ])?;
    let id = HighlightId(tx.last_insert_rowid());
    refresh_search(tx, h.article)?;
    Ok(id)
}

/// Set a highlight's comment (trimmed; empty for none). Returns the
/// highlight as it was (for undo).
pub(crate) fn set_comment(tx: &Connection, id: HighlightId, comment: &str) -> Result<Highlight> {
    let old = get(tx, id)?;
    tx.prepare_cached(
        "UPDATE highlights SET comment = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?1",
    )?
    .execute(params![id.0, comment.trim()])?;
    refresh_search(tx, old.article)?;
    Ok(old)
}

/// Set a highlight's colour. Returns the highlight as it was.
pub(crate) fn set_colour(tx: &Connection, id: HighlightId, colour: Colour) -> Result<Highlight> {
    let old = get(tx, id)?;
    tx.prepare_cached(
        "UPDATE highlights SET colour = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?1",
    )?
    .execute(params![id.0, colour.as_str()])?;
    Ok(old)
}

/// Delete a highlight. Returns it whole, for [`restore`].
pub(crate) fn delete(tx: &Connection, id: HighlightId) -> Result<Highlight> {
    let old = get(tx, id)?;
    tx.prepare_cached("DELETE FROM highlights WHERE id = ?1")?
        .execute([id.0])?;
    refresh_search(tx, old.article)?;
    Ok(old)
}

/// Attach a highlight (usually an orphan) to `range` of its article's
/// current text: new selectors, no longer an orphan. Returns it as it was.
pub(crate) fn reattach(tx: &Connection, id: HighlightId, range: Range<usize>) -> Result<Highlight> {
    let old = get(tx, id)?;
    let text = canonical_text(tx, old.article)?;
    let sel = selectors(&text, &range)?;
    write_anchor(tx, id, &sel, text.hint_at(range.start).as_deref())?;
    Ok(old)
}

fn write_anchor(
    tx: &Connection,
    id: HighlightId,
    sel: &Selectors,
    hint: Option<&str>,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE highlights SET exact = ?2, prefix = ?3, suffix = ?4, start_char = ?5,
             end_char = ?6, block_hint = ?7, orphan = 0,
             updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?1",
    )?
    .execute(params![
        id.0,
        sel.quote.exact,
        sel.quote.prefix,
        sel.quote.suffix,
        sql_int(sel.position.start),
        sql_int(sel.position.end),
        hint,
    ])?;
    Ok(())
}

/// Re-anchor every highlight of article `id` in its new body `blocks`
/// (orphans too: a new extraction may bring their text back). A highlight
/// found again gets selectors over the new text; one not found keeps its old
/// selectors and is flagged orphan. Costs one indexed query for an article
/// without highlights.
pub(crate) fn reanchor_article(
    tx: &Connection,
    id: ArticleId,
    blocks: &[Block],
) -> Result<Reanchored> {
    let highlights = list_raw(tx, id)?;
    let mut done = Reanchored::default();
    if highlights.is_empty() {
        return Ok(done);
    }
    let text = CanonicalText::new(blocks);
    let chars = text.chars();
    let hay = Haystack::new(&chars);
    for h in highlights {
        let old = Selectors {
            quote: h.quote.clone(),
            position: h.position,
        };
        match reanchor_in(&old, &hay) {
            Anchor::Anchored { start, end, .. } => {
                let sel = Selectors::from_range(&chars, start..end);
                if sel != old || h.orphan {
                    write_anchor(tx, h.id, &sel, text.hint_at(start).as_deref())?;
                }
                done.anchored += 1;
            }
            Anchor::Orphan => {
                if !h.orphan {
                    tx.prepare_cached(
                        "UPDATE highlights SET orphan = 1,
                             updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                         WHERE id = ?1",
                    )?
                    .execute([h.id.0])?;
                }
                done.orphaned += 1;
            }
        }
    }
    Ok(done)
}

/// The highlights of one article by position, orphans last, without
/// checking that it exists.
pub(crate) fn list_raw(conn: &Connection, id: ArticleId) -> Result<Vec<Highlight>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM highlights WHERE article_id = ?1 ORDER BY orphan, start_char, id"
    ))?;
    Ok(stmt
        .query_map([id.0], from_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Rewrite `search_text.comments` of article `id` from its highlights.
pub(crate) fn refresh_search(tx: &Connection, id: ArticleId) -> Result<()> {
    let comments = comments_of(tx, id)?;
    tx.prepare_cached("UPDATE search_text SET comments = ?2 WHERE article_id = ?1")?
        .execute(params![id.0, segment(&comments.join("\n"))])?;
    Ok(())
}

/// The comments of article `id` (for search snippets), in order of creation.
pub(crate) fn comments_of(conn: &Connection, id: ArticleId) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT comment FROM highlights WHERE article_id = ?1 AND comment <> '' ORDER BY id",
        )?
        .query_map([id.0], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Bring highlights from a merged file onto article `id`: each is
/// re-anchored in this article's body (orphaned if not found), and
/// one this article already has (same exact, prefix, suffix and start) is
/// skipped. Returns how many were added.
pub(crate) fn merge_in(tx: &Connection, id: ArticleId, incoming: &[Highlight]) -> Result<usize> {
    if incoming.is_empty() {
        return Ok(0);
    }
    let text = canonical_text(tx, id)?;
    let chars = text.chars();
    let hay = Haystack::new(&chars);
    let mut exists = tx.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM highlights WHERE article_id = ?1 AND exact = ?2
             AND prefix = ?3 AND suffix = ?4 AND start_char = ?5)",
    )?;
    let mut added = 0;
    for h in incoming {
        let old = Selectors {
            quote: h.quote.clone(),
            position: h.position,
        };
        let (sel, hint, orphan) = match reanchor_in(&old, &hay) {
            Anchor::Anchored { start, end, .. } => (
                Selectors::from_range(&chars, start..end),
                text.hint_at(start),
                false,
            ),
            Anchor::Orphan => (old.clone(), h.block_hint.clone(), true),
        };
        let mut seen = |s: &Selectors| -> rusqlite::Result<bool> {
            exists.query_row(
                params![
                    id.0,
                    s.quote.exact,
                    s.quote.prefix,
                    s.quote.suffix,
                    sql_int(s.position.start)
                ],
                |row| row.get(0),
            )
        };
        if seen(&old)? || seen(&sel)? {
            continue;
        }
        let new_id = insert(tx, id, h.colour, &h.comment, &sel, hint.as_deref(), orphan)?;
        tx.prepare_cached("UPDATE highlights SET created_at = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![new_id.0, h.created_at, h.updated_at])?;
        added += 1;
    }
    refresh_search(tx, id)?;
    Ok(added)
}

/// The highlights of article `id` in another (merged, untrusted) library
/// file; none when that file predates highlights (schema version below 4).
pub(crate) fn read_untrusted(
    src: &Connection,
    version: i32,
    id: ArticleId,
) -> Result<Vec<Highlight>> {
    if version < 4 {
        return Ok(Vec::new());
    }
    // Only the CONTEXT_CHARS nearest chars of context are kept: a file may
    // hold any length, which would make re-anchoring slow for nothing.
    let mut highlights = list_raw(src, id)?;
    for h in &mut highlights {
        let prefix = &h.quote.prefix;
        let skip = prefix.chars().count().saturating_sub(CONTEXT_CHARS);
        h.quote.prefix = prefix.chars().skip(skip).collect();
        h.quote.suffix = h.quote.suffix.chars().take(CONTEXT_CHARS).collect();
    }
    Ok(highlights)
}

/// The largest highlight text (comment, quote or context) in bytes of another
/// library file, read from the record headers only; 0 before version 4.
pub(crate) fn largest_untrusted_text(src: &Connection, version: i32) -> Result<i64> {
    if version < 4 {
        return Ok(0);
    }
    Ok(src.query_row(
        "SELECT coalesce(max(max(octet_length(comment), octet_length(exact),
                               octet_length(prefix), octet_length(suffix))), 0)
           FROM highlights",
        [],
        |row| row.get(0),
    )?)
}

/// Counts for `folio stats` and `folio check`: (highlights, orphans) of live articles.
pub(crate) fn counts(conn: &Connection) -> Result<(u64, u64)> {
    Ok(conn.query_row(
        "SELECT count(*), coalesce(sum(orphan), 0) FROM highlights
          WHERE article_id IN (SELECT id FROM articles WHERE deleted_at IS NULL)",
        [],
        |row| {
            Ok((
                u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0),
                u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
            ))
        },
    )?)
}

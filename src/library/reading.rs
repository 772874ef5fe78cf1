//! Reading state: read or unread, starred, and the reading position.
//!
//! Kept in the `reading_state` table (see `sql/v4.sql`), one row per article
//! that has any state; an article without a row is unread, not starred and
//! has no saved position. Promises: marking is idempotent (marking a read
//! article read keeps the time it was first marked); a position is a fraction
//! 0..=1 of the article, anything else is refused; trashing keeps the state,
//! deleting an article for good deletes it.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::error::{LibraryError, Result};
use super::tags::ensure_article;
use super::types::{ArticleId, ReadingState};

/// The reading state of one article (the default when it has none).
pub(crate) fn state(conn: &Connection, id: ArticleId) -> Result<ReadingState> {
    let row = conn
        .prepare_cached(
            "SELECT read_at, starred, position FROM reading_state WHERE article_id = ?1",
        )?
        .query_row([id.0], |row| {
            Ok(ReadingState {
                read_at: row.get(0)?,
                starred: row.get(1)?,
                position: row.get(2)?,
            })
        })
        .optional()?;
    Ok(row.unwrap_or_default())
}

/// Mark `ids` read (now) or unread; returns how many changed.
pub(crate) fn set_read(tx: &Connection, ids: &[ArticleId], read: bool) -> Result<usize> {
    let mut changed = 0;
    for &id in ids {
        ensure_article(tx, id)?;
        changed += if read {
            tx.prepare_cached(
                "INSERT INTO reading_state (article_id, read_at)
                 VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                 ON CONFLICT(article_id) DO UPDATE SET read_at = excluded.read_at
                 WHERE read_at IS NULL",
            )?
            .execute([id.0])?
        } else {
            tx.prepare_cached(
                "UPDATE reading_state SET read_at = NULL
                 WHERE article_id = ?1 AND read_at IS NOT NULL",
            )?
            .execute([id.0])?
        };
    }
    Ok(changed)
}

/// Mark each article read at the time given (undo of "marked unread": the
/// time it was first read comes back), unless it has been read since;
/// returns how many changed.
pub(crate) fn set_read_at(tx: &Connection, marks: &[(ArticleId, String)]) -> Result<usize> {
    let mut changed = 0;
    for (id, at) in marks {
        ensure_article(tx, *id)?;
        changed += tx
            .prepare_cached(
                "INSERT INTO reading_state (article_id, read_at) VALUES (?1, ?2)
                 ON CONFLICT(article_id) DO UPDATE SET read_at = excluded.read_at
                 WHERE read_at IS NULL",
            )?
            .execute(rusqlite::params![id.0, at])?;
    }
    Ok(changed)
}

/// Star or unstar `ids`; returns how many changed.
pub(crate) fn set_starred(tx: &Connection, ids: &[ArticleId], starred: bool) -> Result<usize> {
    let mut changed = 0;
    for &id in ids {
        ensure_article(tx, id)?;
        changed += if starred {
            tx.prepare_cached(
                "INSERT INTO reading_state (article_id, starred) VALUES (?1, 1)
                 ON CONFLICT(article_id) DO UPDATE SET starred = 1 WHERE starred = 0",
            )?
            .execute([id.0])?
        } else {
            tx.prepare_cached(
                "UPDATE reading_state SET starred = 0 WHERE article_id = ?1 AND starred = 1",
            )?
            .execute([id.0])?
        };
    }
    Ok(changed)
}

/// Save the reading position of `id` (a fraction 0..=1), or clear it.
pub(crate) fn set_position(tx: &Connection, id: ArticleId, position: Option<f64>) -> Result<()> {
    if let Some(p) = position
        && !(0.0..=1.0).contains(&p)
    {
        return Err(LibraryError::BadPosition(p));
    }
    ensure_article(tx, id)?;
    tx.prepare_cached(
        "INSERT INTO reading_state (article_id, position) VALUES (?1, ?2)
         ON CONFLICT(article_id) DO UPDATE SET position = excluded.position",
    )?
    .execute(params![id.0, position])?;
    Ok(())
}

/// Live articles: all of them, the unread, and the starred.
pub(crate) fn counts(conn: &Connection) -> Result<(u64, u64, u64)> {
    let (live, read, starred): (i64, i64, i64) = conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM articles WHERE deleted_at IS NULL),
                    (SELECT count(*) FROM reading_state WHERE read_at IS NOT NULL
                        AND article_id NOT IN (SELECT id FROM articles WHERE deleted_at IS NOT NULL)),
                    (SELECT count(*) FROM reading_state WHERE starred = 1
                        AND article_id NOT IN (SELECT id FROM articles WHERE deleted_at IS NOT NULL))",
        )?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok((n(live), n(live).saturating_sub(n(read)), n(starred)))
}

/// Which articles [`counts_of`] counts.
pub(crate) enum Among<'a> {
    /// Those added after the article with this id.
    After(i64),
    /// These.
    Ids(&'a [ArticleId]),
}

/// Of some articles: (all, live, live unread, live starred) — what they add
/// to the library's article, trash and [`counts`] figures.
pub(crate) fn counts_of(conn: &Connection, among: &Among<'_>) -> Result<(u64, u64, u64, u64)> {
    let (cond, param) = match among {
        Among::After(since) => ("> ?1", rusqlite::types::Value::Integer(*since)),
        Among::Ids(ids) => (
            "IN (SELECT value FROM json_each(?1))",
            rusqlite::types::Value::Text(super::codec::json_ids(ids.iter().map(|id| id.0))),
        ),
    };
    let sql = format!(
        "SELECT (SELECT count(*) FROM articles WHERE id {cond}),
                (SELECT count(*) FROM articles WHERE id {cond} AND deleted_at IS NULL),
                (SELECT count(*) FROM reading_state r JOIN articles a ON a.id = r.article_id
                    WHERE r.article_id {cond} AND r.read_at IS NOT NULL AND a.deleted_at IS NULL),
                (SELECT count(*) FROM reading_state r JOIN articles a ON a.id = r.article_id
                    WHERE r.article_id {cond} AND r.starred = 1 AND a.deleted_at IS NULL)"
    );
    let (all, live, read, starred): (i64, i64, i64, i64) =
        conn.prepare_cached(&sql)?.query_row([param], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?;
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok((n(all), n(live), n(live).saturating_sub(n(read)), n(starred)))
}

/// Copy reading state from another library's article (a merge): a new
/// article takes it whole; an existing one stays read if it was (else takes
/// the incoming read time), is starred if either is, and keeps its position
/// (else takes the incoming one).
pub(crate) fn merge_state(tx: &Connection, id: ArticleId, incoming: &ReadingState) -> Result<()> {
    if *incoming == ReadingState::default() {
        return Ok(());
    }
    let position = incoming.position.filter(|p| (0.0..=1.0).contains(p));
    tx.prepare_cached(
        "INSERT INTO reading_state (article_id, read_at, starred, position) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(article_id) DO UPDATE SET
             read_at = coalesce(read_at, excluded.read_at),
             starred = max(starred, excluded.starred),
             position = coalesce(position, excluded.position)",
    )?
    .execute(params![id.0, incoming.read_at, incoming.starred, position])?;
    Ok(())
}

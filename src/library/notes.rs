//! One Markdown note per article, kept in step with its search row.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::error::Result;
use super::segment::segment;
use super::tags::ensure_article;
use super::types::ArticleId;

/// The note of article `id`, if it has one.
pub(crate) fn note(conn: &Connection, id: ArticleId) -> Result<Option<String>> {
    ensure_article(conn, id)?;
    Ok(conn
        .prepare_cached("SELECT body FROM notes WHERE article_id = ?1")?
        .query_row([id.0], |row| row.get(0))
        .optional()?)
}

pub(crate) fn set_note(tx: &Connection, id: ArticleId, text: &str) -> Result<()> {
    ensure_article(tx, id)?;
    if text.trim().is_empty() {
        tx.prepare_cached("DELETE FROM notes WHERE article_id = ?1")?
            .execute([id.0])?;
    } else {
        tx.prepare_cached(
            "INSERT INTO notes (article_id, body) VALUES (?1, ?2)
             ON CONFLICT(article_id) DO UPDATE SET body = excluded.body,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        )?
        .execute(params![id.0, text])?;
    }
    tx.prepare_cached("UPDATE search_text SET notes = ?2 WHERE article_id = ?1")?
        .execute(params![id.0, segment(text)])?;
    Ok(())
}

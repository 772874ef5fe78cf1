//! The trash: an article moved there keeps everything until the trash is
//! emptied, when it is deleted for good with the images no other article uses.

use rusqlite::Connection;

use super::error::Result;
use super::store::{delete_unused_images, linked_images};
use super::tags::ensure_article;
use super::types::ArticleId;

/// Move an article into or out of the trash; true when it moved.
pub(crate) fn set_trashed(tx: &Connection, id: ArticleId, trashed: bool) -> Result<bool> {
    ensure_article(tx, id)?;
    let sql = if trashed {
        "UPDATE articles SET deleted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?1 AND deleted_at IS NULL"
    } else {
        "UPDATE articles SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL"
    };
    Ok(tx.prepare_cached(sql)?.execute([id.0])? > 0)
}

/// Of `ids`, those in the trash, in the order given.
pub(crate) fn trashed_among(conn: &Connection, ids: &[ArticleId]) -> Result<Vec<ArticleId>> {
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM articles WHERE id = ?1 AND deleted_at IS NOT NULL")?;
    let mut out = Vec::new();
    for &id in ids {
        if stmt.exists([id.0])? {
            out.push(id);
        }
    }
    Ok(out)
}

/// Delete every trashed article for good; returns how many.
pub(crate) fn empty_trash(tx: &Connection) -> Result<u64> {
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM articles WHERE deleted_at IS NOT NULL")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for &id in &ids {
        let mut shas = linked_images(tx, ArticleId(id))?;
        shas.extend(super::store::versions::kept_images(tx, ArticleId(id))?);
        tx.prepare_cached("DELETE FROM articles WHERE id = ?1")?
            .execute([id])?;
        delete_unused_images(tx, &shas)?;
    }
    Ok(ids.len() as u64)
}

//! Images known only by URL: listing them, and storing bytes fetched for them
//! later (see `crate::fetch`) exactly like an image that came with the page.
//!
//! Storing a fetched image touches nothing but image rows: the article's body,
//! captions and other images stay as they were, and every failure leaves the
//! library unchanged (one transaction).

use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension as _, params};

use super::codec::sql_int;
use super::error::{LibraryError, Result};
use super::store;
use super::tags::ensure_article;
use super::types::ArticleId;

/// A body image whose bytes the library does not hold (the reader shows a card).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingImage {
    /// The article it belongs to.
    pub article: ArticleId,
    /// Its position among the article's images (counting from 0, in the order
    /// of [`crate::model::Article::images`]).
    pub position: usize,
    /// The image's `src` as stored (an absolute URL where the page allowed).
    pub src: String,
    /// A larger version the page links to, if any.
    pub full_src: Option<String>,
}

/// The missing images of `ids` (every live article when `None`), by article then position.
pub(crate) fn missing_images(
    conn: &Connection,
    ids: Option<&[ArticleId]>,
) -> Result<Vec<MissingImage>> {
    let row_to_image = |row: &rusqlite::Row<'_>| {
        Ok(MissingImage {
            article: ArticleId(row.get(0)?),
            position: usize::try_from(row.get::<_, i64>(1)?).unwrap_or(usize::MAX),
            src: row.get(2)?,
            full_src: row.get(3)?,
        })
    };
    let Some(ids) = ids else {
        let mut stmt = conn.prepare_cached(
            "SELECT i.article_id, i.position, i.src, i.full_src
             FROM article_images i JOIN articles a ON a.id = i.article_id
             WHERE i.image_sha256 IS NULL AND a.deleted_at IS NULL
             ORDER BY i.article_id, i.position",
        )?;
        let rows = stmt
            .query_map([], row_to_image)?
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(rows);
    };
    let mut out = Vec::new();
    for id in super::types::unique_ids(ids) {
        ensure_article(conn, id)?;
        let mut stmt = conn.prepare_cached(
            "SELECT article_id, position, src, full_src FROM article_images
             WHERE article_id = ?1 AND image_sha256 IS NULL ORDER BY position",
        )?;
        for row in stmt.query_map([id.0], row_to_image)? {
            out.push(row?);
        }
    }
    Ok(out)
}

/// Decode `bytes` (sizes and thumbnail) before any write; refuses what does not decode.
pub(crate) fn prepare_blob(bytes: &[u8], mime: &str) -> Result<store::ImageBlob> {
    store::decoded_blob(Arc::from(bytes), mime).map_err(|err| {
        LibraryError::BadImage(format!("the bytes do not decode as an image: {err}"))
    })
}

/// Link the image at `position` of `article` to `blob`, storing the blob and
/// recording it as a resource of the page named by the image's `src`, so a
/// re-extraction finds it again. Runs inside the caller's transaction.
pub(crate) fn store_fetched(
    tx: &Connection,
    article: ArticleId,
    position: usize,
    blob: &store::ImageBlob,
) -> Result<String> {
    let row: Option<(String, Option<String>)> = tx
        .prepare_cached(
            "SELECT src, image_sha256 FROM article_images WHERE article_id = ?1 AND position = ?2",
        )?
        .query_row(params![article.0, sql_int(position)], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    let Some((src, old_sha)) = row else {
        ensure_article(tx, article)?;
        return Err(LibraryError::NoSuchImage { article, position });
    };
    store::insert_blob(tx, blob)?;
    tx.prepare_cached(
        "UPDATE article_images SET image_sha256 = ?3 WHERE article_id = ?1 AND position = ?2",
    )?
    .execute(params![article.0, sql_int(position), blob.sha256])?;
    tx.prepare_cached(
        "INSERT INTO original_resources (article_id, name, size, image_sha256, data)
         VALUES (?1, ?2, ?3, ?4, NULL)
         ON CONFLICT(article_id, name) DO UPDATE
             SET size = excluded.size, image_sha256 = excluded.image_sha256, data = NULL",
    )?
    .execute(params![
        article.0,
        src,
        sql_int(blob.bytes.len()),
        blob.sha256
    ])?;
    if let Some(old) = old_sha.filter(|old| *old != blob.sha256) {
        store::delete_unused_images(tx, &[old])?;
    }
    Ok(blob.sha256.clone())
}

/// Every stored setting, sorted by key.
pub(crate) fn settings(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT key, value FROM settings ORDER BY key")?;
    let rows = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

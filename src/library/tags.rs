//! User tags, notes, the trash and settings.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::segment::segment;
use super::store::{delete_unused_images, linked_images};
use super::{ArticleId, LibraryError, Result, TagCount};

/// Fail with [`LibraryError::NoSuchArticle`] unless `id` exists.
pub(crate) fn ensure_article(conn: &Connection, id: ArticleId) -> Result<()> {
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?1)")?
        .query_row([id.0], |row| row.get(0))?;
    if exists {
        Ok(())
    } else {
        Err(LibraryError::NoSuchArticle(id))
    }
}

fn clean_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        Err(LibraryError::EmptyTagName)
    } else {
        Ok(name)
    }
}

fn tag_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
        .query_row([name.trim()], |row| row.get(0))
        .optional()?)
}

/// The user tags of one article, sorted by name (case-insensitive).
pub(crate) fn article_tags(conn: &Connection, id: ArticleId) -> Result<Vec<String>> {
    let tags = conn
        .prepare_cached(
            "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
             WHERE x.article_id = ?1 ORDER BY t.name COLLATE NOCASE",
        )?
        .query_map([id.0], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(tags)
}

pub(crate) fn add_tags(tx: &Connection, id: ArticleId, names: &[&str]) -> Result<()> {
    ensure_article(tx, id)?;
    for name in names {
        let name = clean_name(name)?;
        tx.prepare_cached("INSERT INTO tags (name) VALUES (?1) ON CONFLICT(name) DO NOTHING")?
            .execute([name])?;
        link_tag(tx, id, name)?;
    }
    Ok(())
}

/// Attach the existing tag `name` to article `id` (once).
pub(crate) fn link_tag(tx: &Connection, id: ArticleId, name: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO article_tags (article_id, tag_id)
         SELECT ?1, id FROM tags WHERE name = ?2
         ON CONFLICT(article_id, tag_id) DO NOTHING",
    )?
    .execute(params![id.0, name])?;
    Ok(())
}

pub(crate) fn remove_tags(tx: &Connection, id: ArticleId, names: &[&str]) -> Result<()> {
    ensure_article(tx, id)?;
    for name in names {
        tx.prepare_cached(
            "DELETE FROM article_tags WHERE article_id = ?1
             AND tag_id = (SELECT id FROM tags WHERE name = ?2)",
        )?
        .execute(params![id.0, name.trim()])?;
    }
    Ok(())
}

pub(crate) fn tags(conn: &Connection) -> Result<Vec<TagCount>> {
    let tags = conn
        .prepare_cached(
            "SELECT t.name, count(a.id), t.colour FROM tags t
             LEFT JOIN article_tags x ON x.tag_id = t.id
             LEFT JOIN articles a ON a.id = x.article_id AND a.deleted_at IS NULL
             GROUP BY t.id ORDER BY t.name COLLATE NOCASE, t.id",
        )?
        .query_map([], |row| {
            Ok(TagCount {
                name: row.get(0)?,
                count: u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
                colour: row.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(tags)
}

pub(crate) fn rename_tag(tx: &Connection, old: &str, new: &str) -> Result<()> {
    let new = clean_name(new)?;
    let old_id = tag_id(tx, old)?.ok_or_else(|| LibraryError::NoSuchTag(old.to_owned()))?;
    match tag_id(tx, new)? {
        Some(new_id) if new_id != old_id => {
            tx.execute(
                "INSERT INTO article_tags (article_id, tag_id)
                 SELECT article_id, ?2 FROM article_tags WHERE tag_id = ?1
                 ON CONFLICT(article_id, tag_id) DO NOTHING",
                params![old_id, new_id],
            )?;
            tx.execute("DELETE FROM tags WHERE id = ?1", [old_id])?;
        }
        _ => {
            tx.execute(
                "UPDATE tags SET name = ?2 WHERE id = ?1",
                params![old_id, new],
            )?;
        }
    }
    Ok(())
}

pub(crate) fn delete_tag(tx: &Connection, name: &str) -> Result<()> {
    let id = tag_id(tx, name)?.ok_or_else(|| LibraryError::NoSuchTag(name.to_owned()))?;
    tx.execute("DELETE FROM tags WHERE id = ?1", [id])?;
    Ok(())
}

/// True for a tag colour as Folio stores it: `#rrggbb`.
pub(crate) fn valid_colour(colour: &str) -> bool {
    colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

pub(crate) fn set_tag_colour(tx: &Connection, name: &str, colour: Option<&str>) -> Result<()> {
    if let Some(colour) = colour.filter(|c| !valid_colour(c)) {
        return Err(LibraryError::BadColour(colour.to_owned()));
    }
    let id = tag_id(tx, name)?.ok_or_else(|| LibraryError::NoSuchTag(name.to_owned()))?;
    tx.execute(
        "UPDATE tags SET colour = ?2 WHERE id = ?1",
        params![id, colour],
    )?;
    Ok(())
}

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

pub(crate) fn set_trashed(tx: &Connection, id: ArticleId, trashed: bool) -> Result<()> {
    ensure_article(tx, id)?;
    let sql = if trashed {
        "UPDATE articles SET deleted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?1 AND deleted_at IS NULL"
    } else {
        "UPDATE articles SET deleted_at = NULL WHERE id = ?1"
    };
    tx.prepare_cached(sql)?.execute([id.0])?;
    Ok(())
}

pub(crate) fn empty_trash(tx: &Connection) -> Result<u64> {
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM articles WHERE deleted_at IS NOT NULL")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for &id in &ids {
        let shas = linked_images(tx, ArticleId(id))?;
        tx.prepare_cached("DELETE FROM articles WHERE id = ?1")?
            .execute([id])?;
        delete_unused_images(tx, &shas)?;
    }
    Ok(ids.len() as u64)
}

pub(crate) fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()?)
}

pub(crate) fn set_setting(tx: &Connection, key: &str, value: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

//! User tags: names, colours, links to articles.
//!
//! Tag names: every name that comes in (CLI, window, merge, the `tag:`
//! filter) is trimmed and put in Unicode NFC ([`normalize`]), and two names
//! are the same tag when their [`key`]s (NFC, Unicode case folding) are equal:
//! `café` typed precomposed or with a combining accent, `été` and `ÉTÉ`, are
//! one tag, kept as first written. A new name must be valid ([`validate`]): no
//! control or invisible characters (bidi controls, zero-width spaces) and no
//! empty part between slashes (`parent/child` is fine; `/`, `a/`, `a//b` are
//! not). Libraries written before these rules keep their tags: look-ups
//! compare keys, so the old spellings are found, and a tag with an old invalid
//! name can still be renamed or deleted.

use rusqlite::{Connection, OptionalExtension as _, params};
use unicode_normalization::UnicodeNormalization as _;

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

/// A tag name as stored and compared: trimmed, in Unicode NFC.
pub(crate) fn normalize(name: &str) -> String {
    name.trim().nfc().collect()
}

/// What makes two tag names the same tag: NFC and Unicode case folding
/// (upper- then lower-casing, so `ß` matches `SS` and `ς` matches `Σ`).
pub(crate) fn key(name: &str) -> String {
    let nfc: String = name.trim().nfc().collect();
    nfc.to_uppercase().to_lowercase().nfc().collect()
}

/// True for characters a tag name may not hold: control characters and
/// invisible ones that make two names look alike or reorder the text around
/// them (bidi controls, zero-width spaces and joiners used as spaces, the BOM,
/// the soft hyphen, line and paragraph separators). The zero-width joiner and
/// non-joiner stay allowed: emoji sequences and some scripts need them.
fn refused_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// A new tag name, normalised ([`normalize`]), or why it cannot be one.
pub(crate) fn validate(name: &str) -> Result<String> {
    let name = normalize(name);
    let bad = |reason: &str| {
        Err(LibraryError::BadTagName {
            name: name.clone(),
            reason: reason.to_owned(),
        })
    };
    if name.is_empty() {
        return Err(LibraryError::EmptyTagName);
    }
    if let Some(c) = name.chars().find(|&c| refused_char(c)) {
        return bad(&format!(
            "it holds the invisible or control character U+{:04X}",
            u32::from(c)
        ));
    }
    if name.split('/').any(|part| part.trim().is_empty()) {
        return bad("a part between slashes is empty (write parent/child)");
    }
    Ok(name)
}

/// A tag name from another library (a merge), made valid: refused characters
/// removed, empty parts between slashes dropped; `None` when nothing is left.
pub(crate) fn sanitize(name: &str) -> Option<String> {
    let name: String = normalize(name)
        .chars()
        .filter(|&c| !refused_char(c))
        .collect();
    let parts: Vec<&str> = name
        .split('/')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The tag `name` names: one written the same way (ASCII case aside), else
/// the oldest whose [`key`] is the same.
fn tag_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    let name = normalize(name);
    let exact = conn
        .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
        .query_row([&name], |row| row.get(0))
        .optional()?;
    if exact.is_some() {
        return Ok(exact);
    }
    Ok(find_all(conn, &name)?.into_iter().next())
}

/// Every tag whose [`key`] is that of `name`, oldest first (more than one
/// only in a library written before tag names were normalised).
pub(crate) fn find_all(conn: &Connection, name: &str) -> Result<Vec<i64>> {
    let wanted = key(name);
    let mut ids = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT id, name FROM tags ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let stored: String = row.get(1)?;
        if key(&stored) == wanted {
            ids.push(row.get(0)?);
        }
    }
    Ok(ids)
}

/// The id of the tag `name` (validated), created (with `colour`) when no tag
/// has its [`key`]; true when it was created.
pub(crate) fn ensure_tag(tx: &Connection, name: &str, colour: Option<&str>) -> Result<(i64, bool)> {
    let name = validate(name)?;
    if let Some(id) = tag_id(tx, &name)? {
        return Ok((id, false));
    }
    tx.prepare_cached("INSERT INTO tags (name, colour) VALUES (?1, ?2)")?
        .execute(params![name, colour])?;
    Ok((tx.last_insert_rowid(), true))
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
        let (tag, _) = ensure_tag(tx, name, None)?;
        link_tag_id(tx, id, tag)?;
    }
    Ok(())
}

/// Give article `id` a tag from another library (a merge): its name made
/// valid with [`sanitize`] (skipped when nothing is left), matched by [`key`],
/// created with `colour` when missing; an existing tag without a colour takes
/// `colour`. True when the tag was created.
pub(crate) fn merge_tag(
    tx: &Connection,
    id: ArticleId,
    name: &str,
    colour: Option<&str>,
) -> Result<bool> {
    let Some(name) = sanitize(name) else {
        return Ok(false);
    };
    let (tag, created) = ensure_tag(tx, &name, colour)?;
    if !created && colour.is_some() {
        tx.prepare_cached("UPDATE tags SET colour = ?2 WHERE id = ?1 AND colour IS NULL")?
            .execute(params![tag, colour])?;
    }
    link_tag_id(tx, id, tag)?;
    Ok(created)
}

/// Attach the tag with id `tag` to article `id` (once).
fn link_tag_id(tx: &Connection, id: ArticleId, tag: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO article_tags (article_id, tag_id) VALUES (?1, ?2)
         ON CONFLICT(article_id, tag_id) DO NOTHING",
    )?
    .execute(params![id.0, tag])?;
    Ok(())
}

pub(crate) fn remove_tags(tx: &Connection, id: ArticleId, names: &[&str]) -> Result<()> {
    ensure_article(tx, id)?;
    for name in names {
        for tag in find_all(tx, name)? {
            tx.prepare_cached("DELETE FROM article_tags WHERE article_id = ?1 AND tag_id = ?2")?
                .execute(params![id.0, tag])?;
        }
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
    let new = validate(new)?;
    let new = new.as_str();
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

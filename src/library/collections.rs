//! Collections: saved searches, each a name and a query in the query
//! language, usable in any query as `collection:NAME`.
//!
//! Promises: names follow the tag-name rules of comparison (trimmed, NFC;
//! two names are the same collection when their folded keys are equal, see
//! `tags::key`) and may not be empty or hold control or invisible
//! characters; a query is checked when saved (it parses, names only
//! collections that exist, and does not refer to itself, directly or through
//! others); the stored query is expanded each time it is used, so a
//! collection follows the library. Renaming a collection rewrites the
//! `collection:` references to it in the other collections' queries.

use rusqlite::{Connection, params};

use super::error::{LibraryError, Result};
use super::query::{MAX_QUERY_CHARS, find_collection as find_row, lex, parse, resolve, unquote};
use super::tags::{key, normalize, refused_char};
use super::types::Collection;

/// Every collection, sorted by name (case-insensitive).
pub(crate) fn list(conn: &Connection) -> Result<Vec<Collection>> {
    let mut rows: Vec<Collection> = conn
        .prepare_cached("SELECT name, query, created_at FROM collections ORDER BY id")?
        .query_map([], |row| {
            Ok(Collection {
                name: row.get(0)?,
                query: row.get(1)?,
                created_at: row.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    rows.sort_by_cached_key(|c| (key(&c.name), c.name.clone()));
    Ok(rows)
}

/// A new collection name, normalised, or why it cannot be one.
pub(crate) fn validate_name(name: &str) -> Result<String> {
    let name = normalize(name);
    if name.is_empty() {
        return Err(LibraryError::BadCollectionName {
            name,
            reason: "it is empty".to_owned(),
        });
    }
    if let Some(c) = name.chars().find(|&c| refused_char(c)) {
        return Err(LibraryError::BadCollectionName {
            reason: format!(
                "it holds the invisible or control character U+{:04X}",
                u32::from(c)
            ),
            name,
        });
    }
    Ok(name)
}

/// Fail unless `query` is a query that can be saved: not empty, parses and
/// resolves (with the collections as they will be after the save).
fn check_query(tx: &Connection, name: &str, query: &str) -> Result<()> {
    if query.trim().is_empty() {
        return Err(LibraryError::Query(
            "a collection needs a query (it would hold every article)".to_owned(),
        ));
    }
    let mut parsed = parse(query)?;
    // The collection is saved already inside this transaction: resolving
    // finds a reference to itself.
    resolve(tx, &mut parsed).map_err(|err| match err {
        LibraryError::Query(m) => LibraryError::Query(format!("cannot save {name:?}: {m}")),
        other => other,
    })
}

/// Save `query` as the collection `name`: a new one, or the existing one of
/// that name with its query replaced. True when it was created.
pub(crate) fn save(tx: &Connection, name: &str, query: &str) -> Result<bool> {
    let name = validate_name(name)?;
    let query = query.trim();
    let created = match find_row(tx, &name)? {
        Some((id, _, _)) => {
            tx.execute(
                "UPDATE collections SET query = ?2 WHERE id = ?1",
                params![id, query],
            )?;
            false
        }
        None => {
            tx.execute(
                "INSERT INTO collections (name, query) VALUES (?1, ?2)",
                params![name, query],
            )?;
            true
        }
    };
    check_query(tx, &name, query)?;
    Ok(created)
}

/// Delete the collection `name`.
pub(crate) fn remove(tx: &Connection, name: &str) -> Result<()> {
    let (id, _, _) =
        find_row(tx, name)?.ok_or_else(|| LibraryError::NoSuchCollection(name.to_owned()))?;
    tx.execute("DELETE FROM collections WHERE id = ?1", [id])?;
    Ok(())
}

/// Rename the collection `old` to `new`, and the references to it.
pub(crate) fn rename(tx: &Connection, old: &str, new: &str) -> Result<()> {
    let new = validate_name(new)?;
    let (id, stored, _) =
        find_row(tx, old)?.ok_or_else(|| LibraryError::NoSuchCollection(old.to_owned()))?;
    if let Some((other, existing, _)) = find_row(tx, &new)?
        && other != id
    {
        return Err(LibraryError::CollectionExists(existing));
    }
    tx.execute(
        "UPDATE collections SET name = ?2 WHERE id = ?1",
        params![id, new],
    )?;
    let all: Vec<(i64, String)> = tx
        .prepare("SELECT id, query FROM collections")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (other, query) in all {
        if let Some(rewritten) = rewrite_reference(&query, &stored, &new) {
            tx.execute(
                "UPDATE collections SET query = ?2 WHERE id = ?1",
                params![other, rewritten],
            )?;
        }
    }
    Ok(())
}

/// `query` with each `collection:OLD` written `collection:"NEW"`, or `None`
/// when it has no such reference (or would grow past the length limit).
fn rewrite_reference(query: &str, old: &str, new: &str) -> Option<String> {
    let old_key = key(old);
    let mut changed = false;
    let words: Vec<String> = lex(query)
        .into_iter()
        .map(|word| {
            let (sign, body) = match word.strip_prefix('-') {
                Some(rest) if !rest.is_empty() => ("-", rest),
                _ => ("", word.as_str()),
            };
            match body.split_once(':') {
                Some((filter, value))
                    if filter.eq_ignore_ascii_case("collection")
                        && key(&unquote(value).0) == old_key =>
                {
                    changed = true;
                    format!("{sign}{filter}:\"{}\"", new.replace('"', ""))
                }
                _ => word,
            }
        })
        .collect();
    let text = words.join(" ");
    (changed && text.chars().count() <= MAX_QUERY_CHARS).then_some(text)
}

/// Bring the collections of another library (a merge): a new name is added;
/// an existing one with the same query (as typed, spaces aside) is kept; an
/// existing one with another query stays, and the incoming one is added as
/// `NAME (merged)` (`NAME (merged 2)`, …). Incoming names are made valid or
/// skipped; queries are not checked (they are checked when used). Returns
/// how many were added.
pub(crate) fn merge(tx: &Connection, incoming: &[(String, String)]) -> Result<usize> {
    let mut added = 0;
    for (name, query) in incoming {
        let Ok(name) = validate_name(name) else {
            continue;
        };
        let query = query.trim();
        if query.is_empty() || query.chars().count() > MAX_QUERY_CHARS {
            continue;
        }
        let same = |a: &str, b: &str| {
            a.split_whitespace().collect::<Vec<_>>() == b.split_whitespace().collect::<Vec<_>>()
        };
        let mut candidate = name.clone();
        let mut n = 1;
        loop {
            match find_row(tx, &candidate)? {
                Some((_, _, existing)) if same(&existing, query) => break,
                Some(_) => {
                    n += 1;
                    candidate = if n == 2 {
                        format!("{name} (merged)")
                    } else {
                        format!("{name} (merged {})", n - 1)
                    };
                }
                None => {
                    tx.execute(
                        "INSERT INTO collections (name, query) VALUES (?1, ?2)",
                        params![candidate, query],
                    )?;
                    added += 1;
                    break;
                }
            }
        }
    }
    Ok(added)
}

/// The query that shows the collection `name`.
pub(crate) fn collection_query(name: &str) -> String {
    format!("collection:\"{}\"", name.replace('"', ""))
}

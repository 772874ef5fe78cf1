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
//! `collection:` references to it in the other collections' queries, and
//! renaming (or merging) a tag their `tag:` filters naming it or a tag below
//! it, through the query's own lexer, values quoted; when one could not
//! follow (a name a query cannot write, a query past the length limit) the
//! rename is refused and names them. A collection name may not hold `"`.

use rusqlite::{Connection, params};

use super::error::{LibraryError, Result};
use super::query::{MAX_QUERY_CHARS, find_collection as find_row, lex, parse, resolve, unquote};
use super::tags::{key, normalize, path_key, refused_char};
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
    if name.contains(['"', '“', '”']) {
        return Err(LibraryError::BadCollectionName {
            name,
            reason: "it holds a double quote, which a query cannot write in collection:".to_owned(),
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

/// Rename the collection `old` to `new`, and the references to it in the
/// other collections' queries; refused, naming them, when one could not follow.
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
    let old_key = key(&stored);
    follow(
        tx,
        &format!("the collection {stored:?}"),
        "collection",
        &|value| (key(value) == old_key).then(|| new.clone()),
    )
}

/// Make the collections naming the tag `old` (or a tag below it) name it as
/// [`super::tags::rename_tag`] will rename it to `new`: `tag:OLD` becomes
/// `tag:"NEW"`, `tag:OLD/child` becomes `tag:"NEW/child"`. Refused, naming
/// them, when one could not follow.
pub(crate) fn follow_tag_rename(tx: &Connection, old: &str, new: &str) -> Result<()> {
    let old_path = path_key(&normalize(old));
    let new = normalize(new);
    follow(tx, &format!("the tag {:?}", old.trim()), "tag", &|value| {
        let parts: Vec<&str> = value.split('/').collect();
        (path_key(value).starts_with(&old_path)).then(|| {
            std::iter::once(new.as_str())
                .chain(
                    parts[old_path.len().min(parts.len())..]
                        .iter()
                        .map(|p| p.trim()),
                )
                .collect::<Vec<_>>()
                .join("/")
        })
    })
}

/// Rewrite every collection query whose `filter:` values `rename` maps to a
/// new value; when one cannot be rewritten (the new value holds a double
/// quote, which a query cannot write, or the query would grow past
/// [`MAX_QUERY_CHARS`]) nothing is written and the error names them all.
fn follow(
    tx: &Connection,
    what: &str,
    filter: &str,
    rename: &dyn Fn(&str) -> Option<String>,
) -> Result<()> {
    let all: Vec<(i64, String, String)> = tx
        .prepare("SELECT id, name, query FROM collections ORDER BY id")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut rewrites = Vec::new();
    let mut broken = Vec::new();
    let mut reason = String::new();
    for (id, name, query) in all {
        match rewrite_filter(&query, filter, rename) {
            Rewrite::Unchanged => {}
            Rewrite::Changed(text) => rewrites.push((id, text)),
            Rewrite::Impossible(why) => {
                reason = why;
                broken.push(name);
            }
        }
    }
    if !broken.is_empty() {
        return Err(LibraryError::WouldBreakCollections {
            what: what.to_owned(),
            reason,
            collections: broken,
        });
    }
    for (id, text) in rewrites {
        tx.execute(
            "UPDATE collections SET query = ?2 WHERE id = ?1",
            params![id, text],
        )?;
    }
    Ok(())
}

/// What [`rewrite_filter`] made of a query.
#[derive(Debug, PartialEq, Eq)]
enum Rewrite {
    /// No value of the filter was renamed.
    Unchanged,
    /// The query with the renamed values, quoted.
    Changed(String),
    /// Why it cannot be written.
    Impossible(String),
}

/// `query` with the values of each `filter:VALUE` (also `-filter:VALUE` and
/// `filter: VALUE`, the value after a space) that `rename` maps written as
/// `filter:"NEW"`, read with the query's own lexer ([`lex`]).
fn rewrite_filter(query: &str, filter: &str, rename: &dyn Fn(&str) -> Option<String>) -> Rewrite {
    let mut changed = false;
    let mut out: Vec<String> = Vec::new();
    let mut words = lex(query).into_iter().peekable();
    while let Some(word) = words.next() {
        let (sign, body) = match word.strip_prefix('-') {
            Some(rest) if !rest.is_empty() => ("-", rest),
            _ => ("", word.as_str()),
        };
        let Some((name, value)) = body.split_once(':') else {
            out.push(word);
            continue;
        };
        if body.starts_with('"') || !name.eq_ignore_ascii_case(filter) {
            out.push(word);
            continue;
        }
        let (mut value, _) = unquote(value);
        let mut joined = None;
        if value.trim().is_empty()
            && let Some(next) = words.next_if(|w| w != "OR")
        {
            value = unquote(&next).0;
            joined = Some(next);
        }
        match rename(value.trim()) {
            Some(new) => {
                if new.contains(['"', '“', '”']) {
                    return Rewrite::Impossible(format!(
                        "{new:?} holds a double quote, which a query cannot write"
                    ));
                }
                changed = true;
                out.push(format!("{sign}{name}:\"{new}\""));
            }
            None => {
                out.push(word);
                out.extend(joined);
            }
        }
    }
    if !changed {
        return Rewrite::Unchanged;
    }
    let text = out.join(" ");
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Rewrite::Impossible(format!(
            "a query would have {chars} characters, over the limit of {MAX_QUERY_CHARS}"
        ));
    }
    Rewrite::Changed(text)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_value_is_rewritten_quoted_in_every_spelling() {
        let to_b = |v: &str| (v == "a").then(|| "b c".to_owned());
        assert_eq!(
            rewrite_filter("x tag:a -Tag:\"a\" tag: a OR tag:ab", "tag", &to_b),
            Rewrite::Changed("x tag:\"b c\" -Tag:\"b c\" tag:\"b c\" OR tag:ab".to_owned())
        );
        assert_eq!(rewrite_filter("tag:z", "tag", &to_b), Rewrite::Unchanged);
        let quote = |_: &str| Some("say \"hi\"".to_owned());
        assert!(matches!(
            rewrite_filter("tag:a", "tag", &quote),
            Rewrite::Impossible(_)
        ));
    }
}

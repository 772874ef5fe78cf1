//! Details the user corrected (schema v8, `article_edits`): title, date,
//! byline, editor, site name and web address. The article row holds the
//! corrected value, so search, sort, the timeline, citations and exports use
//! it; what Folio read stays beside it (`extracted`), is refreshed whenever
//! the article is read again or a better copy is shown ([`reapply`]), and a
//! reset puts it back. Values are checked before anything is written.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::error::{LibraryError, Result};
use super::types::{ArticleId, FieldEdit};

/// The fields that can be corrected, as `folio edit` and the window name them.
pub const EDITABLE: [&str; 6] = ["title", "published", "byline", "editor", "site", "url"];

/// Longest corrected value, in characters.
pub const MAX_EDIT_CHARS: usize = 2_000;

/// The `articles` column of an editable field (the names are the columns).
fn column(field: &str) -> Result<&'static str> {
    EDITABLE
        .iter()
        .find(|f| **f == field)
        .copied()
        .ok_or_else(|| {
            LibraryError::InvalidEdit(format!(
                "{field:?} is not a detail that can be corrected (one of {})",
                EDITABLE.join(", ")
            ))
        })
}

/// A value for `field` as it will be stored (trimmed; `None` clears it), or
/// why it cannot be.
pub fn check(field: &str, value: &str) -> Result<Option<String>> {
    column(field)?;
    let value = value.trim();
    let bad = |why: String| Err(LibraryError::InvalidEdit(why));
    if value.chars().any(char::is_control) {
        return bad(format!("the {field} holds control characters"));
    }
    let chars = value.chars().count();
    if chars > MAX_EDIT_CHARS {
        return bad(format!(
            "the {field} is {chars} characters long, more than {MAX_EDIT_CHARS}"
        ));
    }
    if value.is_empty() {
        if field == "title" {
            return bad("an article needs a title".to_owned());
        }
        return Ok(None);
    }
    match field {
        "published" if !valid_published(value) => bad(format!(
            "{value:?} is not a date: write YYYY-MM-DD (or YYYY, YYYY-MM), optionally with a \
             time as YYYY-MM-DDTHH:MM or YYYY-MM-DD HH:MM[:SS] and a zone (Z, +08:00)"
        )),
        "url" if !valid_url(value) => bad(format!(
            "{value:?} is not a web address: it must start with http:// or https:// and name a host"
        )),
        _ => Ok(Some(value.to_owned())),
    }
}

/// A calendar date with an optional time and zone.
fn valid_published(value: &str) -> bool {
    let (date, time) = match value.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (value, None),
    };
    if !super::codec::valid_date(date) {
        return false;
    }
    let Some(time) = time else {
        return true;
    };
    if date.len() != 10 {
        return false;
    }
    // A zone: Z, or ±HH:MM.
    let (clock, zone) = if let Some(c) = time.strip_suffix('Z') {
        (c, None)
    } else if let Some(at) = time.rfind(['+', '-']) {
        (&time[..at], Some(&time[at + 1..]))
    } else {
        (time, None)
    };
    let two = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let clock_ok = matches!(parts.len(), 2 | 3)
        && two(parts[0], 23)
        && two(parts[1], 59)
        && parts.get(2).is_none_or(|s| two(s, 59));
    let zone_ok = zone.is_none_or(|z| {
        z.split_once(':')
            .is_some_and(|(h, m)| two(h, 14) && two(m, 59))
    });
    clock_ok && zone_ok
}

/// An http(s) address with a host.
fn valid_url(value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

/// The corrected details of article `id`, in [`EDITABLE`]'s order.
pub(crate) fn list(conn: &Connection, id: ArticleId) -> Result<Vec<FieldEdit>> {
    let mut out: Vec<FieldEdit> = conn
        .prepare_cached(
            "SELECT field, value, extracted, edited_at FROM article_edits WHERE article_id = ?1",
        )?
        .query_map([id.0], |row| {
            Ok(FieldEdit {
                field: row.get(0)?,
                value: row.get(1)?,
                extracted: row.get(2)?,
                edited_at: row.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    out.sort_by_key(|e| EDITABLE.iter().position(|f| *f == e.field));
    Ok(out)
}

/// Write `value` into the article row's `field` (and the search title).
fn write_column(tx: &Connection, id: ArticleId, field: &str, value: Option<&str>) -> Result<()> {
    let col = column(field)?;
    let changed = tx
        .prepare_cached(&format!("UPDATE articles SET {col} = ?2 WHERE id = ?1"))?
        .execute(params![id.0, value])?;
    if changed == 0 {
        return Err(LibraryError::NoSuchArticle(id));
    }
    if field == "title" {
        tx.prepare_cached("UPDATE search_text SET title = ?2 WHERE article_id = ?1")?
            .execute(params![
                id.0,
                super::segment::segment(value.unwrap_or_default())
            ])?;
    }
    Ok(())
}

/// Correct `field` of article `id` to `value` (checked by [`check`]; empty
/// clears it), keeping what Folio read beside it.
pub(crate) fn set(tx: &Connection, id: ArticleId, field: &str, value: &str) -> Result<()> {
    let value = check(field, value)?;
    let col = column(field)?;
    let current: Option<Option<String>> = tx
        .prepare_cached(&format!("SELECT {col} FROM articles WHERE id = ?1"))?
        .query_row([id.0], |row| row.get(0))
        .optional()?;
    let Some(current) = current else {
        return Err(LibraryError::NoSuchArticle(id));
    };
    tx.prepare_cached(
        "INSERT INTO article_edits (article_id, field, value, extracted) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(article_id, field) DO UPDATE
            SET value = excluded.value,
                edited_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )?
    .execute(params![id.0, field, value, current])?;
    write_column(tx, id, field, value.as_deref())
}

/// Put back what Folio read for `field` of article `id`. False when the
/// field was not corrected.
pub(crate) fn reset(tx: &Connection, id: ArticleId, field: &str) -> Result<bool> {
    column(field)?;
    let extracted: Option<Option<String>> = tx
        .prepare_cached("SELECT extracted FROM article_edits WHERE article_id = ?1 AND field = ?2")?
        .query_row(params![id.0, field], |row| row.get(0))
        .optional()?;
    let Some(extracted) = extracted else {
        return Ok(false);
    };
    tx.prepare_cached("DELETE FROM article_edits WHERE article_id = ?1 AND field = ?2")?
        .execute(params![id.0, field])?;
    write_column(tx, id, field, extracted.as_deref())?;
    Ok(true)
}

/// After the article row was written from a new reading (re-extraction, a
/// better copy): what was read becomes `extracted`, the corrections are put
/// back over it.
pub(crate) fn reapply(tx: &Connection, id: ArticleId) -> Result<()> {
    for edit in list(tx, id)? {
        let col = column(&edit.field)?;
        let read: Option<String> = tx
            .prepare_cached(&format!("SELECT {col} FROM articles WHERE id = ?1"))?
            .query_row([id.0], |row| row.get(0))?;
        tx.prepare_cached(
            "UPDATE article_edits SET extracted = ?3 WHERE article_id = ?1 AND field = ?2",
        )?
        .execute(params![id.0, edit.field, read])?;
        write_column(tx, id, &edit.field, edit.value.as_deref())?;
    }
    Ok(())
}

/// The values Folio read for the corrected fields of article `id`, to give
/// a copy being kept its own reading rather than the user's corrections.
pub(crate) fn extracted_of(
    tx: &Connection,
    id: ArticleId,
) -> Result<Vec<(&'static str, Option<String>)>> {
    list(tx, id)?
        .into_iter()
        .map(|e| Ok((column(&e.field)?, e.extracted)))
        .collect()
}

/// Take another library's correction of `field` (merge): kept unless this
/// library's own correction of it is newer. True when it was taken.
pub(crate) fn merge_in(tx: &Connection, id: ArticleId, incoming: &FieldEdit) -> Result<bool> {
    let value = match &incoming.value {
        Some(v) => check(&incoming.field, v)?,
        None => check(&incoming.field, "")?,
    };
    let local: Option<(Option<String>, String)> = tx
        .prepare_cached(
            "SELECT value, edited_at FROM article_edits WHERE article_id = ?1 AND field = ?2",
        )?
        .query_row(params![id.0, incoming.field], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    if let Some((local_value, local_at)) = &local
        && (*local_value == value || *local_at >= incoming.edited_at)
    {
        return Ok(false);
    }
    let col = column(&incoming.field)?;
    let current: Option<String> = tx
        .prepare_cached(&format!("SELECT {col} FROM articles WHERE id = ?1"))?
        .query_row([id.0], |row| row.get(0))?;
    tx.prepare_cached(
        "INSERT INTO article_edits (article_id, field, value, extracted, edited_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(article_id, field) DO UPDATE
            SET value = excluded.value, edited_at = excluded.edited_at",
    )?
    .execute(params![
        id.0,
        incoming.field,
        value,
        current,
        incoming.edited_at
    ])?;
    write_column(tx, id, &incoming.field, value.as_deref())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_before_anything_is_written() {
        assert_eq!(
            check("published", " 2019-11-25 ").unwrap().as_deref(),
            Some("2019-11-25")
        );
        for ok in [
            "2019",
            "2019-11",
            "2019-11-25T16:04",
            "2019-11-25 16:04:05",
            "2019-11-25T16:04+08:00",
            "2019-11-25T16:04:00Z",
            "2020-02-29",
        ] {
            assert!(check("published", ok).is_ok(), "{ok}");
        }
        for bad in [
            "2019-02-30",
            "2019-13-01",
            "25/11/2019",
            "2019-11-25T25:00",
            "yesterday",
            "2019-11-25T16:04+8",
        ] {
            assert!(check("published", bad).is_err(), "{bad}");
        }
        assert!(check("url", "https://example.com/a").is_ok());
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "example.com",
            "https://",
        ] {
            assert!(check("url", bad).is_err(), "{bad}");
        }
        assert!(check("title", "").is_err());
        assert_eq!(check("byline", "  ").unwrap(), None);
        assert!(check("byline", "张三\u{7}").is_err());
        assert!(check("title", &"长".repeat(100_000)).is_err());
        assert!(check("colour", "x").is_err());
    }
}

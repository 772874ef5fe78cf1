//! An article's versions, read and compared: the copy shown and the copies
//! kept (`store::versions` stores them), numbered from 1 in the order they
//! were stored, whatever the dates the pages state; one version read back
//! as a [`StoredArticle`] (tags, note and highlights belong to the article
//! and come with every version); two compared with [`crate::model::diff`];
//! a kept copy removed on request (never the one shown).

use std::collections::HashSet;
use std::time::Instant;

use rusqlite::{Connection, OptionalExtension as _, params};

use super::articles;
use super::codec::decode_blocks;
use super::error::{LibraryError, Result};
use super::store;
use super::types::{ArticleId, SavedCopy, StoredArticle, VersionInfo};
use crate::model::diff::{self, Diff, ImageRef};
use crate::model::{Article, ImageData};

/// Where a version is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// The article row: the copy shown.
    Shown,
    /// A row of `article_versions`.
    Kept(i64),
}

/// The versions of article `id`, oldest first: where each is and when it
/// was stored.
fn places(conn: &Connection, id: ArticleId) -> Result<Vec<(Place, String)>> {
    let shown: Option<String> = conn
        .prepare_cached("SELECT updated_at FROM articles WHERE id = ?1")?
        .query_row([id.0], |row| row.get(0))
        .optional()?;
    let Some(shown) = shown else {
        return Err(LibraryError::NoSuchArticle(id));
    };
    let mut out: Vec<(Place, String)> = conn
        .prepare_cached(
            "SELECT id, imported_at FROM article_versions WHERE article_id = ?1 ORDER BY id",
        )?
        .query_map([id.0], |row| Ok((Place::Kept(row.get(0)?), row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    out.sort_by_cached_key(|(place, when)| (to_millis(when), *place));
    // The shown copy goes after every copy stored before it was. Copies
    // kept beside it are stamped to the millisecond, the article row to the
    // second: a copy kept in the second the shown one was stored came after
    // it; one it replaced (stamped with its time) came before.
    let key = to_millis(&shown);
    let at = out.partition_point(|(_, when)| to_millis(when) <= key);
    out.insert(at, (Place::Shown, shown));
    Ok(out)
}

/// A UTC timestamp with milliseconds (`…:05Z` → `…:05.000Z`), so that
/// stamps of both precisions sort in time order.
fn to_millis(stamp: &str) -> String {
    match stamp.strip_suffix('Z') {
        Some(head) if !head.contains('.') => format!("{head}.000Z"),
        _ => stamp.to_owned(),
    }
}

/// The place of version `number` of article `id`.
fn place(conn: &Connection, id: ArticleId, number: usize) -> Result<Place> {
    let all = places(conn, id)?;
    number
        .checked_sub(1)
        .and_then(|i| all.get(i))
        .map(|(place, _)| *place)
        .ok_or(LibraryError::NoSuchVersion {
            id,
            number,
            count: all.len(),
        })
}

/// How many versions article `id` has (1 when none was kept).
pub(crate) fn count(conn: &Connection, id: ArticleId) -> Result<usize> {
    let kept: i64 = conn
        .prepare_cached("SELECT count(*) FROM article_versions WHERE article_id = ?1")?
        .query_row([id.0], |row| row.get(0))?;
    Ok(usize::try_from(kept).unwrap_or(0) + 1)
}

/// Version `number` of article `id`, with its images' bytes when
/// `image_bytes`, and whether it is the copy shown; tags, note and dates
/// are the article's.
pub(crate) fn version(
    conn: &Connection,
    id: ArticleId,
    number: usize,
    image_bytes: bool,
) -> Result<(StoredArticle, bool)> {
    match place(conn, id, number)? {
        Place::Shown => {
            let mut stored = articles::article(conn, id, image_bytes)?;
            stored.article.captured = articles::captured(conn, id)?;
            Ok((stored, true))
        }
        Place::Kept(kept) => {
            let mut stored = kept_copy(conn, id, kept, image_bytes)?;
            stored.article.captured = kept_captured(conn, kept)?;
            Ok((stored, false))
        }
    }
}

/// When kept copy `kept` was captured, when its file said so (schema
/// version 9; read apart from [`kept_copy`], which also reads older files
/// being merged).
pub(crate) fn kept_captured(
    conn: &Connection,
    kept: i64,
) -> Result<Option<crate::model::capture::Capture>> {
    let row: Option<(Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT captured_at, captured_from FROM article_versions WHERE id = ?1")?
        .query_row([kept], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(at, from)| crate::model::capture::Capture::from_stored(at, from.as_deref())))
}

/// The article's highlights as they fall on another copy's text: each found
/// again there (by its quote and context) or flagged an orphan on it. The
/// stored highlights do not change.
pub(crate) fn highlights_on(stored: &mut StoredArticle) {
    use crate::model::anchor::{Anchor, Haystack, Selectors, reanchor_in};
    use crate::model::canonical::CanonicalText;
    if stored.highlights.is_empty() {
        return;
    }
    let text = CanonicalText::new(&stored.article.blocks);
    let chars = text.chars();
    let hay = Haystack::new(&chars);
    for h in &mut stored.highlights {
        let old = Selectors {
            quote: h.quote.clone(),
            position: h.position,
        };
        match reanchor_in(&old, &hay) {
            Anchor::Anchored { start, end, .. } => {
                let sel = Selectors::from_range(&chars, start..end);
                h.quote = sel.quote;
                h.position = sel.position;
                h.block_hint = text.hint_at(start);
                h.orphan = false;
            }
            Anchor::Orphan => h.orphan = true,
        }
    }
}

/// The original saved file of version `number` of article `id` (the copy
/// shown when `None`), with the resources stored beside it: what "view as
/// saved" serves. A copy stored from bytes keeps no original:
/// [`LibraryError::NoOriginal`].
pub(crate) fn saved_copy(
    conn: &Connection,
    id: ArticleId,
    number: Option<usize>,
) -> Result<SavedCopy> {
    let all = places(conn, id)?;
    let number = match number {
        Some(n) => n,
        None => all
            .iter()
            .position(|(place, _)| *place == Place::Shown)
            .map_or(1, |i| i + 1),
    };
    let (place, stored_at) = number
        .checked_sub(1)
        .and_then(|i| all.get(i))
        .cloned()
        .ok_or(LibraryError::NoSuchVersion {
            id,
            number,
            count: all.len(),
        })?;
    // File name, format, URL, title, the compressed original.
    type CopyRow = (String, String, Option<String>, String, Option<Vec<u8>>);
    let (sql, key) = match place {
        Place::Shown => (
            "SELECT a.source_file, a.source_format, a.url, a.title, o.data
               FROM articles a LEFT JOIN originals o ON o.article_id = a.id
              WHERE a.id = ?1",
            id.0,
        ),
        Place::Kept(kept) => (
            "SELECT source_file, source_format, url, title, original_data
               FROM article_versions WHERE id = ?1",
            kept,
        ),
    };
    let row: Option<CopyRow> = conn
        .prepare_cached(sql)?
        .query_row([key], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })
        .optional()?;
    let (file_name, format, url, title, data) = row.ok_or(LibraryError::NoSuchArticle(id))?;
    let data = data.ok_or(LibraryError::NoOriginal(id))?;
    let bytes = articles::inflate_original(id, &data)?;
    let whose = match place {
        Place::Shown => articles::Resources::Shown,
        Place::Kept(kept) => articles::Resources::Kept(kept),
    };
    Ok(SavedCopy {
        id,
        version: number,
        versions: all.len(),
        file_name,
        format,
        url,
        title,
        stored_at,
        bytes,
        resources: articles::resources_of(conn, id, whose)?,
    })
}

/// A kept copy read back: its own metadata, body and images, the article's
/// tags, note and dates.
pub(crate) fn kept_copy(
    conn: &Connection,
    id: ArticleId,
    kept: i64,
    image_bytes: bool,
) -> Result<StoredArticle> {
    let mut stored = articles::article(conn, id, false)?;
    let (article, body_json, source_file, source_format, content_hash, imported_at) = conn
        .prepare_cached(
            "SELECT title, byline, editor, published, site, url, lang, excerpt, body_json,
                    source_file, source_format, content_hash, imported_at
               FROM article_versions WHERE id = ?1",
        )?
        .query_row([kept], |row| {
            Ok((
                Article {
                    title: row.get(0)?,
                    byline: row.get(1)?,
                    editor: row.get(2)?,
                    published: row.get(3)?,
                    site: row.get(4)?,
                    url: row.get(5)?,
                    lang: row.get(6)?,
                    excerpt: row.get(7)?,
                    ..Article::default()
                },
                row.get::<_, String>(8)?,
                row.get::<_, String>(9)?,
                row.get::<_, String>(10)?,
                row.get::<_, String>(11)?,
                row.get::<_, String>(12)?,
            ))
        })?;
    let mut article = article;
    article.blocks = decode_blocks(id, &body_json)?;
    type ImageRow = (Option<String>, Option<Vec<u8>>, Option<String>);
    let images: Vec<ImageRow> = conn
        .prepare_cached(
            "SELECT vi.image_sha256, CASE WHEN ?2 THEN i.bytes END, i.mime
               FROM version_images vi LEFT JOIN images i ON i.sha256 = vi.image_sha256
              WHERE vi.version_id = ?1 ORDER BY vi.position",
        )?
        .query_map(params![kept, image_bytes], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut shas = Vec::with_capacity(images.len());
    let mut data = Vec::with_capacity(images.len());
    for (sha, bytes, mime) in images {
        shas.push(sha);
        data.push(bytes.zip(mime).map(|(bytes, mime)| ImageData {
            bytes: std::sync::Arc::from(bytes),
            mime,
        }));
    }
    let mut data = data.into_iter();
    for image in article.images_mut() {
        image.data = data.next().flatten();
    }
    stored.article = article;
    stored.source_file = source_file;
    stored.source_format = source_format;
    stored.content_hash = content_hash;
    stored.updated_at = imported_at;
    stored.image_sha256 = shas;
    Ok(stored)
}

/// An article's images as a comparison identifies them: by stored bytes,
/// else by address.
fn image_refs(stored: &StoredArticle) -> Vec<ImageRef> {
    stored
        .article
        .images()
        .into_iter()
        .zip(stored.image_sha256.iter().chain(std::iter::repeat(&None)))
        .map(|(image, sha)| ImageRef {
            key: sha.clone().unwrap_or_else(|| image.src.clone()),
            label: image
                .caption
                .clone()
                .or_else(|| image.alt.clone())
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| {
                    image
                        .src
                        .rsplit('/')
                        .next()
                        .unwrap_or(&image.src)
                        .to_owned()
                }),
        })
        .collect()
}

/// Put back in `stored` (the shown copy) what Folio read for the fields the
/// user corrected.
fn as_read(conn: &Connection, id: ArticleId, stored: &mut StoredArticle) -> Result<()> {
    for (col, extracted) in super::edits::extracted_of(conn, id)? {
        let a = &mut stored.article;
        match col {
            "title" => a.title = extracted.unwrap_or_default(),
            "published" => a.published = extracted,
            "byline" => a.byline = extracted,
            "editor" => a.editor = extracted,
            "site" => a.site = extracted,
            "url" => a.url = extracted,
            _ => {}
        }
    }
    Ok(())
}

/// Compare versions `old` and `new` of article `id`, refining until
/// `deadline`.
pub(crate) fn compare(
    conn: &Connection,
    id: ArticleId,
    old: usize,
    new: usize,
    deadline: Instant,
) -> Result<Diff> {
    let (mut a, a_shown) = version(conn, id, old, false)?;
    let (mut b, b_shown) = version(conn, id, new, false)?;
    // Copies are compared as Folio read them: the shown copy without the
    // user's corrections (which belong to the article, not to a copy).
    for (stored, shown) in [(&mut a, a_shown), (&mut b, b_shown)] {
        if shown {
            as_read(conn, id, stored)?;
        }
    }
    Ok(diff::compare(
        &a.article,
        &b.article,
        &image_refs(&a),
        &image_refs(&b),
        deadline,
    ))
}

/// Time a listing spends aligning each version with the one before it;
/// past it (a thousand long versions), paragraphs are compared as sets of
/// texts and an edited one counts as one removed and one added.
const LIST_BUDGET: std::time::Duration = std::time::Duration::from_secs(2);

/// Every version of article `id`, oldest first, each with its counts of
/// paragraphs added, removed and edited against the one before.
pub(crate) fn list(conn: &Connection, id: ArticleId) -> Result<Vec<VersionInfo>> {
    let all = places(conn, id)?;
    let mut out = Vec::with_capacity(all.len());
    let mut previous: Option<Vec<diff::Unit>> = None;
    let budget = Instant::now() + LIST_BUDGET;
    let mut seen = conn.prepare_cached(
        "SELECT coalesce(sum(times), 0) FROM article_sightings
          WHERE article_id = ?1 AND content_hash = ?2",
    )?;
    for (i, (place, _)) in all.iter().enumerate() {
        let (stored, captured) = match *place {
            Place::Shown => (
                articles::article(conn, id, false)?,
                articles::captured(conn, id)?,
            ),
            Place::Kept(kept) => (
                kept_copy(conn, id, kept, false)?,
                kept_captured(conn, kept)?,
            ),
        };
        let original_size: Option<i64> = match *place {
            Place::Shown => conn
                .prepare_cached("SELECT size FROM originals WHERE article_id = ?1")?
                .query_row([id.0], |row| row.get(0))
                .optional()?,
            Place::Kept(kept) => conn
                .prepare_cached("SELECT original_size FROM article_versions WHERE id = ?1")?
                .query_row([kept], |row| row.get(0))?,
        };
        let units = diff::units(&stored.article);
        let (inserted, deleted, changed) = previous
            .as_ref()
            .map_or((0, 0, 0), |before| counts(before, &units, budget));
        let seen_again: i64 =
            seen.query_row(params![id.0, stored.content_hash], |row| row.get(0))?;
        out.push(VersionInfo {
            number: i + 1,
            shown: *place == Place::Shown,
            title: stored.article.title.clone(),
            published: stored.article.published.clone(),
            imported_at: stored.updated_at.clone(),
            source_file: stored.source_file.clone(),
            source_format: stored.source_format.clone(),
            original_size: original_size.and_then(|s| u64::try_from(s).ok()),
            content_hash: stored.content_hash.clone(),
            paragraphs: units.len(),
            images: stored.article.images().len(),
            inserted,
            deleted,
            changed,
            seen_again: u64::try_from(seen_again).unwrap_or(0),
            captured_from: captured.as_ref().map(|c| c.from.as_str()),
            captured_at: captured.map(|c| c.at),
        });
        previous = Some(units);
    }
    Ok(out)
}

/// Paragraphs added, removed and edited from `before` to `after`: aligned
/// while `budget` lasts, else as sets of texts.
fn counts(before: &[diff::Unit], after: &[diff::Unit], budget: Instant) -> (usize, usize, usize) {
    let now = Instant::now();
    if now < budget {
        let deadline = budget.min(now + std::time::Duration::from_millis(200));
        let (changes, _) = diff::paragraphs(before, after, deadline);
        let mut c = (0, 0, 0);
        for change in changes {
            match change {
                diff::ParagraphChange::Inserted { .. } => c.0 += 1,
                diff::ParagraphChange::Deleted { .. } => c.1 += 1,
                diff::ParagraphChange::Changed { .. } => c.2 += 1,
                diff::ParagraphChange::Equal { .. } => {}
            }
        }
        return c;
    }
    let a: HashSet<&str> = before.iter().map(|u| u.text.as_str()).collect();
    let b: HashSet<&str> = after.iter().map(|u| u.text.as_str()).collect();
    (b.difference(&a).count(), a.difference(&b).count(), 0)
}

/// Remove version `number` of article `id` (a kept copy: never the one
/// shown), with the images only it used; what it was is returned.
pub(crate) fn remove(tx: &Connection, id: ArticleId, number: usize) -> Result<VersionInfo> {
    let Place::Kept(kept) = place(tx, id, number)? else {
        return Err(LibraryError::ShownVersion { id, number });
    };
    let info = list(tx, id)?
        .into_iter()
        .nth(number - 1)
        .ok_or(LibraryError::NoSuchVersion {
            id,
            number,
            count: count(tx, id)?,
        })?;
    let shas: Vec<String> = tx
        .prepare_cached(
            "SELECT image_sha256 FROM version_images WHERE version_id = ?1
                AND image_sha256 IS NOT NULL
             UNION
             SELECT image_sha256 FROM version_resources WHERE version_id = ?1
                AND image_sha256 IS NOT NULL",
        )?
        .query_map([kept], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    tx.prepare_cached("DELETE FROM version_resources WHERE version_id = ?1")?
        .execute([kept])?;
    tx.prepare_cached("DELETE FROM version_images WHERE version_id = ?1")?
        .execute([kept])?;
    tx.prepare_cached("DELETE FROM article_versions WHERE id = ?1")?
        .execute([kept])?;
    store::delete_unused_images(tx, &shas)?;
    store::versions::refresh_earlier(tx, id)?;
    Ok(info)
}

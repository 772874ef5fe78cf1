//! Storing an extracted article: the CPU-heavy preparation (hashes,
//! compression, thumbnails, segmentation) that may run on any thread, and the
//! SQL that writes it in one transaction.

use rusqlite::{Connection, params};

mod prepared;
pub(crate) mod versions;

use super::codec::sql_int;
use super::error::Result;
use super::types::ArticleId;
pub use prepared::PreparedArticle;
pub(crate) use prepared::{
    ImageBlob, OriginalRow, ResourceRow, canonical_url, decoded_blob, insert_blob,
};
use versions::Match;

/// What to do when an article is already in the library.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Leave the stored article alone and report [`StoreOutcome::Duplicate`].
    #[default]
    SkipDuplicates,
    /// Replace the stored article's content in place, keeping tags and note.
    Update,
}

/// What storing one article did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreOutcome {
    /// A new article was added.
    Imported(ArticleId),
    /// An existing article was replaced in place.
    Updated(ArticleId),
    /// The article was already there; nothing was written.
    Duplicate(ArticleId),
    /// The article was already there, and this copy differs from every copy
    /// kept (text or images) without being richer: it is kept as a version,
    /// the shown copy stays.
    Versioned(ArticleId),
    /// The article was already there, and this copy was richer (see
    /// [`is_richer`]): it is now the copy shown, keeping tags, note,
    /// highlights and reading state; the copy shown before is kept.
    Upgraded(ArticleId),
    /// A new article `id`: the stored `same_address_as` has this copy's
    /// address but different text (a site reusing an address, a page that
    /// moved), so neither replaces the other.
    Separate {
        id: ArticleId,
        same_address_as: ArticleId,
    },
    /// The article was in the trash: this copy brought it back, and became
    /// its shown copy when `replaced` (the earlier copy kept).
    Restored { id: ArticleId, replaced: bool },
}

impl StoreOutcome {
    /// The id of the article concerned.
    pub fn id(self) -> ArticleId {
        match self {
            Self::Imported(id)
            | Self::Updated(id)
            | Self::Duplicate(id)
            | Self::Versioned(id)
            | Self::Upgraded(id)
            | Self::Separate { id, .. }
            | Self::Restored { id, .. } => id,
        }
    }
}

/// Store `prepared` inside `tx`, handling duplicates per `mode`. A copy of
/// a stored article (same text, or same address and similar text) becomes
/// the shown copy when it is richer (or `mode` says update), the shown one
/// being kept (`store::versions`); a poorer copy that differs is kept as a
/// version, an identical one recorded as seen again; a copy at a stored
/// article's address
/// whose text differs is a separate article (unless `mode` says update); a
/// copy of an article in the trash brings it back.
pub(crate) fn store_prepared(
    tx: &Connection,
    prepared: &PreparedArticle,
    mode: ImportMode,
) -> Result<StoreOutcome> {
    let id = match versions::find_match(tx, prepared)? {
        Match::None => return Ok(StoreOutcome::Imported(insert(tx, prepared)?)),
        // Asked to update: the stored copy at the address is replaced (and
        // kept), whatever its text.
        Match::SameAddressOnly(id) if mode == ImportMode::Update => id,
        Match::SameAddressOnly(other) => {
            return Ok(StoreOutcome::Separate {
                id: insert(tx, prepared)?,
                same_address_as: other,
            });
        }
        Match::Same(id) => id,
    };
    let kept = match mode {
        ImportMode::SkipDuplicates => {
            if is_richer(&Richness::of(prepared), &Richness::stored(tx, id)?) {
                replace(tx, id, prepared)?;
                Kept::Shown
            } else if versions::is_known(tx, id, prepared)? {
                versions::seen_again(tx, id, prepared)?;
                Kept::Seen
            } else {
                versions::keep_incoming(tx, id, prepared)?;
                versions::add_earlier(tx, id, prepared)?;
                Kept::Version
            }
        }
        ImportMode::Update => {
            replace(tx, id, prepared)?;
            Kept::Shown
        }
    };
    let restored = tx
        .prepare_cached(
            "UPDATE articles SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
        )?
        .execute([id.0])?
        > 0;
    if restored {
        return Ok(StoreOutcome::Restored {
            id,
            replaced: kept == Kept::Shown,
        });
    }
    Ok(match (kept, mode) {
        (Kept::Seen, _) => StoreOutcome::Duplicate(id),
        (Kept::Version, _) => StoreOutcome::Versioned(id),
        (Kept::Shown, ImportMode::Update) => StoreOutcome::Updated(id),
        (Kept::Shown, ImportMode::SkipDuplicates) => StoreOutcome::Upgraded(id),
    })
}

/// What became of a copy of a stored article.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kept {
    /// It is the copy shown now (the one before it kept).
    Shown,
    /// It is kept as a version; the shown copy stays.
    Version,
    /// The same copy was stored already: recorded as seen again.
    Seen,
}

/// What makes one copy of an article better than another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Richness {
    /// Images whose bytes are stored.
    pub images: usize,
    /// Characters of searchable body text.
    pub body: usize,
    /// Metadata fields known (byline, editor, date, site, URL, language, excerpt).
    pub metadata: usize,
}

impl Richness {
    fn of(p: &PreparedArticle) -> Self {
        let a = &p.article;
        Self {
            images: p.image_shas.iter().filter(|s| s.is_some()).count(),
            body: p.search_body.chars().count(),
            metadata: [
                &a.byline,
                &a.editor,
                &a.published,
                &a.site,
                &a.url,
                &a.lang,
                &a.excerpt,
            ]
            .iter()
            .filter(|f| f.is_some())
            .count(),
        }
    }

    fn stored(tx: &Connection, id: ArticleId) -> Result<Self> {
        let (images, body, metadata): (i64, i64, i64) = tx
            .prepare_cached(
                "SELECT
                     (SELECT count(*) FROM article_images
                       WHERE article_id = a.id AND image_sha256 IS NOT NULL),
                     coalesce((SELECT length(body) FROM search_text WHERE article_id = a.id), 0),
                     (byline IS NOT NULL) + (editor IS NOT NULL) + (published IS NOT NULL)
                       + (site IS NOT NULL) + (url IS NOT NULL) + (lang IS NOT NULL)
                       + (excerpt IS NOT NULL)
                 FROM articles a WHERE a.id = ?1",
            )?
            .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        Ok(Self {
            images: count(images),
            body: count(body),
            metadata: count(metadata),
        })
    }
}

/// True when `new` is a better copy than `old`: never fewer stored images
/// and a body at least 90 % as long, and then more stored images, or as
/// many and a body over 10 % longer, or as many, a body at least as long
/// and more metadata. A poorer or equal copy is not richer.
pub(crate) fn is_richer(new: &Richness, old: &Richness) -> bool {
    if new.images < old.images || new.body * 10 < old.body * 9 {
        return false;
    }
    new.images > old.images
        || new.body * 10 > old.body * 11
        || (new.body >= old.body && new.metadata > old.metadata)
}

/// Insert a new article.
pub(crate) fn insert(tx: &Connection, p: &PreparedArticle) -> Result<ArticleId> {
    let a = &p.article;
    tx.prepare_cached(
        "INSERT INTO articles (title, byline, editor, published, site, url, canonical_url,
             lang, excerpt, body_json, warnings_json, source_file, source_format, content_hash,
             captured_at, captured_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        a.title,
        a.byline,
        a.editor,
        a.published,
        a.site,
        a.url,
        p.canonical_url,
        a.lang,
        a.excerpt,
        p.body_json,
        p.warnings_json,
        p.source_file,
        p.source_format,
        p.content_hash,
        a.captured.as_ref().map(|c| &c.at),
        a.captured.as_ref().map(|c| c.from.as_str()),
    ])?;
    let id = ArticleId(tx.last_insert_rowid());
    write_children(tx, id, p)?;
    tx.prepare_cached("INSERT INTO search_text (article_id, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![id.0, p.search_title, p.search_body])?;
    Ok(id)
}

/// Replace the content of article `id`, keeping its tags, note and dates
/// added. A copy with its own original (an import) keeps the copy shown
/// until now (`versions::keep_shown`); without one (re-extraction) only the
/// body derived from the stored original changes.
pub(crate) fn replace(tx: &Connection, id: ArticleId, p: &PreparedArticle) -> Result<()> {
    let a = &p.article;
    let mut old_shas = Vec::new();
    if p.original.is_some() {
        versions::keep_shown(tx, id, p)?;
        // A kept copy chosen to be shown ("Use this copy instead") is not
        // kept twice.
        old_shas = versions::drop_kept_same_as(tx, id, p)?;
    }
    let changed = tx
        .prepare_cached(
            "UPDATE articles SET title = ?2, byline = ?3, editor = ?4, published = ?5, site = ?6,
                 url = ?7, canonical_url = ?8, lang = ?9, excerpt = ?10, body_json = ?11,
                 warnings_json = ?12, source_file = ?13, source_format = ?14, content_hash = ?15,
                 captured_at = CASE WHEN ?16 IS NULL AND ?18 THEN captured_at ELSE ?16 END,
                 captured_from = CASE WHEN ?16 IS NULL AND ?18 THEN captured_from ELSE ?17 END,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             WHERE id = ?1",
        )?
        .execute(params![
            id.0,
            a.title,
            a.byline,
            a.editor,
            a.published,
            a.site,
            a.url,
            p.canonical_url,
            a.lang,
            a.excerpt,
            p.body_json,
            p.warnings_json,
            p.source_file,
            p.source_format,
            p.content_hash,
            a.captured.as_ref().map(|c| &c.at),
            a.captured.as_ref().map(|c| c.from.as_str()),
            // Re-extraction reads the stored original again: a capture date
            // only the file's time gave (not in the original) is kept.
            p.original.is_none(),
        ])?;
    if changed == 0 {
        return Err(super::error::LibraryError::NoSuchArticle(id));
    }
    old_shas.extend(linked_images(tx, id)?);
    tx.prepare_cached("DELETE FROM article_images WHERE article_id = ?1")?
        .execute([id.0])?;
    tx.prepare_cached("DELETE FROM source_tags WHERE article_id = ?1")?
        .execute([id.0])?;
    if p.original.is_some() {
        tx.prepare_cached("DELETE FROM original_resources WHERE article_id = ?1")?
            .execute([id.0])?;
    }
    write_children(tx, id, p)?;
    tx.prepare_cached(
        "INSERT INTO search_text (article_id, title, body) VALUES (?1, ?2, ?3)
         ON CONFLICT(article_id) DO UPDATE SET title = excluded.title, body = excluded.body",
    )?
    .execute(params![id.0, p.search_title, p.search_body])?;
    delete_unused_images(tx, &old_shas)?;
    // What the user corrected stays corrected over the new reading.
    super::edits::reapply(tx, id)?;
    // The body changed: its highlights are found again in it (or orphaned),
    // and what only the kept copies say is indexed against it.
    super::highlights::reanchor_article(tx, id, &a.blocks)?;
    versions::refresh_earlier(tx, id)?;
    Ok(())
}

/// The image shas linked from an article's body and resources (the shown
/// copy's; [`versions::kept_images`] has the kept copies').
pub(crate) fn linked_images(tx: &Connection, id: ArticleId) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT image_sha256 FROM article_images WHERE article_id = ?1 AND image_sha256 IS NOT NULL
         UNION
         SELECT image_sha256 FROM original_resources WHERE article_id = ?1 AND image_sha256 IS NOT NULL",
    )?;
    let shas = stmt
        .query_map([id.0], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(shas)
}

/// Delete those of `shas` that no article and no kept copy links any more.
pub(crate) fn delete_unused_images(tx: &Connection, shas: &[String]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "DELETE FROM images WHERE sha256 = ?1
           AND NOT EXISTS (SELECT 1 FROM article_images WHERE image_sha256 = ?1)
           AND NOT EXISTS (SELECT 1 FROM original_resources WHERE image_sha256 = ?1)
           AND NOT EXISTS (SELECT 1 FROM version_images WHERE image_sha256 = ?1)
           AND NOT EXISTS (SELECT 1 FROM version_resources WHERE image_sha256 = ?1)",
    )?;
    for sha in shas {
        stmt.execute([sha])?;
    }
    Ok(())
}

fn write_children(tx: &Connection, id: ArticleId, p: &PreparedArticle) -> Result<()> {
    for blob in &p.blobs {
        insert_blob(tx, blob)?;
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO article_images
                 (article_id, position, image_sha256, src, full_src, alt, caption, credit)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (position, (image, sha)) in p
            .article
            .images()
            .into_iter()
            .zip(&p.image_shas)
            .enumerate()
        {
            stmt.execute(params![
                id.0,
                sql_int(position),
                sha,
                image.src,
                image.full_src,
                image.alt,
                image.caption,
                image.credit,
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO source_tags (article_id, position, name) VALUES (?1, ?2, ?3)",
        )?;
        for (position, name) in p.article.source_tags.iter().enumerate() {
            stmt.execute(params![id.0, sql_int(position), name])?;
        }
    }
    if let Some(original) = &p.original {
        tx.prepare_cached(
            "INSERT INTO originals (article_id, size, data) VALUES (?1, ?2, ?3)
             ON CONFLICT(article_id) DO UPDATE SET size = excluded.size, data = excluded.data",
        )?
        .execute(params![id.0, sql_int(original.size), original.data])?;
        let mut stmt = tx.prepare_cached(
            "INSERT INTO original_resources (article_id, name, size, image_sha256, data)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for r in &original.resources {
            stmt.execute(params![
                id.0,
                r.name,
                sql_int(r.size),
                r.image_sha256,
                r.data
            ])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(images: usize, body: usize, metadata: usize) -> Richness {
        Richness {
            images,
            body,
            metadata,
        }
    }

    #[test]
    fn a_copy_is_richer_only_when_it_adds_without_losing() {
        let old = r(0, 1000, 3);
        assert!(is_richer(&r(5, 980, 3), &old), "images, a body as long");
        assert!(is_richer(&r(0, 1200, 3), &old), "a longer body");
        assert!(is_richer(&r(0, 1000, 5), &old), "more metadata");
        assert!(!is_richer(&r(0, 1000, 3), &old), "equal");
        assert!(!is_richer(&r(5, 500, 7), &old), "images, but half the body");
        assert!(
            !is_richer(&r(0, 1050, 2), &old),
            "a little longer, less metadata"
        );
        assert!(!is_richer(&r(2, 1000, 3), &r(3, 900, 3)), "fewer images");
    }
}

//! Storing an extracted article: the CPU-heavy preparation (hashes,
//! compression, thumbnails, segmentation) that may run on any thread, and the
//! SQL that writes it in one transaction.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::Arc;

use rusqlite::{Connection, params};
use sha2::{Digest as _, Sha256};
use unicode_normalization::UnicodeNormalization as _;

pub(crate) mod versions;

use super::{ArticleId, Result, segment::segment};
use crate::model::{Article, Image};
use crate::read::{Format, Source};
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
            | Self::Upgraded(id)
            | Self::Separate { id, .. }
            | Self::Restored { id, .. } => id,
        }
    }
}

/// Largest side of a thumbnail, in pixels.
const THUMBNAIL_PX: u32 = 256;

/// An image's bytes with what was learnt from decoding them.
#[derive(Clone, Debug)]
pub(crate) struct ImageBlob {
    pub sha256: String,
    pub mime: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub bytes: Arc<[u8]>,
    pub thumbnail: Option<(Vec<u8>, &'static str)>,
}

/// A local resource of the saved page, ready to store.
#[derive(Clone, Debug)]
pub(crate) struct ResourceRow {
    pub name: String,
    pub size: usize,
    /// Set when the bytes are those of a stored image.
    pub image_sha256: Option<String>,
    /// zlib-compressed bytes, when not an image.
    pub data: Option<Vec<u8>>,
}

/// The original file, compressed.
#[derive(Clone, Debug)]
pub(crate) struct OriginalRow {
    pub size: usize,
    pub data: Vec<u8>,
    pub resources: Vec<ResourceRow>,
}

/// An article with everything computed that storing it needs, so the writer
/// thread only runs SQL. Build with [`PreparedArticle::new`].
#[derive(Clone, Debug)]
pub struct PreparedArticle {
    pub(crate) article: Article,
    pub(crate) source_file: String,
    pub(crate) source_format: &'static str,
    pub(crate) body_json: String,
    pub(crate) warnings_json: String,
    pub(crate) canonical_url: Option<String>,
    pub(crate) content_hash: String,
    /// `None` keeps the stored original (re-extraction).
    pub(crate) original: Option<OriginalRow>,
    /// sha256 of each body image in order.
    pub(crate) image_shas: Vec<Option<String>>,
    pub(crate) blobs: Vec<ImageBlob>,
    pub(crate) search_title: String,
    pub(crate) search_body: String,
}

impl PreparedArticle {
    /// Hash, compress, make thumbnails and segment: everything but SQL.
    pub fn new(source: &Source, article: &Article) -> Self {
        let mut prepared = Self::without_original(article, &source.file_name, source.format);
        let mut resources = Vec::new();
        if !source.format.holds_resources() {
            let image_shas: HashMap<&[u8], &str> = prepared
                .blobs
                .iter()
                .map(|b| (&b.bytes[..], b.sha256.as_str()))
                .collect();
            for (name, bytes) in source.resources.iter_sorted() {
                // `data:` URIs are found again in the original.
                if name.starts_with("data:") {
                    continue;
                }
                let image_sha256 = image_shas.get(&bytes[..]).map(|s| (*s).to_owned());
                let data = image_sha256.is_none().then(|| deflate(bytes));
                resources.push(ResourceRow {
                    name: name.to_owned(),
                    size: bytes.len(),
                    image_sha256,
                    data,
                });
            }
        }
        prepared.original = Some(OriginalRow {
            size: source.original.len(),
            data: deflate(&source.original),
            resources,
        });
        prepared.fill_fallback_hash(&source.original);
        prepared
    }

    /// An article with no text to hash is told apart by its original file.
    pub(crate) fn fill_fallback_hash(&mut self, original: &[u8]) {
        if self.content_hash.is_empty() {
            self.content_hash = format!("original:{}", sha256_hex(original));
        }
    }

    /// Prepare an article whose original is already stored (re-extraction).
    pub(crate) fn without_original(article: &Article, source_file: &str, format: Format) -> Self {
        let mut blobs: Vec<ImageBlob> = Vec::new();
        let mut image_shas = Vec::new();
        let mut decode_warnings = Vec::new();
        // One hash per shared buffer: a page may show one image thousands of times.
        let mut hashed: HashMap<(*const u8, usize), String> = HashMap::new();
        for image in article.images() {
            if crate::read::limits::work_stopped() {
                break; // past the page's budget: nobody wants the result
            }
            let sha = image.data.as_ref().map(|data| {
                let sha = hashed
                    .entry((data.bytes.as_ptr(), data.bytes.len()))
                    .or_insert_with(|| sha256_hex(&data.bytes))
                    .clone();
                if !blobs.iter().any(|b| b.sha256 == sha) {
                    let (blob, warning) = image_blob(sha.clone(), image, &data.bytes, &data.mime);
                    blobs.push(blob);
                    decode_warnings.extend(warning);
                }
                sha
            });
            image_shas.push(sha);
        }
        let mut article = article.clone();
        for warning in decode_warnings {
            if !article.warnings.contains(&warning) {
                article.warnings.push(warning);
            }
        }
        let body_text = article.searchable_text();
        let normalized: String = format!("{}\n{}", article.title, body_text)
            .nfkc()
            .flat_map(char::to_lowercase)
            .filter(|c| !c.is_whitespace())
            .collect();
        let content_hash = if normalized.is_empty() {
            String::new()
        } else {
            sha256_hex(normalized.as_bytes())
        };
        Self {
            source_file: source_file.to_owned(),
            source_format: format.as_str(),
            body_json: to_json(&article.blocks),
            warnings_json: to_json(&article.warnings),
            canonical_url: article.url.as_deref().and_then(canonical_url),
            content_hash,
            original: None,
            image_shas,
            blobs,
            search_title: segment(&article.title),
            search_body: segment(&body_text),
            article,
        }
    }
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Serializing plain data structs and strings to a String cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) use super::sql_int;

/// Lowercase hex sha256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// zlib-compress `bytes`.
pub(crate) fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec never fails.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Decompress zlib `bytes`.
pub(crate) fn inflate(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut decoder = flate2::write::ZlibDecoder::new(&mut out);
    decoder.write_all(bytes)?;
    decoder.finish()?;
    Ok(out)
}

/// The URL used to find duplicates: no fragment, no tracking parameters.
pub(crate) fn canonical_url(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let Ok(mut parsed) = url::Url::parse(url) else {
        return Some(url.to_owned());
    };
    parsed.set_fragment(None);
    if parsed.query().is_some() {
        let kept: Vec<(String, String)> = parsed
            .query_pairs()
            .filter(|(k, _)| {
                let k = k.to_ascii_lowercase();
                !(k.starts_with("utm_")
                    || matches!(k.as_str(), "fbclid" | "gclid" | "spm" | "from"))
            })
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            parsed.set_query(None);
        } else {
            parsed.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    if parsed.scheme() == "http" {
        // http and https copies of a page are the same article.
        let _ = parsed.set_scheme("https");
    }
    Some(parsed.to_string())
}

/// Decode an image (with limits) to learn its size and make a thumbnail; the
/// warning says why an image Folio should read could not be decoded.
fn image_blob(
    sha256: String,
    image: &Image,
    bytes: &Arc<[u8]>,
    mime: &str,
) -> (ImageBlob, Option<String>) {
    let mut blob = ImageBlob {
        sha256,
        mime: mime.to_owned(),
        width: image.width,
        height: image.height,
        bytes: Arc::clone(bytes),
        thumbnail: None,
    };
    let warning = match decode_into(&mut blob) {
        Ok(()) => None,
        // Folio never decodes SVG (it is kept as written, entities unresolved).
        Err(_) if mime == "image/svg+xml" => None,
        Err(err) => Some(format!(
            "image {} could not be decoded ({err}); it is kept without a thumbnail",
            image.src
        )),
    };
    (blob, warning)
}

/// An image blob for bytes that must decode (a fetched image): sizes and a
/// thumbnail, or the decoding error. SVG (sniffed, whatever `mime` says) is
/// kept as written without sizes or thumbnail, as at import: Folio never
/// parses it. An image over [`MAX_IMAGE_PIXELS`](crate::read::limits::MAX_IMAGE_PIXELS)
/// cannot be decoded within the limits, so it is refused.
pub(crate) fn decoded_blob(bytes: Arc<[u8]>, mime: &str) -> Result<ImageBlob, image::ImageError> {
    let svg = image::guess_format(&bytes).is_err() && crate::read::limits::looks_like_svg(&bytes);
    let mut blob = ImageBlob {
        sha256: sha256_hex(&bytes),
        mime: if svg { "image/svg+xml" } else { mime }.to_owned(),
        width: None,
        height: None,
        bytes,
        thumbnail: None,
    };
    if svg {
        return Ok(blob);
    }
    decode_into(&mut blob)?;
    if blob.thumbnail.is_none() {
        // decode_into only skips decoding (no thumbnail) for images over the pixel limit.
        return Err(image::ImageError::Limits(
            image::error::LimitError::from_kind(image::error::LimitErrorKind::DimensionError),
        ));
    }
    Ok(blob)
}

fn decode_into(blob: &mut ImageBlob) -> Result<(), image::ImageError> {
    use crate::read::limits::{MAX_DECODE_BYTES, MAX_IMAGE_PIXELS, limited_image_reader};
    let (w, h) = limited_image_reader(&blob.bytes, MAX_DECODE_BYTES)?.into_dimensions()?;
    if u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS {
        blob.width = Some(w);
        blob.height = Some(h);
        return Ok(());
    }
    let decoded = limited_image_reader(&blob.bytes, MAX_DECODE_BYTES)?.decode()?;
    blob.width = Some(decoded.width());
    blob.height = Some(decoded.height());
    let thumb = if decoded.width() > THUMBNAIL_PX || decoded.height() > THUMBNAIL_PX {
        decoded.thumbnail(THUMBNAIL_PX, THUMBNAIL_PX)
    } else {
        decoded
    };
    let mut out = Vec::new();
    let mime = if thumb.color().has_alpha() {
        thumb.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)?;
        "image/png"
    } else {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
        thumb.to_rgb8().write_with_encoder(encoder)?;
        "image/jpeg"
    };
    blob.thumbnail = Some((out, mime));
    Ok(())
}

/// Store `prepared` inside `tx`, handling duplicates per `mode`. A copy of
/// a stored article (same text, or same address and similar text) becomes
/// the shown copy when it is richer (or `mode` says update), the shown one
/// being kept (`store::versions`); a copy at a stored article's address
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
    let replaced = match mode {
        ImportMode::SkipDuplicates => {
            let richer = is_richer(&Richness::of(prepared), &Richness::stored(tx, id)?);
            if richer {
                replace(tx, id, prepared)?;
            }
            richer
        }
        ImportMode::Update => {
            replace(tx, id, prepared)?;
            true
        }
    };
    let restored = tx
        .prepare_cached(
            "UPDATE articles SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
        )?
        .execute([id.0])?
        > 0;
    if restored {
        return Ok(StoreOutcome::Restored { id, replaced });
    }
    Ok(match (replaced, mode) {
        (false, _) => StoreOutcome::Duplicate(id),
        (true, ImportMode::Update) => StoreOutcome::Updated(id),
        (true, ImportMode::SkipDuplicates) => StoreOutcome::Upgraded(id),
    })
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
             lang, excerpt, body_json, warnings_json, source_file, source_format, content_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
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
    if p.original.is_some() {
        versions::keep_shown(tx, id, p)?;
    }
    let changed = tx
        .prepare_cached(
            "UPDATE articles SET title = ?2, byline = ?3, editor = ?4, published = ?5, site = ?6,
                 url = ?7, canonical_url = ?8, lang = ?9, excerpt = ?10, body_json = ?11,
                 warnings_json = ?12, source_file = ?13, source_format = ?14, content_hash = ?15,
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
        ])?;
    if changed == 0 {
        return Err(super::LibraryError::NoSuchArticle(id));
    }
    let old_shas = linked_images(tx, id)?;
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
    // The body changed: its highlights are found again in it (or orphaned).
    super::highlights::reanchor_article(tx, id, &a.blocks)?;
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

/// Store an image's bytes and thumbnail under its hash (once: a hash already
/// stored is left as it is).
pub(crate) fn insert_blob(tx: &Connection, blob: &ImageBlob) -> Result<()> {
    let (thumb, thumb_mime) = match &blob.thumbnail {
        Some((bytes, mime)) => (Some(&bytes[..]), Some(*mime)),
        None => (None, None),
    };
    tx.prepare_cached(
        "INSERT INTO images (sha256, mime, width, height, size, bytes, thumbnail, thumbnail_mime)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(sha256) DO NOTHING",
    )?
    .execute(params![
        blob.sha256,
        blob.mime,
        blob.width,
        blob.height,
        sql_int(blob.bytes.len()),
        &blob.bytes[..],
        thumb,
        thumb_mime,
    ])?;
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

//! An article made ready to store, off the write lock: its body, original,
//! resources and images hashed, compressed, thumbnailed and segmented
//! ([`PreparedArticle`]), and the one write every stored copy shares, an
//! image blob kept once under its hash ([`insert_blob`]). `store` and
//! `store::versions` both build on this; it builds on neither.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{Connection, params};
use unicode_normalization::UnicodeNormalization as _;

use crate::library::codec::{deflate, sha256_hex, sql_int};
use crate::library::error::Result;
use crate::library::segment::segment;
use crate::model::{Article, Image};
use crate::read::{Format, Source};

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

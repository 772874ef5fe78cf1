//! Merging another Folio library file into this one (`folio merge FILE`).
//!
//! The other file is untrusted: it may come from anyone. So it is opened
//! read-only with SQLite's defensive settings (`SQLITE_DBCONFIG_DEFENSIVE`,
//! `trusted_schema` off, triggers and views disabled), and before a single row
//! is read its `application_id`, `user_version` and every `sqlite_schema`
//! entry are compared with what Folio's own scripts create for that version:
//! an extra trigger or view, a changed table or a trigger that calls a
//! function is refused. Then `PRAGMA quick_check` runs (a truncated or damaged
//! file is refused) and the sizes of blobs and long texts are checked against
//! [`MAX_MERGE_BLOB_BYTES`] without loading them. Before the library is
//! touched, every original and resource of the file must decompress to its
//! recorded size and every image match its sha256: damaged rows are refused,
//! named, and nothing is merged.
//!
//! Nothing derived is trusted: hashes, canonical URLs, thumbnails and search
//! text are computed again from the article itself, exactly as on import.
//! Everything is written in one transaction: a merge changes the library
//! completely or not at all.
//!
//! From a file at schema version 4 or later, reading state and collections
//! come too: an added article keeps its read time, star and position; an
//! article already here stays read if it was, is starred if either is, and
//! keeps its own position. A collection whose name is new is added; one
//! whose name exists with the same query is kept once; one whose name
//! exists with another query is added as `NAME (merged)`, the library's own
//! staying as it was.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension as _, TransactionBehavior, params};

use super::codec::{deflate, sql_int};
use super::error::{LibraryError, sqlite_reason};
use super::store::versions::{self, Match};
use super::store::{self, OriginalRow, PreparedArticle, ResourceRow};
use super::types::{ArticleId, FieldEdit, Progress, ReadingState, StoredArticle};
use super::{
    articles, check, collections, edits, highlights, history, notes, reading, schema, tags, trash,
};

/// Why a merge changed nothing (a merge is all or nothing).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The file was refused before anything was changed.
    #[error("cannot merge {path}: {reason}; nothing was changed")]
    Untrusted {
        /// The file.
        path: PathBuf,
        /// Why it was refused.
        reason: String,
    },
    /// The merge was cancelled; nothing was changed.
    #[error("cancelled; nothing was changed")]
    Cancelled,
    /// The library could not be read or written.
    #[error(transparent)]
    Library(#[from] LibraryError),
}

impl From<rusqlite::Error> for MergeError {
    fn from(err: rusqlite::Error) -> Self {
        Self::Library(err.into())
    }
}

/// The result of a merge step.
type Result<T, E = MergeError> = std::result::Result<T, E>;
use crate::read::Format;

/// Largest blob or text (image, thumbnail, compressed original or resource,
/// body, note) accepted from a merged file, in bytes; also the largest
/// uncompressed size an original or resource may claim.
pub const MAX_MERGE_BLOB_BYTES: i64 = 64 * 1024 * 1024;

/// Articles read and prepared at a time.
const CHUNK: usize = 64;

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Articles in the merged file.
    pub articles: usize,
    /// Articles added as new.
    pub added: usize,
    /// Articles already in the library (same canonical URL or text): their
    /// tags and notes were merged into the existing article.
    pub duplicates: usize,
    /// Of those, articles that were in this library's trash and are live in
    /// the merged file: brought back.
    pub restored: usize,
    /// Copies of articles already here whose text or original differs,
    /// kept beside the shown copy (`library::versions`), never dropped.
    pub copies_kept: usize,
    /// Articles added although an article here has their address: their
    /// text differs, so they are separate articles.
    pub separate: usize,
    /// Tags created in this library.
    pub tags_added: usize,
    /// Tags of the merged file refused (past the limits on a tag's depth
    /// and length), each once: the articles were merged without them.
    pub tags_refused: Vec<String>,
    /// Existing notes the incoming note was appended to (they differed).
    pub notes_appended: usize,
    /// Highlights added (re-anchored in this library's body; one the
    /// article already had is not added again).
    pub highlights_added: usize,
    /// Collections (saved searches) added, under their own name or as
    /// `NAME (merged)`.
    pub collections_added: usize,
    /// Corrected details taken from the other file (newer than this
    /// library's correction of the same field, or the only one).
    pub edits_taken: usize,
    /// Corrected details of the other file left out because this library's
    /// own correction of the field is newer.
    pub edits_kept_local: usize,
    /// The articles added or merged into, in the file's order.
    pub ids: Vec<ArticleId>,
}

fn untrusted(path: &Path, reason: impl Into<String>) -> MergeError {
    MergeError::Untrusted {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// Open `path` read-only and defensively, and check its identity, schema,
/// integrity and sizes before any row is read.
pub(crate) fn open_untrusted(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(untrusted(path, "it is not a file"));
    }
    // Read-only, and `immutable` where a WAL file's folder does not let
    // SQLite make its `-shm` (a file in someone else's folder, a read-only mount).
    let uri = schema::read_only_uri(path).map_err(|err| match err {
        LibraryError::Open { reason, .. } => untrusted(path, reason),
        other => untrusted(path, other.to_string()),
    })?;
    let conn = Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|err| {
        untrusted(
            path,
            format!("it cannot be opened: {}", sqlite_reason(&err)),
        )
    })?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    conn.pragma_update(None, "trusted_schema", false)?;
    conn.pragma_update(None, "query_only", true)?;
    conn.pragma_update(None, "cell_size_check", true)?;
    conn.pragma_update(None, "mmap_size", 0)?;

    let not_sqlite = |err: rusqlite::Error| {
        untrusted(
            path,
            format!(
                "it is not an SQLite database, or it is damaged ({})",
                sqlite_reason(&err)
            ),
        )
    };
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(not_sqlite)?;
    if app_id != schema::APPLICATION_ID {
        return Err(untrusted(
            path,
            format!("it is not a Folio library (its application_id is {app_id:#010x})"),
        ));
    }
    let version: i32 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(not_sqlite)?;
    if !(1..=schema::SCHEMA_VERSION).contains(&version) {
        return Err(untrusted(
            path,
            format!(
                "it has schema version {version}; this Folio reads versions 1 to {}",
                schema::SCHEMA_VERSION
            ),
        ));
    }
    check_schema(&conn, path, version)?;
    check_integrity(&conn, path)?;
    check_sizes(&conn, path, version)?;
    Ok(conn)
}

/// Compare every `sqlite_schema` entry with Folio's own schema at `version`.
fn check_schema(conn: &Connection, path: &Path, version: i32) -> Result<()> {
    match schema::schema_difference(conn, version, true) {
        Ok(None) => Ok(()),
        Ok(Some(difference)) => Err(untrusted(path, difference)),
        Err(err) => Err(untrusted(
            path,
            format!("it is damaged: its schema cannot be read ({err})"),
        )),
    }
}

/// Every original and resource must decompress to its recorded size and
/// every image match its sha256 and size (as `folio check` verifies): a
/// damaged row is refused, named, before anything is written.
fn check_blobs(conn: &Connection, path: &Path, ids: &[ArticleId]) -> Result<()> {
    let damaged = check::damaged_rows(conn, "main", ids, true)
        .map_err(|err| untrusted(path, format!("it is damaged ({err})")))?;
    if damaged.is_empty() {
        Ok(())
    } else {
        Err(untrusted(
            path,
            format!("it has damaged data ({})", check::name_rows(&damaged)),
        ))
    }
}

/// `PRAGMA quick_check`: every page readable, every record well formed.
fn check_integrity(conn: &Connection, path: &Path) -> Result<()> {
    let damaged = |detail: String| untrusted(path, format!("it is damaged ({detail})"));
    let mut stmt = conn
        .prepare("PRAGMA quick_check(5)")
        .map_err(|e| damaged(sqlite_reason(&e)))?;
    let rows = stmt
        .query_map([], |row| row.get::<_, String>(0))
        .map_err(|e| damaged(sqlite_reason(&e)))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| damaged(sqlite_reason(&e)))?;
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(())
    } else {
        Err(damaged(rows.join("; ")))
    }
}

/// Check blob and text sizes with `length`/`octet_length`, which read only
/// the record headers, not the values.
fn check_sizes(conn: &Connection, path: &Path, version: i32) -> Result<()> {
    const KEPT: &[(&str, &str, &str)] = &[
        (
            "a kept copy's original",
            "article_versions",
            "length(original_data)",
        ),
        (
            "a kept copy's original",
            "article_versions",
            "original_size",
        ),
        (
            "a kept copy's body",
            "article_versions",
            "octet_length(body_json)",
        ),
        (
            "a kept copy's title",
            "article_versions",
            "octet_length(title)",
        ),
        (
            "a kept copy's resource",
            "version_resources",
            "length(data)",
        ),
        ("a kept copy's resource", "version_resources", "size"),
    ];
    const CHECKS: &[(&str, &str, &str)] = &[
        ("an image", "images", "length(bytes)"),
        ("a thumbnail", "images", "length(thumbnail)"),
        ("an original", "originals", "length(data)"),
        ("an original", "originals", "size"),
        ("a resource", "original_resources", "length(data)"),
        ("a resource", "original_resources", "size"),
        ("an article body", "articles", "octet_length(body_json)"),
        ("an article title", "articles", "octet_length(title)"),
        ("a note", "notes", "octet_length(body)"),
    ];
    let kept = if version >= KEPT_VERSION { KEPT } else { &[] };
    for (what, table, expr) in CHECKS.iter().chain(kept) {
        let largest: Option<i64> = conn
            .query_row(&format!("SELECT max({expr}) FROM {table}"), [], |row| {
                row.get(0)
            })
            .map_err(|err| {
                untrusted(
                    path,
                    format!(
                        "it is damaged: {table} cannot be read ({})",
                        sqlite_reason(&err)
                    ),
                )
            })?;
        if let Some(n) = largest
            && n > MAX_MERGE_BLOB_BYTES
        {
            return Err(untrusted(
                path,
                format!("{what} is {n} bytes, more than the limit of {MAX_MERGE_BLOB_BYTES} bytes"),
            ));
        }
    }
    Ok(())
}

/// An article read from the other file, with its compressed original.
struct Incoming {
    stored: StoredArticle,
    original: Option<(usize, Vec<u8>)>,
    /// The other file's `original_resources` rows.
    resources: Vec<ResourceRow>,
}

/// The first schema version with reading state and collections.
const ORGANISE_VERSION: i32 = 4;

/// The first schema version that keeps other copies of an article.
const KEPT_VERSION: i32 = 7;

/// The first schema version with corrected details.
const EDITS_VERSION: i32 = 8;

/// The first schema version with capture dates (`captured_at`,
/// `captured_from`).
const CAPTURED_VERSION: i32 = 9;

/// The corrections the other file holds for its article `id`.
fn read_edits(src: &Connection, id: ArticleId, version: i32) -> Result<Vec<FieldEdit>> {
    if version < EDITS_VERSION {
        return Ok(Vec::new());
    }
    Ok(src
        .prepare_cached(
            "SELECT field, value, NULL, edited_at FROM article_edits
              WHERE article_id = ?1 AND coalesce(octet_length(value), 0) <= 8192
                AND octet_length(edited_at) <= 64",
        )?
        .query_map([id.0], |row| {
            Ok(FieldEdit {
                field: row.get(0)?,
                value: row.get(1)?,
                extracted: None,
                edited_at: row.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// At most this many kept copies of one article are read from another file.
const MAX_MERGED_VERSIONS: i64 = 1_000;

/// The copies the other file keeps of its article `id`, read as
/// [`Incoming`]s (with their originals and resources).
fn read_kept(src: &Connection, id: ArticleId, version: i32) -> Result<Vec<Incoming>> {
    if version < KEPT_VERSION {
        return Ok(Vec::new());
    }
    let kept: Vec<(i64, Option<i64>, Option<Vec<u8>>)> = src
        .prepare_cached(
            "SELECT id, original_size, original_data FROM article_versions
              WHERE article_id = ?1 AND original_compression = 'zlib' ORDER BY id LIMIT ?2",
        )?
        .query_map(params![id.0, MAX_MERGED_VERSIONS], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(kept.len());
    for (version_id, size, data) in kept {
        let mut stored = history::kept_copy(src, id, version_id, true)?;
        if version >= CAPTURED_VERSION {
            stored.article.captured = history::kept_captured(src, version_id)?;
        }
        let resources = src
            .prepare_cached(
                "SELECT name, size, image_sha256, data FROM version_resources
                 WHERE version_id = ?1 ORDER BY name",
            )?
            .query_map([version_id], |row| {
                Ok(ResourceRow {
                    name: row.get(0)?,
                    size: usize::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
                    image_sha256: row.get(2)?,
                    data: row.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        out.push(Incoming {
            stored,
            original: data.map(|d| (size.and_then(|s| usize::try_from(s).ok()).unwrap_or(0), d)),
            resources,
        });
    }
    Ok(out)
}

fn read_incoming(src: &Connection, id: ArticleId, version: i32) -> Result<Incoming> {
    let mut stored = articles::article(src, id, true)?;
    if version >= CAPTURED_VERSION {
        stored.article.captured = articles::captured(src, id)?;
    }
    if version >= ORGANISE_VERSION {
        // Only what a reading state can be: a short time, 0 or 1, a fraction.
        stored.reading = src
            .prepare_cached(
                "SELECT CASE WHEN octet_length(read_at) <= 64 THEN read_at END,
                        starred = 1, position
                   FROM reading_state WHERE article_id = ?1",
            )?
            .query_row([id.0], |row| {
                Ok(ReadingState {
                    read_at: row.get(0)?,
                    starred: row.get(1)?,
                    position: row.get::<_, Option<f64>>(2).ok().flatten(),
                })
            })
            .optional()?
            .unwrap_or_default();
    }
    let original = src
        .prepare_cached("SELECT size, data FROM originals WHERE article_id = ?1")?
        .query_row([id.0], |row| {
            Ok((
                usize::try_from(row.get::<_, i64>(0)?).unwrap_or(0),
                row.get::<_, Vec<u8>>(1)?,
            ))
        })
        .optional()?;
    let resources = src
        .prepare_cached(
            "SELECT name, size, image_sha256, data FROM original_resources
             WHERE article_id = ?1 ORDER BY name",
        )?
        .query_map([id.0], |row| {
            Ok(ResourceRow {
                name: row.get(0)?,
                size: usize::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
                image_sha256: row.get(2)?,
                data: row.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Incoming {
        stored,
        original,
        resources,
    })
}

/// Prepare an incoming article as an import would, recomputing everything
/// derived. `image_bytes` looks up images a resource points at.
fn prepare(
    path: &Path,
    incoming: Incoming,
    image_bytes: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<(PreparedArticle, StoredArticle)> {
    let Incoming {
        stored,
        original,
        resources,
    } = incoming;
    let format = Format::parse(&stored.source_format).ok_or_else(|| {
        untrusted(
            path,
            format!(
                "article {} has an unknown format {:?}",
                stored.id, stored.source_format
            ),
        )
    })?;
    // A file name only, never a path.
    let file_name = stored
        .source_file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut prepared = PreparedArticle::without_original(&stored.article, &file_name, format);
    if prepared.content_hash.is_empty() {
        prepared.content_hash = stored.content_hash.clone();
    }
    let (size, data) = original.unwrap_or_else(|| (0, deflate(b"")));
    let blob_shas: Vec<&str> = prepared.blobs.iter().map(|b| b.sha256.as_str()).collect();
    let mut rows = Vec::with_capacity(resources.len());
    for ResourceRow {
        name,
        size,
        image_sha256,
        data,
    } in resources
    {
        let row = match (image_sha256, data) {
            (_, Some(data)) => ResourceRow {
                name,
                size,
                image_sha256: None,
                data: Some(data),
            },
            (Some(sha), None) if blob_shas.contains(&sha.as_str()) => ResourceRow {
                name,
                size,
                image_sha256: Some(sha),
                data: None,
            },
            // An image that is not one of the body's: keep its bytes as data.
            (Some(sha), None) => match image_bytes(&sha) {
                Some(bytes) => ResourceRow {
                    name,
                    size: bytes.len(),
                    image_sha256: None,
                    data: Some(deflate(&bytes)),
                },
                None => continue,
            },
            (None, None) => continue,
        };
        rows.push(row);
    }
    prepared.original = Some(OriginalRow {
        size,
        data,
        resources: rows,
    });
    Ok((prepared, stored))
}

/// True for `#rrggbb`.
pub(crate) fn merge_from(
    conn: &mut Connection,
    path: &Path,
    progress: &dyn Fn(&Progress),
    cancel: &AtomicBool,
) -> Result<MergeReport> {
    let src = open_untrusted(path)?;
    let version: i32 = src.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let largest = highlights::largest_untrusted_text(&src, version)?;
    if largest > MAX_MERGE_BLOB_BYTES {
        return Err(untrusted(
            path,
            format!(
                "a highlight is {largest} bytes, more than the limit of {MAX_MERGE_BLOB_BYTES} bytes"
            ),
        ));
    }
    let incoming_collections: Vec<(String, String)> = if version >= ORGANISE_VERSION {
        // Short texts only (the sizes are read from the record headers).
        src.prepare(
            "SELECT name, query FROM collections
              WHERE octet_length(name) <= 1000 AND octet_length(query) <= 4 * ?1
              ORDER BY id LIMIT 10000",
        )?
        .query_map([sql_int(super::query::MAX_QUERY_CHARS)], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    let ids: Vec<ArticleId> = src
        .prepare("SELECT id FROM articles ORDER BY id")?
        .query_map([], |row| row.get(0).map(ArticleId))?
        .collect::<Result<_, _>>()?;
    check_blobs(&src, path, &ids)?;
    let colours: HashMap<String, Option<String>> = src
        .prepare("SELECT name, colour FROM tags")?
        .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let label = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let image_bytes = |sha: &str| -> Option<Vec<u8>> {
        articles::image_bytes(&src, sha)
            .ok()
            .flatten()
            .map(|d| d.bytes.to_vec())
    };

    let mut report = MergeReport {
        articles: ids.len(),
        ..MergeReport::default()
    };
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut done = 0;
    for chunk in ids.chunks(CHUNK) {
        if cancel.load(Ordering::Relaxed) {
            return Err(MergeError::Cancelled);
        }
        let mut loaded = Vec::with_capacity(chunk.len());
        for &id in chunk {
            loaded.push(read_incoming(&src, id, version)?);
        }
        // Image lookups for stray resource images happen before the parallel step.
        let mut stray: HashMap<String, Vec<u8>> = HashMap::new();
        for incoming in &loaded {
            for resource in &incoming.resources {
                if let (Some(sha), None) = (&resource.image_sha256, &resource.data)
                    && !incoming
                        .stored
                        .image_sha256
                        .iter()
                        .flatten()
                        .any(|s| s == sha)
                    && let Some(bytes) = image_bytes(sha)
                {
                    stray.insert(sha.clone(), bytes);
                }
            }
        }
        let lookup = |sha: &str| stray.get(sha).cloned();
        let prepared: Vec<Result<(PreparedArticle, StoredArticle)>> = loaded
            .into_par_iter()
            .map(|incoming| prepare(path, incoming, &lookup))
            .collect();
        for item in prepared {
            let (prepared, stored) = item?;
            let found = versions::find_match(&tx, &prepared)?;
            let id = match found {
                Match::Same(existing) => {
                    report.duplicates += 1;
                    if stored.deleted_at.is_none() && trash::set_trashed(&tx, existing, false)? {
                        report.restored += 1;
                    }
                    if versions::keep_incoming(&tx, existing, &prepared)? {
                        report.copies_kept += 1;
                        versions::add_earlier(&tx, existing, &prepared)?;
                    }
                    existing
                }
                Match::SameAddressOnly(_) | Match::None => {
                    if matches!(found, Match::SameAddressOnly(_)) {
                        report.separate += 1;
                    }
                    let id = store::insert(&tx, &prepared)?;
                    tx.prepare_cached(
                        "UPDATE articles SET added_at = ?2, updated_at = ?3, deleted_at = ?4
                         WHERE id = ?1",
                    )?
                    .execute(params![
                        id.0,
                        stored.added_at,
                        stored.updated_at,
                        stored.deleted_at
                    ])?;
                    report.added += 1;
                    id
                }
            };
            // The copies the other file keeps of it come along as versions
            // (one this library holds already is not stored twice).
            for copy in read_kept(&src, stored.id, version)? {
                let (prepared, _) = prepare(path, copy, &image_bytes)?;
                if versions::keep_incoming(&tx, id, &prepared)? {
                    report.copies_kept += 1;
                    versions::add_earlier(&tx, id, &prepared)?;
                }
            }
            for edit in read_edits(&src, stored.id, version)? {
                // A correction this Folio would refuse is left out.
                match edits::merge_in(&tx, id, &edit) {
                    Ok(true) => report.edits_taken += 1,
                    Ok(false) => report.edits_kept_local += 1,
                    Err(LibraryError::InvalidEdit(_)) => {}
                    Err(err) => return Err(err.into()),
                }
            }
            merge_tags(&tx, id, &stored.tags, &colours, &mut report)?;
            merge_note(&tx, id, stored.note.as_deref(), &label, &mut report)?;
            let incoming = highlights::read_untrusted(&src, version, stored.id)?;
            report.highlights_added += highlights::merge_in(&tx, id, &incoming)?;
            reading::merge_state(&tx, id, &stored.reading)?;
            report.ids.push(id);
            done += 1;
            progress(&Progress {
                done,
                total: ids.len(),
                path: None,
            });
        }
    }
    report.collections_added = collections::merge(&tx, &incoming_collections)?;
    tx.commit()?;
    Ok(report)
}

/// Give article `id` the incoming tags, creating missing ones with their colour
/// (an existing tag keeps its colour, or takes the incoming one if it has none).
fn merge_tags(
    tx: &Connection,
    id: ArticleId,
    names: &[String],
    colours: &HashMap<String, Option<String>>,
    report: &mut MergeReport,
) -> Result<()> {
    for name in names {
        let colour = colours
            .get(name)
            .cloned()
            .flatten()
            .filter(|c| tags::valid_colour(c));
        match tags::merge_tag(tx, id, name, colour.as_deref())? {
            tags::MergedTag::Created => report.tags_added += 1,
            tags::MergedTag::OverLimits => {
                if !report.tags_refused.contains(name) {
                    report.tags_refused.push(name.clone());
                }
            }
            tags::MergedTag::Existing | tags::MergedTag::Empty => {}
        }
    }
    Ok(())
}

/// Keep both notes: the incoming one is appended under a line naming the file
/// it came from, unless the existing note already holds it.
fn merge_note(
    tx: &Connection,
    id: ArticleId,
    incoming: Option<&str>,
    label: &str,
    report: &mut MergeReport,
) -> Result<()> {
    let Some(incoming) = incoming.filter(|n| !n.trim().is_empty()) else {
        return Ok(());
    };
    match notes::note(tx, id)? {
        None => Ok(notes::set_note(tx, id, incoming)?),
        Some(existing) if existing.contains(incoming) => Ok(()),
        Some(existing) => {
            report.notes_appended += 1;
            let merged = format!(
                "{}\n\n---\n\n*Note merged from {label}:*\n\n{incoming}",
                existing.trim_end()
            );
            Ok(notes::set_note(tx, id, &merged)?)
        }
    }
}

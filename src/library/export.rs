//! Exporting articles as a standalone Folio library (the SQL of it; where
//! the file lands is `crate::export::target`'s).
//!
//! Promises:
//! * the exported file is a Folio library like any other (same schema,
//!   `application_id` and `user_version`), holding the chosen articles with
//!   their images, originals and resources, the tags they use (with colours),
//!   their source tags, notes and search rows; `Library::open` and a plain
//!   `sqlite3` both read it;
//! * nothing is ever half-written under the target name: the file is built
//!   in the temporary path that `crate::export::target` reserved next to the
//!   target and renamed into place there;
//! * nothing damaged is carried: before anything is written, every original,
//!   resource and image of the chosen articles is verified (the checks of
//!   `folio check`); damage is refused with [`LibraryError::Damaged`] naming
//!   the rows;
//! * a read-only library exports too (the new file's connection attaches the
//!   library read-only instead of the library attaching the new file).
//!
//! The copy runs inside SQLite (`ATTACH` + `INSERT … SELECT`), a chunk of
//! articles at a time, so no article is decoded in Rust and the full-text
//! index of the new file is filled by its own triggers.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Connection;

use super::error::LibraryError;
use super::types::{ArticleId, Progress};
use super::{check, schema};

/// Why an export wrote nothing (every export is all or nothing).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The target exists and replacing it was not asked for.
    #[error("{0} exists already; refusing to overwrite it")]
    TargetExists(PathBuf),
    /// Replacing was asked for, but what is at the target is not an earlier
    /// export of the same kind that Folio wrote: it is never replaced.
    #[error(
        "{path} was not written by a Folio {kind} export ({reason}); Folio replaces only \
         its own earlier exports: choose another target or move it away"
    )]
    NotReplaceable {
        /// The export's target.
        path: PathBuf,
        /// The kind of export asked for (`SQLite`, `Markdown`, …).
        kind: &'static str,
        /// What was found there instead.
        reason: String,
    },
    /// The target is the library being exported, or a folder holding it.
    #[error(
        "{path} {} the library being exported; choose another target",
        if *holds { "holds" } else { "is" }
    )]
    OwnLibrary {
        /// The export's target.
        path: PathBuf,
        /// True when the target is a folder holding the library.
        holds: bool,
    },
    /// The target's folder does not exist.
    #[error("the folder {0} does not exist")]
    NoFolder(PathBuf),
    /// The target's path cannot be given to SQLite.
    #[error("{0} is not a UTF-8 path")]
    NotUtf8(PathBuf),
    /// The export was cancelled; nothing was written.
    #[error("cancelled; nothing was written")]
    Cancelled,
    /// Reading the library failed, or its data is damaged.
    #[error(transparent)]
    Library(#[from] LibraryError),
    /// Writing the export failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for ExportError {
    fn from(err: rusqlite::Error) -> Self {
        Self::Library(err.into())
    }
}

/// The result of an export step.
pub type Result<T, E = ExportError> = std::result::Result<T, E>;

/// Articles copied per statement round (progress is reported after each).
const CHUNK: usize = 250;

/// The schema name the export file is attached under.
const ATTACHED: &str = "folio_export";

/// The schema name a read-only library is attached under by the export
/// file's own connection.
const SOURCE: &str = "folio_source";

/// One export: which articles, where to, and how to report and stop. Every
/// export function takes one (instead of the same five arguments each).
#[derive(Clone, Copy)]
pub struct ExportJob<'a> {
    /// The articles, in order (live or trashed; unknown ids are skipped).
    pub ids: &'a [ArticleId],
    /// The target file or folder.
    pub out: &'a Path,
    /// Replace an earlier export of the same kind at `out` (see `crate::export::target`).
    pub overwrite: bool,
    /// Called after each article or chunk of articles.
    pub progress: &'a dyn Fn(&Progress),
    /// Set to stop with [`ExportError::Cancelled`]; nothing is left under `out`.
    pub cancel: &'a AtomicBool,
}

impl<'a> ExportJob<'a> {
    /// A job with no progress reports that is never cancelled (tests, scripts).
    pub fn new(ids: &'a [ArticleId], out: &'a Path, overwrite: bool) -> Self {
        static NEVER: AtomicBool = AtomicBool::new(false);
        Self {
            ids,
            out,
            overwrite,
            progress: &|_| {},
            cancel: &NEVER,
        }
    }
}

impl std::fmt::Debug for ExportJob<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportJob")
            .field("ids", &self.ids.len())
            .field("out", &self.out)
            .field("overwrite", &self.overwrite)
            .finish_non_exhaustive()
    }
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// Articles written.
    pub articles: usize,
    /// Distinct images written (SQLite exports and image folders).
    pub images: usize,
}

/// One copy step: a table, its columns, and which rows belong to a chunk of
/// articles (`{C}` is replaced by the chunk's id subquery).
struct Copy {
    table: &'static str,
    columns: &'static str,
    condition: &'static str,
    /// `OR IGNORE`: rows shared between articles (images, tags) come once.
    shared: bool,
}

/// The tables in foreign-key order (`{S}` stands for the source's schema
/// name). `settings` is the user's own and not exported; `search_fts` is
/// filled by the new file's triggers. Every collection (saved search) goes
/// with any export: a query is not tied to the articles it finds today.
const COPIES: &[Copy] = &[
    Copy {
        table: "images",
        columns: "id, sha256, mime, width, height, size, bytes, thumbnail, thumbnail_mime",
        condition: "sha256 IN (SELECT image_sha256 FROM {S}.article_images WHERE article_id IN {C}
                    UNION SELECT image_sha256 FROM {S}.original_resources WHERE article_id IN {C}
                    UNION SELECT i.image_sha256 FROM {S}.version_images i
                          JOIN {S}.article_versions v ON v.id = i.version_id
                          WHERE v.article_id IN {C}
                    UNION SELECT r.image_sha256 FROM {S}.version_resources r
                          JOIN {S}.article_versions v ON v.id = r.version_id
                          WHERE v.article_id IN {C})",
        shared: true,
    },
    Copy {
        table: "tags",
        columns: "id, name, colour",
        condition: "id IN (SELECT tag_id FROM {S}.article_tags WHERE article_id IN {C})",
        shared: true,
    },
    Copy {
        table: "articles",
        columns: "id, title, byline, editor, published, site, url, canonical_url, lang, excerpt, \
                  body_json, warnings_json, source_file, source_format, content_hash, added_at, \
                  updated_at, deleted_at, captured_at, captured_from",
        condition: "id IN {C}",
        shared: false,
    },
    Copy {
        table: "originals",
        columns: "article_id, compression, size, data",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "original_resources",
        columns: "id, article_id, name, size, image_sha256, data",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "article_images",
        columns: "id, article_id, position, image_sha256, src, full_src, alt, caption, credit",
        condition: "article_id IN {C}",
        shared: false,
    },
    // The copies kept besides the shown one (`store::versions`).
    Copy {
        table: "article_versions",
        columns: "id, article_id, title, byline, editor, published, site, url, canonical_url, \
                  lang, excerpt, body_json, warnings_json, source_file, source_format, \
                  content_hash, imported_at, kept_at, original_compression, original_size, \
                  original_data, captured_at, captured_from",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "version_resources",
        columns: "id, version_id, name, size, image_sha256, data",
        condition: "version_id IN (SELECT id FROM {S}.article_versions WHERE article_id IN {C})",
        shared: false,
    },
    Copy {
        table: "version_images",
        columns: "id, version_id, position, image_sha256, src, full_src, alt, caption, credit",
        condition: "version_id IN (SELECT id FROM {S}.article_versions WHERE article_id IN {C})",
        shared: false,
    },
    Copy {
        table: "article_edits",
        columns: "article_id, field, value, extracted, edited_at",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "article_sightings",
        columns: "id, article_id, content_hash, source_file, source_format, first_seen_at, \
                  last_seen_at, times",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "article_tags",
        columns: "id, article_id, tag_id",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "source_tags",
        columns: "id, article_id, position, name",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "notes",
        columns: "article_id, body, created_at, updated_at",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "search_text",
        columns: "article_id, title, body, notes, comments, earlier",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "highlights",
        columns: "id, article_id, colour, comment, exact, prefix, suffix, start_char, end_char, \
                  block_hint, orphan, created_at, updated_at",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "reading_state",
        columns: "article_id, read_at, starred, position",
        condition: "article_id IN {C}",
        shared: false,
    },
    Copy {
        table: "collections",
        columns: "id, name, query, created_at",
        // All of them, with the first chunk (`?1`..`?2` are its sequence numbers).
        condition: "?1 = 1 AND ?2 >= ?1",
        shared: true,
    },
];

/// The subquery naming the articles of the current chunk.
const CHUNK_IDS: &str = "(SELECT id FROM temp.folio_export_ids WHERE seq BETWEEN ?1 AND ?2)";

/// Create a fresh, empty library at `path` (not WAL: the file stands alone).
fn create_empty_library(path: &Path) -> Result<()> {
    let mut conn = Connection::open(path)?;
    schema::migrate(&mut conn)?;
    conn.pragma_update(None, "journal_mode", "delete")?;
    Ok(())
}

/// `path` as a string SQLite takes as a plain file name (never as a URI).
fn sqlite_file_name(path: &Path) -> Result<String> {
    let name = path
        .to_str()
        .ok_or_else(|| ExportError::NotUtf8(path.to_owned()))?;
    Ok(if name.starts_with("file:") {
        format!("./{name}")
    } else {
        name.to_owned()
    })
}

/// Export `job.ids` from the library on `conn` into `into`, a new file that
/// [`crate::export`] reserved beside `job.out` and publishes once this
/// returns (`job.out` itself is not touched here). `library` is the
/// library's file, `read_only` whether `conn` may write.
pub(crate) fn export_sqlite(
    conn: &Connection,
    library: Option<&Path>,
    read_only: bool,
    job: &ExportJob<'_>,
    into: &Path,
) -> Result<ExportReport> {
    let ExportJob {
        ids,
        progress,
        cancel,
        ..
    } = *job;
    create_empty_library(into)?;
    let report = verified_copy(conn, library, ids, cancel, |stop| match library {
        // A read-only connection cannot write an attached file: the new
        // file's own connection attaches the library, read-only, instead.
        Some(library) if read_only => {
            let export = Connection::open(into)?;
            export.execute(
                &format!("ATTACH DATABASE ?1 AS {SOURCE}"),
                [schema::read_only_uri(library)?],
            )?;
            let report = copy_into_attached(&export, SOURCE, "main", ids, progress, stop)?;
            export.execute_batch(&format!("DETACH DATABASE {SOURCE};"))?;
            export.close().map_err(|(_, err)| ExportError::from(err))?;
            Ok(report)
        }
        // The library's connection attaches the new file and copies into it.
        _ => {
            conn.execute(
                &format!("ATTACH DATABASE ?1 AS {ATTACHED}"),
                [sqlite_file_name(into)?],
            )?;
            let copied = copy_into_attached(conn, "main", ATTACHED, ids, progress, stop);
            // Always detach and drop the id table, also after an error.
            let cleanup = conn.execute_batch(&format!(
                "DROP TABLE IF EXISTS temp.folio_export_ids; DETACH DATABASE {ATTACHED};"
            ));
            let report = copied?;
            cleanup?;
            Ok(report)
        }
    })?;
    std::fs::File::open(into)?.sync_all()?;
    Ok(report)
}

/// Run `copy` only as far as nothing damaged is carried: every original,
/// resource and image of `ids` is verified (`check::damaged_rows`) and a
/// damaged one fails the export, naming it, before anything is published.
/// For a library file the verification runs on a read-only connection of
/// its own while the copy runs (the two overlap on two cores), and damage
/// stops the copy; an in-memory library is verified first. `copy` is given
/// the test to stop by: the user's cancel, or damage found.
fn verified_copy(
    conn: &Connection,
    library: Option<&Path>,
    ids: &[ArticleId],
    cancel: &AtomicBool,
    copy: impl FnOnce(&dyn Fn() -> bool) -> Result<ExportReport>,
) -> Result<ExportReport> {
    let Some(library) = library else {
        check::refuse_damaged(conn, ids, true)?;
        return copy(&|| cancel.load(Ordering::Relaxed));
    };
    let found = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let verifier = std::thread::Builder::new()
            .name("folio-export-verify".to_owned())
            .spawn_scoped(
                scope,
                || -> std::result::Result<Vec<String>, LibraryError> {
                    let reader = Connection::open_with_flags(
                        schema::read_only_uri(library)?,
                        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                            | rusqlite::OpenFlags::SQLITE_OPEN_URI
                            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    reader.busy_timeout(schema::BUSY_TIMEOUT)?;
                    let rows = check::damaged_rows(&reader, "main", ids, true)?;
                    if !rows.is_empty() {
                        found.store(true, Ordering::Relaxed);
                    }
                    Ok(rows)
                },
            )?;
        let copied = copy(&|| cancel.load(Ordering::Relaxed) || found.load(Ordering::Relaxed));
        let rows = verifier.join().map_err(|_| {
            ExportError::Library(LibraryError::Corrupt(
                "verifying the export's rows failed unexpectedly (a bug in Folio)".to_owned(),
            ))
        })??;
        if rows.is_empty() {
            copied
        } else {
            Err(check::export_refusal(&rows).into())
        }
    })
}

/// Copy `ids` from the schema `src` to the schema `dst` (one of them attached) on `conn`.
fn copy_into_attached(
    conn: &Connection,
    src: &str,
    dst: &str,
    ids: &[ArticleId],
    progress: &dyn Fn(&Progress),
    stop: &dyn Fn() -> bool,
) -> Result<ExportReport> {
    // The file is renamed into place only when complete: no journal needed.
    conn.execute_batch(&format!(
        "PRAGMA {dst}.journal_mode = OFF; PRAGMA {dst}.synchronous = OFF;
         CREATE TEMP TABLE IF NOT EXISTS folio_export_ids (seq INTEGER PRIMARY KEY, id INTEGER NOT NULL UNIQUE);
         DELETE FROM temp.folio_export_ids;"
    ))?;
    {
        let mut stmt =
            conn.prepare("INSERT OR IGNORE INTO temp.folio_export_ids (id) VALUES (?1)")?;
        for id in ids {
            stmt.execute([id.0])?;
        }
    }
    let seqs: i64 = conn.query_row(
        "SELECT coalesce(max(seq), 0) FROM temp.folio_export_ids",
        [],
        |row| row.get(0),
    )?;
    let statements: Vec<String> = COPIES
        .iter()
        .map(|c| {
            format!(
                "INSERT {} INTO {dst}.{table} ({columns}) SELECT {columns} FROM {src}.{table} WHERE {}",
                if c.shared { "OR IGNORE" } else { "" },
                c.condition.replace("{C}", CHUNK_IDS).replace("{S}", src),
                table = c.table,
                columns = c.columns,
            )
        })
        .collect();
    let tx = conn.unchecked_transaction()?;
    let total = ids.len();
    let mut report = ExportReport::default();
    let chunk = i64::try_from(CHUNK).unwrap_or(i64::MAX);
    let mut from = 1;
    while from <= seqs {
        if stop() {
            return Err(ExportError::Cancelled);
        }
        let to = from + chunk - 1;
        for (copy, sql) in COPIES.iter().zip(&statements) {
            let n = tx.prepare_cached(sql)?.execute([from, to])?;
            if copy.table == "articles" {
                report.articles += n;
            }
        }
        progress(&Progress {
            done: usize::try_from(to.min(seqs)).unwrap_or(total).min(total),
            total,
            path: None,
        });
        from = to + 1;
    }
    let images: i64 = tx.query_row(&format!("SELECT count(*) FROM {dst}.images"), [], |row| {
        row.get(0)
    })?;
    report.images = usize::try_from(images).unwrap_or(0);
    tx.commit()?;
    conn.execute_batch(&format!("PRAGMA {dst}.journal_mode = DELETE"))?;
    Ok(report)
}

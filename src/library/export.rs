//! Exporting articles as a standalone Folio library, and writing any export
//! atomically.
//!
//! Promises:
//! * the exported file is a Folio library like any other (same schema,
//!   `application_id` and `user_version`), holding the chosen articles with
//!   their images, originals and resources, the tags they use (with colours),
//!   their source tags, notes and search rows; `Library::open` and a plain
//!   `sqlite3` both read it;
//! * nothing is ever half-written under the target name: every export is
//!   built in a temporary file or folder next to the target ([`TempTarget`])
//!   and renamed into place at the end; an existing target is replaced only
//!   when asked to;
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
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rusqlite::Connection;

use super::{ArticleId, ImportProgress, LibraryError, Result, check, schema};

/// Articles copied per statement round (progress is reported after each).
const CHUNK: usize = 250;

/// The schema name the export file is attached under.
const ATTACHED: &str = "folio_export";

/// The schema name a read-only library is attached under by the export
/// file's own connection.
const SOURCE: &str = "folio_source";

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// Articles written.
    pub articles: usize,
    /// Distinct images written (SQLite exports and image folders).
    pub images: usize,
}

/// A temporary file or folder next to an export's target, renamed into place
/// by [`TempTarget::publish`] and deleted when dropped unpublished (an error,
/// a cancel or a panic).
#[derive(Debug)]
pub struct TempTarget {
    target: PathBuf,
    temp: PathBuf,
    overwrite: bool,
    published: bool,
}

/// Makes temporary names unique within this process.
static TEMP_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A hidden sibling of `target` named for `what` (`partial`, `old`).
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{name}.folio-{what}-{}-{n}", std::process::id()))
}

/// True when something (a file, folder or link) is at `path`.
fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// Remove a file, link or folder tree at `path`.
fn remove_any(path: &Path) -> std::io::Result<()> {
    match path.symlink_metadata() {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err),
    }
}

impl TempTarget {
    /// Reserve a temporary path next to `target`. Fails with
    /// [`LibraryError::TargetExists`] when `target` exists and `overwrite` is
    /// false, before anything is written.
    pub fn new(target: &Path, overwrite: bool) -> Result<Self> {
        if !overwrite && exists(target) {
            return Err(LibraryError::TargetExists(target.to_owned()));
        }
        if let Some(parent) = target.parent()
            && !parent.as_os_str().is_empty()
            && !parent.is_dir()
        {
            return Err(LibraryError::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("the folder {} does not exist", parent.display()),
            )));
        }
        Ok(Self {
            target: target.to_owned(),
            temp: sibling(target, "partial"),
            overwrite,
            published: false,
        })
    }

    /// Where to write: a path that does not exist yet, in the target's folder.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Rename the finished temporary file or folder to the target, replacing
    /// an existing target only when `overwrite` was given.
    pub fn publish(mut self) -> Result<()> {
        if exists(&self.target) {
            if !self.overwrite {
                return Err(LibraryError::TargetExists(self.target.clone()));
            }
            // A folder cannot be renamed over another: move the old one aside first.
            let old = sibling(&self.target, "old");
            std::fs::rename(&self.target, &old)?;
            if let Err(err) = std::fs::rename(&self.temp, &self.target) {
                if let Err(back) = std::fs::rename(&old, &self.target) {
                    log::error!(
                        "could not put {} back after a failed export: {back}",
                        self.target.display()
                    );
                }
                return Err(err.into());
            }
            self.published = true;
            if let Err(err) = remove_any(&old) {
                log::warn!("could not remove the replaced {}: {err}", old.display());
            }
        } else {
            std::fs::rename(&self.temp, &self.target)?;
            self.published = true;
        }
        // Make the rename itself durable (not possible on every platform).
        if let Some(parent) = self.target.parent()
            && let Ok(dir) = std::fs::File::open(if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            })
        {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Drop for TempTarget {
    fn drop(&mut self) {
        if !self.published
            && let Err(err) = remove_any(&self.temp)
        {
            log::warn!(
                "could not remove the unfinished export {}: {err}",
                self.temp.display()
            );
        }
    }
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
/// filled by the new file's triggers.
const COPIES: &[Copy] = &[
    Copy {
        table: "images",
        columns: "id, sha256, mime, width, height, size, bytes, thumbnail, thumbnail_mime",
        condition: "sha256 IN (SELECT image_sha256 FROM {S}.article_images WHERE article_id IN {C}
                    UNION SELECT image_sha256 FROM {S}.original_resources WHERE article_id IN {C})",
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
                  updated_at, deleted_at",
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
        columns: "article_id, title, body, notes",
        condition: "article_id IN {C}",
        shared: false,
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
    let name = path.to_str().ok_or_else(|| {
        LibraryError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is not a UTF-8 path", path.display()),
        ))
    })?;
    Ok(if name.starts_with("file:") {
        format!("./{name}")
    } else {
        name.to_owned()
    })
}

/// Export `ids` from the library on `conn` to `out`. `read_only_library` is
/// the library's file when `conn` is read-only.
pub(crate) fn export_sqlite(
    conn: &Connection,
    read_only_library: Option<&Path>,
    ids: &[ArticleId],
    out: &Path,
    overwrite: bool,
    progress: &dyn Fn(&ImportProgress),
    cancel: &AtomicBool,
) -> Result<ExportReport> {
    let target = TempTarget::new(out, overwrite)?;
    // Nothing damaged is carried, and nothing is written when something is.
    let damaged = check::damaged_rows(conn, "main", ids, true)?;
    if !damaged.is_empty() {
        return Err(LibraryError::Damaged {
            action: "export",
            rows: check::name_rows(&damaged),
        });
    }
    create_empty_library(target.path())?;
    let report = match read_only_library {
        // The library's connection attaches the new file and copies into it.
        None => {
            conn.execute(
                &format!("ATTACH DATABASE ?1 AS {ATTACHED}"),
                [sqlite_file_name(target.path())?],
            )?;
            let copied = copy_into_attached(conn, "main", ATTACHED, ids, progress, cancel);
            // Always detach and drop the id table, also after an error.
            let cleanup = conn.execute_batch(&format!(
                "DROP TABLE IF EXISTS temp.folio_export_ids; DETACH DATABASE {ATTACHED};"
            ));
            let report = copied?;
            cleanup?;
            report
        }
        // A read-only connection cannot write an attached file: the new
        // file's own connection attaches the library, read-only, instead.
        Some(library) => {
            let export = Connection::open(target.path())?;
            export.execute(
                &format!("ATTACH DATABASE ?1 AS {SOURCE}"),
                [schema::read_only_uri(library)?],
            )?;
            let report = copy_into_attached(&export, SOURCE, "main", ids, progress, cancel)?;
            export.execute_batch(&format!("DETACH DATABASE {SOURCE};"))?;
            export
                .close()
                .map_err(|(_, err)| LibraryError::Sqlite(err))?;
            report
        }
    };
    std::fs::File::open(target.path())?.sync_all()?;
    target.publish()?;
    Ok(report)
}

/// Copy `ids` from the schema `src` to the schema `dst` (one of them attached) on `conn`.
fn copy_into_attached(
    conn: &Connection,
    src: &str,
    dst: &str,
    ids: &[ArticleId],
    progress: &dyn Fn(&ImportProgress),
    cancel: &AtomicBool,
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
        if cancel.load(Ordering::Relaxed) {
            return Err(LibraryError::Cancelled);
        }
        let to = from + chunk - 1;
        for (copy, sql) in COPIES.iter().zip(&statements) {
            let n = tx.prepare_cached(sql)?.execute([from, to])?;
            if copy.table == "articles" {
                report.articles += n;
            }
        }
        progress(&ImportProgress {
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

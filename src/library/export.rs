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

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rusqlite::Connection;

use super::{ArticleId, LibraryError, Progress, check, schema};

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
    /// Replace an earlier export of the same kind at `out` ([`TempTarget`]).
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

/// What an export writes at its target, so that `overwrite` replaces only
/// an earlier export of the same kind that Folio itself wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// A standalone Folio library (an SQLite file with Folio's `application_id`).
    Library,
    /// A folder of files named for the format (`Markdown`, `HTML`), marked
    /// by [`FOLDER_MARKER`] with the list of files written into it.
    Folder(&'static str),
    /// A JSON Lines file of articles (every line an object with an `id`).
    Lines,
}

impl TargetKind {
    /// The kind's name in messages.
    fn name(self) -> &'static str {
        match self {
            Self::Library => "SQLite",
            Self::Folder(name) => name,
            Self::Lines => "JSONL",
        }
    }
}

/// The file in every exported folder that says Folio wrote it: the format
/// and every file written, so a later `--force` can tell that nothing else
/// was added since.
pub const FOLDER_MARKER: &str = ".folio-export.json";

/// The first bytes of every SQLite file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// A temporary file or folder next to an export's target, renamed into place
/// by [`TempTarget::publish`] and deleted when dropped unpublished (an error,
/// a cancel or a panic).
///
/// Nothing that Folio did not write is ever replaced: an existing target is
/// replaced only when `overwrite` is given *and* it is an earlier export of
/// the same [`TargetKind`] (checked when reserving and again before the
/// rename).
#[derive(Debug)]
pub struct TempTarget {
    target: PathBuf,
    temp: PathBuf,
    overwrite: bool,
    kind: TargetKind,
    published: bool,
}

/// Makes temporary names unique within this process.
static TEMP_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The two kinds of hidden siblings an export makes.
const PARTIAL: &str = "partial";
const OLD: &str = "old";

/// A hidden sibling of `target` named for `what` ([`PARTIAL`], [`OLD`]).
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{name}.folio-{what}-{}-{n}", std::process::id()))
}

/// A hidden sibling's parts, if `file_name` is one: the target's name, what
/// it is ([`PARTIAL`] or [`OLD`]) and the process that made it.
fn parse_sibling(file_name: &str) -> Option<(&str, &'static str, u32)> {
    let rest = file_name.strip_prefix('.')?;
    for what in [PARTIAL, OLD] {
        let marker = format!(".folio-{what}-");
        if let Some(at) = rest.rfind(&marker) {
            let (name, tail) = (&rest[..at], &rest[at + marker.len()..]);
            let (pid, n) = tail.split_once('-')?;
            if name.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.is_empty() {
                return None;
            }
            return Some((name, what, pid.parse().ok()?));
        }
    }
    None
}

/// Whether the process that made a hidden sibling has gone, so the sibling
/// is left over from an interrupted export. Where processes cannot be looked
/// up (no `/proc`), a sibling a day old counts as left over.
fn left_over(path: &Path, pid: u32) -> bool {
    if pid == std::process::id() {
        return false; // this process may be writing it right now
    }
    let proc = Path::new("/proc");
    if proc.is_dir() {
        return !proc.join(pid.to_string()).exists();
    }
    path.symlink_metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > std::time::Duration::from_secs(24 * 3600))
}

/// Clear what interrupted exports left in `dir`: hidden partial files and
/// folders of Folio's own naming whose process has gone are removed, and a
/// target moved aside for replacing (`.NAME.folio-old-…`) is put back when
/// the replacement never arrived, else removed. Returns what was removed or
/// put back. Nothing else is touched.
pub fn remove_stale_partials(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut cleared = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some((name, what, pid)) = file_name.to_str().and_then(parse_sibling) else {
            continue;
        };
        let path = entry.path();
        if !left_over(&path, pid) {
            continue;
        }
        let target = dir.join(name);
        let result = if what == OLD && !exists(&target) {
            std::fs::rename(&path, &target)
        } else {
            remove_any(&path)
        };
        match result {
            Ok(()) => cleared.push(path),
            Err(err) => log::warn!("could not clear {}: {err}", path.display()),
        }
    }
    cleared.sort();
    cleared
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

/// Why what is at `target` is not an earlier export of `kind`, or `None`
/// when it is one (and may be replaced).
fn not_our_export(target: &Path, kind: TargetKind) -> Option<String> {
    let meta = match target.symlink_metadata() {
        Ok(meta) => meta,
        Err(err) => return Some(format!("it cannot be read: {err}")),
    };
    if meta.file_type().is_symlink() {
        return Some("it is a symbolic link".to_owned());
    }
    match kind {
        TargetKind::Library => {
            if !meta.is_file() {
                return Some("it is not a file".to_owned());
            }
            let mut header = [0u8; 100];
            let read = std::fs::File::open(target)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header));
            if read.is_err() || &header[..16] != SQLITE_MAGIC {
                return Some("it is not an SQLite file".to_owned());
            }
            let application_id =
                i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
            (application_id != schema::APPLICATION_ID)
                .then(|| "it is an SQLite file of another program".to_owned())
        }
        TargetKind::Lines => {
            if !meta.is_file() {
                return Some("it is not a file".to_owned());
            }
            let file = match std::fs::File::open(target) {
                Ok(file) => file,
                Err(err) => return Some(format!("it cannot be read: {err}")),
            };
            for (n, line) in std::io::BufRead::lines(std::io::BufReader::new(file)).enumerate() {
                let Ok(line) = line else {
                    return Some("it is not UTF-8 text".to_owned());
                };
                let value: Option<serde_json::Value> = serde_json::from_str(&line).ok();
                if !value.is_some_and(|v| v.get("id").is_some_and(serde_json::Value::is_i64)) {
                    return Some(format!("line {} is not an exported article", n + 1));
                }
            }
            None
        }
        TargetKind::Folder(format) => {
            if !meta.is_dir() {
                return Some("it is not a folder".to_owned());
            }
            let marker: Option<FolderMarker> = std::fs::read(target.join(FOLDER_MARKER))
                .ok()
                .and_then(|bytes| serde_json::from_slice(&bytes).ok());
            let Some(marker) = marker else {
                return Some(format!("it has no {FOLDER_MARKER}"));
            };
            if marker.format != format {
                return Some(format!("it is a {} export", marker.format));
            }
            let written: HashSet<&str> = marker.files.iter().map(String::as_str).collect();
            let mut found = Vec::new();
            if let Err(err) = files_under(target, Path::new(""), &mut found) {
                return Some(format!("it cannot be read: {err}"));
            }
            found
                .into_iter()
                .find(|f| f != FOLDER_MARKER && !written.contains(f.as_str()))
                .map(|f| format!("it holds {f}, which Folio did not write"))
        }
    }
}

/// The marker's contents.
#[derive(serde::Serialize, serde::Deserialize)]
struct FolderMarker {
    /// The format's name ([`TargetKind::Folder`]).
    format: String,
    /// Every file written, relative to the folder, with `/` separators.
    files: Vec<String>,
}

/// Every file and folder under `dir` (relative paths with `/`; folders end
/// in `/`), without following links.
fn files_under(root: &Path, rel: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(root.join(rel))? {
        let entry = entry?;
        let rel = rel.join(entry.file_name());
        let name = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type()?.is_dir() {
            out.push(format!("{name}/"));
            files_under(root, &rel, out)?;
        } else {
            out.push(name);
        }
    }
    Ok(())
}

/// Mark the finished export folder `dir` as Folio's own export of `format`,
/// listing everything in it.
pub fn mark_folder(dir: &Path, format: &'static str) -> Result<()> {
    let mut files = Vec::new();
    files_under(dir, Path::new(""), &mut files)?;
    files.sort();
    let marker = FolderMarker {
        format: format.to_owned(),
        files,
    };
    let json = serde_json::to_vec_pretty(&marker).map_err(std::io::Error::from)?;
    std::fs::write(dir.join(FOLDER_MARKER), json)?;
    Ok(())
}

impl TempTarget {
    /// Reserve a temporary path next to `target` for an export of `kind`,
    /// after clearing what interrupted exports left in its folder
    /// ([`remove_stale_partials`]). Fails before anything is written with
    /// [`ExportError::TargetExists`] when `target` exists and `overwrite`
    /// is false, and with [`ExportError::NotReplaceable`] when it exists
    /// but is not an earlier export of `kind`.
    pub fn new(target: &Path, overwrite: bool, kind: TargetKind) -> Result<Self> {
        if exists(target) {
            if !overwrite {
                return Err(ExportError::TargetExists(target.to_owned()));
            }
            if let Some(reason) = not_our_export(target, kind) {
                return Err(ExportError::NotReplaceable {
                    path: target.to_owned(),
                    kind: kind.name(),
                    reason,
                });
            }
        }
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(parent) = parent
            && !parent.is_dir()
        {
            return Err(ExportError::NoFolder(parent.to_owned()));
        }
        for cleared in remove_stale_partials(parent.unwrap_or(Path::new("."))) {
            log::info!(
                "cleared {}, left by an interrupted export",
                cleared.display()
            );
        }
        Ok(Self {
            target: target.to_owned(),
            temp: sibling(target, PARTIAL),
            overwrite,
            kind,
            published: false,
        })
    }

    /// Where to write: a path that does not exist yet, in the target's folder.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Rename the finished temporary file or folder to the target, replacing
    /// an existing target only when `overwrite` was given and it is still an
    /// earlier export of the same kind.
    pub fn publish(mut self) -> Result<()> {
        if exists(&self.target) {
            if !self.overwrite {
                return Err(ExportError::TargetExists(self.target.clone()));
            }
            if let Some(reason) = not_our_export(&self.target, self.kind) {
                return Err(ExportError::NotReplaceable {
                    path: self.target.clone(),
                    kind: self.kind.name(),
                    reason,
                });
            }
            // A folder cannot be renamed over another: move the old one aside first.
            let old = sibling(&self.target, OLD);
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
    // The copies kept besides the shown one (`store::versions`).
    Copy {
        table: "article_versions",
        columns: "id, article_id, title, byline, editor, published, site, url, canonical_url, \
                  lang, excerpt, body_json, warnings_json, source_file, source_format, \
                  content_hash, imported_at, kept_at, original_compression, original_size, \
                  original_data",
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
        columns: "article_id, title, body, notes, comments",
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

/// Export `ids` from the library on `conn` to `out`. `read_only_library` is
/// the library's file when `conn` is read-only.
pub(crate) fn export_sqlite(
    conn: &Connection,
    library: Option<&Path>,
    read_only: bool,
    job: &ExportJob<'_>,
) -> Result<ExportReport> {
    let ExportJob {
        ids,
        out,
        overwrite,
        progress,
        cancel,
    } = *job;
    let target = TempTarget::new(out, overwrite, TargetKind::Library)?;
    create_empty_library(target.path())?;
    let report = verified_copy(conn, library, ids, cancel, |stop| match library {
        // A read-only connection cannot write an attached file: the new
        // file's own connection attaches the library, read-only, instead.
        Some(library) if read_only => {
            let export = Connection::open(target.path())?;
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
                [sqlite_file_name(target.path())?],
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
    std::fs::File::open(target.path())?.sync_all()?;
    target.publish()?;
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

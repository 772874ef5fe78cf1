//! Where an export lands, written atomically: a hidden temporary file or
//! folder beside the target ([`TempTarget`]), renamed into place at the end
//! and removed when the export fails, is cancelled or panics; a target is
//! replaced only when it is an earlier export of the same kind that Folio
//! wrote ([`TargetKind`], the folder marker [`FOLDER_MARKER`]); partial files
//! an interrupted export left are cleared later ([`remove_stale_partials`]).
//!
//! Plain file-system work: no SQL (the library writes a standalone library
//! into the temporary path this module reserves).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::library::schema::APPLICATION_ID;
use crate::library::{ExportError, ExportResult as Result};

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
    /// A file of references in a format of [`crate::cite::Format`] that
    /// Folio writes (BibTeX entries, RIS records or a CSL-JSON array).
    References(crate::cite::Format),
    /// Highlights as Markdown or JSON-LD (`export::highlights`): never
    /// written over an existing file.
    Highlights,
}

impl TargetKind {
    /// The kind's name in messages.
    fn name(self) -> &'static str {
        match self {
            Self::Library => "SQLite",
            Self::Folder(name) => name,
            Self::Lines => "JSONL",
            Self::References(format) => format.name(),
            Self::Highlights => "highlights",
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
            (application_id != APPLICATION_ID)
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
        TargetKind::References(format) => {
            if !meta.is_file() {
                return Some("it is not a file".to_owned());
            }
            let Ok(text) = std::fs::read_to_string(target) else {
                return Some("it is not UTF-8 text".to_owned());
            };
            (!crate::cite::looks_written_by_folio(&text, format))
                .then(|| format!("it is not a {} file as Folio writes them", format.name()))
        }
        TargetKind::Highlights => Some("highlights are never written over a file".to_owned()),
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

//! Exporting stored articles as files for people and other programs: a
//! folder of Markdown files, a folder of self-contained HTML pages, JSON
//! Lines, references (BibTeX, RIS, CSL-JSON: [`references`]), or a
//! standalone SQLite library (whose rows
//! [`Library::export_sqlite_into`] writes, owning the SQL).
//!
//! This module reads [`StoredArticle`]s through the [`Library`] API only; it
//! holds no SQL. Every export is written next to its target and renamed into
//! place at the end ([`TempTarget`]), so an interrupted export never leaves a
//! half-written file or folder under the target's name.

mod folder;
pub mod highlights;
pub mod html;
pub mod jsonl;
pub mod markdown;
pub mod references;
pub mod target;

use std::path::Path;

use crate::library::{ExportJob, ExportReport, ExportResult as Result, Library};

pub use folder::{FileNames, PageEntry, file_stem, image_extension};
pub use target::{FOLDER_MARKER, TargetKind, TempTarget, mark_folder, remove_stale_partials};

/// The formats `folio export` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// A standalone Folio library (SQLite).
    #[default]
    Sqlite,
    /// A folder: one `.md` per article with YAML front matter, images beside.
    Markdown,
    /// A folder: `index.html` and one readable page per article, images beside.
    Html,
    /// One JSON object per article per line.
    Jsonl,
    /// One file of references: BibTeX, BibLaTeX, RIS or CSL-JSON
    /// ([`references`]; never [`crate::cite::Format::Text`]).
    References(crate::cite::Format),
}

/// Write the articles `job.ids` as a standalone Folio library at `job.out`:
/// built in a temporary file beside it ([`TempTarget`]) by
/// [`Library::export_sqlite_into`] and renamed into place at the end, so an
/// interrupted export never leaves a partial file under `out`. An existing
/// `out` is replaced only with `overwrite` and only when it is a Folio
/// library, else [`ExportError::TargetExists`] or
/// [`ExportError::NotReplaceable`].
pub fn export_sqlite(lib: &Library, job: &ExportJob<'_>) -> Result<ExportReport> {
    lib.refuse_own_file(job.out)?;
    let target = TempTarget::new(job.out, job.overwrite, TargetKind::Library)?;
    let report = lib.export_sqlite_into(job, target.path())?;
    target.publish()?;
    Ok(report)
}

/// The hidden partial files that interrupted exports left beside the
/// library `lib` (never when it may not be changed), cleared, each named in
/// a note for `folio check` to print.
pub fn clear_partials_beside(lib: &Library) -> Vec<String> {
    let Some(dir) = lib.path().and_then(Path::parent) else {
        return Vec::new();
    };
    if lib.is_read_only() {
        return Vec::new();
    }
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    remove_stale_partials(dir)
        .into_iter()
        .map(|cleared| {
            format!(
                "cleared {}, left by an interrupted export",
                cleared.display()
            )
        })
        .collect()
}

/// Export the articles `ids` in `format` to `out` (see [`ExportFormat`]).
/// A repeated id is written once, where it first appears.
///
/// Fails with [`ExportError::TargetExists`] when `out` exists and
/// `overwrite` is false, and with [`ExportError::Cancelled`] when `cancel`
/// is set; in both cases nothing is left under `out`'s name.
pub fn export(lib: &Library, format: ExportFormat, job: &ExportJob<'_>) -> Result<ExportReport> {
    lib.refuse_own_file(job.out)?;
    let ids = crate::library::unique_ids(job.ids);
    let job = &ExportJob { ids: &ids, ..*job };
    // The file formats carry images, not originals: a damaged image is
    // refused, named, before anything is written (sqlite checks its own;
    // references read each original for its hash, refusing a damaged one).
    if matches!(
        format,
        ExportFormat::Markdown | ExportFormat::Html | ExportFormat::Jsonl
    ) {
        lib.verify_for_export(job.ids, false)?;
    }
    match format {
        ExportFormat::Sqlite => export_sqlite(lib, job),
        ExportFormat::Markdown => markdown::export(lib, job),
        ExportFormat::Html => html::export(lib, job),
        ExportFormat::Jsonl => jsonl::export(lib, job),
        ExportFormat::References(format) => references::export(lib, format, job),
    }
}

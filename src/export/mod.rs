//! Exporting stored articles as files for people and other programs: a
//! folder of Markdown files, a folder of self-contained HTML pages, JSON
//! Lines, or a standalone SQLite library (whose rows
//! [`Library::export_sqlite_into`] writes, owning the SQL).
//!
//! This module reads [`StoredArticle`]s through the [`Library`] API only; it
//! holds no SQL. Every export is written next to its target and renamed into
//! place at the end ([`TempTarget`]), so an interrupted export never leaves a
//! half-written file or folder under the target's name.

pub mod html;
pub mod jsonl;
pub mod markdown;
pub mod target;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use crate::library::{
    ArticleId, ExportError, ExportJob, ExportReport, ExportResult as Result, Library, LibraryError,
    Progress, StoredArticle,
};
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
    // refused, named, before anything is written (sqlite checks its own).
    if format != ExportFormat::Sqlite {
        lib.verify_for_export(job.ids, false)?;
    }
    match format {
        ExportFormat::Sqlite => export_sqlite(lib, job),
        ExportFormat::Markdown => markdown::export(lib, job),
        ExportFormat::Html => html::export(lib, job),
        ExportFormat::Jsonl => jsonl::export(lib, job),
    }
}

/// Longest file name stem made from a title, in bytes (file systems allow 255).
const MAX_STEM_BYTES: usize = 100;

/// A file name stem from a title that is safe on Linux, macOS and Windows:
/// no separators, reserved or control characters, no leading dot, not a
/// reserved device name, at most [`MAX_STEM_BYTES`]; `article-ID` when
/// nothing is left.
pub fn file_stem(title: &str, id: ArticleId) -> String {
    let mut out = String::new();
    for c in title.chars() {
        let c = if c.is_control()
            || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        {
            '-'
        } else if c.is_whitespace() {
            ' '
        } else {
            c
        };
        if (c == ' ' || c == '-') && out.ends_with(c) {
            continue;
        }
        if out.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        out.push(c);
    }
    let trimmed = out.trim_matches(|c: char| c == ' ' || c == '.' || c == '-');
    if trimmed.is_empty() {
        return format!("article-{id}");
    }
    let base = trimmed
        .split('.')
        .next()
        .unwrap_or(trimmed)
        .trim()
        .to_ascii_uppercase();
    let reserved = matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit());
    if reserved {
        format!("_{trimmed}")
    } else {
        trimmed.to_owned()
    }
}

/// Hands out file names that differ ignoring case (`title`, `title (2)`, …).
#[derive(Debug, Default)]
pub struct FileNames {
    taken: HashSet<String>,
}

impl FileNames {
    /// Mark `name` as used (e.g. `index.html`).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_lowercase());
    }

    /// A new, unused file name for `title` with extension `ext`.
    pub fn unique(&mut self, title: &str, id: ArticleId, ext: &str) -> String {
        let stem = file_stem(title, id);
        let mut name = format!("{stem}.{ext}");
        let mut n = 2;
        while !self.taken.insert(name.to_lowercase()) {
            name = format!("{stem} ({n}).{ext}");
            n += 1;
        }
        name
    }
}

/// The file extension for an image MIME type.
pub fn image_extension(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" | "image/jpg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/bmp" => "bmp",
        "image/svg+xml" => "svg",
        "image/avif" => "avif",
        "image/x-icon" | "image/vnd.microsoft.icon" => "ico",
        _ => "bin",
    }
}

/// Writes each stored image once into `images/` of an export folder.
#[derive(Debug)]
struct ImageFolder {
    dir: PathBuf,
    written: HashSet<String>,
}

impl ImageFolder {
    fn new(root: &Path) -> Self {
        Self {
            dir: root.join("images"),
            written: HashSet::new(),
        }
    }

    /// Write the images of `stored` that have bytes; returns, for each body
    /// image in order, its path relative to the export folder.
    fn write(&mut self, stored: &StoredArticle) -> Result<Vec<Option<String>>> {
        let images = stored.article.images();
        let mut paths = Vec::with_capacity(images.len());
        for (image, sha) in images.iter().zip(
            stored
                .image_sha256
                .iter()
                .map(Option::as_deref)
                .chain(std::iter::repeat(None)),
        ) {
            let (Some(data), Some(sha)) = (&image.data, sha) else {
                paths.push(None);
                continue;
            };
            // The sha names the file: it must be plain hex, never a path.
            if !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                paths.push(None);
                continue;
            }
            let name = format!("{sha}.{}", image_extension(&data.mime));
            if self.written.insert(name.clone()) {
                std::fs::create_dir_all(&self.dir)?;
                std::fs::write(self.dir.join(&name), &data.bytes[..])?;
            }
            paths.push(Some(format!("images/{name}")));
        }
        Ok(paths)
    }
}

/// One written page, for an index.
#[derive(Clone, Debug)]
pub struct PageEntry {
    /// The file name inside the export folder.
    pub file: String,
    /// The article's title.
    pub title: String,
    /// Publication date.
    pub published: Option<String>,
    /// Site name.
    pub site: Option<String>,
    /// User tags.
    pub tags: Vec<String>,
}

/// Write one file per article into a new folder at `out` (atomically), with
/// images under `images/`. `render` turns an article and its image paths into
/// the page text; `finish` may add files (an index) given the pages written.
/// How one folder format writes its files.
struct FolderFormat<'a> {
    /// The pages' file extension (`md`, `html`).
    ext: &'static str,
    /// The format's name in messages and the folder marker.
    name: &'static str,
    /// File names the format writes itself (`index.html`).
    reserved: &'a [&'a str],
    /// An article and its image paths as the page text.
    render: &'a dyn Fn(&StoredArticle, &[Option<String>]) -> String,
    /// Adds files (an index) given the pages written.
    finish: &'a dyn Fn(&Path, &[PageEntry]) -> Result<()>,
}

fn export_folder(
    lib: &Library,
    job: &ExportJob<'_>,
    format: &FolderFormat<'_>,
) -> Result<ExportReport> {
    let FolderFormat {
        ext,
        name: format,
        reserved,
        render,
        finish,
    } = *format;
    let target = TempTarget::new(job.out, job.overwrite, TargetKind::Folder(format))?;
    let root = target.path().to_owned();
    std::fs::create_dir(&root)?;
    let mut names = FileNames::default();
    for name in reserved {
        names.reserve(name);
    }
    let mut images = ImageFolder::new(&root);
    let mut pages = Vec::with_capacity(job.ids.len());
    for_each_article(lib, job, |stored| {
        let paths = images.write(&stored)?;
        let file = names.unique(&stored.article.title, stored.id, ext);
        std::fs::write(root.join(&file), render(&stored, &paths))?;
        pages.push(PageEntry {
            file,
            title: stored.article.title.clone(),
            published: stored.article.published.clone(),
            site: stored.article.site.clone(),
            tags: stored.tags.clone(),
        });
        Ok(())
    })?;
    finish(&root, &pages)?;
    mark_folder(&root, format)?;
    let report = ExportReport {
        articles: pages.len(),
        images: images.written.len(),
    };
    target.publish()?;
    Ok(report)
}

/// Read the articles `ids` one by one and hand each to `write`, skipping
/// ids that no longer exist, reporting progress and stopping on `cancel`.
pub(crate) fn for_each_article(
    lib: &Library,
    job: &ExportJob<'_>,
    mut write: impl FnMut(StoredArticle) -> Result<()>,
) -> Result<()> {
    let ExportJob {
        ids,
        progress,
        cancel,
        ..
    } = *job;
    for (n, &id) in ids.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            return Err(ExportError::Cancelled);
        }
        match lib.article(id) {
            Ok(stored) => write(stored)?,
            Err(LibraryError::NoSuchArticle(_)) => continue,
            Err(err) => return Err(err.into()),
        }
        progress(&Progress {
            done: n + 1,
            total: ids.len(),
            path: None,
        });
    }
    Ok(())
}

/// An image's credit when it should be shown after the caption: the caption
/// does not already contain it.
pub(crate) fn credit_to_show(image: &crate::model::Image) -> Option<&str> {
    let credit = image.credit.as_deref()?;
    (!image.caption.as_deref().unwrap_or("").contains(credit)).then_some(credit)
}

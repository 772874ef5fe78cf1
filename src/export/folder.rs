//! What the folder and file exports share: safe, unique file names for
//! articles and images, the `images/` folder beside the pages, and the walk
//! over the chosen articles that every format writes from.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use super::target::{TargetKind, TempTarget, mark_folder};
use crate::library::{
    ArticleId, ExportError, ExportJob, ExportReport, ExportResult as Result, Library, LibraryError,
    Progress, StoredArticle, VersionInfo,
};

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

/// One page of a folder export: the article, its images' local paths, its
/// versions (listed when there are several).
pub(super) type RenderPage = dyn Fn(&StoredArticle, &[Option<String>], &[VersionInfo]) -> String;

/// Write one file per article into a new folder at `out` (atomically), with
/// images under `images/`. `render` turns an article and its image paths into
/// the page text; `finish` may add files (an index) given the pages written.
/// How one folder format writes its files.
pub(super) struct FolderFormat<'a> {
    /// The pages' file extension (`md`, `html`).
    pub(super) ext: &'static str,
    /// The format's name in messages and the folder marker.
    pub(super) name: &'static str,
    /// File names the format writes itself (`index.html`).
    pub(super) reserved: &'a [&'a str],
    /// An article and its image paths as the page text.
    pub(super) render: &'a RenderPage,
    /// Adds files (an index) given the pages written.
    pub(super) finish: &'a dyn Fn(&Path, &[PageEntry]) -> Result<()>,
}

pub(super) fn export_folder(
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
        // The other versions are listed, not written (the shown one is).
        let versions = if lib.version_count(stored.id)? > 1 {
            lib.versions(stored.id)?
        } else {
            Vec::new()
        };
        std::fs::write(root.join(&file), render(&stored, &paths, &versions))?;
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

/// One line per version of an article for an export's "Versions" section
/// (empty when it has one): number, which is written, when it was stored,
/// the file, and what it changed against the version before.
pub(super) fn version_lines(versions: &[VersionInfo]) -> Vec<String> {
    if versions.len() < 2 {
        return Vec::new();
    }
    versions
        .iter()
        .map(|v| {
            let mut changes = Vec::new();
            for (n, what) in [
                (v.inserted, "added"),
                (v.deleted, "removed"),
                (v.changed, "edited"),
            ] {
                if n > 0 {
                    changes.push(format!(
                        "{n} paragraph{} {what}",
                        if n == 1 { "" } else { "s" }
                    ));
                }
            }
            let against = if v.number == 1 {
                String::new()
            } else if changes.is_empty() {
                format!("; the same paragraphs as version {}", v.number - 1)
            } else {
                format!("; against version {}: {}", v.number - 1, changes.join(", "))
            };
            format!(
                "Version {}{}: stored {}, from {} ({}){against}",
                v.number,
                if v.shown { " (this text)" } else { "" },
                v.imported_at.get(..10).unwrap_or(&v.imported_at),
                v.source_file,
                v.source_format,
            )
        })
        .collect()
}

//! Expanding the paths a user gives (files, folders) into the saved pages to import.

use std::path::{Path, PathBuf};

use super::limits::MAX_FILES_PER_IMPORT;

/// File name extensions of saved pages (a folder import takes these; the
/// window's file dialog offers them).
pub const PAGE_EXTENSIONS: &[&str] = &[
    "html",
    "htm",
    "xhtml",
    "shtml",
    "mht",
    "mhtml",
    "webarchive",
    "md",
    "txt",
];

/// A path that could not be walked, with the reason.
#[derive(Clone, Debug)]
pub struct DiscoverError {
    /// The path.
    pub path: PathBuf,
    /// Why it was skipped.
    pub reason: String,
}

/// The saved pages under `paths`, sorted, plus the paths that could not be walked.
///
/// Files named explicitly are always included. Folders are walked recursively
/// (symlinks are not followed, so a loop cannot trap the walk); inside them
/// only files with a page extension count, and the resource folders of
/// "Save page, complete" (`NAME_files/`) are skipped.
pub fn discover_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<DiscoverError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut errors),
            Ok(_) => files.push(path.clone()),
            Err(err) => errors.push(DiscoverError {
                path: path.clone(),
                reason: err.to_string(),
            }),
        }
    }
    files.sort();
    files.dedup();
    files.truncate(MAX_FILES_PER_IMPORT);
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<DiscoverError>) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !is_resource_folder(entry));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && has_page_extension(entry.path()) => {
                files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(err) => errors.push(DiscoverError {
                path: err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_owned()),
                reason: err.to_string(),
            }),
        }
    }
}

fn is_resource_folder(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_dir()
        && entry.depth() > 0
        && entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.ends_with("_files") || name.starts_with('.'))
}

fn has_page_extension(path: &Path) -> bool {
    super::warc::is_web_archive(path)
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|ext| PAGE_EXTENSIONS.iter().any(|p| p.eq_ignore_ascii_case(ext)))
}

//! The sample articles shipped inside the binary (see `assets/SAMPLES.md`)
//! and where Folio keeps its files (the platform data directory). Used by
//! the window, its worker and the command line alike, so it lives below all
//! three.

use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// The file name of the sample shown first: the seed.
pub const FEATURED_TITLE: &str = "小米11系列屡曝质量问题 售后新政引不满";

/// Write the samples under `dir` (replacing older copies) and return the folder to import.
pub fn write_samples(dir: &Path) -> std::io::Result<PathBuf> {
    let root = dir.join("samples");
    for (rel, bytes) in SAMPLES {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
    }
    Ok(root)
}

/// Where Folio keeps its files: the platform data directory's `folio/`.
pub fn data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("folio")
}

/// The default library file.
pub fn default_library() -> PathBuf {
    data_dir().join("library.folio")
}

/// The sample library file (`folio --sample`).
pub fn sample_library() -> PathBuf {
    data_dir().join("sample.folio")
}

//! The eframe app (filled in with the GUI).

use std::path::PathBuf;
use std::process::ExitCode;

/// Open the window on a library.
pub fn run_gui(_library: Option<PathBuf>, _sample: bool) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the window is not built yet")
}

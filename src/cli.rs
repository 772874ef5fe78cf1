//! Headless subcommands over the same library API the GUI uses.
//!
//! This file is the CLI's table of contents and its entry points ([`run`],
//! [`files_to_open`], [`finish_output`]); the argument definitions are in
//! `cli/args.rs`, `folio extract` (which needs no library) and
//! [`render_text`] in `cli/extract.rs`, and the library subcommands in
//! `cli/commands.rs`, which use only [`crate::library::Library`], never SQL.

use std::path::PathBuf;
use std::process::ExitCode;

mod args;
mod cite;
mod commands;
mod extract;
mod fetch;
pub mod highlight;
mod organise;
mod original;
pub mod output;
mod progress;
mod settings;
mod versions;

pub use args::{
    CiteFormatArg, Cli, CollectionCommand, Command, ExportFormatArg, SortArg, TagCommand,
    query_args_escaped,
};
pub use extract::render_text;
use output::is_broken_pipe;

/// Run a subcommand and return the process exit code.
///
/// `library` is the `--library` path; without it the default library
/// ([`crate::samples::default_library`]) is used.
///
/// With `offline` (the `--offline` flag) no command makes a network request.
pub fn run(command: Command, library: Option<PathBuf>, offline: bool) -> anyhow::Result<ExitCode> {
    let result = match command {
        Command::Extract { json, files } => extract::extract_cmd(&files, json),
        command => commands::run(command, library, offline),
    };
    match result {
        // `folio list | head`: the reader went away; that is not a failure.
        Err(err) if is_broken_pipe(&err) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

/// Flush standard output at the end of a command: a failure (a full disk
/// under `folio list > file`) is an error; a closed pipe is not.
pub fn finish_output() -> anyhow::Result<()> {
    match output::stdout().flush() {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// The pages of `folio FILE…`, checked before any window opens: every path
/// must exist (a file or a folder), else nothing is opened and the error
/// names each missing path; a bare word that is no file is also said not to
/// be a command (`folio serch x`). Relative paths are made absolute.
pub fn files_to_open(files: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let missing: Vec<&PathBuf> = files.iter().filter(|p| !p.exists()).collect();
    if let Some(first) = missing.first() {
        let names: Vec<String> = missing.iter().map(|p| p.display().to_string()).collect();
        let word = first
            .to_str()
            .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        let hint = match word {
            Some(word) => format!(" (and `{word}` is not a command: see `folio --help`)"),
            None => String::new(),
        };
        anyhow::bail!(
            "cannot open {}: no such file or folder{hint}; nothing was imported",
            names.join(", ")
        );
    }
    files
        .iter()
        .map(|p| {
            std::path::absolute(p)
                .map_err(|err| anyhow::anyhow!("cannot open {}: {err}", p.display()))
        })
        .collect()
}

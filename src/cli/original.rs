//! `folio original ID [--version N] [--print-url]`: an article's saved
//! original shown as it was saved, served by `serve` until Ctrl+C.

use std::process::ExitCode;

use anyhow::Context as _;

use super::output::{self, terminal_safe};
use crate::library::{ArticleId, Library};
use crate::serve::Server;

/// Serve article `id` (version `version`, or the copy shown) and open it in
/// the system browser, or print its address with `print_url`.
pub(super) fn serve(
    lib: &Library,
    id: ArticleId,
    version: Option<usize>,
    print_url: bool,
) -> anyhow::Result<ExitCode> {
    // Say what is wrong (no such article, no original kept) before serving.
    let copy = lib.saved_copy(id, version)?;
    let path = lib
        .path()
        .context("a library held in memory cannot be served")?;
    let server = Server::start(path)?;
    let url = server.page_url(id, version);
    let mut err = output::stderr();
    if print_url {
        let mut out = output::stdout();
        writeln!(out, "{url}")?;
        out.flush()?;
    } else if let Err(reason) = webbrowser::open(&url) {
        writeln!(
            err,
            "folio: could not start a browser ({}); open this address yourself:\n{url}",
            terminal_safe(&reason.to_string())
        )?;
    }
    writeln!(
        err,
        "Showing article {id} ({}) as saved at {url}\n\
         Only this machine can open it; no script runs and nothing loads from the web.\n\
         Press Ctrl+C to stop.",
        terminal_safe(&copy.file_name)
    )?;
    err.flush()?;
    loop {
        std::thread::park();
    }
}

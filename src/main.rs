//! The `folio` binary: parse arguments, start logging, run the GUI or a command.
//!
//! Exit codes: what the command returns (0 success, 1 failure), 1 for any
//! error, 2 for a usage error (clap). An error is printed on standard error
//! as one escaped `folio: …` line; when even that cannot be written (standard
//! error closed or full) the exit code is still 1, never a panic. Standard
//! output is flushed at the end; a failed flush is an error too, except a
//! closed pipe (`folio list | head -1` exits 0 quietly).

use std::io::Write as _;
use std::process::ExitCode;

use folio::cli::{Cli, output};

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    output::init_logging("warn,html5ever=off");
    let cli = match Cli::try_parse_args() {
        Ok(cli) => cli,
        Err(err) => return usage_exit(&err),
    };
    let result = match cli.command {
        Some(command) => folio::cli::run(command, cli.library, cli.offline),
        // `folio FILE…` (from a file manager's "Open with"): checked first,
        // so a mistyped path is an error here, not an empty window.
        None => folio::cli::files_to_open(&cli.files).and_then(|files| {
            folio::app::run_gui(
                folio::app::Launch {
                    library: cli.library,
                    sample: cli.sample,
                    offline: cli.offline,
                    window_size: cli.window_size,
                    files,
                },
                started,
            )
        }),
    };
    let flushed = folio::cli::finish_output();
    match result.and_then(|code| flushed.map(|()| code)) {
        Ok(code) => code,
        Err(err) => {
            // Exit 1 whether or not the message could be written.
            let _ = output::report_error(&err);
            ExitCode::from(1)
        }
    }
}

/// Print clap's help, version or usage error and return its exit code (0
/// for help and version, 2 for a usage error); 1 instead of 0 when the text
/// could not be written (clap's own `exit` would ignore that).
fn usage_exit(err: &clap::Error) -> ExitCode {
    let code = u8::try_from(err.exit_code()).unwrap_or(1);
    match err.print().and_then(|()| std::io::stdout().flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitCode::from(code.max(1)),
        _ => ExitCode::from(code),
    }
}

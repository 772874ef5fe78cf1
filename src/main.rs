//! The `folio` binary: parse arguments, start logging, run the GUI or a command.

use std::process::ExitCode;

use folio::cli::Cli;

fn main() -> ExitCode {
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("warn,html5ever=off"),
    )
    .init();
    let cli = Cli::parse_args();
    let result = match cli.command {
        Some(command) => folio::cli::run(command, cli.library, cli.offline),
        None => folio::app::run_gui(
            cli.library,
            cli.sample,
            cli.offline,
            cli.window_size.as_deref(),
        ),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("folio: {err:#}");
            ExitCode::from(1)
        }
    }
}

//! Progress bars for long commands, drawn on standard error only when it is
//! a terminal (so scripts and pipes see none).

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::library::Progress;

/// A progress bar on stderr, drawn only when stderr is a terminal.
pub(super) fn progress_bar(what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    // The template is a constant known to be valid; fall back to the default style anyway.
    let style = ProgressStyle::with_template(
        "{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed}, {eta} left)",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Update `bar` from a library progress report.
pub(super) fn advance(bar: &ProgressBar, progress: &Progress) {
    bar.set_length(u64::try_from(progress.total).unwrap_or(u64::MAX));
    bar.set_position(u64::try_from(progress.done).unwrap_or(u64::MAX));
}

//! Everything the command line writes goes through here.
//!
//! Promises:
//!
//! - **No terminal escapes from the data.** Text for people is written with
//!   [`Out`]'s `write_fmt` (the [`out!`] and [`err!`] macros, or `writeln!`
//!   on [`stdout()`] / [`stderr()`]), which shows every C0 and C1 control
//!   character, DEL and every bidi override or isolate (U+202A–U+202E,
//!   U+2066–U+2069) visibly, as `\u{1b}` (`\r` as `\r`); only line breaks
//!   and tabs pass, because multi-line output (an article's body, a note)
//!   needs them. A single-line field (a title, a tag, a file name, a URL, an
//!   error reason) is passed through [`terminal_safe`] as well, which shows
//!   `\n` and `\t` too, so no field can start a line of its own. JSON is
//!   written with [`Out::json`]: serde escapes C0 controls, and here DEL,
//!   C1 controls and bidi controls are written as `\uXXXX` too (the same
//!   JSON value, only spelled safely).
//! - **A failed write is an error, never a panic.** Every write returns an
//!   [`io::Error`] that says which stream failed ("cannot write to standard
//!   output: …"); the command stops and `folio` exits with 1. The one
//!   exception is a closed pipe (`folio list | head -1`): the reader went
//!   away on purpose, so Folio stops writing and exits 0 without a message,
//!   as Unix filters do (see [`is_broken_pipe`]). `main` flushes standard
//!   output at the end and treats a failed flush the same way.
//! - **Logging and progress bars never panic either**: env_logger and
//!   indicatif drop what they cannot write.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::io::{self, Write as _};

/// Write one line of text to standard output, like `println!`, but returning
/// an [`io::Result`] instead of panicking, with control characters escaped
/// (see the module docs). Use with `?`.
macro_rules! out {
    ($($arg:tt)*) => {
        ::std::writeln!($crate::cli::output::stdout(), $($arg)*)
    };
}
pub(crate) use out;

/// Write one line of text to standard error, like `eprintln!`, but returning
/// an [`io::Result`] instead of panicking, with control characters escaped.
macro_rules! err {
    ($($arg:tt)*) => {
        ::std::writeln!($crate::cli::output::stderr(), $($arg)*)
    };
}
pub(crate) use err;

/// True for the characters a terminal may act on instead of showing: C0 and
/// C1 controls, DEL, and the bidi embeddings, overrides and isolates.
fn is_terminal_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with the characters `escape` picks replaced by a visible escape
/// (`\n`, `\t`, `\r`, else `\u{hex}`); borrowed when nothing needed escaping.
fn escape_where(s: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = s.find(&escape) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if !escape(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Writing to a String cannot fail.
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

/// One field for a line of terminal output: every control character
/// (line breaks and tabs included), DEL and bidi control shown as an escape
/// (`\u{1b}`, `\n`, …), so the field stays on its line and cannot move the
/// cursor, set the title, change colours or reorder the text around it.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    escape_where(s, is_terminal_control)
}

/// Multi-line text for the terminal: like [`terminal_safe`] but line breaks
/// and tabs are kept. Everything [`Out`] writes passes through this.
pub fn terminal_text(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c != '\n' && c != '\t' && is_terminal_control(c))
}

/// JSON text (from serde_json) with DEL, C1 controls and bidi controls
/// written as `\uXXXX`. serde_json already escapes C0 controls inside
/// strings (a raw line break is layout between tokens, kept); the others can
/// only occur inside strings, where the escape means the same character.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    let escape = |c: char| c >= '\u{7f}' && is_terminal_control(c);
    let Some(first) = json.find(escape) else {
        return Cow::Borrowed(json);
    };
    let mut out = String::with_capacity(json.len() + 16);
    out.push_str(&json[..first]);
    for c in json[first..].chars() {
        if escape(c) {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Which standard stream an [`Out`] writes to.
#[derive(Clone, Copy, Debug)]
enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    fn name(self) -> &'static str {
        match self {
            Self::Stdout => "standard output",
            Self::Stderr => "standard error",
        }
    }
}

/// A write to standard output or error that failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot write to {stream}: {cause}")]
pub struct WriteError {
    stream: &'static str,
    // Not a `source`: the message says it already, and `{:#}` would repeat it.
    cause: io::Error,
}

/// Writes text (escaped, see the module docs) or JSON to a standard stream,
/// returning every failure as an [`io::Error`] that names the stream; its
/// kind is the original one, so a closed pipe stays recognisable.
#[derive(Debug)]
pub struct Out {
    stream: Stream,
}

/// Standard output, for results.
pub fn stdout() -> Out {
    Out {
        stream: Stream::Stdout,
    }
}

/// Standard error, for errors and notices.
pub fn stderr() -> Out {
    Out {
        stream: Stream::Stderr,
    }
}

impl Out {
    /// Write formatted text with control characters escaped (keeps line
    /// breaks and tabs; see [`terminal_text`]). This is what `write!` and
    /// `writeln!` call.
    pub fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> io::Result<()> {
        match args.as_str() {
            Some(text) => self.write_raw(terminal_text(text).as_bytes()),
            None => self.write_raw(terminal_text(&args.to_string()).as_bytes()),
        }
    }

    /// Write `value` as JSON (pretty or on one line) and a line break.
    pub fn json(&mut self, value: &serde_json::Value, pretty: bool) -> io::Result<()> {
        let text = if pretty {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        }
        .map_err(io::Error::other)?;
        let mut text = json_safe(&text).into_owned();
        text.push('\n');
        self.write_raw(text.as_bytes())
    }

    /// Write bytes as they are.
    fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        let result = match self.stream {
            Stream::Stdout => io::stdout().lock().write_all(bytes),
            Stream::Stderr => io::stderr().lock().write_all(bytes),
        };
        result.map_err(|err| self.error(err))
    }

    /// Flush the stream (standard output is line-buffered).
    pub fn flush(&mut self) -> io::Result<()> {
        let result = match self.stream {
            Stream::Stdout => io::stdout().lock().flush(),
            Stream::Stderr => io::stderr().lock().flush(),
        };
        result.map_err(|err| self.error(err))
    }

    fn error(&self, source: io::Error) -> io::Error {
        io::Error::new(
            source.kind(),
            WriteError {
                stream: self.stream.name(),
                cause: source,
            },
        )
    }
}

/// True when `err` comes from writing to standard output or error through
/// [`Out`] after the reader went away (EPIPE, `folio list | head -1`), which
/// is not a failure. A broken pipe anywhere else (a library file, an
/// editor) is an ordinary error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<io::Error>().is_some_and(|e| {
            e.kind() == io::ErrorKind::BrokenPipe
                && e.get_ref().is_some_and(|inner| inner.is::<WriteError>())
        })
    })
}

/// Print `folio: ERROR` on standard error (escaped, on one line). Returns
/// false when even that could not be written; the caller exits with 1 all
/// the same.
pub fn report_error(err: &anyhow::Error) -> bool {
    let text = format!("{err:#}");
    writeln!(stderr(), "folio: {}", terminal_safe(&text)).is_ok()
}

/// Start logging to standard error (level from `RUST_LOG`, default
/// `default_filter`), with every message escaped by [`terminal_safe`]. A log
/// line that cannot be written is dropped (env_logger ignores write errors).
pub fn init_logging(default_filter: &str) {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default_filter))
        .format(|buf, record| {
            let line = log_line(&buf.timestamp(), record);
            writeln!(buf, "{line}")
        })
        .init();
}

/// One log line: `[TIME LEVEL TARGET] MESSAGE`, the target and message
/// escaped by [`terminal_safe`].
fn log_line(timestamp: &dyn fmt::Display, record: &log::Record<'_>) -> String {
    format!(
        "[{timestamp} {:<5} {}] {}",
        record.level(),
        terminal_safe(record.target()),
        terminal_safe(&record.args().to_string())
    )
}

/// Print a JSON value, pretty, to stdout (escaped, see [`Out::json`]).
pub fn print_json(value: &serde_json::Value) -> std::io::Result<()> {
    stdout().json(value, true)
}

/// ` (2 were in the trash already)`, or nothing when `n` is 0.
pub(super) fn unmoved_note(n: usize, state: &str) -> String {
    match n {
        0 => String::new(),
        1 => format!(" (1 was {state} already)"),
        n => format!(" ({n} were {state} already)"),
    }
}

/// "1 article" / "3 articles".
pub(super) fn articles_word(n: usize) -> String {
    if n == 1 {
        "1 article".to_owned()
    } else {
        format!("{n} articles")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_overrides() {
        assert_eq!(
            terminal_safe("\x1b]0;pwned\x07\x1b[31mRED"),
            "\\u{1b}]0;pwned\\u{7}\\u{1b}[31mRED"
        );
        assert_eq!(terminal_safe("a\nb\tc\rd\u{7f}"), "a\\nb\\tc\\rd\\u{7f}");
        assert_eq!(
            terminal_safe("x\u{9b}31m\u{202e}txt.exe\u{2066}"),
            "x\\u{9b}31m\\u{202e}txt.exe\\u{2066}"
        );
        assert!(matches!(terminal_safe("小米 plain"), Cow::Borrowed(_)));
        assert_eq!(terminal_text("a\n\tb\x1bc"), "a\n\tb\\u{1b}c");
    }

    #[test]
    fn log_lines_are_escaped() {
        let line = log_line(
            &"T",
            &log::Record::builder()
                .level(log::Level::Warn)
                .target("folio::x")
                .args(format_args!("could not remove {}", "out\x1b]0;x\x07\n.md"))
                .build(),
        );
        assert_eq!(
            line,
            "[T WARN  folio::x] could not remove out\\u{1b}]0;x\\u{7}\\n.md"
        );
    }

    #[test]
    fn json_escapes_stay_the_same_json() {
        let value = serde_json::json!({"t": "\x1b[31m\u{9b}\u{202e}\u{7f}x\ny"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = json_safe(&text);
        assert!(
            !safe.chars().any(|c| c != '\n' && is_terminal_control(c)),
            "{safe}"
        );
        assert!(safe.contains('\n'), "the layout keeps its line breaks");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}

//! `folio cite` (citations of articles in a style or a reference format),
//! and references printed by `folio export --format bibtex|ris|… QUERY`
//! when no `--out` is given.

use std::process::ExitCode;

use super::output::{self, terminal_safe};
use crate::cite::{Format, Style, styles};
use crate::export::references::{chosen_style_name, cite_ids};
use crate::library::{ArticleId, Library};

/// `folio cite [--format F] [--style S] [--list-styles] ID…`.
pub(super) fn cite(
    lib: &Library,
    format: Format,
    style: Option<&str>,
    list_styles: bool,
    ids: &[ArticleId],
) -> anyhow::Result<ExitCode> {
    let mut out = output::stdout();
    if list_styles {
        for (name, title) in styles() {
            writeln!(out, "{name}\t{}", terminal_safe(title))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let name = style.map_or_else(|| chosen_style_name(lib), str::to_owned);
    let style = Style::by_name(&name)?;
    write!(out, "{}", cite_ids(lib, ids, format, &style)?)?;
    Ok(ExitCode::SUCCESS)
}

/// The references of `ids` in `format`, printed (an export without `--out`).
pub(super) fn print_references(
    lib: &Library,
    ids: &[ArticleId],
    format: Format,
) -> anyhow::Result<ExitCode> {
    let style = Style::by_name(&chosen_style_name(lib))?;
    write!(output::stdout(), "{}", cite_ids(lib, ids, format, &style)?)?;
    Ok(ExitCode::SUCCESS)
}

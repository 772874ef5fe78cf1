//! `folio highlight add|rm|comment` and `folio highlights`: highlights from
//! the command line, over the same [`Library`] API the reader uses.
//!
//! `add` finds `--quote` in the article's canonical text
//! ([`crate::model::canonical`]) as typed (exact, case-sensitive); a quote
//! found nowhere, or more than once without `--occurrence`, is an error that
//! says so, and nothing is written. `highlights --json` prints W3C Web
//! Annotations and `--format markdown` quotes with citations
//! ([`crate::export::highlights`]).

use std::process::ExitCode;

use super::output::{self, out, print_json, terminal_safe};
use crate::cite::Style;
use crate::export::highlights::{HighlightFormat, annotations, render};
use crate::export::references::chosen_style_name;
use crate::library::{
    ArticleId, Colour, Highlight, HighlightId, HighlightOrder, Library, unique_ids,
};
use anyhow::bail;
use clap::Subcommand;

/// The formats `folio highlights` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HighlightsFormatArg {
    /// One line per highlight (and its comment).
    Text,
    /// Quote, comment and citation per highlight.
    Markdown,
    /// A JSON array of W3C Web Annotations (JSON-LD).
    Json,
}

/// The orders of `folio highlights`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HighlightsSortArg {
    /// By article, then position.
    Article,
    /// Newest first.
    Newest,
    /// By colour, then newest first.
    Colour,
}

impl From<HighlightsSortArg> for crate::library::HighlightOrder {
    fn from(sort: HighlightsSortArg) -> Self {
        match sort {
            HighlightsSortArg::Article => Self::ByArticle,
            HighlightsSortArg::Newest => Self::Newest,
            HighlightsSortArg::Colour => Self::ByColour,
        }
    }
}

/// The `folio highlight` subcommands.
#[derive(Debug, Subcommand)]
pub enum HighlightCommand {
    /// Highlight a quote of an article's text; prints the new highlight's id.
    Add {
        /// The article.
        id: ArticleId,
        /// The text to highlight, exactly as it stands in the article.
        #[arg(long, value_name = "TEXT")]
        quote: String,
        /// Which occurrence when the quote occurs more than once (from 1).
        #[arg(long, value_name = "N")]
        occurrence: Option<usize>,
        /// yellow, green, blue, pink, purple or orange.
        #[arg(long, alias = "color", default_value = "yellow", value_name = "C")]
        colour: String,
        /// A comment on the highlight (Markdown).
        #[arg(long, value_name = "TEXT")]
        comment: Option<String>,
    },
    /// Delete a highlight.
    Rm {
        /// The highlight's id.
        hid: HighlightId,
    },
    /// Set a highlight's comment (`""` clears it).
    Comment {
        /// The highlight's id.
        hid: HighlightId,
        /// The comment (Markdown).
        text: String,
    },
}

/// Run a `folio highlight` subcommand.
pub(super) fn highlight(lib: &mut Library, action: HighlightCommand) -> anyhow::Result<ExitCode> {
    match action {
        HighlightCommand::Add {
            id,
            quote,
            occurrence,
            colour,
            comment,
        } => {
            let colour: Colour = colour.parse()?;
            let range = find_quote(lib, id, &quote, occurrence)?;
            let h = lib.add_highlight(id, range, colour, comment.as_deref().unwrap_or(""))?;
            out!("{}", h.id)?;
        }
        HighlightCommand::Rm { hid } => {
            let h = lib.delete_highlight(hid)?;
            out!("deleted highlight {} of article {}", h.id, h.article)?;
        }
        HighlightCommand::Comment { hid, text } => {
            lib.set_highlight_comment(hid, &text)?;
            if text.trim().is_empty() {
                out!("cleared the comment of highlight {hid}")?;
            } else {
                out!("set the comment of highlight {hid}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The char range of the `occurrence`-th (from 1) occurrence of `quote` in
/// article `id`'s canonical text.
fn find_quote(
    lib: &Library,
    id: ArticleId,
    quote: &str,
    occurrence: Option<usize>,
) -> anyhow::Result<std::ops::Range<usize>> {
    if quote.trim().is_empty() {
        bail!("--quote needs some text to highlight");
    }
    let text = lib.canonical_text(id)?;
    // Every start (overlapping ones too), as byte offsets.
    let starts: Vec<usize> = text
        .text
        .char_indices()
        .filter(|&(i, _)| text.text[i..].starts_with(quote))
        .map(|(i, _)| i)
        .collect();
    let byte = match (starts.as_slice(), occurrence) {
        ([], _) => bail!(
            "the quote {} is not in article {id}'s text (it must match exactly, \
             including case and punctuation)",
            terminal_safe(&format!("{quote:?}"))
        ),
        (_, Some(0)) => bail!("--occurrence counts from 1"),
        (&[only], None) => only,
        (many, None) => bail!(
            "the quote occurs {} times in article {id}; say which with --occurrence 1..{}",
            many.len(),
            many.len()
        ),
        (many, Some(n)) => match many.get(n - 1) {
            Some(&at) => at,
            None => bail!(
                "the quote occurs {} time{} in article {id}; there is no occurrence {n}",
                many.len(),
                if many.len() == 1 { "" } else { "s" }
            ),
        },
    };
    let start = text.text[..byte].chars().count();
    Ok(start..start + quote.chars().count())
}

/// `folio highlights [ID…|QUERY] [--format text|markdown|json] [--style S]
/// [--sort …]`: the highlights of the articles given (numbers only), of
/// those a query matches, else of every live article.
pub(super) fn highlights(
    lib: &Library,
    args: &[String],
    format: HighlightsFormatArg,
    style: Option<&str>,
    order: HighlightOrder,
) -> anyhow::Result<ExitCode> {
    let ids: Option<Vec<ArticleId>> = args.iter().map(|a| a.parse().ok()).collect();
    let hids = match ids {
        Some(ids) if !ids.is_empty() => lib.highlight_ids_in(&unique_ids(&ids), order)?,
        _ => {
            let query = args.join(" ");
            let query = query.trim();
            lib.highlight_ids((!query.is_empty()).then_some(query), order)?
        }
    };
    let entries = lib.highlight_entries(&hids)?;
    match format {
        HighlightsFormatArg::Json => print_json(&annotations(&entries))?,
        HighlightsFormatArg::Markdown => {
            let name = style.map_or_else(|| chosen_style_name(lib), str::to_owned);
            let style = Style::by_name(&name)?;
            let text = render(lib, &entries, HighlightFormat::Markdown, &style)?;
            write!(output::stdout(), "{text}")?;
        }
        HighlightsFormatArg::Text => {
            for entry in &entries {
                print_line(&entry.highlight)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_line(h: &Highlight) -> std::io::Result<()> {
    let orphan = if h.orphan {
        "  (orphan: not found in the current text)"
    } else {
        ""
    };
    out!(
        "{:>5}  article {}  {:<6}  “{}”{orphan}",
        h.id,
        h.article,
        h.colour,
        terminal_safe(&h.quote.exact.replace('\n', " ⏎ "))
    )?;
    if !h.comment.is_empty() {
        out!(
            "       {}",
            terminal_safe(&h.comment.replace('\n', "\n       "))
        )?;
    }
    Ok(())
}

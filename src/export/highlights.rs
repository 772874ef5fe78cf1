//! Highlights as text for another document: Markdown (each highlight its
//! quote as a `>` block quote, its comment, then its article's citation in
//! a citation style) or W3C Web Annotations (JSON-LD, the objects of
//! [`annotation_json`], shared with the JSONL export and `folio highlights
//! --json`). What the window's highlights view copies and exports and
//! `folio highlights --format` prints; reads through the `Library` API.

use std::collections::HashMap;

use serde_json::Value;

use super::jsonl::annotation_json;
use super::references::references;
use super::target::{TargetKind, TempTarget};
use crate::cite::{self, Style};
use crate::library::{ArticleId, HighlightEntry, Library};

/// The formats a list of highlights is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HighlightFormat {
    /// Quote, comment, citation.
    #[default]
    Markdown,
    /// A JSON array of W3C Web Annotations.
    JsonLd,
}

impl HighlightFormat {
    /// The format's name in menus and messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Markdown => "Markdown",
            Self::JsonLd => "JSON-LD",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::JsonLd => "jsonld",
        }
    }
}

/// What the Markdown says under an orphan's quote.
pub const ORPHAN_NOTE: &str = "Its passage is no longer in the article.";

/// `entries` as a JSON array of W3C Web Annotations ([`annotation_json`],
/// each targeting its article's address).
pub fn annotations(entries: &[HighlightEntry]) -> Value {
    Value::Array(
        entries
            .iter()
            .map(|e| annotation_json(&e.highlight, e.url.as_deref()))
            .collect(),
    )
}

/// `entries` in `format`; Markdown cites each article in `style` (each
/// article's citation made once).
pub fn render(
    lib: &Library,
    entries: &[HighlightEntry],
    format: HighlightFormat,
    style: &Style,
) -> anyhow::Result<String> {
    match format {
        HighlightFormat::JsonLd => Ok(format!(
            "{}\n",
            serde_json::to_string_pretty(&annotations(entries))?
        )),
        HighlightFormat::Markdown => {
            let mut citations: HashMap<ArticleId, String> = HashMap::new();
            let mut parts = Vec::with_capacity(entries.len());
            for entry in entries {
                let article = entry.highlight.article;
                let citation = match citations.get(&article) {
                    Some(citation) => citation.clone(),
                    None => {
                        let text =
                            cite::render(&references(lib, &[article])?, cite::Format::Text, style)?;
                        let text = one_line(&text);
                        citations.insert(article, text.clone());
                        text
                    }
                };
                parts.push(markdown_one(entry, &citation));
            }
            Ok(parts.join("\n"))
        }
    }
}

/// One highlight in Markdown: the quote as a block quote (a blank quoted
/// line between paragraphs), an orphan's note, the comment, then `— ` and
/// the citation.
pub fn markdown_one(entry: &HighlightEntry, citation: &str) -> String {
    let h = &entry.highlight;
    let mut out = h
        .quote
        .exact
        .trim()
        .lines()
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                ">".to_owned()
            } else {
                format!("> {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    if h.orphan {
        out.push_str(&format!("\n*{ORPHAN_NOTE}*\n"));
    }
    let comment = h.comment.trim();
    if !comment.is_empty() {
        out.push_str(&format!("\n{comment}\n"));
    }
    if !citation.is_empty() {
        out.push_str(&format!("\n— {citation}\n"));
    }
    out
}

/// Write `text` to the new file `out` (an existing file is never
/// replaced), built beside it and renamed into place like every export.
pub fn write_file(out: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let target = TempTarget::new(out, false, TargetKind::Highlights)?;
    let mut file = std::fs::File::create_new(target.path())?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    target.publish()?;
    Ok(())
}

/// `s` on one line (a citation's line breaks and runs of spaces one space).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Colour, Highlight, HighlightId};
    use crate::model::anchor::{TextPositionSelector, TextQuoteSelector};

    fn entry(exact: &str, comment: &str, orphan: bool) -> HighlightEntry {
        HighlightEntry {
            highlight: Highlight {
                id: HighlightId(7),
                article: ArticleId(3),
                colour: Colour::Green,
                comment: comment.to_owned(),
                quote: TextQuoteSelector {
                    exact: exact.to_owned(),
                    prefix: String::new(),
                    suffix: String::new(),
                },
                position: TextPositionSelector { start: 0, end: 4 },
                block_hint: None,
                orphan,
                created_at: "2024-01-01T00:00:00Z".to_owned(),
                updated_at: "2024-01-01T00:00:00Z".to_owned(),
            },
            title: "Whales".to_owned(),
            site: None,
            published: None,
            url: None,
        }
    }

    #[test]
    fn a_quote_of_two_paragraphs_keeps_a_quoted_blank_line() {
        assert_eq!(
            markdown_one(&entry("one\n\ntwo", "why", false), "Cited."),
            "> one\n>\n> two\n\nwhy\n\n— Cited.\n"
        );
    }

    #[test]
    fn an_orphan_says_so_and_no_comment_leaves_no_gap() {
        assert_eq!(
            markdown_one(&entry("gone", "", true), "Cited."),
            format!("> gone\n\n*{ORPHAN_NOTE}*\n\n— Cited.\n")
        );
    }
}

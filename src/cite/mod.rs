//! Citations of stored articles: one [`Reference`] record per article, and
//! that record written as CSL-JSON, BibLaTeX, BibTeX, RIS, or formatted text
//! in any CSL style of hayagriva's archive (APA, Chicago author-date, MLA,
//! GB/T 7714-2015, …) by hayagriva's CSL processor: no hand-made templates.
//!
//! Promises:
//!
//! - **One record, every format.** [`Reference::from_stored`] reads an
//!   article's details once; every format is written from that record, and
//!   formatted text is the CSL-JSON item rendered by a real CSL processor,
//!   so the formats cannot disagree.
//! - **Names are never guessed apart.** A Chinese (or any CJK) name is kept
//!   whole as a literal name, never split into family and given; several
//!   authors are split where the byline separates them (`、，,;；/` and
//!   `和`, `and`, `&`, spaces between CJK names); see [`authors`].
//! - **Stable keys.** A key is made from the article alone (site, year,
//!   title word, else the article id); a collision within one export adds
//!   `b`, `c`, … in article-id order, so keys do not change when the library
//!   grows ([`assign_keys`]).
//! - **The evidence is named.** When the original saved file is stored, the
//!   record's note says this is an archived copy in Folio and gives the
//!   original's SHA-256.
//!
//! Pure: no SQL, IO, egui or network. Callers read the [`StoredArticle`] and
//! the original's hash through the `Library` API.

mod authors;
mod bibtex;
mod csl;
mod keys;
mod record;
mod ris;

pub use authors::authors;
pub use csl::{DEFAULT_STYLE, Style, csl_json, csl_json_item, same_style, styles};
pub use keys::{assign_keys, base_key};
pub use record::{CiteError, Date, Format, Kind, Name, Reference};

use crate::library::StoredArticle;

impl Reference {
    /// The record of `stored`, its key not yet unique ([`assign_keys`]);
    /// `original_sha256` is the hash of the stored original saved file,
    /// when there is one.
    pub fn from_stored(stored: &StoredArticle, original_sha256: Option<&str>) -> Self {
        let article = &stored.article;
        let clean = |s: &Option<String>| s.as_deref().map(one_line).filter(|s| !s.is_empty());
        let container = clean(&article.site);
        let issued = article.published.as_deref().and_then(Date::parse);
        let kind = if container.is_some() && issued.is_some() {
            Kind::Newspaper
        } else {
            Kind::Web
        };
        let title = one_line(&article.title);
        let url = clean(&article.url);
        let mut reference = Self {
            key: String::new(),
            article_id: stored.id.0,
            kind,
            title,
            authors: article.byline.as_deref().map(authors).unwrap_or_default(),
            container,
            issued,
            url,
            accessed: Date::parse(&stored.added_at),
            language: clean(&article.lang),
            note: original_sha256
                .map(|hash| format!("Archived copy in Folio, original SHA-256 {hash}")),
        };
        reference.key = base_key(&reference);
        reference
    }
}

/// `s` on one line: every run of whitespace (line breaks, tabs) one space,
/// none at the ends (`" a\n\tb "` → `"a b"`).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Write `references` in `format` (`style` for [`Format::Text`]). Several
/// references are written one after another in the order given (text: in
/// the style's bibliography order, numbered when the style numbers).
pub fn render(
    references: &[Reference],
    format: Format,
    style: &Style,
) -> Result<String, CiteError> {
    Ok(match format {
        Format::Text => style.format(references)?,
        Format::CslJson => csl_json(references),
        Format::Biblatex => bibtex::biblatex(references),
        Format::Bibtex => bibtex::bibtex(references),
        Format::Ris => ris::ris(references),
    })
}

/// Whether `text` reads as a file of references Folio writes in `format`
/// (so that an export may replace it): nothing but whitespace, or BibTeX
/// entries the `biblatex` parser reads, RIS records (every line a `TAG  - `
/// line), a CSL-JSON array of items with an `id` and a `type`. Text in a
/// style is never taken for Folio's.
pub fn looks_written_by_folio(text: &str, format: Format) -> bool {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return format != Format::Text;
    }
    match format {
        Format::Text => false,
        Format::Bibtex | Format::Biblatex => {
            trimmed.starts_with('@') && biblatex::Bibliography::parse(text).is_ok()
        }
        Format::Ris => {
            trimmed.starts_with("TY  - ")
                && trimmed.lines().all(|line| {
                    let line = line.trim_end();
                    line.is_empty()
                        || (line.len() >= 5
                            && line.as_bytes()[..2].iter().all(u8::is_ascii_alphanumeric)
                            && line.get(2..5) == Some("  -"))
                })
        }
        Format::CslJson => {
            serde_json::from_str::<Vec<serde_json::Value>>(text).is_ok_and(|items| {
                items.iter().all(|item| {
                    item.get("id").is_some_and(serde_json::Value::is_string)
                        && item.get("type").is_some_and(serde_json::Value::is_string)
                })
            })
        }
    }
}

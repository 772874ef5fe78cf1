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
mod ris;

pub use authors::{Name, authors};
pub use csl::{DEFAULT_STYLE, Style, csl_json, csl_json_item, same_style, styles};
pub use keys::{assign_keys, base_key};

use crate::library::StoredArticle;

/// What can go wrong while citing.
#[derive(Debug, thiserror::Error)]
pub enum CiteError {
    /// The style name is not in hayagriva's archive.
    #[error("no citation style named {0:?} (see `folio cite --help` for the styles)")]
    UnknownStyle(String),
    /// The CSL processor could not take the record (a bug in Folio's record).
    #[error("the citation could not be formatted: {0}")]
    Format(String),
}

/// The formats a citation is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// Formatted text in a CSL style (the default).
    #[default]
    Text,
    /// A CSL-JSON array of items.
    CslJson,
    /// BibLaTeX entries (`@online`, `@article` with `entrysubtype = newspaper`).
    Biblatex,
    /// BibTeX entries (`@misc`, `@article`; `year`/`month` fields).
    Bibtex,
    /// RIS records (`TY  - NEWS` or `ELEC`).
    Ris,
}

impl Format {
    /// Every format, in the order menus list them.
    pub const ALL: [Self; 5] = [
        Self::Text,
        Self::Bibtex,
        Self::Biblatex,
        Self::Ris,
        Self::CslJson,
    ];

    /// The format's name on the command line (`csl-json`, `bibtex`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::CslJson => "csl-json",
            Self::Biblatex => "biblatex",
            Self::Bibtex => "bibtex",
            Self::Ris => "ris",
        }
    }

    /// The file extension a file of references in this format takes.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Text => "txt",
            Self::CslJson => "json",
            Self::Biblatex | Self::Bibtex => "bib",
            Self::Ris => "ris",
        }
    }
}

/// What kind of work an article is cited as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A dated article of a named site: a newspaper or magazine article.
    Newspaper,
    /// Anything else: a web page.
    Web,
}

/// A date as precise as it is known: a year, perhaps a month, perhaps a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: Option<u8>,
    /// The day of the month, 1 to 31 (only with a month).
    pub day: Option<u8>,
}

impl Date {
    /// The date at the start of `text` (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`,
    /// or an RFC 3339 date-time), as precise as it says; `None` when it
    /// starts with no four-digit year.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let year = text.get(..4)?;
        if !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let part = |at: usize, max: u8| -> Option<u8> {
            let s = text.get(at..at + 3)?;
            let n: u8 = s.strip_prefix('-')?.parse().ok()?;
            (1..=max).contains(&n).then_some(n)
        };
        let month = part(4, 12);
        let day = month.and_then(|_| part(7, 31));
        Some(Self { year, month, day })
    }
}

/// One article as a work to cite: what every format is written from.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// The citation key ([`base_key`], made unique by [`assign_keys`]).
    pub key: String,
    /// The article's id in its library.
    pub article_id: i64,
    /// Newspaper article or web page.
    pub kind: Kind,
    /// The title.
    pub title: String,
    /// The authors, from the byline ([`authors`]).
    pub authors: Vec<Name>,
    /// The site: the container the article appeared in.
    pub container: Option<String>,
    /// When it was published, as precise as known.
    pub issued: Option<Date>,
    /// The address of the original.
    pub url: Option<String>,
    /// When it was accessed: the day it was added to the library (no
    /// capture date is stored).
    pub accessed: Option<Date>,
    /// The article's language (BCP 47).
    pub language: Option<String>,
    /// The archive note: "Archived copy in Folio, original SHA-256 …".
    pub note: Option<String>,
}

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

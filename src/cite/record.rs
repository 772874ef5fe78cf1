//! The plain types of a citation: the [`Reference`] record, its parts,
//! the formats and what can go wrong. The bottom of `cite`: every other
//! file of it imports these, and this imports none of them.

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

/// One author's name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Name {
    /// A name written as it stands: every CJK name (never split into family
    /// and given), one-word names, organisations, anything uncertain.
    Literal(String),
    /// A Latin personal name of two to four capitalised words: the last is
    /// the family name.
    Person {
        /// The family name (`Smith`).
        family: String,
        /// The given names (`Jane Q.`).
        given: String,
    },
}

impl Name {
    /// The name as a person reads it (`Jane Smith`, `张三`).
    pub fn display(&self) -> String {
        match self {
            Self::Literal(name) => name.clone(),
            Self::Person { family, given } => format!("{given} {family}"),
        }
    }

    /// The name in reference-list order (`Smith, Jane`; a literal as it is).
    pub fn inverted(&self) -> String {
        match self {
            Self::Literal(name) => name.clone(),
            Self::Person { family, given } => format!("{family}, {given}"),
        }
    }
}

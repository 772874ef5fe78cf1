//! CSL-JSON, and formatted text: the CSL-JSON items rendered by hayagriva's
//! CSL processor in a style of its archive, with the archive's locales.

use std::sync::LazyLock;

use hayagriva::archive::{ArchivedStyle, locales};
use hayagriva::citationberg::{self, IndependentStyle, Locale, LocaleCode};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
};
use serde_json::{Map, Value, json};

use super::record::{CiteError, Date, Kind, Name, Reference};

/// The style used until one is chosen: APA 7th edition.
pub const DEFAULT_STYLE: &str = "apa";

/// The archive's locales, read once (hayagriva stores them as CBOR).
static LOCALES: LazyLock<Vec<Locale>> = LazyLock::new(locales);

/// Every style of hayagriva's archive as `(name, title)`: the name is the
/// archive's shortest (`apa`, `chicago-author-date`, `mla`,
/// `gb-7714-2015-numeric`), the title its own (`APA Style 7th edition`);
/// sorted by name. The list grows with the archive, not with Folio's code.
pub fn styles() -> Vec<(&'static str, &'static str)> {
    let mut list: Vec<(&str, &str)> = ArchivedStyle::all()
        .iter()
        .filter_map(|style| {
            let name = style.names().iter().min_by_key(|n| n.len())?;
            Some((*name, style.display_name()))
        })
        .collect();
    list.sort_unstable();
    list
}

/// Whether two names name one style of the archive (`apa` and
/// `american-psychological-association`).
pub fn same_style(a: &str, b: &str) -> bool {
    match (
        ArchivedStyle::by_name(a.trim()),
        ArchivedStyle::by_name(b.trim()),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// A CSL style from hayagriva's archive, ready to format with.
#[derive(Clone, Debug)]
pub struct Style {
    /// The name it was asked for.
    name: String,
    /// The independent style (a dependent style's parent).
    csl: IndependentStyle,
    /// A dependent style's own locale.
    locale: Option<LocaleCode>,
}

impl Style {
    /// The style of the archive named `name` (any of its names: `apa` or
    /// `american-psychological-association`).
    pub fn by_name(name: &str) -> Result<Self, CiteError> {
        let unknown = || CiteError::UnknownStyle(name.to_owned());
        let archived = ArchivedStyle::by_name(name.trim()).ok_or_else(unknown)?;
        let (csl, locale) = match archived.get() {
            citationberg::Style::Independent(csl) => (csl, None),
            citationberg::Style::Dependent(dependent) => {
                let parent = ArchivedStyle::by_id(&dependent.parent_link.href)
                    .map(ArchivedStyle::get)
                    .ok_or_else(unknown)?;
                match parent {
                    citationberg::Style::Independent(csl) => (csl, dependent.default_locale),
                    citationberg::Style::Dependent(_) => return Err(unknown()),
                }
            }
        };
        Ok(Self {
            name: name.trim().to_owned(),
            csl,
            locale,
        })
    }

    /// The name it was asked for.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `references` as the style's reference list, one entry a line, in the
    /// style's order; numbered (`[1] …`) when the style numbers and there is
    /// more than one.
    pub fn format(&self, references: &[Reference]) -> Result<String, CiteError> {
        let items = csl_items(references)?;
        let mut driver = BibliographyDriver::new();
        for item in &items {
            driver.citation(CitationRequest::new(
                vec![CitationItem::with_entry(item)],
                &self.csl,
                self.locale.clone(),
                &LOCALES,
                None,
            ));
        }
        let rendered = driver.finish(BibliographyRequest::new(
            &self.csl,
            self.locale.clone(),
            &LOCALES,
        ));
        let mut out = String::new();
        let write = |out: &mut String, children: &hayagriva::ElemChildren| {
            children
                .write_buf(out, BufWriteFormat::Plain)
                .map_err(|err| CiteError::Format(err.to_string()))
        };
        if let Some(bibliography) = rendered.bibliography {
            let numbered = bibliography.items.len() > 1;
            for item in &bibliography.items {
                if numbered && let Some(first) = &item.first_field {
                    first
                        .write_buf(&mut out, BufWriteFormat::Plain)
                        .map_err(|err| CiteError::Format(err.to_string()))?;
                    out.push(' ');
                }
                write(&mut out, &item.content)?;
                out.push('\n');
            }
        } else {
            // A style without a reference list (a note style): its citations.
            for citation in &rendered.citations {
                write(&mut out, &citation.citation)?;
                out.push('\n');
            }
        }
        Ok(out)
    }
}

/// The CSL-JSON date object of `date` (`{"date-parts": [[2021, 3, 5]]}`).
fn date_json(date: Date) -> Value {
    let mut parts = vec![json!(date.year)];
    if let Some(month) = date.month {
        parts.push(json!(month));
        if let Some(day) = date.day {
            parts.push(json!(day));
        }
    }
    json!({ "date-parts": [parts] })
}

/// The CSL-JSON name object of `name`: `{"literal": …}` or `{"family": …,
/// "given": …}`.
fn name_json(name: &Name) -> Value {
    match name {
        Name::Literal(literal) => json!({ "literal": literal }),
        Name::Person { family, given } => json!({ "family": family, "given": given }),
    }
}

/// One reference as a CSL-JSON item: `id` (the key), `type`
/// (`article-newspaper` or `webpage`), `title`, `author`,
/// `container-title`, `issued`, `URL`, `accessed`, `language`, `note`.
pub fn csl_json_item(reference: &Reference) -> Value {
    let mut item = Map::new();
    item.insert("id".to_owned(), json!(reference.key));
    let kind = match reference.kind {
        Kind::Newspaper => "article-newspaper",
        Kind::Web => "webpage",
    };
    item.insert("type".to_owned(), json!(kind));
    item.insert("title".to_owned(), json!(reference.title));
    if !reference.authors.is_empty() {
        let authors: Vec<Value> = reference.authors.iter().map(name_json).collect();
        item.insert("author".to_owned(), Value::Array(authors));
    }
    if let Some(container) = &reference.container {
        item.insert("container-title".to_owned(), json!(container));
    }
    if let Some(issued) = reference.issued {
        item.insert("issued".to_owned(), date_json(issued));
    }
    if let Some(url) = &reference.url {
        item.insert("URL".to_owned(), json!(url));
    }
    if let Some(accessed) = reference.accessed {
        item.insert("accessed".to_owned(), date_json(accessed));
    }
    if let Some(language) = &reference.language {
        item.insert("language".to_owned(), json!(language));
    }
    if let Some(note) = &reference.note {
        item.insert("note".to_owned(), json!(note));
    }
    Value::Object(item)
}

/// `references` as a CSL-JSON array, pretty-printed, with a final newline.
pub fn csl_json(references: &[Reference]) -> String {
    let items: Vec<Value> = references.iter().map(csl_json_item).collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}

/// The CSL-JSON items as the CSL processor reads them.
fn csl_items(references: &[Reference]) -> Result<Vec<citationberg::json::Item>, CiteError> {
    references
        .iter()
        .map(|r| {
            serde_json::from_value(csl_json_item(r))
                .map_err(|err| CiteError::Format(err.to_string()))
        })
        .collect()
}

//! BibLaTeX and BibTeX entries, written by the `biblatex` crate (which
//! escapes `{ } \ # $ % & _ ~ ^` in every field but the URL).

use std::collections::BTreeMap;

use biblatex::{Chunk, Entry, EntryType, Spanned};

use super::record::{Date, Kind, Name, Reference};

/// A field of plain text.
fn plain(text: &str) -> Vec<Spanned<Chunk>> {
    vec![Spanned::detached(Chunk::Normal(text.to_owned()))]
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: a BibLaTeX date as precise as known.
fn date_text(date: Date) -> String {
    match (date.month, date.day) {
        (Some(month), Some(day)) => format!("{:04}-{month:02}-{day:02}", date.year),
        (Some(month), None) => format!("{:04}-{month:02}", date.year),
        _ => format!("{:04}", date.year),
    }
}

/// The `author` field: `Family, Given` for a person, a literal name in
/// braces (`{张三}`, `{BBC News}`) so that no BibTeX style splits it,
/// joined by `and`.
fn author_field(names: &[Name]) -> Vec<Spanned<Chunk>> {
    let mut chunks = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            chunks.push(Spanned::detached(Chunk::Normal(" and ".to_owned())));
        }
        chunks.push(Spanned::detached(match name {
            Name::Literal(literal) => Chunk::Verbatim(literal.clone()),
            Name::Person { .. } => Chunk::Normal(name.inverted()),
        }));
    }
    chunks
}

/// The entry of one reference: `@article` with `entrysubtype = newspaper`
/// for a newspaper article, `@online` for a web page.
fn entry(reference: &Reference) -> Entry {
    let mut fields = BTreeMap::new();
    let entry_type = match reference.kind {
        Kind::Newspaper => {
            fields.insert("entrysubtype".to_owned(), plain("newspaper"));
            if let Some(container) = &reference.container {
                fields.insert("journaltitle".to_owned(), plain(container));
            }
            EntryType::Article
        }
        Kind::Web => {
            if let Some(container) = &reference.container {
                fields.insert("organization".to_owned(), plain(container));
            }
            EntryType::Online
        }
    };
    fields.insert("title".to_owned(), plain(&reference.title));
    if !reference.authors.is_empty() {
        fields.insert("author".to_owned(), author_field(&reference.authors));
    }
    if let Some(issued) = reference.issued {
        fields.insert("date".to_owned(), plain(&date_text(issued)));
    }
    if let Some(url) = &reference.url {
        fields.insert("url".to_owned(), plain(url));
    }
    if let Some(accessed) = reference.accessed {
        fields.insert("urldate".to_owned(), plain(&date_text(accessed)));
    }
    if let Some(language) = &reference.language {
        fields.insert("language".to_owned(), plain(language));
    }
    if let Some(note) = &reference.note {
        fields.insert("note".to_owned(), plain(note));
    }
    Entry {
        key: reference.key.clone(),
        entry_type,
        fields,
    }
}

/// `references` as BibLaTeX entries, a blank line after each.
pub fn biblatex(references: &[Reference]) -> String {
    references
        .iter()
        .map(|r| format!("{}\n\n", entry(r).to_biblatex_string()))
        .collect()
}

/// `references` as BibTeX entries (`@misc` for a web page, `journal`,
/// `year` and `month`), a blank line after each.
pub fn bibtex(references: &[Reference]) -> String {
    references
        .iter()
        .map(|r| {
            let entry = entry(r);
            // The date is always well formed (`date_text`); were it not,
            // the BibLaTeX form still carries every field.
            let text = entry
                .to_bibtex_string()
                .unwrap_or_else(|_| entry.to_biblatex_string());
            format!("{text}\n\n")
        })
        .collect()
}

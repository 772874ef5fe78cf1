//! The warnings of reading and extracting, as a person reads them: the
//! many warnings of one kind (seventeen "refused to read ../css/…", one per
//! file a saved page refers to outside its folder) become one line that
//! counts them and says what it means, the files themselves listed under it.
//! A warning of no known kind stays as it was written.
//!
//! The kinds are the sentences `read` and `extract` write (see
//! `read::resources`, `read::warc`, `extract::images`); the window's test
//! of the Source section (tests/gui/source_section.rs) reads a real save's
//! warnings through them.

/// Warnings of one kind: a sentence for people and the files or addresses
/// each warning named (empty for a warning that names none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarningGroup {
    /// What happened, counted and explained.
    pub summary: String,
    /// What each warning of the group named, in order.
    pub items: Vec<String>,
}

/// A kind of warning: how its item is cut out of the sentence, and the
/// sentence for `n` of them.
struct Kind {
    /// The item is the text between these (`None` end: to the end).
    prefix: &'static str,
    suffix: Option<&'static str>,
    summary: fn(usize) -> String,
}

fn files(n: usize) -> &'static str {
    if n == 1 { "file" } else { "files" }
}

fn images(n: usize) -> &'static str {
    if n == 1 { "image" } else { "images" }
}

fn were(n: usize) -> &'static str {
    if n == 1 { "was" } else { "were" }
}

const KINDS: &[Kind] = &[
    Kind {
        prefix: "refused to read ",
        suffix: Some(": "),
        summary: |n| {
            format!(
                "{n} {} outside the page's folder {} not read (Folio reads only the files \
                 saved with the page; styles and scripts of the site itself are not needed \
                 to read the article)",
                files(n),
                were(n)
            )
        },
    },
    Kind {
        prefix: "image ",
        suffix: Some(" was not found with the page"),
        summary: |n| {
            format!(
                "{n} {} the page shows {} not saved with it (the reader shows the address)",
                images(n),
                were(n)
            )
        },
    },
    Kind {
        prefix: "cannot read ",
        suffix: Some(": "),
        summary: |n| format!("{n} {} saved with the page could not be read", files(n)),
    },
    Kind {
        prefix: "skipped ",
        suffix: Some(": "),
        summary: |n| {
            format!(
                "{n} {} saved with the page {} over the size limit and skipped",
                files(n),
                were(n)
            )
        },
    },
    Kind {
        prefix: "the crawler truncated ",
        suffix: Some(" ("),
        summary: |n| {
            format!(
                "{n} {} of the web archive {} cut short by the crawler that saved it",
                if n == 1 { "record" } else { "records" },
                were(n)
            )
        },
    },
    Kind {
        prefix: "",
        suffix: Some(" is not an image Folio can read; kept as a link"),
        summary: |n| {
            format!(
                "{n} {} could not be read as pictures; kept as links",
                images(n)
            )
        },
    },
    Kind {
        prefix: "",
        suffix: Some(" was not kept: "),
        summary: |n| {
            format!(
                "{n} {} of the web archive {} over the size limits and not kept",
                files(n),
                were(n)
            )
        },
    },
];

/// The item a warning of `kind` names, when it is of that kind.
fn item_of<'a>(kind: &Kind, warning: &'a str) -> Option<&'a str> {
    let rest = warning.strip_prefix(kind.prefix)?;
    match kind.suffix {
        Some(suffix) => rest.find(suffix).map(|at| &rest[..at]),
        None => Some(rest),
    }
    .filter(|item| !item.is_empty())
}

/// `warnings` grouped by kind, in the order each kind first appears; a
/// warning of no known kind is a group of its own, as written.
#[must_use]
pub fn group(warnings: &[String]) -> Vec<WarningGroup> {
    // (kind index or none, items / the warning)
    let mut groups: Vec<(Option<usize>, Vec<String>)> = Vec::new();
    for warning in warnings {
        let found = KINDS
            .iter()
            .enumerate()
            .find_map(|(k, kind)| item_of(kind, warning).map(|item| (k, item)));
        match found {
            Some((k, item)) => match groups.iter_mut().find(|(g, _)| *g == Some(k)) {
                Some((_, items)) => items.push(item.to_owned()),
                None => groups.push((Some(k), vec![item.to_owned()])),
            },
            None => groups.push((None, vec![warning.clone()])),
        }
    }
    groups
        .into_iter()
        .map(|(kind, items)| match kind {
            Some(k) => WarningGroup {
                summary: (KINDS[k].summary)(items.len()),
                items,
            },
            None => WarningGroup {
                summary: items.into_iter().next().unwrap_or_default(),
                items: Vec::new(),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_of_one_kind_become_one_counted_line() {
        let mut warnings: Vec<String> = (0..17)
            .map(|i| format!("refused to read ../css/{i}.css: it points outside the page's folder"))
            .collect();
        warnings.push(
            "refused to read /etc/passwd: absolute paths outside the page's folder are never read"
                .to_owned(),
        );
        warnings.push("image photo.jpg was not found with the page".to_owned());
        warnings.push("some bytes were not valid UTF-8; replaced with �".to_owned());
        let groups = group(&warnings);
        assert_eq!(groups.len(), 3, "{groups:?}");
        assert!(
            groups[0]
                .summary
                .starts_with("18 files outside the page's folder were not read"),
            "{}",
            groups[0].summary
        );
        assert_eq!(groups[0].items[0], "../css/0.css");
        assert_eq!(groups[0].items[17], "/etc/passwd");
        assert_eq!(
            groups[1].summary,
            "1 image the page shows was not saved with it (the reader shows the address)"
        );
        assert_eq!(groups[1].items, ["photo.jpg"]);
        assert_eq!(
            groups[2].summary,
            "some bytes were not valid UTF-8; replaced with �"
        );
        assert!(groups[2].items.is_empty());
    }
}

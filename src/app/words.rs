//! What the window says: the worker reports data ([`Outcome`], [`Failure`],
//! [`CollectionChange`], where a search matched), and these functions word
//! it for the status bar and the list. The only place the window's English
//! about work done lives.

use crate::jobs::{CollectionChange, Failure, Outcome};
use crate::library::MatchedIn;

/// A count with its noun, singular for one: "1 article", "2 articles".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a finished task did, for the status bar.
pub fn outcome(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Upgraded => "Library upgraded.".to_owned(),
        Outcome::Exported {
            articles,
            images,
            out,
        } => format!(
            "Exported {} and {} to {}",
            counted(*articles, "article", "articles"),
            counted(*images, "image", "images"),
            out.display()
        ),
        Outcome::Merged { path, report } => format!(
            "Merged {}: {} added, {} already here ({} restored from the trash, {} differing copies kept), {} tags added, {} notes kept from both sides",
            path.display(),
            report.added,
            report.duplicates,
            report.restored,
            report.copies_kept,
            report.tags_added,
            report.notes_appended
        ),
        Outcome::Fetched { fetched, failed } => {
            format!("Fetched {fetched} image(s), {failed} failed")
        }
        Outcome::TrashEmptied(n) => {
            format!("Deleted {} for good", counted(*n, "article", "articles"))
        }
    }
}

/// What failed, for the status bar.
pub fn failure(failure: &Failure) -> String {
    match failure {
        Failure::Open { path, error } => format!("cannot open {}: {error}", path.display()),
        Failure::ImageNotFetched(error) => format!("image not fetched: {error}"),
        Failure::WriteSamples(error) => format!("cannot write the samples: {error}"),
        Failure::Import(error) => format!("import failed: {error}"),
        Failure::Other(error) => error.clone(),
    }
}

/// A change to the collections, for the status bar.
pub fn collection(change: &CollectionChange) -> String {
    match change {
        CollectionChange::Saved { name, replaced } => {
            let verb = if *replaced { "Replaced" } else { "Saved" };
            format!("{verb} the collection “{name}”")
        }
        CollectionChange::Renamed { old, new } => format!("Renamed “{old}” to “{new}”"),
        CollectionChange::Removed(name) => format!("Deleted the collection “{name}”"),
    }
}

/// How far a library upgrade is, for the status bar.
pub fn upgrade_progress(done: usize, total: usize) -> String {
    format!("Upgrading the library: {done} of {total} articles re-indexed")
}

/// How a row's snippet opens when the match is in the note or in a
/// highlight's comment ("" for the body or the title).
pub fn snippet_opening(matched_in: Option<MatchedIn>) -> &'static str {
    match matched_in {
        Some(MatchedIn::Note) => "In the note: ",
        Some(MatchedIn::HighlightComment) => "In a highlight's comment: ",
        Some(MatchedIn::Body | MatchedIn::Title) | None => "",
    }
}

/// What the status bar says after copying citations: "Copied the citation
/// (apa)", "Copied 3 references as BibTeX".
pub fn cited(format: crate::cite::Format, count: usize, style: &str) -> String {
    use crate::cite::Format;
    let what = if count == 1 {
        "the citation".to_owned()
    } else {
        format!("{count} references")
    };
    match format {
        Format::Text => format!("Copied {what} ({style})"),
        Format::Bibtex => format!("Copied {what} as BibTeX"),
        Format::Biblatex => format!("Copied {what} as BibLaTeX"),
        Format::Ris => format!("Copied {what} as RIS"),
        Format::CslJson => format!("Copied {what} as CSL-JSON"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular() {
        assert_eq!(counted(1, "article", "articles"), "1 article");
        assert_eq!(counted(0, "article", "articles"), "0 articles");
        assert_eq!(
            outcome(&Outcome::TrashEmptied(2)),
            "Deleted 2 articles for good"
        );
    }
}

//! What the window says: the worker reports data ([`Outcome`], [`Failure`],
//! [`CollectionChange`], where a search matched), and these functions word
//! it for the status bar and the list. The only place the window's English
//! about work done lives.

use crate::jobs::{CollectionChange, Command, Failure, FetchFailure, NotFetched, Outcome};
use crate::library::{ArticleId, MatchedIn};

/// A count with its noun, singular for one: "1 article", "2 articles".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Highlights copied (`out: None`) or exported, for the status bar.
pub fn highlights_written(
    format: crate::export::highlights::HighlightFormat,
    count: usize,
    out: Option<&std::path::Path>,
) -> String {
    let what = counted(count, "highlight", "highlights");
    match out {
        None => format!("Copied {what} as {}", format.name()),
        Some(path) => format!("Exported {what} as {} to {}", format.name(), path.display()),
    }
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
        Outcome::Fetched { fetched, failed } if failed.is_empty() => {
            format!("Fetched {}", counted(*fetched, "image", "images"))
        }
        Outcome::Fetched { fetched, failed } => format!(
            "Fetched {}, {} failed: {}",
            counted(*fetched, "image", "images"),
            failed.len(),
            not_fetched(failed)
        ),
        Outcome::TrashEmptied(n) => {
            format!("Deleted {} for good", counted(*n, "article", "articles"))
        }
    }
}

/// What failed, for the status bar.
pub fn failure(failure: &Failure) -> String {
    match failure {
        Failure::Open { path, error } => format!("cannot open {}: {error}", path.display()),
        Failure::WriteSamples(error) => format!("cannot write the samples: {error}"),
        Failure::Import(error) => format!("import failed: {error}"),
        Failure::Other(error) => error.clone(),
        Failure::HighlightChanged => "the highlight's comment or colour changed since it was \
                                      made; delete it from the inspector if it should go"
            .to_owned(),
    }
}

/// A change recorded for undo, named for the status bar and the Edit menu
/// ("tag 'xiaomi' added to 4 articles").
pub fn step(done: &Command) -> String {
    let articles = |n: usize| counted(n, "article", "articles");
    match done {
        Command::AddTag(_, name) => format!("tag '{name}' added to 1 article"),
        Command::AddTagMany(ids, name) => format!("tag '{name}' added to {}", articles(ids.len())),
        Command::RemoveTag(_, name) => format!("tag '{name}' removed from 1 article"),
        Command::RemoveTagMany(ids, name) => {
            format!("tag '{name}' removed from {}", articles(ids.len()))
        }
        Command::Mark { ids, read, starred } => {
            let mut what = Vec::new();
            match read {
                Some(true) => what.push("marked read"),
                Some(false) => what.push("marked unread"),
                None => {}
            }
            match starred {
                Some(true) => what.push("starred"),
                Some(false) => what.push("unstarred"),
                None => {}
            }
            format!("{} {}", articles(ids.len()), what.join(" and "))
        }
        Command::SetNote(..) => "note edited".to_owned(),
        Command::EditDetails { changes, reset, .. } => {
            let fields: Vec<&str> = changes
                .iter()
                .map(|(f, _)| f.as_str())
                .chain(reset.iter().map(String::as_str))
                .collect();
            format!("details corrected ({})", fields.join(", "))
        }
        Command::RenameTag(old, new) => format!("tag '{old}' renamed to '{new}'"),
        Command::DeleteTag(name) => format!("tag '{name}' deleted"),
        Command::SetTagColour(name, Some(_)) => format!("colour of tag '{name}' set"),
        Command::SetTagColour(name, None) => format!("colour of tag '{name}' cleared"),
        Command::SaveCollection(name, _) => format!("collection '{name}' saved"),
        Command::RenameCollection(old, new) => format!("collection '{old}' renamed to '{new}'"),
        Command::RemoveCollection(name) => format!("collection '{name}' deleted"),
        Command::AddHighlight { .. } => "highlight added".to_owned(),
        Command::SetHighlightComment(..) => "highlight comment edited".to_owned(),
        Command::SetHighlightColour(..) => "highlight colour changed".to_owned(),
        Command::DeleteHighlight(_) => "highlight deleted".to_owned(),
        Command::ReattachHighlight(..) => "highlight attached to new text".to_owned(),
        Command::Trash(_) => "1 article moved to the trash".to_owned(),
        Command::TrashMany(ids) => format!("{} moved to the trash", articles(ids.len())),
        Command::Restore(_) => "1 article restored from the trash".to_owned(),
        Command::RestoreMany(ids) => {
            format!("{} restored from the trash", articles(ids.len()))
        }
        _ => "a change".to_owned(),
    }
}

/// Why images were not fetched: each reason once (with how many when more
/// than one image failed for it), the server named when one image failed.
fn not_fetched(failed: &[NotFetched]) -> String {
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for one in failed {
        let reason = fetch_failure(&one.why);
        match reasons.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, n)) => *n += 1,
            None => reasons.push((reason, 1)),
        }
    }
    if let [one] = failed {
        return match host(&one.url) {
            Some(host) => format!("{} ({host})", fetch_failure(&one.why)),
            None => fetch_failure(&one.why),
        };
    }
    let mut text: Vec<String> = reasons
        .iter()
        .take(3)
        .map(|(reason, n)| {
            if *n > 1 {
                format!("{reason} ×{n}")
            } else {
                reason.clone()
            }
        })
        .collect();
    if reasons.len() > 3 {
        text.push("…".to_owned());
    }
    text.join("; ")
}

/// The host of a web address, if it has one.
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    (!host.is_empty()).then_some(host)
}

/// Why one image was not fetched.
fn fetch_failure(why: &FetchFailure) -> String {
    match why {
        FetchFailure::Status(status) => {
            let name = match status {
                401 | 403 => " (refused)",
                404 | 410 => " (not found)",
                429 => " (too many requests)",
                500..=599 => " (server error)",
                _ => "",
            };
            format!("the server answered HTTP {status}{name}")
        }
        FetchFailure::TooLarge(limit) => format!(
            "larger than the limit of {} MB",
            limit.div_ceil(1024 * 1024)
        ),
        FetchFailure::NotAnImage(what) => format!("not an image ({what})"),
        FetchFailure::NotWeb => "not a web address (only http and https are fetched)".to_owned(),
        FetchFailure::Timeout(what) => format!("timed out ({what})"),
        FetchFailure::Network(message) => format!("no connection ({message})"),
        FetchFailure::Redirect => "redirected too often, in a loop or somewhere refused".to_owned(),
        FetchFailure::Cancelled => "cancelled".to_owned(),
        FetchFailure::Other(message) => message.clone(),
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

/// What the status bar says while a copy is being served as saved.
pub fn opening_as_saved(id: ArticleId, version: Option<usize>) -> String {
    match version {
        Some(n) => format!("Opening version {n} of article {id} as saved…"),
        None => format!("Opening article {id} as saved…"),
    }
}

/// A copy opened as saved in the browser ([`crate::jobs::Event::AsSaved`]).
pub fn as_saved(id: ArticleId, version: Option<usize>) -> String {
    let which = match version {
        Some(n) => format!("Version {n} of article {id}"),
        None => format!("Article {id}"),
    };
    format!(
        "{which} is open as saved in your browser: served from the library on this computer only, \
         scripts off, nothing loaded from the web"
    )
}

/// A link that no browser could be started for, for the status bar.
pub fn browser_failed(url: &str, why: &str) -> String {
    format!("Could not open {url} in a browser: {why}")
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
        Some(MatchedIn::EarlierVersion) => "In an earlier version: ",
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

    #[test]
    fn a_failed_fetch_says_why() {
        let failed = |url: &str, why| NotFetched {
            url: url.to_owned(),
            why,
        };
        assert_eq!(
            outcome(&Outcome::Fetched {
                fetched: 0,
                failed: vec![failed(
                    "http://img.example/a.jpg",
                    FetchFailure::Status(404)
                )],
            }),
            "Fetched 0 images, 1 failed: the server answered HTTP 404 (not found) (img.example)"
        );
        assert_eq!(
            outcome(&Outcome::Fetched {
                fetched: 1,
                failed: vec![
                    failed("https://a.example/1.png", FetchFailure::TooLarge(20 << 20)),
                    failed("https://a.example/2.png", FetchFailure::TooLarge(20 << 20)),
                    failed(
                        "https://b.example/3.png",
                        FetchFailure::Timeout("read".to_owned())
                    ),
                ],
            }),
            "Fetched 1 image, 3 failed: larger than the limit of 20 MB ×2; timed out (read)"
        );
    }
}

//! The library subcommands (`import`, `search`, `tag`, …): argument handling
//! and output only. Every read and write goes through [`Library`]; no SQL here.
//!
//! Output conventions: results go to stdout (text, or JSON with `--json`),
//! progress bars to stderr and only when stderr is a terminal, errors to
//! stderr as one `folio: …` line (printed by `main`). Everything is written
//! through `cli::output` (`out!`, `err!`, `output::stdout()`): control
//! characters in the data are shown escaped, a failed write is an error.
//! Exit codes: 0 success, 1 failure (including a partly failed import, a
//! failed check or output that could not be written), 2 usage error (from
//! clap).
//!
//! Long because: one short function per subcommand (about 25), side by
//! side so that their output conventions stay alike.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

use super::args::{Command, ExportFormatArg, TagCommand};
use super::extract::render_text;
use super::output::print_json;
use super::output::{self, articles_word, err, out, terminal_safe, unmoved_note};
use super::progress::{advance, progress_bar};
use crate::export::jsonl::stored_article_json;
use crate::library::{
    ArticleId, ArticleSummary, ImportMode, ImportOptions, ImportReport, Library, LibraryError,
    MatchedIn, MergeReport, ReextractReport, SearchHit, SortOrder, Stats, TagNode, unique_ids,
};

/// Run a library subcommand (everything but `extract`).
///
/// `offline` (the `--offline` flag) forbids every network request.
pub(super) fn run(
    command: Command,
    library: Option<PathBuf>,
    offline: bool,
) -> anyhow::Result<ExitCode> {
    let mut lib = open_library(library)?;
    if lib.is_read_only() {
        let path = lib.path().map(Path::to_owned).unwrap_or_default();
        if writes(&command) {
            return Err(LibraryError::ReadOnly { path }.into());
        }
        // Said once, on stderr, so the output itself stays as usual.
        err!(
            "folio: {} is read-only for this user; opened it for reading only",
            terminal_safe(&path.display().to_string())
        )?;
    }
    match command {
        Command::Extract { .. } => bail!("`extract` does not use the library"),
        Command::Import {
            update,
            json,
            batch_size,
            page_timeout,
            paths,
        } => {
            let options = ImportOptions {
                mode: if update {
                    ImportMode::Update
                } else {
                    ImportMode::SkipDuplicates
                },
                batch_size: usize::from(batch_size),
                page_time_budget: std::time::Duration::from_secs_f64(page_timeout),
            };
            import(&mut lib, &paths, &options, json, offline)
        }
        Command::Reextract { all, json, ids } => reextract(&mut lib, all, &unique_ids(&ids), json),
        Command::Search {
            query,
            sort,
            asc,
            desc,
            limit,
            json,
        } => search(&lib, &query.join(" "), sort.order(asc, desc), limit, json),
        Command::List {
            query,
            sort,
            asc,
            desc,
            limit,
            json,
        } => {
            let query = query.join(" ");
            let query = (!query.trim().is_empty()).then_some(query.as_str());
            let rows = lib.list(query, sort.order(asc, desc), limit_or_all(limit), 0)?;
            print_summaries(&rows, json)
        }
        Command::Show { id, json, version } => show(&lib, id, json, version),
        Command::Edit {
            id,
            title,
            published,
            byline,
            editor,
            site,
            url,
            reset,
        } => edit(
            &mut lib,
            id,
            &[
                ("title", title),
                ("published", published),
                ("byline", byline),
                ("editor", editor),
                ("site", site),
                ("url", url),
            ],
            &reset,
        ),
        Command::Versions { id, json } => super::versions::list(&lib, id, json),
        Command::Original {
            id,
            version,
            print_url,
        } => super::original::serve(&lib, id, version, print_url),
        Command::Diff { id, v1, v2, json } => super::versions::diff(&lib, id, v1, v2, json),
        Command::Version { action } => super::versions::version(&mut lib, action),
        Command::Tag { action } => tag(&mut lib, action),
        Command::Tags { json } => tags(&lib, json),
        Command::Collection { action } => super::organise::collection(&mut lib, action),
        Command::Collections { json } => super::organise::collections(&lib, json),
        Command::Mark {
            ids,
            read,
            unread,
            star,
            unstar,
        } => super::organise::mark(&mut lib, &ids, [read, unread, star, unstar]),
        Command::Note { id, set, edit } => note(&mut lib, id, set, edit),
        Command::Highlight { action } => super::highlight::highlight(&mut lib, action),
        Command::Highlights {
            json,
            format,
            style,
            sort,
            args,
        } => {
            let format = if json {
                super::highlight::HighlightsFormatArg::Json
            } else {
                format
            };
            super::highlight::highlights(&lib, &args, format, style.as_deref(), sort.into())
        }
        Command::Stats { json } => stats(&lib, json),
        Command::Check { quick } => check(&lib, quick),
        Command::Trash { empty: true, .. } => {
            let deleted = lib.empty_trash()?;
            out!(
                "deleted {} from the trash for good",
                articles_word(usize::try_from(deleted).unwrap_or(usize::MAX))
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Trash { ids, .. } => {
            let (moved, already) = move_each(&ids, |id| lib.trash(id))?;
            out!(
                "moved {} to the trash{}",
                articles_word(moved),
                unmoved_note(already, "in the trash")
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { ids } => {
            let (moved, already) = move_each(&ids, |id| lib.restore(id))?;
            out!(
                "restored {}{}",
                articles_word(moved),
                unmoved_note(already, "not in the trash")
            )?;
            Ok(ExitCode::SUCCESS)
        }
        // ---- missing images and settings (cli/fetch.rs) ---------------------
        Command::FetchImages {
            all,
            json,
            read_timeout,
            connect_timeout,
            max_bytes,
            ids,
        } => {
            let options = super::fetch::options(read_timeout, connect_timeout, max_bytes)?;
            let ids = unique_ids(&ids);
            super::fetch::fetch_images(&mut lib, (!all).then_some(&ids[..]), options, json, offline)
        }
        Command::Settings { key, value, json } => {
            super::settings::settings(&mut lib, key.as_deref(), value.as_deref(), json)
        }
        Command::Export {
            out,
            format,
            force,
            ids,
            query,
        } => export(&lib, out.as_deref(), format, force, ids, &query.join(" ")),
        Command::Cite {
            format,
            style,
            list_styles,
            ids,
        } => super::cite::cite(&lib, format.into(), style.as_deref(), list_styles, &ids),
        Command::Merge { file, json } => merge(&mut lib, &file, json),
    }
}

/// True when `command` changes the library (refused on a read-only one
/// before any work is done).
fn writes(command: &Command) -> bool {
    match command {
        Command::Import { .. }
        | Command::Reextract { .. }
        | Command::Tag { .. }
        | Command::Collection { .. }
        | Command::Mark { .. }
        | Command::Trash { .. }
        | Command::Restore { .. }
        | Command::FetchImages { .. }
        | Command::Highlight { .. }
        | Command::Version { .. }
        | Command::Edit { .. }
        | Command::Merge { .. } => true,
        Command::Note { set, edit, .. } => set.is_some() || *edit,
        Command::Settings { value, .. } => value.is_some(),
        Command::Extract { .. }
        | Command::Search { .. }
        | Command::List { .. }
        | Command::Show { .. }
        | Command::Versions { .. }
        | Command::Original { .. }
        | Command::Diff { .. }
        | Command::Tags { .. }
        | Command::Collections { .. }
        | Command::Stats { .. }
        | Command::Check { .. }
        | Command::Highlights { .. }
        | Command::Cite { .. }
        | Command::Export { .. } => false,
    }
}

/// Open the library at `path` (default: the platform's), creating its folder.
fn open_library(path: Option<PathBuf>) -> anyhow::Result<Library> {
    let path = path.unwrap_or_else(crate::samples::default_library);
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    let Some(from) = crate::library::schema::pending_upgrade(&path) else {
        return Ok(Library::open(&path)?);
    };
    err!("folio: {}", crate::library::schema::upgrade_notice(from))?;
    let bar = super::progress::progress_bar("upgrading the search index");
    let mut report = |done: usize, total: usize| {
        bar.set_length(u64::try_from(total).unwrap_or(u64::MAX));
        bar.set_position(u64::try_from(done).unwrap_or(u64::MAX));
    };
    let library = Library::open_with_progress(&path, Some(&mut report));
    bar.finish_and_clear();
    Ok(library?)
}

/// `--limit 0` means no limit.
fn limit_or_all(limit: usize) -> usize {
    if limit == 0 { usize::MAX } else { limit }
}

/// Apply `step` to each of `ids` once (a repeated id counts once); returns
/// how many moved and how many were where they were asked to go already.
fn move_each(
    ids: &[ArticleId],
    mut step: impl FnMut(ArticleId) -> Result<bool, LibraryError>,
) -> anyhow::Result<(usize, usize)> {
    let (mut moved, mut already) = (0, 0);
    for id in unique_ids(ids) {
        if step(id)? {
            moved += 1;
        } else {
            already += 1;
        }
    }
    Ok((moved, already))
}

// ---- import, reextract -------------------------------------------------------

fn import(
    lib: &mut Library,
    paths: &[PathBuf],
    options: &ImportOptions,
    json: bool,
    offline: bool,
) -> anyhow::Result<ExitCode> {
    let bar = progress_bar("importing");
    let cancel = AtomicBool::new(false);
    let report = lib.import_paths(paths, options, &|p| advance(&bar, p), &cancel);
    bar.finish_and_clear();
    let report = match report {
        Ok(report) => report,
        // Stopped part way (a full disk): say what was and was not imported.
        Err(LibraryError::ImportStopped { reason, report }) => {
            if json {
                let mut value = import_report_json(&report);
                if let Some(obj) = value.as_object_mut() {
                    obj.insert("stopped".to_owned(), reason.clone().into());
                }
                print_json(&value)?;
            } else {
                print_import_report(&report)?;
            }
            let err = LibraryError::ImportStopped { reason, report };
            bail!("{err}");
        }
        Err(err) => return Err(err.into()),
    };
    // Missing images, only when the `fetch_images_on_import` setting asks for it.
    let images = super::fetch::after_import(lib, &report.ids, offline)?;
    if json {
        let mut value = import_report_json(&report);
        if let (Some(images), Some(obj)) = (&images, value.as_object_mut()) {
            obj.insert("images".to_owned(), super::fetch::report_json(images));
        }
        print_json(&value)?;
    } else {
        print_import_report(&report)?;
        if let Some(images) = &images {
            super::fetch::print_report(images)?;
        }
    }
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A failure line: the reason, prefixed by the path unless it names it already.
fn failure_line(path: &Path, reason: &str) -> String {
    let shown = path.display().to_string();
    if reason.contains(&shown) {
        terminal_safe(reason).into_owned()
    } else {
        format!("{}: {}", terminal_safe(&shown), terminal_safe(reason))
    }
}

fn print_import_report(report: &ImportReport) -> anyhow::Result<()> {
    let mut out = output::stdout();
    writeln!(
        out,
        "imported {}, updated {}, upgraded {}, new versions {}, restored {}, duplicates {}, failed {} ({} files)",
        report.imported,
        report.updated,
        report.upgraded.len(),
        report.versioned.len(),
        report.restored.len(),
        report.duplicates,
        report.failed.len(),
        report.files
    )?;
    for (path, id) in &report.upgraded {
        writeln!(
            out,
            "  upgraded: {} is now the copy shown of article {} (a richer copy; the earlier copy is kept)",
            terminal_safe(&path.display().to_string()),
            id.0
        )?;
    }
    for (path, id) in &report.versioned {
        writeln!(
            out,
            "  new version: {} is another copy of article {} (its text or images differ): kept as a version, the copy shown is unchanged",
            terminal_safe(&path.display().to_string()),
            id.0
        )?;
    }
    for (path, id) in &report.restored {
        writeln!(
            out,
            "  restored: {} is article {}, which was in the trash: it is back in the library",
            terminal_safe(&path.display().to_string()),
            id.0
        )?;
    }
    for (path, id, other) in &report.separate {
        writeln!(
            out,
            "  separate: {} has the same address as article {} but different text: kept as a separate article ({})",
            terminal_safe(&path.display().to_string()),
            other.0,
            id.0
        )?;
    }
    for (path, id) in &report.duplicate_of {
        writeln!(
            out,
            "  duplicate: {} is article {} (an identical copy: recorded as seen again)",
            terminal_safe(&path.display().to_string()),
            id.0
        )?;
    }
    for (path, reason) in &report.failed {
        writeln!(out, "  failed: {}", failure_line(path, reason))?;
    }
    for (path, reason) in &report.skipped {
        writeln!(out, "  skipped: {}", failure_line(path, reason))?;
    }
    if report.cancelled {
        writeln!(out, "the import was cancelled before every file was done")?;
    }
    Ok(())
}

fn import_report_json(report: &ImportReport) -> Value {
    json!({
        "files": report.files,
        "imported": report.imported,
        "updated": report.updated,
        "duplicates": report.duplicates,
        "upgraded": report
            .upgraded
            .iter()
            .map(|(path, id)| json!({"file": path.display().to_string(), "id": id.0}))
            .collect::<Vec<_>>(),
        "versioned": report
            .versioned
            .iter()
            .map(|(path, id)| json!({"file": path.display().to_string(), "id": id.0}))
            .collect::<Vec<_>>(),
        "restored": report
            .restored
            .iter()
            .map(|(path, id)| json!({"file": path.display().to_string(), "id": id.0}))
            .collect::<Vec<_>>(),
        "separate": report
            .separate
            .iter()
            .map(|(path, id, other)| {
                json!({"file": path.display().to_string(), "id": id.0, "same_address_as": other.0})
            })
            .collect::<Vec<_>>(),
        "duplicate_of": report
            .duplicate_of
            .iter()
            .map(|(path, id)| json!({"file": path.display().to_string(), "id": id.0}))
            .collect::<Vec<_>>(),
        "failed": report
            .failed
            .iter()
            .map(|(path, reason)| json!({"file": path.display().to_string(), "reason": reason}))
            .collect::<Vec<_>>(),
        "skipped": report
            .skipped
            .iter()
            .map(|(path, reason)| json!({"file": path.display().to_string(), "reason": reason}))
            .collect::<Vec<_>>(),
        "ids": report.ids.iter().map(|id| id.0).collect::<Vec<_>>(),
        "cancelled": report.cancelled,
    })
}

fn reextract(
    lib: &mut Library,
    all: bool,
    ids: &[ArticleId],
    json: bool,
) -> anyhow::Result<ExitCode> {
    let bar = progress_bar("re-extracting");
    let cancel = AtomicBool::new(false);
    let report = lib.reextract((!all).then_some(ids), &|p| advance(&bar, p), &cancel);
    bar.finish_and_clear();
    let report: ReextractReport = report?;
    if json {
        print_json(&json!({
            "updated": report.updated,
            "failed": report
                .failed
                .iter()
                .map(|(id, reason)| json!({"id": id.0, "reason": reason}))
                .collect::<Vec<_>>(),
            "cancelled": report.cancelled,
        }))?;
    } else {
        let mut out = output::stdout();
        writeln!(
            out,
            "re-extracted {}, failed {}",
            report.updated,
            report.failed.len()
        )?;
        for (id, reason) in &report.failed {
            writeln!(out, "  failed: article {id}: {}", terminal_safe(reason))?;
        }
    }
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

// ---- search, list, show ------------------------------------------------------

/// The JSON object of a list row.
fn summary_json(summary: &ArticleSummary) -> Value {
    json!({
        "id": summary.id.0,
        "title": summary.title,
        "published": summary.published,
        "site": summary.site,
        "url": summary.url,
        "lang": summary.lang,
        "tags": summary.tags,
        "source": summary.source_file,
        "added": summary.added_at,
        "has_note": summary.has_note,
        "read": summary.read,
        "starred": summary.starred,
    })
}

/// One text line of a list row: id, date, title, site.
fn summary_line(summary: &ArticleSummary) -> String {
    let date = summary
        .published
        .as_deref()
        .map_or("----------", crate::model::date::display_date);
    let mut line = format!(
        "{:>6}  {:<10}  {}",
        summary.id,
        terminal_safe(date),
        terminal_safe(&summary.title)
    );
    if let Some(site) = &summary.site {
        line.push_str(&format!("  — {}", terminal_safe(site)));
    }
    if !summary.tags.is_empty() {
        line.push_str(&format!("  [{}]", terminal_safe(&summary.tags.join(", "))));
    }
    line
}

fn print_summaries(rows: &[ArticleSummary], json: bool) -> anyhow::Result<ExitCode> {
    if json {
        print_json(&Value::Array(rows.iter().map(summary_json).collect()))?;
    } else {
        let mut out = output::stdout();
        for row in rows {
            writeln!(out, "{}", summary_line(row))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn search(
    lib: &Library,
    query: &str,
    order: SortOrder,
    limit: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let hits: Vec<SearchHit> = lib.search_sorted(query, order, limit_or_all(limit), 0)?;
    if json {
        let values = hits
            .iter()
            .map(|hit| {
                let mut value = summary_json(&hit.summary);
                if let Some(obj) = value.as_object_mut() {
                    obj.insert("snippet".to_owned(), hit.snippet.text.clone().into());
                    // Character ranges of the snippet to highlight.
                    let marks: Vec<[usize; 2]> = hit
                        .snippet
                        .char_ranges()
                        .into_iter()
                        .map(|r| [r.start, r.end])
                        .collect();
                    obj.insert("highlights".to_owned(), json!(marks));
                    obj.insert("rank".to_owned(), hit.rank.into());
                    obj.insert(
                        "matched_in".to_owned(),
                        hit.matched_in.map(|m| m.as_str()).into(),
                    );
                }
                value
            })
            .collect();
        print_json(&Value::Array(values))?;
    } else {
        let mut out = output::stdout();
        for hit in &hits {
            writeln!(out, "{}", summary_line(&hit.summary))?;
            if !hit.snippet.text.is_empty() {
                // Say where a hit outside the body was found.
                let place = match hit.matched_in {
                    Some(
                        m @ (MatchedIn::Note
                        | MatchedIn::HighlightComment
                        | MatchedIn::EarlierVersion),
                    ) => {
                        format!("[{}] ", m.as_str())
                    }
                    _ => String::new(),
                };
                writeln!(
                    out,
                    "        {place}{}",
                    terminal_safe(&hit.snippet.text.replace('\n', " "))
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(
    lib: &Library,
    id: ArticleId,
    json: bool,
    version: Option<usize>,
) -> anyhow::Result<ExitCode> {
    let stored = match version {
        Some(number) => lib.version(id, number, true)?,
        None => lib.article(id)?,
    };
    if json {
        print_json(&stored_article_json(&stored))?;
    } else {
        let mut out = output::stdout();
        write!(out, "{}", render_text(&stored.article, &stored.source_file))?;
        writeln!(out, "Folio id: {}", stored.id)?;
        writeln!(out, "Added: {}", terminal_safe(&stored.added_at))?;
        let versions = lib.version_count(id)?;
        if let Some(number) = version {
            writeln!(
                out,
                "Version: {number} of {versions}, stored {}",
                terminal_safe(&stored.updated_at)
            )?;
        } else if versions > 1 {
            writeln!(out, "Versions: {versions} (folio versions {id})")?;
        }
        if let Some(when) = &stored.deleted_at {
            writeln!(out, "In the trash since: {}", terminal_safe(when))?;
        }
        writeln!(
            out,
            "Tags: {}",
            if stored.tags.is_empty() {
                "(none)".to_owned()
            } else {
                terminal_safe(&stored.tags.join(", ")).into_owned()
            }
        )?;
        for edit in &stored.edits {
            writeln!(
                out,
                "Corrected {}: Folio read {}",
                edit.field,
                terminal_safe(edit.extracted.as_deref().unwrap_or("nothing"))
            )?;
        }
        match &stored.note {
            Some(note) => writeln!(out, "Note:\n{note}")?,
            None => writeln!(out, "Note: (none)")?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `folio edit ID [--FIELD VALUE]… [--reset FIELD]…`: every value checked
/// before any is written, then each correction and reset, then what the
/// article's details are now.
fn edit(
    lib: &mut Library,
    id: ArticleId,
    values: &[(&str, Option<String>)],
    reset: &[String],
) -> anyhow::Result<ExitCode> {
    let given: Vec<(&str, &String)> = values
        .iter()
        .filter_map(|(field, value)| value.as_ref().map(|v| (*field, v)))
        .collect();
    if given.is_empty() && reset.is_empty() {
        bail!(
            "nothing to change: give --title, --published, --byline, --editor, --site, --url or --reset FIELD"
        );
    }
    for (field, value) in &given {
        crate::library::edits_check(field, value)?;
    }
    lib.article(id)?;
    for field in reset {
        if !lib.reset_field(id, field)? {
            out!("{}: was not corrected", terminal_safe(field))?;
        }
    }
    for (field, value) in given {
        lib.edit_field(id, field, value)?;
    }
    let stored = lib.article(id)?;
    for edit in &stored.edits {
        out!(
            "{}: {} (Folio read: {})",
            edit.field,
            terminal_safe(edit.value.as_deref().unwrap_or("(cleared)")),
            terminal_safe(edit.extracted.as_deref().unwrap_or("(nothing)"))
        )?;
    }
    if stored.edits.is_empty() {
        out!("article {id}: every detail as Folio read it")?;
    }
    Ok(ExitCode::SUCCESS)
}

// ---- tags, notes --------------------------------------------------------------

/// Borrow a list of owned strings as `&str`s.
fn strs(tags: &[String]) -> Vec<&str> {
    tags.iter().map(String::as_str).collect()
}

fn tag(lib: &mut Library, action: TagCommand) -> anyhow::Result<ExitCode> {
    match action {
        TagCommand::Add { id, tags } => lib.add_tags(id, &strs(&tags))?,
        TagCommand::Remove { id, tags } => lib.remove_tags(id, &strs(&tags))?,
        TagCommand::Rename { old, new } => lib.rename_tag(&old, &new)?,
        TagCommand::Delete { tag } => lib.delete_tag(&tag)?,
        TagCommand::Colour { tag, colour } => lib.set_tag_colour(&tag, colour.as_deref())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn tags(lib: &Library, json: bool) -> anyhow::Result<ExitCode> {
    let tags: Vec<TagNode> = lib.tag_tree()?;
    if json {
        print_json(&Value::Array(
            tags.iter()
                .map(|t| {
                    json!({
                        "name": t.name,
                        "label": t.label,
                        "depth": t.depth,
                        "exists": t.exists,
                        "count": t.count,
                        "total": t.total,
                        "colour": t.colour,
                        "own_colour": t.own_colour,
                    })
                })
                .collect(),
        ))?;
    } else {
        let mut out = output::stdout();
        for t in &tags {
            let mut line = format!(
                "{:>6}  {}{}",
                t.count,
                "  ".repeat(t.depth),
                terminal_safe(&t.label)
            );
            if t.total != t.count {
                line.push_str(&format!("  [{} with the tags below]", t.total));
            }
            if let Some(colour) = &t.colour {
                line.push_str(&format!("  ({})", terminal_safe(colour)));
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn note(
    lib: &mut Library,
    id: ArticleId,
    set: Option<String>,
    edit: bool,
) -> anyhow::Result<ExitCode> {
    if let Some(text) = set {
        lib.set_note(id, &text)?;
    } else if edit {
        let current = lib.note(id)?.unwrap_or_default();
        let edited = edit_in_editor(id, &current)?;
        if edited == current {
            err!("folio: note unchanged")?;
        } else {
            lib.set_note(id, &edited)?;
        }
    } else {
        // Fails with "no article with id N" for unknown ids.
        if let Some(note) = lib.note(id)? {
            out!("{note}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Let the user edit `text` in `$VISUAL`/`$EDITOR` (default `vi`, or
/// `notepad` on Windows); returns the edited text.
fn edit_in_editor(id: ArticleId, text: &str) -> anyhow::Result<String> {
    let editor = std::env::var("VISUAL")
        .ok()
        .or_else(|| std::env::var("EDITOR").ok())
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| if cfg!(windows) { "notepad" } else { "vi" }.to_owned());
    let path = std::env::temp_dir().join(format!("folio-note-{id}-{}.md", std::process::id()));
    // create_new: never write through a file or link someone else put there.
    std::fs::File::create_new(&path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
        .with_context(|| format!("cannot write the temporary file {}", path.display()))?;
    let result = run_editor(&editor, &path).and_then(|()| {
        std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read back {}", path.display()))
    });
    if let Err(err) = std::fs::remove_file(&path) {
        log::warn!("could not remove {}: {err}", path.display());
    }
    result
}

/// Run `editor` (a program, possibly followed by arguments) on `path`.
fn run_editor(editor: &str, path: &Path) -> anyhow::Result<()> {
    let mut words = editor.split_whitespace();
    let Some(program) = words.next() else {
        bail!("no editor set");
    };
    let status = std::process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
        .with_context(|| format!("cannot start the editor {editor:?}"))?;
    if !status.success() {
        bail!("the editor {editor:?} failed ({status}); the note was not changed");
    }
    Ok(())
}

// ---- export, merge ------------------------------------------------------------

fn export(
    lib: &Library,
    out: Option<&Path>,
    format: ExportFormatArg,
    force: bool,
    ids: Vec<ArticleId>,
    query: &str,
) -> anyhow::Result<ExitCode> {
    let ids = if ids.is_empty() {
        let query = (!query.trim().is_empty()).then_some(query);
        lib.matching_ids(query)?
    } else {
        ids
    };
    let Some(out) = out else {
        return match crate::export::ExportFormat::from(format) {
            crate::export::ExportFormat::References(format) => {
                super::cite::print_references(lib, &ids, format)
            }
            _ => bail!("--out is needed: where to write the export"),
        };
    };
    let bar = progress_bar("exporting");
    let cancel = AtomicBool::new(false);
    let result = crate::export::export(
        lib,
        format.into(),
        &crate::library::ExportJob {
            ids: &ids,
            out,
            overwrite: force,
            progress: &|p| advance(&bar, p),
            cancel: &cancel,
        },
    );
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            let images = if report.images > 0 {
                format!(
                    " and {} image{}",
                    report.images,
                    if report.images == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            };
            out!(
                "exported {}{images} to {}",
                articles_word(report.articles),
                terminal_safe(&out.display().to_string())
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(crate::library::ExportError::TargetExists(path)) => {
            bail!(
                "{} exists already; use --force to replace it",
                path.display()
            )
        }
        Err(err) => Err(err.into()),
    }
}

fn merge(lib: &mut Library, file: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let bar = progress_bar("merging");
    let cancel = AtomicBool::new(false);
    let report = lib.merge_from(file, &|p| advance(&bar, p), &cancel);
    bar.finish_and_clear();
    let report: MergeReport = report?;
    if json {
        print_json(&json!({
            "articles": report.articles,
            "added": report.added,
            "duplicates": report.duplicates,
            "restored": report.restored,
            "copies_kept": report.copies_kept,
            "separate": report.separate,
            "tags_added": report.tags_added,
            "tags_refused": report.tags_refused,
            "notes_appended": report.notes_appended,
            "highlights_added": report.highlights_added,
            "collections_added": report.collections_added,
            "edits_taken": report.edits_taken,
            "edits_kept_local": report.edits_kept_local,
            "ids": report.ids.iter().map(|id| id.0).collect::<Vec<_>>(),
        }))?;
    } else {
        out!(
            "merged {}: {} in the file, added {}, already here {} (tags and notes merged), \
             restored from the trash {}, differing copies kept {}, same address but different \
             text (added as separate articles) {}, \
             new tags {}, notes appended {}, highlights added {}, collections added {}",
            terminal_safe(&file.display().to_string()),
            report.articles,
            report.added,
            report.duplicates,
            report.restored,
            report.copies_kept,
            report.separate,
            report.tags_added,
            report.notes_appended,
            report.highlights_added,
            report.collections_added
        )?;
        if report.edits_taken + report.edits_kept_local > 0 {
            out!(
                "corrected details: {} taken from the file, {} left as corrected here (this library's correction is newer)",
                report.edits_taken,
                report.edits_kept_local
            )?;
        }
        for name in &report.tags_refused {
            out!(
                "  tag refused: {} (over {} levels or {} characters; the articles were merged without it)",
                terminal_safe(name),
                crate::library::MAX_TAG_DEPTH,
                crate::library::MAX_TAG_CHARS
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

// ---- stats, check -------------------------------------------------------------

/// A byte count for people: `12.3 MB`.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn stats(lib: &Library, json: bool) -> anyhow::Result<ExitCode> {
    let s: Stats = lib.stats()?;
    let path = lib.path().map(|p| p.display().to_string());
    if json {
        print_json(&json!({
            "articles": s.articles,
            "trashed": s.trashed,
            "images": s.images,
            "image_bytes": s.image_bytes,
            "original_bytes": s.original_bytes,
            "tags": s.tags,
            "notes": s.notes,
            "highlights": s.highlights,
            "orphaned_highlights": s.orphans,
            "unread": s.unread,
            "starred": s.starred,
            "collections": s.collections,
            "kept_copies": s.kept_copies,
            "file_bytes": s.file_bytes,
            "schema_version": s.schema_version,
            "path": path,
        }))?;
    } else {
        let mut out = output::stdout();
        if let Some(path) = &path {
            writeln!(out, "library         {}", terminal_safe(path))?;
        }
        writeln!(out, "articles        {}", s.articles)?;
        writeln!(out, "in the trash    {}", s.trashed)?;
        writeln!(
            out,
            "images          {} ({})",
            s.images,
            human_bytes(s.image_bytes)
        )?;
        writeln!(
            out,
            "originals       {} compressed",
            human_bytes(s.original_bytes)
        )?;
        writeln!(out, "tags            {}", s.tags)?;
        writeln!(out, "notes           {}", s.notes)?;
        writeln!(
            out,
            "highlights      {} ({} orphaned)",
            s.highlights, s.orphans
        )?;
        writeln!(out, "unread          {}", s.unread)?;
        writeln!(out, "starred         {}", s.starred)?;
        writeln!(out, "collections     {}", s.collections)?;
        writeln!(out, "kept copies     {}", s.kept_copies)?;
        writeln!(out, "file size       {}", human_bytes(s.file_bytes))?;
        writeln!(out, "schema version  {}", s.schema_version)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn check(lib: &Library, quick: bool) -> anyhow::Result<ExitCode> {
    let mut report = lib.check_report(quick)?;
    report
        .notes
        .extend(crate::export::clear_partials_beside(lib));
    for note in &report.notes {
        err!("folio: {}", terminal_safe(note))?;
    }
    let problems = report.problems;
    let mut out = output::stdout();
    // Not a problem: orphans are kept on purpose, but the user should know.
    let orphans = lib.orphaned_highlights()?;
    if orphans > 0 {
        writeln!(
            out,
            "{orphans} orphaned highlight{} (text no longer found after the article changed; \
             see `folio highlights`)",
            if orphans == 1 { "" } else { "s" }
        )?;
    }
    if problems.is_empty() {
        writeln!(out, "ok")?;
        Ok(ExitCode::SUCCESS)
    } else {
        for problem in &problems {
            writeln!(out, "{}", terminal_safe(problem))?;
        }
        writeln!(
            out,
            "{} problem{} found",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        )?;
        Ok(ExitCode::FAILURE)
    }
}

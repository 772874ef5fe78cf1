//! Organising subcommands: `collection`, `collections` and `mark`. Output
//! through `cli::output` only; every read and write through [`Library`].

use std::process::ExitCode;

use serde_json::{Value, json};

use super::args::CollectionCommand;
use super::output::{self, articles_word, out, print_json, terminal_safe, unmoved_note};
use crate::library::{ArticleId, Library};

/// `folio collection add|rm|rename`.
pub(super) fn collection(lib: &mut Library, action: CollectionCommand) -> anyhow::Result<ExitCode> {
    match action {
        CollectionCommand::Add { name, query } => {
            let query = query.join(" ");
            let created = lib.save_collection(&name, &query)?;
            let count = lib.count(Some(&query))?;
            out!(
                "{} the collection {} ({})",
                if created { "saved" } else { "updated" },
                terminal_safe(name.trim()),
                articles_word(usize::try_from(count).unwrap_or(usize::MAX))
            )?;
        }
        CollectionCommand::Rm { name } => {
            lib.remove_collection(&name)?;
            out!("deleted the collection {}", terminal_safe(name.trim()))?;
        }
        CollectionCommand::Rename { old, new } => {
            lib.rename_collection(&old, &new)?;
            out!(
                "renamed the collection {} to {}",
                terminal_safe(old.trim()),
                terminal_safe(new.trim())
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `folio collections [--json]`: name, query, live count.
pub(super) fn collections(lib: &Library, json: bool) -> anyhow::Result<ExitCode> {
    let rows = lib.collection_counts()?;
    if json {
        print_json(&Value::Array(
            rows.iter()
                .map(|c| {
                    json!({
                        "name": c.collection.name,
                        "query": c.collection.query,
                        "count": c.count,
                        "created": c.collection.created_at,
                        "error": c.error,
                    })
                })
                .collect(),
        ))?;
    } else {
        let mut out = output::stdout();
        for c in &rows {
            let count = c.count.map_or_else(|| "?".to_owned(), |n| n.to_string());
            write!(
                out,
                "{count:>6}  {}  {}",
                terminal_safe(&c.collection.name),
                terminal_safe(&c.collection.query)
            )?;
            match &c.error {
                Some(error) => writeln!(out, "  ({})", terminal_safe(error))?,
                None => writeln!(out)?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `folio mark ID… --read|--unread|--star|--unstar`; `flags` in that order
/// (clap lets at most one be set).
pub(super) fn mark(
    lib: &mut Library,
    ids: &[ArticleId],
    flags: [bool; 4],
) -> anyhow::Result<ExitCode> {
    let (changed, state) = match flags {
        [true, ..] => (lib.mark_read(ids, true)?, "read"),
        [_, true, ..] => (lib.mark_read(ids, false)?, "unread"),
        [_, _, true, _] => (lib.set_starred(ids, true)?, "starred"),
        [.., true] => (lib.set_starred(ids, false)?, "not starred"),
        _ => anyhow::bail!("say what to mark: --read, --unread, --star or --unstar"),
    };
    let asked = crate::library::unique_ids(ids).len();
    let already = asked - changed.min(asked);
    let note = unmoved_note(already, state);
    out!("marked {} {state}{note}", articles_word(changed))?;
    Ok(ExitCode::SUCCESS)
}

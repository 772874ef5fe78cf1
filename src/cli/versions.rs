//! `folio versions`, `folio diff` and `folio version rm`: the copies kept of
//! an article and what changed between them.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde_json::json;

use super::args::VersionCommand;
use super::output::{self, print_json, terminal_safe};
use crate::library::{ArticleId, Library, VersionInfo};
use crate::model::diff::{Diff, ParagraphChange, SpanOp};

/// How long a comparison refines changed paragraphs before it shows the
/// rest whole (`complete: false`).
pub(crate) const DIFF_BUDGET: Duration = Duration::from_secs(3);

/// `folio versions ID [--json]`.
pub(super) fn list(lib: &Library, id: ArticleId, json: bool) -> anyhow::Result<ExitCode> {
    let versions = lib.versions(id)?;
    if json {
        print_json(&serde_json::to_value(&versions)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = output::stdout();
    writeln!(
        out,
        "article {id}: {} (* the one shown)",
        counted(versions.len(), "version", "versions")
    )?;
    for v in &versions {
        writeln!(out, "{}", version_line(v))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One version as a line of `folio versions`.
fn version_line(v: &VersionInfo) -> String {
    let size = v
        .original_size
        .map_or_else(|| "no original".to_owned(), human_size);
    let changes = if v.number == 1 {
        "first".to_owned()
    } else {
        let mut parts = Vec::new();
        if v.inserted > 0 {
            parts.push(format!("+{}", v.inserted));
        }
        if v.deleted > 0 {
            parts.push(format!("-{}", v.deleted));
        }
        if v.changed > 0 {
            parts.push(format!("~{}", v.changed));
        }
        if parts.is_empty() {
            "same paragraphs".to_owned()
        } else {
            format!("{} paragraphs", parts.join(" "))
        }
    };
    let seen = if v.seen_again > 0 {
        format!(", seen again {}×", v.seen_again)
    } else {
        String::new()
    };
    let captured = v.captured_at.as_deref().map_or_else(String::new, |at| {
        format!(", captured {}", terminal_safe(at))
    });
    format!(
        "{:>3}{} {}  {} ({}, {}{})  {} paragraphs, {}  {}  {}{}",
        v.number,
        if v.shown { "*" } else { " " },
        terminal_safe(&v.imported_at),
        terminal_safe(&v.source_file),
        terminal_safe(&v.source_format),
        size,
        captured,
        v.paragraphs,
        counted(v.images, "image", "images"),
        changes,
        v.content_hash.get(..12).unwrap_or(&v.content_hash),
        seen,
    )
}

fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn human_size(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // a size shown to one decimal
    let kb = bytes as f64 / 1024.0;
    if kb < 1024.0 {
        format!("{kb:.1} KB")
    } else {
        format!("{:.1} MB", kb / 1024.0)
    }
}

/// `folio diff ID [V1 V2] [--json]`.
pub(super) fn diff(
    lib: &Library,
    id: ArticleId,
    v1: Option<usize>,
    v2: Option<usize>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let count = lib.version_count(id)?;
    let (old, new) = match (v1, v2) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, count),
        _ => (count.saturating_sub(1).max(1), count),
    };
    let diff = lib.compare_versions(id, old, new, Instant::now() + DIFF_BUDGET)?;
    if json {
        let mut value = serde_json::to_value(&diff)?;
        if let Some(obj) = value.as_object_mut() {
            obj.insert("article".to_owned(), json!(id.0));
            obj.insert("old".to_owned(), json!(old));
            obj.insert("new".to_owned(), json!(new));
        }
        print_json(&value)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = output::stdout();
    write!(out, "{}", render(id, old, new, &diff))?;
    Ok(ExitCode::SUCCESS)
}

/// A comparison as text: changed details, then the paragraphs (runs of
/// unchanged ones shortened to a count), then the images.
fn render(id: ArticleId, old: usize, new: usize, diff: &Diff) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let c = diff.counts;
    let _ = writeln!(
        s,
        "article {id}, version {old} → {new}: {} added, {} removed, {} edited, {} unchanged; images +{} -{}",
        c.inserted, c.deleted, c.changed, c.equal, c.images_added, c.images_removed
    );
    if !diff.complete {
        let _ = writeln!(
            s,
            "(the comparison ran out of time: some edited paragraphs are shown removed and added whole)"
        );
    }
    for field in &diff.metadata {
        let _ = writeln!(
            s,
            "{}: {} → {}",
            field.field,
            terminal_safe(field.old.as_deref().unwrap_or("(none)")),
            terminal_safe(field.new.as_deref().unwrap_or("(none)"))
        );
    }
    let mut unchanged = 0;
    let flush = |s: &mut String, unchanged: &mut usize| {
        if *unchanged > 0 {
            let _ = writeln!(
                s,
                "  … {} unchanged",
                counted(*unchanged, "paragraph", "paragraphs")
            );
            *unchanged = 0;
        }
    };
    for p in &diff.paragraphs {
        match p {
            ParagraphChange::Equal { .. } => unchanged += 1,
            ParagraphChange::Deleted { text, .. } => {
                flush(&mut s, &mut unchanged);
                let _ = writeln!(s, "- {}", terminal_safe(text));
            }
            ParagraphChange::Inserted { text, .. } => {
                flush(&mut s, &mut unchanged);
                let _ = writeln!(s, "+ {}", terminal_safe(text));
            }
            ParagraphChange::Changed { spans, .. } => {
                flush(&mut s, &mut unchanged);
                let line: String = spans
                    .iter()
                    .map(|span| match span.op {
                        SpanOp::Equal => span.text.clone(),
                        SpanOp::Deleted => format!("[-{}-]", span.text),
                        SpanOp::Inserted => format!("{{+{}+}}", span.text),
                    })
                    .collect();
                let _ = writeln!(s, "~ {}", terminal_safe(&line));
            }
        }
    }
    flush(&mut s, &mut unchanged);
    for image in &diff.images_removed {
        let _ = writeln!(s, "image removed: {}", terminal_safe(&image.label));
    }
    for image in &diff.images_added {
        let _ = writeln!(s, "image added: {}", terminal_safe(&image.label));
    }
    s
}

/// `folio version rm ID V`.
pub(super) fn version(lib: &mut Library, action: VersionCommand) -> anyhow::Result<ExitCode> {
    match action {
        VersionCommand::Rm { id, version } => {
            let removed = lib.remove_version(id, version)?;
            writeln!(
                output::stdout(),
                "removed version {} of article {id}: {} ({}, stored {}); {} left",
                removed.number,
                terminal_safe(&removed.source_file),
                terminal_safe(&removed.source_format),
                terminal_safe(&removed.imported_at),
                counted(lib.version_count(id)?, "version", "versions"),
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

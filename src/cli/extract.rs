//! `folio extract`: read and extract files without a library, printed as
//! text ([`render_text`]) or JSON, on every core in the order given.

use std::path::PathBuf;
use std::process::ExitCode;

use super::output::{self, err, terminal_safe};
use crate::model::json::article_json;

/// What one file given to `folio extract` gave: its articles (a web archive
/// gives one per page), each with the name to print, or why it could not be read.
type Extracted = Result<Vec<(String, crate::model::Article)>, String>;

/// Read and extract one file given to `folio extract`.
fn extract_one(file: &std::path::Path) -> Extracted {
    let name = file.display().to_string();
    if crate::read::warc::is_web_archive(file) {
        let pages = crate::read::warc::read_archive(file).map_err(|e| e.to_string())?;
        return Ok(pages
            .map(|source| {
                let page = source.saved_from.as_deref().unwrap_or_default();
                (format!("{name}#{page}"), crate::extract::extract(&source))
            })
            .collect());
    }
    let source = crate::read::read_path(file).map_err(|e| e.to_string())?;
    Ok(vec![(name, crate::extract::extract(&source))])
}

/// Files extracted at once on every core, printed in the order given.
const EXTRACT_CHUNK: usize = 256;

pub(super) fn extract_cmd(files: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    use rayon::prelude::*;
    let mut out = output::stdout();
    let mut failed = false;
    for chunk in files.chunks(EXTRACT_CHUNK) {
        // Largest files first, one at a time to each core, so that no core
        // is left with a big page at the end; printed in the order given.
        let mut order: Vec<(u64, usize)> = chunk
            .iter()
            .enumerate()
            .map(|(i, f)| (std::fs::metadata(f).map_or(0, |m| m.len()), i))
            .collect();
        order.sort_unstable_by(|a, b| b.cmp(a));
        let mut done: Vec<(usize, Extracted)> = order
            .par_iter()
            .with_max_len(1)
            .map(|&(_, i)| (i, extract_one(&chunk[i])))
            .collect();
        done.sort_unstable_by_key(|(i, _)| *i);
        let extracted = done
            .into_iter()
            .map(|(i, result)| (chunk[i].display().to_string(), result));
        for (name, result) in extracted {
            match result {
                Ok(articles) => {
                    for (name, article) in articles {
                        if json {
                            let mut value = article_json(&article);
                            if let Some(obj) = value.as_object_mut() {
                                obj.insert("file".to_owned(), name.into());
                            }
                            out.json(&value, false)?;
                        } else {
                            writeln!(out, "{}", render_text(&article, &name))?;
                        }
                    }
                }
                Err(err) => {
                    failed = true;
                    if json {
                        out.json(&serde_json::json!({"file": name, "error": err}), false)?;
                    } else {
                        err!("folio: {}", terminal_safe(&err))?;
                    }
                }
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// A plain-text rendering of an article for the terminal. Safe to print:
/// every field is one line ([`terminal_safe`]); body text keeps its line
/// breaks but no other control character ([`output::terminal_text`]).
pub fn render_text(article: &crate::model::Article, file: &str) -> String {
    use crate::model::Block;
    use output::terminal_text;
    let mut s = String::new();
    s.push_str(&format!("# {}\n", terminal_safe(&article.title)));
    let fields = [
        ("File", Some(file.to_owned())),
        ("By", article.byline.clone()),
        ("Editor", article.editor.clone()),
        ("Published", article.published.clone()),
        ("Site", article.site.clone()),
        ("URL", article.url.clone()),
        ("Language", article.lang.clone()),
        (
            "Captured",
            article
                .captured
                .as_ref()
                .map(|c| format!("{} {}", c.at, c.from.describe())),
        ),
        (
            "Source tags",
            (!article.source_tags.is_empty()).then(|| article.source_tags.join(", ")),
        ),
    ];
    for (label, value) in fields {
        if let Some(value) = value {
            s.push_str(&format!("{label}: {}\n", terminal_safe(&value)));
        }
    }
    s.push('\n');
    for block in &article.blocks {
        match block {
            Block::Heading { level, .. } => {
                s.push_str(&format!(
                    "{} {}\n\n",
                    "#".repeat(usize::from(*level).clamp(2, 6)),
                    terminal_safe(&block.text())
                ));
            }
            Block::Image(image) => {
                s.push_str(&format!(
                    "[image: {}{}]\n",
                    terminal_safe(&image.src),
                    if image.data.is_some() { " (local)" } else { "" }
                ));
                if let Some(caption) = &image.caption {
                    s.push_str(&format!("  {}\n", terminal_safe(caption)));
                }
                s.push('\n');
            }
            Block::List { ordered, items } => {
                for (n, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}.", n + 1)
                    } else {
                        "-".to_owned()
                    };
                    s.push_str(&format!("{marker} {}\n", terminal_text(&item.text())));
                }
                s.push('\n');
            }
            Block::Quote { .. } => s.push_str(&format!(
                "> {}\n\n",
                terminal_text(&block.text()).replace('\n', "\n> ")
            )),
            _ => s.push_str(&format!("{}\n\n", terminal_text(&block.text()))),
        }
    }
    for warning in &article.warnings {
        s.push_str(&format!("warning: {}\n", terminal_safe(warning)));
    }
    s
}

//! Headless subcommands over the same library API the GUI uses.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::model::json::article_json;

/// Folio: a native desktop archive manager for saved web articles.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about)]
pub struct Cli {
    /// The library file to use (default: the platform data directory's `folio/library.folio`).
    #[arg(long, global = true, value_name = "PATH")]
    pub library: Option<PathBuf>,
    /// Open the sample library (built on first use from the bundled sample articles).
    #[arg(long)]
    pub sample: bool,
    /// Initial window size, e.g. `1920x1080`.
    #[arg(long, value_name = "WxH")]
    pub window_size: Option<String>,
    /// What to do; without a command Folio opens its window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract the article(s) of saved pages and print them (nothing is stored).
    Extract {
        /// Print one JSON object per file per line.
        #[arg(long)]
        json: bool,
        /// Saved pages (.html, .htm, .mhtml, mirror .md/.txt, …).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// Run a subcommand and return the process exit code.
pub fn run(command: Command, _library: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    match command {
        Command::Extract { json, files } => extract_cmd(&files, json),
    }
}

fn extract_cmd(files: &[PathBuf], json: bool) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for file in files {
        let name = file.display().to_string();
        match crate::read::read_path(file) {
            Ok(source) => {
                let article = crate::extract::extract(&source);
                if json {
                    let mut value = article_json(&article);
                    if let Some(obj) = value.as_object_mut() {
                        obj.insert("file".to_owned(), name.into());
                    }
                    writeln!(out, "{value}")?;
                } else {
                    writeln!(out, "{}", render_text(&article, &name))?;
                }
            }
            Err(err) => {
                failed = true;
                if json {
                    writeln!(
                        out,
                        "{}",
                        serde_json::json!({"file": name, "error": err.to_string()})
                    )?;
                } else {
                    eprintln!("folio: {err}");
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

/// A plain-text rendering of an article for the terminal.
pub fn render_text(article: &crate::model::Article, file: &str) -> String {
    use crate::model::Block;
    let mut s = String::new();
    s.push_str(&format!("# {}\n", article.title));
    let fields = [
        ("File", Some(file.to_owned())),
        ("By", article.byline.clone()),
        ("Editor", article.editor.clone()),
        ("Published", article.published.clone()),
        ("Site", article.site.clone()),
        ("URL", article.url.clone()),
        ("Language", article.lang.clone()),
        (
            "Source tags",
            (!article.source_tags.is_empty()).then(|| article.source_tags.join(", ")),
        ),
    ];
    for (label, value) in fields {
        if let Some(value) = value {
            s.push_str(&format!("{label}: {value}\n"));
        }
    }
    s.push('\n');
    for block in &article.blocks {
        match block {
            Block::Heading { level, .. } => {
                s.push_str(&format!(
                    "{} {}\n\n",
                    "#".repeat(usize::from(*level).clamp(2, 6)),
                    block.text()
                ));
            }
            Block::Image(image) => {
                s.push_str(&format!(
                    "[image: {}{}]\n",
                    image.src,
                    if image.data.is_some() { " (local)" } else { "" }
                ));
                if let Some(caption) = &image.caption {
                    s.push_str(&format!("  {caption}\n"));
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
                    s.push_str(&format!("{marker} {}\n", item.text()));
                }
                s.push('\n');
            }
            Block::Quote { .. } => {
                s.push_str(&format!("> {}\n\n", block.text().replace('\n', "\n> ")))
            }
            _ => s.push_str(&format!("{}\n\n", block.text())),
        }
    }
    for warning in &article.warnings {
        s.push_str(&format!("warning: {warning}\n"));
    }
    s
}

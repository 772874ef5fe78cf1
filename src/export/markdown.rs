//! Articles as Markdown: YAML front matter (title, date, site, url, byline
//! and author, editor, lang, tags),
//! the body (headings, paragraphs with links, lists, quotes, code, tables,
//! images with their caption underneath) and the note under `## Note`.

use serde_json::Value;

use crate::library::{
    ExportJob, ExportReport, ExportResult as Result, Library, StoredArticle, VersionInfo,
};
use crate::model::links::safe_link;
use crate::model::{Block, Image, Inline, ListItem};

/// Write the articles `ids` as a folder of `.md` files at `out` (images in
/// `out/images/`); see [`super::export`].
pub fn export(lib: &Library, job: &ExportJob<'_>) -> Result<ExportReport> {
    super::folder::export_folder(
        lib,
        job,
        &super::folder::FolderFormat {
            ext: "md",
            name: "Markdown",
            reserved: &[],
            render: &render,
            finish: &|_, _| Ok(()),
        },
    )
}

/// A YAML scalar: a JSON string is a valid YAML double-quoted scalar.
fn yaml_string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// One Markdown document for `stored`; `image_paths` gives, per body image in
/// order, the local file to show (else the image's own URL is used).
/// `versions` (when it has several) are listed under `## Versions`.
pub fn render(
    stored: &StoredArticle,
    image_paths: &[Option<String>],
    versions: &[VersionInfo],
) -> String {
    let a = &stored.article;
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", yaml_string(&a.title)));
    let date = a
        .published
        .as_deref()
        .map(|d| crate::model::date::display_date(d).to_owned());
    for (key, value) in [
        ("date", &date),
        ("site", &a.site),
        (
            "url",
            &a.url.as_deref().and_then(safe_link).map(str::to_owned),
        ),
        ("byline", &a.byline),
        // `author` is the name Obsidian, Zotero's Markdown and Pandoc read.
        ("author", &a.byline),
        ("editor", &a.editor),
        ("lang", &a.lang),
    ] {
        if let Some(value) = value {
            out.push_str(&format!("{key}: {}\n", yaml_string(value)));
        }
    }
    // When the page was captured, as the file stated it, and where.
    if let Some(captured) = &a.captured {
        out.push_str(&format!("captured: {}\n", yaml_string(&captured.at)));
        out.push_str(&format!(
            "captured_from: {}\n",
            yaml_string(captured.from.as_str())
        ));
    }
    let tags: Vec<String> = stored.tags.iter().map(|t| yaml_string(t)).collect();
    out.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    out.push_str("---\n\n");
    out.push_str(&format!("# {}\n\n", escape_line_start(&escape(&a.title))));
    let mut images = image_paths.iter();
    for block in &a.blocks {
        render_block(block, &mut images, &mut out);
    }
    if let Some(note) = &stored.note {
        out.push_str("## Note\n\n");
        out.push_str(demote_headings(note).trim_end());
        out.push('\n');
    }
    render_highlights(&stored.highlights, &mut out);
    let lines = super::folder::version_lines(versions);
    if !lines.is_empty() {
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str("## Versions\n\n");
        for line in lines {
            out.push_str(&format!("- {}\n", escape(&line)));
        }
    }
    out
}

/// The note's ATX headings (`#` … `######`) moved down so the shallowest is
/// `###`, under the export's own `## Note`; fenced code is left alone, and
/// nothing goes deeper than `######`.
fn demote_headings(note: &str) -> String {
    let level = |line: &str| {
        let trimmed = line.trim_start_matches(' ');
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        let rest = &trimmed[hashes..];
        ((1..=6).contains(&hashes)
            && line.len() - trimmed.len() < 4
            && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then_some(hashes)
    };
    // Lines outside fenced code blocks, with whether each is inside one.
    let mut fence: Option<&str> = None;
    let lines: Vec<(&str, bool)> = note
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
            let inside = fence.is_some();
            match (fence, marker) {
                (None, Some(m)) => fence = Some(m),
                (Some(open), Some(m)) if open == m => fence = None,
                _ => {}
            }
            (line, inside || marker.is_some())
        })
        .collect();
    let shallowest = lines
        .iter()
        .filter(|(_, code)| !code)
        .filter_map(|(line, _)| level(line))
        .min();
    let Some(shift) = shallowest
        .map(|l| 3usize.saturating_sub(l))
        .filter(|s| *s > 0)
    else {
        return note.to_owned();
    };
    let mut out = String::with_capacity(note.len() + 16);
    for (line, code) in lines {
        match level(line).filter(|_| !code) {
            Some(l) => {
                let extra = (l + shift).min(6) - l;
                let indent = line.len() - line.trim_start_matches(' ').len();
                out.push_str(&line[..indent]);
                out.push_str(&"#".repeat(extra));
                out.push_str(&line[indent..]);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// `## Highlights`: each quote as a `>` block quote (every line quoted), its
/// comment below it as written (Markdown), an orphan marked as such; the
/// shape Obsidian and Logseq read as is.
fn render_highlights(highlights: &[crate::library::Highlight], out: &mut String) {
    if highlights.is_empty() {
        return;
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str("## Highlights\n\n");
    for h in highlights {
        for line in h.quote.exact.lines() {
            let line = escape_line_start(&escape(line.trim()));
            if line.is_empty() {
                out.push_str(">\n");
            } else {
                out.push_str(&format!("> {line}\n"));
            }
        }
        if h.orphan {
            out.push_str(">\n> *(no longer found in the article's current text)*\n");
        }
        out.push('\n');
        if !h.comment.trim().is_empty() {
            out.push_str(h.comment.trim_end());
            out.push_str("\n\n");
        }
    }
}

/// Escape Markdown's inline syntax characters in plain text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escape what would start a block at the beginning of a line (`#`, `-`,
/// `+`, `=`, `1.`) in text already passed through [`escape`].
fn escape_line_start(text: &str) -> String {
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
            let numbered =
                digits > 0 && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')'));
            if trimmed.starts_with(['#', '-', '+', '=', '~']) {
                format!("\\{trimmed}")
            } else if numbered {
                format!("{}\\{}", &trimmed[..digits], &trimmed[digits..])
            } else {
                trimmed.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A link target: `<…>` form when it has spaces or parentheses.
fn link_target(href: &str) -> String {
    if href.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", href.replace(['<', '>'], "").replace(' ', "%20"))
    } else {
        href.to_owned()
    }
}

/// Inline runs as Markdown.
pub fn inlines(runs: &[Inline]) -> String {
    let mut out = String::new();
    for run in runs {
        match run {
            Inline::Text { text } => out.push_str(&escape(text)),
            Inline::Link { href, children } => {
                let text = inlines(children);
                match safe_link(href) {
                    Some(href) => out.push_str(&format!("[{text}]({})", link_target(href))),
                    None => out.push_str(&text),
                }
            }
            Inline::Emphasis { children } => {
                let inner = inlines(children);
                if !inner.trim().is_empty() {
                    out.push_str(&format!("*{inner}*"));
                }
            }
            Inline::Strong { children } => {
                let inner = inlines(children);
                if !inner.trim().is_empty() {
                    out.push_str(&format!("**{inner}**"));
                }
            }
            Inline::Code { text } => out.push_str(&code_span(text)),
            Inline::LineBreak => out.push_str("\\\n"),
        }
    }
    out
}

/// An inline code span with enough backticks around it.
fn code_span(text: &str) -> String {
    let longest = longest_run(text, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

fn render_block<'a>(
    block: &Block,
    images: &mut impl Iterator<Item = &'a Option<String>>,
    out: &mut String,
) {
    match block {
        Block::Heading {
            level,
            inlines: runs,
        } => {
            let hashes = "#".repeat(usize::from(*level).clamp(2, 6));
            out.push_str(&format!(
                "{hashes} {}\n\n",
                inlines(runs).replace('\n', " ")
            ));
        }
        Block::Paragraph { inlines: runs } => {
            let text = escape_line_start(&inlines(runs));
            if !text.trim().is_empty() {
                out.push_str(&text);
                out.push_str("\n\n");
            }
        }
        Block::List { ordered, items } => {
            render_list(*ordered, items, images, out);
            out.push('\n');
        }
        Block::Quote { blocks } => {
            let mut inner = String::new();
            for block in blocks {
                render_block(block, images, &mut inner);
            }
            for line in inner.trim_end().lines() {
                if line.is_empty() {
                    out.push_str(">\n");
                } else {
                    out.push_str(&format!("> {line}\n"));
                }
            }
            out.push('\n');
        }
        Block::Code { text } => {
            let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
            out.push_str(&format!(
                "{fence}\n{}\n{fence}\n\n",
                text.trim_end_matches('\n')
            ));
        }
        Block::Table { rows } => render_table(rows, out),
        Block::Image(image) => {
            let local = images.next().and_then(Option::as_deref);
            render_image(image, local, out);
        }
    }
}

fn render_list<'a>(
    ordered: bool,
    items: &[ListItem],
    images: &mut impl Iterator<Item = &'a Option<String>>,
    out: &mut String,
) {
    for (n, item) in items.iter().enumerate() {
        let marker = if ordered {
            format!("{}. ", n + 1)
        } else {
            "- ".to_owned()
        };
        let indent = " ".repeat(marker.len());
        let text = inlines(&item.inlines);
        let mut lines = text.lines();
        out.push_str(&marker);
        out.push_str(lines.next().unwrap_or(""));
        out.push('\n');
        for line in lines {
            out.push_str(&format!("{indent}{line}\n"));
        }
        if !item.children.is_empty() {
            let mut inner = String::new();
            for child in &item.children {
                render_block(child, images, &mut inner);
            }
            for line in inner.trim_end().lines() {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{indent}{line}\n"));
                }
            }
        }
    }
}

fn render_table(rows: &[Vec<String>], out: &mut String) {
    let Some(width) = rows.iter().map(Vec::len).max().filter(|w| *w > 0) else {
        return;
    };
    let cell = |s: &str| escape(s).replace(['\n', '\r'], " ");
    for (i, row) in rows.iter().enumerate() {
        let mut cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        cells.resize(width, String::new());
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            out.push_str(&format!("|{}\n", " --- |".repeat(width)));
        }
    }
    out.push('\n');
}

fn render_image(image: &Image, local: Option<&str>, out: &mut String) {
    let alt = escape(image.alt.as_deref().unwrap_or("")).replace('\n', " ");
    // A remote image is linked only when its URL may be followed.
    if let Some(target) = local.or_else(|| safe_link(&image.src)) {
        out.push_str(&format!("![{alt}]({})\n", link_target(target)));
    }
    let caption = match (
        image.caption.as_deref(),
        super::folder::credit_to_show(image),
    ) {
        (Some(caption), Some(credit)) => Some(format!("{caption} ({credit})")),
        (Some(text), None) | (None, Some(text)) => Some(text.to_owned()),
        (None, None) => None,
    };
    if let Some(caption) = caption {
        out.push_str(&format!("*{}*\n", escape(&caption).replace('\n', " ")));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::demote_headings;

    #[test]
    fn a_notes_headings_go_under_the_note_section() {
        assert_eq!(
            demote_headings("## Heading\ntext\n### Sub\n####### not one\n#tag"),
            "### Heading\ntext\n#### Sub\n####### not one\n#tag\n"
        );
        assert_eq!(
            demote_headings("# Top\n```\n# a comment in code\n```\n###### Deep"),
            "### Top\n```\n# a comment in code\n```\n###### Deep\n"
        );
        // Already under `## Note`: left as written.
        assert_eq!(demote_headings("### Fine\ntext"), "### Fine\ntext");
        assert_eq!(demote_headings("no headings"), "no headings");
    }
}

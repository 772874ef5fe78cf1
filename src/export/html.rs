//! Articles as a folder of self-contained, readable HTML pages: `index.html`
//! lists them, each page has simple inline CSS, local images under
//! `images/` with captions in `<figcaption>`, and no scripts or remote
//! resources, so the folder works offline. All text is escaped. Highlights
//! are marked with `<mark>` in the body and listed after it.

use std::ops::Range;

use super::folder::PageEntry;
use crate::library::{ExportJob, ExportReport, ExportResult as Result, Library, StoredArticle};
use crate::model::canonical::{CanonicalText, Span};
use crate::model::links::safe_link;
use crate::model::{Block, Image, Inline, ListItem};

/// The style sheet inlined in every page.
const CSS: &str = "body{margin:0;background:#fbfaf7;color:#222;\
font:18px/1.7 -apple-system,'Segoe UI','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif}\
main{max-width:42em;margin:0 auto;padding:2em 1.2em 4em}\
h1{line-height:1.3;margin:.4em 0}h2,h3,h4{line-height:1.35}\
a{color:#1a5fb4}.meta{color:#666;font-size:.9em}\
.tags{list-style:none;padding:0;margin:.5em 0}.tags li{display:inline-block;margin:0 .4em .3em 0;\
padding:0 .6em;border-radius:1em;background:#e8e4da;font-size:.85em}\
figure{margin:1.5em 0}img{max-width:100%;height:auto;display:block;margin:0 auto}\
figcaption{color:#555;font-size:.9em;text-align:center;margin-top:.4em}\
.missing{border:1px dashed #bbb;padding:.8em;font-size:.9em;color:#666}\
blockquote{margin:1em 0;padding:0 1em;border-left:4px solid #ddd;color:#444}\
pre{background:#f0eee8;padding:.8em;overflow-x:auto;font-size:.85em;line-height:1.4}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em}\
.note{margin-top:3em;padding:1em 1.2em;background:#fff6d6;border-radius:.4em}\
.note-body{white-space:pre-wrap}ol.index{padding-left:1.4em}ol.index li{margin:.4em 0}";

/// Write the articles `ids` as a folder of HTML pages at `out`; see
/// [`super::export`].
pub fn export(lib: &Library, job: &ExportJob<'_>) -> Result<ExportReport> {
    super::folder::export_folder(
        lib,
        job,
        &super::folder::FolderFormat {
            ext: "html",
            name: "HTML",
            reserved: &["index.html"],
            render: &render_page,
            finish: &|root, pages| {
                std::fs::write(root.join("index.html"), render_index(pages))?;
                Ok(())
            },
        },
    )
}

/// Escape text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page head with the style sheet.
fn head(title: &str, lang: Option<&str>) -> String {
    let lang = lang.map_or(String::new(), |l| format!(" lang=\"{}\"", escape(l)));
    format!(
        "<!DOCTYPE html>\n<html{lang}>\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        escape(title)
    )
}

/// The index page listing `pages` with links.
pub fn render_index(pages: &[PageEntry]) -> String {
    let mut out = head("Folio export", None);
    out.push_str("<h1>Folio export</h1>\n");
    out.push_str(&format!(
        "<p class=\"meta\">{} article{}</p>\n<ol class=\"index\">\n",
        pages.len(),
        if pages.len() == 1 { "" } else { "s" }
    ));
    for page in pages {
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a>",
            escape(&percent_path(&page.file)),
            escape(&page.title)
        ));
        let meta: Vec<String> = [
            page.published
                .as_deref()
                .map(crate::model::date::display_date),
            page.site.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(escape)
        .collect();
        if !meta.is_empty() {
            out.push_str(&format!(
                " <span class=\"meta\">{}</span>",
                meta.join(" · ")
            ));
        }
        if !page.tags.is_empty() {
            out.push_str(&format!(
                " <span class=\"meta\">[{}]</span>",
                escape(&page.tags.join(", "))
            ));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</main>\n</body>\n</html>\n");
    out
}

/// Percent-encode what a relative URL cannot hold as is (`%`, `#`, `?`, spaces…).
fn percent_path(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, PATH_SET).to_string()
}

/// Characters percent-encoded in a file name used as a relative URL.
const PATH_SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'?')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b':');

/// One page for `stored`; `image_paths` gives, per body image in order, the
/// local file to show.
pub fn render_page(
    stored: &StoredArticle,
    image_paths: &[Option<String>],
    versions: &[crate::library::VersionInfo],
) -> String {
    let a = &stored.article;
    let mut out = head(&a.title, a.lang.as_deref());
    out.push_str("<p class=\"meta\"><a href=\"index.html\">← All articles</a></p>\n<article>\n");
    out.push_str(&format!("<h1>{}</h1>\n", escape(&a.title)));
    let mut meta = Vec::new();
    if let Some(byline) = &a.byline {
        meta.push(escape(byline));
    }
    if let Some(editor) = &a.editor {
        meta.push(format!("Editor: {}", escape(editor)));
    }
    if let Some(date) = &a.published {
        meta.push(format!(
            "<time datetime=\"{}\">{}</time>",
            escape(date),
            escape(crate::model::date::display_date(date))
        ));
    }
    match (&a.site, a.url.as_deref().and_then(safe_link)) {
        (Some(site), Some(url)) => {
            meta.push(format!("<a href=\"{}\">{}</a>", escape(url), escape(site)));
        }
        (None, Some(url)) => meta.push(format!("<a href=\"{}\">original</a>", escape(url))),
        (Some(site), None) => meta.push(escape(site)),
        (None, None) => {}
    }
    if let Some(captured) = &a.captured {
        meta.push(format!(
            "Captured <time datetime=\"{}\">{}</time> ({})",
            escape(&captured.at),
            escape(crate::model::date::display_date(&captured.at)),
            escape(captured.from.describe())
        ));
    }
    if !meta.is_empty() {
        out.push_str(&format!("<p class=\"meta\">{}</p>\n", meta.join(" · ")));
    }
    if !stored.tags.is_empty() {
        out.push_str("<ul class=\"tags\">");
        for tag in &stored.tags {
            out.push_str(&format!("<li>{}</li>", escape(tag)));
        }
        out.push_str("</ul>\n");
    }
    let mut images = image_paths.iter();
    let canonical = CanonicalText::new(&a.blocks);
    let mut marks = Marks {
        spans: canonical.spans.iter(),
        ranges: stored
            .highlights
            .iter()
            .filter(|h| !h.orphan)
            .map(|h| h.position.start..h.position.end)
            .collect(),
    };
    for block in &a.blocks {
        render_block(block, &mut images, &mut marks, &mut out);
    }
    out.push_str("</article>\n");
    render_highlights(&stored.highlights, &mut out);
    let lines = super::folder::version_lines(versions);
    if !lines.is_empty() {
        out.push_str("<section class=\"versions\">\n<h2>Versions</h2>\n<ul>\n");
        for line in lines {
            out.push_str(&format!("<li>{}</li>\n", escape(&line)));
        }
        out.push_str("</ul>\n</section>\n");
    }
    if let Some(note) = &stored.note {
        out.push_str(&format!(
            "<section class=\"note\">\n<h2>Note</h2>\n<div class=\"note-body\">{}</div>\n</section>\n",
            escape(note.trim_end())
        ));
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// Inline runs as HTML.
pub fn inlines(runs: &[Inline]) -> String {
    inlines_marked(runs, &[], &mut 0)
}

/// The highlights to mark, met span by span as the body is rendered in the
/// order of [`CanonicalText`] (which skips empty texts, as [`Marks::next`]
/// does).
struct Marks<'a> {
    spans: std::slice::Iter<'a, Span>,
    /// Anchored highlights, in canonical chars.
    ranges: Vec<Range<usize>>,
}

impl Marks<'_> {
    /// The highlighted char ranges inside the next span of text `text`.
    fn next(&mut self, text: &str) -> Vec<Range<usize>> {
        if text.is_empty() || self.ranges.is_empty() {
            if !text.is_empty() {
                self.spans.next();
            }
            return Vec::new();
        }
        let Some(span) = self.spans.next() else {
            return Vec::new();
        };
        self.ranges
            .iter()
            .filter(|r| r.start < span.range.end && r.end > span.range.start)
            .map(|r| {
                r.start.max(span.range.start) - span.range.start
                    ..r.end.min(span.range.end) - span.range.start
            })
            .collect()
    }
}

/// `text` escaped, with the chars in `marks` wrapped in `<mark>`; `pos` is
/// the char offset of `text` in its span and moves past it.
fn marked(text: &str, marks: &[Range<usize>], pos: &mut usize) -> String {
    if marks.is_empty() {
        *pos += text.chars().count();
        return escape(text);
    }
    let mut out = String::new();
    let mut run = String::new();
    let mut in_mark = false;
    for c in text.chars() {
        let inside = marks.iter().any(|m| m.contains(pos));
        if inside != in_mark {
            push_run(&mut out, &run, in_mark);
            run.clear();
            in_mark = inside;
        }
        run.push(c);
        *pos += 1;
    }
    push_run(&mut out, &run, in_mark);
    out
}

fn push_run(out: &mut String, run: &str, mark: bool) {
    if run.is_empty() {
        return;
    }
    if mark {
        out.push_str(&format!("<mark>{}</mark>", escape(run)));
    } else {
        out.push_str(&escape(run));
    }
}

/// [`inlines`] with the chars in `marks` (offsets in the runs' plain text,
/// [`crate::model::inline_text`]) wrapped in `<mark>`.
fn inlines_marked(runs: &[Inline], marks: &[Range<usize>], pos: &mut usize) -> String {
    let mut out = String::new();
    for run in runs {
        match run {
            Inline::Text { text } => out.push_str(&marked(text, marks, pos)),
            Inline::Link { href, children } => {
                let inner = inlines_marked(children, marks, pos);
                match safe_link(href) {
                    Some(href) => {
                        out.push_str(&format!("<a href=\"{}\">{inner}</a>", escape(href)));
                    }
                    None => out.push_str(&inner),
                }
            }
            Inline::Emphasis { children } => {
                out.push_str(&format!(
                    "<em>{}</em>",
                    inlines_marked(children, marks, pos)
                ));
            }
            Inline::Strong { children } => {
                out.push_str(&format!(
                    "<strong>{}</strong>",
                    inlines_marked(children, marks, pos)
                ));
            }
            Inline::Code { text } => {
                out.push_str(&format!("<code>{}</code>", marked(text, marks, pos)));
            }
            Inline::LineBreak => {
                out.push_str("<br>");
                *pos += 1;
            }
        }
    }
    out
}

/// Inline runs as HTML with the next span's highlights marked.
fn span_inlines(runs: &[Inline], marks: &mut Marks<'_>) -> String {
    let ranges = marks.next(&crate::model::inline_text(runs));
    inlines_marked(runs, &ranges, &mut 0)
}

/// Plain text as HTML with the next span's highlights marked.
fn span_text(text: &str, marks: &mut Marks<'_>) -> String {
    let ranges = marks.next(text);
    marked(text, &ranges, &mut 0)
}

/// The list of highlights after the article: quote, comment, orphans marked.
fn render_highlights(highlights: &[crate::library::Highlight], out: &mut String) {
    if highlights.is_empty() {
        return;
    }
    out.push_str("<section class=\"highlights\">\n<h2>Highlights</h2>\n");
    for h in highlights {
        out.push_str(&format!(
            "<blockquote class=\"highlight {}\"><p><mark>{}</mark></p>",
            h.colour,
            escape(&h.quote.exact).replace('\n', "<br>")
        ));
        if h.orphan {
            out.push_str("<p class=\"orphan\">No longer found in the article's current text.</p>");
        }
        out.push_str("</blockquote>\n");
        if !h.comment.trim().is_empty() {
            out.push_str(&format!(
                "<div class=\"note-body\">{}</div>\n",
                escape(h.comment.trim_end())
            ));
        }
    }
    out.push_str("</section>\n");
}

fn render_block<'a>(
    block: &Block,
    images: &mut impl Iterator<Item = &'a Option<String>>,
    marks: &mut Marks<'_>,
    out: &mut String,
) {
    match block {
        Block::Heading {
            level,
            inlines: runs,
        } => {
            let level = (*level).clamp(2, 6);
            out.push_str(&format!(
                "<h{level}>{}</h{level}>\n",
                span_inlines(runs, marks)
            ));
        }
        Block::Paragraph { inlines: runs } => {
            out.push_str(&format!("<p>{}</p>\n", span_inlines(runs, marks)));
        }
        Block::List { ordered, items } => render_list(*ordered, items, images, marks, out),
        Block::Quote { blocks } => {
            out.push_str("<blockquote>\n");
            for block in blocks {
                render_block(block, images, marks, out);
            }
            out.push_str("</blockquote>\n");
        }
        Block::Code { text } => out.push_str(&format!(
            "<pre><code>{}</code></pre>\n",
            span_text(text, marks)
        )),
        Block::Table { rows } => {
            out.push_str("<table>\n");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    out.push_str(&format!("<td>{}</td>", span_text(cell, marks)));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</table>\n");
        }
        Block::Image(image) => {
            let local = images.next().and_then(Option::as_deref);
            render_image(image, local, marks, out);
        }
    }
}

fn render_list<'a>(
    ordered: bool,
    items: &[ListItem],
    images: &mut impl Iterator<Item = &'a Option<String>>,
    marks: &mut Marks<'_>,
    out: &mut String,
) {
    let tag = if ordered { "ol" } else { "ul" };
    out.push_str(&format!("<{tag}>\n"));
    for item in items {
        out.push_str(&format!("<li>{}", span_inlines(&item.inlines, marks)));
        for child in &item.children {
            render_block(child, images, marks, out);
        }
        out.push_str("</li>\n");
    }
    out.push_str(&format!("</{tag}>\n"));
}

fn render_image(image: &Image, local: Option<&str>, marks: &mut Marks<'_>, out: &mut String) {
    let alt = escape(
        image
            .alt
            .as_deref()
            .or(image.caption.as_deref())
            .unwrap_or(""),
    );
    match local {
        Some(path) => {
            let size = match (image.width, image.height) {
                (Some(w), Some(h)) => format!(" width=\"{w}\" height=\"{h}\""),
                _ => String::new(),
            };
            out.push_str(&format!(
                "<figure>\n<img src=\"{}\" alt=\"{alt}\"{size} loading=\"lazy\">\n",
                escape(path)
            ));
        }
        // Not saved: a link to where it was, never a remote <img>.
        None => {
            out.push_str("<figure class=\"missing\">\n");
            match safe_link(&image.src) {
                Some(src) => out.push_str(&format!(
                    "<p>Image not saved: <a href=\"{}\">{}</a></p>\n",
                    escape(src),
                    escape(src)
                )),
                None => out.push_str("<p>Image not saved</p>\n"),
            }
        }
    }
    if image.caption.is_some() || image.credit.is_some() {
        out.push_str("<figcaption>");
        if let Some(caption) = &image.caption {
            out.push_str(&span_text(caption, marks));
        }
        if let Some(credit) = super::folder::credit_to_show(image) {
            out.push_str(&format!(
                " <span class=\"credit\">{}</span>",
                escape(credit)
            ));
        }
        out.push_str("</figcaption>\n");
    }
    out.push_str("</figure>\n");
}

//! Turning an HTML subtree into Folio blocks: paragraphs of inline runs,
//! headings, lists, quotes, code, tables and captioned images.

use std::sync::LazyLock;

use ego_tree::NodeRef;
use regex::Regex;
use scraper::node::{Element, Node};

use super::images::ImageResolver;
use super::text::{collapse, normalize_inlines};
use crate::model::links::safe_link;
use crate::model::{Block, Inline, ListItem, inline_text};
use crate::read::limits::{MAX_DEPTH, MAX_MODEL_NESTING};

/// How much cleaning the converter does itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cleaning {
    /// The subtree was already cleaned by the readability pass.
    Light,
    /// Raw page markup (site rules): drop navigation, share bars, ads and the like.
    Full,
}

static CAPTION_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"(?i)(^|[\s_-])(caption|wp-caption-text|figcaption|img-desc|image-desc|photo-desc|pic-desc)($|[\s_-])")
        .expect("valid regex")
});

static NOISE_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"(?i)(^|[\s_-])(share|sharing|social|related|comment|comments|advert|ads|ad|banner|sponsor|promo|qrcode|qr-code|newsletter|subscribe|breadcrumbs?|pagination|sidebar|toolbar|print|hidden|below_article_ad|navbar|menu)($|[\s_-])")
        .expect("valid regex")
});

/// Converts a subtree into blocks.
pub struct Converter<'r> {
    images: &'r ImageResolver<'r>,
    cleaning: Cleaning,
    blocks: Vec<Block>,
    /// Open inline containers, innermost last; the first is the paragraph itself.
    stack: Vec<(Frame, Vec<Inline>)>,
    /// How many quotes and lists this converter's blocks are nested in.
    nesting: usize,
}

#[derive(Clone, Debug)]
enum Frame {
    Paragraph,
    Link(String),
    Emphasis,
    Strong,
}

impl<'r> Converter<'r> {
    /// A converter resolving images with `images`.
    pub fn new(images: &'r ImageResolver<'r>, cleaning: Cleaning) -> Self {
        Self {
            images,
            cleaning,
            blocks: Vec::new(),
            stack: vec![(Frame::Paragraph, Vec::new())],
            nesting: 0,
        }
    }

    /// A converter for content of this one: one level deeper when the content
    /// is nested in a quote or list, at this level for a caption or heading.
    fn sub(&self, deeper: bool) -> Converter<'r> {
        let mut sub = Converter::new(self.images, self.cleaning);
        sub.nesting = self.nesting + usize::from(deeper);
        sub
    }

    /// True when quotes, lists or inline frames may nest no deeper: the body
    /// is stored as JSON, which is read back with a bounded recursion depth.
    fn too_deep(&self) -> bool {
        self.nesting + self.stack.len() >= MAX_MODEL_NESTING
    }

    /// Convert the children of `node` and return every block.
    pub fn convert_children(mut self, node: NodeRef<'_, Node>) -> Vec<Block> {
        self.children(node, 0);
        self.flush();
        self.blocks
    }

    fn children(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        for child in node.children() {
            self.node(child, depth + 1);
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        if let Some((_, runs)) = self.stack.last_mut() {
            runs.push(inline);
        }
    }

    fn node(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        match node.value() {
            Node::Text(text) => self.push_inline(Inline::text(&**text)),
            Node::Element(el) => {
                if depth > MAX_DEPTH {
                    // Pathologically deep markup: keep the words, drop the structure.
                    let text = visible_text(node, self.cleaning);
                    self.push_inline(Inline::text(text));
                    return;
                }
                self.element(node, el, depth);
            }
            _ => {}
        }
    }

    /// A link, kept only when a reader may follow it ([`safe_link`]); any
    /// other (`javascript:`, `data:`, a bare `#fragment`) keeps just its text.
    fn link(&mut self, node: NodeRef<'_, Node>, el: &Element, depth: usize) {
        let href = el.attr("href").unwrap_or("").trim();
        let href = (!href.is_empty() && !href.starts_with('#'))
            .then(|| self.images.resolve_url(href))
            .filter(|href| safe_link(href).is_some());
        match href {
            Some(href) => self.inline_frame(node, Frame::Link(href), depth),
            None => self.children(node, depth),
        }
    }

    fn element(&mut self, node: NodeRef<'_, Node>, el: &Element, depth: usize) {
        let name = el.name();
        if is_dropped(el, self.cleaning) {
            return;
        }
        match name {
            "br" => self.push_inline(Inline::LineBreak),
            "a" | "ok" => self.link(node, el, depth),
            "span" if el.attr("href").is_some() => self.link(node, el, depth),
            "em" | "i" | "cite" | "dfn" | "var" => self.inline_frame(node, Frame::Emphasis, depth),
            "strong" | "b" => self.inline_frame(node, Frame::Strong, depth),
            "code" | "kbd" | "samp" | "tt" => {
                let text = visible_text(node, self.cleaning);
                self.push_inline(Inline::Code { text });
            }
            "img" => {
                let sources = node
                    .parent()
                    .filter(|p| {
                        p.value()
                            .as_element()
                            .is_some_and(|e| e.name() == "picture")
                    })
                    .map(picture_sources)
                    .unwrap_or_default();
                self.image(el, &sources);
            }
            "picture" => {
                if let Some(img) = node
                    .descendants()
                    .filter_map(|n| n.value().as_element())
                    .find(|e| e.name() == "img")
                {
                    self.image(img, &picture_sources(node));
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse().unwrap_or(2);
                let inlines = self.sub_inlines(node, depth);
                if !inlines.is_empty() {
                    self.flush();
                    self.blocks.push(Block::Heading { level, inlines });
                }
            }
            "ul" | "ol" | "blockquote" if self.too_deep() => {
                self.flush();
                self.children(node, depth);
                self.flush();
            }
            "ul" | "ol" => {
                self.flush();
                let items = self.list_items(node, depth);
                if !items.is_empty() && !self.caption_from_list(&items) {
                    self.blocks.push(Block::List {
                        ordered: name == "ol",
                        items,
                    });
                }
            }
            "blockquote" => {
                self.flush();
                let blocks = self.sub_blocks(node, depth);
                if !blocks.is_empty() {
                    self.blocks.push(Block::Quote { blocks });
                }
            }
            "pre" => {
                self.flush();
                let text = visible_text(node, self.cleaning);
                let text = text.trim_matches('\n').to_owned();
                if !text.trim().is_empty() {
                    self.blocks.push(Block::Code { text });
                }
            }
            "figure" => self.figure(node, depth),
            "table" => self.table(node, depth),
            "hr" => self.flush(),
            _ if is_caption(el) => self.caption(node, depth),
            _ if is_block(name) => {
                self.flush();
                let start = self.blocks.len();
                self.children(node, depth);
                self.attach_trailing_caption(start, name);
                self.flush();
            }
            // Unknown and inline elements (span, font, u, sup, ok…): transparent.
            _ => self.children(node, depth),
        }
    }

    fn inline_frame(&mut self, node: NodeRef<'_, Node>, frame: Frame, depth: usize) {
        if self.too_deep() {
            self.children(node, depth);
            return;
        }
        self.stack.push((frame, Vec::new()));
        self.children(node, depth);
        self.close_frame();
    }

    /// Close the innermost inline frame, wrapping its runs into its parent.
    fn close_frame(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        let Some((frame, runs)) = self.stack.pop() else {
            return;
        };
        let inline = match frame {
            Frame::Link(href) => Inline::Link {
                href,
                children: runs,
            },
            Frame::Emphasis => Inline::Emphasis { children: runs },
            Frame::Strong => Inline::Strong { children: runs },
            Frame::Paragraph => return,
        };
        self.push_inline(inline);
    }

    /// End the current paragraph (if it has text), keeping open inline frames open.
    fn flush(&mut self) {
        let frames: Vec<Frame> = self.stack.iter().skip(1).map(|(f, _)| f.clone()).collect();
        while self.stack.len() > 1 {
            self.close_frame();
        }
        let runs = self
            .stack
            .first_mut()
            .map(|(_, runs)| std::mem::take(runs))
            .unwrap_or_default();
        let inlines = normalize_inlines(runs);
        if !inlines.is_empty() {
            self.blocks.push(Block::Paragraph { inlines });
        }
        for frame in frames {
            self.stack.push((frame, Vec::new()));
        }
    }

    fn current_link(&self) -> Option<&str> {
        self.stack.iter().rev().find_map(|(f, _)| match f {
            Frame::Link(href) => Some(href.as_str()),
            _ => None,
        })
    }

    fn image(&mut self, el: &Element, sources: &[&Element]) {
        let Some(mut image) = self.images.image(el, sources) else {
            return;
        };
        if image.full_src.is_none()
            && let Some(href) = self.current_link()
            && super::images::looks_like_image_url(href)
            && href != image.src
        {
            image.full_src = Some(href.to_owned());
        }
        self.flush();
        self.blocks.push(Block::Image(image));
    }

    /// `<div class="caption">` after an image: the image's caption.
    fn caption(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        let mut sub = self.sub(false);
        sub.children(node, depth);
        sub.flush();
        let blocks = sub.blocks;
        let text_only = blocks
            .iter()
            .all(|b| matches!(b, Block::Paragraph { .. } | Block::Heading { .. }));
        let text = blocks
            .iter()
            .map(Block::text)
            .collect::<Vec<_>>()
            .join(" ")
            .trim()
            .to_owned();
        let pending_empty = self.stack.iter().all(|(_, runs)| !has_words(runs));
        if pending_empty
            && text_only
            && !text.is_empty()
            && let Some(Block::Image(image)) = self.blocks.last_mut()
            && image.caption.is_none()
        {
            image.caption = Some(text);
            return;
        }
        self.flush();
        self.blocks.extend(blocks);
    }

    /// A one-item list right after an image that repeats the image's alt
    /// text (the Guardian puts its captions so): the image's caption, not a
    /// list. True when taken as the caption.
    fn caption_from_list(&mut self, items: &[ListItem]) -> bool {
        let [item] = items else { return false };
        if !item.children.is_empty() {
            return false;
        }
        let text = crate::model::inline_text(&item.inlines).trim().to_owned();
        let same = |alt: &str| {
            let words = |s: &str| -> Vec<String> {
                s.split_whitespace()
                    .map(|w| w.trim_end_matches(['.', '。', '!', '?']).to_owned())
                    .filter(|w| !w.is_empty())
                    .collect()
            };
            words(alt) == words(&text)
        };
        if !text.is_empty()
            && let Some(Block::Image(image)) = self.blocks.last_mut()
            && image.caption.is_none()
            && image.alt.as_deref().is_some_and(same)
        {
            image.caption = Some(text);
            return true;
        }
        false
    }

    /// "image, line break, caption text" inside one cell: the text is the caption.
    fn attach_trailing_caption(&mut self, start: usize, container: &str) {
        if self.blocks.len() <= start || self.stack.len() != 1 {
            return;
        }
        let Some(Block::Image(image)) = self.blocks.last() else {
            return;
        };
        if image.caption.is_some() {
            return;
        }
        let runs = &self.stack[0].1;
        let starts_with_break = runs
            .iter()
            .find(|i| !matches!(i, Inline::Text { text } if text.trim().is_empty()))
            .is_some_and(|i| matches!(i, Inline::LineBreak));
        if !(starts_with_break || matches!(container, "td" | "th" | "dd" | "center")) {
            return;
        }
        let inlines = normalize_inlines(runs.clone());
        let text = inline_text(&inlines).trim().to_owned();
        if text.is_empty()
            || text.chars().count() > 300
            || text.contains('\n') && text.chars().count() > 150
        {
            return;
        }
        self.stack[0].1.clear();
        if let Some(Block::Image(image)) = self.blocks.last_mut() {
            image.caption = Some(text.replace('\n', " "));
        }
    }

    fn figure(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        self.flush();
        let caption_text = node
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "figcaption")
            .map(|e| collapse(&visible_text(*e, self.cleaning)).trim().to_owned())
            .filter(|t| !t.is_empty());
        let start = self.blocks.len();
        for child in node.children() {
            if child
                .value()
                .as_element()
                .is_some_and(|e| e.name() == "figcaption")
            {
                continue;
            }
            self.node(child, depth + 1);
        }
        self.flush();
        if let Some(caption) = caption_text {
            let last_image = self.blocks[start..].iter_mut().rev().find_map(|b| match b {
                Block::Image(image) => Some(image),
                _ => None,
            });
            match last_image {
                Some(image) => image.caption = Some(caption),
                None => self.blocks.push(Block::Paragraph {
                    inlines: vec![Inline::text(caption)],
                }),
            }
        }
    }

    fn sub_inlines(&mut self, node: NodeRef<'_, Node>, depth: usize) -> Vec<Inline> {
        let mut sub = self.sub(false);
        sub.children(node, depth);
        let runs = sub.stack.drain(..).flat_map(|(_, runs)| runs).collect();
        // Images inside headings or captions become blocks of their own.
        self.blocks.append(&mut sub.blocks);
        normalize_inlines(runs)
    }

    fn sub_blocks(&self, node: NodeRef<'_, Node>, depth: usize) -> Vec<Block> {
        let mut sub = self.sub(true);
        sub.children(node, depth);
        sub.flush();
        sub.blocks
    }

    fn list_items(&self, node: NodeRef<'_, Node>, depth: usize) -> Vec<ListItem> {
        let mut items = Vec::new();
        for child in node.children() {
            let is_li = child
                .value()
                .as_element()
                .is_some_and(|e| e.name() == "li" && !is_dropped(e, self.cleaning));
            if !is_li {
                continue;
            }
            let mut blocks = self.sub_blocks(child, depth + 1);
            let inlines = match blocks.first() {
                Some(Block::Paragraph { .. }) => match blocks.remove(0) {
                    Block::Paragraph { inlines } => inlines,
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            if inlines.is_empty() && blocks.is_empty() {
                continue;
            }
            items.push(ListItem {
                inlines,
                children: blocks,
            });
        }
        items
    }

    fn table(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        self.flush();
        let is_layout = node.descendants().skip(1).any(|n| {
            n.value().as_element().is_some_and(|e| {
                matches!(
                    e.name(),
                    "img"
                        | "table"
                        | "p"
                        | "div"
                        | "ul"
                        | "ol"
                        | "blockquote"
                        | "figure"
                        | "h1"
                        | "h2"
                        | "h3"
                )
            })
        });
        if is_layout {
            // A table used for layout: read its cells as containers, in order.
            for cell in node.descendants().filter(|n| {
                n.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "td" | "th"))
            }) {
                // Cells of nested tables are visited through their own table.
                let nested = cell
                    .ancestors()
                    .take_while(|a| a.id() != node.id())
                    .any(|a| a.value().as_element().is_some_and(|e| e.name() == "table"));
                if nested {
                    continue;
                }
                self.flush();
                let start = self.blocks.len();
                self.children(cell, depth + 1);
                self.attach_trailing_caption(start, "td");
                self.flush();
            }
            return;
        }
        let mut rows = Vec::new();
        for row in node
            .descendants()
            .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "tr"))
        {
            let cells: Vec<String> = row
                .children()
                .filter(|n| {
                    n.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "td" | "th"))
                })
                .map(|cell| {
                    let text = visible_text(cell, self.cleaning);
                    collapse(&text).trim().to_owned()
                })
                .collect();
            if cells.iter().any(|c| !c.is_empty()) {
                rows.push(cells);
            }
        }
        if !rows.is_empty() {
            self.blocks.push(Block::Table { rows });
        }
    }
}

/// The text a browser shows for a subtree: text nodes outside dropped
/// elements (a `<script>` in a caption or a table cell is not its text).
fn visible_text(node: NodeRef<'_, Node>, cleaning: Cleaning) -> String {
    use ego_tree::iter::Edge;
    let mut out = String::new();
    // Depth inside a dropped element (0: showing).
    let mut hidden = 0usize;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Element(e) if hidden > 0 || is_dropped(e, cleaning) => hidden += 1,
                Node::Text(text) if hidden == 0 => out.push_str(text),
                _ => {}
            },
            Edge::Close(n) => {
                if n.value().is_element() && hidden > 0 {
                    hidden -= 1;
                }
            }
        }
    }
    out
}

fn has_words(runs: &[Inline]) -> bool {
    !inline_text(runs).trim().is_empty()
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "center"
            | "header"
            | "footer"
            | "aside"
            | "address"
            | "details"
            | "summary"
            | "dl"
            | "dt"
            | "dd"
            | "li"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "body"
            | "html"
            | "figcaption"
            | "caption"
            | "hgroup"
            | "fieldset"
            | "legend"
            | "nav"
    )
}

fn is_caption(el: &Element) -> bool {
    el.name() == "figcaption" || el.attr("class").is_some_and(|c| CAPTION_CLASS.is_match(c))
}

/// The `<source>` elements of a `<picture>`, in order.
fn picture_sources<'a>(picture: NodeRef<'a, Node>) -> Vec<&'a Element> {
    picture
        .children()
        .filter_map(|n| n.value().as_element())
        .filter(|e| e.name() == "source")
        .collect()
}

/// Elements that never carry article text.
fn is_dropped(el: &Element, cleaning: Cleaning) -> bool {
    if matches!(
        el.name(),
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "noframes"
            | "noembed"
            | "object"
            | "embed"
            | "form"
            | "button"
            | "input"
            | "select"
            | "textarea"
            | "svg"
            | "canvas"
            | "video"
            | "audio"
            | "link"
            | "meta"
            | "head"
            | "title"
            | "map"
            | "dialog"
    ) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style: String = style.to_ascii_lowercase().split_whitespace().collect();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    if cleaning == Cleaning::Full {
        if matches!(el.name(), "nav" | "aside" | "footer") {
            return true;
        }
        let class_id = format!(
            "{} {}",
            el.attr("class").unwrap_or(""),
            el.attr("id").unwrap_or("")
        );
        if !class_id.trim().is_empty()
            && NOISE_CLASS.is_match(&class_id)
            && !CAPTION_CLASS.is_match(&class_id)
        {
            return true;
        }
    }
    false
}

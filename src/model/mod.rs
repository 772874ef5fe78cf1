//! Plain data shared by every stage of Folio: what an extracted article *is*.
//!
//! Nothing here does IO, SQL, HTML parsing or drawing. The types serialize with
//! serde so the library can store an article's body as JSON and scripts can
//! read it back; [`json`] holds the stable, flattened shape printed by
//! `folio extract --json` and `folio show --json`.

pub mod anchor;
pub mod canonical;
pub mod capture;
pub mod date;
pub mod diff;
pub mod json;
pub mod links;

use serde::{Deserialize, Serialize};

/// One extracted article: metadata plus an ordered body of blocks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The article's headline.
    pub title: String,
    /// Author(s) as the page states them.
    pub byline: Option<String>,
    /// Responsible editor where the page names one (`责任编辑：…`).
    pub editor: Option<String>,
    /// Publication date (`YYYY-MM-DD`) or date-time (RFC 3339), as precise as the page says.
    pub published: Option<String>,
    /// Human name of the publishing site (`大纪元`, `The Guardian`).
    pub site: Option<String>,
    /// Canonical URL of the original article.
    pub url: Option<String>,
    /// BCP 47 language tag (`zh`, `en`, `zh-TW`).
    pub lang: Option<String>,
    /// Tags or keywords the page itself attached (kept apart from the user's tags).
    pub source_tags: Vec<String>,
    /// A short summary: the page's description or the first paragraph.
    pub excerpt: Option<String>,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
    /// What was dropped or could not be resolved while reading and extracting.
    pub warnings: Vec<String>,
    /// When the page was captured, when the saved file says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured: Option<capture::Capture>,
}

/// One block of an article body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A heading; `level` 1..=6 as in HTML.
    Heading {
        /// 1 is the largest.
        level: u8,
        /// The heading's text runs.
        inlines: Vec<Inline>,
    },
    /// A paragraph of inline runs.
    Paragraph {
        /// The paragraph's text runs.
        inlines: Vec<Inline>,
    },
    /// A list, possibly nested through its items.
    List {
        /// Numbered (`<ol>`) or bulleted (`<ul>`).
        ordered: bool,
        /// The items in order.
        items: Vec<ListItem>,
    },
    /// A block quotation.
    Quote {
        /// The quoted blocks.
        blocks: Vec<Block>,
    },
    /// Preformatted text, whitespace preserved.
    Code {
        /// The text exactly as the page had it.
        text: String,
    },
    /// A table as rows of plain-text cells.
    Table {
        /// Rows, each a list of cell texts.
        rows: Vec<Vec<String>>,
    },
    /// An image with its caption.
    Image(Image),
}

/// One item of a [`Block::List`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListItem {
    /// The item's own text runs.
    pub inlines: Vec<Inline>,
    /// Nested blocks (usually a nested list).
    pub children: Vec<Block>,
}

/// A run of inline content inside a paragraph, heading or list item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text.
    Text {
        /// The text, whitespace already collapsed.
        text: String,
    },
    /// A hyperlink around other runs.
    Link {
        /// The link target, absolute where the page's base URL allowed.
        href: String,
        /// The link's text runs.
        children: Vec<Inline>,
    },
    /// Emphasis (`<em>`, `<i>`).
    Emphasis {
        /// The emphasised runs.
        children: Vec<Inline>,
    },
    /// Strong importance (`<strong>`, `<b>`).
    Strong {
        /// The strong runs.
        children: Vec<Inline>,
    },
    /// Inline code.
    Code {
        /// The code text.
        text: String,
    },
    /// A forced line break (`<br>`).
    LineBreak,
}

/// An image of the body, with what the page says about it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// The original `src` (absolute URL where it could be resolved, else as written).
    pub src: String,
    /// A larger version the page links to, if any.
    pub full_src: Option<String>,
    /// Width in pixels (decoded from the bytes when local, else from the markup).
    pub width: Option<u32>,
    /// Height in pixels.
    pub height: Option<u32>,
    /// The `alt` text, unless it merely repeats the caption.
    pub alt: Option<String>,
    /// The caption shown under the image.
    pub caption: Option<String>,
    /// Photo credit when it is separable from the caption.
    pub credit: Option<String>,
    /// The image's bytes when the saved page carries them (folder, data: URI, MHTML part).
    #[serde(skip)]
    pub data: Option<ImageData>,
}

/// Bytes of an image found next to (or inside) the saved page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageData {
    /// The raw encoded bytes (JPEG, PNG, …).
    pub bytes: std::sync::Arc<[u8]>,
    /// MIME type as sniffed from the bytes, e.g. `image/jpeg`.
    pub mime: String,
}

impl Inline {
    /// Convenience constructor for a text run.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into() }
    }
}

/// The plain text of a sequence of inline runs (`<br>` becomes `\n`).
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_inline_text(inlines, &mut out);
    out
}

fn push_inline_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Link { children, .. }
            | Inline::Emphasis { children }
            | Inline::Strong { children } => push_inline_text(children, out),
            Inline::LineBreak => out.push('\n'),
        }
    }
}

impl Block {
    /// The plain text of this block, as a reader would read it aloud.
    pub fn text(&self) -> String {
        match self {
            Self::Heading { inlines, .. } | Self::Paragraph { inlines } => inline_text(inlines),
            Self::List { items, .. } => items
                .iter()
                .map(ListItem::text)
                .collect::<Vec<_>>()
                .join("\n"),
            Self::Quote { blocks } => blocks_text(blocks),
            Self::Code { text } => text.clone(),
            Self::Table { rows } => rows
                .iter()
                .map(|row| row.join("\t"))
                .collect::<Vec<_>>()
                .join("\n"),
            Self::Image(image) => image.caption.clone().unwrap_or_default(),
        }
    }
}

impl ListItem {
    /// The item's text followed by its nested blocks' text.
    pub fn text(&self) -> String {
        let mut text = inline_text(&self.inlines);
        for child in &self.children {
            text.push('\n');
            text.push_str(&child.text());
        }
        text
    }
}

/// The plain text of a sequence of blocks, one block per line.
pub fn blocks_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(Block::text)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Article {
    /// Every text a reader can search: title, body, captions and alt texts.
    pub fn searchable_text(&self) -> String {
        let mut text = blocks_text(&self.blocks);
        for block in &self.blocks {
            if let Block::Image(Image { alt: Some(alt), .. }) = block {
                text.push('\n');
                text.push_str(alt);
            }
        }
        text
    }

    /// The images of the body, in order (nested quotes and lists included).
    pub fn images(&self) -> Vec<&Image> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Image>) {
            for block in blocks {
                match block {
                    Block::Image(image) => out.push(image),
                    Block::Quote { blocks } => walk(blocks, out),
                    Block::List { items, .. } => {
                        for item in items {
                            walk(&item.children, out);
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out
    }

    /// The images of the body, mutable, in the order of [`Article::images`].
    pub fn images_mut(&mut self) -> Vec<&mut Image> {
        images_mut(&mut self.blocks)
    }
}

/// The images of `blocks`, mutable, in the order of [`Article::images`]
/// (nested quotes and lists included).
pub fn images_mut(blocks: &mut [Block]) -> Vec<&mut Image> {
    fn walk<'a>(blocks: &'a mut [Block], out: &mut Vec<&'a mut Image>) {
        for block in blocks {
            match block {
                Block::Image(image) => out.push(image),
                Block::Quote { blocks } => walk(blocks, out),
                Block::List { items, .. } => {
                    for item in items {
                        walk(&mut item.children, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(blocks, &mut out);
    out
}

//! The *canonical text* of an article body: the one plain-text rendering that
//! highlights are anchored in. Every part of Folio (library, CLI, exports,
//! reader) computes offsets over this text and nothing else.
//!
//! # Definition
//!
//! The body is cut into *spans*, in reading order:
//!
//! * a heading, a paragraph: its inline text ([`crate::model::inline_text`],
//!   a `<br>` is `\n`);
//! * a list: each item's own inline text is a span, followed by the spans of
//!   the item's nested blocks;
//! * a quote: the spans of its blocks;
//! * a code block: its text exactly as stored;
//! * a table: one span per cell;
//! * an image: its caption (alt text and credit are not part of it).
//!
//! Empty spans are left out. Between two consecutive spans stands exactly one
//! separator:
//!
//! * `\t` between two cells of the same table row;
//! * `\n` between two rows of the same table, and between two items of the
//!   same list (an item and its own nested blocks included);
//! * `\n\n` everywhere else (between blocks).
//!
//! Nothing else is changed: whitespace inside a span is kept as extracted.
//!
//! # Offsets
//!
//! Offsets are counted in Unicode scalar values (Rust `char`s, i.e. code
//! points), as the W3C Web Annotation `TextPositionSelector` counts them; not
//! bytes and not UTF-16 units. `start..end` is half-open.
//!
//! # Spans and paths
//!
//! Each [`Span`] records where in the body it comes from as a [`path`](Span::path)
//! of indices from the top: the index in `Article::blocks`, then (inside a
//! quote) the index in `Quote::blocks`, (inside a list) the item index and then
//! the child block index within that item, (inside a table) the row and the
//! column. An image's caption has the image block's path. The reader turns a
//! selection inside one span into canonical offsets with
//! [`CanonicalText::offset_in`] and back with [`CanonicalText::locate`].

use std::ops::Range;

use super::{Block, ListItem, inline_text};

/// What kind of body element a [`Span`] renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpanKind {
    /// A heading's text.
    Heading,
    /// A paragraph's text.
    Paragraph,
    /// One list item's own text (not its nested blocks).
    ListItem,
    /// A code block's text.
    Code,
    /// One table cell.
    Cell,
    /// An image's caption.
    Caption,
}

/// One element of the body and its place in the canonical text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Where in the body (see the module documentation).
    pub path: Vec<usize>,
    /// What it is.
    pub kind: SpanKind,
    /// Its characters in [`CanonicalText::text`] (in chars, half-open).
    pub range: Range<usize>,
}

impl Span {
    /// The path written as dot-separated indices (`3.1.0`): the *block hint*
    /// stored with a highlight.
    pub fn hint(&self) -> String {
        path_hint(&self.path)
    }
}

/// A path as dot-separated indices (`3.1.0`).
pub fn path_hint(path: &[usize]) -> String {
    path.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// An article body's canonical text with its span map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CanonicalText {
    /// The text (see the module documentation).
    pub text: String,
    /// The spans in order; their ranges ascend and do not overlap.
    pub spans: Vec<Span>,
    /// Length of `text` in chars.
    chars: usize,
}

/// The separator that comes before a span, by how it relates to the previous one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sep {
    Block,
    Line,
    Tab,
}

struct Builder {
    out: CanonicalText,
    /// Separator to write before the next non-empty span.
    pending: Sep,
}

impl Builder {
    fn push(&mut self, path: &[usize], kind: SpanKind, text: &str) {
        if text.is_empty() {
            return;
        }
        if !self.out.spans.is_empty() {
            let sep = match self.pending {
                Sep::Block => "\n\n",
                Sep::Line => "\n",
                Sep::Tab => "\t",
            };
            self.out.text.push_str(sep);
            self.out.chars += sep.len();
        }
        let start = self.out.chars;
        self.out.text.push_str(text);
        self.out.chars += text.chars().count();
        self.out.spans.push(Span {
            path: path.to_vec(),
            kind,
            range: start..self.out.chars,
        });
        self.pending = Sep::Block;
    }

    fn blocks(&mut self, blocks: &[Block], path: &mut Vec<usize>) {
        for (i, block) in blocks.iter().enumerate() {
            path.push(i);
            self.block(block, path);
            path.pop();
            self.pending = Sep::Block;
        }
    }

    fn block(&mut self, block: &Block, path: &mut Vec<usize>) {
        match block {
            Block::Heading { inlines, .. } => {
                self.push(path, SpanKind::Heading, &inline_text(inlines));
            }
            Block::Paragraph { inlines } => {
                self.push(path, SpanKind::Paragraph, &inline_text(inlines));
            }
            Block::List { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i);
                    self.item(item, path);
                    path.pop();
                    self.pending = Sep::Line;
                }
            }
            Block::Quote { blocks } => self.blocks(blocks, path),
            Block::Code { text } => self.push(path, SpanKind::Code, text),
            Block::Table { rows } => {
                for (r, row) in rows.iter().enumerate() {
                    for (c, cell) in row.iter().enumerate() {
                        path.extend([r, c]);
                        self.push(path, SpanKind::Cell, cell);
                        path.truncate(path.len() - 2);
                        self.pending = Sep::Tab;
                    }
                    self.pending = Sep::Line;
                }
            }
            Block::Image(image) => {
                if let Some(caption) = &image.caption {
                    self.push(path, SpanKind::Caption, caption);
                }
            }
        }
    }

    fn item(&mut self, item: &ListItem, path: &mut Vec<usize>) {
        self.push(path, SpanKind::ListItem, &inline_text(&item.inlines));
        for (i, child) in item.children.iter().enumerate() {
            path.push(i);
            self.pending = Sep::Line;
            self.block(child, path);
            path.pop();
        }
    }
}

impl CanonicalText {
    /// The canonical text of `blocks` (an article body).
    pub fn new(blocks: &[Block]) -> Self {
        let mut builder = Builder {
            out: Self::default(),
            pending: Sep::Block,
        };
        builder.blocks(blocks, &mut Vec::new());
        builder.out
    }

    /// Length of the text in chars.
    pub fn char_len(&self) -> usize {
        self.chars
    }

    /// The text's characters (what [`crate::model::anchor::reanchor`] takes).
    pub fn chars(&self) -> Vec<char> {
        self.text.chars().collect()
    }

    /// The text between two char offsets (clamped to the text).
    pub fn slice(&self, range: Range<usize>) -> &str {
        let from = self.byte_offset(range.start);
        let to = self.byte_offset(range.end.max(range.start));
        &self.text[from..to]
    }

    /// The byte offset of char offset `chars` (the text's length past its end).
    pub fn byte_offset(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// The span holding char offset `offset` (a separator belongs to no span;
    /// an offset at a span's end belongs to it when no span starts there).
    pub fn span_at(&self, offset: usize) -> Option<&Span> {
        let i = self.spans.partition_point(|s| s.range.end < offset);
        self.spans
            .get(i)
            .filter(|s| s.range.start <= offset && offset <= s.range.end)
    }

    /// The canonical offset of char `local` inside the span at `path` of
    /// `kind` (clamped to the span's end), or `None` when the body has no
    /// such non-empty span.
    pub fn offset_in(&self, path: &[usize], kind: SpanKind, local: usize) -> Option<usize> {
        let span = self
            .spans
            .iter()
            .find(|s| s.path == path && s.kind == kind)?;
        Some((span.range.start + local).min(span.range.end))
    }

    /// The pieces of `range` inside each span it touches: the span and the
    /// char range within that span's own text (what the reader paints).
    pub fn locate(&self, range: Range<usize>) -> Vec<(&Span, Range<usize>)> {
        let first = self.spans.partition_point(|s| s.range.end <= range.start);
        self.spans[first..]
            .iter()
            .take_while(|s| s.range.start < range.end)
            .map(|s| {
                let from = range.start.max(s.range.start) - s.range.start;
                let to = range.end.min(s.range.end) - s.range.start;
                (s, from..to)
            })
            .filter(|(_, r)| !r.is_empty())
            .collect()
    }

    /// The block hint for a highlight starting at `offset`: the path of the
    /// span holding it (or the next span), dot-separated.
    pub fn hint_at(&self, offset: usize) -> Option<String> {
        self.span_at(offset)
            .or_else(|| {
                self.spans
                    .get(self.spans.partition_point(|s| s.range.end < offset))
            })
            .map(Span::hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Image, Inline};

    fn para(text: &str) -> Block {
        Block::Paragraph {
            inlines: vec![Inline::text(text)],
        }
    }

    #[test]
    fn separators_are_fixed() {
        let blocks = vec![
            Block::Heading {
                level: 1,
                inlines: vec![Inline::text("Title")],
            },
            para("One"),
            Block::List {
                ordered: false,
                items: vec![
                    ListItem {
                        inlines: vec![Inline::text("a")],
                        children: vec![Block::List {
                            ordered: false,
                            items: vec![ListItem {
                                inlines: vec![Inline::text("a1")],
                                children: vec![],
                            }],
                        }],
                    },
                    ListItem {
                        inlines: vec![Inline::text("b")],
                        children: vec![],
                    },
                ],
            },
            para(""),
            Block::Quote {
                blocks: vec![para("q1"), para("q2")],
            },
            Block::Table {
                rows: vec![vec!["x".into(), "y".into()], vec!["z".into(), "w".into()]],
            },
            Block::Image(Image {
                caption: Some("Cap".into()),
                ..Image::default()
            }),
            Block::Code {
                text: "let x;\n  y".into(),
            },
        ];
        let c = CanonicalText::new(&blocks);
        assert_eq!(
            c.text,
            "Title\n\nOne\n\na\na1\nb\n\nq1\n\nq2\n\nx\ty\nz\tw\n\nCap\n\nlet x;\n  y"
        );
        let hints: Vec<String> = c.spans.iter().map(Span::hint).collect();
        assert_eq!(
            hints,
            [
                "0", "1", "2.0", "2.0.0.0", "2.1", "4.0", "4.1", "5.0.0", "5.0.1", "5.1.0",
                "5.1.1", "6", "7"
            ]
        );
        for span in &c.spans {
            assert_eq!(
                span.range.end - span.range.start,
                c.slice(span.range.clone()).chars().count()
            );
        }
    }

    #[test]
    fn offsets_are_chars_and_round_trip() {
        let c = CanonicalText::new(&[para("小米发布"), para("新品 today")]);
        assert_eq!(c.char_len(), 4 + 2 + 8);
        let start = c.offset_in(&[1], SpanKind::Paragraph, 0).unwrap_or(99);
        assert_eq!(start, 6);
        assert_eq!(c.slice(start..start + 2), "新品");
        let pieces = c.locate(2..8);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].1, 2..4);
        assert_eq!(pieces[1].1, 0..2);
        assert_eq!(c.hint_at(7).as_deref(), Some("1"));
        assert_eq!(c.hint_at(5).as_deref(), Some("1"));
    }
}

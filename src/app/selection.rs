//! The reader's text selection, as plain data: the article's text blocks in
//! the order the reader draws them (each paragraph, heading, list item,
//! code block and caption is one galley), a position in them (block index,
//! character offset), and what a selection copies — plain text with
//! paragraph breaks, or a Markdown block quote with a citation line.
//!
//! The reader (`app::reader_ui`) numbers its galleys with [`text_blocks`]'s
//! order, so a [`TextPos`] means the same character on screen and here.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::canonical::{CanonicalText, SpanKind};
use crate::model::{Article, Block, inline_text};

/// A place in the article's text: before character `offset` (in chars) of
/// text block `block`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextPos {
    /// Index into [`text_blocks`].
    pub block: usize,
    /// Character offset inside that block.
    pub offset: usize,
}

/// A selection: where the drag started (`anchor`) and where it is now
/// (`focus`); either may come first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Where the selection started.
    pub anchor: TextPos,
    /// The end that moves (the pointer, or a Shift+click).
    pub focus: TextPos,
}

impl Selection {
    /// Start and end, in reading order.
    #[must_use]
    pub fn sorted(&self) -> (TextPos, TextPos) {
        if self.anchor <= self.focus {
            (self.anchor, self.focus)
        } else {
            (self.focus, self.anchor)
        }
    }

    /// Nothing is selected (both ends at the same place).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.anchor == self.focus
    }

    /// The selected character range of block `block` (`None` when the
    /// block is outside the selection); `len` is the block's length in chars.
    #[must_use]
    pub fn range_in(&self, block: usize, len: usize) -> Option<(usize, usize)> {
        let (start, end) = self.sorted();
        if block < start.block || block > end.block || self.is_empty() {
            return None;
        }
        let from = if block == start.block {
            start.offset
        } else {
            0
        };
        let to = if block == end.block { end.offset } else { len };
        let (from, to) = (from.min(len), to.min(len));
        (from < to || (block != end.block && len == 0)).then_some((from, to))
    }
}

/// The article's selectable text blocks, in the order the reader draws
/// them: headings, paragraphs, list items (their own text, then their
/// nested blocks), quotes' blocks, code, and image captions. Tables are
/// not selectable.
#[must_use]
pub fn text_blocks(article: &Article) -> Vec<String> {
    let mut out = Vec::new();
    push_blocks(&article.blocks, &mut out);
    out
}

fn push_blocks(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Heading { inlines, .. } | Block::Paragraph { inlines } => {
                out.push(inline_text(inlines));
            }
            Block::List { items, .. } => {
                for item in items {
                    if !item.inlines.is_empty() {
                        out.push(inline_text(&item.inlines));
                    }
                    push_blocks(&item.children, out);
                }
            }
            Block::Quote { blocks } => push_blocks(blocks, out),
            Block::Code { text } => out.push(text.clone()),
            Block::Table { .. } => {}
            Block::Image(image) => {
                if let Some(caption) = image.caption.as_ref().filter(|c| !c.is_empty()) {
                    out.push(caption.clone());
                }
            }
        }
    }
}

/// The text blocks that are headings: each one's number in
/// [`text_blocks`]'s order and its level (a heading inside a list or a
/// quote counts as level 3).
#[must_use]
pub fn heading_blocks(article: &Article) -> Vec<(usize, u8)> {
    block_keys(article)
        .iter()
        .enumerate()
        .filter(|(_, (_, kind))| *kind == SpanKind::Heading)
        .map(|(i, (path, _))| {
            let level = match (
                path.as_slice(),
                path.first().and_then(|&b| article.blocks.get(b)),
            ) {
                ([_], Some(Block::Heading { level, .. })) => *level,
                _ => 3,
            };
            (i, level)
        })
        .collect()
}

/// Where each text block comes from in the body: its canonical span's
/// path and kind (see `model::canonical`), in [`text_blocks`]'s order.
fn block_keys(article: &Article) -> Vec<(Vec<usize>, SpanKind)> {
    fn walk(blocks: &[Block], path: &mut Vec<usize>, out: &mut Vec<(Vec<usize>, SpanKind)>) {
        for (i, block) in blocks.iter().enumerate() {
            path.push(i);
            one(block, path, out);
            path.pop();
        }
    }
    fn one(block: &Block, path: &mut Vec<usize>, out: &mut Vec<(Vec<usize>, SpanKind)>) {
        match block {
            Block::Heading { .. } => out.push((path.clone(), SpanKind::Heading)),
            Block::Paragraph { .. } => out.push((path.clone(), SpanKind::Paragraph)),
            Block::List { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i);
                    if !item.inlines.is_empty() {
                        out.push((path.clone(), SpanKind::ListItem));
                    }
                    for (c, child) in item.children.iter().enumerate() {
                        path.push(c);
                        one(child, path, out);
                        path.pop();
                    }
                    path.pop();
                }
            }
            Block::Quote { blocks } => walk(blocks, path, out),
            Block::Code { .. } => out.push((path.clone(), SpanKind::Code)),
            Block::Table { .. } => {}
            Block::Image(image) => {
                if image.caption.as_ref().is_some_and(|c| !c.is_empty()) {
                    out.push((path.clone(), SpanKind::Caption));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&article.blocks, &mut Vec::new(), &mut out);
    out
}

/// The reader's text blocks mapped onto the article's canonical text
/// (`model::canonical`), where highlights are anchored: a [`TextPos`] to a
/// canonical offset and a canonical range back to block ranges.
///
/// Every text block with text is exactly one canonical span (same text);
/// an empty block has no span, and table cells are spans the reader does
/// not number (they are not selectable).
#[derive(Clone, Debug, Default)]
pub struct TextMap {
    /// The canonical text.
    pub canonical: CanonicalText,
    /// Each text block's first canonical offset (`None`: empty block).
    starts: Vec<Option<usize>>,
    /// Each text block's length in chars.
    lens: Vec<usize>,
    /// Canonical span index → text block.
    span_block: Vec<Option<usize>>,
}

impl TextMap {
    /// The map for `article`.
    #[must_use]
    pub fn new(article: &Article) -> Self {
        let canonical = CanonicalText::new(&article.blocks);
        let index: HashMap<(&[usize], SpanKind), usize> = canonical
            .spans
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.path.as_slice(), s.kind), i))
            .collect();
        let keys = block_keys(article);
        let mut starts = Vec::with_capacity(keys.len());
        let mut lens = Vec::with_capacity(keys.len());
        let mut span_block = vec![None; canonical.spans.len()];
        for (block, (path, kind)) in keys.iter().enumerate() {
            match index.get(&(path.as_slice(), *kind)) {
                Some(&span) => {
                    let range = &canonical.spans[span].range;
                    starts.push(Some(range.start));
                    lens.push(range.end - range.start);
                    span_block[span] = Some(block);
                }
                None => {
                    starts.push(None);
                    lens.push(0);
                }
            }
        }
        Self {
            canonical,
            starts,
            lens,
            span_block,
        }
    }

    /// The number of text blocks.
    #[must_use]
    pub fn blocks(&self) -> usize {
        self.starts.len()
    }

    /// The canonical offset of a position (an empty block's is where the
    /// next block with text starts).
    #[must_use]
    pub fn offset(&self, pos: TextPos) -> usize {
        if let Some(Some(start)) = self.starts.get(pos.block) {
            return start + pos.offset.min(self.lens[pos.block]);
        }
        self.starts
            .iter()
            .skip(pos.block)
            .flatten()
            .next()
            .copied()
            .unwrap_or_else(|| self.canonical.char_len())
    }

    /// The canonical range a selection covers, without the whitespace
    /// (block separators) at its ends; `None` when it holds no text.
    #[must_use]
    pub fn range(&self, selection: &Selection) -> Option<Range<usize>> {
        let (start, end) = selection.sorted();
        let (mut from, mut to) = (self.offset(start), self.offset(end));
        let chars: Vec<char> = self.canonical.slice(from..to).chars().collect();
        let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
        let trail = chars.iter().rev().take_while(|c| c.is_whitespace()).count();
        if lead == chars.len() {
            return None;
        }
        from += lead;
        to -= trail;
        Some(from..to)
    }

    /// The position of a canonical offset (in the block holding it, or the
    /// next block with text; the end of the last block past the end).
    #[must_use]
    pub fn pos(&self, offset: usize) -> TextPos {
        let mut last = TextPos::default();
        for (block, start) in self.starts.iter().enumerate() {
            let Some(start) = *start else { continue };
            let end = start + self.lens[block];
            if offset <= end {
                return TextPos {
                    block,
                    offset: offset.saturating_sub(start),
                };
            }
            last = TextPos {
                block,
                offset: self.lens[block],
            };
        }
        last
    }

    /// The selection covering a canonical range.
    #[cfg(test)]
    #[must_use]
    pub fn selection(&self, range: Range<usize>) -> Selection {
        Selection {
            anchor: self.pos(range.start),
            focus: self.pos(range.end),
        }
    }

    /// The parts of a canonical range in each text block: (block, char
    /// range inside it), in order. Table cells are left out.
    #[must_use]
    pub fn block_ranges(&self, range: Range<usize>) -> Vec<(usize, Range<usize>)> {
        let first = self
            .canonical
            .spans
            .partition_point(|s| s.range.end <= range.start);
        self.canonical.spans[first..]
            .iter()
            .zip(&self.span_block[first..])
            .take_while(|(s, _)| s.range.start < range.end)
            .filter_map(|(s, block)| {
                let from = range.start.max(s.range.start) - s.range.start;
                let to = range.end.min(s.range.end) - s.range.start;
                Some(((*block)?, from..to)).filter(|(_, r)| !r.is_empty())
            })
            .collect()
    }
}

/// The whole article selected.
#[must_use]
pub fn select_all(blocks: &[String]) -> Option<Selection> {
    let last = blocks.len().checked_sub(1)?;
    Some(Selection {
        anchor: TextPos::default(),
        focus: TextPos {
            block: last,
            offset: blocks[last].chars().count(),
        },
    })
}

/// The selected text of each block it touches, in order.
#[must_use]
pub fn selected_pieces(blocks: &[String], selection: &Selection) -> Vec<String> {
    let (start, end) = selection.sorted();
    (start.block..=end.block.min(blocks.len().saturating_sub(1)))
        .filter_map(|i| {
            let text = blocks.get(i)?;
            let (from, to) = selection.range_in(i, text.chars().count())?;
            Some(text.chars().skip(from).take(to - from).collect::<String>())
        })
        .filter(|piece| !piece.trim().is_empty())
        .collect()
}

/// The selection as plain text: blocks separated by a blank line.
#[must_use]
pub fn plain_text(blocks: &[String], selection: &Selection) -> String {
    selected_pieces(blocks, selection).join("\n\n")
}

/// The selection as a Markdown block quote (`> ` before each line, `>`
/// between pieces); empty when nothing is selected.
pub fn quote_lines(blocks: &[String], selection: &Selection) -> String {
    selected_pieces(blocks, selection)
        .iter()
        .map(|piece| {
            piece
                .trim()
                .lines()
                .map(|line| format!("> {}", line.trim_end()))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n>\n")
}

/// A quote with its source: the Markdown `quote` ([`quote_lines`]), a
/// blank line and `— ` before the citation (the article's reference in
/// the chosen style, one line).
pub fn quote_with_source(quote: &str, citation: &str) -> String {
    let citation = citation.split_whitespace().collect::<Vec<_>>().join(" ");
    if citation.is_empty() {
        format!("{quote}\n")
    } else {
        format!("{quote}\n\n— {citation}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Image, Inline, ListItem};

    fn article() -> Article {
        Article {
            title: "Whales".to_owned(),
            site: Some("the Guardian".to_owned()),
            published: Some("2019-01-03T07:00:02.000Z".to_owned()),
            url: Some("https://example.org/whales".to_owned()),
            blocks: vec![
                Block::Heading {
                    level: 2,
                    inlines: vec![Inline::text("Heading")],
                },
                Block::Paragraph {
                    inlines: vec![Inline::text("First paragraph.")],
                },
                Block::Image(Image {
                    caption: Some("A caption".to_owned()),
                    ..Image::default()
                }),
                Block::List {
                    ordered: false,
                    items: vec![ListItem {
                        inlines: vec![Inline::text("An item")],
                        children: vec![],
                    }],
                },
                Block::Table { rows: vec![] },
                Block::Paragraph {
                    inlines: vec![Inline::text("Last one.")],
                },
            ],
            ..Article::default()
        }
    }

    /// Every text block is its canonical span: same text, and a position
    /// maps to the canonical offset of the same character and back.
    fn assert_blocks_match_canonical(article: &Article) {
        let blocks = text_blocks(article);
        let map = TextMap::new(article);
        assert_eq!(map.blocks(), blocks.len());
        let canonical: Vec<char> = map.canonical.text.chars().collect();
        for (block, text) in blocks.iter().enumerate() {
            let len = text.chars().count();
            let start = map.offset(TextPos { block, offset: 0 });
            let got: String = canonical[start..(start + len).min(canonical.len())]
                .iter()
                .collect();
            assert_eq!(&got, text, "block {block}");
            for offset in [0, len / 2, len] {
                let pos = TextPos { block, offset };
                if len > 0 {
                    assert_eq!(map.pos(map.offset(pos)), pos, "block {block}");
                }
            }
            if len > 0 {
                assert_eq!(map.block_ranges(start..start + len), [(block, 0..len)]);
            }
        }
    }

    #[test]
    fn text_blocks_agree_with_the_canonical_text_on_a_guardian_like_article() {
        let mut article = article();
        // An empty paragraph (a block without a span), a quote, a nested
        // list with a captioned picture, a table (spans without a block).
        article.blocks.insert(
            1,
            Block::Paragraph {
                inlines: Vec::new(),
            },
        );
        article.blocks.push(Block::Quote {
            blocks: vec![Block::Paragraph {
                inlines: vec![Inline::text("Quoted.")],
            }],
        });
        article.blocks.push(Block::List {
            ordered: true,
            items: vec![ListItem {
                inlines: vec![Inline::text("Outer")],
                children: vec![
                    Block::Image(Image {
                        caption: Some("Inner caption".to_owned()),
                        ..Image::default()
                    }),
                    Block::List {
                        ordered: false,
                        items: vec![ListItem {
                            inlines: vec![Inline::text("Inner item")],
                            children: vec![],
                        }],
                    },
                ],
            }],
        });
        article.blocks.insert(
            5,
            Block::Table {
                rows: vec![vec!["cell a".to_owned(), "cell b".to_owned()]],
            },
        );
        assert_blocks_match_canonical(&article);
        // A selection from the first paragraph into the list item, dragged
        // across the caption: its canonical range and back.
        let map = TextMap::new(&article);
        // (Block 1 is the empty paragraph.)
        let selection = Selection {
            anchor: TextPos {
                block: 2,
                offset: 6,
            },
            focus: TextPos {
                block: 4,
                offset: 2,
            },
        };
        let range = map.range(&selection).unwrap();
        assert_eq!(
            map.canonical.slice(range.clone()),
            "paragraph.\n\nA caption\n\nAn"
        );
        assert_eq!(map.selection(range), selection);
    }

    #[test]
    fn text_blocks_agree_with_the_canonical_text_on_the_seed() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/seed/000_2ed360ca1ed3b761.txt");
        let source = crate::read::read_path(&path).unwrap();
        let article = crate::extract::extract(&source);
        assert_blocks_match_canonical(&article);
        // A Chinese quote: its canonical offsets name the same characters.
        let map = TextMap::new(&article);
        let blocks = text_blocks(&article);
        let block = blocks.iter().position(|b| b.contains("售后")).unwrap();
        let at = blocks[block].chars().position(|c| c == '售').unwrap();
        let selection = Selection {
            anchor: TextPos { block, offset: at },
            focus: TextPos {
                block,
                offset: at + 4,
            },
        };
        let range = map.range(&selection).unwrap();
        assert_eq!(map.canonical.slice(range), plain_text(&blocks, &selection));
    }

    #[test]
    fn blocks_are_numbered_as_the_reader_draws_them() {
        assert_eq!(
            text_blocks(&article()),
            [
                "Heading",
                "First paragraph.",
                "A caption",
                "An item",
                "Last one."
            ]
        );
    }

    #[test]
    fn a_selection_across_blocks_copies_with_paragraph_breaks() {
        let blocks = text_blocks(&article());
        let selection = Selection {
            // Dragged backwards: from inside "An item" up into the paragraph.
            anchor: TextPos {
                block: 3,
                offset: 2,
            },
            focus: TextPos {
                block: 1,
                offset: 6,
            },
        };
        assert_eq!(
            plain_text(&blocks, &selection),
            "paragraph.\n\nA caption\n\nAn"
        );
        let all = select_all(&blocks).unwrap();
        assert_eq!(
            plain_text(&blocks, &all),
            "Heading\n\nFirst paragraph.\n\nA caption\n\nAn item\n\nLast one."
        );
    }

    #[test]
    fn copy_as_quote_is_a_block_quote_with_a_citation() {
        let blocks = text_blocks(&article());
        let selection = Selection {
            anchor: TextPos {
                block: 1,
                offset: 0,
            },
            focus: TextPos {
                block: 4,
                offset: 4,
            },
        };
        let quote = quote_lines(&blocks, &selection);
        assert_eq!(
            quote_with_source(&quote, "Whales. (2019). The Guardian.\n"),
            "> First paragraph.\n>\n> A caption\n>\n> An item\n>\n> Last\n\n\
             — Whales. (2019). The Guardian.\n"
        );
    }
}

//! The reader's text selection, as plain data: the article's text blocks in
//! the order the reader draws them (each paragraph, heading, list item,
//! code block and caption is one galley), a position in them (block index,
//! character offset), and what a selection copies — plain text with
//! paragraph breaks, or a Markdown block quote with a citation line.
//!
//! The reader (`app::reader_ui`) numbers its galleys with [`text_blocks`]'s
//! order, so a [`TextPos`] means the same character on screen and here.

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

/// The selection as a Markdown block quote (`> ` before every line, a `>`
/// line between blocks) followed by a citation line: title, site, date and
/// URL, those the article has.
#[must_use]
pub fn quote_text(article: &Article, blocks: &[String], selection: &Selection) -> String {
    let pieces = selected_pieces(blocks, selection);
    if pieces.is_empty() {
        return String::new();
    }
    let quote = pieces
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
        .join("\n>\n");
    let mut cite = Vec::new();
    if !article.title.trim().is_empty() {
        cite.push(article.title.trim().to_owned());
    }
    cite.extend(article.site.clone());
    cite.extend(
        article
            .published
            .as_deref()
            .map(|d| crate::model::date::display_date(d).to_owned()),
    );
    cite.extend(
        article
            .url
            .as_deref()
            .and_then(crate::model::links::safe_link)
            .map(|u| format!("<{u}>")),
    );
    if cite.is_empty() {
        format!("{quote}\n")
    } else {
        format!("{quote}\n\n— {}\n", cite.join(", "))
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
        assert_eq!(
            quote_text(&article(), &blocks, &selection),
            "> First paragraph.\n>\n> A caption\n>\n> An item\n>\n> Last\n\n\
             — Whales, the Guardian, 2019-01-03, <https://example.org/whales>\n"
        );
    }
}

//! The article's outline, in a strip beside the column: its headings, or
//! for a long article without any, the first sentence of a paragraph every
//! few screens. A click scrolls the reader there; the entry the reader is
//! in is marked.

use egui::RichText;

use crate::app::palette::Palette;
use crate::app::selection::{heading_blocks, text_blocks};
use crate::model::Article;

/// Characters of an entry's label at most.
const LABEL_CHARS: usize = 48;

/// About two screens of text between the entries of an article without
/// headings, in characters (a Chinese screen holds fewer of them).
const SPACING_CJK: usize = 1600;
const SPACING_LATIN: usize = 3500;

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    /// The text block it scrolls to ([`text_blocks`]'s order).
    pub(super) block: usize,
    /// What it says.
    pub(super) label: String,
    /// Its heading level (1 the largest; 2 for sentences).
    pub(super) level: u8,
}

/// The outline of `article`: its headings, else (when it is longer than
/// two entries' spacing) the first sentence of a paragraph about every two
/// screens; empty for a short article without headings.
pub(super) fn outline(article: &Article, cjk: bool) -> Vec<Entry> {
    let blocks = text_blocks(article);
    let headings = heading_blocks(article);
    if !headings.is_empty() {
        return headings
            .into_iter()
            .filter_map(|(block, level)| {
                let label = cut(blocks.get(block)?, usize::MAX);
                (!label.is_empty()).then_some(Entry {
                    block,
                    label,
                    level,
                })
            })
            .collect();
    }
    let spacing = if cjk { SPACING_CJK } else { SPACING_LATIN };
    let total: usize = blocks.iter().map(|b| b.chars().count()).sum();
    if total < spacing * 2 {
        return Vec::new();
    }
    let mut entries = Vec::new();
    let mut since = spacing;
    for (block, text) in blocks.iter().enumerate() {
        let chars = text.chars().count();
        // A sentence long enough to say something starts an entry.
        if since >= spacing && chars >= 20 {
            entries.push(Entry {
                block,
                label: cut(text, first_sentence_end(text)),
                level: 2,
            });
            since = 0;
        }
        since += chars;
    }
    entries
}

/// Chars up to the end of `text`'s first sentence.
fn first_sentence_end(text: &str) -> usize {
    let mut previous = ' ';
    for (i, c) in text.chars().enumerate() {
        if matches!(c, '。' | '！' | '？' | '；') {
            return i + 1;
        }
        if matches!(previous, '.' | '!' | '?') && c == ' ' && i > 12 {
            return i;
        }
        previous = c;
    }
    usize::MAX
}

/// `text`'s first `end` chars, at most [`LABEL_CHARS`] of them (then an
/// ellipsis), on one line.
fn cut(text: &str, end: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = end.min(line.chars().count());
    if end > LABEL_CHARS {
        let mut out: String = line.chars().take(LABEL_CHARS - 1).collect();
        out.push('…');
        out
    } else {
        line.chars().take(end).collect()
    }
}

/// The entry the reader is in: the last one starting at or before `top`,
/// the first block in view (the last one when the view is at the end).
pub(super) fn current(entries: &[Entry], top: Option<usize>) -> Option<usize> {
    let first = top?;
    entries.iter().rposition(|e| e.block <= first)
}

/// The outline's strip; the text block to scroll to when an entry is
/// clicked.
pub(super) fn outline_ui(
    ui: &mut egui::Ui,
    entries: &[Entry],
    current: Option<usize>,
    palette: &Palette,
) -> Option<usize> {
    let mut clicked = None;
    ui.label(RichText::new("Outline").strong().color(palette.strong));
    if entries.is_empty() {
        ui.label(RichText::new("This article has no headings.").color(palette.weak));
        return None;
    }
    egui::ScrollArea::vertical()
        .id_salt("reader-outline")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (i, entry) in entries.iter().enumerate() {
                ui.horizontal(|ui| {
                    ui.add_space(f32::from(entry.level.saturating_sub(1).min(4)) * 10.0);
                    let here = current == Some(i);
                    let text = RichText::new(&entry.label).color(if here {
                        palette.strong
                    } else {
                        palette.text
                    });
                    let response = ui.add(egui::Button::selectable(here, text).wrap());
                    if response.clicked() {
                        clicked = Some(entry.block);
                    }
                });
            }
        });
    clicked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Inline};

    fn paragraph(text: &str) -> Block {
        Block::Paragraph {
            inlines: vec![Inline::Text {
                text: text.to_owned(),
            }],
        }
    }

    #[test]
    fn headings_make_the_outline() {
        let article = Article {
            blocks: vec![
                paragraph("Intro."),
                Block::Heading {
                    level: 2,
                    inlines: vec![Inline::Text {
                        text: "History".to_owned(),
                    }],
                },
                paragraph("Text."),
            ],
            ..Article::default()
        };
        let entries = outline(&article, false);
        assert_eq!(
            entries,
            [Entry {
                block: 1,
                label: "History".to_owned(),
                level: 2
            }]
        );
        assert_eq!(current(&entries, Some(0)), None);
        assert_eq!(current(&entries, Some(2)), Some(0));
    }

    #[test]
    fn a_long_article_without_headings_gets_first_sentences() {
        let long = "这是第一句话，说了一些事情。然后又是第二句，很长很长。".repeat(20);
        let article = Article {
            blocks: (0..12).map(|_| paragraph(&long)).collect(),
            ..Article::default()
        };
        let entries = outline(&article, true);
        assert!(entries.len() >= 3, "{entries:?}");
        assert_eq!(entries[0].label, "这是第一句话，说了一些事情。");
        let short = Article {
            blocks: vec![paragraph("One short paragraph.")],
            ..Article::default()
        };
        assert!(outline(&short, false).is_empty());
    }
}

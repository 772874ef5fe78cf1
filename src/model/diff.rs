//! What changed between two copies of an article (pure): the bodies aligned
//! paragraph by paragraph, changed paragraphs refined into inserted and
//! deleted runs (a CJK character, a Latin word, a run of spaces or one mark
//! of punctuation at a time: by character for Chinese, by word for English,
//! with no language to guess), images added and removed, and the metadata
//! fields that differ.
//!
//! The units are the spans of the canonical text ([`CanonicalText`]): a
//! heading, a paragraph, a list item, a table cell, a caption. Both steps
//! use `similar`'s Myers diff under one deadline: past it, paragraphs that
//! were not yet refined are shown whole as deleted and inserted, and
//! [`Diff::complete`] is false. Pairing the paragraphs of a changed run is
//! bounded too ([`MAX_PAIRINGS`]).

use std::collections::HashSet;
use std::time::Instant;

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

use super::Article;
use super::canonical::{CanonicalText, SpanKind};

/// Pairs of paragraphs compared when a run of old paragraphs was replaced
/// by a run of new ones; a larger run is shown as deleted and inserted.
pub const MAX_PAIRINGS: usize = 40_000;

/// How alike two paragraphs must be (Dice coefficient of their character
/// bigrams) to be shown as one changed paragraph rather than one deleted
/// and one inserted.
pub const SAME_PARAGRAPH: f64 = 0.4;

/// One unit of a body: its kind and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// What it is (`paragraph`, `heading`, `item`, `cell`, `caption`, `code`).
    pub kind: &'static str,
    /// Its text.
    pub text: String,
}

/// The units of an article body, in reading order.
pub fn units(article: &Article) -> Vec<Unit> {
    let canonical = CanonicalText::new(&article.blocks);
    canonical
        .spans
        .iter()
        .map(|span| Unit {
            kind: match span.kind {
                SpanKind::Heading => "heading",
                SpanKind::Paragraph => "paragraph",
                SpanKind::ListItem => "item",
                SpanKind::Code => "code",
                SpanKind::Cell => "cell",
                SpanKind::Caption => "caption",
            },
            text: canonical.slice(span.range.clone()).to_owned(),
        })
        .collect()
}

/// Whether a run of text was kept, removed or added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanOp {
    /// In both.
    Equal,
    /// Only in the old copy.
    Deleted,
    /// Only in the new copy.
    Inserted,
}

/// A run of a changed paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InlineSpan {
    /// Kept, removed or added.
    pub op: SpanOp,
    /// The text of the run.
    pub text: String,
}

/// One paragraph of the comparison. `old` and `new` are indices into each
/// copy's [`units`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ParagraphChange {
    /// The same in both.
    Equal {
        old: usize,
        new: usize,
        kind: &'static str,
        text: String,
    },
    /// Only in the old copy.
    Deleted {
        old: usize,
        kind: &'static str,
        text: String,
    },
    /// Only in the new copy.
    Inserted {
        new: usize,
        kind: &'static str,
        text: String,
    },
    /// Edited: the runs kept, removed and added, in order.
    Changed {
        old: usize,
        new: usize,
        kind: &'static str,
        spans: Vec<InlineSpan>,
    },
}

/// An image of either copy, as the caller identifies it (by its stored
/// bytes' hash where it has one, else its address) and names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// What makes two images the same image.
    pub key: String,
    /// What to call it: its caption, alt text or file name.
    pub label: String,
}

/// A metadata field whose value differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// `title`, `byline`, `published`, `site`, `url`, `lang`.
    pub field: &'static str,
    /// The old copy's value.
    pub old: Option<String>,
    /// The new copy's value.
    pub new: Option<String>,
}

/// Counts of a comparison, for a one-line summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DiffCounts {
    /// Paragraphs the same in both.
    pub equal: usize,
    /// Paragraphs only in the new copy.
    pub inserted: usize,
    /// Paragraphs only in the old copy.
    pub deleted: usize,
    /// Paragraphs edited.
    pub changed: usize,
    /// Images only in the new copy.
    pub images_added: usize,
    /// Images only in the old copy.
    pub images_removed: usize,
}

/// What changed from one copy to another.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Metadata fields that differ.
    pub metadata: Vec<FieldChange>,
    /// The bodies, aligned.
    pub paragraphs: Vec<ParagraphChange>,
    /// Images only in the new copy.
    pub images_added: Vec<ImageRef>,
    /// Images only in the old copy.
    pub images_removed: Vec<ImageRef>,
    /// False when the deadline stopped the refinement: some changed
    /// paragraphs are shown whole as deleted and inserted.
    pub complete: bool,
    /// The counts.
    pub counts: DiffCounts,
}

impl Diff {
    /// Whether the two copies are the same in text, images and metadata.
    pub fn is_empty(&self) -> bool {
        self.metadata.is_empty()
            && self.images_added.is_empty()
            && self.images_removed.is_empty()
            && self
                .paragraphs
                .iter()
                .all(|p| matches!(p, ParagraphChange::Equal { .. }))
    }
}

/// Compare two copies of an article: `old_images` and `new_images` are
/// their images as the caller identifies them. Stops refining at
/// `deadline`.
pub fn compare(
    old: &Article,
    new: &Article,
    old_images: &[ImageRef],
    new_images: &[ImageRef],
    deadline: Instant,
) -> Diff {
    let (paragraphs, complete) = paragraphs(&units(old), &units(new), deadline);
    let images_added = missing_from(new_images, old_images);
    let images_removed = missing_from(old_images, new_images);
    let mut counts = DiffCounts {
        images_added: images_added.len(),
        images_removed: images_removed.len(),
        ..DiffCounts::default()
    };
    for p in &paragraphs {
        match p {
            ParagraphChange::Equal { .. } => counts.equal += 1,
            ParagraphChange::Deleted { .. } => counts.deleted += 1,
            ParagraphChange::Inserted { .. } => counts.inserted += 1,
            ParagraphChange::Changed { .. } => counts.changed += 1,
        }
    }
    Diff {
        metadata: metadata(old, new),
        paragraphs,
        images_added,
        images_removed,
        complete,
        counts,
    }
}

/// The metadata fields that differ between two copies.
pub fn metadata(old: &Article, new: &Article) -> Vec<FieldChange> {
    let fields: [(&'static str, Option<&String>, Option<&String>); 6] = [
        ("title", Some(&old.title), Some(&new.title)),
        ("byline", old.byline.as_ref(), new.byline.as_ref()),
        ("published", old.published.as_ref(), new.published.as_ref()),
        ("site", old.site.as_ref(), new.site.as_ref()),
        ("url", old.url.as_ref(), new.url.as_ref()),
        ("lang", old.lang.as_ref(), new.lang.as_ref()),
    ];
    fields
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, a, b)| FieldChange {
            field,
            old: a.cloned(),
            new: b.cloned(),
        })
        .collect()
}

/// The images of `these` whose key is not among `those`, in order.
fn missing_from(these: &[ImageRef], those: &[ImageRef]) -> Vec<ImageRef> {
    let keys: HashSet<&str> = those.iter().map(|i| i.key.as_str()).collect();
    let mut seen = HashSet::new();
    these
        .iter()
        .filter(|i| !keys.contains(i.key.as_str()) && seen.insert(i.key.as_str()))
        .cloned()
        .collect()
}

/// Two bodies' units aligned, and whether every changed run was refined
/// before `deadline`.
pub fn paragraphs(old: &[Unit], new: &[Unit], deadline: Instant) -> (Vec<ParagraphChange>, bool) {
    let old_texts: Vec<&str> = old.iter().map(|u| u.text.as_str()).collect();
    let new_texts: Vec<&str> = new.iter().map(|u| u.text.as_str()).collect();
    let ops =
        capture_diff_slices_deadline(Algorithm::Myers, &old_texts, &new_texts, Some(deadline));
    let mut out = Vec::with_capacity(old.len().max(new.len()));
    let mut complete = true;
    // A delete followed by an insert (or a replace) is one changed run.
    let mut pending_old = 0..0;
    let mut pending_new = 0..0;
    let mut flush = |out: &mut Vec<ParagraphChange>,
                     old_run: &mut std::ops::Range<usize>,
                     new_run: &mut std::ops::Range<usize>| {
        if old_run.start < old_run.end || new_run.start < new_run.end {
            complete &= changed_run(old, new, old_run.clone(), new_run.clone(), deadline, out);
        }
        *old_run = 0..0;
        *new_run = 0..0;
    };
    for op in ops {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                flush(&mut out, &mut pending_old, &mut pending_new);
                for k in 0..len {
                    let unit = &old[old_index + k];
                    out.push(ParagraphChange::Equal {
                        old: old_index + k,
                        new: new_index + k,
                        kind: unit.kind,
                        text: unit.text.clone(),
                    });
                }
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => {
                extend(&mut pending_old, old_index, old_len);
                extend(&mut pending_new, new_index, 0);
            }
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => {
                extend(&mut pending_old, old_index, 0);
                extend(&mut pending_new, new_index, new_len);
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                extend(&mut pending_old, old_index, old_len);
                extend(&mut pending_new, new_index, new_len);
            }
        }
    }
    flush(&mut out, &mut pending_old, &mut pending_new);
    (out, complete)
}

/// Grow a pending run by `len` items starting at `start` (an empty run
/// starts there).
fn extend(run: &mut std::ops::Range<usize>, start: usize, len: usize) {
    if run.start >= run.end {
        *run = start..start + len;
    } else {
        run.end = run.end.max(start + len);
    }
}

/// A run of old units replaced by a run of new ones: each old unit paired,
/// in order, with the first remaining new unit alike enough
/// ([`SAME_PARAGRAPH`]) and refined; the rest deleted or inserted. False
/// when the deadline or [`MAX_PAIRINGS`] left something unrefined.
fn changed_run(
    old: &[Unit],
    new: &[Unit],
    old_run: std::ops::Range<usize>,
    new_run: std::ops::Range<usize>,
    deadline: Instant,
    out: &mut Vec<ParagraphChange>,
) -> bool {
    let deleted = |i: usize| ParagraphChange::Deleted {
        old: i,
        kind: old[i].kind,
        text: old[i].text.clone(),
    };
    let inserted = |j: usize| ParagraphChange::Inserted {
        new: j,
        kind: new[j].kind,
        text: new[j].text.clone(),
    };
    let pairable =
        old_run.len().saturating_mul(new_run.len()) <= MAX_PAIRINGS && Instant::now() < deadline;
    if !pairable || old_run.is_empty() || new_run.is_empty() {
        out.extend(old_run.clone().map(deleted));
        out.extend(new_run.clone().map(inserted));
        return pairable || old_run.is_empty() || new_run.is_empty();
    }
    let new_grams: Vec<HashSet<(char, char)>> =
        new_run.clone().map(|j| bigrams(&new[j].text)).collect();
    let mut complete = true;
    let mut next_new = new_run.start;
    for i in old_run {
        let grams = bigrams(&old[i].text);
        let partner = (next_new..new_run.end).find(|&j| {
            old[i].kind == new[j].kind
                && dice(&grams, &new_grams[j - new_run.start]) >= SAME_PARAGRAPH
        });
        let Some(j) = partner else {
            out.push(deleted(i));
            continue;
        };
        out.extend((next_new..j).map(inserted));
        let (spans, refined) = inline(&old[i].text, &new[j].text, deadline);
        complete &= refined;
        out.push(ParagraphChange::Changed {
            old: i,
            new: j,
            kind: new[j].kind,
            spans,
        });
        next_new = j + 1;
    }
    out.extend((next_new..new_run.end).map(inserted));
    complete
}

/// The character bigrams of a text (a one-character text: that character
/// twice).
fn bigrams(text: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    match chars.as_slice() {
        [] => HashSet::new(),
        [c] => HashSet::from([(*c, *c)]),
        _ => chars.windows(2).map(|w| (w[0], w[1])).collect(),
    }
}

/// The Dice coefficient of two sets, 0 to 1.
fn dice(a: &HashSet<(char, char)>, b: &HashSet<(char, char)>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let shared = a.iter().filter(|g| b.contains(g)).count();
    #[allow(clippy::cast_precision_loss)] // counts of characters in one paragraph
    let score = 2.0 * shared as f64 / (a.len() + b.len()) as f64;
    score
}

/// Whether a character is written without spaces between words (Han, kana,
/// Hangul): each one is a token of its own.
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x2E80..=0x2FDF | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31A0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// A paragraph cut into the tokens a change is shown in: a CJK character, a
/// run of letters and digits, a run of white space, any other character.
pub fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq, Eq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Single,
    }
    let class = |c: char| {
        if is_cjk(c) {
            Class::Single
        } else if c.is_alphanumeric() || c == '\'' || c == '’' {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Single
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<Class> = None;
    for (at, c) in text.char_indices() {
        let this = class(c);
        let joins = current == Some(this) && this != Class::Single;
        if !joins && at > start {
            out.push(&text[start..at]);
            start = at;
        }
        current = Some(this);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The runs of a changed paragraph, and whether it was refined before the
/// deadline (if not: the old text deleted, the new inserted).
pub fn inline(old: &str, new: &str, deadline: Instant) -> (Vec<InlineSpan>, bool) {
    let whole = || {
        vec![
            InlineSpan {
                op: SpanOp::Deleted,
                text: old.to_owned(),
            },
            InlineSpan {
                op: SpanOp::Inserted,
                text: new.to_owned(),
            },
        ]
    };
    if Instant::now() >= deadline {
        return (whole(), false);
    }
    let a = tokens(old);
    let b = tokens(new);
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &a, &b, Some(deadline));
    if Instant::now() >= deadline {
        return (whole(), false);
    }
    let mut spans: Vec<InlineSpan> = Vec::new();
    let mut push = |op: SpanOp, parts: &[&str]| {
        if parts.is_empty() {
            return;
        }
        let text: String = parts.concat();
        match spans.last_mut() {
            Some(last) if last.op == op => last.text.push_str(&text),
            _ => spans.push(InlineSpan { op, text }),
        }
    };
    for op in ops {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                push(SpanOp::Equal, &a[old_index..old_index + len])
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(SpanOp::Deleted, &a[old_index..old_index + old_len]),
            DiffOp::Insert {
                new_index, new_len, ..
            } => push(SpanOp::Inserted, &b[new_index..new_index + new_len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(SpanOp::Deleted, &a[old_index..old_index + old_len]);
                push(SpanOp::Inserted, &b[new_index..new_index + new_len]);
            }
        }
    }
    (spans, true)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn later() -> Instant {
        Instant::now() + Duration::from_secs(10)
    }

    fn unit(text: &str) -> Unit {
        Unit {
            kind: "paragraph",
            text: text.to_owned(),
        }
    }

    fn show(spans: &[InlineSpan]) -> String {
        spans
            .iter()
            .map(|s| match s.op {
                SpanOp::Equal => s.text.clone(),
                SpanOp::Deleted => format!("[-{}-]", s.text),
                SpanOp::Inserted => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn chinese_changes_by_character_and_english_by_word() {
        let (spans, done) = inline("国务院今天公布新规定", "国务院昨天公布新规定", later());
        assert!(done);
        assert_eq!(show(&spans), "国务院[-今-]{+昨+}天公布新规定");
        let (spans, _) = inline(
            "The minister said on Tuesday that rules apply.",
            "The minister said on Monday that rules apply.",
            later(),
        );
        assert_eq!(
            show(&spans),
            "The minister said on [-Tuesday-]{+Monday+} that rules apply."
        );
    }

    #[test]
    fn a_removed_paragraph_and_an_edited_one_are_told_apart() {
        let old = [
            unit("第一段：会议在北京召开。"),
            unit("第二段：三名官员被免职，名单如下。"),
            unit("第三段：伤亡人数为十二人。"),
        ];
        let new = [
            unit("第一段：会议在北京召开。"),
            unit("第三段：伤亡人数为三人。"),
        ];
        let (changes, complete) = paragraphs(&old, &new, later());
        assert!(complete);
        assert!(matches!(
            changes[0],
            ParagraphChange::Equal { old: 0, new: 0, .. }
        ));
        assert!(matches!(
            changes[1],
            ParagraphChange::Deleted { old: 1, .. }
        ));
        let ParagraphChange::Changed {
            old: 2,
            new: 1,
            spans,
            ..
        } = &changes[2]
        else {
            panic!("{changes:?}");
        };
        assert_eq!(show(spans), "第三段：伤亡人数为[-十二-]{+三+}人。");
        assert_eq!(changes.len(), 3);
    }

    #[test]
    fn past_the_deadline_paragraphs_are_shown_whole() {
        let old = [unit("alpha beta gamma")];
        let new = [unit("alpha beta delta")];
        let (changes, complete) = paragraphs(&old, &new, Instant::now());
        assert!(!complete);
        assert!(
            changes
                .iter()
                .all(|c| !matches!(c, ParagraphChange::Changed { .. }))
        );
        assert_eq!(changes.len(), 2);
    }

    #[test]
    fn tokens_keep_every_character() {
        let text = "Folio 1.2 读了 “新闻” don't  stop";
        assert_eq!(tokens(text).concat(), text);
        assert_eq!(
            tokens(text),
            [
                "Folio", " ", "1", ".", "2", " ", "读", "了", " ", "“", "新", "闻", "”", " ",
                "don't", "  ", "stop"
            ]
        );
    }

    #[test]
    fn images_and_metadata_differences_are_listed() {
        let old = Article {
            title: "A".into(),
            byline: Some("张三".into()),
            ..Article::default()
        };
        let new = Article {
            title: "A".into(),
            byline: None,
            ..Article::default()
        };
        let img = |k: &str| ImageRef {
            key: k.into(),
            label: k.into(),
        };
        let diff = compare(
            &old,
            &new,
            &[img("a"), img("b")],
            &[img("b"), img("c")],
            later(),
        );
        assert_eq!(diff.images_added, [img("c")]);
        assert_eq!(diff.images_removed, [img("a")]);
        assert_eq!(diff.metadata.len(), 1);
        assert_eq!(diff.metadata[0].field, "byline");
        assert!(!diff.is_empty());
        assert!(compare(&old, &old, &[], &[], later()).is_empty());
    }
}

//! W3C Web Annotation selectors over an article's canonical text
//! ([`super::canonical`]) and re-anchoring them when the text changes.
//!
//! A highlight is stored as a [`TextQuoteSelector`] (the exact text plus up
//! to [`CONTEXT_CHARS`] characters of prefix and suffix, fewer only where the
//! text begins or ends) and a [`TextPositionSelector`] (char offsets).
//!
//! [`reanchor`] is pure and tries, in order (as Hypothesis's `anchoring/`
//! does):
//!
//! 1. **position**: the quote is still exactly at its old offsets, and its
//!    context still agrees;
//! 2. **exact quote**: every exact occurrence of the quote is scored on how
//!    well its prefix and suffix agree and how near it is to the old
//!    position; the best wins, if its context agrees (see below);
//! 3. **fuzzy**: Myers' bit-parallel approximate search finds the places the
//!    quote occurs with at most min(256, quote length / 2) edits; each is
//!    scored like Hypothesis (quote 50, prefix 20, suffix 20, position 2,
//!    divided by 92) and the best is kept if its score is at least
//!    [`FUZZY_THRESHOLD`] and its quote similarity at least
//!    [`FUZZY_MIN_QUOTE`];
//! 4. otherwise the highlight is an **orphan**.
//!
//! Promise: a highlight is never moved onto the wrong text. A quote shorter
//! than [`CONTEXT_CHARS`] chars is only found where its prefix or its suffix
//! still agrees (similarity at least [`EXACT_MIN_CONTEXT`]), exactly or
//! fuzzily; a longer quote found exactly but with its context gone is taken
//! only when it occurs once. So a short quote (`the`, `Tuesday`) whose
//! sentence was deleted is an orphan, not a guess at another occurrence.
//!
//! Cost: linear in the text for the exact search, and `O(text × ⌈quote/64⌉)`
//! word operations for the fuzzy one.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Characters of prefix and suffix kept with a quote.
pub const CONTEXT_CHARS: usize = 32;

/// Lowest normalised Hypothesis score (0..=1) a fuzzy match needs. With
/// both contexts intact a match scores at least (50 × 0.5 + 40) / 92 ≈ 0.71
/// even at the edit bound, so an edited quote in place is kept (the table
/// test's "raised concerns about the cost" → "raised serious concerns about
/// its cost" scores 0.80); with both contexts gone (similarity about 0.2 for
/// unrelated text) it needs a quote similarity of about 0.9: a look-alike
/// elsewhere is not taken for the quote (the table test's deleted quote is an
/// orphan).
pub const FUZZY_THRESHOLD: f64 = 0.6;

/// Lowest quote similarity (1 − edits / quote length) a fuzzy match needs,
/// whatever its context (the edit bound of min(256, length / 2) already
/// implies about this much for quotes up to 512 chars).
pub const FUZZY_MIN_QUOTE: f64 = 0.5;

/// Lowest context similarity (the better of prefix and suffix) an exact
/// occurrence needs, unless the quote is long and unique.
pub const EXACT_MIN_CONTEXT: f64 = 0.5;

/// The quoted text with its context (W3C `TextQuoteSelector`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextQuoteSelector {
    /// The highlighted text.
    pub exact: String,
    /// Up to [`CONTEXT_CHARS`] chars before it.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] chars after it.
    pub suffix: String,
}

/// Char offsets in the canonical text (W3C `TextPositionSelector`), half-open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPositionSelector {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
}

/// Both selectors of one highlight.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selectors {
    /// The quote.
    pub quote: TextQuoteSelector,
    /// The position.
    pub position: TextPositionSelector,
}

impl Selectors {
    /// The selectors of `range` (char offsets, clamped) of `text`.
    pub fn from_range(text: &[char], range: Range<usize>) -> Self {
        let end = range.end.min(text.len());
        let start = range.start.min(end);
        let from = start.saturating_sub(CONTEXT_CHARS);
        let to = (end + CONTEXT_CHARS).min(text.len());
        Self {
            quote: TextQuoteSelector {
                exact: text[start..end].iter().collect(),
                prefix: text[from..start].iter().collect(),
                suffix: text[end..to].iter().collect(),
            },
            position: TextPositionSelector { start, end },
        }
    }
}

/// How a highlight was found in the new text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum How {
    /// At its old position.
    Position,
    /// The exact quote, elsewhere.
    ExactQuote,
    /// An approximate match; `score` is the normalised Hypothesis score (0..=1).
    Fuzzy {
        /// How well it matched.
        score: f64,
    },
}

/// The outcome of [`reanchor`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Anchor {
    /// Found at `start..end` (chars).
    Anchored {
        /// First char.
        start: usize,
        /// One past the last char.
        end: usize,
        /// How.
        how: How,
    },
    /// Not found: keep it, flagged.
    Orphan,
}

/// Find the highlight `old` in `text` (the new canonical text, as chars).
pub fn reanchor(old: &Selectors, text: &[char]) -> Anchor {
    let exact: Vec<char> = old.quote.exact.chars().collect();
    if exact.is_empty() || exact.len() > text.len() {
        return Anchor::Orphan;
    }
    let prefix: Vec<char> = old.quote.prefix.chars().collect();
    let suffix: Vec<char> = old.quote.suffix.chars().collect();
    let ctx = Context {
        text,
        prefix: &prefix,
        suffix: &suffix,
        old_start: old.position.start,
    };
    // 1. Position.
    let (s, e) = (old.position.start, old.position.end);
    if e <= text.len()
        && s < e
        && text[s..e] == exact[..]
        && ctx.context_score(s, e) >= EXACT_MIN_CONTEXT
    {
        return Anchor::Anchored {
            start: s,
            end: e,
            how: How::Position,
        };
    }
    // 2. Exact quote.
    let hits = find_all(text, &exact);
    let best = hits
        .iter()
        .map(|&at| {
            let (p, q) = (ctx.prefix_sim(at), ctx.suffix_sim(at + exact.len()));
            (at, p.max(q), 20.0 * (p + q) + 2.0 * ctx.position_sim(at))
        })
        .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)));
    if let Some((at, context, _)) = best
        && (context >= EXACT_MIN_CONTEXT || (hits.len() == 1 && exact.len() >= CONTEXT_CHARS))
    {
        return Anchor::Anchored {
            start: at,
            end: at + exact.len(),
            how: How::ExactQuote,
        };
    }
    // 3. Fuzzy.
    let max_errors = (exact.len() / 2).min(256);
    if max_errors == 0 {
        return Anchor::Orphan;
    }
    // A quote that began (ended) at a word boundary begins (ends) at one
    // again: an edited word is taken whole, not its last letters.
    let old_starts_word = prefix.last().is_none_or(|&p| is_boundary(p, exact[0]));
    let old_ends_word = suffix
        .first()
        .is_none_or(|&n| exact.last().is_none_or(|&l| is_boundary(l, n)));
    let mut best: Option<(f64, usize, usize)> = None;
    #[allow(clippy::cast_precision_loss)] // lengths far below 2^52
    let quote_sim = |errors: usize| 1.0 - errors as f64 / exact.len() as f64;
    for run in candidate_ends(text, &exact, max_errors) {
        // The end (within the run of near matches) and then the start whose
        // edits and context agree best: the context, not the fewest edits
        // alone, decides where an edited quote begins and ends.
        let run = at_boundaries(&run, |&(end, _)| at_word_boundary(text, end), old_ends_word);
        let Some(&(end, _)) = run.iter().max_by(|a, b| {
            let score = |&(end, errors): &(usize, usize)| {
                50.0 * quote_sim(errors) + 20.0 * ctx.suffix_sim(end)
            };
            score(a).total_cmp(&score(b)).then(b.0.cmp(&a.0))
        }) else {
            continue;
        };
        let starts = starts(text, &exact, end);
        let starts = at_boundaries(
            &starts,
            |&(start, _)| at_word_boundary(text, start),
            old_starts_word,
        );
        let Some((start, errors)) = starts.into_iter().max_by(|a, b| {
            let score = |&(start, errors): &(usize, usize)| {
                50.0 * quote_sim(errors) + 20.0 * ctx.prefix_sim(start)
            };
            score(a).total_cmp(&score(b)).then(b.1.cmp(&a.1))
        }) else {
            continue;
        };
        let q = quote_sim(errors);
        if q < FUZZY_MIN_QUOTE
            || (exact.len() < CONTEXT_CHARS && ctx.context_score(start, end) < EXACT_MIN_CONTEXT)
        {
            continue;
        }
        let score = (50.0 * q
            + 20.0 * ctx.prefix_sim(start)
            + 20.0 * ctx.suffix_sim(end)
            + 2.0 * ctx.position_sim(start))
            / 92.0;
        if best.is_none_or(|(b, _, _)| score > b) {
            best = Some((score, start, end));
        }
    }
    match best {
        Some((score, start, end)) if score >= FUZZY_THRESHOLD && start < end => Anchor::Anchored {
            start,
            end,
            how: How::Fuzzy { score },
        },
        _ => Anchor::Orphan,
    }
}

/// True when a word may end between `a` and `b`: not two letters or digits
/// of a script that separates words with spaces (every CJK character is a
/// word of its own here: U+2E80 and above is taken as CJK or symbols).
fn is_boundary(a: char, b: char) -> bool {
    let wordy = |c: char| c.is_alphanumeric() && (c as u32) < 0x2E80;
    !(wordy(a) && wordy(b))
}

/// True when char offset `at` of `text` is a word boundary.
fn at_word_boundary(text: &[char], at: usize) -> bool {
    at == 0 || at >= text.len() || is_boundary(text[at - 1], text[at])
}

/// The candidates at word boundaries when `wanted` and there are any, else all.
fn at_boundaries<T: Copy>(items: &[T], ok: impl Fn(&T) -> bool, wanted: bool) -> Vec<T> {
    if wanted {
        let kept: Vec<T> = items.iter().copied().filter(|i| ok(i)).collect();
        if !kept.is_empty() {
            return kept;
        }
    }
    items.to_vec()
}

/// The old highlight's context, to score candidates in the new text.
struct Context<'a> {
    text: &'a [char],
    prefix: &'a [char],
    suffix: &'a [char],
    old_start: usize,
}

impl Context<'_> {
    /// How well the text before `at` agrees with the old prefix (0..=1).
    fn prefix_sim(&self, at: usize) -> f64 {
        let from = at.saturating_sub(self.prefix.len());
        let before = &self.text[from..at];
        if self.prefix.is_empty() {
            // The quote began the text: so must the candidate.
            return if at == 0 { 1.0 } else { 0.0 };
        }
        similarity(self.prefix, before)
    }

    /// How well the text after `at` agrees with the old suffix (0..=1).
    fn suffix_sim(&self, at: usize) -> f64 {
        let to = (at + self.suffix.len()).min(self.text.len());
        let after = &self.text[at.min(to)..to];
        if self.suffix.is_empty() {
            return if at == self.text.len() { 1.0 } else { 0.0 };
        }
        similarity(self.suffix, after)
    }

    /// The better of prefix and suffix agreement of `start..end`.
    fn context_score(&self, start: usize, end: usize) -> f64 {
        self.prefix_sim(start).max(self.suffix_sim(end))
    }

    /// 1 at the old position, falling to 0 a text's length away.
    #[allow(clippy::cast_precision_loss)] // lengths far below 2^52
    fn position_sim(&self, at: usize) -> f64 {
        let len = self.text.len().max(1) as f64;
        1.0 - (at.abs_diff(self.old_start) as f64 / len).min(1.0)
    }
}

/// 1 − Levenshtein distance / the longer length (1 for two empty strings).
#[allow(clippy::cast_precision_loss)] // lengths are at most CONTEXT_CHARS
fn similarity(a: &[char], b: &[char]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - levenshtein(a, b) as f64 / longest as f64
}

/// Edit distance, `O(a × b)` (used on contexts of at most [`CONTEXT_CHARS`]).
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Every start of `needle` in `haystack` (overlapping ones too).
fn find_all(haystack: &[char], needle: &[char]) -> Vec<usize> {
    let Some(&first) = needle.first() else {
        return Vec::new();
    };
    (0..=haystack.len() - needle.len())
        .filter(|&i| haystack[i] == first && haystack[i..i + needle.len()] == *needle)
        .collect()
}

/// Most fuzzy candidates scored per highlight (the ones with fewest edits).
const MAX_CANDIDATES: usize = 64;

/// Ends (exclusive char offsets) of approximate occurrences of `pattern`
/// with at most `max_errors` edits, with their edit counts, grouped in runs
/// of adjacent ends: at most [`MAX_CANDIDATES`] runs, those with the fewest
/// edits first.
///
/// Myers' bit-vector algorithm in Hyyrö's blocked form (as in the
/// `approx-string-match` package Hypothesis uses): each text char costs
/// `⌈pattern / 64⌉` word steps.
fn candidate_ends(text: &[char], pattern: &[char], max_errors: usize) -> Vec<Vec<(usize, usize)>> {
    let m = pattern.len();
    let blocks = m.div_ceil(64);
    // Match masks per char, per block.
    let mut peq: HashMap<char, Vec<u64>> = HashMap::new();
    for (i, &c) in pattern.iter().enumerate() {
        peq.entry(c).or_insert_with(|| vec![0; blocks])[i / 64] |= 1 << (i % 64);
    }
    let zero = vec![0u64; blocks];
    let last_bit = |b: usize| -> u64 {
        if b + 1 == blocks {
            1 << ((m - 1) % 64)
        } else {
            1 << 63
        }
    };
    let mut pv = vec![u64::MAX; blocks];
    let mut mv = vec![0u64; blocks];
    let mut score = m;
    let mut runs: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut in_run = false;
    for (j, c) in text.iter().enumerate() {
        let eqs = peq.get(c).unwrap_or(&zero);
        let mut h_in: i8 = 0;
        for b in 0..blocks {
            let (p, mm) = (pv[b], mv[b]);
            let neg = u64::from(h_in < 0);
            let eq = eqs[b] | neg;
            let xv = eq | mm;
            let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
            let mut ph = mm | !(xh | p);
            let mut mh = p & xh;
            let lb = last_bit(b);
            let h_out: i8 = if ph & lb != 0 {
                1
            } else if mh & lb != 0 {
                -1
            } else {
                0
            };
            ph = (ph << 1) | u64::from(h_in > 0);
            mh = (mh << 1) | neg;
            pv[b] = mh | !(xv | ph);
            mv[b] = ph & xv;
            h_in = h_out;
        }
        // h_in now is the change of the last row's value.
        score = match h_in {
            1 => score + 1,
            -1 => score - 1,
            _ => score,
        };
        let end = j + 1;
        if score <= max_errors {
            match runs.last_mut() {
                Some(last) if in_run => last.push((end, score)),
                _ => runs.push(vec![(end, score)]),
            }
            in_run = true;
        } else {
            in_run = false;
        }
    }
    runs.sort_by_key(|run| {
        (
            run.iter()
                .map(|&(_, errors)| errors)
                .min()
                .unwrap_or(usize::MAX),
            run.first().map_or(0, |&(end, _)| end),
        )
    });
    runs.truncate(MAX_CANDIDATES);
    runs
}

/// The possible starts of an alignment of the whole `pattern` ending at
/// `end`, each with its edit count (semi-global edit distance over the
/// window that can hold such an alignment, computed backwards from `end`).
fn starts(text: &[char], pattern: &[char], end: usize) -> Vec<(usize, usize)> {
    let m = pattern.len();
    let from = end.saturating_sub(m + m / 2 + 1);
    let window = &text[from..end];
    let n = window.len();
    // Rows over the reversed pattern, columns over the reversed window: the
    // alignment starts at column 0 (at `end`) and may stop at any column.
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur = vec![0; n + 1];
    for (i, &pc) in pattern.iter().rev().enumerate() {
        cur[0] = i + 1;
        for j in 1..=n {
            cur[j] = (prev[j - 1] + usize::from(pc != window[n - j]))
                .min(prev[j] + 1)
                .min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (1..=n).map(|j| (end - j, prev[j])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn myers_finds_approximate_ends() {
        let text = chars("the quick brown fox jumps over the lazy dog");
        let ends = candidate_ends(&text, &chars("brwn fox"), 2);
        assert!(ends[0].contains(&(19, 1)));
        // A pattern longer than one machine word.
        let long: String = "abcdefghij".repeat(10);
        let mut edited = long.clone();
        edited.replace_range(50..52, "XY");
        let text = chars(&format!("zzzz{edited}zzzz"));
        let ends = candidate_ends(&text, &chars(&long), 10);
        assert!(ends[0].contains(&(104, 2)));
        assert!(starts(&text, &chars(&long), 104).contains(&(4, 2)));
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(levenshtein(&chars(""), &chars("abc")), 3);
    }
}

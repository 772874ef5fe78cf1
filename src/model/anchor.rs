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
//!
//! Long because: re-anchoring is one algorithm (position, exact, fuzzy by
//! Myers, long quotes by pieces) whose bounds are tuned together; its unit
//! tests follow it.

use std::cell::Cell;
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

/// The new text, searched once per highlight: its chars, and the same text
/// as UTF-8 with each char's byte offset, so that exact occurrences are found
/// by a fast substring search. Build it once per text ([`Haystack::new`]) and
/// re-anchor each of its highlights with [`reanchor_in`].
pub struct Haystack<'a> {
    chars: &'a [char],
    utf8: String,
    /// Byte offset of each char in `utf8`, and `utf8.len()` last.
    offsets: Vec<usize>,
    /// Chars the fuzzy searches of this text's highlights may still scan
    /// in full windows ([`FUZZY_BUDGET`]); once spent, each searches only
    /// near its old place ([`NEAR_WINDOW`]).
    fuzzy_budget: Cell<usize>,
}

impl<'a> Haystack<'a> {
    /// The haystack of `chars`.
    pub fn new(chars: &'a [char]) -> Self {
        let mut utf8 = String::with_capacity(chars.len());
        let mut offsets = Vec::with_capacity(chars.len() + 1);
        for &c in chars {
            offsets.push(utf8.len());
            utf8.push(c);
        }
        offsets.push(utf8.len());
        Self {
            chars,
            utf8,
            offsets,
            fuzzy_budget: Cell::new(FUZZY_BUDGET),
        }
    }

    /// Every start (char offset) of `needle` (overlapping ones too), in
    /// order, in time linear in the text.
    fn find_all(&self, needle: &[char]) -> Vec<usize> {
        let needle: String = needle.iter().collect();
        if needle.is_empty() {
            return Vec::new();
        }
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let bytes = self.utf8.as_bytes();
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(found) = finder.find(&bytes[from..]) {
            let byte = from + found;
            // Always a char boundary: `needle` is whole UTF-8.
            let at = self.offsets.partition_point(|&o| o < byte);
            out.push(at);
            // The next char, for overlapping occurrences.
            from = self.offsets.get(at + 1).copied().unwrap_or(bytes.len());
            if from >= bytes.len() {
                break;
            }
        }
        out
    }

    /// The occurrences of `needle` whose start is within `range` (chars).
    fn find_within(&self, needle: &[char], range: Range<usize>) -> Vec<usize> {
        let end = (range.end + needle.len()).min(self.chars.len());
        let start = range.start.min(end);
        let (from, to) = (self.offsets[start], self.offsets[end]);
        let needle: String = needle.iter().collect();
        memchr::memmem::find_iter(&self.utf8.as_bytes()[from..to], needle.as_bytes())
            .map(|b| self.offsets.partition_point(|&o| o < from + b))
            .collect()
    }
}

/// Chars on each side of its old position where a quote with its whole
/// context intact is looked for first.
const EXACT_WINDOW: usize = 4096;

/// Most exact occurrences of a quote whose context is scored, nearest its
/// old position first (besides those where its whole context is intact):
/// bounds the work for a word that occurs thousands of times.
pub const MAX_EXACT_SCORED: usize = 64;

/// Chars on each side of its old position within which an edited quote is
/// looked for (an exact one is found anywhere): bounds the fuzzy search of
/// each highlight in a long text.
pub const FUZZY_WINDOW: usize = 64 * 1024;

/// Chars all the fuzzy searches in one text may scan in full
/// [`FUZZY_WINDOW`]s: thousands of highlights whose passages were all
/// edited would otherwise each scan 128 Ki chars (2,000 of them took 7 s).
/// Past it, a highlight is looked for within [`NEAR_WINDOW`] of its old
/// place (where an edited passage nearly always is) and is otherwise kept
/// as an orphan, its quote intact.
pub const FUZZY_BUDGET: usize = 8 * 1024 * 1024;

/// Chars on each side of its old position (plus the quote's length) that
/// an edited quote is looked for within once [`FUZZY_BUDGET`] is spent.
pub const NEAR_WINDOW: usize = 1024;

/// Quotes longer than this many chars are found fuzzily by their pieces
/// ([`long_quote`]) rather than by a full Myers search and alignment.
pub const LONG_QUOTE: usize = 512;

/// Find the highlight `old` in `text` (the new canonical text, as chars).
pub fn reanchor(old: &Selectors, text: &[char]) -> Anchor {
    reanchor_in(old, &Haystack::new(text))
}

/// [`reanchor`] in a haystack made once for all of a text's highlights.
pub fn reanchor_in(old: &Selectors, hay: &Haystack<'_>) -> Anchor {
    let text = hay.chars;
    let exact: Vec<char> = old.quote.exact.chars().collect();
    if exact.is_empty() || exact.len() > text.len() {
        return Anchor::Orphan;
    }
    // Only the nearest CONTEXT_CHARS of context count (a merged file may
    // hold more): scoring a candidate costs at most CONTEXT_CHARS² steps.
    let prefix: Vec<char> = {
        let all: Vec<char> = old.quote.prefix.chars().collect();
        all[all.len().saturating_sub(CONTEXT_CHARS)..].to_vec()
    };
    let suffix: Vec<char> = old.quote.suffix.chars().take(CONTEXT_CHARS).collect();
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
    // 2. Exact quote. Its whole context intact near the old position
    // settles it without searching the whole text: only occurrences nearer
    // the old position could score higher, and they are within the window.
    if !prefix.is_empty() && !suffix.is_empty() {
        let whole: Vec<char> = [&prefix[..], &exact[..], &suffix[..]].concat();
        let reach = EXACT_WINDOW + exact.len();
        let from = old.position.start.saturating_sub(reach + prefix.len());
        let nearest = hay
            .find_within(&whole, from..old.position.start.saturating_add(reach))
            .into_iter()
            .map(|at| at + prefix.len())
            .min_by_key(|&at| (at.abs_diff(old.position.start), at));
        if let Some(intact) = nearest {
            let d = intact.abs_diff(old.position.start);
            let near = hay.find_within(
                &exact,
                old.position.start.saturating_sub(d)..old.position.start.saturating_add(d + 1),
            );
            if let Some((at, _)) = best_exact(hay, &ctx, &exact, &near) {
                return Anchor::Anchored {
                    start: at,
                    end: at + exact.len(),
                    how: How::ExactQuote,
                };
            }
        }
    }
    let hits = hay.find_all(&exact);
    if let Some((at, context)) = best_exact(hay, &ctx, &exact, &hits)
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
    if exact.len() > LONG_QUOTE {
        return long_quote(hay, &ctx, &exact, max_errors);
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
    // Searched near the old position: within FUZZY_WINDOW chars of it, or
    // NEAR_WINDOW once the text's budget for full windows is spent.
    let window = |reach: usize| {
        let lo = old.position.start.min(text.len()).saturating_sub(reach);
        (lo, (old.position.end.max(lo) + reach).min(text.len()))
    };
    let (mut lo, mut hi) = window(FUZZY_WINDOW);
    let left = hay.fuzzy_budget.get();
    if hi - lo <= left {
        hay.fuzzy_budget.set(left - (hi - lo));
    } else {
        (lo, hi) = window(NEAR_WINDOW + exact.len());
    }
    for run in candidate_ends(&text[lo..hi], &exact, max_errors) {
        let run: Vec<(usize, usize)> = run.into_iter().map(|(end, e)| (end + lo, e)).collect();
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

/// The exact occurrence of the quote (among `hits`) whose context agrees
/// best, as `(start, context similarity)`: each is scored 20 × (prefix +
/// suffix similarity) + 2 × position similarity, ties going to the earlier.
/// An occurrence with its whole context intact is found by one substring
/// search; the others are scored nearest the old position first, stopping
/// when none further away can score higher, and after [`MAX_EXACT_SCORED`].
fn best_exact(
    hay: &Haystack<'_>,
    ctx: &Context<'_>,
    exact: &[char],
    hits: &[usize],
) -> Option<(usize, f64)> {
    // (start, context, score)
    let mut best: Option<(usize, f64, f64)> = None;
    let consider = |best: &mut Option<(usize, f64, f64)>, at: usize, context: f64, score: f64| {
        if best.is_none_or(|(b_at, _, b)| score > b || (score == b && at < b_at)) {
            *best = Some((at, context, score));
        }
    };
    if !ctx.prefix.is_empty() && !ctx.suffix.is_empty() {
        let whole: Vec<char> = [ctx.prefix, exact, ctx.suffix].concat();
        for at in hay.find_all(&whole) {
            let at = at + ctx.prefix.len();
            consider(&mut best, at, 1.0, 40.0 + 2.0 * ctx.position_sim(at));
        }
    }
    let mut nearest: Vec<usize> = hits.to_vec();
    nearest.sort_by_key(|&at| (at.abs_diff(ctx.old_start), at));
    for &at in nearest.iter().take(MAX_EXACT_SCORED) {
        // No occurrence further away scores more than this.
        if best.is_some_and(|(_, _, b)| 40.0 + 2.0 * ctx.position_sim(at) < b) {
            break;
        }
        let (p, q) = (ctx.prefix_sim(at), ctx.suffix_sim(at + exact.len()));
        consider(
            &mut best,
            at,
            p.max(q),
            20.0 * (p + q) + 2.0 * ctx.position_sim(at),
        );
    }
    best.map(|(at, context, _)| (at, context))
}

/// Chars of a quote's pieces found exactly to place a long quote.
const PIECE: usize = 64;

/// A long quote (over [`LONG_QUOTE`] chars), found by its pieces: its start
/// where one of its first pieces occurs (nearest the old position), its end
/// where one of its last pieces occurs about a quote's length further, and
/// its edits counted between them within a band of `max_errors`. Linear in
/// the text and `O(quote × max_errors)`, where a full alignment is quadratic.
fn long_quote(hay: &Haystack<'_>, ctx: &Context<'_>, exact: &[char], max_errors: usize) -> Anchor {
    let text = hay.chars;
    let m = exact.len();
    let mut best: Option<(f64, usize, usize)> = None;
    #[allow(clippy::cast_precision_loss)] // lengths far below 2^52
    let quote_sim = |errors: usize| 1.0 - errors as f64 / m as f64;
    for head in (0..8)
        .map(|k| k * PIECE)
        .take_while(|&o| o + PIECE <= m / 2)
    {
        let mut starts: Vec<usize> = hay
            .find_all(&exact[head..head + PIECE])
            .into_iter()
            .filter_map(|at| at.checked_sub(head))
            .collect();
        starts.sort_by_key(|&at| (at.abs_diff(ctx.old_start), at));
        starts.truncate(2);
        for start in starts.iter().copied() {
            let Some(end) = long_quote_end(hay, exact, start, max_errors) else {
                continue;
            };
            let Some(errors) = banded_levenshtein(exact, &text[start..end], max_errors) else {
                continue;
            };
            let q = quote_sim(errors);
            if q < FUZZY_MIN_QUOTE {
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
        if best.is_some() {
            break;
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

/// The end of a long quote starting at `start`: after one of its last
/// pieces, found within `max_errors` of where it would be unedited.
fn long_quote_end(
    hay: &Haystack<'_>,
    exact: &[char],
    start: usize,
    max_errors: usize,
) -> Option<usize> {
    let m = exact.len();
    for tail in (0..8)
        .map(|k| k * PIECE)
        .take_while(|&o| o + PIECE <= m / 2)
    {
        let piece_at = m - tail - PIECE;
        let expected = start + piece_at;
        let from = expected.saturating_sub(max_errors).max(start);
        let found = hay.find_within(&exact[piece_at..m - tail], from..expected + max_errors + 1);
        if let Some(at) = found.into_iter().min_by_key(|&at| at.abs_diff(expected)) {
            return Some((at + PIECE + tail).min(hay.chars.len()));
        }
    }
    None
}

/// Edit distance of `a` and `b` if at most `k`, computed in a band of
/// `2k + 1` diagonals: `O(len × k)`.
fn banded_levenshtein(a: &[char], b: &[char], k: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > k {
        return None;
    }
    let big = usize::MAX / 2;
    let width = 2 * k + 1;
    // Row i holds column j at index j + k - i.
    let mut prev = vec![big; width];
    let mut cur = vec![big; width];
    for (idx, cell) in prev.iter_mut().enumerate() {
        if idx >= k && idx - k <= b.len() {
            *cell = idx - k;
        }
    }
    for i in 1..=a.len() {
        let mut row_min = big;
        for idx in 0..width {
            let value = match (i + idx).checked_sub(k) {
                Some(0) => i,
                Some(j) if j <= b.len() => {
                    let diag = prev[idx] + usize::from(a[i - 1] != b[j - 1]);
                    let up = if idx + 1 < width {
                        prev[idx + 1] + 1
                    } else {
                        big
                    };
                    let left = if idx > 0 { cur[idx - 1] + 1 } else { big };
                    diag.min(up).min(left)
                }
                _ => big,
            };
            cur[idx] = value;
            row_min = row_min.min(value);
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len() + k - a.len()).copied().filter(|&d| d <= k)
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
    // (A hash look-up per text char cost more than the bit steps: ASCII
    // chars are found by index, others by binary search among the
    // pattern's distinct chars.)
    let mut distinct: Vec<char> = pattern.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let mut masks = vec![0u64; distinct.len() * blocks];
    let mut ascii = [usize::MAX; 128];
    for (entry, &c) in distinct.iter().enumerate() {
        if let Some(slot) = ascii.get_mut(c as usize) {
            *slot = entry;
        }
    }
    for (i, &c) in pattern.iter().enumerate() {
        if let Ok(entry) = distinct.binary_search(&c) {
            masks[entry * blocks + i / 64] |= 1 << (i % 64);
        }
    }
    let zero = vec![0u64; blocks];
    let peq = |c: char| -> &[u64] {
        let entry = match ascii.get(c as usize) {
            Some(&entry) => Some(entry).filter(|&e| e != usize::MAX),
            None => distinct.binary_search(&c).ok(),
        };
        entry.map_or(&zero[..], |e| &masks[e * blocks..(e + 1) * blocks])
    };
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
        let eqs = peq(*c);
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

    /// Once a text's budget for full fuzzy windows is spent, an edited
    /// passage is still found near its old place, and one that moved far
    /// is an orphan (its quote kept) instead of a search of the whole text.
    #[test]
    fn a_spent_fuzzy_budget_searches_near_the_old_place_only() {
        let filler = "lorem ipsum dolor sit amet ".repeat(200);
        let old_text = chars(&format!(
            "{filler}the levee held through the night. {filler}"
        ));
        let at = filler.chars().count() + 4;
        let old = Selectors::from_range(&old_text, at..at + 15);
        assert_eq!(old.quote.exact, "levee held thro");
        let near = chars(&format!(
            "{filler}the levee hold through the night. {filler}"
        ));
        let far = chars(&format!(
            "{filler}{filler}{filler}the levee hold through the night."
        ));
        for (text, found_when_spent) in [(&near, true), (&far, false)] {
            let hay = Haystack::new(text);
            assert!(matches!(
                reanchor_in(&old, &hay),
                Anchor::Anchored {
                    how: How::Fuzzy { .. },
                    ..
                }
            ));
            hay.fuzzy_budget.set(0);
            let spent = reanchor_in(&old, &hay);
            assert_eq!(
                matches!(spent, Anchor::Anchored { .. }),
                found_when_spent,
                "{spent:?}"
            );
        }
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
    fn the_banded_distance_is_the_distance_when_within_the_band() {
        let pairs = [
            ("kitten", "sitting"),
            ("", "abc"),
            ("abcdef", "abcdef"),
            ("flaw", "lawn"),
            ("intention", "execution"),
        ];
        for (a, b) in pairs {
            let d = levenshtein(&chars(a), &chars(b));
            for k in 0..10 {
                let banded = banded_levenshtein(&chars(a), &chars(b), k);
                assert_eq!(banded, (d <= k).then_some(d), "{a} {b} {k}");
            }
        }
    }

    #[test]
    fn occurrences_are_found_overlapping_in_chars() {
        let text = chars("aaa 神韵aa神韵");
        let hay = Haystack::new(&text);
        assert_eq!(hay.find_all(&chars("aa")), vec![0, 1, 6]);
        assert_eq!(hay.find_all(&chars("神韵")), vec![4, 8]);
        assert_eq!(hay.find_within(&chars("神韵"), 5..9), vec![8]);
    }

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(levenshtein(&chars(""), &chars("abc")), 3);
    }
}

//! Re-anchoring benchmark (issue 12): 10,000 highlights on 1,000 articles,
//! carried across `reextract` when the stored bodies differ from what the
//! originals extract to.
//!
//! Run with `cargo bench --bench anchor`. `FOLIO_BENCH_ARTICLES` sets the
//! number of articles (default 1000), `FOLIO_BENCH_HIGHLIGHTS` the
//! highlights per article (default 10).
//!
//! Each article is a variant of a corpus page ([`common::variant`]: its own
//! title, URL and an extra paragraph) whose stored body also has words
//! inserted in its third paragraph, as an older extractor might have left
//! it. Highlights are spread evenly over the stored canonical text. Then
//! `reextract` replaces every body with the page's real extraction: the
//! extra paragraph goes (its highlights become orphans), everything after
//! it moves, and the edited paragraph changes (its highlights are found
//! fuzzily). Printed: the time of the whole `reextract` (extraction
//! included), the time of the re-anchoring alone (the same selectors and
//! texts through `model::anchor::reanchor`), and how many highlights were
//! found again and how many are orphans.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

mod common;

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use folio::library::{Colour, ImportMode, Library};
use folio::model::anchor::{Anchor, How, Selectors, reanchor};
use folio::model::canonical::CanonicalText;
use folio::model::{Article, Block, Inline};

/// The stored (older) body: words inserted into the third paragraph.
fn older(article: &Article) -> Article {
    let mut a = article.clone();
    if let Some(Block::Paragraph { inlines }) = a
        .blocks
        .iter_mut()
        .filter(|b| matches!(b, Block::Paragraph { .. }))
        .nth(2)
    {
        inlines.insert(0, Inline::text("As reported earlier, "));
    }
    a
}

fn main() {
    let articles = common::env_usize("FOLIO_BENCH_ARTICLES", 1000);
    let per_article = common::env_usize("FOLIO_BENCH_HIGHLIGHTS", 10);
    let corpus: Vec<_> = common::corpus(&common::corpus_paths())
        .into_iter()
        .filter(|(_, a)| CanonicalText::new(&a.blocks).char_len() > 400)
        .collect();
    assert!(!corpus.is_empty(), "no corpus pages");
    println!(
        "{} corpus pages; {articles} articles × {per_article} highlights",
        corpus.len()
    );

    let mut lib = Library::open_in_memory().expect("library");
    let start = Instant::now();
    let mut stored = Vec::with_capacity(articles);
    for i in 0..articles {
        let (source, page) = &corpus[i % corpus.len()];
        let article = older(&common::variant(page, i));
        let id = lib
            .store_article(source, &article, ImportMode::SkipDuplicates)
            .expect("store")
            .id();
        let text = CanonicalText::new(&article.blocks);
        let len = text.char_len();
        let chars = text.chars();
        for j in 0..per_article {
            let mut from = len * j / per_article;
            while from < len && chars[from].is_whitespace() {
                from += 1;
            }
            let to = (from + 40).min(len);
            if from < to && chars[from..to].iter().any(|c| !c.is_whitespace()) {
                lib.add_highlight(id, from..to, Colour::Yellow, "")
                    .expect("highlight");
            }
        }
        stored.push((id, page.blocks.clone()));
    }
    let highlights = lib.highlights(None).expect("highlights");
    println!(
        "built: {} articles, {} highlights in {:.1} s",
        articles,
        highlights.len(),
        start.elapsed().as_secs_f64()
    );

    // Re-anchoring alone, on the same selectors and new texts.
    let start = Instant::now();
    let mut found = 0;
    let mut hows = [0usize; 3];
    let mut samples = Vec::new();
    let mut by_article = highlights.iter().peekable();
    for (id, new_blocks) in &stored {
        let text = CanonicalText::new(new_blocks);
        let chars = text.chars();
        while let Some(h) = by_article.next_if(|h| h.article == *id) {
            let sel = Selectors {
                quote: h.quote.clone(),
                position: h.position,
            };
            match reanchor(&sel, &chars) {
                Anchor::Anchored { how, .. } => {
                    found += 1;
                    hows[match how {
                        How::Position => 0,
                        How::ExactQuote => 1,
                        How::Fuzzy { .. } => 2,
                    }] += 1;
                }
                Anchor::Orphan if samples.len() < 3 => samples.push(h.quote.exact.clone()),
                Anchor::Orphan => {}
            }
        }
    }
    let pure = start.elapsed();
    println!(
        "re-anchoring alone: {} highlights in {:.3} s ({:.1} µs each); {found} found, {} orphans",
        highlights.len(),
        pure.as_secs_f64(),
        pure.as_secs_f64() * 1e6 / highlights.len().max(1) as f64,
        highlights.len() - found
    );
    println!(
        "  at their position {}, exact quote elsewhere {}, fuzzy {}; orphans such as {samples:?}",
        hows[0], hows[1], hows[2]
    );

    let start = Instant::now();
    lib.reextract(None, &|_| {}, &AtomicBool::new(false))
        .expect("reextract");
    let whole = start.elapsed();
    let stats = lib.stats().expect("stats");
    println!(
        "reextract of {} articles with {} highlights: {:.2} s (extraction included); \
         {} orphaned after it",
        articles,
        stats.highlights,
        whole.as_secs_f64(),
        stats.orphans
    );
    assert_eq!(stats.orphans as usize, highlights.len() - found);
}

//! Versions benchmark (issue 23): what comparing two copies costs, and
//! what keeping versions costs search.
//!
//! Run with `cargo bench --bench versions`. `FOLIO_BENCH_ARTICLES` sets the
//! articles of the two search libraries (default 20,000; the figure
//! is at 100,000).
//!
//! 1. `model::diff::compare` of the seed against its edited copy
//!    (`tests/fixtures/versions/`: a paragraph removed, a figure changed),
//!    and of the longest corpus page against a 10 % edit of itself (every
//!    tenth paragraph has words changed, one in twenty is removed).
//! 2. Search (50 hits with snippets) in two in-memory libraries of the same
//!    articles, corpus variants: one without versions, one where every
//!    tenth article has two more versions (each with a paragraph removed and
//!    words changed: kept beside the shown copy, their text indexed as
//!    "earlier"). Printed: p50 of each query on both, and the ratio (goal:
//!    within 20 %).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark stops loudly on bad setup

mod common;

use std::time::{Duration, Instant};

use common::{ms, time};

use folio::library::{ImportMode, Library};
use folio::model::diff::{self, Diff};
use folio::model::{Article, Block, Inline};

fn compare(old: &Article, new: &Article) -> Diff {
    diff::compare(old, new, &[], &[], Instant::now() + Duration::from_secs(30))
}

/// `article` with every tenth paragraph's words changed and every
/// twentieth (offset by five) removed.
fn edited(article: &Article, salt: usize) -> Article {
    let mut a = article.clone();
    let mut i = 0;
    a.blocks.retain_mut(|block| {
        let Block::Paragraph { inlines } = block else {
            return true;
        };
        i += 1;
        if (i + salt) % 20 == 5 {
            return false;
        }
        if (i + salt).is_multiple_of(10) {
            inlines.insert(0, Inline::text(format!("Revised {salt}: ")));
            inlines.push(Inline::text(" 此段已修改。"));
        }
        true
    });
    a
}

fn main() {
    // 1. Comparing.
    let seed = common::seed_path();
    let edited_seed = common::fixtures().join("versions/000_2ed360ca1ed3b761-edited.txt");
    let read =
        |p: &std::path::Path| folio::extract::extract(&folio::read::read_path(p).expect("read"));
    let (a, b) = (read(&seed), read(&edited_seed));
    let (p50, p95, d) = time(200, || compare(&a, &b));
    println!(
        "| seed vs edited copy ({} paragraphs) | p50 {} | p95 {} | {} removed, {} edited |",
        diff::units(&a).len(),
        ms(p50),
        ms(p95),
        d.counts.deleted,
        d.counts.changed
    );
    let corpus = common::corpus(&common::corpus_paths());
    let (_, longest) = corpus
        .iter()
        .max_by_key(|(_, a)| a.searchable_text().len())
        .expect("corpus");
    let long_edit = edited(longest, 0);
    let (p50, p95, d) = time(50, || compare(longest, &long_edit));
    println!(
        "| longest corpus page ({} KB, {} paragraphs) vs a 10 % edit | p50 {} | p95 {} | {} removed, {} edited, complete {} |",
        longest.searchable_text().len() / 1024,
        diff::units(longest).len(),
        ms(p50),
        ms(p95),
        d.counts.deleted,
        d.counts.changed,
        d.complete
    );

    // 2. Search with and without versions.
    let articles = common::env_usize("FOLIO_BENCH_ARTICLES", 20_000);
    let mut plain = Library::open_in_memory().expect("library");
    let mut versioned = Library::open_in_memory().expect("library");
    let started = Instant::now();
    let mut kept = 0;
    for i in 0..articles {
        let (source, page) = &corpus[i % corpus.len()];
        let article = common::variant(page, i);
        plain
            .store_article(source, &article, ImportMode::SkipDuplicates)
            .expect("store");
        versioned
            .store_article(source, &article, ImportMode::SkipDuplicates)
            .expect("store");
        if i.is_multiple_of(10) {
            for salt in 1..=2 {
                let outcome = versioned
                    .store_article(source, &edited(&article, salt), ImportMode::SkipDuplicates)
                    .expect("store");
                if matches!(outcome, folio::library::StoreOutcome::Versioned(_)) {
                    kept += 1;
                }
            }
        }
    }
    println!(
        "{articles} articles each, {kept} versions kept in the second library (built in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    println!("| query | without versions p50 | with versions p50 | ratio |");
    println!("|---|---|---|---|");
    for query in [
        "小米",
        "售后新政",
        "法轮功",
        "government",
        "the",
        "Revised",
        "此段已修改",
        "has:versions",
    ] {
        let (a50, _, _) = time(30, || plain.search(query, 50, 0).expect("search"));
        let (b50, _, hits) = time(30, || versioned.search(query, 50, 0).expect("search"));
        println!(
            "| {query} | {} | {} ({} hits) | {:.2} |",
            ms(a50),
            ms(b50),
            hits.len(),
            b50.as_secs_f64() / a50.as_secs_f64().max(1e-9)
        );
    }
}

//! Organising benchmark (issue 13): the counts the status bar and the
//! library pane show ([`Library::overview`]: articles, unread, starred,
//! trashed, every collection's count and the tag tree) in a large library,
//! the list orders with a direction, and the timeline's counts by month for
//! a set of queries.
//!
//! Run with `cargo bench --bench organise`. `FOLIO_BENCH_ARTICLES` sets the
//! library size (default 100000); `FOLIO_BENCH_LIBRARY=FILE` keeps the
//! library in `FILE` and reuses it on later runs.
//!
//! The library is built from the fixture corpus as `benches/library.rs`
//! builds its own (distinct variants of every corpus page); then every
//! article gets one to three tags of a three-level hierarchy
//! (`topic/N/M`), a third are marked read, one in twenty starred, one in a
//! hundred trashed, and seven collections are saved: a tag parent, the
//! unread, the starred of a tag, two text queries, a site and dates, and
//! one collection nested in another.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark stops loudly on bad setup

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use folio::library::{ArticleId, Change, ImportMode, Library, PreparedArticle, SortBy, SortOrder};
use rayon::prelude::*;

/// Nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// Run `f` (after one warm-up) at least 5 times and up to 3 s; (p50, p95).
fn time<T>(mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut last = f();
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < 5 || (times.len() < 200 && started.elapsed() < Duration::from_secs(3)) {
        let t = Instant::now();
        last = f();
        times.push(t.elapsed());
    }
    times.sort();
    (percentile(&times, 50), percentile(&times, 95), last)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Build the library: `n` corpus variants, tagged, marked and collected.
fn build(lib: &mut Library, n: usize) {
    let corpus = common::corpus(&common::corpus_paths());
    assert!(!corpus.is_empty(), "no corpus pages");
    let started = Instant::now();
    let (sender, receiver) = crossbeam_channel::bounded::<PreparedArticle>(256);
    let mut ids: Vec<ArticleId> = Vec::with_capacity(n);
    std::thread::scope(|scope| {
        let corpus = &corpus;
        scope.spawn(move || {
            (0..n).into_par_iter().for_each_with(sender, |sender, i| {
                let (source, article) = &corpus[i % corpus.len()];
                let _ = sender.send(PreparedArticle::new(source, &common::variant(article, i)));
            });
        });
        for prepared in receiver {
            let outcome = lib
                .store_prepared(&prepared, ImportMode::SkipDuplicates)
                .expect("store");
            ids.push(outcome.id());
            if ids.len().is_multiple_of(10_000) {
                eprintln!("  … {} / {n} stored", ids.len());
            }
        }
    });
    eprintln!("  stored {n} in {:.0} s", started.elapsed().as_secs_f64());
    for (i, &id) in ids.iter().enumerate() {
        let a = format!("topic/{}", i % 10);
        let b = format!("topic/{}/{}", i % 10, i % 7);
        let c = format!("area{}", i % 40);
        let tags: Vec<&str> = match i % 3 {
            0 => vec![&a],
            1 => vec![&b, &c],
            _ => vec![&a, &b, &c],
        };
        lib.add_tags(id, &tags).expect("tag");
    }
    let read: Vec<ArticleId> = ids.iter().copied().step_by(3).collect();
    lib.mark_read(&read, true).expect("read");
    let starred: Vec<ArticleId> = ids.iter().copied().step_by(20).collect();
    lib.set_starred(&starred, true).expect("star");
    for &id in ids.iter().step_by(100) {
        lib.trash(id).expect("trash");
    }
    for (name, query) in [
        ("Topic 3", "tag:topic/3"),
        ("To read", "is:unread"),
        ("Starred topic", "is:starred tag:topic"),
        ("Phones", "小米"),
        ("Government", "government"),
        ("Minghui since 2020", "site:minghui.org after:2020"),
        ("Topic 3 to read", "collection:\"Topic 3\" is:unread"),
    ] {
        lib.save_collection(name, query).expect("collection");
    }
    eprintln!("  organised in {:.0} s", started.elapsed().as_secs_f64());
}

fn main() {
    let n = common::env_usize("FOLIO_BENCH_ARTICLES", 100_000);
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let kept = std::env::var_os("FOLIO_BENCH_LIBRARY").map(PathBuf::from);
    let path = kept
        .clone()
        .unwrap_or_else(|| dir.path().join("organise.folio"));
    let reuse = kept.is_some() && path.exists();
    println!("Folio organising benchmark: {n} articles");
    let mut lib = Library::open(&path).expect("open");
    if !reuse {
        build(&mut lib, n);
    }
    // A fresh connection, as the window has after an import.
    drop(lib);
    let lib = Library::open(&path).expect("reopen");

    let (p50, p95, overview) = time(|| lib.overview().expect("overview"));
    println!(
        "overview (status bar and library pane): p50 {} p95 {} — {} articles, {} unread, {} starred, {} trashed, {} collections, {} tag nodes",
        ms(p50),
        ms(p95),
        overview.articles,
        overview.unread,
        overview.starred,
        overview.trashed,
        overview.collections.len(),
        overview.tags.len()
    );
    for c in &overview.collections {
        let query = c.collection.query.clone();
        let (p50, _, _) = time(|| lib.count(Some(&query)).expect("count"));
        println!(
            "  collection {:?} ({query}): {:?} in {}",
            c.collection.name,
            c.count,
            ms(p50)
        );
    }
    // What the window counts after a change: from the last overview, again
    // only where the change reaches (`overview_after`).
    let mut lib = lib;
    let before = lib.overview().expect("overview");
    let corpus = common::corpus(&common::corpus_paths());
    let start = usize::try_from(before.newest).unwrap_or(0) + 1_000_000;
    let mut added = Vec::new();
    for i in start..start + 200 {
        let (source, article) = &corpus[i % corpus.len()];
        let outcome = lib
            .store_prepared(
                &PreparedArticle::new(source, &common::variant(article, i)),
                ImportMode::SkipDuplicates,
            )
            .expect("store");
        added.push(outcome.id());
    }
    for (i, id) in added.iter().enumerate() {
        lib.add_tags(*id, &[&format!("topic/{}/{}", i % 10, i % 7)])
            .expect("tag");
    }
    let (p50, p95, after) = time(|| {
        lib.overview_after(&before, Change::Appended)
            .expect("overview")
    });
    println!(
        "overview after importing 200 articles: p50 {} p95 {} ({} articles)",
        ms(p50),
        ms(p95),
        after.articles
    );
    let some: Vec<ArticleId> = added.iter().copied().take(10).collect();
    // What the window does when marking: the marked articles' part before
    // and after, the overview changed by the difference.
    let (p50, p95, _) = time(|| {
        let before = lib.marked_part(&after, &some).expect("part");
        let again = lib.marked_part(&after, &some).expect("part");
        lib.overview_marked(&after, &before, &again)
            .expect("overview")
    });
    println!(
        "overview after marking 10 read, by difference (two parts and the sum): p50 {} p95 {}",
        ms(p50),
        ms(p95)
    );
    lib.mark_read(&some, true).expect("read");
    let (p50, p95, after) = time(|| {
        lib.overview_after(&after, Change::Reading)
            .expect("overview")
    });
    println!(
        "overview after marking 10 read: p50 {} p95 {} ({} unread)",
        ms(p50),
        ms(p95),
        after.unread
    );
    lib.add_tags(some[0], &["topic/3"]).expect("tag");
    let (p50, p95, _) = time(|| lib.overview_after(&after, Change::Tags).expect("overview"));
    println!("overview after tagging: p50 {} p95 {}", ms(p50), ms(p95));
    let (p50, p95, tree) = time(|| lib.tag_tree().expect("tree"));
    println!(
        "tag tree: p50 {} p95 {} ({} nodes)",
        ms(p50),
        ms(p95),
        tree.len()
    );
    // The timeline follows the query as it is typed: its counts for the
    // whole library, filters, a common word, a Chinese word, and both.
    let mut worst = Duration::ZERO;
    for query in [
        None,
        Some("tag:topic/3"),
        Some("is:unread"),
        Some("site:minghui.org"),
        Some("government"),
        Some("the"),
        Some("小米"),
        Some("迫害 tag:topic"),
        Some("after:2020-01-01 before:2021-01-01"),
    ] {
        let (p50, p95, timeline) = time(|| lib.timeline(query).expect("timeline"));
        worst = worst.max(p95);
        println!(
            "timeline {:?}: p50 {} p95 {} ({} months, {} undated)",
            query.unwrap_or(""),
            ms(p50),
            ms(p95),
            timeline.months.len(),
            timeline.undated
        );
    }
    println!("timeline worst p95: {}", ms(worst));
    let (p50, p95, _) = time(|| lib.stats().expect("stats"));
    println!("stats: p50 {} p95 {}", ms(p50), ms(p95));
    for by in [SortBy::Date, SortBy::Title, SortBy::Added, SortBy::Site] {
        for order in [SortOrder::asc(by), SortOrder::desc(by)] {
            let (p50, p95, _) = time(|| lib.list(None, order, 100, 0).expect("list"));
            println!("list page {order:?}: p50 {} p95 {}", ms(p50), ms(p95));
        }
    }
    let (p50, p95, _) = time(|| {
        lib.list(Some("is:unread"), SortOrder::asc(SortBy::Date), 100, 0)
            .expect("list")
    });
    println!(
        "list page is:unread, oldest first: p50 {} p95 {}",
        ms(p50),
        ms(p95)
    );
}

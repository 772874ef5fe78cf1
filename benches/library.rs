//! Library benchmark (issue 3): import rate, size on disk, search and list
//! latency, and opening time of a large library built from the fixture corpus.
//!
//! Run with `cargo bench --bench library`. `FOLIO_BENCH_ARTICLES` sets the
//! library size (default 100000); `FOLIO_BENCH_SEED_FILES` the number of
//! seed-sized files imported through the real pipeline (default 2000; 0
//! skips those imports).
//!
//! `FOLIO_BENCH_ONLY=QUERY` times that one search query only.
//! `FOLIO_BENCH_UPGRADE=0` skips timing the schema upgrade (which rewrites
//! the whole index).
//!
//! `FOLIO_BENCH_LIBRARY=FILE` keeps the big library in `FILE` and reuses it
//! on later runs (building 100000 articles takes minutes): when the file
//! exists it is opened (and upgraded) instead of built, and the final import
//! into the big library is skipped so the file stays as built.
//!
//! The library is built from every corpus page (the mirror pages, the
//! readability sources and the seed), each extracted once and then stored
//! many times as distinct variants: a numbered title, a URL of its own and
//! an extra paragraph, so none is a duplicate. Every other variant is
//! written in Traditional characters (each Simplified character replaced by
//! one Traditional character that folds to it), so the library is a mixed
//! Simplified and Traditional one (issue 15). Articles are prepared
//! (hashing, compression, segmentation) on rayon's pool and stored by one
//! writer with [`Library::store_prepared`], one transaction per article
//! (batching them as an import does saved only ~15% in a trial: the cost is
//! indexing long texts, not committing).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark or test helper stops loudly on bad setup

mod common;

use common::{ms, time};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use folio::library::{
    ArticleId, ImportMode, ImportOptions, Library, PreparedArticle, Sort, StoreOutcome,
};
use folio::model::Article;
use folio::read::Source;
use rayon::prelude::*;

/// Every Nth article gets the tag [`TAG`].
const TAG_EVERY: usize = 50;
/// The tag used by the `tag:` query.
const TAG: &str = "bench";

/// The search queries timed, as a user would type them.
const QUERIES: &[&str] = &[
    "小米",
    "主板",
    "售后新政",
    "法轮功",
    "神韵",
    "江泽民",
    "的",
    "the",
    "privacy",
    "government",
    "tag:bench",
    "site:minghui.org",
    "小米 tag:bench",
    // Issue 15: both scripts, widths, filters with text.
    "神韻",
    "法輪功",
    "site:minghui.org 神韵",
    "迫害 tag:none",
    "迫害 tag:bench",
    "Wi-Fi",
    "Ｗｉ－Ｆｉ",
    "exact:神韻",
];

/// Simplified → one Traditional character that folds back to it: the
/// inverse of the index's fold, to write Traditional variants.
fn traditional_map() -> std::collections::HashMap<char, char> {
    let mut map = std::collections::HashMap::new();
    for c in (0x3400u32..=0x9FFF).filter_map(char::from_u32) {
        let s = folio::library::fold::simplified(c);
        if s != c {
            map.entry(s).or_insert(c);
        }
    }
    map
}

/// `article` with its title and body in Traditional characters.
fn traditional(article: &Article, map: &std::collections::HashMap<char, char>) -> Article {
    let convert = |t: &str| -> String { t.chars().map(|c| *map.get(&c).unwrap_or(&c)).collect() };
    let mut a = article.clone();
    a.title = convert(&a.title);
    let json = serde_json::to_string(&a.blocks).expect("blocks to JSON");
    a.blocks = serde_json::from_str(&convert(&json)).expect("blocks from JSON");
    a
}

/// Results asked of a search (the CLI's default `--limit`).
const SEARCH_LIMIT: usize = 50;
/// Rows in a list page.
const PAGE_ROWS: usize = 100;

fn mb(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    format!("{mb:.1} MB")
}

/// Size of the library file with its WAL and shared-memory files.
fn size_on_disk(path: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(PathBuf::from(p)).ok()
        })
        .map(|m| m.len())
        .sum()
}

/// Build a library of `n` variants of the corpus; returns the ids stored,
/// the time taken and the time the writer spent storing.
fn build(
    lib: &mut Library,
    corpus: &[(Source, Article)],
    n: usize,
) -> (Vec<ArticleId>, Duration, Duration) {
    let started = Instant::now();
    let mut writing = Duration::ZERO;
    let (sender, receiver) = crossbeam_channel::bounded::<PreparedArticle>(256);
    let mut ids = Vec::with_capacity(n);
    let map = traditional_map();
    let map = &map;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            (0..n).into_par_iter().for_each_with(sender, |sender, i| {
                let (source, article) = &corpus[i % corpus.len()];
                let mut article = common::variant(article, i);
                if (i / corpus.len()) % 2 == 1 {
                    article = traditional(&article, map);
                }
                let _ = sender.send(PreparedArticle::new(source, &article));
            });
        });
        let mut last_report = Instant::now();
        for prepared in receiver {
            let t = Instant::now();
            let outcome = lib
                .store_prepared(&prepared, ImportMode::SkipDuplicates)
                .expect("store");
            writing += t.elapsed();
            match outcome {
                StoreOutcome::Imported(id) => ids.push(id),
                other => panic!("a variant was not new: {other:?}"),
            }
            if last_report.elapsed() > Duration::from_secs(10) {
                last_report = Instant::now();
                let rate = ids.len() as f64 / started.elapsed().as_secs_f64();
                eprintln!("  … {} / {n} stored ({rate:.0}/s)", ids.len());
            }
        }
    });
    (ids, started.elapsed(), writing)
}

/// Write `count` distinct variants of the seed file into `dir`.
fn write_seed_variants(dir: &Path, count: usize) {
    let text = std::fs::read_to_string(common::seed_path()).expect("seed");
    for i in 0..count {
        let mut out = String::with_capacity(text.len() + 64);
        let mut titled = false;
        for line in text.lines() {
            if !titled && line.starts_with("### ") {
                titled = true;
                out.push_str(&format!("{line}（{i}）"));
            } else if line.contains("原文链接") && line.contains("http") {
                out.push_str(&format!("{}?folio_seed_copy={i}", line.trim_end()));
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        std::fs::write(dir.join(format!("seed-{i:05}.txt")), out).expect("write seed variant");
    }
}

/// Import the folder through [`Library::import_paths`]; returns (report line, rate).
fn import_folder(lib: &mut Library, dir: &Path, expected: usize) -> (Duration, f64) {
    let started = Instant::now();
    let report = lib
        .import_paths(
            &[dir.to_owned()],
            &ImportOptions::default(),
            &|_| {},
            &AtomicBool::new(false),
        )
        .expect("import");
    let elapsed = started.elapsed();
    assert_eq!(report.imported, expected, "{:?}", report.failed);
    let rate = expected as f64 / elapsed.as_secs_f64();
    (elapsed, rate)
}

fn main() {
    let n = common::env_usize("FOLIO_BENCH_ARTICLES", 100_000);
    let seed_files = common::env_usize("FOLIO_BENCH_SEED_FILES", 2000);
    // Keep the files on disk (not a RAM-backed temp folder), next to the build.
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let kept = std::env::var_os("FOLIO_BENCH_LIBRARY").map(PathBuf::from);
    let path = kept
        .clone()
        .unwrap_or_else(|| dir.path().join("bench.folio"));
    let reuse = kept.is_some() && path.exists();

    println!(
        "Folio library benchmark: {n} articles, {} threads",
        rayon::current_num_threads()
    );

    // ---- the real pipeline: files → read → extract → store ----------------------
    let import = (seed_files > 0).then(|| {
        let seeds = dir.path().join("seeds");
        std::fs::create_dir(&seeds).expect("seed dir");
        write_seed_variants(&seeds, seed_files);
        let mut fresh = Library::open(&dir.path().join("import.folio")).expect("open");
        import_folder(&mut fresh, &seeds, seed_files)
    });

    // ---- the big library ------------------------------------------------------------
    let built = if reuse {
        println!("reusing the library in {}", path.display());
        let started = Instant::now();
        drop(Library::open(&path).expect("open"));
        println!(
            "first open (with any schema upgrade): {:.1} s",
            started.elapsed().as_secs_f64()
        );
        None
    } else {
        let corpus = common::corpus(&common::corpus_paths());
        println!("corpus: {} pages extracted", corpus.len());
        let mut lib = Library::open(&path).expect("open");
        let (ids, build_time, write_time) = build(&mut lib, &corpus, n);
        for id in ids.iter().step_by(TAG_EVERY) {
            lib.add_tags(*id, &[TAG]).expect("tag");
        }
        Some((ids.len(), build_time, write_time))
    };
    let file_bytes = size_on_disk(&path);

    let (open_p50, open_p95, lib) = time(20, || Library::open(&path).expect("open"));
    let stats = lib.stats().expect("stats");
    assert_eq!(stats.articles, n as u64);

    println!();
    println!("| measurement | value |");
    println!("|---|---|");
    if let Some((import_time, import_rate)) = import {
        println!(
            "| import_paths, {seed_files} seed-sized files, empty library | {import_rate:.0} articles/s ({:.2} s; target ≥ 500/s) |",
            import_time.as_secs_f64()
        );
    }
    if let Some((stored, build_time, write_time)) = built {
        let build_rate = stored as f64 / build_time.as_secs_f64();
        println!(
            "| store_prepared, {n} corpus variants (prepared in parallel, one transaction each) | {build_rate:.0} articles/s ({:.1} s, of which the writer stored for {:.1} s) |",
            build_time.as_secs_f64(),
            write_time.as_secs_f64()
        );
    }
    println!(
        "| library size on disk | {} ({} bytes/article; originals {}, images {}) |",
        mb(file_bytes),
        file_bytes / n.max(1) as u64,
        mb(stats.original_bytes),
        mb(stats.image_bytes)
    );
    println!(
        "| Library::open | p50 {}, p95 {} |",
        ms(open_p50),
        ms(open_p95)
    );

    println!();
    println!(
        "| search (limit {SEARCH_LIMIT}, with snippets) | hits | total matches | p50 | p95 | count p50 | count p95 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let only = std::env::var("FOLIO_BENCH_ONLY").ok();
    for query in QUERIES {
        if only.as_deref().is_some_and(|only| *query != only) {
            continue;
        }
        let (p50, p95, hits) = time(30, || lib.search(query, SEARCH_LIMIT, 0).expect("search"));
        let (count_p50, count_p95, total) = time(30, || lib.count(Some(query)).expect("count"));
        println!(
            "| `{query}` | {} | {total} | {} | {} | {} | {} |",
            hits.len(),
            ms(p50),
            ms(p95),
            ms(count_p50),
            ms(count_p95)
        );
    }

    println!();
    println!("| list page ({PAGE_ROWS} rows) | p50 | p95 |");
    println!("|---|---:|---:|");
    for (name, sort) in [
        ("date", Sort::Date),
        ("title", Sort::Title),
        ("added", Sort::Added),
        ("site", Sort::Site),
    ] {
        let (p50, p95, rows) = time(30, || lib.list(None, sort, PAGE_ROWS, 0).expect("list"));
        assert_eq!(rows.len(), PAGE_ROWS.min(n));
        println!("| sort {name}, first page | {} | {} |", ms(p50), ms(p95));
    }
    let middle = n / 2;
    let (p50, p95, _) = time(30, || {
        lib.list(None, Sort::Date, PAGE_ROWS, middle).expect("list")
    });
    println!(
        "| sort date, page at offset {middle} | {} | {} |",
        ms(p50),
        ms(p95)
    );
    let (p50, p95, _) = time(30, || {
        lib.list(Some("tag:bench"), Sort::Title, PAGE_ROWS, 0)
            .expect("list")
    });
    println!("| `tag:bench`, sort title | {} | {} |", ms(p50), ms(p95));
    drop(lib);

    // ---- the schema 5 upgrade: every search text folded again, index rebuilt ----
    if common::env_usize("FOLIO_BENCH_UPGRADE", 1) == 0 {
        return;
    }
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        // Back to version 4: without version 6's host column and indexes
        // and version 5's one index.
        conn.execute_batch(
            "DROP INDEX articles_host_live; DROP INDEX articles_site_live;
             ALTER TABLE articles DROP COLUMN host; DROP INDEX articles_site_url",
        )
        .expect("back to version 4");
        conn.pragma_update(None, "user_version", 4)
            .expect("user_version");
    }
    let started = Instant::now();
    let mut reports = 0;
    let mut progress = |_done: usize, _total: usize| reports += 1;
    drop(Library::open_with_progress(&path, Some(&mut progress)).expect("upgrade"));
    println!();
    println!(
        "upgrade from schema version 4 to 6 of the {n}-article library (refold and rebuild the index, index the hosts): {:.1} s, {reports} progress reports",
        started.elapsed().as_secs_f64()
    );

    // ---- the real pipeline again, into the big library ---------------------------
    if kept.is_some() || seed_files == 0 {
        return;
    }
    let mut lib = Library::open(&path).expect("open");
    let more = dir.path().join("more");
    std::fs::create_dir(&more).expect("dir");
    write_seed_variants(&more, seed_files);
    // Same seed variants as in the fresh library, but this library has not
    // seen them: they are new here.
    let (time_big, rate_big) = import_folder(&mut lib, &more, seed_files);
    println!();
    println!(
        "import_paths of {seed_files} seed-sized files into the {n}-article library: {rate_big:.0} articles/s ({:.2} s)",
        time_big.as_secs_f64()
    );
    if n < 100_000 {
        println!(
            "(measured at {n} articles, not 100000: scale the size linearly; latencies grow with matches)"
        );
    }
}

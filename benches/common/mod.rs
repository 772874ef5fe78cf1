//! Helpers shared by the benchmarks: settings from the environment and the
//! corpus they build libraries from (the test fixtures, see
//! tests/fixtures/SOURCES.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark or test helper stops loudly on bad setup
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::model::{Article, Block, Inline};
use folio::read::Source;
use rayon::prelude::*;

/// A number from the environment (`_` separators allowed), else `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.trim().replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// The test fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The seed article.
pub fn seed_path() -> PathBuf {
    fixtures().join("seed/000_2ed360ca1ed3b761.txt")
}

/// The corpus pages: mirror pages, readability sources, the seed.
pub fn corpus_paths() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(fixtures().join("mirror")).expect("mirror fixtures") {
        let path = entry.expect("mirror entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            paths.push(path);
        }
    }
    for entry in std::fs::read_dir(fixtures().join("readability")).expect("readability fixtures") {
        let path = entry.expect("readability entry").path().join("source.html");
        if path.is_file() {
            paths.push(path);
        }
    }
    paths.push(seed_path());
    paths.sort();
    paths
}

/// Every page of `paths` read and extracted once (unreadable ones skipped).
pub fn corpus(paths: &[PathBuf]) -> Vec<(Source, Article)> {
    paths
        .par_iter()
        .filter_map(|path| {
            let source = folio::read::read_path(path).ok()?;
            let article = folio::extract::extract(&source);
            Some((source, article))
        })
        .collect()
}

/// Words for the extra paragraph, so variants differ in their text too.
const WORDS: &[&str] = &[
    "archive",
    "reader",
    "library",
    "column",
    "report",
    "editorial",
    "market",
    "policy",
    "science",
    "history",
    "记者",
    "报道",
    "评论",
    "经济",
    "社会",
    "文化",
    "科技",
    "历史",
];

/// Copy `i` of a corpus article: numbered title, own URL, one more paragraph.
pub fn variant(article: &Article, i: usize) -> Article {
    let mut a = article.clone();
    a.title = format!("{} · {i}", a.title);
    a.url = Some(match a.url.as_deref() {
        Some(url) => {
            let url = url.split('#').next().unwrap_or(url);
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}folio_bench={i}")
        }
        None => format!("https://example.com/bench/{i}"),
    });
    let extra = format!(
        "Variant {i}: {} {} {} {}.",
        WORDS[i % WORDS.len()],
        WORDS[(i / 7) % WORDS.len()],
        WORDS[(i / 49) % WORDS.len()],
        WORDS[(i / 343) % WORDS.len()],
    );
    let at = a.blocks.len().min(1);
    a.blocks.insert(
        at,
        Block::Paragraph {
            inlines: vec![Inline::text(extra)],
        },
    );
    a
}

/// Nearest-rank percentile of sorted durations.
pub fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// Run `f` repeatedly (at least 5 times, up to `reps` or about 3 s) after one
/// warm-up; returns (p50, p95) and the last result.
pub fn time<T>(reps: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut last = f();
    let mut times = Vec::with_capacity(reps);
    let started = Instant::now();
    while times.len() < reps && (times.len() < 5 || started.elapsed() < Duration::from_secs(3)) {
        let t = Instant::now();
        last = f();
        times.push(t.elapsed());
    }
    times.sort();
    (percentile(&times, 50), percentile(&times, 95), last)
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

//! Extraction throughput over Mozilla's Readability test pages (and the
//! mirror pages), in one process: `cargo bench --bench extract`.
//!
//! Reports MB/s of input HTML, single-threaded and on all cores (rayon),
//! after a warm-up pass. Inputs are read into memory first, so only
//! `read_bytes` + `extract` are timed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark or test helper stops loudly on bad setup

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

fn inputs(dir: &Path, name: Option<&str>) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = match name {
            Some(name) => entry.path().join(name),
            None => entry.path(),
        };
        if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, bytes));
        }
    }
    out.sort();
    out
}

fn extract_one((path, bytes): &(PathBuf, Vec<u8>)) -> usize {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match folio::read::read_bytes(path, &name, bytes.as_slice().into()) {
        Ok(source) => folio::extract::extract(&source).blocks.len(),
        Err(_) => 0,
    }
}

fn measure(label: &str, files: &[(PathBuf, Vec<u8>)], rounds: usize) {
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mb = bytes as f64 / 1e6;
    // Warm-up.
    let blocks: usize = files.iter().map(extract_one).sum();
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(files.iter().map(extract_one).sum::<usize>());
    }
    let single = start.elapsed().as_secs_f64() / rounds as f64;
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(files.par_iter().map(extract_one).sum::<usize>());
    }
    let parallel = start.elapsed().as_secs_f64() / rounds as f64;
    println!(
        "{label}: {} files, {mb:.1} MB, {blocks} blocks | 1 thread: {:.1} MB/s ({:.0} files/s) | {} threads: {:.1} MB/s ({:.0} files/s)",
        files.len(),
        mb / single,
        files.len() as f64 / single,
        rayon::current_num_threads(),
        mb / parallel,
        files.len() as f64 / parallel,
    );
}

/// Baselines under the same conditions: a bare html5ever parse, and
/// dom_smoothie alone (Folio's readability pass without Folio's work).
fn baselines(files: &[(PathBuf, Vec<u8>)], rounds: usize) {
    let texts: Vec<String> = files
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let time = |f: &dyn Fn(&str)| {
        let start = Instant::now();
        for _ in 0..rounds {
            texts.iter().for_each(|t| f(t));
        }
        mb / (start.elapsed().as_secs_f64() / rounds as f64)
    };
    let parse = time(&|t| {
        std::hint::black_box(scraper::Html::parse_document(t));
    });
    let smoothie = time(&|t| {
        let parsed = dom_smoothie::Readability::new(t, None, None).and_then(|mut r| r.parse());
        std::hint::black_box(parsed.is_ok());
    });
    println!(
        "baselines, 1 thread: html5ever parse {parse:.1} MB/s | dom_smoothie {smoothie:.1} MB/s"
    );
}

fn main() {
    let root = common::fixtures();
    let readability = inputs(&root.join("readability"), Some("source.html"));
    let mirror = inputs(&root.join("mirror"), None);
    let rounds = std::env::var("FOLIO_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    measure("readability pages", &readability, rounds);
    baselines(&readability, rounds);
    measure("mirror pages", &mirror, rounds);
}

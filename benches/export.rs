//! Export benchmark (issue 5): `folio::export::export_sqlite` of 10,000 articles
//! with images, target < 10 s on 2 cores.
//!
//! Run with `cargo bench --bench export`; `FOLIO_BENCH_ARTICLES` sets the
//! number of articles (default 10000). The library is built as in
//! `benches/library.rs`: every corpus page (mirror pages, readability
//! sources, the seed) extracted once and stored many times as distinct
//! variants (numbered title, own URL, an extra paragraph), and here each
//! variant also gets an image of its own (a small PNG whose pixels depend on
//! the variant number), so the export copies 10,000 distinct images besides
//! the corpus' own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark or test helper stops loudly on bad setup

mod common;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use folio::library::{ExportJob, ImportMode, Library, PreparedArticle, StoreOutcome};
use folio::model::{Article, Block, Image, ImageData};
use rayon::prelude::*;

/// A small PNG (120 × 80) unique to `i`.
fn png(i: usize) -> Vec<u8> {
    let img = image::RgbImage::from_fn(120, 80, |x, y| {
        let v = (i as u32).wrapping_mul(2_654_435_761);
        image::Rgb([
            ((x + v) % 256) as u8,
            ((y + (v >> 8)) % 256) as u8,
            ((x * y + (v >> 16)) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode png");
    out
}

/// Copy `i` of a corpus article ([`common::variant`]) with an image of its own.
fn variant(article: &Article, i: usize) -> Article {
    let mut a = common::variant(article, i);
    a.blocks.push(Block::Image(Image {
        src: format!("bench/{i}.png"),
        caption: Some(format!("图 {i}：variant image")),
        data: Some(ImageData {
            bytes: Arc::from(png(i)),
            mime: "image/png".to_owned(),
        }),
        ..Image::default()
    }));
    a
}

fn main() {
    let n = common::env_usize("FOLIO_BENCH_ARTICLES", 10_000);
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let path = dir.path().join("bench.folio");
    println!(
        "Folio export benchmark: {n} articles, {} threads",
        rayon::current_num_threads()
    );
    let mut paths = common::corpus_paths();
    paths.push(common::fixtures().join("formats/complete/m-epoch/m-epoch.html"));
    let corpus = common::corpus(&paths);
    println!("corpus: {} pages extracted", corpus.len());

    let started = Instant::now();
    let mut lib = Library::open(&path).expect("open");
    let (sender, receiver) = crossbeam_channel::bounded::<PreparedArticle>(256);
    std::thread::scope(|scope| {
        let corpus = &corpus;
        scope.spawn(move || {
            (0..n).into_par_iter().for_each_with(sender, |sender, i| {
                let (source, article) = &corpus[i % corpus.len()];
                let _ = sender.send(PreparedArticle::new(source, &variant(article, i)));
            });
        });
        for prepared in receiver {
            match lib
                .store_prepared(&prepared, ImportMode::SkipDuplicates)
                .expect("store")
            {
                StoreOutcome::Imported(_) => {}
                other => panic!("a variant was not new: {other:?}"),
            }
        }
    });
    let ids = lib.matching_ids(None).expect("ids");
    for id in ids.iter().step_by(10) {
        lib.add_tags(*id, &["bench"]).expect("tag");
        lib.set_note(*id, "基准测试笔记 benchmark note")
            .expect("note");
    }
    let stats = lib.stats().expect("stats");
    println!(
        "built the library in {:.1} s: {} articles, {} images ({:.1} MB), originals {:.1} MB",
        started.elapsed().as_secs_f64(),
        stats.articles,
        stats.images,
        stats.image_bytes as f64 / 1e6,
        stats.original_bytes as f64 / 1e6,
    );

    let mut times = Vec::new();
    let mut last = None;
    for run in 0..3 {
        let out = dir.path().join(format!("export-{run}.folio"));
        let t = Instant::now();
        let report = folio::export::export_sqlite(
            &lib,
            &ExportJob {
                ids: &ids,
                out: &out,
                overwrite: false,
                progress: &|_| {},
                cancel: &AtomicBool::new(false),
            },
        )
        .expect("export");
        times.push(t.elapsed());
        assert_eq!(report.articles, n);
        last = Some((out, report));
    }
    times.sort();
    let (out, report) = last.expect("ran");
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let exported = Library::open(&out).expect("open export");
    assert_eq!(exported.stats().expect("stats").articles, n as u64);
    println!();
    println!("| measurement | value |");
    println!("|---|---|");
    println!(
        "| export_sqlite, {n} articles, {} images | median {:.2} s (min {:.2} s, max {:.2} s; target < 10 s) |",
        report.images,
        times[1].as_secs_f64(),
        times[0].as_secs_f64(),
        times[2].as_secs_f64()
    );
    println!("| exported file | {:.1} MB |", size as f64 / 1e6);
    let t = Instant::now();
    let _ = exported.search("售后新政", 50, 0).expect("search");
    println!(
        "| search in the export | {:.2} ms |",
        t.elapsed().as_secs_f64() * 1000.0
    );
}

//! Issue 7: crashes and concurrency.
//!
//! - `folio import` is SIGKILLed at pseudo-random points; after each kill
//!   `folio check` passes (no partial article: article ⇔ body ⇔ search index
//!   ⇔ image links), and a final run ends with every file stored exactly once.
//! - A `folio import` child and in-process writes (tags, notes) on the same
//!   library at once: no write is lost, no "database is locked" error.
//!
//! The default test is small enough for CI (300 files, 5 kills). The full
//! version the issue asks for (2,000 files, 20 kills) is ignored by default:
//!
//! ```sh
//! cargo test --release --test it crash:: -- --ignored
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use folio::library::{ArticleId, Library};
use serde_json::Value;

fn folio(library: &Path) -> Command {
    let mut command = common::folio();
    command
        .arg("--library")
        .arg(library)
        .stdin(Stdio::null())
        .env("RUST_BACKTRACE", "0");
    command
}

fn run_ok(library: &Path, args: &[&std::ffi::OsStr]) -> String {
    let out: Output = folio(library).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "folio {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `files` distinct articles made from the mirror pages (title and URL changed).
fn write_pages(dir: &Path, files: usize) {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(common::fixtures().join("mirror"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let texts: Vec<String> = pages
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for i in 0..files {
        let text = &texts[i % texts.len()];
        let label = format!("{i:05}");
        let mut out = String::with_capacity(text.len() + 64);
        for line in text.lines() {
            if line.starts_with("### ") && !out.contains("### ") {
                out.push_str(&format!("{}（副本 {label}）", line.trim_end()));
            } else if (line.contains("原文链接") || line.contains("原文地址"))
                && line.contains("http")
            {
                let sep = if line.contains('?') { '&' } else { '?' };
                out.push_str(&format!("{}{sep}folio_copy={label}", line.trim_end()));
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        std::fs::write(dir.join(format!("page-{label}.md")), out).unwrap();
    }
}

/// Deterministic pseudo-random numbers (splitmix64), so a failure can be re-run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n.max(1)
    }
}

/// Import `files` pages, SIGKILLing the import `kills` times at random
/// points (at least `min_killed` must land before the import ends);
/// check the library after each kill and at the end.
///
/// Kill points follow the import's progress, not the clock alone: the
/// imports commit in small batches (`--batch-size`), each kill waits for a
/// random share of the articles still missing to be stored and then a random
/// part of one batch's time, so it lands inside a batch while plenty of
/// files are still to come, however fast or loaded the machine is.
fn kill_and_resume(files: usize, kills: usize, min_killed: usize, seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    write_pages(&pages, files);
    let library = dir.path().join("crash.folio");
    run_ok(&library, &["stats".as_ref()]); // create it
    let watcher = Library::open(&library).unwrap();
    let mut rng = Rng(seed);
    let batch = (files / 30).clamp(1, 200);
    let batch_arg = batch.to_string();

    // How long a whole import takes, to size one batch's time.
    let probe = dir.path().join("probe.folio");
    let start = Instant::now();
    run_ok(
        &probe,
        &[
            "import".as_ref(),
            "--batch-size".as_ref(),
            batch_arg.as_ref(),
            pages.as_os_str(),
        ],
    );
    let full = start.elapsed();
    let batch_ms = (full.as_millis() as u64 * batch as u64 / files as u64).max(5);
    eprintln!(
        "a whole import of {files} files takes {full:.2?}; batches of {batch}, {batch_ms} ms each"
    );

    let mut killed = 0;
    // An import that ends before its kill point does not count: try again,
    // up to three times as often.
    for step in 0..kills * 3 {
        if killed == kills {
            break;
        }
        let before = watcher.count(None).unwrap();
        let remaining = files as u64 - before;
        assert!(remaining > 0, "every file was stored before kill {killed}");
        // On even kills, wait until a random share of the missing articles
        // is stored; on odd kills, until this run's first batch is. Then
        // kill at a random moment of the next batch.
        let share = (remaining / (kills - killed + 1) as u64).max(1);
        let target = before + 1 + if killed % 2 == 0 { rng.below(share) } else { 0 };
        let delay = Duration::from_millis(rng.below(batch_ms));
        let mut child = folio(&library)
            .arg("import")
            .arg("--batch-size")
            .arg(&batch_arg)
            .arg(&pages)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let mut reached = None;
        while child.try_wait().unwrap().is_none() {
            if reached.is_none() && watcher.count(None).unwrap() >= target {
                reached = Some(Instant::now());
            }
            if reached.is_some_and(|at| at.elapsed() >= delay) {
                break;
            }
            assert!(
                started.elapsed() < full * 20,
                "import {step} made no progress"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let delay = started.elapsed();
        let was_running = child.try_wait().unwrap().is_none();
        if was_running {
            child.kill().unwrap(); // SIGKILL on Unix
            killed += 1;
        }
        let status = child.wait().unwrap();
        let after = watcher.count(None).unwrap();
        eprintln!(
            "kill {step}: after {delay:?} ({}), {before} -> {after} articles",
            if was_running {
                "killed"
            } else {
                "had finished"
            }
        );
        assert!(was_running || status.success(), "{status:?}");
        assert!(after >= before, "articles were lost");
        assert_eq!(
            run_ok(&library, &["check".as_ref()]).trim(),
            "ok",
            "check after kill {step}"
        );
        // A fresh connection, as `folio check` uses: on the long-lived
        // watcher connection, the first FTS5 integrity check after another
        // process wrote the index can report a stale-cache "corruption" that
        // a second check on the same connection no longer sees.
        let problems = Library::open(&library).unwrap().check().unwrap();
        assert!(problems.is_empty(), "{problems:?}");
    }
    assert!(
        killed >= min_killed,
        "only {killed} of {kills} imports were killed midway"
    );

    let stored_before = watcher.count(None).unwrap();
    let report: Value = serde_json::from_str(&run_ok(
        &library,
        &["import".as_ref(), "--json".as_ref(), pages.as_os_str()],
    ))
    .unwrap();
    eprintln!(
        "{killed} kills; {stored_before} stored before the last run, which added {}",
        report["imported"]
    );
    assert_eq!(report["failed"], Value::Array(vec![]));
    assert_eq!(report["files"], files);
    assert_eq!(report["duplicates"].as_u64().unwrap(), stored_before);
    assert_eq!(
        report["imported"].as_u64().unwrap() + stored_before,
        files as u64
    );
    assert_eq!(watcher.count(None).unwrap(), files as u64);
    let sources: std::collections::BTreeSet<String> = watcher
        .list(None, folio::library::Sort::Title, usize::MAX, 0)
        .unwrap()
        .into_iter()
        .map(|s| s.source_file)
        .collect();
    assert_eq!(sources.len(), files, "every file stored exactly once");
    assert_eq!(run_ok(&library, &["check".as_ref()]).trim(), "ok");
}

#[test]
fn an_import_killed_at_random_points_loses_nothing() {
    kill_and_resume(300, 5, 5, 0x5EED_0007);
}

/// The issue's full version: 2,000 files, 20 kills. Slow in a debug build;
/// run it with `cargo test --release --test it crash:: -- --ignored`.
#[test]
#[ignore = "slow: cargo test --release --test it crash:: -- --ignored"]
fn an_import_of_2000_files_killed_20_times_loses_nothing() {
    kill_and_resume(2_000, 20, 20, 0x2000_0020);
}

/// A `folio import` child writes while this process tags and annotates an
/// article in a loop: every write lands, none sees "database is locked".
#[test]
fn an_import_and_tag_and_note_writes_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    write_pages(&pages, 400);
    let library = dir.path().join("two.folio");
    run_ok(
        &library,
        &["import".as_ref(), common::seed_path().as_os_str()],
    );
    let mut lib = Library::open(&library).unwrap();
    let seed: ArticleId = lib.list(None, folio::library::Sort::Title, 1, 0).unwrap()[0].id;

    let mut child = folio(&library)
        .arg("import")
        .arg("--json")
        .arg(&pages)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut writes = 0;
    let mut overlapped = 0;
    let start = Instant::now();
    loop {
        let running = child.try_wait().unwrap().is_none();
        if !running && writes >= 50 {
            break;
        }
        if running {
            overlapped += 1;
        }
        let tag = format!("w{writes:05}");
        lib.add_tags(seed, &[&tag])
            .unwrap_or_else(|e| panic!("add_tags {writes} during the import: {e}"));
        lib.set_note(seed, &format!("note {writes}"))
            .unwrap_or_else(|e| panic!("set_note {writes} during the import: {e}"));
        writes += 1;
        assert!(start.elapsed() < Duration::from_secs(300), "no end");
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("locked"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["imported"], 400, "{report}");
    eprintln!("{writes} tag+note writes, {overlapped} while the import ran");
    assert!(overlapped >= 5, "the writes did not overlap the import");

    let lib = Library::open(&library).unwrap();
    let article = lib.article(seed).unwrap();
    assert_eq!(article.tags.len(), writes, "a tag write was lost");
    assert_eq!(
        article.note.as_deref(),
        Some(format!("note {}", writes - 1).as_str())
    );
    assert_eq!(lib.count(None).unwrap(), 401);
    assert!(lib.check().unwrap().is_empty());
}

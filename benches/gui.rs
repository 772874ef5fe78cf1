//! The window with a big library, measured headless with egui_kittest:
//! time to the first frame showing rows, CPU time per frame while scrolling
//! the list, time to open an article, and resident memory.
//!
//! First, the reader on its own library: one article of 20,000 characters
//! with 200 highlights — CPU per reader frame while scrolling it, and
//! selecting the whole article and copying it (Ctrl+A, Ctrl+C), and a drag
//! selection across it, frame by frame.
//!
//! Then the highlights view on that library with one highlight on every
//! other article (`FOLIO_BENCH_HIGHLIGHTS`, default half the articles): the
//! worker's listing, filtering and paging timed alone, and in the window
//! the time from "Highlights" to rows, CPU per frame scrolling them, and a
//! search narrowing them.
//!
//! `cargo bench --bench gui`. `FOLIO_BENCH_READER_ONLY=1` stops after the
//! reader. `FOLIO_BENCH_ARTICLES` (default 100000) sets the
//! library size; `FOLIO_BENCH_LIBRARY=PATH` reuses (or keeps) a library file
//! so it is built once. Frame times are egui's CPU work (layout, widgets,
//! tessellation is not run headless) — GPU painting is not included.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark or test helper stops loudly on bad setup

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use folio::app::{FolioApp, Options};
use folio::library::{ImportOptions, Library};

/// Write `n` unique seed-sized pages (variants of the seed) and import them.
fn build_library(path: &Path, n: usize) {
    let seed = std::fs::read_to_string(common::seed_path()).expect("seed");
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let start = Instant::now();
    for i in 0..n {
        let sub = dir.path().join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub).expect("mkdir");
        }
        let page = seed
            .replacen(
                "### 小米11系列屡曝质量问题",
                &format!("### 第{i}号 小米11系列屡曝质量问题"),
                1,
            )
            .replacen("n13830172.htm", &format!("n{i}.htm"), 1)
            .replacen("<p>", &format!("<p>\n  编号{i}：",), 1);
        std::fs::write(sub.join(format!("{i}.txt")), page).expect("write");
    }
    let mut library = Library::open(path).expect("open");
    let report = library
        .import_paths(
            &[dir.path().to_owned()],
            &ImportOptions::default(),
            &|_| {},
            &Default::default(),
        )
        .expect("import");
    println!(
        "built a library of {} articles in {:.1} s ({} failed)",
        report.imported,
        start.elapsed().as_secs_f64(),
        report.failed.len()
    );
}

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// "p50 / p95 / max" of `samples` in milliseconds, as the tables print it.
fn spread(samples: &mut [Duration]) -> String {
    format!(
        "{:.2} / {:.2} / {:.2}",
        percentile(samples, 0.5),
        percentile(samples, 0.95),
        percentile(samples, 1.0)
    )
}

fn wait_until(harness: &mut Harness<'_, FolioApp>, done: impl Fn(&Harness<'_, FolioApp>) -> bool) {
    wait_until_for(harness, Duration::from_secs(60), done);
}

fn wait_until_for(
    harness: &mut Harness<'_, FolioApp>,
    limit: Duration,
    done: impl Fn(&Harness<'_, FolioApp>) -> bool,
) {
    let start = Instant::now();
    while !done(harness) && start.elapsed() < limit {
        harness.step();
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A library with one long article (`chars` characters in paragraphs of
/// about 200) and `highlights` highlights spread over it.
fn reader_library(path: &Path, chars: usize, highlights: usize) -> Vec<String> {
    use folio::model::{Article, Block, Inline};
    use folio::read::{Format, Resources, Source};
    let sentence = "Whale whisperer Hori Parata was seven when he attended his first mass \
                    stranding, a beaching of porpoises on a deserted stretch of sand. ";
    let mut paragraphs = Vec::new();
    let mut total = 0;
    while total < chars {
        let p = format!(
            "{}. {}{}",
            paragraphs.len() + 1,
            sentence,
            sentence.trim_end()
        );
        total += p.chars().count();
        paragraphs.push(p);
    }
    let article = Article {
        title: "A long read".into(),
        url: Some("https://example.com/long".into()),
        lang: Some("en".into()),
        blocks: paragraphs
            .iter()
            .map(|p| Block::Paragraph {
                inlines: vec![Inline::text(p.as_str())],
            })
            .collect(),
        ..Article::default()
    };
    let source = Source {
        file_name: "long.html".to_owned(),
        format: Format::Html,
        text: "<html>long</html>".to_owned(),
        saved_from: None,
        resources: Resources::default(),
        original: std::sync::Arc::from(&b"<html>long</html>"[..]),
        warnings: Vec::new(),
        captured: None,
    };
    let mut library = Library::open(path).expect("open");
    let id = library
        .store_article(&source, &article, folio::library::ImportMode::Update)
        .expect("store")
        .id();
    let text = library.canonical_text(id).expect("text");
    let len = text.char_len();
    let colours = folio::library::Colour::ALL;
    for i in 0..highlights {
        let start = len * i / highlights;
        library
            .add_highlight(id, start + 3..start + 40, colours[i % colours.len()], "")
            .expect("highlight");
    }
    paragraphs
}

/// Ctrl+`key` in one frame.
fn press(harness: &mut Harness<'_, FolioApp>, key: egui::Key) {
    let modifiers = egui::Modifiers::COMMAND;
    let events = &mut harness.input_mut().events;
    events.push(egui::Event::ModifiersChanged(modifiers));
    for pressed in [true, false] {
        events.push(egui::Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers,
        });
    }
    events.push(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
}

/// The reader: frames while scrolling a 20,000-character article with 200
/// highlights, select all and copy, a drag selection.
fn reader_bench(highlights: usize) {
    let temp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let path = temp.path().join("reader.folio");
    let paragraphs = reader_library(&path, 20_000, highlights);
    let chars: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    let app_path = path.clone();
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            FolioApp::new(
                cc,
                Options {
                    library: app_path,
                    sample: false,
                    offline: true,
                },
            )
            .expect("app")
        });
    wait_until(&mut harness, |h| h.query_by_label("A long read").is_some());
    harness.get_by_label("A long read").click();
    wait_until(&mut harness, |h| {
        h.query_by_label(&paragraphs[0]).is_some()
            && h.query_by_label(&format!("Highlights ({highlights})"))
                .is_some()
    });
    harness.run_steps(3);
    // Scroll the reader down and back up.
    harness.hover_at(egui::pos2(700.0, 400.0));
    harness.step();
    let mut frames = Vec::new();
    for i in 0..400 {
        let delta = if i < 200 { -120.0 } else { 120.0 };
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
        let t = Instant::now();
        harness.step();
        frames.push(t.elapsed());
    }
    // Select all and copy: the frames until the text is on the clipboard.
    let t = Instant::now();
    press(&mut harness, egui::Key::A);
    harness.step();
    let mut copy_frames = Vec::new();
    press(&mut harness, egui::Key::C);
    let mut copied = 0;
    for _ in 0..6 {
        let f = Instant::now();
        harness.step();
        copy_frames.push(f.elapsed());
        if let Some(text) = harness
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|c| match c {
                egui::OutputCommand::CopyText(text) => Some(text.clone()),
                _ => None,
            })
        {
            copied = text.chars().count();
            break;
        }
    }
    let select_copy = t.elapsed();
    // A drag from the first paragraph down the window, frame by frame.
    harness.key_press(egui::Key::Home);
    harness.run_steps(2);
    let first = harness.get_by_label(&paragraphs[0]).rect();
    let from = first.left_top() + egui::vec2(2.0, 4.0);
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    let mut drag_frames = Vec::new();
    for i in 1..=60 {
        #[expect(clippy::cast_precision_loss, reason = "small counts")]
        let to = from + egui::vec2(300.0, (i as f32) * 12.0);
        harness.hover_at(to);
        let t = Instant::now();
        harness.step();
        drag_frames.push(t.elapsed());
    }
    harness.drop_at(from + egui::vec2(300.0, 720.0));
    harness.step();
    println!("reader: one article of {chars} characters, {highlights} highlights");
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!(
        "| CPU per reader frame while scrolling (p50 / p95 / max) | {} ms | < 4 ms |",
        spread(&mut frames)
    );
    println!(
        "| Ctrl+A then Ctrl+C of the article ({copied} characters copied) | {:.1} ms in all, slowest frame {:.2} ms | no dropped frame (< 16 ms) |",
        select_copy.as_secs_f64() * 1000.0,
        percentile(&mut copy_frames, 1.0)
    );
    println!(
        "| CPU per frame while drag-selecting (p50 / p95 / max) | {} ms | < 16 ms |",
        spread(&mut drag_frames)
    );
}

/// The reader on the longest article of the corpus (the second Wikipedia
/// page of `tests/fixtures/readability`) with the find bar open on a word
/// found hundreds of times: CPU per frame while scrolling, and per F3 step
/// (each scrolls to the next match).
/// 400 frames of the mouse wheel over the reader, down then up.
fn scroll_frames(harness: &mut Harness<'_, FolioApp>) -> Vec<Duration> {
    let mut frames = Vec::new();
    for i in 0..400 {
        let delta = if i < 200 { -120.0 } else { 120.0 };
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
        let t = Instant::now();
        harness.step();
        frames.push(t.elapsed());
    }
    frames
}

fn find_bench() {
    let temp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let path = temp.path().join("find.folio");
    let page = common::fixtures().join("readability/wikipedia-2/source.html");
    let mut library = Library::open(&path).expect("open");
    let report = library
        .import_paths(
            &[page],
            &ImportOptions::default(),
            &|_| {},
            &Default::default(),
        )
        .expect("import");
    assert_eq!(report.imported, 1);
    let stored = library
        .article(library.matching_ids(None).expect("ids")[0])
        .expect("article");
    drop(library);
    let title = stored.article.title.clone();
    let chars: usize = stored
        .article
        .blocks
        .iter()
        .map(|b| b.text().chars().count())
        .sum();
    let app_path = path.clone();
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        // The page has a few characters no bundled font draws (′): boxes, as a user sees them.
        .allow_missing_glyphs()
        .build_eframe(move |cc| {
            FolioApp::new(
                cc,
                Options {
                    library: app_path,
                    sample: false,
                    offline: true,
                },
            )
            .expect("app")
        });
    let first = stored
        .article
        .blocks
        .iter()
        .find(|b| matches!(b, folio::model::Block::Paragraph { .. }))
        .expect("a paragraph")
        .text();
    wait_until(&mut harness, |h| h.query_by_label(&title).is_some());
    harness.get_by_label(&title).click();
    wait_until(&mut harness, |h| h.query_by_label(&first).is_some());
    harness.run_steps(3);
    harness.hover_at(egui::pos2(700.0, 400.0));
    harness.step();
    let mut plain = scroll_frames(&mut harness);
    // The toolbar's Find button opens the find bar with the keys in it.
    harness.get_by_label("Find").click();
    harness.run_steps(2);
    wait_until(&mut harness, |h| {
        h.query_by_label("Find in article")
            .is_some_and(|f| f.is_focused())
    });
    harness.get_by_label("Find in article").type_text("the");
    // The bar's count ("1 of 872", "1000+ matches" before a step), not the
    // article's own words.
    let counted = regex::Regex::new(r"^(\d+ of \d+\+?|\d+\+? matches)$").expect("regex");
    // egui gives a label's text as the node's value, not its label.
    let count_label = |h: &Harness<'_, FolioApp>| {
        h.query_all_by_label_contains(" ")
            .filter_map(|n| {
                let node = n.accesskit_node();
                node.value().or_else(|| node.label())
            })
            .find(|l| counted.is_match(l))
    };
    wait_until_for(&mut harness, Duration::from_secs(10), |h| {
        count_label(h).is_some()
    });
    let Some(count) = count_label(&harness) else {
        panic!("the find bar shows no count");
    };
    harness.run_steps(3);
    harness.hover_at(egui::pos2(700.0, 400.0));
    harness.step();
    let mut frames = scroll_frames(&mut harness);
    let mut steps = Vec::new();
    for _ in 0..100 {
        harness.key_press(egui::Key::F3);
        let t = Instant::now();
        harness.step();
        steps.push(t.elapsed());
    }
    println!(
        "reader with find: the longest corpus article ({chars} characters), \"the\" ({count})"
    );
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!(
        "| CPU per reader frame without find, scrolling (p50 / p95 / max) | {} ms | < 4 ms |",
        spread(&mut plain)
    );
    println!(
        "| CPU per reader frame with find active, scrolling (p50 / p95 / max) | {} ms | < 4 ms |",
        spread(&mut frames)
    );
    println!(
        "| CPU per frame stepping with F3 (p50 / p95 / max) | {} ms | < 16 ms |",
        spread(&mut steps)
    );
}

fn main() {
    reader_bench(0);
    reader_bench(200);
    find_bench();
    if std::env::var_os("FOLIO_BENCH_READER_ONLY").is_some() {
        return;
    }
    let n = common::env_usize("FOLIO_BENCH_ARTICLES", 100_000);
    let keep: Option<PathBuf> = std::env::var_os("FOLIO_BENCH_LIBRARY").map(PathBuf::from);
    let temp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let path = keep
        .clone()
        .unwrap_or_else(|| temp.path().join("gui.folio"));
    let existing = Library::open(&path)
        .and_then(|l| l.count(None))
        .unwrap_or(0);
    if existing < n as u64 {
        build_library(&path, n - existing as usize);
    }
    let total = Library::open(&path)
        .and_then(|l| l.count(None))
        .unwrap_or(0);
    let rss_before = rss_mb();

    let visible_rows = |h: &Harness<'_, FolioApp>| -> Vec<String> {
        h.query_all_by_label_contains("号 小米11系列")
            .map(|n| format!("{n:?}"))
            .filter_map(|d| {
                d.split("label: \"")
                    .nth(1)
                    .and_then(|l| l.split('"').next())
                    .map(str::to_owned)
            })
            .collect()
    };
    // First frame showing rows.
    let start = Instant::now();
    let app_path = path.clone();
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            FolioApp::new(
                cc,
                Options {
                    library: app_path,
                    sample: false,
                    offline: false,
                },
            )
            .expect("app")
        });
    wait_until(&mut harness, |h| {
        h.query_by_label_contains(&format!("{total} articles"))
            .is_some()
    });
    let first_rows = start.elapsed();

    // Scroll the list: wheel events over it, one frame each.
    harness.hover_at(egui::pos2(150.0, 400.0));
    harness.step();
    let before = visible_rows(&harness);
    let mut frames = Vec::new();
    for i in 0..600 {
        let delta = if i < 400 { -240.0 } else { 240.0 };
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
        let t = Instant::now();
        harness.step();
        frames.push(t.elapsed());
        // Real frames come ~16 ms apart; the worker fetches pages meanwhile.
        std::thread::sleep(Duration::from_millis(16));
    }
    let after = visible_rows(&harness);
    println!(
        "scrolled: {} rows visible before, {} after, {} in common",
        before.len(),
        after.len(),
        after.iter().filter(|t| before.contains(t)).count()
    );
    // Select every row (Ctrl-click one, then Ctrl+A: the worker sends all
    // the ids) and scroll again: the frame must not grow with the selection.
    let row = visible_rows(&harness)
        .into_iter()
        .next()
        .expect("a visible row");
    harness
        .get_by_label(&row)
        .click_modifiers(egui::Modifiers::COMMAND);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::Key {
            key: egui::Key::A,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: egui::Modifiers::COMMAND,
        });
    }
    wait_until(&mut harness, |h| {
        h.query_by_label(&format!("{total} selected")).is_some()
    });
    assert!(
        harness
            .query_by_label(&format!("{total} selected"))
            .is_some(),
        "Ctrl+A did not select every row"
    );
    let mut selected_frames = Vec::new();
    for i in 0..300 {
        let delta = if i < 200 { -240.0 } else { 240.0 };
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
        let t = Instant::now();
        harness.step();
        selected_frames.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(16));
    }
    harness.get_by_label("Clear selection").click();
    harness.step();
    // Jump far down (page fetches on the worker) and keep scrolling.
    let mut open_times = Vec::new();
    for round in 0..10 {
        let title = format!("第{}号 小米11系列屡曝质量问题 售后新政引不满", round * 7);
        harness.get_by_label("Search").click();
        harness.step();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness
            .get_by_label("Search")
            .type_text(&format!("第{}号", round * 7));
        wait_until(&mut harness, |h| h.query_by_label(&title).is_some());
        let t = Instant::now();
        harness.get_by_label(&title).click();
        wait_until(&mut harness, |h| h.query_all_by_label(&title).count() >= 2);
        open_times.push(t.elapsed());
    }
    let highlights = highlights_bench(&mut harness, &path);
    let rss_after = rss_mb();
    println!(
        "library: {total} articles at {}",
        if keep.is_some() {
            path.display().to_string()
        } else {
            "a temp file".to_owned()
        }
    );
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!(
        "| first frame with rows after start | {:.0} ms | < 500 ms |",
        first_rows.as_secs_f64() * 1000.0
    );
    println!(
        "| CPU per frame while scrolling (p50 / p95 / max) | {} ms | < 4 ms |",
        spread(&mut frames)
    );
    println!(
        "| CPU per frame scrolling with all {total} rows selected (p50 / p95 / max) | {} ms | < 4 ms |",
        spread(&mut selected_frames)
    );
    println!(
        "| opening an article (p50 / max, frames included) | {:.1} / {:.1} ms | < 50 ms |",
        percentile(&mut open_times, 0.5),
        percentile(&mut open_times, 1.0)
    );
    for line in highlights {
        println!("{line}");
    }
    println!(
        "| resident memory (before app / after scrolling and opening) | {rss_before:.0} / {rss_after:.0} MB | < 250 MB |"
    );
}

/// Give every other article one highlight (a fifth of them commented), up
/// to `FOLIO_BENCH_HIGHLIGHTS` (default: half the articles) in all.
fn add_highlights(path: &Path, wanted: usize) -> usize {
    use folio::library::{Colour, HighlightOrder};
    let mut library = Library::open(path).expect("open");
    let have = library
        .highlight_ids(None, HighlightOrder::Newest)
        .expect("ids")
        .len();
    if have >= wanted {
        return have;
    }
    let start = Instant::now();
    let ids = library.matching_ids(None).expect("ids");
    let mut added = have;
    for (i, id) in ids.iter().enumerate().skip(have * 2).step_by(2) {
        if added >= wanted {
            break;
        }
        let comment = if i % 5 == 0 { "a comment to find" } else { "" };
        library
            .add_highlight(*id, 3..15, Colour::ALL[i % Colour::ALL.len()], comment)
            .expect("highlight");
        added += 1;
    }
    println!(
        "added {} highlights in {:.1} s",
        added - have,
        start.elapsed().as_secs_f64()
    );
    added
}

/// The highlights view at scale: the worker's work (listing the ids,
/// filtering, one page of rows) timed on its own, then in the window the
/// time from "Highlights" to rows, CPU per frame while scrolling them, and
/// a search narrowing them. Returns the report's lines.
fn highlights_bench(harness: &mut Harness<'_, FolioApp>, path: &Path) -> Vec<String> {
    use folio::library::HighlightOrder;
    let articles = Library::open(path).and_then(|l| l.count(None)).unwrap_or(0) as usize;
    let wanted = common::env_usize("FOLIO_BENCH_HIGHLIGHTS", articles / 2);
    let total = add_highlights(path, wanted);
    let library = Library::open(path).expect("open");
    let mut lines = Vec::new();
    let time = |f: &mut dyn FnMut()| {
        let mut samples = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            f();
            samples.push(t.elapsed());
        }
        percentile(&mut samples, 0.5)
    };
    for order in [
        HighlightOrder::Newest,
        HighlightOrder::ByArticle,
        HighlightOrder::ByColour,
    ] {
        let ms = time(&mut || {
            library.highlight_ids(None, order).expect("ids");
        });
        lines.push(format!(
            "| worker: every highlight's id, {order:?} ({total}) | {ms:.1} ms p50 | off the GUI thread |"
        ));
    }
    let ms = time(&mut || {
        library
            .highlight_ids(Some("第7号"), HighlightOrder::Newest)
            .expect("ids");
    });
    lines.push(format!(
        "| worker: ids of a search's highlights (第7号) | {ms:.1} ms p50 | off the GUI thread |"
    ));
    let ids = library
        .highlight_ids(None, HighlightOrder::Newest)
        .expect("ids");
    let page = &ids[ids.len() / 2..(ids.len() / 2 + 100).min(ids.len())];
    let ms = time(&mut || {
        library.highlight_entries(page).expect("rows");
    });
    lines.push(format!(
        "| worker: one page of 100 rows | {ms:.1} ms p50 | off the GUI thread |"
    ));

    // The window: search box cleared, then "Highlights".
    harness.get_by_label("Search").click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.key_press(egui::Key::Backspace);
    std::thread::sleep(Duration::from_millis(300));
    harness.step();
    let count = format!("{total} highlights");
    let mut open_frames = Vec::new();
    let t = Instant::now();
    harness.get_by_label("Highlights").click();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60)
        && !(harness.query_by_label(&count).is_some()
            && harness
                .query_all_by_label_contains("Highlight in ")
                .next()
                .is_some())
    {
        let f = Instant::now();
        harness.step();
        open_frames.push(f.elapsed());
        std::thread::sleep(Duration::from_millis(1));
    }
    let opened = t.elapsed();
    lines.push(format!(
        "| window: Highlights clicked to {total} listed with rows (frames: p50 / max) | {:.0} ms ({:.2} / {:.2} ms) | rows within a few frames, no frame > 16 ms |",
        opened.as_secs_f64() * 1000.0,
        percentile(&mut open_frames, 0.5),
        percentile(&mut open_frames, 1.0)
    ));
    harness.hover_at(egui::pos2(150.0, 500.0));
    harness.step();
    let mut frames = Vec::new();
    for i in 0..300 {
        let delta = if i < 200 { -300.0 } else { 300.0 };
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            modifiers: egui::Modifiers::NONE,
            source: egui::MouseWheelSource::Wheel,
        });
        let t = Instant::now();
        harness.step();
        frames.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(16));
    }
    lines.push(format!(
        "| window: CPU per frame scrolling the highlights (p50 / p95 / max) | {} ms | < 4 ms |",
        spread(&mut frames)
    ));
    // Filter: a search that matches one article (its highlight, if it has one).
    let expected = library
        .highlight_ids(Some("第70号"), HighlightOrder::Newest)
        .expect("ids")
        .len();
    let narrowed = if expected == 1 {
        "1 highlight".to_owned()
    } else {
        format!("{expected} highlights")
    };
    harness.get_by_label("Search").click();
    harness.step();
    harness.get_by_label("Search").type_text("第70号");
    let mut filter_frames = Vec::new();
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(60) && harness.query_by_label(&narrowed).is_none() {
        let f = Instant::now();
        harness.step();
        filter_frames.push(f.elapsed());
        std::thread::sleep(Duration::from_millis(1));
    }
    lines.push(format!(
        "| window: typing a search to the highlights narrowed to {expected} (250 ms typing pause included; frames p50 / max) | {:.0} ms ({:.2} / {:.2} ms) | no frame > 16 ms |",
        t.elapsed().as_secs_f64() * 1000.0,
        percentile(&mut filter_frames, 0.5),
        percentile(&mut filter_frames, 1.0)
    ));
    lines
}

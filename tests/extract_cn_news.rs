//! Chinese news pages from ~30 sites (tests/fixtures/cn-news, see its
//! SOURCES.md): title, date, time, author and site name against the
//! hand-checked truth in `expected.json`, scored per field.
//!
//! `cargo test --test extract_cn_news -- --nocapture` prints the table and
//! every miss. Conventions (from the corpus's SOURCES.md): a title or site
//! matches when equal with every run of whitespace read as one space (Folio
//! collapses whitespace); a date matches on its calendar date as the page
//! prints it; a time on its wall-clock `HH:MM`; an author when the set of
//! names is the same (Folio's byline split at spaces, `、`, `,`, `/`). A page
//! whose truth has no date or author must get none: one that gets one
//! counts as invented.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

mod common;

use std::collections::BTreeSet;

use folio::model::{Article, blocks_text};
use serde_json::Value;

/// Every run of Unicode whitespace as one space, ends trimmed.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn names(s: &str) -> BTreeSet<String> {
    s.split(|c: char| c.is_whitespace() || "、,，/／;；".contains(c))
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Per-field counts over the corpus.
#[derive(Default)]
struct Scores {
    pages: usize,
    title: usize,
    dated: usize,
    date: usize,
    date_invented: usize,
    timed: usize,
    time: usize,
    authored: usize,
    author: usize,
    author_invented: usize,
    site: usize,
    first_para: usize,
    last_para: usize,
}

fn pct(n: usize, of: usize) -> f64 {
    if of == 0 {
        100.0
    } else {
        n as f64 * 100.0 / of as f64
    }
}

fn score(name: &str, want: &Value, got: &Article, s: &mut Scores, misses: &mut Vec<String>) {
    let want_str = |k: &str| want.get(k).and_then(Value::as_str).map(norm);
    let mut miss = |field: &str, w: Option<String>, g: Option<String>| {
        misses.push(format!("{name:38} {field:7} want {w:?} got {g:?}"));
    };
    s.pages += 1;
    let title = want_str("title").unwrap();
    if norm(&got.title) == title {
        s.title += 1;
    } else {
        miss("title", Some(title), Some(got.title.clone()));
    }
    let got_date = got.published.as_deref().and_then(|d| d.get(..10));
    match want_str("published") {
        Some(date) => {
            s.dated += 1;
            if got_date == Some(date.as_str()) {
                s.date += 1;
            } else {
                miss("date", Some(date), got.published.clone());
            }
        }
        None if got_date.is_some() => {
            s.date_invented += 1;
            miss("date", None, got.published.clone());
        }
        None => {}
    }
    if let Some(time) = want_str("published_time") {
        s.timed += 1;
        let got_time = got.published.as_deref().and_then(|d| d.get(11..16));
        if got_time == Some(time.as_str()) {
            s.time += 1;
        } else {
            miss("time", Some(time), got.published.clone());
        }
    }
    match want_str("author") {
        Some(author) => {
            s.authored += 1;
            if got.byline.as_deref().map(names) == Some(names(&author)) {
                s.author += 1;
            } else {
                miss("author", Some(author), got.byline.clone());
            }
        }
        None if got.byline.is_some() => {
            s.author_invented += 1;
            miss("author", None, got.byline.clone());
        }
        None => {}
    }
    let site = want_str("site").unwrap();
    if got.site.as_deref().map(norm).as_deref() == Some(site.as_str()) {
        s.site += 1;
    } else {
        miss("site", Some(site), got.site.clone());
    }
    let body = norm(&blocks_text(&got.blocks));
    for (key, count) in [
        ("first_paragraph", &mut s.first_para),
        ("last_paragraph", &mut s.last_para),
    ] {
        if let Some(p) = want_str(key) {
            if body.contains(&p) {
                *count += 1;
            } else {
                misses.push(format!("{name:38} {key} not in the body: {p:?}"));
            }
        }
    }
}

fn run() -> Scores {
    let root = common::fixtures().join("cn-news");
    let truth: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(root.join("expected.json")).unwrap())
            .unwrap();
    let mut s = Scores::default();
    let mut misses = Vec::new();
    for (name, want) in &truth {
        let got = common::extract_file(&root.join(name));
        score(name, want, &got, &mut s, &mut misses);
    }
    for m in &misses {
        eprintln!("{m}");
    }
    eprintln!(
        "cn-news: {} pages | title {:.1}% | date {:.1}% of {} ({} invented) | time {:.1}% of {} | \
         author {:.1}% of {} ({} invented) | site {:.1}% | first paragraph {:.1}% | last paragraph {:.1}%",
        s.pages,
        pct(s.title, s.pages),
        pct(s.date, s.dated),
        s.dated,
        s.date_invented,
        pct(s.time, s.timed),
        s.timed,
        pct(s.author, s.authored),
        s.authored,
        s.author_invented,
        pct(s.site, s.pages),
        pct(s.first_para, s.pages),
        pct(s.last_para, s.pages),
    );
    s
}

#[test]
fn chinese_news_metadata_meets_the_targets() {
    let s = run();
    assert_eq!(s.pages, 35, "the corpus has 35 pages");
    assert!(pct(s.title, s.pages) >= 95.0, "title below 95%");
    assert!(pct(s.date, s.dated) >= 95.0, "date below 95%");
    assert_eq!(s.date_invented, 0, "a date was invented");
    assert!(pct(s.author, s.authored) >= 90.0, "author below 90%");
    assert_eq!(s.author_invented, 0, "an author was invented");
    assert!(pct(s.site, s.pages) >= 90.0, "site below 90%");
}

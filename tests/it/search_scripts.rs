//! Simplified and Traditional Chinese, and full-width forms, found by each
//! other (issue 15), run as a user would: `folio import` then
//! `folio search … --json` on real pages. The assertions name the article
//! (by title), not details of its extracted body.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The Traditional Big5 Epoch Times page (title 神韻音樂直觸心靈 …).
const BIG5: &str = "formats/charset/m-epoch.big5.html";
/// A Traditional Taiwanese blog page (title 新竹尖石_美樹營地賞楓 …).
const PIXNET: &str = "readability/pixnet/source.html";
/// A Simplified Sound of Hope page (title 因网上出售境外宗教书籍 张小麦被判刑7年).
const SOH: &str = "scripts/soh-soh5-428287.md";

fn fixture(rel: &str) -> PathBuf {
    common::fixtures().join(rel)
}

/// A library in `dir` with the three pages imported.
fn library(dir: &Path) -> PathBuf {
    let library = dir.join("lib.folio");
    let mut args = vec!["import".to_owned()];
    for rel in [BIG5, PIXNET, SOH] {
        args.push(fixture(rel).to_string_lossy().into_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::folio_on(&library, &args);
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    library
}

fn search(library: &Path, query: &str) -> Vec<Value> {
    let out = common::folio_on(library, &["search", query, "--json"]);
    assert!(
        out.status.success(),
        "search {query}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn titles(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The snippet's marked text, as a JSON reader cuts it (character ranges).
fn marked(hit: &Value) -> Vec<String> {
    let chars: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (a, b) = (r[0].as_u64().unwrap(), r[1].as_u64().unwrap());
            chars[a as usize..b as usize].iter().collect()
        })
        .collect()
}

#[test]
fn simplified_queries_find_traditional_pages_and_traditional_queries_simplified_ones() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path());
    for (query, title) in [
        // Simplified → the Traditional Big5 page.
        ("神韵音乐", "神韻音樂直觸心靈"),
        ("神韻音樂", "神韻音樂直觸心靈"),
        ("安全局官员", "神韻音樂直觸心靈"),
        // Simplified → the Traditional Taiwanese page.
        ("美树营地赏枫", "美樹營地賞楓"),
        // Traditional → the Simplified Sound of Hope page.
        ("境外宗教書籍", "因网上出售境外宗教书籍"),
        ("張小麥", "因网上出售境外宗教书籍"),
        // Full-width digits fold as NFKC does.
        ("被判刑７年", "因网上出售境外宗教书籍"),
    ] {
        let hits = search(&lib, query);
        let found = titles(&hits);
        assert_eq!(found.len(), 1, "{query}: {found:?}");
        assert!(found[0].contains(title), "{query}: {found:?}");
    }
}

#[test]
fn snippets_mark_the_original_characters_whichever_script_the_query_used() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path());
    let hits = search(&lib, "神韵");
    assert_eq!(hits.len(), 1, "{:?}", titles(&hits));
    assert!(marked(&hits[0]).iter().any(|m| m == "神韻"), "{}", hits[0]);
    let hits = search(&lib, "張小麥");
    assert_eq!(hits.len(), 1);
    assert!(
        marked(&hits[0]).iter().any(|m| m == "张小麦"),
        "{}",
        hits[0]
    );
}

#[test]
fn exact_searches_one_script_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path());
    assert_eq!(titles(&search(&lib, "exact:神韵")).len(), 0);
    let found = titles(&search(&lib, "exact:神韻"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("神韻音樂直觸心靈"));
    assert_eq!(titles(&search(&lib, "exact:張小麥")).len(), 0);
    assert_eq!(titles(&search(&lib, "exact:张小麦")).len(), 1);
}

/// `exact:` finds text written in one script in a highlight comment too,
/// even when the article's own text has the other script only; an article
/// whose comment is in the other script is not found.
#[test]
fn exact_finds_a_highlight_comment_in_its_script() {
    let mut lib = folio::library::Library::open_in_memory().unwrap();
    let mut ids = Vec::new();
    for (i, (body, comment)) in [
        ("神韵演出", "神韻：原文"),
        ("神韵演出二", "神韵：简体"),
        ("神韵演出三", ""),
    ]
    .into_iter()
    .enumerate()
    {
        let article = folio::model::Article {
            title: format!("演出 {i}"),
            blocks: vec![common::para(body)],
            ..folio::model::Article::default()
        };
        let id = lib
            .store_article(
                &common::source(&format!("{i}.html"), "<html></html>"),
                &article,
                folio::library::ImportMode::SkipDuplicates,
            )
            .unwrap()
            .id();
        if !comment.is_empty() {
            lib.add_highlight(id, 0..2, folio::library::Colour::Yellow, comment)
                .unwrap();
        }
        ids.push(id);
    }
    let found: Vec<_> = lib
        .search("exact:神韻", 10, 0)
        .unwrap()
        .iter()
        .map(|h| h.summary.id)
        .collect();
    assert_eq!(found, vec![ids[0]]);
    assert_eq!(lib.count(Some("exact:神韻")).unwrap(), 1);
    assert_eq!(lib.count(Some("exact:神韵")).unwrap(), 3);
}

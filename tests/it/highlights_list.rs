//! `folio highlights` over the whole library (issue 26): Markdown with each
//! quote's citation in the chosen or given style, a query narrowing the
//! list, orders, JSON-LD annotations, and the article ids it always took.

use std::path::{Path, PathBuf};

use crate::common;
use folio::library::{ArticleId, Colour, ImportMode, ImportOptions, Library};
use folio::model::Article;

const HARBOUR_1: &str = "The harbour board met on Tuesday to discuss the new breakwater.";
const HARBOUR_2: &str = "Members of the committee raised concerns about the cost.";

fn harbour(paragraphs: &[&str]) -> Article {
    Article {
        title: "Harbour board".into(),
        url: Some("https://example.com/harbour".into()),
        blocks: paragraphs.iter().map(|p| common::para(p)).collect(),
        ..Article::default()
    }
}

fn highlight(lib: &mut Library, id: ArticleId, quote: &str, colour: Colour, comment: &str) {
    let text = lib.canonical_text(id).unwrap().text;
    let byte = text.find(quote).unwrap_or_else(|| panic!("{quote}"));
    let start = text[..byte].chars().count();
    lib.add_highlight(id, start..start + quote.chars().count(), colour, comment)
        .unwrap();
}

/// A library with the seed (highlighted `售后`, commented) and the
/// harbour article (highlighted twice, then updated so the first is an
/// orphan). Returns its path and the two ids (seed, harbour).
fn library(dir: &Path) -> (PathBuf, ArticleId, ArticleId) {
    let path = dir.join("lib.folio");
    let mut lib = Library::open(&path).unwrap();
    let seed = lib
        .import_paths(
            &[common::seed_path()],
            &ImportOptions::default(),
            &|_| {},
            &Default::default(),
        )
        .unwrap()
        .ids[0];
    let source = common::source("harbour.html", "<html>harbour</html>");
    let harbour_id = lib
        .store_article(
            &source,
            &harbour(&[HARBOUR_1, HARBOUR_2]),
            ImportMode::Update,
        )
        .unwrap()
        .id();
    highlight(
        &mut lib,
        harbour_id,
        "discuss the new breakwater",
        Colour::Pink,
        "gone soon",
    );
    highlight(&mut lib, harbour_id, "raised concerns", Colour::Green, "");
    highlight(&mut lib, seed, "售后", Colour::Yellow, "the policy itself");
    lib.store_article(
        &source,
        &harbour(&["An editor's note.", HARBOUR_2]),
        ImportMode::Update,
    )
    .unwrap();
    (path, seed, harbour_id)
}

fn run(path: &Path, args: &[&str]) -> String {
    let out = common::folio_on(path, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The article's citation as `folio cite` prints it, on one line.
fn citation(path: &Path, id: ArticleId, style: Option<&str>) -> String {
    let id = id.to_string();
    let mut args = vec!["cite", id.as_str()];
    if let Some(style) = style {
        args.extend(["--style", style]);
    }
    run(path, &args)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn markdown_quotes_each_highlight_with_its_comment_and_citation() {
    let dir = tempfile::tempdir().unwrap();
    let (path, seed, harbour) = library(dir.path());
    let out = run(&path, &["highlights", "--format", "markdown"]);
    let seed_cite = citation(&path, seed, None);
    let harbour_cite = citation(&path, harbour, None);
    assert!(seed_cite.contains("小米11系列屡曝质量问题"), "{seed_cite}");
    // By article (newest publication first: the seed is dated, the
    // harbour article not), each article's orphans after its other highlights.
    assert_eq!(
        out,
        format!(
            "> 售后\n\nthe policy itself\n\n— {seed_cite}\n\
             \n> raised concerns\n\n— {harbour_cite}\n\
             \n> discuss the new breakwater\n\n\
             *Its passage is no longer in the article.*\n\ngone soon\n\n— {harbour_cite}\n"
        )
    );
    // Another style, given by name.
    let mla = run(
        &path,
        &[
            "highlights",
            "--format",
            "markdown",
            "--style",
            "mla",
            "小米",
        ],
    );
    let seed_mla = citation(&path, seed, Some("mla"));
    assert_ne!(seed_mla, seed_cite);
    assert_eq!(
        mla,
        format!("> 售后\n\nthe policy itself\n\n— {seed_mla}\n")
    );
    let bad = common::folio_on(
        &path,
        &["highlights", "--format", "markdown", "--style", "nope"],
    );
    assert!(!bad.status.success());
}

#[test]
fn a_query_narrows_the_highlights_and_orders_apply() {
    let dir = tempfile::tempdir().unwrap();
    let (path, seed, harbour) = library(dir.path());
    // The normal query language: words, and filters.
    let json: serde_json::Value = serde_json::from_str(&run(
        &path,
        &["highlights", "--format", "json", "committee"],
    ))
    .unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 2, "{json}");
    assert!(list.iter().all(|a| a["article_id"] == harbour.0
        && a["type"] == "Annotation"
        && a["target"]["source"] == "https://example.com/harbour"));
    let text = run(&path, &["highlights", "site:epochtimes.com"]);
    assert!(
        text.contains("售后") && !text.contains("raised concerns"),
        "{text}"
    );
    // Newest first: the seed's highlight was made last; by colour: yellow,
    // green, … (the menu's order).
    let newest = run(&path, &["highlights", "--sort", "newest"]);
    assert!(newest.lines().next().unwrap().contains("售后"), "{newest}");
    let by_colour = run(&path, &["highlights", "--sort", "colour", "--json"]);
    let by_colour: serde_json::Value = serde_json::from_str(&by_colour).unwrap();
    let colours: Vec<&str> = by_colour
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["colour"].as_str().unwrap())
        .collect();
    assert_eq!(colours, ["yellow", "green", "pink"]);
    // Numbers alone are still article ids.
    let ids = run(&path, &["highlights", &seed.to_string(), "--json"]);
    let ids: serde_json::Value = serde_json::from_str(&ids).unwrap();
    assert_eq!(ids.as_array().unwrap().len(), 1);
    let missing = common::folio_on(&path, &["highlights", "99999"]);
    assert!(!missing.status.success());
    // A query matching nothing prints nothing.
    assert_eq!(
        run(&path, &["highlights", "--format", "markdown", "zzzyxq"]),
        ""
    );
}

//! Highlights: re-anchoring over changed canonical text (a table of edits),
//! storage in the library, re-anchoring on re-extraction, import --update and
//! merge, search in comments, and exports.
//!
//! Long because: one subject's tests with the helpers they share; split
//! by subject, not by size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::sync::Arc;

use folio::model::anchor::{Anchor, How, Selectors, reanchor};
use folio::model::canonical::CanonicalText;

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

const BASE: &str = "The harbour board met on Tuesday to discuss the new breakwater. \
Members of the committee raised concerns about the cost, which has doubled since the \
original estimate in 2019.\n\nThe committee will report to the council in March. \
Residents who spoke at the meeting asked for the breakwater to be finished before winter \
storms arrive, and several fishermen described damage to their boats last year.\n\n\
Harbour master Ann Kerr said the works would not close the harbour entrance at any time.";

/// What re-anchoring should find: the text under the new range, and how.
#[derive(Debug, PartialEq)]
enum Want {
    At(&'static str, &'static str),
    Orphan,
}

fn how_name(how: How) -> &'static str {
    match how {
        How::Position => "position",
        How::ExactQuote => "exact",
        How::Fuzzy { .. } => "fuzzy",
    }
}

/// Highlight the `nth` occurrence of `quote` in `old`, re-anchor in `new`.
fn run(old: &str, quote: &str, nth: usize, new: &str) -> Want {
    let old_chars = chars(old);
    let byte = old
        .match_indices(quote)
        .nth(nth)
        .unwrap_or_else(|| panic!("{quote:?} #{nth} not in the old text"))
        .0;
    let start = old[..byte].chars().count();
    let sel = Selectors::from_range(&old_chars, start..start + quote.chars().count());
    let new_chars = chars(new);
    match reanchor(&sel, &new_chars) {
        Anchor::Orphan => Want::Orphan,
        Anchor::Anchored { start, end, how } => {
            let found: String = new_chars[start..end].iter().collect();
            Want::At(Box::leak(found.into_boxed_str()), how_name(how))
        }
    }
}

#[test]
fn reanchoring_table() {
    let quote = "raised concerns about the cost";
    let inserted = BASE.replace(
        "The harbour board",
        "A new opening paragraph about something else entirely.\n\nThe harbour board",
    );
    let edited = BASE.replace(
        "raised concerns about the cost",
        "raised serious concerns about its cost",
    );
    let deleted = BASE.replace(
        "Members of the committee raised concerns about the cost, which has doubled since the \
         original estimate in 2019.",
        "",
    );
    // "committee" occurs twice; one more is inserted before both; the
    // highlighted second one is found (which one: see the test below).
    let repeated = BASE.replace("Members of", "The committee chair spoke first. Members of");
    let whitespace = BASE.replace("the cost, which", "the  cost,\nwhich");
    let cjk_old = "市场监管部门表示，将对小米\n手机的售后政策进行调查，并要求企业在十日内作出说明。另外，消费者协会也收到了大量投诉。";
    let cjk_new = "市场监管部门表示，将对小米手机的售后政策进行调查，并要求企业在十日内作出说明。另外，消费者协会也收到了大量投诉。";
    let wednesday = BASE.replace("on Tuesday", "on Wednesday");
    let tuesday_elsewhere = BASE
        .replace(
            "The harbour board met on Tuesday to discuss the new breakwater. ",
            "",
        )
        .replace("boats last year", "boats, fishermen said on Tuesday");
    let short_moved =
        "Harbour master Ann Kerr said the works would not close. Elsewhere: the cost.";
    let cases: Vec<(&str, &str, &str, usize, &str, Want)> = vec![
        (
            "unchanged",
            BASE,
            quote,
            0,
            BASE,
            Want::At(quote, "position"),
        ),
        (
            "a paragraph inserted before",
            BASE,
            quote,
            0,
            &inserted,
            Want::At(quote, "exact"),
        ),
        (
            "words edited inside the quote",
            BASE,
            quote,
            0,
            &edited,
            Want::At("raised serious concerns about its cost", "fuzzy"),
        ),
        (
            "the quoted text deleted",
            BASE,
            quote,
            0,
            &deleted,
            Want::Orphan,
        ),
        (
            "the quote repeated: the second occurrence, text inserted between",
            BASE,
            "committee",
            1,
            &repeated,
            Want::At("committee", "exact"),
        ),
        (
            "whitespace changed inside the quote",
            BASE,
            "about the cost, which has doubled",
            0,
            &whitespace,
            Want::At("about the  cost,\nwhich has doubled", "fuzzy"),
        ),
        (
            "a CJK line break removed",
            cjk_old,
            "将对小米\n手机的售后政策进行调查",
            0,
            cjk_new,
            Want::At("将对小米手机的售后政策进行调查", "fuzzy"),
        ),
        (
            "a one-word quote replaced by another word: an orphan, not its last letters",
            BASE,
            "Tuesday",
            0,
            &wednesday,
            Want::Orphan,
        ),
        (
            "a short quote deleted, the same word elsewhere: not moved onto it",
            BASE,
            "Tuesday",
            0,
            &tuesday_elsewhere,
            Want::Orphan,
        ),
        (
            "a short quote whose context is gone entirely",
            BASE,
            "the cost",
            0,
            short_moved,
            Want::Orphan,
        ),
    ];
    for (name, old, quote, nth, new, want) in cases {
        assert_eq!(run(old, quote, nth, new), want, "{name}");
    }
}

#[test]
fn the_repeated_quote_lands_on_the_right_occurrence() {
    // Both "The committee" of the repeated text are exact; the context picks
    // the one that was highlighted, not the first or the nearest.
    let old = "Intro text here.\n\nFirst: the committee met at noon on Monday.\n\n\
               Second: the committee met at dawn on Friday.";
    let new = "Inserted paragraph: the committee met, pushing everything along.\n\n\
               Intro text here.\n\nFirst: the committee met at noon on Monday.\n\n\
               Between: the committee met again.\n\n\
               Second: the committee met at dawn on Friday.";
    let old_chars = chars(old);
    let byte = old.rfind("the committee").unwrap_or(0);
    let start = old[..byte].chars().count();
    let sel = Selectors::from_range(&old_chars, start..start + 13);
    let new_chars = chars(new);
    let Anchor::Anchored { start, .. } = reanchor(&sel, &new_chars) else {
        panic!("orphaned");
    };
    let want = new[..new.rfind("the committee").unwrap_or(0)]
        .chars()
        .count();
    assert_eq!(start, want);
}

#[test]
fn a_whole_new_extraction_of_the_seed_keeps_its_highlights() {
    let path = common::seed_path();
    let bytes = std::fs::read(&path).unwrap();
    let old = folio::extract::extract(&folio::read::read_path(&path).unwrap());
    let old_text = CanonicalText::new(&old.blocks);
    // The page changed: a paragraph added at the top of the body, a word
    // changed in the first paragraph.
    let changed = String::from_utf8(bytes)
        .unwrap()
        .replacen(
            "<!-- article content begin -->",
            "<!-- article content begin -->\n <p>编者按：本文于发表后有所更新，增加了一段说明。</p>",
            1,
        )
        .replacen("9月20日晚", "9月20日夜间", 1);
    let source = folio::read::read_bytes(
        &path,
        "000_2ed360ca1ed3b761.txt",
        Arc::from(changed.into_bytes().into_boxed_slice()),
    )
    .unwrap();
    let new = folio::extract::extract(&source);
    let new_text = CanonicalText::new(&new.blocks);
    assert_ne!(old_text.text, new_text.text);
    let old_chars = old_text.chars();
    let new_chars = new_text.chars();
    for (quote, want, how) in [
        ("总阅读量达近2.5亿人次", "总阅读量达近2.5亿人次", "exact"),
        (
            "9月20日晚，“维修店称小米11系列近5成都有问题”",
            "9月20日夜间，“维修店称小米11系列近5成都有问题”",
            "fuzzy",
        ),
        (
            "图为小米手机在北京的一家服务中心。",
            "图为小米手机在北京的一家服务中心。",
            "position",
        ),
    ] {
        let byte = old_text
            .text
            .find(quote)
            .unwrap_or_else(|| panic!("{quote}"));
        let start = old_text.text[..byte].chars().count();
        let sel = Selectors::from_range(&old_chars, start..start + quote.chars().count());
        match reanchor(&sel, &new_chars) {
            Anchor::Anchored { start, end, how: h } => {
                assert_eq!(new_text.slice(start..end), want);
                assert_eq!(how_name(h), how, "{quote}");
            }
            Anchor::Orphan => panic!("{quote} orphaned"),
        }
    }
}

// ---- the library --------------------------------------------------------

use std::sync::atomic::AtomicBool;

use folio::library::{Colour, ImportMode, Library, LibraryError, MatchedIn, StoreOutcome};
use folio::model::Article;

fn harbour(paragraphs: &[&str]) -> Article {
    Article {
        title: "Harbour board".into(),
        url: Some("https://example.com/harbour".into()),
        blocks: paragraphs.iter().map(|p| common::para(p)).collect(),
        ..Article::default()
    }
}

const P1: &str = "The harbour board met on Tuesday to discuss the new breakwater.";
const P2: &str = "Members of the committee raised concerns about the cost, which has doubled \
                  since the original estimate in 2019.";
const P3: &str = "市场监管部门表示，将对小米手机的售后政策进行调查，并要求企业在十日内作出说明。";

/// The char range of `quote` in the article's canonical text.
fn range_of(lib: &Library, id: folio::library::ArticleId, quote: &str) -> std::ops::Range<usize> {
    let text = lib.canonical_text(id).unwrap();
    let byte = text.text.find(quote).unwrap_or_else(|| panic!("{quote}"));
    let start = text.text[..byte].chars().count();
    start..start + quote.chars().count()
}

fn store_update(lib: &mut Library, a: &Article) -> StoreOutcome {
    lib.store_article(
        &common::source("harbour.html", "<html>harbour</html>"),
        a,
        ImportMode::Update,
    )
    .unwrap()
}

#[test]
fn highlights_are_stored_commented_searched_and_deleted_with_undo() {
    let mut lib = Library::open_in_memory().unwrap();
    let id = store_update(&mut lib, &harbour(&[P1, P2, P3])).id();
    let r = range_of(&lib, id, "raised concerns about the cost");
    let h = lib
        .add_highlight(id, r.clone(), Colour::Green, "cost overrun")
        .unwrap();
    assert_eq!(h.quote.exact, "raised concerns about the cost");
    assert_eq!(h.quote.prefix.chars().count(), 32);
    assert_eq!(h.quote.suffix.chars().count(), 32);
    assert_eq!((h.position.start, h.position.end), (r.start, r.end));
    assert_eq!(h.block_hint.as_deref(), Some("1"));
    assert!(!h.orphan);
    let zh = lib
        .add_highlight(
            id,
            range_of(&lib, id, "售后政策"),
            Colour::Pink,
            "售后新政的评论",
        )
        .unwrap();

    // Comments are searched like bodies (Chinese exact), and the hit says where.
    let hits = lib.search("overrun", 10, 0).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].matched_in, Some(MatchedIn::HighlightComment));
    assert_eq!(lib.search("新政", 10, 0).unwrap().len(), 1);
    assert!(lib.search("政的评", 10, 0).unwrap().len() == 1);
    assert!(lib.search("新评", 10, 0).unwrap().is_empty());
    assert_eq!(
        lib.search("breakwater", 10, 0).unwrap()[0].matched_in,
        Some(MatchedIn::Body)
    );
    lib.set_note(id, "a note about dredging").unwrap();
    assert_eq!(
        lib.search("dredging", 10, 0).unwrap()[0].matched_in,
        Some(MatchedIn::Note)
    );
    // has: filters.
    let mut other = harbour(&["Another article entirely, no highlights."]);
    other.url = Some("https://example.com/other".into());
    let other = store_update(&mut lib, &other).id();
    assert_ne!(other, id);
    let list = |q: &str| -> Vec<i64> {
        lib.list(Some(q), folio::library::Sort::Date, 10, 0)
            .unwrap()
            .iter()
            .map(|s| s.id.0)
            .collect()
    };
    assert_eq!(list("has:highlights"), [id.0]);
    assert_eq!(list("has:note"), [id.0]);
    assert_eq!(list("-has:highlights"), [other.0]);
    assert!(matches!(
        lib.list(Some("has:pictures"), folio::library::Sort::Date, 10, 0),
        Err(LibraryError::Query(m)) if m.contains("highlights, note or versions")
    ));

    // Colour, comment, delete with undo.
    assert_eq!(
        "Purple".parse::<Colour>().unwrap(),
        Colour::Purple,
        "colour names are case-insensitive"
    );
    let err = "mauve".parse::<Colour>().unwrap_err();
    assert!(
        err.to_string().contains("yellow, green, blue, pink"),
        "{err}"
    );
    lib.set_highlight_colour(h.id, Colour::Blue).unwrap();
    let old = lib.set_highlight_comment(h.id, "too expensive").unwrap();
    assert_eq!(old.comment, "cost overrun");
    assert!(lib.search("overrun", 10, 0).unwrap().is_empty());
    assert_eq!(lib.search("expensive", 10, 0).unwrap().len(), 1);
    let deleted = lib.delete_highlight(zh.id).unwrap();
    assert!(lib.search("新政", 10, 0).unwrap().is_empty());
    assert!(matches!(
        lib.highlight(zh.id),
        Err(LibraryError::NoSuchHighlight(_))
    ));
    assert_eq!(lib.restore_highlight(&deleted).unwrap(), zh.id);
    assert_eq!(lib.highlight(zh.id).unwrap(), deleted);
    assert_eq!(lib.search("新政", 10, 0).unwrap().len(), 1);
    let all = lib.highlights(Some(&[id])).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].colour, Colour::Blue);
    assert!(lib.check().unwrap().is_empty(), "{:?}", lib.check());

    // Bad ranges are refused with a clear message.
    for bad in [5..5, 0..100_000] {
        let err = lib.add_highlight(id, bad, Colour::Yellow, "").unwrap_err();
        assert!(err.to_string().contains("must hold text"), "{err}");
    }
}

#[test]
fn import_update_reanchors_and_keeps_orphans() {
    let mut lib = Library::open_in_memory().unwrap();
    let id = store_update(&mut lib, &harbour(&[P1, P2, P3])).id();
    let cost = lib
        .add_highlight(
            id,
            range_of(&lib, id, "raised concerns about the cost"),
            Colour::Yellow,
            "",
        )
        .unwrap();
    let gone = lib
        .add_highlight(
            id,
            range_of(&lib, id, "discuss the new breakwater"),
            Colour::Green,
            "keep me",
        )
        .unwrap();
    // The page changed: a paragraph before, the first paragraph deleted.
    let new = harbour(&["An editor's note added at the top.", P2, P3]);
    assert!(matches!(store_update(&mut lib, &new), StoreOutcome::Updated(i) if i == id));
    let cost = lib.highlight(cost.id).unwrap();
    assert!(!cost.orphan);
    let text = lib.canonical_text(id).unwrap();
    assert_eq!(
        text.slice(cost.position.start..cost.position.end),
        "raised concerns about the cost"
    );
    let gone = lib.highlight(gone.id).unwrap();
    assert!(gone.orphan, "the quoted text was deleted");
    assert_eq!(gone.quote.exact, "discuss the new breakwater");
    assert_eq!(gone.comment, "keep me");
    let stats = lib.stats().unwrap();
    assert_eq!((stats.highlights, stats.orphans), (2, 1));
    // The text comes back: the orphan is found again.
    store_update(&mut lib, &harbour(&[P1, P2, P3]));
    assert!(!lib.highlight(gone.id).unwrap().orphan);
    assert_eq!(lib.stats().unwrap().orphans, 0);
    // An orphan can be re-attached by hand.
    store_update(&mut lib, &harbour(&[P2, P3]));
    assert!(lib.highlight(gone.id).unwrap().orphan);
    lib.reattach_highlight(gone.id, range_of(&lib, id, "Members of the committee"))
        .unwrap();
    let h = lib.highlight(gone.id).unwrap();
    assert!(!h.orphan);
    assert_eq!(h.quote.exact, "Members of the committee");
    assert_eq!(h.comment, "keep me");
}

#[test]
fn reextract_reanchors_highlights_of_the_seed() {
    let mut lib = Library::open_in_memory().unwrap();
    let source = folio::read::read_path(&common::seed_path()).unwrap();
    let mut article = folio::extract::extract(&source);
    let real = article.clone();
    // As if stored by an older extractor: a stray paragraph at the top.
    article
        .blocks
        .insert(0, common::para("分享到：脸书 推特 电邮 打印"));
    let id = lib
        .store_article(&source, &article, ImportMode::SkipDuplicates)
        .unwrap()
        .id();
    let quote = "总阅读量达近2.5亿人次";
    let h = lib
        .add_highlight(id, range_of(&lib, id, quote), Colour::Yellow, "")
        .unwrap();
    let stray = lib
        .add_highlight(id, range_of(&lib, id, "脸书 推特"), Colour::Yellow, "")
        .unwrap();
    let cancel = AtomicBool::new(false);
    lib.reextract(Some(&[id]), &|_| {}, &cancel).unwrap();
    assert_eq!(lib.article(id).unwrap().article.blocks, real.blocks);
    let h = lib.highlight(h.id).unwrap();
    let text = lib.canonical_text(id).unwrap();
    assert!(!h.orphan);
    assert_eq!(text.slice(h.position.start..h.position.end), quote);
    assert!(lib.highlight(stray.id).unwrap().orphan);
}

#[test]
fn sqlite_export_and_merge_carry_highlights_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Library::open(&dir.path().join("a.folio")).unwrap();
    let id = store_update(&mut a, &harbour(&[P1, P2, P3])).id();
    a.add_highlight(
        id,
        range_of(&a, id, "raised concerns"),
        Colour::Pink,
        "注释文字",
    )
    .unwrap();
    // Plain SQL sees the count in the overview view.
    let conn = rusqlite::Connection::open(dir.path().join("a.folio")).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT highlights FROM article_overview WHERE id = ?1",
            [id.0],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
    drop(conn);
    let cancel = AtomicBool::new(false);
    let out = dir.path().join("export.folio");
    folio::export::export_sqlite(
        &a,
        &folio::library::ExportJob {
            ids: &[id],
            out: &out,
            overwrite: false,
            progress: &|_| {},
            cancel: &cancel,
        },
    )
    .unwrap();
    let exported = Library::open(&out).unwrap();
    let got = exported.highlights(None).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].comment, "注释文字");
    assert_eq!(exported.search("注释", 10, 0).unwrap().len(), 1);
    drop(exported);

    // B has the same article with an extra paragraph first: merged
    // highlights are re-anchored in B's body, once.
    let mut b = Library::open(&dir.path().join("b.folio")).unwrap();
    let bid = store_update(&mut b, &harbour(&["Added in B.", P1, P2, P3])).id();
    let report = b.merge_from(&out, &|_| {}, &cancel).unwrap();
    assert_eq!(report.highlights_added, 1);
    let again = b.merge_from(&out, &|_| {}, &cancel).unwrap();
    assert_eq!(again.highlights_added, 0);
    let hs = b.highlights(Some(&[bid])).unwrap();
    assert_eq!(hs.len(), 1);
    let text = b.canonical_text(bid).unwrap();
    assert_eq!(
        text.slice(hs[0].position.start..hs[0].position.end),
        "raised concerns"
    );
    assert_eq!(b.search("注释", 10, 0).unwrap().len(), 1);
    assert!(b.check().unwrap().is_empty());
}

// ---- the command line and exports ------------------------------------------

fn folio(lib: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--library")
        .arg(lib)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_highlights_add_comment_list_as_web_annotations_and_remove() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.folio");
    let mut lib = Library::open(&path).unwrap();
    let id = store_update(&mut lib, &harbour(&[P1, P2, P3])).id();
    drop(lib);
    let id_s = id.0.to_string();

    let (code, out, err) = folio(
        &path,
        &[
            "highlight",
            "add",
            &id_s,
            "--quote",
            "售后政策",
            "--colour",
            "pink",
            "--comment",
            "要跟进",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let hid: i64 = out
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("not an id: {out:?}"));

    // "the" occurs many times: ambiguous without --occurrence.
    let (code, _, err) = folio(&path, &["highlight", "add", &id_s, "--quote", "the c"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("occurs 2 times") && err.contains("--occurrence"),
        "{err}"
    );
    let (code, out, err) = folio(
        &path,
        &[
            "highlight",
            "add",
            &id_s,
            "--quote",
            "the c",
            "--occurrence",
            "2",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let second: i64 = out.trim().parse().unwrap();
    let (code, _, err) = folio(
        &path,
        &["highlight", "add", &id_s, "--quote", "no such words"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("is not in article"), "{err}");
    let (code, _, err) = folio(
        &path,
        &[
            "highlight",
            "add",
            &id_s,
            "--quote",
            "cost",
            "--colour",
            "mauve",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("no highlight colour \"mauve\""), "{err}");

    let (code, _, err) = folio(
        &path,
        &[
            "highlight",
            "comment",
            &second.to_string(),
            "dredging costs",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = folio(&path, &["search", "dredging"]);
    assert!(out.contains("[highlight comment]"), "{out}");

    let (code, out, err) = folio(&path, &["highlights", &id_s, "--json"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let second_json = list.iter().find(|a| a["highlight_id"] == second).unwrap();
    assert_eq!(second_json["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(second_json["type"], "Annotation");
    assert_eq!(
        second_json["target"]["source"],
        "https://example.com/harbour"
    );
    assert_eq!(
        second_json["target"]["selector"][0]["type"],
        "TextQuoteSelector"
    );
    assert_eq!(second_json["target"]["selector"][0]["exact"], "the c");
    assert_eq!(
        second_json["target"]["selector"][1]["type"],
        "TextPositionSelector"
    );
    assert_eq!(second_json["body"]["type"], "TextualBody");
    assert_eq!(second_json["body"]["value"], "dredging costs");
    assert_eq!(second_json["colour"], "yellow");
    assert_eq!(second_json["article_id"], id.0);
    assert_eq!(second_json["orphan"], false);
    // Its position really is the second "the c".
    let text = Library::open(&path).unwrap().canonical_text(id).unwrap();
    let start = second_json["target"]["selector"][1]["start"]
        .as_u64()
        .unwrap() as usize;
    assert_eq!(text.slice(start - 6..start + 8), "about the cost");

    let (_, out, _) = folio(&path, &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(stats["highlights"], 2);
    assert_eq!(stats["orphaned_highlights"], 0);

    let (code, out, _) = folio(&path, &["highlight", "rm", &hid.to_string()]);
    assert_eq!(code, 0);
    assert!(out.contains(&format!("deleted highlight {hid}")), "{out}");
    let (code, _, err) = folio(&path, &["highlight", "rm", &hid.to_string()]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("no highlight with id {hid}")),
        "{err}"
    );
    let (_, out, _) = folio(&path, &["highlights"]);
    assert_eq!(
        out.lines().count(),
        2,
        "one highlight and its comment: {out}"
    );
}

#[test]
fn check_and_stats_count_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.folio");
    let mut lib = Library::open(&path).unwrap();
    let id = store_update(&mut lib, &harbour(&[P1, P2, P3])).id();
    lib.add_highlight(
        id,
        range_of(&lib, id, "discuss the new breakwater"),
        Colour::Yellow,
        "",
    )
    .unwrap();
    store_update(&mut lib, &harbour(&[P2, P3]));
    drop(lib);
    let (code, out, _) = folio(&path, &["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("1 orphaned highlight (text no longer found"),
        "{out}"
    );
    assert!(out.ends_with("ok\n"), "{out}");
    let (_, out, _) = folio(&path, &["stats"]);
    assert!(out.contains("highlights      1 (1 orphaned)"), "{out}");
    let (_, out, _) = folio(&path, &["highlights"]);
    assert!(
        out.contains("(orphan: not found in the current text)"),
        "{out}"
    );
}

#[test]
fn exports_carry_highlights() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let id = store_update(&mut lib, &harbour(&[P1, P2, P3])).id();
    lib.add_highlight(
        id,
        range_of(&lib, id, "raised concerns"),
        Colour::Green,
        "Check *this*.",
    )
    .unwrap();
    lib.add_highlight(id, range_of(&lib, id, "售后政策"), Colour::Pink, "")
        .unwrap();
    let orphan = lib
        .add_highlight(
            id,
            range_of(&lib, id, "discuss the new breakwater"),
            Colour::Blue,
            "gone",
        )
        .unwrap();
    store_update(&mut lib, &harbour(&["Fresh start.", P2, P3]));
    assert!(lib.highlight(orphan.id).unwrap().orphan);
    let cancel = AtomicBool::new(false);
    let export = |format, name: &str| {
        let out = dir.path().join(name);
        folio::export::export(
            &lib,
            format,
            &folio::library::ExportJob {
                ids: &[id],
                out: &out,
                overwrite: false,
                progress: &|_| {},
                cancel: &cancel,
            },
        )
        .unwrap();
        out
    };
    use folio::export::ExportFormat;

    let md_dir = export(ExportFormat::Markdown, "md");
    let md = std::fs::read_to_string(md_dir.join("Harbour board.md")).unwrap();
    let at = md
        .find("## Highlights\n\n")
        .unwrap_or_else(|| panic!("{md}"));
    // Up to the next section (the article's two versions are listed after).
    let end = md[at..]
        .find("\n## Versions")
        .map_or(md.len(), |e| at + e + 1);
    assert!(md[end..].is_empty() || md[end..].starts_with("## Versions\n\n- Version 1: stored"));
    assert_eq!(
        &md[at..end],
        "## Highlights\n\n> raised concerns\n\nCheck *this*.\n\n> 售后政策\n\n\
         > discuss the new breakwater\n>\n> *(no longer found in the article's current text)*\n\n\
         gone\n\n"
    );

    let html_dir = export(ExportFormat::Html, "html");
    let page = std::fs::read_dir(&html_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name().is_some_and(|n| n != "index.html")
                && p.extension().is_some_and(|e| e == "html")
        })
        .unwrap();
    let html = std::fs::read_to_string(page).unwrap();
    assert!(
        html.contains("Members of the committee <mark>raised concerns</mark> about the cost"),
        "{html}"
    );
    assert!(
        html.contains("将对小米手机的<mark>售后政策</mark>进行调查"),
        "{html}"
    );
    assert!(html.contains("<h2>Highlights</h2>"), "{html}");
    assert!(html.contains("No longer found in the article"), "{html}");

    let jsonl = export(ExportFormat::Jsonl, "out.jsonl");
    let line = std::fs::read_to_string(jsonl).unwrap();
    let value: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    let annotations = value["highlights"].as_array().unwrap();
    assert_eq!(annotations.len(), 3);
    assert!(annotations.iter().all(|a| a["type"] == "Annotation"));
    assert_eq!(
        annotations.iter().filter(|a| a["orphan"] == true).count(),
        1
    );
}

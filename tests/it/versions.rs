//! Every copy kept (issue 23): a page saved before and after it was edited
//! is one article with two versions, whichever was imported first; the
//! comparison shows the paragraph removed and the figure changed; a
//! sentence only an earlier version holds is still found; an identical
//! copy is recorded as seen again; a kept copy can be read, compared and
//! removed, the copy shown never.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use folio::library::{ArticleId, ImportMode, Library, MatchedIn};
use serde_json::{Value, json};

use crate::common::{extract_file, fixtures, folio_on, seed_path};

fn edited_path() -> PathBuf {
    fixtures().join("versions/000_2ed360ca1ed3b761-edited.txt")
}

/// The paragraph the edited copy lacks.
const REMOVED: &str = "白女士在社交平台分享了小米手机二次主板被烧的经历后，很多有相同遭遇的小米用户都在视频下方留言，并且把她拉到了小米11系列产品维权群里。她透露，现在已有两个维权群，有近千的小米手机用户。";

fn import(library: &Path, file: &Path) -> String {
    let out = folio_on(library, &["import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_of(library: &Path, args: &[&str]) -> Value {
    let out = folio_on(library, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What the comparison of the seed (old) with its edited copy (new) must
/// say, exactly, leaving out the paragraphs that are the same.
fn expected_changes(old_is_seed: bool) -> Vec<Value> {
    let changed = if old_is_seed {
        json!([
            {"op": "equal", "text": "【大纪元2022年09月22日讯】近日，小米11系列手机屡曝质量问题及消费者维权难的情况引发网络热议。9月20日晚，“维修店称小米11系列近5成都有问题”的话题冲上微博热搜。截至21日晚间，小米11系列手机出现质量问题已经上了3个热搜，总阅读量达近"},
            {"op": "deleted", "text": "2.5"},
            {"op": "inserted", "text": "1"},
            {"op": "equal", "text": "亿人次。"}
        ])
    } else {
        json!([
            {"op": "equal", "text": "【大纪元2022年09月22日讯】近日，小米11系列手机屡曝质量问题及消费者维权难的情况引发网络热议。9月20日晚，“维修店称小米11系列近5成都有问题”的话题冲上微博热搜。截至21日晚间，小米11系列手机出现质量问题已经上了3个热搜，总阅读量达近"},
            {"op": "deleted", "text": "1"},
            {"op": "inserted", "text": "2.5"},
            {"op": "equal", "text": "亿人次。"}
        ])
    };
    let paragraph = if old_is_seed {
        json!({"op": "deleted", "old": 8, "kind": "paragraph", "text": REMOVED})
    } else {
        json!({"op": "inserted", "new": 8, "kind": "paragraph", "text": REMOVED})
    };
    vec![
        json!({"op": "changed", "old": 1, "new": 1, "kind": "paragraph", "spans": changed}),
        paragraph,
    ]
}

/// The paragraphs of a `folio diff --json` that are not the same.
fn changes(diff: &Value) -> Vec<Value> {
    diff["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["op"] != "equal")
        .cloned()
        .collect()
}

#[test]
fn an_edited_copy_imported_after_the_original_is_kept_as_a_version() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib.folio");
    import(&lib, &seed_path());
    let report = import(&lib, &edited_path());
    assert!(
        report.contains("new versions 1,")
            && report.contains(
                "is another copy of article 1 (its text or images differ): kept as a version"
            ),
        "{report}"
    );
    let versions = json_of(&lib, &["versions", "1", "--json"]);
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2);
    // The fuller original stays the copy shown; the edited copy is version 2.
    assert_eq!(versions[0]["shown"], true);
    assert_eq!(versions[1]["shown"], false);
    assert_eq!(
        versions[1]["source_file"],
        "000_2ed360ca1ed3b761-edited.txt"
    );
    assert_eq!(
        (
            &versions[1]["inserted"],
            &versions[1]["deleted"],
            &versions[1]["changed"]
        ),
        (&json!(0), &json!(1), &json!(1))
    );
    let diff = json_of(&lib, &["diff", "1", "--json"]);
    assert_eq!((&diff["old"], &diff["new"]), (&json!(1), &json!(2)));
    assert_eq!(changes(&diff), expected_changes(true));
    assert_eq!(diff["complete"], true);
    assert_eq!(diff["metadata"], json!([]));
    assert_eq!(diff["counts"]["deleted"], 1);
    assert_eq!(diff["counts"]["changed"], 1);

    // As text, for a person.
    let out = folio_on(&lib, &["diff", "1", "1", "2"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("总阅读量达近[-2.5-]{+1+}亿人次。"), "{text}");
    assert!(text.contains(&format!("- {REMOVED}")), "{text}");
    assert!(
        text.contains("1 added") || text.contains("0 added"),
        "{text}"
    );

    // The edited copy can be read back whole.
    let out = folio_on(&lib, &["show", "1", "--version", "2"]);
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.contains("总阅读量达近1亿人次"), "{shown}");
    assert!(!shown.contains("白女士在社交平台分享"), "{shown}");
    assert!(shown.contains("Version: 2 of 2"), "{shown}");
}

#[test]
fn the_original_imported_after_its_edited_copy_is_kept_and_its_removed_sentence_found() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib.folio");
    import(&lib, &edited_path());
    // One paragraph longer is not a richer copy: the edited copy stays the
    // one shown and the original is kept beside it.
    let report = import(&lib, &seed_path());
    assert!(report.contains("new versions 1,"), "{report}");
    let versions = json_of(&lib, &["versions", "1", "--json"]);
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0]["source_file"],
        "000_2ed360ca1ed3b761-edited.txt"
    );
    assert_eq!(versions[0]["shown"], true);
    assert_eq!(
        (&versions[1]["inserted"], &versions[1]["changed"]),
        (&json!(1), &json!(1))
    );
    let diff = json_of(&lib, &["diff", "1", "1", "2", "--json"]);
    assert_eq!(changes(&diff), expected_changes(false));
    // The sentence the edited copy lacks is found, in an earlier version.
    let hits = json_of(&lib, &["search", "--json", "社交平台分享"]);
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    assert_eq!(hits[0]["matched_in"], "earlier version");
    let out = folio_on(&lib, &["search", "社交平台分享"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[earlier version]"), "{text}");
}

#[test]
fn an_identical_copy_is_recorded_as_seen_again_and_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib.folio");
    import(&lib, &seed_path());
    // The same page under another name, twice.
    let copy = tmp.path().join("saved-again.txt");
    std::fs::copy(seed_path(), &copy).unwrap();
    for _ in 0..2 {
        let report = import(&lib, &copy);
        assert!(report.contains("duplicates 1,"), "{report}");
        assert!(report.contains("recorded as seen again"), "{report}");
    }
    let versions = json_of(&lib, &["versions", "1", "--json"]);
    assert_eq!(versions.as_array().unwrap().len(), 1);
    assert_eq!(versions[0]["seen_again"], 2);
}

#[test]
fn a_sentence_only_an_earlier_version_holds_is_found_and_said_so() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("lib.folio");
    let mut lib = Library::open(&path).unwrap();
    let seed = folio::read::read_path(&seed_path()).unwrap();
    let edited = folio::read::read_path(&edited_path()).unwrap();
    let id = lib
        .store_article(
            &seed,
            &extract_file(&seed_path()),
            ImportMode::SkipDuplicates,
        )
        .unwrap()
        .id();
    lib.add_tags(id, &["censored"]).unwrap();
    // The censored copy becomes the one shown (as an update would make it).
    lib.store_article(&edited, &extract_file(&edited_path()), ImportMode::Update)
        .unwrap();
    assert!(
        lib.article(id)
            .unwrap()
            .article
            .blocks
            .iter()
            .all(|b| !b.text().contains("社交平台分享"))
    );
    let hits = lib.search("社交平台分享", 10, 0).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].summary.id, id);
    assert_eq!(hits[0].matched_in, Some(MatchedIn::EarlierVersion));
    assert!(
        hits[0].snippet.text.contains("社交平台分享"),
        "{:?}",
        hits[0].snippet
    );
    // Traditional characters find it too, and the tag stayed with the article.
    assert_eq!(
        lib.search("社交平臺分享 tag:censored", 10, 0)
            .unwrap()
            .len(),
        1
    );
    // Text in the shown copy is found in the body, as before.
    let hits = lib.search("总阅读量达近1亿", 10, 0).unwrap();
    assert_eq!(hits[0].matched_in, Some(MatchedIn::Body));
    for query in ["has:versions", "is:changed"] {
        let hits = lib.search(query, 10, 0).unwrap();
        assert_eq!(hits.len(), 1, "{query}");
    }

    // The shown copy cannot be removed; the kept one can, and with it the
    // text only it held.
    let versions = lib.versions(id).unwrap();
    assert_eq!(versions.len(), 2);
    let shown = versions.iter().find(|v| v.shown).unwrap().number;
    let kept = versions.iter().find(|v| !v.shown).unwrap().number;
    let err = lib.remove_version(id, shown).unwrap_err();
    assert!(err.to_string().contains("is the copy shown"), "{err}");
    let removed = lib.remove_version(id, kept).unwrap();
    assert_eq!(removed.source_file, "000_2ed360ca1ed3b761.txt");
    assert_eq!(lib.versions(id).unwrap().len(), 1);
    assert!(lib.search("社交平台分享", 10, 0).unwrap().is_empty());
    assert!(lib.search("has:versions", 10, 0).unwrap().is_empty());
    assert!(lib.check().unwrap().is_empty());
    assert!(lib.remove_version(id, 2).is_err());
    assert!(lib.remove_version(ArticleId(99), 1).is_err());
}

#[test]
fn version_rm_prints_what_it_removed_and_refuses_the_one_shown() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib.folio");
    import(&lib, &seed_path());
    import(&lib, &edited_path());
    let out = folio_on(&lib, &["version", "rm", "1", "1"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("version 1 of article 1 is the copy shown"),
        "{err}"
    );
    let out = folio_on(&lib, &["version", "rm", "1", "2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.starts_with("removed version 2 of article 1: 000_2ed360ca1ed3b761-edited.txt")
            && said.contains("; 1 version left"),
        "{said}"
    );
    let out = folio_on(&lib, &["version", "rm", "1", "2"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no version 2 (it has 1)"));
}

#[test]
fn a_library_export_carries_every_version() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib.folio");
    import(&lib, &seed_path());
    import(&lib, &edited_path());
    let out_file = tmp.path().join("out.folio");
    let out = folio_on(
        &lib,
        &[
            "export",
            "--format",
            "sqlite",
            "--out",
            out_file.to_str().unwrap(),
            "小米",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = Library::open(&out_file).unwrap();
    let id = exported.search("小米", 1, 0).unwrap()[0].summary.id;
    assert_eq!(exported.versions(id).unwrap().len(), 2);
    assert!(exported.check().unwrap().is_empty());
}

#[test]
fn comparing_two_long_bodies_stays_within_its_deadline() {
    // Two 10 MB bodies, every paragraph edited: refinement stops at the
    // deadline and the rest is shown whole.
    let para = |i: usize, word: &str| {
        format!(
            "{i} {} {word} {}",
            "报道 政府 今天 宣布 ".repeat(120),
            "end ".repeat(40)
        )
    };
    let old: Vec<folio::model::diff::Unit> = (0..5_000)
        .map(|i| folio::model::diff::Unit {
            kind: "paragraph",
            text: para(i, "旧"),
        })
        .collect();
    let new: Vec<folio::model::diff::Unit> = (0..5_000)
        .map(|i| folio::model::diff::Unit {
            kind: "paragraph",
            text: para(i, "新"),
        })
        .collect();
    let bytes: usize = old.iter().map(|u| u.text.len()).sum();
    assert!(bytes > 10_000_000, "{bytes}");
    let started = Instant::now();
    let (changes, _complete) =
        folio::model::diff::paragraphs(&old, &new, Instant::now() + Duration::from_millis(500));
    // Every paragraph is accounted for, whether refined or not.
    let olds = changes
        .iter()
        .filter(|c| !matches!(c, folio::model::diff::ParagraphChange::Inserted { .. }))
        .count();
    assert_eq!(olds, 5_000);
    // Generous: a loaded, unoptimised build; unbounded it takes minutes.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_merge_brings_the_versions_this_library_lacks_and_stores_each_once() {
    let tmp = tempfile::tempdir().unwrap();
    let both = tmp.path().join("both.folio");
    import(&both, &seed_path());
    import(&both, &edited_path());
    let only_seed = tmp.path().join("seed.folio");
    import(&only_seed, &seed_path());
    for _ in 0..2 {
        let out = folio_on(&only_seed, &["merge", both.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lib = Library::open(&only_seed).unwrap();
        let versions = lib.versions(ArticleId(1)).unwrap();
        assert_eq!(versions.len(), 2, "{versions:#?}");
        assert_eq!(versions[1].source_file, "000_2ed360ca1ed3b761-edited.txt");
        assert!(lib.check().unwrap().is_empty());
    }
    // And the other way: the library with both keeps its two.
    let out = folio_on(&both, &["merge", only_seed.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(
        Library::open(&both)
            .unwrap()
            .versions(ArticleId(1))
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn markdown_and_html_exports_write_the_shown_version_and_list_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib.folio");
    import(&lib, &seed_path());
    import(&lib, &edited_path());
    for (format, ext) in [("markdown", "md"), ("html", "html")] {
        let out_dir = tmp.path().join(format);
        let out = folio_on(
            &lib,
            &[
                "export",
                "--format",
                format,
                "--out",
                out_dir.to_str().unwrap(),
                "小米",
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let page = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.extension().is_some_and(|e| e == ext)
                    && p.file_name().is_some_and(|n| n != "index.html")
            })
            .unwrap();
        let text = std::fs::read_to_string(&page).unwrap();
        // The shown copy (the original) is written whole.
        assert!(text.contains("白女士在社交平台分享"), "{format}");
        assert!(text.contains("Versions"), "{format}");
        assert!(
            text.contains("Version 1 (this text): stored "),
            "{format}: {text}"
        );
        // Markdown escapes the underscore.
        let file = if format == "markdown" {
            "000\\_2ed360ca1ed3b761-edited.txt"
        } else {
            "000_2ed360ca1ed3b761-edited.txt"
        };
        assert!(
            text.contains(&format!(
                "from {file} (mirror); against version 1: 1 paragraph removed, 1 paragraph edited"
            )),
            "{format}: {text}"
        );
    }
}

#[test]
fn a_thousand_differing_copies_of_one_article_are_all_kept_and_searchable_in_bounded_time() {
    // Each copy: the seed with one sentence of its own. None is richer, so
    // each becomes a version; the sentence of the first is still found
    // after the thousandth.
    let tmp = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&tmp.path().join("lib.folio")).unwrap();
    let source = folio::read::read_path(&seed_path()).unwrap();
    let seed = extract_file(&seed_path());
    let id = lib
        .store_article(&source, &seed, ImportMode::SkipDuplicates)
        .unwrap()
        .id();
    let started = Instant::now();
    let copies = 1_000;
    for i in 0..copies {
        let mut copy = seed.clone();
        copy.blocks
            .push(crate::common::para(&format!("更正启事第{i}号 revision{i}")));
        let outcome = lib
            .store_article(&source, &copy, ImportMode::SkipDuplicates)
            .unwrap();
        assert_eq!(
            outcome,
            folio::library::StoreOutcome::Versioned(id),
            "copy {i}"
        );
    }
    let elapsed = started.elapsed();
    assert_eq!(lib.version_count(id).unwrap(), copies + 1);
    for query in ["revision0", "revision999", "更正启事第500号"] {
        let hits = lib.search(query, 10, 0).unwrap();
        assert_eq!(hits.len(), 1, "{query}");
        assert_eq!(
            hits[0].matched_in,
            Some(MatchedIn::EarlierVersion),
            "{query}"
        );
    }
    // Removing a kept copy re-reads them all, once.
    let removed = lib.remove_version(id, 2).unwrap();
    assert_eq!(removed.number, 2);
    assert!(lib.search("revision0", 10, 0).unwrap().is_empty());
    assert_eq!(lib.search("revision1", 10, 0).unwrap().len(), 1);
    // A runaway guard for a loaded, unoptimised build, not a speed target
    // (benches/versions.rs measures).
    assert!(elapsed < Duration::from_secs(240), "{elapsed:?}");
}

#[test]
fn versions_are_compared_as_folio_read_them_not_with_the_users_corrections() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib.folio");
    import(&lib, &seed_path());
    import(&lib, &edited_path());
    let out = folio_on(&lib, &["edit", "1", "--byline", "记者 王五"]);
    assert!(out.status.success());
    let diff = json_of(&lib, &["diff", "1", "--json"]);
    assert_eq!(diff["metadata"], json!([]), "{diff}");
}

#[test]
fn a_read_only_library_reads_versions_and_refuses_to_edit_or_remove_them() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("lib.folio");
    import(&path, &seed_path());
    import(&path, &edited_path());
    let before = std::fs::read(&path).unwrap();
    let mut lib = Library::open_read_only(&path).unwrap();
    assert_eq!(lib.versions(ArticleId(1)).unwrap().len(), 2);
    let diff = lib
        .compare_versions(ArticleId(1), 1, 2, Instant::now() + Duration::from_secs(5))
        .unwrap();
    assert_eq!(diff.counts.deleted, 1);
    assert!(lib.remove_version(ArticleId(1), 2).is_err());
    assert!(lib.edit_field(ArticleId(1), "site", "x").is_err());
    assert!(lib.reset_field(ArticleId(1), "site").is_err());
    drop(lib);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Asking for a version that does not exist, or for version 0, is an
    // error in one sentence, not a panic.
    for args in [["diff", "1", "0", "2"], ["diff", "1", "1", "9"]] {
        let out = folio_on(&path, &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("has no version"));
    }
}

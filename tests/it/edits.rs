//! Correcting what Folio read (issue 24, part 3): `folio edit` sets a
//! title, date, byline, editor, site or address, keeps what Folio read
//! beside it, and the correction survives re-extraction, a better copy,
//! export and merge; search, sort and citations use it; bad values are
//! refused with nothing changed.

use std::path::Path;

use folio::library::{ArticleId, Library, Sort};

use crate::common::{folio_on, seed_path};

fn run(library: &Path, args: &[&str]) -> String {
    let out = folio_on(library, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn seed_library(dir: &Path) -> std::path::PathBuf {
    let lib = dir.join("lib.folio");
    run(&lib, &["import", seed_path().to_str().unwrap()]);
    lib
}

#[test]
fn a_corrected_byline_and_date_are_shown_searched_sorted_and_cited() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = seed_library(tmp.path());
    let said = run(
        &lib,
        &[
            "edit",
            "1",
            "--byline",
            "张三 李四",
            "--published",
            "2022-09-21T08:30+08:00",
        ],
    );
    assert!(
        said.contains("byline: 张三 李四 (Folio read: (nothing))"),
        "{said}"
    );
    assert!(
        said.contains("published: 2022-09-21T08:30+08:00 (Folio read: 2022-09-22)"),
        "{said}"
    );
    let shown = run(&lib, &["show", "1"]);
    assert!(
        shown.contains("Corrected published: Folio read 2022-09-22"),
        "{shown}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&run(&lib, &["show", "1", "--json"])).unwrap();
    assert_eq!(json["byline"], "张三 李四");
    assert_eq!(json["corrected"]["published"]["extracted"], "2022-09-22");
    // The date filters and the citation use the correction.
    assert_eq!(
        run(&lib, &["search", "--json", "before:2022-09-22"])
            .matches("\"id\"")
            .count(),
        1
    );
    let cite = run(&lib, &["cite", "1"]);
    // Two names as the byline separates them (APA joins them with "&").
    assert!(
        cite.starts_with("张三, & 李四. (2022, September 21)."),
        "{cite}"
    );

    // A corrected title is what search finds and sorts by.
    run(&lib, &["edit", "1", "--title", "小米手机维权 (corrected)"]);
    let library = Library::open(&lib).unwrap();
    assert_eq!(library.search("corrected", 10, 0).unwrap().len(), 1);
    let listed = library.list(None, Sort::Title, 10, 0).unwrap();
    assert_eq!(listed[0].title, "小米手机维权 (corrected)");
    drop(library);

    // Reset puts back what Folio read.
    run(
        &lib,
        &["edit", "1", "--reset", "title", "--reset", "byline"],
    );
    let stored = Library::open(&lib).unwrap().article(ArticleId(1)).unwrap();
    assert_eq!(
        stored.article.title,
        "小米11系列屡曝质量问题 售后新政引不满"
    );
    assert_eq!(stored.article.byline, None);
    assert_eq!(stored.edits.len(), 1);
    assert_eq!(stored.edits[0].field, "published");
}

#[test]
fn a_correction_survives_reextraction_a_better_copy_export_and_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = seed_library(tmp.path());
    run(
        &lib,
        &["edit", "1", "--site", "大纪元 Epoch Times", "--editor", ""],
    );
    run(&lib, &["reextract", "--all"]);
    let library = Library::open(&lib).unwrap();
    let stored = library.article(ArticleId(1)).unwrap();
    assert_eq!(stored.article.site.as_deref(), Some("大纪元 Epoch Times"));
    assert_eq!(stored.article.editor, None);
    let editor = stored.edits.iter().find(|e| e.field == "editor").unwrap();
    assert_eq!(editor.extracted.as_deref(), Some("方明"));
    drop(library);

    // A better copy (the same page with a longer body) becomes the one shown:
    // the correction stays; the copy kept has what Folio read.
    let richer = tmp.path().join("richer.txt");
    let text = std::fs::read_to_string(seed_path()).unwrap();
    let more = "<p>\n  补充报道：".to_owned()
        + &"小米用户继续维权。".repeat(60)
        + "\n </p>\n <p>\n  责任编辑";
    std::fs::write(&richer, text.replacen(" <p>\n  责任编辑", &more, 1)).unwrap();
    let report = run(&lib, &["import", richer.to_str().unwrap()]);
    assert!(report.contains("upgraded 1,"), "{report}");
    let library = Library::open(&lib).unwrap();
    let stored = library.article(ArticleId(1)).unwrap();
    assert_eq!(stored.article.site.as_deref(), Some("大纪元 Epoch Times"));
    let kept = library.version(ArticleId(1), 1, false).unwrap();
    assert_eq!(kept.article.site.as_deref(), Some("大纪元"));
    assert_eq!(kept.article.editor.as_deref(), Some("方明"));
    drop(library);

    // Export carries it; a merge into a library without it takes it.
    let out_file = tmp.path().join("out.folio");
    run(
        &lib,
        &[
            "export",
            "--format",
            "sqlite",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    let other = seed_library(&tmp.path().join("other"));
    let said = run(&other, &["merge", out_file.to_str().unwrap()]);
    assert!(
        said.contains("corrected details: 2 taken from the file, 0 left"),
        "{said}"
    );
    let merged = Library::open(&other)
        .unwrap()
        .article(ArticleId(1))
        .unwrap();
    assert_eq!(merged.article.site.as_deref(), Some("大纪元 Epoch Times"));
    // A newer local correction is not overwritten by an older one.
    run(&other, &["edit", "1", "--site", "Epoch Times (local)"]);
    let said = run(&other, &["merge", out_file.to_str().unwrap()]);
    assert!(said.contains("left as corrected here"), "{said}");
    let merged = Library::open(&other)
        .unwrap()
        .article(ArticleId(1))
        .unwrap();
    assert_eq!(merged.article.site.as_deref(), Some("Epoch Times (local)"));
}

#[test]
fn bad_values_are_refused_and_nothing_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = seed_library(tmp.path());
    let before = Library::open(&lib).unwrap().article(ArticleId(1)).unwrap();
    // 90 KB (one argument may not be much longer).
    let long = "长".repeat(30_000);
    for (args, says) in [
        (vec!["--published", "2022-02-30"], "is not a date"),
        (vec!["--url", "javascript:alert(1)"], "is not a web address"),
        (vec!["--byline", "张三\u{1b}[31m"], "control characters"),
        (vec!["--title", long.as_str()], "more than 2000"),
        (vec!["--title", "  "], "needs a title"),
        // One bad value among good ones: none is written.
        (
            vec!["--site", "Good", "--published", "yesterday"],
            "is not a date",
        ),
        (
            vec!["--reset", "colour"],
            "not a detail that can be corrected",
        ),
    ] {
        let mut full = vec!["edit", "1"];
        full.extend(args.iter().copied());
        let out = folio_on(&lib, &full);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let after = Library::open(&lib).unwrap().article(ArticleId(1)).unwrap();
    assert_eq!(before.article, after.article);
    assert!(after.edits.is_empty());
    let out = folio_on(&lib, &["edit", "99", "--site", "x"]);
    assert!(!out.status.success());
}

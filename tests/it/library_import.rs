//! Importing real saved pages into a library, re-importing, re-extracting.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use folio::library::{ImportMode, ImportOptions, Library, Sort};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn hits(lib: &Library, q: &str) -> usize {
    lib.search(q, 100, 0).unwrap().len()
}

#[test]
fn seed_article_is_imported_found_tagged_and_not_imported_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("library.folio")).unwrap();
    let seed = fixtures().join("seed/000_2ed360ca1ed3b761.txt");
    let cancel = AtomicBool::new(false);
    let calls = std::cell::Cell::new(0);
    let report = lib
        .import_paths(
            std::slice::from_ref(&seed),
            &ImportOptions::default(),
            &|_| calls.set(calls.get() + 1),
            &cancel,
        )
        .unwrap();
    assert_eq!(report.imported, 1, "{report:?}");
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(calls.get(), 1);
    let id = report.ids[0];

    for q in ["小米", "主板", "售后新政", "小米11系列", "小"] {
        let found = lib.search(q, 10, 0).unwrap();
        assert_eq!(found.len(), 1, "search {q}");
        assert_eq!(found[0].summary.id, id);
        assert!(
            found[0]
                .snippet
                .text
                .to_lowercase()
                .contains(&q.to_lowercase()),
            "{q}: {:?}",
            found[0].snippet
        );
    }
    assert_eq!(hits(&lib, "iPhone不存在的词"), 0);

    lib.add_tags(id, &["手机", "quality"]).unwrap();
    lib.set_note(id, "售后问题的好例子").unwrap();
    let listed = lib.list(Some("tag:手机"), Sort::Date, 10, 0).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].tags, vec!["quality", "手机"]);
    assert!(listed[0].has_note);
    assert_eq!(listed[0].source_file, "000_2ed360ca1ed3b761.txt");

    // Re-import: nothing new, one duplicate.
    let again = lib
        .import_paths(
            std::slice::from_ref(&seed),
            &ImportOptions::default(),
            &|_| {},
            &cancel,
        )
        .unwrap();
    assert_eq!((again.imported, again.duplicates), (0, 1), "{again:?}");
    assert_eq!(lib.count(None).unwrap(), 1);

    // Update mode replaces in place, keeping tags and note.
    let options = ImportOptions {
        mode: ImportMode::Update,
        ..ImportOptions::default()
    };
    let updated = lib
        .import_paths(&[seed], &options, &|_| {}, &cancel)
        .unwrap();
    assert_eq!(updated.updated, 1, "{updated:?}");
    let stored = lib.article(id).unwrap();
    assert_eq!(stored.tags, vec!["quality", "手机"]);
    assert_eq!(stored.note.as_deref(), Some("售后问题的好例子"));

    // Re-extraction from the stored original gives the same article.
    let before = lib.article(id).unwrap().article;
    let re = lib.reextract(None, &|_| {}, &cancel).unwrap();
    assert_eq!((re.updated, re.failed.len()), (1, 0), "{re:?}");
    assert_eq!(lib.article(id).unwrap().article, before);
    assert_eq!(hits(&lib, "主板"), 1);
    assert!(lib.check().unwrap().is_empty(), "{:?}", lib.check());
}

#[test]
fn a_broken_file_is_reported_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::copy(
        fixtures().join("seed/000_2ed360ca1ed3b761.txt"),
        pages.join("good.txt"),
    )
    .unwrap();
    std::fs::write(pages.join("broken.html"), b"\x89PNG\r\n\x1a\n\0\0\0binary").unwrap();
    std::fs::write(pages.join("empty.html"), b"").unwrap();
    let mut lib = Library::open(&dir.path().join("library.folio")).unwrap();
    let report = lib
        .import_paths(
            &[pages],
            &ImportOptions::default(),
            &|_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(report.imported, 1, "{report:?}");
    assert_eq!(report.failed.len(), 2, "{report:?}");
    assert!(!report.cancelled);
}

#[test]
fn a_cancelled_import_stores_nothing_more() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("library.folio")).unwrap();
    let report = lib
        .import_paths(
            &[fixtures().join("seed")],
            &ImportOptions::default(),
            &|_| {},
            &AtomicBool::new(true),
        )
        .unwrap();
    assert_eq!(report.imported, 0);
    assert!(report.cancelled);
    assert_eq!(lib.count(None).unwrap(), 0);
}

#[test]
fn every_format_fixture_imports_with_its_images_and_reextracts_the_same() {
    let formats = fixtures().join("formats");
    if !formats.is_dir() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("library.folio")).unwrap();
    let cancel = AtomicBool::new(false);
    let report = lib
        .import_paths(&[formats], &ImportOptions::default(), &|_| {}, &cancel)
        .unwrap();
    assert!(report.imported >= 4, "{report:?}");
    assert!(lib.stats().unwrap().images > 0);
    let before: Vec<_> = report
        .ids
        .iter()
        .map(|&id| lib.article(id).unwrap().article)
        .collect();
    let re = lib.reextract(Some(&report.ids), &|_| {}, &cancel).unwrap();
    assert!(re.failed.is_empty(), "{re:?}");
    for (id, before) in report.ids.iter().zip(before) {
        let after = lib.article(*id).unwrap().article;
        assert_eq!(after.images().len(), before.images().len(), "article {id}");
        let with_data =
            |a: &folio::model::Article| a.images().iter().filter(|i| i.data.is_some()).count();
        assert_eq!(
            with_data(&after),
            with_data(&before),
            "article {id}: {}",
            after.title
        );
    }
    assert!(lib.check().unwrap().is_empty(), "{:?}", lib.check());
}

//! The window's keys (issue 28): F1 and ? open the one shortcuts sheet,
//! Down or Enter in the search box goes into the results, and j / k move
//! paragraph by paragraph in the reader, H highlighting the paragraph.

use super::*;

#[test]
fn f1_and_question_mark_open_the_shortcuts_sheet_listing_the_find_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    open_seed(&mut harness);
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F1);
    wait_for(&mut harness, "the sheet", |h| {
        h.query_by_label("Keyboard shortcuts").is_some()
    });
    for keys in ["Ctrl+F", "Ctrl+K", "N, Shift+N", "F1 or ?"] {
        assert!(harness.query_by_label(keys).is_some(), "{keys} not listed");
    }
    press(&mut harness, egui::Modifiers::NONE, egui::Key::Escape);
    wait_for(&mut harness, "the sheet to close", |h| {
        h.query_by_label("Keyboard shortcuts").is_none()
    });
    press(
        &mut harness,
        egui::Modifiers::SHIFT,
        egui::Key::Questionmark,
    );
    wait_for(&mut harness, "? to open it", |h| {
        h.query_by_label("Keyboard shortcuts").is_some()
    });
}

#[test]
fn down_in_the_search_box_opens_the_first_result() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    wait_for(&mut harness, "the list", |h| {
        h.query_by_label(SEED_TITLE).is_some()
    });
    search_for(&mut harness, "售后新政");
    wait_for(&mut harness, "one result", |h| {
        h.query_by_label("1 article").is_some()
    });
    assert!(harness.query_by_label(SEED_CAPTION).is_none());
    press(&mut harness, egui::Modifiers::NONE, egui::Key::ArrowDown);
    wait_for(&mut harness, "the result open", |h| {
        h.query_by_label(SEED_CAPTION).is_some()
    });
    assert!(!harness.get_by_label("Search").is_focused());
}

#[test]
fn j_moves_paragraph_by_paragraph_and_h_highlights_the_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    open_seed(&mut harness);
    harness.get_by_label(SEED_CAPTION).click();
    harness.run_steps(2);
    // The first block in view, then the one after it: the caption, then
    // the first paragraph.
    press(&mut harness, egui::Modifiers::NONE, egui::Key::J);
    harness.run_steps(2);
    press(&mut harness, egui::Modifiers::NONE, egui::Key::J);
    harness.run_steps(2);
    press(&mut harness, egui::Modifiers::NONE, egui::Key::H);
    wait_for(&mut harness, "the highlight", |h| {
        h.query_by_label_contains("Highlights (1)").is_some()
    });
    let first = &seed_paragraphs()[0];
    let library = Library::open(&dir.path().join("test.folio")).unwrap();
    let id = seed_id(&dir.path().join("test.folio"));
    let quotes: Vec<String> = library
        .article(id)
        .unwrap()
        .highlights
        .iter()
        .map(|h| h.quote.exact.clone())
        .collect();
    assert_eq!(quotes, std::slice::from_ref(first));
}

//! A trashed article previewed from the trash view (issue 27, item 9): a
//! click on its title shows it in the reader, read only, under a banner
//! with Restore.

use super::*;

#[test]
fn a_trashed_article_opens_from_the_trash_read_only_and_its_banner_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let total = corpus_files().len();
    let seed = seed_id(&path);
    let mut harness = app(&path);
    open_seed(&mut harness);
    harness.key_press(egui::Key::Delete);
    wait_for(&mut harness, "the seed in the trash", |h| {
        h.query_by_label("Trash (1)").is_some() && h.query_by_label(SEED_CAPTION).is_none()
    });
    harness.get_by_label("Trash (1)").click();
    wait_for(&mut harness, "the trash listed", |h| {
        h.query_by_label(SEED_TITLE).is_some()
    });
    harness.get_by_label(SEED_TITLE).click();
    wait_for(&mut harness, "the preview", |h| {
        h.query_by_label(SEED_CAPTION).is_some()
            && h.query_by_label("In the trash").is_some()
            && h.query_by_label_contains("restore it to tag it").is_some()
    });
    // Read only: no tag field, and M marks nothing.
    assert!(harness.query_by_label("Add tag").is_none());
    harness.key_press(egui::Key::M);
    harness.run_steps(4);
    assert!(
        Library::open(&path)
            .unwrap()
            .reading_state(seed)
            .unwrap()
            .read_at
            .is_none()
    );
    // Restore from the banner (the row's Restore comes first).
    let restores = harness.query_all_by_label("Restore").count();
    assert_eq!(restores, 2);
    harness
        .query_all_by_label("Restore")
        .last()
        .unwrap()
        .click();
    wait_for(&mut harness, "the seed restored", |h| {
        h.query_by_label("In the trash").is_none()
            && h.query_by_label("The trash is empty.").is_some()
            && h.query_by_label(SEED_CAPTION).is_some()
    });
    assert_eq!(
        Library::open(&path).unwrap().count(None).unwrap(),
        total as u64
    );
}

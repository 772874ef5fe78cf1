//! The reader's outline and reading progress (issue 28): a long English
//! page's headings listed beside the column, a click scrolling there and
//! the entry the reader is in marked; the toolbar's "N% read"; a partly
//! read article's progress in its list row.

use super::*;
use egui::accesskit::Role;

fn wikipedia_path() -> PathBuf {
    common::fixtures().join("readability/wikipedia/source.html")
}

/// The headings of the Wikipedia fixture, in order.
fn headings(article: &folio::model::Article) -> Vec<String> {
    article
        .blocks
        .iter()
        .filter(|b| matches!(b, folio::model::Block::Heading { .. }))
        .map(folio::model::Block::text)
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn the_outline_lists_the_headings_scrolls_there_and_marks_where_the_reader_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_of(dir.path(), &[wikipedia_path()]));
    let article = common::extract_file(&wikipedia_path());
    let first = article
        .blocks
        .iter()
        .find(|b| matches!(b, folio::model::Block::Paragraph { .. }))
        .unwrap()
        .text();
    open_article(&mut harness, &article.title, &first);
    let headings = headings(&article);
    assert!(headings.len() > 10, "{headings:?}");
    assert!(harness.query_by_label("0% read").is_some());
    harness.get_by_label("Outline").click();
    // An entry the outline's strip shows without scrolling it.
    let last = headings[8].clone();
    wait_for(&mut harness, "the outline's entries", |h| {
        headings
            .iter()
            .all(|t| h.query_by_role_and_label(Role::Button, t).is_some())
    });
    let height = 800.0;
    let heading_rect =
        |h: &Harness<'_, FolioApp>| h.get_by_role_and_label(Role::Label, &last).rect();
    assert!(heading_rect(&harness).top() > height, "already in view");
    harness.get_by_role_and_label(Role::Button, &last).click();
    wait_for(&mut harness, "the heading in view", |h| {
        let rect = heading_rect(h);
        rect.top() >= 0.0 && rect.top() < height
    });
    wait_for(&mut harness, "its entry marked", |h| {
        h.get_by_role_and_label(Role::Button, &last)
            .accesskit_node()
            .toggled()
            == Some(egui::accesskit::Toggled::True)
    });
    assert_ne!(
        harness
            .get_by_role_and_label(Role::Button, &headings[0])
            .accesskit_node()
            .toggled(),
        Some(egui::accesskit::Toggled::True),
        "the first entry is still marked"
    );
    // Progress went up; End takes it to the end.
    assert!(harness.query_by_label("0% read").is_none());
    press(&mut harness, egui::Modifiers::NONE, egui::Key::End);
    wait_for(&mut harness, "100% read", |h| {
        h.query_by_label("100% read").is_some()
    });
}

#[test]
fn a_partly_read_article_shows_its_progress_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    Library::open(&path)
        .unwrap()
        .set_reading_position(seed_id(&path), Some(0.4))
        .unwrap();
    let mut harness = app(&path);
    wait_for(&mut harness, "the seed's row with its progress", |h| {
        h.query_all_by_label(SEED_TITLE)
            .any(|row| row.value().is_some_and(|v| v.contains("40% read")))
    });
}

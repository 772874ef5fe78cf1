//! Finding in the open article (issue 28): Ctrl+F in the reader opens the
//! find bar, matches are counted ("3 of 17") and stepped with Enter,
//! Shift+Enter, F3 and the bar's buttons, the view scrolled to each;
//! Traditional finds Simplified unless `exact:`; Escape closes it; Ctrl+K
//! keeps the library search. The library search's own matches are stepped
//! with n / N ("match 2 of 9").

use super::*;

/// How often `needle` occurs in the seed's text blocks (captions too).
fn seed_count(needle: &str) -> usize {
    common::extract_file(&common::seed_path())
        .blocks
        .iter()
        .map(|b| b.text().matches(needle).count())
        .sum()
}

/// The seed's paragraph (or caption) holding the last `needle`.
fn seed_block_with_last(needle: &str) -> String {
    common::extract_file(&common::seed_path())
        .blocks
        .iter()
        .map(folio::model::Block::text)
        .rfind(|t| t.contains(needle))
        .unwrap()
}

/// Click the seed's caption (the reader has the focus), then Ctrl+F.
fn open_find(harness: &mut Harness<'_, FolioApp>) {
    harness.get_by_label(SEED_CAPTION).click();
    harness.run_steps(2);
    press(harness, egui::Modifiers::COMMAND, egui::Key::F);
    wait_for(harness, "the find field's focus", |h| {
        h.query_by_label("Find in article")
            .is_some_and(|f| f.is_focused())
    });
}

#[test]
fn ctrl_f_in_the_reader_finds_steps_scrolls_and_escape_closes() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    open_seed(&mut harness);
    open_find(&mut harness);
    let n = seed_count("小米");
    assert!(n > 5, "{n}");
    harness.get_by_label("Find in article").type_text("小米");
    // The first match from the view on is current as soon as it is typed.
    wait_for(&mut harness, "the count", |h| {
        h.query_by_label(&format!("1 of {n}")).is_some()
    });
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "the next match", |h| {
        h.query_by_label(&format!("2 of {n}")).is_some()
    });
    assert!(
        harness.get_by_label("Find in article").is_focused(),
        "Enter keeps the field's focus"
    );
    let last = seed_block_with_last("小米");
    let height = 800.0;
    assert!(
        harness.get_by_label(&last).rect().top() > height,
        "the last match is on screen already"
    );
    press(&mut harness, egui::Modifiers::SHIFT, egui::Key::Enter);
    wait_for(&mut harness, "the match before", |h| {
        h.query_by_label(&format!("1 of {n}")).is_some()
    });
    // Back from the first wraps round to the last, scrolled into view.
    press(&mut harness, egui::Modifiers::SHIFT, egui::Key::F3);
    wait_for(&mut harness, "the last match in view", |h| {
        let rect = h.get_by_label(&last).rect();
        h.query_by_label(&format!("{n} of {n}")).is_some()
            && rect.top() < height
            && rect.bottom() > 0.0
    });
    press(&mut harness, egui::Modifiers::NONE, egui::Key::F3);
    wait_for(&mut harness, "F3 to wrap to the first", |h| {
        h.query_by_label(&format!("1 of {n}")).is_some()
    });
    harness.get_by_label("Next").click();
    wait_for(&mut harness, "the Next button", |h| {
        h.query_by_label(&format!("2 of {n}")).is_some()
    });
    press(&mut harness, egui::Modifiers::NONE, egui::Key::Escape);
    wait_for(&mut harness, "the bar to close", |h| {
        h.query_by_label("Find in article").is_none()
    });
    // Ctrl+K is the library search's, wherever the focus is.
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::K);
    wait_for(&mut harness, "the search box's focus", |h| {
        h.get_by_label("Search").is_focused()
    });
}

#[test]
fn find_folds_traditional_unless_exact_and_the_button_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    Library::open(&path)
        .unwrap()
        .set_note(seed_id(&path), "质量 matters; 質量 too.")
        .unwrap();
    let mut harness = app(&path);
    open_seed(&mut harness);
    harness.get_by_label("Find").click();
    wait_for(&mut harness, "the find bar", |h| {
        h.query_by_label("Find in article").is_some()
    });
    let n = seed_count("质量");
    assert!(n >= 2, "{n}");
    assert_eq!(seed_count("質量"), 0, "the seed is Simplified");
    harness.get_by_label("Find in article").click();
    harness.get_by_label("Find in article").type_text("質量");
    // The note's two are counted with the article's, and said apart.
    wait_for(&mut harness, "Traditional to find Simplified", |h| {
        h.query_by_label(&format!("1 of {}", n + 2)).is_some()
    });
    assert!(harness.query_by_label("2 in the note").is_some());
    harness.get_by_label("Find in article").click();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Find in article")
        .type_text("exact:質量");
    // Nothing in the article: the one in the note is counted, not shown
    // before it is stepped to.
    wait_for(&mut harness, "exact: to find nothing in the article", |h| {
        h.query_by_label("1 match").is_some()
    });
    assert!(harness.query_by_label("1 in the note").is_some());
    harness.get_by_label("Close find").click();
    wait_for(&mut harness, "the bar to close", |h| {
        h.query_by_label("Find in article").is_none()
    });
}

/// Find steps on from the article's last match into the note's, marks the
/// current one there, and scrolls the inspector to it (switching a note
/// shown as preview to the editor); on again it wraps round to the article.
#[test]
fn find_steps_on_into_the_note_and_round_to_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    // A long note: its matches far below the inspector's fold.
    let mut note = String::new();
    for i in 0..80 {
        note.push_str(&format!("line {i} of the note\n"));
    }
    note.push_str("质量 at the end\n");
    Library::open(&path)
        .unwrap()
        .set_note(seed_id(&path), &note)
        .unwrap();
    let mut harness = app(&path);
    open_seed(&mut harness);
    // The note shown as Markdown: stepping into it shows the editor.
    harness.get_by_label("Preview").click();
    harness.run_steps(2);
    open_find(&mut harness);
    let n = seed_count("质量");
    harness.get_by_label("Find in article").type_text("质量");
    wait_for(&mut harness, "the count", |h| {
        h.query_by_label(&format!("1 of {}", n + 1)).is_some()
    });
    let note_field = |h: &Harness<'_, FolioApp>| {
        h.query_by_role_and_label(
            egui::accesskit::Role::MultilineTextInput,
            "Markdown; saved as you type",
        )
        .map(|f| f.rect())
    };
    for _ in 1..n {
        harness.key_press(egui::Key::Enter);
        harness.run_steps(2);
    }
    wait_for(&mut harness, "the article's last", |h| {
        h.query_by_label(&format!("{n} of {}", n + 1)).is_some()
    });
    assert!(
        note_field(&harness).is_none(),
        "the note is still a preview"
    );
    let next = harness.get_by_label("Next").rect();
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "the note's match", |h| {
        h.query_by_label(&format!("{} of {} in the note", n + 1, n + 1))
            .is_some()
    });
    assert_eq!(
        harness.get_by_label("Next").rect(),
        next,
        "the count's change moved the buttons"
    );
    // The editor is shown and scrolled so its last lines are in view: the
    // field's bottom (the match is on its last line) is in the window.
    wait_for(&mut harness, "the note scrolled to the match", |h| {
        note_field(h).is_some_and(|f| f.bottom() > 0.0 && f.bottom() < 800.0)
    });
    assert!(
        harness.get_by_label("Find in article").is_focused(),
        "the keyboard stays in the find field"
    );
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "round to the article's first", |h| {
        h.query_by_label(&format!("1 of {}", n + 1)).is_some()
    });
}

#[test]
fn n_steps_through_the_library_search_matches_in_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    wait_for(&mut harness, "the list", |h| {
        h.query_by_label(SEED_TITLE).is_some()
    });
    search_for(&mut harness, "小米");
    open_seed(&mut harness);
    let n = seed_count("小米");
    wait_for(&mut harness, "the matches counted", |h| {
        h.query_by_label(&format!("{n} search matches")).is_some()
    });
    press(&mut harness, egui::Modifiers::NONE, egui::Key::N);
    wait_for(&mut harness, "the first match", |h| {
        h.query_by_label(&format!("match 1 of {n}")).is_some()
    });
    harness.get_by_label("Next match").click();
    wait_for(&mut harness, "the second match", |h| {
        h.query_by_label(&format!("match 2 of {n}")).is_some()
    });
    press(&mut harness, egui::Modifiers::SHIFT, egui::Key::N);
    wait_for(&mut harness, "the match before", |h| {
        h.query_by_label(&format!("match 1 of {n}")).is_some()
    });
    press(&mut harness, egui::Modifiers::SHIFT, egui::Key::N);
    wait_for(&mut harness, "N to wrap round to the last", |h| {
        h.query_by_label(&format!("match {n} of {n}")).is_some()
    });
    let last = seed_block_with_last("小米");
    wait_for(&mut harness, "the last match in view", |h| {
        let rect = h.get_by_label(&last).rect();
        rect.top() < 800.0 && rect.bottom() > 0.0
    });
}

/// A library with one article of 400 paragraphs (about 80,000
/// characters), "zebra" in paragraphs 5, 200 and 390; its paragraphs.
fn long_library(path: &Path) -> Vec<String> {
    use folio::model::{Article, Block, Inline};
    use folio::read::{Format, Resources, Source};
    let paragraphs: Vec<String> = (0..400)
        .map(|i| {
            let word = if [5, 200, 390].contains(&i) {
                "zebra"
            } else {
                "horse"
            };
            format!(
                "Paragraph {i}: a {word} crossed the long road at dawn, and the town watched \
                 it go by without a word, as towns do when something passes that they \
                 cannot name and will not forget for a good many years."
            )
        })
        .collect();
    let article = Article {
        title: "A very long read".into(),
        lang: Some("en".into()),
        blocks: paragraphs
            .iter()
            .map(|p| Block::Paragraph {
                inlines: vec![Inline::text(p.as_str())],
            })
            .collect(),
        ..Article::default()
    };
    let source = Source {
        file_name: "long.html".to_owned(),
        format: Format::Html,
        text: "<html>long</html>".to_owned(),
        saved_from: None,
        resources: Resources::default(),
        original: std::sync::Arc::from(&b"<html>long</html>"[..]),
        warnings: Vec::new(),
        captured: None,
    };
    Library::open(path)
        .unwrap()
        .store_article(&source, &article, folio::library::ImportMode::Update)
        .unwrap();
    paragraphs
}

/// A long article draws only the paragraphs near the view; find still
/// reaches every match and scrolls it into view.
#[test]
fn find_steps_through_a_long_article_drawn_only_near_the_view() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.folio");
    let paragraphs = long_library(&path);
    let mut harness = app(&path);
    open_article(&mut harness, "A very long read", &paragraphs[0]);
    harness.run_steps(3);
    assert!(
        harness.query_by_label(&paragraphs[300]).is_none(),
        "a paragraph far out of view is laid out"
    );
    harness.get_by_label(&paragraphs[0]).click();
    harness.run_steps(2);
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::F);
    wait_for(&mut harness, "the find field", |h| {
        h.query_by_label("Find in article")
            .is_some_and(|f| f.is_focused())
    });
    harness.get_by_label("Find in article").type_text("zebra");
    let in_view = |h: &Harness<'_, FolioApp>, p: &str| {
        h.query_by_label(p)
            .is_some_and(|n| n.rect().top() >= 0.0 && n.rect().bottom() <= 800.0)
    };
    wait_for(&mut harness, "the first match", |h| {
        h.query_by_label("1 of 3").is_some() && in_view(h, &paragraphs[5])
    });
    for (n, p) in [(2, 200), (3, 390)] {
        harness.key_press(egui::Key::Enter);
        wait_for(&mut harness, "the next match in view", |h| {
            h.query_by_label(&format!("{n} of 3")).is_some() && in_view(h, &paragraphs[p])
        });
    }
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "the first match again", |h| {
        h.query_by_label("1 of 3").is_some() && in_view(h, &paragraphs[5])
    });
}

const NOTE_FIELD: &str = "Markdown; saved as you type";

/// A word the user types into the note, then looks for: the find bar
/// counts it (it counted the note as it was when the article was opened,
/// "No matches" while the note's editor marked the word: found by
/// red-teaming).
#[test]
fn find_counts_what_was_typed_into_the_note_after_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let mut harness = app(&path);
    open_seed(&mut harness);
    harness.get_by_label(NOTE_FIELD).click();
    harness
        .get_by_label(NOTE_FIELD)
        .type_text("remember zebraword");
    wait_for(&mut harness, "the note to save", |h| {
        h.query_by_label("saved").is_some() && h.query_by_label("saving…").is_none()
    });
    open_find(&mut harness);
    harness
        .get_by_label("Find in article")
        .type_text("zebraword");
    wait_for(&mut harness, "a count", |h| {
        h.query_by_label("No matches").is_some() || h.query_by_label("1 match").is_some()
    });
    assert!(
        harness.query_by_label("1 match").is_some(),
        "the find bar does not count the word typed into the note"
    );
    assert!(harness.query_by_label("1 in the note").is_some());
}

/// The reverse: the note held the word when the article opened, the user
/// deleted it; stepping must not land on a match that is no longer there
/// ("1 of 1 in the note" with nothing marked).
#[test]
fn find_forgets_a_note_match_the_user_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    Library::open(&path)
        .unwrap()
        .set_note(seed_id(&path), "zebraword")
        .unwrap();
    let mut harness = app(&path);
    open_seed(&mut harness);
    harness.get_by_label(NOTE_FIELD).click();
    for _ in 0..9 {
        harness.key_press(egui::Key::Backspace);
    }
    harness.get_by_label(NOTE_FIELD).type_text("nothing here");
    wait_for(&mut harness, "the note to save", |h| {
        h.query_by_label("saved").is_some()
            && h.query_by_label("saving…").is_none()
            && h.get_by_label(NOTE_FIELD).value().as_deref() == Some("nothing here")
    });
    open_find(&mut harness);
    harness
        .get_by_label("Find in article")
        .type_text("zebraword");
    wait_for(&mut harness, "a count", |h| {
        h.query_by_label("No matches").is_some() || h.query_by_label("1 match").is_some()
    });
    assert!(
        harness.query_by_label("No matches").is_some(),
        "the find bar counts a word deleted from the note"
    );
}

/// The note's matches past 1000 are counted as a capped count ("1000+"),
/// not as a wrong number.
#[test]
fn a_note_with_1500_matches_is_counted_as_capped() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    Library::open(&path)
        .unwrap()
        .set_note(seed_id(&path), &"zebraword ".repeat(1500))
        .unwrap();
    let mut harness = app(&path);
    open_seed(&mut harness);
    open_find(&mut harness);
    harness
        .get_by_label("Find in article")
        .type_text("zebraword");
    wait_for(&mut harness, "a count", |h| {
        h.query_by_label_contains("in the note").is_some()
    });
    let said = harness
        .query_by_label_contains("in the note")
        .and_then(|n| n.accesskit_node().label().or_else(|| n.value()))
        .unwrap_or_default();
    let total = harness
        .query_by_label_contains("match")
        .and_then(|n| n.accesskit_node().label().or_else(|| n.value()))
        .unwrap_or_default();
    assert!(
        said.contains("1500") || said.contains('+'),
        "the note's count: {said:?}, the total: {total:?}"
    );
    assert!(
        total.contains("1500") || total.contains('+'),
        "the note's count: {said:?}, the total: {total:?}"
    );
}

/// The inspector hidden (F9), Enter steps into the note's match: the
/// inspector is shown with the note (it said "1 of 1 in the note" and
/// showed nothing).
#[test]
fn stepping_into_the_note_with_the_inspector_hidden_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    Library::open(&path)
        .unwrap()
        .set_note(seed_id(&path), "zebraword")
        .unwrap();
    let mut harness = app(&path);
    open_seed(&mut harness);
    harness.get_by_label(SEED_CAPTION).click();
    harness.run_steps(2);
    harness.key_press(egui::Key::F9);
    wait_for(&mut harness, "the inspector to hide", |h| {
        h.query_by_label(NOTE_FIELD).is_none()
    });
    open_find(&mut harness);
    harness
        .get_by_label("Find in article")
        .type_text("zebraword");
    wait_for(&mut harness, "the count", |h| {
        h.query_by_label("1 match").is_some()
    });
    harness.key_press(egui::Key::Enter);
    wait_for(&mut harness, "the step into the note", |h| {
        h.query_by_label("1 of 1 in the note").is_some()
    });
    harness.run_steps(4);
    assert!(
        harness.query_by_label(NOTE_FIELD).is_some(),
        "\"1 of 1 in the note\" is shown but the note is not"
    );
}

//! Undo and redo of the window's changes (issue 27, item 8): each kind of
//! change made as a user makes it, Ctrl+Z, the library and the window as
//! they were with the change named in the status bar, Ctrl+Shift+Z, the
//! change back. A bulk tag undone leaves the article that had the tag
//! before tagged; Ctrl+Z in a text field undoes its typing, not the
//! library; a highlight commented since it was made is not deleted by undo.

use super::*;
use folio::library::{ArticleId, Colour};

/// Let go of a text field (Escape), then Ctrl+Z.
fn undo(harness: &mut Harness<'_, FolioApp>) {
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    press(harness, egui::Modifiers::COMMAND, egui::Key::Z);
}

/// Ctrl+Shift+Z.
fn redo(harness: &mut Harness<'_, FolioApp>) {
    press(
        harness,
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
}

/// Ctrl-click the row titled `title` (the row, not a tooltip or the
/// reader's heading of the same text), then wait for `selected` rows.
fn ctrl_click_row(harness: &mut Harness<'_, FolioApp>, title: &str, selected: usize) {
    harness
        .query_all_by_label(title)
        .next()
        .unwrap()
        .click_modifiers(egui::Modifiers::COMMAND);
    wait_for(harness, "the row selected", |h| {
        h.query_by_label(&format!("{selected} selected")).is_some()
    });
}

/// The ids of the articles titled `titles`.
fn ids_of(path: &Path, titles: &[String]) -> Vec<ArticleId> {
    let library = Library::open(path).unwrap();
    let all = library
        .list(None, folio::library::Sort::Date, 100, 0)
        .unwrap();
    titles
        .iter()
        .map(|t| all.iter().find(|s| &s.title == t).unwrap().id)
        .collect()
}

#[test]
fn a_bulk_tag_undone_leaves_the_article_that_had_it_tagged_and_redo_tags_all_four() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let titles = titles_by_date(&path);
    let four = titles[..4].to_vec();
    let had = ids_of(&path, &four[1..2]);
    Library::open(&path)
        .unwrap()
        .add_tags(had[0], &["xiaomi"])
        .unwrap();
    let mut harness = app(&path);
    open_article(&mut harness, &four[0], &four[0]);
    for (n, title) in four.iter().enumerate() {
        ctrl_click_row(&mut harness, title, n + 1);
    }
    wait_for(&mut harness, "four selected", |h| {
        h.query_by_label("4 selected").is_some()
    });
    harness.get_by_label("Tag them").click();
    harness.get_by_label("Tag them").type_text("xiaomi");
    harness.get_by_label("Tag all").click();
    wait_for(&mut harness, "the tag on four articles", |h| {
        h.query_by_label("xiaomi (4)").is_some() && h.query_by_label("xiaomi").is_some()
    });
    let mut sorted = four.clone();
    sorted.sort();
    assert_eq!(tagged(&path, "xiaomi"), sorted);

    undo(&mut harness);
    wait_for(&mut harness, "the tag taken off three", |h| {
        h.query_by_label("Undid: tag 'xiaomi' added to 4 articles")
            .is_some()
            && h.query_by_label("xiaomi (1)").is_some()
    });
    assert_eq!(tagged(&path, "xiaomi"), vec![four[1].clone()]);
    // The open article (one of the four) shows no tag any more.
    wait_for(&mut harness, "the inspector without the tag", |h| {
        h.query_by_label("Remove tag xiaomi").is_none()
    });

    redo(&mut harness);
    wait_for(&mut harness, "the tag on four again", |h| {
        h.query_by_label("Redid: tag 'xiaomi' added to 4 articles")
            .is_some()
            && h.query_by_label("xiaomi (4)").is_some()
            && h.query_by_label("Remove tag xiaomi").is_some()
    });
    assert_eq!(tagged(&path, "xiaomi"), sorted);
    // The Edit menu names the step undo would take back.
    // The menu bar's Edit (drawn before the note's Edit | Preview).
    harness.query_all_by_label("Edit").next().unwrap().click();
    harness.run_steps(2);
    assert!(
        harness
            .query_by_label_contains("Undo tag 'xiaomi' added to 4 articles")
            .is_some()
    );
    // Nothing undone is left to redo: Redo is greyed.
    assert!(
        harness
            .get_by_label_contains("Redo")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn a_tag_added_and_removed_in_the_inspector_is_undone_and_redone() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let mut harness = app(&path);
    open_seed(&mut harness);
    harness.get_by_label("Add tag").click();
    harness.get_by_label("Add tag").type_text("手机");
    harness.get_by_label("Add").click();
    wait_for(&mut harness, "the new tag", |h| {
        h.query_by_label("手机 (1)").is_some()
    });
    undo(&mut harness);
    wait_for(&mut harness, "the tag gone", |h| {
        h.query_by_label("Undid: tag '手机' added to 1 article")
            .is_some()
            && h.query_by_label("手机 (1)").is_none()
            && h.query_by_label("Remove tag 手机").is_none()
    });
    // A tag the change made goes with its undo (no "手机 (0)" left behind).
    assert!(
        !Library::open(&path)
            .unwrap()
            .tags()
            .unwrap()
            .iter()
            .any(|t| t.name == "手机")
    );
    redo(&mut harness);
    wait_for(&mut harness, "the tag back", |h| {
        h.query_by_label("手机 (1)").is_some() && h.query_by_label("Remove tag 手机").is_some()
    });
    harness.get_by_label("Remove tag 手机").click();
    wait_for(&mut harness, "the tag removed", |h| {
        h.query_by_label("Remove tag 手机").is_none()
    });
    undo(&mut harness);
    wait_for(&mut harness, "the tag put back", |h| {
        h.query_by_label("Undid: tag '手机' removed from 1 article")
            .is_some()
            && h.query_by_label("Remove tag 手机").is_some()
    });
    assert_eq!(tagged(&path, "手机"), vec![SEED_TITLE.to_owned()]);
}

#[test]
fn star_and_read_marks_are_undone_and_redone() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let total = titles_by_date(&path).len();
    let mut harness = app(&path);
    open_seed(&mut harness);
    harness.get_by_label("☆ Star").click();
    wait_for(&mut harness, "starred", |h| {
        h.query_by_label("Starred (1)").is_some() && h.query_by_label("★ Starred").is_some()
    });
    undo(&mut harness);
    wait_for(&mut harness, "unstarred", |h| {
        h.query_by_label("Undid: 1 article starred").is_some()
            && h.query_by_label("★ Starred").is_none()
            && h.query_by_label("Starred").is_some()
    });
    let seed = seed_id(&path);
    assert!(
        !Library::open(&path)
            .unwrap()
            .reading_state(seed)
            .unwrap()
            .starred
    );
    redo(&mut harness);
    wait_for(&mut harness, "starred again", |h| {
        h.query_by_label("Redid: 1 article starred").is_some()
            && h.query_by_label("★ Starred").is_some()
    });
    harness.get_by_label("Mark read").click();
    wait_for(&mut harness, "read", |h| {
        h.query_by_label(&format!("Unread ({})", total - 1))
            .is_some()
    });
    undo(&mut harness);
    wait_for(&mut harness, "unread again", |h| {
        h.query_by_label("Undid: 1 article marked read").is_some()
            && h.query_by_label(&format!("Unread ({total})")).is_some()
    });
    // Only the read mark was undone: the star stays.
    let state = Library::open(&path).unwrap().reading_state(seed).unwrap();
    assert!(state.read_at.is_none() && state.starred, "{state:?}");

    // Read long ago, marked unread, undone: read at that time again.
    let long_ago = "2020-01-02T03:04:05Z".to_owned();
    Library::open(&path)
        .unwrap()
        .mark_read_at(&[(seed, long_ago.clone())])
        .unwrap();
    wait_for(&mut harness, "read by another process", |h| {
        h.query_by_label("✔ Read").is_some()
    });
    harness.get_by_label("✔ Read").click();
    wait_for(&mut harness, "unread", |h| {
        h.query_by_label("Mark read").is_some()
    });
    undo(&mut harness);
    wait_for(&mut harness, "read again", |h| {
        h.query_by_label("Undid: 1 article marked unread").is_some()
            && h.query_by_label("✔ Read").is_some()
    });
    let state = Library::open(&path).unwrap().reading_state(seed).unwrap();
    assert_eq!(state.read_at, Some(long_ago));
}

#[test]
fn a_note_editing_session_is_one_step_and_ctrl_z_in_the_note_undoes_typing_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let seed = seed_id(&path);
    Library::open(&path)
        .unwrap()
        .set_note(seed, "Before.")
        .unwrap();
    let clock = Clock::default();
    let mut harness = app_on_clock(&path, &clock);
    open_seed(&mut harness);
    // A tag first: the step that Ctrl+Z in the note must not take back.
    harness.get_by_label("Add tag").click();
    harness.get_by_label("Add tag").type_text("keep");
    harness.get_by_label("Add").click();
    wait_for(&mut harness, "the tag", |h| {
        h.query_by_label("keep (1)").is_some()
    });
    let note = "Markdown; saved as you type";
    // Two saves while editing: one session.
    for part in [" One.", " Two."] {
        harness.get_by_label(note).click();
        harness.run_steps(2);
        harness.key_press(egui::Key::End);
        harness.get_by_label(note).type_text(part);
        harness.run_steps(2);
        clock.skip(Timers::default().note_pause);
        wait_for(&mut harness, "the note saved", |h| {
            h.query_by_label("saved").is_some()
        });
    }
    let saved = Library::open(&path).unwrap().note(seed).unwrap();
    assert_eq!(saved.as_deref(), Some("Before. One. Two."));
    // Ctrl+Z with the note focused is the field's own undo.
    harness.get_by_label(note).click();
    harness.run_steps(2);
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(4);
    assert!(harness.query_by_label("keep (1)").is_some());
    assert!(harness.query_by_label_contains("Undid").is_none());
    let typed = harness.get_by_label(note).value().unwrap();
    assert_ne!(typed, "Before. One. Two.", "the field's typing was undone");
    assert!(typed.starts_with("Before."), "{typed:?}");

    undo(&mut harness);
    wait_for(&mut harness, "the note as it was", |h| {
        h.query_by_label("Undid: note edited").is_some()
            && h.get_by_label(note).value().as_deref() == Some("Before.")
    });
    assert_eq!(
        Library::open(&path).unwrap().note(seed).unwrap().as_deref(),
        Some("Before.")
    );
    // The tag, an earlier step, is still there.
    assert!(harness.query_by_label("keep (1)").is_some());
    // Redo gives the note as the session left it (the field's undo included).
    redo(&mut harness);
    wait_for(&mut harness, "the note edited again", |h| {
        h.query_by_label("Redid: note edited").is_some()
            && h.get_by_label(note).value().as_deref() == Some(typed.as_str())
    });
    assert_eq!(
        Library::open(&path).unwrap().note(seed).unwrap(),
        Some(typed)
    );
}

#[test]
fn a_highlight_made_is_undone_and_redone_with_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let seed = seed_id(&path);
    let mut harness = app(&path);
    open_seed(&mut harness);
    // Made: the whole article selected, H.
    harness.get_by_label(SEED_CAPTION).click();
    harness.run_steps(2);
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(2);
    harness.key_press(egui::Key::H);
    wait_for(&mut harness, "the highlight", |h| {
        h.query_by_label("Highlights (1)").is_some()
    });
    let highlights = |path: &Path| {
        Library::open(path)
            .unwrap()
            .highlights(Some(&[seed]))
            .unwrap()
    };
    let made = highlights(&path).remove(0);
    undo(&mut harness);
    wait_for(&mut harness, "the highlight gone", |h| {
        h.query_by_label("Undid: highlight added").is_some()
            && h.query_by_label("Highlights (0)").is_some()
    });
    assert!(highlights(&path).is_empty());
    redo(&mut harness);
    wait_for(&mut harness, "the highlight back", |h| {
        h.query_by_label("Redid: highlight added").is_some()
            && h.query_by_label("Highlights (1)").is_some()
    });
    assert_eq!(highlights(&path)[0].id, made.id);
}

#[test]
fn undoing_a_highlight_made_refuses_once_it_has_a_comment() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let seed = seed_id(&path);
    let mut harness = app(&path);
    open_seed(&mut harness);
    harness.get_by_label(SEED_CAPTION).click();
    harness.run_steps(2);
    press(&mut harness, egui::Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(2);
    harness.key_press(egui::Key::H);
    wait_for(&mut harness, "the highlight", |h| {
        h.query_by_label("Highlights (1)").is_some()
    });
    // Another process comments on it (not a step of this window).
    let made = Library::open(&path)
        .unwrap()
        .highlights(Some(&[seed]))
        .unwrap()[0]
        .id;
    Library::open(&path)
        .unwrap()
        .set_highlight_comment(made, "written since")
        .unwrap();
    undo(&mut harness);
    wait_for(&mut harness, "the refusal", |h| {
        h.query_by_label_contains("Could not undo \"highlight added\"")
            .is_some()
    });
    let kept = Library::open(&path)
        .unwrap()
        .highlights(Some(&[seed]))
        .unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].comment, "written since");
}

#[test]
fn a_highlights_colour_and_comment_are_undone_and_a_deletion_redone() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let quote: String = seed_paragraphs()[0].chars().take(10).collect();
    let id = highlight_in_seed(&path, &quote, "first");
    let stored = |path: &Path| Library::open(path).unwrap().highlight(id).unwrap();
    let mut harness = app(&path);
    open_seed(&mut harness);
    harness.get_by_label(&quote_label(&quote)).click();
    wait_for(&mut harness, "the comment editor", |h| {
        h.query_by_label("Delete highlight").is_some()
    });
    harness.get_by_label("Blue").click();
    wait_for(&mut harness, "blue", |h| {
        h.query_by_label("✔ Blue").is_some()
    });
    undo(&mut harness);
    wait_for(&mut harness, "green again", |h| {
        h.query_by_label("Undid: highlight colour changed")
            .is_some()
    });
    assert_eq!(stored(&path).colour, Colour::Green);
    // The editor stays open, its colour as it was.
    assert!(harness.query_by_label("✔ Green").is_some());
    harness.get_by_label("Comment on the highlight").click();
    harness.run_steps(2);
    harness
        .get_by_label("Comment on the highlight")
        .type_text(" and second");
    harness.get_by_label("Save comment").click();
    wait_for(&mut harness, "the comment saved", |h| {
        h.query_by_label("first and second").is_some()
    });
    undo(&mut harness);
    wait_for(&mut harness, "the comment as it was", |h| {
        h.query_by_label("Undid: highlight comment edited")
            .is_some()
            && h.query_by_label("first and second").is_none()
    });
    assert_eq!(stored(&path).comment, "first");
    redo(&mut harness);
    wait_for(&mut harness, "the comment again", |h| {
        h.query_by_label("Redid: highlight comment edited")
            .is_some()
    });
    assert_eq!(stored(&path).comment, "first and second");

    harness.get_by_label("Delete highlight").click();
    wait_for(&mut harness, "the highlight gone", |h| {
        h.query_by_label("Highlights (0)").is_some()
    });
    undo(&mut harness);
    wait_for(&mut harness, "the highlight back", |h| {
        h.query_by_label("Undid: highlight deleted").is_some()
            && h.query_by_label("Highlights (1)").is_some()
    });
    redo(&mut harness);
    wait_for(&mut harness, "deleted again", |h| {
        h.query_by_label("Redid: highlight deleted").is_some()
            && h.query_by_label("Highlights (0)").is_some()
    });
}

#[test]
fn a_collection_saved_renamed_and_deleted_is_undone_and_redone() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let mut harness = app(&path);
    wait_for(&mut harness, "the list", |h| {
        h.query_by_label(SEED_TITLE).is_some()
    });
    search_for(&mut harness, "小米");
    wait_for(&mut harness, "the search", |h| {
        h.query_by_label("1 article").is_some()
    });
    harness.get_by_label("Save…").click();
    wait_for(&mut harness, "the save window", |h| {
        h.query_by_label("Collection name").is_some()
    });
    harness.get_by_label("Collection name").type_text("Phones");
    harness.get_by_label("Save").click();
    wait_for(&mut harness, "the collection", |h| {
        h.query_by_label("Phones (1)").is_some()
    });
    let names = |path: &Path| -> Vec<String> {
        Library::open(path)
            .unwrap()
            .collections()
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    undo(&mut harness);
    wait_for(&mut harness, "no collection", |h| {
        h.query_by_label("Undid: collection 'Phones' saved")
            .is_some()
            && h.query_by_label("Phones (1)").is_none()
    });
    assert!(names(&path).is_empty());
    redo(&mut harness);
    wait_for(&mut harness, "the collection again", |h| {
        h.query_by_label("Phones (1)").is_some()
    });

    harness.get_by_label("Phones (1)").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Rename…").click();
    wait_for(&mut harness, "the rename window", |h| {
        h.query_by_label("Collection name").is_some()
    });
    harness.get_by_label("Collection name").click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Collection name").type_text("Xiaomi");
    harness.get_by_label("Rename").click();
    wait_for(&mut harness, "the renamed collection", |h| {
        h.query_by_label("Xiaomi (1)").is_some()
    });
    undo(&mut harness);
    wait_for(&mut harness, "the old name", |h| {
        h.query_by_label("Undid: collection 'Phones' renamed to 'Xiaomi'")
            .is_some()
            && h.query_by_label("Phones (1)").is_some()
    });
    assert_eq!(names(&path), ["Phones"]);

    harness.get_by_label("Phones (1)").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Delete collection").click();
    wait_for(&mut harness, "the collection deleted", |h| {
        h.query_by_label("Phones (1)").is_none()
    });
    undo(&mut harness);
    wait_for(&mut harness, "the collection back", |h| {
        h.query_by_label("Undid: collection 'Phones' deleted")
            .is_some()
            && h.query_by_label("Phones (1)").is_some()
    });
    let library = Library::open(&path).unwrap();
    assert_eq!(library.collections().unwrap()[0].query, "小米");
}

#[test]
fn a_tag_merged_into_another_is_put_back_with_its_own_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let titles = titles_by_date(&path);
    let ids = ids_of(&path, &titles[..3]);
    {
        let mut library = Library::open(&path).unwrap();
        // phones on 0 and 1, mobile on 1 and 2, coloured.
        library.tag_many(&ids[..2], "phones", true).unwrap();
        library.tag_many(&ids[1..], "mobile", true).unwrap();
        library.set_tag_colour("phones", Some("#d04040")).unwrap();
    }
    let mut harness = app(&path);
    wait_for(&mut harness, "the tags", |h| {
        h.query_by_label("phones (2)").is_some() && h.query_by_label("mobile (2)").is_some()
    });
    harness.get_by_label("phones (2)").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Rename or merge…").click();
    wait_for(&mut harness, "the rename window", |h| {
        h.query_by_label("New name").is_some()
    });
    harness.get_by_label("New name").click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("New name").type_text("mobile");
    harness.get_by_label("Rename").click();
    wait_for(&mut harness, "the merged tag", |h| {
        h.query_by_label("mobile (3)").is_some() && h.query_by_label("phones (2)").is_none()
    });
    undo(&mut harness);
    wait_for(&mut harness, "both tags again", |h| {
        h.query_by_label("Undid: tag 'phones' renamed to 'mobile'")
            .is_some()
            && h.query_by_label("phones (2)").is_some()
            && h.query_by_label("mobile (2)").is_some()
    });
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(tagged(&path, "phones"), sorted(titles[..2].to_vec()));
    assert_eq!(tagged(&path, "mobile"), sorted(titles[1..3].to_vec()));
    let tags = Library::open(&path).unwrap().tags().unwrap();
    let phones = tags.iter().find(|t| t.name == "phones").unwrap();
    assert_eq!(phones.colour.as_deref(), Some("#d04040"));
    redo(&mut harness);
    wait_for(&mut harness, "merged again", |h| {
        h.query_by_label("mobile (3)").is_some() && h.query_by_label("phones (2)").is_none()
    });

    // A colour set from the context menu, undone.
    harness.get_by_label("mobile (3)").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Colour").click();
    harness.run_steps(2);
    harness.get_by_label("Blue").click();
    wait_for(&mut harness, "the colour", |h| {
        h.query_by_label_contains("Colour").is_none()
    });
    let colour = |path: &Path| {
        Library::open(path)
            .unwrap()
            .tags()
            .unwrap()
            .into_iter()
            .find(|t| t.name == "mobile")
            .unwrap()
            .colour
    };
    wait_for(&mut harness, "the colour stored", |_| {
        colour(&path).as_deref() == Some("#3a6ad0")
    });
    undo(&mut harness);
    wait_for(&mut harness, "no colour", |h| {
        h.query_by_label("Undid: colour of tag 'mobile' set")
            .is_some()
    });
    // The colour it had before: the merged tag took the one of "phones".
    assert_eq!(colour(&path).as_deref(), Some("#d04040"));
}

#[test]
fn a_bulk_trash_is_undone_and_redone_with_the_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let titles = titles_by_date(&path);
    let total = titles.len();
    let mut harness = app(&path);
    open_article(&mut harness, &titles[0], &titles[0]);
    for (n, title) in titles[1..3].iter().enumerate() {
        ctrl_click_row(&mut harness, title, n + 1);
    }
    wait_for(&mut harness, "two selected", |h| {
        h.query_by_label("2 selected").is_some()
    });
    harness.get_by_label("Trash selected").click();
    wait_for(&mut harness, "two fewer", |h| {
        h.query_by_label(&articles_count(total - 2)).is_some()
    });
    undo(&mut harness);
    wait_for(&mut harness, "every article back", |h| {
        h.query_by_label("Undid: 2 articles moved to the trash")
            .is_some()
            && h.query_by_label(&articles_count(total)).is_some()
            && h.query_by_label(&titles[2]).is_some()
    });
    redo(&mut harness);
    wait_for(&mut harness, "two in the trash again", |h| {
        h.query_by_label("Redid: 2 articles moved to the trash")
            .is_some()
            && h.query_by_label(&articles_count(total - 2)).is_some()
    });
    assert_eq!(
        Library::open(&path).unwrap().count(None).unwrap(),
        (total - 2) as u64
    );
}

#[test]
fn a_corrected_detail_is_undone_to_the_earlier_correction_then_to_what_folio_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let seed = seed_id(&path);
    let mut harness = app(&path);
    open_seed(&mut harness);
    let correct = |harness: &mut Harness<'_, FolioApp>, byline: &str| {
        harness.get_by_label("Correct details…").click();
        wait_for(harness, "the fields", |h| {
            h.query_by_label("Corrected byline").is_some()
        });
        harness.get_by_label("Corrected byline").click();
        harness.step();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.get_by_label("Corrected byline").type_text(byline);
        harness.get_by_label("Save details").click();
    };
    let byline = |path: &Path| {
        Library::open(path)
            .unwrap()
            .article(seed)
            .unwrap()
            .article
            .byline
    };
    let read = byline(&path);
    correct(&mut harness, "First Writer");
    wait_for(&mut harness, "the first correction", |h| {
        h.query_by_label_contains("Byline corrected").is_some()
    });
    correct(&mut harness, "Second Writer");
    wait_for(&mut harness, "the second correction", |_| {
        byline(&path).as_deref() == Some("Second Writer")
    });
    undo(&mut harness);
    wait_for(&mut harness, "the first correction again", |h| {
        h.query_by_label("Undid: details corrected (byline)")
            .is_some()
    });
    assert_eq!(byline(&path).as_deref(), Some("First Writer"));
    undo(&mut harness);
    wait_for(&mut harness, "as Folio read it", |h| {
        h.query_by_label("As Folio read them.").is_some()
    });
    assert_eq!(byline(&path), read);
    redo(&mut harness);
    wait_for(&mut harness, "corrected again", |h| {
        h.query_by_label_contains("Byline corrected").is_some()
    });
    assert_eq!(byline(&path).as_deref(), Some("First Writer"));
}

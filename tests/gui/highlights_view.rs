//! The library-wide highlights view (issue 26): every highlight listed
//! with its article, narrowed by the search box, a click opening the
//! article at the passage, an orphan with its reason, and the chosen
//! highlights copied as Markdown with their citations.

use super::*;
use folio::library::{ArticleId, Colour, HighlightOrder};

/// Highlight chars `start..start + len` of article `id`'s canonical text;
/// the quote, as the view shows it.
fn highlight_chars(path: &Path, id: ArticleId, start: usize, len: usize, comment: &str) -> String {
    let mut library = Library::open(path).unwrap();
    let text = library.canonical_text(id).unwrap().text;
    let quote: String = text.chars().skip(start).take(len).collect();
    assert!(!quote.contains('\n'), "{quote:?}");
    library
        .add_highlight(id, start..start + len, Colour::Blue, comment)
        .unwrap();
    quote
}

/// An article of the corpus that `小米` does not find, and its title.
fn other_article(path: &Path) -> (ArticleId, String) {
    let library = Library::open(path).unwrap();
    let xiaomi = library.matching_ids(Some("小米")).unwrap();
    assert!(xiaomi.contains(&seed_id(path)));
    let other = library
        .matching_ids(None)
        .unwrap()
        .into_iter()
        .find(|id| !xiaomi.contains(id))
        .expect("an article without 小米");
    let title = library.article(other).unwrap().article.title;
    (other, title)
}

/// Click "Highlights" at the top of the library pane.
fn show_highlights(harness: &mut Harness<'_, FolioApp>) {
    wait_for(harness, "the list", |h| {
        h.query_by_label(SEED_TITLE).is_some()
    });
    harness.get_by_label("Highlights").click();
    harness.step();
}

#[test]
fn the_highlights_view_lists_every_highlight_and_the_search_narrows_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let seed_quote = highlight_chars(&path, seed_id(&path), 3, 10, "the after-sales point");
    let (other, other_title) = other_article(&path);
    let other_quote = highlight_chars(&path, other, 4, 10, "");
    let mut harness = app(&path);
    show_highlights(&mut harness);
    wait_for(&mut harness, "both highlights", |h| {
        h.query_by_label(&seed_quote).is_some() && h.query_by_label(&other_quote).is_some()
    });
    assert!(harness.query_by_label("2 highlights").is_some());
    // Each row says whose it is and what was said.
    assert!(harness.query_by_label("the after-sales point").is_some());
    assert!(
        harness
            .query_by_label(&format!("Highlight in {other_title}"))
            .is_some()
    );
    let meta = format!("{SEED_TITLE} · 大纪元 · 2022-09-22");
    assert!(
        harness
            .query_by(|n| n.value().is_some_and(|v| v.starts_with(&meta)))
            .is_some()
    );
    search_for(&mut harness, "小米");
    wait_for(&mut harness, "only the seed's highlight", |h| {
        h.query_by_label("1 highlight").is_some()
            && h.query_by_label(&other_quote).is_none()
            && h.query_by_label(&seed_quote).is_some()
    });
    // Back to the articles: the list is there again.
    harness.get_by_label("Articles").click();
    wait_for(&mut harness, "the article list", |h| {
        h.query_by_label(&articles_count(1)).is_some()
    });
    assert!(harness.query_by_label(&seed_quote).is_none());
}

#[test]
fn a_click_in_the_highlights_view_opens_the_article_at_the_passage() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let paragraphs = seed_paragraphs();
    let last = paragraphs.last().unwrap();
    let quote: String = last.chars().take(12).collect();
    highlight_in_seed(&path, &quote, "");
    let mut harness = app(&path);
    show_highlights(&mut harness);
    wait_for(&mut harness, "the highlight", |h| {
        h.query_by_label(&quote).is_some()
    });
    assert!(
        harness.query_by_label(SEED_CAPTION).is_none(),
        "the seed is open already"
    );
    harness.get_by_label(&quote).click();
    wait_for(&mut harness, "the reader at the passage", |h| {
        h.query_by_label(last).is_some_and(|n| {
            let rect = n.rect();
            rect.top() >= 0.0 && rect.top() < 800.0
        })
    });
    assert!(harness.query_by_label("Comment on the highlight").is_some());
}

#[test]
fn an_orphan_is_listed_under_its_article_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_orphan(dir.path());
    let mut harness = app(&path);
    wait_for(&mut harness, "the list", |h| {
        h.query_by_label("Harbour board").is_some()
    });
    harness.get_by_label("Highlights").click();
    wait_for(&mut harness, "the orphan", |h| {
        h.query_by_label("discuss the new breakwater").is_some()
    });
    assert!(
        harness
            .query_by_label("Orphaned: its passage is no longer in the article")
            .is_some()
    );
    assert!(harness.query_by_label("keep me").is_some());
    assert!(
        harness
            .query_by_label("Highlight in Harbour board")
            .is_some()
    );
}

#[test]
fn chosen_highlights_are_copied_as_markdown_with_their_citations() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    let first = highlight_chars(&path, seed_id(&path), 3, 10, "first comment");
    let (other, other_title) = other_article(&path);
    let second = highlight_chars(&path, other, 4, 10, "second comment");
    let mut harness = app(&path);
    show_highlights(&mut harness);
    wait_for(&mut harness, "both highlights", |h| {
        h.query_by_label(&first).is_some() && h.query_by_label(&second).is_some()
    });
    harness.get_by_label(&first).click();
    harness.step();
    harness
        .get_by_label(&second)
        .click_modifiers(egui::Modifiers::COMMAND);
    wait_for(&mut harness, "two chosen", |h| {
        h.query_by_label("2 selected").is_some()
    });
    harness.get_by_label("Copy as Markdown").click();
    let copied = copied_from_worker(&mut harness).expect("nothing copied");
    // Newest first: the second highlight was made last.
    let library = Library::open(&path).unwrap();
    let order = library.highlight_ids(None, HighlightOrder::Newest).unwrap();
    let entries = library.highlight_entries(&order).unwrap();
    assert_eq!(entries[0].highlight.quote.exact, second);
    let at = |s: &str| {
        copied
            .find(s)
            .unwrap_or_else(|| panic!("{s:?} not in {copied}"))
    };
    assert!(
        at(&format!("> {second}\n\nsecond comment\n\n— "))
            < at(&format!("> {first}\n\nfirst comment\n\n— "))
    );
    // Each quote's source line is its article's citation (title included).
    let blocks: Vec<&str> = copied.split("\n> ").collect();
    assert_eq!(blocks.len(), 2, "{copied}");
    // (A citation puts a title on one line: its ideographic space is a space.)
    let other_title = other_title.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(blocks[0].contains(&other_title), "{copied}");
    assert!(blocks[1].contains(SEED_TITLE), "{copied}");
    assert!(
        harness
            .query_by_label("Copied 2 highlights as Markdown")
            .is_some()
    );
}

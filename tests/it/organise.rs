//! Organising a library (issue 13) through the library API, as the window
//! and the CLI use it: the tag hierarchy, collections (saved searches),
//! reading state, sort orders, search snippets, the trash and the counts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::sync::atomic::AtomicBool;

use folio::library::{
    ArticleId, ExportJob, ImportMode, Library, LibraryError, SortBy, SortOrder, StoreOutcome,
};
use folio::model::{Article, Block, Inline};

fn article(title: &str, body: &str, published: Option<&str>, site: Option<&str>) -> Article {
    Article {
        title: title.to_owned(),
        blocks: vec![Block::Paragraph {
            inlines: vec![Inline::text(body)],
        }],
        published: published.map(str::to_owned),
        site: site.map(str::to_owned),
        ..Article::default()
    }
}

fn store(lib: &mut Library, a: &Article) -> ArticleId {
    let name = format!("{}.html", a.title);
    match lib
        .store_article(
            &common::source(&name, &format!("<html>{}</html>", a.title)),
            a,
            ImportMode::SkipDuplicates,
        )
        .unwrap()
    {
        StoreOutcome::Imported(id) => id,
        other => panic!("not stored: {other:?}"),
    }
}

/// A library on disk with five articles: titles `a`..`e`.
pub(crate) fn library() -> (tempfile::TempDir, Library, Vec<ArticleId>) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let rows = [
        (
            "Alpha report",
            "solar panels on every roof",
            Some("2021-03-01"),
            Some("Beta site"),
        ),
        ("bravo notes", "wind farms at sea", None, Some("alpha site")),
        (
            "Charlie",
            "solar and wind together",
            Some("2023-01-10"),
            None,
        ),
        (
            "delta",
            "nothing about energy",
            Some("2019-07-07"),
            Some("Gamma"),
        ),
        ("Echo", "geothermal heat", None, None),
    ];
    let ids = rows
        .iter()
        .map(|(t, b, p, s)| store(&mut lib, &article(t, b, *p, *s)))
        .collect();
    (dir, lib, ids)
}

fn titles(lib: &Library, query: Option<&str>, order: SortOrder) -> Vec<String> {
    lib.list(query, order, 100, 0)
        .unwrap()
        .into_iter()
        .map(|s| s.title)
        .collect()
}

fn count(lib: &Library, query: &str) -> u64 {
    lib.count(Some(query)).unwrap()
}

// ---- tag hierarchy ----------------------------------------------------------

#[test]
fn tag_parent_matches_its_children_and_negated_excludes_them_all() {
    let (_dir, mut lib, ids) = library();
    lib.add_tags(ids[0], &["research"]).unwrap();
    lib.add_tags(ids[1], &["Research/2021"]).unwrap();
    lib.add_tags(ids[2], &["research / 2021/q1"]).unwrap();
    lib.add_tags(ids[3], &["researcher"]).unwrap();
    assert_eq!(count(&lib, "tag:research"), 3);
    assert_eq!(count(&lib, "tag:RESEARCH/2021"), 2);
    assert_eq!(count(&lib, "tag:research/2021/q1"), 1);
    // `researcher` is not below `research`.
    assert_eq!(count(&lib, "-tag:research"), 2);
    assert_eq!(count(&lib, "tag:researcher"), 1);
    // A parent that is only a path.
    lib.add_tags(ids[4], &["topics/energy"]).unwrap();
    assert_eq!(count(&lib, "tag:topics"), 1);
    assert_eq!(count(&lib, "solar tag:research"), 2);
}

#[test]
fn tag_tree_counts_own_and_with_descendants_each_article_once() {
    let (_dir, mut lib, ids) = library();
    lib.add_tags(ids[0], &["research", "research/2021"])
        .unwrap();
    lib.add_tags(ids[1], &["research/2021", "research/2022"])
        .unwrap();
    lib.add_tags(ids[2], &["research/2022"]).unwrap();
    lib.add_tags(ids[3], &["topics/energy"]).unwrap();
    lib.add_tags(ids[4], &["Ähnlich"]).unwrap();
    lib.trash(ids[2]).unwrap();
    let tree = lib.tag_tree().unwrap();
    let rows: Vec<(String, usize, bool, u64, u64)> = tree
        .iter()
        .map(|n| (n.name.clone(), n.depth, n.exists, n.count, n.total))
        .collect();
    assert_eq!(
        rows,
        [
            ("research".to_owned(), 0, true, 1, 2),
            ("research/2021".to_owned(), 1, true, 2, 2),
            ("research/2022".to_owned(), 1, true, 1, 1),
            ("topics".to_owned(), 0, false, 0, 1),
            ("topics/energy".to_owned(), 1, true, 1, 1),
            ("Ähnlich".to_owned(), 0, true, 1, 1),
        ]
    );
    assert_eq!(tree[1].label, "2021");
    // What `tag:` finds is the node's total.
    for node in &tree {
        assert_eq!(
            count(&lib, &format!("tag:\"{}\"", node.name)),
            node.total,
            "{}",
            node.name
        );
    }
}

#[test]
fn renaming_a_parent_tag_renames_its_children() {
    let (_dir, mut lib, ids) = library();
    lib.add_tags(ids[0], &["research"]).unwrap();
    lib.add_tags(ids[1], &["research/2021"]).unwrap();
    lib.add_tags(ids[2], &["Research/2021/q1", "study/2021"])
        .unwrap();
    lib.rename_tag("RESEARCH", "study").unwrap();
    let names: Vec<String> = lib.tags().unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["study", "study/2021", "study/2021/q1"]);
    assert_eq!(count(&lib, "tag:study"), 3);
    assert_eq!(count(&lib, "tag:study/2021"), 2);
    assert_eq!(count(&lib, "tag:research"), 0);
    // Renaming only a path (no tag `study/2021/q1`'s parent `x`) works too,
    // and a tag cannot go below itself.
    let err = lib.rename_tag("study", "study/old").unwrap_err();
    assert!(err.to_string().contains("below"), "{err}");
    assert!(matches!(
        lib.rename_tag("nothing", "x"),
        Err(LibraryError::NoSuchTag(_))
    ));
}

#[test]
fn colouring_a_parent_colours_children_without_their_own_colour() {
    let (_dir, mut lib, ids) = library();
    lib.add_tags(ids[0], &["research/2021", "research/2022"])
        .unwrap();
    lib.set_tag_colour("research/2022", Some("#00aa00"))
        .unwrap();
    // `research` is only a path: colouring it makes it a tag.
    lib.set_tag_colour("Research", Some("#d04040")).unwrap();
    let tree = lib.tag_tree().unwrap();
    let colour = |name: &str| {
        let node = tree.iter().find(|n| n.name == name).unwrap();
        (node.colour.clone(), node.own_colour.clone())
    };
    assert_eq!(
        colour("Research"),
        (Some("#d04040".into()), Some("#d04040".into()))
    );
    assert_eq!(colour("research/2021"), (Some("#d04040".into()), None));
    assert_eq!(
        colour("research/2022"),
        (Some("#00aa00".into()), Some("#00aa00".into()))
    );
    // Clearing the parent's colour clears what the children inherited.
    lib.set_tag_colour("research", None).unwrap();
    let tree = lib.tag_tree().unwrap();
    assert!(
        tree.iter()
            .find(|n| n.name == "research/2021")
            .unwrap()
            .colour
            .is_none()
    );
}

// ---- collections ------------------------------------------------------------

#[test]
fn a_collection_works_in_any_query_and_follows_the_library() {
    let (_dir, mut lib, ids) = library();
    assert!(lib.save_collection("Energy", "solar OR wind").unwrap());
    assert_eq!(count(&lib, "collection:energy"), 3);
    assert_eq!(count(&lib, "collection:ENERGY after:2022"), 1);
    assert_eq!(count(&lib, "-collection:Energy"), 2);
    assert_eq!(count(&lib, "collection:Energy OR geothermal"), 4);
    // Nested, and live: a new tag changes the count.
    lib.save_collection("Tagged energy", "collection:Energy tag:keep")
        .unwrap();
    assert_eq!(count(&lib, "collection:\"tagged energy\""), 0);
    lib.add_tags(ids[0], &["keep"]).unwrap();
    assert_eq!(count(&lib, "collection:\"Tagged energy\""), 1);
    // Saving again replaces the query.
    assert!(!lib.save_collection("energy", "geothermal").unwrap());
    assert_eq!(count(&lib, "collection:Energy"), 1);
    let all = lib.collections().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].name, "Energy");
    assert_eq!(all[0].query, "geothermal");
    // Unknown names are an error, not "everything".
    let err = lib.count(Some("collection:nope")).unwrap_err();
    assert!(err.to_string().contains("no collection named"), "{err}");
    // The search ranks a collection's words like typed ones.
    assert!(lib.ranks("collection:energy").unwrap());
    assert!(lib.ranks("collection:\"tagged energy\"").unwrap());
    assert!(!lib.ranks("tag:keep").unwrap());
    let hits = lib.search("collection:energy", 10, 0).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].summary.title, "Echo");
}

#[test]
fn a_collection_that_refers_to_itself_is_an_error_not_a_hang() {
    let (dir, mut lib, _) = library();
    let err = lib.save_collection("loop", "collection:loop").unwrap_err();
    assert!(err.to_string().contains("refers to itself"), "{err}");
    assert!(lib.collections().unwrap().is_empty());
    lib.save_collection("a", "solar").unwrap();
    lib.save_collection("b", "collection:a wind").unwrap();
    let err = lib.save_collection("A", "collection:b").unwrap_err();
    assert!(err.to_string().contains("refers to itself"), "{err}");
    // The failed save changed nothing.
    assert_eq!(lib.collections().unwrap()[0].query, "solar");
    // A cycle written by another program (or a merge) fails when used.
    drop(lib);
    let path = dir.path().join("lib.folio");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE collections SET query = 'collection:b' WHERE name = 'a'",
        [],
    )
    .unwrap();
    drop(conn);
    let lib = Library::open(&path).unwrap();
    let started = std::time::Instant::now();
    let err = lib
        .list(Some("collection:a"), SortBy::Date, 10, 0)
        .unwrap_err();
    assert!(err.to_string().contains("a → b → a"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let counts = lib.collection_counts().unwrap();
    assert!(
        counts
            .iter()
            .all(|c| c.count.is_none() && c.error.is_some())
    );
    // Deep nesting is bounded too.
    drop(lib);
    let mut lib = Library::open(&path).unwrap();
    lib.save_collection("a", "solar").unwrap();
    for n in 0..12 {
        let query = if n == 0 {
            "solar".to_owned()
        } else {
            format!("collection:n{}", n - 1)
        };
        let saved = lib.save_collection(&format!("n{n}"), &query);
        if n > folio::library::MAX_COLLECTION_DEPTH {
            let err = saved.unwrap_err().to_string();
            assert!(err.contains("nested more than 8 deep"), "{err}");
            break;
        }
        saved.unwrap();
    }
}

#[test]
fn collections_are_renamed_removed_and_their_references_follow() {
    let (_dir, mut lib, _) = library();
    lib.save_collection("solar", "solar").unwrap();
    lib.save_collection("recent solar", "collection:solar after:2022")
        .unwrap();
    lib.rename_collection("SOLAR", "sun power").unwrap();
    let all = lib.collections().unwrap();
    assert_eq!(all[0].name, "recent solar");
    assert_eq!(all[0].query, "collection:\"sun power\" after:2022");
    assert_eq!(count(&lib, "collection:\"recent solar\""), 1);
    lib.save_collection("other", "wind").unwrap();
    assert!(matches!(
        lib.rename_collection("other", "Sun Power"),
        Err(LibraryError::CollectionExists(_))
    ));
    lib.remove_collection("other").unwrap();
    assert!(matches!(
        lib.remove_collection("other"),
        Err(LibraryError::NoSuchCollection(_))
    ));
    assert!(matches!(
        lib.save_collection("  ", "x"),
        Err(LibraryError::BadCollectionName { .. })
    ));
    assert!(lib.save_collection("empty", "  ").is_err());
}

#[test]
fn exports_carry_collections_and_reading_state_and_merge_keeps_both_collections() {
    let (dir, mut lib, ids) = library();
    lib.save_collection("Energy", "solar OR wind").unwrap();
    lib.save_collection("Same", "geothermal").unwrap();
    lib.mark_read(&[ids[0]], true).unwrap();
    lib.set_starred(&[ids[2]], true).unwrap();
    lib.set_reading_position(ids[0], Some(0.25)).unwrap();
    let out = dir.path().join("export.folio");
    let cancel = AtomicBool::new(false);
    folio::export::export_sqlite(
        &lib,
        &ExportJob {
            ids: &ids,
            out: &out,
            overwrite: false,
            progress: &|_| {},
            cancel: &cancel,
        },
    )
    .unwrap();
    let exported = Library::open(&out).unwrap();
    assert_eq!(exported.collections().unwrap().len(), 2);
    assert_eq!(count(&exported, "is:read"), 1);
    assert_eq!(count(&exported, "is:starred"), 1);

    // Another library: the same name with another query, the same name with
    // the same query, and one article of the export already there.
    let mut other = Library::open(&dir.path().join("other.folio")).unwrap();
    other.save_collection("energy", "tag:power").unwrap();
    other.save_collection("Same", "geothermal").unwrap();
    let dup = store(
        &mut other,
        &article(
            "Charlie",
            "solar and wind together",
            Some("2023-01-10"),
            None,
        ),
    );
    other.set_reading_position(dup, Some(0.5)).unwrap();
    let report = other.merge_from(&out, &|_| {}, &cancel).unwrap();
    assert_eq!(report.collections_added, 1);
    let names: Vec<(String, String)> = other
        .collections()
        .unwrap()
        .into_iter()
        .map(|c| (c.name, c.query))
        .collect();
    assert_eq!(
        names,
        [
            ("energy".to_owned(), "tag:power".to_owned()),
            ("Energy (merged)".to_owned(), "solar OR wind".to_owned()),
            ("Same".to_owned(), "geothermal".to_owned()),
        ]
    );
    assert_eq!(count(&other, "is:read"), 1);
    // The article already here: starred by the merge, its own position kept.
    let state = other.reading_state(dup).unwrap();
    assert!(state.starred);
    assert_eq!(state.position, Some(0.5));
    let read = other.list(Some("is:read"), SortBy::Date, 10, 0).unwrap();
    assert_eq!(read[0].title, "Alpha report");
    assert_eq!(
        other.reading_state(read[0].id).unwrap().position,
        Some(0.25)
    );
}

// ---- reading state ----------------------------------------------------------

#[test]
fn marking_read_and_starred_shows_in_filters_rows_and_counts() {
    let (_dir, mut lib, ids) = library();
    assert_eq!(count(&lib, "is:unread"), 5);
    assert_eq!(lib.mark_read(&[ids[0], ids[1], ids[0]], true).unwrap(), 2);
    // Marking again changes nothing and keeps the first time.
    let first = lib.reading_state(ids[0]).unwrap().read_at.unwrap();
    assert_eq!(lib.mark_read(&[ids[0]], true).unwrap(), 0);
    assert_eq!(lib.reading_state(ids[0]).unwrap().read_at.unwrap(), first);
    assert_eq!(lib.set_starred(&[ids[1], ids[2]], true).unwrap(), 2);
    assert_eq!(count(&lib, "is:read"), 2);
    assert_eq!(count(&lib, "is:unread"), 3);
    assert_eq!(count(&lib, "-is:read"), 3);
    assert_eq!(count(&lib, "is:starred"), 2);
    assert_eq!(count(&lib, "-is:starred"), 3);
    assert_eq!(count(&lib, "is:starred is:unread"), 1);
    assert_eq!(count(&lib, "solar is:READ"), 1);
    assert!(
        lib.count(Some("is:later"))
            .unwrap_err()
            .to_string()
            .contains("read, unread, starred or changed")
    );
    let rows = lib
        .list(None, SortOrder::asc(SortBy::Title), 10, 0)
        .unwrap();
    let flags: Vec<(bool, bool)> = rows.iter().map(|r| (r.read, r.starred)).collect();
    assert_eq!(
        flags,
        [
            (true, false),
            (true, true),
            (false, true),
            (false, false),
            (false, false)
        ]
    );
    let stats = lib.stats().unwrap();
    assert_eq!((stats.unread, stats.starred), (3, 2));
    // Unmark; trashed articles leave the counts.
    assert_eq!(lib.mark_read(&[ids[1]], false).unwrap(), 1);
    assert_eq!(lib.set_starred(&[ids[1]], false).unwrap(), 1);
    lib.trash(ids[2]).unwrap();
    let overview = lib.overview().unwrap();
    assert_eq!(
        (
            overview.articles,
            overview.unread,
            overview.starred,
            overview.trashed
        ),
        (4, 3, 0, 1)
    );
    // An unknown id changes nothing.
    assert!(matches!(
        lib.mark_read(&[ids[3], ArticleId(999)], true),
        Err(LibraryError::NoSuchArticle(ArticleId(999)))
    ));
    assert_eq!(count(&lib, "is:read"), 1);
}

#[test]
fn the_reading_position_is_saved_and_restored() {
    let (dir, mut lib, ids) = library();
    assert_eq!(lib.reading_state(ids[3]).unwrap().position, None);
    lib.set_reading_position(ids[3], Some(0.4)).unwrap();
    drop(lib);
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    assert_eq!(lib.reading_state(ids[3]).unwrap().position, Some(0.4));
    assert_eq!(lib.article(ids[3]).unwrap().reading.position, Some(0.4));
    for bad in [-0.1, 1.5, f64::NAN] {
        assert!(matches!(
            lib.set_reading_position(ids[3], Some(bad)),
            Err(LibraryError::BadPosition(_))
        ));
    }
    lib.set_reading_position(ids[3], None).unwrap();
    assert_eq!(lib.reading_state(ids[3]).unwrap().position, None);
    // Storing a position does not mark the article read.
    assert_eq!(count(&lib, "is:read"), 0);
}

// ---- sorting ----------------------------------------------------------------

#[test]
fn every_sort_has_both_directions_with_undated_and_siteless_last() {
    let (_dir, lib, _) = library();
    let t = |order| titles(&lib, None, order);
    assert_eq!(
        t(SortOrder::desc(SortBy::Date)),
        ["Charlie", "Alpha report", "delta", "Echo", "bravo notes"]
    );
    assert_eq!(
        t(SortOrder::asc(SortBy::Date)),
        ["delta", "Alpha report", "Charlie", "bravo notes", "Echo"]
    );
    assert_eq!(
        t(SortOrder::asc(SortBy::Title)),
        ["Alpha report", "bravo notes", "Charlie", "delta", "Echo"]
    );
    assert_eq!(
        t(SortOrder::desc(SortBy::Title)),
        ["Echo", "delta", "Charlie", "bravo notes", "Alpha report"]
    );
    assert_eq!(
        t(SortOrder::asc(SortBy::Added)),
        ["Alpha report", "bravo notes", "Charlie", "delta", "Echo"]
    );
    assert_eq!(
        t(SortOrder::desc(SortBy::Added)),
        ["Echo", "delta", "Charlie", "bravo notes", "Alpha report"]
    );
    assert_eq!(
        t(SortOrder::asc(SortBy::Site)),
        ["bravo notes", "Alpha report", "delta", "Charlie", "Echo"]
    );
    assert_eq!(
        t(SortOrder::desc(SortBy::Site)),
        ["delta", "Alpha report", "bravo notes", "Charlie", "Echo"]
    );
    // The usual directions, and relevance without text is newest first.
    assert_eq!(
        t(SortOrder::new(SortBy::Date)),
        t(SortOrder::desc(SortBy::Date))
    );
    assert_eq!(
        t(SortOrder::new(SortBy::Site)),
        t(SortOrder::asc(SortBy::Site))
    );
    assert_eq!(
        t(SortOrder::new(SortBy::Relevance)),
        t(SortOrder::desc(SortBy::Date))
    );
    // With a text query: relevance ranks, the others sort the matches.
    let ranked = titles(&lib, Some("solar"), SortOrder::new(SortBy::Relevance));
    assert_eq!(ranked.len(), 2);
    assert_eq!(
        titles(&lib, Some("solar"), SortOrder::asc(SortBy::Date)),
        ["Alpha report", "Charlie"]
    );
    let hits = lib
        .search_sorted("solar OR wind", SortOrder::asc(SortBy::Title), 10, 0)
        .unwrap();
    let hit_titles: Vec<&str> = hits.iter().map(|h| h.summary.title.as_str()).collect();
    assert_eq!(hit_titles, ["Alpha report", "bravo notes", "Charlie"]);
    assert!(hits.iter().all(|h| !h.snippet.highlights.is_empty()));
}

// ---- snippets -----------------------------------------------------------------

#[test]
fn a_snippet_is_centred_on_the_match_with_every_match_marked() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let before = "lorem ipsum dolor sit amet ".repeat(20);
    let after = " consectetur adipiscing elit".repeat(20);
    let body = format!("{before}Turbine blades and a turbine tower{after}");
    let id = store(
        &mut lib,
        &article("Wind", &body, Some("2024-02-03"), Some("Example")),
    );
    let hits = lib.search("turbine", 10, 0).unwrap();
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit.summary.id, id);
    assert_eq!(hit.summary.published.as_deref(), Some("2024-02-03"));
    assert_eq!(hit.summary.site.as_deref(), Some("Example"));
    let snippet = &hit.snippet;
    assert!(
        snippet.text.starts_with('…') && snippet.text.ends_with('…'),
        "{}",
        snippet.text
    );
    let marked: Vec<&str> = snippet
        .highlights
        .iter()
        .map(|r| &snippet.text[r.clone()])
        .collect();
    assert_eq!(marked, ["Turbine", "turbine"]);
    // Centred: about as much text before the first match as after it.
    let first = snippet.highlights[0].clone();
    let chars_before = snippet.text[..first.start].chars().count();
    let chars_after = snippet.text[first.end..].chars().count();
    assert!(
        chars_before.abs_diff(chars_after) <= 3,
        "{chars_before} vs {chars_after}"
    );
    // Character ranges for JSON readers.
    let chars: Vec<char> = snippet.text.chars().collect();
    let by_char: Vec<String> = snippet
        .char_ranges()
        .into_iter()
        .map(|r| chars[r].iter().collect())
        .collect();
    assert_eq!(by_char, ["Turbine", "turbine"]);
    // A match near the start gives the rest of the room to the text after it.
    let id = store(
        &mut lib,
        &article("Early", &format!("Geyser{after}"), None, None),
    );
    let hit = lib
        .search("geyser", 10, 0)
        .unwrap()
        .into_iter()
        .find(|h| h.summary.id == id)
        .unwrap();
    assert!(hit.snippet.text.starts_with("Geyser"));
    assert_eq!(hit.snippet.text.chars().count(), "Geyser".len() + 80 + 1);
}

// ---- trash and counts ----------------------------------------------------------

#[test]
fn the_trash_lists_and_empties() {
    let (_dir, mut lib, ids) = library();
    lib.save_collection("all energy", "solar OR wind OR geothermal")
        .unwrap();
    lib.trash(ids[0]).unwrap();
    lib.trash(ids[4]).unwrap();
    let trash: Vec<ArticleId> = lib
        .list_trash(10, 0)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(trash.len(), 2);
    assert!(trash.contains(&ids[0]) && trash.contains(&ids[4]));
    let overview = lib.overview().unwrap();
    assert_eq!(overview.collections[0].count, Some(2));
    assert_eq!(lib.empty_trash().unwrap(), 2);
    assert!(lib.list_trash(10, 0).unwrap().is_empty());
    assert_eq!(lib.empty_trash().unwrap(), 0);
    assert!(lib.check().unwrap().is_empty());
}

/// After each kind of change, the overview counted again only where the
/// change reaches is the overview counted from scratch.
#[test]
fn an_overview_after_a_change_equals_one_counted_from_scratch() {
    use folio::library::Change;
    let (_dir, mut lib, ids) = library();
    lib.add_tags(ids[0], &["research/2021"]).unwrap();
    lib.add_tags(ids[1], &["research"]).unwrap();
    for (name, query) in [
        ("Solar", "solar"),
        ("Research", "tag:research"),
        ("To read", "is:unread"),
        ("Noted", "has:note"),
        ("Unread research", "collection:Research is:unread"),
        ("Recent", "after:2022-01-01"),
    ] {
        lib.save_collection(name, query).unwrap();
    }
    let mut previous = lib.overview().unwrap();
    fn check(lib: &Library, previous: &mut folio::library::Overview, change: Change, what: &str) {
        let after = lib.overview_after(previous, change).unwrap();
        assert_eq!(after, lib.overview().unwrap(), "after {what}");
        *previous = after;
    }
    lib.mark_read(&ids[..2], true).unwrap();
    lib.set_starred(&ids[2..3], true).unwrap();
    check(&lib, &mut previous, Change::Reading, "marking");
    // As the window marks: what the articles counted for before and after.
    for (marked, read) in [(&ids[1..4], false), (&ids[0..5], true), (&ids[3..4], false)] {
        let before = lib.marked_part(&previous, marked).unwrap();
        lib.mark_read(marked, read).unwrap();
        lib.set_starred(marked, !read).unwrap();
        let after = lib.marked_part(&previous, marked).unwrap();
        let next = lib.overview_marked(&previous, &before, &after).unwrap();
        assert_eq!(
            next,
            lib.overview().unwrap(),
            "marking {marked:?} read: {read}"
        );
        previous = next;
    }
    lib.add_tags(ids[3], &["research/2022"]).unwrap();
    lib.remove_tags(ids[1], &["research"]).unwrap();
    check(&lib, &mut previous, Change::Tags, "tagging");
    lib.set_note(ids[4], "solar note").unwrap();
    check(&lib, &mut previous, Change::Annotations, "a note");
    lib.save_collection("Wind", "wind").unwrap();
    lib.rename_collection("Recent", "Lately").unwrap();
    check(&lib, &mut previous, Change::Collections, "collections");
    // An import that adds articles, one of them tagged and one read.
    let new = store(
        &mut lib,
        &article("Echo", "solar farms", Some("2024-05-01"), None),
    );
    lib.add_tags(new, &["research/2021"]).unwrap();
    let other = store(&mut lib, &article("Foxtrot", "wind", None, None));
    lib.mark_read(&[other], true).unwrap();
    check(&lib, &mut previous, Change::Appended, "an import");
    // A new tag during an import changes the tree's shape.
    let third = store(&mut lib, &article("Golf", "solar", None, None));
    lib.add_tags(third, &["fresh"]).unwrap();
    check(
        &lib,
        &mut previous,
        Change::Appended,
        "an import with a new tag",
    );
    lib.trash(ids[0]).unwrap();
    check(&lib, &mut previous, Change::Everything, "the trash");
    assert_eq!(previous.collections.len(), 7);
    assert_eq!(previous.articles, 7);
}

/// The timeline buckets exactly the query's matches by month, undated
/// apart, and follows changes to the library.
#[test]
fn the_timeline_counts_each_match_in_its_month() {
    let (_dir, mut lib, ids) = library();
    lib.add_tags(ids[0], &["energy/sun"]).unwrap();
    lib.add_tags(ids[2], &["energy"]).unwrap();
    lib.mark_read(&ids[..1], true).unwrap();
    for query in [
        None,
        Some("solar"),
        Some("wind"),
        Some("-solar"),
        Some("site:alpha"),
        Some("solar tag:energy"),
        Some("solar is:unread"),
        Some("wind site:alpha"),
        Some("solar OR tag:energy"),
    ] {
        let timeline = lib.timeline(query).unwrap();
        let dated: u64 = timeline.months.iter().map(|m| m.count).sum();
        assert_eq!(
            dated + timeline.undated,
            lib.count(query).unwrap(),
            "{query:?}: {timeline:?}"
        );
        let mut expected: Vec<(i32, u32)> = lib
            .list(query, SortOrder::asc(SortBy::Date), 100, 0)
            .unwrap()
            .iter()
            .filter_map(|s| s.published.as_deref())
            .map(|d| (d[..4].parse().unwrap(), d[5..7].parse().unwrap()))
            .collect();
        expected.dedup();
        let months: Vec<(i32, u32)> = timeline.months.iter().map(|m| (m.year, m.month)).collect();
        assert_eq!(months, expected, "{query:?}");
    }
    let before = lib.timeline(None).unwrap();
    lib.trash(ids[0]).unwrap();
    let after = lib.timeline(None).unwrap();
    let total =
        |t: &folio::library::Timeline| t.months.iter().map(|m| m.count).sum::<u64>() + t.undated;
    assert_eq!(total(&after) + 1, total(&before));
    assert_eq!(total(&after), lib.count(None).unwrap());
}

//! What the window's undo reads from the library before a change and puts
//! back after it (issue 27, item 8), through the library API: which of some
//! articles carry a tag or are trashed, a tag tree restored after a merge,
//! and the time an article was read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use folio::library::{ArticleId, Library, LibraryError};

/// A library with five articles (`organise`'s fixture).
fn library() -> (tempfile::TempDir, Library, Vec<ArticleId>) {
    crate::organise::library()
}

/// What undo reads before a change and puts back after it (issue 27): which
/// of some articles carry a tag or are trashed, and a tag tree restored
/// after a merge into another tag, its children, colours and the
/// collections that followed the rename included.
#[test]
fn a_tag_merge_and_rename_is_put_back_from_a_snapshot() {
    let (_dir, mut lib, ids) = library();
    lib.tag_many(&ids[..2], "phones", true).unwrap();
    lib.add_tags(ids[2], &["phones/old"]).unwrap();
    lib.tag_many(&ids[1..4], "mobile", true).unwrap();
    lib.set_tag_colour("phones", Some("#d04040")).unwrap();
    lib.save_collection("Phones", "tag:phones").unwrap();
    assert_eq!(
        lib.having_tag(&ids, "PHONES").unwrap(),
        Some(ids[..2].to_vec())
    );
    assert_eq!(lib.having_tag(&ids, "nothing").unwrap(), None);

    let before = lib.tag_snapshot(&["phones", "mobile"]).unwrap();
    let tags_before = lib.tags().unwrap();
    lib.rename_tag("phones", "mobile").unwrap();
    assert_eq!(lib.collections().unwrap()[0].query, "tag:\"mobile\"");
    assert!(lib.tags().unwrap().iter().all(|t| t.name != "phones"));
    lib.restore_tags(&before).unwrap();
    assert_eq!(lib.tags().unwrap(), tags_before);
    assert_eq!(
        lib.having_tag(&ids, "mobile").unwrap(),
        Some(ids[1..4].to_vec())
    );
    assert_eq!(
        lib.having_tag(&ids, "phones/old").unwrap(),
        Some(vec![ids[2]])
    );
    assert_eq!(lib.collections().unwrap()[0].query, "tag:phones");
    // Restoring twice changes nothing more.
    lib.restore_tags(&before).unwrap();
    assert_eq!(lib.tags().unwrap(), tags_before);

    // A tag made since, under a root of the snapshot, goes.
    let plain = lib.tag_snapshot(&["mobile"]).unwrap();
    lib.add_tags(ids[0], &["mobile/new"]).unwrap();
    lib.restore_tags(&plain).unwrap();
    assert_eq!(lib.having_tag(&ids, "mobile/new").unwrap(), None);

    lib.set_trashed_many(&ids[1..3], true).unwrap();
    assert_eq!(lib.trashed_among(&ids).unwrap(), ids[1..3].to_vec());
}

/// Undo of "mark unread" (issue 27): the article is read again at the time
/// it was first read, and one read since keeps its own time.
#[test]
fn mark_read_at_puts_back_when_an_article_was_read() {
    let (_dir, mut lib, ids) = library();
    let first = "2020-01-02T03:04:05Z".to_owned();
    assert_eq!(
        lib.mark_read_at(&[(ids[0], first.clone()), (ids[1], first.clone())])
            .unwrap(),
        2
    );
    assert_eq!(
        lib.reading_state(ids[0]).unwrap().read_at,
        Some(first.clone())
    );
    lib.mark_read(&[ids[2]], true).unwrap();
    let own = lib.reading_state(ids[2]).unwrap().read_at;
    assert_eq!(lib.mark_read_at(&[(ids[2], first.clone())]).unwrap(), 0);
    assert_eq!(lib.reading_state(ids[2]).unwrap().read_at, own);
    assert!(matches!(
        lib.mark_read_at(&[(ArticleId(9999), first)]),
        Err(LibraryError::NoSuchArticle(_))
    ));
}

//! Opening library files: migrations from every older schema, refusing files
//! that belong to other programs or to a newer Folio.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use folio::library::schema::{APPLICATION_ID, SCHEMA_VERSION};
use folio::library::{Library, LibraryError, MatchedIn};

#[test]
fn an_empty_file_at_version_0_is_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.folio");
    std::fs::File::create(&path).unwrap();
    let lib = Library::open(&path).unwrap();
    assert_eq!(lib.stats().unwrap().schema_version, SCHEMA_VERSION);
    drop(lib);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, APPLICATION_ID);
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(mode, "wal");
    // Opening again is a no-op.
    let lib = Library::open(&path).unwrap();
    assert!(lib.check().unwrap().is_empty());
}

#[test]
fn every_frozen_schema_upgrades() {
    // tests/fixtures/schema/vN.sql: a dump of a library at each released version.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return; // no released version older than the current one yet
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "sql") {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("old.folio");
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(&std::fs::read_to_string(&path).unwrap())
            .unwrap();
        drop(conn);
        let old_version = folio::library::schema::pending_upgrade(&db);
        assert!(
            old_version.is_some_and(|v| v < SCHEMA_VERSION),
            "{}: {old_version:?}",
            path.display()
        );
        let lib = Library::open(&db).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(folio::library::schema::pending_upgrade(&db), None);
        assert_eq!(lib.stats().unwrap().schema_version, SCHEMA_VERSION);
        assert!(lib.check().unwrap().is_empty(), "{}", path.display());
        // The article, its tag and note survive, and search (rebuilt by
        // version 3) finds it by Chinese text, a Latin prefix and its note.
        for query in ["售后新政", "froz", "frozen tag:frozen", "旧笔记"] {
            let hits = lib.search(query, 10, 0).unwrap();
            assert_eq!(hits.len(), 1, "{}: {query}", path.display());
            // Version 4's is written in Traditional characters (售後).
            let title = folio::library::fold::fold(&hits[0].summary.title).into_owned();
            assert!(title.starts_with("售后新政 frozen"), "{title}");
        }
        assert!(lib.search("小米手机", 10, 0).unwrap().is_empty());
        let id = lib.search("frozen", 1, 0).unwrap()[0].summary.id;
        assert_eq!(lib.note(id).unwrap().as_deref(), Some("旧笔记"));
    }
}

/// Version 5 folds Simplified and Traditional Chinese: a version 4 library
/// (written in Traditional) is re-indexed once, with progress, and then
/// found by Simplified queries in its title, body and highlight comments;
/// `exact:` still tells the scripts apart.
#[test]
fn a_version_4_library_is_reindexed_folded_once_with_progress() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema/v4.sql");
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("v4.folio");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&std::fs::read_to_string(&fixture).unwrap())
        .unwrap();
    drop(conn);
    assert_eq!(folio::library::schema::pending_upgrade(&db), Some(4));
    let mut reports = Vec::new();
    let mut progress = |done: usize, total: usize| reports.push((done, total));
    let lib = Library::open_with_progress(&db, Some(&mut progress)).unwrap();
    assert_eq!(reports.last(), Some(&(1, 1)));
    assert_eq!(folio::library::schema::pending_upgrade(&db), None);
    assert!(lib.check().unwrap().is_empty());
    for query in ["售后新政", "不满", "评论", "售後 不滿", "exact:售後"] {
        assert_eq!(lib.search(query, 10, 0).unwrap().len(), 1, "{query}");
        assert_eq!(lib.count(Some(query)).unwrap(), 1, "{query}");
    }
    let hits = lib.search("评论", 10, 0).unwrap();
    assert_eq!(hits[0].matched_in, Some(MatchedIn::HighlightComment));
    assert_eq!(
        &hits[0].snippet.text[hits[0].snippet.highlights[0].clone()],
        "評論"
    );
    assert!(lib.search("exact:售后", 10, 0).unwrap().is_empty());
    drop(lib);
    // Opened again: nothing left to upgrade, nothing reported.
    let mut again = Vec::new();
    let mut progress = |done: usize, total: usize| again.push((done, total));
    drop(Library::open_with_progress(&db, Some(&mut progress)).unwrap());
    assert!(again.is_empty());
}

/// The version 5 upgrade is one transaction: stopped half-way (here by a
/// panic in its progress report, as a crash would stop it), it leaves the
/// version 4 library as it was, and the next open upgrades it whole.
#[test]
fn an_upgrade_stopped_half_way_leaves_the_old_library_intact() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema/v4.sql");
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("v4.folio");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&std::fs::read_to_string(&fixture).unwrap())
        .unwrap();
    // Enough articles for the upgrade to report progress before the end,
    // one of them with a body that no longer decodes.
    conn.execute_batch(
        "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 1200)
         INSERT INTO articles (id, title, body_json, source_file, source_format, content_hash)
         SELECT value + 1, '後來 ' || value, '[]', 'x.html', 'html', 'h' || value FROM n;
         INSERT INTO search_text (article_id, title, body)
         SELECT id, '後 來 ' || (id - 1), '' FROM articles WHERE id > 1;
         UPDATE articles SET body_json = '{' WHERE id = 7;
         UPDATE search_text SET body = '後 來' WHERE article_id = 7;",
    )
    .unwrap();
    drop(conn);
    let stopped = std::panic::catch_unwind(|| {
        let mut progress = |done: usize, _total: usize| {
            assert!(done < 500, "stopped at {done}");
        };
        Library::open_with_progress(&db, Some(&mut progress))
    });
    assert!(stopped.is_err());
    assert_eq!(folio::library::schema::pending_upgrade(&db), Some(4));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let title: String = conn
        .query_row(
            "SELECT title FROM search_text WHERE article_id = 2",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(title, "後 來 1");
    drop(conn);
    let lib = Library::open(&db).unwrap();
    assert_eq!(lib.count(Some("后来")).unwrap(), 1200);
    assert_eq!(lib.count(Some("exact:後來")).unwrap(), 1200);
}

#[test]
fn another_programs_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA application_id = 1234; CREATE TABLE t(x);")
        .unwrap();
    drop(conn);
    let err = Library::open(&path).unwrap_err();
    assert!(
        matches!(
            err,
            LibraryError::NotALibrary {
                application_id: 1234,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("not a Folio library"), "{err}");
}

#[test]
fn an_unmarked_database_with_tables_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t(x);").unwrap();
    drop(conn);
    assert!(matches!(
        Library::open(&path),
        Err(LibraryError::NotALibrary { .. })
    ));
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.folio");
    drop(Library::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
        .unwrap();
    drop(conn);
    assert!(matches!(
        Library::open(&path),
        Err(LibraryError::TooNew { .. })
    ));
}

#[test]
fn a_file_that_is_not_sqlite_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(
        &path,
        "this is not a database, just some text that is long enough".repeat(20),
    )
    .unwrap();
    assert!(matches!(
        Library::open(&path),
        Err(LibraryError::Open { .. })
    ));
}

/// The current schema as one file a reader can study without applying
/// v1 → v2 → v3 in their head: `src/library/sql/schema.sql` (Calibre's
/// `metadata_sqlite.sql` is the model). It must be exactly what the
/// migrations produce; `UPDATE_SCHEMA=1 cargo test --test it library_schema::`
/// rewrites it after a new migration.
#[test]
fn schema_sql_is_what_the_migrations_make() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/library/sql/schema.sql");
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let mut migrated = rusqlite::Connection::open_in_memory().unwrap();
    folio::library::schema::migrate(&mut migrated).unwrap();
    // Every object in creation order, without what SQLite makes by itself
    // (automatic indexes, the full-text table's shadow tables).
    let mut stmt = migrated
        .prepare(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL
               AND NOT (type = 'table' AND name LIKE 'search_fts_%')
             ORDER BY rowid",
        )
        .unwrap();
    let statements: Vec<String> = stmt
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut text = format!(
        "-- The schema of a Folio library at version {SCHEMA_VERSION}, as the migrations in\n\
         -- this folder (v1.sql, v2.sql, …) leave it. Generated, do not edit: a test checks\n\
         -- it (`UPDATE_SCHEMA=1 cargo test --test it library_schema::` rewrites it).\n\n\
         PRAGMA application_id = {APPLICATION_ID}; -- 0x464F4C49, \"FOLI\"\n\
         PRAGMA user_version = {SCHEMA_VERSION};\n"
    );
    for sql in statements {
        text.push('\n');
        text.push_str(&sql);
        text.push_str(";\n");
    }
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == text,
        "src/library/sql/schema.sql is out of date; run UPDATE_SCHEMA=1 cargo test --test it library_schema::"
    );
    // And running it gives the same schema as the migrations.
    conn.execute_batch(&written).unwrap();
    assert_eq!(
        folio::library::schema::schema_entries(&conn).unwrap(),
        folio::library::schema::expected_schema(SCHEMA_VERSION).unwrap()
    );
}

/// A library file holding one article, closed (no -wal or -shm beside it).
fn library_with_an_article(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("lib.folio");
    let mut lib = Library::open(&path).unwrap();
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seed/000_2ed360ca1ed3b761.txt");
    let report = lib
        .import_paths(
            &[seed],
            &folio::library::ImportOptions::default(),
            &|_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(report.imported, 1);
    lib.set_note(report.ids[0], "只读笔记").unwrap();
    drop(lib);
    path
}

/// Issue 10, item 16: a file whose `user_version` was changed by hand is
/// refused with one sentence — not the whole schema script SQLite failed
/// in — and is left exactly as it was.
#[test]
fn a_wrong_user_version_is_refused_in_one_sentence_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_an_article(dir.path());
    // (2 on a version-3 file has the same tables: that upgrade just rebuilds the index.)
    for version in [0, 1, -1] {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", version).unwrap();
        drop(conn);
        let before = std::fs::read(&path).unwrap();
        let err = Library::open(&path).unwrap_err();
        let text = format!("{:#}", anyhow::Error::from(err));
        assert!(
            text.contains(&format!(
                "schema version ({version}) does not match its tables"
            )),
            "{text}"
        );
        assert!(!text.contains("CREATE"), "the schema is printed: {text}");
        assert!(!text.contains('\n'), "more than one line: {text}");
        assert!(text.len() < 250, "{text}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "version {version}");
    }
}

/// Issue 10, item 16: SQLite's message comes once, not three times (the
/// error no longer hands its SQLite cause on as a second and third message).
#[test]
fn an_sqlite_error_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.folio");
    std::fs::write(&path, "not a database at all, only text ".repeat(40)).unwrap();
    let err = Library::open(&path).unwrap_err();
    let text = format!("{:#}", anyhow::Error::from(err));
    assert_eq!(text.matches("file is not a database").count(), 1, "{text}");
    assert!(!text.contains("Error code"), "{text}");
}

/// Issue 10, item 5: a read-only library is read through a read-only
/// connection — list, search, show, stats, export and `check` (which
/// reports no damage on an intact file) work; writes fail with one sentence
/// saying it is read-only; the file is not changed.
#[test]
fn a_library_opened_read_only_reads_checks_and_exports_but_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_an_article(dir.path());
    let before = std::fs::read(&path).unwrap();
    let mut lib = Library::open_read_only(&path).unwrap();
    assert!(lib.is_read_only());
    assert_eq!(lib.stats().unwrap().articles, 1);
    assert_eq!(lib.search("售后新政", 10, 0).unwrap().len(), 1);
    let id = lib.list(None, folio::library::Sort::Date, 10, 0).unwrap()[0].id;
    assert_eq!(lib.article(id).unwrap().note.as_deref(), Some("只读笔记"));
    assert_eq!(lib.check().unwrap(), Vec::<String>::new());
    let report = lib.check_report(false).unwrap();
    assert!(
        report.notes.iter().any(|n| n.contains("read-only")),
        "{report:?}"
    );

    let out = dir.path().join("copy.folio");
    folio::export::export_sqlite(
        &lib,
        &folio::library::ExportJob {
            ids: &[id],
            out: &out,
            overwrite: false,
            progress: &|_| {},
            cancel: &std::sync::atomic::AtomicBool::new(false),
        },
    )
    .unwrap();
    let copy = Library::open(&out).unwrap();
    assert_eq!(copy.search("售后新政", 10, 0).unwrap().len(), 1);
    assert!(copy.check().unwrap().is_empty(), "{:?}", copy.check());

    let err = lib.set_note(id, "changed").unwrap_err();
    assert!(matches!(err, LibraryError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("is read-only"), "{err}");
    assert!(matches!(
        lib.add_tags(id, &["x"]),
        Err(LibraryError::ReadOnly { .. })
    ));
    drop(lib);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Issue 10, item 5: an old library cannot be upgraded read-only; it says so.
#[test]
fn an_old_library_opened_read_only_asks_for_an_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema");
    let path = dir.path().join("old.folio");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&std::fs::read_to_string(fixtures.join("v1.sql")).unwrap())
        .unwrap();
    drop(conn);
    let err = Library::open_read_only(&path).unwrap_err();
    assert!(matches!(err, LibraryError::ReadOnlyUpgrade { .. }), "{err}");
    assert!(err.to_string().contains("needs an upgrade"), "{err}");
}

/// Issue 10, item 16 (a sibling): a file error is said once, not once by
/// the library error and again by the I/O error it wraps.
#[test]
fn a_file_error_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let out = dir.path().join("missing-folder/export.folio");
    let err = folio::export::export_sqlite(
        &lib,
        &folio::library::ExportJob {
            ids: &[],
            out: &out,
            overwrite: false,
            progress: &|_| {},
            cancel: &std::sync::atomic::AtomicBool::new(false),
        },
    )
    .unwrap_err();
    let text = format!("{:#}", anyhow::Error::from(err));
    assert_eq!(text.matches("does not exist").count(), 1, "{text}");
}

/// Issue 10 ("never hang", a sibling of item 5): opening a current library
/// only reads, so it does not wait for another process's write
/// transaction (it used to take the write lock on every open and wait up
/// to 10 s, then fail with "database is locked").
#[test]
fn opening_a_current_library_does_not_wait_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_an_article(dir.path());
    let writer = rusqlite::Connection::open(&path).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let lib = Library::open(&path).unwrap();
    assert_eq!(lib.stats().unwrap().articles, 1);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    writer.execute_batch("ROLLBACK").unwrap();
}

/// Issue 10 ("never hang"): a FIFO named like a library is refused at once
/// instead of blocking the open on a read that never returns.
#[cfg(unix)]
#[test]
fn a_fifo_as_the_library_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fifo.folio");
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    if !made.is_ok_and(|s| s.success()) {
        println!("skipped: mkfifo is not available");
        return;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let opener = path.clone();
    std::thread::spawn(move || {
        let _ = tx.send(
            Library::open(&opener)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        );
    });
    let result = rx
        .recv_timeout(std::time::Duration::from_secs(5))
        .expect("opening a FIFO hangs");
    let err = result.unwrap_err();
    assert!(err.contains("it is not a regular file"), "{err}");
}

/// Version 6 finds `site:` through the hosts of the live articles: a
/// version 5 library (with a saved `site:` collection) is upgraded and its
/// article found by its host, its site name and a path, in the list, the
/// count and the collection.
#[test]
fn a_version_5_library_finds_sites_by_host_after_the_upgrade() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema/v5.sql");
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("v5.folio");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&std::fs::read_to_string(&fixture).unwrap())
        .unwrap();
    drop(conn);
    assert_eq!(folio::library::schema::pending_upgrade(&db), Some(5));
    let lib = Library::open(&db).unwrap();
    for query in [
        "site:example.com",
        "site:EXAMPLE",
        "site:大紀元",
        "site:example.com/v5",
        "售后 site:www.example",
    ] {
        assert_eq!(lib.count(Some(query)).unwrap(), 1, "{query}");
        assert_eq!(
            lib.list(Some(query), folio::library::Sort::Date, 10, 0)
                .unwrap()
                .len(),
            1,
            "{query}"
        );
    }
    assert_eq!(lib.count(Some("site:example.org")).unwrap(), 0);
    let overview = lib.overview().unwrap();
    assert_eq!(overview.collections[0].count, Some(1));
    assert!(lib.check().unwrap().is_empty());
}

/// Version 8 keeps every copy as a version: a version 7 library's kept copy
/// is version 1 of its article, the copy shown version 2, and the sentence
/// only the kept copy holds is found (in an earlier version) after the
/// upgrade; tags, note and highlights stay with the article.
#[test]
fn a_version_7_library_keeps_its_copies_as_versions_and_finds_their_text() {
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema/v7.sql");
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("v7.folio");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&std::fs::read_to_string(&fixture).unwrap())
        .unwrap();
    drop(conn);
    assert_eq!(folio::library::schema::pending_upgrade(&db), Some(7));
    let mut reports = Vec::new();
    let mut progress = |done: usize, total: usize| reports.push((done, total));
    let lib = Library::open_with_progress(&db, Some(&mut progress)).unwrap();
    assert_eq!(reports.last(), Some(&(1, 1)));
    assert!(lib.check().unwrap().is_empty());
    let id = folio::library::ArticleId(1);
    let versions = lib.versions(id).unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].source_file, "v6-earlier.html");
    assert!(versions[1].shown);
    for query in ["censored", "维修站拒绝退款", "維修站"] {
        let hits = lib.search(query, 10, 0).unwrap();
        assert_eq!(hits.len(), 1, "{query}");
        assert_eq!(
            hits[0].matched_in,
            Some(folio::library::MatchedIn::EarlierVersion),
            "{query}"
        );
    }
    assert_eq!(
        lib.search("has:versions tag:frozen", 10, 0).unwrap().len(),
        1
    );
    assert_eq!(lib.note(id).unwrap().as_deref(), Some("旧笔记"));
    let diff = lib
        .compare_versions(
            id,
            1,
            2,
            std::time::Instant::now() + std::time::Duration::from_secs(5),
        )
        .unwrap();
    assert_eq!(diff.counts.deleted, 1);
    assert_eq!(diff.metadata.len(), 1, "{:?}", diff.metadata);
    assert_eq!(diff.metadata[0].field, "published");
}

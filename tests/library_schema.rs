//! Opening library files: migrations from every older schema, refusing files
//! that belong to other programs or to a newer Folio.

use folio::library::schema::{APPLICATION_ID, SCHEMA_VERSION};
use folio::library::{Library, LibraryError};

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
            assert!(hits[0].summary.title.starts_with("售后新政 frozen"));
        }
        assert!(lib.search("小米手机", 10, 0).unwrap().is_empty());
        let id = lib.search("frozen", 1, 0).unwrap()[0].summary.id;
        assert_eq!(lib.note(id).unwrap().as_deref(), Some("旧笔记"));
    }
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

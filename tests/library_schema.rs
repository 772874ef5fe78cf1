//! Opening library files: migrations from every older schema, refusing files
//! that belong to other programs or to a newer Folio.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

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

/// The current schema as one file a reader can study without applying
/// v1 → v2 → v3 in their head: `src/library/sql/schema.sql` (Calibre's
/// `metadata_sqlite.sql` is the model). It must be exactly what the
/// migrations produce; `UPDATE_SCHEMA=1 cargo test --test library_schema`
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
         -- it (`UPDATE_SCHEMA=1 cargo test --test library_schema` rewrites it).\n\n\
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
        "src/library/sql/schema.sql is out of date; run UPDATE_SCHEMA=1 cargo test --test library_schema"
    );
    // And running it gives the same schema as the migrations.
    conn.execute_batch(&written).unwrap();
    assert_eq!(
        folio::library::schema::schema_entries(&conn).unwrap(),
        folio::library::schema::expected_schema(SCHEMA_VERSION).unwrap()
    );
}

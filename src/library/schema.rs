//! Opening a library file: connection settings, identity check and migrations.
//!
//! The schema version lives in `PRAGMA user_version`; each upgrade is
//! [`upgrade_from`]`(v)`, run in one transaction with the `.sql` text of the
//! next version. A file whose `application_id` is neither 0 (new) nor
//! [`APPLICATION_ID`] is refused, so Folio never writes into another program's
//! database.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::LibraryError;

/// `PRAGMA application_id` of a Folio library: the ASCII bytes `FOLI`.
pub const APPLICATION_ID: i32 = 0x464F_4C49;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i32 = 4;

/// Bytes of write-ahead log kept on disk after a checkpoint.
pub const JOURNAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

/// How long a writer waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Schema scripts, index `v` upgrades from version `v` to `v + 1`.
const UPGRADES: &[&str] = &[
    include_str!("sql/v1.sql"),
    include_str!("sql/v2.sql"),
    include_str!("sql/v3.sql"),
    include_str!("sql/v4.sql"),
];

/// Open (creating if missing) and upgrade the library at `path`.
pub fn open(path: &Path) -> Result<Connection, LibraryError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|source| LibraryError::Open {
        path: path.to_owned(),
        source,
    })?;
    prepare(conn, Some(path))
}

/// The schema version of the library file at `path` when opening it will
/// upgrade it (an older Folio library), else `None` (current, new, missing
/// or not a library: [`open`] says which). Reads without creating or
/// changing anything, so a caller can tell the user before a long upgrade.
pub fn pending_upgrade(path: &Path) -> Option<i32> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .ok()?;
    let version: i32 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .ok()?;
    (app_id == APPLICATION_ID && (1..SCHEMA_VERSION).contains(&version)).then_some(version)
}

/// What to tell the user while a library at `from` is being upgraded.
pub fn upgrade_notice(from: i32) -> String {
    format!(
        "Upgrading the library from schema version {from} to {SCHEMA_VERSION}; \
         rebuilding the search index of a large library takes a minute or two."
    )
}

/// Open a fresh library that lives only in memory (for tests and previews).
pub fn open_in_memory() -> Result<Connection, LibraryError> {
    prepare(Connection::open_in_memory()?, None)
}

fn prepare(mut conn: Connection, path: Option<&Path>) -> Result<Connection, LibraryError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // A file that is not a database at all fails on its first read.
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(|source| match path {
            Some(path) => LibraryError::Open {
                path: path.to_owned(),
                source,
            },
            None => LibraryError::Sqlite(source),
        })?;
    let version: i32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if app_id != APPLICATION_ID && !(app_id == 0 && version == 0 && is_empty(&conn)?) {
        return Err(LibraryError::NotALibrary {
            path: path.map(Path::to_owned).unwrap_or_default(),
            application_id: app_id,
        });
    }
    if version > SCHEMA_VERSION {
        return Err(LibraryError::TooNew {
            version,
            supported: SCHEMA_VERSION,
        });
    }
    if path.is_some() {
        // WAL lets readers (the GUI) go on while a writer (an import) commits.
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            log::warn!("library journal mode is {mode}, not wal");
        }
        conn.pragma_update(None, "synchronous", "normal")?;
        // After a big import or an upgrade the WAL can hold a gigabyte; once
        // checkpointed it is cut back to this size instead of staying large.
        conn.pragma_update(None, "journal_size_limit", JOURNAL_SIZE_LIMIT)?;
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// True when the database holds no schema objects at all.
fn is_empty(conn: &Connection) -> Result<bool, LibraryError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
    Ok(n == 0)
}

/// Bring the schema up to [`SCHEMA_VERSION`], one transaction per step.
pub fn migrate(conn: &mut Connection) -> Result<(), LibraryError> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-read inside the write lock: another process may have upgraded meanwhile.
        let version: i32 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if version >= SCHEMA_VERSION {
            return Ok(());
        }
        upgrade_from(&tx, version)?;
        tx.commit()?;
    }
}

/// The `sqlite_schema` entries (type, name, table, SQL text) a library at
/// `version` has, sorted: what Folio's own scripts create. Used to check an
/// untrusted file before reading any of its rows.
pub fn expected_schema(version: i32) -> Result<Vec<SchemaEntry>, LibraryError> {
    let mut conn = Connection::open_in_memory()?;
    for v in 0..version {
        let tx = conn.transaction()?;
        upgrade_from(&tx, v)?;
        tx.commit()?;
    }
    schema_entries(&conn)
}

/// One row of `sqlite_schema`: type, name, table name and SQL text.
pub type SchemaEntry = (String, String, String, Option<String>);

/// Every `sqlite_schema` row of the main database, sorted.
pub fn schema_entries(conn: &Connection) -> Result<Vec<SchemaEntry>, LibraryError> {
    let mut stmt = conn
        .prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_schema ORDER BY type, name")?;
    let rows = stmt
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Upgrade the schema from `version` to `version + 1` inside `tx`.
pub fn upgrade_from(tx: &rusqlite::Transaction<'_>, version: i32) -> Result<(), LibraryError> {
    let script = usize::try_from(version)
        .ok()
        .and_then(|v| UPGRADES.get(v))
        .ok_or(LibraryError::TooNew {
            version,
            supported: SCHEMA_VERSION,
        })?;
    tx.execute_batch(script)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", version + 1)?;
    Ok(())
}

//! Opening a library file: access decision, connection settings, identity
//! check and migrations.
//!
//! The schema version lives in `PRAGMA user_version`; each upgrade is
//! [`upgrade_from`]`(v)`, run in one transaction with the `.sql` text of the
//! next version. A file whose `application_id` is neither 0 (new) nor
//! [`APPLICATION_ID`] is refused, so Folio never writes into another program's
//! database; neither is a file whose `user_version` does not match its tables
//! (it is never "upgraded" over tables it already has).
//!
//! Promises:
//! * a library this user cannot write (the file, or the folder its journal
//!   files live in) is opened read-only ([`decide_access`]), never half-written;
//!   a WAL library in a folder where SQLite cannot create its `-shm` file is
//!   opened with `immutable=1` when no unsaved `-wal` is waiting;
//! * opening a current library reads only: the write lock is taken only when
//!   there is an upgrade to run;
//! * error messages are one sentence: SQLite's text once, never the SQL of a
//!   schema script.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::error::LibraryError;
pub use super::error::sqlite_reason;

/// `PRAGMA application_id` of a Folio library: the ASCII bytes `FOLI`.
pub const APPLICATION_ID: i32 = 0x464F_4C49;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i32 = 9;

/// Bytes of write-ahead log kept on disk after a checkpoint.
pub const JOURNAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

/// Most memory a connection's page cache may take, in KiB (SQLite's
/// default is 2,000). Search pages through the index and through long
/// article rows (a snippet reads the whole body): at 100,000 articles a
/// search filtered by `site:` spent a third of its time re-reading pages
/// from the operating system with the default cache. A page of fifty long
/// results (3.4 MB of bodies) fits in this one; 64 MiB measured no faster.
/// The cache only grows as pages are read; the window has two or three
/// connections open.
pub const CACHE_KIB: i64 = 16 * 1024;

/// How long a writer waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Schema scripts, index `v` upgrades from version `v` to `v + 1`.
const UPGRADES: &[&str] = &[
    include_str!("sql/v1.sql"),
    include_str!("sql/v2.sql"),
    include_str!("sql/v3.sql"),
    include_str!("sql/v4.sql"),
    include_str!("sql/v5.sql"),
    include_str!("sql/v6.sql"),
    include_str!("sql/v7.sql"),
    include_str!("sql/v8.sql"),
    include_str!("sql/v9.sql"),
];

/// The line of `sql/v5.sql` where the search text is rewritten in Rust.
const REFOLD_MARK: &str = "-- @refold";

/// The line of `sql/v8.sql` where the text only earlier versions hold is
/// written into the search text in Rust.
const EARLIER_MARK: &str = "-- @earlier";

/// How an upgrade reports progress: `(articles done, articles in all)`,
/// called as the search text is rewritten (version 5) and once more before
/// the index is rebuilt (`done == total`).
pub type UpgradeProgress<'a> = &'a mut dyn FnMut(usize, usize);

/// What can be done with a library file, found out without changing it
/// (see [`probe_access`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccessProbe {
    /// The file exists.
    pub exists: bool,
    /// This process may open the file for writing.
    pub file_writable: bool,
    /// This process may create files in the file's folder (SQLite's `-wal`,
    /// `-shm` and `-journal` files live there).
    pub folder_writable: bool,
    /// The file is in WAL mode (its header says so).
    pub wal_mode: bool,
    /// A non-empty `-wal` file lies beside it (changes not yet checkpointed).
    pub wal_file: bool,
    /// A `-shm` file lies beside it.
    pub shm_file: bool,
}

/// How to open a library file (see [`decide_access`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Read and write (creating the file when missing).
    ReadWrite,
    /// Read only; SQLite may create its `-shm` file or read the existing one.
    ReadOnly,
    /// Read only with `immutable=1`: a WAL library in a folder where its
    /// `-shm` file cannot be created, and no unsaved `-wal` beside it.
    Immutable,
    /// The file is missing and its folder is not writable.
    CannotCreate,
    /// A `-wal` file with unsaved changes lies beside the library, but its
    /// `-shm` is missing and cannot be created: SQLite cannot read it.
    WalUnreadable,
}

/// Decide how to open a library from what [`probe_access`] found: read and
/// write only when both the file and its folder are writable, else read only.
pub fn decide_access(probe: &AccessProbe) -> Access {
    if !probe.exists {
        return if probe.folder_writable {
            Access::ReadWrite
        } else {
            Access::CannotCreate
        };
    }
    if probe.file_writable && probe.folder_writable {
        return Access::ReadWrite;
    }
    if !probe.wal_mode || probe.folder_writable || (probe.wal_file && probe.shm_file) {
        return Access::ReadOnly;
    }
    if probe.wal_file {
        Access::WalUnreadable
    } else {
        Access::Immutable
    }
}

/// Makes probe file names unique within this process.
static PROBE_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// `path` with `suffix` appended to its file name (`lib.folio-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The folder `path` lives in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Look at the library file at `path` and its folder without changing
/// either: the file is opened for writing but not written, and a probe file
/// is created in the folder and removed at once (the honest test: it sees
/// permissions, read-only mounts, immutable attributes and ACLs alike).
///
/// Only a regular file is opened (a FIFO would block the open or the read).
pub fn probe_access(path: &Path) -> AccessProbe {
    let exists = path.symlink_metadata().is_ok();
    let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
    let file_writable = regular && std::fs::OpenOptions::new().write(true).open(path).is_ok();
    let folder = folder_of(path);
    let name = path
        .file_name()
        .map_or_else(|| "library".into(), |n| n.to_string_lossy().into_owned());
    let probe = folder.join(format!(
        ".{name}.folio-probe-{}-{}",
        std::process::id(),
        PROBE_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let folder_writable = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(file) => {
            drop(file);
            if let Err(err) = std::fs::remove_file(&probe) {
                log::warn!("could not remove {}: {err}", probe.display());
            }
            true
        }
        Err(_) => false,
    };
    // Bytes 18 and 19 of the header are 2 in WAL mode.
    let wal_mode = regular
        && std::fs::File::open(path)
            .and_then(|mut file| {
                use std::io::Read as _;
                let mut header = [0u8; 20];
                file.read_exact(&mut header)?;
                Ok(header[18] == 2 && header[19] == 2)
            })
            .unwrap_or(false);
    let wal_file = std::fs::metadata(with_suffix(path, "-wal")).is_ok_and(|m| m.len() > 0);
    let shm_file = with_suffix(path, "-shm").symlink_metadata().is_ok();
    AccessProbe {
        exists,
        file_writable,
        folder_writable,
        wal_mode,
        wal_file,
        shm_file,
    }
}

fn open_error(path: &Path, reason: impl Into<String>) -> LibraryError {
    LibraryError::Open {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// An opened library connection and whether it may write.
pub(crate) struct Opened {
    pub conn: Connection,
    pub read_only: bool,
}

/// Fail unless `path` is missing or a regular file (or a link to one): a
/// folder, a FIFO or a device is never opened (a FIFO would block forever).
fn refuse_special(path: &Path) -> Result<(), LibraryError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(open_error(path, "it is a folder")),
        Ok(meta) if !meta.is_file() => Err(open_error(path, "it is not a regular file")),
        _ => Ok(()),
    }
}

/// Open the library at `path` as [`decide_access`] says: read and write
/// (creating and upgrading it) when the file and its folder are writable,
/// else read-only.
pub(crate) fn open_auto(
    path: &Path,
    progress: Option<UpgradeProgress<'_>>,
) -> Result<Opened, LibraryError> {
    refuse_special(path)?;
    let probe = probe_access(path);
    match decide_access(&probe) {
        Access::ReadWrite => open_with(path, progress),
        Access::CannotCreate => Err(open_error(
            path,
            format!(
                "it does not exist, and its folder {} is not writable, so it cannot be created",
                folder_of(path).display()
            ),
        )),
        _ => open_read_only_with(path, &probe).map(|conn| Opened {
            conn,
            read_only: true,
        }),
    }
}

/// Open (creating if missing) and upgrade the library at `path`. When SQLite
/// itself can only open the file read-only, it is treated as read-only.
/// An upgrade's progress goes to `progress`.
pub(crate) fn open_with(
    path: &Path,
    progress: Option<UpgradeProgress<'_>>,
) -> Result<Opened, LibraryError> {
    refuse_special(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|err| open_error(path, sqlite_reason(&err)))?;
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        drop(conn);
        return open_read_only(path).map(|conn| Opened {
            conn,
            read_only: true,
        });
    }
    Ok(Opened {
        conn: prepare(conn, Some(path), progress)?,
        read_only: false,
    })
}

/// `path` as an SQLite `file:` URI (for the `immutable` parameter).
fn file_uri(path: &Path) -> Result<String, LibraryError> {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    const ESCAPE: &AsciiSet = &CONTROLS.add(b' ').add(b'%').add(b'?').add(b'#');
    let text = path
        .to_str()
        .ok_or_else(|| open_error(path, "its path is not UTF-8"))?;
    let text = text.replace('\\', "/");
    // `file:C:/x` is read as a relative name; a drive letter needs `file:/C:/x`.
    let text = if text.as_bytes().get(1) == Some(&b':') {
        format!("/{text}")
    } else {
        text
    };
    Ok(format!("file:{}", utf8_percent_encode(&text, ESCAPE)))
}

/// The `file:` URI that opens the existing library at `path` read-only
/// (`mode=ro`, or `immutable=1` where SQLite could not read it otherwise):
/// for `ATTACH` on another connection.
pub(crate) fn read_only_uri(path: &Path) -> Result<String, LibraryError> {
    read_only_uri_for(path, &probe_access(path))
}

fn read_only_uri_for(path: &Path, probe: &AccessProbe) -> Result<String, LibraryError> {
    let readonly = AccessProbe {
        file_writable: false,
        ..*probe
    };
    match decide_access(&readonly) {
        Access::WalUnreadable => Err(open_error(
            path,
            format!(
                "it has unsaved changes in {} that can only be read with write access \
                 to its folder",
                with_suffix(path, "-wal").display()
            ),
        )),
        Access::Immutable => Ok(format!("{}?immutable=1", file_uri(path)?)),
        _ => Ok(format!("{}?mode=ro", file_uri(path)?)),
    }
}

/// Open the existing library at `path` for reading only: nothing in the
/// file or its folder is changed (SQLite may create a `-shm` file where the
/// folder allows). A library that needs an upgrade cannot be read this way.
pub fn open_read_only(path: &Path) -> Result<Connection, LibraryError> {
    let probe = probe_access(path);
    if probe.exists {
        refuse_special(path)?;
    }
    open_read_only_with(path, &probe)
}

/// [`open_read_only`] with the file and folder already probed (and the
/// path known not to be a FIFO, device or folder when it exists).
fn open_read_only_with(path: &Path, probe: &AccessProbe) -> Result<Connection, LibraryError> {
    if !probe.exists {
        return Err(open_error(path, "it does not exist"));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(read_only_uri_for(path, probe)?, flags)
        .map_err(|err| open_error(path, sqlite_reason(&err)))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(|err| open_error(path, sqlite_reason(&err)))?;
    let version: i32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if app_id != APPLICATION_ID {
        return Err(LibraryError::NotALibrary {
            path: path.to_owned(),
            application_id: app_id,
        });
    }
    if version > SCHEMA_VERSION {
        return Err(LibraryError::TooNew {
            version,
            supported: SCHEMA_VERSION,
        });
    }
    if version < SCHEMA_VERSION {
        return Err(LibraryError::ReadOnlyUpgrade {
            path: path.to_owned(),
            version,
        });
    }
    configure(&conn)?;
    Ok(conn)
}

/// The schema version of the library file at `path` when opening it will
/// upgrade it (an older Folio library this user may write), else `None`
/// (current, new, missing, read-only or not a library: [`open_with`] says which).
/// Reads without creating or changing anything, so a caller can tell the
/// user before a long upgrade.
pub fn pending_upgrade(path: &Path) -> Option<i32> {
    if decide_access(&probe_access(path)) != Access::ReadWrite {
        return None;
    }
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
    (app_id == APPLICATION_ID
        && (1..SCHEMA_VERSION).contains(&version)
        && schema_difference(&conn, version, false).ok()?.is_none())
    .then_some(version)
}

/// What to tell the user while a library at `from` is being upgraded.
pub fn upgrade_notice(from: i32) -> String {
    if from >= 5 {
        // Version 6 only indexes the hosts: a few seconds.
        format!("Upgrading the library from schema version {from} to {SCHEMA_VERSION}.")
    } else {
        format!(
            "Upgrading the library from schema version {from} to {SCHEMA_VERSION}; \
             rebuilding the search index of a large library takes a minute or two."
        )
    }
}

/// Open a fresh library that lives only in memory (for tests and previews).
pub fn open_in_memory() -> Result<Connection, LibraryError> {
    prepare(Connection::open_in_memory()?, None, None)
}

fn prepare(
    mut conn: Connection,
    path: Option<&Path>,
    progress: Option<UpgradeProgress<'_>>,
) -> Result<Connection, LibraryError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // A file that is not a database at all fails on its first read.
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(|source| match path {
            Some(path) => open_error(path, sqlite_reason(&source)),
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
    configure(&conn)?;
    migrate_with(&mut conn, progress)?;
    Ok(conn)
}

/// What every library connection is set to, read-only or not: foreign
/// keys enforced, the page cache, and the ranking function registered.
fn configure(conn: &Connection) -> Result<(), LibraryError> {
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "cache_size", CACHE_KIB.saturating_neg())?;
    super::rank::register(conn)
}

/// True when the database holds no schema objects at all.
fn is_empty(conn: &Connection) -> Result<bool, LibraryError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
    Ok(n == 0)
}

/// Bring the schema up to [`SCHEMA_VERSION`], one transaction per step.
///
/// A current library is only read (no write lock is taken). Before each
/// step the tables are compared with what that version should have: a
/// `user_version` that does not match the tables (changed by hand or by
/// another program) is refused with [`LibraryError::SchemaMismatch`] rather
/// than "upgraded" over them.
pub fn migrate(conn: &mut Connection) -> Result<(), LibraryError> {
    migrate_with(conn, None)
}

/// [`migrate`], reporting the progress of a long step to `progress`.
pub fn migrate_with(
    conn: &mut Connection,
    mut progress: Option<UpgradeProgress<'_>>,
) -> Result<(), LibraryError> {
    let version: i32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-read inside the write lock: another process may have upgraded meanwhile.
        let version: i32 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if version >= SCHEMA_VERSION {
            return Ok(());
        }
        // Names only: the SQL text of a library made by an older build may
        // differ in comments or spacing without being another version.
        if let Some(detail) = schema_difference(&tx, version, false)? {
            return Err(LibraryError::SchemaMismatch { version, detail });
        }
        upgrade_with(
            &tx,
            version,
            progress.as_mut().map(|p| &mut **p as UpgradeProgress<'_>),
        )?;
        tx.commit()?;
    }
}

/// How the main database's schema differs from Folio's own at `version`
/// (`None` when it is the same): the first unexpected, changed or missing
/// entry, named (tables before indexes). `ANALYZE` statistics tables are
/// allowed. With `exact_sql` the SQL text of every entry must match too
/// (for untrusted files); else the entries' kinds, names and tables. A
/// negative version is no version at all.
pub fn schema_difference(
    conn: &Connection,
    version: i32,
    exact_sql: bool,
) -> Result<Option<String>, LibraryError> {
    if !(0..=SCHEMA_VERSION).contains(&version) {
        return Ok(Some(format!("{version} is not a schema version")));
    }
    let expected = expected_schema(version)?;
    let mut actual: Vec<SchemaEntry> = schema_entries(conn)?
        .into_iter()
        // Statistics written by `ANALYZE` are harmless and may be present.
        .filter(|(kind, name, _, _)| {
            !(kind == "table" && (name == "sqlite_stat1" || name == "sqlite_stat4"))
        })
        .collect();
    actual.sort_by_key(|e| e.0 != "table");
    let find = |entries: &[SchemaEntry], entry: &SchemaEntry| {
        entries
            .iter()
            .find(|e| e.0 == entry.0 && e.1 == entry.1)
            .cloned()
    };
    for entry in &actual {
        match find(&expected, entry) {
            None => {
                return Ok(Some(format!(
                    "it has an unexpected {} `{}`, which version {version} does not have",
                    entry.0, entry.1
                )));
            }
            Some(want) if want.2 != entry.2 || (exact_sql && want.3 != entry.3) => {
                return Ok(Some(format!(
                    "its {} `{}` differs from Folio's schema version {version}",
                    entry.0, entry.1
                )));
            }
            Some(_) => {}
        }
    }
    // Name a missing table rather than the automatic index that went with it.
    let mut missing: Vec<&SchemaEntry> = expected
        .iter()
        .filter(|e| find(&actual, e).is_none())
        .collect();
    missing.sort_by_key(|e| e.0 != "table");
    Ok(missing.first().map(|missing| {
        format!(
            "its {} `{}` is missing (version {version} has it)",
            missing.0, missing.1
        )
    }))
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
    upgrade_with(tx, version, None)
}

/// [`upgrade_from`], reporting the progress of a long step to `progress`.
fn upgrade_with(
    tx: &rusqlite::Transaction<'_>,
    version: i32,
    progress: Option<UpgradeProgress<'_>>,
) -> Result<(), LibraryError> {
    let script = usize::try_from(version)
        .ok()
        .and_then(|v| UPGRADES.get(v))
        .ok_or(LibraryError::TooNew {
            version,
            supported: SCHEMA_VERSION,
        })?;
    if let Some((before, after)) = script.split_once(REFOLD_MARK) {
        tx.execute_batch(before)?;
        super::reindex::refold(tx, progress)?;
        tx.execute_batch(after)?;
    } else if let Some((before, after)) = script.split_once(EARLIER_MARK) {
        tx.execute_batch(before)?;
        super::reindex::earlier(tx, progress)?;
        tx.execute_batch(after)?;
    } else {
        tx.execute_batch(script)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", version + 1)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(exists: bool, file: bool, folder: bool) -> AccessProbe {
        AccessProbe {
            exists,
            file_writable: file,
            folder_writable: folder,
            wal_mode: true,
            ..AccessProbe::default()
        }
    }

    #[test]
    fn read_only_is_chosen_when_the_file_or_its_folder_is_not_writable() {
        assert_eq!(decide_access(&probe(true, true, true)), Access::ReadWrite);
        // chmod 444 on the file (or chattr +i): SQLite may still make its -shm.
        assert_eq!(decide_access(&probe(true, false, true)), Access::ReadOnly);
        // A read-only folder: no -shm can be made, and none is there.
        assert_eq!(decide_access(&probe(true, true, false)), Access::Immutable);
        assert_eq!(decide_access(&probe(true, false, false)), Access::Immutable);
        // Not in WAL mode (an export): a plain read-only open works anywhere.
        let rollback = AccessProbe {
            wal_mode: false,
            ..probe(true, false, false)
        };
        assert_eq!(decide_access(&rollback), Access::ReadOnly);
        // -wal and -shm left by a writer: SQLite reads them read-only.
        let both = AccessProbe {
            wal_file: true,
            shm_file: true,
            ..probe(true, false, false)
        };
        assert_eq!(decide_access(&both), Access::ReadOnly);
        // Unsaved changes in -wal but no -shm: immutable would hide them.
        let wal_only = AccessProbe {
            wal_file: true,
            ..probe(true, false, false)
        };
        assert_eq!(decide_access(&wal_only), Access::WalUnreadable);
        // A new library: created where the folder allows.
        assert_eq!(decide_access(&probe(false, false, true)), Access::ReadWrite);
        assert_eq!(
            decide_access(&probe(false, false, false)),
            Access::CannotCreate
        );
    }

    #[test]
    fn the_probe_sees_a_writable_file_and_folder_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.folio");
        let missing = probe_access(&path);
        assert!(!missing.exists && missing.folder_writable);
        drop(open_with(&path, None).unwrap());
        let found = probe_access(&path);
        assert!(found.exists && found.file_writable && found.folder_writable && found.wal_mode);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["lib.folio"]);
    }

    #[test]
    fn sqlite_errors_are_said_once_without_their_sql() {
        let conn = Connection::open_in_memory().unwrap();
        let err = conn
            .execute_batch("CREATE TABLE t(x); CREATE TABLE t(x); -- long script text")
            .unwrap_err();
        let err = LibraryError::from(err);
        let text = err.to_string();
        assert_eq!(text, "database error: table t already exists");
        assert!(std::error::Error::source(&err).is_none());
    }
}

//! Importing many files, and re-extracting stored originals.
//!
//! Reading and extraction run in parallel on rayon's pool; one writer (the
//! calling thread, which owns the connection) commits in batches, each
//! article in its own savepoint, so one bad article never spoils its batch.
//! A batch is committed after [`ImportOptions::batch_size`] articles or
//! [`BATCH_MAX_DURATION`], whichever comes first, so other writers (a GUI
//! adding a tag) wait far less than the busy timeout.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rusqlite::{Connection, TransactionBehavior};

use super::articles::original_resources;
use super::error::{LibraryError, Result};
use super::store::{self, ImportMode, PreparedArticle, StoreOutcome};
use super::types::{ArticleId, ImportReport, Progress, ReextractReport};
use crate::read::limits::PAGE_TIME_BUDGET;
use crate::read::{self, Format};

/// Longest time a batch keeps the write lock.
pub const BATCH_MAX_DURATION: Duration = Duration::from_millis(500);

/// How [`super::Library::import_paths`] treats what it imports.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// What to do with articles already in the library.
    pub mode: ImportMode,
    /// Most articles committed in one transaction.
    pub batch_size: usize,
    /// Longest one page may take to read and extract before it fails with
    /// its reason ([`PAGE_TIME_BUDGET`] by default).
    pub page_time_budget: Duration,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            mode: ImportMode::SkipDuplicates,
            batch_size: 200,
            page_time_budget: PAGE_TIME_BUDGET,
        }
    }
}

/// Why one page could not be read and extracted (it is skipped; the import
/// goes on).
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The file could not be read as a page.
    #[error(transparent)]
    Read(#[from] read::ReadError),
    /// Reading and extracting it took longer than the page's time budget.
    #[error(
        "reading and extracting it took longer than {} s, the limit for one page; it was skipped",
        .0.as_secs_f64()
    )]
    OverBudget(Duration),
    /// Extraction panicked: a bug in Folio.
    #[error("extraction failed unexpectedly (a bug in Folio); the file was skipped")]
    Panicked,
    /// No thread could be started to extract it.
    #[error("could not start extracting it: {0}")]
    NoThread(std::io::Error),
}

/// Run `work` (reading and extracting one page) on a thread of its own and
/// wait at most `budget` for it. A page that takes longer fails with its
/// reason and the batch goes on; its thread is told to stop
/// ([`read::limits::work_stopped`], checked in the reading and extraction
/// loops) and its result is dropped. Panics in `work` become errors.
fn within_budget<T: Send + 'static>(
    budget: Duration,
    work: impl FnOnce() -> Result<T, PageError> + Send + 'static,
) -> Result<T, PageError> {
    let (sender, receiver) = crossbeam_channel::bounded(1);
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let stop_here = std::sync::Arc::clone(&stop);
    let spawned = std::thread::Builder::new()
        .name("folio-page".to_owned())
        .spawn(move || {
            read::limits::stop_work_when(stop_here);
            let result = catch_unwind(AssertUnwindSafe(work)).unwrap_or(Err(PageError::Panicked));
            // The import may have stopped waiting: then nobody wants it.
            let _ = sender.send(result);
        });
    if let Err(err) = spawned {
        return Err(PageError::NoThread(err));
    }
    match receiver.recv_timeout(budget) {
        Ok(result) => result,
        Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
            stop.store(true, Ordering::Relaxed);
            Err(PageError::OverBudget(budget))
        }
        // The thread ended without sending: it panicked past catch_unwind.
        Err(crossbeam_channel::RecvTimeoutError::Disconnected) => Err(PageError::Panicked),
    }
}

/// Read and extract one file within `budget`; panics in reading or
/// extraction become errors.
fn prepare_file(path: &Path, budget: Duration) -> Result<PreparedArticle, PageError> {
    let path = path.to_owned();
    within_budget(budget, move || {
        let source = read::read_path(&path)?;
        let article = crate::extract::extract(&source);
        Ok(PreparedArticle::new(&source, &article))
    })
}

/// What the extraction thread hands the writer: a file (or an archive's
/// page, under `ARCHIVE#URL`) and what became of it.
type Item = (PathBuf, Result<PreparedArticle, PageError>);

/// Read and extract every page of the web archive at `path`,
/// [`EXTRACT_CHUNK`] pages at a time (each within `budget`), handing each
/// to `sender` as it is done: a large archive's pages are never all held.
/// Reading the archive is bounded by its own limits and stops when
/// `stopped` says so. False when the writer is gone or the import stopped.
fn send_archive(
    path: &Path,
    budget: Duration,
    sender: &crossbeam_channel::Sender<Item>,
    stopped: &dyn Fn() -> bool,
) -> bool {
    // A bug met reading the archive fails this file alone, like a page's.
    let read = catch_unwind(AssertUnwindSafe(|| {
        read::warc::read_archive_until(path, stopped)
    }));
    let mut pages = match read {
        Ok(Ok(pages)) => pages,
        Ok(Err(err)) => return sender.send((path.to_owned(), Err(err.into()))).is_ok(),
        Err(_) => {
            return sender
                .send((path.to_owned(), Err(PageError::Panicked)))
                .is_ok();
        }
    };
    loop {
        if stopped() {
            return false;
        }
        let Ok(sources) = catch_unwind(AssertUnwindSafe(|| {
            pages
                .by_ref()
                .take(EXTRACT_CHUNK)
                .collect::<Vec<read::Source>>()
        })) else {
            return sender
                .send((path.to_owned(), Err(PageError::Panicked)))
                .is_ok();
        };
        if sources.is_empty() {
            return true;
        }
        let prepared: Vec<Item> = sources
            .into_par_iter()
            .map(|source| {
                let label = match &source.saved_from {
                    Some(url) => PathBuf::from(format!("{}#{url}", path.display())),
                    None => path.to_owned(),
                };
                let prepared = within_budget(budget, move || {
                    let article = crate::extract::extract(&source);
                    Ok(PreparedArticle::new(&source, &article))
                });
                (label, prepared)
            })
            .collect();
        for item in prepared {
            if sender.send(item).is_err() {
                return false;
            }
        }
    }
}

/// A write transaction that is committed by size or age, managed with plain
/// SQL so the connection stays free for the savepoints inside it.
struct Batch<'c> {
    conn: &'c Connection,
    open: bool,
    started: Instant,
    items: usize,
}

impl<'c> Batch<'c> {
    fn new(conn: &'c Connection) -> Self {
        Self {
            conn,
            open: false,
            started: Instant::now(),
            items: 0,
        }
    }

    fn begin(&mut self) -> Result<()> {
        if !self.open {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.open = true;
            self.started = Instant::now();
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        if self.open {
            if let Err(err) = self.conn.execute_batch("COMMIT") {
                self.roll_back();
                return Err(err.into());
            }
            self.open = false;
        }
        self.items = 0;
        Ok(())
    }

    /// Undo the open batch. SQLite rolls a transaction back by itself on
    /// some errors (a full disk among them): then there is nothing to undo.
    fn roll_back(&mut self) {
        if self.open
            && !self.conn.is_autocommit()
            && let Err(err) = self.conn.execute_batch("ROLLBACK")
        {
            log::error!("could not roll back an import batch: {err}");
        }
        self.open = false;
        self.items = 0;
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        // Only reached open on an error path: undo the unfinished batch.
        self.roll_back();
    }
}

/// True for errors after which no further write can succeed (the disk or
/// the library file is full, the file cannot be written): the import stops
/// instead of failing every remaining file one by one.
fn stops_the_import(err: &LibraryError) -> bool {
    use rusqlite::ErrorCode;
    matches!(
        err,
        LibraryError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if matches!(
                e.code,
                ErrorCode::DiskFull
                    | ErrorCode::SystemIoFailure
                    | ErrorCode::ReadOnly
                    | ErrorCode::CannotOpen
                    | ErrorCode::DatabaseCorrupt
                    | ErrorCode::NotADatabase
            )
    )
}

/// Store one article inside a savepoint of the open batch.
fn store_in_savepoint(
    conn: &Connection,
    prepared: &PreparedArticle,
    mode: ImportMode,
) -> Result<Result<StoreOutcome>> {
    conn.execute_batch("SAVEPOINT article")?;
    match store::store_prepared(conn, prepared, mode) {
        Ok(outcome) => {
            conn.execute_batch("RELEASE article")?;
            Ok(Ok(outcome))
        }
        Err(err) => match conn.execute_batch("ROLLBACK TO article; RELEASE article") {
            Ok(()) => Ok(Err(err)),
            // The transaction is gone (SQLite rolled it back on a full
            // disk): the article's own error says why.
            Err(_) if stops_the_import(&err) => Err(err),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// Files extracted in parallel before they are handed to the writer in order.
const EXTRACT_CHUNK: usize = 32;

pub(crate) fn import_paths(
    conn: &mut Connection,
    paths: &[PathBuf],
    options: &ImportOptions,
    progress: &dyn Fn(&Progress),
    cancel: &AtomicBool,
) -> Result<ImportReport> {
    let (files, errors) = read::discover_files(paths);
    let mut report = ImportReport {
        files: files.len(),
        failed: errors.into_iter().map(|e| (e.path, e.reason)).collect(),
        ..ImportReport::default()
    };
    let total = files.len();
    let stop = AtomicBool::new(false);
    let (sender, receiver) = crossbeam_channel::bounded::<Item>(32);
    let batch_size = options.batch_size.max(1);
    let result = std::thread::scope(|scope| -> Result<usize> {
        let producer = std::thread::Builder::new()
            .name("folio-import-extract".to_owned())
            .spawn_scoped(scope, || {
                // Owned here, so the writer's loop ends when this thread does.
                let sender = sender;
                let stopped = || cancel.load(Ordering::Relaxed) || stop.load(Ordering::Relaxed);
                let budget = options.page_time_budget;
                // Chunks extracted in parallel, handed over in file order: the
                // writer stores files in the order they were found, so which of
                // two duplicates is kept does not depend on thread timing. A
                // web archive's pages are streamed in chunks of their own.
                for chunk in files.chunks(EXTRACT_CHUNK) {
                    let mut rest = chunk;
                    while !rest.is_empty() {
                        if stopped() {
                            return;
                        }
                        let plain = rest
                            .iter()
                            .position(|p| read::warc::is_web_archive(p))
                            .unwrap_or(rest.len());
                        let (pages, after) = rest.split_at(plain);
                        let prepared: Vec<Item> = pages
                            .par_iter()
                            .map(|path| (path.clone(), prepare_file(path, budget)))
                            .collect();
                        for item in prepared {
                            if sender.send(item).is_err() {
                                return;
                            }
                        }
                        let Some((archive, after)) = after.split_first() else {
                            break;
                        };
                        if !send_archive(archive, budget, &sender, &stopped) {
                            return;
                        }
                        rest = after;
                    }
                }
            })?;
        let written = write_all(
            conn,
            &receiver,
            &mut report,
            &WriteOptions {
                first_given: paths.first().cloned(),
                mode: options.mode,
                batch_size,
                total,
            },
            progress,
            cancel,
        );
        if written.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        // Unblock the producer if it is waiting on a full channel.
        drop(receiver);
        if producer.join().is_err() {
            log::error!("the import's extraction thread panicked");
        }
        written
    });
    match result {
        Ok(done) => {
            report.cancelled = cancel.load(Ordering::Relaxed) && done < total;
            Ok(report)
        }
        Err(err) => Err(LibraryError::ImportStopped {
            reason: err.to_string(),
            report: Box::new(report),
        }),
    }
}

/// An article stored in the open batch: it counts in the report only once
/// the batch is committed.
struct Pending {
    path: PathBuf,
    outcome: StoreOutcome,
}

/// Count the committed batch's articles in the report. `first` is whether
/// `report.first_article` is of the first path given (`first_given`) yet.
fn settle(
    report: &mut ImportReport,
    pending: &mut Vec<Pending>,
    first_given: Option<&Path>,
    first: &mut bool,
) {
    for Pending { path, outcome } in pending.drain(..) {
        let given = first_given.is_some_and(|f| path.starts_with(f));
        if report.first_article.is_none() || (given && !*first) {
            report.first_article = Some(outcome.id());
            *first = given;
        }
        match outcome {
            StoreOutcome::Imported(id) => {
                report.imported += 1;
                report.ids.push(id);
            }
            StoreOutcome::Updated(id) => {
                report.updated += 1;
                report.ids.push(id);
            }
            StoreOutcome::Upgraded(id) => {
                report.ids.push(id);
                report.upgraded.push((path, id));
            }
            StoreOutcome::Versioned(id) => {
                report.ids.push(id);
                report.versioned.push((path, id));
            }
            StoreOutcome::Duplicate(id) => {
                report.duplicates += 1;
                report.duplicate_of.push((path, id));
            }
            StoreOutcome::Separate {
                id,
                same_address_as,
            } => {
                report.imported += 1;
                report.ids.push(id);
                report.separate.push((path, id, same_address_as));
            }
            StoreOutcome::Restored { id, replaced } => {
                report.ids.push(id);
                if replaced {
                    report.upgraded.push((path.clone(), id));
                }
                report.restored.push((path, id));
            }
        }
    }
}

/// How the writer stores what it receives.
struct WriteOptions {
    /// The first path the import was given (its article is reported first).
    first_given: Option<PathBuf>,
    mode: ImportMode,
    batch_size: usize,
    total: usize,
}

/// Store what `receiver` hands over, in batches; returns how many files were
/// done. On an error that stops the import, the open batch is rolled back
/// and its files are reported as not stored.
fn write_all(
    conn: &Connection,
    receiver: &crossbeam_channel::Receiver<Item>,
    report: &mut ImportReport,
    options: &WriteOptions,
    progress: &dyn Fn(&Progress),
    cancel: &AtomicBool,
) -> Result<usize> {
    let mut batch = Batch::new(conn);
    let mut pending: Vec<Pending> = Vec::new();
    let mut done = 0;
    let first_given = options.first_given.as_deref();
    let mut first = false;
    let result = (|| -> Result<()> {
        for (path, prepared) in receiver {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            match prepared {
                Err(PageError::Read(reason @ read::ReadError::NotAPageText { .. })) => {
                    report.skipped.push((path.clone(), reason.to_string()));
                }
                Err(reason) => report.failed.push((path.clone(), reason.to_string())),
                Ok(prepared) => {
                    batch.begin()?;
                    match store_in_savepoint(conn, &prepared, options.mode)? {
                        Ok(outcome) => pending.push(Pending {
                            path: path.clone(),
                            outcome,
                        }),
                        Err(err) if stops_the_import(&err) => {
                            report.failed.push((path.clone(), err.to_string()));
                            return Err(err);
                        }
                        Err(err) => report.failed.push((path.clone(), err.to_string())),
                    }
                    batch.items += 1;
                    if batch.items >= options.batch_size
                        || batch.started.elapsed() >= BATCH_MAX_DURATION
                    {
                        batch.commit()?;
                        settle(report, &mut pending, first_given, &mut first);
                    }
                }
            }
            done += 1;
            progress(&Progress {
                done,
                // A web archive is one file and many pages.
                total: options.total.max(done),
                path: Some(path),
            });
        }
        batch.commit()?;
        settle(report, &mut pending, first_given, &mut first);
        Ok(())
    })();
    if let Err(err) = result {
        // The open batch is rolled back: its files were not stored.
        batch.roll_back();
        for Pending { path, .. } in pending.drain(..) {
            report
                .failed
                .push((path, format!("not stored: the import stopped ({err})")));
        }
        return Err(err);
    }
    Ok(done)
}

/// One stored original, loaded for re-extraction.
struct StoredOriginal {
    id: ArticleId,
    /// The format it was imported as, when reading the original alone
    /// cannot tell (a page taken out of a web archive reads as HTML).
    format: Option<Format>,
    file_name: String,
    bytes: Vec<u8>,
    resources: Vec<(String, Vec<u8>)>,
}

/// Re-read and re-extract a stored original.
fn reprepare(stored: StoredOriginal) -> Result<PreparedArticle, PageError> {
    let StoredOriginal {
        file_name,
        bytes,
        resources,
        format,
        ..
    } = stored;
    within_budget(PAGE_TIME_BUDGET, move || {
        let source = read::from_stored(&file_name, format, bytes.into(), resources)?;
        let article = crate::extract::extract(&source);
        let mut prepared =
            PreparedArticle::without_original(&article, &source.file_name, source.format);
        prepared.fill_fallback_hash(&source.original);
        Ok(prepared)
    })
}

/// The format article `id` was imported as.
fn stored_format(conn: &Connection, id: ArticleId) -> Result<Option<Format>> {
    use rusqlite::OptionalExtension as _;
    let name: Option<String> = conn
        .prepare_cached("SELECT source_format FROM articles WHERE id = ?1")?
        .query_row([id.0], |row| row.get(0))
        .optional()?;
    Ok(name.as_deref().and_then(Format::parse))
}

/// Articles re-extracted per chunk (one transaction each).
const REEXTRACT_CHUNK: usize = 64;

pub(crate) fn reextract(
    conn: &mut Connection,
    ids: Option<&[ArticleId]>,
    progress: &dyn Fn(&Progress),
    cancel: &AtomicBool,
) -> Result<ReextractReport> {
    let ids: Vec<ArticleId> = match ids {
        Some(ids) => super::types::unique_ids(ids),
        None => conn
            .prepare("SELECT id FROM articles ORDER BY id")?
            .query_map([], |row| row.get(0).map(ArticleId))?
            .collect::<Result<_, _>>()?,
    };
    let mut report = ReextractReport::default();
    let total = ids.len();
    let mut done = 0;
    for chunk in ids.chunks(REEXTRACT_CHUNK) {
        if cancel.load(Ordering::Relaxed) {
            report.cancelled = true;
            break;
        }
        let mut loaded = Vec::with_capacity(chunk.len());
        for &id in chunk {
            match super::articles::original(conn, id) {
                Ok((file_name, bytes)) => loaded.push(StoredOriginal {
                    id,
                    format: stored_format(conn, id)?,
                    file_name,
                    bytes,
                    resources: original_resources(conn, id)?,
                }),
                Err(err @ (LibraryError::NoSuchArticle(_) | LibraryError::Corrupt(_))) => {
                    report.failed.push((id, err.to_string()));
                }
                Err(err) => return Err(err),
            }
        }
        let prepared: Vec<(ArticleId, Result<PreparedArticle, PageError>)> = loaded
            .into_par_iter()
            .map(|stored| (stored.id, reprepare(stored)))
            .collect();
        let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (id, prepared) in prepared {
            match prepared {
                Ok(p) => {
                    let sp = tx.savepoint_with_name("reextract")?;
                    match store::replace(&sp, id, &p) {
                        Ok(()) => {
                            sp.commit()?;
                            report.updated += 1;
                        }
                        Err(err) => {
                            drop(sp); // rolls back
                            report.failed.push((id, err.to_string()));
                        }
                    }
                }
                Err(reason) => report.failed.push((id, reason.to_string())),
            }
            done += 1;
            progress(&Progress {
                done,
                total,
                path: None,
            });
        }
        tx.commit()?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_over_its_budget_fails_with_the_reason_while_it_runs_on() {
        let (tx, rx) = crossbeam_channel::bounded::<()>(1);
        let result: Result<(), PageError> = within_budget(Duration::from_millis(20), move || {
            // Stands for a page that takes far longer than its budget.
            let _ = rx.recv_timeout(Duration::from_secs(30));
            Ok(())
        });
        let err = result.unwrap_err();
        assert!(matches!(err, PageError::OverBudget(_)), "{err}");
        assert!(err.to_string().contains("took longer than 0.02 s"), "{err}");
        drop(tx); // lets the abandoned thread finish
    }

    #[test]
    fn a_page_that_panics_fails_with_a_clear_reason() {
        let result: Result<(), PageError> =
            within_budget(Duration::from_secs(30), || panic!("a bug"));
        assert!(matches!(result, Err(PageError::Panicked)));
    }

    #[test]
    fn a_page_within_its_budget_gives_its_result() {
        let result: Result<i32, PageError> = within_budget(Duration::from_secs(30), || Ok(7));
        assert_eq!(result.unwrap(), 7);
    }
}

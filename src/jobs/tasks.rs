//! The long tasks the worker starts, each on a thread of its own with its
//! own connection and [`CancelToken`]: import (`folio-import`), export,
//! merge and image fetch. Each reports progress, then what it did as an
//! [`Outcome`] (or a [`Failure`]), then that the library changed.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::protocol::{CancelToken, Event, Failure, FetchFailure, NotFetched, Outcome, Task};
use super::worker::WorkerContext;
use crate::export::ExportFormat;
use crate::fetch::FetchError;
use crate::library::{ArticleId, ImportMode, ImportOptions, Library};

/// Report a long task's progress to the window: at most every 1% (and at
/// the end), so a 100,000-article export does not flood the event queue.
fn task_progress(send: &dyn Fn(Event), task: Task, progress: &crate::library::Progress) {
    let step = (progress.total / 100).max(1);
    if progress.done.is_multiple_of(step) || progress.done == progress.total {
        send(Event::TaskProgress {
            task,
            done: progress.done,
            total: progress.total,
        });
    }
}
impl WorkerContext {
    /// Fetch the missing images of `id` on a `folio-fetch` thread with its own
    /// connection; afterwards the article is re-opened and lists refresh.
    pub(super) fn spawn_fetch(&self, id: ArticleId, cancel: CancelToken) -> anyhow::Result<()> {
        let offline = self.offline;
        self.spawn_task(Task::Fetch, cancel, move |library, cancel, send| {
            let fetcher = crate::fetch::Fetcher::new(crate::fetch::FetchOptions {
                offline,
                ..crate::fetch::FetchOptions::default()
            });
            let report =
                crate::fetch::fetch_missing(library, Some(&[id]), &fetcher, &|_| {}, cancel)?;
            let failed: Vec<NotFetched> = report
                .outcomes
                .iter()
                .filter_map(|o| {
                    o.result.as_ref().err().map(|err| NotFetched {
                        url: o.image.src.clone(),
                        why: fetch_failure(err),
                    })
                })
                .collect();
            let article = library.article_without_image_bytes(id)?;
            send(Event::Opened(Arc::new(article)));
            Ok(Outcome::Fetched {
                fetched: report.fetched(),
                failed,
            })
        })
    }

    /// Export `ids` on a `folio-export` thread with its own connection.
    pub(super) fn spawn_export(
        &self,
        format: ExportFormat,
        ids: Vec<ArticleId>,
        out: PathBuf,
        overwrite: bool,
        cancel: CancelToken,
    ) -> anyhow::Result<()> {
        self.spawn_task(Task::Export, cancel, move |library, cancel, send| {
            let report = crate::export::export(
                library,
                format,
                &crate::library::ExportJob {
                    ids: &ids,
                    out: &out,
                    overwrite,
                    progress: &|p| task_progress(send, Task::Export, p),
                    cancel,
                },
            )?;
            Ok(Outcome::Exported {
                articles: report.articles,
                images: report.images,
                out,
            })
        })
    }

    /// Merge the library file at `path` into this one on a `folio-merge`
    /// thread with its own connection.
    pub(super) fn spawn_merge(&self, path: PathBuf, cancel: CancelToken) -> anyhow::Result<()> {
        self.spawn_task(Task::Merge, cancel, move |library, cancel, send| {
            let report =
                library.merge_from(&path, &|p| task_progress(send, Task::Merge, p), cancel)?;
            Ok(Outcome::Merged { path, report })
        })
    }

    /// Run `task` on a thread of its own with its own connection, then report
    /// what it did (or its error), that it ended and that the library changed.
    fn spawn_task(
        &self,
        kind: Task,
        cancel: CancelToken,
        task: impl FnOnce(&mut Library, &AtomicBool, &dyn Fn(Event)) -> Result<Outcome, TaskError>
        + Send
        + 'static,
    ) -> anyhow::Result<()> {
        let path = self.path.clone();
        let events = self.events.clone();
        let wake = self.wake.clone();
        std::thread::Builder::new()
            .name(kind.thread_name().to_owned())
            .spawn(move || {
                let send = |event| {
                    let _ = events.send(event);
                    wake();
                };
                let result = Library::open(&path)
                    .map_err(TaskError::from)
                    .and_then(|mut library| task(&mut library, cancel.flag(), &send));
                send(match result {
                    Ok(outcome) => Event::Done(outcome),
                    Err(err) => Event::Error(Failure::Other(err.to_string())),
                });
                send(Event::TaskEnded(kind));
                send(Event::Changed);
            })?;
        Ok(())
    }

    /// Import `paths`, and first the bundled samples written under `samples`
    /// when given, on a `folio-import` thread with its own connection.
    pub(super) fn spawn_import(
        &self,
        mut paths: Vec<PathBuf>,
        samples: Option<PathBuf>,
        mode: ImportMode,
        cancel: CancelToken,
    ) -> anyhow::Result<()> {
        let path = self.path.clone();
        let events = self.events.clone();
        let wake = self.wake.clone();
        let importing = self.importing.clone();
        importing.fetch_add(1, Ordering::SeqCst);
        std::thread::Builder::new()
            .name(Task::Import.thread_name().to_owned())
            .spawn(move || {
                // Counted down however the thread ends.
                struct Done(Arc<AtomicUsize>);
                impl Drop for Done {
                    fn drop(&mut self) {
                        self.0.fetch_sub(1, Ordering::SeqCst);
                    }
                }
                let _done = Done(importing);
                let send = |event| {
                    let _ = events.send(event);
                    wake();
                };
                if let Some(dir) = samples {
                    match crate::samples::write_samples(&dir) {
                        Ok(root) => paths.push(root),
                        Err(err) => {
                            send(Event::ImportFailed(Failure::WriteSamples(err.to_string())));
                            return;
                        }
                    }
                }
                let result = Library::open(&path).and_then(|mut library| {
                    library.import_paths(
                        &paths,
                        &ImportOptions {
                            mode,
                            ..ImportOptions::default()
                        },
                        &|p| {
                            send(Event::Progress {
                                done: p.done,
                                total: p.total,
                            });
                        },
                        cancel.flag(),
                    )
                });
                match result {
                    Ok(report) => send(Event::ImportDone(report)),
                    Err(err) => send(Event::ImportFailed(Failure::Import(err.to_string()))),
                }
                send(Event::Changed);
            })?;
        Ok(())
    }
}

/// Why a background task (export, merge, image fetch) failed; its text is
/// shown in the status bar.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// Opening, reading or writing the library failed.
    #[error(transparent)]
    Library(#[from] crate::library::LibraryError),
    /// An export wrote nothing.
    #[error(transparent)]
    Export(#[from] crate::library::ExportError),
    /// A merge changed nothing.
    #[error(transparent)]
    Merge(#[from] crate::library::MergeError),
    /// Fetching images could not run.
    #[error("fetching images failed: {0}")]
    Fetch(#[from] crate::fetch::FetchMissingError),
}

/// Why an image was not fetched, as data for the window to word.
fn fetch_failure(err: &FetchError) -> FetchFailure {
    match err {
        FetchError::Status { status, .. } => FetchFailure::Status(*status),
        FetchError::TooLarge { limit, .. } => FetchFailure::TooLarge(*limit),
        FetchError::NotAnImage { what, .. } => FetchFailure::NotAnImage(what.clone()),
        FetchError::UnsupportedScheme { .. } => FetchFailure::NotWeb,
        FetchError::Timeout { what, .. } => FetchFailure::Timeout(what.clone()),
        FetchError::Network { message, .. } => FetchFailure::Network(message.clone()),
        FetchError::TooManyRedirects { .. }
        | FetchError::RedirectLoop { .. }
        | FetchError::BadRedirect { .. } => FetchFailure::Redirect,
        FetchError::Cancelled => FetchFailure::Cancelled,
        FetchError::BadUrl { reason, .. } | FetchError::Store { reason, .. } => {
            FetchFailure::Other(reason.clone())
        }
    }
}

//! Fetching a library's missing images: list them, download each distinct URL
//! once, store every success through [`Library::store_fetched_image`]. Only
//! the library's public API is used (no SQL here).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use super::client::{FetchError, Fetcher, SETTING_OFFLINE, fetch_url, is_on};
use crate::library::{ArticleId, Library, LibraryError, MissingImage, Progress};

/// What happened to one missing image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageOutcome {
    /// The image.
    pub image: MissingImage,
    /// The sha256 it is stored under now, or why it is still missing.
    pub result: Result<String, FetchError>,
}

/// What [`fetch_missing`] did, image by image (in the order of
/// [`Library::missing_images`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchReport {
    /// One entry per missing image.
    pub outcomes: Vec<ImageOutcome>,
    /// True when `cancel` was set before every image was done.
    pub cancelled: bool,
}

impl FetchReport {
    /// Images fetched and stored.
    pub fn fetched(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_ok()).count()
    }

    /// Images still missing.
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.fetched()
    }
}

/// Why [`fetch_missing`] did not run at all.
#[derive(Debug, thiserror::Error)]
pub enum FetchMissingError {
    /// Fetching is forbidden (`--offline` or the `offline` setting).
    #[error(
        "Folio is offline (the --offline flag or the `offline` setting is on): no image was fetched"
    )]
    Offline,
    /// The library failed before anything was fetched.
    #[error(transparent)]
    Library(#[from] LibraryError),
}

/// True when the library's `offline` setting forbids network access.
pub fn is_offline(lib: &Library) -> Result<bool, LibraryError> {
    Ok(is_on(lib.setting(SETTING_OFFLINE)?.as_deref()))
}

/// Fetch the missing images of `ids` (every live article when `None`) and
/// store each one that downloads and decodes. Refuses to run when the
/// fetcher is offline ([`FetchOptions::offline`](super::client::FetchOptions::offline))
/// or the library's `offline` setting is on: every fetch passes this gate.
///
/// `progress` runs on this thread after each image (images done and in all); setting
/// `cancel` stops after the downloads in flight, keeping what was stored.
/// A failed image leaves its article exactly as it was.
pub fn fetch_missing(
    lib: &mut Library,
    ids: Option<&[ArticleId]>,
    fetcher: &Fetcher,
    progress: &dyn Fn(&Progress),
    cancel: &AtomicBool,
) -> Result<FetchReport, FetchMissingError> {
    if fetcher.options.offline || is_offline(lib)? {
        return Err(FetchMissingError::Offline);
    }
    let missing = lib.missing_images(ids)?;
    let total = missing.len();
    let mut results: Vec<Option<Result<String, FetchError>>> = vec![None; total];
    // Each distinct URL is downloaded once, for every image that uses it.
    let mut urls: Vec<String> = Vec::new();
    let mut users: Vec<Vec<usize>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut done = 0;
    for (i, image) in missing.iter().enumerate() {
        match fetch_url(&image.src, image.full_src.as_deref()) {
            Some(url) => {
                let n = *index.entry(url).or_insert_with(|| {
                    urls.push(url.to_owned());
                    users.push(Vec::new());
                    urls.len() - 1
                });
                users[n].push(i);
            }
            None => {
                results[i] = Some(Err(FetchError::UnsupportedScheme {
                    url: image.src.clone(),
                }));
                done += 1;
            }
        }
    }
    let report_progress = |done| {
        progress(&Progress {
            done,
            total,
            path: None,
        });
    };
    if done > 0 {
        report_progress(done);
    }
    fetcher.fetch_all(&urls, cancel, |n, fetched| {
        for &i in &users[n] {
            let image = &missing[i];
            let result = match &fetched {
                Ok(img) => lib
                    .store_fetched_image(image.article, image.position, &img.bytes, &img.mime)
                    .map_err(|err| FetchError::Store {
                        url: img.url.clone(),
                        reason: err.to_string(),
                    }),
                Err(err) => Err(err.clone()),
            };
            if let Err(err) = &result {
                log::info!("article {}: image {}: {err}", image.article, image.position);
            }
            results[i] = Some(result);
            done += 1;
            report_progress(done);
        }
    });
    let outcomes: Vec<ImageOutcome> = missing
        .into_iter()
        .zip(results)
        .map(|(image, result)| ImageOutcome {
            image,
            // `fetch_all` reports every URL; a gap would only mean a cancelled run.
            result: result.unwrap_or(Err(FetchError::Cancelled)),
        })
        .collect();
    let cancelled = cancel.load(Ordering::Relaxed)
        && outcomes
            .iter()
            .any(|o| o.result == Err(FetchError::Cancelled));
    Ok(FetchReport {
        outcomes,
        cancelled,
    })
}

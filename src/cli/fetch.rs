//! `folio fetch-images`, and the fetch that `folio import` runs when the
//! `fetch_images_on_import` setting is on. Network access goes
//! through [`crate::fetch`]; the library through [`Library`] only.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::Context as _;
use serde_json::{Value, json};

use super::output::print_json;
use super::output::{self, err, terminal_safe};
use super::progress::{advance, progress_bar};
use crate::fetch::{
    FetchOptions, FetchReport, Fetcher, SETTING_FETCH_ON_IMPORT, fetch_missing, is_offline, is_on,
};
use crate::library::{ArticleId, Library};

/// Fetch options from the command line's timeouts (seconds) and size cap.
pub(super) fn options(
    read_timeout: f64,
    connect_timeout: f64,
    max_bytes: u64,
) -> anyhow::Result<FetchOptions> {
    let seconds = |value: f64, what: &str| {
        Duration::try_from_secs_f64(value)
            .ok()
            .filter(|d| !d.is_zero())
            .with_context(|| format!("--{what} must be a positive number of seconds"))
    };
    Ok(FetchOptions {
        read_timeout: seconds(read_timeout, "read-timeout")?,
        connect_timeout: seconds(connect_timeout, "connect-timeout")?,
        max_bytes,
        ..FetchOptions::default()
    })
}

/// `folio fetch-images`.
pub(super) fn fetch_images(
    lib: &mut Library,
    ids: Option<&[ArticleId]>,
    options: FetchOptions,
    json: bool,
    offline: bool,
) -> anyhow::Result<ExitCode> {
    let report = run_fetch(lib, ids, FetchOptions { offline, ..options })?;
    if json {
        print_json(&report_json(&report))?;
    } else {
        print_report(&report)?;
    }
    Ok(if report.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Fetch with a progress bar on a terminal.
fn run_fetch(
    lib: &mut Library,
    ids: Option<&[ArticleId]>,
    options: FetchOptions,
) -> anyhow::Result<FetchReport> {
    let fetcher = Fetcher::new(options);
    let bar = progress_bar("fetching images");
    let cancel = AtomicBool::new(false);
    let report = fetch_missing(lib, ids, &fetcher, &|p| advance(&bar, p), &cancel);
    bar.finish_and_clear();
    Ok(report?)
}

/// After `folio import`: fetch the missing images of the articles just
/// stored, when the `fetch_images_on_import` setting is on (otherwise
/// nothing at all happens). Offline, says so on stderr and fetches nothing.
pub(super) fn after_import(
    lib: &mut Library,
    ids: &[ArticleId],
    offline: bool,
) -> anyhow::Result<Option<FetchReport>> {
    if ids.is_empty() || !is_on(lib.setting(SETTING_FETCH_ON_IMPORT)?.as_deref()) {
        return Ok(None);
    }
    if offline || is_offline(lib)? {
        err!("folio: offline: missing images were not fetched")?;
        return Ok(None);
    }
    run_fetch(lib, Some(ids), FetchOptions::default()).map(Some)
}

/// The JSON object of a fetch report.
pub(super) fn report_json(report: &FetchReport) -> Value {
    json!({
        "missing": report.outcomes.len(),
        "fetched": report.fetched(),
        "failed": report.failed(),
        "cancelled": report.cancelled,
        "images": report.outcomes.iter().map(|o| json!({
            "article": o.image.article.0,
            "position": o.image.position,
            "src": o.image.src,
            "sha256": o.result.as_ref().ok(),
            "error": o.result.as_ref().err().map(ToString::to_string),
        })).collect::<Vec<_>>(),
    })
}

/// The text report: a summary line, then one line per image.
pub(super) fn print_report(report: &FetchReport) -> anyhow::Result<()> {
    let mut out = output::stdout();
    writeln!(
        out,
        "fetched {} of {} missing image{}, failed {}",
        report.fetched(),
        report.outcomes.len(),
        if report.outcomes.len() == 1 { "" } else { "s" },
        report.failed()
    )?;
    for o in &report.outcomes {
        let which = format!(
            "article {}, image {}",
            o.image.article,
            o.image.position + 1
        );
        match &o.result {
            Ok(_) => writeln!(out, "  fetched: {which}: {}", terminal_safe(&o.image.src))?,
            Err(err) => writeln!(
                out,
                "  failed: {which}: {}",
                terminal_safe(&err.to_string())
            )?,
        }
    }
    if report.cancelled {
        writeln!(out, "cancelled before every image was done")?;
    }
    Ok(())
}

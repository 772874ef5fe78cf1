//! `folio fetch-images`, `folio settings`, and the fetch that `folio import`
//! runs when the `fetch_images_on_import` setting is on. Network access goes
//! through [`crate::fetch`]; the library through [`Library`] only.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

use super::commands::{advance, print_json, progress_bar};
use super::output::{self, err, out, terminal_safe};
use crate::fetch::{
    FetchOptions, FetchReport, Fetcher, SETTING_FETCH_ON_IMPORT, SETTING_OFFLINE, fetch_missing,
    is_offline, is_on, parse_bool,
};
use crate::library::{ArticleId, Library};

/// The settings Folio knows, with their defaults and what they do.
const KNOWN_SETTINGS: [(&str, &str, &str); 2] = [
    (SETTING_OFFLINE, "false", "true: no network request at all"),
    (
        SETTING_FETCH_ON_IMPORT,
        "false",
        "true: `folio import` fetches missing images after storing",
    ),
];

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

/// `folio settings [KEY [VALUE]]`.
pub(super) fn settings(
    lib: &mut Library,
    key: Option<&str>,
    value: Option<&str>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let known = |key: &str| KNOWN_SETTINGS.iter().find(|(k, _, _)| *k == key);
    match (key, value) {
        (None, _) => {
            let stored = lib.settings()?;
            let mut all: Vec<(String, String)> = KNOWN_SETTINGS
                .iter()
                .map(|(k, default, _)| {
                    let value = stored
                        .iter()
                        .find(|(s, _)| s == k)
                        .map_or(*default, |(_, v)| v.as_str());
                    ((*k).to_owned(), value.to_owned())
                })
                .collect();
            all.extend(stored.into_iter().filter(|(k, _)| known(k).is_none()));
            if json {
                print_json(&Value::Object(
                    all.into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect(),
                ))?;
            } else {
                let mut out = output::stdout();
                for (k, v) in &all {
                    match known(k) {
                        Some((_, _, help)) => writeln!(
                            out,
                            "{} = {}    ({help})",
                            terminal_safe(k),
                            terminal_safe(v)
                        )?,
                        None => writeln!(out, "{} = {}", terminal_safe(k), terminal_safe(v))?,
                    }
                }
            }
        }
        (Some(key), None) => {
            let value = match (lib.setting(key)?, known(key)) {
                (Some(value), _) => value,
                (None, Some((_, default, _))) => (*default).to_owned(),
                (None, None) => bail!("no setting named {key:?}"),
            };
            if json {
                print_json(&json!({ key: value }))?;
            } else {
                out!("{}", terminal_safe(&value))?;
            }
        }
        (Some(key), Some(value)) => {
            if known(key).is_none() {
                let names: Vec<&str> = KNOWN_SETTINGS.iter().map(|(k, _, _)| *k).collect();
                bail!("unknown setting {key:?}; known: {}", names.join(", "));
            }
            let normalized = match parse_bool(value) {
                Some(true) => "true",
                Some(false) => "false",
                None => bail!("{key} is true or false, not {value:?}"),
            };
            lib.set_setting(key, normalized)?;
            if json {
                print_json(&json!({ key: normalized }))?;
            } else {
                out!("{key} = {normalized}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `folio settings`: the library's own settings, listed, read and set.

use std::process::ExitCode;

use anyhow::bail;
use serde_json::{Value, json};

use super::output::{self, out, print_json, terminal_safe};
use crate::export::references::SETTING_STYLE;
use crate::fetch::{SETTING_FETCH_ON_IMPORT, SETTING_OFFLINE, parse_bool};
use crate::library::Library;

/// The settings Folio knows, with their defaults and what they do.
const KNOWN_SETTINGS: [(&str, &str, &str); 3] = [
    (
        SETTING_STYLE,
        crate::cite::DEFAULT_STYLE,
        "the citation style: a name from `folio cite --list-styles`",
    ),
    (SETTING_OFFLINE, "false", "true: no network request at all"),
    (
        SETTING_FETCH_ON_IMPORT,
        "false",
        "true: `folio import` fetches missing images after storing",
    ),
];

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
            let normalized = if key == SETTING_STYLE {
                crate::cite::Style::by_name(value)?;
                value.trim()
            } else {
                match parse_bool(value) {
                    Some(true) => "true",
                    Some(false) => "false",
                    None => bail!("{key} is true or false, not {value:?}"),
                }
            };
            lib.set_setting(key, normalized)?;
            if json {
                print_json(&json!({ key: normalized }))?;
            } else {
                out!("{key} = {}", terminal_safe(normalized))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

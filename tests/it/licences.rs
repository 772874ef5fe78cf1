//! The crates Folio is built from, with their licences, as the About window
//! lists them (`assets/licences.txt`, checked in): the list must name every
//! package of Cargo.lock at its locked version and nothing else, so it
//! cannot go stale. It is written from `cargo metadata` (each package's
//! `license` field) by running this test with `UPDATE_LICENCES=1`; the check
//! itself reads only Cargo.lock and the list, so it passes offline from a
//! fresh clone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The checkout.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `(name, version)` of Cargo.lock but Folio itself.
fn locked(root: &Path) -> BTreeSet<(String, String)> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let mut out = BTreeSet::new();
    for package in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            package
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
                .and_then(|v| v.strip_suffix('"'))
                .unwrap()
                .to_owned()
        };
        let name = field("name");
        if name != env!("CARGO_PKG_NAME") {
            out.insert((name, field("version")));
        }
    }
    out
}

/// The list's rows: name, version, licence.
fn listed(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.split('\t');
            let mut next = || parts.next().unwrap().to_owned();
            (next(), next(), next())
        })
        .collect()
}

/// The list written from `cargo metadata`, sorted by name and version.
fn from_metadata(root: &Path) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--offline", "--locked", "--format-version", "1"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut rows: Vec<(String, String, String)> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] != env!("CARGO_PKG_NAME"))
        .map(|p| {
            let text = |key: &str| p[key].as_str().unwrap_or_default().to_owned();
            let licence = match text("license") {
                l if l.is_empty() => format!("see {}", text("license_file")),
                l => l,
            };
            (text("name"), text("version"), licence)
        })
        .collect();
    rows.sort();
    let mut out = String::from(
        "# The crates Folio is built from and their licences (name, version,\n\
         # licence; tab-separated), as each crate declares it. Written by\n\
         # `UPDATE_LICENCES=1 cargo test --test it licences`; checked against\n\
         # Cargo.lock by the same test.\n",
    );
    for (name, version, licence) in rows {
        out.push_str(&format!("{name}\t{version}\t{licence}\n"));
    }
    out
}

#[test]
fn the_licence_list_names_every_crate_of_cargo_lock_and_its_licence() {
    let root = root();
    let path = root.join("assets/licences.txt");
    if std::env::var_os("UPDATE_LICENCES").is_some() {
        std::fs::write(&path, from_metadata(&root)).unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let rows = listed(&text);
    let have: BTreeSet<(String, String)> = rows
        .iter()
        .map(|(n, v, _)| (n.clone(), v.clone()))
        .collect();
    let want = locked(&root);
    let missing: Vec<_> = want.difference(&have).collect();
    let extra: Vec<_> = have.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "assets/licences.txt is stale (run UPDATE_LICENCES=1 cargo test --test it licences):\n\
         missing {missing:?}\nnot in Cargo.lock {extra:?}"
    );
    assert!(
        rows.iter()
            .all(|(_, _, licence)| !licence.trim().is_empty()),
        "a crate without a licence"
    );
}

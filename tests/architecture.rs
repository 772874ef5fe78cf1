//! The house rules of ARCHITECTURE.md, checked against the code itself.
//!
//! Every `.rs` file under `src/` is read; its code lines (comments and
//! `#[cfg(test)]` modules left out) are searched for the paths it uses:
//! `use` lines and paths written inline (`rusqlite::Connection`,
//! `crate::app::…`, `std::fs::write`). A module that touches what the table
//! in ARCHITECTURE.md says it may not touch fails the test, naming the file,
//! the line and the rule. The table's "may not touch" column and [`RULES`]
//! say the same thing; change both together.
//!
//! Two more rules: no two files that are not parent and child import each
//! other (a circle), and no lower layer reaches up into `app`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// (module, what it may not touch, why). A module is a top-level folder or
/// file of `src/` (`library` covers `library::export` and `library::merge`).
/// A forbidden entry is a path prefix: a crate (`rusqlite`), a part of the
/// standard library (`std::fs`), or one of Folio's own modules
/// (`crate::app`).
const RULES: &[(&str, &[&str], &str)] = &[
    (
        "model",
        &[
            "std::fs",
            "std::net",
            "rusqlite",
            "egui",
            "eframe",
            "scraper",
            "html5ever",
            "ureq",
            "crate::read",
            "crate::extract",
            "crate::library",
            "crate::fetch",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "plain data: no IO, SQL, egui or HTML parsing, and nothing above it",
    ),
    (
        "read",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "std::net",
            "crate::extract",
            "crate::library",
            "crate::fetch",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "reads files into Sources: no SQL, egui or network",
    ),
    (
        "extract",
        &[
            "std::fs",
            "std::net",
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "crate::library",
            "crate::fetch",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "pure Source -> Article: no file IO, SQL, egui or network",
    ),
    (
        "library",
        &[
            "egui",
            "eframe",
            "scraper",
            "html5ever",
            "ureq",
            "std::net",
            "crate::fetch",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "the only SQL: no egui, HTML parsing or network",
    ),
    (
        "fetch",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "scraper",
            "crate::export",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "all network access: no SQL, egui",
    ),
    (
        "export",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "std::net",
            "crate::fetch",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "renders stored articles through the Library API: no SQL, egui",
    ),
    (
        "jobs",
        &[
            "rusqlite",
            "ureq",
            "std::net",
            "scraper",
            "crate::cli",
            "crate::app",
            "egui::Ui",
            "egui::Window",
            "egui::Panel",
            "egui::Response",
        ],
        "the GUI's worker threads: no SQL of its own, no widgets",
    ),
    (
        "cli",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "std::net",
            "scraper",
            "crate::jobs",
            "crate::app",
        ],
        "headless commands over the library API: no SQL, egui",
    ),
    (
        "samples",
        &[
            "rusqlite",
            "egui",
            "eframe",
            "ureq",
            "std::net",
            "scraper",
            "crate::library",
            "crate::jobs",
            "crate::cli",
            "crate::app",
        ],
        "embedded samples and data paths: no SQL, egui or network",
    ),
    (
        "app",
        &[
            "rusqlite",
            "ureq",
            "std::net",
            "scraper",
            "html5ever",
            "crate::cli",
            "crate::read::read_path",
            "crate::read::read_bytes",
            "crate::read::mhtml",
            "crate::read::charset",
            "crate::extract",
            "crate::fetch",
        ],
        "the window: no SQL, file parsing or network (the worker does those)",
    ),
];

/// Crates only one module may use.
const ONLY: &[(&str, &str)] = &[
    ("ureq", "fetch"),
    ("rusqlite", "library"),
    ("eframe", "app"),
];

/// One `.rs` file of `src/`: its module path and its code lines.
struct SourceFile {
    path: PathBuf,
    /// `["library", "export"]` for `src/library/export.rs`, `[]` for `lib.rs`.
    module: Vec<String>,
    /// (line number, code without comments).
    lines: Vec<(usize, String)>,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn read_sources() -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(source_file(path));
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn source_file(path: PathBuf) -> SourceFile {
    let rel = path.strip_prefix(src()).unwrap().with_extension("");
    let mut module: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        module.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        module.pop();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = Vec::new();
    let mut in_block_comment = false;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        // A file's test module is the end of its production code.
        if trimmed == "#[cfg(test)]" {
            break;
        }
        if in_block_comment {
            in_block_comment = !trimmed.contains("*/");
            continue;
        }
        if trimmed.starts_with("/*") {
            in_block_comment = !trimmed.contains("*/");
            continue;
        }
        let code = match line.find("//") {
            // Not inside a string (a URL in a string literal): a rough test.
            Some(at) if line[..at].matches('"').count() % 2 == 0 => &line[..at],
            _ => line,
        };
        if !code.trim().is_empty() {
            lines.push((n + 1, code.to_owned()));
        }
    }
    SourceFile {
        path,
        module,
        lines,
    }
}

/// Every path a line uses, as written: `rusqlite::Connection`,
/// `crate::library::{…}` (as `crate::library`), `super::fetch::x`.
fn paths_in(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if is_ident(bytes[i]) && (i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != b':') {
            let start = i;
            let mut end;
            let mut j = i;
            loop {
                while j < bytes.len() && is_ident(bytes[j]) {
                    j += 1;
                }
                end = j;
                if code[j..].starts_with("::") && j + 2 < bytes.len() && is_ident(bytes[j + 2]) {
                    j += 2;
                } else {
                    break;
                }
            }
            let path = &code[start..end];
            if path.contains("::") || code[end..].starts_with("::{") {
                out.push(path.to_owned());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// `forbidden` as a prefix of `path`, on whole path segments.
fn touches(path: &str, forbidden: &str) -> bool {
    path == forbidden || path.starts_with(&format!("{forbidden}::"))
}

#[test]
fn no_module_touches_what_architecture_md_forbids() {
    let mut broken = Vec::new();
    for file in read_sources() {
        let Some(top) = file.module.first() else {
            continue; // lib.rs, main.rs: wiring only
        };
        let rules = RULES.iter().filter(|(m, _, _)| m == top);
        for (module, forbidden, why) in rules {
            for (n, code) in &file.lines {
                for path in paths_in(code) {
                    for f in forbidden.iter().filter(|f| touches(&path, f)) {
                        broken.push(format!(
                            "{}:{n}: `{module}` may not touch `{f}` ({why}): {}",
                            file.path.strip_prefix(src()).unwrap().display(),
                            code.trim()
                        ));
                    }
                }
            }
        }
        for (krate, owner) in ONLY {
            if top == owner {
                continue;
            }
            for (n, code) in &file.lines {
                if paths_in(code).iter().any(|p| touches(p, krate)) {
                    broken.push(format!(
                        "{}:{n}: only `{owner}` may use `{krate}`: {}",
                        file.path.strip_prefix(src()).unwrap().display(),
                        code.trim()
                    ));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "ARCHITECTURE.md is broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn every_module_of_src_has_a_rule_and_a_line_in_architecture_md() {
    let architecture =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    let tops: BTreeSet<String> = read_sources()
        .into_iter()
        .filter_map(|f| f.module.first().cloned())
        .collect();
    for top in tops {
        assert!(
            RULES.iter().any(|(m, _, _)| *m == top),
            "src/{top} has no rule in tests/architecture.rs"
        );
        assert!(
            architecture.contains(&format!("| `{top}` |")),
            "src/{top} has no row in ARCHITECTURE.md's table"
        );
    }
    // And the table's "may not touch" column names what the rules forbid.
    for (module, _, _) in RULES {
        let row = architecture
            .lines()
            .find(|l| l.starts_with(&format!("| `{module}` |")))
            .unwrap_or_else(|| panic!("ARCHITECTURE.md has no row for `{module}`"));
        let may_not = row.rsplit('|').nth(1).unwrap_or("").to_lowercase();
        for word in ["sql", "egui", "network", "io"] {
            let forbidden = RULES
                .iter()
                .find(|(m, _, _)| m == module)
                .map(|(_, f, _)| *f)
                .unwrap_or(&[]);
            let rule_forbids = match word {
                "sql" => forbidden.contains(&"rusqlite"),
                "egui" => forbidden.contains(&"egui") || forbidden.contains(&"egui::Ui"),
                "network" => forbidden.contains(&"ureq"),
                _ => forbidden.contains(&"std::fs"),
            };
            if rule_forbids && word != "io" {
                assert!(
                    may_not.contains(word),
                    "ARCHITECTURE.md's row for `{module}` does not say it may not touch {word}: {row}"
                );
            }
        }
    }
}

/// The module a path written in `file` refers to, resolved to a file of
/// `src/` (the longest module prefix that has one).
fn resolve(
    file: &SourceFile,
    path: &str,
    modules: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<Vec<String>> {
    let mut parts: Vec<&str> = path.split("::").collect();
    let mut base: Vec<String> = match parts.first().copied() {
        Some("crate") => Vec::new(),
        Some("super") => {
            // `super` of `library/export.rs` (module library::export) is `library`.
            let mut m = file.module.clone();
            m.pop();
            m
        }
        Some("self") => file.module.clone(),
        _ => return None,
    };
    parts.remove(0);
    while parts.first() == Some(&"super") {
        base.pop();
        parts.remove(0);
    }
    let mut best = None;
    for part in parts {
        base.push(part.to_owned());
        if modules.contains_key(&base) {
            best = Some(base.clone());
        }
    }
    best
}

#[test]
fn no_two_files_import_each_other() {
    let files = read_sources();
    let modules: BTreeMap<Vec<String>, PathBuf> = files
        .iter()
        .map(|f| (f.module.clone(), f.path.clone()))
        .collect();
    let mut edges: BTreeSet<(Vec<String>, Vec<String>)> = BTreeSet::new();
    for file in &files {
        for (_, code) in &file.lines {
            for path in paths_in(code) {
                if let Some(target) = resolve(file, &path, &modules)
                    && target != file.module
                {
                    edges.insert((file.module.clone(), target));
                }
            }
        }
    }
    let related = |a: &[String], b: &[String]| a.starts_with(b) || b.starts_with(a);
    let circles: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a < b && !related(a, b) && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{} <-> {}", a.join("::"), b.join("::")))
        .collect();
    assert!(
        circles.is_empty(),
        "files that import each other:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_path_reader_finds_what_it_should() {
    assert_eq!(
        paths_in("use crate::library::{ArticleId, Library};"),
        ["crate::library"]
    );
    assert_eq!(
        paths_in("let c = rusqlite::Connection::open(p)?; std::fs::write(a, b)"),
        ["rusqlite::Connection::open", "std::fs::write"]
    );
    assert_eq!(paths_in("x.y::<u8>()"), Vec::<String>::new());
    assert!(touches("egui::Ui", "egui"));
    assert!(!touches("eguix::Ui", "egui"));
    assert!(!touches("egui::Context", "egui::Ui"));
}

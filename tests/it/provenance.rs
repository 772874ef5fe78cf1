//! Issue 24, provenance: each format's capture date as the user sees it
//! through the CLI (`folio show --json`, `folio show`, `folio search
//! 'captured:…'`, an export), kept by re-extraction and by a richer copy's
//! old version, and a version 8 library upgraded with its rows unknown.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::common::{fixtures, folio_on};

/// A file's modification time set to `seconds` since 1970 (as a copy made
/// on that day would have it).
fn set_mtime(path: &Path, seconds: u64) {
    let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
        .unwrap();
}

/// 2019-06-03T07:00:02Z
const JUNE_2019: u64 = 1_559_545_202;

struct Env {
    _dir: tempfile::TempDir,
    library: PathBuf,
    files: PathBuf,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.folio");
        let files = dir.path().join("files");
        std::fs::create_dir(&files).unwrap();
        Self {
            _dir: dir,
            library,
            files,
        }
    }

    /// Copy a fixture (a file or a folder) into the import folder.
    fn copy(&self, fixture: &str) -> PathBuf {
        let from = fixtures().join(fixture);
        let to = self.files.join(from.file_name().unwrap());
        copy_all(&from, &to);
        to
    }

    fn run(&self, args: &[&str]) -> String {
        let out = folio_on(&self.library, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.run(args)).unwrap()
    }

    /// The id of the article imported from `source` (as `list` names it).
    fn id_of(&self, source: &str) -> String {
        let list = self.json(&["list", "--json", "--limit", "0"]);
        let found: Vec<&Value> = list
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["source"].as_str().unwrap().starts_with(source))
            .collect();
        assert!(!found.is_empty(), "{source} not in {list}");
        found[0]["id"].to_string()
    }

    /// `captured_at` and `captured_from` of `show --json`.
    fn captured(&self, source: &str) -> (Value, Value) {
        let shown = self.json(&["show", &self.id_of(source), "--json"]);
        (shown["captured_at"].clone(), shown["captured_from"].clone())
    }

    /// The sources `folio search QUERY` finds, sorted.
    fn found(&self, query: &str) -> Vec<String> {
        let hits = self.json(&["search", query, "--json", "--limit", "0"]);
        let mut sources: Vec<String> = hits
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["source"].as_str().unwrap().to_owned())
            .collect();
        sources.sort();
        sources
    }
}

fn copy_all(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_all(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// One library of every format: Chrome MHTML (two dates, one with an
/// offset), Word MHTML (no date), SingleFile, WARC and WACZ pages, a Safari
/// webarchive and a page saved with its folder (file times set to June
/// 2019), and a mirror page (no date).
fn every_format() -> Env {
    let env = Env::new();
    for fixture in [
        "saved/mhtml/blink-example-com.mhtml",
        "saved/mhtml/word-gb2312-simple.mht",
        "formats/mhtml/m-epoch.mhtml",
        "formats/singlefile/r-ehow-2.singlefile.html",
        "warc/site.warc",
        "mirror/19-420864.md",
    ] {
        env.copy(fixture);
    }
    let webarchive = env.copy("saved/webarchive/safari-crouton.webarchive");
    set_mtime(&webarchive, JUNE_2019);
    let folder = env.copy("formats/complete/m-minghui");
    set_mtime(&folder.join("m-minghui.html"), JUNE_2019 + 3600);
    let files = env.files.to_str().unwrap().to_owned();
    env.run(&["import", &files]);
    env
}

#[test]
fn show_json_says_when_and_from_what_each_format_was_captured() {
    let env = every_format();
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        (
            "blink-example-com.mhtml",
            Some("2018-12-17T11:28:18Z"),
            Some("mhtml-date"),
        ),
        (
            "m-epoch.mhtml",
            Some("2026-11-24T22:46:28Z"),
            Some("mhtml-date"),
        ),
        ("word-gb2312-simple.mht", None, None),
        (
            "r-ehow-2.singlefile.html",
            Some("2026-11-24T22:47:10Z"),
            Some("singlefile-comment"),
        ),
        (
            "site.warc#",
            Some("2026-11-29T23:38:46Z"),
            Some("warc-date"),
        ),
        (
            "safari-crouton.webarchive",
            Some("2019-06-03T07:00:02Z"),
            Some("file-time"),
        ),
        (
            "m-minghui.html",
            Some("2019-06-03T08:00:02Z"),
            Some("file-time"),
        ),
        ("19-420864.md", None, None),
    ];
    for (source, at, from) in cases {
        let (got_at, got_from) = env.captured(source);
        assert_eq!(got_at.as_str(), *at, "{source}");
        assert_eq!(got_from.as_str(), *from, "{source}");
    }
    // The human text says it too, and where it was found.
    let text = env.run(&["show", &env.id_of("safari-crouton.webarchive")]);
    assert!(
        text.contains(
            "Captured: 2019-06-03T07:00:02Z from the file's time — may be when it was copied"
        ),
        "{text}"
    );
}

#[test]
fn an_mhtml_date_with_an_offset_keeps_it() {
    let env = Env::new();
    let page = env.copy("saved/mhtml/blink-substack-noahpinion-japan.mht");
    env.run(&["import", page.to_str().unwrap()]);
    let (at, from) = env.captured("blink-substack-noahpinion-japan.mht");
    assert_eq!(at, "2026-04-04T16:06:00+02:00");
    assert_eq!(from, "mhtml-date");
}

#[test]
fn a_wacz_page_is_captured_at_its_warc_date() {
    let env = Env::new();
    let archive = env.copy("warc/site.wacz");
    env.run(&["import", archive.to_str().unwrap()]);
    let (at, from) = env.captured("site.wacz#");
    assert_eq!(at, "2026-11-29T23:38:46Z");
    assert_eq!(from, "warc-date");
}

#[test]
fn the_captured_filters_find_exactly_the_pages_saved_then() {
    let env = every_format();
    assert_eq!(
        env.found("captured:2019"),
        ["m-minghui.html", "safari-crouton.webarchive"]
    );
    assert_eq!(
        env.found("captured:2019-06-03"),
        ["m-minghui.html", "safari-crouton.webarchive"]
    );
    assert!(env.found("captured:2019-07").is_empty());
    assert_eq!(env.found("captured:2018-12"), ["blink-example-com.mhtml"]);
    assert_eq!(
        env.found("captured-before:2020"),
        [
            "blink-example-com.mhtml",
            "m-minghui.html",
            "safari-crouton.webarchive"
        ]
    );
    let late = env.found("captured-after:2026-11-25");
    assert_eq!(late.len(), 2, "{late:?}");
    assert!(late.iter().all(|s| s.starts_with("site.warc#")), "{late:?}");
    // With words, negated, and a date that is not one.
    assert_eq!(
        env.found("example captured:2018"),
        ["blink-example-com.mhtml"]
    );
    assert_eq!(env.found("-captured:2026 captured-after:2000").len(), 3);
    let out = folio_on(&env.library, &["search", "captured:2019-13"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("captured: wants a real date"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `search --help` documents them.
    let help = env.run(&["search", "--help"]);
    assert!(help.contains("captured:2019"), "{help}");
    assert!(help.contains("captured-after:DATE"), "{help}");
}

#[test]
fn reextract_keeps_or_finds_again_the_capture_and_exports_carry_it() {
    let env = every_format();
    env.run(&["reextract", "--all"]);
    // Read again from the stored original (the WARC page's date is written
    // into it), or kept when only the file's time said it.
    assert_eq!(
        env.captured("site.warc#").0,
        "2026-11-29T23:38:46Z",
        "re-found"
    );
    assert_eq!(
        env.captured("safari-crouton.webarchive"),
        (
            Value::from("2019-06-03T07:00:02Z"),
            Value::from("file-time")
        ),
        "kept"
    );
    assert_eq!(
        env.captured("blink-example-com.mhtml").0,
        "2018-12-17T11:28:18Z"
    );
    // Markdown front matter, JSON Lines and HTML.
    let id = env.id_of("blink-example-com.mhtml");
    let out = env.files.parent().unwrap().join("out");
    std::fs::create_dir(&out).unwrap();
    for format in ["markdown", "jsonl", "html"] {
        let dest = out.join(format);
        env.run(&[
            "export",
            "--ids",
            &id,
            "--format",
            format,
            "--out",
            dest.to_str().unwrap(),
        ]);
        let mut text = String::new();
        for entry in walk(&dest) {
            text.push_str(&std::fs::read_to_string(entry).unwrap_or_default());
        }
        let want = match format {
            "markdown" => "captured: \"2018-12-17T11:28:18Z\"\ncaptured_from: \"mhtml-date\"",
            "jsonl" => "\"captured_at\":\"2018-12-17T11:28:18Z\",\"captured_from\":\"mhtml-date\"",
            _ => "Captured <time datetime=\"2018-12-17T11:28:18Z\">2018-12-17</time>",
        };
        assert!(text.contains(want), "{format}: {text}");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    } else if dir.is_file() {
        out.push(dir.to_owned());
    }
    out
}

#[test]
fn a_richer_copy_shows_its_own_capture_and_the_kept_one_keeps_its_own() {
    // The same page as a SingleFile save (captured 22:46:46) and then as a
    // Chrome MHTML (22:46:28) imported with `--update`: the MHTML copy is
    // shown, the SingleFile one kept, each with the date its own file
    // stated.
    let env = Env::new();
    let single = env.copy("formats/singlefile/m-epoch.singlefile.html");
    env.run(&["import", single.to_str().unwrap()]);
    let mhtml = env.copy("formats/mhtml/m-epoch.mhtml");
    env.run(&["import", "--update", mhtml.to_str().unwrap()]);
    let id = env.id_of("m-epoch");
    let versions = env.json(&["versions", &id, "--json"]);
    let versions = versions.as_array().unwrap();
    assert!(versions.len() >= 2, "{versions:?}");
    for version in versions {
        let number = version["number"].to_string();
        let shown = env.json(&["show", &id, "--version", &number, "--json"]);
        let source = version["source_file"].as_str().unwrap();
        let want = if source.ends_with(".mhtml") {
            ("2026-11-24T22:46:28Z", "mhtml-date")
        } else {
            ("2026-11-24T22:46:46Z", "singlefile-comment")
        };
        assert_eq!(shown["captured_at"], want.0, "{source}");
        assert_eq!(shown["captured_from"], want.1, "{source}");
        // The list of versions says it too, as JSON and as text.
        assert_eq!(version["captured_at"], want.0, "{source}");
        assert_eq!(version["captured_from"], want.1, "{source}");
    }
    let listed = env.run(&["versions", &id]);
    assert!(
        listed.contains("captured 2026-11-24T22:46:28Z")
            && listed.contains("captured 2026-11-24T22:46:46Z"),
        "{listed}"
    );
}

#[test]
fn a_version_8_library_upgrades_with_everything_kept_and_no_capture_dates() {
    let env = Env::new();
    let fixture = fixtures().join("schema/v8.sql");
    let conn = rusqlite::Connection::open(&env.library).unwrap();
    conn.execute_batch(&std::fs::read_to_string(fixture).unwrap())
        .unwrap();
    drop(conn);
    let shown = env.json(&["show", "1", "--json"]);
    assert_eq!(shown["title"], "售後新政 frozen v6");
    assert_eq!(shown["tags"], serde_json::json!(["frozen"]));
    assert_eq!(shown["note"], "旧笔记");
    assert!(shown["captured_at"].is_null(), "{shown}");
    assert!(shown["captured_from"].is_null(), "{shown}");
    let kept = env.json(&["show", "1", "--version", "1", "--json"]);
    assert!(kept["captured_at"].is_null(), "{kept}");
    assert_eq!(env.found("censored"), ["v6.html"]);
    assert!(env.found("captured-after:1991").is_empty());
    let conn = rusqlite::Connection::open(&env.library).unwrap();
    let (version, nulls): (i32, i64) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version),
                    (SELECT count(*) FROM articles WHERE captured_at IS NULL)
                  + (SELECT count(*) FROM article_versions WHERE captured_at IS NULL)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(version, 9);
    assert_eq!(nulls, 2);
    assert!(env.run(&["check"]).contains("ok"));
}

#[test]
fn the_same_file_imported_again_gives_an_older_copy_its_date() {
    // A copy stored before capture dates were kept (its columns NULL, as
    // after the upgrade from version 8) learns its date when the same file
    // is imported again.
    let env = Env::new();
    let page = env.copy("saved/mhtml/blink-example-com.mhtml");
    env.run(&["import", page.to_str().unwrap()]);
    let conn = rusqlite::Connection::open(&env.library).unwrap();
    conn.execute(
        "UPDATE articles SET captured_at = NULL, captured_from = NULL",
        [],
    )
    .unwrap();
    drop(conn);
    assert!(env.captured("blink-example-com.mhtml").0.is_null());
    env.run(&["import", page.to_str().unwrap()]);
    assert_eq!(
        env.captured("blink-example-com.mhtml"),
        (
            Value::from("2018-12-17T11:28:18Z"),
            Value::from("mhtml-date")
        )
    );
}

#[test]
fn a_hostile_date_header_is_no_date_and_harms_nothing() {
    // An MHTML file whose `Date:` is a megabyte long, and one whose date is
    // not a calendar date: both imported, neither with a capture date.
    let env = Env::new();
    let page =
        std::fs::read_to_string(fixtures().join("saved/mhtml/blink-example-com.mhtml")).unwrap();
    let date = "Date: Mon, 17 Dec 2018 11:28:18 -0000";
    assert!(page.contains(date));
    let long = page.replace(
        date,
        &format!(
            "Date: Mon, 17 Dec 2018 11:28:18 -0000 {}",
            "9".repeat(1 << 20)
        ),
    );
    std::fs::write(env.files.join("long-date.mhtml"), long).unwrap();
    let bad = page
        .replace(date, "Date: Mon, 31 Feb 2018 25:28:18 -0000")
        .replace("Example Domain", "Example Domain Again");
    std::fs::write(env.files.join("bad-date.mhtml"), bad).unwrap();
    let files = env.files.to_str().unwrap().to_owned();
    env.run(&["import", &files]);
    for source in ["long-date.mhtml", "bad-date.mhtml"] {
        let (at, from) = env.captured(source);
        assert!(at.is_null() && from.is_null(), "{source}: {at} {from}");
    }
}

#[test]
fn a_library_export_and_a_merge_carry_capture_dates_and_kept_copies_theirs() {
    let env = Env::new();
    let single = env.copy("formats/singlefile/m-epoch.singlefile.html");
    env.run(&["import", single.to_str().unwrap()]);
    let mhtml = env.copy("formats/mhtml/m-epoch.mhtml");
    env.run(&["import", "--update", mhtml.to_str().unwrap()]);
    let id = env.id_of("m-epoch");
    let exported = env.files.parent().unwrap().join("exported.folio");
    env.run(&[
        "export",
        "--ids",
        &id,
        "--format",
        "sqlite",
        "--out",
        exported.to_str().unwrap(),
    ]);
    let other = Env::new();
    other.run(&["merge", exported.to_str().unwrap()]);
    for lib in [&exported, &other.library] {
        let shown =
            serde_json::from_slice::<Value>(&folio_on(lib, &["show", "1", "--json"]).stdout)
                .unwrap();
        assert_eq!(shown["captured_at"], "2026-11-24T22:46:28Z", "{lib:?}");
        assert_eq!(shown["captured_from"], "mhtml-date", "{lib:?}");
        // Each copy with its own date, whatever order the merge stored them in.
        let mut froms = Vec::new();
        for number in ["1", "2"] {
            let copy = serde_json::from_slice::<Value>(
                &folio_on(lib, &["show", "1", "--version", number, "--json"]).stdout,
            )
            .unwrap();
            froms.push(copy["captured_from"].as_str().unwrap().to_owned());
        }
        froms.sort();
        assert_eq!(froms, ["mhtml-date", "singlefile-comment"], "{lib:?}");
    }
}

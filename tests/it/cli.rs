//! The headless commands, run as a user would: the real binary on real
//! fixture files, checking exit codes, text and JSON output.
//!
//! Long because: one subject's tests with the helpers they share; split
//! by subject, not by size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// The seed article's caption on its first image.
const SEED_CAPTION: &str = "图为小米手机在北京的一家服务中心。(Greg Baker/AFP via Getty Images)";

/// A few mirror pages imported next to the seed.
const MIRROR_PAGES: [&str; 3] = ["140-336623.md", "19-420864.md", "245-330507.md"];

/// A temporary library and the folder it lives in.
struct Env {
    dir: TempDir,
    library: PathBuf,
}

impl Env {
    /// An empty library in a fresh temporary folder (in a subfolder that does
    /// not exist yet, so the CLI has to create it).
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("nested/folder/test.folio");
        Self { dir, library }
    }

    /// A library holding the seed and [`MIRROR_PAGES`].
    fn seeded() -> Self {
        let env = Self::new();
        let out = env.run(&import_args(&["--json"]));
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        env
    }

    /// Run `folio --library LIB ARGS…`.
    fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Output {
        self.command(args).output().unwrap()
    }

    fn command<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Command {
        let mut command = common::folio();
        command
            .arg("--library")
            .arg(&self.library)
            .args(args)
            .env_remove("VISUAL")
            .env_remove("EDITOR")
            .stdin(Stdio::null());
        command
    }

    /// Run and require exit 0; returns stdout.
    fn ok<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> String {
        let out = self.run(args);
        assert_eq!(
            code(&out),
            0,
            "folio {:?} failed:\nstdout: {}\nstderr: {}",
            args.iter()
                .map(|a| a.as_ref().to_owned())
                .collect::<Vec<_>>(),
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    }

    /// Run and require exit 0; returns stdout parsed as JSON.
    fn json<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Value {
        let text = self.ok(args);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }

    /// The id of the seed article (found by searching its title).
    fn seed_id(&self) -> i64 {
        let hits = self.json(&["search", "售后新政", "--json"]);
        hits[0]["id"].as_i64().unwrap()
    }

    /// The ids and titles of `folio list ARGS --json`.
    fn list(&self, args: &[&str]) -> Vec<(i64, String)> {
        let mut all = vec!["list", "--json"];
        all.extend_from_slice(args);
        self.json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                (
                    row["id"].as_i64().unwrap(),
                    row["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

fn fixtures() -> PathBuf {
    common::fixtures()
}

/// `import [extra…] SEED MIRROR…` as arguments.
fn import_args(extra: &[&str]) -> Vec<String> {
    let mut args = vec!["import".to_owned()];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args.push(common::seed_path().display().to_string());
    for page in MIRROR_PAGES {
        args.push(fixtures().join("mirror").join(page).display().to_string());
    }
    args
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn import_reports_counts_and_a_second_import_adds_nothing() {
    let env = Env::new();
    let report: Value = serde_json::from_slice(&env.run(&import_args(&["--json"])).stdout).unwrap();
    assert_eq!(report["files"], 4);
    assert_eq!(report["imported"], 4);
    assert_eq!(report["duplicates"], 0);
    assert_eq!(report["failed"].as_array().unwrap().len(), 0);
    assert_eq!(report["ids"].as_array().unwrap().len(), 4);
    assert!(env.library.exists(), "the library folder was created");

    // Again, as text: everything is a duplicate, which is fine (exit 0).
    let text = env.ok(&import_args(&[]));
    assert!(
        text.contains("imported 0") && text.contains("duplicates 4") && text.contains("failed 0"),
        "{text}"
    );
    assert_eq!(env.json(&["stats", "--json"])["articles"], 4);

    // --update replaces them in place instead.
    let report = env.json(&import_args(&["--update", "--json"]));
    assert_eq!(report["updated"], 4);
    assert_eq!(env.json(&["stats", "--json"])["articles"], 4);
}

#[test]
fn a_broken_file_in_a_folder_fails_alone() {
    let env = Env::new();
    let folder = env.dir.path().join("saved");
    std::fs::create_dir(&folder).unwrap();
    for page in &MIRROR_PAGES[..2] {
        std::fs::copy(fixtures().join("mirror").join(page), folder.join(page)).unwrap();
    }
    // Binary junk with a page extension.
    let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    std::fs::write(folder.join("broken.html"), junk).unwrap();

    let out = env.run(&[Path::new("import"), &folder]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("imported 2"), "{text}");
    assert!(text.contains("failed 1"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("failed:") && l.contains("broken.html")),
        "the report names the broken file: {text}"
    );

    // The JSON report names it too; a missing path is a failure as well.
    let missing = env.dir.path().join("no-such-file.html");
    let out = env.run(&[
        Path::new("import"),
        Path::new("--json"),
        &folder,
        missing.as_path(),
    ]);
    assert_eq!(code(&out), 1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["duplicates"], 2);
    let failed: Vec<&str> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(failed.len(), 2, "{report}");
    assert!(failed.iter().any(|f| f.ends_with("broken.html")));
    assert!(failed.iter().any(|f| f.ends_with("no-such-file.html")));
    assert_eq!(env.json(&["stats", "--json"])["articles"], 2);
}

#[test]
fn search_finds_the_seed_with_a_snippet() {
    let env = Env::seeded();
    for query in ["小米", "主板", "售后新政"] {
        let hits = env.json(&["search", query, "--json"]);
        let hits = hits.as_array().unwrap();
        let seed = hits
            .iter()
            .find(|h| h["source"] == "000_2ed360ca1ed3b761.txt")
            .unwrap_or_else(|| panic!("{query}: seed not found in {hits:?}"));
        assert!(seed["id"].is_i64());
        assert_eq!(seed["title"], "小米11系列屡曝质量问题 售后新政引不满");
        assert_eq!(seed["published"], "2022-09-22");
        assert_eq!(seed["site"], "大纪元");
        assert_eq!(
            seed["url"],
            "https://www.epochtimes.com/gb/22/9/22/n13830172.htm"
        );
        assert!(seed["tags"].is_array());
        let snippet = seed["snippet"].as_str().unwrap();
        assert!(snippet.contains(query), "{query}: snippet {snippet:?}");
    }

    // Text output: one line with id, date, title, site; the snippet indented.
    let text = env.ok(&["search", "售后新政"]);
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    assert!(
        first.contains("2022-09-22")
            && first.contains("小米11系列屡曝质量问题")
            && first.contains("大纪元"),
        "{first}"
    );
    assert!(lines.next().unwrap().starts_with("    "));

    // A word found nowhere: an empty array, exit 0.
    assert_eq!(
        env.json(&["search", "zzyzxnotaword", "--json"]),
        Value::Array(vec![])
    );
}

#[test]
fn limits_and_sorting() {
    let env = Env::seeded();
    let all = env.list(&["--sort", "title", "--limit", "0"]);
    assert_eq!(all.len(), 4);
    let mut titles: Vec<String> = all.iter().map(|(_, t)| t.to_lowercase()).collect();
    let listed = titles.clone();
    titles.sort();
    assert_eq!(listed, titles, "sorted by title");
    let two = env.list(&["--sort", "title", "--limit", "2"]);
    assert_eq!(two, all[..2].to_vec());
    for sort in ["date", "added", "site"] {
        assert_eq!(env.list(&["--sort", sort]).len(), 4, "{sort}");
    }
    // Text: one line per article.
    assert_eq!(env.ok(&["list", "--limit", "3"]).lines().count(), 3);

    // `的` is in every Chinese article: --limit 1 gives one, --limit 0 all.
    let one = env.json(&["search", "的", "--limit", "1", "--json"]);
    assert_eq!(one.as_array().unwrap().len(), 1);
    let every = env.json(&["search", "的", "--limit", "0", "--json"]);
    assert!(every.as_array().unwrap().len() >= 3, "{every}");

    // A query filters the list.
    let filtered = env.list(&["小米"]);
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0].0, env.seed_id());
}

#[test]
fn tags_add_count_filter_rename_merge_and_delete() {
    let env = Env::seeded();
    let seed = env.seed_id().to_string();
    let other = env
        .list(&[])
        .into_iter()
        .map(|(id, _)| id.to_string())
        .find(|id| *id != seed)
        .unwrap();

    env.ok(&["tag", "add", &seed, "Phones", "consumer rights"]);
    let tags = env.json(&["tags", "--json"]);
    let phones = tags
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Phones")
        .unwrap();
    assert_eq!(phones["count"], 1);
    assert!(phones["colour"].is_null());

    let tagged = env.list(&["tag:Phones"]);
    assert_eq!(tagged.len(), 1);
    assert_eq!(tagged[0].0.to_string(), seed);
    assert_eq!(env.list(&["tag:\"consumer rights\""]).len(), 1);

    // Rename into an existing tag merges the two.
    env.ok(&["tag", "add", &other, "phone"]);
    env.ok(&["tag", "rename", "Phones", "phone"]);
    let tags = env.json(&["tags", "--json"]);
    let names: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"Phones"), "{names:?}");
    let phone = tags
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "phone")
        .unwrap();
    assert_eq!(phone["count"], 2);
    assert_eq!(env.list(&["tag:phone"]).len(), 2);

    env.ok(&["tag", "colour", "phone", "#d04040"]);
    assert!(env.ok(&["tags"]).contains("#d04040"));

    env.ok(&["tag", "remove", &other, "phone"]);
    assert_eq!(env.list(&["tag:phone"]).len(), 1);
    env.ok(&["tag", "delete", "phone"]);
    assert_eq!(env.list(&["tag:phone"]).len(), 0);
    let out = env.run(&["tag", "delete", "phone"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).starts_with("folio: "), "{}", stderr(&out));
}

#[test]
fn notes_set_show_clear() {
    let env = Env::seeded();
    let seed = env.seed_id().to_string();
    assert_eq!(env.ok(&["note", &seed]), "");
    env.ok(&["note", &seed, "--set", "Follow up: 维权群"]);
    assert_eq!(env.ok(&["note", &seed]).trim_end(), "Follow up: 维权群");
    let shown = env.json(&["show", &seed, "--json"]);
    assert_eq!(shown["note"], "Follow up: 维权群");
    assert!(env.ok(&["show", &seed]).contains("Follow up: 维权群"));
    // Notes are searchable.
    assert_eq!(
        env.json(&["search", "维权群", "--json"])[0]["id"].to_string(),
        seed
    );

    env.ok(&["note", &seed, "--set", ""]);
    assert!(env.json(&["show", &seed, "--json"])["note"].is_null());
}

#[cfg(unix)]
#[test]
fn note_edit_runs_the_editor() {
    use std::os::unix::fs::PermissionsExt as _;
    let env = Env::seeded();
    let seed = env.seed_id().to_string();
    env.ok(&["note", &seed, "--set", "before"]);
    let script = env.dir.path().join("editor.sh");
    // Appends a line, so it also proves the current note was in the file.
    std::fs::write(&script, "#!/bin/sh\nprintf 'after\\n' >> \"$1\"\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = env
        .command(&["note", &seed, "--edit"])
        .env("EDITOR", &script)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(env.ok(&["note", &seed]).trim_end(), "beforeafter");

    // A failing editor leaves the note alone and exits 1.
    let out = env
        .command(&["note", &seed, "--edit"])
        .env("EDITOR", "false")
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
    assert_eq!(env.ok(&["note", &seed]).trim_end(), "beforeafter");
}

#[test]
fn show_json_has_the_extract_shape_plus_library_fields() {
    let env = Env::seeded();
    let seed = env.seed_id();
    let shown = env.json(&["show", &seed.to_string(), "--json"]);
    assert_eq!(shown["id"], seed);
    assert_eq!(shown["title"], "小米11系列屡曝质量问题 售后新政引不满");
    assert!(shown["tags"].is_array());
    let image = shown["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "image")
        .unwrap();
    assert_eq!(image["caption"], SEED_CAPTION);
    assert_eq!(image["local"], false, "the seed's image is only a URL");

    // Every field of `folio extract --json` is there, with the same blocks.
    let extracted: Value = serde_json::from_str(
        env.ok(&[
            Path::new("extract"),
            Path::new("--json"),
            &common::seed_path(),
        ])
        .trim(),
    )
    .unwrap();
    for (key, value) in extracted.as_object().unwrap() {
        if key != "file" {
            assert_eq!(&shown[key], value, "field {key}");
        }
    }

    // Text output: the rendered article with tags and note.
    let text = env.ok(&["show", &seed.to_string()]);
    assert!(text.starts_with("# 小米11系列屡曝质量问题"), "{text}");
    assert!(text.contains(SEED_CAPTION));
    assert!(text.contains("Tags: (none)") && text.contains("Note: (none)"));
}

#[test]
fn show_json_marks_stored_images_local() {
    let env = Env::new();
    let page = fixtures().join("formats/complete/r-keep-images/r-keep-images.html");
    env.ok(&[Path::new("import"), &page]);
    let id = env.list(&[])[0].0.to_string();
    let shown = env.json(&["show", &id, "--json"]);
    let images: Vec<&Value> = shown["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "image")
        .collect();
    assert!(!images.is_empty());
    assert!(
        images.iter().any(|i| i["local"] == true),
        "images saved with the page are stored: {images:?}"
    );
    assert!(env.json(&["stats", "--json"])["images"].as_u64().unwrap() > 0);
}

#[test]
fn stats_check_and_reextract_keep_tags_and_notes() {
    let env = Env::seeded();
    let seed = env.seed_id().to_string();
    env.ok(&["tag", "add", &seed, "keep"]);
    env.ok(&["note", &seed, "--set", "my note"]);

    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["articles"], 4);
    assert_eq!(stats["trashed"], 0);
    assert_eq!(stats["tags"], 1);
    assert_eq!(stats["notes"], 1);
    assert!(stats["file_bytes"].as_u64().unwrap() > 0);
    assert!(env.ok(&["stats"]).contains("articles"));
    assert_eq!(env.ok(&["check"]).trim(), "ok");

    let text = env.ok(&["reextract", "--all"]);
    assert!(
        text.contains("re-extracted 4") && text.contains("failed 0"),
        "{text}"
    );
    let report = env.json(&["reextract", "--json", &seed]);
    assert_eq!(report["updated"], 1);

    let shown = env.json(&["show", &seed, "--json"]);
    assert_eq!(shown["tags"], serde_json::json!(["keep"]));
    assert_eq!(shown["note"], "my note");
    assert_eq!(env.list(&["tag:keep"]).len(), 1);
    assert_eq!(env.json(&["stats", "--json"])["articles"], 4);
    assert_eq!(env.ok(&["check"]).trim(), "ok");
}

#[test]
fn trash_and_restore() {
    let env = Env::seeded();
    let seed = env.seed_id().to_string();
    env.ok(&["trash", &seed]);
    assert_eq!(
        env.json(&["search", "售后新政", "--json"]),
        Value::Array(vec![])
    );
    assert_eq!(env.json(&["stats", "--json"])["trashed"], 1);
    // Still shown by id, marked as trashed.
    assert!(env.json(&["show", &seed, "--json"])["trashed"].is_string());
    env.ok(&["restore", &seed]);
    assert_eq!(env.seed_id().to_string(), seed);
}

#[test]
fn trash_empty_deletes_the_trashed_articles_for_good() {
    let env = Env::seeded();
    let before = env.json(&["stats", "--json"])["articles"].as_u64().unwrap();
    let seed = env.seed_id().to_string();
    env.ok(&["trash", &seed]);
    assert_eq!(
        env.ok(&["trash", "--empty"]).trim(),
        "deleted 1 article from the trash for good"
    );
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["trashed"], 0);
    assert_eq!(stats["articles"].as_u64().unwrap(), before - 1);
    // Gone for good: not even shown by id.
    assert_eq!(code(&env.run(&["show", &seed])), 1);
    assert_eq!(
        env.ok(&["trash", "--empty"]).trim(),
        "deleted 0 articles from the trash for good"
    );
    // Ids and --empty together, or neither, are usage errors.
    assert_eq!(code(&env.run(&["trash", "--empty", "1"])), 2);
    assert_eq!(code(&env.run(&["trash"])), 2);
}

#[test]
fn errors_are_one_line_with_exit_codes() {
    let env = Env::seeded();
    for args in [
        vec!["show", "99999"],
        vec!["tag", "add", "99999", "x"],
        vec!["note", "99999"],
        vec!["note", "99999", "--set", "x"],
        vec!["trash", "99999"],
        vec!["tag", "rename", "nope", "other"],
        vec!["tag", "colour", "nope", "red"],
    ] {
        let out = env.run(&args);
        assert_eq!(code(&out), 1, "{args:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with("folio: ") && err.trim_end().lines().count() == 1,
            "{args:?}: {err:?}"
        );
        if args.contains(&"99999") {
            assert!(err.contains("no article with id 99999"), "{err}");
        }
        if args.contains(&"red") {
            assert!(err.contains("#rrggbb"), "{err}");
        }
    }
    // Usage errors exit 2 (clap).
    for args in [
        vec!["search"],
        vec!["show", "abc"],
        vec!["reextract"],
        vec!["list", "--sort", "colour"],
        vec!["import", "--batch-size", "0", "x.html"],
    ] {
        assert_eq!(code(&env.run(&args)), 2, "{args:?}");
    }
    // A file that is not a library is refused, not changed.
    let not_a_library = env.dir.path().join("notes.txt");
    std::fs::write(&not_a_library, "just text, not SQLite").unwrap();
    let out = common::folio()
        .arg("--library")
        .arg(&not_a_library)
        .arg("stats")
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).starts_with("folio: "));
    assert_eq!(
        std::fs::read_to_string(&not_a_library).unwrap(),
        "just text, not SQLite"
    );
}

#[test]
fn a_query_may_start_with_a_hyphen_as_typed() {
    let env = Env::seeded();
    let seed = env.seed_id();
    env.ok(&["tag", "add", &seed.to_string(), "done"]);
    let others: Vec<i64> = env
        .list(&[])
        .into_iter()
        .map(|(id, _)| id)
        .filter(|&id| id != seed)
        .collect();
    let ids = |value: Value| -> Vec<i64> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].as_i64().unwrap())
            .collect()
    };
    // Options before, after, or on both sides of the query; the user's own `--`.
    for args in [
        vec!["list", "-tag:done", "--json"],
        vec!["list", "--json", "-tag:done", "--limit", "0"],
        vec!["list", "--sort=date", "-tag:done", "--json"],
        vec!["search", "-tag:done", "--json"],
        vec!["search", "--json", "--", "-tag:done"],
    ] {
        assert_eq!(ids(env.json(&args)), others, "{args:?}");
    }
    assert_eq!(
        ids(env.json(&["list", "-tag:done", "--limit", "1", "--json"])).len(),
        1
    );
    let out = env.dir.path().join("not-done.jsonl");
    let text = env.ok(&[
        "export",
        "-tag:done",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        text.contains(&format!("exported {} articles", others.len())),
        "{text}"
    );
    // An unknown option is still a usage error, and `-h` still asks for help.
    assert_eq!(code(&env.run(&["list", "-tag:done", "--jsn"])), 2);
    assert!(stdout(&env.run(&["list", "-h"])).contains("Usage"));
    // A query with nothing to search for is refused, not the whole library.
    let out = env.run(&["search", "🙂"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("nothing to search for"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn repeated_ids_are_exported_trashed_and_counted_once() {
    let env = Env::seeded();
    let seed = env.seed_id().to_string();
    let other = env
        .list(&[])
        .into_iter()
        .map(|(id, _)| id.to_string())
        .find(|id| *id != seed)
        .unwrap();
    let ids = format!("{seed},{seed},{seed},{other}");

    let jsonl = env.dir.path().join("twice.jsonl");
    let text = env.ok(&[
        "export",
        "--format",
        "jsonl",
        "--ids",
        &ids,
        "--out",
        jsonl.to_str().unwrap(),
    ]);
    assert!(text.starts_with("exported 2 articles"), "{text}");
    let lines: Vec<String> = std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].contains(&format!("\"id\":{seed}")), "{}", lines[0]);

    let md = env.dir.path().join("md");
    let text = env.ok(&[
        "export",
        "--format",
        "markdown",
        "--ids",
        &ids,
        "--out",
        md.to_str().unwrap(),
    ]);
    assert!(text.starts_with("exported 2 articles"), "{text}");
    let names: Vec<String> = std::fs::read_dir(&md)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(!names.iter().any(|n| n.contains(" (2)")), "{names:?}");

    let sqlite = env.dir.path().join("twice.folio");
    let text = env.ok(&["export", "--ids", &ids, "--out", sqlite.to_str().unwrap()]);
    assert!(text.starts_with("exported 2 articles"), "{text}");

    assert_eq!(
        env.ok(&["trash", &seed, &seed, &seed]).trim(),
        "moved 1 article to the trash"
    );
    assert_eq!(
        env.ok(&["trash", &seed, &other]).trim(),
        "moved 1 article to the trash (1 was in the trash already)"
    );
    assert_eq!(env.json(&["stats", "--json"])["trashed"], 2);
    assert_eq!(
        env.ok(&["restore", &other, &seed, &other]).trim(),
        "restored 2 articles"
    );
    let text = env.ok(&["reextract", &seed, &seed, "--json"]);
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["updated"], 1, "{text}");
}

// ---- crash safety ---------------------------------------------------------------

/// `page` made unique as copy `copy` (a distinct label): its title and source
/// URL changed.
fn variant(page: &str, copy: &str) -> String {
    let mut out = String::with_capacity(page.len() + 64);
    let mut titled = false;
    for line in page.lines() {
        let line = line.trim_end();
        if !titled && line.starts_with("### ") {
            titled = true;
            out.push_str(&format!("{line}（副本 {copy}）"));
        } else if (line.contains("原文链接") || line.contains("原文地址")) && line.contains("http")
        {
            let sep = if line.contains('?') { '&' } else { '?' };
            out.push_str(&format!("{line}{sep}folio_copy={copy}"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    assert!(titled, "a mirror page starts with a ### title");
    out
}

/// Write `copies` unique variants of every mirror page into `dir`; returns how many.
fn write_variants(dir: &Path, copies: usize) -> usize {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(fixtures().join("mirror"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let mut n = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        let stem = page.file_stem().unwrap().to_string_lossy();
        for copy in 0..copies {
            // Two mirror pages are the same article, so the label names the page too.
            let label = format!("{stem}-{copy:03}");
            std::fs::write(dir.join(format!("{label}.md")), variant(&text, &label)).unwrap();
            n += 1;
        }
    }
    n
}

/// Issue 3, "Done when": killing an import at any moment leaves a library
/// that passes `folio check`, and running the import again completes it with
/// every file stored exactly once.
#[test]
fn an_import_killed_midway_resumes_without_loss_or_duplicates() {
    let env = Env::new();
    let pages = env.dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    let files = write_variants(&pages, 10);
    assert!(files >= 600, "{files}");
    // Create the library before watching it.
    assert_eq!(env.json(&["stats", "--json"])["articles"], 0);
    let watcher = folio::library::Library::open(&env.library).unwrap();

    let mut kills = 0;
    // Kill once this import has committed a batch (of 25 articles here, so
    // plenty are left to import whatever the machine's speed) or, with
    // `false`, after a fixed delay,
    // then after a short, varying extra delay so the kill lands at different
    // points of the batch being written.
    for (step, (wait_for_commit, extra_ms)) in [(true, 0_u64), (false, 150), (true, 40), (true, 90)]
        .into_iter()
        .enumerate()
    {
        let before = watcher.count(None).unwrap();
        let mut child = env
            .command(&[
                Path::new("import"),
                Path::new("--batch-size"),
                Path::new("25"),
                &pages,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if child.try_wait().unwrap().is_some() {
                break; // finished before it could be killed
            }
            if !wait_for_commit || watcher.count(None).unwrap() > before {
                std::thread::sleep(Duration::from_millis(extra_ms));
                if child.try_wait().unwrap().is_none() {
                    child.kill().unwrap(); // SIGKILL on Unix
                    kills += 1;
                }
                child.wait().unwrap();
                break;
            }
            assert!(Instant::now() < deadline, "import {step} made no progress");
            std::thread::sleep(Duration::from_millis(5));
        }
        eprintln!(
            "after import {step}: {} articles stored",
            watcher.count(None).unwrap()
        );
        let check = env.run(&["check"]);
        assert_eq!(
            code(&check),
            0,
            "check after kill {step}: {}{}",
            stdout(&check),
            stderr(&check)
        );
        assert_eq!(stdout(&check).trim(), "ok");
    }
    assert!(kills >= 3, "only {kills} imports were killed midway");
    let stored_before = watcher.count(None).unwrap();
    assert!(
        stored_before > 0,
        "some articles were stored before the kills"
    );

    let report = env.json(&[Path::new("import"), Path::new("--json"), &pages]);
    eprintln!(
        "kills: {kills}; the last import added {}",
        report["imported"]
    );
    assert_eq!(report["failed"], Value::Array(vec![]));
    assert_eq!(report["files"], files);
    assert_eq!(
        report["imported"].as_u64().unwrap() + report["duplicates"].as_u64().unwrap(),
        files as u64
    );
    assert_eq!(report["duplicates"].as_u64().unwrap(), stored_before);
    assert_eq!(env.json(&["stats", "--json"])["articles"], files);
    let sources: std::collections::BTreeSet<String> = env
        .json(&["list", "--limit", "0", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["source"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sources.len(), files, "every file stored exactly once");
    assert_eq!(env.ok(&["check"]).trim(), "ok");
}

// ---- unwritable output --------------------------------------------------------

/// `/dev/full`: every write fails with "No space left on device".
fn dev_full() -> Option<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .ok()
}

/// Commands that print something, each with the library seeded.
fn printing_commands(id: &str) -> Vec<Vec<String>> {
    let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        args(&["list"]),
        args(&["list", "--json"]),
        args(&["search", "小米"]),
        args(&["search", "--json", "小米"]),
        args(&["show", id]),
        args(&["show", "--json", id]),
        args(&["tags"]),
        args(&["tags", "--json"]),
        args(&["note", id]),
        args(&["stats"]),
        args(&["check"]),
        args(&["settings"]),
        args(&["settings", "offline"]),
        args(&["trash", id]),
        args(&["restore", id]),
        args(&["reextract", id]),
        args(&["extract", &common::seed_path().display().to_string()]),
        args(&["--help"]),
        args(&["--version"]),
    ]
}

#[test]
fn a_full_stdout_is_exit_1_for_every_command() {
    let Some(_) = dev_full() else {
        eprintln!("no /dev/full here; skipped");
        return;
    };
    let env = Env::seeded();
    let id = env.seed_id().to_string();
    env.ok(&["tag", "add", &id, "phones"]);
    env.ok(&["note", &id, "--set", "a note"]);
    for args in printing_commands(&id) {
        let out = env
            .command(&args)
            .stdout(dev_full().unwrap())
            .output()
            .unwrap();
        assert_eq!(
            code(&out),
            1,
            "folio {args:?} > /dev/full: {}",
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("panicked"),
            "{args:?}: {}",
            stderr(&out)
        );
        if !args[0].starts_with("--") {
            assert!(
                stderr(&out).contains("cannot write to standard output"),
                "{args:?}: {}",
                stderr(&out)
            );
        }
    }
}

#[test]
fn an_unwritable_stderr_is_exit_1_not_a_panic() {
    let Some(_) = dev_full() else {
        eprintln!("no /dev/full here; skipped");
        return;
    };
    let env = Env::seeded();
    for args in [
        &["tag", "add", "99999", "x"][..],
        &["show", "99999"],
        &["extract", "/nonexistent/page.html"],
        &["merge", "/nonexistent/library.folio"],
        &["--bogus-flag"],
    ] {
        let out = env
            .command(args)
            .stderr(dev_full().unwrap())
            .output()
            .unwrap();
        let want = if args[0] == "--bogus-flag" { 2 } else { 1 };
        assert_eq!(code(&out), want, "folio {args:?} 2> /dev/full");
    }
    // Both streams full: still 1, never 101.
    let out = env
        .command(&["list"])
        .stdout(dev_full().unwrap())
        .stderr(dev_full().unwrap())
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let env = Env::seeded();
    let id = env.seed_id().to_string();
    for args in printing_commands(&id) {
        let mut child = env
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -0`: the reader is gone before the first line is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(code(&out), 0, "folio {args:?} | head -0: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "folio {args:?} | head -0");
    }
}

// ---- issue 10: read-only libraries, damaged blobs, one-sentence errors ---------

/// `setpriv` arguments that run a child as `nobody` (uid/gid 65534), or why
/// this environment cannot: only root may switch users, and only with setpriv.
fn as_another_user() -> Result<Vec<&'static str>, String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| format!("cannot run `id`: {e}"))?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Err("not running as root, so the test cannot run a child as another user".into());
    }
    let setpriv = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status();
    match setpriv {
        Ok(status) if status.success() => Ok(vec![
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
        ]),
        Ok(status) => Err(format!(
            "setpriv cannot switch to uid 65534 here ({status})"
        )),
        Err(err) => Err(format!("setpriv is not available ({err})")),
    }
}

/// Run `folio --library LIB ARGS…` as `nobody` with `setpriv`.
fn run_as_nobody(setpriv: &[&str], library: &Path, args: &[&str]) -> Output {
    Command::new("setpriv")
        .args(setpriv)
        .arg(env!("CARGO_BIN_EXE_folio"))
        .arg("--library")
        .arg(library)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Issue 10, item 5: a library another user cannot write (the file and its
/// folder belong to root) is opened read-only: `check` finds no damage on
/// the intact file, `stats`, `list`, `search`, `show` and `export` work, the
/// read-only state is said once, writing commands are refused in one
/// sentence, and nothing in the folder changes. Run as `nobody` with
/// setpriv, since root may write any file.
#[test]
fn a_library_another_user_cannot_write_is_read_read_only() {
    let setpriv = match as_another_user() {
        Ok(args) => args,
        Err(reason) => {
            println!("skipped: {reason}");
            return;
        }
    };
    let env = Env::seeded();
    let folder = env.library.parent().unwrap().to_owned();
    // tempdir makes its folder 0700; let `nobody` in, but not write.
    let mut dir = folder.clone();
    while dir != env.dir.path() {
        chmod(&dir, 0o755);
        dir = dir.parent().unwrap().to_owned();
    }
    chmod(env.dir.path(), 0o755);
    chmod(&env.library, 0o444);
    let out_dir = env.dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    chmod(&out_dir, 0o777);
    let before = std::fs::read(&env.library).unwrap();
    let names = names_in(&folder);
    assert_eq!(names, ["test.folio"]);

    let run = |args: &[&str]| run_as_nobody(&setpriv, &env.library, args);
    for args in [
        &["check"][..],
        &["stats"],
        &["list"],
        &["search", "售后新政"],
        &["show", "1"],
    ] {
        let out = run(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(
            err.matches("is read-only for this user").count(),
            1,
            "{args:?}: {err}"
        );
        assert!(!err.contains("attempt to write"), "{args:?}: {err}");
    }
    let out = run(&["check"]);
    assert_eq!(stdout(&out), "ok\n");
    assert!(stdout(&run(&["search", "售后新政"])).contains("售后新政"));

    let export = out_dir.join("copy.folio");
    let out = run(&["export", "--out", export.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let copy = folio::library::Library::open(&export).unwrap();
    assert_eq!(copy.stats().unwrap().articles, 4);
    assert!(copy.check().unwrap().is_empty());

    // Merging it into a library of one's own reads it the same way (it
    // used to be refused as "not an SQLite database, or damaged").
    let mine = out_dir.join("mine.folio");
    let out = run_as_nobody(&setpriv, &mine, &["merge", env.library.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("added 4"), "{}", stdout(&out));

    let out = run(&["tag", "add", "1", "readonly"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("is read-only") && err.contains("nothing was changed"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    // A new library cannot be made in a folder `nobody` cannot write: one sentence.
    let out = run_as_nobody(&setpriv, &folder.join("new.folio"), &["stats"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("is not writable, so it cannot be created"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    assert_eq!(std::fs::read(&env.library).unwrap(), before);
    assert_eq!(names_in(&folder), names);

    // A writable folder but a read-only file (chmod 444): check is clean too.
    chmod(&folder, 0o777);
    let out = run(&["check"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "ok\n");
    assert_eq!(std::fs::read(&env.library).unwrap(), before);
}

/// Issue 10, item 6: `check` verifies the stored originals (one flipped bit
/// is named), `check --quick` skips that and says so.
#[test]
fn check_names_a_damaged_original_and_quick_says_what_it_skipped() {
    let env = Env::seeded();
    let id = env.seed_id();
    let conn = rusqlite::Connection::open(&env.library).unwrap();
    let mut data: Vec<u8> = conn
        .query_row(
            "SELECT data FROM originals WHERE article_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let middle = data.len() / 2;
    data[middle] ^= 0x04;
    conn.execute(
        "UPDATE originals SET data = ?1 WHERE article_id = ?2",
        rusqlite::params![data, id],
    )
    .unwrap();
    drop(conn);

    let out = env.run(&["check"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!("article {id}: the stored original is damaged")),
        "{}",
        stdout(&out)
    );
    let out = env.run(&["check", "--quick"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(stdout(&out), "ok\n");
    assert!(
        stderr(&out)
            .contains("quick check: stored originals, resources and images were not verified"),
        "{}",
        stderr(&out)
    );
}

/// Issue 10, item 16: a library whose `user_version` was changed by hand is
/// refused in one line, without the schema script.
#[test]
fn a_wrong_user_version_is_one_line_without_the_schema() {
    let env = Env::seeded();
    let conn = rusqlite::Connection::open(&env.library).unwrap();
    conn.pragma_update(None, "user_version", 0).unwrap();
    drop(conn);
    let out = env.run(&["stats"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("schema version (0) does not match its tables"),
        "{err}"
    );
    assert!(!err.contains("CREATE"), "{err}");
}

// ---- organising (issue 13) --------------------------------------------------

/// Run `folio --library LIB ARGS…` through `common::folio_on`, require exit
/// 0 and return stdout.
fn on_ok(library: &Path, args: &[&str]) -> String {
    let out = common::folio_on(library, args);
    assert_eq!(code(&out), 0, "folio {args:?}: {}", stderr(&out));
    stdout(&out)
}

fn on_json(library: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&on_ok(library, args)).unwrap()
}

/// Issue 13: a saved search is made, listed with its live count, used in a
/// query, renamed and removed from the command line; a self-reference is
/// refused with exit 1 and one line.
#[test]
fn collections_are_saved_listed_used_renamed_and_removed() {
    let env = Env::seeded();
    let lib = env.library.as_path();
    let seed = env.seed_id().to_string();
    on_ok(lib, &["tag", "add", &seed, "research/phones"]);
    let said = on_ok(
        lib,
        &["collection", "add", "Phones", "tag:research", "-is:read"],
    );
    assert_eq!(said, "saved the collection Phones (1 article)\n");
    let listed = on_json(lib, &["collections", "--json"]);
    assert_eq!(
        listed,
        serde_json::json!([{"name": "Phones", "query": "tag:research -is:read", "count": 1,
                            "created": listed[0]["created"], "error": null}])
    );
    assert_eq!(env.list(&["collection:phones"]).len(), 1);
    on_ok(lib, &["mark", &seed, "--read"]);
    assert_eq!(env.list(&["collection:phones"]).len(), 0);
    assert!(on_ok(lib, &["collections"]).starts_with("     0  Phones  tag:research -is:read"));

    let out = common::folio_on(lib, &["collection", "add", "loop", "collection:loop"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("refers to itself"),
        "{}",
        stderr(&out)
    );

    on_ok(lib, &["collection", "rename", "phones", "Handsets"]);
    assert_eq!(
        on_json(lib, &["collections", "--json"])[0]["name"],
        "Handsets"
    );
    on_ok(lib, &["collection", "rm", "HANDSETS"]);
    assert_eq!(
        on_json(lib, &["collections", "--json"]),
        serde_json::json!([])
    );
    let out = common::folio_on(lib, &["collection", "rm", "Handsets"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no collection named"),
        "{}",
        stderr(&out)
    );
}

/// Issue 13: `folio mark` sets read and starred; list, search and show
/// carry them in JSON; `is:` filters and stats follow.
#[test]
fn mark_read_and_star_show_in_json_filters_and_stats() {
    let env = Env::seeded();
    let lib = env.library.as_path();
    let seed = env.seed_id().to_string();
    let rows = on_json(lib, &["list", "--json"]);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["read"] == false && r["starred"] == false)
    );
    assert_eq!(
        on_ok(lib, &["mark", &seed, &seed, "--read"]),
        "marked 1 article read\n"
    );
    assert_eq!(
        on_ok(lib, &["mark", &seed, "--read"]),
        "marked 0 articles read (1 was read already)\n"
    );
    on_ok(lib, &["mark", &seed, "--star"]);
    let hits = on_json(lib, &["search", "售后新政", "--json"]);
    assert_eq!(
        (hits[0]["read"].clone(), hits[0]["starred"].clone()),
        (Value::Bool(true), Value::Bool(true))
    );
    let shown = on_json(lib, &["show", &seed, "--json"]);
    assert_eq!(
        (shown["read"].clone(), shown["starred"].clone()),
        (Value::Bool(true), Value::Bool(true))
    );
    assert_eq!(env.list(&["is:read"]).len(), 1);
    assert_eq!(env.list(&["is:starred"]).len(), 1);
    assert_eq!(env.list(&["-is:starred"]).len(), 3);
    let stats = on_json(lib, &["stats", "--json"]);
    assert_eq!(
        (stats["unread"].clone(), stats["starred"].clone()),
        (serde_json::json!(3), serde_json::json!(1))
    );
    on_ok(lib, &["mark", &seed, "--unread"]);
    on_ok(lib, &["mark", &seed, "--unstar"]);
    assert_eq!(env.list(&["is:unread"]).len(), 4);
    // Two states at once is a usage error; none is an error too.
    assert_eq!(
        code(&common::folio_on(lib, &["mark", &seed, "--read", "--star"])),
        2
    );
    assert_eq!(code(&common::folio_on(lib, &["mark", &seed])), 1);
    let out = common::folio_on(lib, &["mark", "999999", "--read"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("no article with id 999999"));
}

/// Issue 13: `folio trash --empty` deletes the trash for good without a
/// question and says how many.
#[test]
fn trash_empty_deletes_for_good_and_says_how_many() {
    let env = Env::seeded();
    let lib = env.library.as_path();
    let ids: Vec<String> = env
        .list(&[])
        .into_iter()
        .map(|(id, _)| id.to_string())
        .collect();
    on_ok(lib, &["trash", &ids[0], &ids[1]]);
    assert_eq!(
        on_ok(lib, &["trash", "--empty"]),
        "deleted 2 articles from the trash for good\n"
    );
    assert_eq!(
        on_ok(lib, &["trash", "--empty"]),
        "deleted 0 articles from the trash for good\n"
    );
    assert_eq!(env.list(&[]).len(), 2);
    assert_eq!(code(&common::folio_on(lib, &["restore", &ids[0]])), 1);
    assert_eq!(code(&common::folio_on(lib, &["trash"])), 2);
}

/// Issue 13: `--sort` takes a direction; undated articles come last both
/// ways; a search's JSON marks the snippet's matches in characters.
#[test]
fn sort_directions_and_search_highlights() {
    let env = Env::seeded();
    let lib = env.library.as_path();
    let dates = |args: &[&str]| -> Vec<Option<String>> {
        let mut all = vec!["list", "--json"];
        all.extend_from_slice(args);
        on_json(lib, &all)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["published"].as_str().map(str::to_owned))
            .collect()
    };
    let desc = dates(&["--sort", "date", "--desc"]);
    let asc = dates(&["--sort", "date", "--asc"]);
    let dated = |v: &[Option<String>]| v.iter().flatten().cloned().collect::<Vec<_>>();
    let mut reversed = dated(&desc);
    reversed.reverse();
    assert_eq!(dated(&asc), reversed);
    for v in [&desc, &asc] {
        let first_none = v.iter().position(Option::is_none).unwrap_or(v.len());
        assert!(v[first_none..].iter().all(Option::is_none), "{v:?}");
    }
    assert_eq!(
        code(&common::folio_on(lib, &["list", "--asc", "--desc"])),
        2
    );
    let hits = on_json(lib, &["search", "小米", "--json"]);
    let hit = &hits[0];
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    let marks = hit["highlights"].as_array().unwrap();
    assert!(!marks.is_empty());
    for mark in marks {
        let (a, b) = (
            mark[0].as_u64().unwrap() as usize,
            mark[1].as_u64().unwrap() as usize,
        );
        assert_eq!(snippet[a..b].iter().collect::<String>(), "小米");
    }
    // Sorted by title instead of relevance.
    let by_title = on_json(lib, &["search", "的", "--sort", "title", "--json"]);
    let titles: Vec<String> = by_title
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles.len(), sorted.len());
}

/// Issue 13: `folio tags` shows the hierarchy with counts with descendants.
#[test]
fn tags_show_the_tree_with_counts() {
    let env = Env::seeded();
    let lib = env.library.as_path();
    let ids: Vec<String> = env
        .list(&[])
        .into_iter()
        .map(|(id, _)| id.to_string())
        .collect();
    on_ok(lib, &["tag", "add", &ids[0], "research/2021"]);
    on_ok(lib, &["tag", "add", &ids[1], "research/2022", "research"]);
    on_ok(lib, &["tag", "colour", "research", "#d04040"]);
    assert_eq!(
        on_ok(lib, &["tags"]),
        "     1  research  [2 with the tags below]  (#d04040)\n     \
         1    2021  (#d04040)\n     1    2022  (#d04040)\n"
    );
    assert_eq!(env.list(&["tag:research"]).len(), 2);
    on_ok(lib, &["tag", "rename", "research", "study"]);
    let tree = on_json(lib, &["tags", "--json"]);
    let names: Vec<&str> = tree
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["study", "study/2021", "study/2022"]);
    assert_eq!(tree[0]["total"], 2);
}

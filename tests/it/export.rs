//! Export (sqlite, markdown, html, jsonl) and merge (issue 5): every format
//! with corpus articles, the README's `sqlite3` queries run against an
//! export, the export → merge round trip, crafted files refused without a
//! change, and the CLI's `--force` / existing-target rules.
//!
//! Long because: one subject's tests with the helpers they share; split
//! by subject, not by size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use folio::export::{ExportFormat, export};
use folio::library::{
    ArticleId, ExportError, ExportJob, ImportOptions, Library, LibraryError, MergeError, Sort,
    StoredArticle,
};

/// The seed article's caption on its first image.
const SEED_CAPTION: &str = "图为小米手机在北京的一家服务中心。(Greg Baker/AFP via Getty Images)";
/// The note put on the seed.
const SEED_NOTE: &str =
    "我的笔记：售后新政值得关注。\n\nSecond paragraph with *emphasis* & <tags>.";
/// The seed's user tags.
const SEED_TAGS: [&str; 2] = ["quality", "小米"];

/// README.md, "The library file": a Chinese full-text search with a plain `sqlite3`.
const README_QUERY_SEARCH: &str = r#"SELECT a.id, a.title
  FROM search_fts JOIN articles a ON a.id = search_fts.rowid
 WHERE search_fts MATCH '"售 后 新 政"' AND a.deleted_at IS NULL
 ORDER BY rank;"#;
/// README.md: the overview view.
const README_QUERY_OVERVIEW: &str = r"SELECT id, title, published, site, tags, note
  FROM article_overview
 WHERE note IS NOT NULL
 ORDER BY published DESC;";
/// README.md: articles with a tag, joining the link table.
const README_QUERY_TAGS: &str = r"SELECT a.title, a.published, t.colour
  FROM articles a
  JOIN article_tags x ON x.article_id = a.id
  JOIN tags t ON t.id = x.tag_id
 WHERE t.name = '小米' AND a.deleted_at IS NULL
 ORDER BY a.published DESC;";

/// A few mirror pages imported next to the seed and m-epoch.
const MIRROR_PAGES: [&str; 3] = ["140-336623.md", "19-420864.md", "245-330507.md"];

fn no_progress(_: &folio::library::Progress) {}

/// A library with the seed (tagged, with a note), m-epoch (a local image) and
/// three mirror pages; returns (dir, library, seed id, m-epoch id).
fn corpus_library() -> (tempfile::TempDir, Library, ArticleId, ArticleId) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("source.folio")).unwrap();
    let mut paths = vec![
        common::seed_path(),
        common::fixtures().join("formats/complete/m-epoch/m-epoch.html"),
    ];
    for page in MIRROR_PAGES {
        paths.push(common::fixtures().join("mirror").join(page));
    }
    let report = lib
        .import_paths(
            &paths,
            &ImportOptions::default(),
            &no_progress,
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(report.imported, 5, "{:?}", report.failed);
    let seed = lib.search("售后新政", 5, 0).unwrap()[0].summary.id;
    lib.add_tags(seed, &SEED_TAGS).unwrap();
    lib.set_tag_colour("小米", Some("#d04040")).unwrap();
    lib.set_note(seed, SEED_NOTE).unwrap();
    let epoch = report
        .ids
        .iter()
        .copied()
        .find(|&id| {
            lib.article(id)
                .unwrap()
                .article
                .images()
                .iter()
                .any(|i| i.data.is_some())
        })
        .expect("m-epoch has a local image");
    lib.add_tags(epoch, &["epoch"]).unwrap();
    (dir, lib, seed, epoch)
}

fn all_ids(lib: &Library) -> Vec<ArticleId> {
    lib.matching_ids(None).unwrap()
}

fn run_export(lib: &Library, format: ExportFormat, out: &Path) {
    export(
        lib,
        format,
        &ExportJob {
            ids: &all_ids(lib),
            out,
            overwrite: false,
            progress: &no_progress,
            cancel: &AtomicBool::new(false),
        },
    )
    .unwrap();
}

/// No `.…folio-partial…` or `.…folio-old…` file is left in `dir`.
fn assert_no_temp_files(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            !name.contains(".folio-partial-") && !name.contains(".folio-old-"),
            "left behind: {name}"
        );
    }
}

// ---- sqlite ---------------------------------------------------------------

#[test]
fn sqlite_export_is_a_library_with_everything() {
    let (dir, lib, seed, epoch) = corpus_library();
    let out = dir.path().join("export.folio");
    let report = folio::export::export_sqlite(
        &lib,
        &ExportJob {
            ids: &all_ids(&lib),
            out: &out,
            overwrite: false,
            progress: &no_progress,
            cancel: &AtomicBool::new(false),
        },
    )
    .unwrap();
    assert_eq!(report.articles, 5);
    assert!(report.images >= 1);
    assert_no_temp_files(dir.path());

    let exported = Library::open(&out).unwrap();
    assert!(
        exported.check().unwrap().is_empty(),
        "{:?}",
        exported.check()
    );
    assert_eq!(exported.stats().unwrap().articles, 5);
    let stored = exported.article(seed).unwrap();
    assert_eq!(stored.tags, SEED_TAGS);
    assert_eq!(stored.note.as_deref(), Some(SEED_NOTE));
    assert_eq!(first_caption(&stored), Some(SEED_CAPTION));
    assert_eq!(stored, lib.article(seed).unwrap());
    assert_eq!(
        exported.article(epoch).unwrap(),
        lib.article(epoch).unwrap()
    );
    let colours: Vec<_> = exported
        .tags()
        .unwrap()
        .into_iter()
        .map(|t| (t.name, t.colour))
        .collect();
    assert!(colours.contains(&("小米".to_owned(), Some("#d04040".to_owned()))));
    // Search works in the export as in the library.
    assert_eq!(
        exported.search("售后新政", 5, 0).unwrap()[0].summary.id,
        seed
    );
    assert_eq!(
        exported.search("值得关注", 5, 0).unwrap()[0].summary.id,
        seed
    );
    let original = lib.original(epoch).unwrap();
    assert_eq!(exported.original(epoch).unwrap(), original);
}

fn first_caption(stored: &StoredArticle) -> Option<&str> {
    stored
        .article
        .images()
        .first()
        .and_then(|i| i.caption.as_deref())
}

/// Run a query with a plain connection (no custom functions) and return its
/// rows as strings.
fn plain_query(path: &Path, sql: &str) -> Vec<Vec<Option<String>>> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |row| {
        (0..n)
            .map(|i| {
                Ok(match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => None,
                    rusqlite::types::ValueRef::Integer(v) => Some(v.to_string()),
                    rusqlite::types::ValueRef::Real(v) => Some(v.to_string()),
                    rusqlite::types::ValueRef::Text(t) => {
                        Some(String::from_utf8_lossy(t).into_owned())
                    }
                    rusqlite::types::ValueRef::Blob(_) => Some("<blob>".to_owned()),
                })
            })
            .collect()
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn readme_queries_run_on_an_export_with_a_plain_client() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for query in [
        README_QUERY_SEARCH,
        README_QUERY_OVERVIEW,
        README_QUERY_TAGS,
    ] {
        assert!(readme.contains(query), "README.md lost the query:\n{query}");
    }
    let (dir, lib, seed, _) = corpus_library();
    let out = dir.path().join("export.folio");
    run_export(&lib, ExportFormat::Sqlite, &out);
    let title = lib.article(seed).unwrap().article.title;

    let rows = plain_query(&out, README_QUERY_SEARCH);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0].as_deref(), Some(seed.0.to_string().as_str()));
    assert_eq!(rows[0][1].as_deref(), Some(title.as_str()));

    let rows = plain_query(&out, README_QUERY_OVERVIEW);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][1].as_deref(), Some(title.as_str()));
    assert_eq!(rows[0][4].as_deref(), Some("quality, 小米"));
    assert_eq!(rows[0][5].as_deref(), Some(SEED_NOTE));

    let rows = plain_query(&out, README_QUERY_TAGS);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0].as_deref(), Some(title.as_str()));
    assert_eq!(rows[0][2].as_deref(), Some("#d04040"));
}

#[test]
fn the_schema_declares_foreign_keys_and_calls_no_app_functions() {
    let (dir, lib, _, _) = corpus_library();
    let out = dir.path().join("export.folio");
    run_export(&lib, ExportFormat::Sqlite, &out);
    let fks = plain_query(
        &out,
        "SELECT m.name, f.\"table\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
         WHERE m.type = 'table' ORDER BY 1, 2",
    );
    for (table, parent) in [
        ("article_images", "images"),
        ("article_tags", "tags"),
        ("notes", "articles"),
        ("originals", "articles"),
        ("source_tags", "articles"),
    ] {
        assert!(
            fks.iter()
                .any(|r| r[0].as_deref() == Some(table) && r[1].as_deref() == Some(parent)),
            "{table} → {parent} missing: {fks:?}"
        );
    }
    // Every trigger and view parses and runs in a connection without Folio's code:
    // a plain insert into a copy fires the triggers.
    let copy = dir.path().join("copy.folio");
    std::fs::copy(&out, &copy).unwrap();
    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.execute_batch(
        "UPDATE search_text SET notes = 'x' WHERE article_id = (SELECT min(article_id) FROM search_text);
         SELECT count(*) FROM article_overview;",
    )
    .unwrap();
}

// ---- round trip -----------------------------------------------------------

#[test]
fn export_then_merge_into_an_empty_library_gives_back_the_same_articles() {
    let (dir, lib, _, _) = corpus_library();
    let out = dir.path().join("export.folio");
    run_export(&lib, ExportFormat::Sqlite, &out);
    let mut target = Library::open(&dir.path().join("target.folio")).unwrap();
    let report = target
        .merge_from(&out, &no_progress, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(
        (report.articles, report.added, report.duplicates),
        (5, 5, 0)
    );
    assert!(target.check().unwrap().is_empty(), "{:?}", target.check());

    let by_url = |lib: &Library| -> Vec<StoredArticle> {
        let mut v: Vec<StoredArticle> = lib
            .list(None, Sort::Title, 100, 0)
            .unwrap()
            .into_iter()
            .map(|s| lib.article(s.id).unwrap())
            .collect();
        v.sort_by(|a, b| a.article.url.cmp(&b.article.url));
        v
    };
    let before = by_url(&lib);
    let after = by_url(&target);
    assert_eq!(before.len(), after.len());
    for (want, got) in before.iter().zip(&after) {
        let (w, g) = (&want.article, &got.article);
        let t = &w.title;
        assert_eq!(g.title, w.title, "{t}: title");
        assert_eq!(g.byline, w.byline, "{t}: byline");
        assert_eq!(g.editor, w.editor, "{t}: editor");
        assert_eq!(g.published, w.published, "{t}: published");
        assert_eq!(g.site, w.site, "{t}: site");
        assert_eq!(g.url, w.url, "{t}: url");
        assert_eq!(g.lang, w.lang, "{t}: lang");
        assert_eq!(g.source_tags, w.source_tags, "{t}: source_tags");
        assert_eq!(g.blocks, w.blocks, "{t}: blocks (image data included)");
        assert_eq!(got.tags, want.tags, "{t}: tags");
        assert_eq!(got.note, want.note, "{t}: note");
        assert_eq!(got.image_sha256, want.image_sha256, "{t}: image hashes");
        assert_eq!(got.content_hash, want.content_hash, "{t}: content hash");
        assert_eq!(
            target.original(got.id).unwrap(),
            lib.original(want.id).unwrap(),
            "{t}: original"
        );
    }
    assert!(
        after
            .iter()
            .any(|s| s.article.images().iter().any(|i| i.data.is_some())),
        "image bytes came along"
    );
    let colour = target
        .tags()
        .unwrap()
        .into_iter()
        .find(|t| t.name == "小米")
        .and_then(|t| t.colour);
    assert_eq!(colour.as_deref(), Some("#d04040"));
    // Searchable after the merge, notes too.
    assert_eq!(target.search("值得关注", 5, 0).unwrap().len(), 1);
}

#[test]
fn merging_duplicates_unions_tags_and_keeps_both_notes() {
    let (dir, lib, seed, _) = corpus_library();
    let out = dir.path().join("export.folio");
    run_export(&lib, ExportFormat::Sqlite, &out);
    // The user's own library has the seed with another tag and another note.
    let mut mine = Library::open(&dir.path().join("mine.folio")).unwrap();
    let report = mine
        .import_paths(
            &[common::seed_path()],
            &ImportOptions::default(),
            &no_progress,
            &AtomicBool::new(false),
        )
        .unwrap();
    let my_seed = report.ids[0];
    mine.add_tags(my_seed, &["mine"]).unwrap();
    mine.set_note(my_seed, "My own note.").unwrap();

    let report = mine
        .merge_from(&out, &no_progress, &AtomicBool::new(false))
        .unwrap();
    assert_eq!((report.added, report.duplicates), (4, 1));
    assert_eq!(report.notes_appended, 1);
    let stored = mine.article(my_seed).unwrap();
    assert_eq!(stored.tags, ["mine", "quality", "小米"]);
    let note = stored.note.unwrap();
    assert!(note.starts_with("My own note."), "{note}");
    assert!(note.contains("merged from export.folio"), "{note}");
    assert!(note.ends_with(SEED_NOTE), "{note}");
    assert_eq!(mine.stats().unwrap().articles, 5);

    // Merging the same file again changes nothing.
    let stats = mine.stats().unwrap();
    let report = mine
        .merge_from(&out, &no_progress, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(
        (report.added, report.duplicates, report.notes_appended),
        (0, 5, 0)
    );
    assert_eq!(mine.stats().unwrap().articles, stats.articles);
    assert_eq!(mine.note(my_seed).unwrap().as_deref(), Some(note.as_str()));
    let _ = seed;
}

// ---- crafted files --------------------------------------------------------

/// A target library with one article, and a clean export to craft from.
struct Crafting {
    dir: tempfile::TempDir,
    target: Library,
    base: PathBuf,
}

impl Crafting {
    fn new() -> Self {
        let (dir, lib, _, _) = corpus_library();
        let base = dir.path().join("base.folio");
        run_export(&lib, ExportFormat::Sqlite, &base);
        let mut target = Library::open(&dir.path().join("target.folio")).unwrap();
        target
            .import_paths(
                &[common::fixtures().join("mirror").join("140-346798.md")],
                &ImportOptions::default(),
                &no_progress,
                &AtomicBool::new(false),
            )
            .unwrap();
        Self { dir, target, base }
    }

    /// A copy of the clean export changed by `sql`.
    fn crafted(&self, name: &str, sql: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::copy(&self.base, &path).unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
        path
    }

    /// Merge `path`, require a refusal mentioning `reason`, and require the
    /// target to be unchanged.
    fn refused(&mut self, path: &Path, reason: &str) {
        let stats = self.target.stats().unwrap();
        let list = self.target.list(None, Sort::Title, 100, 0).unwrap();
        let tags = self.target.tags().unwrap();
        let err = self
            .target
            .merge_from(path, &no_progress, &AtomicBool::new(false))
            .unwrap_err();
        assert!(
            matches!(err, MergeError::Untrusted { .. }),
            "{}: {err:?}",
            path.display()
        );
        let message = err.to_string();
        assert!(message.contains(reason), "{message}");
        assert!(message.contains("nothing was changed"), "{message}");
        assert_eq!(self.target.stats().unwrap(), stats);
        assert_eq!(self.target.list(None, Sort::Title, 100, 0).unwrap(), list);
        assert_eq!(self.target.tags().unwrap(), tags);
    }
}

#[test]
fn a_trigger_that_calls_a_function_is_refused() {
    let mut c = Crafting::new();
    let path = c.crafted(
        "trigger-fn.folio",
        "DROP TRIGGER search_text_ai;
         CREATE TRIGGER search_text_ai AFTER INSERT ON search_text BEGIN
             INSERT INTO search_fts(rowid, title, body, notes)
             VALUES (new.article_id, upper(new.title), load_extension('evil'), new.notes);
         END;",
    );
    c.refused(&path, "trigger `search_text_ai` differs");
}

#[test]
fn an_extra_trigger_or_view_is_refused() {
    let mut c = Crafting::new();
    let path = c.crafted(
        "extra-trigger.folio",
        "CREATE TRIGGER evil AFTER INSERT ON tags BEGIN DELETE FROM tags; END;",
    );
    c.refused(&path, "unexpected trigger `evil`");
    let path = c.crafted(
        "extra-view.folio",
        "CREATE VIEW evil AS SELECT random() AS x, char(65) AS y;",
    );
    c.refused(&path, "unexpected view `evil`");
    let path = c.crafted(
        "changed-view.folio",
        "DROP VIEW article_overview; CREATE VIEW article_overview AS SELECT id, upper(title) FROM articles;",
    );
    c.refused(&path, "view `article_overview` differs");
}

#[test]
fn a_wrong_schema_is_refused() {
    let mut c = Crafting::new();
    let path = c.crafted(
        "extra-column.folio",
        "ALTER TABLE articles ADD COLUMN evil TEXT;",
    );
    c.refused(&path, "table `articles` differs");
    let path = c.crafted("missing-table.folio", "DROP TABLE settings;");
    c.refused(&path, "table `settings` is missing");
    let path = c.crafted("other-app.folio", "PRAGMA application_id = 1234;");
    c.refused(&path, "not a Folio library");
    let path = c.crafted("newer.folio", "PRAGMA user_version = 99;");
    c.refused(&path, "schema version 99");
    // A file whose schema is not the one its version number promises.
    let path = c.crafted(
        "v2-with-prefix-index.folio",
        // v2 has neither v3's prefix index, v4's tables nor v6's host
        "PRAGMA user_version = 2;
         DROP TABLE article_sightings; DROP TABLE article_edits;
         DROP TABLE version_images; DROP TABLE version_resources; DROP TABLE article_versions;",
    );
    c.refused(&path, "Folio's schema version 2");
    // v1's search table as v1 made it, so that only the view is wrong.
    let v1 = include_str!("../../src/library/sql/v1.sql");
    let start = v1.find("CREATE VIRTUAL TABLE search_fts").unwrap();
    let au = start + v1[start..].find("CREATE TRIGGER search_text_au").unwrap();
    let create = &v1[start..au + v1[au..].find("END;").unwrap() + 4];
    let path = c.crafted(
        "v1-with-view.folio",
        &format!(
            "PRAGMA user_version = 1; DROP VIEW article_overview; DROP TABLE highlights;
             DROP TABLE article_sightings; DROP TABLE article_edits;
             DROP TABLE version_images; DROP TABLE version_resources; DROP TABLE article_versions;
             CREATE VIEW article_overview AS SELECT id, title FROM articles;
             DROP TRIGGER search_text_ai;
             DROP TRIGGER search_text_ad; DROP TRIGGER search_text_au; DROP TABLE search_fts;
             ALTER TABLE search_text DROP COLUMN comments;
             DROP INDEX articles_host_live; DROP INDEX articles_site_live;
             DROP INDEX articles_captured; ALTER TABLE articles DROP COLUMN captured_at;
             ALTER TABLE articles DROP COLUMN captured_from;
             ALTER TABLE articles DROP COLUMN host; {create}"
        ),
    );
    // v1 has no view `article_overview` (nor the tables of later versions).
    c.refused(&path, "which version 1 does not have");
}

#[test]
fn a_huge_blob_is_refused() {
    let mut c = Crafting::new();
    let limit = folio::library::MAX_MERGE_BLOB_BYTES;
    let path = c.crafted(
        "huge-image.folio",
        &format!(
            "UPDATE images SET bytes = zeroblob({}) WHERE id = (SELECT min(id) FROM images);",
            limit + 1
        ),
    );
    c.refused(&path, "an image is 67108865 bytes, more than the limit");
    std::fs::remove_file(&path).unwrap();
    let path = c.crafted(
        "huge-original.folio",
        &format!(
            "UPDATE originals SET size = {} WHERE article_id = (SELECT min(article_id) FROM originals);",
            limit + 1
        ),
    );
    c.refused(&path, "an original is 67108865 bytes");
}

#[test]
fn a_truncated_or_non_sqlite_file_is_refused() {
    let mut c = Crafting::new();
    let bytes = std::fs::read(&c.base).unwrap();
    let truncated = c.dir.path().join("truncated.folio");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    c.refused(&truncated, "damaged");
    let text = c.dir.path().join("text.folio");
    std::fs::write(&text, "not a database at all, just text. ".repeat(100)).unwrap();
    c.refused(&text, "not an SQLite database");
    let empty = c.dir.path().join("empty.folio");
    std::fs::write(&empty, b"").unwrap();
    c.refused(&empty, "not a Folio library");
    c.refused(&c.dir.path().join("missing.folio"), "not a file");
}

// ---- markdown, html, jsonl ------------------------------------------------

fn find_file(dir: &Path, ext: &str, containing: &str) -> (PathBuf, String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == ext) {
            let text = std::fs::read_to_string(&path).unwrap();
            if text.contains(containing) {
                return (path, text);
            }
        }
    }
    panic!("no .{ext} in {} contains {containing:?}", dir.display());
}

#[test]
fn markdown_export_has_front_matter_captions_images_and_notes() {
    let (dir, lib, seed, epoch) = corpus_library();
    let out = dir.path().join("markdown");
    run_export(&lib, ExportFormat::Markdown, &out);
    assert_no_temp_files(dir.path());
    let mds = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    assert_eq!(mds, 5);

    let title = lib.article(seed).unwrap().article.title;
    let (path, md) = find_file(&out, "md", SEED_CAPTION);
    assert!(
        path.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("小米11系列"),
        "{}",
        path.display()
    );
    assert!(md.starts_with("---\ntitle: "), "{md}");
    assert!(md.contains(&format!("title: \"{title}\"")), "{md}");
    assert!(md.contains("date: \"2022-09-22"), "{md}");
    assert!(md.contains("url: \"https://"), "{md}");
    // The responsible editor (issue 27), beside the byline.
    assert!(md.contains("editor: \"方明\"\n"), "{md}");
    assert!(md.contains("tags: [\"quality\", \"小米\"]"), "{md}");
    assert!(md.contains(&format!("*{SEED_CAPTION}*")), "{md}");
    assert!(md.contains(&format!("## Note\n\n{SEED_NOTE}\n")), "{md}");

    let epoch_article = lib.article(epoch).unwrap();
    let sha = epoch_article.image_sha256.iter().flatten().next().unwrap();
    let (_, md) = find_file(&out, "md", "tags: [\"epoch\"]");
    assert!(md.contains(&format!("](images/{sha}.jpg)")), "{md}");
    let bytes = std::fs::read(out.join("images").join(format!("{sha}.jpg"))).unwrap();
    assert_eq!(
        &bytes[..],
        &epoch_article.article.images()[0]
            .data
            .as_ref()
            .unwrap()
            .bytes[..]
    );
    if let Some(caption) = epoch_article.article.images()[0].caption.as_deref() {
        assert!(md.contains(caption), "{md}");
    }
}

#[test]
fn html_export_is_an_offline_site_with_escaped_text() {
    let (dir, mut lib, seed, epoch) = corpus_library();
    lib.add_tags(seed, &["<script>alert(1)</script>"]).unwrap();
    let out = dir.path().join("site");
    run_export(&lib, ExportFormat::Html, &out);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let (page_path, page) = find_file(&out, "html", SEED_CAPTION);
    assert_eq!(index.matches("<li>").count(), 5, "{index}");
    // Every link of the index leads to a page of the folder, the seed's among them.
    let targets: Vec<String> = index
        .split("href=\"")
        .skip(1)
        .map(|rest| {
            let href = &rest[..rest.find('"').unwrap()];
            percent_encoding::percent_decode_str(href)
                .decode_utf8()
                .unwrap()
                .into_owned()
        })
        .collect();
    assert_eq!(targets.len(), 5, "{index}");
    for target in &targets {
        assert!(out.join(target).is_file(), "{target}");
    }
    assert!(
        targets.contains(
            &page_path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        )
    );
    assert!(
        page.contains(&format!("<figcaption>{SEED_CAPTION}</figcaption>")),
        "{page}"
    );
    assert!(
        page.contains("<li>quality</li>") && page.contains("<li>小米</li>"),
        "{page}"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script"), "{page}");
    assert!(
        page.contains("Second paragraph with *emphasis* &amp; &lt;tags&gt;."),
        "{page}"
    );
    assert!(page.contains("<h2>Note</h2>"), "{page}");
    assert!(page.contains("<style>"), "{page}");
    // Offline: no remote image is loaded, the seed's remote image is a link.
    assert!(!page.contains("<img src=\"http"), "{page}");

    let epoch_article = lib.article(epoch).unwrap();
    let sha = epoch_article.image_sha256.iter().flatten().next().unwrap();
    let (_, page) = find_file(&out, "html", "<li>epoch</li>");
    assert!(
        page.contains(&format!("<img src=\"images/{sha}.jpg\"")),
        "{page}"
    );
    assert!(out.join("images").join(format!("{sha}.jpg")).is_file());
}

#[test]
fn jsonl_export_has_one_show_json_object_per_line() {
    let (dir, lib, seed, _) = corpus_library();
    let out = dir.path().join("articles.jsonl");
    run_export(&lib, ExportFormat::Jsonl, &out);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    let seed_json = lines.iter().find(|v| v["id"] == seed.0).unwrap();
    assert_eq!(seed_json["tags"], serde_json::json!(SEED_TAGS));
    assert_eq!(seed_json["note"], SEED_NOTE);
    assert_eq!(seed_json["blocks"][0]["caption"], SEED_CAPTION);
    assert_eq!(
        seed_json,
        &folio::export::jsonl::stored_article_json(&lib.article(seed).unwrap())
    );
}

// ---- atomic writes, cancel ------------------------------------------------

#[test]
fn an_existing_target_is_kept_without_overwrite_and_a_cancel_leaves_nothing() {
    let (dir, lib, _, _) = corpus_library();
    for format in [
        ExportFormat::Sqlite,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Jsonl,
    ] {
        let out = dir.path().join(format!("{format:?}.out"));
        std::fs::write(&out, "keep me").unwrap();
        let err = export(
            &lib,
            format,
            &ExportJob {
                ids: &all_ids(&lib),
                out: &out,
                overwrite: false,
                progress: &no_progress,
                cancel: &AtomicBool::new(false),
            },
        )
        .unwrap_err();
        assert!(matches!(err, ExportError::TargetExists(_)), "{err}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
        // Not even with overwrite: Folio did not write it (issue 10, 1).
        let err = export(
            &lib,
            format,
            &ExportJob {
                ids: &all_ids(&lib),
                out: &out,
                overwrite: true,
                progress: &no_progress,
                cancel: &AtomicBool::new(false),
            },
        )
        .unwrap_err();
        assert!(matches!(err, ExportError::NotReplaceable { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
        // An earlier export of the same kind is replaced with overwrite.
        let ours = dir.path().join(format!("{format:?}.ours"));
        run_export(&lib, format, &ours);
        let first = std::fs::metadata(&ours).unwrap().modified().unwrap();
        export(
            &lib,
            format,
            &ExportJob {
                ids: &all_ids(&lib)[..1],
                out: &ours,
                overwrite: true,
                progress: &no_progress,
                cancel: &AtomicBool::new(false),
            },
        )
        .unwrap();
        assert!(std::fs::metadata(&ours).unwrap().modified().unwrap() >= first);
        // A cancelled export leaves nothing under the name, nor temp files.
        let cancelled = dir.path().join(format!("{format:?}.cancelled"));
        let err = export(
            &lib,
            format,
            &ExportJob {
                ids: &all_ids(&lib),
                out: &cancelled,
                overwrite: false,
                progress: &no_progress,
                cancel: &AtomicBool::new(true),
            },
        )
        .unwrap_err();
        assert!(matches!(err, ExportError::Cancelled), "{err}");
        assert!(!cancelled.exists());
        assert_no_temp_files(dir.path());
    }
}

#[test]
fn an_export_never_replaces_the_library_itself() {
    let (_dir, lib, _, _) = corpus_library();
    let own = lib.path().unwrap().to_owned();
    for format in [ExportFormat::Sqlite, ExportFormat::Html] {
        let err = export(
            &lib,
            format,
            &ExportJob {
                ids: &all_ids(&lib),
                out: &own,
                overwrite: true,
                progress: &no_progress,
                cancel: &AtomicBool::new(false),
            },
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("is the library being exported"),
            "{err}"
        );
    }
    assert_eq!(lib.stats().unwrap().articles, 5);
}

// ---- the CLI ----------------------------------------------------------------

#[test]
fn cli_export_by_query_force_and_merge() {
    let (dir, lib, seed, _) = corpus_library();
    let library = lib.path().unwrap().to_owned();
    drop(lib);
    let out = dir.path().join("tagged.folio");
    let out_s = out.to_str().unwrap();

    let run = common::folio_on(&library, &["export", "--out", out_s, "tag:小米"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("exported 1 article"));
    let exported = Library::open(&out).unwrap();
    let ids: Vec<_> = exported.matching_ids(None).unwrap();
    assert_eq!(ids, [seed]);
    drop(exported);

    // The target exists now: exit 1 with a clear message, the file untouched.
    let before = std::fs::read(&out).unwrap();
    let run = common::folio_on(&library, &["export", "--out", out_s]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("exists already; use --force"), "{stderr}");
    assert_eq!(std::fs::read(&out).unwrap(), before);

    // --force replaces it, here with a selection by id.
    let all = Library::open(&library).unwrap().matching_ids(None).unwrap();
    let two = format!("{},{}", all[0], all[1]);
    let run = common::folio_on(
        &library,
        &["export", "--out", out_s, "--force", "--ids", &two],
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(Library::open(&out).unwrap().stats().unwrap().articles, 2);

    // Markdown by query.
    let md = dir.path().join("md");
    let run = common::folio_on(
        &library,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            md.to_str().unwrap(),
            "tag:epoch",
        ],
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        std::fs::read_dir(&md)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md"))
            .count(),
        1
    );

    // Merge into a new library.
    let fresh = dir.path().join("fresh.folio");
    let run = common::folio_on(&fresh, &["merge", out_s, "--json"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["added"], 2);
    // A refused file: exit 1, message on stderr.
    let bad = dir.path().join("bad.folio");
    std::fs::write(&bad, "nope").unwrap();
    let run = common::folio_on(&fresh, &["merge", bad.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("nothing was changed"));
}

#[test]
fn a_frozen_v1_library_merges_as_is_and_after_upgrading() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = dir.path().join("v1.folio");
    let conn = rusqlite::Connection::open(&v1).unwrap();
    conn.execute_batch(&std::fs::read_to_string(common::fixtures().join("schema/v1.sql")).unwrap())
        .unwrap();
    drop(conn);
    let mut target = Library::open(&dir.path().join("target.folio")).unwrap();
    let report = target
        .merge_from(&v1, &no_progress, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(report.added, 1);
    let stored = target.article(report.ids[0]).unwrap();
    assert_eq!(stored.tags, ["frozen"]);
    assert_eq!(stored.note.as_deref(), Some("旧笔记"));
    assert!(target.check().unwrap().is_empty(), "{:?}", target.check());

    // Upgraded to the current schema, it is still accepted (and now a duplicate).
    drop(Library::open(&v1).unwrap());
    let report = target
        .merge_from(&v1, &no_progress, &AtomicBool::new(false))
        .unwrap();
    assert_eq!((report.added, report.duplicates), (0, 1));
}

// ---- issue 10: an export never deletes or replaces what Folio did not write ----

/// Every file under `dir` with its length and a hash of its bytes, for
/// before/after comparisons.
fn snapshot(dir: &Path) -> Vec<(PathBuf, usize, u64)> {
    snapshot_bytes(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
            (path, bytes.len(), hash)
        })
        .collect()
}

/// Every file under `dir` with its bytes.
fn snapshot_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The reproduction from issue 10, 1: `export --force` into the folder that
/// holds the library deleted the library and the user's thesis.
#[test]
fn force_export_into_the_folder_holding_the_library_is_refused() {
    let (dir, lib, _, _) = corpus_library();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let library = docs.join("lib.folio");
    let source = lib.path().unwrap().to_owned();
    drop(lib); // closing checkpoints the WAL into the file
    std::fs::copy(&source, &library).unwrap();
    std::fs::write(docs.join("thesis.txt"), "x\n").unwrap();
    let before = snapshot(&docs);
    for format in ["markdown", "html", "sqlite", "jsonl"] {
        let run = common::folio_on(
            &library,
            &[
                "export",
                "--out",
                docs.to_str().unwrap(),
                "--format",
                format,
                "--force",
                "tag:x",
            ],
        );
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{format}: {stderr}");
        assert!(
            stderr.contains("holds the library being exported"),
            "{format}: {stderr}"
        );
        assert_eq!(snapshot(&docs), before, "{format} changed the folder");
    }
    // The library's own file is refused as well.
    let run = common::folio_on(
        &library,
        &["export", "--out", library.to_str().unwrap(), "--force"],
    );
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(snapshot(&docs), before);
}

#[test]
fn force_replaces_only_an_earlier_export_of_the_same_kind() {
    let (dir, lib, _, _) = corpus_library();
    let library = lib.path().unwrap().to_owned();
    drop(lib);
    let run_force = |out: &Path, format: &str| {
        common::folio_on(
            &library,
            &[
                "export",
                "--out",
                out.to_str().unwrap(),
                "--format",
                format,
                "--force",
            ],
        )
    };
    let refused = |out: &Path, format: &str, why: &str| {
        let before = snapshot(dir.path());
        let run = run_force(out, format);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(
            run.status.code(),
            Some(1),
            "{format} over {}: {stderr}",
            out.display()
        );
        assert!(stderr.contains("was not written by a Folio"), "{stderr}");
        assert!(stderr.contains(why), "{why:?} not in {stderr}");
        assert_eq!(snapshot(dir.path()), before);
    };

    // A user's folder, a user's file, another program's SQLite file.
    let user_folder = dir.path().join("papers");
    std::fs::create_dir(&user_folder).unwrap();
    std::fs::write(user_folder.join("thesis.txt"), "mine").unwrap();
    refused(&user_folder, "markdown", "no .folio-export.json");
    refused(&user_folder, "html", "no .folio-export.json");
    let user_file = dir.path().join("notes.jsonl");
    std::fs::write(&user_file, "{\"mine\": true}\n").unwrap();
    refused(&user_file, "jsonl", "line 1 is not an exported article");
    refused(&user_file, "sqlite", "not an SQLite file");
    let other_db = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other_db)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    refused(&other_db, "sqlite", "another program");

    // Folio's own exports are replaced, each only by its own kind.
    let md = dir.path().join("md");
    assert_eq!(run_force(&md, "markdown").status.code(), Some(0));
    assert!(md.join(".folio-export.json").is_file());
    assert_eq!(run_force(&md, "markdown").status.code(), Some(0));
    refused(&md, "html", "it is a Markdown export");
    refused(&md, "sqlite", "not a file");
    // A file the user put into an export folder since makes it the user's.
    std::fs::write(md.join("my-summary.txt"), "mine").unwrap();
    refused(
        &md,
        "markdown",
        "it holds my-summary.txt, which Folio did not write",
    );
    std::fs::remove_file(md.join("my-summary.txt")).unwrap();
    std::fs::create_dir(md.join("drafts")).unwrap();
    refused(&md, "markdown", "it holds drafts/");
    std::fs::remove_dir(md.join("drafts")).unwrap();
    assert_eq!(run_force(&md, "markdown").status.code(), Some(0));

    let html = dir.path().join("site");
    assert_eq!(run_force(&html, "html").status.code(), Some(0));
    assert_eq!(run_force(&html, "html").status.code(), Some(0));
    let jsonl = dir.path().join("all.jsonl");
    assert_eq!(run_force(&jsonl, "jsonl").status.code(), Some(0));
    assert_eq!(run_force(&jsonl, "jsonl").status.code(), Some(0));
    let db = dir.path().join("copy.folio");
    assert_eq!(run_force(&db, "sqlite").status.code(), Some(0));
    assert_eq!(run_force(&db, "sqlite").status.code(), Some(0));
    refused(&db, "jsonl", "JSONL");
    assert_eq!(Library::open(&db).unwrap().stats().unwrap().articles, 5);
}

/// Issue 10, 7: what an interrupted export left (hidden, named by Folio,
/// made by a process that is gone) is cleared by the next export; a
/// replaced target moved aside is put back when its replacement never
/// arrived; nothing else is touched.
#[test]
fn the_next_export_clears_what_an_interrupted_one_left() {
    let (dir, lib, _, _) = corpus_library();
    let out = dir.path().join("exports");
    std::fs::create_dir(&out).unwrap();
    // Above Linux's largest pid: never a running process.
    let gone = 4_194_305;
    let partial_file = out.join(format!(".big.folio.folio-partial-{gone}-0"));
    std::fs::write(&partial_file, vec![0u8; 4096]).unwrap();
    let partial_dir = out.join(format!(".md.folio-partial-{gone}-1"));
    std::fs::create_dir_all(partial_dir.join("images")).unwrap();
    std::fs::write(partial_dir.join("a.md"), "half").unwrap();
    let moved_aside = out.join(format!(".site.folio-old-{gone}-2"));
    std::fs::write(&moved_aside, "the only copy").unwrap();
    let replaced = out.join(format!(".done.jsonl.folio-old-{gone}-3"));
    std::fs::write(&replaced, "old").unwrap();
    std::fs::write(out.join("done.jsonl"), "new").unwrap();
    let running = out.join(format!(".mine.folio-partial-{}-4", std::process::id()));
    std::fs::write(&running, "being written").unwrap();
    let unrelated = out.join(".big.folio.folio-partial-notapid");
    std::fs::write(&unrelated, "user").unwrap();

    run_export(&lib, ExportFormat::Jsonl, &out.join("new.jsonl"));

    assert!(!partial_file.exists());
    assert!(!partial_dir.exists());
    assert!(!replaced.exists());
    assert_eq!(
        std::fs::read_to_string(out.join("done.jsonl")).unwrap(),
        "new"
    );
    assert!(!moved_aside.exists());
    assert_eq!(
        std::fs::read_to_string(out.join("site")).unwrap(),
        "the only copy"
    );
    assert!(
        running.exists(),
        "a partial of a running export was removed"
    );
    assert!(unrelated.exists());
    assert!(out.join("new.jsonl").is_file());
}

/// Issue 10, 10: only `javascript:` in lowercase was dropped; every export
/// now keeps http, https, mailto and relative links only, in any spelling.
#[test]
fn script_and_data_links_reach_no_export() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("links.html");
    let para = "<p>Padding text so that the article is long enough to be kept by the extractor \
                as a real article body with several sentences in it.</p>";
    std::fs::write(
        &page,
        format!(
            "<html><head><title>Links</title></head><body><article><h1>Links</h1>{para}{para}\
             <p>One <a href=\" JaVaScRiPt:alert(1)\">alpha</a>, \
             <a href=\"java&#9;script:alert(2)\">beta</a>, \
             <a href=\"data:text/html,&lt;script&gt;alert(3)&lt;/script&gt;\">gamma</a>, \
             <a href=\"VBScript:msgbox(4)\">delta</a>, \
             <a href=\"https://example.org/ok\">epsilon</a>, \
             <a href=\"mailto:a@example.org\">zeta</a>.</p>{para}</article></body></html>"
        ),
    )
    .unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let report = lib
        .import_paths(
            &[page],
            &ImportOptions::default(),
            &no_progress,
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(report.imported, 1, "{:?}", report.failed);
    for (format, out) in [
        (ExportFormat::Markdown, "md"),
        (ExportFormat::Html, "html"),
        (ExportFormat::Jsonl, "all.jsonl"),
    ] {
        let out = dir.path().join(out);
        run_export(&lib, format, &out);
        let files = if out.is_file() {
            vec![(out.clone(), std::fs::read(&out).unwrap())]
        } else {
            snapshot_bytes(&out)
        };
        let text: String = files
            .into_iter()
            .map(|(_, bytes)| String::from_utf8_lossy(&bytes).to_lowercase())
            .collect();
        for word in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"] {
            assert!(text.contains(word), "{format:?} lost the link text {word}");
        }
        for bad in ["javascript", "vbscript", "data:text", "script:"] {
            assert!(!text.contains(bad), "{format:?} kept {bad}");
        }
        if format != ExportFormat::Jsonl {
            // (JSONL carries plain text, no links.)
            assert!(text.contains("https://example.org/ok"), "{format:?}");
            assert!(text.contains("mailto:a@example.org"), "{format:?}");
        }
    }
}

// ---- issue 10, item 6: damaged rows are never carried ------------------------

/// Flip one bit of byte `byte` of a blob with a plain SQLite connection.
fn flip_bit(library: &Path, table: &str, column: &str, key: &str, id: &dyn rusqlite::ToSql) {
    let conn = rusqlite::Connection::open(library).unwrap();
    let mut blob: Vec<u8> = conn
        .query_row(
            &format!("SELECT {column} FROM {table} WHERE {key} = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let byte = blob.len() / 2;
    blob[byte] ^= 0x10;
    conn.execute(
        &format!("UPDATE {table} SET {column} = ?1 WHERE {key} = ?2"),
        rusqlite::params![blob, id],
    )
    .unwrap();
}

#[test]
fn an_export_refuses_damaged_originals_and_images_naming_them() {
    let (dir, lib, seed, epoch) = corpus_library();
    let library = dir.path().join("source.folio");
    flip_bit(&library, "originals", "data", "article_id", &seed.0);
    let out = dir.path().join("export.folio");
    let err = folio::export::export_sqlite(
        &lib,
        &ExportJob {
            ids: &all_ids(&lib),
            out: &out,
            overwrite: false,
            progress: &no_progress,
            cancel: &AtomicBool::new(false),
        },
    )
    .unwrap_err();
    assert!(
        matches!(err, ExportError::Library(LibraryError::Damaged { .. })),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&format!("article {seed}: the stored original is damaged")),
        "{message}"
    );
    assert!(message.contains("nothing was written"), "{message}");
    assert!(!out.exists());
    assert_no_temp_files(dir.path());
    // The file formats do not carry originals: the seed still exports as Markdown.
    export(
        &lib,
        ExportFormat::Markdown,
        &ExportJob {
            ids: &[seed],
            out: &dir.path().join("seed-md"),
            overwrite: false,
            progress: &no_progress,
            cancel: &AtomicBool::new(false),
        },
    )
    .unwrap();

    // A damaged image is refused by every format, named by its hash.
    let sha = lib
        .article(epoch)
        .unwrap()
        .image_sha256
        .into_iter()
        .flatten()
        .next()
        .unwrap();
    flip_bit(&library, "images", "bytes", "sha256", &sha);
    for format in [
        ExportFormat::Sqlite,
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Jsonl,
    ] {
        let out = dir.path().join(format!("epoch-{format:?}"));
        let err = export(
            &lib,
            format,
            &ExportJob {
                ids: &[epoch],
                out: &out,
                overwrite: false,
                progress: &no_progress,
                cancel: &AtomicBool::new(false),
            },
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains(&format!("image {sha}: its bytes do not match their sha256")),
            "{format:?}: {message}"
        );
        assert!(!out.exists(), "{format:?}");
        assert_no_temp_files(dir.path());
    }
}

#[test]
fn a_file_with_a_damaged_original_or_image_is_not_merged() {
    let mut c = Crafting::new();
    let path = c.crafted("damaged-original.folio", "");
    let id: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT min(article_id) FROM originals", [], |r| r.get(0))
        .unwrap();
    flip_bit(&path, "originals", "data", "article_id", &id);
    c.refused(
        &path,
        &format!("it has damaged data (article {id}: the stored original is damaged"),
    );
    let path = c.crafted("damaged-image.folio", "");
    let sha: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT min(sha256) FROM images", [], |r| r.get(0))
        .unwrap();
    flip_bit(&path, "images", "bytes", "sha256", &sha);
    c.refused(
        &path,
        &format!("image {sha}: its bytes do not match their sha256"),
    );
}

/// Issue 10, 7: `folio check` clears what an interrupted export left beside
/// the library, and says so.
#[test]
fn check_clears_an_interrupted_exports_leftovers_beside_the_library() {
    let (dir, lib, _, _) = corpus_library();
    let library = lib.path().unwrap().to_owned();
    drop(lib);
    let partial = dir.path().join(".phones.folio.folio-partial-4194305-0");
    std::fs::write(&partial, vec![0u8; 1024]).unwrap();
    let run = common::folio_on(&library, &["check"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), "ok");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("left by an interrupted export"), "{stderr}");
    assert!(!partial.exists());
}

//! The desktop app driven headless with egui_kittest against a temporary
//! library: reading the seed, tagging, filtering, Chinese search, notes that
//! survive a restart, and an import report naming a broken file. The
//! accessibility check stays on, and the app installs its own CJK font, so a
//! missing glyph or an unnamed widget fails these tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use folio::app::{FolioApp, Options};
use folio::library::{ImportOptions, Library};

const SEED_TITLE: &str = "小米11系列屡曝质量问题 售后新政引不满";
const SEED_CAPTION: &str = "图为小米手机在北京的一家服务中心。(Greg Baker/AFP via Getty Images)";

/// Mirror pages imported beside the seed.
const MIRROR: &[&str] = &[
    "140-336623.md",
    "nf4779-n11908968.md",
    "365-402782.md",
    "78-410925.md",
    "81-416066.md",
];

fn corpus_files() -> Vec<PathBuf> {
    let mut files = vec![common::seed_path()];
    files.extend(
        MIRROR
            .iter()
            .map(|m| common::fixtures().join("mirror").join(m)),
    );
    files
}

fn library_with_corpus(dir: &Path) -> PathBuf {
    let path = dir.join("test.folio");
    let mut library = Library::open(&path).unwrap();
    let report = library
        .import_paths(
            &corpus_files(),
            &ImportOptions::default(),
            &|_| {},
            &Default::default(),
        )
        .unwrap();
    assert_eq!(report.imported, corpus_files().len(), "{report:?}");
    path
}

fn app(path: &Path) -> Harness<'static, FolioApp> {
    app_with(path, false)
}

/// The app on `path`, with `--offline` or not.
fn app_with(path: &Path, offline: bool) -> Harness<'static, FolioApp> {
    let path = path.to_owned();
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            FolioApp::new(
                cc,
                Options {
                    library: path,
                    sample: false,
                    offline,
                },
            )
            .unwrap()
        })
}

/// Step the app until `done` holds (the worker answers on its own thread).
fn wait_for(
    harness: &mut Harness<'_, FolioApp>,
    what: &str,
    done: impl Fn(&Harness<'_, FolioApp>) -> bool,
) {
    let start = Instant::now();
    loop {
        harness.step();
        if done(harness) {
            harness.step();
            return;
        }
        if start.elapsed() > Duration::from_secs(20) {
            eprintln!("{:#?}", harness.root());
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(15));
    }
}

fn open_seed(harness: &mut Harness<'_, FolioApp>) {
    wait_for(harness, "the list", |h| {
        h.query_by_label(SEED_TITLE).is_some()
    });
    harness.get_by_label(SEED_TITLE).click();
    wait_for(harness, "the reader", |h| {
        h.query_by_label(SEED_CAPTION).is_some()
    });
}

/// The list's count as the window shows it: "1 article", "5 articles".
fn articles_count(n: usize) -> String {
    if n == 1 {
        "1 article".to_owned()
    } else {
        format!("{n} articles")
    }
}

/// File ▸ Open library…, type `path`, Open.
fn open_library(harness: &mut Harness<'_, FolioApp>, path: &Path) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "File")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Open library…").click();
    harness.run_steps(3);
    harness.get_by_label("Library file").click();
    harness
        .get_by_label("Library file")
        .type_text(&path.display().to_string());
    harness.get_by_label("Open").click();
}

/// Titles of the rows the list shows.
fn listed_titles(harness: &Harness<'_, FolioApp>, candidates: &[String]) -> Vec<String> {
    candidates
        .iter()
        .filter(|t| harness.query_all_by_label(t).next().is_some())
        .cloned()
        .collect()
}

#[test]
fn the_seed_reads_with_its_caption_and_sixteen_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    open_seed(&mut harness);
    let article = common::extract_file(&common::seed_path());
    let paragraphs: Vec<String> = article
        .blocks
        .iter()
        .filter(|b| matches!(b, folio::model::Block::Paragraph { .. }))
        .map(|b| b.text())
        .collect();
    assert_eq!(paragraphs.len(), 16);
    for paragraph in &paragraphs {
        assert!(
            harness.query_by_label(paragraph).is_some(),
            "paragraph not shown: {paragraph}"
        );
    }
    // Title in the list and in the reader; metadata line; the missing image's card.
    assert!(harness.query_all_by_label(SEED_TITLE).count() >= 2);
    assert!(harness.query_by_label_contains("2022-09-22").is_some());
    assert!(harness.query_by_label_contains("Editor: 方明").is_some());
    assert!(
        harness
            .query_by_label("Image not stored in the library")
            .is_some()
    );
}

#[test]
fn tagging_changes_the_count_and_filters_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    open_seed(&mut harness);
    harness.get_by_label("Add tag").click();
    harness.get_by_label("Add tag").type_text("手机");
    harness.get_by_label("Add").click();
    wait_for(&mut harness, "the new tag", |h| {
        h.query_by_label("手机 (1)").is_some()
    });
    // Accept a tag the page suggests.
    harness.get_by_label("+ 小米11系列").click();
    wait_for(&mut harness, "the suggested tag", |h| {
        h.query_by_label("小米11系列 (1)").is_some()
    });

    harness.get_by_label("手机 (1)").click();
    wait_for(&mut harness, "the filtered list", |h| {
        h.query_by_label("1 article").is_some()
    });
    let other = common::extract_file(&common::fixtures().join("mirror").join(MIRROR[0])).title;
    assert!(
        harness.query_by_label(&other).is_none(),
        "an untagged article is still listed"
    );
    assert!(harness.query_all_by_label(SEED_TITLE).count() >= 1);
}

#[test]
fn a_chinese_query_shows_exactly_the_matching_articles() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    let articles: Vec<_> = corpus_files()
        .iter()
        .map(|f| common::extract_file(f))
        .collect();
    let titles: Vec<String> = articles.iter().map(|a| a.title.clone()).collect();
    wait_for(&mut harness, "the list", |h| {
        h.query_by_label(SEED_TITLE).is_some()
    });
    for query in ["主板", "法轮功", "神韵"] {
        let expected: Vec<String> = articles
            .iter()
            .filter(|a| a.title.contains(query) || a.searchable_text().contains(query))
            .map(|a| a.title.clone())
            .collect();
        assert!(!expected.is_empty());
        harness.get_by_label("Search").click();
        harness.step();
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.get_by_label("Search").type_text(query);
        let want = articles_count(expected.len());
        wait_for(&mut harness, "the search results", |h| {
            h.query_by_label(&want).is_some()
        });
        let mut shown = listed_titles(&harness, &titles);
        shown.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(shown, expected, "query {query}");
    }
}

#[test]
fn a_note_survives_rebuilding_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let path = library_with_corpus(dir.path());
    {
        let mut harness = app(&path);
        open_seed(&mut harness);
        harness.get_by_label("Markdown; saved as you type").click();
        harness
            .get_by_label("Markdown; saved as you type")
            .type_text("Follow up: 售后政策");
        wait_for(&mut harness, "the note to change", |h| {
            h.query_by_label("saving…").is_some()
        });
        wait_for(&mut harness, "the note to save", |h| {
            h.query_by_label("saved").is_some() && h.query_by_label("saving…").is_none()
        });
    }
    let mut harness = app(&path);
    open_seed(&mut harness);
    let value = harness.get_by_label("Markdown; saved as you type").value();
    assert_eq!(value.as_deref(), Some("Follow up: 售后政策"));
}

#[test]
fn importing_a_folder_with_a_broken_file_names_it_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::copy(common::seed_path(), pages.join("seed.txt")).unwrap();
    std::fs::write(
        pages.join("broken.html"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR garbage",
    )
    .unwrap();
    let mut harness = app(&dir.path().join("empty.folio"));
    wait_for(&mut harness, "the empty library", |h| {
        h.query_by_label("The library is empty.").is_some()
    });
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "File")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Import from path…").click();
    harness.run_steps(3);
    harness
        .get_by_label("Files or folders (one per line)")
        .click();
    harness
        .get_by_label("Files or folders (one per line)")
        .type_text(&pages.display().to_string());
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the import report", |h| {
        h.query_all_by_label_contains("broken.html")
            .next()
            .is_some()
    });
    assert!(harness.query_by_label_contains("1 imported").is_some());
    assert!(
        harness
            .query_all_by_label_contains("is not a saved web page")
            .next()
            .is_some()
    );
    wait_for(&mut harness, "the imported seed", |h| {
        h.query_by_label(SEED_TITLE).is_some()
    });
}

#[test]
fn delete_moves_to_the_trash_and_undo_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    let total = corpus_files().len();
    open_seed(&mut harness);
    wait_for(&mut harness, "the count", |h| {
        h.query_by_label(&articles_count(total)).is_some()
    });
    harness.key_press(egui::Key::Delete);
    wait_for(&mut harness, "the trashed article to leave the list", |h| {
        h.query_by_label(&articles_count(total - 1)).is_some()
    });
    assert!(harness.query_by_label(SEED_TITLE).is_none());
    harness.get_by_label("Undo").click();
    wait_for(&mut harness, "the article to come back", |h| {
        h.query_by_label(&articles_count(total)).is_some()
            && h.query_by_label(SEED_CAPTION).is_some()
    });
}

#[test]
fn keyboard_moves_through_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    open_seed(&mut harness);
    // The seed is the newest article, so it heads the list sorted by date.
    harness.key_press(egui::Key::J);
    wait_for(&mut harness, "the next article", |h| {
        h.query_by_label(SEED_CAPTION).is_none()
    });
    harness.key_press(egui::Key::K);
    wait_for(&mut harness, "the seed again", |h| {
        h.query_by_label(SEED_CAPTION).is_some()
    });
}

#[test]
fn the_sample_library_opens_on_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.folio");
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            FolioApp::new(
                cc,
                Options {
                    library: path,
                    sample: true,
                    offline: false,
                },
            )
            .unwrap()
        });
    wait_for(&mut harness, "the seed to open", |h| {
        h.query_by_label(SEED_CAPTION).is_some()
    });
    assert!(harness.query_by_label_contains("Imported 15").is_some());
}

/// Serve one JPEG for every request on 127.0.0.1; returns the base URL and
/// the number of connections accepted so far.
fn image_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let jpeg =
        std::fs::read(common::fixtures().join("formats/complete/m-epoch/m-epoch_files/p1.jpg"))
            .unwrap();
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                jpeg.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&jpeg);
        }
    });
    (format!("http://{addr}"), connections)
}

#[test]
fn fetch_image_replaces_the_card_with_the_picture() {
    let dir = tempfile::tempdir().unwrap();
    let (base, _) = image_server();
    let path = seed_served_from(dir.path(), &base);
    let mut harness = app(&path);
    open_seed(&mut harness);
    assert!(
        harness
            .query_by_label("Image not stored in the library")
            .is_some()
    );
    harness.get_by_label("Fetch image").click();
    wait_for(&mut harness, "the fetched image", |h| {
        h.query_by_label("Image not stored in the library")
            .is_none()
            && h.query_by_role_and_label(egui::accesskit::Role::Image, "Image")
                .is_some()
    });
    assert!(
        harness.query_by_label(SEED_CAPTION).is_some(),
        "the caption stays under the image"
    );
}

#[test]
fn export_the_listed_articles_then_open_and_merge_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    open_seed(&mut harness);
    harness.get_by_label("Add tag").click();
    harness.get_by_label("Add tag").type_text("keep");
    harness.get_by_label("Add").click();
    wait_for(&mut harness, "the tag", |h| {
        h.query_by_label("keep (1)").is_some()
    });
    harness.get_by_label("keep (1)").click();
    wait_for(&mut harness, "the filter", |h| {
        h.query_by_label("1 article").is_some()
    });

    let out = dir.path().join("collection.folio");
    let out_text = out.display().to_string();
    for replace in [false, true] {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
        harness.run_steps(2);
        harness.get_by_label("Save to").click();
        harness.get_by_label("Save to").type_text(&out_text);
        harness
            .get_by_role_and_label(egui::accesskit::Role::Button, "Export")
            .click();
        if replace {
            wait_for(&mut harness, "the replace question", |h| {
                h.query_by_label("Replace it").is_some()
            });
            harness.get_by_label("Replace it").click();
        }
        wait_for(&mut harness, "the export", |h| {
            h.query_by_label_contains("Exported 1 article and")
                .is_some()
        });
    }

    // Open the export like any library.
    open_library(&mut harness, &out);
    wait_for(&mut harness, "the exported library", |h| {
        h.query_by_label("1 article").is_some() && h.query_by_label("keep (1)").is_some()
    });

    // An empty library, then merge the export into it.
    open_library(&mut harness, &dir.path().join("fresh.folio"));
    wait_for(&mut harness, "the empty library", |h| {
        h.query_by_label("The library is empty.").is_some()
    });
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "File")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Import library…").click();
    harness.run_steps(3);
    harness.get_by_label("Library file").click();
    harness.get_by_label("Library file").type_text(&out_text);
    harness.get_by_label("Import").click();
    wait_for(&mut harness, "the merged article", |h| {
        h.query_by_label(SEED_TITLE).is_some() && h.query_by_label("keep (1)").is_some()
    });
}

#[test]
fn an_older_library_is_upgraded_on_open_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.folio");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema/v1.sql");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(&std::fs::read_to_string(fixture).unwrap())
        .unwrap();
    drop(conn);
    let mut harness = app(&path);
    wait_for(&mut harness, "the upgrade's end", |h| {
        h.query_by_label("Library upgraded.").is_some()
    });
    wait_for(&mut harness, "the old article", |h| {
        h.query_by_label("售后新政 frozen v1").is_some()
    });
}

/// A page whose list item holds a local picture, followed by a figure known
/// only by its web address: each image in the reader is its own.
#[test]
fn an_image_inside_a_list_does_not_shift_later_images() {
    let dir = tempfile::tempdir().unwrap();
    let page_dir = dir.path().join("page");
    std::fs::create_dir_all(page_dir.join("page_files")).unwrap();
    let png = common::fixtures().join("formats/complete/m-minghui/m-minghui_files/p2.png");
    std::fs::copy(&png, page_dir.join("page_files/a.png")).unwrap();
    std::fs::write(
        page_dir.join("page.html"),
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Lists with pictures</title></head><body><article>
<h1>Lists with pictures</h1>
<p>An article whose list holds a picture, and a later picture known only by its web address. It needs enough text to be an article at all, so here is some more of it.</p>
<ul><li>The first item has a picture: <img src="page_files/a.png" alt="list picture"></li><li>The second item has none.</li></ul>
<p>Between the two pictures there is a paragraph with more words for the reader to read.</p>
<figure><img src="https://example.invalid/b.jpg" alt="remote picture"><figcaption>The remote picture's caption</figcaption></figure>
<p>And a closing paragraph after the second picture, so the figure sits in the middle.</p>
</article></body></html>"#,
    )
    .unwrap();
    let path = dir.path().join("lists.folio");
    let mut library = Library::open(&path).unwrap();
    let report = library
        .import_paths(
            &[page_dir.join("page.html")],
            &ImportOptions::default(),
            &|_| {},
            &Default::default(),
        )
        .unwrap();
    assert_eq!(report.imported, 1, "{report:?}");
    let stored = library.article(report.ids[0]).unwrap();
    let local: Vec<bool> = stored
        .article
        .images()
        .iter()
        .map(|i| i.data.is_some())
        .collect();
    assert_eq!(
        local,
        [true, false],
        "the list's picture is stored, the figure's is not"
    );
    drop(library);

    let mut harness = app(&path);
    wait_for(&mut harness, "the list", |h| {
        h.query_by_label("Lists with pictures").is_some()
    });
    harness.get_by_label("Lists with pictures").click();
    wait_for(&mut harness, "the reader", |h| {
        h.query_by_label("The remote picture's caption").is_some()
    });
    // The list's picture is shown as a picture, and the figure (not stored)
    // as the missing-image card with its address.
    wait_for(&mut harness, "the list's picture", |h| {
        h.query_by_label("list picture").is_some()
    });
    assert!(
        harness
            .query_by_label("Image not stored in the library")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("https://example.invalid/b.jpg")
            .is_some()
    );
}

/// Undo belongs to the library it was offered in: after opening another
/// library it is gone, so it cannot restore an article there by its number.
#[test]
fn opening_another_library_drops_the_undo_of_the_last_one() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    let mut harness = app(&library_with_corpus(&first));
    let other = library_with_corpus(&second);
    open_seed(&mut harness);
    harness.key_press(egui::Key::Delete);
    wait_for(&mut harness, "the undo button", |h| {
        h.query_by_label("Undo").is_some()
    });
    open_library(&mut harness, &other);
    wait_for(&mut harness, "the other library", |h| {
        h.query_by_label_contains("Opened").is_some() && h.query_by_label(SEED_TITLE).is_some()
    });
    assert!(harness.query_by_label("Undo").is_none());
}

/// A library holding a copy of the seed whose images point at `base`.
fn seed_served_from(dir: &Path, base: &str) -> PathBuf {
    let seed = std::fs::read_to_string(common::seed_path())
        .unwrap()
        .replace("https://i.epochtimes.com", base);
    let page = dir.join("seed.txt");
    std::fs::write(&page, seed).unwrap();
    let path = dir.join("fetch.folio");
    Library::open(&path)
        .unwrap()
        .import_paths(
            &[page],
            &ImportOptions::default(),
            &|_| {},
            &Default::default(),
        )
        .unwrap();
    path
}

/// `folio --offline`: "Fetch image" is refused with a message, and no
/// connection is made.
#[test]
fn offline_the_window_fetches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (base, connections) = image_server();
    let path = seed_served_from(dir.path(), &base);
    let mut harness = app_with(&path, true);
    open_seed(&mut harness);
    harness.get_by_label("Fetch image").click();
    wait_for(&mut harness, "the refusal", |h| {
        h.query_by_label_contains("Folio is offline").is_some()
    });
    assert!(
        harness
            .query_by_label("Image not stored in the library")
            .is_some()
    );
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// An import that cannot start (here: the samples cannot be written, a file
/// stands where their folder goes) says why and ends its progress bar.
#[test]
fn an_import_that_cannot_start_says_why_and_ends() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("folio-samples"), "a file, not a folder").unwrap();
    let mut harness = app(&dir.path().join("empty.folio"));
    wait_for(&mut harness, "the empty library", |h| {
        h.query_by_label("The library is empty.").is_some()
    });
    harness.get_by_label("Add the sample articles").click();
    wait_for(&mut harness, "the reason", |h| {
        h.query_by_label_contains("cannot write the samples")
            .is_some()
    });
    assert!(harness.query_by_label("Cancel import").is_none());
    assert!(harness.query_by_label("Add the sample articles").is_some());
}

/// Ctrl+F puts the cursor in the search box.
#[test]
fn ctrl_f_focuses_the_search_box() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    open_seed(&mut harness);
    assert!(!harness.get_by_label("Search").is_focused());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    wait_for(&mut harness, "the search box's focus", |h| {
        h.get_by_label("Search").is_focused()
    });
}

/// A tag renamed from its context menu keeps filtering the list under its
/// new name.
#[test]
fn renaming_a_filtering_tag_keeps_the_filter() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(&library_with_corpus(dir.path()));
    open_seed(&mut harness);
    harness.get_by_label("Add tag").click();
    harness.get_by_label("Add tag").type_text("keep");
    harness.get_by_label("Add").click();
    wait_for(&mut harness, "the tag", |h| {
        h.query_by_label("keep (1)").is_some()
    });
    harness.get_by_label("keep (1)").click();
    wait_for(&mut harness, "the filter", |h| {
        h.query_by_label("1 article").is_some()
    });
    harness.get_by_label("keep (1)").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Rename or merge…").click();
    wait_for(&mut harness, "the rename window", |h| {
        h.query_by_label("New name").is_some()
    });
    harness.get_by_label("New name").click();
    harness.step();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("New name").type_text("kept");
    harness.get_by_label("Rename").click();
    wait_for(&mut harness, "the renamed tag", |h| {
        h.query_by_label("kept (1)").is_some() && h.query_by_label("1 article").is_some()
    });
    assert!(harness.query_by_label("New name").is_none());
}

/// Clicking a picture opens it full size, and the zoom buttons scale it.
#[test]
fn a_picture_opens_full_size_and_zooms() {
    let dir = tempfile::tempdir().unwrap();
    let (base, _) = image_server();
    let path = seed_served_from(dir.path(), &base);
    let mut harness = app(&path);
    open_seed(&mut harness);
    harness.get_by_label("Fetch image").click();
    wait_for(&mut harness, "the fetched image", |h| {
        h.query_by_role_and_label(egui::accesskit::Role::Image, "Image")
            .is_some()
    });
    harness
        .get_by_role_and_label(egui::accesskit::Role::Image, "Image")
        .click();
    wait_for(&mut harness, "the full-size image", |h| {
        h.query_by_label("Full-size image").is_some() && h.query_by_label("100%").is_some()
    });
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "+")
        .click();
    wait_for(&mut harness, "the zoom", |h| {
        h.query_by_label("125%").is_some()
    });
}

//! `folio FILE…` (issue 16): the window opens on the library, imports the
//! pages and shows the first; a second process meeting a library that a
//! window holds open imports through SQLite's locking, corrupts nothing, and
//! the open window shows what it imported. The command line refuses a path
//! that does not exist before any window opens.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use folio::app::{FolioApp, Options};

/// A saved page (`page.html` + `page_files/`) and its title.
fn ehow() -> (PathBuf, &'static str) {
    (
        common::fixtures().join("formats/complete/r-ehow-2/r-ehow-2.html"),
        "How to Throw a Graduation Party on a Budget | eHow",
    )
}

/// An MHTML archive and its title.
fn deep_web() -> (PathBuf, &'static str) {
    (
        common::fixtures().join("formats/mhtml/r-keep-images.mhtml"),
        "Inside the Deep Web Drug Lab",
    )
}

/// A saved Chinese page and its title.
fn minghui() -> (PathBuf, &'static str) {
    (
        common::fixtures().join("formats/complete/m-minghui/m-minghui.html"),
        "新北市议会通过提案 声援中国民众控告江泽民",
    )
}

/// The window as `folio --library LIBRARY FILE…` builds it.
fn open_with(library: &Path, files: Vec<PathBuf>) -> Harness<'static, FolioApp> {
    let library = library.to_owned();
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            FolioApp::open_with(
                cc,
                Options {
                    library,
                    sample: false,
                    offline: true,
                },
                files,
            )
            .unwrap()
        })
}

/// Step every harness until `done` holds (the workers answer on their own threads).
fn wait_for(
    harnesses: &mut [&mut Harness<'_, FolioApp>],
    what: &str,
    done: impl Fn(&[&mut Harness<'_, FolioApp>]) -> bool,
) {
    let start = Instant::now();
    loop {
        for h in harnesses.iter_mut() {
            h.step();
        }
        if done(harnesses) {
            for h in harnesses.iter_mut() {
                h.step();
            }
            return;
        }
        if start.elapsed() > Duration::from_secs(30) {
            for h in harnesses.iter() {
                eprintln!("{:#?}", h.root());
            }
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(15));
    }
}

/// The reader shows `title` (its heading is a label; a list row is a button).
fn reader_shows(h: &Harness<'_, FolioApp>, title: &str) -> bool {
    h.query_by_role_and_label(Role::Label, title).is_some()
}

/// The list has a row for `title`.
fn list_shows(h: &Harness<'_, FolioApp>, title: &str) -> bool {
    h.query_by_role_and_label(Role::Button, title).is_some()
}

/// `folio check` on `library`: exit 0 and "no problems".
fn assert_checks_clean(library: &Path) {
    let out = common::folio_on(library, &["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "folio check failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn folio_page_html_imports_the_page_and_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("new.folio");
    let (page, title) = ehow();
    let mut window = open_with(&library, vec![page]);
    wait_for(&mut [&mut window], "the page in the reader", |h| {
        reader_shows(h[0], title)
    });
    assert!(list_shows(&window, title), "the list has the new article");
    assert!(
        window.query_by_label_contains("Imported 1 ").is_some(),
        "the status bar reports the import"
    );
    drop(window);
    assert_checks_clean(&library);
}

#[test]
fn folio_files_shows_the_first_even_when_it_was_in_the_library_already() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.folio");
    let (first, first_title) = deep_web();
    let (second, second_title) = minghui();
    // The first page is in the library already (opened with Folio before).
    let out = common::folio_on(&library, &["import", first.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let mut window = open_with(&library, vec![first, second]);
    wait_for(&mut [&mut window], "the first page in the reader", |h| {
        reader_shows(h[0], first_title) && list_shows(h[0], second_title)
    });
    assert!(
        window
            .query_by_label_contains("Imported 1 · updated 0 · duplicates 1")
            .is_some(),
        "the report counts the page already there as a duplicate"
    );
}

#[test]
fn a_second_process_imports_into_a_library_an_open_window_holds() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("shared.folio");
    let (ehow, ehow_title) = ehow();
    let (deep, deep_title) = deep_web();
    let (minghui, minghui_title) = minghui();
    // The window that was open first: its worker and list are on the library.
    let mut first = open_with(&library, vec![ehow]);
    wait_for(&mut [&mut first], "the first window's page", |h| {
        reader_shows(h[0], ehow_title)
    });
    // Meanwhile: `folio import` in another process (the import `folio
    // FILE…` runs, through the same library API and locking), and a second
    // window opened with a page, both while the first window is open.
    let cli = common::folio()
        .arg("--library")
        .arg(&library)
        .arg("import")
        .arg(&minghui)
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "the second process could not import: {}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let mut second = open_with(&library, vec![deep]);
    wait_for(
        &mut [&mut first, &mut second],
        "both windows to list every article",
        |h| {
            reader_shows(h[1], deep_title)
                && [ehow_title, deep_title, minghui_title]
                    .iter()
                    .all(|t| list_shows(h[0], t) && list_shows(h[1], t))
        },
    );
    assert!(
        reader_shows(&first, ehow_title),
        "the first window keeps its article open"
    );
    assert!(
        first.query_by_label_contains("3 articles").is_some(),
        "the first window counts what the others imported"
    );
    drop(first);
    drop(second);
    assert_checks_clean(&library);
    let list = common::folio_on(&library, &["list"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    for title in [ehow_title, deep_title, minghui_title] {
        assert_eq!(listed.matches(title).count(), 1, "{title} once: {listed}");
    }
}

#[test]
fn folio_help_still_lists_the_subcommands_and_the_file_form() {
    let out = common::folio().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("Usage: folio [OPTIONS] [FILE]...\n       folio [OPTIONS] <COMMAND>"),
        "{help}"
    );
    for command in ["import", "search", "list", "export", "check"] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{command} "))),
            "{command} missing from: {help}"
        );
    }
}

#[test]
fn folio_with_a_missing_file_says_so_and_opens_no_window() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.folio");
    // No display: were a window tried, the error would be about the window.
    let out = common::folio()
        .arg("--library")
        .arg(&library)
        .arg("nonexistent-file.html")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "folio: cannot open nonexistent-file.html: no such file or folder; nothing was imported\n"
    );
    assert!(out.stdout.is_empty());
    assert!(!library.exists(), "no library was made");

    // A mistyped command is a missing file too, and is said not to be a command.
    let out = common::folio()
        .args(["serch", "privacy"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "folio: cannot open serch, privacy: no such file or folder \
         (and `serch` is not a command: see `folio --help`); nothing was imported\n"
    );
}

#[test]
fn commands_still_run_and_a_page_named_like_one_is_given_as_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.folio");
    let (page, title) = ehow();
    let page = page.to_str().unwrap();
    let out = common::folio_on(&library, &["import", page]);
    assert!(out.status.success(), "{out:?}");
    let out = common::folio_on(&library, &["list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(title));
    // `./import` is a path, not the command: here it does not exist.
    let out = common::folio()
        .current_dir(dir.path())
        .args(["--library", library.to_str().unwrap(), "./import"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("folio: cannot open ./import: "),
        "{out:?}"
    );
}

#[test]
fn an_import_reports_the_article_of_the_first_path_given() {
    use folio::library::{ImportOptions, Library};
    let dir = tempfile::tempdir().unwrap();
    let mut library = Library::open(&dir.path().join("lib.folio")).unwrap();
    let import = |library: &mut Library, paths: &[PathBuf]| {
        library
            .import_paths(
                paths,
                &ImportOptions::default(),
                &|_| {},
                &Default::default(),
            )
            .unwrap()
    };
    let (deep, _) = deep_web();
    let (minghui, _) = minghui();
    let (ehow, _) = ehow();
    let deep_report = import(&mut library, std::slice::from_ref(&deep));
    let deep_id = deep_report.first_article.unwrap();
    assert_eq!(deep_report.ids, vec![deep_id]);
    // Given last in file order but first on the command line, and already
    // in the library: still the article to show.
    let report = import(&mut library, &[deep, minghui.clone(), ehow]);
    assert_eq!(report.duplicates, 1);
    assert_eq!(report.imported, 2);
    assert_eq!(report.first_article, Some(deep_id));
    // Files are stored in path order: complete/m-minghui before complete/r-ehow-2.
    let minghui_id = report.ids[0];
    // A first path that gives nothing: the first article stored instead.
    let report = import(&mut library, &[dir.path().join("missing.html"), minghui]);
    assert_eq!(report.duplicates, 1);
    assert_eq!(report.first_article, Some(minghui_id));
}

/// The packaging files name one app id, the window uses it, every file the
/// .deb installs exists, every icon has its size, and every saved-page type
/// "Open with Folio" offers itself for has a MIME type with a glob.
#[test]
fn desktop_entry_metainfo_mime_types_and_icons_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let id = folio::app::APP_ID;
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap();
    let desktop = read(&format!("packaging/linux/{id}.desktop"));
    let metainfo = read(&format!("packaging/linux/{id}.metainfo.xml"));
    let mime = read(&format!("packaging/linux/{id}.mime.xml"));
    assert!(desktop.contains(&format!("\nIcon={id}\n")), "{desktop}");
    assert!(desktop.contains(&format!("\nStartupWMClass={id}\n")));
    assert!(desktop.contains("\nExec=folio %F\n"), "files come as paths");
    assert!(metainfo.contains(&format!("<id>{id}</id>")));
    assert!(metainfo.contains(&format!(
        "<launchable type=\"desktop-id\">{id}.desktop</launchable>"
    )));
    // What shared-mime-info already defines, with its globs.
    let standard = [
        ("text/html", &["*.html", "*.htm"][..]),
        ("application/x-mimearchive", &["*.mhtml", "*.mht"][..]),
        ("message/rfc822", &[][..]),
    ];
    let types: Vec<&str> = desktop
        .lines()
        .find_map(|l| l.strip_prefix("MimeType="))
        .unwrap()
        .split(';')
        .filter(|t| !t.is_empty())
        .collect();
    let mut globs: Vec<String> = Vec::new();
    for t in &types {
        if let Some((_, g)) = standard.iter().find(|(s, _)| s == t) {
            globs.extend(g.iter().map(|g| (*g).to_owned()));
            continue;
        }
        let start = mime
            .find(&format!("<mime-type type=\"{t}\">"))
            .unwrap_or_else(|| panic!("{t} is neither standard nor defined"));
        let end = start + mime[start..].find("</mime-type>").unwrap();
        let block = &mime[start..end];
        globs.extend(
            block
                .split("<glob pattern=\"")
                .skip(1)
                .map(|g| g.split('"').next().unwrap().to_owned()),
        );
        assert!(
            metainfo.contains(&format!("<mediatype>{t}</mediatype>")),
            "{t} not in the metainfo"
        );
    }
    for ext in [
        "html",
        "htm",
        "mhtml",
        "mht",
        "webarchive",
        "warc",
        "warc.gz",
        "wacz",
    ] {
        assert!(
            globs.contains(&format!("*.{ext}")),
            ".{ext} has no MIME type: {globs:?}"
        );
    }
    // Every file the .deb installs is in the tree.
    let cargo = read("Cargo.toml");
    let assets: Vec<&str> = cargo
        .lines()
        .filter_map(|l| l.trim().strip_prefix("[\""))
        .map(|l| l.split('"').next().unwrap())
        .collect();
    assert!(assets.len() >= 12, "{assets:?}");
    for asset in assets.iter().filter(|a| !a.starts_with("target/")) {
        assert!(root.join(asset).is_file(), "{asset} is missing");
    }
    for size in [16, 32, 48, 64, 128, 256, 512] {
        let rel = format!("assets/icons/folio-{size}.png");
        assert!(assets.contains(&rel.as_str()), "{rel} is not packaged");
        let icon = image::open(root.join(&rel)).unwrap();
        assert_eq!((icon.width(), icon.height()), (size, size), "{rel}");
    }
}

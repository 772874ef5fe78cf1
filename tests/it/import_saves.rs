//! Importing what researchers actually have (issue 14): modern saves whose
//! images sit in `srcset` and `<picture>`, Word and Safari archives, web
//! archives, files that are not pages, and better copies of articles already
//! in the library. Run through the CLI as a user would.
//!
//! Long because: one subject's tests with the helpers they share; split
//! by subject, not by size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn saved(name: &str) -> PathBuf {
    common::fixtures().join("saved").join(name)
}

/// `folio --library LIB ARGS… --json`, exit code checked, stdout parsed.
fn json_of(library: &Path, args: &[&str], want_code: i32) -> Value {
    let out = common::folio_on(library, args);
    assert_eq!(
        out.status.code(),
        Some(want_code),
        "{args:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    })
}

/// Import `paths` into `library` with `--json`, expecting exit 0.
fn import(library: &Path, paths: &[&Path]) -> Value {
    let mut args = vec!["import", "--json"];
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    args.extend(paths.iter().map(String::as_str));
    json_of(library, &args, 0)
}

/// `folio show ID --json`.
fn show(library: &Path, id: i64) -> Value {
    json_of(library, &["show", &id.to_string(), "--json"], 0)
}

fn images(article: &Value) -> Vec<&Value> {
    article["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "image")
        .collect()
}

fn ids(report: &Value) -> Vec<i64> {
    report["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect()
}

#[test]
fn a_chrome_save_shows_the_picture_source_images_it_stores() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.folio");
    let report = import(
        &library,
        &[&saved("mhtml/blink-substack-noahpinion-japan.mht")],
    );
    assert_eq!(report["imported"], 1, "{report}");
    let article = show(&library, ids(&report)[0]);
    assert_eq!(
        article["title"],
        "How Japan has changed in the last 20 years"
    );
    let shown = images(&article);
    assert!(shown.len() >= 10, "{} images", shown.len());
    let remote: Vec<&str> = shown
        .iter()
        .filter(|i| i["local"] != true)
        .map(|i| i["src"].as_str().unwrap())
        .collect();
    assert!(remote.is_empty(), "not stored: {remote:?}");
    // The stored candidate is the large webp of the `<source srcset>`.
    assert!(
        shown.iter().any(|i| i["src"]
            .as_str()
            .unwrap()
            .contains("$s_!rorZ!,w_1456,c_limit,f_webp")),
        "{shown:?}"
    );
    assert!(
        !article["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("not stored")),
        "{}",
        article["warnings"]
    );
}

/// A page saved with its folder whose images are lazy-loaded: a placeholder
/// `src` and the real files in `data-srcset` / `srcset` / `<picture>`.
#[test]
fn lazy_and_srcset_images_resolve_to_the_largest_file_the_folder_holds() {
    let dir = tempfile::tempdir().unwrap();
    let page_dir = dir.path().join("save");
    let files = page_dir.join("page_files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(
        files.join("a-small.png"),
        common::png_header_claiming(40, 30, true),
    )
    .unwrap();
    std::fs::write(
        files.join("a-large.png"),
        common::png_header_claiming(800, 600, true),
    )
    .unwrap();
    std::fs::write(
        files.join("b.png"),
        common::png_header_claiming(640, 480, true),
    )
    .unwrap();
    std::fs::write(
        files.join("c.png"),
        common::png_header_claiming(320, 200, true),
    )
    .unwrap();
    let text = "Lazy images are everywhere on the modern web and a reader must find them. ";
    let page = format!(
        r#"<!doctype html><html><head><title>Lazy images</title></head><body><article>
        <h1>Lazy images</h1>
        <p>{text}{text}{text}</p>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="first"
             data-srcset="page_files/a-small.png 40w, page_files/a-large.png 800w">
        <p>{text}{text}{text}</p>
        <img class="lazyload" src="https://cdn.example/placeholder.gif" data-src="page_files/b.png" alt="second">
        <p>{text}{text}{text}</p>
        <picture><source type="image/webp" srcset="https://cdn.example/c.webp 1x">
          <source srcset="page_files/c.png 2x"><img src="https://cdn.example/c.jpg" alt="third"></picture>
        <p>{text}{text}{text}</p>
        </article></body></html>"#
    );
    let (shown, article) = imported_images(dir.path(), &page_dir, &page);
    assert_eq!(
        shown,
        [
            ("page_files/a-large.png".to_owned(), true, Value::from(800)),
            ("page_files/b.png".to_owned(), true, Value::from(640)),
            ("page_files/c.png".to_owned(), true, Value::from(320)),
        ],
        "{article}"
    );
}

/// Import `page`, written as `page.html` in `page_dir`, into a library in
/// `dir`: each image of the imported article as (src, stored locally,
/// width), and the article's JSON.
fn imported_images(dir: &Path, page_dir: &Path, page: &str) -> (Vec<(String, bool, Value)>, Value) {
    let path = page_dir.join("page.html");
    std::fs::write(&path, page).unwrap();
    let library = dir.join("lib.folio");
    let report = import(&library, &[&path]);
    assert_eq!(report["imported"], 1, "{report}");
    let article = show(&library, ids(&report)[0]);
    let shown = images(&article)
        .iter()
        .map(|i| {
            (
                i["src"].as_str().unwrap().to_owned(),
                i["local"] == true,
                i["width"].clone(),
            )
        })
        .collect();
    (shown, article)
}

/// A WordPress page saved with its folder names its images only in
/// `data-orig-file` / `data-large-file` (the `src` a placeholder): the folder's
/// files are stored with the article, as for `data-src`.
#[test]
fn a_folder_save_whose_images_are_named_only_by_data_orig_file_stores_them() {
    let dir = tempfile::tempdir().unwrap();
    let page_dir = dir.path().join("save");
    let files = page_dir.join("page_files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(
        files.join("full.png"),
        common::png_header_claiming(900, 600, true),
    )
    .unwrap();
    std::fs::write(
        files.join("large.png"),
        common::png_header_claiming(700, 500, true),
    )
    .unwrap();
    let text = "WordPress keeps the original file of an image in a data attribute of its own. ";
    let page = format!(
        r#"<!doctype html><html><head><title>Orig files</title></head><body><article>
        <h1>Orig files</h1>
        <p>{text}{text}{text}</p>
        <img src="https://cdn.example/placeholder.gif" data-orig-file="page_files/full.png" alt="one">
        <p>{text}{text}{text}</p>
        <img src="https://cdn.example/lazy-placeholder.gif" data-large-file="page_files/large.png" alt="two">
        <p>{text}{text}{text}</p>
        </article></body></html>"#
    );
    let (shown, article) = imported_images(dir.path(), &page_dir, &page);
    assert_eq!(
        shown,
        [
            ("page_files/full.png".to_owned(), true, Value::from(900)),
            ("page_files/large.png".to_owned(), true, Value::from(700)),
        ],
        "{article}"
    );
}

/// Word's "single file web page": the HTML part in GB2312, its image a part
/// at `file:///C:/…/Hey.files/image001.jpg` that the page names relatively.
#[test]
fn a_word_single_file_page_reads_as_chinese_with_its_image_stored() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.folio");
    let report = import(&library, &[&saved("mhtml/word-gb2312-simple.mht")]);
    assert_eq!(report["imported"], 1, "{report}");
    let article = show(&library, ids(&report)[0]);
    let text: Vec<&str> = article["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["text"].as_str())
        .collect();
    assert!(text.contains(&"我只是在测试文件而已（笑）"), "{text:?}");
    assert!(text.contains(&"Hey, I’m zsx!"), "{text:?}");
    let shown = images(&article);
    assert_eq!(shown.len(), 1, "{article}");
    assert_eq!(shown[0]["src"], "Hey.files/image001.jpg");
    assert_eq!(shown[0]["local"], true, "{article}");
    assert_eq!(shown[0]["width"], 199);
    assert_eq!(article["warnings"], Value::Array(vec![]), "{article}");
}

// ---- Safari webarchive ------------------------------------------------------

#[test]
fn safari_webarchives_import_with_their_subresource_images() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.folio");
    let crouton = saved("webarchive/safari-crouton.webarchive");
    let wikipedia = saved("webarchive/safari-wikipedia-mainpage.webarchive");
    let help = saved("webarchive/safari-extractor-help-fileurl.webarchive");
    let report = import(&library, &[&crouton, &help, &wikipedia]);
    assert_eq!(report["imported"], 3, "{report}");
    let [crouton, help, wikipedia] = <[i64; 3]>::try_from(ids(&report)).unwrap();

    // A relative `crouton.png` is the subresource at https://crouton.net/crouton.png.
    let article = show(&library, crouton);
    assert_eq!(article["title"], "Crouton");
    assert_eq!(article["url"], "https://crouton.net/");
    let shown = images(&article);
    assert_eq!(shown.len(), 1, "{article}");
    assert_eq!(
        (&shown[0]["src"], &shown[0]["local"]),
        (&"crouton.png".into(), &true.into())
    );

    // `file:///Screen Shot….png` subresources of a page saved from disk.
    let article = show(&library, help);
    assert!(
        article["blocks"][1]["text"]
            .as_str()
            .unwrap()
            .contains("WebArchive Extractor")
    );
    let shown = images(&article);
    assert!(shown.len() >= 4, "{article}");
    assert!(shown.iter().all(|i| i["local"] == true), "{article}");

    let article = show(&library, wikipedia);
    assert_eq!(article["title"], "Wikipedia, the free encyclopedia");
    assert_eq!(article["url"], "https://en.wikipedia.org/wiki/Main_Page");
    let text = article["blocks"].to_string();
    assert!(text.contains("P. G. Wodehouse"), "{text}");
    let stored = images(&article)
        .iter()
        .filter(|i| i["local"] == true)
        .count();
    assert!(stored >= 3, "{article}");
}

/// A webarchive made as Safari makes one: the page's text re-encoded (here
/// GBK, as the archive says) while its own `<meta charset>` still says
/// UTF-8; its image in a subframe archive.
fn crafted_webarchive(path: &Path) {
    use plist::{Dictionary, Value};
    let resource = |url: &str, mime: &str, data: Vec<u8>, encoding: Option<&str>| {
        let mut d = Dictionary::new();
        d.insert("WebResourceURL".into(), Value::String(url.into()));
        d.insert("WebResourceMIMEType".into(), Value::String(mime.into()));
        d.insert("WebResourceData".into(), Value::Data(data));
        if let Some(e) = encoding {
            d.insert(
                "WebResourceTextEncodingName".into(),
                Value::String(e.into()),
            );
        }
        Value::Dictionary(d)
    };
    let para =
        "<p>大纪元记者报道，这是一段足够长的中文段落，用来测试编码是否按照归档所说的方式解码。</p>";
    let html = format!(
        r#"<html><head><meta charset="utf-8"><title>编码测试</title></head><body><article>
        <h1>编码测试</h1>{para}{para}<img src="frame/pic.png" alt="图">{para}{para}</article></body></html>"#
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&html);
    let mut frame = Dictionary::new();
    frame.insert(
        "WebMainResource".into(),
        resource(
            "https://news.example/a/frame/index.html",
            "text/html",
            b"<p>frame</p>".to_vec(),
            Some("UTF-8"),
        ),
    );
    frame.insert(
        "WebSubresources".into(),
        Value::Array(vec![resource(
            "https://news.example/a/frame/pic.png",
            "image/png",
            common::png_header_claiming(64, 48, true),
            None,
        )]),
    );
    let mut archive = Dictionary::new();
    archive.insert(
        "WebMainResource".into(),
        resource(
            "https://news.example/a/story.html",
            "text/html",
            gbk.into_owned(),
            Some("gbk"),
        ),
    );
    archive.insert(
        "WebSubframeArchives".into(),
        Value::Array(vec![Value::Dictionary(frame)]),
    );
    plist::to_file_binary(path, &Value::Dictionary(archive)).unwrap();
}

/// A webarchive holding more subresources than a page keeps (2,000): the
/// rest are dropped, and the warning says how many.
#[test]
fn a_webarchive_with_too_many_resources_warns_how_many_were_dropped() {
    use plist::{Dictionary, Value};
    let resource = |url: String, data: Vec<u8>| {
        let mut d = Dictionary::new();
        d.insert("WebResourceURL".into(), Value::String(url));
        d.insert(
            "WebResourceMIMEType".into(),
            Value::String("image/png".into()),
        );
        d.insert("WebResourceData".into(), Value::Data(data));
        Value::Dictionary(d)
    };
    let para =
        "<p>An archive with a great many small images, as a gallery page saved by Safari has.</p>";
    let html = format!(
        "<html><head><title>Gallery</title></head><body><article><h1>Gallery</h1>\
         {para}{para}<img src=\"https://gallery.example/i/0.png\">{para}</article></body></html>"
    );
    let mut main = Dictionary::new();
    main.insert(
        "WebResourceURL".into(),
        Value::String("https://gallery.example/a.html".into()),
    );
    main.insert(
        "WebResourceMIMEType".into(),
        Value::String("text/html".into()),
    );
    main.insert("WebResourceData".into(), Value::Data(html.into_bytes()));
    main.insert(
        "WebResourceTextEncodingName".into(),
        Value::String("UTF-8".into()),
    );
    let subresources = (0..2_150)
        .map(|i| resource(format!("https://gallery.example/i/{i}.png"), vec![1, 2, 3]))
        .collect();
    let mut archive = Dictionary::new();
    archive.insert("WebMainResource".into(), Value::Dictionary(main));
    archive.insert("WebSubresources".into(), Value::Array(subresources));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gallery.webarchive");
    plist::to_file_binary(&path, &Value::Dictionary(archive)).unwrap();
    let out = common::folio()
        .args(["extract", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let article: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings: Vec<&str> = article["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("150 of the archive's 2150 resources were dropped")),
        "{warnings:?}"
    );
}

#[test]
fn a_webarchive_is_decoded_as_the_archive_says_and_reads_subframe_resources() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("编码.webarchive");
    crafted_webarchive(&path);
    let library = dir.path().join("lib.folio");
    let report = import(&library, &[&path]);
    assert_eq!(report["imported"], 1, "{report}");
    let article = show(&library, ids(&report)[0]);
    assert_eq!(article["title"], "编码测试");
    assert!(
        article["blocks"].to_string().contains("大纪元记者报道"),
        "{article}"
    );
    let shown = images(&article);
    assert_eq!(shown.len(), 1, "{article}");
    assert_eq!(shown[0]["local"], true, "{article}");
    assert_eq!(shown[0]["width"], 64);
}

// ---- WARC and WACZ ------------------------------------------------------------

fn warc(name: &str) -> PathBuf {
    common::fixtures().join("warc").join(name)
}

/// The two pages of tests/fixtures/warc, as a reader sees them.
fn assert_both_pages(library: &Path, report: &Value) {
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["files"], 1, "{report}");
    let [one, two] = <[i64; 2]>::try_from(ids(report)).unwrap();
    let one = show(library, one);
    assert_eq!(one["title"], "The harbour at dawn");
    assert_eq!(one["url"], "https://coast.example/2024/05/harbour-at-dawn");
    assert_eq!(one["published"], "2024-05-03T06:00:00Z");
    assert_eq!(one["byline"], "Ada Lovelace");
    assert_eq!(one["format"], "warc");
    let shown: Vec<(&str, bool, &str)> = images(&one)
        .iter()
        .map(|i| {
            (
                i["src"].as_str().unwrap(),
                i["local"] == true,
                i["caption"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        shown[..2],
        [
            (
                "images/boats.png",
                true,
                "Boats coming in at five in the morning."
            ),
            // Followed through the archive's 301 to /images/redirected.png.
            ("photo-old.png", true, "The market hall, moved in 1998."),
        ],
        "{one}"
    );
    assert!(!shown[2].1, "{one}");
    let warnings = one["warnings"].to_string();
    assert!(
        warnings.contains("the archive lacks 1 image(s) the page shows: http://127.0.0.1:")
            && warnings.contains("/images/missing.jpg"),
        "{warnings}"
    );
    let two = show(library, two);
    assert_eq!(two["title"], "Orchards in the valley");
    assert!(
        two["blocks"].to_string().contains("count the frost nights"),
        "{two}"
    );
    // The largest srcset candidate the archive holds.
    let first = images(&two)[0].clone();
    assert_eq!(
        (&first["local"], &first["width"]),
        (&true.into(), &600.into()),
        "{two}"
    );
}

#[test]
fn a_wget_warc_becomes_one_article_per_page_with_its_images() {
    for name in ["site.warc.gz", "site.warc", "site.wacz"] {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("lib.folio");
        let report = import(&library, &[&warc(name)]);
        assert_both_pages(&library, &report);
        // Importing the archive again finds both pages already there.
        let again = import(&library, &[&warc(name)]);
        assert_eq!(
            (&again["imported"], &again["duplicates"]),
            (&0.into(), &2.into()),
            "{name}: {again}"
        );
    }
}

/// A WARC/1.1 copy whose second page's payload is gzip-encoded and whose last
/// record (an image of that page) is cut in the middle.
#[test]
fn a_cut_archive_with_a_gzip_payload_keeps_what_came_before_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.folio");
    let report = import(&library, &[&warc("site-edited.warc.gz")]);
    assert_eq!(report["imported"], 2, "{report}");
    let two = show(&library, ids(&report)[1]);
    assert_eq!(two["title"], "Orchards in the valley");
    assert!(
        two["blocks"].to_string().contains("count the frost nights"),
        "{two}"
    );
    // The archive's own warnings are kept once, with its first page; the
    // other pages say where they are.
    let warnings = two["warnings"].to_string();
    assert!(
        warnings.contains("has 1 warning(s), kept with its first page"),
        "{warnings}"
    );
    assert!(warnings.contains("/images/late.png"), "{warnings}");
    let one = show(&library, ids(&report)[0])["warnings"].to_string();
    assert!(one.contains("the archive was cut short"), "{one}");
    let shown = images(&two);
    assert_eq!(
        (&shown[0]["local"], &shown[1]["local"]),
        (&true.into(), &false.into())
    );
}

/// Re-extraction reads the stored page and its stored images again.
#[test]
fn a_page_from_an_archive_reextracts_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.folio");
    let report = import(&library, &[&warc("site.warc.gz")]);
    let id = ids(&report)[0];
    let before = show(&library, id);
    let out = common::folio_on(&library, &["reextract", "--all"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = show(&library, id);
    assert_eq!(before["blocks"], after["blocks"]);
    assert_eq!(before["url"], after["url"]);
    assert_eq!(before["title"], after["title"]);
}

// ---- not a page; lead images ------------------------------------------------

/// A folder holding a README and notes beside a mirror page: the page is
/// imported, the text files are skipped with the reason (not failures).
#[test]
fn a_readme_beside_the_pages_is_skipped_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::copy(common::seed_path(), pages.join("seed.txt")).unwrap();
    std::fs::write(
        pages.join("README.md"),
        "# mirror-variants/\n\nMore pages of the seed's mirror family, from three repositories \
         other than the first: nine kinds of source site and wrapper, `<div class=\"caption\">`.\n",
    )
    .unwrap();
    std::fs::write(pages.join("notes.txt"), "Remember to read these.\n").unwrap();
    let library = dir.path().join("lib.folio");
    let report = import(&library, &[&pages]);
    assert_eq!(report["imported"], 1, "{report}");
    assert_eq!(report["failed"], Value::Array(vec![]), "{report}");
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2, "{report}");
    for entry in skipped {
        assert!(
            entry["reason"]
                .as_str()
                .unwrap()
                .contains("it is a text file, neither a saved web page nor a mirror page"),
            "{entry}"
        );
    }
    // The text report names them too, and the import succeeds.
    let out = common::folio_on(&library, &["import", &pages.display().to_string()]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("skipped: ") && text.contains("README.md"),
        "{text}"
    );
}

/// A complete save whose og:image the page never shows: the body's own
/// stored images, and no "not stored" card above them.
#[test]
fn a_metadata_image_is_not_added_above_a_body_with_images() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.folio");
    let page = common::fixtures().join("formats/complete/r-keep-images/r-keep-images.html");
    let report = import(&library, &[&page]);
    let article = show(&library, ids(&report)[0]);
    assert_eq!(article["title"], "Inside the Deep Web Drug Lab");
    let shown = images(&article);
    assert!(!shown.is_empty());
    let remote: Vec<&Value> = shown
        .iter()
        .filter(|i| i["local"] != true)
        .copied()
        .collect();
    assert!(remote.is_empty(), "{remote:?}");
    assert!(
        !article["blocks"].to_string().contains("cloudfront.net"),
        "{article}"
    );
}

/// A page with no image of its own gets its metadata image, once.
#[test]
fn a_metadata_image_leads_a_body_without_images_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = "A body without any image of its own, long enough to be the article. ";
    let page = format!(
        r#"<!doctype html><html><head><title>Lead</title>
        <meta property="og:image" content="https://news.example/lead.jpg">
        <script type="application/ld+json">{{"@type":"NewsArticle","headline":"Lead","image":"https://news.example/lead.jpg"}}</script>
        </head><body><article><h1>Lead</h1><p>{}</p><p>{}</p></article></body></html>"#,
        text.repeat(4),
        text.repeat(4)
    );
    let path = dir.path().join("lead.html");
    std::fs::write(&path, page).unwrap();
    let library = dir.path().join("lib.folio");
    let report = import(&library, &[&path]);
    let article = show(&library, ids(&report)[0]);
    let shown = images(&article);
    assert_eq!(shown.len(), 1, "{article}");
    assert_eq!(shown[0]["src"], "https://news.example/lead.jpg");
}

// ---- better copies win --------------------------------------------------------

fn run_ok(library: &Path, args: &[&str]) -> String {
    let out = common::folio_on(library, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The mirror copy of a Minghui article is in the library, tagged, with a
/// note, a highlight and read; then the complete save of the same article
/// (its five photos in `m-minghui_files/`) is imported: it replaces the
/// mirror copy, and the reader keeps what they added.
#[test]
fn a_complete_save_upgrades_the_mirror_copy_keeping_tags_note_highlights_and_state() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("lib.folio");
    let mirror = common::fixtures().join("mirror/140-336623.md");
    let complete = common::fixtures().join("formats/complete/m-minghui/m-minghui.html");
    let first = import(&library, &[&mirror]);
    let id = ids(&first)[0];
    let before = show(&library, id);
    assert!(images(&before).iter().all(|i| i["local"] != true));
    run_ok(&library, &["tag", "add", &id.to_string(), "人权"]);
    run_ok(
        &library,
        &["note", &id.to_string(), "--set", "议会提案的例子"],
    );
    run_ok(&library, &["mark", &id.to_string(), "--read"]);
    run_ok(&library, &["mark", &id.to_string(), "--star"]);
    let quote = "台湾第十四个地方议会通过提案";
    run_ok(
        &library,
        &["highlight", "add", &id.to_string(), "--quote", quote],
    );

    let report = import(&library, &[&complete]);
    assert_eq!(report["imported"], 0, "{report}");
    assert_eq!(report["duplicates"], 0, "{report}");
    assert_eq!(
        report["upgraded"],
        serde_json::json!([{"file": complete.display().to_string(), "id": id}]),
        "{report}"
    );
    let after = show(&library, id);
    assert_eq!(after["format"], "html_with_folder");
    assert_eq!(after["title"], "新北市议会通过提案 声援中国民众控告江泽民");
    let shown = images(&after);
    assert_eq!(shown.len(), 5, "{after}");
    assert!(shown.iter().all(|i| i["local"] == true), "{after}");
    assert_eq!(after["tags"], serde_json::json!(["人权"]));
    assert_eq!(after["note"], "议会提案的例子");
    assert_eq!(
        (&after["read"], &after["starred"]),
        (&true.into(), &true.into())
    );
    let highlights = after["highlights"].as_array().unwrap();
    assert_eq!(highlights.len(), 1, "{after}");
    assert!(highlights[0].to_string().contains(quote), "{after}");
    assert_eq!(
        run_ok(&library, &["list", "--json"])
            .matches("\"id\"")
            .count(),
        1
    );

    // The mirror copy again is poorer: a duplicate, named with the article's id.
    let again = import(&library, &[&mirror]);
    assert_eq!(again["duplicates"], 1, "{again}");
    assert_eq!(
        again["duplicate_of"],
        serde_json::json!([{"file": mirror.display().to_string(), "id": id}])
    );
    let text = run_ok(&library, &["import", &mirror.display().to_string()]);
    assert!(
        text.contains(&format!("duplicate: {} is article {id}", mirror.display())),
        "{text}"
    );
    assert_eq!(show(&library, id)["format"], "html_with_folder");
}

/// `folio extract` reads every page of a web archive, and prints the files'
/// articles in the order given although it extracts them on every core.
#[test]
fn extract_prints_every_page_of_an_archive_in_the_order_given() {
    let files = [
        warc("site.warc.gz"),
        common::seed_path(),
        saved("webarchive/safari-crouton.webarchive"),
    ];
    let out = common::folio()
        .arg("extract")
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let titles: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# ")).collect();
    assert_eq!(
        titles,
        [
            "The harbour at dawn",
            "Orchards in the valley",
            "小米11系列屡曝质量问题 售后新政引不满",
            "Crouton"
        ]
    );
}

/// Archives that are not what their names say fail alone with a reason.
#[test]
fn broken_archives_fail_alone_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::copy(common::seed_path(), pages.join("seed.txt")).unwrap();
    let noise: Vec<u8> = (0..40_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(pages.join("noise.warc"), &noise).unwrap();
    std::fs::write(
        pages.join("noise.warc.gz"),
        [&b"\x1f\x8b\x08\x00"[..], &noise].concat(),
    )
    .unwrap();
    std::fs::write(pages.join("text.wacz"), "not a zip at all").unwrap();
    let library = dir.path().join("lib.folio");
    let report = json_of(
        &library,
        &["import", "--json", &pages.display().to_string()],
        1,
    );
    assert_eq!(report["imported"], 1, "{report}");
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 3, "{report}");
    for entry in failed {
        let reason = entry["reason"].as_str().unwrap();
        assert!(
            reason.contains("holds no HTML page") || reason.contains("unreadable web archive"),
            "{reason}"
        );
    }
}

/// An MHTML page with more image parts than a page keeps says how many were
/// dropped; a part named both by its location and by its `Content-ID` is
/// one resource, found either way, and counts once.
#[test]
fn an_mhtml_with_too_many_resources_warns_how_many_were_dropped() {
    // A 1×1 PNG, base64.
    const PNG_1X1: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    let para = "<p>A gallery saved by Chrome as one file, with a great many small images.</p>";
    let html = format!(
        "<html><head><title>Gallery</title></head><body><article><h1>Gallery</h1>\
         {para}{para}<img src=\"https://gallery.example/i/0.png\">\
         <img src=\"cid:img1@gallery\">{para}</article></body></html>"
    );
    let mut mhtml = String::from(
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://gallery.example/a.html\r\n\
         Subject: Gallery\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\
         \ttype=\"text/html\";\r\n\tboundary=\"B\"\r\n\r\n",
    );
    mhtml.push_str(&format!(
        "--B\r\nContent-Type: text/html\r\nContent-Location: https://gallery.example/a.html\r\n\r\n{html}\r\n"
    ));
    for i in 0..2_150 {
        mhtml.push_str(&format!(
            "--B\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\
             Content-ID: <img{i}@gallery>\r\nContent-Location: https://gallery.example/i/{i}.png\r\n\r\n{PNG_1X1}\r\n"
        ));
    }
    mhtml.push_str("--B--\r\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gallery.mhtml");
    std::fs::write(&path, mhtml).unwrap();
    let out = common::folio()
        .args(["extract", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let article: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings: Vec<&str> = article["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("150 of the archive's 2150 resources were dropped")),
        "{warnings:?}"
    );
    // Both images are in the archive: one found by its address, one by its
    // `cid:`.
    let local: Vec<bool> = images(&article)
        .iter()
        .map(|i| i["local"] == true)
        .collect();
    assert_eq!(local, [true, true], "{article}");
}

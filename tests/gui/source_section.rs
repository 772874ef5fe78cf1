//! Issue 24, provenance: the inspector's Source section says what the
//! original is (its kind, size and SHA-256, which Copy puts on the
//! clipboard), when the page was captured and from what, and the warnings
//! of reading it grouped into one line per kind, the files listed under it.

use super::*;
use sha2::Digest as _;

/// 2019-06-03T07:00:02Z
const JUNE_2019: u64 = 1_559_545_202;

/// A page saved with its `_files/` folder (a real photo in it) that links
/// seventeen stylesheets outside its folder, as a page saved from a site's
/// subfolder does; its file time is June 2019.
fn saved_page(dir: &Path) -> PathBuf {
    let folder = dir.join("saved");
    std::fs::create_dir_all(folder.join("harbour_files")).unwrap();
    std::fs::copy(
        common::fixtures().join("formats/complete/m-epoch/m-epoch_files/p1.jpg"),
        folder.join("harbour_files/p1.jpg"),
    )
    .unwrap();
    let links: String = (0..17)
        .map(|i| format!("<link rel=\"stylesheet\" href=\"../css/s{i}.css\">"))
        .collect();
    let page = folder.join("harbour.html");
    std::fs::write(
        &page,
        format!(
            "<!DOCTYPE html><html><head><title>Harbour report</title>{links}</head><body>\
             <article><h1>Harbour report</h1>\
             <p>The harbour at dawn was quiet, and the fishing boats came back before seven \
             with a good catch of mackerel and herring for the morning market.</p>\
             <img src=\"harbour_files/p1.jpg\" alt=\"Boats\">\
             <p>Folk at the market said the season had been the best in ten years, and prices \
             had fallen for the first time since the spring storms closed the harbour.</p>\
             </article></body></html>"
        ),
    )
    .unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&page).unwrap();
    file.set_modified(std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(JUNE_2019))
        .unwrap();
    page
}

#[test]
fn the_source_section_shows_the_capture_the_sha256_with_copy_and_grouped_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let page = saved_page(dir.path());
    let sha256 = format!("{:x}", sha2::Sha256::digest(std::fs::read(&page).unwrap()));
    let path = library_at(&dir.path().join("test.folio"), &[page]);
    let mut harness = app(&path);
    wait_for(&mut harness, "the list", |h| {
        h.query_by_label("Harbour report").is_some()
    });
    harness.get_by_label("Harbour report").click();
    wait_for(&mut harness, "the Source section", |h| {
        h.query_by_label("SHA-256").is_some()
    });
    // What the original is.
    assert!(harness.query_by_label("harbour.html").is_some());
    assert!(
        harness
            .query_by_label("web page with its files folder")
            .is_some()
    );
    assert!(harness.query_by_label_contains(" KB").is_some());
    // When it was captured, and that a file time may not be the capture.
    assert!(harness.query_by_label("2019-06-03 07:00:02 UTC").is_some());
    assert!(
        harness
            .query_by_label("from the file's time — may be when it was copied, not captured")
            .is_some()
    );
    // The SHA-256, shortened, and copied whole.
    assert!(
        harness
            .query_by_label(&format!("{}…", &sha256[..16]))
            .is_some()
    );
    harness.get_by_label("Copy").click();
    assert_eq!(copied(&mut harness).as_deref(), Some(sha256.as_str()));
    // Seventeen refusals are one line, their files under an expander.
    let summary = "• 17 files outside the page's folder were not read";
    assert!(harness.query_by_label_contains(summary).is_some());
    assert!(harness.query_by_label_contains("refused to read").is_none());
    assert!(harness.query_by_label("../css/s16.css").is_none());
    harness.get_by_label("List them (17)").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("../css/s0.css").is_some());
    assert!(harness.query_by_label("../css/s16.css").is_some());
}

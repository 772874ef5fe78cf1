//! Issue 21, the library's side: hostile copies of an article never lose
//! the stored one, the trash gives back what is imported again, and tags,
//! collections, `exact:` and highlights stay bounded and consistent. Every
//! hostile input is made here, at test time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use folio::library::{ArticleId, ImportOptions, ImportReport, Library};

const STORY_URL: &str = "https://news.example.com/story";

/// The real report: five paragraphs about one event.
const REPORT: [&str; 5] = [
    "The river burst its banks early on Tuesday morning, flooding the lower town and forcing \
     more than two thousand residents to leave their homes before dawn.",
    "Emergency crews worked through the night to reinforce the old stone levee near the mill, \
     but the water rose faster than forecasters had expected after three days of rain.",
    "The mayor said the council would open the school gymnasium and the library as shelters, \
     and asked volunteers with boats to report to the fire station on Mill Street.",
    "Farmers upstream reported that several fields of wheat were lost, and the regional \
     authority warned that the bridge on the northern road would stay closed until Friday.",
    "Officials expect the water to recede by the weekend, when engineers will inspect the \
     damage to the levee and decide whether the lower town can be rebuilt where it stands.",
];

/// Unrelated text of about the same length: a page that moved.
const JUNK: [&str; 5] = [
    "This page has moved. Our new website brings you a better experience on every device, \
     with personalised recommendations chosen for you by our editors every single day.",
    "Subscribe today to continue reading. Members enjoy unlimited access to our journalism, \
     exclusive newsletters, puzzles, recipes and a weekly digest delivered to your inbox.",
    "Already a subscriber? Sign in with your account to pick up where you left off, or reset \
     your password if you have forgotten it. Support is available around the clock.",
    "Cookies help us improve our services. By continuing to browse you agree to our policy, \
     which you can review at any time from the settings menu at the bottom of the page.",
    "Download our app for the fastest way to stay informed, with offline reading, dark mode, \
     audio versions of selected stories and alerts you can tailor to your own interests.",
];

fn png(side: u32, shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(side, side, |x, y| {
        image::Rgb([shade, (x * 7 % 256) as u8, (y * 13 % 256) as u8])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A saved page at `folder/index.html` claiming `url`, with `paragraphs` and
/// one image per entry of `images` (side, shade) stored beside it.
fn save_page(
    folder: &Path,
    title: &str,
    url: &str,
    paragraphs: &[&str],
    images: &[(u32, u8)],
) -> PathBuf {
    std::fs::create_dir_all(folder).unwrap();
    let mut body = String::new();
    for (i, p) in paragraphs.iter().enumerate() {
        body.push_str(&format!("<p>{p}</p>\n"));
        if let Some(&(side, shade)) = images.get(i) {
            let name = format!("photo{i}.png");
            std::fs::write(folder.join(&name), png(side, shade)).unwrap();
            body.push_str(&format!(
                "<figure><img src=\"{name}\" width=\"{side}\" height=\"{side}\" alt=\"photo {i}\">\
                 <figcaption>Photo {i}</figcaption></figure>\n"
            ));
        }
    }
    for (i, &(side, shade)) in images.iter().enumerate().skip(paragraphs.len()) {
        let name = format!("photo{i}.png");
        std::fs::write(folder.join(&name), png(side, shade)).unwrap();
        body.push_str(&format!(
            "<figure><img src=\"{name}\" width=\"{side}\" height=\"{side}\" alt=\"photo {i}\"></figure>\n"
        ));
    }
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"canonical\" href=\"{url}\"></head><body><article><h1>{title}</h1>\n{body}\
         </article></body></html>"
    );
    let path = folder.join("index.html");
    std::fs::write(&path, html).unwrap();
    path
}

fn import(lib: &mut Library, path: &Path) -> ImportReport {
    lib.import_paths(
        &[path.to_owned()],
        &ImportOptions::default(),
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

fn body_text(lib: &Library, id: ArticleId) -> String {
    lib.canonical_text(id).unwrap().text
}

/// The original article, tagged, noted and highlighted.
fn stored_story(lib: &mut Library, dir: &Path) -> (ArticleId, String) {
    let first = save_page(
        &dir.join("first"),
        "River floods the lower town",
        STORY_URL,
        &REPORT,
        &[(64, 10), (64, 90), (64, 200)],
    );
    let report = import(lib, &first);
    assert_eq!(report.imported, 1, "{report:?}");
    let id = report.ids[0];
    lib.add_tags(id, &["floods"]).unwrap();
    lib.set_note(id, "the levee story").unwrap();
    let text = body_text(lib, id);
    let sentence = "the water rose faster than forecasters had expected";
    let start = text.find(sentence).unwrap();
    let start = text[..start].chars().count();
    lib.add_highlight(
        id,
        start..start + sentence.chars().count(),
        folio::library::Colour::default(),
        "",
    )
    .unwrap();
    (id, text)
}

/// Fault 1: another file claiming the same address, with four tiny images
/// and unrelated text of similar length, used to be "a richer copy" that
/// replaced the article, its photos and its original for good. It is now a
/// separate article, said so; the first keeps everything.
#[test]
fn a_different_page_at_the_same_address_never_replaces_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let (id, text) = stored_story(&mut lib, dir.path());
    let original = lib.original(id).unwrap().1;
    let junk = save_page(
        &dir.path().join("junk"),
        "River floods the lower town",
        STORY_URL,
        &JUNK,
        &[(8, 1), (8, 2), (8, 3), (8, 4)],
    );
    let report = import(&mut lib, &junk);
    assert!(report.upgraded.is_empty(), "{report:?}");
    assert_eq!(report.imported, 1, "{report:?}");
    assert_eq!(report.separate.len(), 1, "{report:?}");
    let (_, new_id, same_as) = &report.separate[0];
    assert_eq!(*same_as, id);
    assert_ne!(*new_id, id);
    // The first article is untouched: text, photos, original, tag, note, highlight.
    assert_eq!(body_text(&lib, id), text);
    let stored = lib.article(id).unwrap();
    assert_eq!(stored.image_sha256.iter().flatten().count(), 3);
    assert_eq!(lib.original(id).unwrap().1, original);
    assert_eq!(stored.tags, vec!["floods".to_owned()]);
    assert_eq!(lib.note(id).unwrap().as_deref(), Some("the levee story"));
    let highlights = lib.highlights(Some(&[id])).unwrap();
    assert_eq!(highlights.len(), 1);
    assert!(!highlights[0].orphan);
    // The junk is its own article, with nothing of the first's.
    assert!(lib.article(*new_id).unwrap().tags.is_empty());
    // Importing the junk again finds it, not the story.
    let again = import(&mut lib, &junk);
    assert_eq!(again.duplicate_of.len(), 1, "{again:?}");
    assert_eq!(again.duplicate_of[0].1, *new_id);
    assert!(lib.check().unwrap().is_empty());
}

/// Fault 1: a richer copy of the same text may become the copy shown, but
/// the earlier copy (its original, resources, body and image links) is kept
/// in the library, and exported with the article.
#[test]
fn a_richer_copy_keeps_the_earlier_copy_in_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let (id, _) = stored_story(&mut lib, dir.path());
    let images_before = lib.stats().unwrap().images;
    let mut longer: Vec<&str> = REPORT.to_vec();
    longer.push(
        "Late on Thursday the regional authority confirmed that nobody had been hurt, and thanked \
         the volunteers who had carried elderly residents from the flooded streets by boat.",
    );
    let richer = save_page(
        &dir.path().join("richer"),
        "River floods the lower town",
        STORY_URL,
        &longer,
        &[(96, 11), (96, 91), (96, 201), (96, 150)],
    );
    let report = import(&mut lib, &richer);
    assert_eq!(report.upgraded.len(), 1, "{report:?}");
    assert_eq!(report.upgraded[0].1, id);
    assert!(body_text(&lib, id).contains("nobody had been hurt"));
    let stats = lib.stats().unwrap();
    assert_eq!(stats.kept_copies, 1);
    // The earlier copy's three photos are still stored beside the four new ones.
    assert_eq!(stats.images, images_before + 4);
    assert!(!lib.highlights(Some(&[id])).unwrap()[0].orphan);
    assert_eq!(lib.note(id).unwrap().as_deref(), Some("the levee story"));
    assert!(lib.check().unwrap().is_empty());
    // Importing either copy again adds nothing.
    import(&mut lib, &richer);
    assert_eq!(lib.stats().unwrap().kept_copies, 1);
    // An export carries the kept copy and its images.
    let out = dir.path().join("out.folio");
    lib.export_sqlite(&folio::library::ExportJob::new(&[id], &out, false))
        .unwrap();
    let exported = Library::open(&out).unwrap();
    let exported_stats = exported.stats().unwrap();
    assert_eq!(exported_stats.kept_copies, 1);
    assert_eq!(exported_stats.images, images_before + 4);
    assert!(exported.check().unwrap().is_empty());
    // Emptying the trash is the one way a kept copy goes, with its images.
    lib.trash(id).unwrap();
    lib.empty_trash().unwrap();
    let after = lib.stats().unwrap();
    assert_eq!((after.kept_copies, after.images), (0, 0));
    assert!(lib.check().unwrap().is_empty());
}

/// Fault 2: importing an article that is in the trash brings it back and
/// says so, instead of a duplicate that emptying the trash then deletes.
#[test]
fn importing_a_trashed_article_again_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let (id, _) = stored_story(&mut lib, dir.path());
    lib.trash(id).unwrap();
    let report = import(&mut lib, &dir.path().join("first/index.html"));
    assert_eq!(report.restored.len(), 1, "{report:?}");
    assert_eq!(report.restored[0].1, id);
    assert_eq!(lib.empty_trash().unwrap(), 0);
    assert!(lib.article(id).unwrap().deleted_at.is_none());
    assert_eq!(lib.note(id).unwrap().as_deref(), Some("the levee story"));

    // A richer copy into a trashed article restores it too.
    lib.trash(id).unwrap();
    let mut longer: Vec<&str> = REPORT.to_vec();
    longer.push("A sixth paragraph says that the school reopened on Monday after the water left.");
    let richer = save_page(
        &dir.path().join("richer"),
        "River floods the lower town",
        STORY_URL,
        &longer,
        &[(64, 10), (64, 90), (64, 200), (64, 33)],
    );
    let report = import(&mut lib, &richer);
    assert_eq!(report.restored.len(), 1, "{report:?}");
    assert_eq!(report.upgraded.len(), 1, "{report:?}");
    assert_eq!(lib.empty_trash().unwrap(), 0);
    assert!(lib.article(id).unwrap().deleted_at.is_none());
    assert!(lib.check().unwrap().is_empty());
}

/// Fault 2, merge: a library holding the article live, merged into one
/// where it is in the trash, brings it back.
#[test]
fn merging_a_live_copy_of_a_trashed_article_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let other_path = dir.path().join("other.folio");
    {
        let mut other = Library::open(&other_path).unwrap();
        stored_story(&mut other, &dir.path().join("o"));
    }
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let (id, _) = stored_story(&mut lib, dir.path());
    lib.trash(id).unwrap();
    let report = lib
        .merge_from(&other_path, &|_| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(report.restored, 1, "{report:?}");
    assert_eq!(lib.empty_trash().unwrap(), 0);
    assert!(lib.article(id).unwrap().deleted_at.is_none());
}

//! Issue 21, the library's side: hostile copies of an article never lose
//! the stored one, the trash gives back what is imported again, and tags,
//! collections, `exact:` and highlights stay bounded and consistent. Every
//! hostile input is made here, at test time.

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
    folio::export::export_sqlite(&lib, &folio::library::ExportJob::new(&[id], &out, false))
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

/// The live count of collection `name`, or its error.
fn collection_count(lib: &Library, name: &str) -> Result<u64, String> {
    let c = lib
        .collection_counts()
        .unwrap()
        .into_iter()
        .find(|c| c.collection.name == name)
        .unwrap();
    c.count.ok_or_else(|| c.error.unwrap_or_default())
}

/// Fault 13: renaming a collection whose references could not be rewritten
/// (a query past 1,000 characters) used to skip them silently; a name with
/// `"` broke it. Both are refused now, saying which collections, and
/// nothing changes.
#[test]
fn renaming_a_collection_never_silently_breaks_another() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let (id, _) = stored_story(&mut lib, dir.path());
    lib.save_collection("rivers", "river").unwrap();
    // About 960 characters in 60 terms: room for a short new name, not a
    // long one.
    let mut long = "collection:rivers".to_owned();
    for i in 0.. {
        let word = format!(" -nothing{i:07}");
        if long.len() + word.len() > 960 {
            break;
        }
        long.push_str(&word);
    }
    lib.save_collection("long", &long).unwrap();
    lib.save_collection("short", "collection:rivers levee")
        .unwrap();
    assert_eq!(collection_count(&lib, "long"), Ok(1));
    let err = lib
        .rename_collection("rivers", &"a very long new name for rivers ".repeat(2))
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"long\"") && err.contains("1000"), "{err}");
    // Nothing was renamed: every collection still counts its article.
    for name in ["rivers", "long", "short"] {
        assert_eq!(collection_count(&lib, name), Ok(1), "{name}");
    }
    // A name with a double quote cannot be written in a query.
    let err = lib
        .rename_collection("rivers", "say \"rivers\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("double quote"), "{err}");
    // A rename that fits is followed, quoted.
    lib.rename_collection("rivers", "big rivers").unwrap();
    assert_eq!(collection_count(&lib, "short"), Ok(1));
    assert_eq!(collection_count(&lib, "long"), Ok(1));
    assert_eq!(
        lib.collections()
            .unwrap()
            .into_iter()
            .find(|c| c.name == "short")
            .unwrap()
            .query,
        "collection:\"big rivers\" levee"
    );
    let _ = id;
}

/// Fault 13: renaming or merging a tag left the collections naming it
/// counting 0. They follow the tag now (children too), or the rename is
/// refused, naming them.
#[test]
fn collections_follow_tag_renames_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let (id, _) = stored_story(&mut lib, dir.path());
    lib.add_tags(id, &["floods/2026"]).unwrap();
    lib.save_collection("Floods", "tag:floods").unwrap();
    lib.save_collection("This year", "-tag:other tag: floods/2026")
        .unwrap();
    lib.rename_tag("floods", "weather events").unwrap();
    assert_eq!(collection_count(&lib, "Floods"), Ok(1));
    assert_eq!(collection_count(&lib, "This year"), Ok(1));
    let queries: Vec<String> = lib
        .collections()
        .unwrap()
        .into_iter()
        .map(|c| c.query)
        .collect();
    assert!(
        queries.contains(&"tag:\"weather events\"".to_owned()),
        "{queries:?}"
    );
    assert!(
        queries.contains(&"-tag:other tag:\"weather events/2026\"".to_owned()),
        "{queries:?}"
    );
    // Merged into an existing tag.
    lib.add_tags(id, &["water"]).unwrap();
    lib.rename_tag("weather events", "water").unwrap();
    assert_eq!(collection_count(&lib, "Floods"), Ok(1));
    assert_eq!(collection_count(&lib, "This year"), Ok(1));
    // A name a query cannot write: refused, naming the collections.
    let err = lib
        .rename_tag("water", "\"water\"")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"Floods\"") && err.contains("This year"),
        "{err}"
    );
    assert_eq!(collection_count(&lib, "Floods"), Ok(1));
}

/// Fault 12: `exact:` searched a body's JSON, so a link's address matched;
/// it searches the text a reader sees now. And it is bounded: a term limit,
/// each body decoded once per query.
#[test]
fn exact_searches_the_text_a_reader_sees_and_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let folder = dir.path().join("shenyun");
    std::fs::create_dir_all(&folder).unwrap();
    let html = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
        <title>神韵演出</title></head><body><article><h1>神韵演出</h1>\
        <p>神韵艺术团今年在纽约演出，观众说演出非常精彩，许多人专程从外地赶来观看。\
        <a href=\"https://zh.wikipedia.org/wiki/神韻藝術團\">维基百科</a></p>\
        <p>演出结束后，观众们久久不愿离去，纷纷表示明年还会再来观看神韵的新节目。</p>\
        </article></body></html>";
    std::fs::write(folder.join("index.html"), html).unwrap();
    let report = import(&mut lib, &folder.join("index.html"));
    assert_eq!(report.imported, 1, "{report:?}");
    assert_eq!(lib.count(Some("神韵")).unwrap(), 1);
    assert_eq!(lib.count(Some("exact:神韵")).unwrap(), 1);
    assert_eq!(
        lib.count(Some("exact:神韻")).unwrap(),
        0,
        "the Traditional form is only in the link's address"
    );
    // Too many exact: terms are refused, with the limit said.
    let terms: Vec<String> = (0..=folio::library::MAX_EXACT_TERMS)
        .map(|i| format!("exact:神韵{i}"))
        .collect();
    let err = lib.count(Some(&terms.join(" "))).unwrap_err().to_string();
    assert!(
        err.contains(&folio::library::MAX_EXACT_TERMS.to_string()),
        "{err}"
    );
}

/// Fault 8: a tag 3,000 levels deep made the tag tree cubic (122 s, 559 MB).
/// `tag add` and rename refuse a tag past the limits, merge reports it, and
/// a deep tag already stored is shown within the depth limit.
#[test]
fn a_tag_thousands_of_levels_deep_is_refused_and_the_tree_stays_small() {
    use folio::library::{MAX_TAG_CHARS, MAX_TAG_DEPTH};
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let (id, _) = stored_story(&mut lib, dir.path());
    let deep = vec!["a"; 3000].join("/");
    let err = lib.add_tags(id, &[&deep]).unwrap_err().to_string();
    assert!(err.contains(&MAX_TAG_CHARS.to_string()), "{err}");
    let deep17 = vec!["a"; MAX_TAG_DEPTH + 1].join("/");
    let err = lib.add_tags(id, &[&deep17]).unwrap_err().to_string();
    assert!(err.contains(&MAX_TAG_DEPTH.to_string()), "{err}");
    let long = "x".repeat(MAX_TAG_CHARS + 1);
    assert!(lib.add_tags(id, &[&long]).is_err());
    // At the limits it is fine; renaming its top deeper would pass them.
    let at_limit = vec!["b"; MAX_TAG_DEPTH].join("/");
    lib.add_tags(id, &[&at_limit]).unwrap();
    let err = lib.rename_tag("b", "c/b").unwrap_err().to_string();
    assert!(err.contains(&MAX_TAG_DEPTH.to_string()), "{err}");
    // A merged library holding the deep tag (written by an older Folio):
    // the tag is refused and reported, the article merged.
    let other_path = dir.path().join("other.folio");
    {
        let mut other = Library::open(&other_path).unwrap();
        let (oid, _) = stored_story(&mut other, &dir.path().join("o"));
        drop(other);
        let conn = rusqlite::Connection::open(&other_path).unwrap();
        conn.execute("INSERT INTO tags (name) VALUES (?1)", [&deep])
            .unwrap();
        conn.execute(
            "INSERT INTO article_tags (article_id, tag_id) VALUES (?1, last_insert_rowid())",
            [oid.0],
        )
        .unwrap();
    }
    let report = lib
        .merge_from(&other_path, &|_| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(report.tags_refused, vec![deep.clone()]);
    // A deep tag stored before the limits: the tree has at most
    // MAX_TAG_DEPTH nodes for it, and the 3,000 levels cost no more.
    {
        let conn = rusqlite::Connection::open(dir.path().join("lib.folio")).unwrap();
        conn.execute("INSERT INTO tags (name) VALUES (?1)", [&deep])
            .unwrap();
    }
    let lib = Library::open(&dir.path().join("lib.folio")).unwrap();
    let tree = lib.tag_tree().unwrap();
    let deep_nodes = tree.iter().filter(|n| n.name.starts_with("a")).count();
    assert_eq!(deep_nodes, MAX_TAG_DEPTH, "{}", tree.len());
    assert!(tree.iter().all(|n| n.depth < MAX_TAG_DEPTH));
}

/// Runs `work` on its own thread and fails the test if it runs away (the
/// bound is far above what the work takes even unoptimised and loaded; it
/// stops a quadratic search, which took hours there, not a slow machine).
fn bounded<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(work()));
    rx.recv_timeout(std::time::Duration::from_secs(240))
        .unwrap_or_else(|_| panic!("{what} ran away"))
}

/// A night's paragraph, with "frost" five times: the word the highlights
/// are made on. `edit` words its verbs otherwise (another copy of the page).
fn frost_paragraph(n: usize, edit: bool) -> String {
    let (came, stayed) = if edit {
        ("returned", "lingered")
    } else {
        ("came", "stayed")
    };
    format!(
        "On night {n} the frost {came} again over the valley; the frost {stayed} on the \
         fields, frost on the roofs, frost on the river stones, and the old farmer counted \
         frost number {n} in his book."
    )
}

/// Fault 7: re-anchoring thousands of highlights on a word that occurs
/// thousands of times was quadratic (2,000 highlights: 117 s; with every
/// passage edited, 7 s more) with the write lock held. An update of the
/// page re-anchors all of them, each to its own occurrence, in bounded
/// time; none is lost.
#[test]
fn thousands_of_highlights_on_one_word_reanchor_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib.folio");
    let mut lib = Library::open(&path).unwrap();
    let nights = 400;
    let first: Vec<String> = (0..nights).map(|n| frost_paragraph(n, false)).collect();
    let first: Vec<&str> = first.iter().map(String::as_str).collect();
    let page = save_page(&dir.path().join("first"), "Frost", STORY_URL, &first, &[]);
    let id = import(&mut lib, &page).ids[0];
    // A highlight on every "frost": 2,000 of them.
    let text: Vec<char> = body_text(&lib, id).chars().collect();
    let word: Vec<char> = "frost".chars().collect();
    let starts: Vec<usize> = (0..text.len() - word.len())
        .filter(|&i| text[i..i + word.len()] == word[..])
        .collect();
    assert_eq!(starts.len(), nights * 5);
    for &s in &starts {
        lib.add_highlight(id, s..s + word.len(), folio::library::Colour::default(), "")
            .unwrap();
    }
    // A richer copy (one photo more) whose verbs are all worded otherwise:
    // every highlight's context changed, many moved.
    let second: Vec<String> = (0..nights).map(|n| frost_paragraph(n, true)).collect();
    let second: Vec<&str> = second.iter().map(String::as_str).collect();
    let richer = save_page(
        &dir.path().join("second"),
        "Frost",
        STORY_URL,
        &second,
        &[(64, 3)],
    );
    let report = bounded("an update re-anchoring 2,000 highlights", move || {
        let report = import(&mut lib, &richer);
        (report, lib)
    });
    let (report, lib) = report;
    assert_eq!(report.upgraded.len(), 1, "{report:?}");
    let text: Vec<char> = body_text(&lib, id).chars().collect();
    let highlights = lib.highlights(Some(&[id])).unwrap();
    assert_eq!(highlights.len(), nights * 5, "no highlight is lost");
    let placed: std::collections::HashSet<usize> = highlights
        .iter()
        .filter(|h| !h.orphan)
        .map(|h| {
            let at = h.position.start;
            assert_eq!(text[at..h.position.end].iter().collect::<String>(), "frost");
            at
        })
        .collect();
    // Each on its own occurrence, not all piled on one. Measured: 1,915
    // distinct places for 2,000 highlights (some whose context recurs a
    // paragraph away share a place with a neighbour: kept, not lost, and
    // named in the closing note as left to do).
    let anchored = highlights.iter().filter(|h| !h.orphan).count();
    assert!(
        anchored >= nights * 5 * 9 / 10,
        "{anchored} of 2,000 placed"
    );
    assert!(
        placed.len() >= anchored * 95 / 100,
        "{} places for {anchored}",
        placed.len()
    );
    assert!(lib.check().unwrap().is_empty());
}

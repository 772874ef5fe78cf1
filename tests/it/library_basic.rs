//! The library API on synthetic articles: store, search, list, tags, notes,
//! trash, duplicates, images and the consistency check.
//!
//! Long because: one subject's tests with the helpers they share; split
//! by subject, not by size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::sync::Arc;

use folio::library::{ImportMode, Library, LibraryError, RANKED_MATCHES, Sort, StoreOutcome};
use folio::model::{Article, Block, Image, ImageData};

fn article(title: &str, body: &[&str]) -> Article {
    Article {
        title: title.to_owned(),
        blocks: body.iter().map(|t| common::para(t)).collect(),
        ..Article::default()
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn store(lib: &mut Library, name: &str, a: &Article) -> StoreOutcome {
    lib.store_article(
        &common::source(name, &format!("<html>{}</html>", a.title)),
        a,
        ImportMode::SkipDuplicates,
    )
    .unwrap()
}

fn ids(hits: &[folio::library::SearchHit]) -> Vec<i64> {
    let mut ids: Vec<i64> = hits.iter().map(|h| h.summary.id.0).collect();
    ids.sort();
    ids
}

fn sample_library() -> (tempfile::TempDir, Library, [i64; 3]) {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("library.folio")).unwrap();
    let mut a = article(
        "小米11系列屡曝质量问题 售后新政引不满",
        &[
            "近日，小米11系列手机屡曝质量问题。",
            "主板故障频发，消费者维权难。",
        ],
    );
    a.published = Some("2022-09-22".into());
    a.site = Some("大纪元".into());
    a.url = Some("https://www.epochtimes.com/gb/22/9/22/n13830172.htm?utm_source=x#top".into());
    a.lang = Some("zh-CN".into());
    a.blocks.push(Block::Image(Image {
        src: "page_files/p1.png".into(),
        caption: Some("图为小米手机在北京的一家服务中心。".into()),
        data: Some(ImageData {
            bytes: Arc::from(png(600, 400)),
            mime: "image/png".into(),
        }),
        ..Image::default()
    }));
    a.source_tags = vec!["小米".into(), "质量问题".into()];
    let mut b = article(
        "The Guardian on motherboards",
        &["Microsoft and Apple shipped new motherboards. Café culture thrives."],
    );
    b.published = Some("2023-01-05T10:00:00Z".into());
    b.site = Some("The Guardian".into());
    b.lang = Some("en".into());
    let mut c = article(
        "苹果发布会",
        &["苹果公司今天发布了新手机，小 米 不在其中。"],
    );
    c.published = Some("2021-03-01".into());
    c.site = Some("新浪".into());
    c.lang = Some("zh".into());
    let ia = store(&mut lib, "a.html", &a).id().0;
    let ib = store(&mut lib, "b.html", &b).id().0;
    let ic = store(&mut lib, "c.html", &c).id().0;
    (dir, lib, [ia, ib, ic])
}

#[test]
fn chinese_search_finds_substrings_of_any_length() {
    let (_dir, lib, [a, _b, c]) = sample_library();
    assert_eq!(ids(&lib.search("小米", 10, 0).unwrap()), vec![a]);
    assert_eq!(ids(&lib.search("主板", 10, 0).unwrap()), vec![a]);
    assert_eq!(ids(&lib.search("售后新政", 10, 0).unwrap()), vec![a]);
    assert_eq!(ids(&lib.search("小米11系列", 10, 0).unwrap()), vec![a]);
    assert_eq!(ids(&lib.search("小米1", 10, 0).unwrap()), vec![a]);
    // 小 alone occurs in both; "小 米" with a space in c is not 小米.
    assert_eq!(ids(&lib.search("小", 10, 0).unwrap()), vec![a, c]);
    assert_eq!(ids(&lib.search("手机", 10, 0).unwrap()), vec![a, c]);
    // Captions are searchable.
    assert_eq!(ids(&lib.search("服务中心", 10, 0).unwrap()), vec![a]);
    assert!(lib.search("米主", 10, 0).unwrap().is_empty());
}

#[test]
fn snippets_are_readable_and_mark_the_hit() {
    let (_dir, lib, _) = sample_library();
    let hits = lib.search("主板", 10, 0).unwrap();
    let snippet = &hits[0].snippet;
    assert!(snippet.text.contains("主板故障频发"), "{snippet:?}");
    assert_eq!(&snippet.text[snippet.highlights[0].clone()], "主板");
    assert!(!snippet.text.contains('\u{E000}'));
}

#[test]
fn latin_search_is_prefix_case_and_accent_insensitive() {
    let (_dir, lib, [_a, b, _c]) = sample_library();
    assert_eq!(ids(&lib.search("micro", 10, 0).unwrap()), vec![b]);
    assert_eq!(ids(&lib.search("mi", 10, 0).unwrap()), vec![b]);
    // One lone letter is a whole word, not the prefix of nearly every text.
    assert!(lib.search("m", 10, 0).unwrap().is_empty());
    assert_eq!(ids(&lib.search("MOTHERBOARDS", 10, 0).unwrap()), vec![b]);
    assert_eq!(ids(&lib.search("cafe", 10, 0).unwrap()), vec![b]);
    assert_eq!(
        ids(&lib.search("\"apple shipped\"", 10, 0).unwrap()),
        vec![b]
    );
    assert!(lib.search("\"shipped apple\"", 10, 0).unwrap().is_empty());
    assert!(lib.search("\"micro\"", 10, 0).unwrap().is_empty());
}

#[test]
fn filters_combine_with_text() {
    let (_dir, mut lib, [a, b, c]) = sample_library();
    lib.add_tags(folio::library::ArticleId(a), &["phones", "China"])
        .unwrap();
    lib.add_tags(folio::library::ArticleId(c), &["phones"])
        .unwrap();
    lib.add_tags(folio::library::ArticleId(b), &["hardware"])
        .unwrap();
    let list = |q: &str| -> Vec<i64> {
        let mut v: Vec<i64> = lib
            .list(Some(q), Sort::Date, 100, 0)
            .unwrap()
            .iter()
            .map(|s| s.id.0)
            .collect();
        v.sort();
        v
    };
    assert_eq!(list("tag:phones"), vec![a, c]);
    assert_eq!(list("tag:PHONES tag:china"), vec![a]);
    assert_eq!(list("tag:phones -tag:china"), vec![c]);
    assert_eq!(list("tag:china OR tag:hardware"), vec![a, b]);
    assert_eq!(list("site:guardian"), vec![b]);
    assert_eq!(list("site:epochtimes"), vec![a]);
    assert_eq!(list("lang:zh"), vec![a, c]);
    assert_eq!(list("after:2022-01-01"), vec![a, b]);
    assert_eq!(list("before:2022-09-22"), vec![c]);
    assert_eq!(list("after:2022-09-22 before:2022-09-23"), vec![a]);
    assert_eq!(list("手机 tag:phones"), vec![a, c]);
    assert_eq!(list("手机 -小米"), vec![c]);
    assert_eq!(list("小米 OR microsoft"), vec![a, b]);
    assert_eq!(ids(&lib.search("手机 -tag:china", 10, 0).unwrap()), vec![c]);
    assert_eq!(lib.count(Some("tag:phones")).unwrap(), 2);
    assert_eq!(lib.count(None).unwrap(), 3);
    assert!(matches!(
        lib.list(Some("before:soon"), Sort::Date, 10, 0),
        Err(LibraryError::Query(_))
    ));
}

#[test]
fn list_sorts_and_pages() {
    let (_dir, lib, [a, b, c]) = sample_library();
    let order = |sort| -> Vec<i64> {
        lib.list(None, sort, 100, 0)
            .unwrap()
            .iter()
            .map(|s| s.id.0)
            .collect()
    };
    assert_eq!(order(Sort::Date), vec![b, a, c]);
    assert_eq!(order(Sort::Added), vec![c, b, a]);
    assert_eq!(order(Sort::Title), vec![b, a, c]);
    let page: Vec<i64> = lib
        .list(None, Sort::Date, 1, 1)
        .unwrap()
        .iter()
        .map(|s| s.id.0)
        .collect();
    assert_eq!(page, vec![a]);
    let summary = &lib.list(Some("售后"), Sort::Date, 10, 0).unwrap()[0];
    assert_eq!(summary.site.as_deref(), Some("大纪元"));
    assert_eq!(summary.source_file, "a.html");
    assert!(summary.thumbnail_sha256.is_some());
}

#[test]
fn article_round_trips_with_image_bytes() {
    let (_dir, lib, [a, _, _]) = sample_library();
    let stored = lib.article(folio::library::ArticleId(a)).unwrap();
    assert_eq!(
        stored.article.title,
        "小米11系列屡曝质量问题 售后新政引不满"
    );
    assert_eq!(stored.article.source_tags, vec!["小米", "质量问题"]);
    let images = stored.article.images();
    assert_eq!(images.len(), 1);
    let data = images[0].data.as_ref().expect("image bytes are stored");
    assert_eq!(data.mime, "image/png");
    let sha = stored.image_sha256[0].clone().unwrap();
    assert_eq!(lib.image_bytes(&sha).unwrap().unwrap().bytes, data.bytes);
    let thumb = lib.thumbnail(&sha).unwrap().unwrap();
    let decoded = image::load_from_memory(&thumb.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (256, 171));
    let (name, original) = lib.original(folio::library::ArticleId(a)).unwrap();
    assert_eq!(name, "a.html");
    assert!(String::from_utf8(original).unwrap().starts_with("<html>"));
    assert!(lib.check().unwrap().is_empty(), "{:?}", lib.check());
}

#[test]
fn duplicates_are_found_by_url_or_text() {
    let (_dir, mut lib, [a, b, _]) = sample_library();
    // Same URL (http, other tracking parameters), same text.
    let stored = lib.article(folio::library::ArticleId(a)).unwrap();
    let mut same_url = stored.article.clone();
    same_url.url = Some("http://www.epochtimes.com/gb/22/9/22/n13830172.htm?utm_medium=y".into());
    assert_eq!(
        store(&mut lib, "x.html", &same_url),
        StoreOutcome::Duplicate(folio::library::ArticleId(a))
    );
    // Same URL, different text: a different article, never a duplicate
    // (issue 21).
    let mut moved = article("Different", &["Entirely different."]);
    moved.url = same_url.url.clone();
    let StoreOutcome::Separate {
        id,
        same_address_as,
    } = store(&mut lib, "x2.html", &moved)
    else {
        panic!("a different text at the same URL is a separate article");
    };
    assert_eq!(same_address_as, folio::library::ArticleId(a));
    // Same text with other whitespace, no URL.
    let same_text = article(
        "The Guardian on  motherboards",
        &["Microsoft and Apple shipped new motherboards.\nCafé culture thrives."],
    );
    assert_eq!(
        store(&mut lib, "y.html", &same_text),
        StoreOutcome::Duplicate(folio::library::ArticleId(b))
    );
    assert_eq!(lib.count(None).unwrap(), 4);
    assert_ne!(id.0, a);
}

#[test]
fn update_keeps_tags_and_notes() {
    let (_dir, mut lib, [a, _, _]) = sample_library();
    let id = folio::library::ArticleId(a);
    lib.add_tags(id, &["keep"]).unwrap();
    lib.set_note(id, "我的笔记：重要").unwrap();
    let mut newer = article("小米11系列 更新版", &["全新正文，讲述显示屏。"]);
    newer.url = Some("https://www.epochtimes.com/gb/22/9/22/n13830172.htm".into());
    let outcome = lib
        .store_article(
            &common::source("a2.html", "<html>new</html>"),
            &newer,
            ImportMode::Update,
        )
        .unwrap();
    assert_eq!(outcome, StoreOutcome::Updated(id));
    let stored = lib.article(id).unwrap();
    assert_eq!(stored.article.title, "小米11系列 更新版");
    assert_eq!(stored.tags, vec!["keep"]);
    assert_eq!(stored.note.as_deref(), Some("我的笔记：重要"));
    assert!(stored.article.images().is_empty());
    assert_eq!(ids(&lib.search("显示屏", 10, 0).unwrap()), vec![a]);
    // Text only the earlier copy holds is still found, and said to be there
    // (issue 23).
    let hits = lib.search("主板", 10, 0).unwrap();
    assert_eq!(ids(&hits), vec![a]);
    assert_eq!(
        hits[0].matched_in,
        Some(folio::library::MatchedIn::EarlierVersion)
    );
    // The note is still searchable; the earlier copy is kept with its
    // image (issue 21: no import deletes a stored body or image).
    assert_eq!(ids(&lib.search("笔记", 10, 0).unwrap()), vec![a]);
    let stats = lib.stats().unwrap();
    assert_eq!((stats.images, stats.kept_copies), (1, 1));
    assert!(lib.check().unwrap().is_empty(), "{:?}", lib.check());
}

#[test]
fn tags_rename_merge_colour_delete() {
    let (_dir, mut lib, [a, b, c]) = sample_library();
    let (a, b, c) = (
        folio::library::ArticleId(a),
        folio::library::ArticleId(b),
        folio::library::ArticleId(c),
    );
    lib.add_tags(a, &["phones", "china"]).unwrap();
    lib.add_tags(b, &["Hardware", "phones"]).unwrap();
    lib.add_tags(c, &["mobile"]).unwrap();
    lib.add_tags(c, &["Mobile"]).unwrap(); // same tag, no second link
    assert!(matches!(
        lib.add_tags(a, &["  "]),
        Err(LibraryError::EmptyTagName)
    ));
    let names = |lib: &Library| -> Vec<(String, u64)> {
        lib.tags()
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.count))
            .collect()
    };
    assert_eq!(
        names(&lib),
        vec![
            ("china".into(), 1),
            ("Hardware".into(), 1),
            ("mobile".into(), 1),
            ("phones".into(), 2)
        ]
    );
    lib.rename_tag("mobile", "PHONES").unwrap(); // merge into the existing tag
    assert_eq!(
        names(&lib),
        vec![
            ("china".into(), 1),
            ("Hardware".into(), 1),
            ("phones".into(), 3)
        ]
    );
    lib.rename_tag("hardware", "hw").unwrap();
    lib.set_tag_colour("hw", Some("#d04040")).unwrap();
    assert_eq!(lib.tags().unwrap()[1].colour.as_deref(), Some("#d04040"));
    lib.remove_tags(a, &["phones"]).unwrap();
    assert_eq!(lib.article(a).unwrap().tags, vec!["china"]);
    lib.delete_tag("china").unwrap();
    assert!(lib.article(a).unwrap().tags.is_empty());
    assert!(matches!(
        lib.delete_tag("nope"),
        Err(LibraryError::NoSuchTag(_))
    ));
    assert_eq!(
        lib.list(Some("tag:phones"), Sort::Title, 10, 0).unwrap()[0].tags,
        vec!["hw", "phones"]
    );
}

#[test]
fn notes_are_searchable_and_empty_deletes() {
    let (_dir, mut lib, [_, b, _]) = sample_library();
    let id = folio::library::ArticleId(b);
    assert_eq!(lib.note(id).unwrap(), None);
    lib.set_note(id, "读后感：主板很重要").unwrap();
    assert_eq!(lib.note(id).unwrap().as_deref(), Some("读后感：主板很重要"));
    assert!(
        lib.list(None, Sort::Date, 10, 0)
            .unwrap()
            .iter()
            .any(|s| s.id == id && s.has_note)
    );
    assert!(ids(&lib.search("主板", 10, 0).unwrap()).contains(&b.clone()));
    let hit = lib.search("读后感", 10, 0).unwrap();
    assert_eq!(
        &hit[0].snippet.text[hit[0].snippet.highlights[0].clone()],
        "读后感"
    );
    lib.set_note(id, "  ").unwrap();
    assert_eq!(lib.note(id).unwrap(), None);
    assert!(lib.search("读后感", 10, 0).unwrap().is_empty());
    assert!(matches!(
        lib.note(folio::library::ArticleId(999)),
        Err(LibraryError::NoSuchArticle(_))
    ));
}

#[test]
fn trash_hides_and_restore_brings_back() {
    let (_dir, mut lib, [a, _, c]) = sample_library();
    let id = folio::library::ArticleId(a);
    lib.trash(id).unwrap();
    assert!(lib.search("小米", 10, 0).unwrap().is_empty());
    assert_eq!(lib.count(None).unwrap(), 2);
    assert_eq!(lib.list_trash(10, 0).unwrap()[0].id, id);
    assert_eq!(lib.stats().unwrap().trashed, 1);
    lib.restore(id).unwrap();
    assert_eq!(ids(&lib.search("小米", 10, 0).unwrap()), vec![a]);
    lib.trash(folio::library::ArticleId(c)).unwrap();
    assert_eq!(lib.empty_trash().unwrap(), 1);
    assert!(matches!(
        lib.article(folio::library::ArticleId(c)),
        Err(LibraryError::NoSuchArticle(_))
    ));
    assert!(lib.check().unwrap().is_empty(), "{:?}", lib.check());
}

#[test]
fn settings_round_trip() {
    let mut lib = Library::open_in_memory().unwrap();
    assert_eq!(lib.setting("theme").unwrap(), None);
    lib.set_setting("theme", "dark").unwrap();
    lib.set_setting("theme", "light").unwrap();
    assert_eq!(lib.setting("theme").unwrap().as_deref(), Some("light"));
}

#[test]
fn a_plain_sqlite_connection_can_search_the_file() {
    let (dir, lib, [a, _, _]) = sample_library();
    drop(lib);
    let conn = rusqlite::Connection::open(dir.path().join("library.folio")).unwrap();
    let id: i64 = conn
        .query_row(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH '\"售 后 新 政\"'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(id, a);
}

#[test]
fn two_writers_on_one_file_do_not_see_locked_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.folio");
    Library::open(&path).unwrap();
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut lib = Library::open(&path).unwrap();
                for i in 0..40 {
                    let a = article(
                        &format!("writer {w} article {i}"),
                        &[&format!("正文 {w} {i}")],
                    );
                    let id = store(&mut lib, "x.html", &a).id();
                    lib.add_tags(id, &[&format!("w{w}")]).unwrap();
                    lib.set_note(id, "笔记").unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let lib = Library::open(&path).unwrap();
    assert_eq!(lib.count(None).unwrap(), 80);
    assert_eq!(lib.count(Some("tag:w1")).unwrap(), 40);
}

#[test]
fn a_word_in_very_many_articles_pages_through_every_match() {
    let mut lib = Library::open_in_memory().unwrap();
    let n = RANKED_MATCHES + 200;
    let mut live = Vec::new();
    for i in 0..n {
        // Every article has 的, some several times; every 7th also has 猫.
        let cat = if i % 7 == 0 { "猫" } else { "" };
        let body = format!("{}第{i}篇{cat}", "的".repeat(1 + i % 5));
        let id = store(
            &mut lib,
            &format!("{i}.html"),
            &article(&format!("文章 {i}"), &[&body]),
        )
        .id();
        if i % 10 == 3 {
            lib.add_tags(id, &["skip"]).unwrap();
        } else if i == n - 5 {
            lib.trash(id).unwrap();
        } else {
            live.push(id.0);
        }
    }
    for query in ["的", "的 -tag:skip"] {
        let expected: Vec<i64> = if query == "的" {
            let mut all = live.clone();
            all.extend((0..n).filter(|i| i % 10 == 3).map(|i| i as i64 + 1));
            all.sort();
            all
        } else {
            live.clone()
        };
        assert_eq!(lib.count(Some(query)).unwrap(), expected.len() as u64);
        let mut hits = Vec::new();
        for page in 0.. {
            let got = lib.search(query, 50, page * 50).unwrap();
            if got.is_empty() {
                break;
            }
            hits.extend(got);
        }
        let mut found: Vec<i64> = hits.iter().map(|h| h.summary.id.0).collect();
        // The newest RANKED_MATCHES are ranked, best first; the rest follow, newest first.
        let (ranked, rest) = found.split_at(RANKED_MATCHES);
        let mut newest = ranked.to_vec();
        newest.sort();
        assert_eq!(
            newest,
            expected[expected.len() - RANKED_MATCHES..],
            "{query}"
        );
        assert!(rest.windows(2).all(|w| w[0] > w[1]), "{query}");
        assert!(
            hits[..RANKED_MATCHES]
                .windows(2)
                .all(|w| w[0].rank <= w[1].rank),
            "{query}"
        );
        assert!(hits.iter().all(|h| h.rank < 0.0), "{query}");
        found.sort();
        assert_eq!(found, expected, "{query}");
    }
    // Fewer matches than that: all ranked.
    let hits = lib.search("猫", 1000, 0).unwrap();
    assert_eq!(hits.len() as u64, lib.count(Some("猫")).unwrap());
    assert!(hits.windows(2).all(|w| w[0].rank <= w[1].rank));
}

#[test]
fn only_queries_with_text_are_ranked() {
    for (query, ranks) in [
        ("小米", true),
        ("privacy tag:phones", true),
        ("\"exact phrase\"", true),
        ("tag:phones", false),
        ("TAG:phones site:example.com", false),
        ("-privacy", false),
        ("-privacy tag:phones", false),
        ("", false),
    ] {
        assert_eq!(Library::query_ranks(query).unwrap(), ranks, "{query:?}");
    }
    // Only punctuation: nothing to search for, refused (not "everything").
    assert!(matches!(
        Library::query_ranks("，"),
        Err(LibraryError::Query(_))
    ));
}

#[test]
fn an_article_can_be_read_without_its_image_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("images.folio")).unwrap();
    let page = common::fixtures().join("formats/complete/m-minghui/m-minghui.html");
    let report = lib
        .import_paths(
            &[page],
            &folio::library::ImportOptions::default(),
            &|_| {},
            &Default::default(),
        )
        .unwrap();
    let id = report.ids[0];
    let full = lib.article(id).unwrap();
    let light = lib.article_without_image_bytes(id).unwrap();
    assert!(full.article.images().iter().any(|i| i.data.is_some()));
    assert!(light.article.images().iter().all(|i| i.data.is_none()));
    assert_eq!(light.image_sha256, full.image_sha256);
    assert_eq!(light.article.title, full.article.title);
    assert_eq!(light.tags, full.tags);
}

// ---- issue 10: bounded queries, tag names, query parsing, repeated ids ----------

/// The message of a refused query.
fn query_error(lib: &Library, query: &str) -> String {
    match lib.search(query, 10, 0) {
        Err(LibraryError::Query(message)) => message,
        other => panic!("{query:?} was not refused as a query: {other:?}"),
    }
}

#[test]
fn a_query_of_25000_repeated_words_is_refused_not_run() {
    let (_dir, lib, [_a, b, _c]) = sample_library();
    let huge = "the ".repeat(25_000);
    let message = query_error(&lib, &huge);
    assert!(
        message.contains("at most 1000 characters") && message.contains("100000"),
        "{message}"
    );
    // The same refusal for every entry point that takes a query.
    assert!(matches!(
        lib.count(Some(&huge)),
        Err(LibraryError::Query(_))
    ));
    assert!(matches!(
        lib.list(Some(&huge), Sort::Date, 10, 0),
        Err(LibraryError::Query(_))
    ));
    assert!(folio::library::highlight_terms(&huge).is_empty());
    // Under the length limit, a repeated word is searched once: the result is
    // that of the word alone, snippet included.
    let repeated = lib.search(&"THE the ".repeat(120), 10, 0).unwrap();
    let once = lib.search("the", 10, 0).unwrap();
    assert_eq!(ids(&repeated), vec![b]);
    assert_eq!(repeated, once);
    assert_eq!(
        folio::library::highlight_terms(&"the ".repeat(200)),
        ["the"]
    );
    // Many different words are refused with the limit named.
    let words: Vec<String> = (0..65).map(|n| format!("w{n}")).collect();
    let message = query_error(&lib, &words.join(" "));
    assert!(
        message.contains("at most 64 different terms") && message.contains("65"),
        "{message}"
    );
    assert!(
        lib.search(&words[..64].join(" "), 10, 0)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn tag_names_are_one_tag_across_unicode_forms_and_case() {
    let (_dir, mut lib, [a, b, c]) = sample_library();
    let (a, b, c) = (
        folio::library::ArticleId(a),
        folio::library::ArticleId(b),
        folio::library::ArticleId(c),
    );
    lib.add_tags(a, &["caf\u{e9}", "\u{e9}t\u{e9}"]).unwrap();
    lib.add_tags(b, &["cafe\u{301}"]).unwrap(); // combining accent
    lib.add_tags(c, &["\u{c9}T\u{c9}", "STRASSE"]).unwrap(); // ÉTÉ
    lib.add_tags(a, &["stra\u{df}e"]).unwrap(); // straße
    let tags: Vec<(String, u64)> = lib
        .tags()
        .unwrap()
        .into_iter()
        .map(|t| (t.name, t.count))
        .collect();
    assert_eq!(
        tags,
        vec![
            ("caf\u{e9}".to_owned(), 2),
            ("STRASSE".to_owned(), 2),
            ("\u{e9}t\u{e9}".to_owned(), 2)
        ]
    );
    for query in ["tag:caf\u{e9}", "tag:cafe\u{301}", "tag:CAF\u{c9}"] {
        let found = lib.list(Some(query), Sort::Date, 10, 0).unwrap();
        let mut found: Vec<_> = found.iter().map(|s| s.id).collect();
        found.sort();
        assert_eq!(found, vec![a, b], "{query}");
    }
    assert_eq!(lib.count(Some("tag:\u{c9}t\u{e9}")).unwrap(), 2);
    assert_eq!(lib.count(Some("-tag:\u{c9}T\u{c9}")).unwrap(), 1);
    assert_eq!(lib.count(Some("tag:nosuchtag")).unwrap(), 0);
    lib.remove_tags(b, &["CAFE\u{301}"]).unwrap();
    assert_eq!(lib.article(b).unwrap().tags, Vec::<String>::new());
    lib.set_tag_colour("CAF\u{c9}", Some("#d04040")).unwrap();
    lib.rename_tag("\u{c9}T\u{c9}", "\u{c9}t\u{e9}").unwrap(); // a change of case only
    assert_eq!(lib.article(c).unwrap().tags, ["STRASSE", "\u{c9}t\u{e9}"]);
    lib.delete_tag("strasse").unwrap();
    assert_eq!(lib.tags().unwrap().len(), 2);
}

#[test]
fn invisible_control_and_empty_part_tag_names_are_refused() {
    let (_dir, mut lib, [a, _, _]) = sample_library();
    let a = folio::library::ArticleId(a);
    for name in [
        "bell\u{7}",
        "tab\tin",
        "\u{202e}evil",
        "zero\u{200b}width",
        "bom\u{feff}",
        "/",
        "//",
        "a/",
        "/a",
        "a//b",
        "a/ /b",
    ] {
        match lib.add_tags(a, &[name]) {
            Err(err @ LibraryError::BadTagName { .. }) => {
                let message = err.to_string();
                assert!(
                    message.contains("invisible or control character")
                        || message.contains("part between slashes is empty"),
                    "{name:?}: {message}"
                );
                // The message never carries the raw character.
                assert!(
                    !message.contains(['\u{7}', '\u{202e}', '\u{200b}']),
                    "{message}"
                );
            }
            other => panic!("{name:?} was accepted: {other:?}"),
        }
        assert!(matches!(
            lib.rename_tag("x", name),
            Err(LibraryError::BadTagName { .. } | LibraryError::NoSuchTag(_))
        ));
    }
    assert!(lib.tags().unwrap().is_empty());
    lib.add_tags(a, &["research/2022", "家人/旅行", "👨\u{200d}👩\u{200d}👧"])
        .unwrap();
    assert_eq!(lib.tags().unwrap().len(), 3);
    lib.add_tags(a, &["tag"]).unwrap();
    assert!(matches!(
        lib.rename_tag("tag", "a/"),
        Err(LibraryError::BadTagName { .. })
    ));
}

#[test]
fn tags_written_before_normalisation_are_still_found() {
    let (dir, mut lib, [a, b, _]) = sample_library();
    drop(lib);
    // An older Folio stored names as typed: decomposed, and cased apart.
    let conn = rusqlite::Connection::open(dir.path().join("library.folio")).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO tags (id, name) VALUES (100, 'cafe\u{301}'), (101, '\u{e9}t\u{e9}'),
                                          (102, '\u{c9}T\u{c9}'), (103, 'a//b');
         INSERT INTO article_tags (article_id, tag_id) VALUES ({a}, 100), ({a}, 101),
                                                            ({b}, 102), ({b}, 103);"
    ))
    .unwrap();
    drop(conn);
    lib = Library::open(&dir.path().join("library.folio")).unwrap();
    let (a, b) = (folio::library::ArticleId(a), folio::library::ArticleId(b));
    assert_eq!(lib.count(Some("tag:caf\u{e9}")).unwrap(), 1);
    assert_eq!(lib.count(Some("tag:\u{e9}t\u{e9}")).unwrap(), 2);
    assert_eq!(lib.count(Some("tag:a//b")).unwrap(), 1);
    // Adding the precomposed spelling links the existing tag.
    lib.add_tags(b, &["CAF\u{c9}"]).unwrap();
    assert_eq!(lib.count(Some("tag:cafe\u{301}")).unwrap(), 2);
    assert_eq!(lib.tags().unwrap().len(), 4);
    // Removing by any spelling removes every old twin.
    lib.remove_tags(a, &["\u{c9}t\u{c9}"]).unwrap();
    assert!(
        !lib.article(a)
            .unwrap()
            .tags
            .iter()
            .any(|t| t.ends_with('\u{e9}'))
    );
    // An old invalid name can still be renamed to a valid one.
    lib.rename_tag("a//b", "a/b").unwrap();
    assert_eq!(lib.count(Some("tag:a/b")).unwrap(), 1);
    assert!(lib.check().unwrap().is_empty(), "{:?}", lib.check());
}

#[test]
fn query_dates_filters_and_unsearchable_words() {
    let (_dir, lib, [a, b, c]) = sample_library();
    for query in [
        "after:2022-13-45",
        "after:2022-02-30",
        "before:2023-02-29",
        "before:1900-02-29",
        "after:2022-00",
        "after:2022-04-31",
    ] {
        let message = query_error(&lib, query);
        assert!(message.contains("wants a real date"), "{query}: {message}");
    }
    assert_eq!(
        ids(&lib.search("after:2020-02-29", 10, 0).unwrap()),
        vec![a, b, c]
    );
    assert_eq!(
        ids(&lib.search("before:2000-02-29", 10, 0).unwrap()),
        Vec::<i64>::new()
    );
    // Nothing to search for: refused, never the whole library.
    for query in ["🙂", "*", "(", "- ,", "\"\"", "OR"] {
        let message = query_error(&lib, query);
        assert!(
            message.contains("nothing to search for"),
            "{query}: {message}"
        );
        assert!(matches!(
            lib.count(Some(query)),
            Err(LibraryError::Query(_))
        ));
    }
    // …but such a word next to real terms is left out.
    assert_eq!(ids(&lib.search("小米 🙂", 10, 0).unwrap()), vec![a]);
    // Filter names in any case, and the value after a space as pasted.
    for query in [
        "Site:guardian",
        "SITE:guardian",
        "Site: guardian",
        "site: \"The Guardian\"",
    ] {
        assert_eq!(ids(&lib.search(query, 10, 0).unwrap()), vec![b], "{query}");
    }
    assert!(query_error(&lib, "site:").contains("needs a value"));
    assert!(query_error(&lib, "lang:%").contains("language tag"));
    assert_eq!(ids(&lib.search("LANG:zh", 10, 0).unwrap()), vec![a, c]);
}

#[test]
fn trash_and_restore_say_whether_the_article_moved() {
    let (_dir, mut lib, [a, _, _]) = sample_library();
    let a = folio::library::ArticleId(a);
    assert!(lib.trash(a).unwrap());
    assert!(!lib.trash(a).unwrap());
    assert!(lib.restore(a).unwrap());
    assert!(!lib.restore(a).unwrap());
    assert_eq!(
        folio::library::unique_ids(&[a, a, folio::library::ArticleId(7), a]),
        [a, folio::library::ArticleId(7)]
    );
}

// ---- issue 10, item 6: `check` verifies every stored blob ---------------------

/// A closed library file holding pages with originals, resources (a
/// stylesheet) and images: the seed and two "Save page, complete" pages.
fn blob_library(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("blobs.folio");
    let mut lib = Library::open(&path).unwrap();
    let pages = [
        common::seed_path(),
        common::fixtures().join("formats/complete/m-epoch/m-epoch.html"),
        common::fixtures().join("formats/complete/r-keep-images/r-keep-images.html"),
    ];
    let report = lib
        .import_paths(
            &pages,
            &folio::library::ImportOptions::default(),
            &|_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(report.imported, 3, "{:?}", report.failed);
    assert!(lib.check().unwrap().is_empty(), "{:?}", lib.check());
    drop(lib);
    path
}

/// Every stored blob cell: (table, rowid, column).
fn blob_cells(conn: &rusqlite::Connection) -> Vec<(&'static str, i64, &'static str)> {
    let mut cells = Vec::new();
    for (table, key, column) in [
        ("originals", "article_id", "data"),
        ("original_resources", "id", "data"),
        ("images", "id", "bytes"),
    ] {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {key} FROM {table} WHERE {column} IS NOT NULL ORDER BY {key}"
            ))
            .unwrap();
        for id in stmt.query_map([], |r| r.get::<_, i64>(0)).unwrap() {
            cells.push((table, id.unwrap(), column));
        }
    }
    cells
}

/// Deterministic xorshift, so every run flips the same bits.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Issue 10, item 6: one flipped bit in a stored original, resource or
/// image. Before the fix `check` said ok to most of them, and `reextract
/// --all` then failed on the originals it passed. Now every flip is caught,
/// in particular every one that breaks re-extraction.
#[test]
fn check_catches_every_flipped_bit_in_a_stored_blob() {
    let dir = tempfile::tempdir().unwrap();
    let clean = blob_library(dir.path());
    let cells = blob_cells(&rusqlite::Connection::open(&clean).unwrap());
    let tables: std::collections::HashSet<_> = cells.iter().map(|c| c.0).collect();
    assert_eq!(
        tables.len(),
        3,
        "originals, resources and images: {cells:?}"
    );
    let mut state = 0x5eed_f011_0bad_b175_u64;
    let (mut broke_reextract, mut caught) = (0, 0);
    const FLIPS: usize = 30;
    for round in 0..FLIPS {
        let path = dir.path().join(format!("flip-{round}.folio"));
        std::fs::copy(&clean, &path).unwrap();
        let (table, id, column) = cells[(next(&mut state) % cells.len() as u64) as usize];
        let key = if table == "originals" {
            "article_id"
        } else {
            "id"
        };
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut blob: Vec<u8> = conn
            .query_row(
                &format!("SELECT {column} FROM {table} WHERE {key} = ?1"),
                [id],
                |r| r.get(0),
            )
            .unwrap();
        let byte = (next(&mut state) % blob.len() as u64) as usize;
        blob[byte] ^= 1 << (next(&mut state) % 8);
        conn.execute(
            &format!("UPDATE {table} SET {column} = ?1 WHERE {key} = ?2"),
            rusqlite::params![blob, id],
        )
        .unwrap();
        drop(conn);
        let what = format!("round {round}: {table} {id}, byte {byte}");

        let mut lib = Library::open(&path).unwrap();
        let problems = lib.check().unwrap();
        let quick = lib.check_report(true).unwrap();
        let reextract = lib.reextract(None, &|_| {}, &std::sync::atomic::AtomicBool::new(false));
        let broke = match &reextract {
            Err(_) => true,
            Ok(report) => !report.failed.is_empty(),
        };
        if broke {
            broke_reextract += 1;
            assert!(
                !problems.is_empty(),
                "{what}: reextract broke ({reextract:?}), check passed"
            );
        }
        assert!(!problems.is_empty(), "{what}: check passed a damaged blob");
        caught += 1;
        // The problem names the row.
        let named = match table {
            "images" => problems.iter().any(|p| p.starts_with("image ")),
            _ => problems.iter().any(|p| p.contains("is damaged")),
        };
        assert!(named, "{what}: {problems:?}");
        // A quick check skips the blobs, and says so.
        assert!(
            quick.notes.iter().any(|n| n.contains("not verified")),
            "{quick:?}"
        );
    }
    println!("{caught} of {FLIPS} flips caught; {broke_reextract} of them broke reextract");
    assert!(
        broke_reextract > 0,
        "no flip broke reextract: the test proves nothing"
    );
}

/// Issue 10, item 6: an image blob shorter than its recorded size, and an
/// original that decompresses to another size than recorded, are damage.
#[test]
fn check_catches_a_short_image_and_an_original_of_the_wrong_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = blob_library(dir.path());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let sha: String = conn
        .query_row("SELECT sha256 FROM images ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute(
        "UPDATE images SET bytes = substr(bytes, 1, length(bytes) - 10) WHERE sha256 = ?1",
        [&sha],
    )
    .unwrap();
    let article: i64 = conn
        .query_row("SELECT min(article_id) FROM originals", [], |r| r.get(0))
        .unwrap();
    conn.execute(
        "UPDATE originals SET size = size + 1 WHERE article_id = ?1",
        [article],
    )
    .unwrap();
    drop(conn);
    let lib = Library::open(&path).unwrap();
    let problems = lib.check().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with(&format!("image {sha}: its bytes are"))
                && p.contains("not the recorded")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with(&format!(
            "article {article}: the stored original is damaged (it decompresses to"
        ))),
        "{problems:?}"
    );
    assert!(lib.check_report(true).unwrap().problems.is_empty());
}

/// `site:` (issue 15's speed work, schema 6) finds the articles whose site
/// name or address host contains the text, in any case; a text with a `/`
/// is looked for in the whole address. The list, the count, the timeline
/// and a saved collection agree, and a trashed article is in none of them
/// until it is restored.
#[test]
fn site_finds_the_host_or_the_site_name_and_a_path_in_the_whole_address() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(&dir.path().join("library.folio")).unwrap();
    let mut add = |title: &str, site: Option<&str>, url: &str| {
        let mut a = article(title, &[&format!("{title} 神韻 solar")]);
        a.site = site.map(str::to_owned);
        a.url = Some(url.to_owned());
        a.published = Some("2021-05-01".to_owned());
        match store(&mut lib, &format!("{title}.html"), &a) {
            StoreOutcome::Imported(id) => id,
            other => panic!("{other:?}"),
        }
    };
    let a = add(
        "alpha",
        Some("明慧网"),
        "https://www.minghui.org/mh/articles/2020/1.html",
    );
    let b = add(
        "bravo",
        Some("The Guardian"),
        "https://www.theguardian.com/world/2020/x",
    );
    let c = add(
        "charlie",
        None,
        "http://en.MINGHUI.org/html/articles/x.html",
    );
    let d = add(
        "delta",
        Some("Minghui mirror"),
        "https://mirror.example/minghui.org/page",
    );
    let e = add("echo", None, "https://www.minghui.org/trashed");
    // An address that is not a URL is kept as written: its host is the text
    // up to its first `/`.
    let f = add("foxtrot", None, "Notes.Example.org/raw/page");
    lib.trash(e).unwrap();
    lib.save_collection("Minghui", "site:minghui.org").unwrap();

    let found = |lib: &Library, query: &str| -> Vec<i64> {
        let mut ids: Vec<i64> = lib
            .list(Some(query), Sort::Date, 100, 0)
            .unwrap()
            .iter()
            .map(|s| s.id.0)
            .collect();
        ids.sort();
        let count = lib.count(Some(query)).unwrap();
        assert_eq!(count, ids.len() as u64, "count of {query}");
        let timeline = lib.timeline(Some(query)).unwrap();
        let bucketed: u64 = timeline.months.iter().map(|m| m.count).sum::<u64>() + timeline.undated;
        assert_eq!(bucketed, count, "timeline of {query}");
        ids
    };
    let sorted = |mut v: Vec<i64>| {
        v.sort();
        v
    };
    assert_eq!(found(&lib, "site:minghui.org"), sorted(vec![a.0, c.0]));
    assert_eq!(found(&lib, "site:MINGHUI"), sorted(vec![a.0, c.0, d.0]));
    assert_eq!(found(&lib, "site:明慧"), vec![a.0]);
    assert_eq!(found(&lib, "site:guardian"), vec![b.0]);
    assert_eq!(found(&lib, "site:example/minghui"), vec![d.0]);
    assert_eq!(found(&lib, "site:/world/"), vec![b.0]);
    assert_eq!(found(&lib, "site:minghui.org 神韵"), sorted(vec![a.0, c.0]));
    assert_eq!(found(&lib, "site:minghui.org -alpha"), vec![c.0]);
    assert_eq!(
        found(&lib, "site:minghui.org OR site:guardian"),
        sorted(vec![a.0, b.0, c.0])
    );
    assert_eq!(found(&lib, "-site:minghui"), sorted(vec![b.0, f.0]));
    assert!(found(&lib, "site:nowhere.example").is_empty());
    assert_eq!(found(&lib, "site:notes.example"), vec![f.0]);
    assert!(found(&lib, "site:raw").is_empty());
    assert_eq!(found(&lib, "site:org/raw"), vec![f.0]);
    let hits = lib.search("solar site:minghui.org", 10, 0).unwrap();
    assert_eq!(ids(&hits), sorted(vec![a.0, c.0]));
    assert_eq!(found(&lib, "collection:Minghui"), sorted(vec![a.0, c.0]));

    // A word's matches, counted with and without anything in the trash.
    assert_eq!(found(&lib, "solar").len(), 5);
    lib.restore(e).unwrap();
    assert_eq!(found(&lib, "solar").len(), 6);
    lib.trash(e).unwrap();
    assert_eq!(found(&lib, "solar").len(), 5);
    lib.restore(e).unwrap();
    assert_eq!(found(&lib, "site:minghui.org"), sorted(vec![a.0, c.0, e.0]));
    let overview = lib.overview().unwrap();
    let minghui = overview
        .collections
        .iter()
        .find(|c| c.collection.name == "Minghui")
        .unwrap();
    assert_eq!(minghui.count, Some(3));
}

/// In a library of more than `SPLIT_COUNT_ABOVE` articles a text query is
/// counted in two halves at once, the upper half on a second connection:
/// the sum is the count of the list, with the trash and without, and sees
/// what was committed since the last count.
#[test]
fn a_count_split_over_two_connections_counts_every_match_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.folio");
    let mut lib = Library::open(&path).unwrap();
    for i in 0..6 {
        let body = format!(
            "段落 {i} 法轮功 solar{}",
            if i % 2 == 0 { " wind" } else { "" }
        );
        let a = article(&format!("article {i}"), &[&body]);
        assert!(matches!(
            store(&mut lib, &format!("{i}.html"), &a),
            StoreOutcome::Imported(_)
        ));
    }
    drop(lib);
    // The last three articles get ids past the split (as in a library of
    // 40,000 articles), the first three stay below it.
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "PRAGMA foreign_keys = OFF;
         UPDATE articles SET id = id + 40000 WHERE id > 3;
         UPDATE search_text SET article_id = article_id + 40000 WHERE article_id > 3;
         UPDATE originals SET article_id = article_id + 40000 WHERE article_id > 3;
         UPDATE original_resources SET article_id = article_id + 40000 WHERE article_id > 3;
         UPDATE article_images SET article_id = article_id + 40000 WHERE article_id > 3;
         UPDATE source_tags SET article_id = article_id + 40000 WHERE article_id > 3;
         PRAGMA foreign_keys = ON;
         PRAGMA foreign_key_check;",
    )
    .unwrap();
    drop(raw);
    let mut lib = Library::open(&path).unwrap();
    let listed =
        |lib: &Library, q: &str| lib.list(Some(q), Sort::Date, 100, 0).unwrap().len() as u64;
    for query in [
        "法轮功",
        "solar",
        "wind",
        "solar -wind",
        "法轮 site:nowhere",
        "wind OR 段落",
    ] {
        assert_eq!(
            lib.count(Some(query)).unwrap(),
            listed(&lib, query),
            "{query}"
        );
    }
    assert_eq!(lib.count(Some("法轮功")).unwrap(), 6);
    let upper = lib.list(Some("wind"), Sort::Date, 100, 0).unwrap()[0].id;
    assert!(upper.0 > 40_000);
    lib.trash(upper).unwrap();
    assert_eq!(lib.count(Some("wind")).unwrap(), 2);
    assert_eq!(lib.count(Some("法轮功")).unwrap(), 5);
    lib.restore(upper).unwrap();
    assert_eq!(lib.count(Some("wind")).unwrap(), 3);
}

//! Citations (issue 26): the seed article in every style and format, each
//! format read back by a real parser (BibTeX through `biblatex`, CSL-JSON
//! through serde with its required fields, RIS through a small reader
//! here), bylines split as they are written, special characters escaped,
//! stable keys, and the CLI (`folio cite`, `folio export --format …`).

use std::sync::atomic::AtomicBool;

use biblatex::ChunksExt as _;
use folio::cite::{self, Format, Name, Reference, Style};
use folio::library::{ImportOptions, Library, StoredArticle};

use crate::common;

fn no_progress(_: &folio::library::Progress) {}

/// A library holding the seed, and the seed's id.
fn seed_library(dir: &std::path::Path) -> (Library, folio::library::ArticleId) {
    let mut lib = Library::open(&dir.join("lib.folio")).unwrap();
    let report = lib
        .import_paths(
            &[common::seed_path()],
            &ImportOptions::default(),
            &no_progress,
            &AtomicBool::new(false),
        )
        .unwrap();
    (lib, report.ids[0])
}

/// The SHA-256 of the seed file as saved.
fn seed_sha256() -> String {
    use sha2::Digest as _;
    let bytes = std::fs::read(common::seed_path()).unwrap();
    format!("{:x}", sha2::Sha256::digest(&bytes))
}

/// The seed's reference, added on a fixed day (the accessed date).
fn seed_reference() -> Reference {
    let dir = tempfile::tempdir().unwrap();
    let (lib, id) = seed_library(dir.path());
    let mut stored = lib.article(id).unwrap();
    stored.added_at = "2026-01-15T10:00:00Z".to_owned();
    let hash = lib.original_sha256(id).unwrap();
    Reference::from_stored(&stored, hash.as_deref())
}

/// A stored article with this byline, title and site (nothing else).
fn stored(title: &str, byline: Option<&str>, site: Option<&str>) -> StoredArticle {
    let dir = tempfile::tempdir().unwrap();
    let (lib, id) = seed_library(dir.path());
    let mut stored = lib.article(id).unwrap();
    stored.article.title = title.to_owned();
    stored.article.byline = byline.map(str::to_owned);
    stored.article.site = site.map(str::to_owned);
    stored.article.url = Some("https://www.example.com/a/1".to_owned());
    stored.added_at = "2026-01-15T10:00:00Z".to_owned();
    stored
}

#[test]
fn the_seed_is_cited_exactly_in_each_style() {
    let reference = seed_reference();
    let url = "https://www.epochtimes.com/gb/22/9/22/n13830172.htm";
    let title = "小米11系列屡曝质量问题 售后新政引不满";
    let expected = [
        (
            "apa",
            format!("{title}. (2022, September 22). 大纪元. {url}\n"),
        ),
        (
            "chicago-author-date",
            format!("大纪元. 2022. {title}. September 22. {url}.\n"),
        ),
        ("mla", format!("“{title}.” 大纪元, 22 Sept. 2022, {url}.\n")),
        (
            "gb-7714-2015-numeric",
            format!("{title}[N/OL]. 大纪元, 2022-09-22[2026-01-15]. {url}.\n"),
        ),
        (
            "gb-7714-2015-author-date",
            format!("佚名, 2022. {title}[N/OL]. 大纪元, 2022-09-22[2026-01-15]. {url}.\n"),
        ),
    ];
    for (style, want) in expected {
        let style = Style::by_name(style).unwrap();
        let got = cite::render(std::slice::from_ref(&reference), Format::Text, &style).unwrap();
        assert_eq!(got, want, "{}", style.name());
    }
}

#[test]
fn the_styles_come_from_the_archive_and_an_unknown_one_is_refused() {
    let names: Vec<&str> = cite::styles().into_iter().map(|(n, _)| n).collect();
    for name in [
        "apa",
        "chicago-author-date",
        "mla",
        "gb-7714-2015-numeric",
        "gb-7714-2015-author-date",
    ] {
        assert!(names.contains(&name), "{name} not in {names:?}");
    }
    assert!(names.len() > 50, "{}", names.len());
    assert!(Style::by_name("american-psychological-association").is_ok());
    assert!(Style::by_name("no-such-style").is_err());
}

#[test]
fn the_seed_as_csl_json_parses_back_with_the_required_fields() {
    let reference = seed_reference();
    let text = cite::csl_json(std::slice::from_ref(&reference));
    let items: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    // The CSL-JSON schema requires `id` and `type`; the type is one of its list.
    assert_eq!(item["id"], "epochtimes2022id1");
    assert_eq!(item["type"], "article-newspaper");
    assert_eq!(item["title"], "小米11系列屡曝质量问题 售后新政引不满");
    assert_eq!(item["container-title"], "大纪元");
    assert_eq!(
        item["issued"]["date-parts"],
        serde_json::json!([[2022, 9, 22]])
    );
    assert_eq!(
        item["accessed"]["date-parts"],
        serde_json::json!([[2026, 1, 15]])
    );
    assert_eq!(
        item["URL"],
        "https://www.epochtimes.com/gb/22/9/22/n13830172.htm"
    );
    assert_eq!(item["language"], "zh");
    assert_eq!(
        item["note"],
        format!("Archived copy in Folio, original SHA-256 {}", seed_sha256())
    );
    // Every key is a CSL variable (or `id`), every date a date-parts object.
    let known = [
        "id",
        "type",
        "title",
        "author",
        "container-title",
        "issued",
        "accessed",
        "URL",
        "language",
        "note",
    ];
    for key in item.as_object().unwrap().keys() {
        assert!(known.contains(&key.as_str()), "{key}");
    }
    // And the CSL processor reads it as CSL-JSON.
    let _: hayagriva::citationberg::json::Item = serde_json::from_value(item.clone()).unwrap();
}

#[test]
fn the_seed_as_bibtex_and_biblatex_round_trips_through_the_biblatex_parser() {
    let reference = seed_reference();
    let style = Style::by_name("apa").unwrap();
    for format in [Format::Bibtex, Format::Biblatex] {
        let text = cite::render(std::slice::from_ref(&reference), format, &style).unwrap();
        let bib = biblatex::Bibliography::parse(&text).unwrap();
        assert_eq!(bib.len(), 1, "{text}");
        let entry = bib.get("epochtimes2022id1").unwrap();
        assert_eq!(entry.title().unwrap().format_verbatim(), reference.title);
        let url = entry.url().unwrap();
        assert_eq!(url, "https://www.epochtimes.com/gb/22/9/22/n13830172.htm");
        let note = entry.note().unwrap().format_verbatim();
        assert!(note.ends_with(&seed_sha256()), "{note}");
        let date = entry.date().unwrap();
        let biblatex::PermissiveType::Typed(date) = date else {
            panic!("{date:?}")
        };
        let biblatex::DateValue::At(at) = date.value else {
            panic!("{date:?}")
        };
        assert_eq!(
            (at.year, at.month, at.day),
            (2022, Some(8), Some(21)),
            "{text}"
        );
    }
}

/// A small RIS reader: records of `(tag, value)` lines, each closed by `ER`.
fn read_ris(text: &str) -> Vec<Vec<(String, String)>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let (tag, value) = line.split_once("  - ").unwrap_or_else(|| {
            let tag = line.strip_suffix("  -").expect(line);
            (tag, "")
        });
        assert_eq!(tag.len(), 2, "{line}");
        if tag == "ER" {
            records.push(std::mem::take(&mut record));
        } else {
            record.push((tag.to_owned(), value.to_owned()));
        }
    }
    assert!(record.is_empty(), "a record without ER");
    records
}

#[test]
fn the_seed_as_ris_reads_back() {
    let reference = seed_reference();
    let text = cite::render(
        std::slice::from_ref(&reference),
        Format::Ris,
        &Style::by_name("apa").unwrap(),
    )
    .unwrap();
    let records = read_ris(&text);
    assert_eq!(records.len(), 1);
    let get = |tag: &str| -> Vec<&str> {
        records[0]
            .iter()
            .filter(|(t, _)| t == tag)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(records[0][0], ("TY".to_owned(), "NEWS".to_owned()));
    assert_eq!(get("TI"), ["小米11系列屡曝质量问题 售后新政引不满"]);
    assert_eq!(get("T2"), ["大纪元"]);
    assert_eq!(get("PY"), ["2022"]);
    assert_eq!(get("DA"), ["2022/09/22/"]);
    assert_eq!(get("Y2"), ["2026/01/15/"]);
    assert_eq!(
        get("UR"),
        ["https://www.epochtimes.com/gb/22/9/22/n13830172.htm"]
    );
    assert!(get("AU").is_empty());
    assert_eq!(get("N1").len(), 1);
}

#[test]
fn bylines_are_split_where_they_separate_names_and_chinese_names_stay_whole() {
    let lit = |s: &str| Name::Literal(s.to_owned());
    let person = |given: &str, family: &str| Name::Person {
        family: family.to_owned(),
        given: given.to_owned(),
    };
    assert_eq!(cite::authors("张三、李四"), [lit("张三"), lit("李四")]);
    assert_eq!(cite::authors("张三 李四"), [lit("张三"), lit("李四")]);
    assert_eq!(cite::authors("张三和李四"), [lit("张三"), lit("李四")]);
    // Role words are not authors (a corrected byline often keeps them).
    assert_eq!(cite::authors("记者 王五"), [lit("王五")]);
    assert_eq!(
        cite::authors("（本报记者 张三 李四）"),
        [lit("张三"), lit("李四")]
    );
    assert_eq!(cite::authors("通讯员 王文"), [lit("王文")]);
    assert_eq!(cite::authors("王和平"), [lit("王和平")]);
    assert_eq!(
        cite::authors("欧阳修，司马光"),
        [lit("欧阳修"), lit("司马光")]
    );
    assert_eq!(cite::authors("By Jane Smith"), [person("Jane", "Smith")]);
    assert_eq!(
        cite::authors("Jane Smith and John McDonald"),
        [person("Jane", "Smith"), person("John", "McDonald")]
    );
    assert_eq!(cite::authors("BBC News"), [lit("BBC News")]);
    assert!(cite::authors("").is_empty());

    // Two Chinese names: literal in CSL-JSON, braced whole in BibTeX, and
    // the style writes them as written.
    let style = Style::by_name("apa").unwrap();
    let two = Reference::from_stored(&stored("标题", Some("张三、李四"), Some("新闻网")), None);
    let json = cite::csl_json_item(&two);
    assert_eq!(
        json["author"],
        serde_json::json!([{ "literal": "张三" }, { "literal": "李四" }])
    );
    let bib = cite::render(std::slice::from_ref(&two), Format::Bibtex, &style).unwrap();
    assert!(bib.contains("author = {{张三} and {李四}}"), "{bib}");
    let parsed = biblatex::Bibliography::parse(&bib).unwrap();
    let authors = parsed.iter().next().unwrap().author().unwrap();
    assert_eq!(authors.len(), 2);
    let text = cite::render(std::slice::from_ref(&two), Format::Text, &style).unwrap();
    assert!(text.starts_with("张三, & 李四. (2022"), "{text}");

    // One Latin name: family and given.
    let latin =
        Reference::from_stored(&stored("Whales", Some("Jane Smith"), Some("Example")), None);
    assert_eq!(
        cite::csl_json_item(&latin)["author"],
        serde_json::json!([{ "family": "Smith", "given": "Jane" }])
    );
    let text = cite::render(std::slice::from_ref(&latin), Format::Text, &style).unwrap();
    assert!(text.starts_with("Smith, J. (2022"), "{text}");
    let ris = cite::render(std::slice::from_ref(&latin), Format::Ris, &style).unwrap();
    assert!(read_ris(&ris)[0].contains(&("AU".to_owned(), "Smith, Jane".to_owned())));

    // None: no author field anywhere.
    let none = Reference::from_stored(&stored("Whales", None, Some("Example")), None);
    assert!(cite::csl_json_item(&none).get("author").is_none());
    let bib = cite::render(std::slice::from_ref(&none), Format::Biblatex, &style).unwrap();
    assert!(!bib.contains("author"), "{bib}");
}

#[test]
fn special_characters_are_escaped_in_bibtex_and_read_back_the_same() {
    let title = "50% of {braces} & a_b #1 \"quoted\"\nand a new line $x$ ~";
    let reference =
        Reference::from_stored(&stored(title, Some("A. B. Jones"), Some("Site & Co")), None);
    for format in [Format::Bibtex, Format::Biblatex] {
        let text = cite::render(
            std::slice::from_ref(&reference),
            format,
            &Style::by_name("apa").unwrap(),
        )
        .unwrap();
        assert!(text.contains(r"50\% of \{braces\} \& a\_b \#1"), "{text}");
        assert!(!text.contains('\n') || text.lines().all(|l| !l.starts_with("and a new")));
        let bib = biblatex::Bibliography::parse(&text).unwrap();
        let entry = bib.iter().next().unwrap();
        assert_eq!(
            entry.title().unwrap().format_verbatim(),
            "50% of {braces} & a_b #1 \"quoted\" and a new line $x$ ~"
        );
    }
}

#[test]
fn keys_are_stable_and_a_collision_takes_a_suffix_by_article_id() {
    let mut a = Reference::from_stored(&stored("Whales sing", None, Some("The Guardian")), None);
    assert_eq!(a.key, "guardian2022whales");
    let mut b = a.clone();
    b.article_id = a.article_id + 5;
    let mut c = a.clone();
    c.article_id = a.article_id + 9;
    let chinese = Reference::from_stored(&stored("鲸鱼在唱歌", None, Some("新闻网")), None);
    assert_eq!(chinese.key, format!("example2022id{}", chinese.article_id));
    // Given in any order, the lowest id keeps the plain key.
    let mut refs = vec![c.clone(), a.clone(), b.clone()];
    cite::assign_keys(&mut refs);
    let keys: Vec<&str> = refs.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "guardian2022whalesc",
            "guardian2022whales",
            "guardian2022whalesb"
        ]
    );
    // A newer article does not change the older keys.
    let mut newer = a.clone();
    newer.article_id += 100;
    let mut more = vec![a.clone(), b.clone(), c.clone(), newer];
    cite::assign_keys(&mut more);
    assert_eq!(more[0].key, "guardian2022whales");
    assert_eq!(more[1].key, "guardian2022whalesb");
    assert_eq!(more[2].key, "guardian2022whalesc");
    assert_eq!(more[3].key, "guardian2022whalesd");
    a.key.clear();
    b.key.clear();
    c.key.clear();
}

#[test]
fn folio_cite_and_export_write_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, id) = seed_library(dir.path());
    drop(lib);
    let library = dir.path().join("lib.folio");
    let id = id.to_string();
    let run = |args: &[&str]| {
        let out = common::folio_on(&library, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["cite", &id, "--style", "gb-7714-2015-numeric"]);
    assert!(
        text.starts_with("小米11系列屡曝质量问题 售后新政引不满[N/OL]. 大纪元, 2022-09-22["),
        "{text}"
    );
    // The setting chooses the style.
    run(&["settings", "citation_style", "mla"]);
    let text = run(&["cite", &id]);
    assert!(
        text.starts_with("“小米11系列屡曝质量问题 售后新政引不满.” 大纪元, 22 Sept. 2022"),
        "{text}"
    );
    let refused = common::folio_on(&library, &["settings", "citation_style", "nonsense"]);
    assert!(!refused.status.success());
    let refused = common::folio_on(&library, &["cite", &id, "--style", "nonsense"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no citation style named"));

    let bib = run(&["cite", &id, "--format", "bibtex"]);
    assert_eq!(biblatex::Bibliography::parse(&bib).unwrap().len(), 1);
    let json = run(&["cite", &id, "--format", "csl-json"]);
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&json)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(read_ris(&run(&["cite", &id, "--format", "ris"])).len(), 1);
    let styles = run(&["cite", "--list-styles"]);
    assert!(
        styles
            .lines()
            .any(|l| l.starts_with("gb-7714-2015-author-date\t"))
    );

    // `export` writes a file (refusing to replace another program's), or prints.
    let printed = run(&["export", "--format", "ris", "售后新政"]);
    assert_eq!(read_ris(&printed).len(), 1);
    let out = dir.path().join("refs.bib");
    run(&[
        "export",
        "--format",
        "bibtex",
        "--out",
        out.to_str().unwrap(),
        "售后新政",
    ]);
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, bib);
    run(&[
        "export",
        "--format",
        "bibtex",
        "--force",
        "--out",
        out.to_str().unwrap(),
    ]);
    let other = dir.path().join("mine.bib");
    std::fs::write(&other, "my own notes\n").unwrap();
    let refused = common::folio_on(
        &library,
        &[
            "export",
            "--format",
            "bibtex",
            "--force",
            "--out",
            other.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "my own notes\n");
}

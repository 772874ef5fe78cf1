//! The search promise, checked against a brute-force scan: a query that
//! starts with a CJK character finds exactly the live articles whose title,
//! body, captions or note contain it (case-insensitively for Latin letters),
//! whatever its length.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use std::collections::BTreeSet;
use std::sync::Arc;

use folio::library::{ImportMode, Library, Sort};
use folio::model::{Article, Block, Image, Inline};
use folio::read::{Format, Resources, Source};
use proptest::prelude::*;

/// A small alphabet so that generated texts and queries collide often.
const CJK: &[char] = &['小', '米', '主', '板', '系', '列', 'の', '한'];
const LATIN: &[char] = &['a', 'b', 'A', 'B', '1'];
const SEPARATORS: &[char] = &[' ', '，', '\n', '。'];

fn text(max: usize) -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        6 => prop::sample::select(CJK),
        3 => prop::sample::select(LATIN),
        1 => prop::sample::select(SEPARATORS),
    ];
    prop::collection::vec(chars, 0..max).prop_map(|v| v.into_iter().collect())
}

#[derive(Clone, Debug)]
struct Doc {
    title: String,
    paragraphs: Vec<String>,
    caption: Option<String>,
    note: Option<String>,
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        text(10),
        prop::collection::vec(text(24), 0..3),
        prop::option::of(text(10)),
        prop::option::of(text(10)),
    )
        .prop_map(|(title, paragraphs, caption, note)| Doc {
            title,
            paragraphs,
            caption,
            note,
        })
}

fn to_article(doc: &Doc, i: usize) -> Article {
    let mut blocks: Vec<Block> = doc
        .paragraphs
        .iter()
        .map(|p| Block::Paragraph {
            inlines: vec![Inline::text(p.clone())],
        })
        .collect();
    if let Some(caption) = &doc.caption {
        blocks.push(Block::Image(Image {
            src: format!("https://example.com/{i}.jpg"),
            caption: Some(caption.clone()),
            ..Image::default()
        }));
    }
    Article {
        title: doc.title.clone(),
        // A unique URL so no generated article counts as a duplicate.
        url: Some(format!("https://example.com/article/{i}")),
        blocks,
        ..Article::default()
    }
}

fn source(i: usize) -> Source {
    Source {
        file_name: format!("{i}.html"),
        format: Format::Html,
        text: String::new(),
        saved_from: None,
        resources: Resources::default(),
        original: Arc::from(format!("<p>{i}</p>").as_bytes()),
        warnings: Vec::new(),
        captured: None,
    }
}

/// Substrings of the docs' texts that start with a CJK character and hold no separator.
fn substrings(docs: &[Doc], seeds: &[(usize, usize, usize)]) -> Vec<String> {
    let texts: Vec<Vec<char>> = docs
        .iter()
        .flat_map(|d| {
            let mut t = vec![d.title.clone()];
            t.extend(d.paragraphs.iter().cloned());
            t.extend(d.note.clone());
            t
        })
        .map(|t| t.chars().collect())
        .collect();
    let mut out = Vec::new();
    if texts.is_empty() {
        return out;
    }
    for &(which, start, len) in seeds {
        let chars = &texts[which % texts.len()];
        if chars.is_empty() {
            continue;
        }
        let start = start % chars.len();
        if !CJK.contains(&chars[start]) {
            continue;
        }
        let q: String = chars[start..]
            .iter()
            .take(1 + len)
            .take_while(|c| !SEPARATORS.contains(c))
            .collect();
        out.push(q);
    }
    out
}

fn brute_force(docs: &[Doc], ids: &[i64], query: &str) -> BTreeSet<i64> {
    let query = query.to_lowercase();
    docs.iter()
        .zip(ids)
        .filter(|(doc, _)| {
            let article = to_article(doc, 0);
            [
                doc.title.clone(),
                article.searchable_text(),
                doc.note.clone().unwrap_or_default(),
            ]
            .iter()
            .any(|t| t.to_lowercase().contains(&query))
        })
        .map(|(_, id)| *id)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn search_equals_substring_scan(
        docs in prop::collection::vec(doc(), 1..12),
        random_queries in prop::collection::vec(
            prop::collection::vec(prop::sample::select(CJK), 1..5)
                .prop_map(|v| v.into_iter().collect::<String>()),
            1..6,
        ),
        seeds in prop::collection::vec((0usize..64, 0usize..64, 0usize..8), 0..8),
    ) {
        let mut lib = Library::open_in_memory().unwrap();
        let mut ids = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            let outcome = lib
                .store_article(&source(i), &to_article(doc, i), ImportMode::SkipDuplicates)
                .unwrap();
            let id = outcome.id();
            if let Some(note) = &doc.note {
                lib.set_note(id, note).unwrap();
            }
            ids.push(id.0);
        }
        let mut queries = random_queries;
        queries.extend(substrings(&docs, &seeds));
        for query in &queries {
            let expected = brute_force(&docs, &ids, query);
            let found: BTreeSet<i64> = lib
                .search(query, 1000, 0)
                .unwrap()
                .iter()
                .map(|h| h.summary.id.0)
                .collect();
            prop_assert_eq!(&found, &expected, "search for {:?}", query);
            let listed: BTreeSet<i64> = lib
                .list(Some(query), Sort::Date, 1000, 0)
                .unwrap()
                .iter()
                .map(|s| s.id.0)
                .collect();
            prop_assert_eq!(&listed, &expected, "list for {:?}", query);
            prop_assert_eq!(lib.count(Some(query)).unwrap(), expected.len() as u64);
        }
    }
}

/// Simplified and Traditional forms, the one-to-many ones included (干 乾 幹,
/// 后 後, 发 發 髮, 里 裏), a compatibility ideograph (U+F91F, 烙 as written
/// in Korean texts, whose NFKC form is 烙) and full-width letters.
const SCRIPTS: &[char] = &[
    '神', '韵', '韻', '法', '轮', '輪', '干', '乾', '幹', '后', '後', '发', '發', '髮', '里', '裏',
    '烙', '\u{F91F}',
];
const WIDE: &[char] = &['a', 'Ａ', 'ａ', '1', '１'];
const WIDE_SEPARATORS: &[char] = &[' ', '，', '\u{3000}', '－'];

fn mixed_text(max: usize) -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        6 => prop::sample::select(SCRIPTS),
        2 => prop::sample::select(WIDE),
        1 => prop::sample::select(WIDE_SEPARATORS),
    ];
    prop::collection::vec(chars, 0..max).prop_map(|v| v.into_iter().collect())
}

fn mixed_doc() -> impl Strategy<Value = Doc> {
    (
        mixed_text(8),
        prop::collection::vec(mixed_text(20), 0..3),
        prop::option::of(mixed_text(8)),
        prop::option::of(mixed_text(8)),
    )
        .prop_map(|(title, paragraphs, caption, note)| Doc {
            title,
            paragraphs,
            caption,
            note,
        })
}

/// The articles whose text, folded with `scripts` (or widths only), holds
/// the folded query.
fn brute_force_folded(docs: &[Doc], ids: &[i64], query: &str, scripts: bool) -> BTreeSet<i64> {
    let fold = |t: &str| folio::library::fold::fold_with(t, scripts).to_lowercase();
    let query = fold(query);
    docs.iter()
        .zip(ids)
        .filter(|(doc, _)| {
            let article = to_article(doc, 0);
            [
                doc.title.clone(),
                article.searchable_text(),
                doc.note.clone().unwrap_or_default(),
            ]
            .iter()
            .any(|t| fold(t).contains(&query))
        })
        .map(|(_, id)| *id)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Folded search is a substring scan over folded text, for Simplified,
    /// Traditional and mixed queries; `exact:` is one over text folded in
    /// width only.
    #[test]
    fn folded_search_equals_folded_substring_scan(
        docs in prop::collection::vec(mixed_doc(), 1..12),
        queries in prop::collection::vec(
            prop::collection::vec(prop::sample::select(SCRIPTS), 1..4)
                .prop_map(|v| v.into_iter().collect::<String>()),
            1..6,
        ),
    ) {
        let mut lib = Library::open_in_memory().unwrap();
        let mut ids = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            let id = lib
                .store_article(&source(i), &to_article(doc, i), ImportMode::SkipDuplicates)
                .unwrap()
                .id();
            if let Some(note) = &doc.note {
                lib.set_note(id, note).unwrap();
            }
            ids.push(id.0);
        }
        for query in &queries {
            let expected = brute_force_folded(&docs, &ids, query, true);
            let found: BTreeSet<i64> = lib
                .search(query, 1000, 0)
                .unwrap()
                .iter()
                .map(|h| h.summary.id.0)
                .collect();
            prop_assert_eq!(&found, &expected, "search for {:?}", query);
            prop_assert_eq!(lib.count(Some(query)).unwrap(), expected.len() as u64);
            let exact = format!("exact:{query}");
            let expected = brute_force_folded(&docs, &ids, query, false);
            let found: BTreeSet<i64> = lib
                .search(&exact, 1000, 0)
                .unwrap()
                .iter()
                .map(|h| h.summary.id.0)
                .collect();
            prop_assert_eq!(&found, &expected, "search for {:?}", exact);
            prop_assert_eq!(lib.count(Some(&exact)).unwrap(), expected.len() as u64);
        }
    }
}

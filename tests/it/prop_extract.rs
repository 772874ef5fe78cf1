//! Issue 7: `read_bytes` + `extract` over random bytes, random tag soup and
//! mutated real pages never panic, finish in bounded time, and keep the
//! output's invariants: no markup in any text, captions only on images
//! (structural), no U+0000 anywhere in the text.
//!
//! 64 cases per property by default; more with `PROPTEST_CASES=1000 cargo
//! test --test it prop_extract::`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::path::Path;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use folio::model::{Article, Block, Image, Inline, ListItem};
use proptest::prelude::*;

/// Longest one input may take through read + extract (a debug build on a shared machine).
const TIME_BOUND: Duration = Duration::from_secs(5);

/// Real pages to mutate: the seed, mirror pages, readability sources, other formats.
static FIXTURES: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let f = common::fixtures();
    [
        "seed/000_2ed360ca1ed3b761.txt",
        "mirror/140-336623.md",
        "mirror/19-420864.md",
        "mirror/245-330507.md",
        "readability/001/source.html",
        "readability/daringfireball-1/source.html",
        "readability/hidden-nodes/source.html",
        "readability/social-buttons/source.html",
        "readability/replace-brs/source.html",
        "formats/charset/m-epoch.gbk.html",
        "formats/complete/m-epoch/m-epoch.html",
        "formats/mhtml/m-minghui.mhtml",
    ]
    .iter()
    .map(|p| std::fs::read(f.join(p)).unwrap_or_else(|e| panic!("{p}: {e}")))
    .collect()
});

/// A `<` that starts no tag, so a browser shows it as text.
static LONE_LT: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"<([^a-z/!?]|$)|</([^a-z]|$)").unwrap());

/// Pieces of markup that random soup and mutations are made of.
const TAGS: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<span>",
    "<b>",
    "</b>",
    "<em>",
    "<a href=\"http://example.com/x\">",
    "</a>",
    "<br>",
    "<br/>",
    "<img src=\"page_files/a.png\" alt=\"alt text\">",
    "<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
    "<img>",
    "<figure>",
    "</figure>",
    "<figcaption>",
    "</figcaption>",
    "<div class=\"caption\">",
    "<table><tr><td>",
    "</td><td>",
    "</table>",
    "<ul><li>",
    "</li></ul>",
    "<blockquote>",
    "<pre>",
    "</pre>",
    "<h2>",
    "</h2>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<svg>",
    "<math>",
    "<template>",
    "<noscript>",
    "<noframes>",
    "<noembed>",
    "<iframe>",
    "<title>",
    "<meta charset=\"gbk\">",
    "<meta property=\"og:image\" content=\"http://x/a.jpg\">",
    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"h\\u0000x\"}</script>",
    "&nbsp;",
    "&#0;",
    "&#x0;",
    "\0",
    "小米手机",
    "责任编辑：方明",
    "图1：",
    "【大纪元2022年09月22日讯】",
    "\n### ",
    "原文链接",
    "\r\n--B\r\nContent-Type: text/html\r\n\r\n",
    "text ",
    " ",
    "\n",
];

#[derive(Clone, Debug)]
enum Mutation {
    Truncate(f64),
    Splice(f64, Vec<u8>),
    Duplicate(f64, f64),
    Delete(f64, f64),
    InsertTag(f64, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let frac = || 0.0..1.0f64;
    prop_oneof![
        frac().prop_map(Mutation::Truncate),
        (frac(), prop::collection::vec(any::<u8>(), 1..32))
            .prop_map(|(at, bytes)| Mutation::Splice(at, bytes)),
        (frac(), 0.0..0.2f64).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
        (frac(), 0.0..0.2f64).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (frac(), 0..TAGS.len()).prop_map(|(at, tag)| Mutation::InsertTag(at, tag)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let pos = |f: f64, len: usize| ((len as f64 * f) as usize).min(len);
    let len = bytes.len();
    match m {
        Mutation::Truncate(at) => bytes.truncate(pos(*at, len)),
        Mutation::Splice(at, new) => {
            let at = pos(*at, len);
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::Duplicate(at, n) => {
            let at = pos(*at, len);
            let end = (at + pos(*n, len)).min(len);
            let copy = bytes[at..end].to_vec();
            bytes.splice(end..end, copy);
        }
        Mutation::Delete(at, n) => {
            let at = pos(*at, len);
            let end = (at + pos(*n, len)).min(len);
            bytes.drain(at..end);
        }
        Mutation::InsertTag(at, tag) => {
            let at = pos(*at, len);
            bytes.splice(at..at, TAGS[*tag].bytes());
        }
    }
}

/// Read and extract `bytes`; check time and invariants.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let start = Instant::now();
    let source = folio::read::read_bytes(Path::new("prop.html"), "prop.html", Arc::from(bytes));
    let Ok(source) = source else {
        return Ok(()); // refused with an error: fine
    };
    let article = folio::extract::extract(&source);
    let elapsed = start.elapsed();
    prop_assert!(
        elapsed < TIME_BOUND,
        "{} bytes took {elapsed:?}",
        bytes.len()
    );
    // `<` may legitimately appear in text written as an entity, as a lone
    // `<` that starts no tag (`a < b`, `<<v>p>` shows "<p>"), in raw-text
    // elements a browser shows as written, or in CDATA.
    let lower = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    let literal_lt_possible = [
        "&lt",
        "&#6",
        "&#x3",
        "xmp",
        "plaintext",
        "cdata",
        "<textarea",
    ]
    .iter()
    .any(|p| lower.contains(p))
        || LONE_LT.is_match(&lower)
        || source.format == folio::read::Format::Mhtml
        || source.text.contains("&lt")
        || !source.warnings.is_empty();
    check_article(&article, !literal_lt_possible)
}

fn check_text(text: &str, what: &str, markup_free: bool) -> Result<(), TestCaseError> {
    prop_assert!(!text.contains('\0'), "U+0000 in {what}: {text:?}");
    if markup_free {
        for tag in ["<p", "<div", "<img", "</"] {
            prop_assert!(!text.contains(tag), "markup {tag:?} in {what}: {text:?}");
        }
    }
    Ok(())
}

fn check_inlines(inlines: &[Inline], markup_free: bool) -> Result<(), TestCaseError> {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => {
                check_text(text, "inline text", markup_free)?
            }
            Inline::Link { href, children } => {
                prop_assert!(!href.contains('\0'));
                check_inlines(children, markup_free)?;
            }
            Inline::Emphasis { children } | Inline::Strong { children } => {
                check_inlines(children, markup_free)?
            }
            Inline::LineBreak => {}
        }
    }
    Ok(())
}

fn check_image(image: &Image, markup_free: bool) -> Result<(), TestCaseError> {
    // A caption can only live on an image: it is a field of `Image`.
    for (what, text) in [
        ("caption", &image.caption),
        ("alt", &image.alt),
        ("credit", &image.credit),
    ] {
        if let Some(text) = text {
            check_text(text, what, markup_free)?;
        }
    }
    prop_assert!(!image.src.contains('\0'));
    Ok(())
}

fn check_blocks(blocks: &[Block], markup_free: bool) -> Result<(), TestCaseError> {
    for block in blocks {
        match block {
            Block::Heading { inlines, .. } | Block::Paragraph { inlines } => {
                check_inlines(inlines, markup_free)?
            }
            Block::List { items, .. } => {
                for ListItem { inlines, children } in items {
                    check_inlines(inlines, markup_free)?;
                    check_blocks(children, markup_free)?;
                }
            }
            Block::Quote { blocks } => check_blocks(blocks, markup_free)?,
            // Code is shown as written: only NUL is checked.
            Block::Code { text } => check_text(text, "code", false)?,
            Block::Table { rows } => {
                for cell in rows.iter().flatten() {
                    check_text(cell, "table cell", markup_free)?;
                }
            }
            Block::Image(image) => check_image(image, markup_free)?,
        }
    }
    Ok(())
}

fn check_article(article: &Article, markup_free: bool) -> Result<(), TestCaseError> {
    check_text(&article.title, "title", false)?;
    for field in [
        &article.byline,
        &article.editor,
        &article.published,
        &article.site,
        &article.url,
        &article.lang,
        &article.excerpt,
    ]
    .into_iter()
    .flatten()
    {
        check_text(field, "metadata", false)?;
    }
    for tag in &article.source_tags {
        check_text(tag, "source tag", false)?;
    }
    check_blocks(&article.blocks, markup_free)
}

fn soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            (0..TAGS.len()).prop_map(|i| TAGS[i].as_bytes().to_vec()),
            "[a-zA-Z0-9 小米手机。，]{1,12}".prop_map(String::into_bytes),
        ],
        0..200,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes)?;
    }

    #[test]
    fn random_strings_never_panic(text in "[<>/a-z =\"'\n&;#0-9\u{4e00}-\u{4e10}!-]{0,2000}") {
        check(text.as_bytes())?;
    }

    #[test]
    fn random_tag_soup_keeps_invariants(bytes in soup()) {
        check(&bytes)?;
    }

    #[test]
    fn mutated_real_pages_keep_invariants(
        index in 0..12usize,
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let mut bytes = FIXTURES[index % FIXTURES.len()].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        check(&bytes)?;
    }
}

/// Found by the mutation property: an `<img src>` whose 5th byte falls inside
/// a multi-byte character was sliced at byte 5 to test for `data:` and panicked.
#[test]
fn regression_img_src_sliced_inside_a_multibyte_char() {
    for src in [
        "ab€cdef",
        "abcd€ef",
        "/直触心灵",
        "€€€",
        "data€",
        "dat\u{e9}:x",
    ] {
        let page = format!("<html><body><p>text</p><img src=\"{src}\"><p>more</p></body></html>");
        check(page.as_bytes()).unwrap();
    }
}

/// Found by the tag-soup property: a JSON-LD `"headline": "h\u0000x"` put U+0000 in the title.
#[test]
fn regression_json_ld_nul_in_title() {
    let page = "<html><head><script type=\"application/ld+json\">\
                {\"@type\":\"NewsArticle\",\"headline\":\"h\\u0000x\"}</script></head>\
                <body><p>text</p></body></html>";
    check(page.as_bytes()).unwrap();
}

/// Found by the tag-soup property: script text inside a `<figcaption>` (and
/// table cells, `<pre>`) was taken as its text.
#[test]
fn regression_script_text_in_figcaption() {
    check(b"<figure><figcaption></td><td><script><p>").unwrap();
    check(b"<table><tr><td>a<script>if (a) { x = '<div>' }</script></td></tr></table>").unwrap();
}

/// Found by the tag-soup property: the raw text of `<noframes>` (inside a
/// `<noscript>`, which the readability pass parses as markup) became a paragraph.
#[test]
fn regression_noframes_text_in_body() {
    check(b"</pre><noscript><p><noframes><img src=\"page_files/a.png\" alt=\"alt text\">").unwrap();
    check(b"<p><table><tr><td><svg><script><p><noframes></a>").unwrap();
    check(b"<iframe>### title\n<p>x</p>").unwrap();
}

/// Found by tests/it/hostile.rs: quotes nested 100,000 deep made a body whose
/// JSON serde_json refuses to read back (recursion limit), so the stored
/// article was unreadable.
#[test]
fn regression_deep_quotes_body_json_roundtrip() {
    for open in ["<blockquote>", "<ul><li>", "<em>", "<a href=\"http://x/\">"] {
        let page = format!("<html><body>{}deep words</body></html>", open.repeat(2_000));
        let source = folio::read::read_bytes(
            Path::new("deep.html"),
            "deep.html",
            Arc::from(page.as_bytes()),
        )
        .unwrap();
        let article = folio::extract::extract(&source);
        let json = serde_json::to_string(&article.blocks).unwrap();
        let back: Vec<Block> =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{open}: {e}"));
        assert_eq!(back, article.blocks);
        assert!(folio::model::blocks_text(&back).contains("deep words"));
    }
}

/// The unmutated fixtures pass the same checks (the checks are not vacuous).
#[test]
fn fixtures_pass_the_checks() {
    for bytes in FIXTURES.iter() {
        check(bytes).unwrap();
    }
}

//! Highlights: re-anchoring over changed canonical text (a table of edits),
//! storage in the library, re-anchoring on re-extraction, import --update and
//! merge, search in comments, and exports.

mod common;

use std::sync::Arc;

use folio::model::anchor::{Anchor, How, Selectors, reanchor};
use folio::model::canonical::CanonicalText;

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

const BASE: &str = "The harbour board met on Tuesday to discuss the new breakwater. \
Members of the committee raised concerns about the cost, which has doubled since the \
original estimate in 2019.\n\nThe committee will report to the council in March. \
Residents who spoke at the meeting asked for the breakwater to be finished before winter \
storms arrive, and several fishermen described damage to their boats last year.\n\n\
Harbour master Ann Kerr said the works would not close the harbour entrance at any time.";

/// What re-anchoring should find: the text under the new range, and how.
#[derive(Debug, PartialEq)]
enum Want {
    At(&'static str, &'static str),
    Orphan,
}

fn how_name(how: How) -> &'static str {
    match how {
        How::Position => "position",
        How::ExactQuote => "exact",
        How::Fuzzy { .. } => "fuzzy",
    }
}

/// Highlight the `nth` occurrence of `quote` in `old`, re-anchor in `new`.
fn run(old: &str, quote: &str, nth: usize, new: &str) -> Want {
    let old_chars = chars(old);
    let byte = old
        .match_indices(quote)
        .nth(nth)
        .unwrap_or_else(|| panic!("{quote:?} #{nth} not in the old text"))
        .0;
    let start = old[..byte].chars().count();
    let sel = Selectors::from_range(&old_chars, start..start + quote.chars().count());
    let new_chars = chars(new);
    match reanchor(&sel, &new_chars) {
        Anchor::Orphan => Want::Orphan,
        Anchor::Anchored { start, end, how } => {
            let found: String = new_chars[start..end].iter().collect();
            Want::At(Box::leak(found.into_boxed_str()), how_name(how))
        }
    }
}

#[test]
fn reanchoring_table() {
    let quote = "raised concerns about the cost";
    let inserted = BASE.replace(
        "The harbour board",
        "A new opening paragraph about something else entirely.\n\nThe harbour board",
    );
    let edited = BASE.replace(
        "raised concerns about the cost",
        "raised serious concerns about its cost",
    );
    let deleted = BASE.replace(
        "Members of the committee raised concerns about the cost, which has doubled since the \
         original estimate in 2019.",
        "",
    );
    // "committee" occurs twice; one more is inserted before both; the
    // highlighted second one is found (which one: see the test below).
    let repeated = BASE.replace("Members of", "The committee chair spoke first. Members of");
    let whitespace = BASE.replace("the cost, which", "the  cost,\nwhich");
    let cjk_old = "市场监管部门表示，将对小米\n手机的售后政策进行调查，并要求企业在十日内作出说明。另外，消费者协会也收到了大量投诉。";
    let cjk_new = "市场监管部门表示，将对小米手机的售后政策进行调查，并要求企业在十日内作出说明。另外，消费者协会也收到了大量投诉。";
    let wednesday = BASE.replace("on Tuesday", "on Wednesday");
    let tuesday_elsewhere = BASE
        .replace(
            "The harbour board met on Tuesday to discuss the new breakwater. ",
            "",
        )
        .replace("boats last year", "boats, fishermen said on Tuesday");
    let short_moved =
        "Harbour master Ann Kerr said the works would not close. Elsewhere: the cost.";
    let cases: Vec<(&str, &str, &str, usize, &str, Want)> = vec![
        (
            "unchanged",
            BASE,
            quote,
            0,
            BASE,
            Want::At(quote, "position"),
        ),
        (
            "a paragraph inserted before",
            BASE,
            quote,
            0,
            &inserted,
            Want::At(quote, "exact"),
        ),
        (
            "words edited inside the quote",
            BASE,
            quote,
            0,
            &edited,
            Want::At("raised serious concerns about its cost", "fuzzy"),
        ),
        (
            "the quoted text deleted",
            BASE,
            quote,
            0,
            &deleted,
            Want::Orphan,
        ),
        (
            "the quote repeated: the second occurrence, text inserted between",
            BASE,
            "committee",
            1,
            &repeated,
            Want::At("committee", "exact"),
        ),
        (
            "whitespace changed inside the quote",
            BASE,
            "about the cost, which has doubled",
            0,
            &whitespace,
            Want::At("about the  cost,\nwhich has doubled", "fuzzy"),
        ),
        (
            "a CJK line break removed",
            cjk_old,
            "将对小米\n手机的售后政策进行调查",
            0,
            cjk_new,
            Want::At("将对小米手机的售后政策进行调查", "fuzzy"),
        ),
        (
            "a one-word quote replaced by another word: an orphan, not its last letters",
            BASE,
            "Tuesday",
            0,
            &wednesday,
            Want::Orphan,
        ),
        (
            "a short quote deleted, the same word elsewhere: not moved onto it",
            BASE,
            "Tuesday",
            0,
            &tuesday_elsewhere,
            Want::Orphan,
        ),
        (
            "a short quote whose context is gone entirely",
            BASE,
            "the cost",
            0,
            short_moved,
            Want::Orphan,
        ),
    ];
    for (name, old, quote, nth, new, want) in cases {
        assert_eq!(run(old, quote, nth, new), want, "{name}");
    }
}

#[test]
fn the_repeated_quote_lands_on_the_right_occurrence() {
    // Both "The committee" of the repeated text are exact; the context picks
    // the one that was highlighted, not the first or the nearest.
    let old = "Intro text here.\n\nFirst: the committee met at noon on Monday.\n\n\
               Second: the committee met at dawn on Friday.";
    let new = "Inserted paragraph: the committee met, pushing everything along.\n\n\
               Intro text here.\n\nFirst: the committee met at noon on Monday.\n\n\
               Between: the committee met again.\n\n\
               Second: the committee met at dawn on Friday.";
    let old_chars = chars(old);
    let byte = old.rfind("the committee").unwrap_or(0);
    let start = old[..byte].chars().count();
    let sel = Selectors::from_range(&old_chars, start..start + 13);
    let new_chars = chars(new);
    let Anchor::Anchored { start, .. } = reanchor(&sel, &new_chars) else {
        panic!("orphaned");
    };
    let want = new[..new.rfind("the committee").unwrap_or(0)]
        .chars()
        .count();
    assert_eq!(start, want);
}

#[test]
fn a_whole_new_extraction_of_the_seed_keeps_its_highlights() {
    let path = common::seed_path();
    let bytes = std::fs::read(&path).unwrap();
    let old = folio::extract::extract(&folio::read::read_path(&path).unwrap());
    let old_text = CanonicalText::new(&old.blocks);
    // The page changed: a paragraph added at the top of the body, a word
    // changed in the first paragraph.
    let changed = String::from_utf8(bytes)
        .unwrap()
        .replacen(
            "<!-- article content begin -->",
            "<!-- article content begin -->\n <p>编者按：本文于发表后有所更新，增加了一段说明。</p>",
            1,
        )
        .replacen("9月20日晚", "9月20日夜间", 1);
    let source = folio::read::read_bytes(
        &path,
        "000_2ed360ca1ed3b761.txt",
        Arc::from(changed.into_bytes().into_boxed_slice()),
    )
    .unwrap();
    let new = folio::extract::extract(&source);
    let new_text = CanonicalText::new(&new.blocks);
    assert_ne!(old_text.text, new_text.text);
    let old_chars = old_text.chars();
    let new_chars = new_text.chars();
    for (quote, want, how) in [
        ("总阅读量达近2.5亿人次", "总阅读量达近2.5亿人次", "exact"),
        (
            "9月20日晚，“维修店称小米11系列近5成都有问题”",
            "9月20日夜间，“维修店称小米11系列近5成都有问题”",
            "fuzzy",
        ),
        (
            "图为小米手机在北京的一家服务中心。",
            "图为小米手机在北京的一家服务中心。",
            "position",
        ),
    ] {
        let byte = old_text
            .text
            .find(quote)
            .unwrap_or_else(|| panic!("{quote}"));
        let start = old_text.text[..byte].chars().count();
        let sel = Selectors::from_range(&old_chars, start..start + quote.chars().count());
        match reanchor(&sel, &new_chars) {
            Anchor::Anchored { start, end, how: h } => {
                assert_eq!(new_text.slice(start..end), want);
                assert_eq!(how_name(h), how, "{quote}");
            }
            Anchor::Orphan => panic!("{quote} orphaned"),
        }
    }
}

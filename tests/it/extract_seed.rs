//! The seed (tests/fixtures/seed): the article Folio was first asked to show.
//! Pins every field the reader shows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use folio::model::{Block, Inline};

#[test]
fn seed_extracts_exactly() {
    let article = common::extract_file(&common::seed_path());
    assert_eq!(article.title, "小米11系列屡曝质量问题 售后新政引不满");
    assert_eq!(article.published.as_deref(), Some("2022-09-22"));
    assert_eq!(
        article.url.as_deref(),
        Some("https://www.epochtimes.com/gb/22/9/22/n13830172.htm")
    );
    assert_eq!(article.site.as_deref(), Some("大纪元"));
    assert_eq!(article.editor.as_deref(), Some("方明"));
    assert_eq!(article.lang.as_deref(), Some("zh"));
    assert_eq!(article.source_tags, ["小米11系列", "屡曝质量问题"]);

    let Block::Image(image) = &article.blocks[0] else {
        panic!("first block is not an image: {:?}", article.blocks[0]);
    };
    assert_eq!(
        image.src,
        "https://i.epochtimes.com/assets/uploads/2021/07/id13114421-GettyImages-482986290@1200x1200-600x400.jpg"
    );
    assert_eq!(
        image.caption.as_deref(),
        Some("图为小米手机在北京的一家服务中心。(Greg Baker/AFP via Getty Images)")
    );
    assert_eq!(
        image.credit.as_deref(),
        Some("Greg Baker/AFP via Getty Images")
    );
    assert!(image.data.is_none(), "the seed's image is remote only");

    let paragraphs: Vec<String> = article.blocks[1..]
        .iter()
        .map(|b| match b {
            Block::Paragraph { .. } => b.text(),
            other => panic!("unexpected block after the image: {other:?}"),
        })
        .collect();
    assert_eq!(paragraphs.len(), 16);
    assert!(paragraphs[0].starts_with(
        "【大纪元2022年09月22日讯】近日，小米11系列手机屡曝质量问题及消费者维权难的情况引发网络热议。9月20日晚，"
    ));
    assert_eq!(
        paragraphs[15],
        "今年以来，小米集团股价震荡下跌，年内跌幅超47%。"
    );

    let all_text = folio::model::blocks_text(&article.blocks);
    for noise in [
        "首页",
        "评论",
        "禁闻",
        "翻墙",
        "责任编辑",
        "原文链接",
        "<",
        ">",
        "&nbsp;",
    ] {
        assert!(!all_text.contains(noise), "body contains {noise:?}");
    }
}

#[test]
fn seed_links_survive_as_links() {
    let article = common::extract_file(&common::seed_path());
    let Block::Paragraph { inlines } = &article.blocks[1] else {
        panic!("second block is not a paragraph");
    };
    let link = inlines
        .iter()
        .find_map(|i| match i {
            Inline::Link { href, children } => Some((href, folio::model::inline_text(children))),
            _ => None,
        })
        .expect("a link in the first paragraph");
    assert_eq!(link.1, "小米11系列");
    assert!(link.0.starts_with("https://www.epochtimes.com/gb/tag/"));
}

#[test]
fn extract_json_has_the_documented_shape() {
    let out = common::folio()
        .args(["extract", "--json"])
        .arg(common::seed_path())
        .arg(common::fixtures().join("does-not-exist.html"))
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a missing file makes the exit code non-zero"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let seed = &lines[0];
    assert_eq!(seed["title"], "小米11系列屡曝质量问题 售后新政引不满");
    assert_eq!(seed["published"], "2022-09-22");
    assert_eq!(seed["editor"], "方明");
    assert_eq!(seed["blocks"][0]["type"], "image");
    assert_eq!(seed["blocks"][0]["local"], false);
    assert_eq!(seed["blocks"][1]["type"], "paragraph");
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("does-not-exist.html")
    );
}

//! Real saved-page formats (tests/fixtures/formats; see its README.md): MHTML,
//! SingleFile, "Save page, complete" and legacy charsets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use folio::model::Block;
use folio::read::Format;

const EPOCH_TITLE: &str = "神韵音乐直触心灵 安全局官员感觉像回家了";
const EPOCH_CAPTION: &str = "2020年3月1日下午，斯图加特安全局官员Martin Ade与妻子一起观赏美国神韵巡回艺术团在德国路德维希堡王宫花园剧院的演出。（安然／大纪元）";
const MINGHUI_TITLE: &str = "新北市议会通过提案 声援中国民众控告江泽民";
const MINGHUI_CAPTION_1: &str = "图1：二零一六年十月二十日，新北市议会以跨党派议员的支持，无异议通过“声援中国民众控告迫害法轮功元凶江泽民”的人权提案。";
const MINGHUI_CAPTION_2: &str = "图2：提案人新北市议员郑金隆手持提案联署书。";

struct Expect {
    path: &'static str,
    format: Format,
    title: &'static str,
    captions: usize,
    first_captions: &'static [&'static str],
    local: bool,
    text_contains: &'static str,
}

const CASES: &[Expect] = &[
    Expect {
        path: "mhtml/m-epoch.mhtml",
        format: Format::Mhtml,
        title: EPOCH_TITLE,
        captions: 1,
        first_captions: &[EPOCH_CAPTION],
        local: true,
        text_contains: "斯图加特安全局官员Martin Ade赞叹不已",
    },
    Expect {
        path: "mhtml/m-minghui.mhtml",
        format: Format::Mhtml,
        title: MINGHUI_TITLE,
        captions: 5,
        first_captions: &[MINGHUI_CAPTION_1, MINGHUI_CAPTION_2],
        local: true,
        text_contains: "台湾第十四个地方议会通过提案",
    },
    Expect {
        path: "mhtml/r-ehow-2.mhtml",
        format: Format::Mhtml,
        title: "How to Throw a Graduation Party on a Budget | eHow",
        captions: 9,
        first_captions: &[
            "(Mike Watson Images/Moodboard/Getty)",
            "Thomas Jackson/Digital Vision/Getty Images",
        ],
        local: true,
        text_contains: "graduation",
    },
    Expect {
        path: "mhtml/r-keep-images.mhtml",
        format: Format::Mhtml,
        title: "Inside the Deep Web Drug Lab",
        captions: 10,
        first_captions: &[
            "Cristina Gil Lladanosa, at the Barcelona testing lab | photo by Joan Bardeletti",
            "Photo by Joan Bardeletti",
        ],
        local: true,
        text_contains: "Energy Control",
    },
    Expect {
        path: "singlefile/m-epoch.singlefile.html",
        format: Format::SingleFile,
        title: EPOCH_TITLE,
        captions: 1,
        first_captions: &[EPOCH_CAPTION],
        local: true,
        text_contains: "斯图加特安全局官员Martin Ade赞叹不已",
    },
    Expect {
        path: "singlefile/m-minghui.singlefile.html",
        format: Format::SingleFile,
        title: MINGHUI_TITLE,
        captions: 5,
        first_captions: &[MINGHUI_CAPTION_1, MINGHUI_CAPTION_2],
        local: true,
        text_contains: "台湾第十四个地方议会通过提案",
    },
    Expect {
        path: "singlefile/r-ehow-2.singlefile.html",
        format: Format::SingleFile,
        title: "How to Throw a Graduation Party on a Budget | eHow",
        captions: 9,
        first_captions: &[
            "(Mike Watson Images/Moodboard/Getty)",
            "Thomas Jackson/Digital Vision/Getty Images",
        ],
        local: true,
        text_contains: "graduation",
    },
    Expect {
        path: "singlefile/r-keep-images.singlefile.html",
        format: Format::SingleFile,
        title: "Inside the Deep Web Drug Lab",
        captions: 10,
        first_captions: &[
            "Cristina Gil Lladanosa, at the Barcelona testing lab | photo by Joan Bardeletti",
            "Photo by Joan Bardeletti",
        ],
        local: true,
        text_contains: "Energy Control",
    },
    Expect {
        path: "complete/m-epoch/m-epoch.html",
        format: Format::HtmlWithFolder,
        title: EPOCH_TITLE,
        captions: 1,
        first_captions: &[EPOCH_CAPTION],
        local: true,
        text_contains: "斯图加特安全局官员Martin Ade赞叹不已",
    },
    Expect {
        path: "complete/m-minghui/m-minghui.html",
        format: Format::HtmlWithFolder,
        title: MINGHUI_TITLE,
        captions: 5,
        first_captions: &[MINGHUI_CAPTION_1, MINGHUI_CAPTION_2],
        local: true,
        text_contains: "台湾第十四个地方议会通过提案",
    },
    Expect {
        path: "complete/r-ehow-2/r-ehow-2.html",
        format: Format::HtmlWithFolder,
        title: "How to Throw a Graduation Party on a Budget | eHow",
        captions: 9,
        first_captions: &[
            "(Mike Watson Images/Moodboard/Getty)",
            "Thomas Jackson/Digital Vision/Getty Images",
        ],
        local: true,
        text_contains: "graduation",
    },
    Expect {
        path: "complete/r-keep-images/r-keep-images.html",
        format: Format::HtmlWithFolder,
        title: "Inside the Deep Web Drug Lab",
        captions: 10,
        first_captions: &[
            "Cristina Gil Lladanosa, at the Barcelona testing lab | photo by Joan Bardeletti",
            "Photo by Joan Bardeletti",
        ],
        local: true,
        text_contains: "Energy Control",
    },
    Expect {
        path: "charset/m-epoch.big5.html",
        format: Format::Html,
        title: "神韻音樂直觸心靈 安全局官員感覺像回家了",
        captions: 1,
        first_captions: &[
            "2020年3月1日下午，斯圖加特安全局官員Martin Ade與妻子一起觀賞美國神韻巡迴藝術團在德國路德維希堡王宮花園劇院的演出。（安然／大紀元）",
        ],
        local: false,
        text_contains: "斯圖加特",
    },
    Expect {
        path: "charset/m-epoch.gbk.html",
        format: Format::Html,
        title: EPOCH_TITLE,
        captions: 1,
        first_captions: &[EPOCH_CAPTION],
        local: false,
        text_contains: "斯图加特安全局官员Martin Ade赞叹不已",
    },
    Expect {
        path: "charset/m-minghui.gb2312-undeclared.html",
        format: Format::Html,
        title: MINGHUI_TITLE,
        captions: 5,
        first_captions: &[MINGHUI_CAPTION_1, MINGHUI_CAPTION_2],
        local: false,
        text_contains: "台湾第十四个地方议会通过提案",
    },
];

#[test]
fn every_format_reads_text_captions_and_images() {
    let mut failures = Vec::new();
    for case in CASES {
        let path = common::fixtures().join("formats").join(case.path);
        let source = folio::read::read_path(&path).unwrap_or_else(|e| panic!("{}: {e}", case.path));
        let article = folio::extract::extract(&source);
        let name = case.path;
        if source.format != case.format {
            failures.push(format!(
                "{name}: format {:?}, want {:?}",
                source.format, case.format
            ));
        }
        if article.title != case.title {
            failures.push(format!("{name}: title {:?}", article.title));
        }
        let images: Vec<_> = article.images();
        let captions: Vec<&str> = images.iter().filter_map(|i| i.caption.as_deref()).collect();
        if captions.len() != case.captions {
            failures.push(format!(
                "{name}: {} captions, want {}: {captions:?}",
                captions.len(),
                case.captions
            ));
        }
        for (i, want) in case.first_captions.iter().enumerate() {
            if captions.get(i) != Some(want) {
                failures.push(format!(
                    "{name}: caption {i} is {:?}, want {want:?}",
                    captions.get(i)
                ));
            }
        }
        let captioned_local = images
            .iter()
            .filter(|i| i.caption.is_some())
            .all(|i| i.data.is_some());
        if case.local && !captioned_local {
            failures.push(format!(
                "{name}: a captioned image is not local: {:?}",
                images
                    .iter()
                    .map(|i| (&i.src, i.data.is_some()))
                    .collect::<Vec<_>>()
            ));
        }
        if !case.local && images.iter().any(|i| i.data.is_some()) {
            failures.push(format!("{name}: an image resolved that must be missing"));
        }
        if case.local {
            for image in &images {
                if let Some(data) = &image.data
                    && (image.width.is_none() || !data.mime.starts_with("image/"))
                {
                    failures.push(format!("{name}: image {} has no size or mime", image.src));
                }
            }
        }
        let text = folio::model::blocks_text(&article.blocks);
        if !text.contains(case.text_contains) {
            failures.push(format!("{name}: text lacks {:?}", case.text_contains));
        }
        for noise in ["关于我们", "版权所有"] {
            if text.contains(noise) {
                failures.push(format!("{name}: nav/footer text {noise:?} kept"));
            }
        }
        if article.blocks.iter().any(|b| matches!(b, Block::Paragraph { inlines } if folio::model::inline_text(inlines).contains("<img"))) {
            failures.push(format!("{name}: markup in text"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Alt text that only repeats the headline is dropped wherever the image
/// sits, in a list item or a quote as much as at the top level.
#[test]
fn alt_text_repeating_the_headline_is_dropped_everywhere() {
    let html = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Harbour lights return</title></head><body><article>
<h1>Harbour lights return</h1>
<p>The harbour lights came back on last night after a year of repairs, and the town came out to watch them. There was music and a great deal of talk.</p>
<img src="https://example.com/top.jpg" alt="Harbour lights return">
<ul><li>One of many pictures: <img src="https://example.com/list.jpg" alt="Harbour lights return"></li><li>Another item.</li></ul>
<blockquote><p>A quoted picture.</p><img src="https://example.com/quote.jpg" alt="Harbour lights return"></blockquote>
<p>The repairs cost less than expected, the council said, and finished a week early, which nobody had thought likely when the work began.</p>
</article></body></html>"#;
    let source = folio::read::read_bytes(
        std::path::Path::new("harbour.html"),
        "harbour.html",
        std::sync::Arc::from(html.as_bytes()),
    )
    .unwrap();
    let article = folio::extract::extract(&source);
    let images = article.images();
    assert!(images.len() >= 2, "{images:?}");
    for image in images {
        assert_eq!(image.alt, None, "{}", image.src);
    }
}

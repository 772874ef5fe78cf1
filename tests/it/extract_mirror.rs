//! Every mirror page (tests/fixtures/mirror, from gfw-breaker/mh-news): title,
//! URL, captions, and no navigation or share footer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test stops loudly: that is how it fails

use crate::common;

use std::fs;
use std::sync::LazyLock;

use folio::model::{Block, blocks_text};
use regex::Regex;

static CAPTION_DIV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?s)<div class="caption">(.*?)</div>"#).unwrap());
/// Minghui's "image, line break, caption" cell.
static CELL_CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<img[^>]*>\s*(?:</(?:ok|span|a)>\s*)?<br/>\s*([^<]+?)\s*</td>").unwrap()
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").unwrap());

/// Captions a reader sees in the raw page, found independently of the extractor.
fn expected_captions(raw: &str) -> Vec<String> {
    let squash = |s: &str| {
        TAG.replace_all(s, "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    CAPTION_DIV
        .captures_iter(raw)
        .map(|c| squash(&c[1]))
        .chain(CELL_CAPTION.captures_iter(raw).map(|c| squash(&c[1])))
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn every_mirror_page_extracts_cleanly() {
    let dir = common::fixtures().join("mirror");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 70);
    let mut failures = Vec::new();
    let mut captions_total = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let raw = fs::read_to_string(file).unwrap();
        let article = common::extract_file(file);
        let title_line = raw.lines().next().unwrap().trim_start_matches('#').trim();
        if article.title != title_line {
            failures.push(format!(
                "{name}: title {:?} != {title_line:?}",
                article.title
            ));
        }
        let footer_url = raw
            .lines()
            .find_map(|l| {
                l.split_once("原文")
                    .and_then(|(_, r)| r.split_once('：'))
                    .map(|(_, u)| u.trim().to_owned())
            })
            .unwrap();
        if article.url.as_deref() != Some(footer_url.as_str()) {
            failures.push(format!("{name}: url {:?} != {footer_url:?}", article.url));
        }
        let captions: Vec<String> = article
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Image(i) => i.caption.clone(),
                _ => None,
            })
            .collect();
        for want in expected_captions(&raw) {
            captions_total += 1;
            if !captions
                .iter()
                .any(|c| c.split_whitespace().collect::<Vec<_>>().join(" ") == want)
            {
                failures.push(format!(
                    "{name}: caption {want:?} not attached to an image (have {captions:?})"
                ));
            }
        }
        let text = blocks_text(&article.blocks);
        for noise in [
            "手机上长按",
            "二维码分享",
            "原文地址",
            "原文链接",
            "[首页]",
            "翻墙教程",
            "一键翻墙",
            "责任编辑",
        ] {
            if text.contains(noise) {
                failures.push(format!("{name}: body contains {noise:?}"));
            }
        }
        if text.contains('<') && text.contains("href") {
            failures.push(format!("{name}: markup in the text"));
        }
        for image in article.images() {
            if image.src.ends_with(".md.png") {
                failures.push(format!("{name}: QR code image kept"));
            }
        }
        if article.published.is_none() {
            failures.push(format!("{name}: no published date"));
        }
        if article
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Paragraph { .. }))
            .count()
            < 2
        {
            failures.push(format!("{name}: fewer than 2 paragraphs"));
        }
    }
    eprintln!(
        "mirror: {} pages, {captions_total} captions checked",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

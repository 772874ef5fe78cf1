//! Who wrote a Chinese news article: the byline in the text
//! ([`news_rules::BYLINES`]), the page's byline element
//! ([`news_rules::BYLINE_CLASSES`]), or the metadata's author when it is a
//! person's name. Never an editor ([`news_rules::EDITOR_LABELS`]), an
//! outlet ([`news_rules::ORGANISATION_ENDINGS`]), an e-mail address, a
//! number, a URL or a user id.

use std::sync::LazyLock;

use regex::Regex;

use super::fragment::html_text;
use super::news_rules;

static BYLINES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    news_rules::BYLINES
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
});

/// A reporter's name followed by the place of the dateline:
/// `盧太城台東縣12日電`.
static NAME_AND_PLACE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(\p{Han}{4,7}?)\d{1,2}日[电電]").ok());

/// Whether `token` reads as one person's name: two to four Han characters
/// (or a transliterated name with `·`) that do not end like an
/// organisation, or two to four capitalised Latin words.
pub fn is_person_name(token: &str) -> bool {
    let han = token
        .chars()
        .filter(|c| super::super::text::is_cjk(*c))
        .count();
    let total = token.chars().count();
    let dots = token
        .chars()
        .filter(|c| matches!(c, '·' | '•' | '・'))
        .count();
    if han > 0 {
        let sized = if dots > 0 {
            (3..=16).contains(&total)
        } else {
            (2..=4).contains(&total)
        };
        let surname = dots > 0
            || news_rules::SURNAMES.iter().any(|s| token.starts_with(s))
            || token
                .chars()
                .next()
                .is_some_and(|c| news_rules::SINGLE_SURNAMES.contains(c));
        return han + dots == total
            && sized
            && surname
            && !news_rules::ORGANISATION_ENDINGS
                .iter()
                .any(|e| token.ends_with(e))
            && !news_rules::EDITOR_LABELS.contains(&token);
    }
    let words: Vec<&str> = token.split(' ').collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.'))
        })
}

/// The names in a byline's `names` part: split at `、`, commas, spaces and
/// `和`/`及`/`与`; a leading `记者` dropped; only what [`is_person_name`]
/// accepts is kept.
pub fn split_names(names: &str) -> Vec<String> {
    let names = names.trim();
    if let Some(c) = NAME_AND_PLACE.as_ref().and_then(|r| r.captures(names)) {
        // The name, then a place of two or three characters: a run of five
        // or more is a three-character name, of four a two-character one.
        let run: Vec<char> = c[1].chars().collect();
        let take = if run.len() >= 5 { 3 } else { 2 };
        return vec![run[..take].iter().collect()];
    }
    let latin = !names.chars().any(super::super::text::is_cjk);
    let parts: Vec<&str> = if latin {
        names.split([',', '，', '、', '/', '／']).collect()
    } else {
        names
            .split(|c: char| c.is_whitespace() || "、，,/／和及与與".contains(c))
            .collect()
    };
    parts
        .into_iter()
        .map(|p| {
            p.trim()
                .trim_start_matches("记者")
                .trim_start_matches("記者")
                .trim_start_matches("实习生")
                .trim_start_matches("實習生")
                .trim()
        })
        .filter(|p| is_person_name(p))
        .map(str::to_owned)
        .collect()
}

/// The writers a byline in `text` names ([`news_rules::BYLINES`], in
/// order; a match that is a photo credit is skipped).
pub fn byline_in_text(text: &str) -> Vec<String> {
    for regex in BYLINES.iter() {
        for caps in regex.captures_iter(text).take(8) {
            let (Some(whole), Some(names)) = (caps.get(0), caps.name("names")) else {
                continue;
            };
            let after: String = text[whole.end()..].chars().take(2).collect();
            let credit = news_rules::NOT_WRITER_MARKS
                .iter()
                .any(|m| whole.as_str().contains(m) || after.starts_with(m));
            if credit {
                continue;
            }
            // `作者：方敏北京大学…`: a name running into more text is cut, not a name.
            if text[names.end()..]
                .chars()
                .next()
                .is_some_and(super::super::text::is_cjk)
            {
                continue;
            }
            let found = split_names(names.as_str());
            if !found.is_empty() {
                return found;
            }
        }
    }
    Vec::new()
}

static STANDALONE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*(\p{Han}{2,3})\s*(?:[（(][^（()）]{1,24}[）)])?\s*$").ok());

/// A paragraph that is only a name, or a name and a bracketed credit (a
/// columnist's pen name opening the text, `徐勇（新华社供本报特稿）` closing
/// it): two or three characters starting with a family name.
pub fn standalone_name(paragraph: &str) -> Vec<String> {
    STANDALONE
        .as_ref()
        .and_then(|r| r.captures(paragraph))
        .map(|c| c[1].to_owned())
        .filter(|n| is_person_name(n))
        .into_iter()
        .collect()
}

static TAG: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)<([a-z][a-z0-9]*)\b([^>]*)>").ok());
static ATTR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(class|id|rel|itemprop)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#).ok()
});

/// The names in the page's byline element under the headline: an element
/// with `rel="author"` or `itemprop="author"` first, then one whose class
/// or id says byline ([`news_rules::BYLINE_CLASSES`]); its text up to its
/// first end tag, read as names.
pub fn byline_element(html: &str) -> Vec<String> {
    let (Some(tag), Some(attr)) = (TAG.as_ref(), ATTR.as_ref()) else {
        return Vec::new();
    };
    let mut strong = Vec::new();
    let mut weak = Vec::new();
    for caps in tag.captures_iter(html).take(2000) {
        let (Some(whole), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let attrs = caps.get(2).map_or("", |a| a.as_str());
        let mut kind = None;
        for a in attr.captures_iter(attrs) {
            let key = a[1].to_ascii_lowercase();
            let value = a
                .get(2)
                .or(a.get(3))
                .or(a.get(4))
                .map_or(String::new(), |v| v.as_str().to_ascii_lowercase());
            if (key == "rel" || key == "itemprop")
                && value.split_whitespace().any(|v| v == "author")
            {
                kind = Some(true);
            } else if (key == "class" || key == "id")
                && !value.contains("editor")
                && news_rules::BYLINE_CLASSES.iter().any(|c| value.contains(c))
            {
                kind = kind.or(Some(false));
            }
        }
        let Some(is_strong) = kind else {
            continue;
        };
        let close = format!("</{}", name.as_str().to_ascii_lowercase());
        let rest = &html[whole.end()..];
        let end = rest
            .to_ascii_lowercase()
            .find(&close)
            .unwrap_or(rest.len().min(400));
        let text = html_text(&rest[..end]);
        if is_strong {
            strong.push(text);
        } else {
            weak.push(text);
        }
    }
    // The innermost byline element (the shortest text) says the least else.
    weak.sort_by_key(String::len);
    strong
        .iter()
        .chain(&weak)
        .map(|t| names_in_element(t))
        .find(|n| !n.is_empty())
        .unwrap_or_default()
}

/// The names in a byline element's text: a labelled byline if it holds one,
/// else each part that is a name (`謝明俊`; `谢若含 2017-03-01 14:27:02`).
fn names_in_element(text: &str) -> Vec<String> {
    let labelled = byline_in_text(text);
    if !labelled.is_empty() {
        return labelled;
    }
    if text.chars().count() > 60 {
        return Vec::new();
    }
    text.split(|c: char| c.is_whitespace() || "、，,|｜/／".contains(c))
        .filter(|p| is_person_name(p))
        .map(str::to_owned)
        .collect()
}

static EDITOR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let labels = news_rules::EDITOR_LABELS.join("|");
    Regex::new(&format!(
        r"(?:{labels})\s*[：:／/|｜]?\s*(?:<[^>]{{0,200}}>\s*)?(?P<names>\p{{Han}}{{2,4}}(?:[、\s]+\p{{Han}}{{2,4}})*)"
    ))
    .ok()
});

/// Everyone the page names as an editor (`责任编辑：张三`, `编辑/倪家宁`,
/// `[ 责编：张倩 ]`) anywhere in its HTML, at most 200 of them.
pub fn editors(html: &str) -> Vec<String> {
    let Some(editor) = EDITOR.as_ref() else {
        return Vec::new();
    };
    editor
        .captures_iter(html)
        .take(200)
        .filter_map(|c| c.name("names"))
        .flat_map(|n| {
            n.as_str()
                .split(|c: char| c.is_whitespace() || c == '、')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// The person names in a metadata author value (`李雨梦`, `Jane Doe, John
/// Roe`), skipping e-mail addresses, URLs, numbers and user ids.
pub fn names_in_meta(value: &str) -> Vec<String> {
    value
        .split([',', '，', '、', ';', '；', '/', '|'])
        .map(str::trim)
        .filter(|p| !p.contains('@') && !p.contains("://"))
        .filter(|p| is_person_name(p))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_as_pages_write_them() {
        for (text, want) in [
            ("人民网合肥11月8日电 （记者钱伟）安徽省司法厅", vec!["钱伟"]),
            ("北京商报讯（记者 岳品瑜 董晗萱）", vec!["岳品瑜", "董晗萱"]),
            ("〔記者王憶紅／台北報導〕宏達電", vec!["王憶紅"]),
            ("【聯合晚報╱記者楊正海╱即時報導】", vec!["楊正海"]),
            ("（中央社記者盧太城台東縣12日電）", vec!["盧太城"]),
            ("新华社北京5月19日电（刘艺、杨吉）", vec!["刘艺", "杨吉"]),
            ("記者潘照文、張逸民／台北報導", vec!["潘照文", "張逸民"]),
            ("作者：上官云 宋宇晟", vec!["上官云", "宋宇晟"]),
            (
                "作者 王之言 高孜然 / 编辑 周褶褶 ｜ 排版 魏蔚",
                vec!["王之言", "高孜然"],
            ),
            ("文/栗思", vec!["栗思"]),
        ] {
            assert_eq!(byline_in_text(text), want, "{text}");
        }
    }

    #[test]
    fn credits_editors_and_outlets_are_not_writers() {
        assert!(byline_in_text("（中新社记者 杜洋 摄）").is_empty());
        assert!(byline_in_text("来源：新华社").is_empty());
        assert!(
            names_in_meta("网易, 中時電子報, chinanews, 104363, Article Information").len() == 1
        );
        assert!(byline_in_text("作者：广告 继续浏览").is_empty());
        assert!(byline_in_text("(作者：方敏北京大学经济学院教授)").is_empty());
        assert_eq!(standalone_name("徐勇（新华社供本报特稿）"), ["徐勇"]);
        assert_eq!(standalone_name("顧信之"), ["顧信之"]);
        assert!(standalone_name("你期待吗？").is_empty());
        assert!(standalone_name("前言").is_empty());
        assert!(names_in_meta("name@gmail.com, https://www.facebook.com/x, 8world").is_empty());
        assert_eq!(
            editors("<p>（编辑：严玉洁 王辉）</p>【责任编辑：<span>陈海峰</span>】"),
            ["严玉洁", "王辉", "陈海峰"]
        );
        assert!(!is_person_name("经济日报"));
        assert!(!is_person_name("熱血編輯部"));
        assert!(is_person_name("Jane Doe"));
        assert!(!is_person_name("celiawu"));
    }

    #[test]
    fn the_byline_element_under_a_headline() {
        let html = r#"<div class="author-share"><div class="author"><a href="x"><img src="a.jpg"></a>
            <span class="name">&#x8C22;&#x82E5;&#x542B;</span><span class="date">2017-03-01 14:27:02</span></div>"#;
        assert_eq!(byline_element(html), ["谢若含"]);
        let html = r#"<div class="reporter"><time>2018年09月16日 15:31</time><a href="/11">中時</a>
            <div class="rp_name"><cite><a href="/reporter/899" rel="author">謝明俊</a></cite></div></div>"#;
        assert_eq!(byline_element(html), ["謝明俊"]);
    }
}

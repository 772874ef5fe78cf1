//! A Chinese news page's headline without the site's suffix, where it sits
//! in the page, and the site's name from `<title>`
//! ([`news_rules::TITLE_SEPARATORS`], [`news_rules::SITE_NAME_ENDINGS`]).
//!
//! A title is never cut by pattern alone: a headline is a heading of the
//! page that `<title>` (or the metadata title) holds as one of its parts, or
//! begins (a `<title>` the CMS shortened); only without such a heading is
//! the longest part of `<title>` taken.

use std::sync::LazyLock;

use regex::Regex;

use super::fragment::html_text;
use super::news_rules;

/// One part of a `<title>` split at [`news_rules::TITLE_SEPARATORS`]; a
/// last part joined by a bare `-` is split off only when it reads as a site
/// name (`…需求-新华网`), so `T-Dome` stays whole.
pub fn title_parts(title: &str) -> Vec<String> {
    let mut marked = title.to_owned();
    for sep in news_rules::TITLE_SEPARATORS {
        marked = marked.replace(sep, "\u{1f}");
    }
    let mut parts: Vec<String> = marked
        .split('\u{1f}')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    if let Some(last) = parts.pop() {
        match last.rsplit_once('-') {
            Some((head, tail))
                if !head.trim().is_empty()
                    && tail.chars().count() <= 12
                    && tail.chars().any(super::super::text::is_cjk)
                    && site_shaped(tail.trim()) =>
            {
                parts.push(head.trim().to_owned());
                parts.push(tail.trim().to_owned());
            }
            _ => parts.push(last),
        }
    }
    parts
}

fn site_shaped(part: &str) -> bool {
    news_rules::SITE_NAME_ENDINGS
        .iter()
        .any(|e| part.ends_with(e))
}

/// A title part as a site name: trailing domain words (`SETN.COM`) and
/// [`news_rules::SITE_NAME_TAILS`] cut; `None` when nothing is left or it is
/// only a domain or a number.
fn clean_site(part: &str) -> Option<String> {
    let mut words: Vec<&str> = part.split_whitespace().collect();
    let is_domain = |w: &str| {
        let w = w.to_ascii_lowercase();
        news_rules::DOMAIN_ENDINGS.iter().any(|d| w.ends_with(d)) || w.starts_with("www.")
    };
    while words.last().is_some_and(|w| is_domain(w)) {
        words.pop();
    }
    let mut name = words.join(" ");
    for tail in news_rules::SITE_NAME_TAILS {
        if let Some(cut) = name.strip_suffix(tail)
            && !cut.is_empty()
        {
            name = cut.to_owned();
        }
    }
    (!name.is_empty()
        && !name
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace()))
    .then_some(name)
}

/// The site's name among a `<title>`'s parts other than the headline's
/// (`headline`): from the end, the first that reads as a site name, else
/// the last; a part the metadata also names as an organisation (`orgs`)
/// first of all. When the headline is not the first part, the first part.
pub fn site_in_title(parts: &[String], headline: Option<usize>, orgs: &[String]) -> Option<String> {
    if parts.len() < 2 {
        return None;
    }
    // `site | headline | …`: a title that does not start with the headline
    // starts with the site.
    if headline.is_some_and(|h| h > 0)
        && let Some(first) = clean_site(&parts[0])
    {
        return Some(first);
    }
    let others: Vec<String> = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != headline)
        .filter_map(|(_, p)| clean_site(p))
        .collect();
    others
        .iter()
        .rev()
        .find(|p| orgs.iter().any(|o| o == *p))
        .or_else(|| others.iter().rev().find(|p| site_shaped(p)))
        .or_else(|| others.last())
        .cloned()
}

static HEADING: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i)<(h[1-4]|div|span|td|p|font|strong|b)\b([^>]*)>"#).ok());
static TITLE_CLASS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:class|id|itemprop)\s*=\s*["']?[^"'>]*(?:title|headline|heading)"#).ok()
});

/// The page's headings in document order, with where each starts: `<h1>` to
/// `<h4>` and elements whose class, id or itemprop says title or headline
/// (and whether it is an `<h1>`);
/// each element's text up to its first end tag. At most 64.
pub fn headings(html: &str) -> Vec<(usize, String, bool)> {
    let (Some(heading), Some(title_class)) = (HEADING.as_ref(), TITLE_CLASS.as_ref()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for caps in heading.captures_iter(html) {
        let (Some(whole), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let name = name.as_str().to_ascii_lowercase();
        let attrs = caps.get(2).map_or("", |a| a.as_str());
        if !(name.starts_with('h') || title_class.is_match(attrs)) {
            continue;
        }
        let rest = &html[whole.end()..];
        let close = format!("</{name}");
        let end = find_ci(rest, &close).unwrap_or(0).min(4096);
        let mut end = end.min(rest.len());
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let text = html_text(&rest[..end]);
        if !text.is_empty() {
            out.push((whole.start(), text, name == "h1"));
        }
        if out.len() >= 64 {
            break;
        }
    }
    out
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// How a heading matches a title, from the surest to the least.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Naming {
    /// The whole title, or its start up to a separator (`标题_频道_网站`;
    /// `新竹尖石_美樹營地賞楓 (2) @ 部落格`, a headline holding a separator).
    Start,
    /// Between two separators (`网站 | 标题 | 栏目`): never at the end,
    /// where the site's name is.
    Middle,
    /// It goes on past the title's longest part, which a CMS shortened
    /// (not with a bracketed section name after it).
    Longer,
}

fn after_separator(text: &str) -> bool {
    news_rules::TITLE_SEPARATORS
        .iter()
        .any(|s| text.ends_with(s) || text.ends_with(s.trim_end()))
}

fn before_separator(text: &str) -> bool {
    news_rules::TITLE_SEPARATORS
        .iter()
        .any(|s| text.starts_with(s) || text.starts_with(s.trim_start()))
}

/// The headline heading `h` shows, when `title` names it as `how` says:
/// `h` itself, or (for a heading that carries the dateline after the
/// headline, `标题 2014-12-08 06:49`) the title's longest part.
fn names_heading(h: &str, title: &str, how: Naming) -> Option<String> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let parts = title_parts(&title);
    match how {
        Naming::Start => (title == h
            || parts.len() > 1 && parts.first().is_some_and(|p| p == h)
            || title.strip_prefix(h).is_some_and(before_separator))
        .then(|| h.to_owned()),
        Naming::Middle => title
            .match_indices(h)
            .any(|(at, _)| {
                let rest = &title[at + h.len()..];
                at > 0
                    && after_separator(&title[..at])
                    && !rest.trim().is_empty()
                    && before_separator(rest)
            })
            .then(|| h.to_owned()),
        Naming::Longer => {
            let longest = parts.iter().max_by_key(|p| p.chars().count())?;
            let rest = h.strip_prefix(longest.as_str())?.trim_start();
            if longest.chars().count() < 8
                || rest.is_empty()
                || rest.starts_with(['(', '（', '[', '【'])
            {
                None
            } else if super::dateline::dateline(rest).is_some() {
                Some(longest.clone())
            } else {
                Some(h.to_owned())
            }
        }
    }
}

/// The headline, with where the headings showing it start in `html`: the
/// headings a title names ([`Naming`], surest first, `<h1>`s before other
/// headings in each way); never a heading that is an organisation's name
/// (`orgs`: the site, a metadata author). Without such a heading, the
/// longest part of the first title, at no position.
pub fn headline(
    titles: &[&str],
    headings: &[(usize, String, bool)],
    orgs: &[String],
) -> Option<(String, Vec<usize>)> {
    let passes = [
        (true, Naming::Start),
        (false, Naming::Start),
        (true, Naming::Middle),
        (false, Naming::Middle),
        (false, Naming::Longer),
    ];
    for (h1_only, how) in passes {
        let mut found: Option<(String, Vec<usize>)> = None;
        for (at, h, is_h1) in headings {
            let count = h.chars().count();
            if (h1_only && !is_h1) || !(4..=200).contains(&count) || orgs.contains(h) {
                continue;
            }
            let Some(title) = titles.iter().find_map(|t| names_heading(h, t, how)) else {
                continue;
            };
            match &mut found {
                None => found = Some((title, vec![*at])),
                Some((first, ats)) if *first == title => ats.push(*at),
                Some(_) => {}
            }
        }
        if found.is_some() {
            return found;
        }
    }
    let parts = title_parts(titles.first()?);
    let longest = parts.iter().max_by_key(|p| p.chars().count())?;
    Some((longest.clone(), Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_split_into_parts_only_at_separators() {
        assert_eq!(
            title_parts("安徽司法行政系训诫预警：“揪揪耳朵”防腐败--时政--人民网"),
            ["安徽司法行政系训诫预警：“揪揪耳朵”防腐败", "时政", "人民网"]
        );
        assert_eq!(
            title_parts("短缺药品保供稳价 全力保障临床用药需求-新华网"),
            ["短缺药品保供稳价 全力保障临床用药需求", "新华网"]
        );
        assert_eq!(
            title_parts("台湾加速部署T-Dome防空系统"),
            ["台湾加速部署T-Dome防空系统"]
        );
    }

    #[test]
    fn a_heading_the_title_names_is_the_headline() {
        let dated = vec![(
            0,
            "市料美零售銷售與消費者信心續升 2014-12-08 06:49".to_owned(),
            false,
        )];
        assert_eq!(
            headline(
                &["無綫新聞 - 財經 - 市料美零售銷售與消費者信心續升 - tvb.com"],
                &dated,
                &[]
            ),
            Some(("市料美零售銷售與消費者信心續升".to_owned(), vec![0]))
        );
        let h = |t: &str| vec![(0, t.to_owned(), true)];
        let title = "故宫，你低调点！_凤凰网资讯_凤凰网";
        assert_eq!(
            headline(&[title], &h("故宫，你低调点！"), &[]).unwrap().0,
            "故宫，你低调点！"
        );
        // A logo heading that is the title's site part is not the headline.
        assert_eq!(
            headline(&["这个约会软件_智能_好奇心日报"], &h("好奇心日报"), &[])
                .unwrap()
                .0,
            "这个约会软件"
        );
        // A blog's name (an <h1>) is not the post's headline (an <h2>), which
        // holds a separator itself.
        let blog = vec![
            (0, "史蒂文的家_藍天".to_owned(), true),
            (9, "新竹尖石_美樹營地賞楓 (2)".to_owned(), false),
        ];
        let title = "新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家_藍天 :: 痞客邦 PIXNET ::";
        assert_eq!(
            headline(&[title], &blog, &[]).unwrap().0,
            "新竹尖石_美樹營地賞楓 (2)"
        );
        // A headline that merely contains a separator-like word stays whole.
        let whole = "新浪新闻 - 一个标题里的词";
        assert_eq!(headline(&[whole], &h(whole), &[]).unwrap().0, whole);
        // A shortened <title> names the longer heading.
        let long = "年終平均1.38月 羨慕!科技業最高30個月 尾牙 三成企業加碼辦 年終比去年多1.8天";
        let title = "年終平均1.38月 羨慕!科技業最高30個月 尾牙 三成企業加碼辦 - 台視新聞";
        assert_eq!(headline(&[title], &h(long), &[]).unwrap().0, long);
        assert_eq!(
            headline(
                &["廉署貪污舉報今年跌11% - 星島日報網頁"],
                &h("廉署貪污舉報今年跌11% (港聞)"),
                &[]
            )
            .unwrap()
            .0,
            "廉署貪污舉報今年跌11%"
        );
    }

    #[test]
    fn the_site_is_the_title_part_that_reads_as_one() {
        let site = |t: &str, headline: usize| site_in_title(&title_parts(t), Some(headline), &[]);
        assert_eq!(
            site("港特首道歉 - BBC中文网 - 两岸三地", 0).as_deref(),
            Some("BBC中文网")
        );
        assert_eq!(
            site("头条_经济_宏观频道首页_财经网 - CAIJING.COM.CN", 0).as_deref(),
            Some("财经网")
        );
        assert_eq!(
            site("頂新魏家債留台灣│三立新聞網  SETN.COM", 0).as_deref(),
            Some("三立新聞網")
        );
        assert_eq!(
            site("無綫新聞 - 財經 - 市料美零售 - tvb.com", 2).as_deref(),
            Some("無綫新聞")
        );
        assert_eq!(
            site("廉署貪污舉報今年跌11% - 星島日報網頁", 0).as_deref(),
            Some("星島日報")
        );
        assert_eq!(site("只有标题", 0), None);
    }
}

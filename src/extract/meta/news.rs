//! The metadata of a Chinese news page as the page itself shows it: the
//! headline without the site's suffix, the dateline and byline under it,
//! the site's name. Runs the tables of [`super::news_rules`] through
//! [`super::headline`], [`super::dateline`] and [`super::byline`].
//!
//! The page's raw HTML is not parsed again: headings are found by pattern,
//! and only a bounded window under the headline
//! ([`news_rules::HEAD_HTML_BYTES`]) is read as text.

use super::PageMeta;
use super::byline;
use super::dateline::{self, Stamp};
use super::fragment::{decode_entities, html_text};
use super::headline;
use super::news_rules;
use crate::model::{Block, inline_text};

/// What [`read`] found; each field is `None` when the page does not say.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NewsMeta {
    /// The headline without the site's suffix.
    pub title: Option<String>,
    /// ISO 8601 date or date-time (see [`dateline`]).
    pub published: Option<String>,
    /// The writers, joined with `、` (with `, ` for Latin names).
    pub byline: Option<String>,
    /// The site's name as the page presents itself.
    pub site: Option<String>,
}

/// The page's own paragraphs around its metadata.
pub struct Page<'a> {
    /// The whole page as decoded text.
    pub html: &'a str,
    /// What the head's metadata (and the readability pass) said.
    pub meta: &'a PageMeta,
    /// The article's URL, if known.
    pub url: Option<&'a str>,
    /// The body's paragraphs (see [`paragraphs`]).
    pub paragraphs: Paragraphs,
}

/// The body's paragraphs where bylines and closing credits are.
#[derive(Debug, Default)]
pub struct Paragraphs {
    /// The first three paragraphs' text (quoted paragraphs count).
    pub first: Vec<String>,
    /// The last six, last first.
    pub last: Vec<String>,
    /// Paragraphs that stand between other paragraphs, not beside an image
    /// (where a caption can be a lone name): the body's first block, and
    /// the last two paragraphs.
    pub alone: Vec<String>,
}

/// The [`Paragraphs`] of a body.
pub fn paragraphs(blocks: &[Block]) -> Paragraphs {
    fn collect(blocks: &[Block], out: &mut Vec<String>) {
        for block in blocks {
            match block {
                Block::Paragraph { inlines } => out.push(inline_text(inlines)),
                Block::Quote { blocks } => collect(blocks, out),
                _ => {}
            }
        }
    }
    let mut texts = Vec::new();
    collect(blocks, &mut texts);
    let text_of = |b: Option<&Block>| match b {
        Some(Block::Paragraph { inlines }) => Some(inline_text(inlines)),
        _ => None,
    };
    let is_text = |b: Option<&Block>| matches!(b, Some(Block::Paragraph { .. }));
    let mut alone = Vec::new();
    if is_text(blocks.get(1)) {
        alone.extend(text_of(blocks.first()));
    }
    let n = blocks.len();
    for i in (n.saturating_sub(2)..n).rev() {
        if i > 0 && is_text(blocks.get(i - 1)) {
            alone.extend(text_of(blocks.get(i)));
        }
    }
    Paragraphs {
        first: texts.iter().take(3).cloned().collect(),
        last: texts.iter().rev().take(6).cloned().collect(),
        alone,
    }
}

/// Whether a page reads as Chinese: its language says so, or its title has
/// Han characters and no kana.
pub fn is_chinese(lang: Option<&str>, title: &str) -> bool {
    // Declared languages are often wrong (`lang="en"`, `lang="utf-8"` on
    // Chinese pages): the title's script decides unless the language is Chinese.
    if lang.is_some_and(|l| l.to_ascii_lowercase().starts_with("zh")) {
        return true;
    }
    let han = title
        .chars()
        .filter(|c| super::super::text::is_cjk(*c))
        .count();
    let kana = title.chars().any(|c| matches!(c as u32, 0x3040..=0x30FF));
    han >= 2 && !kana
}

/// Where the body starts (`<body`), or 0.
fn body_start(html: &str) -> usize {
    let bytes = html.as_bytes();
    memchr::memmem::find_iter(bytes, b"<")
        .find(|&at| {
            bytes
                .get(at + 1..at + 5)
                .is_some_and(|t| t.eq_ignore_ascii_case(b"body"))
        })
        .unwrap_or(0)
}

/// The `<title>` element's text.
fn title_element(head: &str) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let text = html_text(&decode_entities(&head[start..end]));
    (!text.is_empty()).then_some(text)
}

/// Where `title`'s text first appears in `body` outside a tag and not as an
/// `<option>` of a drop-down list or a link.
fn text_in_body(body: &str, title: &str) -> Option<usize> {
    let probe: String = title.chars().take(12).collect();
    if probe.chars().count() < 4 {
        return None;
    }
    body.match_indices(&probe).take(32).find_map(|(at, _)| {
        let open = body[..at].rfind('<')?;
        let tag = body[open + 1..]
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()?
            .to_ascii_lowercase();
        let closed_before = body[open..at].contains('>');
        (closed_before && !matches!(tag.as_str(), "option" | "a" | "title")).then_some(at)
    })
}

/// A window of HTML up to its first long paragraph (80 characters of text
/// or more), where the article's text starts: the byline element is before
/// it, comment authors and related lists after.
fn before_body_text(window: &str) -> &str {
    let lower = window.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<p") {
        let start = from + at;
        let next = lower.as_bytes().get(start + 2).copied();
        if next.is_some_and(|b| b == b'>' || b.is_ascii_whitespace()) {
            let end = lower[start..]
                .find("</p")
                .map_or(lower.len(), |e| start + e);
            if html_text(&window[start..end]).chars().count() >= 80 {
                return &window[..start];
            }
        }
        from = start + 2;
    }
    window
}

fn at_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Read a Chinese news page's metadata (see the module doc).
pub fn read(page: &Page<'_>) -> NewsMeta {
    let html = page.html;
    let body_at = body_start(html);
    let body = &html[body_at..];
    let title_tag = title_element(&html[..body_at]);
    let titles: Vec<&str> = title_tag
        .as_deref()
        .into_iter()
        .chain(page.meta.title.as_deref())
        .collect();
    let headings = headline::headings(body);
    let orgs: Vec<String> = page
        .meta
        .byline
        .iter()
        .chain(page.meta.site.iter())
        .flat_map(|b| b.split([',', '，', '、']))
        .map(|b| b.trim().to_owned())
        .filter(|b| !b.is_empty() && !byline::is_person_name(b))
        .collect();
    let found = headline::headline(&titles, &headings, &orgs);
    let title = found.as_ref().map(|(t, _)| t.clone());

    // Where the headline is shown: its headings, else where its text first
    // appears in the body (not as a drop-down's option).
    let mut anchors = found.as_ref().map(|(_, at)| at.clone()).unwrap_or_default();
    if anchors.is_empty()
        && let Some(at) = title.as_deref().and_then(|t| text_in_body(body, t))
    {
        anchors.push(at);
    }
    // The text under the headline, where the dateline and byline are: under
    // the first of its places that shows a dateline.
    let windows: Vec<(&str, String)> = anchors
        .iter()
        .take(4)
        .map(|&at| {
            let end = at_char_boundary(body, at + news_rules::HEAD_HTML_BYTES);
            let window = &body[at..end];
            let text = html_text(window);
            let after = title
                .as_deref()
                .and_then(|t| text.find(t).map(|i| i + t.len()))
                .unwrap_or(0);
            let text: String = text[after..]
                .chars()
                .take(news_rules::HEAD_TEXT_CHARS)
                .collect();
            (window, text)
        })
        .collect();
    let chosen = windows
        .iter()
        .find(|(_, text)| dateline::dateline(text).is_some())
        .or(windows.first());
    let window_text = chosen.map(|(_, text)| text.as_str());
    let window_html = chosen.map(|(html, _)| before_body_text(html));

    let site = site(
        page.meta.site.as_deref(),
        title_tag.as_deref().or(page.meta.title.as_deref()),
        title.as_deref(),
        &orgs,
    );
    let published = published(page, window_text);
    let byline = writers(page, window_text, window_html, site.as_deref());
    NewsMeta {
        title,
        published,
        byline,
        site,
    }
}

fn site(
    meta_site: Option<&str>,
    title_tag: Option<&str>,
    headline: Option<&str>,
    orgs: &[String],
) -> Option<String> {
    let from_title = title_tag.and_then(|t| {
        let parts = headline::title_parts(t);
        let index = headline.and_then(|h| parts.iter().position(|p| p == h));
        let index = index.or_else(|| {
            parts
                .iter()
                .enumerate()
                .max_by_key(|(_, p)| p.chars().count())
                .map(|(i, _)| i)
        });
        headline::site_in_title(&parts, index, orgs)
    });
    let meta_site = meta_site
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.contains("://"));
    match (meta_site, from_title) {
        (Some(m), Some(t)) if t.starts_with(m) && t.len() > m.len() => Some(t),
        (Some(m), _) => Some(m.to_owned()),
        (None, t) => t,
    }
}

/// The publication date: the dateline under the headline, the metadata's
/// timestamp where it says the same day more precisely, else the metadata,
/// else the URL; a time without a zone takes the one the host implies.
fn published(page: &Page<'_>, window_text: Option<&str>) -> Option<String> {
    let zone = page.url.and_then(dateline::implied_offset);
    let local = |s: Stamp| match (zone, s.offset, s.time) {
        (Some(z), Some(_), _) => s.in_offset(z),
        (Some(z), None, Some(_)) => Stamp {
            offset: Some(z),
            ..s
        },
        _ => s,
    };
    let visible = window_text.and_then(dateline::dateline).map(local);
    let stated = page
        .meta
        .published
        .as_deref()
        .and_then(dateline::timestamp)
        .map(local);
    let stamp = match (visible, stated) {
        (Some(v), Some(m)) if v.same_day(&m) && m.time.is_some() => {
            let same_minute = v.time.map(|(h, mi, _)| (h, mi)) == m.time.map(|(h, mi, _)| (h, mi));
            if v.time.is_none() || same_minute {
                m
            } else {
                v
            }
        }
        (Some(v), _) => v,
        (None, Some(m)) => m,
        (None, None) => page.url.and_then(dateline::url_date)?,
    };
    Some(stamp.iso())
}

/// The writers: a byline under the headline or in the first paragraphs,
/// the page's byline element, a closing credit, a name standing alone as
/// the first or one of the last two paragraphs, then the metadata's author;
/// editors and the site itself never count.
fn writers(
    page: &Page<'_>,
    window_text: Option<&str>,
    window_html: Option<&str>,
    site: Option<&str>,
) -> Option<String> {
    let editors = byline::editors(page.html);
    let host = page
        .url
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    let keep = |names: Vec<String>| -> Vec<String> {
        names
            .into_iter()
            .filter(|n| !editors.contains(n))
            .filter(|n| !site.is_some_and(|s| s.contains(n.as_str())))
            .filter(|n| !host.contains(&n.to_ascii_lowercase()))
            .collect()
    };
    let candidates = window_text
        .into_iter()
        .chain(page.paragraphs.first.iter().map(String::as_str))
        .map(byline::byline_in_text)
        .chain(window_html.map(byline::byline_element))
        .chain(
            page.paragraphs
                .last
                .iter()
                .map(|p| byline::byline_in_text(p)),
        )
        .chain(
            page.paragraphs
                .alone
                .iter()
                .map(|p| byline::standalone_name(p)),
        )
        .chain(
            super::json_ld_in_text(page.html)
                .byline
                .as_deref()
                .map(byline::names_in_meta),
        )
        .chain(page.meta.byline.as_deref().map(byline::names_in_meta));
    for names in candidates {
        let names = keep(names);
        if !names.is_empty() {
            let latin = names.iter().any(|n| n.is_ascii());
            return Some(names.join(if latin { ", " } else { "、" }));
        }
    }
    None
}

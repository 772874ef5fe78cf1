//! Metadata from the page: JSON-LD, OpenGraph/`article:*`, meta tags, and
//! dates and editors stated in the text itself or in the URL.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Selector};
use serde_json::Value;

use super::text::collapse;

pub mod byline;
pub mod dateline;
pub mod fragment;
pub mod headline;
pub mod news;
pub mod news_rules;

/// What the page's head says about the article. Every field is optional.
#[derive(Clone, Debug, Default)]
pub struct PageMeta {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<String>,
    pub site: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
    pub keywords: Vec<String>,
    pub description: Option<String>,
    pub image: Option<String>,
}

impl PageMeta {
    /// Fill the fields `self` lacks from `other`.
    pub fn or(mut self, other: PageMeta) -> PageMeta {
        self.title = self.title.or(other.title);
        self.byline = self.byline.or(other.byline);
        self.published = self.published.or(other.published);
        self.site = self.site.or(other.site);
        self.url = self.url.or(other.url);
        self.lang = self.lang.or(other.lang);
        if self.keywords.is_empty() {
            self.keywords = other.keywords;
        }
        self.description = self.description.or(other.description);
        self.image = self.image.or(other.image);
        self
    }
}

macro_rules! selector {
    ($name:ident, $css:expr) => {
        static $name: LazyLock<Selector> = LazyLock::new(|| {
            // Invariant: a constant selector that parses.
            #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
            Selector::parse($css).expect("valid selector")
        });
    };
}

selector!(META, "meta");
selector!(LD_JSON, r#"script[type="application/ld+json"]"#);
selector!(CANONICAL, r#"link[rel="canonical"]"#);
selector!(HTML_LANG, "html[lang]");
selector!(TITLE, "title");

/// Read the metadata of a parsed document, most trusted source first:
/// JSON-LD, then OpenGraph / `article:*`, then plain meta tags.
pub fn page_meta(doc: &Html) -> PageMeta {
    json_ld(doc).or(open_graph(doc)).or(plain_meta(doc))
}

fn meta_content(doc: &Html, keys: &[&str]) -> Option<String> {
    for key in keys {
        for el in doc.select(&META) {
            let v = el.value();
            let name = v
                .attr("property")
                .or_else(|| v.attr("name"))
                .or_else(|| v.attr("itemprop"));
            // `<meta name="og:time ">`: a name is read without its spaces.
            if name.is_some_and(|n| n.trim().eq_ignore_ascii_case(key))
                && let Some(content) = v.attr("content").map(collapse).map(|c| c.trim().to_owned())
                && !content.is_empty()
            {
                return Some(content);
            }
        }
    }
    None
}

fn open_graph(doc: &Html) -> PageMeta {
    let mut tags = Vec::new();
    for el in doc.select(&META) {
        let v = el.value();
        if v.attr("property")
            .is_some_and(|p| p.eq_ignore_ascii_case("article:tag"))
            && let Some(c) = v.attr("content")
        {
            tags.push(c.trim().to_owned());
        }
    }
    // One `article:tag` holding a comma-separated list (the Guardian's
    // `Oceans,New Zealand,…`) is a list of tags; several are one tag each
    // (the New York Times' `Trump, Donald J`).
    if let [list] = tags.as_slice()
        && list.contains(',')
    {
        tags = split_keywords(list);
    }
    PageMeta {
        title: meta_content(doc, &["og:title", "twitter:title"]),
        byline: meta_content(doc, &["article:author", "author"]).filter(|a| !a.starts_with("http")),
        published: meta_content(doc, &["article:published_time", "og:published_time"]),
        site: meta_content(doc, &["og:site_name"]),
        url: meta_content(doc, &["og:url"]),
        lang: meta_content(doc, &["og:locale"]).map(|l| l.replace('_', "-")),
        keywords: tags,
        description: meta_content(doc, &["og:description", "twitter:description"]),
        image: meta_content(doc, &["og:image", "og:image:url", "twitter:image"]),
    }
}

fn plain_meta(doc: &Html) -> PageMeta {
    let canonical = doc
        .select(&CANONICAL)
        .find_map(|l| l.value().attr("href"))
        .map(|h| h.trim().to_owned())
        .filter(|h| h.starts_with("http"));
    PageMeta {
        title: doc
            .select(&TITLE)
            .next()
            .map(|t| collapse(&t.text().collect::<String>()).trim().to_owned())
            .filter(|t| !t.is_empty()),
        byline: meta_content(
            doc,
            &[
                "author",
                "dc.creator",
                "citation_author",
                "byl",
                "parsely-author",
            ],
        ),
        published: meta_content(
            doc,
            &[
                "date",
                "pubdate",
                "publishdate",
                "dc.date",
                "dc.date.issued",
                "citation_publication_date",
                "parsely-pub-date",
                "datePublished",
                "sailthru.date",
                // Chinese CMSs and the BBC's Chinese pages.
                "PubDate",
                "publish_time",
                "publishtime",
                "pubtime",
                "apub:time",
                "og:time",
                "dcterms.created",
                "cXenseParse:recs:publishtime",
            ],
        ),
        site: meta_content(doc, &["application-name", "publisher"]),
        url: canonical,
        lang: doc
            .select(&HTML_LANG)
            .next()
            .and_then(|h| h.value().attr("lang"))
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty()),
        keywords: meta_content(doc, &["keywords", "news_keywords"])
            .map(|k| split_keywords(&k))
            .unwrap_or_default(),
        description: meta_content(doc, &["description", "dc.description"]),
        image: None,
    }
}

/// A keyword list as written in a page (`a,b, c`, `甲，乙、丙`; `;` too) as
/// separate keywords, trimmed, empty ones dropped.
fn split_keywords(list: &str) -> Vec<String> {
    list.split([',', '，', ';', '；', '、'])
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn json_ld(doc: &Html) -> PageMeta {
    json_ld_texts(
        doc.select(&LD_JSON)
            .map(|script| script.text().collect::<String>()),
    )
}

static LD_JSON_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r#"(?i)<script[^>]*application/ld\+json[^>]*>"#).expect("valid regex")
});

/// JSON-LD metadata from `<script type="application/ld+json">` blocks found in
/// raw HTML text (used for the body, which is not parsed for metadata): each
/// block runs from its start tag to the first `</script>` (in any case).
pub fn json_ld_in_text(html: &str) -> PageMeta {
    if !html.contains("ld+json") {
        return PageMeta::default();
    }
    let mut texts = Vec::new();
    let mut from = 0;
    while let Some(open) = LD_JSON_SCRIPT.find_at(html, from) {
        let Some(close) = find_ascii_ci(html.as_bytes(), open.end(), b"</script>") else {
            break;
        };
        texts.push(html[open.end()..close].to_owned());
        from = close + b"</script>".len();
    }
    json_ld_texts(texts.into_iter())
}

/// Where `needle` (ASCII, lowercase, starting with `<`) first occurs at or
/// after `from`, in any case.
fn find_ascii_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut at = from;
    loop {
        let lt = at + memchr::memchr(b'<', bytes.get(at..)?)?;
        if bytes
            .get(lt..lt + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(lt);
        }
        at = lt + 1;
    }
}

/// The head as [`page_meta`] needs it: the content of `<style>` elements and
/// of scripts that are not JSON-LD cut out. Metadata never reads them, and
/// they are most of a large head's bytes (the Guardian's is 0.9 MB of CSS),
/// which the parser would otherwise tokenize.
///
/// Tags are read as the HTML tokenizer reads them (comments, quoted
/// attributes, the raw text of `<title>`, `<textarea>`, `<noscript>`,
/// `<iframe>`…, an end tag only when followed by a space, `/` or `>`), so
/// the parsed head is the same but for those contents. Where the tokenizer
/// would read differently — a script holding `<!--`, `<svg>` or `<math>`
/// (foreign content), an unfinished tag — the rest is left as written.
pub fn head_without_style_and_scripts(head: &str) -> std::borrow::Cow<'_, str> {
    use crate::read::nesting::tag_end;
    let bytes = head.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + offset;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            match memchr::memmem::find(&rest[4..], b"-->") {
                Some(end) => i = start + 4 + end + 3,
                None => break,
            }
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            match memchr::memchr(b'>', rest) {
                Some(end) => i = start + end + 1,
                None => break,
            }
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| !b.is_ascii_whitespace() && !matches!(b, b'/' | b'>'))
            .count();
        let name_end = name_start + name_len;
        let Some(end) = tag_end(bytes, name_end) else {
            break;
        };
        i = end + 1;
        if closing {
            continue;
        }
        let name = head[name_start..name_end].to_ascii_lowercase();
        let cut = match name.as_str() {
            "style" => true,
            "script" => !bytes[name_end..end]
                .windows(7)
                .any(|w| w.eq_ignore_ascii_case(b"ld+json")),
            "title" | "textarea" | "noscript" | "iframe" | "noembed" | "noframes" | "xmp" => false,
            "svg" | "math" | "plaintext" => break,
            _ => continue,
        };
        let Some(close) = appropriate_end_tag(bytes, i, name.as_bytes()) else {
            break;
        };
        if cut && !(name == "script" && memchr::memmem::find(&bytes[i..close], b"<!--").is_some()) {
            cuts.push((i, close));
        }
        i = close;
    }
    if cuts.is_empty() {
        return std::borrow::Cow::Borrowed(head);
    }
    let mut out = String::with_capacity(head.len());
    let mut from = 0;
    for (start, end) in cuts {
        out.push_str(&head[from..start]);
        from = end;
    }
    out.push_str(&head[from..]);
    std::borrow::Cow::Owned(out)
}

/// Where the end tag closing raw text of element `name` starts: `</name`
/// in any case, followed by a space, `/` or `>`.
fn appropriate_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    loop {
        let lt = at + memchr::memchr(b'<', bytes.get(at..)?)?;
        let after = lt + 2 + name.len();
        if bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(lt + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes
                .get(after)
                .is_some_and(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        {
            return Some(lt);
        }
        at = lt + 1;
    }
}

fn json_ld_texts(texts: impl Iterator<Item = String>) -> PageMeta {
    let mut meta = PageMeta::default();
    for text in texts {
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        let mut candidates = Vec::new();
        collect_articles(&value, &mut candidates, 0);
        for item in candidates {
            meta = meta.or(ld_article(item));
        }
    }
    meta
}

fn collect_articles<'a>(value: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_articles(v, out, depth + 1)),
        Value::Object(map) => {
            let is_article = map.get("@type").is_some_and(|t| {
                let types: Vec<&str> = match t {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => vec![],
                };
                types.iter().any(|t| {
                    t.ends_with("Article")
                        || *t == "BlogPosting"
                        || *t == "Report"
                        || *t == "WebPage"
                })
            });
            if is_article {
                out.push(value);
            }
            if let Some(graph) = map.get("@graph") {
                collect_articles(graph, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn names(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.trim().to_owned()],
        Value::Array(items) => items.iter().flat_map(names).collect(),
        Value::Object(map) => map.get("name").map(names).unwrap_or_default(),
        _ => vec![],
    }
}

fn ld_article(item: &Value) -> PageMeta {
    let str_of = |key: &str| {
        item.get(key)
            .and_then(Value::as_str)
            .map(|s| collapse(s).trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let authors: Vec<String> = item.get("author").map(names).unwrap_or_default();
    let keywords = match item.get("keywords") {
        Some(Value::String(s)) => split_keywords(s),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let image = match item.get("image") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => o.get("url").and_then(Value::as_str).map(str::to_owned),
        Some(Value::Array(a)) => a.first().and_then(|v| {
            v.as_str()
                .map(str::to_owned)
                .or_else(|| v.get("url").and_then(Value::as_str).map(str::to_owned))
        }),
        _ => None,
    };
    PageMeta {
        title: str_of("headline").or_else(|| str_of("name")),
        byline: (!authors.is_empty()).then(|| authors.join(", ")),
        published: str_of("datePublished"),
        site: item
            .get("publisher")
            .and_then(|p| names(p).into_iter().next()),
        url: str_of("url").filter(|u| u.starts_with("http")),
        lang: str_of("inLanguage"),
        keywords,
        description: str_of("description"),
        image,
    }
}

static CN_DATE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"【[^】]{0,12}?(\d{4})年(\d{1,2})月(\d{1,2})日").expect("valid regex")
});

static CN_NUMERAL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"【[^】]{0,12}?([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日").expect("valid regex")
});

static EDITOR: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"^\s*[（(]?\s*(?:责任编辑|責任編輯|责编|編輯|编辑)\s*[：:]\s*([^\s#）)]+)\s*#?\s*[）)]?\s*$").expect("valid regex")
});

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"/((?:19|20)?\d{2})/(\d{1,2})/(\d{1,2})/").expect("valid regex")
});

/// A date stated at the head of the text: `【大纪元2022年09月22日讯】`, `【明慧网二零二零年六月二十日】`.
pub fn date_in_text(text: &str) -> Option<String> {
    let head: String = text.chars().take(120).collect();
    if let Some(c) = CN_DATE.captures(&head) {
        return ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    let c = CN_NUMERAL_DATE.captures(&head)?;
    let year: String = c[1]
        .chars()
        .filter_map(cn_digit)
        .map(|d| char::from(b'0' + d as u8))
        .collect();
    ymd(year.parse().ok()?, cn_number(&c[2])?, cn_number(&c[3])?)
}

/// The editor named by a whole paragraph like `责任编辑：方明`.
pub fn editor_line(text: &str) -> Option<String> {
    EDITOR
        .captures(text)
        .map(|c| c[1].trim_end_matches('#').to_owned())
}

/// Who wrote an article and who edited it, as a credit line states.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Credits {
    /// The byline as printed (`记者李芸报导`, `编译 徐文焰；审校 张涛`).
    pub byline: Option<String>,
    /// The editor (`李泉`; Reuters' 审校 names).
    pub editor: Option<String>,
}

static CREDIT_EDITOR: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"^[（(]\s*(.{1,40}?)\s*[/／]\s*(?:责任编辑|責任編輯|责编|責編)\s*[：:]\s*([^\s）)]{1,20})\s*[）)]$")
        .expect("valid regex")
});

static TRANSLATOR_EDITOR: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"^(?:编译|編譯)\s*\S.{0,60}?[；;]\s*(?:审校|審校)\s*(\S.{0,60})$")
        .expect("valid regex")
});

static REPORTED_BY: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"^[^\s，。,.；;：:（）()]{2,24}(?:报导|報導|报道|報道)$").expect("valid regex")
});

static LEAD_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"^\s*【[^】]{0,30}】\s*[（(]([^）)]{2,30}?(?:报导|報導|报道|報道))[）)]")
        .expect("valid regex")
});

static HEADLINE_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"^(?:[^|｜]{1,6}\s*[|｜]\s*)?(\p{Han}{2,3})：").expect("valid regex")
});

static TIMESTAMP_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"^(?:\d{4}年\d{1,2}月\d{1,2}日\s+\d{1,2}:\d{2}|[^\s，。,.]{1,12}\s*[—–]{1,2})$")
        .expect("valid regex")
});

static TITLE_STAMP: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r"^[(（](\d{4})年(\d{1,2})月(\d{1,2})日[)）]\s*").expect("valid regex")
});

static TIME_DATETIME: LazyLock<Regex> = LazyLock::new(|| {
    // Invariant: constant pattern.
    #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
    Regex::new(r#"<time[^>]*\sdatetime\s*=\s*["']([^"']+)["']"#).expect("valid regex")
});

/// A paragraph that only credits the article: `（记者李芸报导/责任编辑：李泉）`,
/// `编译 徐文焰；审校 张涛`, or (`at_end`: among the last paragraphs)
/// `新唐人记者刘海英综合报导`.
pub fn credit_line(text: &str, at_end: bool) -> Option<Credits> {
    if let Some(c) = CREDIT_EDITOR.captures(text) {
        let who = c[1].trim();
        return Some(Credits {
            byline: REPORTED_BY.is_match(who).then(|| who.to_owned()),
            editor: Some(c[2].to_owned()),
        });
    }
    if let Some(c) = TRANSLATOR_EDITOR.captures(text) {
        return Some(Credits {
            byline: Some(text.to_owned()),
            editor: Some(c[1].trim().to_owned()),
        });
    }
    (at_end && REPORTED_BY.is_match(text)).then(|| Credits {
        byline: Some(text.to_owned()),
        editor: None,
    })
}

/// The reporter named after the dateline: `【大纪元2018年09月08日讯】（大纪元记者林燕综合报导）`.
pub fn byline_in_text(head: &str) -> Option<String> {
    LEAD_BYLINE.captures(head).map(|c| c[1].trim().to_owned())
}

/// A columnist or poet named before the colon of a headline:
/// `评论 | 江静玲：教宗访中国…`, `祝君安：赞长春电视插播`.
pub fn byline_in_headline(title: &str) -> Option<String> {
    HEADLINE_BYLINE.captures(title).map(|c| c[1].to_owned())
}

/// A paragraph that is only a date and time (`2018年9月5日 00:43`) or a
/// dateline (`华盛顿 —`, which the text after it continues).
pub fn is_timestamp_line(text: &str) -> bool {
    TIMESTAMP_LINE.is_match(text)
}

/// A title without the mirror's leading `(2019年04月01日) ` stamp, and the
/// stamp's date.
pub fn split_title_stamp(title: &str) -> (&str, Option<String>) {
    match TITLE_STAMP.captures(title) {
        Some(c) => {
            let date = ymd(
                c[1].parse().unwrap_or(0),
                c[2].parse().unwrap_or(0),
                c[3].parse().unwrap_or(0),
            );
            (&title[c.get(0).map_or(0, |m| m.end())..], date)
        }
        None => (title, None),
    }
}

/// The first `<time datetime="…">` of some HTML, normalised.
pub fn time_datetime(html: &str) -> Option<String> {
    TIME_DATETIME
        .captures(html)
        .and_then(|c| normalize_date(&c[1]))
}

/// A date in the URL path: `/22/9/22/`, `/2016/10/22/`.
pub fn date_in_url(url: &str) -> Option<String> {
    let c = URL_DATE.captures(url)?;
    let mut year: u32 = c[1].parse().ok()?;
    if year < 100 {
        year += 2000;
    }
    ymd(year, c[2].parse().ok()?, c[3].parse().ok()?)
}

/// `YYYY-MM-DD` when the parts make a plausible date (1900–2100).
pub(super) fn ymd(year: u32, month: u32, day: u32) -> Option<String> {
    ((1900..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn cn_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
        .or((c == '零').then_some(0))
}

/// `十` = 10, `二十` = 20, `二十二` = 22, `六` = 6.
fn cn_number(s: &str) -> Option<u32> {
    match s.split_once('十') {
        Some((tens, ones)) => {
            let tens = if tens.is_empty() {
                1
            } else {
                cn_digit(tens.chars().next()?)?
            };
            let ones = if ones.is_empty() {
                0
            } else {
                cn_digit(ones.chars().next()?)?
            };
            Some(tens * 10 + ones)
        }
        None => cn_digit(s.chars().next()?),
    }
}

/// A date or date-time normalised to ISO 8601 (`2022-09-22`, `2022-09-22T10:00:00+08:00`).
pub fn normalize_date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    static ISO: LazyLock<Regex> = LazyLock::new(|| {
        // Invariant: constant pattern.
        #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
        Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)\s*(Z|[+-]\d{2}:?\d{2})?)?").expect("valid regex")
    });
    if let Some(c) = ISO.captures(raw) {
        let date = ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        return Some(match c.get(4) {
            Some(time) => format!(
                "{date}T{}{}",
                time.as_str(),
                c.get(5).map_or("", |z| z.as_str())
            ),
            None => date,
        });
    }
    if let Some(date) = date_in_text(&format!("【{raw}")) {
        return Some(date);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_for_metadata_keeps_everything_but_styles_and_scripts() {
        let head = r#"<html><head><title>A <style> in a title</title>
            <style>p > a { x: "</style" } </stylex></STYLE ><meta name="author" content="<script>">
            <script>var s = "</scriptx>";</script ><script type="application/ld+json">{"a": 1}</script>
            <script>if (a <!-- b) {}</script><!-- <style> --><noscript><style>q{}</style></noscript>
            <meta property="og:title" content="Kept"></head>"#;
        let cut = head_without_style_and_scripts(head);
        assert_eq!(
            cut,
            r#"<html><head><title>A <style> in a title</title>
            <style></STYLE ><meta name="author" content="<script>">
            <script></script ><script type="application/ld+json">{"a": 1}</script>
            <script>if (a <!-- b) {}</script><!-- <style> --><noscript><style>q{}</style></noscript>
            <meta property="og:title" content="Kept"></head>"#
        );
        let meta = page_meta(&Html::parse_document(&cut));
        assert_eq!(meta.title.as_deref(), Some("Kept"));
        assert_eq!(meta.byline.as_deref(), Some("<script>"));
    }

    #[test]
    fn dates_in_chinese_text() {
        assert_eq!(
            date_in_text("【大纪元2022年09月22日讯】近日").as_deref(),
            Some("2022-09-22")
        );
        assert_eq!(
            date_in_text("【明慧网二零二零年六月二十日】").as_deref(),
            Some("2020-06-20")
        );
        assert_eq!(
            date_in_text("【明慧网二零一六年十月二十二日】").as_deref(),
            Some("2016-10-22")
        );
    }

    #[test]
    fn credit_lines_name_reporter_and_editor() {
        let c = credit_line("（记者李芸报导/责任编辑：李泉）", false).unwrap();
        assert_eq!(c.byline.as_deref(), Some("记者李芸报导"));
        assert_eq!(c.editor.as_deref(), Some("李泉"));
        let c = credit_line("（转自大纪元/责任编辑：张莉）", false).unwrap();
        assert_eq!((c.byline, c.editor.as_deref()), (None, Some("张莉")));
        let c = credit_line("编译 徐文焰；审校 张涛", false).unwrap();
        assert_eq!(c.editor.as_deref(), Some("张涛"));
        assert!(credit_line("新唐人记者刘海英综合报导", false).is_none());
        assert!(credit_line("新唐人记者刘海英综合报导", true).is_some());
        assert!(credit_line("他在报告中说，这是一次成功的报导", true).is_none());
        assert_eq!(
            byline_in_text("【大纪元2018年09月08日讯】（大纪元记者林燕综合报导）中共").as_deref(),
            Some("大纪元记者林燕综合报导")
        );
        assert_eq!(
            split_title_stamp("(2019年04月01日) 明慧期刊：明白（第八一期）"),
            ("明慧期刊：明白（第八一期）", Some("2019-04-01".to_owned()))
        );
    }

    #[test]
    fn editor_and_url_dates() {
        assert_eq!(editor_line("责任编辑：方明#").as_deref(), Some("方明"));
        assert_eq!(
            date_in_url("https://www.epochtimes.com/gb/22/9/22/n13830172.htm").as_deref(),
            Some("2022-09-22")
        );
    }

    #[test]
    fn a_keyword_list_in_one_article_tag_becomes_separate_tags() {
        let one = Html::parse_document(
            r#"<meta property="article:tag" content="Oceans,New Zealand, Whales" />"#,
        );
        assert_eq!(
            open_graph(&one).keywords,
            ["Oceans", "New Zealand", "Whales"]
        );
        let several = Html::parse_document(
            r#"<meta property="article:tag" content="Trump, Donald J" />
            <meta property="article:tag" content="Interest Rates" />"#,
        );
        assert_eq!(
            open_graph(&several).keywords,
            ["Trump, Donald J", "Interest Rates"]
        );
    }
}

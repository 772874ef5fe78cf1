//! Site rules as data: adding a site is adding a row to [`RULES`].

use std::sync::LazyLock;

use regex::Regex;

/// How to read one publisher's pages.
pub struct SiteRule {
    /// Host suffixes the rule applies to (`epochtimes.com` matches `www.epochtimes.com`).
    pub hosts: &'static [&'static str],
    /// The publisher's name as readers know it.
    pub site: &'static str,
    /// CSS selector of the article body in a full page (the first match wins).
    pub content: &'static str,
    /// CSS selector of a lead figure outside the body, if the site has one.
    pub lead: Option<&'static str>,
    /// URL fragment that marks a link as one of the page's own topic tags.
    pub tag_links: Option<&'static str>,
    /// Images whose `src` matches are not part of the article (QR codes, buttons).
    pub drop_images: Option<&'static str>,
    /// The site writes captions into `alt` when there is no caption text.
    pub alt_is_caption: bool,
    /// Language of the site's pages.
    pub lang: &'static str,
    /// A date the site writes into its URLs, as a pattern with named groups
    /// `y`, `m` and `d` (RFA's `…-04212020153631.html`).
    pub url_date: Option<&'static str>,
}

/// Images of the mirror wrappers that are never article content, whatever
/// the site: the share QR code (`….md.png`), the tracking image (`….md`),
/// the wrapper's own hosts, ad banners.
pub const MIRROR_DROP_IMAGES: &str = r"(?i)\.md(\.png)?$|qrcode|gfw-breaker|/ad/|join_membership";

/// Paragraphs that are never article text, by how they begin: subscription
/// appeals, copyright and trust notices, disclaimers the mirror family
/// carries (Simplified and Traditional spellings).
pub static BOILERPLATE: &[&str] = &[
    "【诚征荣誉会员】",
    "【誠徵榮譽會員】",
    "本文章或节目经希望之声",
    "本文章或節目經希望之聲",
    "我们的标准：",
    "我們的標準：",
    "（文章只代表特约评论员个人的立场和观点）",
    "（文章只代表特約評論員個人的立場和觀點）",
    "手机上长按",
    "长按并复制下列链接",
];

/// How an embedded document's fallback links end (DocumentCloud's
/// `<noscript>` and text links, `Title (PDF)`, `Title (Text)`): a paragraph
/// among the body's last three that is only such a link is not article text.
pub static EMBED_FALLBACK_ENDINGS: &[&str] = &[" (PDF)", " (Text)"];

/// What the rules of the mirror family's news sites share: each row below
/// names its hosts, site and content, and what differs.
const MIRROR_SITE: SiteRule = SiteRule {
    hosts: &[],
    site: "",
    content: "",
    lead: None,
    tag_links: None,
    drop_images: Some(MIRROR_DROP_IMAGES),
    alt_is_caption: false,
    lang: "zh",
    url_date: None,
};

/// Every site rule Folio knows.
pub static RULES: &[SiteRule] = &[
    SiteRule {
        hosts: &["epochtimes.com", "epochtimes.com.tw", "epochtimes.de"],
        site: "大纪元",
        content: "#artbody, .post_content, .art-content, [itemprop=articleBody]",
        lead: Some(".feature-image, .featured_image, #featured_image"),
        tag_links: Some("/tag/"),
        drop_images: Some(r"(?i)\.md\.png$|qrcode|/share/"),
        alt_is_caption: false,
        lang: "zh",
        url_date: None,
    },
    SiteRule {
        hosts: &["minghui.org", "minghui.cc", "minghui.ca"],
        site: "明慧网",
        content: "#ar_bArticleContent, .ar_articleContent",
        lead: None,
        tag_links: None,
        drop_images: Some(r"(?i)\.md\.png$|qrcode"),
        alt_is_caption: true,
        lang: "zh",
        url_date: None,
    },
    SiteRule {
        hosts: &["voachinese.com"],
        site: "美国之音",
        content: ".wsw",
        ..MIRROR_SITE
    },
    SiteRule {
        hosts: &["rfa.org"],
        site: "自由亚洲电台",
        content: "#storytext",
        lead: Some("#headerimg"),
        url_date: Some(r"-(?P<m>\d{2})(?P<d>\d{2})(?P<y>(?:19|20)\d{2})\d{6}\.html"),
        ..MIRROR_SITE
    },
    SiteRule {
        hosts: &["reuters.com"],
        site: "路透中文网",
        content: ".StandardArticleBody_body",
        ..MIRROR_SITE
    },
    SiteRule {
        hosts: &["soundofhope.org"],
        site: "希望之声",
        content: "[class^=Content__Wrapper]",
        tag_links: Some("/term/"),
        ..MIRROR_SITE
    },
    SiteRule {
        hosts: &["ntdtv.com"],
        site: "新唐人",
        content: ".post_content",
        lead: Some(".featured_image"),
        ..MIRROR_SITE
    },
    SiteRule {
        hosts: &["secretchina.com"],
        site: "看中国",
        content: "#txt-mid1-t21-2017",
        ..MIRROR_SITE
    },
];

/// The rule for a URL's host, if any.
pub fn rule_for_url(url: &str) -> Option<&'static SiteRule> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    RULES.iter().find(|rule| {
        rule.hosts
            .iter()
            .any(|h| host == *h || host.ends_with(&format!(".{h}")))
    })
}

/// A rule's patterns, compiled once per rule.
struct Compiled {
    drop_images: Option<Regex>,
    url_date: Option<Regex>,
}

/// The compiled patterns of `rule` (one of [`RULES`]).
fn compiled(rule: &SiteRule) -> Option<&'static Compiled> {
    static COMPILED: LazyLock<Vec<Compiled>> = LazyLock::new(|| {
        let compile = |p: Option<&str>| p.and_then(|p| Regex::new(p).ok());
        RULES
            .iter()
            .map(|r| Compiled {
                drop_images: compile(r.drop_images),
                url_date: compile(r.url_date),
            })
            .collect()
    });
    let index = RULES.iter().position(|r| std::ptr::eq(r, rule))?;
    COMPILED.get(index)
}

/// The date a rule's `url_date` pattern finds in `url`, as `YYYY-MM-DD`.
pub fn date_in_url(rule: &SiteRule, url: &str) -> Option<String> {
    let caps = compiled(rule)?.url_date.as_ref()?.captures(url)?;
    let part = |name| caps.name(name)?.as_str().parse::<u32>().ok();
    super::meta::ymd(part("y")?, part("m")?, part("d")?)
}

/// The pattern of images the mirror wrappers add (compiled once).
pub fn mirror_drop_images() -> Option<&'static Regex> {
    static COMPILED: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(MIRROR_DROP_IMAGES).ok());
    COMPILED.as_ref()
}

/// The compiled `drop_images` pattern of a rule (compiled once per rule).
pub fn drop_images(rule: &SiteRule) -> Option<&'static Regex> {
    compiled(rule)?.drop_images.as_ref()
}

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
}

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

/// The compiled `drop_images` pattern of a rule (compiled once per rule).
pub fn drop_images(rule: &SiteRule) -> Option<&'static Regex> {
    static COMPILED: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
        RULES
            .iter()
            .map(|r| r.drop_images.and_then(|p| Regex::new(p).ok()))
            .collect()
    });
    let index = RULES.iter().position(|r| std::ptr::eq(r, rule))?;
    COMPILED.get(index)?.as_ref()
}

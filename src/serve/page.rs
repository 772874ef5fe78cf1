//! A saved page made safe to show as saved: every reference it makes is
//! turned into an address on Folio's loopback server when the save holds
//! it, and dropped when it does not, so the browser asks nobody else.
//!
//! This is the first of two walls; the second is the Content-Security-
//! Policy every response carries (`serve::policy`), which forbids scripts
//! and every origin but Folio's whatever this rewriting misses. Here:
//! scripts, plugins, `<base>`, `<meta http-equiv>` and prefetch hints are
//! removed, `on…` handlers and `javascript:` values dropped, `srcdoc`
//! rewritten like a page, stylesheets' `url()` and `@import` pointed at the
//! save, lazy images given the file the save holds, and links to other
//! pages marked as leaving the archive (or pointed at the library's own
//! copy of that page).

use std::sync::LazyLock;

use dom_query::{Document, NodeRef};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use regex::{Captures, Regex};
use url::Url;

use crate::model::links::safe_link;
use crate::read::{LAZY_SRC, Resources, SRCSET, parse_srcset};

/// How a served resource is used, which decides how it is served: a
/// stylesheet is rewritten as CSS, a frame as a page, anything else as
/// its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A stylesheet (`<link rel=stylesheet>`, `@import`).
    Css,
    /// A frame's document (`<iframe src>`, `<frame src>`).
    Html,
    /// An image, font, video or anything else served as stored.
    Any,
}

impl Kind {
    /// The path segment naming the kind in a served address.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Css => "css",
            Self::Html => "html",
            Self::Any => "any",
        }
    }

    /// Inverse of [`Kind::segment`].
    pub fn parse(segment: &str) -> Option<Self> {
        Some(match segment {
            "css" => Self::Css,
            "html" => Self::Html,
            "any" => Self::Any,
            _ => return None,
        })
    }
}

/// How deep `srcdoc` documents inside `srcdoc` documents are rewritten;
/// deeper ones are dropped.
const MAX_SRCDOC_DEPTH: usize = 3;

/// What the banner above a served page says.
#[derive(Clone, Debug, Default)]
pub struct Banner {
    /// The article's title.
    pub title: String,
    /// The saved file's name.
    pub file_name: String,
    /// How the format reads to a person ("Chrome MHTML", …).
    pub format: String,
    /// "version 2 of 3", empty when there is one.
    pub version: String,
    /// When the copy was stored (`YYYY-MM-DD`).
    pub stored: String,
}

/// Rewrites one saved page (or one stylesheet or frame of it) for Folio's
/// server.
pub struct Rewriter<'a> {
    /// What the save holds, keyed by the reference as the page writes it.
    pub resources: &'a Resources,
    /// The page's own address (its `<base>`, where it was saved from, or
    /// the article's URL): relative references are resolved against it.
    pub base: Option<Url>,
    /// For a stylesheet or frame: its key in `resources`, which its own
    /// relative references are resolved against first.
    pub key_base: Option<String>,
    /// The served page's address, ending in `/`; resources are served
    /// under it.
    pub prefix: &'a str,
    /// The served address of the library's live copy of the page at an
    /// (absolute) address, if the library holds one.
    pub article: &'a dyn Fn(&str) -> Option<String>,
}

impl Rewriter<'_> {
    /// The served address of the resource the page writes as `reference`,
    /// when the save holds it; `data:` addresses are kept as written (the
    /// policy allows them for images, styles and fonts only).
    pub fn resource(&self, reference: &str, kind: Kind) -> Option<String> {
        let reference = reference.trim();
        if reference.is_empty() || reference.starts_with('#') {
            return None;
        }
        if reference.len() > 5 && reference[..5].eq_ignore_ascii_case("data:") {
            return Some(reference.to_owned());
        }
        let key = self
            .candidates(reference)
            .into_iter()
            .find(|key| self.resources.get(key).is_some())?;
        Some(format!(
            "{}r/{}/{}",
            self.prefix,
            kind.segment(),
            utf8_percent_encode(&key, NON_ALPHANUMERIC)
        ))
    }

    /// Where `reference` may be found in the save: as written, against the
    /// stylesheet's or frame's own key, against the page's address.
    fn candidates(&self, reference: &str) -> Vec<String> {
        let mut out = vec![reference.to_owned()];
        if let Some(key) = &self.key_base {
            match Url::parse(key) {
                Ok(base) => out.extend(base.join(reference).ok().map(String::from)),
                Err(_) if Url::parse(reference).is_err() => out.push(join_path(key, reference)),
                Err(_) => {}
            }
        }
        if let Some(base) = &self.base {
            out.extend(base.join(reference).ok().map(String::from));
        }
        out
    }

    /// `reference` made absolute against the page's address (as written
    /// when it cannot be).
    fn absolute(&self, reference: &str) -> String {
        if let Ok(url) = Url::parse(reference) {
            return url.into();
        }
        self.base
            .as_ref()
            .and_then(|base| base.join(reference).ok())
            .map_or_else(|| reference.to_owned(), String::from)
    }

    /// A stylesheet with its `url()`s and `@import`s pointed at the save
    /// (a reference the save lacks becomes `url()` that loads nothing).
    pub fn css(&self, css: &str) -> String {
        static IMPORT: LazyLock<Regex> = LazyLock::new(|| {
            // Invariant: constant pattern.
            #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
            Regex::new(r#"(?i)@import\s+(?:"([^"]*)"|'([^']*)')"#).expect("valid regex")
        });
        static URL: LazyLock<Regex> = LazyLock::new(|| {
            // Invariant: constant pattern.
            #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
            Regex::new(r#"(?i)url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)"#)
                .expect("valid regex")
        });
        let imports = IMPORT.replace_all(css, |caps: &Captures| {
            let reference = caps
                .get(1)
                .or_else(|| caps.get(2))
                .map_or("", |m| m.as_str());
            match self.resource(reference, Kind::Css) {
                Some(served) => format!("@import url(\"{served}\")"),
                None => "@import url()".to_owned(),
            }
        });
        // `@import url(…)` is a stylesheet too; every other `url()` is not.
        URL.replace_all(&imports, |caps: &Captures| {
            let reference = caps
                .get(1)
                .or_else(|| caps.get(2))
                .or_else(|| caps.get(3))
                .map_or("", |m| m.as_str());
            let whole = caps.get(0).map_or(0, |m| m.start());
            let before = imports[..whole].trim_end();
            let kind = if before.to_ascii_lowercase().ends_with("@import") {
                Kind::Css
            } else {
                Kind::Any
            };
            match self.resource(reference, kind) {
                Some(served) if served.starts_with("data:") => caps[0].to_owned(),
                Some(served) => format!("url(\"{served}\")"),
                None => "url()".to_owned(),
            }
        })
        .into_owned()
    }

    /// The whole page rewritten, with `banner` above it when given.
    pub fn page(&self, html: &str, banner: Option<&Banner>) -> String {
        self.page_at_depth(html, banner, 0)
    }

    fn page_at_depth(&self, html: &str, banner: Option<&Banner>, depth: usize) -> String {
        let doc = Document::from(html);
        // Scripts never run here, so the browser shows what `<noscript>`
        // holds: rewrite it as the markup it is (html5ever read it as text).
        for node in doc.select("noscript").nodes() {
            let inner = node.text().to_string();
            node.replace_with_html(inner);
        }
        doc.select(
            "script, object, embed, applet, portal, base, meta[http-equiv], meta[charset], \
             link:not([rel~=stylesheet i]):not([rel~=icon i])",
        )
        .remove();
        // Collected first: the tree cannot change while an iterator reads it.
        for node in doc.root().descendants() {
            if node.is_element() {
                self.element(&node, depth);
            }
        }
        if let Some(head) = doc.head() {
            head.prepend_html("<meta charset=\"utf-8\">");
            head.append_html(format!("<style>{LEAVES_STYLE}</style>"));
        }
        if let (Some(banner), Some(body)) = (banner, doc.body()) {
            body.prepend_html(banner_html(banner));
        }
        doc.html().to_string()
    }

    /// One element's references and handlers.
    fn element(&self, node: &NodeRef, depth: usize) {
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        // Handlers and script addresses go whatever the element.
        for attr in node.attrs() {
            let attr_name = attr.name.local.to_ascii_lowercase();
            let value = attr.value.to_string();
            if attr_name.starts_with("on") || is_script_url(&value) {
                node.remove_attr(&attr.name.local);
            }
        }
        if let Some(style) = node.attr("style") {
            node.set_attr("style", &self.css(&style));
        }
        if let Some(background) = node.attr("background") {
            self.point(node, "background", &background, Kind::Any);
        }
        match name.as_str() {
            "a" | "area" => self.link(node),
            "img" | "source" | "input" | "video" | "audio" | "track" => {
                if name == "img" {
                    self.lazy_image(node);
                }
                for attr in ["src", "poster"] {
                    if let Some(value) = node.attr(attr) {
                        self.point(node, attr, &value, Kind::Any);
                    }
                }
                for attr in SRCSET {
                    if let Some(value) = node.attr(attr) {
                        self.srcset(node, attr, &value);
                    }
                }
            }
            "link" => {
                if let Some(href) = node.attr("href") {
                    let stylesheet = node
                        .attr("rel")
                        .is_some_and(|rel| rel.to_ascii_lowercase().contains("stylesheet"));
                    let kind = if stylesheet { Kind::Css } else { Kind::Any };
                    self.point(node, "href", &href, kind);
                }
                node.remove_attrs(&["integrity", "crossorigin"]);
            }
            "style" => {
                let css = node.text().to_string();
                node.set_text(self.css(&css));
            }
            "iframe" | "frame" => {
                if let Some(src) = node.attr("src") {
                    self.point(node, "src", &src, Kind::Html);
                }
                if let Some(srcdoc) = node.attr("srcdoc") {
                    if depth < MAX_SRCDOC_DEPTH {
                        let inner = self.page_at_depth(&srcdoc, None, depth + 1);
                        node.set_attr("srcdoc", &inner);
                    } else {
                        node.remove_attr("srcdoc");
                    }
                }
            }
            "form" => node.remove_attr("action"),
            "button" => node.remove_attr("formaction"),
            // SVG's references to other files (`href` or `xlink:href`,
            // both read as `href`).
            "image" | "use" | "feimage" => {
                if let Some(href) = node.attr("href") {
                    self.point(node, "href", &href, Kind::Any);
                }
            }
            _ => {}
        }
        if name == "input" {
            node.remove_attr("formaction");
        }
    }

    /// Point `attr` at the served copy of `value`, or drop it (keeping
    /// what it was in `data-folio-missing`) when the save lacks it.
    fn point(&self, node: &NodeRef, attr: &str, value: &str, kind: Kind) {
        match self.resource(value, kind) {
            Some(served) => node.set_attr(attr, &served),
            None => {
                node.remove_attr(attr);
                if !value.trim().is_empty() {
                    node.set_attr("data-folio-missing", value.trim());
                }
            }
        }
    }

    /// A `srcset` reduced to the largest candidate the save holds (one
    /// candidate needs no descriptor), or dropped when it holds none.
    fn srcset(&self, node: &NodeRef, attr: &str, value: &str) {
        let best = parse_srcset(value)
            .into_iter()
            .filter_map(|c| Some((c.score, self.resource(c.url, Kind::Any)?)))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((_, served)) => node.set_attr(attr, &served),
            None => node.remove_attr(attr),
        }
    }

    /// An image whose file a lazy-loading script would have put in `src`:
    /// with scripts off, `src` gets the file the save holds.
    fn lazy_image(&self, node: &NodeRef) {
        let held = node
            .attr("src")
            .is_some_and(|src| !is_placeholder(&src) && self.resource(&src, Kind::Any).is_some());
        if held {
            return;
        }
        if let Some(lazy) = LAZY_SRC
            .iter()
            .filter_map(|attr| node.attr(attr))
            .find(|value| self.resource(value, Kind::Any).is_some())
        {
            node.set_attr("src", &lazy);
        }
    }

    /// A link: to the library's copy of the page when it holds one, else to
    /// the live address, marked as leaving the archive and opened apart
    /// (no referrer, so the session's address never reaches the site).
    fn link(&self, node: &NodeRef) {
        let Some(href) = node.attr("href") else {
            return;
        };
        let href = href.trim().to_owned();
        if href.starts_with('#') {
            return;
        }
        let Some(safe) = safe_link(&href) else {
            node.remove_attr("href");
            return;
        };
        let absolute = self.absolute(safe);
        if !(absolute.starts_with("http://") || absolute.starts_with("https://")) {
            if absolute.starts_with("mailto:") {
                return;
            }
            // A relative address with nothing to resolve it against.
            node.remove_attr("href");
            node.set_attr("data-folio-missing", &href);
            return;
        }
        if let Some(local) = (self.article)(&absolute) {
            node.set_attr("href", &local);
            node.set_attr("data-folio-archived", "");
            node.set_attr("title", &format!("In your library, as saved: {absolute}"));
            node.remove_attr("target");
            return;
        }
        node.set_attr("href", &absolute);
        node.set_attr("target", "_blank");
        node.set_attr("rel", "noopener noreferrer");
        node.set_attr("data-folio-leaves", "");
        node.set_attr("title", &format!("Leaves the archive: {absolute}"));
    }
}

/// How links leaving the archive and links to the library's own copies
/// are marked.
const LEAVES_STYLE: &str = "a[data-folio-leaves]::after{content:\"\\2197\";font-size:0.8em;\
     margin-left:0.1em;text-decoration:none;display:inline-block}\
     a[data-folio-archived]::after{content:\"\\25C6\";font-size:0.6em;margin-left:0.2em;\
     display:inline-block}";

/// The banner above a served page: what it is and what the marks mean.
fn banner_html(banner: &Banner) -> String {
    let mut parts = vec![format!("<b>{}</b>", escape(&banner.title))];
    let mut saved = format!(
        "as saved in {} ({})",
        escape(&banner.file_name),
        escape(&banner.format)
    );
    if !banner.version.is_empty() {
        saved.push_str(&format!(", {}", escape(&banner.version)));
    }
    if !banner.stored.is_empty() {
        saved.push_str(&format!(", stored {}", escape(&banner.stored)));
    }
    parts.push(saved);
    parts.push("scripts off, nothing loads from the web; \u{2197} leaves the archive".to_owned());
    format!(
        "<div data-folio-banner style=\"all:initial;display:block;box-sizing:border-box;\
         width:100%;padding:6px 12px;background:#fff7d6;color:#3b3000;border-bottom:1px solid \
         #d8c47a;font:13px/1.4 sans-serif\">Folio \u{b7} {}</div>",
        parts.join(" \u{b7} ")
    )
}

/// Text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A value a browser would run as script (`javascript:`, `vbscript:`, in
/// any spelling: case, leading spaces and controls, tabs and newlines).
fn is_script_url(value: &str) -> bool {
    let squeezed: String = value
        .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    squeezed.starts_with("javascript:") || squeezed.starts_with("vbscript:")
}

/// A `src` lazy-loading scripts put before the real one: empty, a tiny
/// inline image, a spacer.
fn is_placeholder(src: &str) -> bool {
    let src = src.trim();
    src.is_empty()
        || (src.len() < 200 && src.to_ascii_lowercase().starts_with("data:"))
        || src.to_ascii_lowercase().contains("blank.gif")
        || src.to_ascii_lowercase().contains("spacer.gif")
}

/// `reference` joined to the folder of `key` (a path in a folder save),
/// `..` never climbing above the save.
fn join_path(key: &str, reference: &str) -> String {
    let mut parts: Vec<&str> = key.split('/').collect();
    parts.pop(); // the file itself
    for part in reference.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with<R>(resources: &[(&str, &[u8])], f: impl FnOnce(&Rewriter) -> R) -> R {
        let mut held = Resources::default();
        for (key, bytes) in resources {
            held.insert(key, bytes.to_vec());
        }
        let article = |url: &str| (url == "https://news.example/other").then(|| "/t/9/".to_owned());
        let rewriter = Rewriter {
            resources: &held,
            base: Url::parse("https://news.example/a/page.html").ok(),
            key_base: None,
            prefix: "/t/1/",
            article: &article,
        };
        f(&rewriter)
    }

    #[test]
    fn held_resources_are_served_and_missing_ones_dropped() {
        let page = with(&[("page_files/a.jpg", b"jpg")], |r| {
            r.page(
                r#"<img src="page_files/a.jpg"><img src="https://cdn.example/b.jpg">"#,
                None,
            )
        });
        assert!(
            page.contains(r#"src="/t/1/r/any/page%5Ffiles%2Fa%2Ejpg""#),
            "{page}"
        );
        assert!(!page.contains("cdn.example/b.jpg\""), "{page}");
        assert!(
            page.contains(r#"data-folio-missing="https://cdn.example/b.jpg""#),
            "{page}"
        );
    }

    #[test]
    fn scripts_handlers_and_script_urls_are_removed() {
        let page = with(&[], |r| {
            r.page(
                "<body onload=x()><script>alert(1)</script><a href=' JaVa\tScRiPt:alert(1)'>x</a>\
                 <svg><script>alert(2)</script><a href='javascript:alert(3)'>y</a></svg>\
                 <meta http-equiv=refresh content='0;url=https://evil.example'>\
                 <base href='https://evil.example/'><object data=x.swf></object></body>",
                None,
            )
        });
        for gone in ["alert", "onload", "refresh", "evil.example", "object"] {
            assert!(!page.contains(gone), "{gone} in {page}");
        }
    }

    #[test]
    fn css_urls_and_imports_point_at_the_save() {
        with(
            &[
                ("https://news.example/s/a.css", b"x"),
                ("https://news.example/i/b.png", b"p"),
            ],
            |r| {
                let css = r.css(
                "@import 'https://news.example/s/a.css'; @import url(https://evil.example/x.css);\
                 p{background:url(../i/b.png)} q{background:url( \"https://evil.example/c.png\" )}",
            );
                assert!(css.contains("@import url(\"/t/1/r/css/"), "{css}");
                assert!(css.contains("background:url(\"/t/1/r/any/"), "{css}");
                assert!(!css.contains("evil.example"), "{css}");
            },
        );
    }

    #[test]
    fn links_leave_marked_or_open_the_library_copy() {
        let page = with(&[], |r| {
            r.page(
                "<a href='/other'>in</a><a href='https://elsewhere.example/'>out</a>",
                None,
            )
        });
        assert!(page.contains(r#"href="/t/9/""#), "{page}");
        assert!(page.contains("data-folio-leaves"), "{page}");
        assert!(page.contains(r#"rel="noopener noreferrer""#), "{page}");
    }

    #[test]
    fn paths_never_climb_above_the_save() {
        assert_eq!(
            join_path("page_files/css/a.css", "../img/b.png"),
            "page_files/img/b.png"
        );
        assert_eq!(join_path("a.css", "../../../etc/passwd"), "etc/passwd");
    }
}

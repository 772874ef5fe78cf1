//! Unwrapping the mirror sites' Markdown wrapper around an article's HTML:
//!
//! ```text
//! ### title
//! ---                      (or a longer rule)
//! #### [首页](…) | [评论](…)  (navigation)
//! <div>…article HTML…</div>
//! <hr/> 手机上长按…二维码分享本文章 … (share footer, QR code)
//! ---
//! 原文链接（需翻墙）：URL   (or 原文地址（需翻墙访问）：URL)
//! ```

/// The parts of a mirror page.
pub struct MirrorPage<'a> {
    /// The `###` line.
    pub title: String,
    /// The article HTML between the navigation and the footer.
    pub html: &'a str,
    /// The footer's original URL.
    pub url: Option<String>,
}

const FOOTER_MARKERS: &[&str] = &["原文链接", "原文地址"];
const SHARE_MARKERS: &[&str] = &["手机上长按", "长按并复制下列链接"];

/// Split a mirror page into title, article HTML and original URL.
pub fn unwrap(text: &str) -> MirrorPage<'_> {
    let text = text.trim_start_matches('\u{feff}');
    let mut title = String::new();
    let mut body_start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let line_end = offset + line.len();
        if title.is_empty() {
            if let Some(t) = trimmed.strip_prefix("###") {
                title = t.trim_start_matches('#').trim().to_owned();
                body_start = line_end;
            } else if !trimmed.is_empty() {
                break;
            }
        } else if trimmed.is_empty() || is_rule(trimmed) || is_nav(trimmed) {
            body_start = line_end;
        } else {
            break;
        }
        offset = line_end;
    }
    let rest = &text[body_start..];
    let footer = FOOTER_MARKERS.iter().filter_map(|m| rest.rfind(m)).max();
    let url = footer.and_then(|pos| {
        let line = rest[pos..].lines().next().unwrap_or("");
        let after = line.split_once(['：', ':']).map(|(_, u)| u.trim())?;
        let url: String = after.split_whitespace().next()?.to_owned();
        url.starts_with("http").then_some(url)
    });
    let mut end = footer.unwrap_or(rest.len());
    if let Some(share) = SHARE_MARKERS
        .iter()
        .filter_map(|m| rest[..end].rfind(m))
        .min()
    {
        end = share;
    }
    // Cut a trailing Markdown rule or <hr/> before the footer.
    let mut html = rest[..end].trim_end();
    loop {
        let trimmed = html.trim_end();
        if let Some(stripped) = trimmed
            .strip_suffix("<hr/>")
            .or_else(|| trimmed.strip_suffix("<hr>"))
        {
            html = stripped;
            continue;
        }
        match trimmed.rfind('\n') {
            Some(pos) if is_rule(trimmed[pos..].trim()) => html = &trimmed[..pos],
            _ => break,
        }
    }
    MirrorPage { title, html, url }
}

/// The article HTML without the Markdown lines the mirror scripts inject
/// into it (`#### 💥 [ad](…)`, `#### [ 🎬 …](…)`, `---` rules, a bottom nav):
/// a line of HTML never starts with `##` or is a rule.
pub fn strip_markdown_lines(html: &str) -> std::borrow::Cow<'_, str> {
    let injected = |line: &str| {
        let t = line.trim();
        is_rule(t) || (t.starts_with("##") && t.trim_start_matches('#').starts_with(' '))
    };
    if !html.lines().any(injected) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    for line in html.split_inclusive('\n') {
        if !injected(line) {
            out.push_str(line);
        } else if line.ends_with('\n') {
            out.push('\n');
        }
    }
    std::borrow::Cow::Owned(out)
}

fn is_rule(line: &str) -> bool {
    line.len() >= 3 && (line.chars().all(|c| c == '-') || line.chars().all(|c| c == '='))
}

fn is_nav(line: &str) -> bool {
    line.starts_with("####") && line.contains("](")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwraps_title_body_and_footer() {
        let page = "### 标题\n---\n\n#### [首页](../x) | [评论](y)\n\n<p>正文</p>\n\n---\n\n原文链接（需翻墙）：https://example.com/a.htm\n";
        let m = unwrap(page);
        assert_eq!(m.title, "标题");
        assert_eq!(m.html.trim(), "<p>正文</p>");
        assert_eq!(m.url.as_deref(), Some("https://example.com/a.htm"));
    }
}

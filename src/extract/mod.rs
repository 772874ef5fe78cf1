//! Pure `Source -> Article` extraction: metadata, body blocks, captions, noise
//! removal and CJK-aware whitespace.
//!
//! Pages of a known site (see [`rules`]) and the mirror wrapper are read with
//! their rule; every other page first goes through a readability pass
//! (dom_smoothie, a port of Mozilla's Readability.js) and Folio's block
//! converter builds on its output. No IO happens here.
//!
//! Long because: the extraction pipeline's driver and its finishing pass
//! (captions, lead image, bounds, NUL removal) read as one sequence; moving
//! the finishing pass to its own module is the next split.

pub mod blocks;
pub mod images;
pub mod meta;
pub mod mirror;
pub mod rules;
pub mod text;

use scraper::{Html, Selector};

use self::blocks::{Cleaning, Converter};
use self::images::ImageResolver;
use self::meta::PageMeta;
use self::rules::SiteRule;
use crate::model::{Article, Block, Image, Inline, inline_text};
use crate::read::limits::{MAX_BLOCKS, MAX_BODY_BYTES, MAX_READABILITY_BYTES};
use crate::read::{Format, Source};

/// Extract the article a saved page holds. Never fails: what cannot be read
/// becomes a warning on the returned article.
pub fn extract(source: &Source) -> Article {
    let mut warnings = source.warnings.clone();
    let draft = match source.format {
        Format::Mirror => mirror_draft(source, &mut warnings),
        _ => html_draft(source, &mut warnings),
    };
    finish(draft, source, warnings)
}

/// What the format-specific passes find, before the shared clean-up.
struct Draft {
    meta: PageMeta,
    rule: Option<&'static SiteRule>,
    blocks: Vec<Block>,
}

fn mirror_draft(source: &Source, warnings: &mut Vec<String>) -> Draft {
    let page = mirror::unwrap(&source.text);
    let rule = page.url.as_deref().and_then(rules::rule_for_url);
    let html = text::repair_double_utf8(&mirror::strip_markdown_lines(page.html)).into_owned();
    let doc = Html::parse_document(&format!("<html><body>{html}</body></html>"));
    let resolver = ImageResolver::new(
        page.url.as_deref(),
        &source.resources,
        rule.and_then(rules::drop_images)
            .or_else(rules::mirror_drop_images),
    );
    let blocks = Converter::new(&resolver, Cleaning::Full).convert_children(body(&doc));
    warnings.extend(resolver.take_warnings());
    // `(2019年04月01日) 明慧期刊：…`: the mirror's date stamp, not the title.
    let (title, stamped) = meta::split_title_stamp(&page.title);
    let meta = PageMeta {
        title: (!title.is_empty()).then(|| title.to_owned()),
        url: page.url,
        published: stamped.or_else(|| meta::time_datetime(&html)),
        ..PageMeta::default()
    };
    Draft { meta, rule, blocks }
}

fn body(doc: &Html) -> ego_tree::NodeRef<'_, scraper::Node> {
    static BODY: std::sync::LazyLock<Selector> = std::sync::LazyLock::new(|| {
        // Invariant: a constant selector that parses.
        #[allow(clippy::expect_used)] // a constant pattern: every test run compiles it
        Selector::parse("body").expect("valid selector")
    });
    doc.select(&BODY)
        .next()
        .map_or_else(|| doc.tree.root(), |b| *b)
}

fn html_draft(source: &Source, warnings: &mut Vec<String>) -> Draft {
    let rewritten;
    let text = if source.format == Format::SingleFile {
        rewritten = images::inline_singlefile_images(&source.text);
        rewritten.as_str()
    } else {
        source.text.as_str()
    };
    // Metadata lives in the head: parse only that much here. The body is
    // parsed by the readability pass, or below when a site rule applies.
    let head_end = head_end(text);
    let head = if head_end < text.len() {
        Html::parse_document(&meta::head_without_style_and_scripts(&text[..head_end]))
    } else {
        Html::parse_document(text)
    };
    let mut meta = meta::page_meta(&head);
    if head_end < text.len() {
        meta = meta.or(meta::json_ld_in_text(&text[head_end..]));
    }
    // The whole page, parsed only when needed (the head already is it when
    // the page has no body).
    let full_doc = std::cell::OnceCell::new();
    let doc = || {
        if head_end == text.len() {
            &head
        } else {
            full_doc.get_or_init(|| Html::parse_document(text))
        }
    };
    let captured = source.saved_from.clone().filter(|u| u.starts_with("http"));
    // A page taken from a web archive refers to images relative to where it
    // was captured, which its canonical URL need not be.
    let base = if source.format == Format::Warc {
        captured.or_else(|| meta.url.clone())
    } else {
        meta.url.clone().or(captured)
    };
    let rule = meta.url.as_deref().and_then(rules::rule_for_url);
    if let Some(rule) = rule
        && let Some(blocks) = rule_blocks(doc(), rule, &source.resources, base.as_deref(), warnings)
    {
        return Draft {
            meta,
            rule: Some(rule),
            blocks,
        };
    }
    let readable = if text.len() <= MAX_READABILITY_BYTES {
        readability(text, &source.resources, base.as_deref(), warnings)
    } else {
        warnings.push(format!(
            "the page is over {} MiB: the readability pass was skipped and the whole page kept",
            MAX_READABILITY_BYTES / (1024 * 1024)
        ));
        None
    };
    match readable {
        Some((readable, blocks)) => {
            // Readability's own metadata mirrors Readability.js; Folio's fills the gaps.
            let theirs = PageMeta {
                title: Some(readable.title).filter(|t| !t.trim().is_empty()),
                byline: readable.byline.filter(|b| !b.trim().is_empty()),
                published: readable.published_time,
                site: readable.site_name,
                lang: readable.lang,
                description: readable.excerpt,
                image: readable.image,
                ..PageMeta::default()
            };
            meta = theirs.or(meta);
            Draft {
                meta,
                rule: None,
                blocks,
            }
        }
        None => {
            let resolver = ImageResolver::new(base.as_deref(), &source.resources, None);
            let blocks = Converter::new(&resolver, Cleaning::Full).convert_children(body(doc()));
            warnings.extend(resolver.take_warnings());
            Draft {
                meta,
                rule: None,
                blocks,
            }
        }
    }
}

/// Where the document's head ends (the `<body` tag), or the whole text when
/// there is no body tag.
fn head_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = text[from..].find('<') {
        let at = from + pos;
        let tag = bytes.get(at + 1..at + 5);
        if tag.is_some_and(|t| t.eq_ignore_ascii_case(b"body")) {
            return at;
        }
        from = at + 1;
    }
    text.len()
}

fn rule_blocks(
    doc: &Html,
    rule: &SiteRule,
    resources: &crate::read::Resources,
    base: Option<&str>,
    warnings: &mut Vec<String>,
) -> Option<Vec<Block>> {
    let content_sel = Selector::parse(rule.content).ok()?;
    let content = doc.select(&content_sel).next()?;
    let resolver = ImageResolver::new(base, resources, rules::drop_images(rule));
    let mut blocks = Vec::new();
    if let Some(lead_sel) = rule.lead.and_then(|l| Selector::parse(l).ok()) {
        for lead in doc.select(&lead_sel) {
            let inside = lead.ancestors().any(|a| a.id() == content.id());
            if !inside {
                blocks.extend(Converter::new(&resolver, Cleaning::Full).convert_children(*lead));
            }
        }
    }
    blocks.extend(Converter::new(&resolver, Cleaning::Full).convert_children(*content));
    warnings.extend(resolver.take_warnings());
    Some(blocks)
}

fn readability(
    text: &str,
    resources: &crate::read::Resources,
    base: Option<&str>,
    warnings: &mut Vec<String>,
) -> Option<(dom_smoothie::Article, Vec<Block>)> {
    let cfg = dom_smoothie::Config {
        classes_to_preserve: [
            "caption",
            "wp-caption",
            "wp-caption-text",
            "feature-image",
            "figcaption",
        ]
        .iter()
        .map(|c| (*c).to_owned())
        .collect(),
        ..dom_smoothie::Config::default()
    };
    // No document URL: dom_smoothie would make relative `src`s absolute, and
    // the page's own folder is found by the references as written.
    let parsed = dom_smoothie::Readability::new(text, None, Some(cfg))
        .and_then(|mut r| r.parse().map(|article| (article, r)));
    let (readable, pass) = match parsed {
        Ok(done) => done,
        Err(err) => {
            warnings.push(format!(
                "no main article found by the readability pass ({err}); kept the whole page"
            ));
            return None;
        }
    };
    let doc = article_tree(&pass.doc).unwrap_or_else(|| Html::parse_fragment(&readable.content));
    let resolver = ImageResolver::new(base, resources, None);
    let blocks = Converter::new(&resolver, Cleaning::Light).convert_children(doc.tree.root());
    warnings.extend(resolver.take_warnings());
    Some((readable, blocks))
}

/// The readability pass's article (`#readability-page-1` in its document,
/// after the pass) as a scraper tree, copied node by node: what parsing its
/// serialized `content` again gives — a fragment whose `<html>` holds the
/// article's root, adjacent text nodes joined, empty ones gone — without a
/// second parse. `None` when the document has no such root.
fn article_tree(doc: &dom_query::Document) -> Option<Html> {
    use dom_query::NodeData;
    use scraper::Node;
    use scraper::node::{Comment, Element, Text};

    let element = |data: &dom_query::Element| {
        let mut element = Element::new(data.name.clone(), Vec::new());
        element.attrs = data
            .attrs
            .iter()
            .map(|a| (a.name.clone(), scraper::StrTendril::from(&*a.value)))
            .collect();
        // As `Element::new` keeps them, for `attr` to find them.
        element.attrs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        element
    };
    let root = *doc.select_single("#readability-page-1").nodes().first()?;
    let html_name = doc.html_root().query(|n| match &n.data {
        NodeData::Element(e) => Some(e.name.clone()),
        _ => None,
    })??;
    let mut out = Html::new_fragment();
    let html = out
        .tree
        .root_mut()
        .append(Node::Element(Element::new(html_name, Vec::new())))
        .id();
    let top = root.query(|n| match &n.data {
        NodeData::Element(e) => Some(element(e)),
        _ => None,
    })??;
    let top_id = out.tree.get_mut(html)?.append(Node::Element(top)).id();
    // Depth-first with a stack of its own: a page's nesting is bounded, but
    // not by the thread's stack.
    let mut stack = vec![(root, top_id)];
    while let Some((from, to)) = stack.pop() {
        let mut child = from.first_child();
        while let Some(node) = child {
            child = node.next_sibling();
            let copied = node.query(|n| match &n.data {
                NodeData::Element(e) => Some(Node::Element(element(e))),
                NodeData::Text { contents } => Some(Node::Text(Text {
                    text: scraper::StrTendril::from(&**contents),
                })),
                NodeData::Comment { contents } => Some(Node::Comment(Comment {
                    comment: scraper::StrTendril::from(&**contents),
                })),
                _ => None,
            });
            let Some(Some(copied)) = copied else {
                continue;
            };
            let Some(mut parent) = out.tree.get_mut(to) else {
                continue;
            };
            if let Node::Text(text) = &copied {
                if text.text.is_empty() {
                    continue;
                }
                if let Some(mut last) = parent.last_child()
                    && let Node::Text(before) = last.value()
                {
                    before.text.push_slice(&text.text);
                    continue;
                }
            }
            let is_element = matches!(copied, Node::Element(_));
            let id = parent.append(copied).id();
            if is_element {
                stack.push((node, id));
            }
        }
    }
    Some(out)
}

/// The clean-up every page gets: title, dates, editor, captions, lead image, tags.
fn finish(draft: Draft, source: &Source, mut warnings: Vec<String>) -> Article {
    let Draft {
        meta,
        rule,
        mut blocks,
    } = draft;
    bound_body(&mut blocks, &mut warnings);
    let url = meta
        .url
        .clone()
        .or_else(|| source.saved_from.clone().filter(|u| !is_local_url(u)));
    // A Chinese news page's own headline, dateline, byline and site name
    // (`meta::news`) come before what its head says.
    let news = (source.format != Format::Mirror
        && meta::news::is_chinese(meta.lang.as_deref(), meta.title.as_deref().unwrap_or("")))
    .then(|| {
        meta::news::read(&meta::news::Page {
            html: &source.text,
            meta: &meta,
            url: url.as_deref(),
            paragraphs: meta::news::paragraphs(&blocks),
        })
    });
    let title = news
        .as_ref()
        .and_then(|n| n.title.clone())
        .or_else(|| meta.title.clone())
        .or_else(|| {
            blocks.iter().find_map(|b| match b {
                Block::Heading { inlines, .. } => Some(inline_text(inlines)),
                _ => None,
            })
        })
        .unwrap_or_else(|| source.file_name.clone());
    let title = text::collapse(&title).trim().to_owned();

    // A heading repeating the title is not body text.
    if let Some(pos) = blocks.iter().take(3).position(
        |b| matches!(b, Block::Heading { inlines, .. } if same_text(&inline_text(inlines), &title)),
    ) {
        blocks.remove(pos);
    }

    // `责任编辑：方明`, `（记者李芸报导/责任编辑：李泉）`, `编译 徐文焰；审校 张涛`
    // are metadata, not text; so are subscription appeals and copyright notices.
    let mut editor = None;
    let mut byline = match &news {
        Some(news) => news.byline.clone(),
        None => meta.byline.clone(),
    };
    let count = blocks.len();
    let mut index = 0;
    blocks.retain(|b| {
        index += 1;
        let Block::Paragraph { inlines } = b else {
            return true;
        };
        let text = inline_text(inlines);
        let text = text.trim();
        if let Some(name) = meta::editor_line(text) {
            editor = Some(name);
            return false;
        }
        if let Some(credits) = meta::credit_line(text, index + 3 > count) {
            editor = credits.editor.or(editor.take());
            if byline.is_none() {
                byline = credits.byline;
            }
            return false;
        }
        if index <= 3 && meta::is_timestamp_line(text) {
            return false;
        }
        if index + 3 > count && is_embed_fallback(inlines, text) {
            return false;
        }
        !rules::BOILERPLATE.iter().any(|p| text.starts_with(p))
    });
    if byline.is_none() {
        byline = blocks.iter().take(5).find_map(|b| match b {
            Block::Paragraph { inlines } => meta::byline_in_text(&inline_text(inlines)),
            _ => None,
        });
    }
    if byline.is_none() && source.format == Format::Mirror {
        byline = meta::byline_in_headline(&title);
    }

    attach_captions(&mut blocks, rule.is_some_and(|r| r.alt_is_caption));
    // Alt text that only repeats the headline says nothing about the image.
    for image in crate::model::images_mut(&mut blocks) {
        if image.alt.as_deref().is_some_and(|a| same_text(a, &title)) {
            image.alt = None;
        }
    }
    add_lead_image(&mut blocks, meta.image.as_deref());

    let body_text = crate::model::blocks_text(&blocks);
    let published = news
        .as_ref()
        .and_then(|n| n.published.clone())
        .or_else(|| meta.published.as_deref().and_then(meta::normalize_date))
        .or_else(|| meta::date_in_text(&body_text))
        .or_else(|| {
            rule.zip(url.as_deref())
                .and_then(|(rule, url)| rules::date_in_url(rule, url))
        })
        .or_else(|| url.as_deref().and_then(meta::date_in_url));

    let mut source_tags = meta.keywords.clone();
    if let Some(pattern) = rule.and_then(|r| r.tag_links) {
        collect_tag_links(&blocks, pattern, &mut source_tags);
    }
    let mut seen = std::collections::HashSet::new();
    source_tags.retain(|t| !t.is_empty() && seen.insert(t.to_lowercase()));

    let lang = meta
        .lang
        .clone()
        .or_else(|| rule.map(|r| r.lang.to_owned()))
        .or_else(|| guess_lang(&body_text));
    let excerpt = meta
        .description
        .clone()
        .filter(|d| !d.trim().is_empty())
        .or_else(|| {
            blocks.iter().find_map(|b| match b {
                Block::Paragraph { inlines } => Some(truncate(&inline_text(inlines), 200)),
                _ => None,
            })
        });
    let remote = blocks
        .iter()
        .filter(|b| matches!(b, Block::Image(i) if i.data.is_none()))
        .count();
    if remote > 0 && source.format != Format::Mirror && !source.resources.is_empty() {
        warnings.push(format!("{remote} image(s) are not stored with the page"));
    }
    if blocks.is_empty() {
        warnings.push("no article text was found in the page".to_owned());
    }
    let mut article = Article {
        title,
        byline: byline.map(|b| text::collapse(&b).trim().to_owned()),
        editor,
        published,
        site: rule
            .map(|r| r.site.to_owned())
            .or_else(|| news.and_then(|n| n.site))
            .or(meta.site),
        url,
        lang,
        source_tags,
        excerpt,
        blocks,
        warnings,
        captured: source.captured.clone(),
    };
    remove_nul(&mut article);
    article
}

/// Cut a body past [`MAX_BLOCKS`] blocks or [`MAX_BODY_BYTES`] of text
/// (a last paragraph that does not fit is shortened at a character
/// boundary), with a warning: what is stored and indexed per page stays
/// bounded whatever the page holds.
fn bound_body(blocks: &mut Vec<Block>, warnings: &mut Vec<String>) {
    let mut bytes = 0;
    let mut keep = blocks.len();
    let mut cut = false;
    for (n, block) in blocks.iter_mut().enumerate() {
        if n >= MAX_BLOCKS {
            (keep, cut) = (n, true);
            break;
        }
        let text = crate::model::blocks_text(std::slice::from_ref(block));
        if bytes + text.len() > MAX_BODY_BYTES {
            let room = MAX_BODY_BYTES - bytes;
            (keep, cut) = (n, true);
            if matches!(block, Block::Paragraph { .. }) && room > 0 {
                let mut end = room;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                *block = Block::Paragraph {
                    inlines: vec![Inline::Text {
                        text: text[..end].to_owned(),
                    }],
                };
                keep = n + 1;
            }
            break;
        }
        bytes += text.len();
    }
    if cut {
        let dropped = blocks.len() - keep;
        blocks.truncate(keep);
        warnings.push(format!(
            "the body was cut to its first {} blocks and {} MiB of text ({dropped} more \
             blocks dropped)",
            MAX_BLOCKS,
            MAX_BODY_BYTES / (1024 * 1024)
        ));
    }
}

/// U+0000 is never text: metadata (a JSON-LD `\u0000`) and MHTML parts can
/// still carry it past the reader, which drops it from the document text.
fn remove_nul(article: &mut Article) {
    fn fix(text: &mut String) {
        if text.contains('\0') {
            text.retain(|c| c != '\0');
        }
    }
    fn inlines(list: &mut [Inline]) {
        for inline in list {
            match inline {
                Inline::Text { text } | Inline::Code { text } => fix(text),
                Inline::Link { href, children } => {
                    fix(href);
                    inlines(children);
                }
                Inline::Emphasis { children } | Inline::Strong { children } => inlines(children),
                Inline::LineBreak => {}
            }
        }
    }
    fn blocks(list: &mut [Block]) {
        for block in list {
            match block {
                Block::Heading { inlines: i, .. } | Block::Paragraph { inlines: i } => inlines(i),
                Block::List { items, .. } => {
                    for item in items {
                        inlines(&mut item.inlines);
                        blocks(&mut item.children);
                    }
                }
                Block::Quote { blocks: b } => blocks(b),
                Block::Code { text } => fix(text),
                Block::Table { rows } => rows.iter_mut().flatten().for_each(fix),
                Block::Image(image) => {
                    fix(&mut image.src);
                    for text in [
                        &mut image.full_src,
                        &mut image.alt,
                        &mut image.caption,
                        &mut image.credit,
                    ]
                    .into_iter()
                    .flatten()
                    {
                        fix(text);
                    }
                }
            }
        }
    }
    fix(&mut article.title);
    for text in [
        &mut article.byline,
        &mut article.editor,
        &mut article.published,
        &mut article.site,
        &mut article.url,
        &mut article.lang,
        &mut article.excerpt,
    ]
    .into_iter()
    .flatten()
    {
        fix(text);
    }
    article.source_tags.iter_mut().for_each(fix);
    blocks(&mut article.blocks);
}

/// A paragraph that is only an embedded document's fallback link
/// ([`rules::EMBED_FALLBACK_ENDINGS`]): one run of text or one link, short,
/// ending `(PDF)` or `(Text)`.
fn is_embed_fallback(inlines: &[Inline], text: &str) -> bool {
    let one_run = inlines
        .iter()
        .filter(|i| !matches!(i, Inline::LineBreak))
        .count()
        == 1;
    one_run
        && text.chars().count() <= 200
        && rules::EMBED_FALLBACK_ENDINGS
            .iter()
            .any(|ending| text.ends_with(ending))
}

fn is_local_url(url: &str) -> bool {
    url.starts_with("file:") || url.contains("://127.0.0.1") || url.contains("://localhost")
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<String>().to_lowercase();
    norm(a) == norm(b)
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max_chars).collect();
    out.push('…');
    out
}

/// Captions that live outside the image's own markup, and alt texts that repeat them.
fn attach_captions(blocks: &mut Vec<Block>, alt_is_caption: bool) {
    let mut i = 0;
    while i < blocks.len() {
        let next_text = match blocks.get(i + 1) {
            Some(Block::Paragraph { inlines }) => Some(inline_text(inlines)),
            _ => None,
        };
        let mut remove_next = false;
        if let Some(Block::Image(image)) = blocks.get_mut(i) {
            if let Some(next) = &next_text {
                let next = next.trim();
                let is_figure_label = looks_like_figure_label(next);
                let repeats_alt = image.alt.as_deref().is_some_and(|a| same_text(a, next));
                match &image.caption {
                    None if is_figure_label || repeats_alt => {
                        image.caption = Some(next.to_owned());
                        remove_next = true;
                    }
                    Some(caption) if same_text(caption, next) => remove_next = true,
                    _ => {}
                }
            }
            if image.caption.is_none() && alt_is_caption {
                image.caption = image.alt.clone().filter(|a| a.chars().count() >= 4);
            }
            if let (Some(alt), Some(caption)) = (&image.alt, &image.caption)
                && (same_text(alt, caption)
                    || caption.contains(alt.as_str()) && alt.chars().count() > 8)
            {
                image.alt = None;
            }
            split_credit(image);
        }
        if remove_next {
            blocks.remove(i + 1);
        }
        i += 1;
    }
}

/// `图1：…`, `图片：…`, `Figure 2.`: a paragraph that labels the image above.
fn looks_like_figure_label(text: &str) -> bool {
    let text = text.trim_start();
    let rest = text
        .strip_prefix('图')
        .or_else(|| text.strip_prefix('圖'))
        .map(|r| {
            r.trim_start_matches(|c: char| {
                c.is_ascii_digit() || "片一二三四五六七八九十".contains(c)
            })
        });
    match rest {
        Some(r) => r.starts_with(['：', ':', '　', ' ']) && text.chars().count() < 300,
        None => false,
    }
}

/// A trailing `(Name/Agency)` or `（安然／大纪元）` in a caption is the photo credit.
fn split_credit(image: &mut Image) {
    if image.credit.is_some() {
        return;
    }
    let Some(caption) = &image.caption else {
        return;
    };
    let trimmed = caption.trim_end();
    let (open, close) = if trimmed.ends_with('）') {
        ('（', '）')
    } else if trimmed.ends_with(')') {
        ('(', ')')
    } else {
        return;
    };
    let Some(start) = trimmed.rfind(open) else {
        return;
    };
    let inner = &trimmed[start + open.len_utf8()..trimmed.len() - close.len_utf8()];
    let looks_like_credit = inner.contains('/')
        || inner.contains('／')
        || inner.contains("Getty")
        || inner.contains("Photo");
    if looks_like_credit && inner.chars().count() < 80 {
        image.credit = Some(inner.trim().to_owned());
    }
}

/// og:image / JSON-LD image, only when the body shows no image of its own
/// (a page's metadata image is often one the page never shows, or a
/// different size of one it does).
fn add_lead_image(blocks: &mut Vec<Block>, lead: Option<&str>) {
    let Some(lead) = lead.filter(|l| l.starts_with("http")) else {
        return;
    };
    if blocks.iter().any(|b| matches!(b, Block::Image(_))) {
        return;
    }
    let file_name = |url: &str| {
        url.split(['?', '#'])
            .next()
            .and_then(|u| u.rsplit('/').next())
            .unwrap_or("")
            .to_lowercase()
    };
    let lead_name = file_name(lead);
    let shown = blocks.iter().any(|b| match b {
        Block::Image(image) => {
            file_name(&image.src) == lead_name
                || image
                    .full_src
                    .as_deref()
                    .is_some_and(|f| file_name(f) == lead_name)
        }
        _ => false,
    });
    if !shown && !lead_name.is_empty() {
        blocks.insert(
            0,
            Block::Image(Image {
                src: lead.to_owned(),
                ..Image::default()
            }),
        );
    }
}

fn collect_tag_links(blocks: &[Block], pattern: &str, out: &mut Vec<String>) {
    fn walk(inlines: &[Inline], pattern: &str, out: &mut Vec<String>) {
        for inline in inlines {
            match inline {
                Inline::Link { href, children } if href.contains(pattern) => {
                    out.push(inline_text(children).trim().to_owned());
                }
                Inline::Link { children, .. }
                | Inline::Emphasis { children }
                | Inline::Strong { children } => walk(children, pattern, out),
                _ => {}
            }
        }
    }
    for block in blocks {
        if let Block::Paragraph { inlines } = block {
            walk(inlines, pattern, out);
        }
    }
}

/// A language tag from the script of the text, when the page states none.
fn guess_lang(text: &str) -> Option<String> {
    let sample: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(2000)
        .collect();
    if sample.is_empty() {
        return None;
    }
    let kana = sample
        .iter()
        .filter(|c| matches!(**c as u32, 0x3040..=0x30FF))
        .count();
    let han = sample.iter().filter(|c| text::is_cjk(**c)).count();
    let hangul = sample
        .iter()
        .filter(|c| matches!(**c as u32, 0xAC00..=0xD7AF))
        .count();
    let latin = sample.iter().filter(|c| c.is_ascii_alphabetic()).count();
    Some(
        if kana * 10 > sample.len() {
            "ja"
        } else if hangul * 4 > sample.len() {
            "ko"
        } else if han * 4 > sample.len() {
            "zh"
        } else if latin * 2 > sample.len() {
            "en"
        } else {
            return None;
        }
        .to_owned(),
    )
}

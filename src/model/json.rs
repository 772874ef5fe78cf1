//! The stable JSON shape of an article for scripts (`folio extract --json`,
//! `folio show --json`): blocks flattened to plain text.

use serde_json::{Value, json};

use super::{Article, Block};

/// The flattened JSON object of one article (without `file`, `id`, `tags`, `note`:
/// callers add what they know).
pub fn article_json(article: &Article) -> Value {
    json!({
        "title": article.title,
        "byline": article.byline,
        "editor": article.editor,
        "published": article.published,
        "site": article.site,
        "url": article.url,
        "lang": article.lang,
        "source_tags": article.source_tags,
        "excerpt": article.excerpt,
        "blocks": article.blocks.iter().map(block_json).collect::<Vec<_>>(),
        "warnings": article.warnings,
        "captured_at": article.captured.as_ref().map(|c| &c.at),
        "captured_from": article.captured.as_ref().map(|c| c.from.as_str()),
    })
}

/// One block in the flattened shape.
pub fn block_json(block: &Block) -> Value {
    match block {
        Block::Heading { level, .. } => {
            json!({"type": "heading", "level": level, "text": block.text()})
        }
        Block::Paragraph { .. } => json!({"type": "paragraph", "text": block.text()}),
        Block::List { ordered, items } => json!({
            "type": "list",
            "ordered": ordered,
            "items": items.iter().map(super::ListItem::text).collect::<Vec<_>>(),
        }),
        Block::Quote { .. } => json!({"type": "quote", "text": block.text()}),
        Block::Code { text } => json!({"type": "code", "text": text}),
        Block::Table { rows } => json!({"type": "table", "rows": rows}),
        Block::Image(image) => json!({
            "type": "image",
            "src": image.src,
            "full_src": image.full_src,
            "local": image.data.is_some(),
            "width": image.width,
            "height": image.height,
            "alt": image.alt,
            "caption": image.caption,
            "credit": image.credit,
        }),
    }
}

//! Articles as JSON Lines: one object per line in the shape of
//! `folio show --json` ([`stored_article_json`]).

use std::io::Write as _;

use serde_json::{Value, json};

use super::target::{TargetKind, TempTarget};
use crate::library::{
    ExportJob, ExportReport, ExportResult as Result, Highlight, Library, StoredArticle,
};
use crate::model::json::article_json;

/// The JSON object of a stored article: [`article_json`] plus `id`, `tags`,
/// `note`, `source`, `format`, `added`, `updated`, `trashed` and
/// `highlights` (each an [`annotation_json`]).
pub fn stored_article_json(stored: &StoredArticle) -> Value {
    let mut value = article_json(&stored.article);
    if let Some(obj) = value.as_object_mut() {
        obj.insert("id".to_owned(), stored.id.0.into());
        obj.insert("tags".to_owned(), stored.tags.clone().into());
        obj.insert("note".to_owned(), stored.note.clone().into());
        obj.insert("source".to_owned(), stored.source_file.clone().into());
        obj.insert("format".to_owned(), stored.source_format.clone().into());
        obj.insert("added".to_owned(), stored.added_at.clone().into());
        obj.insert("updated".to_owned(), stored.updated_at.clone().into());
        obj.insert("trashed".to_owned(), stored.deleted_at.clone().into());
        obj.insert("read".to_owned(), stored.reading.read_at.is_some().into());
        obj.insert("starred".to_owned(), stored.reading.starred.into());
        // The corrected details, each with what Folio read.
        obj.insert(
            "corrected".to_owned(),
            stored
                .edits
                .iter()
                .map(|e| {
                    (
                        e.field.clone(),
                        serde_json::json!({"extracted": e.extracted, "edited_at": e.edited_at}),
                    )
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
        );
        let url = stored.article.url.as_deref();
        obj.insert(
            "highlights".to_owned(),
            stored
                .highlights
                .iter()
                .map(|h| annotation_json(h, url))
                .collect(),
        );
    }
    value
}

/// A highlight as a W3C Web Annotation (JSON-LD): `target.source` is the
/// article's URL (`urn:x-folio:article:ID` when it has none), the selectors a
/// `TextQuoteSelector` and a `TextPositionSelector` over the canonical text
/// (code points, see [`crate::model::canonical`]), the comment a
/// `TextualBody` (no `body` without a comment); plus Folio's own
/// `highlight_id`, `article_id`, `colour` and `orphan`.
pub fn annotation_json(h: &Highlight, url: Option<&str>) -> Value {
    let source = url.map_or_else(
        || format!("urn:x-folio:article:{}", h.article),
        str::to_owned,
    );
    let mut value = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": format!("urn:x-folio:highlight:{}", h.id),
        "type": "Annotation",
        "motivation": if h.comment.is_empty() { "highlighting" } else { "commenting" },
        "created": h.created_at,
        "modified": h.updated_at,
        "target": {
            "source": source,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": h.quote.exact,
                    "prefix": h.quote.prefix,
                    "suffix": h.quote.suffix,
                },
                {
                    "type": "TextPositionSelector",
                    "start": h.position.start,
                    "end": h.position.end,
                },
            ],
        },
        "highlight_id": h.id.0,
        "article_id": h.article.0,
        "colour": h.colour.as_str(),
        "orphan": h.orphan,
    });
    if !h.comment.is_empty()
        && let Some(obj) = value.as_object_mut()
    {
        obj.insert(
            "body".to_owned(),
            json!({
                "type": "TextualBody",
                "value": h.comment,
                "format": "text/markdown",
                "purpose": "commenting",
            }),
        );
    }
    value
}

/// Write the articles `ids` as one JSON object per line to the file `out`;
/// see [`super::export`].
pub fn export(lib: &Library, job: &ExportJob<'_>) -> Result<ExportReport> {
    let target = TempTarget::new(job.out, job.overwrite, TargetKind::Lines)?;
    let file = std::fs::File::create_new(target.path())?;
    let mut writer = std::io::BufWriter::new(file);
    let mut report = ExportReport::default();
    super::folder::for_each_article(lib, job, |stored| {
        serde_json::to_writer(&mut writer, &stored_article_json(&stored))
            .map_err(std::io::Error::from)?;
        writer.write_all(b"\n")?;
        report.articles += 1;
        Ok(())
    })?;
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    drop(file);
    target.publish()?;
    Ok(report)
}

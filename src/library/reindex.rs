//! The search text rewritten by an upgrade step, in Rust where SQL cannot:
//! version 5 folds every row again ([`refold`]), version 8 writes the text
//! only earlier versions hold ([`earlier`]). `schema` runs them inside the
//! step's transaction; the step's script rebuilds the index afterwards.

use rusqlite::Connection;

use super::error::LibraryError;

/// How a step reports progress (`schema::UpgradeProgress`, spelt out so
/// that this module, below `schema`, does not import it).
type UpgradeProgress<'a> = &'a mut dyn FnMut(usize, usize);

/// Write the text only earlier versions hold into the search text of every
/// article with kept copies (schema version 8), reporting progress. The
/// caller rebuilds the index afterwards.
pub(super) fn earlier(
    tx: &Connection,
    mut progress: Option<UpgradeProgress<'_>>,
) -> Result<(), LibraryError> {
    let ids: Vec<i64> = tx
        .prepare("SELECT DISTINCT article_id FROM article_versions ORDER BY article_id")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let total = ids.len();
    for (done, id) in ids.into_iter().enumerate() {
        super::store::versions::refresh_earlier(tx, super::types::ArticleId(id))?;
        if let Some(report) = progress.as_deref_mut()
            && done % EARLIER_REPORT == 0
        {
            report(done, total);
        }
    }
    if let Some(report) = progress
        && total > 0
    {
        report(total, total);
    }
    Ok(())
}

/// Articles between two progress reports of `earlier`.
const EARLIER_REPORT: usize = 500;

/// Articles rewritten per read of `refold`.
const REFOLD_BATCH: i64 = 500;

/// Rewrite every row of `search_text` from the articles, notes and
/// highlight comments as this build segments them (folded: schema version
/// 5), reporting progress. The caller rebuilds the index afterwards.
pub(super) fn refold(
    tx: &Connection,
    mut progress: Option<UpgradeProgress<'_>>,
) -> Result<(), LibraryError> {
    use super::segment::segment;
    let total: i64 = tx.query_row("SELECT count(*) FROM search_text", [], |row| row.get(0))?;
    let total = usize::try_from(total).unwrap_or(0);
    let mut select = tx.prepare(
        "SELECT s.article_id, a.title, a.body_json, n.body, s.body
           FROM search_text s JOIN articles a ON a.id = s.article_id
           LEFT JOIN notes n ON n.article_id = s.article_id
          WHERE s.article_id > ?1 ORDER BY s.article_id LIMIT ?2",
    )?;
    let mut update = tx.prepare(
        "UPDATE search_text SET title = ?2, body = ?3, notes = ?4, comments = ?5
          WHERE article_id = ?1",
    )?;
    let mut last = i64::MIN;
    let mut done = 0;
    loop {
        let rows: Vec<(i64, String, String, Option<String>, String)> = select
            .query_map(rusqlite::params![last, REFOLD_BATCH], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let Some(&(end, ..)) = rows.last() else {
            break;
        };
        for (id, title, body_json, note, old_body) in rows {
            let article_id = super::types::ArticleId(id);
            // A body that does not decode (`check` reports it) keeps its
            // old segmented text, folded character by character, rather
            // than stopping the upgrade of the whole library.
            let body = match super::codec::decode_blocks(article_id, &body_json) {
                Ok(blocks) => segment(
                    &crate::model::Article {
                        blocks,
                        ..crate::model::Article::default()
                    }
                    .searchable_text(),
                ),
                Err(_) => super::fold::fold(&old_body).into_owned(),
            };
            let comments = super::highlights::comments_of(tx, article_id)?;
            update.execute(rusqlite::params![
                id,
                segment(&title),
                body,
                segment(note.as_deref().unwrap_or_default()),
                segment(&comments.join("\n")),
            ])?;
            done += 1;
        }
        last = end;
        if let Some(report) = progress.as_deref_mut() {
            report(done, total.max(done));
        }
    }
    if let Some(report) = progress {
        report(done, total.max(done));
    }
    Ok(())
}

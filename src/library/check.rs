//! Consistency checks and statistics.

use rusqlite::Connection;

use super::articles::decode_blocks;
use super::{ArticleId, Result, Stats};
use crate::model::Article;

fn count(conn: &Connection, sql: &str) -> Result<u64> {
    let n: i64 = conn.query_row(sql, [], |row| row.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub(crate) fn stats(conn: &Connection) -> Result<Stats> {
    let (highlights, orphans) = super::highlights::counts(conn)?;
    Ok(Stats {
        highlights,
        orphans,
        articles: count(
            conn,
            "SELECT count(*) FROM articles WHERE deleted_at IS NULL",
        )?,
        trashed: count(
            conn,
            "SELECT count(*) FROM articles WHERE deleted_at IS NOT NULL",
        )?,
        images: count(conn, "SELECT count(*) FROM images")?,
        image_bytes: count(conn, "SELECT coalesce(sum(size), 0) FROM images")?,
        original_bytes: count(
            conn,
            "SELECT coalesce((SELECT sum(length(data)) FROM originals), 0)
                  + coalesce((SELECT sum(length(data)) FROM original_resources), 0)",
        )?,
        tags: count(conn, "SELECT count(*) FROM tags")?,
        notes: count(conn, "SELECT count(*) FROM notes")?,
        file_bytes: count(
            conn,
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
        )?,
        schema_version: conn.pragma_query_value(None, "user_version", |row| row.get(0))?,
    })
}

pub(crate) fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    {
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |row| row.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(format!("integrity: {row}"));
            }
        }
    }
    {
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |row| {
            Ok(format!(
                "foreign key: row {} of {} points at a missing {} row",
                row.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                row.get::<_, String>(0)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            problems.push(row?);
        }
    }
    if let Err(err) = conn.execute(
        "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)",
        [],
    ) {
        problems.push(format!("full-text index: {err}"));
    }
    {
        let mut stmt = conn.prepare(
            "SELECT a.id FROM articles a LEFT JOIN search_text s ON s.article_id = a.id
             WHERE s.article_id IS NULL",
        )?;
        for id in stmt.query_map([], |row| row.get::<_, i64>(0))? {
            problems.push(format!("article {} has no search row", id?));
        }
    }
    {
        let mut stmt = conn.prepare(
            "SELECT a.id FROM articles a LEFT JOIN originals o ON o.article_id = a.id
             WHERE o.article_id IS NULL",
        )?;
        for id in stmt.query_map([], |row| row.get::<_, i64>(0))? {
            problems.push(format!("article {} has no stored original", id?));
        }
    }
    // Every live article's body decodes and its image links match its images.
    let mut stmt = conn.prepare(
        "SELECT a.id, a.body_json,
                (SELECT count(*) FROM article_images i WHERE i.article_id = a.id),
                (SELECT coalesce(max(position) + 1, 0) FROM article_images i WHERE i.article_id = a.id)
         FROM articles a WHERE a.deleted_at IS NULL",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            ArticleId(row.get(0)?),
            row.get::<_, String>(1)?,
            row.get::<_, i64>(2)?,
            row.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (id, body_json, links, positions) = row?;
        match decode_blocks(id, &body_json) {
            Err(err) => problems.push(err.to_string()),
            Ok(blocks) => {
                let article = Article {
                    blocks,
                    ..Article::default()
                };
                let images = i64::try_from(article.images().len()).unwrap_or(i64::MAX);
                if images != links || positions != links {
                    problems.push(format!(
                        "article {id}: body has {images} images but {links} image links"
                    ));
                }
            }
        }
    }
    Ok(problems)
}

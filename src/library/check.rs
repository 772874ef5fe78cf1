//! Consistency checks and statistics.
//!
//! Promises:
//! * `check` reads only (also on a read-only library): `PRAGMA
//!   integrity_check` (which includes FTS5's own index check), foreign keys,
//!   the full-text index against its text (on a writable library; a
//!   read-only one compares the indexed rows only and says so), and Folio's
//!   invariants (bodies decode, image links match bodies, search rows and
//!   originals exist);
//! * a full check verifies every stored blob the way it is used: every
//!   original and resource decompresses to its recorded size, every image's
//!   bytes match their sha256 and size; a quick check skips that and says so;
//! * export and merge use the same verification ([`damaged_rows`]) and
//!   refuse to carry a damaged row.

use std::collections::HashSet;

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension as _};

use super::codec::{decode_blocks, sha256_hex};
use super::error::Result;
use super::schema;
use super::types::{ArticleId, Stats};
use crate::model::Article;

/// What a check found: problems (damage), and notes on what it did not do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Each problem found, one sentence; empty when all is well.
    pub problems: Vec<String>,
    /// What was not checked, and why (a quick check, a read-only library).
    pub notes: Vec<String>,
}

/// Bytes of blobs read before they are verified together (in parallel).
const VERIFY_BATCH_BYTES: usize = 64 * 1024 * 1024;

/// The length `data` (a zlib stream) decompresses to, decoding into one
/// small buffer instead of keeping the output. Fails where `codec::inflate`
/// (what re-extraction uses) fails: a broken stream, a wrong checksum, a
/// stream that ends early, and bytes after its end.
fn inflated_len(data: &[u8]) -> Result<u64, String> {
    let mut decoder = flate2::Decompress::new(true);
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let consumed = usize::try_from(decoder.total_in()).unwrap_or(usize::MAX);
        let input = data.get(consumed..).unwrap_or_default();
        let before = (decoder.total_in(), decoder.total_out());
        let status = decoder
            .decompress(input, &mut buf, flate2::FlushDecompress::None)
            .map_err(|err| err.to_string())?;
        match status {
            flate2::Status::StreamEnd => break,
            _ if (decoder.total_in(), decoder.total_out()) == before => {
                return Err("the compressed stream ends early".to_owned());
            }
            _ => {}
        }
    }
    if usize::try_from(decoder.total_in()).ok() != Some(data.len()) {
        return Err("there are bytes after the compressed stream".to_owned());
    }
    Ok(decoder.total_out())
}

/// Why a compressed original or resource is damaged, if it is: it must
/// decompress (as re-extraction does) to exactly its recorded size.
fn compressed_fault(data: &[u8], size: i64) -> Option<String> {
    match inflated_len(data) {
        Err(err) => Some(format!("it does not decompress: {err}")),
        Ok(len) if i64::try_from(len).ok() != Some(size) => Some(format!(
            "it decompresses to {len} bytes, not the recorded {size}"
        )),
        Ok(_) => None,
    }
}

/// Why an image's bytes are damaged, if they are: they must have their
/// recorded size and sha256.
fn image_fault(sha256: &str, size: i64, bytes: &[u8]) -> Option<String> {
    if i64::try_from(bytes.len()).ok() != Some(size) {
        return Some(format!(
            "its bytes are {} long, not the recorded {size}",
            bytes.len()
        ));
    }
    if !sha256_hex(bytes).eq_ignore_ascii_case(sha256) {
        return Some("its bytes do not match their sha256".to_owned());
    }
    None
}

/// A stored blob to verify, with the name of its row.
enum Blob {
    Original {
        /// `article N` or `article N, kept copy V`.
        article: String,
        compression: String,
        size: i64,
        data: Vec<u8>,
    },
    Resource {
        article: String,
        name: String,
        size: i64,
        data: Vec<u8>,
    },
    Image {
        sha256: String,
        size: i64,
        bytes: Vec<u8>,
    },
}

impl Blob {
    fn len(&self) -> usize {
        match self {
            Self::Original { data, .. } | Self::Resource { data, .. } => data.len(),
            Self::Image { bytes, .. } => bytes.len(),
        }
    }

    /// The problem with this blob, naming its row, if it is damaged.
    fn fault(&self) -> Option<String> {
        match self {
            Self::Original {
                article,
                compression,
                size,
                data,
            } => {
                let fault = if compression == "zlib" {
                    compressed_fault(data, *size)
                } else {
                    Some(format!("its compression {compression:?} is unknown"))
                };
                fault.map(|f| format!("{article}: the stored original is damaged ({f})"))
            }
            Self::Resource {
                article,
                name,
                size,
                data,
            } => compressed_fault(data, *size)
                .map(|f| format!("{article}: the stored resource {name:?} is damaged ({f})")),
            Self::Image {
                sha256,
                size,
                bytes,
            } => image_fault(sha256, *size, bytes).map(|f| format!("image {sha256}: {f}")),
        }
    }
}

/// Verify blobs as they are read, a batch at a time on rayon's pool, adding
/// each damaged one's problem to `out` in reading order.
struct Verifier<'a> {
    batch: Vec<Blob>,
    bytes: usize,
    out: &'a mut Vec<String>,
}

impl<'a> Verifier<'a> {
    fn new(out: &'a mut Vec<String>) -> Self {
        Self {
            batch: Vec::new(),
            bytes: 0,
            out,
        }
    }

    fn push(&mut self, blob: Blob) {
        self.bytes += blob.len();
        self.batch.push(blob);
        if self.bytes >= VERIFY_BATCH_BYTES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let faults: Vec<Option<String>> = self.batch.par_iter().map(Blob::fault).collect();
        self.out.extend(faults.into_iter().flatten());
        self.batch.clear();
        self.bytes = 0;
    }
}

impl Drop for Verifier<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Verify every stored original, resource and image of the library.
fn verify_all_blobs(conn: &Connection, problems: &mut Vec<String>) -> Result<()> {
    let mut verifier = Verifier::new(problems);
    let mut stmt = conn
        .prepare("SELECT article_id, compression, size, data FROM originals ORDER BY article_id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        verifier.push(Blob::Original {
            article: format!("article {}", row.get::<_, i64>(0)?),
            compression: row.get(1)?,
            size: row.get(2)?,
            data: row.get(3)?,
        });
    }
    let mut stmt = conn.prepare(
        "SELECT article_id, name, size, data FROM original_resources
         WHERE data IS NOT NULL ORDER BY article_id, name",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        verifier.push(Blob::Resource {
            article: format!("article {}", row.get::<_, i64>(0)?),
            name: row.get(1)?,
            size: row.get(2)?,
            data: row.get(3)?,
        });
    }
    // The copies kept besides the shown ones (`store::versions`).
    let mut stmt = conn.prepare(
        "SELECT article_id, id, original_compression, original_size, original_data
           FROM article_versions WHERE original_data IS NOT NULL ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        verifier.push(Blob::Original {
            article: format!(
                "article {}, kept copy {}",
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?
            ),
            compression: row.get(2)?,
            size: row.get::<_, Option<i64>>(3)?.unwrap_or(-1),
            data: row.get(4)?,
        });
    }
    let mut stmt = conn.prepare(
        "SELECT v.article_id, v.id, r.name, r.size, r.data
           FROM version_resources r JOIN article_versions v ON v.id = r.version_id
          WHERE r.data IS NOT NULL ORDER BY r.version_id, r.name",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        verifier.push(Blob::Resource {
            article: format!(
                "article {}, kept copy {}",
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?
            ),
            name: row.get(2)?,
            size: row.get(3)?,
            data: row.get(4)?,
        });
    }
    let mut stmt = conn.prepare("SELECT sha256, size, bytes FROM images ORDER BY sha256")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        verifier.push(Blob::Image {
            sha256: row.get(0)?,
            size: row.get(1)?,
            bytes: row.get(2)?,
        });
    }
    Ok(())
}

/// The error an export gives for damaged `rows`, naming them.
pub(crate) fn export_refusal(rows: &[String]) -> super::error::LibraryError {
    super::error::LibraryError::Damaged {
        action: "export",
        rows: name_rows(rows),
    }
}

/// Fail with [`export_refusal`] when any stored data of `ids` is damaged
/// (see [`damaged_rows`]).
pub(crate) fn refuse_damaged(conn: &Connection, ids: &[ArticleId], originals: bool) -> Result<()> {
    let rows = damaged_rows(conn, "main", ids, originals)?;
    if rows.is_empty() {
        Ok(())
    } else {
        Err(export_refusal(&rows))
    }
}

/// The damaged stored blobs of the articles `ids` (in the database `db`,
/// e.g. `main`), named: with `originals`, their originals and resources;
/// always the images their bodies and resources use. What an export or a
/// merge must not carry.
pub(crate) fn damaged_rows(
    conn: &Connection,
    db: &str,
    ids: &[ArticleId],
    originals: bool,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut seen_images: HashSet<String> = HashSet::new();
    {
        let mut verifier = Verifier::new(&mut problems);
        let mut original = conn.prepare(&format!(
            "SELECT compression, size, data FROM {db}.originals WHERE article_id = ?1"
        ))?;
        let mut resources = conn.prepare(&format!(
            "SELECT name, size, data FROM {db}.original_resources
             WHERE article_id = ?1 AND data IS NOT NULL ORDER BY name"
        ))?;
        let mut image_shas = conn.prepare(&format!(
            "SELECT image_sha256 FROM {db}.article_images WHERE article_id = ?1 AND image_sha256 IS NOT NULL
             UNION SELECT image_sha256 FROM {db}.original_resources
                   WHERE article_id = ?1 AND image_sha256 IS NOT NULL"
        ))?;
        let mut image = conn.prepare(&format!(
            "SELECT size, bytes FROM {db}.images WHERE sha256 = ?1"
        ))?;
        for &id in ids {
            if originals {
                let row = original
                    .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    .optional()?;
                if let Some((compression, size, data)) = row {
                    verifier.push(Blob::Original {
                        article: format!("article {id}"),
                        compression,
                        size,
                        data,
                    });
                }
                let mut rows = resources.query([id.0])?;
                while let Some(row) = rows.next()? {
                    verifier.push(Blob::Resource {
                        article: format!("article {id}"),
                        name: row.get(0)?,
                        size: row.get(1)?,
                        data: row.get(2)?,
                    });
                }
            }
            let shas = image_shas
                .query_map([id.0], |row| row.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            for sha256 in shas {
                if !seen_images.insert(sha256.clone()) {
                    continue;
                }
                let row = image
                    .query_row([&sha256], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()?;
                if let Some((size, bytes)) = row {
                    verifier.push(Blob::Image {
                        sha256,
                        size,
                        bytes,
                    });
                }
            }
        }
    }
    Ok(problems)
}

/// `rows` as one line for an error: the first few, and how many more.
pub(crate) fn name_rows(rows: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = rows
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if rows.len() > SHOWN {
        text.push_str(&format!("; and {} more", rows.len() - SHOWN));
    }
    text
}

fn count(conn: &Connection, sql: &str) -> Result<u64> {
    let n: i64 = conn.query_row(sql, [], |row| row.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Articles in the trash (counted in the trash's own small index).
pub(crate) fn trashed(conn: &Connection) -> Result<u64> {
    count(
        conn,
        "SELECT count(*) FROM articles WHERE deleted_at IS NOT NULL",
    )
}

pub(crate) fn stats(conn: &Connection) -> Result<Stats> {
    let (highlights, orphans) = super::highlights::counts(conn)?;
    let (articles, unread, starred) = super::reading::counts(conn)?;
    Ok(Stats {
        highlights,
        orphans,
        unread,
        starred,
        collections: count(conn, "SELECT count(*) FROM collections")?,
        kept_copies: count(conn, "SELECT count(*) FROM article_versions")?,
        articles,
        trashed: trashed(conn)?,
        images: count(conn, "SELECT count(*) FROM images")?,
        image_bytes: count(conn, "SELECT coalesce(sum(size), 0) FROM images")?,
        original_bytes: count(
            conn,
            "SELECT coalesce((SELECT sum(length(data)) FROM originals), 0)
                  + coalesce((SELECT sum(length(data)) FROM original_resources), 0)
                  + coalesce((SELECT sum(length(original_data)) FROM article_versions), 0)
                  + coalesce((SELECT sum(length(data)) FROM version_resources), 0)",
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

/// Check the library; `read_only` says the connection cannot write (the
/// full-text comparison then runs in its read-only form), `quick` skips
/// verifying the stored blobs.
pub(crate) fn check(conn: &Connection, read_only: bool, quick: bool) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    let problems = &mut report.problems;
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
    if read_only {
        // The FTS5 command below is an INSERT, which a read-only connection
        // refuses. `PRAGMA integrity_check` above already ran FTS5's check of
        // the index's own structure; compare which rows are indexed here.
        report.notes.push(
            "the library is read-only, so the full-text index was checked for its structure \
             and indexed rows, not compared with its text word by word"
                .to_owned(),
        );
    } else if let Err(err) = conn.execute(
        "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)",
        [],
    ) {
        problems.push(format!("full-text index: {}", schema::sqlite_reason(&err)));
    }
    {
        let mut stmt = conn.prepare(
            "SELECT s.article_id FROM search_text s
             WHERE NOT EXISTS (SELECT 1 FROM search_fts_docsize d WHERE d.id = s.article_id)",
        )?;
        for id in stmt.query_map([], |row| row.get::<_, i64>(0))? {
            problems.push(format!(
                "full-text index: article {} is not in the index",
                id?
            ));
        }
        let mut stmt = conn.prepare(
            "SELECT d.id FROM search_fts_docsize d
             WHERE NOT EXISTS (SELECT 1 FROM search_text s WHERE s.article_id = d.id)",
        )?;
        for id in stmt.query_map([], |row| row.get::<_, i64>(0))? {
            problems.push(format!(
                "full-text index: row {} is indexed but has no search text",
                id?
            ));
        }
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
    // Every article's body decodes and its image links match its images
    // (trashed ones too: re-extraction and restoring use them).
    let mut stmt = conn.prepare(
        "SELECT a.id, a.body_json,
                (SELECT count(*) FROM article_images i WHERE i.article_id = a.id),
                (SELECT coalesce(max(position) + 1, 0) FROM article_images i WHERE i.article_id = a.id)
         FROM articles a",
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
    drop(stmt);
    if quick {
        report.notes.push(
            "quick check: stored originals, resources and images were not verified".to_owned(),
        );
    } else {
        verify_all_blobs(conn, &mut report.problems)?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::super::codec::{deflate, inflate};
    use super::*;

    /// The check agrees with `codec::inflate` (what re-extraction uses) on
    /// every damage to a compressed stream: flipped bits anywhere, a cut
    /// end, bytes after the end, an empty blob.
    #[test]
    fn the_streaming_check_fails_exactly_where_inflate_fails() {
        let text: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let good = deflate(&text);
        assert_eq!(inflated_len(&good), Ok(text.len() as u64));
        let mut cases = vec![
            good[..good.len() - 1].to_vec(),
            good[..good.len() / 2].to_vec(),
            [good.as_slice(), b"x"].concat(),
            Vec::new(),
        ];
        for i in (0..good.len()).step_by(97) {
            let mut bad = good.clone();
            bad[i] ^= 1 << (i % 8);
            cases.push(bad);
        }
        for case in cases {
            let inflated = inflate(&case);
            let streamed = inflated_len(&case);
            assert_eq!(
                inflated.as_ref().map(|b| b.len() as u64).ok(),
                streamed.as_ref().ok().copied(),
                "inflate {:?} vs streamed {streamed:?}",
                inflated.map(|b| b.len())
            );
        }
    }
}

//! Every copy an article was given is kept (schema v7): when another copy
//! becomes the one shown, the copy it replaces moves whole into
//! `article_versions` (metadata, body, original file, resources, image
//! links), so no import ever deletes a stored original, body or image.
//! Which stored article a copy belongs to is decided here too: the same text
//! (content hash), else a stored article at the same address whose text is
//! similar ([`similarity`]); the same address with different text is a
//! different article.

use std::collections::HashSet;
use std::hash::{Hash as _, Hasher as _};

use rusqlite::{Connection, OptionalExtension as _, params};

use super::prepared::{PreparedArticle, insert_blob};
use crate::library::codec::sql_int;
use crate::library::error::Result;
use crate::library::types::ArticleId;

/// Tokens of each text read when comparing two copies: bounds the cost of a
/// comparison (a few milliseconds) whatever the size of the pages.
const MAX_TOKENS: usize = 50_000;

/// Tokens per shingle: three words, or three CJK characters.
const SHINGLE: usize = 3;

/// The share of the shorter text's shingles the other must hold for two
/// copies at one address to be the same article.
pub(crate) const SAME_TEXT: f64 = 0.5;

/// Stored articles at one address compared with an incoming copy (the
/// oldest first); more are not read.
const MAX_CANDIDATES: i64 = 16;

/// Where an incoming copy belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Match {
    /// A copy of this stored article.
    Same(ArticleId),
    /// No stored article has its text, and this one (the oldest at its
    /// address) has different text: the copy is a separate article.
    SameAddressOnly(ArticleId),
    /// Nothing stored is like it.
    None,
}

/// The stored article `prepared` is a copy of: the same text first (a live
/// article before a trashed one), else the article at its address whose text
/// is most similar, if similar enough.
pub(crate) fn find_match(tx: &Connection, prepared: &PreparedArticle) -> Result<Match> {
    let by_hash: Option<i64> = tx
        .prepare_cached(
            "SELECT id FROM articles WHERE content_hash = ?1
             ORDER BY deleted_at IS NOT NULL, id LIMIT 1",
        )?
        .query_row([&prepared.content_hash], |row| row.get(0))
        .optional()?;
    if let Some(id) = by_hash {
        return Ok(Match::Same(ArticleId(id)));
    }
    let Some(url) = &prepared.canonical_url else {
        return Ok(Match::None);
    };
    let candidates: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT a.id, coalesce(s.body, '') FROM articles a
               LEFT JOIN search_text s ON s.article_id = a.id
              WHERE a.canonical_url = ?1
              ORDER BY a.deleted_at IS NOT NULL, a.id LIMIT ?2",
        )?
        .query_map(params![url, MAX_CANDIDATES], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    let Some(&(first, _)) = candidates.first() else {
        return Ok(Match::None);
    };
    let incoming = shingles(&prepared.search_body);
    let best = candidates
        .iter()
        .map(|(id, body)| (*id, similarity(&incoming, &shingles(body))))
        .filter(|&(_, score)| score >= SAME_TEXT)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    Ok(match best {
        Some((id, _)) => Match::Same(ArticleId(id)),
        None => Match::SameAddressOnly(ArticleId(first)),
    })
}

/// The hashed shingles of a segmented, folded text (`search_text.body`):
/// its words and CJK characters, lower-cased, punctuation-only tokens left
/// out, at most [`MAX_TOKENS`] of them.
pub(crate) fn shingles(segmented: &str) -> HashSet<u64> {
    let tokens: Vec<String> = segmented
        .split_whitespace()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .take(MAX_TOKENS)
        .map(str::to_lowercase)
        .collect();
    let mut out = HashSet::with_capacity(tokens.len());
    for window in tokens.windows(SHINGLE.min(tokens.len().max(1))) {
        let mut hasher = std::hash::DefaultHasher::new();
        window.hash(&mut hasher);
        out.insert(hasher.finish());
    }
    out
}

/// How much of the shorter text the other holds, 0 to 1 (the overlap
/// coefficient of their shingles). A text with no words cannot be told
/// apart from anything: 1.
pub(crate) fn similarity(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 1.0;
    }
    let shared = small.iter().filter(|s| large.contains(s)).count();
    #[allow(clippy::cast_precision_loss)] // counts of at most MAX_TOKENS
    let score = shared as f64 / small.len() as f64;
    score
}

/// Keep the shown copy of article `id` before `incoming` replaces it, unless
/// it is the same copy (same text and same original file) or already kept.
/// True when a copy was kept.
pub(crate) fn keep_shown(
    tx: &Connection,
    id: ArticleId,
    incoming: &PreparedArticle,
) -> Result<bool> {
    let shown: Option<(String, Option<Vec<u8>>)> = tx
        .prepare_cached(
            "SELECT a.content_hash, o.data FROM articles a
               LEFT JOIN originals o ON o.article_id = a.id WHERE a.id = ?1",
        )?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((hash, data)) = shown else {
        return Ok(false);
    };
    let incoming_data = incoming.original.as_ref().map(|o| &o.data);
    if hash == incoming.content_hash && data.as_ref() == incoming_data {
        return Ok(false);
    }
    let kept: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM article_versions
                             WHERE article_id = ?1 AND content_hash = ?2
                               AND original_data IS ?3)",
        )?
        .query_row(params![id.0, hash, data], |row| row.get(0))?;
    if kept {
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT INTO article_versions (article_id, title, byline, editor, published, site, url,
             canonical_url, lang, excerpt, body_json, warnings_json, source_file, source_format,
             content_hash, imported_at, original_compression, original_size, original_data,
             captured_at, captured_from)
         SELECT a.id, a.title, a.byline, a.editor, a.published, a.site, a.url, a.canonical_url,
                a.lang, a.excerpt, a.body_json, a.warnings_json, a.source_file, a.source_format,
                a.content_hash, a.updated_at, coalesce(o.compression, 'zlib'), o.size, o.data,
                a.captured_at, a.captured_from
           FROM articles a LEFT JOIN originals o ON o.article_id = a.id WHERE a.id = ?1",
    )?
    .execute([id.0])?;
    let version = tx.last_insert_rowid();
    // The copy kept has its own reading, not the user's corrections (those
    // belong to the article).
    for (col, extracted) in crate::library::edits::extracted_of(tx, id)? {
        tx.prepare_cached(&format!(
            "UPDATE article_versions SET {col} = ?2 WHERE id = ?1"
        ))?
        .execute(params![version, extracted])?;
    }
    tx.prepare_cached(
        "INSERT INTO version_resources (version_id, name, size, image_sha256, data)
         SELECT ?2, name, size, image_sha256, data FROM original_resources WHERE article_id = ?1",
    )?
    .execute(params![id.0, version])?;
    tx.prepare_cached(
        "INSERT INTO version_images
             (version_id, position, image_sha256, src, full_src, alt, caption, credit)
         SELECT ?2, position, image_sha256, src, full_src, alt, caption, credit
           FROM article_images WHERE article_id = ?1",
    )?
    .execute(params![id.0, version])?;
    Ok(true)
}

/// Forget the kept copies of article `id` that are `p` exactly (the same
/// text and original file): `p` is the copy shown now, and nothing of
/// theirs is lost. The images they linked stay while anything links them.
pub(crate) fn drop_kept_same_as(
    tx: &Connection,
    id: ArticleId,
    p: &PreparedArticle,
) -> Result<Vec<String>> {
    let data = p.original.as_ref().map(|o| &o.data);
    let same: Vec<i64> = tx
        .prepare_cached(
            "SELECT id FROM article_versions
              WHERE article_id = ?1 AND content_hash = ?2 AND original_data IS ?3",
        )?
        .query_map(params![id.0, p.content_hash, data], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    // Only a copy with the same images too: one that differs in any way
    // stays kept.
    let mut incoming: Vec<&str> = p.image_shas.iter().flatten().map(String::as_str).collect();
    incoming.sort_unstable();
    incoming.dedup();
    let mut images = tx.prepare_cached(
        "SELECT DISTINCT image_sha256 FROM version_images
          WHERE version_id = ?1 AND image_sha256 IS NOT NULL ORDER BY image_sha256",
    )?;
    let mut shas = Vec::new();
    for version in same {
        let kept: Vec<String> = images
            .query_map([version], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        if kept != incoming {
            continue;
        }
        shas.extend(
            tx.prepare_cached(
                "SELECT image_sha256 FROM version_images WHERE version_id = ?1
                    AND image_sha256 IS NOT NULL
                 UNION
                 SELECT image_sha256 FROM version_resources WHERE version_id = ?1
                    AND image_sha256 IS NOT NULL",
            )?
            .query_map([version], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?,
        );
        for sql in [
            "DELETE FROM version_resources WHERE version_id = ?1",
            "DELETE FROM version_images WHERE version_id = ?1",
            "DELETE FROM article_versions WHERE id = ?1",
        ] {
            tx.prepare_cached(sql)?.execute([version])?;
        }
    }
    Ok(shas)
}

/// Keep `p` as a copy of article `id` that is not shown (a merged library's
/// differing copy), unless the same copy is shown or kept already. True when
/// it was kept.
pub(crate) fn keep_incoming(tx: &Connection, id: ArticleId, p: &PreparedArticle) -> Result<bool> {
    let data = p.original.as_ref().map(|o| &o.data);
    let known: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM articles a LEFT JOIN originals o ON o.article_id = a.id
                             WHERE a.id = ?1 AND a.content_hash = ?2 AND o.data IS ?3)
                 OR EXISTS (SELECT 1 FROM article_versions
                             WHERE article_id = ?1 AND content_hash = ?2 AND original_data IS ?3)",
        )?
        .query_row(params![id.0, p.content_hash, data], |row| row.get(0))?;
    if known {
        return Ok(false);
    }
    let a = &p.article;
    tx.prepare_cached(
        "INSERT INTO article_versions (article_id, title, byline, editor, published, site, url,
             canonical_url, lang, excerpt, body_json, warnings_json, source_file, source_format,
             content_hash, imported_at, original_size, original_data, captured_at, captured_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                 strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
        id.0,
        a.title,
        a.byline,
        a.editor,
        a.published,
        a.site,
        a.url,
        p.canonical_url,
        a.lang,
        a.excerpt,
        p.body_json,
        p.warnings_json,
        p.source_file,
        p.source_format,
        p.content_hash,
        p.original.as_ref().map(|o| sql_int(o.size)),
        data,
        a.captured.as_ref().map(|c| &c.at),
        a.captured.as_ref().map(|c| c.from.as_str()),
    ])?;
    let version = tx.last_insert_rowid();
    for blob in &p.blobs {
        insert_blob(tx, blob)?;
    }
    let mut images = tx.prepare_cached(
        "INSERT INTO version_images
             (version_id, position, image_sha256, src, full_src, alt, caption, credit)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (position, (image, sha)) in a.images().into_iter().zip(&p.image_shas).enumerate() {
        images.execute(params![
            version,
            sql_int(position),
            sha,
            image.src,
            image.full_src,
            image.alt,
            image.caption,
            image.credit,
        ])?;
    }
    if let Some(original) = &p.original {
        let mut resources = tx.prepare_cached(
            "INSERT INTO version_resources (version_id, name, size, image_sha256, data)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for r in &original.resources {
            resources.execute(params![
                version,
                r.name,
                sql_int(r.size),
                r.image_sha256,
                r.data
            ])?;
        }
    }
    Ok(true)
}

/// Whether article `id` holds a copy identical to `p` already, shown or
/// kept: the same text (content hash) and the same stored images.
pub(crate) fn is_known(tx: &Connection, id: ArticleId, p: &PreparedArticle) -> Result<bool> {
    let mut incoming: Vec<&str> = p.image_shas.iter().flatten().map(String::as_str).collect();
    incoming.sort_unstable();
    incoming.dedup();
    let shown: Option<bool> = tx
        .prepare_cached("SELECT content_hash = ?2 FROM articles WHERE id = ?1")?
        .query_row(params![id.0, p.content_hash], |row| row.get(0))
        .optional()?;
    if shown == Some(true) {
        let images: Vec<String> = tx
            .prepare_cached(
                "SELECT DISTINCT image_sha256 FROM article_images
                  WHERE article_id = ?1 AND image_sha256 IS NOT NULL ORDER BY image_sha256",
            )?
            .query_map([id.0], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        if images == incoming {
            return Ok(true);
        }
    }
    let kept: Vec<i64> = tx
        .prepare_cached(
            "SELECT id FROM article_versions WHERE article_id = ?1 AND content_hash = ?2",
        )?
        .query_map(params![id.0, p.content_hash], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut images = tx.prepare_cached(
        "SELECT DISTINCT image_sha256 FROM version_images
          WHERE version_id = ?1 AND image_sha256 IS NOT NULL ORDER BY image_sha256",
    )?;
    for version in kept {
        let shas: Vec<String> = images
            .query_map([version], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        if shas == incoming {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Record that a copy identical to one of article `id`'s was imported again
/// (its file, when): once per file, counting the times.
pub(crate) fn seen_again(tx: &Connection, id: ArticleId, p: &PreparedArticle) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO article_sightings (article_id, content_hash, source_file, source_format)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(article_id, content_hash, source_file) DO UPDATE
            SET times = times + 1,
                last_seen_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
    )?
    .execute(params![
        id.0,
        p.content_hash,
        p.source_file,
        p.source_format
    ])?;
    // The same copy stored before capture dates were kept (schema 8 and
    // older): the date this file states is the stored copy's too.
    if let Some(captured) = &p.article.captured {
        let data = p.original.as_ref().map(|o| &o.data);
        let (at, from) = (&captured.at, captured.from.as_str());
        tx.prepare_cached(
            "UPDATE articles SET captured_at = ?2, captured_from = ?3
              WHERE id = ?1 AND captured_at IS NULL AND content_hash = ?4
                AND EXISTS (SELECT 1 FROM originals WHERE article_id = ?1 AND data IS ?5)",
        )?
        .execute(params![id.0, at, from, p.content_hash, data])?;
        tx.prepare_cached(
            "UPDATE article_versions SET captured_at = ?2, captured_from = ?3
              WHERE article_id = ?1 AND captured_at IS NULL AND content_hash = ?4
                AND original_data IS ?5",
        )?
        .execute(params![id.0, at, from, p.content_hash, data])?;
    }
    Ok(())
}

/// Bytes of text from earlier versions indexed per article: a thousand
/// rewritten copies of one page cannot grow its search row without end.
pub(crate) const MAX_EARLIER_BYTES: usize = 2 * 1024 * 1024;

/// The paragraphs (and title) of an article, each segmented for the index
/// as one line: what `search_text.earlier` is made of.
fn segmented_paragraphs(title: &str, blocks: Vec<crate::model::Block>) -> Vec<String> {
    use crate::model::{Article, diff::units};
    std::iter::once(title.to_owned())
        .chain(
            units(&Article {
                blocks,
                ..Article::default()
            })
            .into_iter()
            .map(|u| u.text),
        )
        .map(|p| crate::library::segment::segment(&p))
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// The shown copy of article `id`: its segmented paragraphs.
fn shown_paragraphs(tx: &Connection, id: ArticleId) -> Result<Option<HashSet<String>>> {
    use crate::library::codec::decode_blocks;
    let shown: Option<(String, String)> = tx
        .prepare_cached("SELECT title, body_json FROM articles WHERE id = ?1")?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(shown.map(|(title, json)| {
        segmented_paragraphs(&title, decode_blocks(id, &json).unwrap_or_default())
            .into_iter()
            .collect()
    }))
}

/// Append to `earlier` (one segmented paragraph a line) the `paragraphs`
/// that neither it nor `shown` holds, within [`MAX_EARLIER_BYTES`].
fn append_new(earlier: &mut String, known: &mut HashSet<String>, paragraphs: Vec<String>) {
    for paragraph in paragraphs {
        if known.contains(&paragraph) {
            continue;
        }
        if earlier.len() + paragraph.len() + 1 > MAX_EARLIER_BYTES {
            return;
        }
        earlier.push_str(&paragraph);
        earlier.push('\n');
        known.insert(paragraph);
    }
}

fn write_earlier(tx: &Connection, id: ArticleId, earlier: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE search_text SET earlier = ?2 WHERE article_id = ?1 AND earlier <> ?2",
    )?
    .execute(params![id.0, earlier])?;
    Ok(())
}

/// Write into the search text of article `id` the paragraphs (and titles)
/// of all its kept copies that the shown copy lacks, oldest copy first: a
/// sentence censors removed is still found. At most
/// [`MAX_EARLIER_BYTES`]; a body that does not decode is skipped (`check`
/// reports it). Reads every kept copy: for when the shown copy changed or
/// a copy was removed; a copy added beside the shown one is
/// [`add_earlier`].
pub(crate) fn refresh_earlier(tx: &Connection, id: ArticleId) -> Result<()> {
    use crate::library::codec::decode_blocks;
    let any: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM article_versions WHERE article_id = ?1)")?
        .query_row([id.0], |row| row.get(0))?;
    if !any {
        // Nothing kept (most articles, re-extracted in bulk): no body read.
        return write_earlier(tx, id, "");
    }
    let Some(mut known) = shown_paragraphs(tx, id)? else {
        return Ok(());
    };
    let mut earlier = String::new();
    let mut stmt = tx.prepare_cached(
        "SELECT title, body_json FROM article_versions WHERE article_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([id.0])?;
    while let Some(row) = rows.next()? {
        if earlier.len() >= MAX_EARLIER_BYTES {
            break;
        }
        let title: String = row.get(0)?;
        let json: String = row.get(1)?;
        let blocks = decode_blocks(id, &json).unwrap_or_default();
        append_new(
            &mut earlier,
            &mut known,
            segmented_paragraphs(&title, blocks),
        );
    }
    write_earlier(tx, id, &earlier)
}

/// Add to the search text of article `id` the paragraphs of `p` (a copy
/// just kept beside the shown one) that neither the shown copy nor the
/// text already there holds: two bodies read, whatever the number of
/// versions.
pub(crate) fn add_earlier(tx: &Connection, id: ArticleId, p: &PreparedArticle) -> Result<()> {
    let Some(mut known) = shown_paragraphs(tx, id)? else {
        return Ok(());
    };
    let mut earlier: String = tx
        .prepare_cached("SELECT earlier FROM search_text WHERE article_id = ?1")?
        .query_row([id.0], |row| row.get(0))
        .optional()?
        .unwrap_or_default();
    known.extend(earlier.lines().map(str::to_owned));
    append_new(
        &mut earlier,
        &mut known,
        segmented_paragraphs(&p.article.title, p.article.blocks.clone()),
    );
    write_earlier(tx, id, &earlier)
}

/// The image shas the kept copies of article `id` link.
pub(crate) fn kept_images(tx: &Connection, id: ArticleId) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT i.image_sha256 FROM version_images i JOIN article_versions v ON v.id = i.version_id
          WHERE v.article_id = ?1 AND i.image_sha256 IS NOT NULL
         UNION
         SELECT r.image_sha256 FROM version_resources r JOIN article_versions v ON v.id = r.version_id
          WHERE v.article_id = ?1 AND r.image_sha256 IS NOT NULL",
    )?;
    let shas = stmt
        .query_map([id.0], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(shas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_texts_share_their_shingles_and_different_ones_do_not() {
        let report = "the minister said on tuesday that the new rules would apply to every \
                      province from the first of june and that exceptions would be rare";
        let longer = format!("{report} according to a statement published later that evening");
        let junk = "this page has moved please subscribe to continue reading our journalism \
                    and support independent reporting today with a small monthly payment";
        let s = |t: &str| shingles(t);
        assert!(similarity(&s(report), &s(&longer)) >= SAME_TEXT);
        assert!(similarity(&s(report), &s(junk)) < 0.1);
        // CJK: one token per character, as `segment` writes them.
        let zh = "新 华 社 北 京 六 月 一 日 电 国 务 院 今 天 公 布 新 规 定";
        let zh_other = "本 页 已 迁 移 请 订 阅 以 继 续 阅 读 我 们 的 报 道 谢 谢";
        assert!(similarity(&s(zh), &s(zh)) >= 0.99);
        assert!(similarity(&s(zh), &s(zh_other)) < 0.1);
        assert!((similarity(&s(""), &s(junk)) - 1.0).abs() < f64::EPSILON);
    }
}

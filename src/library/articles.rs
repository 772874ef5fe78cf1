//! Reading articles back: list pages, counts, one whole article, originals
//! and image bytes.

use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension as _, Row, params_from_iter, types::Value};

use super::codec::{decode_blocks, inflate, sql_int};
use super::error::{LibraryError, Result};
use super::query::{
    Atom, Compiled, LIVE, LIVE_BY_ID, LIVE_SCAN, Query, Term, compile, compile_over_set,
    compile_with, has_text, parse_for,
};
use super::types::{
    ArticleId, ArticleSummary, MonthCount, ReadingState, SortBy, SortOrder, StoredArticle, Timeline,
};
use crate::model::{Article, ImageData};

/// Columns of [`ArticleSummary`], read by [`summary_from_row`]; `a` is `articles`.
pub(crate) const SUMMARY_COLUMNS: &str = "a.id, a.title, a.published, a.site, a.url, a.lang, \
    a.source_file, a.added_at, \
    (SELECT group_concat(t.name, char(31)) FROM article_tags x JOIN tags t ON t.id = x.tag_id \
       WHERE x.article_id = a.id), \
    EXISTS (SELECT 1 FROM notes n WHERE n.article_id = a.id), \
    (SELECT i.image_sha256 FROM article_images i \
       WHERE i.article_id = a.id AND i.image_sha256 IS NOT NULL ORDER BY i.position LIMIT 1), \
    EXISTS (SELECT 1 FROM reading_state r WHERE r.article_id = a.id AND r.read_at IS NOT NULL), \
    EXISTS (SELECT 1 FROM reading_state r WHERE r.article_id = a.id AND r.starred = 1), \
    (SELECT r.position FROM reading_state r WHERE r.article_id = a.id AND r.read_at IS NULL)";

/// Read an [`ArticleSummary`] from the first columns of `row`.
pub(crate) fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<ArticleSummary> {
    let tags: Option<String> = row.get(8)?;
    Ok(ArticleSummary {
        id: ArticleId(row.get(0)?),
        title: row.get(1)?,
        published: row.get(2)?,
        site: row.get(3)?,
        url: row.get(4)?,
        lang: row.get(5)?,
        source_file: row.get(6)?,
        added_at: row.get(7)?,
        tags: split_tags(tags.as_deref()),
        has_note: row.get(9)?,
        thumbnail_sha256: row.get(10)?,
        read: row.get(11)?,
        progress: row.get(13)?,
        starred: row.get(12)?,
    })
}

/// Tags joined with U+001F, split and sorted by name (case-insensitive).
fn split_tags(joined: Option<&str>) -> Vec<String> {
    let mut tags: Vec<String> = joined
        .unwrap_or("")
        .split('\u{1f}')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    tags.sort_by_key(|t| t.to_lowercase());
    tags
}

/// The `ORDER BY` of a list order. Each walks one index of the live
/// articles (`sql/v4.sql`), with undated and siteless articles last either
/// way; relevance (which needs a text query, see `search`) falls back to
/// the newest first.
pub(crate) fn order_by(order: SortOrder) -> &'static str {
    match (order.by, order.ascending) {
        (SortBy::Date | SortBy::Relevance, false) => "a.published DESC, a.id DESC",
        (SortBy::Date | SortBy::Relevance, true) => "a.published IS NULL, a.published, a.id",
        (SortBy::Title, true) => "a.title COLLATE NOCASE, a.id",
        (SortBy::Title, false) => "a.title COLLATE NOCASE DESC, a.id DESC",
        (SortBy::Added, false) => "a.added_at DESC, a.id DESC",
        (SortBy::Added, true) => "a.added_at, a.id",
        (SortBy::Site, true) => "a.site IS NULL, a.site COLLATE NOCASE, a.published DESC, a.id",
        (SortBy::Site, false) => "a.site COLLATE NOCASE DESC, a.published DESC, a.id",
    }
}

/// `LIMIT`/`OFFSET` values as SQLite integers (saturating).
pub(crate) fn limit_offset(limit: usize, offset: usize) -> (i64, i64) {
    (sql_int(limit), sql_int(offset))
}

/// A page of live articles matching `query`, in `sort` order.
pub(crate) fn list(
    conn: &Connection,
    query: Option<&str>,
    sort: SortOrder,
    limit: usize,
    offset: usize,
) -> Result<Vec<ArticleSummary>> {
    let compiled = compile(&parse_for(conn, query.unwrap_or(""))?, false);
    list_compiled(conn, &compiled, sort, limit, offset)
}

/// A page of the articles a compiled query selects (by its `WHERE` alone).
pub(crate) fn list_compiled(
    conn: &Connection,
    compiled: &Compiled,
    sort: SortOrder,
    limit: usize,
    offset: usize,
) -> Result<Vec<ArticleSummary>> {
    let mut params = compiled.params.clone();
    let (limit, offset) = limit_offset(limit, offset);
    params.push(Value::Integer(limit));
    params.push(Value::Integer(offset));
    let n = params.len();
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a WHERE {} ORDER BY {} LIMIT ?{} OFFSET ?{n}",
        compiled.where_sql,
        order_by(sort),
        n - 1,
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(params), summary_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A page of trashed articles, most recently trashed first.
pub(crate) fn list_trash(
    conn: &Connection,
    limit: usize,
    offset: usize,
) -> Result<Vec<ArticleSummary>> {
    let (limit, offset) = limit_offset(limit, offset);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.deleted_at IS NOT NULL
         ORDER BY a.deleted_at DESC, a.id DESC LIMIT ?1 OFFSET ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([limit, offset], summary_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A library with more articles than this counts a text query's matches in
/// two halves at once ([`count_on_two`]).
pub(crate) const SPLIT_COUNT_ABOVE: i64 = 20_000;

/// Number of live articles matching `query`: the same rows as
/// [`super::search::search`] finds (driven by the full-text index when the
/// query has text), counted on two cores when it can: a text query over a library of
/// more than [`SPLIT_COUNT_ABOVE`] articles counts the upper half of the
/// article ids on `helper` (a second connection to the same file) in a
/// thread of its own while this one counts the lower half. Each half reads
/// the library as last committed (outside a transaction only). Anything
/// wrong with the helper falls back to counting here alone.
pub(crate) fn count_on_two<'a>(
    conn: &Connection,
    helper: &dyn Fn() -> Option<&'a std::sync::Mutex<Connection>>,
    parsed: &Query,
) -> Result<u64> {
    let whole = || count_parsed(conn, parsed, None, None, false);
    if !conn.is_autocommit() || !has_text(parsed) {
        return whole();
    }
    let last: i64 = conn
        .prepare_cached("SELECT coalesce(max(article_id), 0) FROM search_text")?
        .query_row([], |row| row.get(0))?;
    // The second connection is opened only for a count it will share.
    let Some(helper) = helper().filter(|_| last > SPLIT_COUNT_ABOVE) else {
        return whole();
    };
    let middle = last / 2;
    let halves = std::thread::scope(|scope| {
        let upper = std::thread::Builder::new()
            .name("folio-count".to_owned())
            .spawn_scoped(scope, || {
                let helper = helper.lock().ok()?;
                count_parsed(&helper, parsed, Some(middle), None, false).ok()
            })
            .ok()?;
        let lower = count_parsed(conn, parsed, None, Some(middle), false);
        let upper = upper.join().ok().flatten();
        Some((lower, upper))
    });
    match halves {
        Some((lower, Some(upper))) => Ok(lower? + upper),
        _ => whole(),
    }
}

/// [`count_on_two`] of the articles added after the article `since` only (ids
/// grow as articles are added): what an import that replaced nothing
/// adds to a count.
pub(crate) fn count_since(conn: &Connection, parsed: &Query, since: i64) -> Result<u64> {
    count_parsed(conn, parsed, Some(since), None, true)
}

/// [`count_on_two`] of the articles `ids` only: what they contribute to a count
/// (before and after marking them, say).
pub(crate) fn count_among(conn: &Connection, parsed: &Query, ids: &[ArticleId]) -> Result<u64> {
    let mut parsed = parsed.clone();
    parsed.groups.push(vec![Term {
        negated: false,
        atom: Atom::Ids(ids.iter().map(|id| id.0).collect()),
    }]);
    count_parsed(conn, &parsed, None, None, true)
}

/// Count a parsed query's live matches (after the article `since` and up
/// to the article `until`, when given). `few`: the rows counted are few
/// (new ones, or given ids), so filters are looked up per row rather than
/// built whole (a tag's every article) first, and no filter's index may
/// drive the walk.
fn count_parsed(
    conn: &Connection,
    query: &Query,
    since: Option<i64>,
    until: Option<i64>,
    few: bool,
) -> Result<u64> {
    let mut compiled = compile_with(query, true, few);
    if compiled.fts.is_some() && trash_is_empty(conn)? {
        // Nothing to exclude: each match is not tested against the trash
        // (a tenth of counting a common phrase's 25,000 matches).
        compiled.where_sql = compiled.where_sql.replacen(LIVE_BY_ID, "1", 1);
    }
    let mut params = compiled.params.clone();
    let newer = |column: &str, params: &mut Vec<Value>| {
        let mut sql = String::new();
        for (bound, op) in [(since, ">"), (until, "<=")] {
            if let Some(id) = bound {
                params.push(Value::Integer(id));
                sql.push_str(&format!(" AND {column} {op} ?{}", params.len()));
            }
        }
        sql
    };
    let sql = if let Some(fts) = &compiled.fts {
        params.push(Value::Text(fts.clone()));
        let n = params.len();
        let since = newer("search_fts.rowid", &mut params);
        format!(
            "SELECT count(*) FROM {} WHERE search_fts MATCH ?{n}{since} AND {}",
            compiled.fts_from(),
            compiled.where_sql
        )
    } else if compiled.where_sql == LIVE {
        // All live articles: counted in the partial index of live rows.
        let since = newer("a.id", &mut params);
        format!("SELECT count(*) FROM articles a WHERE {LIVE}{since}")
    } else if few {
        // Walk the few rows by rowid: no index of the filters (a date, a
        // site) may drive it through the whole library instead.
        let since = newer("a.id", &mut params);
        format!(
            "SELECT count(*) FROM articles a NOT INDEXED WHERE {}{since}",
            compiled.where_sql
        )
    } else if let Some((from, over_set)) = compile_over_set(query) {
        params = over_set.params;
        let since = newer("a.id", &mut params);
        format!(
            "SELECT count(*) FROM {from} WHERE {}{since}",
            over_set.where_sql
        )
    } else {
        let since = newer("a.id", &mut params);
        format!(
            "SELECT count(*) FROM articles a WHERE {}{since}",
            compiled.where_sql.replacen(LIVE, LIVE_SCAN, 1)
        )
    };
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params), |row| row.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// True when no article is in the trash (read from the trash's own index).
fn trash_is_empty(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT NOT EXISTS (SELECT 1 FROM articles WHERE deleted_at IS NOT NULL)")?
        .query_row([], |row| row.get(0))?)
}

/// Every live article's month of publication, by id: what the timeline
/// buckets a query's matches by, so a query costs finding its ids and not
/// reading each match's row. Valid while the library is unchanged
/// ([`MonthIndex::stamp`]).
#[derive(Debug, Default)]
pub(crate) struct MonthIndex {
    /// `PRAGMA data_version` (other connections' commits) and this
    /// connection's total changes when it was built.
    pub stamp: (i64, u64),
    /// By article id: 0 when not a live article, [`UNDATED`] when it has no
    /// readable date, else `year * 12 + month - 1 + 1`.
    slots: Vec<u32>,
}

/// A live article without a readable date in [`MonthIndex`].
const UNDATED: u32 = u32::MAX;

/// Whether the library changed since `index` was built (what a [`MonthIndex`]
/// is valid for).
pub(crate) fn library_stamp(conn: &Connection) -> Result<(i64, u64)> {
    let version: i64 = conn.query_row("PRAGMA data_version", [], |row| row.get(0))?;
    Ok((version, conn.total_changes()))
}

/// Build the [`MonthIndex`] from the index of live dates, for the library
/// as it is at `stamp` ([`library_stamp`], read just before).
pub(crate) fn month_index(conn: &Connection, stamp: (i64, u64)) -> Result<MonthIndex> {
    let mut slots: Vec<u32> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, substr(published, 1, 7) FROM articles INDEXED BY articles_published
         WHERE deleted_at IS NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let Ok(id) = usize::try_from(row.get::<_, i64>(0)?) else {
            continue;
        };
        let month: Option<String> = row.get(1)?;
        let slot = match month.as_deref().and_then(year_month) {
            Some((year, month)) => u32::try_from(year).ok().map_or(UNDATED, |y| y * 12 + month),
            None => UNDATED,
        };
        if slots.len() <= id {
            slots.resize(id + 1, 0);
        }
        slots[id] = slot;
    }
    Ok(MonthIndex { stamp, slots })
}

/// Matching live articles by month of publication: the ids of the query of
/// [`count_on_two`], bucketed by their month in `index`; a date that does not
/// start `YYYY-MM` counts as undated.
pub(crate) fn timeline(
    conn: &Connection,
    query: Option<&str>,
    index: &MonthIndex,
) -> Result<Timeline> {
    let mut buckets: std::collections::BTreeMap<u32, u64> = std::collections::BTreeMap::new();
    let mut undated = 0;
    let mut add = |id: i64| match usize::try_from(id).ok().and_then(|i| index.slots.get(i)) {
        Some(&UNDATED) => undated += 1,
        Some(0) | None => {}
        Some(&slot) => *buckets.entry(slot).or_default() += 1,
    };
    match query.map(str::trim).filter(|q| !q.is_empty()) {
        None => {
            for (id, _) in index.slots.iter().enumerate().filter(|(_, s)| **s != 0) {
                add(i64::try_from(id).unwrap_or(0));
            }
        }
        Some(query) => {
            let parsed = parse_for(conn, query)?;
            // With text, the text's matches drive: each filter is looked up
            // per match rather than built whole first (a tag with many
            // subtags has more articles than a word has matches).
            let compiled = compile_with(&parsed, true, has_text(&parsed));
            let mut params = compiled.params.clone();
            let sql = if let Some(fts) = &compiled.fts {
                params.push(Value::Text(fts.clone()));
                format!(
                    "SELECT search_fts.rowid FROM {} WHERE search_fts MATCH ?{} AND {}",
                    compiled.fts_from(),
                    params.len(),
                    compiled.where_sql
                )
            } else if let Some((from, over_set)) = compile_over_set(&parsed) {
                // Filters that are all sets of ids: read from the first.
                params = over_set.params;
                format!("SELECT a.id FROM {from} WHERE {}", over_set.where_sql)
            } else {
                // Walk the live rows in their index (whose rows are the live
                // ones, `LIVE` first in the query): filters on ids then never
                // read a row of `articles`.
                format!(
                    "SELECT a.id FROM articles a INDEXED BY articles_published WHERE {}",
                    compiled.where_sql
                )
            };
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(params))?;
            while let Some(row) = rows.next()? {
                add(row.get(0)?);
            }
        }
    }
    let months = buckets
        .into_iter()
        .filter_map(|(slot, count)| {
            let year = i32::try_from(slot / 12).ok()?;
            let month = slot % 12;
            // `slot = year * 12 + month` with month 1..=12.
            let (year, month) = if month == 0 {
                (year - 1, 12)
            } else {
                (year, month)
            };
            Some(MonthCount { year, month, count })
        })
        .collect();
    Ok(Timeline { months, undated })
}

/// `YYYY-MM` → (year, month), when it is one.
fn year_month(text: &str) -> Option<(i32, u32)> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    (1..=12).contains(&month).then_some((year, month))
}

/// Ids of the live articles matching `query`, newest first.
pub(crate) fn matching_ids(conn: &Connection, query: Option<&str>) -> Result<Vec<ArticleId>> {
    let compiled = compile(&parse_for(conn, query.unwrap_or(""))?, false);
    let sql = format!(
        "SELECT a.id FROM articles a WHERE {} ORDER BY {}",
        compiled.where_sql,
        order_by(SortOrder::default())
    );
    let ids = conn
        .prepare(&sql)?
        .query_map(params_from_iter(compiled.params), |row| {
            row.get(0).map(ArticleId)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ids)
}

/// One whole article.
///
/// With `image_bytes` false the images' bytes are not read (their `data` is
/// `None`; `image_sha256` still says which are stored): for a reader that
/// loads each picture on its own.
pub(crate) fn article(
    conn: &Connection,
    id: ArticleId,
    image_bytes: bool,
) -> Result<StoredArticle> {
    let mut stmt = conn.prepare_cached(
        "SELECT title, byline, editor, published, site, url, lang, excerpt, body_json,
                warnings_json, source_file, source_format, content_hash, added_at, updated_at,
                deleted_at
         FROM articles WHERE id = ?1",
    )?;
    let row = stmt
        .query_row([id.0], |row| {
            Ok((
                Article {
                    title: row.get(0)?,
                    byline: row.get(1)?,
                    editor: row.get(2)?,
                    published: row.get(3)?,
                    site: row.get(4)?,
                    url: row.get(5)?,
                    lang: row.get(6)?,
                    excerpt: row.get(7)?,
                    ..Article::default()
                },
                row.get::<_, String>(8)?,
                row.get::<_, String>(9)?,
                (
                    row.get::<_, String>(10)?,
                    row.get::<_, String>(11)?,
                    row.get::<_, String>(12)?,
                ),
                (
                    row.get::<_, String>(13)?,
                    row.get::<_, String>(14)?,
                    row.get::<_, Option<String>>(15)?,
                ),
            ))
        })
        .optional()?;
    let Some((
        mut article,
        body_json,
        warnings_json,
        (source_file, source_format, content_hash),
        dates,
    )) = row
    else {
        return Err(LibraryError::NoSuchArticle(id));
    };
    article.blocks = decode_blocks(id, &body_json)?;
    article.warnings = serde_json::from_str(&warnings_json).unwrap_or_default();
    article.source_tags = conn
        .prepare_cached("SELECT name FROM source_tags WHERE article_id = ?1 ORDER BY position")?
        .query_map([id.0], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    // Each body image's hash, with the stored bytes and decoded size when held.
    let mut image_sha256 = Vec::new();
    let mut data = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT ai.image_sha256, CASE WHEN ?2 THEN i.bytes END, i.mime, i.width, i.height
           FROM article_images ai LEFT JOIN images i ON i.sha256 = ai.image_sha256
          WHERE ai.article_id = ?1 ORDER BY ai.position",
    )?;
    let rows = stmt.query_map(rusqlite::params![id.0, image_bytes], |row| {
        Ok((
            row.get::<_, Option<String>>(0)?,
            row.get::<_, Option<Vec<u8>>>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, Option<u32>>(3)?
                .zip(row.get::<_, Option<u32>>(4)?),
        ))
    })?;
    for row in rows {
        let (sha, bytes, mime, size) = row?;
        image_sha256.push(sha);
        data.push(bytes.zip(mime).map(|(bytes, mime)| {
            let image = ImageData {
                bytes: Arc::from(bytes),
                mime,
            };
            (image, size)
        }));
    }
    let mut data = data.into_iter();
    for image in article.images_mut() {
        let Some((bytes, size)) = data.next().flatten() else {
            image.data = None;
            continue;
        };
        image.data = Some(bytes);
        // Images fetched after import have no size in the body: take the decoded one.
        if image.width.is_none()
            && image.height.is_none()
            && let Some((w, h)) = size
        {
            image.width = Some(w);
            image.height = Some(h);
        }
    }
    let tags = super::tags::article_tags(conn, id)?;
    let note = super::notes::note(conn, id)?;
    Ok(StoredArticle {
        id,
        article,
        tags,
        note,
        source_file,
        source_format,
        content_hash,
        added_at: dates.0,
        updated_at: dates.1,
        deleted_at: dates.2,
        image_sha256,
        // Filled by `Library::article` (a merged file may predate highlights).
        highlights: Vec::new(),
        reading: ReadingState::default(),
        edits: Vec::new(),
        original: None,
    })
}

/// When the shown copy of article `id` was captured, when its file said so
/// (schema version 9; read apart from [`article`], which also reads older
/// files being merged).
pub(crate) fn captured(
    conn: &Connection,
    id: ArticleId,
) -> Result<Option<crate::model::capture::Capture>> {
    let row: Option<(Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT captured_at, captured_from FROM articles WHERE id = ?1")?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(at, from)| crate::model::capture::Capture::from_stored(at, from.as_deref())))
}

/// The original saved file of an article.
pub(crate) fn original(conn: &Connection, id: ArticleId) -> Result<(String, Vec<u8>)> {
    let row: Option<(String, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT a.source_file, o.data FROM articles a JOIN originals o ON o.article_id = a.id
             WHERE a.id = ?1",
        )?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let (name, data) = row.ok_or(LibraryError::NoSuchArticle(id))?;
    let bytes = inflate_original(id, &data)?;
    Ok((name, bytes))
}

/// The SHA-256 (hex) of an article's original saved file as it was
/// imported (decompressed), or `None` when no original is stored (an
/// article stored from a page given as bytes keeps none). Computed on each
/// call: the library stores only the compressed bytes.
pub(crate) fn original_sha256(conn: &Connection, id: ArticleId) -> Result<Option<String>> {
    Ok(original_file(conn, id)?.map(|file| file.sha256))
}

/// An article's stored original (or a kept copy's), decompressed; a blob
/// that does not decompress is [`LibraryError::Corrupt`].
pub(crate) fn inflate_original(id: ArticleId, data: &[u8]) -> Result<Vec<u8>> {
    inflate(data).map_err(|err| {
        LibraryError::Corrupt(format!("article {id}: original does not decompress: {err}"))
    })
}

/// The original saved file of article `id` as the inspector describes it
/// (size, SHA-256, kind in words), or `None` when none is stored.
pub(crate) fn original_file(
    conn: &Connection,
    id: ArticleId,
) -> Result<Option<super::types::OriginalFile>> {
    let row: Option<(String, String, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT a.source_file, a.source_format, o.data
               FROM articles a JOIN originals o ON o.article_id = a.id WHERE a.id = ?1",
        )?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    let Some((file_name, format, data)) = row else {
        return Ok(None);
    };
    let bytes = inflate_original(id, &data)?;
    Ok(Some(super::types::OriginalFile {
        size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        sha256: super::codec::sha256_hex(&bytes),
        kind: crate::read::format_in_words(&format, &file_name, &bytes),
    }))
}

/// The live (not trashed) article stored at `url`, compared as the store
/// compares addresses (no fragment or tracking parameters, http as https);
/// the oldest when several are. What a saved page's link to another page
/// of the library opens.
pub(crate) fn live_article_at(conn: &Connection, url: &str) -> Result<Option<ArticleId>> {
    let Some(canonical) = super::store::canonical_url(url) else {
        return Ok(None);
    };
    Ok(conn
        .prepare_cached(
            "SELECT id FROM articles WHERE canonical_url = ?1 AND deleted_at IS NULL
             ORDER BY id LIMIT 1",
        )?
        .query_row([canonical], |row| row.get(0).map(ArticleId))
        .optional()?)
}

/// The stored local resources of an article: names and bytes.
pub(crate) fn original_resources(
    conn: &Connection,
    id: ArticleId,
) -> Result<Vec<(String, Vec<u8>)>> {
    resources_of(conn, id, Resources::Shown)
}

/// Whose resources [`resources_of`] reads.
#[derive(Clone, Copy)]
pub(crate) enum Resources {
    /// The copy shown (`original_resources`).
    Shown,
    /// A kept copy (`version_resources`, by its row id).
    Kept(i64),
}

/// The stored resources of the copy shown or of a kept copy of article
/// `id`: names and bytes (an image held once in `images` is read from there).
pub(crate) fn resources_of(
    conn: &Connection,
    id: ArticleId,
    whose: Resources,
) -> Result<Vec<(String, Vec<u8>)>> {
    let (mut stmt, key) = match whose {
        Resources::Shown => (
            conn.prepare_cached(
                "SELECT r.name, r.data, i.bytes FROM original_resources r
                 LEFT JOIN images i ON i.sha256 = r.image_sha256
                 WHERE r.article_id = ?1 ORDER BY r.name",
            )?,
            id.0,
        ),
        Resources::Kept(kept) => (
            conn.prepare_cached(
                "SELECT r.name, r.data, i.bytes FROM version_resources r
                 LEFT JOIN images i ON i.sha256 = r.image_sha256
                 WHERE r.version_id = ?1 ORDER BY r.name",
            )?,
            kept,
        ),
    };
    let rows = stmt
        .query_map([key], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<Vec<u8>>>(1)?,
                row.get::<_, Option<Vec<u8>>>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (name, compressed, image) in rows {
        let bytes = match (compressed, image) {
            (Some(c), _) => inflate(&c).map_err(|err| {
                LibraryError::Corrupt(format!(
                    "article {id}: resource {name} does not decompress: {err}"
                ))
            })?,
            (None, Some(image)) => image,
            (None, None) => continue,
        };
        out.push((name, bytes));
    }
    Ok(out)
}

/// The bytes of a stored image.
pub(crate) fn image_bytes(conn: &Connection, sha256: &str) -> Result<Option<ImageData>> {
    let row = conn
        .prepare_cached("SELECT bytes, mime FROM images WHERE sha256 = ?1")?
        .query_row([sha256], |row| {
            Ok((row.get::<_, Vec<u8>>(0)?, row.get::<_, String>(1)?))
        })
        .optional()?;
    Ok(row.map(|(bytes, mime)| ImageData {
        bytes: Arc::from(bytes),
        mime,
    }))
}

/// The thumbnail of a stored image.
pub(crate) fn thumbnail(conn: &Connection, sha256: &str) -> Result<Option<ImageData>> {
    let row = conn
        .prepare_cached("SELECT thumbnail, thumbnail_mime FROM images WHERE sha256 = ?1")?
        .query_row([sha256], |row| {
            Ok((
                row.get::<_, Option<Vec<u8>>>(0)?,
                row.get::<_, Option<String>>(1)?,
            ))
        })
        .optional()?;
    Ok(match row {
        Some((Some(bytes), Some(mime))) => Some(ImageData {
            bytes: Arc::from(bytes),
            mime,
        }),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every list order walks an index: no temporary sort of the whole
    /// library for the first page (the 100,000-article bench depends on it).
    #[test]
    fn every_list_order_is_index_driven() {
        let conn = super::super::schema::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        for by in [
            SortBy::Date,
            SortBy::Title,
            SortBy::Added,
            SortBy::Site,
            SortBy::Relevance,
        ] {
            for ascending in [true, false] {
                let order = SortOrder { by, ascending };
                let sql = format!(
                    "EXPLAIN QUERY PLAN SELECT {SUMMARY_COLUMNS} FROM articles a WHERE {LIVE} \
                     ORDER BY {} LIMIT 100",
                    order_by(order)
                );
                let plan: Vec<String> = conn
                    .prepare(&sql)
                    .and_then(|mut stmt| {
                        stmt.query_map([], |row| row.get::<_, String>(3))?
                            .collect::<rusqlite::Result<_>>()
                    })
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    !plan.iter().any(|step| step.contains("TEMP B-TREE")),
                    "{order:?}: {plan:?}"
                );
                assert!(
                    plan.iter().any(|step| step.contains("USING INDEX")),
                    "{order:?}: {plan:?}"
                );
            }
        }
    }
}

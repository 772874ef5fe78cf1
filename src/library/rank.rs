//! `folio_rank`, the full-text index's relevance function: FTS5's own bm25,
//! without its most expensive step when that step cannot change the order.
//!
//! bm25 multiplies each phrase's weight by the phrase's inverse document
//! frequency, and FTS5 finds that frequency by running the phrase over the
//! whole index once per query: for `法轮功` in 100,000 articles that pass
//! (20 ms) cost more than all the rest of a search. With one phrase in the
//! query the factor is the same for every match, so the order does not
//! depend on it: `folio_rank` leaves it out (the score is bm25's divided by
//! that factor). With two phrases or more it computes it as bm25 does, and
//! the scores are bm25's. Arguments, as bm25's: the table, then the column
//! weights. Lower is better.
//!
//! This is the only unsafe code in Folio: an FTS5 auxiliary function is
//! registered through SQLite's C interface, which rusqlite does not wrap.
//! Every pointer used comes from SQLite for the duration of the call.
#![allow(unsafe_code)]

use std::ffi::{c_int, c_void};
use std::ptr;

use rusqlite::Connection;
use rusqlite::ffi;

use super::error::LibraryError;

/// bm25's constants (`fts5_aux.c`).
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Register `folio_rank` on `conn`: every connection that searches needs it.
pub(crate) fn register(conn: &Connection) -> Result<(), LibraryError> {
    // SAFETY: the handle is valid while `conn` lives, and is only used
    // within this call, on this thread.
    let db = unsafe { conn.handle() };
    // SAFETY: `db` is an open connection (above).
    let api =
        unsafe { fts5_api(db) }.ok_or_else(|| failure(ffi::SQLITE_ERROR, "no FTS5 interface"))?;
    // SAFETY: `api` is the FTS5 interface of `db`, valid while it is open;
    // the name is a NUL-terminated constant, the function has the signature
    // FTS5 calls, and it keeps no user data.
    let rc = unsafe {
        match (*api).xCreateFunction {
            Some(create) => create(
                api,
                c"folio_rank".as_ptr(),
                ptr::null_mut(),
                Some(folio_rank),
                None,
            ),
            None => ffi::SQLITE_ERROR,
        }
    };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(failure(rc, "the ranking function could not be registered"))
    }
}

/// An SQLite error `rc` with a message.
fn failure(rc: c_int, message: &str) -> LibraryError {
    LibraryError::Sqlite(rusqlite::Error::SqliteFailure(
        ffi::Error::new(rc),
        Some(message.to_owned()),
    ))
}

/// The `fts5_api` of a connection, found as the FTS5 documentation says:
/// `SELECT fts5(?1)` with a pointer bound to `?1`.
///
/// # Safety
/// `db` must be an open connection, used by no other thread meanwhile.
unsafe fn fts5_api(db: *mut ffi::sqlite3) -> Option<*mut ffi::fts5_api> {
    let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
    let mut api: *mut ffi::fts5_api = ptr::null_mut();
    // SAFETY: per the contract above; `stmt` is finalized before returning
    // and `api` outlives the statement that writes it.
    unsafe {
        let sql = c"SELECT fts5(?1)";
        if ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut stmt, ptr::null_mut())
            != ffi::SQLITE_OK
        {
            return None;
        }
        ffi::sqlite3_bind_pointer(
            stmt,
            1,
            (&raw mut api).cast::<c_void>(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
    }
    (!api.is_null()).then_some(api)
}

/// What a query's rows share: computed at its first row, kept by FTS5.
struct QueryData {
    /// Average row size in tokens.
    avgdl: f64,
    /// Each phrase's inverse document frequency (1 when there is one phrase).
    idf: Vec<f64>,
}

/// Counts rows for [`QueryData`]'s frequencies (`xQueryPhrase`'s callback).
unsafe extern "C" fn count_rows(
    _api: *const ffi::Fts5ExtensionApi,
    _fts: *mut ffi::Fts5Context,
    user: *mut c_void,
) -> c_int {
    // SAFETY: `user` is the `i64` counter `query_data` passes.
    unsafe { *user.cast::<i64>() += 1 };
    ffi::SQLITE_OK
}

/// Frees a [`QueryData`] handed to FTS5.
unsafe extern "C" fn free_query_data(data: *mut c_void) {
    // SAFETY: FTS5 calls this once, with the pointer made by `Box::into_raw`.
    drop(unsafe { Box::from_raw(data.cast::<QueryData>()) });
}

/// The query's [`QueryData`], made at the first row.
///
/// # Safety
/// `api` and `fts` as FTS5 passes them to an auxiliary function.
unsafe fn query_data(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
) -> Result<*const QueryData, c_int> {
    let (Some(get), Some(set)) = (api.xGetAuxdata, api.xSetAuxdata) else {
        return Err(ffi::SQLITE_ERROR);
    };
    // SAFETY: per the contract; the aux data is only ever a `QueryData`.
    unsafe {
        let kept = get(fts, 0);
        if !kept.is_null() {
            return Ok(kept.cast::<QueryData>().cast_const());
        }
        let (Some(rows), Some(total), Some(phrases), Some(query)) = (
            api.xRowCount,
            api.xColumnTotalSize,
            api.xPhraseCount,
            api.xQueryPhrase,
        ) else {
            return Err(ffi::SQLITE_ERROR);
        };
        let mut n_rows: i64 = 0;
        let mut n_tokens: i64 = 0;
        check(rows(fts, &mut n_rows))?;
        check(total(fts, -1, &mut n_tokens))?;
        let n_phrases = usize::try_from(phrases(fts)).unwrap_or(0);
        let mut idf = vec![1.0; n_phrases];
        if n_phrases > 1 {
            for (i, slot) in idf.iter_mut().enumerate() {
                let mut hits: i64 = 0;
                let phrase = c_int::try_from(i).map_err(|_| ffi::SQLITE_ERROR)?;
                check(query(
                    fts,
                    phrase,
                    (&raw mut hits).cast::<c_void>(),
                    Some(count_rows),
                ))?;
                let (n, hits) = (n_rows as f64, hits as f64);
                let value = ((n - hits + 0.5) / (hits + 0.5)).ln();
                *slot = if value <= 0.0 { 1e-6 } else { value };
            }
        }
        let data = Box::into_raw(Box::new(QueryData {
            avgdl: n_tokens as f64 / (n_rows.max(1) as f64),
            idf,
        }));
        check(set(fts, data.cast::<c_void>(), Some(free_query_data)))?;
        Ok(data.cast_const())
    }
}

/// `Err(rc)` unless `rc` is `SQLITE_OK`.
fn check(rc: c_int) -> Result<(), c_int> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rc)
    }
}

/// The score of the current row.
///
/// # Safety
/// As FTS5 calls an auxiliary function.
unsafe fn score(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    weights: &[f64],
) -> Result<f64, c_int> {
    let (Some(inst_count), Some(inst), Some(column_size)) =
        (api.xInstCount, api.xInst, api.xColumnSize)
    else {
        return Err(ffi::SQLITE_ERROR);
    };
    // SAFETY: per the contract; `data` lives as long as the query.
    unsafe {
        let data = &*query_data(api, fts)?;
        let mut freq = vec![0.0; data.idf.len()];
        let mut n_inst: c_int = 0;
        check(inst_count(fts, &mut n_inst))?;
        for i in 0..n_inst {
            let (mut phrase, mut column, mut offset): (c_int, c_int, c_int) = (0, 0, 0);
            check(inst(fts, i, &mut phrase, &mut column, &mut offset))?;
            let weight = usize::try_from(column)
                .ok()
                .and_then(|c| weights.get(c))
                .copied()
                .unwrap_or(1.0);
            if let Some(f) = usize::try_from(phrase).ok().and_then(|p| freq.get_mut(p)) {
                *f += weight;
            }
        }
        let mut tokens: c_int = 0;
        check(column_size(fts, -1, &mut tokens))?;
        let d = f64::from(tokens);
        let score: f64 = freq
            .iter()
            .zip(&data.idf)
            .map(|(f, idf)| idf * (f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d / data.avgdl)))
            .sum();
        Ok(-score)
    }
}

/// The auxiliary function FTS5 calls for each row.
unsafe extern "C" fn folio_rank(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n_val: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 passes a valid interface, context and `n_val` values.
    unsafe {
        let weights: Vec<f64> = (0..usize::try_from(n_val).unwrap_or(0))
            .map(|i| ffi::sqlite3_value_double(*values.add(i)))
            .collect();
        match score(&*api, fts, &weights) {
            Ok(score) => ffi::sqlite3_result_double(ctx, score),
            Err(rc) => ffi::sqlite3_result_error_code(ctx, rc),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Rows ranked by `function` (ids, scores) for the FTS5 query `query`.
    fn ranked(conn: &Connection, function: &str, query: &str) -> Vec<(i64, f64)> {
        conn.prepare(&format!(
            "SELECT rowid, {function}(t, 10.0, 1.0) FROM t WHERE t MATCH ?1 ORDER BY 2, 1"
        ))
        .unwrap()
        .query_map([query], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        conn.execute_batch("CREATE VIRTUAL TABLE t USING fts5(title, body)")
            .unwrap();
        let rows = [
            ("solar", "wind and sun"),
            (
                "a report",
                "solar solar solar panels on a long roof of many words",
            ),
            ("notes", "solar"),
            ("solar power", "solar farms and wind farms"),
            ("other", "wind only here"),
            (
                "long",
                "solar is mentioned once in a very long body of text that goes on",
            ),
        ];
        for (title, body) in rows {
            conn.execute("INSERT INTO t (title, body) VALUES (?1, ?2)", [title, body])
                .unwrap();
        }
        conn
    }

    /// With one phrase, `folio_rank` orders the matches as bm25 does, each
    /// score bm25's divided by the same factor (the phrase's IDF).
    #[test]
    fn one_phrase_ranks_as_bm25_without_its_constant_factor() {
        let conn = table();
        for query in ["solar", "wind", "\"solar panels\"", "sol*"] {
            let ours = ranked(&conn, "folio_rank", query);
            let bm25 = ranked(&conn, "bm25", query);
            assert_eq!(
                ours.iter().map(|r| r.0).collect::<Vec<_>>(),
                bm25.iter().map(|r| r.0).collect::<Vec<_>>(),
                "{query}"
            );
            let factor = bm25[0].1 / ours[0].1;
            for ((_, a), (_, b)) in ours.iter().zip(&bm25) {
                assert!(
                    (a * factor - b).abs() < 1e-9,
                    "{query}: {a} × {factor} ≠ {b}"
                );
            }
        }
    }

    /// With two phrases or more, the scores are bm25's.
    #[test]
    fn several_phrases_score_as_bm25() {
        let conn = table();
        for query in ["solar wind", "solar OR wind", "farms solar NOT panels"] {
            let ours = ranked(&conn, "folio_rank", query);
            let bm25 = ranked(&conn, "bm25", query);
            assert_eq!(ours.len(), bm25.len(), "{query}");
            for ((id, a), (bid, b)) in ours.iter().zip(&bm25) {
                assert_eq!(id, bid, "{query}");
                assert!((a - b).abs() < 1e-9, "{query}: {a} ≠ {b}");
            }
        }
    }
}

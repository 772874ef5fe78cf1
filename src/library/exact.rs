//! `exact:TEXT`: the articles whose own text holds TEXT without the
//! Simplified/Traditional fold. The index finds the folded candidates;
//! each is checked here against the text a reader sees (title, note,
//! highlight comments, body text with captions and alt texts), never
//! against a link's address or other markup.
//!
//! Bounded like the rest of a query: at most [`MAX_EXACT_TERMS`] `exact:`
//! terms per query (collections expanded), each candidate's text decoded
//! and segmented once per query however many terms check it, and at most
//! [`MAX_EXACT_BYTES`] of stored bodies decoded per query, else the query
//! is refused with a message saying how to narrow it.

use std::collections::HashMap;

use super::error::{LibraryError, Result};
use super::segment::segment_with;
use super::types::ArticleId;

/// Most `exact:` terms one query may hold, its collections expanded.
pub const MAX_EXACT_TERMS: usize = 8;

/// Most bytes of stored bodies one query's `exact:` terms may decode and
/// check (each body once per query).
pub const MAX_EXACT_BYTES: usize = 64 * 1024 * 1024;

/// The work one query's `exact:` terms share: the texts checked so far and
/// what is left of the budgets.
#[derive(Default)]
pub(crate) struct ExactScan {
    /// Each candidate's checked text, segmented, lower-cased, padded with spaces.
    texts: HashMap<i64, String>,
    terms: usize,
    bytes: usize,
}

impl ExactScan {
    /// The articles (trashed ones included) whose text contains `raw`: the
    /// index's matches of the folded `phrase`, each checked against its
    /// title, note, highlight comments and body text segmented with widths
    /// folded only. Token boundaries are kept as the index keeps them (a
    /// phrase ending in `*` may end inside a word); Latin case is ignored.
    pub(crate) fn ids(
        &mut self,
        conn: &rusqlite::Connection,
        phrase: &str,
        raw: &str,
    ) -> Result<Vec<i64>> {
        self.terms += 1;
        if self.terms > MAX_EXACT_TERMS {
            return Err(LibraryError::Query(format!(
                "a query can have at most {MAX_EXACT_TERMS} exact: terms"
            )));
        }
        let needle = segment_with(raw, false).to_lowercase();
        let needle = if phrase.ends_with('*') {
            format!(" {needle}")
        } else {
            format!(" {needle} ")
        };
        // The index's candidates, without their bodies: a body is read only
        // when its text is not checked yet in this query.
        let candidates: Vec<i64> = conn
            .prepare_cached("SELECT rowid FROM search_fts WHERE search_fts MATCH ?1")?
            .query_map([phrase], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for id in candidates {
            if !self.texts.contains_key(&id) {
                let text = self.read(conn, id)?;
                self.texts.insert(id, text);
            }
            if self.texts.get(&id).is_some_and(|t| t.contains(&needle)) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// The text of article `id` a reader sees, as [`Self::ids`] checks it.
    fn read(&mut self, conn: &rusqlite::Connection, id: i64) -> Result<String> {
        let row: Option<(String, String, Option<String>)> = rusqlite::OptionalExtension::optional(
            conn.prepare_cached(
                "SELECT a.title, a.body_json, n.body FROM articles a
                   LEFT JOIN notes n ON n.article_id = a.id WHERE a.id = ?1",
            )?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))),
        )?;
        let Some((title, body, note)) = row else {
            return Ok(String::new());
        };
        self.bytes = self.bytes.saturating_add(body.len());
        if self.bytes > MAX_EXACT_BYTES {
            return Err(LibraryError::Query(format!(
                "exact: would check more than {} MB of article text; add other words or \
                 filters to narrow the search",
                MAX_EXACT_BYTES / (1024 * 1024)
            )));
        }
        // Decoded here as `articles::decode_blocks` does (that module builds
        // on this one). A body that does not decode (`check` reports it) has
        // no text to find: its title, note and comments are still checked.
        let article = crate::model::Article {
            blocks: serde_json::from_str(&body).unwrap_or_default(),
            ..crate::model::Article::default()
        };
        let comments = super::highlights::comments_of(conn, ArticleId(id))?;
        let mut text = String::with_capacity(body.len());
        for part in [title.as_str(), note.as_deref().unwrap_or_default()]
            .into_iter()
            .chain(comments.iter().map(String::as_str))
        {
            text.push(' ');
            text.push_str(&segment_with(part, false).to_lowercase());
            text.push(' ');
            // Parts apart: a phrase never runs from one into the next.
            text.push('\n');
        }
        text.push(' ');
        text.push_str(&segment_with(&article.searchable_text(), false).to_lowercase());
        text.push(' ');
        Ok(text)
    }
}

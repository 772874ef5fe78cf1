//! The window's counts ([`Overview`]): articles, unread, starred,
//! trashed, every collection's count and the tag tree, read in one snapshot,
//! and counted again after a [`Change`] only where the change reaches
//! (an import that replaced nothing adds by id range; a mark changes the
//! counts by the marked articles' difference, [`MarkedPart`]).

use std::sync::Mutex;

use rusqlite::Connection;

use super::collections::{self, collection_query};
use super::error::{LibraryError, Result};
use super::types::{ArticleId, Change, Collection, CollectionCount, MarkedPart, Overview};
use super::{articles, check, query, reading, tags};

/// Counts over one connection, with the second one that
/// [`articles::count_on_two`] may use.
pub(super) struct Counter<'a> {
    /// The library's connection.
    pub conn: &'a Connection,
    /// The second, read-only connection when one can be opened.
    pub helper: &'a dyn Fn() -> Option<&'a Mutex<Connection>>,
}

impl Counter<'_> {
    /// Every collection with its live count (a collection whose query
    /// cannot be run has its error instead of a count).
    pub(super) fn collection_counts(&self) -> Result<Vec<CollectionCount>> {
        collections::list(self.conn)?
            .into_iter()
            .map(|c| self.collection_count(c))
            .collect()
    }

    /// The counts the status bar and the library pane show, read in one
    /// snapshot: articles, unread, starred, trashed, every collection's
    /// count and the tag tree.
    pub(super) fn overview(&self) -> Result<Overview> {
        let _snapshot = self.snapshot()?;
        let (articles, unread, starred) = reading::counts(self.conn)?;
        Ok(Overview {
            articles,
            unread,
            starred,
            trashed: check::trashed(self.conn)?,
            collections: self.collection_counts()?,
            tags: tags::tag_tree(self.conn)?,
            newest: self.newest_article()?,
        })
    }

    /// [`Counter::overview`] after `change`, counting again only what the
    /// change can touch and keeping the rest of `previous` (which must be
    /// this library's overview from before the change). After an import
    /// that replaced nothing ([`Change::Appended`]) every count grows by
    /// what the new articles add, so it costs what they cost, not what the
    /// library does.
    pub(super) fn overview_after(&self, previous: &Overview, change: Change) -> Result<Overview> {
        use query::Atom;
        let _snapshot = self.snapshot()?;
        let mut next = previous.clone();
        if change != Change::Appended && self.newest_article()? != previous.newest {
            // Articles came or went besides this change (an import on
            // another connection): count everything.
            return self.overview();
        }
        match change {
            Change::Everything => return self.overview(),
            Change::Reading => {
                (_, next.unread, next.starred) = reading::counts(self.conn)?;
                next.collections = self.recount(previous, &|a| matches!(a, Atom::Is(_)))?;
            }
            Change::Tags => {
                next.tags = tags::tag_tree(self.conn)?;
                next.collections =
                    self.recount(previous, &|a| matches!(a, Atom::Tag(_) | Atom::TagIds(..)))?;
            }
            Change::Annotations => {
                next.collections = self.recount(previous, &|a| {
                    matches!(
                        a,
                        Atom::Text { .. }
                            | Atom::Exact { .. }
                            | Atom::Ids(_)
                            | Atom::HasNote
                            | Atom::HasVersions
                            | Atom::HasHighlights
                    )
                })?;
            }
            Change::Collections => next.collections = self.recount(previous, &|_| false)?,
            Change::Appended => {
                let since = previous.newest;
                next.newest = self.newest_article()?;
                if next.newest < since {
                    // Articles were deleted since: not an append.
                    return self.overview();
                }
                let (all, live, unread, starred) =
                    reading::counts_of(self.conn, &reading::Among::After(since))?;
                next.articles += live;
                next.unread += unread;
                next.starred += starred;
                // Added straight into the trash (a merge of trashed articles).
                next.trashed += all.saturating_sub(live);
                let added = tags::tag_tree_since(self.conn, since)?;
                let same_tree = added.len() == previous.tags.len()
                    && added
                        .iter()
                        .zip(&previous.tags)
                        .all(|(a, b)| a.name == b.name);
                next.tags = if same_tree {
                    added
                        .into_iter()
                        .zip(&previous.tags)
                        .map(|(mut node, old)| {
                            node.count += old.count;
                            node.total += old.total;
                            node
                        })
                        .collect()
                } else {
                    tags::tag_tree(self.conn)?
                };
                next.collections = Vec::new();
                for collection in collections::list(self.conn)? {
                    let kept = previous
                        .collections
                        .iter()
                        .find(|c| c.collection == collection && c.count.is_some());
                    next.collections.push(match kept {
                        Some(old) => {
                            let query = collection_query(&collection.name);
                            let parsed = query::parse_for(self.conn, &query)?;
                            let added = articles::count_since(self.conn, &parsed, since)?;
                            CollectionCount {
                                count: old.count.map(|n| n + added),
                                ..old.clone()
                            }
                        }
                        None => self.collection_count(collection)?,
                    });
                }
            }
        }
        Ok(next)
    }

    /// What the articles `ids` contribute to `previous`'s unread and starred
    /// counts and to its collections whose queries use `is:` (see
    /// [`MarkedPart`]).
    pub(super) fn marked_part(&self, previous: &Overview, ids: &[ArticleId]) -> Result<MarkedPart> {
        let _snapshot = self.snapshot()?;
        let (_, _, unread, starred) = reading::counts_of(self.conn, &reading::Among::Ids(ids))?;
        let mut collections = Vec::with_capacity(previous.collections.len());
        for entry in &previous.collections {
            let reading = entry
                .count
                .and_then(|_| {
                    query::parse_for(self.conn, &collection_query(&entry.collection.name)).ok()
                })
                .filter(|q| query::any_atom(q, &|a| matches!(a, query::Atom::Is(_))));
            collections.push(match reading {
                Some(parsed) => Some(articles::count_among(self.conn, &parsed, ids)?),
                None => None,
            });
        }
        Ok(MarkedPart {
            unread,
            starred,
            collections,
            newest: self.newest_article()?,
        })
    }

    /// `previous` after marking articles whose [`MarkedPart`]s were `before`
    /// and `after` the marking: their difference applied. Counted again
    /// whole ([`Change::Reading`]) when anything else changed meanwhile.
    pub(super) fn overview_marked(
        &self,
        previous: &Overview,
        before: &MarkedPart,
        after: &MarkedPart,
    ) -> Result<Overview> {
        let same_collections = collections::list(self.conn)?
            .iter()
            .eq(previous.collections.iter().map(|c| &c.collection));
        if before.newest != previous.newest
            || after.newest != previous.newest
            || !same_collections
            || before.collections.len() != previous.collections.len()
            || after.collections.len() != previous.collections.len()
        {
            return self.overview_after(previous, Change::Reading);
        }
        let apply = |n: u64, b: u64, a: u64| (n + a).saturating_sub(b);
        let mut next = previous.clone();
        next.unread = apply(previous.unread, before.unread, after.unread);
        next.starred = apply(previous.starred, before.starred, after.starred);
        for ((entry, b), a) in next
            .collections
            .iter_mut()
            .zip(&before.collections)
            .zip(&after.collections)
        {
            if let (Some(n), Some(b), Some(a)) = (entry.count, b, a) {
                entry.count = Some(apply(n, *b, *a));
            }
        }
        Ok(next)
    }

    /// The collections with their counts: kept from `previous` when the
    /// collection is unchanged there and its query has no atom that
    /// `touched` says the change reached; counted again otherwise.
    fn recount(
        &self,
        previous: &Overview,
        touched: &dyn Fn(&query::Atom) -> bool,
    ) -> Result<Vec<CollectionCount>> {
        let mut out = Vec::new();
        for collection in collections::list(self.conn)? {
            let old = previous
                .collections
                .iter()
                .find(|c| c.collection == collection && c.count.is_some());
            let parsed = query::parse_for(self.conn, &collection_query(&collection.name));
            let reached = parsed
                .as_ref()
                .map_or(true, |q| query::any_atom(q, &|a| touched(a)));
            out.push(match old {
                Some(old) if !reached => old.clone(),
                _ => self.count_collection(collection, parsed)?,
            });
        }
        Ok(out)
    }

    /// One collection with its live count (or the reason it cannot run).
    fn collection_count(&self, collection: Collection) -> Result<CollectionCount> {
        let parsed = query::parse_for(self.conn, &collection_query(&collection.name));
        self.count_collection(collection, parsed)
    }

    /// [`Counter::collection_count`] with the collection's query already
    /// parsed (`Err` when it cannot be).
    fn count_collection(
        &self,
        collection: Collection,
        parsed: Result<query::Query>,
    ) -> Result<CollectionCount> {
        let counted =
            parsed.and_then(|q| articles::count_on_two(self.conn, &|| (self.helper)(), &q));
        let (count, error) = match counted {
            Ok(n) => (Some(n), None),
            Err(LibraryError::Query(reason)) => (None, Some(reason)),
            Err(err) => return Err(err),
        };
        Ok(CollectionCount {
            collection,
            count,
            error,
        })
    }

    /// The newest article's id (0 in an empty library).
    fn newest_article(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM articles")?
            .query_row([], |row| row.get(0))?)
    }

    /// A read transaction when none is open, so several counts see one state.
    fn snapshot(&self) -> Result<Option<rusqlite::Transaction<'_>>> {
        Ok(if self.conn.is_autocommit() {
            Some(self.conn.unchecked_transaction()?)
        } else {
            None
        })
    }
}

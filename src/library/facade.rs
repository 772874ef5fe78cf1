//! [`Library`], the library's one door: a connection to one SQLite file and
//! the methods the CLI, the window's worker, export and merge call. It sits
//! on top of the library's modules and imports down only; each method opens
//! the transaction it needs and hands the work to the module that owns the
//! tables.
//!
//! Long because: it is the one door, one short method per operation (about
//! 90), each a line or two handing the work down; splitting it would make
//! two doors.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use rusqlite::{Connection, TransactionBehavior};

use super::check::CheckReport;
use super::error::{LibraryError, Result};
use super::export::{ExportError, ExportJob, ExportReport};
use super::images::MissingImage;
use super::import::ImportOptions;
use super::merge::{MergeError, MergeReport};
use super::overview::Counter;
use super::search::SearchHit;
use super::store::{ImportMode, PreparedArticle, StoreOutcome};
use super::types::{
    ArticleId, ArticleSummary, Change, Collection, CollectionCount, Colour, Highlight,
    HighlightEntry, HighlightId, HighlightOrder, ImportReport, MarkedPart, Overview, Progress,
    ReadingState, ReextractReport, SavedCopy, SortBy, SortOrder, Stats, StoredArticle, TagCount,
    TagNode, TagSnapshot, Timeline, VersionInfo, unique_ids,
};
use super::{
    articles, check, collections, edits, export, highlights, history, images, import, merge, notes,
    query, reading, schema, search, settings, store, tags, trash,
};
use crate::model::{Article, ImageData};
use crate::read::Source;

/// A Folio library: one SQLite file (or an in-memory database).
///
/// Reading methods take `&self`; writing methods take `&mut self` and each
/// commits whole or not at all.
pub struct Library {
    conn: Connection,
    path: Option<PathBuf>,
    /// Opened read-only: every writing method fails with [`LibraryError::ReadOnly`].
    read_only: bool,
    /// Every live article's month, for the timeline, while the library is
    /// unchanged.
    months: std::sync::Mutex<Option<articles::MonthIndex>>,
    /// A second, read-only connection to the file, opened the first time a
    /// count is split over two cores ([`articles::count_on_two`]); `None`
    /// in memory or when it cannot be opened.
    helper: std::sync::OnceLock<Option<std::sync::Mutex<Connection>>>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl Library {
    /// Open the library at `path`, creating it when missing and upgrading an
    /// older schema. Refuses SQLite files of other programs.
    ///
    /// When this user cannot write the file or its folder
    /// ([`schema::decide_access`]), the library is opened read-only instead
    /// (see [`Library::open_read_only`]; [`Library::is_read_only`] tells).
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with_progress(path, None)
    }

    /// [`Library::open`], telling `progress` how an upgrade goes (see
    /// [`schema::UpgradeProgress`]): a library of 100,000 articles takes a
    /// while to upgrade to schema version 5, whose index is rebuilt folded.
    pub fn open_with_progress(
        path: &Path,
        progress: Option<schema::UpgradeProgress<'_>>,
    ) -> Result<Self> {
        let opened = schema::open_auto(path, progress)?;
        Ok(Self {
            conn: opened.conn,
            path: Some(path.to_owned()),
            read_only: opened.read_only,
            months: std::sync::Mutex::default(),
            helper: std::sync::OnceLock::new(),
        })
    }

    /// Open the existing library at `path` for reading only: nothing in the
    /// file is changed, and every writing method fails with
    /// [`LibraryError::ReadOnly`]. Listing, searching, showing, exporting,
    /// checking and counting all work. A WAL library in a folder where
    /// SQLite cannot create its `-shm` file is opened with `immutable=1`. A
    /// library that needs an upgrade fails with [`LibraryError::ReadOnlyUpgrade`].
    pub fn open_read_only(path: &Path) -> Result<Self> {
        Ok(Self {
            conn: schema::open_read_only(path)?,
            path: Some(path.to_owned()),
            read_only: true,
            months: std::sync::Mutex::default(),
            helper: std::sync::OnceLock::new(),
        })
    }

    /// A new, empty library held in memory only.
    pub fn open_in_memory() -> Result<Self> {
        Ok(Self {
            conn: schema::open_in_memory()?,
            path: None,
            read_only: false,
            months: std::sync::Mutex::default(),
            helper: std::sync::OnceLock::new(),
        })
    }

    /// The file this library lives in (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A number that changes whenever another connection (another process,
    /// or this process's import thread) has committed a change to the file
    /// since this connection last looked (SQLite's `PRAGMA data_version`);
    /// this connection's own commits leave it alone. The window's worker
    /// polls it to show what a second `folio` process imported.
    pub fn data_version(&self) -> Result<i64> {
        Ok(articles::library_stamp(&self.conn)?.0)
    }

    /// True when the library was opened read-only (see [`Library::open`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Fail with [`LibraryError::ReadOnly`] when the library is read-only.
    fn writable(&self) -> Result<()> {
        if self.read_only {
            return Err(LibraryError::ReadOnly {
                path: self.path.clone().unwrap_or_default(),
            });
        }
        Ok(())
    }

    /// Run `f` in a write transaction taken with `BEGIN IMMEDIATE`.
    fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        self.writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    // ---- storing ----------------------------------------------------------

    /// Store one extracted article with its source (original bytes and
    /// resources), in one transaction.
    ///
    /// A duplicate is an article with the same canonical URL or the same
    /// normalized text (trashed articles count). With
    /// [`ImportMode::SkipDuplicates`] nothing is written; with
    /// [`ImportMode::Update`] the stored article is replaced in place, keeping
    /// its tags, note and added date.
    pub fn store_article(
        &mut self,
        source: &Source,
        article: &Article,
        mode: ImportMode,
    ) -> Result<StoreOutcome> {
        let prepared = PreparedArticle::new(source, article);
        self.write(|tx| store::store_prepared(tx, &prepared, mode))
    }

    /// Store an article prepared with [`PreparedArticle::new`] (which does the
    /// hashing, compression and thumbnails, and may run on another thread).
    pub fn store_prepared(
        &mut self,
        prepared: &PreparedArticle,
        mode: ImportMode,
    ) -> Result<StoreOutcome> {
        self.write(|tx| store::store_prepared(tx, prepared, mode))
    }

    /// Import saved pages: files and folders (walked with
    /// [`crate::read::discover_files`]).
    ///
    /// Files are read and extracted in parallel; one writer commits them in
    /// batches, each article in its own savepoint. A file that cannot be read
    /// is reported in [`ImportReport::failed`] and skipped. `progress` is called
    /// on this thread after each file; setting `cancel` stops the import after
    /// committing what was done.
    pub fn import_paths(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        progress: &dyn Fn(&Progress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        self.writable()?;
        import::import_paths(&mut self.conn, paths, options, progress, cancel)
    }

    /// Re-run extraction from the stored originals of `ids` (all live and
    /// trashed articles when `None`; a repeated id counts once), keeping tags,
    /// notes and dates.
    pub fn reextract(
        &mut self,
        ids: Option<&[ArticleId]>,
        progress: &dyn Fn(&Progress),
        cancel: &AtomicBool,
    ) -> Result<ReextractReport> {
        self.writable()?;
        import::reextract(&mut self.conn, ids, progress, cancel)
    }

    // ---- reading ----------------------------------------------------------

    /// Full-text search with filters, best match first (see [`Library::list`]
    /// for the query language). Trashed articles are not found.
    pub fn search(&self, query: &str, limit: usize, offset: usize) -> Result<Vec<SearchHit>> {
        search::search(
            &self.conn,
            query,
            SortOrder::new(SortBy::Relevance),
            limit,
            offset,
        )
    }

    /// [`Library::search`] in the order `order`: relevance (best first; the
    /// newest first when the query has no text) or any list order, each hit
    /// with its snippet.
    pub fn search_sorted(
        &self,
        query: &str,
        order: impl Into<SortOrder>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<SearchHit>> {
        search::search(&self.conn, query, order.into(), limit, offset)
    }

    /// True when `query` has text to rank its matches by (so [`Library::search`]
    /// orders by relevance); false for filters only, or only excluded words,
    /// which [`Library::list`] sorts as asked.
    pub fn query_ranks(query: &str) -> Result<bool> {
        Ok(query::compile(&query::parse(query)?, true).fts.is_some())
    }

    /// [`Library::query_ranks`] with the query's collections expanded: true
    /// for `collection:NAME` when that collection's query has text.
    pub fn ranks(&self, query: &str) -> Result<bool> {
        Ok(query::compile(&query::parse_for(&self.conn, query)?, true)
            .fts
            .is_some())
    }

    /// A page of live articles, sorted by `sort`, optionally filtered by a query.
    ///
    /// Query language: words and CJK strings must all occur (`小米 主板`);
    /// `"exact phrase"`; `-word` excludes; `tag:NAME` (`tag:"two words"`),
    /// `-tag:NAME`, `site:TEXT`, `lang:zh`, `after:YYYY-MM-DD` (inclusive),
    /// `before:YYYY-MM-DD` (exclusive); `is:read`, `is:unread`,
    /// `is:starred`; `collection:NAME` (a saved search); `A OR B` between any
    /// two terms. `tag:research` also finds the tags below it
    /// (`research/2021`).
    ///
    /// `sort` is a [`Sort`] or a [`SortOrder`] (with a direction); relevance
    /// ranks as [`Library::search`] does when the query has text.
    pub fn list(
        &self,
        query: Option<&str>,
        sort: impl Into<SortOrder>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<ArticleSummary>> {
        let order = sort.into();
        if order.by == SortBy::Relevance
            && let Some(query) = query
        {
            // Ranked as a search is, without the snippets a list does not show.
            let (rows, _) = search::ranked_rows(&self.conn, query, order, limit, offset)?;
            return Ok(rows.into_iter().map(|(summary, _)| summary).collect());
        }
        articles::list(&self.conn, query, order, limit, offset)
    }

    /// The articles in the trash, most recently trashed first.
    pub fn list_trash(&self, limit: usize, offset: usize) -> Result<Vec<ArticleSummary>> {
        articles::list_trash(&self.conn, limit, offset)
    }

    /// How many live articles match `query` (all live articles when `None`).
    pub fn count(&self, query: Option<&str>) -> Result<u64> {
        let parsed = query::parse_for(&self.conn, query.unwrap_or(""))?;
        articles::count_on_two(&self.conn, &|| self.helper(), &parsed)
    }

    /// The second connection [`Library::count`] splits a count with.
    fn helper(&self) -> Option<&std::sync::Mutex<Connection>> {
        self.helper
            .get_or_init(|| {
                let path = self.path.as_deref()?;
                schema::open_read_only(path).ok().map(std::sync::Mutex::new)
            })
            .as_ref()
    }

    /// How many live articles matching `query` (all when `None`) were
    /// published in each month: the window's timeline. Finds the ids of the
    /// query of [`Library::count`] and buckets them by a month index of the
    /// live articles (the first seven characters of the stored date), which
    /// is built once and again only after the library changed.
    pub fn timeline(&self, query: Option<&str>) -> Result<Timeline> {
        let mut months = self
            .months
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let stamp = articles::library_stamp(&self.conn)?;
        let index = match &mut *months {
            Some(index) if index.stamp == stamp => index,
            slot => slot.insert(articles::month_index(&self.conn, stamp)?),
        };
        articles::timeline(&self.conn, query, index)
    }

    /// The ids of every live article matching `query` (all live articles when
    /// `None`), newest publication date first: what an export of a query writes.
    pub fn matching_ids(&self, query: Option<&str>) -> Result<Vec<ArticleId>> {
        articles::matching_ids(&self.conn, query)
    }

    /// One article with its images' bytes, tags, note and highlights (trashed ones too).
    pub fn article(&self, id: ArticleId) -> Result<StoredArticle> {
        self.stored_article(id, true)
    }

    /// [`Library::article`] without reading the images' bytes (each image's
    /// `data` is `None`; `image_sha256` says which are stored, and
    /// [`Library::image_bytes`] reads one): what a reader loading pictures
    /// one by one needs.
    pub fn article_without_image_bytes(&self, id: ArticleId) -> Result<StoredArticle> {
        self.stored_article(id, false)
    }

    /// An article with its highlights and reading state, its images' bytes
    /// read when `image_bytes`.
    fn stored_article(&self, id: ArticleId, image_bytes: bool) -> Result<StoredArticle> {
        let mut stored = articles::article(&self.conn, id, image_bytes)?;
        stored.article.captured = articles::captured(&self.conn, id)?;
        stored.highlights = highlights::list_raw(&self.conn, id)?;
        stored.reading = reading::state(&self.conn, id)?;
        stored.edits = edits::list(&self.conn, id)?;
        Ok(stored)
    }

    // ---- corrections --------------------------------------------------------

    /// Correct a detail of an article (`title`, `published`, `byline`,
    /// `editor`, `site`, `url`; an empty value clears it, but not the
    /// title): checked first ([`LibraryError::InvalidEdit`], nothing
    /// changed), what Folio read kept beside it. The correction survives
    /// re-extraction, a better copy, export and merge.
    pub fn edit_field(&mut self, id: ArticleId, field: &str, value: &str) -> Result<()> {
        self.write(|tx| edits::set(tx, id, field, value))
    }

    /// The details of an article the user corrected, with what Folio read.
    pub fn field_edits(&self, id: ArticleId) -> Result<Vec<super::types::FieldEdit>> {
        edits::list(&self.conn, id)
    }

    /// Put back what Folio read for a corrected detail; false when it was
    /// not corrected.
    pub fn reset_field(&mut self, id: ArticleId, field: &str) -> Result<bool> {
        self.write(|tx| edits::reset(tx, id, field))
    }

    // ---- versions -----------------------------------------------------------

    /// Every version of an article (the copy shown and the copies kept),
    /// oldest first, with what each changed against the one before.
    pub fn versions(&self, id: ArticleId) -> Result<Vec<VersionInfo>> {
        history::list(&self.conn, id)
    }

    /// How many versions an article has (1 when no other copy was kept).
    pub fn version_count(&self, id: ArticleId) -> Result<usize> {
        history::count(&self.conn, id)
    }

    /// Version `number` (from 1, see [`Library::versions`]) of an article,
    /// with its images' bytes when `image_bytes`; the tags, note, highlights
    /// and reading state are the article's, the highlights placed on this
    /// version's text (an orphan on it where its passage is not there).
    pub fn version(
        &self,
        id: ArticleId,
        number: usize,
        image_bytes: bool,
    ) -> Result<StoredArticle> {
        let (mut stored, shown) = history::version(&self.conn, id, number, image_bytes)?;
        stored.highlights = highlights::list_raw(&self.conn, id)?;
        stored.reading = reading::state(&self.conn, id)?;
        if !shown {
            history::highlights_on(&mut stored);
        }
        Ok(stored)
    }

    /// What changed from version `old` to version `new` of an article:
    /// paragraphs aligned and refined until `deadline` (then shown whole),
    /// images added and removed, metadata changed.
    pub fn compare_versions(
        &self,
        id: ArticleId,
        old: usize,
        new: usize,
        deadline: std::time::Instant,
    ) -> Result<crate::model::diff::Diff> {
        history::compare(&self.conn, id, old, new, deadline)
    }

    /// Remove version `number` of an article: a kept copy, never the one
    /// shown. Returns what it was.
    pub fn remove_version(&mut self, id: ArticleId, number: usize) -> Result<VersionInfo> {
        self.write(|tx| history::remove(tx, id, number))
    }

    /// The original saved file of an article: its name and bytes.
    pub fn original(&self, id: ArticleId) -> Result<(String, Vec<u8>)> {
        articles::original(&self.conn, id)
    }

    /// The original saved file of version `number` of article `id` (the
    /// copy shown when `None`) with the resources stored beside it: what
    /// "view as saved" serves.
    pub fn saved_copy(&self, id: ArticleId, number: Option<usize>) -> Result<SavedCopy> {
        history::saved_copy(&self.conn, id, number)
    }

    /// The live article stored at `url` (compared without fragment or
    /// tracking parameters, http as https), if any.
    pub fn live_article_at(&self, url: &str) -> Result<Option<ArticleId>> {
        articles::live_article_at(&self.conn, url)
    }

    /// The SHA-256 (hex) of an article's original saved file, computed from
    /// the stored copy; `None` when the article keeps no original. What a
    /// citation's archive note points at.
    pub fn original_sha256(&self, id: ArticleId) -> Result<Option<String>> {
        articles::original_sha256(&self.conn, id)
    }

    /// The original saved file of an article as the inspector describes
    /// it: size, SHA-256 and kind in words; `None` when none is kept.
    /// Reads and hashes the whole file.
    pub fn original_file(&self, id: ArticleId) -> Result<Option<super::types::OriginalFile>> {
        articles::original_file(&self.conn, id)
    }

    /// The bytes of a stored image.
    pub fn image_bytes(&self, sha256: &str) -> Result<Option<ImageData>> {
        articles::image_bytes(&self.conn, sha256)
    }

    /// The thumbnail (at most 256 px, PNG or JPEG) of a stored image, when one
    /// could be made.
    pub fn thumbnail(&self, sha256: &str) -> Result<Option<ImageData>> {
        articles::thumbnail(&self.conn, sha256)
    }

    // ---- tags, notes, trash -----------------------------------------------

    /// Add the user tags `names` to an article (creating tags as needed).
    pub fn add_tags(&mut self, id: ArticleId, names: &[&str]) -> Result<()> {
        self.write(|tx| tags::add_tags(tx, id, names))
    }

    /// Remove the user tags `names` from an article (unknown names are ignored).
    pub fn remove_tags(&mut self, id: ArticleId, names: &[&str]) -> Result<()> {
        self.write(|tx| tags::remove_tags(tx, id, names))
    }

    /// Every user tag with its count of live articles, sorted by name
    /// (case-insensitive). Tags on no article are listed with count 0.
    pub fn tags(&self) -> Result<Vec<TagCount>> {
        tags::tags(&self.conn)
    }

    /// The tag hierarchy with own counts and counts with descendants, depth
    /// first, siblings sorted by name (case-insensitive); see [`TagNode`].
    pub fn tag_tree(&self) -> Result<Vec<TagNode>> {
        tags::tag_tree(&self.conn)
    }

    /// Rename a tag and every tag below it (`research` → `study` makes
    /// `research/2021` → `study/2021`); a tag whose new name exists already
    /// is merged into it. A tag cannot be renamed below itself.
    pub fn rename_tag(&mut self, old: &str, new: &str) -> Result<()> {
        self.write(|tx| {
            // The collections naming the tag follow it (or the rename is
            // refused, naming them), and tags below it move with it.
            collections::follow_tag_rename(tx, old, new)?;
            tags::rename_tag(tx, old, new)
        })
    }

    /// Delete a tag and remove it from every article.
    pub fn delete_tag(&mut self, name: &str) -> Result<()> {
        self.write(|tx| tags::delete_tag(tx, name))
    }

    /// Set (or with `None` clear) a tag's colour, e.g. `#d04040`. Tags below
    /// it without a colour of their own show it ([`TagNode::colour`]).
    pub fn set_tag_colour(&mut self, name: &str, colour: Option<&str>) -> Result<()> {
        self.write(|tx| tags::set_tag_colour(tx, name, colour))
    }

    /// Add (`add`) or remove the user tag `name` on every article of `ids`,
    /// in one transaction (all or none).
    pub fn tag_many(&mut self, ids: &[ArticleId], name: &str, add: bool) -> Result<()> {
        self.write(|tx| {
            for &id in ids {
                if add {
                    tags::add_tags(tx, id, &[name])?;
                } else {
                    tags::remove_tags(tx, id, &[name])?;
                }
            }
            Ok(())
        })
    }

    /// Of `ids`, those carrying the tag `name`, in the order given; `None`
    /// when there is no such tag.
    pub fn having_tag(&self, ids: &[ArticleId], name: &str) -> Result<Option<Vec<ArticleId>>> {
        tags::having(&self.conn, ids, name)
    }

    /// The tags at or below `roots` (colours and articles) and every
    /// collection's query, as they stand: what [`Library::restore_tags`]
    /// puts back.
    pub fn tag_snapshot(&self, roots: &[&str]) -> Result<TagSnapshot> {
        Ok(TagSnapshot {
            roots: roots.iter().map(|r| (*r).to_owned()).collect(),
            tags: tags::snapshot(&self.conn, roots)?,
            collections: collections::list(&self.conn)?
                .into_iter()
                .map(|c| (c.name, c.query))
                .collect(),
        })
    }

    /// Put tags back as [`Library::tag_snapshot`] read them, in one
    /// transaction: tags made at or below its roots since are deleted, its
    /// tags get their colours and exactly their articles again (those not
    /// deleted for good since), and a collection whose query changed since
    /// gets its old query back (collections made or removed since are left
    /// alone).
    pub fn restore_tags(&mut self, snapshot: &TagSnapshot) -> Result<()> {
        self.write(|tx| {
            tags::restore(tx, &snapshot.roots, &snapshot.tags)?;
            let now = collections::list(tx)?;
            for (name, query) in &snapshot.collections {
                if now.iter().any(|c| &c.name == name && &c.query != query) {
                    collections::save(tx, name, query)?;
                }
            }
            Ok(())
        })
    }

    /// An article's note, if it has one.
    pub fn note(&self, id: ArticleId) -> Result<Option<String>> {
        notes::note(&self.conn, id)
    }

    /// Set an article's note (Markdown); empty or whitespace-only text deletes it.
    /// The note is searchable.
    pub fn set_note(&mut self, id: ArticleId, text: &str) -> Result<()> {
        self.write(|tx| notes::set_note(tx, id, text))
    }

    /// Put an article in the trash: it disappears from lists and searches.
    /// True when it moved (false: it was in the trash already).
    pub fn trash(&mut self, id: ArticleId) -> Result<bool> {
        self.write(|tx| trash::set_trashed(tx, id, true))
    }

    /// Take an article out of the trash. True when it moved (false: it was
    /// not in the trash).
    pub fn restore(&mut self, id: ArticleId) -> Result<bool> {
        self.write(|tx| trash::set_trashed(tx, id, false))
    }

    /// Move every article of `ids` into the trash (`trashed`) or out of it,
    /// in one transaction; returns how many moved.
    pub fn set_trashed_many(&mut self, ids: &[ArticleId], trashed: bool) -> Result<usize> {
        self.write(|tx| {
            let mut moved = 0;
            for &id in ids {
                moved += usize::from(trash::set_trashed(tx, id, trashed)?);
            }
            Ok(moved)
        })
    }

    /// Of `ids`, those in the trash, in the order given.
    pub fn trashed_among(&self, ids: &[ArticleId]) -> Result<Vec<ArticleId>> {
        trash::trashed_among(&self.conn, ids)
    }

    /// Delete every trashed article for good (with its originals, links and
    /// images no other article uses). Returns how many were deleted.
    pub fn empty_trash(&mut self) -> Result<u64> {
        self.write(|tx| trash::empty_trash(tx))
    }

    // ---- highlights (see `model::anchor`) ----------------------------------

    /// The canonical text of an article's body: what highlight offsets count in.
    pub fn canonical_text(&self, id: ArticleId) -> Result<crate::model::canonical::CanonicalText> {
        highlights::canonical_text(&self.conn, id)
    }

    /// Highlight `range` (chars of [`Library::canonical_text`]) of an article
    /// in `colour`, with a comment (empty for none). Refuses an empty or
    /// whitespace-only range, or one past the text
    /// ([`LibraryError::BadHighlightRange`]).
    pub fn add_highlight(
        &mut self,
        id: ArticleId,
        range: std::ops::Range<usize>,
        colour: Colour,
        comment: &str,
    ) -> Result<Highlight> {
        self.write(|tx| highlights::add(tx, id, range, colour, comment))
    }

    /// One highlight.
    pub fn highlight(&self, id: HighlightId) -> Result<Highlight> {
        highlights::get(&self.conn, id)
    }

    /// The highlights of the articles `ids` (of every live article when
    /// `None`), by article and position, each article's orphans last. Fails
    /// with [`LibraryError::NoSuchArticle`] for an unknown id.
    pub fn highlights(&self, ids: Option<&[ArticleId]>) -> Result<Vec<Highlight>> {
        highlights::list(&self.conn, ids)
    }

    /// The ids of the highlights of every live article matching `query`
    /// (every live article when `None`), in `order`: what the window's
    /// highlights view pages through and `folio highlights QUERY` prints.
    pub fn highlight_ids(
        &self,
        query: Option<&str>,
        order: HighlightOrder,
    ) -> Result<Vec<HighlightId>> {
        let tx = self.conn.unchecked_transaction()?;
        let articles = articles::matching_ids(&tx, query)?;
        let ids = highlights::ordered_ids(&tx, &articles, order)?;
        tx.finish()?;
        Ok(ids)
    }

    /// The ids of the highlights of the articles `articles` in `order`
    /// ([`HighlightOrder::ByArticle`]: in the order given). Fails with
    /// [`LibraryError::NoSuchArticle`] for an unknown id.
    pub fn highlight_ids_in(
        &self,
        articles: &[ArticleId],
        order: HighlightOrder,
    ) -> Result<Vec<HighlightId>> {
        let tx = self.conn.unchecked_transaction()?;
        let articles = unique_ids(articles);
        for &id in &articles {
            tags::ensure_article(&tx, id)?;
        }
        let ids = highlights::ordered_ids(&tx, &articles, order)?;
        tx.finish()?;
        Ok(ids)
    }

    /// The highlights `ids` (in that order) with their articles' title,
    /// site, date and address; ids no longer stored are left out.
    pub fn highlight_entries(&self, ids: &[HighlightId]) -> Result<Vec<HighlightEntry>> {
        let tx = self.conn.unchecked_transaction()?;
        let entries = highlights::entries(&tx, ids)?;
        tx.finish()?;
        Ok(entries)
    }

    /// Set a highlight's comment (empty deletes it); the comment is
    /// searchable. Returns the highlight as it was (for undo).
    pub fn set_highlight_comment(&mut self, id: HighlightId, comment: &str) -> Result<Highlight> {
        self.write(|tx| highlights::set_comment(tx, id, comment))
    }

    /// Set a highlight's colour. Returns the highlight as it was (for undo).
    pub fn set_highlight_colour(&mut self, id: HighlightId, colour: Colour) -> Result<Highlight> {
        self.write(|tx| highlights::set_colour(tx, id, colour))
    }

    /// Delete a highlight. Returns it whole: [`Library::restore_highlight`]
    /// puts it back (undo).
    pub fn delete_highlight(&mut self, id: HighlightId) -> Result<Highlight> {
        self.write(|tx| highlights::delete(tx, id))
    }

    /// Put back a deleted highlight (with its old id when still free).
    pub fn restore_highlight(&mut self, highlight: &Highlight) -> Result<HighlightId> {
        self.write(|tx| highlights::restore(tx, highlight))
    }

    /// Attach a highlight (an orphan, usually) to `range` of its article's
    /// current text. Returns it as it was.
    pub fn reattach_highlight(
        &mut self,
        id: HighlightId,
        range: std::ops::Range<usize>,
    ) -> Result<Highlight> {
        self.write(|tx| highlights::reattach(tx, id, range))
    }

    // ---- reading state -----------------------------------------------------

    /// Mark `ids` read (now; an article read already keeps its time) or
    /// unread. Returns how many changed; an unknown id fails with
    /// [`LibraryError::NoSuchArticle`] and nothing is changed.
    pub fn mark_read(&mut self, ids: &[ArticleId], read: bool) -> Result<usize> {
        let ids = unique_ids(ids);
        self.write(|tx| reading::set_read(tx, &ids, read))
    }

    /// Mark articles read at the times given (putting back when they were
    /// read, after "mark unread" is undone); one read since keeps its
    /// time. Returns how many changed; an unknown id fails with
    /// [`LibraryError::NoSuchArticle`] and nothing is changed.
    pub fn mark_read_at(&mut self, marks: &[(ArticleId, String)]) -> Result<usize> {
        self.write(|tx| reading::set_read_at(tx, marks))
    }

    /// Star or unstar `ids`. Returns how many changed; an unknown id fails
    /// with [`LibraryError::NoSuchArticle`] and nothing is changed.
    pub fn set_starred(&mut self, ids: &[ArticleId], starred: bool) -> Result<usize> {
        let ids = unique_ids(ids);
        self.write(|tx| reading::set_starred(tx, &ids, starred))
    }

    /// Save the reading position of an article, a fraction 0..=1 (`None`
    /// clears it); anything else fails with [`LibraryError::BadPosition`].
    pub fn set_reading_position(&mut self, id: ArticleId, position: Option<f64>) -> Result<()> {
        self.write(|tx| reading::set_position(tx, id, position))
    }

    /// The reading state of an article (read, starred, position).
    pub fn reading_state(&self, id: ArticleId) -> Result<ReadingState> {
        tags::ensure_article(&self.conn, id)?;
        reading::state(&self.conn, id)
    }

    // ---- collections (saved searches) --------------------------------------

    /// Every collection, sorted by name (case-insensitive).
    pub fn collections(&self) -> Result<Vec<Collection>> {
        collections::list(&self.conn)
    }

    /// Save `query` as the collection `name` (replacing the query of the
    /// collection of that name, if any). The query must parse and must not
    /// refer to the collection itself, directly or through others
    /// ([`LibraryError::Query`]). True when it was created.
    pub fn save_collection(&mut self, name: &str, query: &str) -> Result<bool> {
        self.write(|tx| collections::save(tx, name, query))
    }

    /// Delete the collection `name` ([`LibraryError::NoSuchCollection`] if none).
    pub fn remove_collection(&mut self, name: &str) -> Result<()> {
        self.write(|tx| collections::remove(tx, name))
    }

    /// Rename a collection, and the `collection:` references to it in the
    /// others' queries. Fails with [`LibraryError::CollectionExists`] when
    /// another collection has the new name.
    pub fn rename_collection(&mut self, old: &str, new: &str) -> Result<()> {
        self.write(|tx| collections::rename(tx, old, new))
    }

    /// Every collection with its live count (a collection whose query
    /// cannot be run has its error instead of a count).
    pub fn collection_counts(&self) -> Result<Vec<CollectionCount>> {
        self.counter(&|| self.helper()).collection_counts()
    }

    /// The counts over this library's connections ([`overview`]).
    fn counter<'a>(
        &'a self,
        helper: &'a dyn Fn() -> Option<&'a std::sync::Mutex<Connection>>,
    ) -> Counter<'a> {
        Counter {
            conn: &self.conn,
            helper,
        }
    }

    /// The counts the status bar and the library pane show, read in one
    /// snapshot: articles, unread, starred, trashed, every collection's
    /// count and the tag tree.
    pub fn overview(&self) -> Result<Overview> {
        self.counter(&|| self.helper()).overview()
    }

    /// [`Library::overview`] after `change`, counting again only what the
    /// change can touch and keeping the rest of `previous` (which must be
    /// this library's overview from before the change). After an import
    /// that replaced nothing ([`Change::Appended`]) every count grows by
    /// what the new articles add, so it costs what they cost, not what the
    /// library does.
    pub fn overview_after(&self, previous: &Overview, change: Change) -> Result<Overview> {
        self.counter(&|| self.helper())
            .overview_after(previous, change)
    }

    /// What the articles `ids` contribute to `previous`'s unread and starred
    /// counts and to its collections whose queries use `is:` (see
    /// [`MarkedPart`]).
    pub fn marked_part(&self, previous: &Overview, ids: &[ArticleId]) -> Result<MarkedPart> {
        self.counter(&|| self.helper()).marked_part(previous, ids)
    }

    /// `previous` after marking articles whose [`MarkedPart`]s were `before`
    /// and `after` the marking: their difference applied. Counted again
    /// whole ([`Change::Reading`]) when anything else changed meanwhile.
    pub fn overview_marked(
        &self,
        previous: &Overview,
        before: &MarkedPart,
        after: &MarkedPart,
    ) -> Result<Overview> {
        self.counter(&|| self.helper())
            .overview_marked(previous, before, after)
    }

    // ---- export, merge -----------------------------------------------------

    /// Write the articles `job.ids` (live or trashed; unknown ids are
    /// skipped) as a standalone Folio library into the new file `into`: same
    /// schema, with their images, originals, resources, tags (with colours),
    /// source tags, notes and search index. `into` is the temporary file
    /// that `crate::export` reserved beside `job.out` and renames into place
    /// (the library never touches the target itself). `progress` is called
    /// after each chunk of articles; setting `cancel` stops with
    /// [`ExportError::Cancelled`].
    pub fn export_sqlite_into(
        &self,
        job: &ExportJob<'_>,
        into: &Path,
    ) -> Result<ExportReport, ExportError> {
        self.refuse_own_file(job.out)?;
        export::export_sqlite(&self.conn, self.path.as_deref(), self.read_only, job, into)
    }

    /// Fail when `out` is this library's own file, or a folder holding it:
    /// an export must never replace either.
    pub fn refuse_own_file(&self, out: &Path) -> Result<(), ExportError> {
        let (Some(own), Ok(out_real)) = (&self.path, out.canonicalize()) else {
            return Ok(());
        };
        let Ok(own) = own.canonicalize() else {
            return Ok(());
        };
        if own == out_real || own.starts_with(&out_real) {
            return Err(ExportError::OwnLibrary {
                path: out.to_owned(),
                holds: own != out_real,
            });
        }
        Ok(())
    }

    /// Bring another library file's articles into this one, in one
    /// transaction (all or nothing).
    ///
    /// The file is treated as untrusted (see [`MergeReport`] and the `merge`
    /// module): opened read-only and defensively, its identity, schema,
    /// integrity and sizes checked before any row is read; a file that fails
    /// is refused with [`MergeError::Untrusted`]. Duplicates (same canonical
    /// URL or text) are not added again: their tags are unioned and a
    /// differing note is appended under a line naming the file.
    pub fn merge_from(
        &mut self,
        path: &Path,
        progress: &dyn Fn(&Progress),
        cancel: &AtomicBool,
    ) -> Result<MergeReport, MergeError> {
        self.writable()?;
        merge::merge_from(&mut self.conn, path, progress, cancel)
    }

    // ---- settings, maintenance --------------------------------------------

    /// A stored setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        settings::setting(&self.conn, key)
    }

    /// Store a setting (replacing any old value).
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| settings::set_setting(tx, key, value))
    }

    /// Every stored setting as `(key, value)`, sorted by key.
    pub fn settings(&self) -> Result<Vec<(String, String)>> {
        images::settings(&self.conn)
    }

    // ---- missing images (fetched on request, see `crate::fetch`) ----------

    /// The body images whose bytes the library does not hold, for the
    /// articles `ids` (every live article when `None`), by article then
    /// position. Fails with [`LibraryError::NoSuchArticle`] for an unknown id.
    pub fn missing_images(&self, ids: Option<&[ArticleId]>) -> Result<Vec<MissingImage>> {
        images::missing_images(&self.conn, ids)
    }

    /// Store `bytes` (an image of type `mime`) as the image at `position` of
    /// `article`, like an image that came with the page: content-addressed,
    /// with sizes and a thumbnail, so it shows offline from then on (and
    /// survives a re-extraction). Returns its sha256.
    ///
    /// The bytes are decoded first; bytes that are not an image are refused
    /// with [`LibraryError::BadImage`]. On any failure nothing is written.
    pub fn store_fetched_image(
        &mut self,
        article: ArticleId,
        position: usize,
        bytes: &[u8],
        mime: &str,
    ) -> Result<String> {
        self.writable()?;
        let blob = images::prepare_blob(bytes, mime)?;
        self.write(|tx| images::store_fetched(tx, article, position, &blob))
    }

    /// How many highlights of live articles are orphaned (one query; what
    /// `folio check` reports without the cost of [`Library::stats`]).
    pub fn orphaned_highlights(&self) -> Result<u64> {
        Ok(highlights::counts(&self.conn)?.1)
    }

    /// Counts and sizes.
    pub fn stats(&self) -> Result<Stats> {
        check::stats(&self.conn)
    }

    /// Problems found: `PRAGMA integrity_check`, foreign keys, the FTS index,
    /// Folio's own invariants (every article has a readable body, a search
    /// row and an original, image links match the body), and every stored
    /// original, resource and image verified (see [`Library::check_report`]).
    /// Empty when all is well.
    pub fn check(&self) -> Result<Vec<String>> {
        Ok(self.check_report(false)?.problems)
    }

    /// [`Library::check`] with notes on what was not checked. `quick` skips
    /// verifying the stored blobs (originals decompress to their recorded
    /// size, images match their sha256 and size), the slow part on a large
    /// library. Reads the library only (it works on a read-only one).
    pub fn check_report(&self, quick: bool) -> Result<CheckReport> {
        check::check(&self.conn, self.read_only, quick)
    }

    /// Fail with [`LibraryError::Damaged`], naming them, when stored data of
    /// the articles `ids` is damaged: with `originals`, their originals and
    /// resources must decompress to their recorded size; always, the images
    /// they use must match their sha256 and size. What an export checks
    /// before it writes anything.
    pub fn verify_for_export(&self, ids: &[ArticleId], originals: bool) -> Result<()> {
        check::refuse_damaged(&self.conn, ids, originals)
    }
}

//! The search query language, parsed and turned into SQL plus an FTS5 match
//! expression.
//!
//! A query is a list of terms that must all hold; `OR` between two terms makes
//! them a group where one must hold. A term is a word or CJK string (run as an
//! FTS5 phrase of its segmented tokens, the last Latin word as a prefix
//! unless it is one lone character), a
//! `"quoted phrase"` (no prefix), or a filter `tag:`, `site:`, `lang:`,
//! `before:`, `after:`, `captured:`, `captured-before:`, `captured-after:`,
//! `has:highlights`, `has:note`, `has:versions`. A leading `-` negates a term.
//!
//! Text is folded as the index is ([`super::fold`]): `神韵` and `神韻` find
//! the same articles, `Ｗｉ－Ｆｉ` what `Wi-Fi` finds. `exact:TEXT` (or
//! `exact:"TEXT"`) searches without the Simplified/Traditional fold: the
//! index finds the folded candidates, and each is checked in Rust against
//! its own unfolded text (title, note, highlight comments, body) before the
//! query runs, as `tag:` names become tag ids.
//!
//! Promises: a query is at most [`MAX_QUERY_CHARS`] characters and
//! [`MAX_QUERY_TERMS`] distinct terms (repeated terms count once and are
//! searched once), else it is refused with [`LibraryError::Query`]; parsing
//! and compiling are linear in its length. Filter names are case-insensitive
//! (`Site:`), and a filter's value may follow after a space (`site: example.com`).
//! Dates are real calendar dates. A word without a letter or digit (`*`,
//! `🙂`) cannot be searched and is left out; a query made only of such words
//! is refused rather than read as "everything".
//!
//! Long because: the query language is one grammar (lexer, parser, SQL
//! and FTS5 builder, and the editing helpers the window uses), kept in one
//! place so that a query is built and read nowhere else (issue 22).

use rusqlite::types::Value;

use super::error::{LibraryError, Result};
use super::exact::ExactScan;
use super::fold::fold_with;
use super::segment::{BREAK, Token, tokens};

/// One condition of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Atom {
    /// Text to find: the FTS5 phrase, and the text as typed (for snippets).
    Text { phrase: String, raw: String },
    /// Has this user tag (the name as typed, NFC-normalised; see
    /// [`resolve`]).
    Tag(String),
    /// Has one of these user tags: a `tag:` filter after [`resolve`],
    /// with the number of articles so tagged (to plan the query).
    TagIds(Vec<i64>, u64),
    /// The site's name or the address's host contains this (the whole
    /// address, when this has a `/`); ASCII letters in any case.
    Site(String),
    /// Language is this or a subtag of it.
    Lang(String),
    /// Published before this date (exclusive).
    Before(String),
    /// Published on or after this date.
    After(String),
    /// Captured in this year, month or day (`captured:2019-06`).
    Captured(String),
    /// Captured before this date (exclusive).
    CapturedBefore(String),
    /// Captured on or after this date.
    CapturedAfter(String),
    /// Has at least one highlight (`has:highlights`).
    HasHighlights,
    /// Has a note (`has:note`).
    HasNote,
    /// Has more than one version (`has:versions`, `is:changed`).
    HasVersions,
    /// A reading state: `is:read`, `is:unread`, `is:starred`.
    Is(IsFilter),
    /// A saved search by name (NFC-normalised), replaced by [`resolve`].
    Collection(String),
    /// A saved search's query, resolved: all its groups must hold.
    Sub(Box<Query>),
    /// `exact:TEXT`: text found without the Simplified/Traditional fold.
    /// The phrase (folded, for the index) finds candidates; [`resolve`]
    /// checks them and makes this [`Atom::Ids`].
    Exact { phrase: String, raw: String },
    /// One of these articles: an `exact:` filter after [`resolve`].
    Ids(Vec<i64>),
}

/// The reading states `is:` filters on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IsFilter {
    /// Marked read.
    Read,
    /// Not marked read.
    Unread,
    /// Starred.
    Starred,
}

/// The query language as a person reads it: `folio search --help` and the
/// window's Help ▸ Search syntax show this text (paragraphs hard-wrapped for a
/// terminal; the window joins their lines).
pub const SYNTAX: &str = "\
Words and CJK strings must all occur (`小米 主板`), the last word also as a
prefix (`gov` finds government); `\"exact phrase\"`; `-word` excludes;
`tag:NAME`, `-tag:NAME`, `site:TEXT`, `lang:zh`, `after:YYYY-MM-DD`,
`before:YYYY-MM-DD` (the date published); `captured:2019` (or `2019-06`,
`2019-06-03`), `captured-after:DATE`, `captured-before:DATE` (when the page
was saved, as the file states it; an article whose file states none matches
none of them); `is:read`, `is:unread`, `is:starred`; `has:note`,
`has:highlights`, `has:versions` (or `is:changed`: more than one copy kept);
`collection:NAME` (a saved search); `A OR B` between two terms. Text only
an earlier version holds (a sentence removed later) is found too. `tag:research` also finds
`research/2021`. `site:minghui` finds the articles whose site name or web
address host contains `minghui`; with a `/` (`site:example.com/blog`) the
whole address is searched.

Simplified and Traditional Chinese are the same to a search (`神韵` finds
`神韻`, `法輪功` finds `法轮功`), and so are full-width and ordinary letters
and digits (`Ｗｉ－Ｆｉ` finds `Wi-Fi`). Characters that several Traditional
ones simplify to (干: 乾 幹 干; 后: 後 后; 里: 裏 里; 发: 發 髮) find all of
them. `exact:TEXT` (or `exact:\"TEXT\"`) searches the characters as written,
without the Simplified/Traditional folding: `exact:後` finds 後 but not 后.";

/// Deepest nesting of saved searches (`collection:` inside a collection's
/// query): deeper is refused with [`LibraryError::Query`].
pub const MAX_COLLECTION_DEPTH: usize = 8;

/// Most terms a query may have once its `collection:` filters are expanded.
pub const MAX_EXPANDED_TERMS: usize = 4 * MAX_QUERY_TERMS;

/// An atom, possibly negated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Term {
    pub negated: bool,
    pub atom: Atom,
}

/// A parsed query: every group must hold; within a group, any term.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pub groups: Vec<Vec<Term>>,
}

/// SQL for a query: a condition on `a` (the `articles` alias) with its
/// parameters, and the FTS5 expression to rank with when there is one.
#[derive(Debug, Default)]
pub(crate) struct Compiled {
    /// Conditions joined with AND, the first one saying the article is not in
    /// the trash ([`LIVE`] unless driven by the full-text index).
    pub where_sql: String,
    pub params: Vec<Value>,
    /// The match expression for `search_fts`, when the query has positive text.
    pub fts: Option<String>,
    /// The positive texts as typed, for snippets.
    pub texts: Vec<String>,
    /// With [`Compiled::fts`]: `where_sql` has conditions on `a`, so the
    /// full-text table must be joined with `articles a`.
    pub joins_articles: bool,
}

impl Compiled {
    /// The `FROM` clause of a query driven by `search_fts` (with [`Compiled::fts`]).
    pub fn fts_from(&self) -> &'static str {
        if self.joins_articles {
            "search_fts JOIN articles a ON a.id = search_fts.rowid"
        } else {
            "search_fts"
        }
    }
}

/// Split the query string into raw words, keeping quoted parts together.
pub(crate) fn lex(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_quote = false;
    for c in input.chars() {
        match c {
            '"' | '“' | '”' => {
                in_quote = !in_quote;
                current.push('"');
            }
            c if c.is_whitespace() && !in_quote => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

pub(crate) fn unquote(s: &str) -> (String, bool) {
    if s.starts_with('"') {
        (s.trim_matches('"').replace('"', ""), true)
    } else {
        (s.replace('"', ""), false)
    }
}

/// True for a language tag as `lang:` takes it: subtags of 1–8 ASCII letters
/// or digits joined by `-` (`en`, `zh-Hans`, `pt-BR`).
fn valid_lang(s: &str) -> bool {
    s.split('-')
        .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The FTS5 phrase for a text (folded as the index is), or `None` when it
/// has no tokens.
pub(crate) fn phrase(text: &str, prefix: bool) -> Option<String> {
    let text = fold_with(text, true);
    let toks = tokens(&text);
    if toks.is_empty() {
        return None;
    }
    let mut out = String::from("\"");
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match t {
            Token::Cjk(s) | Token::Word(s) => out.push_str(s),
            Token::Break => out.push(BREAK),
        }
    }
    out.push('"');
    if prefix && prefix_worthy(&toks) {
        out.push_str(" *");
    }
    Some(out)
}

/// Whether a phrase's last token is matched as a prefix: a Latin word of two
/// characters or more (the library keeps prefix indexes of 2 and 3
/// characters, see `sql/v3.sql`), or of one character after other tokens
/// (`小米1` finds 小米11, as substring search promises; the phrase keeps that
/// rare query narrow). A query of one lone letter or digit is matched as a
/// whole word: as a prefix it would match most of the library, slowly.
fn prefix_worthy(toks: &[Token]) -> bool {
    match toks.last() {
        Some(Token::Word(w)) => toks.len() > 1 || w.chars().nth(1).is_some(),
        _ => false,
    }
}

/// Longest query accepted, in characters: longer is refused with
/// [`LibraryError::Query`] (a search box is not for whole documents, and the
/// window searches as one types).
pub const MAX_QUERY_CHARS: usize = 1000;

/// Most distinct terms (words, phrases, filters) a query may have: each is a
/// separate look-up in the index, so more is refused with
/// [`LibraryError::Query`]. A term repeated (`the the the`) counts once.
pub const MAX_QUERY_TERMS: usize = 64;

/// Parse a query string; see the module documentation for the limits.
pub(crate) fn parse(input: &str) -> Result<Query> {
    let chars = input.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(LibraryError::Query(format!(
            "a query can be at most {MAX_QUERY_CHARS} characters long; this one has {chars}"
        )));
    }
    let mut groups: Vec<Vec<Term>> = Vec::new();
    // Keys of the groups kept, to search a repeated term or group once.
    let mut seen: std::collections::HashSet<Vec<String>> = std::collections::HashSet::new();
    let mut join_next = false;
    let mut words = lex(input).into_iter().peekable();
    while let Some(word) = words.next() {
        if word == "OR" {
            join_next = !groups.is_empty();
            continue;
        }
        let (negated, body) = match word.strip_prefix('-') {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, word.as_str()),
        };
        let atom = match body.split_once(':') {
            Some((key, value)) if !body.starts_with('"') && is_filter(key) => {
                let (mut value, _) = unquote(value);
                // `site: example.com`, as pasted: the value is the next word.
                if value.trim().is_empty()
                    && let Some(next) = words.next_if(|w| w != "OR")
                {
                    value = unquote(&next).0;
                }
                let value = value.trim().to_owned();
                if value.is_empty() {
                    return Err(LibraryError::Query(format!("{key}: needs a value")));
                }
                filter_atom(key, value)?
            }
            _ => {
                let (raw, exact) = unquote(body);
                match phrase(&raw, !exact) {
                    Some(phrase) => Atom::Text { phrase, raw },
                    // No letter or digit: nothing the index could find.
                    None => continue,
                }
            }
        };
        let term = Term { negated, atom };
        match groups.last_mut() {
            Some(group) if join_next => {
                if !group.contains(&term) {
                    group.push(term);
                }
            }
            _ => groups.push(vec![term]),
        }
        join_next = false;
        // A group is final once the next word is not `OR`: drop it when
        // the same group was seen before.
        if words.peek().is_none_or(|w| w != "OR")
            && let Some(group) = groups.last()
            && !seen.insert(group_key(group))
        {
            groups.pop();
        }
    }
    let terms: usize = groups.iter().map(Vec::len).sum();
    if terms > MAX_QUERY_TERMS {
        return Err(LibraryError::Query(format!(
            "a query can have at most {MAX_QUERY_TERMS} different terms; this one has {terms}"
        )));
    }
    if groups.is_empty() && !input.trim().is_empty() {
        return Err(LibraryError::Query(format!(
            "nothing to search for in {:?}: a word needs a letter or a digit",
            input.trim()
        )));
    }
    Ok(Query { groups })
}

/// The atom of a filter `key:value` (`key` known to be a filter, `value` not empty).
fn filter_atom(key: &str, value: String) -> Result<Atom> {
    Ok(match key.to_ascii_lowercase().as_str() {
        "tag" => Atom::Tag(super::tags::normalize(&value)),
        "collection" => Atom::Collection(super::tags::normalize(&value)),
        "is" => match value.to_lowercase().as_str() {
            "read" => Atom::Is(IsFilter::Read),
            "unread" => Atom::Is(IsFilter::Unread),
            "starred" => Atom::Is(IsFilter::Starred),
            "changed" => Atom::HasVersions,
            _ => {
                return Err(LibraryError::Query(format!(
                    "{key}: wants read, unread, starred or changed, not {value:?}"
                )));
            }
        },
        "site" => Atom::Site(value),
        "exact" => match phrase(&value, true) {
            Some(phrase) => Atom::Exact { phrase, raw: value },
            None => {
                return Err(LibraryError::Query(format!(
                    "{key}: needs a letter or a digit, not {value:?}"
                )));
            }
        },
        "has" => match value.to_lowercase().as_str() {
            "highlights" | "highlight" => Atom::HasHighlights,
            "note" | "notes" => Atom::HasNote,
            "versions" | "version" => Atom::HasVersions,
            _ => {
                return Err(LibraryError::Query(format!(
                    "{key}: wants highlights, note or versions, not {value:?}"
                )));
            }
        },
        "lang" => {
            if !valid_lang(&value) {
                return Err(LibraryError::Query(format!(
                    "{key}: wants a language tag like en or zh-Hans, not {value:?}"
                )));
            }
            Atom::Lang(value)
        }
        lower @ ("before" | "after" | "captured" | "captured-before" | "captured-after") => {
            if !super::codec::valid_date(&value) {
                return Err(LibraryError::Query(format!(
                    "{key}: wants a real date like 2024-05-31 (or 2024-05, 2024), not {value:?}"
                )));
            }
            match lower {
                "before" => Atom::Before(value),
                "after" => Atom::After(value),
                "captured" => Atom::Captured(value),
                "captured-before" => Atom::CapturedBefore(value),
                _ => Atom::CapturedAfter(value),
            }
        }
        _ => unreachable_filter(key)?,
    })
}

/// What makes two terms the same search: text compared without case (the
/// index folds case), filters as written (tags by their folded key).
fn term_key(term: &Term) -> String {
    let sign = if term.negated { "-" } else { "+" };
    match &term.atom {
        Atom::Text { phrase, .. } => format!("{sign}text:{}", phrase.to_lowercase()),
        Atom::Tag(name) => format!("{sign}tag:{}", super::tags::key(name)),
        Atom::TagIds(ids, _) => format!("{sign}tagids:{ids:?}"),
        Atom::Collection(name) => format!("{sign}collection:{}", super::tags::key(name)),
        atom => format!("{sign}{atom:?}"),
    }
}

/// The key of a group of terms joined by `OR`: its term keys, sorted and unique.
fn group_key(group: &[Term]) -> Vec<String> {
    let mut keys: Vec<String> = group.iter().map(term_key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Resolve what a query names in the library: each `tag:` filter becomes
/// the ids of the tags it names (every tag whose name is the same after
/// Unicode normalisation and case folding, so `tag:café` finds a tag
/// written with a combining accent and `tag:ÉTÉ` finds `été`, and every tag
/// below it, so `tag:research` finds `research/2021`; a name no tag has
/// matches nothing), and each `collection:NAME` the saved query of that
/// collection, itself resolved.
///
/// A collection used alone (not negated, not in an `OR`) is spliced into
/// the query, so its words drive the full-text index as if typed. A
/// collection that refers to itself, directly or through others, nesting
/// deeper than [`MAX_COLLECTION_DEPTH`], expanding to more than
/// [`MAX_EXPANDED_TERMS`] terms, or a name no collection has, is refused with
/// [`LibraryError::Query`].
pub(crate) fn resolve(conn: &rusqlite::Connection, query: &mut Query) -> Result<()> {
    let mut budget = MAX_EXPANDED_TERMS;
    let mut exact = ExactScan::default();
    resolve_in(conn, query, &mut Vec::new(), &mut budget, &mut exact)
}

fn resolve_in(
    conn: &rusqlite::Connection,
    query: &mut Query,
    stack: &mut Vec<(String, String)>,
    budget: &mut usize,
    exact: &mut ExactScan,
) -> Result<()> {
    let mut groups = Vec::with_capacity(query.groups.len());
    for group in std::mem::take(&mut query.groups) {
        if let [
            Term {
                negated: false,
                atom: Atom::Collection(name),
            },
        ] = group.as_slice()
        {
            groups.extend(load_collection(conn, name, stack, budget, exact)?.groups);
            continue;
        }
        // `exact:` alone: its folded phrase drives the index (and marks the
        // snippet), the checked ids narrow it down.
        if let [
            Term {
                negated: false,
                atom: Atom::Exact { phrase, raw },
            },
        ] = group.as_slice()
        {
            spend(budget)?;
            let ids = exact.ids(conn, phrase, raw)?;
            groups.push(vec![Term {
                negated: false,
                atom: Atom::Text {
                    phrase: phrase.clone(),
                    raw: raw.clone(),
                },
            }]);
            groups.push(vec![Term {
                negated: false,
                atom: Atom::Ids(ids),
            }]);
            continue;
        }
        let mut out = Vec::with_capacity(group.len());
        for mut term in group {
            spend(budget)?;
            match &term.atom {
                Atom::Tag(name) => {
                    let ids = super::tags::find_tree(conn, name)?;
                    let tagged: i64 = conn
                        .prepare_cached(
                            "SELECT count(*) FROM article_tags
                              WHERE tag_id IN (SELECT value FROM json_each(?1))",
                        )?
                        .query_row([super::codec::json_ids(ids.iter().copied())], |row| {
                            row.get(0)
                        })?;
                    term.atom = Atom::TagIds(ids, u64::try_from(tagged).unwrap_or(0));
                }
                Atom::Collection(name) => {
                    term.atom =
                        Atom::Sub(Box::new(load_collection(conn, name, stack, budget, exact)?));
                }
                Atom::Exact { phrase, raw } => term.atom = Atom::Ids(exact.ids(conn, phrase, raw)?),
                _ => {}
            }
            out.push(term);
        }
        groups.push(out);
    }
    query.groups = groups;
    Ok(())
}

/// Take one term from the expansion budget.
fn spend(budget: &mut usize) -> Result<()> {
    *budget = budget.checked_sub(1).ok_or_else(|| {
        LibraryError::Query(format!(
            "the query's collections expand to more than {MAX_EXPANDED_TERMS} terms"
        ))
    })?;
    Ok(())
}

/// The saved query of the collection `name`, parsed and resolved.
fn load_collection(
    conn: &rusqlite::Connection,
    name: &str,
    stack: &mut Vec<(String, String)>,
    budget: &mut usize,
    exact: &mut ExactScan,
) -> Result<Query> {
    let key = super::tags::key(name);
    if let Some(at) = stack.iter().position(|(k, _)| *k == key) {
        let chain: Vec<&str> = stack[at..].iter().map(|(_, n)| n.as_str()).collect();
        return Err(LibraryError::Query(format!(
            "the collection {:?} refers to itself ({} → {})",
            stack[at].1,
            chain.join(" → "),
            stack[at].1
        )));
    }
    if stack.len() >= MAX_COLLECTION_DEPTH {
        return Err(LibraryError::Query(format!(
            "collections are nested more than {MAX_COLLECTION_DEPTH} deep"
        )));
    }
    let Some((_, stored, text)) = find_collection(conn, name)? else {
        return Err(LibraryError::Query(format!("no collection named {name:?}")));
    };
    let mut sub = parse(&text).map_err(|err| match err {
        LibraryError::Query(m) => LibraryError::Query(format!("in the collection {stored:?}: {m}")),
        other => other,
    })?;
    stack.push((key, stored));
    let resolved = resolve_in(conn, &mut sub, stack, budget, exact);
    stack.pop();
    resolved?;
    Ok(sub)
}

/// Id, name and query of the collection `name` names (by folded key, as
/// tag names are compared). Here rather than in `collections`, which builds
/// on this module, so that resolving a query needs nothing of it.
pub(crate) fn find_collection(
    conn: &rusqlite::Connection,
    name: &str,
) -> Result<Option<(i64, String, String)>> {
    let wanted = super::tags::key(name);
    let mut stmt = conn.prepare_cached("SELECT id, name, query FROM collections ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let stored: String = row.get(1)?;
        if super::tags::key(&stored) == wanted {
            return Ok(Some((row.get(0)?, stored, row.get(2)?)));
        }
    }
    Ok(None)
}

/// [`parse`] and [`resolve`]: a query ready to compile against `conn`.
pub(crate) fn parse_for(conn: &rusqlite::Connection, input: &str) -> Result<Query> {
    let mut query = parse(input)?;
    resolve(conn, &mut query)?;
    Ok(query)
}

fn is_filter(key: &str) -> bool {
    matches!(
        key.to_ascii_lowercase().as_str(),
        "tag"
            | "site"
            | "lang"
            | "before"
            | "after"
            | "captured"
            | "captured-before"
            | "captured-after"
            | "has"
            | "is"
            | "collection"
            | "exact"
    )
}

fn unreachable_filter(key: &str) -> Result<Atom> {
    Err(LibraryError::Query(format!("unknown filter {key}:")))
}

/// Escape `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// True when the SQL of `atom` reads a column of the article row (`a`);
/// every other atom is a set of ids, tested on `id` alone.
fn needs_row(atom: &Atom) -> bool {
    match atom {
        Atom::Lang(_)
        | Atom::Before(_)
        | Atom::After(_)
        | Atom::Captured(_)
        | Atom::CapturedBefore(_)
        | Atom::CapturedAfter(_) => true,
        Atom::Sub(query) => any_atom(query, &needs_row),
        _ => false,
    }
}

/// Most ids a filter may have to drive a query of the full-text index.
///
/// SQLite hands `search_fts.rowid IN (…)` to FTS5 as one `rowid = ?` look-up
/// per id whenever it can, whatever the list's length (it cannot know it),
/// and then sorts: for a filter of 40,000 ids (`site:minghui.org`) that is
/// 40,000 look-ups, slower than walking the text's matches newest first and
/// testing each against the list. A larger (or unknown) set is written
/// `+search_fts.rowid IN (…)`, which SQLite only tests.
pub const DRIVING_IDS: u64 = 1000;

/// The SQL condition for one atom (not negated), on the article id `id`
/// (`a.id`, or `search_fts.rowid` when the article row is not joined).
/// `correlated`: as a lookup per article (for a query over a few articles,
/// e.g. the ones an import just added) instead of a set that is built whole
/// once (for a query over the library).
fn atom_sql(atom: &Atom, params: &mut Vec<Value>, id: &str, correlated: bool) -> String {
    if correlated && let Some(sql) = correlated_sql(atom, params, id) {
        return sql;
    }
    if let Some((set, drives)) = set_sql(atom, params) {
        // `id` for a set that may drive the query, `+id` for one only tested.
        let fts = id == "search_fts.rowid";
        let tested = match drives {
            Drives::Always => false,
            Drives::Never => true,
            Drives::IfFewer(ids) => fts && ids > DRIVING_IDS,
        };
        let plus = if tested { "+" } else { "" };
        return format!("{plus}{id} IN ({set})");
    }
    let mut param = |v: String| {
        params.push(Value::Text(v));
        format!("?{}", params.len())
    };
    match atom {
        Atom::Lang(lang) => {
            let p = param(lang.clone());
            let q = param(format!("{}-%", like_escape(lang)));
            format!("(a.lang = {p} COLLATE NOCASE OR a.lang LIKE {q} ESCAPE '\\')")
        }
        Atom::Before(date) => {
            let p = param(date.clone());
            format!("a.published < {p}")
        }
        Atom::After(date) => {
            let p = param(date.clone());
            format!("a.published >= {p}")
        }
        // Every stored date-time of that year, month or day starts with it
        // and sorts below it followed by `~` (after every digit, `-` and
        // `T`): a range the `articles_captured` index answers.
        Atom::Captured(date) => {
            let p = param(date.clone());
            let q = param(format!("{date}~"));
            format!("(a.captured_at >= {p} AND a.captured_at < {q})")
        }
        Atom::CapturedBefore(date) => {
            let p = param(date.clone());
            format!("a.captured_at < {p}")
        }
        Atom::CapturedAfter(date) => {
            let p = param(date.clone());
            format!("a.captured_at >= {p}")
        }
        Atom::Is(IsFilter::Unread) => {
            format!("{id} NOT IN (SELECT article_id FROM reading_state WHERE read_at IS NOT NULL)")
        }
        // Not resolved (no library at hand), or an empty set: nothing
        // matches. (The other atoms are sets of ids, written above.)
        Atom::Collection(_)
        | Atom::TagIds(..)
        | Atom::Ids(_)
        | Atom::Text { .. }
        | Atom::Exact { .. }
        | Atom::Tag(_)
        | Atom::Site(_)
        | Atom::HasHighlights
        | Atom::HasNote
        | Atom::HasVersions
        | Atom::Is(_) => "0".to_owned(),
        Atom::Sub(query) => {
            let conds: Vec<String> = query
                .groups
                .iter()
                .map(|group| group_sql(group, params, id, correlated))
                .collect();
            if conds.is_empty() {
                "1".to_owned()
            } else {
                format!("({})", conds.join(" AND "))
            }
        }
    }
}

/// Whether a set of ids ([`set_sql`]) may drive a query (SQLite walks the
/// set and looks each id up) or is only tested.
#[derive(Clone, Copy)]
enum Drives {
    Always,
    Never,
    /// When the query is driven by the full-text index, only a set of at
    /// most [`DRIVING_IDS`] may drive it; this one has this many.
    IfFewer(u64),
}

/// The subquery of the article ids an atom stands for, when it is a set of
/// ids (every atom but the ones on the article row, `is:unread`, an empty
/// set and a saved search), and whether it may drive a query.
fn set_sql(atom: &Atom, params: &mut Vec<Value>) -> Option<(String, Drives)> {
    let mut param = |v: Value| {
        params.push(v);
        format!("?{}", params.len())
    };
    Some(match atom {
        // Not resolved: an `exact:` term finds its folded text, as a word would.
        Atom::Text { phrase, .. } | Atom::Exact { phrase, .. } => {
            let p = param(Value::Text(phrase.clone()));
            (
                format!("SELECT rowid FROM search_fts WHERE search_fts MATCH {p}"),
                Drives::Always,
            )
        }
        Atom::Tag(name) => {
            let p = param(Value::Text(name.clone()));
            (
                format!(
                    "SELECT x.article_id FROM article_tags x JOIN tags t ON t.id = x.tag_id \
                     WHERE t.name = {p}"
                ),
                Drives::Always,
            )
        }
        Atom::TagIds(ids, tagged) if !ids.is_empty() => {
            let list: Vec<String> = ids.iter().map(|&id| param(Value::Integer(id))).collect();
            (
                format!(
                    "SELECT article_id FROM article_tags WHERE tag_id IN ({})",
                    list.join(", ")
                ),
                Drives::IfFewer(*tagged),
            )
        }
        // A path: every live site and URL is read, from their covering index
        // (`articles_site_url`), never from the article row.
        Atom::Site(site) if site.contains('/') => {
            let p = param(Value::Text(format!("%{}%", like_escape(site))));
            (
                format!(
                    "SELECT id FROM articles INDEXED BY articles_site_url \
                     WHERE site LIKE {p} ESCAPE '\\' OR canonical_url LIKE {p} ESCAPE '\\'"
                ),
                Drives::Never,
            )
        }
        // Often a third of the library: a list in date order finds its page
        // sooner by testing it than by sorting it.
        Atom::Site(site) => {
            let p = param(Value::Text(format!("%{}%", like_escape(site))));
            (
                format!(
                    "{} UNION ALL {}",
                    distinct_matching("host", "articles_host_live", &p),
                    distinct_matching("site", "articles_site_live", &p)
                ),
                Drives::Never,
            )
        }
        // Small indexed tables.
        Atom::HasHighlights => (
            "SELECT article_id FROM highlights".to_owned(),
            Drives::Always,
        ),
        Atom::HasNote => ("SELECT article_id FROM notes".to_owned(), Drives::Always),
        Atom::HasVersions => (
            "SELECT DISTINCT article_id FROM article_versions".to_owned(),
            Drives::Always,
        ),
        Atom::Is(IsFilter::Read) => (
            "SELECT article_id FROM reading_state WHERE read_at IS NOT NULL".to_owned(),
            Drives::IfFewer(u64::MAX),
        ),
        Atom::Is(IsFilter::Starred) => (
            "SELECT article_id FROM reading_state WHERE starred = 1".to_owned(),
            Drives::Always,
        ),
        Atom::Ids(ids) if !ids.is_empty() => {
            let p = param(Value::Text(super::codec::json_ids(ids.iter().copied())));
            (
                format!("SELECT value FROM json_each({p})"),
                Drives::IfFewer(u64::try_from(ids.len()).unwrap_or(u64::MAX)),
            )
        }
        _ => return None,
    })
}

/// The live articles whose `column` (`host` or `site`) contains the LIKE
/// pattern `p`, all read from `index` (a partial index of live rows on that
/// column): the column's distinct values are walked one seek each (a large
/// library has a few hundred hosts and site names, not 100,000), the
/// matching ones kept, and their articles taken from the same index.
fn distinct_matching(column: &str, index: &str, p: &str) -> String {
    format!(
        "SELECT id FROM articles INDEXED BY {index} WHERE deleted_at IS NULL AND {column} IN (\
         WITH RECURSIVE v(x) AS (\
         SELECT (SELECT min({column}) FROM articles INDEXED BY {index} WHERE deleted_at IS NULL) \
         UNION ALL \
         SELECT (SELECT min({column}) FROM articles INDEXED BY {index} \
         WHERE deleted_at IS NULL AND {column} > v.x) FROM v WHERE v.x IS NOT NULL) \
         SELECT x FROM v WHERE x LIKE {p} ESCAPE '\\')"
    )
}

/// The per-article form (on the article id `id`) of the atoms that
/// [`atom_sql`] writes as sets built whole (`None` for the others).
fn correlated_sql(atom: &Atom, params: &mut Vec<Value>, id: &str) -> Option<String> {
    let reading = |cond: &str| {
        format!("EXISTS (SELECT 1 FROM reading_state r WHERE r.article_id = {id} AND {cond})")
    };
    Some(match atom {
        Atom::Text { phrase, .. } => {
            params.push(Value::Text(phrase.clone()));
            format!(
                "EXISTS (SELECT 1 FROM search_fts f WHERE f.search_fts MATCH ?{} AND f.rowid = {id})",
                params.len()
            )
        }
        Atom::TagIds(ids, _) if !ids.is_empty() => {
            let list: Vec<String> = ids
                .iter()
                .map(|&tag| {
                    params.push(Value::Integer(tag));
                    format!("?{}", params.len())
                })
                .collect();
            format!(
                "EXISTS (SELECT 1 FROM article_tags x WHERE x.article_id = {id} \
                 AND x.tag_id IN ({}))",
                list.join(", ")
            )
        }
        Atom::Site(site) => {
            params.push(Value::Text(format!("%{}%", like_escape(site))));
            let p = params.len();
            let address = if site.contains('/') {
                "canonical_url"
            } else {
                "host"
            };
            format!(
                "EXISTS (SELECT 1 FROM articles s WHERE s.id = {id} \
                 AND (s.site LIKE ?{p} ESCAPE '\\' OR s.{address} LIKE ?{p} ESCAPE '\\'))"
            )
        }
        Atom::HasHighlights => {
            format!("EXISTS (SELECT 1 FROM highlights h WHERE h.article_id = {id})")
        }
        Atom::HasNote => format!("EXISTS (SELECT 1 FROM notes n WHERE n.article_id = {id})"),
        Atom::HasVersions => {
            format!("EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = {id})")
        }
        Atom::Is(IsFilter::Read) => reading("r.read_at IS NOT NULL"),
        Atom::Is(IsFilter::Unread) => format!("NOT {}", reading("r.read_at IS NOT NULL")),
        Atom::Is(IsFilter::Starred) => reading("r.starred = 1"),
        _ => return None,
    })
}

/// The SQL condition of a group of terms joined by `OR`.
fn group_sql(group: &[Term], params: &mut Vec<Value>, id: &str, correlated: bool) -> String {
    let parts: Vec<String> = group
        .iter()
        .map(|t| {
            let sql = atom_sql(&t.atom, params, id, correlated);
            if t.negated {
                format!("NOT ({sql})")
            } else {
                sql
            }
        })
        .collect();
    format!("({})", parts.join(" OR "))
}

/// "Live (not in the trash)" for queries that walk `articles` in an index
/// order: the partial indexes on `articles` are for live rows.
pub(crate) const LIVE: &str = "a.deleted_at IS NULL";

/// "Live" for a scan of `articles` that reads only columns before `body_json`
/// (a count with `site:` or `lang:`): 2.5 times faster there than [`LIVE`].
pub(crate) const LIVE_SCAN: &str =
    "a.id NOT IN (SELECT id FROM articles WHERE deleted_at IS NOT NULL)";

/// "Live" for queries driven by the full-text index: through the trash's own
/// small index, so that no article row is read at all unless a filter needs
/// it, and never past `body_json` (`deleted_at` is stored after it, usually on
/// overflow pages: reading it for 48,000 hits cost over 100 ms).
pub(crate) const LIVE_BY_ID: &str =
    "search_fts.rowid NOT IN (SELECT id FROM articles WHERE deleted_at IS NOT NULL)";

/// Compile a parsed query to SQL. `use_fts_join` says the caller queries
/// [`Compiled::fts_from`] and will add `search_fts MATCH` with
/// [`Compiled::fts`] when set; otherwise all text goes into subqueries.
pub(crate) fn compile(query: &Query, use_fts_join: bool) -> Compiled {
    compile_with(query, use_fts_join, false)
}

/// [`compile`], with `correlated` filters (see [`atom_sql`]): for counting
/// a few articles, such as the ones an import just added.
pub(crate) fn compile_with(query: &Query, use_fts_join: bool, correlated: bool) -> Compiled {
    let mut out = Compiled::default();
    // The liveness condition comes first; which one is known at the end.
    let mut conds = vec![String::new()];
    let mut fts_groups: Vec<String> = Vec::new();
    let mut fts_not: Vec<String> = Vec::new();
    let mut rest: Vec<&Vec<Term>> = Vec::new();
    for group in &query.groups {
        for term in group {
            if let (false, Atom::Text { raw, .. } | Atom::Exact { raw, .. }) =
                (term.negated, &term.atom)
            {
                out.texts.push(raw.clone());
            }
        }
        if is_text_group(group) {
            let phrases: Vec<&str> = group
                .iter()
                .filter_map(|t| match &t.atom {
                    Atom::Text { phrase, .. } => Some(phrase.as_str()),
                    _ => None,
                })
                .collect();
            fts_groups.push(format!("({})", phrases.join(" OR ")));
        } else if let [
            Term {
                negated: true,
                atom: Atom::Text { phrase, .. },
            },
        ] = group.as_slice()
        {
            fts_not.push(phrase.clone());
        } else {
            rest.push(group);
        }
    }
    let fts_driven = use_fts_join && !fts_groups.is_empty();
    conds[0] = if fts_driven { LIVE_BY_ID } else { LIVE }.to_owned();
    // Filters that are sets of ids are tested on the index's rowid: no
    // article row is read for them.
    out.joins_articles = fts_driven
        && rest
            .iter()
            .flat_map(|g| g.iter())
            .any(|t| needs_row(&t.atom));
    let id = if fts_driven && !out.joins_articles {
        "search_fts.rowid"
    } else {
        "a.id"
    };
    if fts_driven {
        // `NOT` is left-associative: `(a AND b) NOT c NOT d`, built in one pass.
        let mut expr = fts_groups.join(" AND ");
        if !fts_not.is_empty() {
            expr = format!("({expr})");
            for not in &fts_not {
                expr.push_str(" NOT ");
                expr.push_str(not);
            }
        }
        out.fts = Some(expr);
    } else {
        for g in &fts_groups {
            out.params.push(Value::Text(g.clone()));
            conds.push(format!(
                "a.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?{})",
                out.params.len()
            ));
        }
        for not in &fts_not {
            out.params.push(Value::Text(not.clone()));
            conds.push(format!(
                "a.id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?{})",
                out.params.len()
            ));
        }
    }
    for group in rest {
        conds.push(group_sql(group, &mut out.params, id, correlated));
    }
    out.where_sql = conds.join(" AND ");
    out
}

/// A query without text whose every condition tests article ids (no date,
/// language or other column of the article row), compiled to run over one
/// of its sets: the `FROM` clause `a` (one column `id`, each id once) of the
/// first term that stands alone in its group and is a set, and the other
/// conditions on `a.id`. Counting `site:` or `tag:` matches, or bucketing
/// them by month, then reads the set and never seeks an article row (a row
/// of `articles` is nearly a page of its own: seeking 33,000 of them cost
/// more than the whole count).
pub(crate) fn compile_over_set(query: &Query) -> Option<(String, Compiled)> {
    if has_text(query) || any_atom(query, &needs_row) {
        return None;
    }
    let mut scratch = Vec::new();
    let (at, atom) =
        query
            .groups
            .iter()
            .enumerate()
            .find_map(|(at, group)| match group.as_slice() {
                [
                    Term {
                        negated: false,
                        atom,
                    },
                ] => set_sql(atom, &mut scratch).map(|_| (at, atom)),
                _ => None,
            })?;
    let mut rest = query.clone();
    rest.groups.remove(at);
    let mut compiled = compile_with(&rest, false, false);
    // The set's parameters are numbered after the other conditions'.
    let (set, _) = set_sql(atom, &mut compiled.params)?;
    compiled.where_sql = compiled.where_sql.replacen(LIVE, LIVE_SCAN, 1);
    Some((
        format!("(WITH d(id) AS ({set}) SELECT DISTINCT id FROM d) a"),
        compiled,
    ))
}

/// True when every term of `group` is a word or phrase to find (none
/// negated): such groups are what the full-text index looks up.
fn is_text_group(group: &[Term]) -> bool {
    group
        .iter()
        .all(|t| !t.negated && matches!(t.atom, Atom::Text { .. }))
}

/// True when `query` has text for the full-text index to find: it is then
/// driven by the index ([`Compiled::fts`] with `use_fts_join`).
pub(crate) fn has_text(query: &Query) -> bool {
    query.groups.iter().any(|g| is_text_group(g))
}

/// True when some atom of `query` (saved searches included) satisfies `hit`.
pub(crate) fn any_atom(query: &Query, hit: &impl Fn(&Atom) -> bool) -> bool {
    query.groups.iter().flatten().any(|term| match &term.atom {
        Atom::Sub(inner) => any_atom(inner, hit),
        atom => hit(atom),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_segmented() {
        assert_eq!(phrase("小米11", true).as_deref(), Some("\"小 米 11\" *"));
        assert_eq!(phrase("小米", true).as_deref(), Some("\"小 米\""));
        assert_eq!(phrase("gov", true).as_deref(), Some("\"gov\" *"));
        assert_eq!(phrase("t", true).as_deref(), Some("\"t\""));
        assert_eq!(phrase("小米1", true).as_deref(), Some("\"小 米 1\" *"));
        assert_eq!(
            phrase("hello world", false).as_deref(),
            Some("\"hello world\"")
        );
        assert_eq!(phrase("，", true), None);
    }

    #[test]
    fn filters_and_or_groups() {
        let q = parse("小米 tag:a OR tag:\"b c\" -tag:d after:2024-01-01").unwrap_or_default();
        assert_eq!(q.groups.len(), 4);
        assert_eq!(q.groups[1].len(), 2);
        assert_eq!(q.groups[1][1].atom, Atom::Tag("b c".into()));
        assert!(q.groups[2][0].negated);
    }

    #[test]
    fn bad_dates_are_refused() {
        assert!(parse("before:yesterday").is_err());
        assert!(parse("before:2024-1-1").is_err());
        assert!(parse("after:2024-05").is_ok());
    }

    #[test]
    fn dates_are_calendar_dates() {
        for good in [
            "2024",
            "2024-12",
            "2024-02-29",
            "2000-02-29",
            "2023-04-30",
            "1999-12-31",
        ] {
            assert!(super::super::codec::valid_date(good), "{good}");
        }
        for bad in [
            "2022-13-45",
            "2022-02-30",
            "2023-02-29",
            "1900-02-29",
            "2024-00",
            "2024-04-31",
            "2024-01-00",
            "2024-1",
            "20240101",
        ] {
            assert!(!super::super::codec::valid_date(bad), "{bad}");
        }
    }

    #[test]
    fn repeated_terms_are_kept_once() {
        let q = parse("the THE the OR a a OR the -x -x tag:t TAG:t").unwrap_or_default();
        let keys: Vec<Vec<String>> = q.groups.iter().map(|g| group_key(g)).collect();
        assert_eq!(q.groups.len(), 4, "{keys:?}");
        // "the OR a" and "a OR the" are one group.
        assert_eq!(q.groups[1].len(), 2);
        let many = parse(&"the ".repeat(250)).unwrap_or_default();
        assert_eq!(many.groups.len(), 1);
        assert_eq!(compile(&many, true).fts.as_deref(), Some("(\"the\" *)"));
    }

    #[test]
    fn excluded_words_are_appended_not_nested() {
        let q = parse("a -bb -cc").unwrap_or_default();
        assert_eq!(
            compile(&q, true).fts.as_deref(),
            Some("((\"a\")) NOT \"bb\" * NOT \"cc\" *")
        );
    }

    #[test]
    fn filter_values_may_follow_a_space() {
        let q = parse("Site: example.com OR lang: en").unwrap_or_default();
        assert_eq!(
            q.groups,
            [vec![
                Term {
                    negated: false,
                    atom: Atom::Site("example.com".into())
                },
                Term {
                    negated: false,
                    atom: Atom::Lang("en".into())
                }
            ]]
        );
        assert!(parse("tag:").is_err());
        assert!(parse("tag: OR x").is_err());
    }

    #[test]
    fn limits_are_named_in_the_message() {
        let long = "x".repeat(MAX_QUERY_CHARS + 1);
        assert!(
            matches!(parse(&long), Err(LibraryError::Query(m)) if m.contains("1000 characters"))
        );
        assert!(parse(&"x".repeat(MAX_QUERY_CHARS)).is_ok());
    }

    #[test]
    fn unknown_keys_are_text() {
        let q = parse("http://example.com").unwrap_or_default();
        assert!(matches!(q.groups[0][0].atom, Atom::Text { .. }));
    }
}

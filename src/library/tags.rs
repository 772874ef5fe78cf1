//! User tags: names, colours, links to articles.
//!
//! Tag names: every name that comes in (CLI, window, merge, the `tag:`
//! filter) is trimmed and put in Unicode NFC ([`normalize`]), and two names
//! are the same tag when their [`key`]s (NFC, Unicode case folding) are equal:
//! `café` typed precomposed or with a combining accent, `été` and `ÉTÉ`, are
//! one tag, kept as first written. A new name must be valid ([`validate`]): no
//! control or invisible characters (bidi controls, zero-width spaces) and no
//! empty part between slashes (`parent/child` is fine; `/`, `a/`, `a//b` are
//! not), at most [`MAX_TAG_DEPTH`] levels and [`MAX_TAG_CHARS`] characters
//! (`tag add`, rename and merge refuse a longer one, saying so). Libraries
//! written before these rules keep their tags: look-ups
//! compare keys, so the old spellings are found, and a tag with an old invalid
//! name can still be renamed or deleted.
//!
//! Hierarchy: a `/` in a name makes a path (`research/2021` is a child of
//! `research`). Paths are compared part by part by [`path_key`] (each part's
//! [`key`], spaces around slashes ignored). Promises:
//! * `tag:research` matches `research` and every tag below it
//!   (`research/2021`, `Research/2021/q1`), and `-tag:research` excludes them
//!   all ([`find_tree`]); a parent need not exist as a tag of its own;
//! * renaming a tag renames the tags below it (`research` → `study` makes
//!   `research/2021` → `study/2021`, merging into tags that exist already);
//!   a tag cannot be moved below itself;
//! * colours are inherited: a tag without a colour of its own shows the
//!   colour of its nearest coloured ancestor ([`TagNode::colour`]); colouring
//!   a parent that is only a path creates it as a tag (on no article);
//! * [`tag_tree`] counts each live article once per node, however many tags
//!   below the node it carries.

use rusqlite::{Connection, OptionalExtension as _, params};
use unicode_normalization::UnicodeNormalization as _;

use super::error::{LibraryError, Result};
use super::types::{ArticleId, TagCount, TagNode, TagState};

/// Fail with [`LibraryError::NoSuchArticle`] unless `id` exists.
pub(crate) fn ensure_article(conn: &Connection, id: ArticleId) -> Result<()> {
    let exists: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?1)")?
        .query_row([id.0], |row| row.get(0))?;
    if exists {
        Ok(())
    } else {
        Err(LibraryError::NoSuchArticle(id))
    }
}

/// A tag name as stored and compared: trimmed, in Unicode NFC.
pub(crate) fn normalize(name: &str) -> String {
    name.trim().nfc().collect()
}

/// What makes two tag names the same tag: NFC and Unicode case folding
/// (upper- then lower-casing, so `ß` matches `SS` and `ς` matches `Σ`).
pub(crate) fn key(name: &str) -> String {
    let nfc: String = name.trim().nfc().collect();
    nfc.to_uppercase().to_lowercase().nfc().collect()
}

/// The [`key`] of each part of a tag path (`Research / 2021` → `research`,
/// `2021`): what makes a tag a parent of another.
pub(crate) fn path_key(name: &str) -> Vec<String> {
    name.split('/').map(key).collect()
}

/// The parts of `name` as written, trimmed.
pub(crate) fn path_parts(name: &str) -> Vec<String> {
    name.split('/').map(|p| p.trim().to_owned()).collect()
}

/// True for characters a tag name may not hold: control characters and
/// invisible ones that make two names look alike or reorder the text around
/// them (bidi controls, zero-width spaces and joiners used as spaces, the BOM,
/// the soft hyphen, line and paragraph separators). The zero-width joiner and
/// non-joiner stay allowed: emoji sequences and some scripts need them.
pub(crate) fn refused_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Most levels a tag path may have (`research/2021/q1` has 3).
pub const MAX_TAG_DEPTH: usize = 16;

/// Most characters a tag name may have, slashes included.
pub const MAX_TAG_CHARS: usize = 256;

/// Why `name` (normalised) is past the tag limits, if it is.
pub(crate) fn over_limits(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if chars > MAX_TAG_CHARS {
        return Some(format!(
            "it has {chars} characters; a tag can have at most {MAX_TAG_CHARS}"
        ));
    }
    let depth = name.split('/').count();
    (depth > MAX_TAG_DEPTH).then(|| {
        format!("it is {depth} levels deep; a tag can be at most {MAX_TAG_DEPTH} levels deep")
    })
}

/// A new tag name, normalised ([`normalize`]), or why it cannot be one.
pub(crate) fn validate(name: &str) -> Result<String> {
    let name = normalize(name);
    let bad = |reason: &str| {
        Err(LibraryError::BadTagName {
            name: name.clone(),
            reason: reason.to_owned(),
        })
    };
    if name.is_empty() {
        return Err(LibraryError::EmptyTagName);
    }
    if let Some(c) = name.chars().find(|&c| refused_char(c)) {
        return bad(&format!(
            "it holds the invisible or control character U+{:04X}",
            u32::from(c)
        ));
    }
    if name.split('/').any(|part| part.trim().is_empty()) {
        return bad("a part between slashes is empty (write parent/child)");
    }
    if let Some(reason) = over_limits(&name) {
        return bad(&reason);
    }
    Ok(name)
}

/// A tag name from another library (a merge), made valid: refused characters
/// removed, empty parts between slashes dropped; `None` when nothing is left.
pub(crate) fn sanitize(name: &str) -> Option<String> {
    let name: String = normalize(name)
        .chars()
        .filter(|&c| !refused_char(c))
        .collect();
    let parts: Vec<&str> = name
        .split('/')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The tag `name` names: one written the same way (ASCII case aside), else
/// the oldest whose [`key`] is the same.
fn tag_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    let name = normalize(name);
    let exact = conn
        .prepare_cached("SELECT id FROM tags WHERE name = ?1")?
        .query_row([&name], |row| row.get(0))
        .optional()?;
    if exact.is_some() {
        return Ok(exact);
    }
    Ok(find_all(conn, &name)?.into_iter().next())
}

/// Every tag whose [`key`] is that of `name`, oldest first (more than one
/// only in a library written before tag names were normalised).
pub(crate) fn find_all(conn: &Connection, name: &str) -> Result<Vec<i64>> {
    let wanted = key(name);
    let mut ids = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT id, name FROM tags ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let stored: String = row.get(1)?;
        if key(&stored) == wanted {
            ids.push(row.get(0)?);
        }
    }
    Ok(ids)
}

/// Every tag at or below `name` in the hierarchy (its [`path_key`] starts
/// with that of `name`), oldest first: what `tag:NAME` matches.
pub(crate) fn find_tree(conn: &Connection, name: &str) -> Result<Vec<i64>> {
    Ok(tree_members(conn, name)?
        .into_iter()
        .map(|(id, _, _)| id)
        .collect())
}

/// The tags at or below `name`: id, name as stored, and true for the tag
/// itself (same [`path_key`]), oldest first.
fn tree_members(conn: &Connection, name: &str) -> Result<Vec<(i64, String, bool)>> {
    let wanted = path_key(&normalize(name));
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT id, name FROM tags ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let stored: String = row.get(1)?;
        let path = path_key(&stored);
        if path.starts_with(&wanted) {
            out.push((row.get(0)?, stored, path.len() == wanted.len()));
        }
    }
    Ok(out)
}

/// The id of the tag `name` (validated), created (with `colour`) when no tag
/// has its [`key`]; true when it was created.
pub(crate) fn ensure_tag(tx: &Connection, name: &str, colour: Option<&str>) -> Result<(i64, bool)> {
    let name = validate(name)?;
    if let Some(id) = tag_id(tx, &name)? {
        return Ok((id, false));
    }
    tx.prepare_cached("INSERT INTO tags (name, colour) VALUES (?1, ?2)")?
        .execute(params![name, colour])?;
    Ok((tx.last_insert_rowid(), true))
}

/// The user tags of one article, sorted by name (case-insensitive).
pub(crate) fn article_tags(conn: &Connection, id: ArticleId) -> Result<Vec<String>> {
    let tags = conn
        .prepare_cached(
            "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
             WHERE x.article_id = ?1 ORDER BY t.name COLLATE NOCASE",
        )?
        .query_map([id.0], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(tags)
}

pub(crate) fn add_tags(tx: &Connection, id: ArticleId, names: &[&str]) -> Result<()> {
    ensure_article(tx, id)?;
    for name in names {
        let (tag, _) = ensure_tag(tx, name, None)?;
        link_tag_id(tx, id, tag)?;
    }
    Ok(())
}

/// What [`merge_tag`] did with a tag from another library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MergedTag {
    /// The article has the tag, which was created.
    Created,
    /// The article has the tag, which existed.
    Existing,
    /// Nothing: no valid name was left of it.
    Empty,
    /// Refused: past the limits ([`MAX_TAG_DEPTH`], [`MAX_TAG_CHARS`]); the
    /// merge reports it.
    OverLimits,
}

/// Give article `id` a tag from another library (a merge): its name made
/// valid with [`sanitize`] (skipped when nothing is left, refused past the
/// limits), matched by [`key`], created with `colour` when missing; an
/// existing tag without a colour takes `colour`.
pub(crate) fn merge_tag(
    tx: &Connection,
    id: ArticleId,
    name: &str,
    colour: Option<&str>,
) -> Result<MergedTag> {
    let Some(name) = sanitize(name) else {
        return Ok(MergedTag::Empty);
    };
    if over_limits(&name).is_some() {
        return Ok(MergedTag::OverLimits);
    }
    let (tag, created) = ensure_tag(tx, &name, colour)?;
    if !created && colour.is_some() {
        tx.prepare_cached("UPDATE tags SET colour = ?2 WHERE id = ?1 AND colour IS NULL")?
            .execute(params![tag, colour])?;
    }
    link_tag_id(tx, id, tag)?;
    Ok(if created {
        MergedTag::Created
    } else {
        MergedTag::Existing
    })
}

/// Attach the tag with id `tag` to article `id` (once).
fn link_tag_id(tx: &Connection, id: ArticleId, tag: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO article_tags (article_id, tag_id) VALUES (?1, ?2)
         ON CONFLICT(article_id, tag_id) DO NOTHING",
    )?
    .execute(params![id.0, tag])?;
    Ok(())
}

pub(crate) fn remove_tags(tx: &Connection, id: ArticleId, names: &[&str]) -> Result<()> {
    ensure_article(tx, id)?;
    for name in names {
        for tag in find_all(tx, name)? {
            tx.prepare_cached("DELETE FROM article_tags WHERE article_id = ?1 AND tag_id = ?2")?
                .execute(params![id.0, tag])?;
        }
    }
    Ok(())
}

pub(crate) fn tags(conn: &Connection) -> Result<Vec<TagCount>> {
    let tags = conn
        .prepare_cached(
            // Live through the trash's own index: no article row is read.
            "SELECT t.name, count(x.article_id), t.colour FROM tags t
             LEFT JOIN article_tags x ON x.tag_id = t.id
                  AND x.article_id NOT IN (SELECT id FROM articles WHERE deleted_at IS NOT NULL)
             GROUP BY t.id ORDER BY t.name COLLATE NOCASE, t.id",
        )?
        .query_map([], |row| {
            Ok(TagCount {
                name: row.get(0)?,
                count: u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
                colour: row.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(tags)
}

/// Rename the tag `old` and every tag below it; see the module docs.
pub(crate) fn rename_tag(tx: &Connection, old: &str, new: &str) -> Result<()> {
    let new = validate(new)?;
    let members = tree_members(tx, old)?;
    if members.is_empty() {
        return Err(LibraryError::NoSuchTag(old.to_owned()));
    }
    let (old_path, new_path) = (path_key(&normalize(old)), path_key(&new));
    let old_depth = old_path.len();
    if new_path.len() > old_path.len() && new_path.starts_with(&old_path) {
        return Err(LibraryError::BadTagName {
            name: new,
            reason: format!("it is below {:?}, the tag being renamed", old.trim()),
        });
    }
    // The tag itself first (the oldest spelling wins), then its children by
    // depth, so a child merges into a renamed parent's existing children.
    let mut members = members;
    members.sort_by_key(|(id, name, itself)| (!itself, path_key(name).len(), *id));
    for (id, name, _) in members {
        let mut rest = path_parts(&name);
        let rest = rest.split_off(old_depth.min(rest.len()));
        let target = std::iter::once(new.clone())
            .chain(rest)
            .collect::<Vec<_>>()
            .join("/");
        if let Some(reason) = over_limits(&target) {
            return Err(LibraryError::BadTagName {
                name: new,
                reason: format!("the tag below it {target:?} would be past the limits: {reason}"),
            });
        }
        rename_one(tx, id, &target)?;
    }
    Ok(())
}

/// Rename the tag `old_id` to `new` (valid), merging it into the tag that
/// has that name already, if any.
fn rename_one(tx: &Connection, old_id: i64, new: &str) -> Result<()> {
    match tag_id(tx, new)? {
        Some(new_id) if new_id != old_id => {
            tx.execute(
                "INSERT INTO article_tags (article_id, tag_id)
                 SELECT article_id, ?2 FROM article_tags WHERE tag_id = ?1
                 ON CONFLICT(article_id, tag_id) DO NOTHING",
                params![old_id, new_id],
            )?;
            // The merged tag keeps its colour, or takes the old one's.
            tx.execute(
                "UPDATE tags SET colour = (SELECT colour FROM tags WHERE id = ?1)
                 WHERE id = ?2 AND colour IS NULL",
                params![old_id, new_id],
            )?;
            tx.execute("DELETE FROM tags WHERE id = ?1", [old_id])?;
        }
        _ => {
            tx.execute(
                "UPDATE tags SET name = ?2 WHERE id = ?1",
                params![old_id, new],
            )?;
        }
    }
    Ok(())
}

/// Of `ids`, those carrying the tag `name` (by [`key`]), in the order
/// given; `None` when no tag has that name.
pub(crate) fn having(
    conn: &Connection,
    ids: &[ArticleId],
    name: &str,
) -> Result<Option<Vec<ArticleId>>> {
    let tags = find_all(conn, name)?;
    if tags.is_empty() {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM article_tags WHERE article_id = ?1 AND tag_id = ?2)",
    )?;
    let mut out = Vec::new();
    for &id in ids {
        for &tag in &tags {
            if stmt.query_row(params![id.0, tag], |row| row.get::<_, bool>(0))? {
                out.push(id);
                break;
            }
        }
    }
    Ok(Some(out))
}

/// Every tag at or below each of `roots` (once each, oldest first per
/// root): its name as stored, its own colour and its articles.
pub(crate) fn snapshot(conn: &Connection, roots: &[&str]) -> Result<Vec<TagState>> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for root in roots {
        for (id, name, _) in tree_members(conn, root)? {
            if !seen.insert(id) {
                continue;
            }
            let colour = conn
                .prepare_cached("SELECT colour FROM tags WHERE id = ?1")?
                .query_row([id], |row| row.get(0))?;
            let articles = conn
                .prepare_cached(
                    "SELECT article_id FROM article_tags WHERE tag_id = ?1 ORDER BY article_id",
                )?
                .query_map([id], |row| Ok(ArticleId(row.get(0)?)))?
                .collect::<Result<_, _>>()?;
            out.push(TagState {
                name,
                colour,
                articles,
            });
        }
    }
    Ok(out)
}

/// Put the trees of `roots` back as [`snapshot`] read them: a tag there now
/// that was not is deleted, each tag of `tags` is made again when missing
/// and given its colour and exactly its articles (those still stored).
pub(crate) fn restore(tx: &Connection, roots: &[String], tags: &[TagState]) -> Result<()> {
    let wanted: std::collections::BTreeSet<String> = tags.iter().map(|t| key(&t.name)).collect();
    for root in roots {
        for (id, name, _) in tree_members(tx, root)? {
            if !wanted.contains(&key(&name)) {
                tx.execute("DELETE FROM tags WHERE id = ?1", [id])?;
            }
        }
    }
    for tag in tags {
        let id = match tag_id(tx, &tag.name)? {
            Some(id) => id,
            None => {
                // The name as it was stored (a library's old spelling
                // included), not checked again.
                tx.prepare_cached("INSERT INTO tags (name, colour) VALUES (?1, ?2)")?
                    .execute(params![tag.name, tag.colour])?;
                tx.last_insert_rowid()
            }
        };
        tx.prepare_cached("UPDATE tags SET colour = ?2 WHERE id = ?1")?
            .execute(params![id, tag.colour])?;
        tx.prepare_cached("DELETE FROM article_tags WHERE tag_id = ?1")?
            .execute([id])?;
        let mut link = tx.prepare_cached(
            "INSERT INTO article_tags (article_id, tag_id)
             SELECT id, ?2 FROM articles WHERE id = ?1
             ON CONFLICT(article_id, tag_id) DO NOTHING",
        )?;
        for article in &tag.articles {
            link.execute(params![article.0, id])?;
        }
    }
    Ok(())
}

pub(crate) fn delete_tag(tx: &Connection, name: &str) -> Result<()> {
    let id = tag_id(tx, name)?.ok_or_else(|| LibraryError::NoSuchTag(name.to_owned()))?;
    tx.execute("DELETE FROM tags WHERE id = ?1", [id])?;
    Ok(())
}

/// True for a tag colour as Folio stores it: `#rrggbb`.
pub(crate) fn valid_colour(colour: &str) -> bool {
    colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Set or clear the colour of the tag `name`; a parent that is only a path
/// (`research` while `research/2021` exists) is created to hold it.
pub(crate) fn set_tag_colour(tx: &Connection, name: &str, colour: Option<&str>) -> Result<()> {
    if let Some(colour) = colour.filter(|c| !valid_colour(c)) {
        return Err(LibraryError::BadColour(colour.to_owned()));
    }
    let id = match tag_id(tx, name)? {
        Some(id) => id,
        None if !tree_members(tx, name)?.is_empty() => ensure_tag(tx, name, None)?.0,
        None => return Err(LibraryError::NoSuchTag(name.to_owned())),
    };
    tx.execute(
        "UPDATE tags SET colour = ?2 WHERE id = ?1",
        params![id, colour],
    )?;
    Ok(())
}

/// The tag hierarchy with counts, depth first, siblings by name
/// (case-insensitive); see [`TagNode`].
/// `parts` with those past [`MAX_TAG_DEPTH`] joined into the last one.
fn capped(mut parts: Vec<String>) -> Vec<String> {
    if parts.len() > MAX_TAG_DEPTH {
        let rest = parts.split_off(MAX_TAG_DEPTH - 1).join("/");
        parts.push(rest);
    }
    parts
}

pub(crate) fn tag_tree(conn: &Connection) -> Result<Vec<TagNode>> {
    tag_tree_since(conn, 0)
}

/// [`tag_tree`] counting only the articles added after the article `since`
/// (every tag has its node, most with counts of 0): what an import that
/// replaced nothing adds to each node's counts.
pub(crate) fn tag_tree_since(conn: &Connection, since: i64) -> Result<Vec<TagNode>> {
    // Every tag, grouped into nodes by path key (a parent that is only a
    // path gets a node of its own).
    let mut stmt = conn.prepare_cached("SELECT id, name, colour FROM tags ORDER BY id")?;
    let tags: Vec<(i64, String, Option<String>)> = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut index: std::collections::HashMap<Vec<String>, usize> = std::collections::HashMap::new();
    let mut nodes: Vec<TagNode> = Vec::new();
    let mut paths: Vec<Vec<String>> = Vec::new();
    let mut node_of_tag: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for (id, name, colour) in &tags {
        // A tag deeper than the limit (written before it) is shown with
        // its deepest levels as one: each tag adds at most MAX_TAG_DEPTH
        // nodes, and building the tree stays linear in the names.
        let parts = capped(path_parts(name));
        let keys = capped(path_key(name));
        for depth in 1..=keys.len() {
            let prefix = keys[..depth].to_vec();
            let at = *index.entry(prefix.clone()).or_insert_with(|| {
                nodes.push(TagNode {
                    name: parts[..depth].join("/"),
                    label: parts[depth - 1].clone(),
                    depth: depth - 1,
                    exists: false,
                    count: 0,
                    total: 0,
                    colour: None,
                    own_colour: None,
                });
                paths.push(prefix);
                nodes.len() - 1
            });
            if depth == keys.len() {
                let node = &mut nodes[at];
                if !node.exists {
                    // The oldest tag of this path names the node.
                    node.name = name.trim().to_owned();
                    node.label = parts[depth - 1].clone();
                    node.exists = true;
                }
                if node.own_colour.is_none() {
                    node.own_colour = colour.clone();
                }
                node_of_tag.insert(*id, at);
            }
        }
    }
    // Each node's ancestors (itself included), by node index.
    let ancestors: Vec<Vec<usize>> = paths
        .iter()
        .map(|p| {
            (1..=p.len())
                .filter_map(|d| index.get(&p[..d]).copied())
                .collect()
        })
        .collect();
    // One pass over the links, in article order (the covering
    // UNIQUE(article_id, tag_id) index), so one stamp per node tells whether
    // this article was counted there. Trashed articles are skipped in Rust
    // (a bitmap from the trash's own index): cheaper per link than a
    // `NOT IN` probe, and the dense tables below avoid hashing per link.
    let max_id: i64 = conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM articles")?
        .query_row([], |row| row.get(0))?;
    let slot = |id: i64| usize::try_from(id).ok();
    let mut trashed = vec![false; slot(max_id).map_or(0, |m| m + 1)];
    let mut stmt = conn.prepare_cached("SELECT id FROM articles WHERE deleted_at IS NOT NULL")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if let Some(flag) = slot(row.get(0)?).and_then(|i| trashed.get_mut(i)) {
            *flag = true;
        }
    }
    let max_tag = tags.iter().map(|(id, _, _)| *id).max().unwrap_or(0);
    let mut node_by_tag: Vec<Option<usize>> = vec![None; slot(max_tag).map_or(0, |m| m + 1)];
    for (tag, node) in &node_of_tag {
        if let Some(entry) = slot(*tag).and_then(|i| node_by_tag.get_mut(i)) {
            *entry = Some(*node);
        }
    }
    let mut stamp: Vec<i64> = vec![i64::MIN; nodes.len()];
    let mut own_stamp: Vec<i64> = vec![i64::MIN; nodes.len()];
    let mut links = conn.prepare_cached(
        "SELECT article_id, tag_id FROM article_tags WHERE article_id > ?1 ORDER BY article_id",
    )?;
    let mut rows = links.query([since])?;
    while let Some(row) = rows.next()? {
        let (article, tag): (i64, i64) = (row.get(0)?, row.get(1)?);
        if slot(article)
            .and_then(|i| trashed.get(i))
            .copied()
            .unwrap_or(false)
        {
            continue;
        }
        let Some(node) = slot(tag)
            .and_then(|i| node_by_tag.get(i))
            .copied()
            .flatten()
        else {
            continue;
        };
        // Per node: an article with two spellings of one tag counts once.
        if own_stamp[node] != article {
            own_stamp[node] = article;
            nodes[node].count += 1;
        }
        for &up in &ancestors[node] {
            if stamp[up] != article {
                stamp[up] = article;
                nodes[up].total += 1;
            }
        }
    }
    // Inherited colours: the nearest ancestor's own colour.
    for (at, ups) in ancestors.iter().enumerate() {
        nodes[at].colour = ups
            .iter()
            .rev()
            .find_map(|&up| nodes[up].own_colour.clone());
    }
    // Depth first, siblings by folded name.
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| paths[a].cmp(&paths[b]).then(a.cmp(&b)));
    let mut nodes: Vec<Option<TagNode>> = nodes.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .filter_map(|at| nodes[at].take())
        .collect())
}

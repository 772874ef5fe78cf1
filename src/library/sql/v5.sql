-- Folio library schema, version 5: the search index folds Simplified and
-- Traditional Chinese, character widths and compatibility forms.
--
-- `search_text` keeps what the index holds: each text folded one character
-- at a time (library::fold: NFKC, then OpenCC's Traditional → Simplified
-- character table) and segmented (library::segment). No table changes; the
-- upgrade rewrites every row in Rust between the two halves of this script,
-- with the update trigger dropped (its per-row 'delete' of the old tokens is
-- not needed: the index is rebuilt whole at the end), all in the one
-- transaction of the upgrade.
DROP TRIGGER search_text_au;

-- `site:` reads the site and URL of every live article (a substring test,
-- no index can seek it): from this covering index, a few megabytes, rather
-- than from the article rows, each nearly a page of its own (`body_json`).
CREATE INDEX articles_site_url ON articles(site, canonical_url);

-- Rust rewrites search_text at the next line.
-- @refold

CREATE TRIGGER search_text_au AFTER UPDATE ON search_text BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, body, notes, comments)
    VALUES ('delete', old.article_id, old.title, old.body, old.notes, old.comments);
    INSERT INTO search_fts(rowid, title, body, notes, comments)
    VALUES (new.article_id, new.title, new.body, new.notes, new.comments);
END;

INSERT INTO search_fts(search_fts) VALUES ('rebuild');

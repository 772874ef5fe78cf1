-- Folio library schema, version 4: highlights with comments.
--
-- A highlight is a W3C Web Annotation over the article's canonical text
-- (`model::canonical`): a TextQuoteSelector (`exact`, `prefix`, `suffix`)
-- and a TextPositionSelector (`start_char`, `end_char`, counted in Unicode
-- code points), plus the path of the block it starts in as a hint. When the
-- body changes, Folio re-anchors every highlight in the same transaction; a
-- highlight it cannot find again is kept with `orphan = 1`, never deleted.
CREATE TABLE highlights (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    colour      TEXT NOT NULL DEFAULT 'yellow',   -- yellow, green, blue, pink, purple, orange
    comment     TEXT NOT NULL DEFAULT '',
    exact       TEXT NOT NULL,
    prefix      TEXT NOT NULL DEFAULT '',
    suffix      TEXT NOT NULL DEFAULT '',
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    block_hint  TEXT,                 -- e.g. `3.1`: indices into the body (model::canonical)
    orphan      INTEGER NOT NULL DEFAULT 0 CHECK (orphan IN (0, 1)),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE INDEX highlights_article ON highlights(article_id, start_char);

CREATE INDEX highlights_orphan ON highlights(article_id) WHERE orphan = 1;

-- The comments are searchable: a fourth column of the search index, kept in
-- step by Folio (segmented like the body, see library::segment).
ALTER TABLE search_text ADD COLUMN comments TEXT NOT NULL DEFAULT '';

DROP TRIGGER search_text_ai;
DROP TRIGGER search_text_ad;
DROP TRIGGER search_text_au;
DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body, notes, comments,
    content='search_text', content_rowid='article_id',
    tokenize='unicode61 remove_diacritics 2',
    prefix='2 3'
);

CREATE TRIGGER search_text_ai AFTER INSERT ON search_text BEGIN
    INSERT INTO search_fts(rowid, title, body, notes, comments)
    VALUES (new.article_id, new.title, new.body, new.notes, new.comments);
END;

CREATE TRIGGER search_text_ad AFTER DELETE ON search_text BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, body, notes, comments)
    VALUES ('delete', old.article_id, old.title, old.body, old.notes, old.comments);
END;

CREATE TRIGGER search_text_au AFTER UPDATE ON search_text BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, body, notes, comments)
    VALUES ('delete', old.article_id, old.title, old.body, old.notes, old.comments);
    INSERT INTO search_fts(rowid, title, body, notes, comments)
    VALUES (new.article_id, new.title, new.body, new.notes, new.comments);
END;

INSERT INTO search_fts(search_fts) VALUES ('rebuild');

DROP VIEW article_overview;

CREATE VIEW article_overview AS
SELECT a.id,
       a.title,
       a.published,
       a.site,
       a.url,
       (SELECT group_concat(name, ', ')
          FROM (SELECT t.name AS name FROM article_tags x JOIN tags t ON t.id = x.tag_id
                 WHERE x.article_id = a.id ORDER BY t.name COLLATE NOCASE)) AS tags,
       n.body AS note,
       (SELECT count(*) FROM highlights h WHERE h.article_id = a.id) AS highlights
  FROM articles a
  LEFT JOIN notes n ON n.article_id = a.id
 WHERE a.deleted_at IS NULL;

-- Folio library schema, version 4 (organising): saved searches, reading
-- state, and indexes that keep every sort order index-driven with undated
-- or siteless articles last.

-- A saved search. `name` is unique by Folio's folded key (NFC and Unicode
-- case folding, checked in Rust as for tag names); COLLATE NOCASE here
-- refuses the ASCII-only clashes even to a plain `sqlite3`. `query` is
-- query-language text, expanded where `collection:NAME` is used.
CREATE TABLE collections (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    query       TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Reading state, one row per article that has any: a table of its own rather
-- than columns of `articles`, whose rows keep `body_json` before any added
-- column (a filter or count on such a column would read each body's overflow
-- pages). No row: unread, not starred, never opened.
CREATE TABLE reading_state (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    read_at     TEXT,                -- when it was marked read (UTC, RFC 3339); NULL: unread
    starred     INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
    position    REAL CHECK (position >= 0.0 AND position <= 1.0)  -- reading position, 0..1
);

CREATE INDEX reading_state_read ON reading_state(read_at) WHERE read_at IS NOT NULL;

CREATE INDEX reading_state_starred ON reading_state(article_id) WHERE starred = 1;

-- Oldest first with undated articles last: `ORDER BY published IS NULL, published, id`.
CREATE INDEX articles_published_asc ON articles(published IS NULL, published)
    WHERE deleted_at IS NULL;

-- Site A to Z with siteless articles last (newest first within a site), and
-- Z to A (siteless last again: NULL is smallest).
DROP INDEX articles_site;

CREATE INDEX articles_site ON articles(site IS NULL, site COLLATE NOCASE, published DESC, id)
    WHERE deleted_at IS NULL;

CREATE INDEX articles_site_desc ON articles(site COLLATE NOCASE DESC, published DESC, id)
    WHERE deleted_at IS NULL;

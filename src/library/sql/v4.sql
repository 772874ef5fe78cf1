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

-- The schema of a Folio library at version 9, as the migrations in
-- this folder (v1.sql, v2.sql, …) leave it. Generated, do not edit: a test checks
-- it (`UPDATE_SCHEMA=1 cargo test --test it library_schema::` rewrites it).

PRAGMA application_id = 1179601993; -- 0x464F4C49, "FOLI"
PRAGMA user_version = 9;

CREATE TABLE articles (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    byline         TEXT,
    editor         TEXT,
    published      TEXT,             -- YYYY-MM-DD or RFC 3339, as precise as the page says
    site           TEXT,
    url            TEXT,             -- as the page states it
    canonical_url  TEXT,             -- normalized `url`, used to find duplicates
    lang           TEXT,
    excerpt        TEXT,
    body_json      TEXT NOT NULL,
    warnings_json  TEXT NOT NULL DEFAULT '[]',
    source_file    TEXT NOT NULL,    -- file name as saved, no directories
    source_format  TEXT NOT NULL,    -- read::Format::as_str
    content_hash   TEXT NOT NULL,    -- sha256 (hex) of the normalized text, used to find duplicates
    added_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    deleted_at     TEXT              -- set while the article is in the trash
, host TEXT GENERATED ALWAYS AS (lower(
    CASE WHEN instr(canonical_url, '://') > 0
         THEN CASE WHEN instr(substr(canonical_url, instr(canonical_url, '://') + 3), '/') > 0
                   THEN substr(substr(canonical_url, instr(canonical_url, '://') + 3), 1,
                               instr(substr(canonical_url, instr(canonical_url, '://') + 3), '/') - 1)
                   ELSE substr(canonical_url, instr(canonical_url, '://') + 3)
              END
         -- An address kept as written (not a URL): up to its first `/`.
         WHEN instr(canonical_url, '/') > 0
         THEN substr(canonical_url, 1, instr(canonical_url, '/') - 1)
         ELSE canonical_url
    END)) VIRTUAL, captured_at TEXT, captured_from TEXT);

CREATE INDEX articles_published ON articles(published) WHERE deleted_at IS NULL;

CREATE INDEX articles_added ON articles(added_at) WHERE deleted_at IS NULL;

CREATE INDEX articles_title ON articles(title COLLATE NOCASE) WHERE deleted_at IS NULL;

CREATE INDEX articles_canonical_url ON articles(canonical_url);

CREATE INDEX articles_content_hash ON articles(content_hash);

CREATE INDEX articles_deleted ON articles(deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE originals (
    article_id   INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    compression  TEXT NOT NULL DEFAULT 'zlib',
    size         INTEGER NOT NULL,   -- uncompressed bytes
    data         BLOB NOT NULL
);

CREATE TABLE original_resources (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    size          INTEGER NOT NULL,
    image_sha256  TEXT REFERENCES images(sha256),
    data          BLOB,              -- zlib-compressed
    UNIQUE(article_id, name)
);

CREATE INDEX original_resources_image ON original_resources(image_sha256);

CREATE TABLE images (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL UNIQUE,
    mime            TEXT NOT NULL,
    width           INTEGER,
    height          INTEGER,
    size            INTEGER NOT NULL,
    bytes           BLOB NOT NULL,
    thumbnail       BLOB,
    thumbnail_mime  TEXT
);

CREATE TABLE article_images (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    image_sha256  TEXT REFERENCES images(sha256),
    src           TEXT NOT NULL,
    full_src      TEXT,
    alt           TEXT,
    caption       TEXT,
    credit        TEXT,
    UNIQUE(article_id, position)
);

CREATE INDEX article_images_image ON article_images(image_sha256);

CREATE TABLE tags (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    colour  TEXT                     -- `#rrggbb`, or NULL for the default
);

CREATE TABLE article_tags (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    UNIQUE(article_id, tag_id)
);

CREATE INDEX article_tags_article ON article_tags(article_id);

CREATE INDEX article_tags_tag ON article_tags(tag_id);

CREATE TABLE source_tags (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    UNIQUE(article_id, position)
);

CREATE INDEX source_tags_name ON source_tags(name COLLATE NOCASE);

CREATE TABLE notes (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE search_text (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT ''
, comments TEXT NOT NULL DEFAULT '', earlier TEXT NOT NULL DEFAULT '');

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

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

CREATE TABLE collections (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    query       TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE reading_state (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    read_at     TEXT,                -- when it was marked read (UTC, RFC 3339); NULL: unread
    starred     INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
    position    REAL CHECK (position >= 0.0 AND position <= 1.0)  -- reading position, 0..1
);

CREATE INDEX reading_state_read ON reading_state(read_at) WHERE read_at IS NOT NULL;

CREATE INDEX reading_state_starred ON reading_state(article_id) WHERE starred = 1;

CREATE INDEX articles_published_asc ON articles(published IS NULL, published)
    WHERE deleted_at IS NULL;

CREATE INDEX articles_site ON articles(site IS NULL, site COLLATE NOCASE, published DESC, id)
    WHERE deleted_at IS NULL;

CREATE INDEX articles_site_desc ON articles(site COLLATE NOCASE DESC, published DESC, id)
    WHERE deleted_at IS NULL;

CREATE INDEX articles_site_url ON articles(site, canonical_url);

CREATE INDEX articles_host_live ON articles(host) WHERE deleted_at IS NULL;

CREATE INDEX articles_site_live ON articles(site) WHERE deleted_at IS NULL;

CREATE TABLE article_versions (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    byline         TEXT,
    editor         TEXT,
    published      TEXT,
    site           TEXT,
    url            TEXT,
    canonical_url  TEXT,
    lang           TEXT,
    excerpt        TEXT,
    body_json      TEXT NOT NULL,
    warnings_json  TEXT NOT NULL DEFAULT '[]',
    source_file    TEXT NOT NULL,
    source_format  TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    imported_at    TEXT NOT NULL,    -- when this copy was stored
    kept_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    original_compression TEXT NOT NULL DEFAULT 'zlib',
    original_size  INTEGER,          -- uncompressed bytes; NULL when no original was stored
    original_data  BLOB
, captured_at TEXT, captured_from TEXT);

CREATE INDEX article_versions_article ON article_versions(article_id);

CREATE TABLE version_resources (
    id            INTEGER PRIMARY KEY,
    version_id    INTEGER NOT NULL REFERENCES article_versions(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    size          INTEGER NOT NULL,
    image_sha256  TEXT REFERENCES images(sha256),
    data          BLOB,              -- zlib-compressed
    UNIQUE(version_id, name)
);

CREATE INDEX version_resources_image ON version_resources(image_sha256);

CREATE TABLE version_images (
    id            INTEGER PRIMARY KEY,
    version_id    INTEGER NOT NULL REFERENCES article_versions(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    image_sha256  TEXT REFERENCES images(sha256),
    src           TEXT NOT NULL,
    full_src      TEXT,
    alt           TEXT,
    caption       TEXT,
    credit        TEXT,
    UNIQUE(version_id, position)
);

CREATE INDEX version_images_image ON version_images(image_sha256);

CREATE TABLE article_sightings (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    content_hash   TEXT NOT NULL,    -- the copy seen again (shown or kept)
    source_file    TEXT NOT NULL,    -- the file it came from, no directories
    source_format  TEXT NOT NULL,
    first_seen_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    last_seen_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    times          INTEGER NOT NULL DEFAULT 1,
    UNIQUE(article_id, content_hash, source_file)
);

CREATE TABLE article_edits (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    field       TEXT NOT NULL
                CHECK (field IN ('title', 'published', 'byline', 'editor', 'site', 'url')),
    value       TEXT,
    extracted   TEXT,
    edited_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (article_id, field)
);

CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body, notes, comments, earlier,
    content='search_text', content_rowid='article_id',
    tokenize='unicode61 remove_diacritics 2',
    prefix='2 3'
);

CREATE TRIGGER search_text_ai AFTER INSERT ON search_text BEGIN
    INSERT INTO search_fts(rowid, title, body, notes, comments, earlier)
    VALUES (new.article_id, new.title, new.body, new.notes, new.comments, new.earlier);
END;

CREATE TRIGGER search_text_ad AFTER DELETE ON search_text BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, body, notes, comments, earlier)
    VALUES ('delete', old.article_id, old.title, old.body, old.notes, old.comments, old.earlier);
END;

CREATE TRIGGER search_text_au AFTER UPDATE ON search_text BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, body, notes, comments, earlier)
    VALUES ('delete', old.article_id, old.title, old.body, old.notes, old.comments, old.earlier);
    INSERT INTO search_fts(rowid, title, body, notes, comments, earlier)
    VALUES (new.article_id, new.title, new.body, new.notes, new.comments, new.earlier);
END;

CREATE INDEX articles_captured ON articles(captured_at) WHERE deleted_at IS NULL;

-- Folio library schema, version 7: no copy of an article is ever dropped.
--
-- The article row and its `originals`, `original_resources` and
-- `article_images` rows are the copy shown. When another copy of the same
-- article (same address, similar text) becomes the shown one, the copy it
-- replaces moves here whole: its metadata, body, stored original file,
-- resources and image links (library::versions). An identical copy (same
-- content hash and original) is not stored twice. The images these rows
-- point at are kept while any row points at them.
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
);

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

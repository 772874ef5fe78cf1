-- Folio library schema, version 8: every copy of an article is a version.
--
-- A copy of a stored article whose text or images differ from every copy
-- kept is stored in `article_versions` as well, shown or not (version 7
-- kept only the copies a richer one replaced): an import never drops a
-- differing copy. A copy identical to one stored (same content hash) adds
-- no data: it is recorded here as seen again, once per file it came from.
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

-- Details the user corrected (library::edits): the article row holds the
-- corrected value, so search, sort, the timeline and every export use it;
-- what Folio read stays here beside it (`extracted`, updated whenever the
-- article is read again or a better copy is shown), for "Folio read: …" and
-- a reset. `value` NULL: the user cleared the field.
CREATE TABLE article_edits (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    field       TEXT NOT NULL
                CHECK (field IN ('title', 'published', 'byline', 'editor', 'site', 'url')),
    value       TEXT,
    extracted   TEXT,
    edited_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (article_id, field)
);

-- Text that only earlier versions hold stays searchable: a fifth column of
-- the search index, the paragraphs of the kept copies that the shown copy
-- lacks, segmented like the body and kept in step by Folio
-- (library::store::versions).
ALTER TABLE search_text ADD COLUMN earlier TEXT NOT NULL DEFAULT '';

DROP TRIGGER search_text_ai;
DROP TRIGGER search_text_ad;
DROP TRIGGER search_text_au;
DROP TABLE search_fts;

-- @earlier

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

INSERT INTO search_fts(search_fts) VALUES ('rebuild');

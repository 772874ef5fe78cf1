-- Folio library schema, version 9: when each copy was captured.
--
-- The date the saved file states the page was captured (an MHTML `Date:`
-- header, a `WARC-Date`, SingleFile's saved date, or as a last resort the
-- file's modification time), RFC 3339 as the file states it, and where it
-- was found: `mhtml-date`, `warc-date`, `singlefile-comment` or
-- `file-time` (read::Source, model::capture). NULL: the file states none,
-- or the copy was stored before version 9.
ALTER TABLE articles ADD COLUMN captured_at TEXT;
ALTER TABLE articles ADD COLUMN captured_from TEXT;
ALTER TABLE article_versions ADD COLUMN captured_at TEXT;
ALTER TABLE article_versions ADD COLUMN captured_from TEXT;

-- `captured:`, `captured-after:` and `captured-before:` read this index,
-- as `after:` and `before:` read `articles_published`.
CREATE INDEX articles_captured ON articles(captured_at) WHERE deleted_at IS NULL;

-- Folio library schema, version 6: `site:` seeks the hosts of the live
-- articles instead of reading every site name and URL.
--
-- `host` is the lower-case host of `canonical_url` (`www.minghui.org`; for
-- an address kept as written, not a URL, its text up to the first `/`),
-- computed by SQLite from the URL: a virtual column,
-- not stored in the row, so nothing that writes articles changes. The
-- partial indexes below hold the hosts and site names of the live articles:
-- `site:TEXT` walks their distinct values (one seek each, a few hundred in
-- a large library), keeps those containing TEXT, and takes their articles
-- from the same index, never reading an article row (library::query).
ALTER TABLE articles ADD COLUMN host TEXT GENERATED ALWAYS AS (lower(
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
    END)) VIRTUAL;

CREATE INDEX articles_host_live ON articles(host) WHERE deleted_at IS NULL;

CREATE INDEX articles_site_live ON articles(site) WHERE deleted_at IS NULL;

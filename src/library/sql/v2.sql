-- Folio library schema, version 2: a readable overview for other tools.
--
-- `article_overview` lists the live (not trashed) articles with their user
-- tags as one comma-separated string (sorted by name) and their note. Only
-- built-in SQL: a plain `sqlite3` can read it.
CREATE VIEW article_overview AS
SELECT a.id,
       a.title,
       a.published,
       a.site,
       a.url,
       (SELECT group_concat(name, ', ')
          FROM (SELECT t.name AS name FROM article_tags x JOIN tags t ON t.id = x.tag_id
                 WHERE x.article_id = a.id ORDER BY t.name COLLATE NOCASE)) AS tags,
       n.body AS note
  FROM articles a
  LEFT JOIN notes n ON n.article_id = a.id
 WHERE a.deleted_at IS NULL;

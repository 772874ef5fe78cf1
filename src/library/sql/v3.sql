-- Folio library schema, version 3: prefix indexes for Latin prefix queries.
--
-- The last word of a query is matched as a prefix (`gov` finds government).
-- Without a prefix index FTS5 merges the lists of every term with that prefix
-- at query time: `the*` took ~200 ms in a 100,000-article library. FTS5
-- keeps indexes of the 2- and 3-character prefixes here (about half the
-- index's size again), so such a query reads one list. FTS5 options cannot
-- be altered: the table is made again and rebuilt from `search_text`. The
-- triggers of version 1 refer to it by name and keep working.
DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body, notes,
    content='search_text', content_rowid='article_id',
    tokenize='unicode61 remove_diacritics 2',
    prefix='2 3'
);

INSERT INTO search_fts(search_fts) VALUES ('rebuild');

-- The archive's search index moves to a file of its own (db.SearchPath,
-- search.sql), so that indexing runs beside the main database's writer.
-- archive.SyncIndex indexes every message again there.
DROP TABLE main.arch_fts;
DROP VIEW main.arch_fts_src;

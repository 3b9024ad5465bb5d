-- The archive's search index on SQLite, in a file of its own
-- (db.SearchPath): FTS5 over each message's subject, author and indexed
-- text, which arch_message holds (content='': the index stores no copy),
-- and the highest arch_message id indexed. archive.SyncIndex fills it.
CREATE VIRTUAL TABLE arch_fts USING fts5(
    subject, author, body,
    content='',
    tokenize='porter unicode61 remove_diacritics 2'
);
-- FTS5 merges a level's segments when it holds automerge of them (4 by
-- default). At 16, an import of 200,000 messages spends half as long
-- merging; a query looks in a few more segments.
INSERT INTO arch_fts(arch_fts, rank) VALUES ('automerge', 16);
INSERT INTO arch_fts(arch_fts, rank) VALUES ('crisismerge', 32);
CREATE TABLE arch_fts_indexed (high INTEGER NOT NULL);
INSERT INTO arch_fts_indexed (high) VALUES (0);

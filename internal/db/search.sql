-- The archive's search index on SQLite, in a file of its own
-- (db.SearchPath): FTS5 over each message's subject, author and indexed
-- text, which arch_message holds (content='': the index stores no copy),
-- FTS5 over the subject and author alone, and the highest arch_message id
-- indexed. archive.SyncIndex fills it.
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
-- The subject and author again, for searches whose every term names its
-- field (subject:, from:; archive.Query.ftsTable): in arch_fts their
-- words' entries are among the far more numerous ones of the bodies,
-- which FTS5 reads to find the column: 'subject:note from:gmail.com' on
-- 1,000,000 messages took 2.7 ms there and takes 0.5 ms here (issue 17
-- §3). The subject's matches that rank first are read from arch_fts
-- (archive.inSubject says why).
CREATE VIRTUAL TABLE arch_fts_head USING fts5(
    subject, author,
    content='',
    tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO arch_fts_head(arch_fts_head, rank) VALUES ('automerge', 16);
INSERT INTO arch_fts_head(arch_fts_head, rank) VALUES ('crisismerge', 32);
CREATE TABLE arch_fts_indexed (high INTEGER NOT NULL);
INSERT INTO arch_fts_indexed (high) VALUES (0);

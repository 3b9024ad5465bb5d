-- The archive at scale (issue 3's import and search figures).

-- Duplicates are found by hashcode (derived from the Message-ID), so the
-- Message-ID index only slowed every insert.
DROP INDEX arch_message_msgid;

-- Addresses are kept lower-cased, so the person page finds a person's
-- posts whatever case their mail program wrote. Case does not change
-- the search index's tokens.
UPDATE arch_message SET from_addr = lower(from_addr) WHERE from_addr <> lower(from_addr);

-- FTS5 merges a level's segments when it holds automerge of them (4 by
-- default). At 16, an import of 200,000 messages spends half as long
-- merging; a query looks in a few more segments.
INSERT INTO arch_fts(arch_fts, rank) VALUES ('automerge', 16);
INSERT INTO arch_fts(arch_fts, rank) VALUES ('crisismerge', 32);

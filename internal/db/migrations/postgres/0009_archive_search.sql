-- Archive search over a million messages (issue 3). One GIN index over
-- every message answered "the newest matches of a common word" by reading
-- all of its matches (half the archive for "package"), and a phrase or a
-- from: term by rechecking each of them against its tsvector: p50 236 ms,
-- p99 2.2 s. Now (internal/archive/search.go says how searches use it):
--
-- * arch_fts is partitioned by message id, a partition per 32,768 ids
--   (searchPartition in internal/archive/partition.go), each with its own
--   GIN indexes and id B-tree. A search looks for matches in a window of
--   the newest ids, so it reads only the indexes of the partitions in it,
--   and visits only the rows in it. The archive creates a partition when
--   it first indexes an id in the range before it (CREATE TABLE, then
--   ATTACH PARTITION, which neither readers nor writers wait for).
-- * subject: and from: terms, and ranking by subject, use small tsvectors
--   of their own, kept in the row, with GIN indexes of their own. Plain
--   words need no recheck of the large tsvector; phrases do.
-- * list and date are copied in, so filters need no join.
-- * toast_tuple_target = 128: a row long enough to be toasted (2 kB) has
--   its whole-text tsvector moved out, not just enough of it, so that rows
--   stay narrow and a window's rows share few pages.
-- * Text is split at '.', '/', '@', ':' and '_' first, as SQLite's
--   tokenizer splits it (PostgreSQL's parser keeps host names, file names
--   and addresses whole), so that "packages" finds install.packages on
--   both engines. internal/archive/store.go indexes new messages alike.
--
-- The schema comparison with SQLite skips search tables (*_fts*).
DROP TABLE arch_fts;
CREATE TABLE arch_fts (
    id BIGINT NOT NULL,
    list TEXT NOT NULL,
    date TIMESTAMPTZ NOT NULL,
    subject TSVECTOR NOT NULL,
    author TSVECTOR NOT NULL,
    tsv TSVECTOR NOT NULL,  -- subject, author and body
    PRIMARY KEY (id)
) PARTITION BY RANGE (id);
ALTER TABLE arch_fts ALTER COLUMN subject SET STORAGE MAIN, ALTER COLUMN author SET STORAGE MAIN;

-- Index what is already archived, then build the GIN indexes in bulk.
DO $$
DECLARE
    size CONSTANT BIGINT := 32768;
    top BIGINT;
    lo BIGINT := 0;
BEGIN
    SELECT COALESCE(MAX(id), -1) INTO top FROM arch_message;
    WHILE lo <= top LOOP
        EXECUTE format('CREATE TABLE arch_fts_p%s (LIKE arch_fts INCLUDING STORAGE) WITH (toast_tuple_target = 128)', lo);
        EXECUTE format('ALTER TABLE arch_fts ATTACH PARTITION arch_fts_p%s FOR VALUES FROM (%s) TO (%s)', lo, lo, lo + size);
        lo := lo + size;
    END LOOP;
END $$;
INSERT INTO arch_fts (id, list, date, subject, author, tsv)
    SELECT id, list, date, s, a, s || a || to_tsvector('english', translate(body, './@:_', '     '))
    FROM (SELECT id, list, date, body, to_tsvector('english', translate(subject, './@:_', '     ')) AS s,
            to_tsvector('english', from_name || ' ' || translate(from_addr, '@.-_+', '     ')) AS a
        FROM arch_message) m;
CREATE INDEX arch_fts_tsv ON arch_fts USING GIN (tsv);
CREATE INDEX arch_fts_subject ON arch_fts USING GIN (subject);
CREATE INDEX arch_fts_author ON arch_fts USING GIN (author);

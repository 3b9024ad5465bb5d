-- Owned by internal/archive. The Message-IDs a list has seen are found by
-- a 64-bit key of the list and the id (hum_key, which hum's process gives
-- SQLite: db.Key) rather than by the text: the index of a million
-- Message-IDs is 20 MB instead of 79, small enough to stay in an
-- import's page cache, where every look-up and insert lands in a random
-- place of it (issue 17). Keys may collide, so there is no unique
-- index: the archive's one writer reads every id it adds first. The
-- table keeps its rows in the order they came, its ids and threads as
-- they were.
CREATE TABLE arch_ref_new (
    list TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    thread_id INTEGER NOT NULL
);
INSERT INTO arch_ref_new (list, ref_id, thread_id) SELECT list, ref_id, thread_id FROM arch_ref ORDER BY rowid;
DROP TABLE arch_ref;
ALTER TABLE arch_ref_new RENAME TO arch_ref;
CREATE INDEX arch_ref_key ON arch_ref(hum_key(list, ref_id));
CREATE INDEX arch_ref_thread ON arch_ref(thread_id);

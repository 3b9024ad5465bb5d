-- Chunks of the delivery queue, in the queue's file (lists.Deliverer,
-- issue 17 §2; see the PostgreSQL migration 0045). The expander gives
-- each group of up to 100 copies it queues a row here, and writes that
-- row's id in each copy's chunk_id; a worker leases a chunk, one row,
-- where it leased each copy. Leasing 100 copies rewrote 100 rows under
-- SQLite's one write lock, 2.1 ms that every worker's mark waited
-- behind. delivery_chunk_rows finds a chunk's copies still queued: an
-- entry appended as a copy is queued (chunk ids rise with the rows'),
-- and gone when it is sent.
CREATE TABLE queue.delivery_chunk (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL,
    after INTEGER NOT NULL,
    until INTEGER NOT NULL,
    claimed_until TIMESTAMP,
    claimed_by TEXT NOT NULL DEFAULT ''
);
ALTER TABLE queue.delivery ADD COLUMN chunk_id INTEGER;
CREATE INDEX queue.delivery_chunk_rows ON delivery(chunk_id) WHERE chunk_id IS NOT NULL AND state = 'queued';

-- The index of copies leased row by row leaves out those of a chunk.
DROP INDEX queue.delivery_due;
CREATE INDEX queue.delivery_due ON delivery(id) WHERE state = 'queued' AND chunk_id IS NULL;

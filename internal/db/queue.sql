-- The list delivery queue on SQLite, in a file of its own with 4 KiB
-- pages (db.QueuePath, attached to the main connections as "queue"):
-- one row per (post, recipient), the durable record of who got what.
-- The unique key is what makes a copy go out at most once per address.
-- The rows were in hum.db until migration 0040; their columns and
-- indexes are as they were there, without the foreign keys, which SQLite
-- does not keep across files (the lists package writes post_id and
-- subscription_id from the rows they name). delivery_due holds only the
-- copies still queued, in the order the workers lease them.
CREATE TABLE IF NOT EXISTS queue.delivery (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL,
    subscription_id INTEGER NOT NULL,
    address TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    last_error TEXT NOT NULL DEFAULT '',
    sent TIMESTAMP,
    claimed_by TEXT NOT NULL DEFAULT '',
    UNIQUE (post_id, address)
);
CREATE INDEX IF NOT EXISTS queue.delivery_due ON delivery(id) WHERE state = 'queued';

-- Faster recovery of delivery leases (lists). Each process that delivers
-- list copies has a row here and renews beat every second; a lease held
-- by a process whose beat is a few seconds old is taken over at once,
-- instead of when the lease runs out. claimed_by names the holder of a
-- row's lease ('' for none, or for a lease taken before this migration).
CREATE TABLE delivery_worker (
    id TEXT PRIMARY KEY,
    started TIMESTAMP NOT NULL,
    beat TIMESTAMP NOT NULL
);

ALTER TABLE delivery ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';

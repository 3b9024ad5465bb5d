-- The marks of copies sent (lists.Deliverer, fold.go; issue 17 §2): the
-- recorder appends each copy's id here, and the rows are folded into
-- delivery (state 'sent') in bulk, a few hundred at a time. An UPDATE of
-- a few delivery rows per mark, which every sending worker waits for,
-- kept the fan-out at 63-75% of the sink's ceiling on PostgreSQL; an
-- insert here costs little more than the round trip. No key and no
-- index: the table holds only what is not folded yet, and a lease leaves
-- its ids out.
CREATE TABLE delivery_sent (
    delivery_id BIGINT NOT NULL,
    sent TIMESTAMPTZ NOT NULL
);

-- Room on each page, so that a lease, which changes no indexed column,
-- rewrites its rows in place (a HOT update) rather than adding entries to
-- the table's three indexes. New pages only; a VACUUM FULL applies it to
-- the rows already there.
ALTER TABLE delivery SET (fillfactor = 50);

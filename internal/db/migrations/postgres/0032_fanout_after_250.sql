-- A post's fan-out is written after its 250, not before (lists, issue 17).
-- An accepted post whose copies are not all queued yet has fanout_after
-- set: the id of the last subscription expanded (0 at first), and
-- fanout_until, the highest subscription id when the post was taken, so
-- that who gets the post is decided at the 250. The expansion writes the
-- delivery rows of a chunk of subscriptions and moves fanout_after in one
-- transaction, and sets it NULL when it is done; UNIQUE (post_id, address)
-- keeps a copy per address even if two processes expand at once.
ALTER TABLE list_post ADD COLUMN fanout_after BIGINT;
ALTER TABLE list_post ADD COLUMN fanout_until BIGINT;
CREATE INDEX list_post_fanout ON list_post(id) WHERE fanout_after IS NOT NULL;

-- The delivery queue's index holds only the copies still queued, in the
-- order the workers lease them (ORDER BY id), so a lease reads from the
-- head of the queue instead of sorting all of it, and it is the one index
-- a copy's life changes: leasing and retrying touch no index, and marking
-- a copy sent (the recorder's commit that each worker waits for,
-- recorder.go) deletes one entry instead of moving it to the 'sent' end
-- of an index of every copy ever sent. Cancelling a leaver's copies reads
-- only what is queued.
DROP INDEX delivery_queue;
CREATE INDEX delivery_due ON delivery(id) WHERE state = 'queued';

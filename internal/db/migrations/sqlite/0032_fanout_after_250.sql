-- A post's fan-out is written after its 250, not before (lists, issue 17).
-- An accepted post whose copies are not all queued yet has fanout_after
-- set: the id of the last subscription expanded (0 at first), and
-- fanout_until, the highest subscription id when the post was taken, so
-- that who gets the post is decided at the 250. The expansion writes the
-- delivery rows of a chunk of subscriptions and moves fanout_after in one
-- transaction, and sets it NULL when it is done; UNIQUE (post_id, address)
-- keeps a copy per address even if two processes expand at once.
ALTER TABLE list_post ADD COLUMN fanout_after INTEGER;
ALTER TABLE list_post ADD COLUMN fanout_until INTEGER;
CREATE INDEX list_post_fanout ON list_post(id) WHERE fanout_after IS NOT NULL;

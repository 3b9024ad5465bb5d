-- The delivery queue drops its foreign keys, as SQLite's has had none
-- since migration 0040 (queue.sql): the lists package writes post_id and
-- subscription_id from the rows they name, in the statement that reads
-- them, and nothing deletes a post or a subscription. Each key cost a
-- lookup per copy queued, run as a trigger at the end of the statement:
-- a chunk of 2,000 copies took 38-40 ms to write with them and 19 ms
-- without, and a 10,000-copy fan-out writes its chunks while the first
-- copies go out, so the keys' cost came out of the sending (issue 17 §2).
ALTER TABLE delivery DROP CONSTRAINT IF EXISTS delivery_post_id_fkey;
ALTER TABLE delivery DROP CONSTRAINT IF EXISTS delivery_subscription_id_fkey;

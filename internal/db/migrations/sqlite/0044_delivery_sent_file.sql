-- The marks of copies sent move out of the queue's file into a file of
-- their own (db.MarksPath, DB.Marks; issue 17 §2): in the queue's file a
-- mark, which every sending worker waits for, waited for every writer of
-- the main pool, as BEGIN IMMEDIATE takes the write lock of each file a
-- connection attaches writable: a fan-out's chunks, its leases, the
-- folds. The new file's table is made when it is opened; the marks left
-- here are folded into the queue first, as lists' fold does.
UPDATE queue.delivery SET state = 'sent', sent = f.sent, claimed_until = NULL, claimed_by = ''
FROM (SELECT delivery_id, MAX(sent) AS sent FROM queue.delivery_sent GROUP BY delivery_id) AS f
WHERE delivery.id = f.delivery_id;
DROP TABLE queue.delivery_sent;

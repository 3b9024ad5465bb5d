-- The list delivery queue moves to a file of its own with 4 KiB pages
-- (issue 17 §2; db.QueuePath, queue.sql). Just before this migration,
-- db.moveQueue copied every row into queue.delivery in a transaction that
-- wrote only that file: SQLite in WAL mode commits attached files one by
-- one, so a crash between the two leaves the rows in both, and the copy
-- (INSERT OR REPLACE: hum.db's rows are the record until they are
-- dropped) runs again before this one does.
DROP TABLE main.delivery;

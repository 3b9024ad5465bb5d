-- The public dump is stored in several transactions (issue 17): a dump of
-- a 1,000,000-message archive is 800 MB of gzip, and stored in one
-- transaction it held SQLite's write lock long enough for posts to get
-- 451 and the delivery heartbeat to fail. A dump is served only once
-- complete; the dumps before this migration are.
ALTER TABLE public_dump ADD COLUMN complete BOOLEAN NOT NULL DEFAULT TRUE;

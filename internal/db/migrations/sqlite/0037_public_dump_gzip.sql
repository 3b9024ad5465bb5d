-- The public dump is stored gzip-compressed (issue 12): gzip_bytes is the
-- size of the stored gzip stream, and bytes stays the size of the SQLite
-- file it holds. A dump stored before this migration has no gzip_bytes:
-- its chunks are the file as it is, and are served as they are until the
-- daily job replaces it.
ALTER TABLE public_dump ADD COLUMN gzip_bytes INTEGER;

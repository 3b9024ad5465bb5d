-- The list archive: every message posted to or imported into a list.
-- The raw bytes are the record; the other columns are what listing,
-- threading and search need without parsing the message again.

-- Per-list counters, so /arch/ does not count a million rows.
CREATE TABLE arch_list (
    name TEXT PRIMARY KEY,
    messages INTEGER NOT NULL DEFAULT 0,
    threads INTEGER NOT NULL DEFAULT 0,
    last_date TIMESTAMP
);

-- A conversation. Messages join a thread as they arrive (references,
-- then base subject); the thread page re-runs JWZ over its messages.
CREATE TABLE arch_thread (
    id INTEGER PRIMARY KEY,
    list TEXT NOT NULL,
    subject TEXT NOT NULL,
    base_subject TEXT NOT NULL,
    first_date TIMESTAMP NOT NULL,
    last_date TIMESTAMP NOT NULL,
    messages INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX arch_thread_list_last ON arch_thread(list, last_date);
CREATE INDEX arch_thread_subject ON arch_thread(list, base_subject, last_date);

CREATE TABLE arch_message (
    id INTEGER PRIMARY KEY,
    list TEXT NOT NULL,
    hashcode TEXT NOT NULL,          -- the stable id in /arch/msg/{list}/{hashcode}/
    message_id TEXT NOT NULL,        -- without angle brackets; generated when missing
    content_hash TEXT NOT NULL,      -- SHA-256 of the normalised body, for de-duplication
    from_name TEXT NOT NULL DEFAULT '',
    from_addr TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    date TIMESTAMP NOT NULL,
    in_reply_to TEXT NOT NULL DEFAULT '',
    refs TEXT NOT NULL DEFAULT '',   -- References, space separated
    thread_id INTEGER NOT NULL REFERENCES arch_thread(id),
    thread_pos INTEGER NOT NULL,     -- arrival order within the thread, from 0
    body TEXT NOT NULL DEFAULT '',   -- the text that search indexes (quotes left out)
    size INTEGER NOT NULL,
    raw BLOB NOT NULL,
    added TIMESTAMP NOT NULL,
    UNIQUE (list, hashcode)
);
CREATE INDEX arch_message_msgid ON arch_message(list, message_id);
CREATE INDEX arch_message_date ON arch_message(list, date, id);
CREATE INDEX arch_message_alldate ON arch_message(date, id);
CREATE INDEX arch_message_thread ON arch_message(thread_id, date, id);
CREATE INDEX arch_message_from ON arch_message(from_addr, date);

-- Every Message-ID seen on a list, as a message or as a reference, with
-- the thread it belongs to: a message finds its thread in one lookup even
-- when its parent has not arrived (yet).
CREATE TABLE arch_ref (
    list TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    thread_id INTEGER NOT NULL,
    PRIMARY KEY (list, ref_id)
);
CREATE INDEX arch_ref_thread ON arch_ref(thread_id);

-- Search: FTS5 over subject, author and body, reading its text from
-- arch_message through a view (no second copy). The schema comparison
-- with PostgreSQL skips search tables (*_fts*), where the engines differ.
CREATE VIEW arch_fts_src AS
    SELECT id, subject, from_name || ' ' || from_addr AS author, body FROM arch_message;
CREATE VIRTUAL TABLE arch_fts USING fts5(
    subject, author, body,
    content='arch_fts_src', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);

-- Notices of document changes (internal/notices) and the addresses a
-- document's chairs add to its notify list (internal/docs).

-- The Datatracker's per-document "notify" field: addresses told of every
-- change besides the authors, chairs, shepherd and responsible AD. Each is
-- an address hum knows (an account's), so the .notify alias never reaches
-- a stranger. Owned by docs; aliases reads it for {draft}.notify@.
CREATE TABLE doc_notify (
    doc_id BIGINT NOT NULL REFERENCES doc(id),
    address TEXT NOT NULL,
    ord INTEGER NOT NULL,
    PRIMARY KEY (doc_id, address)
);

-- Who follows ("tracks") a document or a group, and how: "each" (a
-- notice per change) or "daily" (one summary a day). Personal, so not in
-- the open record.
CREATE TABLE follow (
    person_id BIGINT NOT NULL REFERENCES person(id),
    subject_type TEXT NOT NULL,               -- doc, group
    subject TEXT NOT NULL,                    -- the document's name, the group's acronym
    mode TEXT NOT NULL,                       -- each, daily
    after_event BIGINT NOT NULL,                  -- the newest event when they began: nothing older is sent
    created TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, subject_type, subject)
);
CREATE INDEX follow_subject ON follow(subject_type, subject);

-- How far through the record the notices have gone: "each" (the notices
-- per change) and "daily" (the summaries, with the day of the last one).
-- Each is made by its job's first run at the newest event, so a
-- database's past is never mailed; the demo moves them to the newest
-- event again once it is loaded (notices.Service.Skip).
CREATE TABLE notice_cursor (
    name TEXT PRIMARY KEY,
    last_event BIGINT NOT NULL,
    day TEXT NOT NULL DEFAULT ''              -- YYYY-MM-DD of the last summary
);

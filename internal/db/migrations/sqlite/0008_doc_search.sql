-- Document search by text in the name or title (/doc/search/?name=) is a
-- substring search, as the Datatracker's: "quic" finds draft-ietf-quic-tls
-- and "ietf-rtg04" finds draft-ietf-rtg04-... A LIKE '%x%' cannot use a
-- B-tree, so an FTS5 index with the trigram tokenizer answers it instead
-- (any text of three characters or more; shorter ones fall back to LIKE).
-- It reads its text from doc and is kept current by triggers. The schema
-- comparison with PostgreSQL skips search tables (*_fts*).
CREATE VIRTUAL TABLE doc_fts USING fts5(
    name, title,
    content='doc', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER doc_fts_insert AFTER INSERT ON doc BEGIN
    INSERT INTO doc_fts(rowid, name, title) VALUES (new.id, new.name, new.title);
END;
CREATE TRIGGER doc_fts_delete AFTER DELETE ON doc BEGIN
    INSERT INTO doc_fts(doc_fts, rowid, name, title) VALUES ('delete', old.id, old.name, old.title);
END;
CREATE TRIGGER doc_fts_update AFTER UPDATE OF name, title ON doc BEGIN
    INSERT INTO doc_fts(doc_fts, rowid, name, title) VALUES ('delete', old.id, old.name, old.title);
    INSERT INTO doc_fts(rowid, name, title) VALUES (new.id, new.name, new.title);
END;
INSERT INTO doc_fts(doc_fts) VALUES ('rebuild');

-- The alternate ballot (R36): when a DISCUSS is held and cannot be
-- resolved, each sitting AD says yes or no to the document going ahead,
-- and the secretariat records the answers. One row per AD and ballot.
CREATE TABLE ballot_alt (
    ballot_id INTEGER NOT NULL REFERENCES ballot(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    vote TEXT NOT NULL,                       -- yes, no, recuse
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (ballot_id, person_id)
);

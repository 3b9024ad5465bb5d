-- The shepherd write-up as the IESG's template (internal/docs, R17) and
-- the IESG telechat (internal/telechat): its dates, the documents placed
-- on each, and the secretariat's management items.

-- One answer per question of the write-up template (docs.WriteupQuestions).
-- doc.writeup keeps the free text written before the template, shown as
-- it was.
CREATE TABLE doc_writeup_answer (
    doc_id INTEGER NOT NULL REFERENCES doc(id),
    question INTEGER NOT NULL,                -- the template's number
    answer TEXT NOT NULL,
    PRIMARY KEY (doc_id, question)
);

-- A write-up is written when it has the old free text or any answer.
DROP VIEW doc_wg_ref;
CREATE VIEW doc_wg_ref AS
    SELECT id, name, type, rev, title, group_id, state, wg_state,
        CASE WHEN writeup <> '' OR EXISTS (SELECT 1 FROM doc_writeup_answer w WHERE w.doc_id = doc.id) THEN 1 ELSE 0 END AS has_writeup
    FROM doc;

-- The IESG's formal telechats, set by the secretariat (every other
-- Thursday, the Datatracker's TelechatDate).
CREATE TABLE telechat_date (
    date TEXT PRIMARY KEY                     -- YYYY-MM-DD
);

-- Where a document is on the telechat agendas: one row per change, as the
-- Datatracker's TelechatDocEvent; the newest row of a document holds.
CREATE TABLE telechat_doc (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES doc(id),
    date TEXT NOT NULL DEFAULT '',            -- '': taken off the agenda
    returning_item BOOLEAN NOT NULL DEFAULT FALSE,
    by_id INTEGER REFERENCES person(id),      -- NULL: hum (the demo, the CLI)
    at TIMESTAMP NOT NULL
);
CREATE INDEX telechat_doc_doc ON telechat_doc(doc_id, id);
CREATE INDEX telechat_doc_date ON telechat_doc(date);

-- Management items on a telechat's agenda (its section 6).
CREATE TABLE telechat_item (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL REFERENCES telechat_date(date),
    title TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    created TIMESTAMP NOT NULL
);
CREATE INDEX telechat_item_date ON telechat_item(date);

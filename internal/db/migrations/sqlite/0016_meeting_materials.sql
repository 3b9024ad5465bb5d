-- Session materials (internal/meetings): agendas, minutes, slides, chat
-- logs and recordings of a group's sessions at a meeting, each a document
-- named as the Datatracker names them (agenda-83-httpbis,
-- slides-83-httpbis-intro) with numbered revisions; slides proposed by
-- participants; the R23 minutes reminders; and the R24 session reports.
-- Content is kept in the database, as drafts are (see DESIGN.md).

CREATE TABLE material (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,                    -- agenda, minutes, slides, chatlog, recording
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    group_id INTEGER NOT NULL REFERENCES grp(id),
    title TEXT NOT NULL,
    rev TEXT NOT NULL,                     -- the latest revision: 00, 01, ...
    state TEXT NOT NULL,                   -- active | deleted
    ord INTEGER NOT NULL DEFAULT 0,        -- slides' order in the session
    created TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);
CREATE INDEX material_meeting_group ON material(meeting_id, group_id);

-- A revision's content: a file (format md, txt, html, pdf, pptx) or, for
-- recordings, a URL (format url, no content).
CREATE TABLE material_rev (
    id INTEGER PRIMARY KEY,
    material_id INTEGER NOT NULL REFERENCES material(id),
    rev TEXT NOT NULL,
    format TEXT NOT NULL,
    filename TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    by_id INTEGER REFERENCES person(id),
    created TIMESTAMP NOT NULL,
    UNIQUE (material_id, rev)
);

-- Slides a participant proposes; a chair approves (they become a
-- material) or declines them (the Datatracker's SlideSubmission).
CREATE TABLE slide_submission (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    group_id INTEGER NOT NULL REFERENCES grp(id),
    title TEXT NOT NULL,
    format TEXT NOT NULL,
    filename TEXT NOT NULL DEFAULT '',
    content BLOB NOT NULL,
    submitter_id INTEGER NOT NULL REFERENCES person(id),
    status TEXT NOT NULL,                  -- pending | approved | rejected
    material_id INTEGER REFERENCES material(id),
    decided_by INTEGER REFERENCES person(id),
    decided TIMESTAMP,
    created TIMESTAMP NOT NULL
);
CREATE INDEX slide_submission_meeting_group ON slide_submission(meeting_id, group_id, status);

-- One row per session whose chairs were reminded that it has no minutes
-- (R23); the primary key makes the reminder once only, whichever process
-- sends it.
CREATE TABLE minutes_reminder (
    session_id INTEGER PRIMARY KEY REFERENCES session(id),
    sent TIMESTAMP NOT NULL
);

-- The chairs' report of a group's sessions to the responsible ADs (R24).
CREATE TABLE session_report (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    group_id INTEGER NOT NULL REFERENCES grp(id),
    body TEXT NOT NULL,
    by_id INTEGER REFERENCES person(id),
    created TIMESTAMP NOT NULL
);
CREATE INDEX session_report_meeting_group ON session_report(meeting_id, group_id);

-- Owned by internal/docs: what others may read of documents (meetings
-- links the drafts a session's agenda names).
CREATE VIEW doc_ref AS SELECT id, name, type, rev, title FROM doc;

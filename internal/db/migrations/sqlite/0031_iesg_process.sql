-- The shepherd write-up as each change left it, rendered (the template's
-- questions with their answers), for doc/writeupdocevent's text: the
-- Datatracker's WriteupDocEvent holds the text at the event. One row per
-- write-up event; events from before this table have none and show the
-- free-text write-up.
CREATE TABLE doc_writeup_text (
    event_id INTEGER PRIMARY KEY REFERENCES event(id),
    text TEXT NOT NULL
);

-- Charters placed on IESG telechats (the agenda's section 4), as
-- telechat_doc holds drafts: the newest row per group is where its
-- charter is; date '' takes it off.
CREATE TABLE telechat_charter (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES grp(id),
    date TEXT NOT NULL DEFAULT '',
    by_id INTEGER REFERENCES person(id),      -- NULL: hum (the demo, the CLI)
    at TIMESTAMP NOT NULL
);
CREATE INDEX telechat_charter_group ON telechat_charter(group_id, id);
CREATE INDEX telechat_charter_date ON telechat_charter(date);

-- The shepherd write-up as each change left it, rendered (the template's
-- questions with their answers), for doc/writeupdocevent's text: the
-- Datatracker's WriteupDocEvent holds the text at the event. One row per
-- write-up event; events from before this table have none and show the
-- free-text write-up.
CREATE TABLE doc_writeup_text (
    event_id BIGINT PRIMARY KEY REFERENCES event(id),
    text TEXT NOT NULL
);

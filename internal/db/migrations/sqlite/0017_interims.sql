-- Interims and important dates (internal/meetings). An interim is a
-- meeting row of type interim with its group; interim holds what the
-- request said beyond the sessions (how it meets, who approved it, when
-- it was announced), interim_agenda each session's agenda and when it
-- was published (R26 counts from then). important_date is a meeting's
-- dates, named by the Datatracker's ImportantDateName slugs.

CREATE TABLE interim (
    meeting_id INTEGER PRIMARY KEY REFERENCES meeting(id),
    mode TEXT NOT NULL,                    -- online | hybrid | inperson
    requested_by INTEGER REFERENCES person(id),
    approved_by INTEGER REFERENCES person(id),
    approved TIMESTAMP,
    announced TIMESTAMP,                   -- when the announcement was queued
    canceled TIMESTAMP
);

CREATE TABLE interim_agenda (
    session_id INTEGER PRIMARY KEY REFERENCES session(id),
    agenda TEXT NOT NULL,
    published TIMESTAMP NOT NULL
);

CREATE TABLE important_date (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    name TEXT NOT NULL,                    -- idcutoff, cutoffwgreq, finalagenda, procsub, ...
    date TEXT NOT NULL,                    -- YYYY-MM-DD
    UNIQUE (meeting_id, name)
);

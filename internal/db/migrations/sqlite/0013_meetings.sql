-- Meetings (internal/meetings): IETF meetings and interims, their rooms
-- and timeslots, the sessions groups request, the constraints of those
-- requests, and schedules that place sessions into timeslots. Names and
-- slugs are the Datatracker's (meeting, room, timeslot, session,
-- constraint, schedule, schedtimesessassignment).

CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,           -- "83", or "interim-2026-quic-01"
    type TEXT NOT NULL,                    -- ietf | interim
    group_id INTEGER REFERENCES grp(id),   -- an interim's group
    city TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',      -- ISO 3166 alpha-2
    venue_name TEXT NOT NULL DEFAULT '',
    venue_addr TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL,               -- IANA name
    date TEXT NOT NULL,                    -- first day, YYYY-MM-DD in time_zone
    days INTEGER NOT NULL,
    end_date TEXT NOT NULL,                -- last day, YYYY-MM-DD (date + days - 1)
    schedule_id INTEGER,                   -- the official schedule
    proceedings_final BOOLEAN NOT NULL DEFAULT FALSE,
    created TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);
CREATE INDEX meeting_date ON meeting(date);

CREATE TABLE room (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    name TEXT NOT NULL,
    capacity INTEGER NOT NULL DEFAULT 0,
    UNIQUE (meeting_id, name)
);

-- A timeslot is a time in a room (or, for breaks and registration, in no
-- room). start is UTC; duration is in seconds.
CREATE TABLE timeslot (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    room_id INTEGER REFERENCES room(id),
    type TEXT NOT NULL,                    -- regular, plenary, break, reg, other, ...
    name TEXT NOT NULL DEFAULT '',
    start TIMESTAMP NOT NULL,
    duration INTEGER NOT NULL,
    created TIMESTAMP NOT NULL
);
CREATE INDEX timeslot_meeting ON timeslot(meeting_id, start);
CREATE INDEX timeslot_room ON timeslot(room_id, start);

CREATE TABLE schedule (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    name TEXT NOT NULL,
    owner_id INTEGER REFERENCES person(id),
    visible BOOLEAN NOT NULL DEFAULT TRUE,
    public BOOLEAN NOT NULL DEFAULT TRUE,
    base_id INTEGER REFERENCES schedule(id),
    created TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, name)
);

-- A session is one meeting of a group at a meeting; a request for two
-- sessions is two rows. status is the Datatracker's session status slug
-- (schedw, sched, notmeet, deleted, apprw, scheda, canceled, ...).
CREATE TABLE session (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    group_id INTEGER NOT NULL REFERENCES grp(id),
    name TEXT NOT NULL DEFAULT '',         -- for sessions that are not a group's regular one
    purpose TEXT NOT NULL DEFAULT 'regular',
    status TEXT NOT NULL,
    requested_duration INTEGER NOT NULL DEFAULT 0,  -- seconds
    attendees INTEGER NOT NULL DEFAULT 0,           -- expected
    comments TEXT NOT NULL DEFAULT '',
    agenda_note TEXT NOT NULL DEFAULT '',
    remote_instructions TEXT NOT NULL DEFAULT '',
    requested_by INTEGER REFERENCES person(id),
    requested TIMESTAMP,
    modified TIMESTAMP NOT NULL
);
CREATE INDEX session_meeting_group ON session(meeting_id, group_id);
CREATE INDEX session_group ON session(group_id);

-- What a group asks of the schedule: conflicts (conflict, conflic2,
-- conflic3, ...) with another group, a person who must be there
-- (bethere), times it cannot meet (timerange: comma-separated slugs),
-- adjacency (wg_adjacent) and time between its sessions (time_relation).
CREATE TABLE session_constraint (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    source_id INTEGER NOT NULL REFERENCES grp(id),
    name TEXT NOT NULL,
    target_id INTEGER REFERENCES grp(id),
    person_id INTEGER REFERENCES person(id),
    time_relation TEXT NOT NULL DEFAULT '',
    timeranges TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_constraint_source ON session_constraint(meeting_id, source_id);

-- A session placed in a timeslot by a schedule (the Datatracker's
-- SchedTimeSessAssignment). A session may take two slots; a slot holds
-- one session.
CREATE TABLE assignment (
    id INTEGER PRIMARY KEY,
    schedule_id INTEGER NOT NULL REFERENCES schedule(id),
    session_id INTEGER NOT NULL REFERENCES session(id),
    timeslot_id INTEGER NOT NULL REFERENCES timeslot(id),
    notes TEXT NOT NULL DEFAULT '',
    modified TIMESTAMP NOT NULL,
    UNIQUE (schedule_id, timeslot_id)
);
CREATE INDEX assignment_session ON assignment(session_id);

-- Registration, blue sheets and the ISOC fellowship (internal/meetings).
-- Names follow the Datatracker's Registration, Attended and
-- AttendanceTypeName. Registration and attendance stay queryable per
-- person and meeting, for NomCom eligibility (R45, R50).

-- One registration per address per meeting. person_id is the account
-- the address belongs to, when there is one (someone may register
-- without an account, through a mailed link).
CREATE TABLE registration (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    person_id INTEGER REFERENCES person(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    affiliation TEXT NOT NULL DEFAULT '',
    country_code TEXT NOT NULL DEFAULT '',
    attendance_type TEXT NOT NULL,          -- onsite | remote
    ticket_type TEXT NOT NULL DEFAULT 'week_pass',  -- week_pass | fellow
    checkedin BOOLEAN NOT NULL DEFAULT FALSE,
    created TIMESTAMP NOT NULL,
    modified TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, email)
);
CREATE INDEX registration_person ON registration(person_id, meeting_id);
CREATE INDEX registration_meeting_name ON registration(meeting_id, name);

-- A registration waiting for its mailed link; only the secret's hash
-- is kept. replaces says the address was registered when the link was
-- sent, and the mail said the link would update that registration.
CREATE TABLE registration_pending (
    hash TEXT PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    affiliation TEXT NOT NULL DEFAULT '',
    country_code TEXT NOT NULL DEFAULT '',
    attendance_type TEXT NOT NULL,
    replaces BOOLEAN NOT NULL DEFAULT FALSE,
    created TIMESTAMP NOT NULL,
    expires TIMESTAMP NOT NULL,
    used TIMESTAMP
);

-- A line of a session's blue sheet (R24): who, through which
-- registration, when they marked it, and how (self, secretariat).
CREATE TABLE attended (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES session(id),
    registration_id INTEGER REFERENCES registration(id),  -- NULL at an interim, which takes no registration
    person_id INTEGER NOT NULL REFERENCES person(id),
    time TIMESTAMP NOT NULL,
    origin TEXT NOT NULL,                   -- self | secretariat
    UNIQUE (session_id, person_id)
);
CREATE INDEX attended_person ON attended(person_id);
CREATE INDEX attended_registration ON attended(registration_id);

-- The fellowship's application deadline per meeting, set by the
-- secretariat.
CREATE TABLE fellowship_call (
    meeting_id INTEGER PRIMARY KEY REFERENCES meeting(id),
    deadline TIMESTAMP NOT NULL,
    modified TIMESTAMP NOT NULL
);

CREATE TABLE fellowship_application (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    statement TEXT NOT NULL,
    country_code TEXT NOT NULL,
    affiliation TEXT NOT NULL DEFAULT '',
    first_meeting BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,                   -- applied | awarded | declined
    decided_by INTEGER REFERENCES person(id),
    created TIMESTAMP NOT NULL,
    modified TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, person_id)
);

CREATE TABLE fellowship_score (
    application_id INTEGER NOT NULL REFERENCES fellowship_application(id),
    reviewer_id INTEGER NOT NULL REFERENCES person(id),
    score INTEGER NOT NULL,                 -- 1 (weak) to 5 (strong)
    comment TEXT NOT NULL DEFAULT '',
    modified TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
);

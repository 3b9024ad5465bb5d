-- People: anyone may have an account; there is no membership.
CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    ascii_name TEXT NOT NULL DEFAULT '',
    biography TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    show_email BOOLEAN NOT NULL DEFAULT FALSE,
    created TIMESTAMP NOT NULL
);

CREATE TABLE email (
    address TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    created TIMESTAMP NOT NULL
);
CREATE INDEX email_person ON email(person_id);

-- Links mailed to confirm an account, an address or a password reset.
-- Only the SHA-256 of the secret is kept.
CREATE TABLE token (
    hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    person_id INTEGER REFERENCES person(id),
    created TIMESTAMP NOT NULL,
    expires TIMESTAMP NOT NULL,
    used TIMESTAMP
);

CREATE TABLE api_key (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person(id),
    hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created TIMESTAMP NOT NULL,
    last_used TIMESTAMP,
    revoked TIMESTAMP
);

CREATE TABLE web_session (
    token TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    expiry TIMESTAMP NOT NULL
);
CREATE INDEX web_session_expiry ON web_session(expiry);

-- Groups: areas, WGs, RGs and the bodies (IESG, IAB, ...). "group" is a
-- reserved word, hence grp.
CREATE TABLE grp (
    id INTEGER PRIMARY KEY,
    acronym TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    state TEXT NOT NULL,
    parent_id INTEGER REFERENCES grp(id),
    description TEXT NOT NULL DEFAULT '',
    list_email TEXT NOT NULL DEFAULT '',
    list_subscribe TEXT NOT NULL DEFAULT '',
    list_archive TEXT NOT NULL DEFAULT '',
    comments TEXT NOT NULL DEFAULT '',
    created TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);
CREATE INDEX grp_parent ON grp(parent_id);
CREATE INDEX grp_type_state ON grp(type, state);

CREATE TABLE role (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES grp(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    created TIMESTAMP NOT NULL,
    UNIQUE (group_id, person_id, name)
);
CREATE INDEX role_person ON role(person_id);

CREATE TABLE charter_rev (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES grp(id),
    rev INTEGER NOT NULL,
    text TEXT NOT NULL,
    by_id INTEGER REFERENCES person(id),
    created TIMESTAMP NOT NULL,
    UNIQUE (group_id, rev)
);

CREATE TABLE milestone (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES grp(id),
    description TEXT NOT NULL,
    due TEXT NOT NULL,
    resolved TEXT NOT NULL DEFAULT '',
    docs TEXT NOT NULL DEFAULT '',
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    created TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);
CREATE INDEX milestone_group ON milestone(group_id);

-- The open record: every change, who made it, when, and why.
CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id INTEGER REFERENCES person(id),
    actor TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    why TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_subject ON event(subject_type, subject, id);
CREATE INDEX event_actor ON event(actor_id, id);

-- Outbound mail, committed with the change that caused it.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    created TIMESTAMP NOT NULL,
    mail_from TEXT NOT NULL,
    rcpt_to TEXT NOT NULL,
    subject TEXT NOT NULL,
    message BLOB NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    last_error TEXT NOT NULL DEFAULT '',
    sent TIMESTAMP
);
CREATE INDEX outbox_queue ON outbox(state, next_attempt);

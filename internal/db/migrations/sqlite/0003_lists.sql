-- Mailing lists (issue 3). A list is {name}@{domain}; a WG's list is
-- named after its acronym and moderated by the group's chairs.
CREATE TABLE list (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    group_id INTEGER REFERENCES grp(id),
    description TEXT NOT NULL DEFAULT '',
    archive_public BOOLEAN NOT NULL DEFAULT TRUE,
    post_policy TEXT NOT NULL DEFAULT 'subscribers',
    max_bytes BIGINT NOT NULL DEFAULT 10485760,
    digest_upto BIGINT NOT NULL DEFAULT 0,
    digest_last TIMESTAMP,
    created TIMESTAMP NOT NULL
);

-- Moderators beyond the group's chairs (and the secretariat).
CREATE TABLE list_moderator (
    list_id INTEGER NOT NULL REFERENCES list(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    created TIMESTAMP NOT NULL,
    PRIMARY KEY (list_id, person_id)
);

-- Non-subscribers a moderator allowed to post without being held.
CREATE TABLE list_allowed (
    list_id INTEGER NOT NULL REFERENCES list(id),
    address TEXT NOT NULL,
    created TIMESTAMP NOT NULL,
    PRIMARY KEY (list_id, address)
);

-- token authenticates one-click unsubscribe and names the subscription
-- in VERP bounce addresses; it is random and never shown to others.
CREATE TABLE subscription (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES list(id),
    address TEXT NOT NULL,
    person_id INTEGER REFERENCES person(id),
    mode TEXT NOT NULL DEFAULT 'each',
    state TEXT NOT NULL DEFAULT 'active',
    token TEXT NOT NULL UNIQUE,
    bounces INTEGER NOT NULL DEFAULT 0,
    last_bounce TIMESTAMP,
    disabled_reason TEXT NOT NULL DEFAULT '',
    created TIMESTAMP NOT NULL,
    UNIQUE (list_id, address)
);
CREATE INDEX subscription_fanout ON subscription(list_id, state, mode);

-- Subscribe and unsubscribe requests waiting for the address to confirm
-- (double opt-in). Only the SHA-256 of the mailed secret is kept.
CREATE TABLE list_pending (
    hash TEXT PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES list(id),
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    mode TEXT NOT NULL DEFAULT 'each',
    created TIMESTAMP NOT NULL,
    expires TIMESTAMP NOT NULL,
    used TIMESTAMP
);

-- Every message that reached a list, as received (with our
-- Authentication-Results on top), and what became of it.
CREATE TABLE list_post (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES list(id),
    archive_id TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL DEFAULT '',
    mail_from TEXT NOT NULL,
    author TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    auth_results TEXT NOT NULL DEFAULT '',
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    dmarc_rewrite BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    raw BLOB NOT NULL,
    received TIMESTAMP NOT NULL,
    decided TIMESTAMP
);
CREATE INDEX list_post_state ON list_post(list_id, state, id);

-- One row per (post, recipient): the durable record of who got what.
-- The unique key is what makes a copy go out at most once per address.
CREATE TABLE delivery (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES list_post(id),
    subscription_id INTEGER NOT NULL REFERENCES subscription(id),
    address TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    last_error TEXT NOT NULL DEFAULT '',
    sent TIMESTAMP,
    UNIQUE (post_id, address)
);
CREATE INDEX delivery_queue ON delivery(state, next_attempt);

-- Issue 14, part A: the addresses hum answers for that are not lists
-- (internal/aliases), and the list rules R19 and R20 (internal/lists).

-- Owned by internal/docs: what a draft's aliases ({name}@, .authors,
-- .chairs, .ad, .shepherd, .notify, .all) are expanded from.
CREATE VIEW doc_alias_ref AS
    SELECT id, name, type, state, group_id, ad_id, shepherd_id, updated FROM doc;
CREATE VIEW doc_author_ref AS
    SELECT doc_id, ord, name, email, person_id FROM doc_author;

-- A message taken for an alias (internal/aliases), so that a sender who
-- sends it again after a lost 250 does not have it delivered twice.
CREATE TABLE alias_message (
    alias TEXT NOT NULL,
    message_id TEXT NOT NULL,
    received TIMESTAMP NOT NULL,
    PRIMARY KEY (alias, message_id)
);

-- R20 (RFC 3934): the steps a WG's chair takes before suspending a
-- disruptive poster: warnings (private, or public on the list) and the
-- consultation of the responsible AD, each recorded.
CREATE TABLE list_conduct (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES list(id),
    address TEXT NOT NULL,                    -- the poster's address, as posted from
    person_id INTEGER REFERENCES person(id),  -- their account, when they have one
    kind TEXT NOT NULL,                       -- warning, public-warning, consultation
    ad_id INTEGER REFERENCES person(id),      -- consultation: the AD consulted
    note TEXT NOT NULL,                       -- what the poster was told; what the AD said
    by_id INTEGER REFERENCES person(id),
    created TIMESTAMP NOT NULL
);
CREATE INDEX list_conduct_poster ON list_conduct(list_id, address, created);

-- A suspension of posting privileges on a WG's list (R20): at most 30
-- days; the poster keeps receiving the list. It ends by itself
-- (lists.Jobs) or is lifted early.
CREATE TABLE list_suspension (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES list(id),
    address TEXT NOT NULL,
    person_id INTEGER REFERENCES person(id),
    reason TEXT NOT NULL,
    starts TIMESTAMP NOT NULL,
    ends TIMESTAMP NOT NULL,
    state TEXT NOT NULL DEFAULT 'active',     -- active, ended, lifted
    event_id INTEGER REFERENCES event(id),    -- the decision, as appeals name it
    by_id INTEGER REFERENCES person(id),
    lifted TIMESTAMP,
    lifted_by INTEGER REFERENCES person(id),
    lift_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX list_suspension_due ON list_suspension(state, ends);
CREATE INDEX list_suspension_poster ON list_suspension(list_id, address);
CREATE INDEX list_suspension_person ON list_suspension(list_id, person_id);

-- Appeals (internal/appeals, RFC 2026 §6.5): an appeal names one decision
-- of the open record (an event) and climbs its chain one level at a time:
-- a WG dispute from the chairs to the AD, the IESG and the IAB (R37,
-- R38); an AD's action from the AD; an IESG action from the IESG Chair
-- to the whole IESG and the IAB, and on a claim that the procedures are
-- inadequate to the ISOC Board of Trustees (R39, R40).

CREATE TABLE appeal (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,                     -- a title, as the Datatracker's Appeal.name
    kind TEXT NOT NULL,                     -- wg, ad, iesg
    group_id INTEGER REFERENCES grp(id),    -- the group the decision concerns, if any
    event_id INTEGER NOT NULL REFERENCES event(id),  -- the decision appealed
    decided TIMESTAMP NOT NULL,             -- when it became public (the event's time, R41)
    decided_by INTEGER REFERENCES person(id),
    subject_type TEXT NOT NULL,             -- the decision's subject: doc, group, ...
    subject TEXT NOT NULL,
    decision TEXT NOT NULL,                 -- the event's summary
    appellant_id INTEGER NOT NULL REFERENCES person(id),
    appellant TEXT NOT NULL,
    facts TEXT NOT NULL,                    -- R41: the facts in detail
    remedy TEXT NOT NULL,                   -- the remedy sought
    procedural BOOLEAN NOT NULL DEFAULT FALSE,  -- claims the procedures are inadequate (R40)
    level TEXT NOT NULL,                    -- where it is now: chairs, ad, iesg-chair, iesg, iab, isoc
    state TEXT NOT NULL DEFAULT 'open',     -- open, answered, final, withdrawn
    annulled BOOLEAN NOT NULL DEFAULT FALSE,  -- the IAB annulled the IESG decision (R39)
    filed TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);
CREATE INDEX appeal_event ON appeal(event_id);
CREATE INDEX appeal_group ON appeal(group_id, state);
CREATE INDEX appeal_state ON appeal(state, level);

-- Each level the appeal was addressed to, in order: why it went there
-- (the escalation's reason), and the level's response.
CREATE TABLE appeal_level (
    appeal_id INTEGER NOT NULL REFERENCES appeal(id),
    seq INTEGER NOT NULL,                   -- 1 for the level first addressed
    level TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',        -- the appellant's reason to escalate
    addressed TIMESTAMP NOT NULL,
    due TIMESTAMP,                          -- the ISOC Board's acknowledgement (R40)
    acknowledged TIMESTAMP,
    response TEXT NOT NULL DEFAULT '',
    responded TIMESTAMP,
    responder_id INTEGER REFERENCES person(id),
    responder TEXT NOT NULL DEFAULT '',
    annuls BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (appeal_id, seq)
);

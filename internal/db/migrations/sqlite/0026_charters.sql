-- Charters as documents (internal/charters): charter-ietf-{acronym}
-- (charter-irtf-{acronym} for an RG), in the Datatracker's charter states,
-- with its proposed texts, its IESG ballots and the clocks of R13's two
-- weeks of review. The approved texts stay in charter_rev (internal/groups):
-- approved revision NN of the document is charter_rev.rev NN, so the
-- group's charter page and the document show one history. Every change is
-- an event on the document's record (subject_type "doc").

-- A charter document, made when its first text is proposed. A group with
-- approved revisions and no row is in state approved at its latest one.
CREATE TABLE charter (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    group_id INTEGER NOT NULL UNIQUE REFERENCES grp(id),
    state TEXT NOT NULL,                 -- notrev, infrev, intrev, extrev, iesgrev, approved, replaced
    rev TEXT NOT NULL,                   -- the current revision: 00-00, 01, 01-02
    intrev_at TIMESTAMP,                 -- internal IESG/IAB review began (R13's first week)
    extrev_at TIMESTAMP,                 -- announced for external review (R13's second week)
    extrev_rev TEXT NOT NULL DEFAULT '',  -- the revision announced for external review
    created TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);

-- A proposed text: revision NN-MM, the MMth proposal after approved
-- revision NN (00 before the first approval).
CREATE TABLE charter_draft (
    id INTEGER PRIMARY KEY,
    charter_id INTEGER NOT NULL REFERENCES charter(id),
    rev TEXT NOT NULL,
    text TEXT NOT NULL,
    by_id INTEGER REFERENCES person(id),
    created TIMESTAMP NOT NULL,
    UNIQUE (charter_id, rev)
);

-- An IESG ballot on a charter: r-extrev ("Ready for external review?")
-- during internal review, approve ("Do we approve of this charter?")
-- during IESG review. At most one is open at a time.
CREATE TABLE charter_ballot (
    id INTEGER PRIMARY KEY,
    charter_id INTEGER NOT NULL REFERENCES charter(id),
    kind TEXT NOT NULL,
    rev TEXT NOT NULL,
    opened TIMESTAMP NOT NULL,
    opened_by INTEGER REFERENCES person(id),
    closed TIMESTAMP
);
CREATE INDEX charter_ballot_charter ON charter_ballot(charter_id);
CREATE UNIQUE INDEX charter_ballot_open ON charter_ballot(charter_id) WHERE closed IS NULL;

-- Every position a sitting AD took on a charter ballot; the newest per
-- person counts.
CREATE TABLE charter_position (
    id INTEGER PRIMARY KEY,
    ballot_id INTEGER NOT NULL REFERENCES charter_ballot(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    pos TEXT NOT NULL,                   -- yes, noobj, block, abstain, norecord
    block TEXT NOT NULL DEFAULT '',      -- what must change, with block
    comment TEXT NOT NULL DEFAULT '',
    at TIMESTAMP NOT NULL
);
CREATE INDEX charter_position_ballot ON charter_position(ballot_id, person_id);

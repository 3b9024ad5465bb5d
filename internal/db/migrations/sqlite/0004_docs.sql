-- Documents: Internet-Drafts and RFCs, one row each, named as the
-- Datatracker names them ("draft-ietf-quic-tls", "rfc9001"). Slugs for
-- states and levels are the Datatracker's, so API users see familiar values.
CREATE TABLE doc (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,                       -- draft, rfc
    rev TEXT NOT NULL DEFAULT '',             -- latest posted revision (drafts)
    title TEXT NOT NULL,
    abstract TEXT NOT NULL DEFAULT '',
    group_id INTEGER REFERENCES grp(id),      -- NULL: individual
    std_level TEXT NOT NULL DEFAULT '',       -- intended (drafts) or current (RFCs): ps, ds, std, bcp, inf, exp, hist, unkn
    stream TEXT NOT NULL DEFAULT '',          -- ietf, irtf, iab, ise, editorial, legacy
    state TEXT NOT NULL,                      -- drafts: active, expired, repl, rfc; RFCs: published
    wg_state TEXT NOT NULL DEFAULT '',        -- RFC 6174 WG state (R15); '' is Null
    iesg_state TEXT NOT NULL DEFAULT '',      -- '' is "I-D Exists"
    ad_id INTEGER REFERENCES person(id),
    shepherd_id INTEGER REFERENCES person(id),
    writeup TEXT NOT NULL DEFAULT '',         -- shepherd write-up (R17)
    lc_ends TIMESTAMP,                        -- end of IETF Last Call (R05/R06)
    rfc_number INTEGER,                       -- RFCs, and drafts published as one
    pages INTEGER NOT NULL DEFAULT 0,
    doc_date TEXT NOT NULL DEFAULT '',        -- date printed on the document, ISO, maybe partial
    posted TIMESTAMP,                         -- latest revision posted
    expires TIMESTAMP,                        -- drafts: 185 days after posting (R02)
    expiry_warned BOOLEAN NOT NULL DEFAULT FALSE,
    created TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);
CREATE INDEX doc_group ON doc(group_id);
CREATE INDEX doc_type_state ON doc(type, state);
CREATE INDEX doc_expires ON doc(state, expires);
CREATE UNIQUE INDEX doc_rfc ON doc(rfc_number, type);
CREATE INDEX doc_ad ON doc(ad_id);

-- Current authors, in front-page order.
CREATE TABLE doc_author (
    doc_id INTEGER NOT NULL REFERENCES doc(id),
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    ascii_name TEXT NOT NULL DEFAULT '',
    organization TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    person_id INTEGER REFERENCES person(id),
    PRIMARY KEY (doc_id, ord)
);
CREATE INDEX doc_author_email ON doc_author(email);
CREATE INDEX doc_author_person ON doc_author(person_id);

-- A submission holds the uploaded files and what was read from them. The
-- posted revision points at it, so files are stored once and only a
-- posted submission is ever a revision.
CREATE TABLE submission (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    rev TEXT NOT NULL,
    title TEXT NOT NULL,
    state TEXT NOT NULL,                      -- auth, grp-appr, posted, cancel
    meta TEXT NOT NULL,                       -- JSON: abstract, authors, level, relations, references
    replaces TEXT NOT NULL DEFAULT '',        -- comma-separated draft names
    submitter TEXT NOT NULL DEFAULT '',       -- the address given as "user" or the logged-in person's
    submitter_id INTEGER REFERENCES person(id),
    token_hash TEXT NOT NULL DEFAULT '',      -- SHA-256 of the mailed confirmation secret
    xml BLOB,
    txt BLOB,
    created TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);
CREATE INDEX submission_name ON submission(name, state);

-- Posted revisions.
CREATE TABLE doc_rev (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES doc(id),
    rev TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_date TEXT NOT NULL DEFAULT '',
    pages INTEGER NOT NULL DEFAULT 0,
    authors TEXT NOT NULL DEFAULT '',         -- JSON, as on the front page of this revision
    submission_id INTEGER REFERENCES submission(id),
    posted TIMESTAMP NOT NULL,
    UNIQUE (doc_id, rev)
);

-- Relations between documents by name, so a relation may point at a
-- document hum does not hold (yet): source obs/updates/replaces target.
CREATE TABLE doc_relation (
    source TEXT NOT NULL,
    type TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (source, type, target)
);
CREATE INDEX doc_relation_target ON doc_relation(target, type);

-- Sub-series: "std90" or "bcp14" names one or more RFCs.
CREATE TABLE doc_series (
    series TEXT NOT NULL,
    doc_id INTEGER NOT NULL REFERENCES doc(id),
    PRIMARY KEY (series, doc_id)
);
CREATE INDEX doc_series_doc ON doc_series(doc_id);

-- IESG ballots: one per evaluation; positions are kept as history, the
-- newest per AD counts.
CREATE TABLE ballot (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES doc(id),
    opened TIMESTAMP NOT NULL,
    closed TIMESTAMP,
    deferred BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX ballot_doc ON ballot(doc_id);

CREATE TABLE ballot_position (
    id INTEGER PRIMARY KEY,
    ballot_id INTEGER NOT NULL REFERENCES ballot(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    pos TEXT NOT NULL,                        -- yes, noobj, discuss, abstain, recuse
    discuss TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    at TIMESTAMP NOT NULL
);
CREATE INDEX ballot_position_ballot ON ballot_position(ballot_id, person_id, id);

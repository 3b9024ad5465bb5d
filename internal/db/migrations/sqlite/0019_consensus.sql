-- Consensus on the list (internal/consensus): decisions taken at
-- meetings and awaiting list confirmation (R31), consensus calls posted
-- to a WG's list, the chair's notes on the replies, the objections and
-- issues raised (each open or addressed, R33), and participants' requests
-- that the chairs start a call. There are no votes to count (R30, R32):
-- a note is the chair's reading of one message, never a ballot.

-- A decision taken in a session (of an IETF meeting or an interim); it
-- stays pending until a confirmation call about it closes (R31).
CREATE TABLE decision (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES grp(id),
    session_id INTEGER REFERENCES session(id),
    text TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',  -- pending, confirmed, reversed
    recorded_by INTEGER REFERENCES person(id),
    recorded TIMESTAMP NOT NULL,
    settled TIMESTAMP,
    settled_by_call INTEGER,                -- the confirmation call that settled it
    reason TEXT NOT NULL DEFAULT ''         -- why reversed: the call's outcome
);
CREATE INDEX decision_group ON decision(group_id, state);
CREATE INDEX decision_session ON decision(session_id);

-- A consensus call on a WG's list: adoption of a draft, WG last call
-- on a draft, confirmation of a decision, or a free question.
CREATE TABLE consensus_call (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES grp(id),
    kind TEXT NOT NULL,                     -- adoption, wglc, confirm, question
    doc_id INTEGER REFERENCES doc(id),      -- adoption and wglc
    rev TEXT NOT NULL DEFAULT '',           -- the revision the call is on
    decision_id INTEGER REFERENCES decision(id),  -- confirm
    question TEXT NOT NULL,
    list TEXT NOT NULL,                     -- the list it was posted to
    message_id TEXT NOT NULL,               -- the call's Message-Id: the thread's root
    opened_by INTEGER REFERENCES person(id),
    opened TIMESTAMP NOT NULL,
    deadline TIMESTAMP NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',     -- open, closed
    outcome TEXT NOT NULL DEFAULT '',       -- consensus, rough, none, withdrawn
    explanation TEXT NOT NULL DEFAULT '',
    closed_by INTEGER REFERENCES person(id),
    closed TIMESTAMP,
    outcome_message_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consensus_call_group ON consensus_call(group_id, state);
CREATE INDEX consensus_call_doc ON consensus_call(doc_id);
CREATE INDEX consensus_call_message ON consensus_call(message_id);

-- The chair's reading of one message of a call's thread.
CREATE TABLE consensus_note (
    call_id INTEGER NOT NULL REFERENCES consensus_call(id),
    message_id TEXT NOT NULL,
    kind TEXT NOT NULL,                     -- supports, objects, issue, comment
    note TEXT NOT NULL DEFAULT '',
    noted_by INTEGER REFERENCES person(id),
    noted TIMESTAMP NOT NULL,
    PRIMARY KEY (call_id, message_id)
);

-- An objection or issue raised in a call (R33): open until the chair marks
-- it addressed, linking the message or the revision that addressed it.
CREATE TABLE consensus_issue (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES consensus_call(id),
    message_id TEXT NOT NULL,               -- the message that raised it
    kind TEXT NOT NULL,                     -- objects, issue
    summary TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'open',     -- open, addressed
    addressed_message_id TEXT NOT NULL DEFAULT '',
    addressed_rev TEXT NOT NULL DEFAULT '',
    addressed_note TEXT NOT NULL DEFAULT '',
    addressed_by INTEGER REFERENCES person(id),
    addressed TIMESTAMP
);
CREATE INDEX consensus_issue_call ON consensus_issue(call_id, state);

-- A participant's request that the chairs start a call for adoption or a
-- WG last call on a draft; it waits until they open the call or decline.
CREATE TABLE call_request (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES grp(id),
    doc_id INTEGER NOT NULL REFERENCES doc(id),
    kind TEXT NOT NULL,                     -- adoption, wglc
    reason TEXT NOT NULL,
    requested_by INTEGER NOT NULL REFERENCES person(id),
    requested TIMESTAMP NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting',  -- waiting, opened, declined
    call_id INTEGER REFERENCES consensus_call(id),
    answer TEXT NOT NULL DEFAULT '',        -- why declined
    answered_by INTEGER REFERENCES person(id),
    answered TIMESTAMP
);
CREATE INDEX call_request_group ON call_request(group_id, state);

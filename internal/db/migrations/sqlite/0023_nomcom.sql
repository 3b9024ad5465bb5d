-- The Nominating Committee (internal/nomcom): one per year, its call for
-- volunteers, the published pool and random sources of its selection
-- (RFC 3797, R49), the positions it fills, nominations, the community's
-- feedback and the committee's deliberations (both private to the
-- committee), its choices and their confirmation. Every change is an
-- event with subject_type "nomcom" and the year as subject.

-- A NomCom. Its members hold roles in its group (nomcom2026): the chair,
-- appointed by the ISOC President and recorded by the secretariat, and
-- the voting members the selection seats.
CREATE TABLE nomcom (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE,
    group_id INTEGER NOT NULL REFERENCES grp(id),
    state TEXT NOT NULL,                     -- new, open, pool, selected
    call_date TEXT NOT NULL DEFAULT '',      -- YYYY-MM-DD: the call for volunteers, the day eligibility is judged on
    seats INTEGER NOT NULL DEFAULT 10,       -- voting members to select (R49)
    values_date TEXT NOT NULL DEFAULT '',    -- YYYY-MM-DD: when the sources' values become known
    selection_key TEXT NOT NULL DEFAULT '',  -- RFC 3797 §4's key, once the values are in
    created TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);

-- A volunteer for voting membership, with the primary affiliation they
-- gave (R49). pool_pos is their position in the published pool, set when
-- the pool is announced; seat is the seat the selection gave them.
CREATE TABLE nomcom_volunteer (
    id INTEGER PRIMARY KEY,
    nomcom_id INTEGER NOT NULL REFERENCES nomcom(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    affiliation TEXT NOT NULL,
    paths TEXT NOT NULL DEFAULT '',          -- the eligibility paths met when volunteering: "R45 R46"
    pool_pos INTEGER,
    excluded TEXT NOT NULL DEFAULT '',       -- why a volunteer is not in the pool
    seat INTEGER,
    created TIMESTAMP NOT NULL,
    UNIQUE (nomcom_id, person_id)
);

-- The random sources, announced before their values are known (RFC 3797
-- §3.1), in the order their values are joined into the key.
CREATE TABLE nomcom_source (
    nomcom_id INTEGER NOT NULL REFERENCES nomcom(id),
    ord INTEGER NOT NULL,
    description TEXT NOT NULL,
    value TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (nomcom_id, ord)
);

-- A position the NomCom fills: one seat of an area's ADs or of the IAB.
-- Positions of the IESG are confirmed by the IAB, those of the IAB by the
-- ISOC Board of Trustees.
CREATE TABLE nomcom_position (
    id INTEGER PRIMARY KEY,
    nomcom_id INTEGER NOT NULL REFERENCES nomcom(id),
    name TEXT NOT NULL,
    group_id INTEGER NOT NULL REFERENCES grp(id),  -- the area, or the IAB
    role TEXT NOT NULL,                            -- ad, member
    incumbent_id INTEGER REFERENCES person(id),    -- whose term ends
    chosen_id INTEGER REFERENCES person(id),       -- the NomCom's selection, sent for confirmation
    chosen TIMESTAMP,
    confirmed TIMESTAMP,
    confirmed_by INTEGER REFERENCES person(id),
    confirm_event INTEGER,                         -- the event that records the confirmation
    start_date TEXT NOT NULL DEFAULT '',           -- YYYY-MM-DD: the role is granted on this day
    seated TIMESTAMP,                              -- when it was granted
    created TIMESTAMP NOT NULL,
    UNIQUE (nomcom_id, name)
);

-- A nomination: anyone may nominate; the nominee accepts or declines.
CREATE TABLE nomcom_nomination (
    id INTEGER PRIMARY KEY,
    position_id INTEGER NOT NULL REFERENCES nomcom_position(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    nominator_id INTEGER NOT NULL REFERENCES person(id),
    state TEXT NOT NULL,                     -- pending, accepted, declined
    created TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL,
    UNIQUE (position_id, person_id)
);

-- Community feedback on a nominee, and the committee's deliberations:
-- read only by the NomCom's members and chair.
CREATE TABLE nomcom_comment (
    id INTEGER PRIMARY KEY,
    nomination_id INTEGER NOT NULL REFERENCES nomcom_nomination(id),
    author_id INTEGER NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL,                      -- feedback, deliberation
    body TEXT NOT NULL,
    created TIMESTAMP NOT NULL
);
CREATE INDEX nomcom_comment_nomination ON nomcom_comment(nomination_id);

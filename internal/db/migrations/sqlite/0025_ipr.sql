-- IPR disclosures (internal/ipr), as the Datatracker's IPR tool keeps
-- them (RFC 8179, BCP 79): a patent holder's disclosure about named
-- documents ("specific"), a holder's general licensing statement
-- ("generic", with or without a patent), and a participant's disclosure
-- of someone else's IPR ("third-party"). A disclosure is filed pending,
-- is public once the secretariat posts it, and may later be removed; an
-- update is a new disclosure that names the ones it updates. Every step
-- is an event on the disclosure's record (subject_type "ipr"), and
-- posting and removal are events on each document it names. Also the
-- authors' confirmations that the IPR they know of is disclosed (R11).

CREATE TABLE ipr_disclosure (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                          -- specific, generic, third-party
    state TEXT NOT NULL,                         -- pending, parked, posted, rejected, removed
    title TEXT NOT NULL,
    holder_legal_name TEXT NOT NULL,
    holder_contact_name TEXT NOT NULL DEFAULT '',
    holder_contact_email TEXT NOT NULL DEFAULT '',
    holder_contact_info TEXT NOT NULL DEFAULT '',
    ietfer_name TEXT NOT NULL DEFAULT '',        -- whose personal belief triggered it (third-party)
    ietfer_contact_email TEXT NOT NULL DEFAULT '',
    ietfer_contact_info TEXT NOT NULL DEFAULT '',
    patent_number TEXT NOT NULL DEFAULT '',      -- e.g. US62/123456, WO2017123456; comma-separated
    patent_inventor TEXT NOT NULL DEFAULT '',
    patent_title TEXT NOT NULL DEFAULT '',
    patent_date TEXT NOT NULL DEFAULT '',        -- YYYY-MM-DD, granted or applied for
    patent_notes TEXT NOT NULL DEFAULT '',
    has_patent_pending BOOLEAN NOT NULL DEFAULT FALSE,
    licensing TEXT NOT NULL DEFAULT '',          -- an iprlicensetypename slug (specific only)
    licensing_comments TEXT NOT NULL DEFAULT '',
    submitter_claims_all_terms_disclosed BOOLEAN NOT NULL DEFAULT FALSE,
    is_blanket_disclosure BOOLEAN NOT NULL DEFAULT FALSE,
    statement TEXT NOT NULL DEFAULT '',          -- generic: the licensing statement
    notes TEXT NOT NULL DEFAULT '',
    other_designations TEXT NOT NULL DEFAULT '', -- contributions hum does not hold
    compliant BOOLEAN NOT NULL DEFAULT TRUE,
    submitter_name TEXT NOT NULL,
    submitter_email TEXT NOT NULL,
    by_id INTEGER REFERENCES person(id),         -- the account that filed it; NULL: hum (the demo)
    filed TIMESTAMP NOT NULL,                    -- when it was filed
    posted TIMESTAMP                             -- first posted by the secretariat
);
CREATE INDEX ipr_disclosure_state ON ipr_disclosure(state);

-- The documents a disclosure names, with the revisions (e.g. "00-02")
-- and sections it covers.
CREATE TABLE ipr_doc (
    disclosure_id INTEGER NOT NULL REFERENCES ipr_disclosure(id),
    doc_id INTEGER NOT NULL REFERENCES doc(id),
    revisions TEXT NOT NULL DEFAULT '',
    sections TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (disclosure_id, doc_id)
);
CREATE INDEX ipr_doc_doc ON ipr_doc(doc_id);

-- Source updates target: an update keeps the history of the disclosures
-- it replaces.
CREATE TABLE ipr_related (
    source_id INTEGER NOT NULL REFERENCES ipr_disclosure(id),
    target_id INTEGER NOT NULL REFERENCES ipr_disclosure(id),
    relationship TEXT NOT NULL DEFAULT 'updates',
    PRIMARY KEY (source_id, target_id)
);
CREATE INDEX ipr_related_target ON ipr_related(target_id);

-- An author's confirmation about one revision of a draft (R11): "none",
-- they know of no IPR covering it; "disclosed", every IPR they know of
-- covering it is disclosed.
CREATE TABLE ipr_confirmation (
    doc_id INTEGER NOT NULL REFERENCES doc(id),
    rev TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person(id),
    answer TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (doc_id, rev, person_id)
);

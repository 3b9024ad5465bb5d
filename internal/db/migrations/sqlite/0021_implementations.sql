-- Implementation reports (internal/implementations): running code for a
-- draft, as RFC 7942 asks authors to record it in an "Implementation
-- Status" section (R10), and the interoperability tests between two
-- implementations of the same draft. Every change is an event on the
-- draft's record (subject_type "doc").

-- One implementation of a draft, reported by anyone logged in.
CREATE TABLE impl_report (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES doc(id),
    rev TEXT NOT NULL,                        -- the revision implemented; one the draft has
    name TEXT NOT NULL,                       -- the implementation's name
    organization TEXT NOT NULL DEFAULT '',    -- implementer or organisation
    url TEXT NOT NULL DEFAULT '',             -- http or https only
    description TEXT NOT NULL DEFAULT '',
    coverage TEXT NOT NULL DEFAULT '',        -- which parts of the spec
    maturity TEXT NOT NULL DEFAULT '',        -- research, prototype, alpha, beta, production, widely-used
    licence TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    info_date TEXT NOT NULL,                  -- YYYY-MM-DD: when the information was true
    author_id INTEGER REFERENCES person(id),    -- the account that added it; NULL: hum (the demo)
    created TIMESTAMP NOT NULL,
    updated TIMESTAMP NOT NULL
);
CREATE INDEX impl_report_doc ON impl_report(doc_id);

-- An interoperability test recorded on a report, with another
-- implementation of the same draft.
CREATE TABLE interop_test (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES impl_report(id),
    other_id INTEGER NOT NULL REFERENCES impl_report(id),
    tested TEXT NOT NULL,                     -- YYYY-MM-DD
    result TEXT NOT NULL,                     -- pass, partial, fail
    notes TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES person(id),
    recorded TIMESTAMP NOT NULL
);
CREATE INDEX interop_test_report ON interop_test(report_id);
CREATE INDEX interop_test_other ON interop_test(other_id);

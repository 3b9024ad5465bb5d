-- Document search by text in the name or title (/doc/search/?name=) is a
-- substring search, as the Datatracker's: "quic" finds draft-ietf-quic-tls.
-- pg_trgm's GIN index answers ILIKE '%x%' directly. One index over name
-- and title together: with one per column the planner preferred a
-- sequential scan (30 ms over 20,000 documents). fastupdate is off because
-- its pending list, filled by every insert until a vacuum, is read by
-- every search: a name search took 140 ms after a bulk load. pg_trgm ships with PostgreSQL (contrib) but
-- creating it needs a privilege hum may lack: then the documents are
-- indexed by words instead (a tsvector over name and title, 'simple'
-- configuration) and docs/search.go matches word prefixes ("quic" still
-- finds draft-ietf-quic-tls, "uic" no longer does). The extension goes
-- into public, not the current schema, so that dropping one schema (a
-- test's) never drops it from under another.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_trgm is not available (%); document search falls back to word prefixes', SQLERRM;
        END;
    END IF;
END $$;

DO $$
DECLARE
    s TEXT;
BEGIN
    SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF s IS NOT NULL THEN
        EXECUTE format('CREATE INDEX doc_text_trgm ON doc USING GIN ((name || '' '' || title) %I.gin_trgm_ops) WITH (fastupdate = off)', s);
    ELSE
        CREATE INDEX doc_words_fts ON doc USING GIN (to_tsvector('simple', name || ' ' || title)) WITH (fastupdate = off);
    END IF;
END $$;

-- The alternate ballot (R36): when a DISCUSS is held and cannot be
-- resolved, each sitting AD says yes or no to the document going ahead,
-- and the secretariat records the answers. One row per AD and ballot.
CREATE TABLE ballot_alt (
    ballot_id BIGINT NOT NULL REFERENCES ballot(id),
    person_id BIGINT NOT NULL REFERENCES person(id),
    vote TEXT NOT NULL,                       -- yes, no, recuse
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (ballot_id, person_id)
);

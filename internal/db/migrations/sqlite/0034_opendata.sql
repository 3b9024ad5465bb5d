-- Each ballot position names the event that recorded it, so that the
-- API's doc/ballotpositiondocevent joins the two by id rather than by
-- (person, time), which matched every position an AD took within one
-- tick of the clock. Positions taken before this migration get the
-- event of their document, person and time in the same order.
ALTER TABLE ballot_position ADD COLUMN event_id INTEGER REFERENCES event(id);

UPDATE ballot_position SET event_id = (
    SELECT e.id
    FROM (SELECT bp.id, bp.person_id, bp.at, d.name,
                 ROW_NUMBER() OVER (PARTITION BY d.name, bp.person_id, bp.at ORDER BY bp.id) AS n
          FROM ballot_position bp JOIN ballot b ON b.id = bp.ballot_id JOIN doc d ON d.id = b.doc_id) p
    JOIN (SELECT e.id, e.subject, e.actor_id, e.at,
                 ROW_NUMBER() OVER (PARTITION BY e.subject, e.actor_id, e.at ORDER BY e.id) AS n
          FROM event e WHERE e.subject_type = 'doc' AND e.kind = 'ballot_position') e
      ON e.subject = p.name AND e.actor_id = p.person_id AND e.at = p.at AND e.n = p.n
    WHERE p.id = ballot_position.id);

CREATE INDEX ballot_position_event ON ballot_position(event_id);

-- The latest public dump of the record (package export): a SQLite file,
-- kept in the database so that every process serves the same one at
-- /api/export/, in chunks so that none is one huge value.
CREATE TABLE public_dump (
    id INTEGER PRIMARY KEY,
    created TIMESTAMP NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT ''
);
CREATE TABLE public_dump_chunk (
    dump_id INTEGER NOT NULL REFERENCES public_dump(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (dump_id, seq)
);

-- Likewise each placement on a telechat agenda names its event, for the
-- API's doc/telechatdocevent.
ALTER TABLE telechat_doc ADD COLUMN event_id INTEGER REFERENCES event(id);

UPDATE telechat_doc SET event_id = (
    SELECT e.id
    FROM (SELECT td.id, td.at, d.name,
                 ROW_NUMBER() OVER (PARTITION BY d.name, td.at ORDER BY td.id) AS n
          FROM telechat_doc td JOIN doc d ON d.id = td.doc_id) p
    JOIN (SELECT e.id, e.subject, e.at,
                 ROW_NUMBER() OVER (PARTITION BY e.subject, e.at ORDER BY e.id) AS n
          FROM event e WHERE e.subject_type = 'doc' AND e.kind = 'telechat') e
      ON e.subject = p.name AND e.at = p.at AND e.n = p.n
    WHERE p.id = telechat_doc.id);

CREATE INDEX telechat_doc_event ON telechat_doc(event_id);

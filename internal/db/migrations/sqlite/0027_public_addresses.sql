-- What the open record as data (internal/opendata: the Datatracker's API
-- and the public dump) reads of the documents' tables, published as a
-- view as 0011 and 0022 do. Owned by internal/docs: the addresses authors
-- printed in their drafts, which the Datatracker makes public
-- (person/email), with the draft each is printed in.
CREATE VIEW author_address AS
    SELECT LOWER(a.email) AS address, a.person_id, d.name AS doc_name, d.created AS doc_created
    FROM doc_author a JOIN doc d ON d.id = a.doc_id
    WHERE a.email <> '';

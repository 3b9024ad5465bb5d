-- The API's lists answer in a few milliseconds (issue 12).
-- person/email and person/historicalemail ask, for every address, whether
-- an author printed it (the author_address view lowers doc_author.email).
CREATE INDEX doc_author_lower_email ON doc_author(LOWER(email));
-- person/historicalemail numbers an address by the event that recorded
-- it: the person's event at the address's creation.
CREATE INDEX event_subject_at ON event(subject_type, subject, at);

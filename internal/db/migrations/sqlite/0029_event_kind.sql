-- The record's events of one kind about one type of subject: NomCom
-- eligibility by service (R46) reads the role revocations of every WG
-- (groups.Tenures) without reading each group's whole history.
CREATE INDEX event_kind ON event(subject_type, kind, id);

-- Meetings and consensus on the API's registry (issue 12).

-- Owned by internal/archive: where a message sits in the archive, which
-- consensus/call's thread links to (/arch/msg/{list}/{hashcode}/),
-- published as 0011 and 0022 do.
CREATE VIEW arch_message_ref AS SELECT list, hashcode, message_id FROM arch_message;

-- meeting/timeslot's default order is the Datatracker's, newest first:
-- an index serves its pages by keyset.
CREATE INDEX timeslot_start ON timeslot(start, id);

-- What internal/consensus reads of other capabilities' tables for
-- decisions from meetings (R31), requests for calls and the chairs'
-- dashboard, published as views as 0011 and 0016 do, so that the owners
-- may change their tables as long as the views still answer.

-- Owned by internal/meetings: a session, with its meeting.
CREATE VIEW session_ref AS
    SELECT s.id, s.meeting_id, m.number AS meeting, m.type AS meeting_type, m.date AS meeting_date,
        s.group_id, s.name, s.status
    FROM session s JOIN meeting m ON m.id = s.meeting_id;

-- Owned by internal/docs: a document's WG state and whether its
-- shepherd write-up (R17) is written.
CREATE VIEW doc_wg_ref AS
    SELECT id, name, type, rev, title, group_id, state, wg_state,
        CASE WHEN writeup = '' THEN 0 ELSE 1 END AS has_writeup
    FROM doc;

-- A decision is recorded once per session (from the minutes as by hand).
CREATE UNIQUE INDEX decision_once ON decision(session_id, text);

-- One waiting request of a kind per draft and group: a second one is
-- refused, naming the first.
CREATE UNIQUE INDEX call_request_waiting ON call_request(doc_id, group_id, kind) WHERE state = 'waiting';

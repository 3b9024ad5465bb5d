-- Ended roles, as data (R46). A role's row is deleted when it is
-- revoked; groups.Revoke now keeps what ended here: who held which role
-- in which group, from when (NULL: before the record) to when, and the
-- revocation's event. NomCom eligibility by service reads it, so a
-- person renamed since is still found by their account, never by the
-- name the record's summary gave them then.
CREATE TABLE role_ended (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES grp(id),
    person_id INTEGER NOT NULL REFERENCES person(id),
    name TEXT NOT NULL,
    started TIMESTAMP,
    ended TIMESTAMP NOT NULL,
    event_id INTEGER REFERENCES event(id)
);
CREATE INDEX role_ended_ended ON role_ended(ended);
CREATE INDEX role_ended_person ON role_ended(person_id, ended);

-- The revocations an older hum recorded only as words ("NAME is no
-- longer ROLE"): each is matched to the one account that bears NAME now
-- (none or several: left out, as before), its start to the latest grant
-- of that role to that name before it.
WITH title(slug, suffix) AS (VALUES
    ('chair', ' is no longer Chair'),
    ('ad', ' is no longer Area Director'),
    ('secr', ' is no longer Secretary'),
    ('delegate', ' is no longer Delegate'),
    ('member', ' is no longer Member'),
    ('liaison', ' is no longer Liaison Member'),
    ('exofficio', ' is no longer Ex-officio Member'),
    ('editor', ' is no longer Editor'),
    ('techadv', ' is no longer Tech Advisor'),
    ('advisor', ' is no longer Advisor'),
    ('lead', ' is no longer Lead'),
    ('pre-ad', ' is no longer Incoming Area Director'),
    ('auth', ' is no longer Authorized Individual'),
    ('matman', ' is no longer Materials Manager'),
    ('execdir', ' is no longer Executive Director'),
    ('ceo', ' is no longer CEO'),
    ('reviewer', ' is no longer Reviewer'),
    ('atlarge', ' is no longer At Large Member'),
    ('coord', ' is no longer Co-ordinator'),
    ('liaiman', ' is no longer Liaison Manager'),
    ('announce', ' is no longer List Announcer')
), revoked AS (
    SELECT e.id, e.at, g.id AS group_id, t.slug, t.suffix,
        SUBSTR(e.summary, 1, LENGTH(e.summary) - LENGTH(t.suffix)) AS who, e.subject
    FROM event e JOIN grp g ON g.acronym = e.subject JOIN title t
        ON LENGTH(e.summary) > LENGTH(t.suffix) AND SUBSTR(e.summary, LENGTH(e.summary) - LENGTH(t.suffix) + 1) = t.suffix
    WHERE e.subject_type = 'group' AND e.kind = 'role_revoked'
)
INSERT INTO role_ended (group_id, person_id, name, started, ended, event_id)
SELECT r.group_id, p.id, r.slug,
    (SELECT s.at FROM event s WHERE s.subject_type = 'group' AND s.subject = r.subject AND s.kind = 'role_granted'
        AND s.summary = r.who || REPLACE(r.suffix, ' is no longer ', ' is now ') AND s.id < r.id ORDER BY s.id DESC LIMIT 1),
    r.at, r.id
FROM revoked r JOIN person p ON p.name = r.who
WHERE NOT EXISTS (SELECT 1 FROM person q WHERE q.name = r.who AND q.id <> p.id)
ORDER BY r.id;

-- R19: a working group's archive is public. An older hum let one be
-- made private; hum made it public again at every start, which is a
-- one-time data fix, done here once, each an event naming R19.
INSERT INTO event (at, actor, subject_type, subject, kind, summary, why)
SELECT CURRENT_TIMESTAMP, '(System)', 'list', l.name, 'list_configured',
    'Archive made public: a working group''s archive is public (R19)', 'RFC 2418 section 2.2'
FROM list l JOIN grp g ON g.id = l.group_id
WHERE NOT l.archive_public AND g.type = 'wg' ORDER BY l.name;
UPDATE list SET archive_public = TRUE
WHERE NOT archive_public AND group_id IN (SELECT id FROM grp WHERE type = 'wg');

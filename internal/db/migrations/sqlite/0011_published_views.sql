-- What other packages may read of people's and groups' tables. person and
-- email belong to internal/people, grp and role to internal/groups; docs
-- and lists join these views instead, so the owners may change their
-- tables (and keep passwords and the like to themselves) as long as the
-- views still answer. Each is a plain projection or inner join, which
-- both engines fold into the query that uses it.

-- Owned by internal/people.
CREATE VIEW person_name AS SELECT id, name FROM person;
CREATE VIEW person_address AS SELECT person_id, address, is_primary FROM email;

-- Owned by internal/groups.
CREATE VIEW group_ref AS SELECT id, acronym, name, type, state, parent_id FROM grp;
CREATE VIEW role_holder AS
    SELECT r.group_id, g.acronym, g.type AS group_type, g.state AS group_state, r.person_id, r.name AS role, r.email
    FROM role r JOIN grp g ON g.id = r.group_id;

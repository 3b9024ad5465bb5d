package people

import "hum/internal/opendata"

// OpenData is the people's part of the Datatracker's API: the resources
// of its person app (see package opendata for what an entry says).
//
// Addresses are public as they are on the Datatracker, and no others:
// the address a person holds a role with (or their primary one, where a
// role names an address they no longer have), the addresses authors
// printed in their drafts, and the primary address of a person who chose
// to show it. An address hum knows only from the mail archive is never
// here, whatever --hide-addresses says.
func (s *Service) OpenData() []opendata.Resource {
	return []opendata.Resource{personResource(), emailResource(), aliasResource(), historicalEmailResource()}
}

// publicAddress is the condition on an email row e (of person p) that
// makes it public.
const publicAddress = `(EXISTS (SELECT 1 FROM role_holder rh WHERE rh.person_id = e.person_id AND (rh.email = e.address
		OR (e.is_primary AND NOT EXISTS (SELECT 1 FROM email e3 WHERE e3.person_id = rh.person_id AND e3.address = rh.email))))
	OR EXISTS (SELECT 1 FROM author_address aa WHERE aa.address = e.address)
	OR (e.is_primary AND p.show_email))`

// systemPerson is "(System)", the actor of the changes hum makes itself
// (imports, timers), as the Datatracker has one: events it made point to
// person 0 rather than to nobody, since a client requires their "by".
const systemPerson = `SELECT 0, '(System)', '', '', (SELECT MIN(p0.created) FROM person p0)`

const (
	all = opendata.All
	rel = opendata.AllWithRelations
)

// personResource is person/person (ietf/person/resources.py
// PersonResource; fields of ietf/person/models.py Person).
func personResource() opendata.Resource {
	return opendata.Resource{
		App: "person", Model: "person", Key: "id",
		Table: &opendata.Table{From: `(SELECT id, name, ascii_name, biography, created FROM person
			UNION ALL ` + systemPerson + `) pp`},
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "pp.id"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "pp.name"},
			{Name: "ascii", Type: opendata.String, Filter: all, Col: "CASE WHEN pp.ascii_name = '' THEN pp.name ELSE pp.ascii_name END"},
			{Name: "biography", Type: opendata.String, Filter: all, Col: "pp.biography"},
			{Name: "time", Type: opendata.DateTime, Filter: all, Col: "pp.created"},
			// What hum keeps no value for: the Datatracker's empty values.
			{Name: "ascii_short", Type: opendata.String, Null: true, Filter: all, Empty: true},
			{Name: "plain", Type: opendata.String, Empty: true},
			{Name: "photo", Type: opendata.String, Null: true, Filter: all, Empty: true},
			{Name: "photo_thumb", Type: opendata.String, Null: true, Empty: true},
			{Name: "name_from_draft", Type: opendata.String, Null: true, Empty: true},
			{Name: "pronouns_selectable", Type: opendata.String, Null: true, Value: "[]"},
			{Name: "pronouns_freetext", Type: opendata.String, Null: true, Empty: true},
			{Name: "user", Type: opendata.ToOne, To: "utils/user", Null: true, Filter: rel, Empty: true},
		},
	}
}

// emailResource is person/email (EmailResource), keyed by address: the
// public addresses of accounts, and authors' addresses that belong to
// no account (origin "author: draft-name", as the Datatracker says).
func emailResource() opendata.Resource {
	return opendata.Resource{
		App: "person", Model: "email", Key: "address",
		Table: &opendata.Table{From: `(SELECT e.address, e.person_id, e.created, e.is_primary, e.address AS origin
				FROM email e JOIN person p ON p.id = e.person_id WHERE ` + publicAddress + `
			UNION ALL
			SELECT aa.address, MIN(aa.person_id), MIN(aa.doc_created), FALSE, 'author: ' || MIN(aa.doc_name)
				FROM author_address aa WHERE NOT EXISTS (SELECT 1 FROM email e2 WHERE e2.address = aa.address)
				GROUP BY aa.address) pe`},
		Ordering: []string{"address"}, Order: []string{"address"},
		Fields: []opendata.Field{
			{Name: "address", Type: opendata.String, Filter: all, Col: "pe.address"},
			{Name: "person", Type: opendata.ToOne, To: "person/person", Null: true, Filter: rel, Col: "pe.person_id"},
			{Name: "time", Type: opendata.DateTime, Filter: all, Col: "pe.created"},
			{Name: "primary", Type: opendata.Boolean, Col: "pe.is_primary"},
			{Name: "origin", Type: opendata.String, Col: "pe.origin"},
			{Name: "active", Type: opendata.Boolean, Filter: all, Value: true},
		},
	}
}

// aliasResource is person/alias (AliasResource): the Datatracker keeps
// each person's name, and their ASCII name where it differs, as aliases;
// hum derives the same two, numbered 2×id and 2×id+1 so that their ids
// stay put.
func aliasResource() opendata.Resource {
	return opendata.Resource{
		App: "person", Model: "alias", Key: "id",
		Table: &opendata.Table{From: `(SELECT p.id * 2 AS id, p.id AS person_id, p.name FROM person p
			UNION ALL
			SELECT p.id * 2 + 1, p.id, p.ascii_name FROM person p WHERE p.ascii_name <> '' AND p.ascii_name <> p.name) al`},
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "al.id"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "al.name"},
			{Name: "person", Type: opendata.ToOne, To: "person/person", Filter: rel, Col: "al.person_id"},
		},
	}
}

// addressKinds are the kinds of event that record an address's arrival
// (in the same transaction as the address, so at its creation time).
const addressKinds = `('person_added', 'account_created', 'email_added')`

// addressEvents joins each address e to the event that recorded it, ae:
// the first of its person's events of addressKinds at its creation. The
// join is on the columns of event_subject_at (0035), and "the first" is
// that no such event has a lower id, so that both engines look the event
// up by that index. Joined by id to a scalar subquery, as it was before
// (issue 12), PostgreSQL could not look it up: it hashed every event of
// the record, whatever the page, and a record of many events made every
// person/historicalemail request slow.
const addressEvents = `email e JOIN person p ON p.id = e.person_id
	JOIN event ae ON ae.subject_type = 'person' AND ae.subject = CAST(e.person_id AS TEXT) AND ae.at = e.created
		AND ae.kind IN ` + addressKinds + `
		AND NOT EXISTS (SELECT 1 FROM event ev WHERE ev.subject_type = 'person' AND ev.subject = ae.subject AND ev.at = ae.at
			AND ev.kind IN ` + addressKinds + ` AND ev.id < ae.id)`

// historicalEmailResource is person/historicalemail
// (HistoricalEmailResource). hum keeps no past versions of an address, so
// each public address has one history row, its creation (history_type
// "+"), numbered by the event that recorded it.
func historicalEmailResource() opendata.Resource {
	return opendata.Resource{
		App: "person", Model: "historicalemail", Key: "history_id",
		Table: &opendata.Table{From: addressEvents, Where: publicAddress},
		Order: []string{"-history_date", "-history_id"},
		Fields: []opendata.Field{
			{Name: "history_id", Type: opendata.Integer, Filter: all, Col: "ae.id"},
			{Name: "address", Type: opendata.String, Filter: all, Col: "e.address"},
			{Name: "person", Type: opendata.ToOne, To: "person/person", Null: true, Filter: rel, Col: "e.person_id"},
			{Name: "time", Type: opendata.DateTime, Filter: all, Col: "e.created"},
			{Name: "primary", Type: opendata.Boolean, Filter: all, Col: "e.is_primary"},
			{Name: "origin", Type: opendata.String, Filter: all, Col: "e.address"},
			{Name: "active", Type: opendata.Boolean, Filter: all, Value: true},
			{Name: "history_date", Type: opendata.DateTime, Filter: all, Col: "e.created"},
			{Name: "history_change_reason", Type: opendata.String, Null: true, Filter: all, Empty: true},
			{Name: "history_type", Type: opendata.String, Filter: all, Value: "+"},
			{Name: "history_user", Type: opendata.ToOne, To: "utils/user", Null: true, Filter: rel, Empty: true},
		},
	}
}

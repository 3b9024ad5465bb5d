package docs

import (
	"encoding/json"
	"fmt"
	"strings"

	"hum/internal/opendata"
)

// stateResource is doc/state (StateResource): the Datatracker's document
// states (its names fixture), and the "published" state of an RFC.
func stateResource() opendata.Resource {
	r := opendata.Resource{
		App: "doc", Model: "state", Key: "id",
		Ordering: []string{"id"}, Order: []string{"type", "order", "id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all},
			{Name: "type", Type: opendata.ToOne, To: "doc/statetype", Filter: rel},
			{Name: "slug", Type: opendata.String, Filter: all},
			{Name: "name", Type: opendata.String, Filter: all},
			{Name: "used", Type: opendata.Boolean, Filter: all},
			{Name: "desc", Type: opendata.String, Filter: all},
			{Name: "order", Type: opendata.Integer, Filter: all},
			{Name: "next_states", Type: opendata.ToMany, To: "doc/state", Filter: rel},
		},
	}
	for _, o := range opendata.Fixture("doc.state") {
		next := []any{}
		if l, ok := o.Fields["next_states"].([]any); ok {
			for _, n := range l {
				next = append(next, int64(n.(float64)))
			}
		}
		used, _ := o.Fields["used"].(bool)
		order, _ := o.Fields["order"].(float64)
		r.Rows = append(r.Rows, opendata.Row{"id": int64(o.PK.(float64)), "type": o.Fields["type"], "slug": o.Fields["slug"],
			"name": o.Fields["name"], "used": used, "desc": o.Fields["desc"], "order": int64(order), "next_states": next})
	}
	r.Rows = append(r.Rows, opendata.Row{"id": rfcState, "type": "rfc", "slug": "published", "name": "Published", "used": true,
		"desc": "The RFC is published", "order": int64(1), "next_states": []any{}})
	return r
}

// stateTypeResource is doc/statetype (StateTypeResource), keyed by slug.
func stateTypeResource() opendata.Resource {
	r := opendata.Resource{
		App: "doc", Model: "statetype", Key: "slug",
		Ordering: []string{"slug"}, Order: []string{"slug"},
		Fields: []opendata.Field{
			{Name: "slug", Type: opendata.String, Filter: all},
			{Name: "label", Type: opendata.String, Filter: all},
		},
	}
	for _, o := range opendata.Fixture("doc.statetype") {
		r.Rows = append(r.Rows, opendata.Row{"slug": o.PK, "label": o.Fields["label"]})
	}
	r.Rows = append(r.Rows, opendata.Row{"slug": "rfc", "label": "State"})
	return r
}

// ballotTypeResource is doc/ballottype (BallotTypeResource).
func ballotTypeResource() opendata.Resource {
	r := opendata.Resource{
		App: "doc", Model: "ballottype", Key: "id",
		Ordering: []string{"id"}, Order: []string{"order", "id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all},
			{Name: "doc_type", Type: opendata.ToOne, To: "name/doctypename", Null: true, Filter: rel},
			{Name: "slug", Type: opendata.String, Filter: all},
			{Name: "name", Type: opendata.String, Filter: all},
			{Name: "question", Type: opendata.String, Filter: all},
			{Name: "used", Type: opendata.Boolean, Filter: all},
			{Name: "order", Type: opendata.Integer, Filter: all},
			{Name: "positions", Type: opendata.ToMany, To: "name/ballotpositionname", Filter: rel},
		},
	}
	for _, o := range opendata.Fixture("doc.ballottype") {
		pos := []any{}
		if l, ok := o.Fields["positions"].([]any); ok {
			pos = l
		}
		used, _ := o.Fields["used"].(bool)
		order, _ := o.Fields["order"].(float64)
		r.Rows = append(r.Rows, opendata.Row{"id": int64(o.PK.(float64)), "doc_type": o.Fields["doc_type"], "slug": o.Fields["slug"],
			"name": o.Fields["name"], "question": o.Fields["question"], "used": used, "order": int64(order), "positions": pos})
	}
	return r
}

// Every event of the record about a document is a doc event; hum's kinds
// map onto the Datatracker's DocEvent types.
const (
	docEvents = "event ev JOIN " + docRows + " dd ON dd.name = ev.subject"
	isDoc     = "ev.subject_type = 'doc'"
	docEvType = `CASE ev.kind WHEN 'new_revision' THEN 'new_revision'
		WHEN 'iesg_state' THEN 'changed_state' WHEN 'wg_state' THEN 'changed_state' WHEN 'charter_state' THEN 'changed_state'
		WHEN 'expired' THEN 'changed_state' WHEN 'replaced' THEN 'changed_state' WHEN 'published' THEN 'changed_state'
		WHEN 'ballot_opened' THEN 'created_ballot' WHEN 'ballot_closed' THEN 'closed_ballot'
		WHEN 'ballot_position' THEN 'changed_ballot_position' WHEN 'last_call' THEN 'sent_last_call'
		WHEN 'writeup' THEN 'changed_protocol_writeup' WHEN 'expiry_warning' THEN 'expired_document'
		WHEN 'ad' THEN 'changed_document' WHEN 'shepherd' THEN 'changed_document' WHEN 'telechat' THEN 'scheduled_for_telechat'
		ELSE 'changed_document' END`
)

// docEventFields are DocEvent's fields, over an event ev of document dd.
// The revision is the document's at the event (the latest posted at or
// before it), "" for a charter.
func docEventFields() []opendata.Field {
	return []opendata.Field{
		{Name: "id", Type: opendata.Integer, Filter: all, Col: "ev.id"},
		{Name: "time", Type: opendata.DateTime, Filter: all, Col: "ev.at"},
		{Name: "type", Type: opendata.String, Filter: all, Col: docEvType},
		{Name: "by", Type: opendata.ToOne, To: "person/person", Filter: rel, Col: "COALESCE(ev.actor_id, 0)"},
		{Name: "doc", Type: opendata.ToOne, To: "doc/document", Filter: rel, Col: "dd.name"},
		{Name: "rev", Type: opendata.String, Null: true, Filter: all,
			Col: "(SELECT MAX(r.rev) FROM doc_rev r WHERE r.doc_id = dd.id AND r.posted <= ev.at)"},
		{Name: "desc", Type: opendata.String, Filter: all, Col: "ev.summary"},
	}
}

func docEventPtr() opendata.Field {
	return opendata.Field{Name: "docevent_ptr", Type: opendata.ToOne, To: "doc/docevent", Filter: rel, Col: "ev.id"}
}

// eventResource is a DocEvent resource over the events of the kinds
// where, with more fields.
func eventResource(model, kinds string, more ...opendata.Field) opendata.Resource {
	where := isDoc
	fields := docEventFields()
	if kinds != "" {
		where += " AND ev.kind IN (" + kinds + ")"
		fields = append(fields, docEventPtr())
	}
	return opendata.Resource{
		App: "doc", Model: model, Key: "id",
		Table:    &opendata.Table{From: docEvents, Where: where},
		Ordering: []string{"id", "time"}, Order: []string{"-time", "-id"},
		Fields: append(fields, more...),
	}
}

// EventResource is a DocEvent subtype over the record's events of the
// kinds listed (SQL, "'telechat'"), with more fields, for a capability
// that keeps its own side of those events (telechat's
// doc/telechatdocevent joins its table to the event ev).
func EventResource(model, kinds string, more ...opendata.Field) opendata.Resource {
	return eventResource(model, kinds, more...)
}

// docEventResource is doc/docevent (DocEventResource), newest first as
// the Datatracker orders them.
func docEventResource() opendata.Resource { return eventResource("docevent", "") }

func newRevisionEventResource() opendata.Resource {
	return eventResource("newrevisiondocevent", "'new_revision'")
}

// stateEventResource is doc/statedocevent: hum's state changes, with the
// state type they change; the state entered where the event says it
// plainly (expired, replaced, published), else null, as the Datatracker
// allows.
func stateEventResource() opendata.Resource {
	stateType := `CASE ev.kind WHEN 'iesg_state' THEN 'draft-iesg' WHEN 'wg_state' THEN 'draft-stream-ietf'
		WHEN 'charter_state' THEN 'charter' WHEN 'published' THEN 'draft' ELSE 'draft' END`
	state := fmt.Sprintf(`CASE ev.kind WHEN 'expired' THEN %d WHEN 'replaced' THEN %d WHEN 'published' THEN CASE WHEN dd.type = 'rfc' THEN %d ELSE %d END END`,
		stateID("draft", "expired"), stateID("draft", "repl"), rfcState, stateID("draft", "rfc"))
	return eventResource("statedocevent", "'iesg_state', 'wg_state', 'charter_state', 'expired', 'replaced', 'published'",
		opendata.Field{Name: "state_type", Type: opendata.ToOne, To: "doc/statetype", Filter: rel,
			Col: "CASE WHEN ev.kind = 'published' AND dd.type = 'rfc' THEN 'rfc' ELSE " + stateType + " END"},
		opendata.Field{Name: "state", Type: opendata.ToOne, To: "doc/state", Null: true, Filter: rel, Col: state})
}

func stateID(typ, slug string) int64 {
	for _, o := range opendata.Fixture("doc.state") {
		if o.Fields["type"] == typ && o.Fields["slug"] == slug {
			return int64(o.PK.(float64))
		}
	}
	panic("docs: no doc.state " + typ + "/" + slug + " in the names fixture") // the embedded fixture has them; a test reads them
}

// ballotTypeOf is the ballot type of an IESG ballot on document dd:
// "approve" of its document type.
const ballotTypeOf = `CASE WHEN dd.type = 'charter' THEN 3 ELSE 4 END`

// ballotEventResource is doc/ballotdocevent: the opening and closing of
// IESG ballots.
func ballotEventResource() opendata.Resource {
	return eventResource("ballotdocevent", "'ballot_opened', 'ballot_closed'",
		opendata.Field{Name: "ballot_type", Type: opendata.ToOne, To: "doc/ballottype", Filter: rel, Col: ballotTypeOf})
}

// ballotPositionEventResource is doc/ballotpositiondocevent: each
// position an AD took, with the ballot's opening event as its ballot.
func ballotPositionEventResource() opendata.Resource {
	r := eventResource("ballotpositiondocevent", "'ballot_position'",
		opendata.Field{Name: "ballot", Type: opendata.ToOne, To: "doc/ballotdocevent", Null: true, Filter: rel,
			Col: `(SELECT MAX(bo.id) FROM event bo WHERE bo.subject_type = 'doc' AND bo.subject = ev.subject AND bo.kind = 'ballot_opened' AND bo.id < ev.id)`},
		opendata.Field{Name: "balloter", Type: opendata.ToOne, To: "person/person", Filter: rel, Col: "bp.person_id"},
		opendata.Field{Name: "pos", Type: opendata.ToOne, To: "name/ballotpositionname", Filter: rel, Col: "bp.pos"},
		opendata.Field{Name: "discuss", Type: opendata.String, Filter: all, Col: "bp.discuss"},
		opendata.Field{Name: "discuss_time", Type: opendata.DateTime, Null: true, Filter: all, Col: "CASE WHEN bp.discuss <> '' THEN bp.at END"},
		opendata.Field{Name: "comment", Type: opendata.String, Filter: all, Col: "bp.comment"},
		opendata.Field{Name: "comment_time", Type: opendata.DateTime, Null: true, Filter: all, Col: "CASE WHEN bp.comment <> '' THEN bp.at END"},
		opendata.Field{Name: "send_email", Type: opendata.Boolean, Null: true, Empty: true})
	r.Table.From += " JOIN ballot_position bp ON bp.event_id = ev.id"
	return r
}

// lastCallEventResource is doc/lastcalldocevent: the last call's end as
// the document holds it now.
func lastCallEventResource() opendata.Resource {
	r := eventResource("lastcalldocevent", "'last_call'",
		opendata.Field{Name: "expires", Type: opendata.DateTime, Null: true, Filter: all, Col: "ld.lc_ends"})
	r.Table.From += " LEFT JOIN doc ld ON ld.id = dd.id"
	return r
}

// writeupEventResource is doc/writeupdocevent: the shepherd's write-up
// changes, each with the write-up's rendered text as the change left it
// (doc_writeup_text); an event from before hum kept those shows the
// free-text write-up the document holds.
func writeupEventResource() opendata.Resource {
	r := eventResource("writeupdocevent", "'writeup'",
		opendata.Field{Name: "text", Type: opendata.String, Filter: all,
			Col: "COALESCE((SELECT wt.text FROM doc_writeup_text wt WHERE wt.event_id = ev.id), wd.writeup, '')"})
	r.Table.From += " LEFT JOIN doc wd ON wd.id = dd.id"
	return r
}

// docHistoryResource is doc/dochistory (DocHistoryResource): the
// document as each posted revision left it (its title, pages and time
// from the revision; the rest as the document has it now, since hum
// keeps no copies), numbered by the revision.
func docHistoryResource() opendata.Resource {
	var fields []opendata.Field
	for _, f := range documentFields() {
		switch f.Name {
		case "rev":
			f.Col = "hr.rev"
		case "title":
			f.Col = "hr.title"
		case "pages":
			f.Col = "NULLIF(hr.pages, 0)"
		case "time":
			f.Col = "hr.posted"
		case "states": // a link is from the history row's own key
			l := *f.Link
			l.From += " JOIN doc_rev lh ON lh.doc_id = ls.id"
			l.Owner = "lh.id"
			l.Read = readHistoryStates
			f.Link = &l
		case "tags":
			f.Link = &opendata.Link{From: "doc_tag tg JOIN doc_rev th ON th.doc_id = tg.doc_id", Owner: "th.id", Key: "tg.tag"}
		}
		fields = append(fields, f)
	}
	fields = append([]opendata.Field{
		{Name: "id", Type: opendata.Integer, Filter: all, Col: "hr.id"},
		{Name: "doc", Type: opendata.ToOne, To: "doc/document", Filter: rel, Col: "dd.name"},
	}, fields...)
	return opendata.Resource{
		App: "doc", Model: "dochistory", Key: "id",
		Table:    &opendata.Table{From: "doc_rev hr JOIN " + docRows + " dd ON dd.id = hr.doc_id"},
		Ordering: []string{"id", "time"}, Order: []string{"id"},
		FilterOnly: map[string]opendata.Filtering{"order": all},
		Fields:     fields,
	}
}

// submissionResource is submit/submission (SubmissionResource). Keys,
// addresses and the uploader's IP are never here; the submitter is named.
func submissionResource() opendata.Resource {
	return opendata.Resource{
		App: "submit", Model: "submission", Key: "id",
		Table:    &opendata.Table{From: `submission su LEFT JOIN doc sd ON sd.name = su.name LEFT JOIN doc_rev sr ON sr.submission_id = su.id`},
		Ordering: []string{"id"}, Order: []string{"id"},
		FilterOnly: map[string]opendata.Filtering{"first_two_pages": all},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "su.id"},
			{Name: "state", Type: opendata.ToOne, To: "name/draftsubmissionstatename", Filter: rel, Col: "su.state"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "su.name"},
			{Name: "rev", Type: opendata.String, Filter: all, Col: "su.rev"},
			{Name: "title", Type: opendata.String, Filter: all, Col: "su.title"},
			{Name: "group", Type: opendata.ToOne, To: "group/group", Null: true, Filter: rel, Col: "sd.group_id"},
			{Name: "draft", Type: opendata.ToOne, To: "doc/document", Null: true, Filter: rel, Col: "sd.name"},
			{Name: "abstract", Type: opendata.String, Filter: all, Col: "CASE WHEN sd.rev = su.rev THEN sd.abstract ELSE '' END"},
			{Name: "pages", Type: opendata.Integer, Null: true, Filter: all, Col: "NULLIF(sr.pages, 0)"},
			{Name: "document_date", Type: opendata.Date, Null: true, Filter: all, Col: "CASE WHEN LENGTH(sr.doc_date) = 10 THEN sr.doc_date END"},
			{Name: "submission_date", Type: opendata.Date, Filter: all, Col: "su.created", Stamp: true},
			{Name: "submitter", Type: opendata.String, Filter: all, Col: "COALESCE((SELECT sp.name FROM person sp WHERE sp.id = su.submitter_id), '')"},
			{Name: "replaces", Type: opendata.String, Filter: all, Col: "su.replaces"},
			{Name: "file_types", Type: opendata.String, Filter: all,
				Col: "CASE WHEN su.xml IS NOT NULL AND su.txt IS NOT NULL THEN '.xml,.txt' WHEN su.xml IS NOT NULL THEN '.xml' WHEN su.txt IS NOT NULL THEN '.txt' ELSE '' END"},
			{Name: "xml_version", Type: opendata.String, Null: true, Filter: all, Col: "CASE WHEN su.xml IS NOT NULL THEN '3' END"},
			// What hum does not keep or never shows: the Datatracker's
			// empty values.
			{Name: "authors", Type: opendata.String, Filter: all, Col: "su.state || ':' || su.meta", Map: submissionAuthors},
			{Name: "file_size", Type: opendata.Integer, Null: true, Filter: all, Empty: true},
			{Name: "note", Type: opendata.String, Filter: all, Empty: true},
			{Name: "remote_ip", Type: opendata.String, Filter: all, Empty: true},
			{Name: "access_key", Type: opendata.String, Filter: all, Empty: true},
			{Name: "auth_key", Type: opendata.String, Filter: all, Empty: true},
			{Name: "words", Type: opendata.Integer, Null: true, Empty: true},
			{Name: "checks", Type: opendata.ToMany, To: "submit/submissioncheck", Empty: true},
		},
	}
}

// submissionEventResource is submit/submissionevent: a submission's
// upload, cancellation and posting, from the record.
func submissionEventResource() opendata.Resource {
	return opendata.Resource{
		App: "submit", Model: "submissionevent", Key: "id",
		Table: &opendata.Table{From: `event ev JOIN submission su ON su.name = ev.subject AND (
				(ev.kind IN ('submission_uploaded', 'submission_cancelled') AND ev.summary LIKE 'Submission ' || su.id || ' of %')
				OR (ev.kind = 'new_revision' AND su.state = 'posted' AND ev.summary LIKE 'New revision ' || su.rev || ' posted%'))`,
			Where: isDoc},
		Ordering: []string{"id", "time"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "ev.id"},
			{Name: "submission", Type: opendata.ToOne, To: "submit/submission", Filter: rel, Col: "su.id"},
			{Name: "time", Type: opendata.DateTime, Filter: all, Col: "ev.at"},
			{Name: "by", Type: opendata.ToOne, To: "person/person", Null: true, Filter: rel, Col: "ev.actor_id"},
			{Name: "desc", Type: opendata.String, Filter: all, Col: "ev.summary"},
		},
	}
}

// submissionAuthors is a submission's authors field from "state:meta"
// (its Col): the Datatracker's JSON text of each author's name, email,
// affiliation and country, as Python's json.dumps writes it. The address
// is given once the revision is posted (then it is an author's address
// printed in a posted draft, public in person/email); hum keeps no
// country.
func submissionAuthors(v any) any {
	s, _ := v.(string)
	state, meta, _ := strings.Cut(s, ":")
	var m Meta
	if json.Unmarshal([]byte(meta), &m) != nil {
		return "[]"
	}
	q := func(x string) string { b, _ := json.Marshal(x); return string(b) }
	parts := make([]string, 0, len(m.Authors))
	for _, a := range m.Authors {
		email := ""
		if state == "posted" {
			email = a.Email
		}
		parts = append(parts, fmt.Sprintf(`{"name": %s, "email": %s, "affiliation": %s, "country": ""}`, q(a.Name), q(email), q(a.Organization)))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

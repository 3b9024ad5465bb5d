package ipr

import (
	"hum/internal/opendata"
)

// OpenData is the IPR disclosures' part of the Datatracker's API, the
// ipr/* resources of ietf/ipr/resources.py, read from this package's
// tables (see package opendata for what an entry says). Only public
// disclosures are served (posted, and removed ones, whose pages stay
// public), with the contacts their pages show; a pending, parked or
// rejected disclosure, and the events of one, never appear. The
// Datatracker's disclosure is a base row and a row of its kind's table;
// hum keeps one row with its kind, and serves each kind's resource from
// it: holderiprdisclosure (specific), thirdpartyiprdisclosure,
// genericiprdisclosure (generic without a patent) and
// nondocspecificiprdisclosure (generic with one).
func (s *Service) OpenData() []opendata.Resource {
	return []opendata.Resource{
		disclosureResource("iprdisclosurebase", ""),
		disclosureResource("holderiprdisclosure", "i.kind = 'specific'", holderFields()...),
		disclosureResource("thirdpartyiprdisclosure", "i.kind = 'third-party'", thirdPartyFields()...),
		disclosureResource("genericiprdisclosure", "i.kind = 'generic' AND "+noPatent, genericFields(false)...),
		disclosureResource("nondocspecificiprdisclosure", "i.kind = 'generic' AND NOT "+noPatent, genericFields(true)...),
		docRelResource(), relatedResource(), eventResource(),
	}
}

const (
	all = opendata.All
	rel = opendata.AllWithRelations
)

// publicState is the condition that disclosure i is public (Public).
const publicState = "i.state IN ('posted', 'removed')"

// noPatent: a generic disclosure that names no patent.
const noPatent = "(i.patent_number = '' AND i.patent_inventor = '' AND i.patent_title = '' AND i.patent_date = '' AND i.patent_notes = '')"

// patentInfo is Patent.Info in SQL: one "Key: value" line per field
// given.
const patentInfo = `RTRIM(CASE WHEN i.patent_number <> '' THEN 'Number: ' || i.patent_number || '
' ELSE '' END || CASE WHEN i.patent_inventor <> '' THEN 'Inventor: ' || i.patent_inventor || '
' ELSE '' END || CASE WHEN i.patent_title <> '' THEN 'Title: ' || i.patent_title || '
' ELSE '' END || CASE WHEN i.patent_date <> '' THEN 'Date: ' || i.patent_date || '
' ELSE '' END || CASE WHEN i.patent_notes <> '' THEN 'Notes: ' || i.patent_notes || '
' ELSE '' END, '
')`

// disclosureResource is one of the disclosure resources: the base
// fields (IprDisclosureBase), the kind's own, and for a kind the link to
// its base row.
func disclosureResource(model, where string, own ...opendata.Field) opendata.Resource {
	fields := []opendata.Field{
		{Name: "id", Type: opendata.Integer, Filter: all, Col: "i.id"},
		{Name: "by", Type: opendata.ToOne, To: "person/person", Filter: rel, Col: "COALESCE(i.by_id, 0)"},
		{Name: "compliant", Type: opendata.Boolean, Filter: all, Col: "i.compliant"},
		{Name: "docs", Type: opendata.ToMany, To: "doc/document", Null: true, Filter: rel, Link: &opendata.Link{
			From: "ipr_doc dr JOIN doc dd ON dd.id = dr.doc_id", Owner: "dr.disclosure_id", Key: "dd.name"}},
		{Name: "holder_legal_name", Type: opendata.String, Filter: all, Col: "i.holder_legal_name"},
		{Name: "notes", Type: opendata.String, Filter: all, Col: "i.notes"},
		{Name: "other_designations", Type: opendata.String, Filter: all, Col: "i.other_designations"},
		// The public disclosures this one updates.
		{Name: "rel", Type: opendata.ToMany, To: "ipr/iprdisclosurebase", Null: true, Filter: rel, Link: &opendata.Link{
			From:  "ipr_related rr JOIN ipr_disclosure rt ON rt.id = rr.target_id AND rt.state IN ('posted', 'removed')",
			Owner: "rr.source_id", Key: "rr.target_id"}},
		{Name: "state", Type: opendata.ToOne, To: "name/iprdisclosurestatename", Filter: rel, Col: "i.state"},
		{Name: "submitter_name", Type: opendata.String, Filter: all, Col: "i.submitter_name"},
		{Name: "submitter_email", Type: opendata.String, Filter: all, Col: "i.submitter_email"},
		{Name: "time", Type: opendata.DateTime, Filter: all, Col: "i.filed"},
		{Name: "title", Type: opendata.String, Filter: all, Col: "i.title"},
	}
	if where != "" {
		fields = append(fields, opendata.Field{Name: "iprdisclosurebase_ptr", Type: opendata.ToOne, To: "ipr/iprdisclosurebase", Filter: rel, Col: "i.id"})
	}
	fields = append(fields, own...)
	w := publicState
	if where != "" {
		w += " AND " + where
	}
	return opendata.Resource{
		App: "ipr", Model: model, Key: "id",
		Table:    &opendata.Table{From: "ipr_disclosure i", Where: w},
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: fields,
	}
}

func ietferFields() []opendata.Field {
	return []opendata.Field{
		{Name: "ietfer_name", Type: opendata.String, Filter: all, Col: "i.ietfer_name"},
		{Name: "ietfer_contact_email", Type: opendata.String, Filter: all, Col: "i.ietfer_contact_email"},
		{Name: "ietfer_contact_info", Type: opendata.String, Filter: all, Col: "i.ietfer_contact_info"},
	}
}

func patentFields() []opendata.Field {
	return []opendata.Field{
		{Name: "patent_info", Type: opendata.String, Filter: all, Col: patentInfo},
		{Name: "has_patent_pending", Type: opendata.Boolean, Filter: all, Col: "i.has_patent_pending"},
	}
}

func holderContactFields() []opendata.Field {
	return []opendata.Field{
		{Name: "holder_contact_name", Type: opendata.String, Filter: all, Col: "i.holder_contact_name"},
		{Name: "holder_contact_email", Type: opendata.String, Filter: all, Col: "i.holder_contact_email"},
		{Name: "holder_contact_info", Type: opendata.String, Filter: all, Col: "i.holder_contact_info"},
	}
}

// holderFields are HolderIprDisclosure's own fields.
func holderFields() []opendata.Field {
	f := append(ietferFields(), patentFields()...)
	f = append(f, holderContactFields()...)
	return append(f,
		opendata.Field{Name: "licensing", Type: opendata.ToOne, To: "name/iprlicensetypename", Filter: rel,
			Col: "COALESCE(NULLIF(i.licensing, ''), 'none-selected')"},
		opendata.Field{Name: "licensing_comments", Type: opendata.String, Filter: all, Col: "i.licensing_comments"},
		opendata.Field{Name: "submitter_claims_all_terms_disclosed", Type: opendata.Boolean, Filter: all, Col: "i.submitter_claims_all_terms_disclosed"},
		opendata.Field{Name: "is_blanket_disclosure", Type: opendata.Boolean, Col: "i.is_blanket_disclosure"})
}

// thirdPartyFields are ThirdPartyIprDisclosure's own fields.
func thirdPartyFields() []opendata.Field { return append(ietferFields(), patentFields()...) }

// genericFields are GenericIprDisclosure's own fields, and with a
// patent NonDocSpecificIprDisclosure's.
func genericFields(patent bool) []opendata.Field {
	f := holderContactFields()
	if patent {
		f = append(f, patentFields()...)
	}
	return append(f, opendata.Field{Name: "statement", Type: opendata.String, Filter: all, Col: "i.statement"})
}

// docRelResource is ipr/iprdocrel: a document a public disclosure names,
// numbered disclosure×1,000,000 + document id (hum's row has no id).
func docRelResource() opendata.Resource {
	return opendata.Resource{
		App: "ipr", Model: "iprdocrel", Key: "id",
		Table:    &opendata.Table{From: "ipr_doc dr JOIN ipr_disclosure i ON i.id = dr.disclosure_id JOIN doc dd ON dd.id = dr.doc_id", Where: publicState},
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "dr.disclosure_id * 1000000 + dr.doc_id"},
			{Name: "disclosure", Type: opendata.ToOne, To: "ipr/iprdisclosurebase", Filter: rel, Col: "dr.disclosure_id"},
			{Name: "document", Type: opendata.ToOne, To: "doc/document", Filter: rel, Col: "dd.name"},
			{Name: "sections", Type: opendata.String, Filter: all, Col: "dr.sections"},
			{Name: "revisions", Type: opendata.String, Filter: all, Col: "dr.revisions"},
			{Name: "originaldocumentaliasname", Type: opendata.String, Null: true, Empty: true},
		},
	}
}

// relatedResource is ipr/relatedipr: an update between two public
// disclosures, numbered source×1,000,000 + target.
func relatedResource() opendata.Resource {
	return opendata.Resource{
		App: "ipr", Model: "relatedipr", Key: "id",
		Table: &opendata.Table{From: `ipr_related rr JOIN ipr_disclosure i ON i.id = rr.source_id JOIN ipr_disclosure rt ON rt.id = rr.target_id`,
			Where: publicState + " AND rt.state IN ('posted', 'removed')"},
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "rr.source_id * 1000000 + rr.target_id"},
			{Name: "source", Type: opendata.ToOne, To: "ipr/iprdisclosurebase", Filter: rel, Col: "rr.source_id"},
			{Name: "target", Type: opendata.ToOne, To: "ipr/iprdisclosurebase", Filter: rel, Col: "rr.target_id"},
			{Name: "relationship", Type: opendata.ToOne, To: "name/docrelationshipname", Filter: rel, Col: "rr.relationship"},
		},
	}
}

// eventResource is ipr/iprevent: the record's events about a public
// disclosure (filed, each change of state, the notice to the holders of
// the disclosures it updates, its announcement), their kinds the
// Datatracker's event types.
func eventResource() opendata.Resource {
	return opendata.Resource{
		App: "ipr", Model: "iprevent", Key: "id",
		Table: &opendata.Table{From: `event ev JOIN ipr_disclosure i ON ev.subject_type = 'ipr' AND ev.subject = CAST(i.id AS TEXT)`,
			Where: publicState + " AND ev.kind IN ('submitted', 'pending', 'parked', 'posted', 'rejected', 'removed', 'update_notify', 'msgout')"},
		Ordering: []string{"id", "time"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "ev.id"},
			{Name: "time", Type: opendata.DateTime, Filter: all, Col: "ev.at"},
			{Name: "type", Type: opendata.ToOne, To: "name/ipreventtypename", Filter: rel, Col: "ev.kind"},
			{Name: "by", Type: opendata.ToOne, To: "person/person", Filter: rel, Col: "COALESCE(ev.actor_id, 0)"},
			{Name: "disclosure", Type: opendata.ToOne, To: "ipr/iprdisclosurebase", Filter: rel, Col: "i.id"},
			{Name: "desc", Type: opendata.String, Filter: all, Col: "ev.summary"},
			// hum keeps no message objects: the Datatracker's empty values.
			{Name: "message", Type: opendata.ToOne, To: "message/message", Null: true, Filter: rel, Empty: true},
			{Name: "in_reply_to", Type: opendata.ToOne, To: "message/message", Null: true, Filter: rel, Empty: true},
			{Name: "response_due", Type: opendata.DateTime, Null: true, Filter: all, Empty: true},
		},
	}
}

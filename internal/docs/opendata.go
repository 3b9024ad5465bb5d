package docs

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"hum/internal/db"
	"hum/internal/opendata"
)

// OpenData is the documents' part of the Datatracker's API: the doc/* and
// submit/* resources hum holds, read from this package's tables (see
// package opendata for what an entry says). Documents are drafts, RFCs
// (type rfc, named rfcNNNN, with rfc_number, as the Datatracker has kept
// them since 2023) and charters (charter-ietf-{acronym}, whose texts
// internal/groups and internal/charters keep). Fields hum has no value
// for answer the Datatracker's empty value.
func (s *Service) OpenData() []opendata.Resource {
	return []opendata.Resource{documentResource(), documentAuthorResource(), relatedDocumentResource(),
		stateResource(), stateTypeResource(), ballotTypeResource(),
		docEventResource(), newRevisionEventResource(), stateEventResource(), ballotEventResource(),
		ballotPositionEventResource(), lastCallEventResource(), writeupEventResource(),
		docHistoryResource(), submissionResource(), submissionEventResource()}
}

const (
	all = opendata.All
	rel = opendata.AllWithRelations
)

// charterIDBase (charterRows writes it out) numbers charter documents, which live in other tables
// than doc: charter-…-{acronym} has id charterIDBase + its group's id,
// so that ids never collide with a draft's or an RFC's.
const charterIDBase = 1000000000

// docRows is every document as one row: drafts and RFCs from doc, and
// the charters, charterRows.
const docRows = `(SELECT d.id, d.name, d.type, d.rev, d.title, d.abstract, d.group_id, d.std_level, d.stream, d.state,
		d.wg_state, d.iesg_state, d.ad_id, d.shepherd_id, d.rfc_number, d.pages, d.expires, d.updated
	FROM doc d
	UNION ALL
	` + charterRows + `)`

// charterRows is the charter document of each WG or RG that has one (an
// approved text, or a charter document being reviewed) as docRows'
// columns, named. It ends in its WHERE, so that a query of some groups'
// charters adds its condition on g (grp) with AND, as readDocStates
// does.
const charterRows = `SELECT 1000000000 + g.id AS id, 'charter-' || CASE WHEN g.type = 'rg' THEN 'irtf' ELSE 'ietf' END || '-' || g.acronym AS name,
		'charter' AS type, COALESCE(c.rev, (SELECT CASE WHEN MAX(cr.rev) < 10 THEN '0' ELSE '' END || CAST(MAX(cr.rev) AS TEXT) FROM charter_rev cr WHERE cr.group_id = g.id)) AS rev,
		'Charter for ' || g.name AS title, '' AS abstract, g.id AS group_id, '' AS std_level, CASE WHEN g.type = 'rg' THEN 'irtf' ELSE 'ietf' END AS stream,
		COALESCE(c.state, 'approved') AS state, '' AS wg_state, '' AS iesg_state, NULL AS ad_id, NULL AS shepherd_id, NULL AS rfc_number, 0 AS pages,
		NULL AS expires, COALESCE(c.updated, g.updated) AS updated
	FROM grp g LEFT JOIN charter c ON c.group_id = g.id
	WHERE g.type IN ('wg', 'rg') AND (c.id IS NOT NULL OR EXISTS (SELECT 1 FROM charter_rev cr WHERE cr.group_id = g.id))`

// intendedLevels are the standard levels a draft may aim at
// (name/intendedstdlevelname); an RFC's level is its std_level.
const intendedCol = `CASE WHEN dd.type = 'draft' AND dd.std_level IN ('ps', 'ds', 'std', 'bcp', 'inf', 'exp', 'hist') THEN dd.std_level END`
const stdLevelCol = `CASE WHEN dd.type = 'rfc' AND dd.std_level IN ('ps', 'ds', 'std', 'bcp', 'inf', 'exp', 'hist', 'unkn') THEN dd.std_level END`

// publicShepherd is a shepherd's primary address when it is public in
// person/email (they hold a role with it, printed it in a draft, or chose
// to show it); the Datatracker's shepherd is an address, not a person.
const publicShepherd = `(SELECT e.address FROM email e JOIN person p ON p.id = e.person_id WHERE e.person_id = dd.shepherd_id AND e.is_primary
	AND (EXISTS (SELECT 1 FROM role_holder rh WHERE rh.person_id = e.person_id AND rh.email = e.address)
		OR EXISTS (SELECT 1 FROM author_address aa WHERE aa.address = e.address) OR p.show_email))`

// rfcState is doc/state's id for an RFC's one state, "published" of
// state type "rfc", which the 2021 names fixture predates: the first id
// after the fixture's.
var rfcState = func() int64 {
	var max int64
	for _, o := range opendata.Fixture("doc.state") {
		if n, ok := o.PK.(float64); ok && int64(n) > max {
			max = int64(n)
		}
	}
	return max + 1
}()

// stateIDOf maps a state type and slug to the doc/state id hum's documents
// can be in: the names fixture's states of the types hum keeps, and
// rfcState.
var stateIDOf = func() map[[2]string]int64 {
	m := map[[2]string]int64{}
	for _, o := range opendata.Fixture("doc.state") {
		typ, _ := o.Fields["type"].(string)
		switch typ {
		case "draft", "draft-iesg", "draft-stream-ietf", "charter":
			slug, _ := o.Fields["slug"].(string)
			m[[2]string{typ, slug}] = int64(o.PK.(float64))
		}
	}
	m[[2]string{"rfc", "published"}] = rfcState
	return m
}()

// stateIDs is stateIDOf as an SQL table (typ, slug, id). It is one VALUES
// list rather than a UNION of SELECTs: SQLite parses and plans each
// SELECT of a compound anew on every query, which made that parse most
// of doc/document's cost. Both engines name a VALUES list's columns
// column1, column2, ...
func stateIDs() string {
	var rows []string
	for k, id := range stateIDOf {
		rows = append(rows, fmt.Sprintf("('%s', '%s', %d)", k[0], k[1], id))
	}
	sort.Strings(rows)
	return "(SELECT column1 AS typ, column2 AS slug, column3 AS id FROM (VALUES " + strings.Join(rows, ", ") + ") sv0)"
}

// stateRule is one rule of which doc/state ids a document has: a
// document of type docType (any, when empty) is in the state of type
// stateType whose slug is its docRows column col, or ifEmpty when col is
// empty (none, when ifEmpty is empty too); with no col, in the state
// slug.
type stateRule struct {
	docType, stateType string
	col, ifEmpty       string
	slug               string
}

// stateRules, one per state type: a draft's state and IESG state ("I-D
// Exists" when it has none), a document's WG state, an RFC's one state
// and a charter's. docStatesLink's join, which filters use, and
// statesOf, which reads a page's states, are both written from them.
var stateRules = []stateRule{
	{docType: "draft", stateType: "draft", col: "state"},
	{docType: "draft", stateType: "draft-iesg", col: "iesg_state", ifEmpty: "idexists"},
	{stateType: "draft-stream-ietf", col: "wg_state"},
	{docType: "rfc", stateType: "rfc", slug: "published"},
	{docType: "charter", stateType: "charter", col: "state"},
}

// stateCols are the columns stateRules read, each once, in their order:
// what a reader of states selects after a document's type, for statesOf.
var stateCols = func() []string {
	var cols []string
	for _, r := range stateRules {
		if r.col != "" && !slices.Contains(cols, r.col) {
			cols = append(cols, r.col)
		}
	}
	return cols
}()

// selectStates is the document's type and stateCols of the docRows or
// doc row named alias, as an SQL select list.
func selectStates(alias string) string {
	list := alias + ".type"
	for _, c := range stateCols {
		list += ", " + alias + "." + c
	}
	return list
}

// join is r as a condition of docStatesLink's join: whether the
// document ls is in the state sv.
func (r stateRule) join() string {
	var c []string
	if r.docType != "" {
		c = append(c, "ls.type = '"+r.docType+"'")
	}
	c = append(c, "sv.typ = '"+r.stateType+"'")
	switch {
	case r.col == "":
		c = append(c, "sv.slug = '"+r.slug+"'")
	case r.ifEmpty != "":
		c = append(c, "sv.slug = CASE WHEN ls."+r.col+" = '' THEN '"+r.ifEmpty+"' ELSE ls."+r.col+" END")
	default:
		c = append(c, "ls."+r.col+" <> ''", "sv.slug = ls."+r.col)
	}
	return "(" + strings.Join(c, " AND ") + ")"
}

// slugOf is r's state slug for a document of type typ whose stateCols
// hold vals, and whether r gives it one.
func (r stateRule) slugOf(typ string, vals []string) (string, bool) {
	if r.docType != "" && r.docType != typ {
		return "", false
	}
	if r.col == "" {
		return r.slug, true
	}
	v := vals[slices.Index(stateCols, r.col)]
	if v == "" {
		v = r.ifEmpty
	}
	return v, v != ""
}

// docStatesLink joins a document (ls) to the ids of its states, by
// stateRules. Filters use From; a page's states are read by
// readDocStates, since From's join, one condition per state type, is
// served by no index: on both engines it compared every document with
// every state, and was most of a doc/document page's time.
func docStatesLink() *opendata.Link {
	var on []string
	for _, r := range stateRules {
		on = append(on, r.join())
	}
	return &opendata.Link{
		From:  docRows + ` ls JOIN ` + stateIDs() + ` sv ON ` + strings.Join(on, "\n\t\tOR "),
		Owner: "ls.name", Key: "sv.id",
		Read: readDocStates,
	}
}

// readDocStates reads the states of the documents named: their state
// columns, turned into doc/state ids by statesOf. Drafts and RFCs are
// looked up by name and charters by their group's acronym, each by its
// index: through docRows, every group's charter row would be built to
// compare its name.
func readDocStates(ctx context.Context, q db.Querier, names []any) (map[any]any, error) {
	var w db.Where
	var acronyms []any
	for _, n := range names {
		s, _ := n.(string)
		for _, prefix := range []string{"charter-ietf-", "charter-irtf-"} {
			if a, ok := strings.CutPrefix(s, prefix); ok {
				acronyms = append(acronyms, a)
			}
		}
	}
	query := `SELECT d.name, ` + selectStates("d") + ` FROM doc d WHERE d.name IN ` + w.InKeys(names)
	if len(acronyms) > 0 {
		query += ` UNION ALL SELECT ch.name, ` + selectStates("ch") + ` FROM (` + charterRows +
			` AND g.acronym IN ` + w.InKeys(acronyms) + `) ch`
	}
	out := map[any]any{}
	_, err := db.Query(ctx, q, func(row db.Scanner) (bool, error) {
		var name, typ string
		vals := make([]string, len(stateCols))
		err := row.Scan(append([]any{&name, &typ}, pointers(vals)...)...)
		out[name] = statesOf(typ, vals)
		return true, err
	}, query, w.Args...)
	return out, err
}

// readHistoryStates is readDocStates for doc/dochistory, whose objects
// are posted revisions (doc_rev ids) and carry their document's states.
func readHistoryStates(ctx context.Context, q db.Querier, ids []any) (map[any]any, error) {
	var w db.Where
	in := w.InKeys(ids)
	out := map[any]any{}
	_, err := db.Query(ctx, q, func(row db.Scanner) (bool, error) {
		var id int64
		var typ string
		vals := make([]string, len(stateCols))
		err := row.Scan(append([]any{&id, &typ}, pointers(vals)...)...)
		out[id] = statesOf(typ, vals)
		return true, err
	}, `SELECT lh.id, `+selectStates("ls")+` FROM doc_rev lh JOIN doc ls ON ls.id = lh.doc_id WHERE lh.id IN `+in, w.Args...)
	return out, err
}

// pointers is a pointer to each of vals, for Scan.
func pointers(vals []string) []any {
	p := make([]any, len(vals))
	for i := range vals {
		p[i] = &vals[i]
	}
	return p
}

// statesOf is the doc/state ids, ascending, of a document of type typ
// whose stateCols hold vals, by stateRules.
func statesOf(typ string, vals []string) []any {
	var ids []int64
	for _, r := range stateRules {
		if slug, ok := r.slugOf(typ, vals); ok {
			if id, ok := stateIDOf[[2]string{r.stateType, slug}]; ok {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	keys := make([]any, len(ids))
	for i, id := range ids {
		keys[i] = id
	}
	return keys
}

// documentFields are the fields Document and DocHistory share
// (DocumentInfo), read from a docRows row dd.
func documentFields() []opendata.Field {
	return []opendata.Field{
		{Name: "name", Type: opendata.String, Filter: all, Col: "dd.name"},
		{Name: "rev", Type: opendata.String, Filter: all, Col: "dd.rev"},
		{Name: "title", Type: opendata.String, Filter: all, Col: "dd.title"},
		{Name: "abstract", Type: opendata.String, Filter: all, Col: "dd.abstract"},
		{Name: "time", Type: opendata.DateTime, Filter: all, Col: "dd.updated"},
		{Name: "type", Type: opendata.ToOne, To: "name/doctypename", Null: true, Filter: rel, Col: "dd.type"},
		{Name: "stream", Type: opendata.ToOne, To: "name/streamname", Null: true, Filter: rel, Col: "NULLIF(dd.stream, '')"},
		{Name: "group", Type: opendata.ToOne, To: "group/group", Null: true, Filter: rel, Col: "dd.group_id"},
		{Name: "ad", Type: opendata.ToOne, To: "person/person", Null: true, Filter: rel, Col: "dd.ad_id"},
		{Name: "shepherd", Type: opendata.ToOne, To: "person/email", Null: true, Filter: rel, Col: publicShepherd},
		{Name: "intended_std_level", Type: opendata.ToOne, To: "name/intendedstdlevelname", Null: true, Filter: rel, Col: intendedCol},
		{Name: "std_level", Type: opendata.ToOne, To: "name/stdlevelname", Null: true, Filter: rel, Col: stdLevelCol},
		{Name: "rfc_number", Type: opendata.Integer, Null: true, Col: "CASE WHEN dd.type = 'rfc' THEN dd.rfc_number END"},
		{Name: "pages", Type: opendata.Integer, Null: true, Filter: all, Col: "NULLIF(dd.pages, 0)"},
		{Name: "expires", Type: opendata.DateTime, Null: true, Filter: all, Col: "CASE WHEN dd.type = 'draft' THEN dd.expires END"},
		{Name: "states", Type: opendata.ToMany, To: "doc/state", Filter: rel, Link: docStatesLink()},
		{Name: "tags", Type: opendata.ToMany, To: "name/doctagname", Filter: rel, Link: &opendata.Link{
			From: "doc_tag tg JOIN doc td ON td.id = tg.doc_id", Owner: "td.name", Key: "tg.tag"}},
		// What hum keeps no value for: the Datatracker's empty values.
		{Name: "external_url", Type: opendata.String, Filter: all, Empty: true},
		{Name: "note", Type: opendata.String, Filter: all, Empty: true},
		{Name: "notify", Type: opendata.String, Filter: all, Empty: true},
		{Name: "uploaded_filename", Type: opendata.String, Filter: all, Empty: true},
		{Name: "words", Type: opendata.Integer, Null: true, Empty: true},
	}
}

// documentResource is doc/document (ietf/doc/resources.py
// DocumentResource), its detail URI by name as the Datatracker's; a
// filter on a relation to it by number (doc=123) means its id.
func documentResource() opendata.Resource {
	fields := append([]opendata.Field{
		{Name: "id", Type: opendata.Integer, Col: "dd.id"},
		// ietfdata's Document still reads rfc: the RFC's number, as
		// rfc_number.
		{Name: "rfc", Type: opendata.Integer, Null: true, Col: "CASE WHEN dd.type = 'rfc' THEN dd.rfc_number END"},
		// Submissions of the document that were posted: one waiting,
		// cancelled or refused is not the document's (the Datatracker
		// links a submission to its document when it posts it).
		{Name: "submissions", Type: opendata.ToMany, To: "submit/submission", Link: &opendata.Link{
			From: "(SELECT id, name FROM submission WHERE state = 'posted') ss", Owner: "ss.name", Key: "ss.id"}},
	}, documentFields()...)
	return opendata.Resource{
		App: "doc", Model: "document", Key: "name", PK: "id",
		Table:      &opendata.Table{From: docRows + " dd"},
		Ordering:   []string{"name", "time"},
		Order:      []string{"name"},
		FilterOnly: map[string]opendata.Filtering{"order": all},
		Fields:     fields,
	}
}

// documentAuthorResource is doc/documentauthor (DocumentAuthorResource):
// the authors as the latest revision names them, their address as
// printed in the draft (public in person/email as an author's address).
// An author is numbered by document and place, id×1000 + place.
func documentAuthorResource() opendata.Resource {
	return opendata.Resource{
		App: "doc", Model: "documentauthor", Key: "id",
		Table:    &opendata.Table{From: "doc_author a JOIN doc ad ON ad.id = a.doc_id"},
		Ordering: []string{"id", "order"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "a.doc_id * 1000 + a.ord"},
			{Name: "document", Type: opendata.ToOne, To: "doc/document", Filter: rel, Col: "ad.name"},
			{Name: "person", Type: opendata.ToOne, To: "person/person", Filter: rel, Col: "COALESCE(a.person_id, 0)"},
			{Name: "email", Type: opendata.ToOne, To: "person/email", Null: true, Filter: rel, Col: "NULLIF(LOWER(a.email), '')"},
			{Name: "affiliation", Type: opendata.String, Filter: all, Col: "a.organization"},
			{Name: "country", Type: opendata.String, Filter: all, Empty: true},
			{Name: "order", Type: opendata.Integer, Filter: all, Col: "a.ord"},
		},
	}
}

// relatedDocumentResource is doc/relateddocument
// (RelatedDocumentResource): the relations between documents hum holds
// both ends of, numbered by their order of names.
func relatedDocumentResource() opendata.Resource {
	return opendata.Resource{
		App: "doc", Model: "relateddocument", Key: "id",
		Table: &opendata.Table{From: `(SELECT ROW_NUMBER() OVER (ORDER BY r.source, r.type, r.target) AS id, r.source, r.type, r.target
			FROM doc_relation r WHERE EXISTS (SELECT 1 FROM doc s WHERE s.name = r.source) AND EXISTS (SELECT 1 FROM doc t WHERE t.name = r.target)) rd`},
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "rd.id"},
			{Name: "source", Type: opendata.ToOne, To: "doc/document", Filter: rel, Col: "rd.source"},
			{Name: "target", Type: opendata.ToOne, To: "doc/document", Filter: rel, Col: "rd.target"},
			{Name: "relationship", Type: opendata.ToOne, To: "name/docrelationshipname", Filter: rel, Col: "rd.type"},
		},
	}
}

package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/corpustest"
	"hum/internal/docs"
	"hum/internal/docs/rfcindex"
	"hum/internal/groups"
	"hum/internal/ipr"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/telechat"
	"hum/internal/testbody"
)

// notYetServed are resources of the issue that another capability's
// work will serve on the same machinery. Each must answer 404 until it is
// served; serving one without taking it off this list fails the test, as
// does leaving off a resource nobody serves. URIs pointing to them are
// not followed until then.
var notYetServed = []string{}

// dtResource is one resource of testdata/datatracker-resources.json.
type dtResource struct {
	Resource  string         `json:"resource"`
	Fields    []string       `json:"fields"`
	Filtering map[string]int `json:"filtering"`
}

func datatrackerResources(t *testing.T) []dtResource {
	t.Helper()
	b, err := os.ReadFile("testdata/datatracker-resources.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct{ Resources []dtResource }
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d.Resources
}

// apiSite is the small standards body with something in every resource
// hum serves: roles, a state change and other changes of a group, a
// milestone, lists.
func apiSite(t *testing.T) *site {
	t.Helper()
	b := newBody(t)
	now := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	b.DB.Now = func() time.Time { return now }
	ds := &docs.Service{DB: b.DB, Groups: b.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	s := serve(t, b, Config{Docs: ds})
	ctx := context.Background()
	apiDocs(t, s, ds, func(d time.Duration) { now = now.Add(d) })
	ad, err := s.groups.ActorOf(ctx, record.Actor{ID: mustPerson(t, s, "ad@example.org"), Name: "Ada Director"})
	if err != nil {
		t.Fatal(err)
	}
	desc, concluded := "Quick UDP.", "conclude"
	if err := s.groups.Update(ctx, ad, "quic", groups.Changes{Description: &desc}, "clearer"); err != nil {
		t.Fatal(err)
	}
	if err := s.groups.Update(ctx, groups.Operator(record.System), "quic", groups.Changes{State: &concluded}, "done"); err != nil {
		t.Fatal(err)
	}
	if err := s.groups.AddMilestone(ctx, ad, "httpbis", "Submit HTTP/2 to the IESG", "2027-06", []string{"draft-ietf-httpbis-http2"}, ""); err != nil {
		t.Fatal(err)
	}
	ls := &lists.Service{DB: s.db, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	if err := ls.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	// On the agenda of the next telechat, then moved to the one after.
	ts := &telechat.Service{DB: s.db, Docs: ds}
	sec, err := s.groups.ActorOf(ctx, record.Actor{ID: mustPerson(t, s, "sec@example.org"), Name: "Sam Secretariat"})
	if err != nil {
		t.Fatal(err)
	}
	dates := []time.Time{now.AddDate(0, 0, 10).Truncate(24 * time.Hour), now.AddDate(0, 0, 24).Truncate(24 * time.Hour)}
	if _, err := ts.AddDates(ctx, sec, dates, ""); err != nil {
		t.Fatal(err)
	}
	for _, d := range dates {
		if err := ts.Place(ctx, "draft-ietf-httpbis-ioam-api", sec, d, ""); err != nil {
			t.Fatal(err)
		}
	}
	apiIPR(t, s, &ipr.Service{DB: s.db, Docs: ds, Groups: s.groups, Lists: ls, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"})
	apiMeetings(t, s, sec)
	return s
}

// apiMeetings gives every meeting/* and consensus/* resource something to
// serve: an IETF meeting with its rooms, slots and official schedule, a
// second schedule, httpbis's session requested by its chair and placed,
// a call on the IOAM draft, and a decision of the session that the call
// settled.
func apiMeetings(t *testing.T, s *site, sec groups.Actor) {
	t.Helper()
	ctx := context.Background()
	ms := &meetings.Service{DB: s.db, Groups: s.groups}
	m, err := ms.Create(ctx, sec, meetings.NewMeeting{Number: "120", City: "Vancouver", Country: "CA", TimeZone: "America/Vancouver",
		Date: "2024-07-20", Days: 7, Rooms: []meetings.NewRoom{{Name: "Regency A", Capacity: 300}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.groups.Get(ctx, "httpbis")
	if err != nil {
		t.Fatal(err)
	}
	chair := mustPerson(t, s, "chair@example.org")
	var sid, callID int64
	if err := s.db.QueryRowContext(ctx, `INSERT INTO session (meeting_id, group_id, status, requested_duration, attendees, requested_by, modified)
		VALUES ($1, $2, 'schedw', 3600, 80, $3, $4) RETURNING id`, m.ID, g.ID, chair, s.db.Now()).Scan(&sid); err != nil {
		t.Fatal(err)
	}
	slots, err := ms.Timeslots(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range slots {
		if x.Type == "regular" {
			if err := ms.Assign(ctx, sec, "120", sid, x.ID, ""); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schedule (meeting_id, name, owner_id, visible, public, created) VALUES ($1, 'draft', $2, FALSE, FALSE, $3)`,
		m.ID, mustPerson(t, s, "sec@example.org"), s.db.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(ctx, `INSERT INTO consensus_call (group_id, kind, question, list, message_id, opened_by, opened, deadline, doc_id, rev)
		SELECT $1, 'adoption', 'Adopt it?', 'httpbis', 'call-1@hum.test', $2, $3, $4, id, rev FROM doc WHERE name = 'draft-ietf-httpbis-ioam-api' RETURNING id`,
		g.ID, chair, s.db.Now(), s.db.Now().AddDate(0, 0, 14)).Scan(&callID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO decision (group_id, session_id, text, state, recorded_by, recorded, settled, settled_by_call)
		VALUES ($1, $2, 'Adopt the IOAM API draft.', 'confirmed', $3, $4, $4, $5)`, g.ID, sid, chair, s.db.Now(), callID); err != nil {
		t.Fatal(err)
	}
}

// apiIPR gives every ipr/* resource something to serve: a specific
// disclosure on the IOAM draft and its update, a third-party one, a
// generic one with a patent and one without, all posted, and one
// pending, which none may show.
func apiIPR(t *testing.T, s *site, is *ipr.Service) {
	t.Helper()
	ctx := context.Background()
	sec, err := s.groups.ActorOf(ctx, record.Actor{ID: mustPerson(t, s, "sec@example.org"), Name: "Sam Secretariat"})
	if err != nil {
		t.Fatal(err)
	}
	const draft = "draft-ietf-httpbis-ioam-api"
	patent := ipr.Patent{Number: "US62/123456", Inventor: "Ivy Inventor", Title: "Measuring in flight", Date: "2024-01-05"}
	file := func(f ipr.Fields, post bool) int64 {
		t.Helper()
		f.HolderLegalName, f.Compliant, f.SubmitterName, f.SubmitterEmail = "Example Networks", true, "Pat Participant", "pat@example.org"
		d, err := is.Submit(ctx, sec, f, "")
		if err != nil {
			t.Fatal(err)
		}
		if post {
			if err := is.Post(ctx, d.ID, sec, ""); err != nil {
				t.Fatal(err)
			}
		}
		return d.ID
	}
	specific := ipr.Fields{Kind: ipr.Specific, HolderContactName: "Lee Licensing", HolderContactEmail: "licensing@networks.example",
		Patent: patent, Licensing: "royalty-free", Docs: []ipr.DocInput{{Name: draft, Revisions: "00", Sections: "3"}}}
	first := file(specific, true)
	specific.Updates, specific.LicensingComments = []int64{first}, "Now for 01 too."
	file(specific, true)
	file(ipr.Fields{Kind: ipr.ThirdParty, IETFerName: "Tess Thirdparty", IETFerContactEmail: "tess@example.org", Patent: patent,
		Docs: []ipr.DocInput{{Name: draft, Revisions: "00"}}}, true)
	file(ipr.Fields{Kind: ipr.Generic, HolderContactName: "Lee Licensing", HolderContactEmail: "licensing@networks.example",
		Statement: "Royalty-free for every IETF standard."}, true)
	file(ipr.Fields{Kind: ipr.Generic, HolderContactName: "Lee Licensing", HolderContactEmail: "licensing@networks.example",
		Patent: patent, Statement: "Royalty-free for implementers."}, true)
	file(ipr.Fields{Kind: ipr.Generic, HolderContactName: "Quiet Holder", HolderContactEmail: "quiet@networks.example",
		Statement: "Still pending: never in the API."}, false)
}

// apiDocs gives every doc/* and submit/* resource something to serve: a
// WG draft about IOAM (the issue's curl example) taken through Last Call
// and an IESG ballot to a second revision, a cancelled submission, and
// two RFCs, one obsoleting the other, from the corpus's index.
func apiDocs(t *testing.T, s *site, ds *docs.Service, later func(time.Duration)) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	sec, err := s.groups.ActorOf(ctx, record.Actor{ID: mustPerson(t, s, "sec@example.org"), Name: "Sam Secretariat"})
	must(err)
	ad, err := s.groups.ActorOf(ctx, record.Actor{ID: mustPerson(t, s, "ad@example.org"), Name: "Ada Director"})
	must(err)
	const name = "draft-ietf-httpbis-ioam-api"
	submit := func(rev string) docs.Submission {
		sub, err := ds.Submit(ctx, docs.Upload{XML: draftXML(name, rev, "pat@example.org"), XMLName: name + "-" + rev + ".xml"},
			docs.Submitter{Actor: sec, Email: "sec@example.org"})
		must(err)
		return sub
	}
	submit("00")
	must(ds.SetWriteup(ctx, name, sec, testbody.Writeup()))
	must(ds.SetIESGState(ctx, name, sec, "pub-req", ""))
	must(ds.SetAD(ctx, name, sec, mustPerson(t, s, "ad@example.org"), ""))
	must(ds.SetIESGState(ctx, name, sec, "lc-req", ""))
	must(ds.IssueLastCall(ctx, name, sec, 0, ""))
	later(30 * 24 * time.Hour)
	_, err = ds.Tick(ctx)
	must(err)
	must(ds.SetIESGState(ctx, name, sec, "iesg-eva", ""))
	must(ds.SetPosition(ctx, name, ad, docs.PositionChange{Pos: "yes", Comment: "Fine."}))
	later(24 * time.Hour)
	submit("01")
	_, err = ds.Submit(ctx, docs.Upload{XML: draftXML("draft-pat-ioam-notes", "00", "pat@example.org"), XMLName: "draft-pat-ioam-notes-00.xml"},
		docs.Submitter{Actor: sec, Email: "sec@example.org"})
	must(err)
	f, err := os.Open(corpustest.Path(t, "rfc/rfc-index.txt"))
	must(err)
	es, err := rfcindex.ReadAll(f)
	f.Close()
	must(err)
	var some []rfcindex.Entry
	for _, e := range es {
		if e.Number == 7231 || e.Number == 9110 {
			some = append(some, e)
		}
	}
	_, err = ds.ImportIndex(ctx, some)
	must(err)
}

func mustPerson(t *testing.T, s *site, addr string) int64 {
	t.Helper()
	p, err := s.people.ByEmail(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// TestDatatrackerResources checks every resource of the issue against the
// Datatracker's: the same fields and filters in its schema, every object
// with exactly those fields, and every URI in every object answering 200.
func TestDatatrackerResources(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	resolved := map[string]bool{}
	resolve := func(from, uri string) {
		if resolved[uri] {
			return
		}
		rest := strings.TrimPrefix(uri, "/api/v1/")
		parts := strings.Split(strings.TrimSuffix(rest, "/"), "/")
		if len(parts) != 3 || !strings.HasPrefix(uri, "/api/v1/") || !strings.HasSuffix(uri, "/") {
			t.Errorf("%s: %q is not a detail URI", from, uri)
			return
		}
		if slices.Contains(notYetServed, parts[0]+"/"+parts[1]) {
			return
		}
		var o map[string]any
		if code := getJSON(t, c, uri, &o); code != http.StatusOK || o["resource_uri"] != uri {
			t.Errorf("%s links %s, which answers %d %v", from, uri, code, o["resource_uri"])
		}
		resolved[uri] = true
	}
	for _, want := range datatrackerResources(t) {
		list := "/api/v1/" + want.Resource + "/"
		var schema struct {
			Fields    map[string]any `json:"fields"`
			Filtering map[string]int `json:"filtering"`
		}
		code := getJSON(t, c, list+"schema/", &schema)
		if slices.Contains(notYetServed, want.Resource) {
			if code != http.StatusNotFound {
				t.Errorf("%s is served: take it off notYetServed, so that this test checks it", want.Resource)
			}
			continue
		}
		if code != http.StatusOK {
			t.Errorf("%s is not served (schema: %d)", want.Resource, code)
			continue
		}
		wantFields := append(slices.Clone(want.Fields), "resource_uri")
		sort.Strings(wantFields)
		gotFields := sortedMapKeys(schema.Fields)
		if d := cmp.Diff(wantFields, gotFields); d != "" {
			t.Errorf("%s: fields differ from the Datatracker's (-want +got):\n%s", want.Resource, d)
		}
		if d := cmp.Diff(want.Filtering, schema.Filtering); d != "" {
			t.Errorf("%s: filtering differs from the Datatracker's (-want +got):\n%s", want.Resource, d)
		}
		var l apiListResponse
		if code := getJSON(t, c, list+"?limit=0", &l); code != http.StatusOK {
			t.Errorf("%s: list %d", want.Resource, code)
			continue
		}
		if len(l.Objects) == 0 {
			t.Errorf("%s: no objects to check (the test's standards body should have some)", want.Resource)
		}
		for _, o := range l.Objects {
			if d := cmp.Diff(wantFields, sortedMapKeys(o)); d != "" {
				t.Errorf("%s %v: fields (-want +got):\n%s", want.Resource, o["resource_uri"], d)
			}
			for _, k := range sortedMapKeys(o) {
				switch v := o[k].(type) {
				case string:
					if strings.HasPrefix(v, "/api/v1/") {
						resolve(want.Resource+"."+k, v)
					}
				case []any:
					for _, x := range v {
						if u, ok := x.(string); ok {
							resolve(want.Resource+"."+k, u)
						}
					}
				}
			}
		}
	}
	// hum's own resources, which the Datatracker has not (doc/implementation,
	// group/appeal, consensus/*, ...): every URI of theirs resolves too.
	checked := map[string]bool{}
	for _, want := range datatrackerResources(t) {
		checked[want.Resource] = true
	}
	var top map[string]apiEndpoint
	getJSON(t, c, "/api/v1/", &top)
	for _, app := range sortedMapKeys(top) {
		var models map[string]apiEndpoint
		getJSON(t, c, top[app].ListEndpoint, &models)
		for _, model := range sortedMapKeys(models) {
			name := app + "/" + model
			if checked[name] || app == "name" {
				continue
			}
			var l apiListResponse
			if code := getJSON(t, c, models[model].ListEndpoint+"?limit=0", &l); code != http.StatusOK {
				t.Errorf("%s: list %d", name, code)
			}
			if app == "consensus" && len(l.Objects) == 0 {
				t.Errorf("%s: no objects to check", name)
			}
			for _, o := range l.Objects {
				for _, k := range sortedMapKeys(o) {
					switch v := o[k].(type) {
					case string:
						if strings.HasPrefix(v, "/api/v1/") {
							resolve(name+"."+k, v)
						}
					case []any:
						for _, x := range v {
							if u, ok := x.(string); ok && strings.HasPrefix(u, "/api/v1/") {
								resolve(name+"."+k, u)
							}
						}
					}
				}
			}
		}
	}
	for _, uri := range []string{"/api/v1/consensus/decision/1/", "/api/v1/meeting/schedule/2/", "/api/v1/consensus/call/1/"} {
		if !resolved[uri] {
			t.Errorf("%s was not followed: the test's standards body should link it", uri)
		}
	}
	if len(resolved) < 50 {
		t.Errorf("only %d URIs followed", len(resolved))
	}
}

func sortedMapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestIssueCurlExamples checks the two calls the issue gives, as the
// Datatracker answers them.
func TestIssueCurlExamples(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	var roles apiListResponse
	if code := getJSON(t, c, "/api/v1/group/role/?group__acronym=httpbis&name=chair", &roles); code != 200 {
		t.Fatalf("roles: %d", code)
	}
	if roles.Meta.TotalCount != 1 || roles.Meta.Limit != 20 || roles.Meta.Offset != 0 || roles.Meta.Next != nil || len(roles.Objects) != 1 {
		t.Errorf("roles meta: %+v", roles.Meta)
	}
	r := roles.Objects[0]
	g, _ := s.groups.Get(context.Background(), "httpbis")
	for k, want := range map[string]any{
		"name": "/api/v1/name/rolename/chair/", "group": fmt.Sprintf("/api/v1/group/group/%d/", g.ID),
		"person": fmt.Sprintf("/api/v1/person/person/%d/", mustPerson(t, s, "chair@example.org")),
		"email":  "/api/v1/person/email/chair@example.org/",
	} {
		if r[k] != want {
			t.Errorf("role %s = %v, want %v", k, r[k], want)
		}
	}
	if _, ok := r["id"].(float64); !ok || !strings.HasPrefix(r["resource_uri"].(string), "/api/v1/group/role/") {
		t.Errorf("role: %v", r)
	}

	// /api/v1/doc/document/?name__contains=ioam&format=json is served
	// with the doc resources; until then it is not found (and the
	// acceptance test above says which resources are to come).
	var docs map[string]any
	code := getJSON(t, c, "/api/v1/doc/document/?name__contains=ioam&format=json", &docs)
	if slices.Contains(notYetServed, "doc/document") {
		if code != http.StatusNotFound {
			t.Errorf("doc/document: %d, but it is listed as not served yet", code)
		}
		return
	}
	meta, _ := docs["meta"].(map[string]any)
	objs, _ := docs["objects"].([]any)
	if code != 200 || meta == nil || objs == nil {
		t.Fatalf("doc/document?name__contains=ioam: %d %v", code, docs)
	}
	for _, o := range objs {
		if name, _ := o.(map[string]any)["name"].(string); !strings.Contains(name, "ioam") {
			t.Errorf("name__contains=ioam gives %q", name)
		}
	}
}

// TestAPIDocStatesAndRFCs checks what ietfdata reads of documents: a
// draft by name with its states (a link from a history row as from the
// document), an RFC by number, a draft's events and authors (the address
// printed in the draft), and its submissions.
func TestAPIDocStatesAndRFCs(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	var l apiListResponse
	get := func(uri string) []map[string]any {
		t.Helper()
		l = apiListResponse{}
		if code := getJSON(t, c, uri, &l); code != http.StatusOK {
			t.Fatalf("%s: %d", uri, code)
		}
		return l.Objects
	}
	const name = "draft-ietf-httpbis-ioam-api"
	docs := get("/api/v1/doc/document/?name=" + name)
	if len(docs) != 1 || docs[0]["rev"] != "00" || docs[0]["type"] != "/api/v1/name/doctypename/draft/" {
		t.Fatalf("draft by name: %v", docs)
	}
	states, _ := docs[0]["states"].([]any)
	if len(states) != 3 || !slices.Contains(states, any("/api/v1/doc/state/1/")) || !slices.Contains(states, any("/api/v1/doc/state/12/")) ||
		!slices.Contains(states, any("/api/v1/doc/state/44/")) {
		t.Errorf("states of an active WG draft in IESG evaluation, submitted for publication: %v", states)
	}
	for _, h := range get("/api/v1/doc/dochistory/?doc__name=" + name) {
		if hs, _ := h["states"].([]any); len(hs) != 3 {
			t.Errorf("history %v: states %v", h["resource_uri"], hs)
		}
	}
	if len(l.Objects) != 1 {
		t.Errorf("history rows: %d, want one per posted revision", len(l.Objects))
	}
	// The Datatracker does not filter on rfc_number: an RFC is asked for
	// by its name, rfcNNNN.
	rfcs := get("/api/v1/doc/document/?name=rfc9110")
	if len(rfcs) != 1 || rfcs[0]["rfc_number"] != float64(9110) || rfcs[0]["type"] != "/api/v1/name/doctypename/rfc/" ||
		rfcs[0]["std_level"] != "/api/v1/name/stdlevelname/std/" {
		t.Errorf("RFC by number: %v", rfcs)
	}
	obs := get("/api/v1/doc/relateddocument/?source__name=rfc9110&relationship=obs")
	if len(obs) != 1 || obs[0]["target"] != "/api/v1/doc/document/rfc7231/" {
		t.Errorf("rfc9110 obsoletes: %v", obs)
	}
	evs := get("/api/v1/doc/docevent/?doc__name=" + name + "&type=new_revision")
	if len(evs) != 1 {
		t.Errorf("new revisions: %v", evs)
	}
	pos := get("/api/v1/doc/ballotpositiondocevent/?doc__name=" + name)
	if len(pos) != 1 || pos[0]["pos"] != "/api/v1/name/ballotpositionname/yes/" || pos[0]["comment"] != "Fine." || pos[0]["ballot"] == nil {
		t.Errorf("ballot positions: %v", pos)
	}
	authors := get("/api/v1/doc/documentauthor/?document__name=" + name)
	if len(authors) != 1 || authors[0]["email"] != "/api/v1/person/email/pat@example.org/" {
		t.Errorf("authors: %v", authors)
	}
	subs := get("/api/v1/submit/submission/?name=" + name)
	// 01 waits: a revision during IESG evaluation is not posted at once.
	if len(subs) != 2 || subs[0]["state"] != "/api/v1/name/draftsubmissionstatename/posted/" || subs[0]["draft"] != "/api/v1/doc/document/"+name+"/" {
		t.Errorf("submissions: %v", subs)
	}
	// draft-pat-ioam-notes waits for its author: a submission, no document.
	if len(get("/api/v1/doc/document/?name__contains=ioam&format=json")) != 1 {
		t.Errorf("name__contains=ioam: %v", l.Objects)
	}
}

package web

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/testbody"
)

// authzFixture is the matrix's standards body: the IESG, the IAB, the
// IETF and the secretariat; the gen, art and rtg areas; httpbis and quic
// in art and idr in rtg; a person for each role of authzRoles, and a
// victim whose things others try to take. Probes add documents, posts
// and submissions with the helpers below, through the services.
type authzFixture struct {
	*site
	docs    *docs.Service
	lists   *lists.Service
	now     time.Time
	ids     map[string]int64  // person ids by address
	keys    map[string]string // API keys by role
	clients map[string]*client
	saved   map[string]string // ids the setup made, for paths and targets
	op      groups.Actor      // the operator, who sets the scene
}

const victim = "victim@example.org"

// authzStart is the fixture's clock when a probe begins.
var authzStart = time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)

// authzBody is what a fixture's template holds beside its database.
type authzBody struct {
	ids  map[string]int64  // person ids by address
	keys map[string]string // API keys by role, in the template with keys
}

// authzBodies are the matrix's standards body, built once per test
// binary and copied for each fixture (dbtest.Template): without and with
// an API key for each role who logs in.
var authzBodies = [2]*dbtest.Template[authzBody]{
	{Name: "authz", Build: func(t testing.TB, d *db.DB) authzBody { return buildAuthzBody(t, d, false) }},
	{Name: "authz with API keys", Build: func(t testing.TB, d *db.DB) authzBody { return buildAuthzBody(t, d, true) }},
}

func buildAuthzBody(t testing.TB, d *db.DB, keys bool) authzBody {
	t.Helper()
	d.Now = func() time.Time { return authzStart }
	b := testbody.New(t, d)
	b.Password = testPassword
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "iab", Name: "Internet Architecture Board", Type: "iab"},
		groups.NewGroup{Acronym: "ietf", Name: "Internet Engineering Task Force", Type: "ietf"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "gen", Name: "General Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "rtg", Name: "Routing Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"},
		groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "art"},
		groups.NewGroup{Acronym: "idr", Name: "Inter-Domain Routing", Type: "wg", Parent: "rtg"},
	)
	b.AddPeople(
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
		testbody.Person{Email: "oc@example.org", Name: "Olive Otherchair", Role: "chair", Group: "quic"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "httpbis"},
		testbody.Person{Email: "oad@example.org", Name: "Otto Otherad", Role: "ad", Group: "rtg"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "art"},
		testbody.Person{Email: "exo@example.org", Name: "Ex Officio", Role: "member", Group: "iesg"},
		testbody.Person{Email: "iab@example.org", Name: "Iris Board", Role: "member", Group: "iab"},
		testbody.Person{Email: "ic@example.org", Name: "Ivan Chair", Role: "chair", Group: "ietf"},
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: victim, Name: "Vic Tim"},
	)
	ls := &lists.Service{DB: d, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	if err := ls.Ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	body := authzBody{ids: b.IDs, keys: map[string]string{}}
	if keys {
		for _, r := range authzRoles {
			if r.email == "" {
				continue
			}
			k, err := b.People.NewAPIKey(context.Background(), b.IDs[r.email], "test")
			if err != nil {
				t.Fatal(err)
			}
			body.keys[r.name] = k
		}
	}
	return body
}

// newAuthzFixture is a copy of the matrix's standards body served on a
// site of its own, with what p's setup makes.
func newAuthzFixture(t *testing.T, p authzProbe) *authzFixture {
	t.Helper()
	tmpl := authzBodies[0]
	if p.kind == apiPost || p.kind == apiUpload {
		tmpl = authzBodies[1]
	}
	d, body := tmpl.New(t)
	f := &authzFixture{now: authzStart, keys: maps.Clone(body.keys), clients: map[string]*client{}, saved: map[string]string{},
		op: groups.Operator(record.Actor{Name: "matrix setup"})}
	d.Now = func() time.Time { return f.now }
	b := testbody.New(t, d)
	b.Password = testPassword
	b.IDs = maps.Clone(body.ids)
	f.ids = b.IDs
	ls := &lists.Service{DB: d, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	f.lists = ls
	f.docs = &docs.Service{DB: d, Groups: b.Groups, Mail: ls.Router(&mail.Outbox{Name: "hum"}), BaseURL: "http://hum.test", Domain: "hum.test", Lists: ls}
	f.site = serve(t, b, Config{Lists: ls, Docs: f.docs})
	if p.setup != nil {
		p.setup(f)
	}
	return f
}

// client is role's browser, logged in, from an address of its own.
func (f *authzFixture) client(role string) *client {
	if c := f.clients[role]; c != nil {
		return c
	}
	for i, r := range authzRoles {
		if r.name != role {
			continue
		}
		c := f.clientFrom(fmt.Sprintf("127.0.0.%d", 10+i))
		if r.email != "" {
			c.login(r.email)
		}
		f.clients[role] = c
		return c
	}
	f.t.Fatalf("no role %q", role)
	return nil
}

func (f *authzFixture) email(role string) string {
	for _, r := range authzRoles {
		if r.name == role {
			return r.email
		}
	}
	return ""
}

// actor is the person with that address as the web would build them.
func (f *authzFixture) actor(email string) groups.Actor {
	f.t.Helper()
	a, err := f.groups.ActorOf(context.Background(), record.Actor{ID: f.ids[email], Name: email})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *authzFixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// draftXML is a small, valid xml2rfc v3 draft.
func draftXML(name, rev, author string) []byte {
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="utf-8"?>
<rfc ipr="trust200902" docName="%s-%s" category="info" version="3">
  <front>
    <title>Matrix test document %s</title>
    <author fullname="Vic Tim"><address><email>%s</email></address></author>
    <abstract><t>This document exists so that the authorization matrix has something to act on.</t></abstract>
  </front>
  <middle><section anchor="intro" title="Introduction"><t>Nothing to see.</t></section></middle>
  <back></back>
</rfc>
`, name, rev, name, author)
}

// submit uploads a revision as who (a person's address, or "" for the
// operator).
func (f *authzFixture) submit(name, rev, author, who string) docs.Submission {
	f.t.Helper()
	s := docs.Submitter{Actor: f.op, Email: "sec@example.org"}
	if who != "" {
		s = docs.Submitter{Actor: f.actor(who), Email: who, Emails: []string{who}}
	}
	sub, err := f.docs.Submit(context.Background(), docs.Upload{XML: draftXML(name, rev, author), XMLName: name + "-" + rev + ".xml"}, s)
	f.must(err)
	return sub
}

// The documents probes act on.
const (
	wgDoc    = "draft-ietf-httpbis-authz"  // a WG document of httpbis, write-up done, no AD
	indivDoc = "draft-victim-authz"        // the victim's individual draft
	lcReqDoc = "draft-ietf-httpbis-lcreq"  // Last Call requested, Ada responsible
	evalDoc  = "draft-ietf-httpbis-eval"   // in IESG evaluation, Ada responsible
	queueDoc = "draft-ietf-httpbis-queued" // approved and announced, in the RFC Editor queue
)

func (f *authzFixture) wgDraft() {
	f.submit(wgDoc, "00", victim, "")
	f.must(f.docs.SetWriteup(context.Background(), wgDoc, f.op, testbody.Writeup()))
}

func (f *authzFixture) indivDraft() { f.submit(indivDoc, "00", victim, victim) }

// toLastCallRequested posts a WG draft and takes it to Last Call
// Requested with Ada as its AD.
func (f *authzFixture) toLastCallRequested(name string) {
	ctx := context.Background()
	f.submit(name, "00", victim, "")
	f.must(f.docs.SetWriteup(ctx, name, f.op, testbody.Writeup()))
	f.must(f.docs.SetIESGState(ctx, name, f.op, "pub-req", ""))
	f.must(f.docs.SetAD(ctx, name, f.op, f.ids["ad@example.org"], ""))
	f.must(f.docs.SetIESGState(ctx, name, f.op, "lc-req", ""))
}

func (f *authzFixture) lcReqDraft() { f.toLastCallRequested(lcReqDoc) }

// toEvaluation takes a WG draft through Last Call into IESG Evaluation.
func (f *authzFixture) toEvaluation(name string) {
	ctx := context.Background()
	f.toLastCallRequested(name)
	f.must(f.docs.IssueLastCall(ctx, name, f.op, 0, ""))
	f.later(30 * 24 * time.Hour)
	if _, err := f.docs.Tick(ctx); err != nil {
		f.t.Fatal(err)
	}
	f.must(f.docs.SetIESGState(ctx, name, f.op, "iesg-eva", ""))
}

func (f *authzFixture) evalDraft() { f.toEvaluation(evalDoc) }

// discussed is the draft in evaluation with a DISCUSS held by Otto.
func (f *authzFixture) discussed() {
	f.evalDraft()
	f.must(f.docs.SetPosition(context.Background(), evalDoc, f.actor("oad@example.org"), docs.PositionChange{Pos: "discuss", Discuss: "Say why."}))
}

func (f *authzFixture) queueDraft() {
	ctx := context.Background()
	f.toEvaluation(queueDoc)
	f.must(f.docs.SetPosition(ctx, queueDoc, f.actor("ad@example.org"), docs.PositionChange{Pos: "yes"}))
	f.must(f.docs.SetIESGState(ctx, queueDoc, f.op, "approved", ""))
	f.must(f.docs.SetIESGState(ctx, queueDoc, f.op, "ann", ""))
	if st := f.docField(queueDoc, "iesg_state"); st != "rfcqueue" {
		f.must(f.docs.SetIESGState(ctx, queueDoc, f.op, "rfcqueue", ""))
	}
}

// docField is one column of a document's row.
func (f *authzFixture) docField(name, col string) string {
	return f.scalar(`SELECT COALESCE(CAST(`+col+` AS TEXT), '') FROM doc WHERE name = $1`, name)
}

// held is a post from outside waiting in the moderation queue of list.
func (f *authzFixture) heldPost(list string) string {
	f.t.Helper()
	raw := "From: outsider@example.net\r\nSubject: Let me in\r\nMessage-ID: <held-" + list + "@example.net>\r\n\r\nbody\r\n"
	f.must(f.lists.Receive(context.Background(), mail.Envelope{From: "outsider@example.net", To: []string{list + "@hum.test"}}, []byte(raw)))
	return f.idOf(`SELECT MAX(p.id) FROM list_post p JOIN list l ON l.id = p.list_id WHERE l.name = $1 AND p.state = 'held'`, list)
}

// milestone adds one to a group and returns its id.
func (f *authzFixture) milestone(acronym string) string {
	f.must(f.groups.AddMilestone(context.Background(), f.op, acronym, "Ship it", "2027-01", nil, ""))
	return f.idOf(`SELECT MAX(m.id) FROM milestone m JOIN grp g ON g.id = m.group_id WHERE g.acronym = $1`, acronym)
}

// roleID is the id of a role.
func (f *authzFixture) roleID(acronym, role, email string) string {
	return f.idOf(`SELECT r.id FROM role r JOIN grp g ON g.id = r.group_id WHERE g.acronym = $1 AND r.name = $2 AND r.person_id = $3`,
		acronym, role, f.ids[email])
}

// victimKey gives the victim an API key and returns its id.
func (f *authzFixture) victimKey() string {
	f.apiKey(victim)
	return f.idOf(`SELECT MAX(id) FROM api_key WHERE person_id = $1`, f.ids[victim])
}

func (f *authzFixture) id(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.t.Fatalf("id %q: %v", s, err)
	}
	return n
}

// subscribe puts an address on a list, confirmed.
func (f *authzFixture) subscribe(list, addr string) {
	f.t.Helper()
	if _, err := f.lists.Subscribe(context.Background(), record.System, list, addr, "each"); err != nil {
		f.t.Fatal(err)
	}
}

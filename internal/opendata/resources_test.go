package opendata_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
	"hum/internal/testbody"
)

// get is one object of a resource by its key, or the failure.
func (f *fixture) get(resource, key string) (map[string]any, error) {
	f.t.Helper()
	app, model, _ := strings.Cut(resource, "/")
	r, ok := f.s.Resource(app, model)
	if !ok {
		f.t.Fatalf("no resource %s", resource)
	}
	return f.s.Get(context.Background(), r, key)
}

// field lists one field of a query's objects, in order.
func (f *fixture) field(resource, query, name string) string {
	f.t.Helper()
	p, err := f.list(resource, query)
	if err != nil {
		f.t.Fatalf("%s?%s: %v", resource, query, err)
	}
	var out []string
	for _, o := range p.Objects {
		out = append(out, fmt.Sprint(o[name]))
	}
	return strings.Join(out, " ")
}

// resolve follows a resource URI to its object.
func (f *fixture) resolve(uri string) (map[string]any, error) {
	f.t.Helper()
	rest := strings.TrimSuffix(strings.TrimPrefix(uri, "/api/v1/"), "/")
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		f.t.Fatalf("%q is not a detail URI", uri)
	}
	return f.get(parts[0]+"/"+parts[1], parts[2])
}

func TestRoles(t *testing.T) {
	f := newFixture(t)
	f.body.AddGroups(groups.NewGroup{Acronym: "ntp", Name: "NTP", Type: "wg", Parent: "art"})
	f.body.AddPeople(
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "httpbis"},
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretary", Role: "secr", Group: "httpbis"},
	)
	f.body.Grant("ntp", "chair", f.body.IDs["chair@example.org"], "chair@example.org")
	httpbis, _ := f.body.Groups.Get(context.Background(), "httpbis")

	// The example: the chairs of httpbis.
	p, err := f.list("group/role", "group__acronym=httpbis&name=chair")
	if err != nil || p.Total != 1 {
		t.Fatalf("chairs of httpbis: %v %v", p.Total, err)
	}
	chair := p.Objects[0]
	want := map[string]any{
		"name": "/api/v1/name/rolename/chair/", "group": fmt.Sprintf("/api/v1/group/group/%d/", httpbis.ID),
		"person": fmt.Sprintf("/api/v1/person/person/%d/", f.body.IDs["chair@example.org"]),
		"email":  "/api/v1/person/email/chair@example.org/",
	}
	for k, v := range want {
		if chair[k] != v {
			t.Errorf("role %s = %v, want %v", k, chair[k], v)
		}
	}
	// Every URI resolves, the role address among them.
	for _, k := range []string{"name", "group", "person", "email", "resource_uri"} {
		if _, err := f.resolve(chair[k].(string)); err != nil {
			t.Errorf("%s %s: %v", k, chair[k], err)
		}
	}
	email, _ := f.resolve(chair["email"].(string))
	if email["person"] != chair["person"] || email["address"] != "chair@example.org" || email["active"] != true {
		t.Errorf("the role's address: %v", email)
	}
	for _, tc := range []struct{ query, want string }{
		{"email=chair@example.org", "chair chair"},                       // ietfdata's group_roles(email=...)
		{"email__address__contains=chair", "chair chair"},                // through person/email
		{"person__name=Sam Secretary", "secr"},                           // through person/person
		{"group__parent__acronym=art&name=chair", "chair chair"},         // two relations deep
		{"name__name=Area Director", "ad"},                               // through the role names
		{fmt.Sprintf("group=%d&order_by=-id", httpbis.ID), "secr chair"}, // ietfdata's group_roles(group=...)
	} {
		var got []string
		for _, n := range strings.Fields(f.field("group/role", tc.query, "name")) {
			got = append(got, strings.TrimSuffix(strings.TrimPrefix(n, "/api/v1/name/rolename/"), "/"))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("group/role?%s: %v, want %s", tc.query, got, tc.want)
		}
	}
}

// TestAddressesPublicAsOnTheDatatracker: person/email holds the
// addresses the Datatracker makes public (role holders' role addresses,
// authors' printed addresses, a primary address its owner chose to show)
// and no other: not a participant's, not a role holder's other
// addresses, not one known only from the mail archive.
func TestAddressesPublicAsOnTheDatatracker(t *testing.T) {
	f := newFixture(t)
	f.body.AddPeople(
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "httpbis"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
		testbody.Person{Email: "shown@example.org", Name: "Shona Shown"},
	)
	ctx := context.Background()
	shown := f.body.IDs["shown@example.org"]
	if err := f.body.People.UpdateProfile(ctx, shown, "Shona Shown", "", true); err != nil {
		t.Fatal(err)
	}
	// A second address each for the chair and Shona, and an author's
	// address printed in a draft that belongs to no account.
	err := f.body.DB.Write(ctx, func(tx *db.Tx) error {
		for _, e := range []struct {
			addr string
			id   int64
		}{{"chair-home@example.org", f.body.IDs["chair@example.org"]}, {"shona-home@example.org", shown}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO email (address, person_id, is_primary, created) VALUES ($1, $2, FALSE, $3)`, e.addr, e.id, tx.Now); err != nil {
				return err
			}
			if err := record.Add(ctx, tx, record.System, "person", record.SubjectID(e.id), "email_added", "Email address added", ""); err != nil {
				return err
			}
		}
		var doc int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO doc (name, type, title, state, created, updated) VALUES ('draft-x-ioam', 'draft', 'IOAM', 'active', $1, $1) RETURNING id`, tx.Now).Scan(&doc); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO doc_author (doc_id, ord, name, email) VALUES ($1, 1, 'Anna Author', 'Anna@Author.example')`, doc)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(f.field("person/email", "limit=0", "address"))
	want := []string{"ad@example.org", "anna@author.example", "chair@example.org", "shown@example.org"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("public addresses: %v, want %v", got, want)
	}
	for _, hidden := range []string{"pat@example.org", "chair-home@example.org", "shona-home@example.org"} {
		if _, err := f.get("person/email", hidden); fail.KindOf(err) != fail.NotFound {
			t.Errorf("%s: %v, want not found", hidden, err)
		}
		if n := f.field("person/email", "address__icontains="+hidden[:6], "address"); strings.Contains(n, hidden) {
			t.Errorf("a filter finds %s", hidden)
		}
		if n := f.field("person/historicalemail", "address="+hidden, "address"); n != "" {
			t.Errorf("historicalemail has %s", hidden)
		}
	}
	anna, err := f.get("person/email", "anna@author.example")
	if err != nil || anna["origin"] != "author: draft-x-ioam" || anna["person"] != nil {
		t.Errorf("an author's printed address: %v %v", anna, err)
	}
	// Each account address has its history row, numbered by its event.
	h := f.field("person/historicalemail", "person="+fmt.Sprint(f.body.IDs["chair@example.org"]), "history_type")
	if h != "+" {
		t.Errorf("historicalemail of the chair: %q", h)
	}
	p, _ := f.list("person/historicalemail", "address=chair@example.org")
	if len(p.Objects) != 1 {
		t.Fatalf("historicalemail: %v", p.Objects)
	}
	if o, err := f.resolve(p.Objects[0]["resource_uri"].(string)); err != nil || o["address"] != "chair@example.org" {
		t.Errorf("historicalemail detail: %v %v", o, err)
	}
}

func TestPeople(t *testing.T) {
	f := newFixture(t)
	f.body.AddPeople(testbody.Person{Email: "jose@example.org", Name: "José Núñez"})
	jose := f.body.IDs["jose@example.org"]
	o, err := f.get("person/person", fmt.Sprint(jose))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": jose, "name": "José Núñez", "plain": "", "ascii_short": nil, "photo": nil, "photo_thumb": nil,
		"name_from_draft": nil, "user": nil, "pronouns_selectable": "[]", "pronouns_freetext": nil, "biography": "",
		"resource_uri": fmt.Sprintf("/api/v1/person/person/%d/", jose)}
	for k, v := range want {
		if fmt.Sprint(o[k]) != fmt.Sprint(v) {
			t.Errorf("%s = %#v, want %#v", k, o[k], v)
		}
	}
	if o["ascii"] == "" || o["time"] == nil {
		t.Errorf("ascii %q, time %v", o["ascii"], o["time"])
	}
	// ietfdata's people(): time range and names.
	for _, tc := range []struct{ query, want string }{
		{"name__contains=Núñez", "José Núñez"},
		{"name=Ada Director", "Ada Director"},
		{"time__gte=1970-01-01T00:00:00&time__lt=2038-01-19T03:14:07&name__icontains=ada", "Ada Director"},
	} {
		if got := f.field("person/person", tc.query, "name"); got != tc.want {
			t.Errorf("person/person?%s: %q, want %q", tc.query, got, tc.want)
		}
	}
	if _, err := f.list("person/person", "plain=x"); err == nil || !strings.Contains(err.Error(), "The 'plain' field does not allow filtering.") {
		t.Errorf("plain: %v (the Datatracker does not filter on it)", err)
	}
	// hum's own changes are "(System)"'s, person 0.
	sys, err := f.get("person/person", "0")
	if err != nil || sys["name"] != "(System)" {
		t.Errorf("person 0: %v %v", sys, err)
	}
	// Aliases: the name, and the ASCII name where it differs (hum leaves
	// it empty for a name that is not ASCII; an import may set it).
	if got := f.field("person/alias", fmt.Sprintf("person=%d", jose), "name"); got != "José Núñez" {
		t.Errorf("aliases of José: %q", got)
	}
	err = f.body.DB.Write(context.Background(), func(tx *db.Tx) error {
		_, err := tx.ExecContext(context.Background(), `UPDATE person SET ascii_name = 'Jose Nunez' WHERE id = $1`, jose)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := f.list("person/alias", fmt.Sprintf("person=%d&order_by=id", jose))
	var names []string
	for _, x := range a.Objects {
		names = append(names, x["name"].(string))
	}
	if strings.Join(names, "|") != "José Núñez|Jose Nunez" {
		t.Errorf("aliases of José: %v", names)
	}
	for _, x := range a.Objects {
		if _, err := f.resolve(x["resource_uri"].(string)); err != nil {
			t.Errorf("%s: %v", x["resource_uri"], err)
		}
	}
}

func TestGroupEvents(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ad, err := f.body.Groups.ActorOf(ctx, record.Actor{ID: f.body.IDs["ad@example.org"], Name: "Ada Director"})
	if err != nil {
		t.Fatal(err)
	}
	quic, _ := f.body.Groups.Get(ctx, "quic")
	name := "QUIC Transport"
	if err := f.body.Groups.Update(ctx, ad, "quic", groups.Changes{Name: &name}, "clearer"); err != nil {
		t.Fatal(err)
	}
	if err := f.body.Groups.AddMilestone(ctx, ad, "quic", "Send the draft to the IESG", "2027-03", []string{"draft-ietf-quic-x", "rfc9000"}, ""); err != nil {
		t.Fatal(err)
	}
	// A WG concludes through chartering's forms (R14); the operator
	// records it here.
	concluded := "conclude"
	if err := f.body.Groups.Update(ctx, groups.Operator(record.System), "quic", groups.Changes{State: &concluded}, "done"); err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf("group=%d", quic.ID)
	if got := f.field("group/groupevent", q+"&order_by=id", "type"); got != "changed_state info_changed changed_milestone changed_state" {
		t.Errorf("groupevent types: %q", got)
	}
	if got := f.field("group/changestategroupevent", q+"&order_by=id", "state"); got != "/api/v1/name/groupstatename/active/ /api/v1/name/groupstatename/conclude/" {
		t.Errorf("state events: %q", got)
	}
	if by := f.field("group/changestategroupevent", q+"&order_by=id", "by"); by != "/api/v1/person/person/0/ /api/v1/person/person/0/" {
		t.Errorf("by of hum's own changes: %q", by)
	}
	if by := f.field("group/groupevent", q+"&type=info_changed", "by"); by != fmt.Sprintf("/api/v1/person/person/%d/", f.body.IDs["ad@example.org"]) {
		t.Errorf("by of the AD's change: %q", by)
	}
	if got := f.field("group/changestategroupevent", "state=conclude", "desc"); got != "State changed to Concluded from Active" {
		t.Errorf("state=conclude: %q", got)
	}
	p, _ := f.list("group/changestategroupevent", q)
	for _, o := range p.Objects {
		for _, k := range []string{"group", "by", "groupevent_ptr", "state", "resource_uri"} {
			if _, err := f.resolve(o[k].(string)); err != nil {
				t.Errorf("%s %s: %v", k, o[k], err)
			}
		}
	}

	// The history: the group as it was before each change.
	if got := f.field("group/grouphistory", "group__acronym=quic&order_by=id", "state"); !strings.Contains(got, "active") || strings.Contains(got, "conclude") {
		t.Errorf("grouphistory states: %q", got)
	}
	if got := f.field("group/grouphistory", "acronym=quic&name=QUIC", "name"); got == "" {
		t.Errorf("grouphistory: no copy named QUIC")
	}
	hp, _ := f.list("group/grouphistory", "group="+fmt.Sprint(quic.ID))
	if hp.Total != 2 {
		t.Errorf("grouphistory of quic: %d rows, want 2", hp.Total)
	}
	for _, o := range hp.Objects {
		if _, err := f.resolve(o["resource_uri"].(string)); err != nil {
			t.Errorf("%s: %v", o["resource_uri"], err)
		}
	}

	// Milestones, with the documents hum holds.
	m, _ := f.list("group/groupmilestone", q)
	if len(m.Objects) != 1 || m.Objects[0]["due"] != "2027-03-01" || m.Objects[0]["state"] != "/api/v1/name/groupmilestonestatename/active/" ||
		m.Objects[0]["desc"] != "Send the draft to the IESG" || fmt.Sprint(m.Objects[0]["docs"]) != "[]" {
		t.Errorf("milestones: %v", m.Objects)
	}
	err = f.body.DB.Write(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO doc (name, type, title, state, created, updated) VALUES ('draft-ietf-quic-x', 'draft', 'X', 'active', $1, $1)`, tx.Now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.field("group/groupmilestone", q, "docs"); got != "[/api/v1/doc/document/draft-ietf-quic-x/]" {
		t.Errorf("milestone docs: %q", got)
	}
	if got := f.field("group/groupmilestone", "docs=draft-ietf-quic-x", "id"); got == "" {
		t.Error("docs=draft-ietf-quic-x finds no milestone")
	}
	if got := f.field("group/groupmilestone", "due__gte=2027-01-01&due__lt=2027-04-01", "id"); got == "" {
		t.Error("due range finds no milestone")
	}
}

func TestMailingLists(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	err := f.body.DB.Write(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO list (name, description, created) VALUES ('httpbis', 'HTTP', $1), ('ietf', 'General', $1)`, tx.Now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.list("mailinglists/list", "name=httpbis")
	if err != nil || len(p.Objects) != 1 || p.Objects[0]["description"] != "HTTP" || p.Objects[0]["advertised"] != true {
		t.Errorf("mailinglists/list?name=httpbis: %v %v", p.Objects, err)
	}
}

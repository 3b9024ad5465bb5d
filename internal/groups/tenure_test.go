package groups_test

import (
	"testing"
	"time"

	"hum/internal/groups"
	"hum/internal/people"
	"hum/internal/record"
)

// TestTenuresFromTheRecord: a role held now comes from the role table, a
// role held before from role_ended, which Revoke writes; a tenure is
// listed when it overlaps the window; a past one whose name two
// accounts bear is still its holder's (ended roles are kept by account,
// not by name); an AD's role is not a WG role.
func TestTenuresFromTheRecord(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "art", Name: "Art", Type: "area"})
	e.create(groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"})
	now, past, twin, ad := e.person("Nora Now"), e.person("Pia Past"), e.person("Tom Twin"), e.person("Ada Director")
	e.body.Add("tom.twin@other.example", "Tom Twin") // a second account with Tom's name
	e.now = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	e.grant("httpbis", "chair", past)
	e.grant("httpbis", "secr", twin)
	e.grant("art", "ad", ad)
	e.now = time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range e.rolesOf("httpbis") {
		if err := e.g.Revoke(e.ctx, e.op, r.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	e.grant("httpbis", "chair", now)
	from, to := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	ts, err := e.g.Tenures(e.ctx, groups.TenureFilter{Types: []string{"wg"}, Roles: []string{"chair", "secr"}, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]groups.Tenure{}
	for _, x := range ts {
		got[x.Person+" "+x.Role] = x
	}
	if len(got) != 3 {
		t.Errorf("tenures %+v, want Nora's (now), and Pia's and Tom's (ended in the window)", ts)
	}
	if x := got["Tom Twin secr"]; x.PersonID != twin.ID {
		t.Errorf("Tom: %+v, want his own account's, not his namesake's", x)
	}
	if x := got["Nora Now chair"]; x.PersonID != now.ID || !x.To.IsZero() {
		t.Errorf("Nora: %+v", x)
	}
	if x := got["Pia Past chair"]; x.PersonID != past.ID || x.From.Year() != 2020 || x.To.Year() != 2021 {
		t.Errorf("Pia: %+v", x)
	}
	// A window that ends before Pia's tenure ended but after it began
	// still has her; one that begins after it ended does not.
	ts, _ = e.g.Tenures(e.ctx, groups.TenureFilter{Types: []string{"wg"}, Roles: []string{"chair"}, From: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)})
	if len(ts) != 1 || ts[0].PersonID != past.ID {
		t.Errorf("a window inside Pia's tenure: %+v", ts)
	}
	ts, _ = e.g.Tenures(e.ctx, groups.TenureFilter{Types: []string{"wg"}, Roles: []string{"chair"}, From: time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC), To: to})
	if len(ts) != 1 || ts[0].PersonID != now.ID {
		t.Errorf("a window after Pia's tenure: %+v", ts)
	}
	// One person's: Pia's, Tom's (whose name is another's too) and Nora's.
	for _, c := range []struct {
		who  int64
		want int
	}{{past.ID, 1}, {twin.ID, 1}, {now.ID, 1}} {
		ts, err := e.g.Tenures(e.ctx, groups.TenureFilter{Types: []string{"wg"}, Roles: []string{"chair", "secr"}, From: from, To: to, PersonID: c.who})
		if err != nil || len(ts) != c.want || (c.want == 1 && ts[0].PersonID != c.who) {
			t.Errorf("person %d's tenures: %+v, %v", c.who, ts, err)
		}
	}
}

func (e *env) rolesOf(acronym string) []groups.Role {
	e.t.Helper()
	rs, _, err := e.g.Roles(e.ctx, groups.RoleFilter{Acronym: acronym})
	if err != nil {
		e.t.Fatal(err)
	}
	return rs
}

// TestR46RenamedPerson: a WG chair whose role ended, and who changed
// their name afterwards, still served in the window (R46): the ended
// tenure is found by who held it, not by the name the record's summary
// gave them then. A new account that takes the old name gets nothing.
func TestR46RenamedPerson(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "art", Name: "Art", Type: "area"})
	e.create(groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"})
	pia := e.person("Pia Past")
	e.now = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	e.grant("httpbis", "chair", pia)
	e.now = time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range e.rolesOf("httpbis") {
		if err := e.g.Revoke(e.ctx, e.op, r.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	e.now = time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)
	ps := &people.Service{DB: e.d}
	if err := ps.UpdateProfile(e.ctx, pia.ID, "Pia Renamed", "", false); err != nil {
		t.Fatal(err)
	}
	p := e.body.Add("another.pia@example.org", "Pia Past") // someone else now bears the old name
	other := record.Actor{ID: p.ID, Name: p.Name}
	from, to := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	f := groups.TenureFilter{Types: []string{"wg"}, Roles: []string{"chair", "secr"}, From: from, To: to}
	ts, err := e.g.Tenures(e.ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0].PersonID != pia.ID || ts[0].Role != "chair" || ts[0].From.Year() != 2020 || ts[0].To.Year() != 2021 {
		t.Errorf("R46: tenures %+v, want Pia's chair of httpbis from 2020 to 2021, under her account", ts)
	}
	f.PersonID = pia.ID
	if ts, err := e.g.Tenures(e.ctx, f); err != nil || len(ts) != 1 {
		t.Errorf("R46: the renamed person's own tenures: %+v, %v", ts, err)
	}
	f.PersonID = other.ID
	if ts, err := e.g.Tenures(e.ctx, f); err != nil || len(ts) != 0 {
		t.Errorf("R46: the newcomer who took the old name has tenures %+v, %v", ts, err)
	}
}

package groups_test

import (
	"testing"
	"time"

	"hum/internal/groups"
)

// TestTenuresFromTheRecord: a role held now comes from the role table, a
// role held before from the record's grant and revocation; a tenure is
// listed when it overlaps the window; a past one whose name two
// accounts bear is left out (the record names people, not accounts); an
// AD's role is not a WG role.
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
	if len(got) != 2 {
		t.Errorf("tenures %+v, want Nora's (now) and Pia's (ended in the window)", ts)
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
	// One person's: Pia's, and not Tom's, whose name is another's too.
	for _, c := range []struct {
		who  int64
		want int
	}{{past.ID, 1}, {twin.ID, 0}, {now.ID, 1}} {
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

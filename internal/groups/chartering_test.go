package groups_test

import (
	"testing"

	"hum/internal/fail"
	"hum/internal/groups"
)

// TestR13GroupStateBypassRefused: nobody but the chartering process makes
// a WG proposed or active (R13), and nobody concludes one by changing its
// state (R14: the AD's announced decision, internal/charters). A BOF may
// still be closed or abandoned, other groups change as before, and the
// operator (an import, the demo) records states reached elsewhere.
func TestR13GroupStateBypassRefused(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "art", Name: "ART", Type: "area"})
	e.create(groups.NewGroup{Acronym: "secretariat", Name: "Secretariat", Type: "ietf"})
	e.create(groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"})
	e.create(groups.NewGroup{Acronym: "newbof", Name: "A BOF", Type: "wg", Parent: "art", State: "bof"})
	e.create(groups.NewGroup{Acronym: "artdir", Name: "ART Directorate", Type: "dir", Parent: "art"})
	ad, secr := e.person("Ada"), e.person("Sue")
	e.grant("art", "ad", ad)
	e.grant("secretariat", "secr", secr)

	before := e.version()
	for _, by := range []groups.Actor{e.as(ad), e.as(secr)} {
		for _, c := range []struct {
			group, state, rule string
		}{
			{"newbof", "active", "R13"},
			{"newbof", "proposed", "R13"},
			{"newbof", "conclude", "R14"},
			{"httpbis", "conclude", "R14"},
			{"httpbis", "concluded", "R14"},
			{"httpbis", "dormant", "R14"},
			{"httpbis", "bof", "R14"},
		} {
			err := e.g.Update(e.ctx, by, c.group, groups.Changes{State: ptr(c.state)}, "")
			if fe := wantFail(t, err, fail.Conflict, ""); fe.Rule != c.rule {
				t.Errorf("%s moves %s to %s: %v, want refused naming %s", by.Name, c.group, c.state, err, c.rule)
			}
		}
		_, err := e.g.Create(e.ctx, by, groups.NewGroup{Acronym: "fast", Name: "Fast", Type: "wg", Parent: "art", State: "active"}, "")
		if fe := wantFail(t, err, fail.Conflict, ""); fe.Rule != "R13" {
			t.Errorf("%s creates an active WG: %v, want refused naming R13", by.Name, err)
		}
	}
	if e.version() != before {
		t.Error("a refused change recorded an event")
	}

	// A WG created by a person starts as a BOF.
	g, err := e.g.Create(e.ctx, e.as(ad), groups.NewGroup{Acronym: "newwg", Name: "New", Type: "wg", Parent: "art"}, "")
	if err != nil || g.State != "bof" {
		t.Errorf("a new WG by its AD: %+v, %v; want a BOF", g, err)
	}
	for _, c := range []struct {
		group, state string
		by           groups.Actor
	}{
		{"newbof", "bof-conc", e.as(ad)},
		{"artdir", "conclude", e.as(ad)},
		{"httpbis", "conclude", e.op},
	} {
		if err := e.g.Update(e.ctx, c.by, c.group, groups.Changes{State: ptr(c.state)}, ""); err != nil {
			t.Errorf("%s moves %s to %s: %v", c.by.Name, c.group, c.state, err)
		}
	}
}

package groups_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

func TestCreate(t *testing.T) {
	e := newEnv(t)
	art := e.create(groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area"})
	e.now = t0.Add(time.Hour)

	g, err := e.g.Create(e.ctx, e.op, groups.NewGroup{Acronym: " HTTPbis ", Name: " HTTP ", Type: "wg", Parent: "ART",
		Description: "Hypertext.", ListEmail: "httpbis@ietf.org"}, "chartered by the IESG")
	if err != nil {
		t.Fatal(err)
	}
	want := groups.Group{ID: g.ID, Acronym: "httpbis", Name: "HTTP", Type: "wg", State: "active", ParentID: art.ID, Parent: "art",
		ParentName: "Applications and Real-Time Area", Description: "Hypertext.", ListEmail: "httpbis@ietf.org", Created: e.now, Updated: e.now}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	if got, err := e.g.Get(e.ctx, "HTTPBIS"); err != nil || !cmp.Equal(want, got) {
		t.Errorf("Get = %+v, %v", got, err)
	}
	evs := e.events("httpbis")
	wantEv := []record.Event{{At: e.now, ActorID: e.admin.ID, Actor: e.admin.Name, SubjectType: "group", Subject: "httpbis",
		Kind: "group_created", Summary: "WG httpbis created (Active)", Why: "chartered by the IESG"}}
	if diff := cmp.Diff(wantEv, evs, cmpopts.IgnoreFields(record.Event{}, "ID")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	_, err = e.g.Get(e.ctx, "nope")
	wantFail(t, err, fail.NotFound, "")
}

func TestCreateRefuses(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "art", Name: "ART", Type: "area"})
	e.create(groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "art"})
	for _, tc := range []struct {
		n     groups.NewGroup
		field string
		rule  string
		msg   string
	}{
		{groups.NewGroup{Acronym: "quic", Name: "Another QUIC", Type: "wg"}, "acronym", "", "already taken"},
		{groups.NewGroup{Acronym: " QUIC ", Name: "Another QUIC", Type: "rg"}, "acronym", "", "already taken"},
		{groups.NewGroup{Acronym: "videocodec", Name: "Video", Type: "wg", Parent: "art"}, "acronym", "R12", "at most 8"},
		{groups.NewGroup{Acronym: "", Name: "X", Type: "wg"}, "acronym", "", "not a valid acronym"},
		{groups.NewGroup{Acronym: "-x", Name: "X", Type: "wg"}, "acronym", "", "not a valid acronym"},
		{groups.NewGroup{Acronym: "a_b", Name: "X", Type: "wg"}, "acronym", "", "not a valid acronym"},
		{groups.NewGroup{Acronym: "a b", Name: "X", Type: "wg"}, "acronym", "", "not a valid acronym"},
		{groups.NewGroup{Acronym: "é", Name: "X", Type: "wg"}, "acronym", "", "not a valid acronym"},
		{groups.NewGroup{Acronym: strings.Repeat("a", 41), Name: "X", Type: "rg"}, "acronym", "", "longer than 40"},
		{groups.NewGroup{Acronym: "x", Name: "  ", Type: "wg"}, "name", "", "name"},
		{groups.NewGroup{Acronym: "x", Name: "X", Type: ""}, "type", "", "not a group type"},
		{groups.NewGroup{Acronym: "x", Name: "X", Type: "WG"}, "type", "", "not a group type"},
		{groups.NewGroup{Acronym: "x", Name: "X", Type: "committee"}, "type", "", "not a group type"},
		{groups.NewGroup{Acronym: "x", Name: "X", Type: "wg", State: "running"}, "state", "", "not a group state"},
		{groups.NewGroup{Acronym: "x", Name: "X", Type: "wg", Parent: "nope"}, "parent", "", "does not exist"},
	} {
		t.Run(tc.n.Acronym+"/"+tc.field, func(t *testing.T) {
			before, rows := e.version(), e.count(`SELECT COUNT(*) FROM grp`)
			_, err := e.g.Create(e.ctx, e.op, tc.n, "")
			fe := wantFail(t, err, fail.Invalid, tc.field)
			if fe.Rule != tc.rule || !strings.Contains(fe.Message, tc.msg) {
				t.Errorf("err = %+v, want rule %q and a message with %q", fe, tc.rule, tc.msg)
			}
			if tc.rule != "" && !strings.Contains(err.Error(), tc.rule) {
				t.Errorf("err %q does not name %s", err, tc.rule)
			}
			if e.version() != before || e.count(`SELECT COUNT(*) FROM grp`) != rows {
				t.Error("a refused Create changed something")
			}
		})
	}
	if g, _ := e.g.Get(e.ctx, "quic"); g.Name != "QUIC" || g.Parent != "art" {
		t.Errorf("the duplicate changed quic: %+v", g)
	}
	if n := len(e.events("quic")); n != 1 {
		t.Errorf("quic has %d events, want 1", n)
	}
}

func TestCreateAcronymLength(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		n  groups.NewGroup
		ok bool
	}{
		{groups.NewGroup{Acronym: "abcdefgh", Name: "Eight", Type: "wg"}, true},
		{groups.NewGroup{Acronym: "abcdefghi", Name: "Nine", Type: "wg"}, false},
		{groups.NewGroup{Acronym: "videocodec", Name: "Video Codec", Type: "wg", State: "concluded", Historic: true}, true},
		{groups.NewGroup{Acronym: "mediactrl", Name: "Media Control", Type: "wg", Historic: true}, true},
		{groups.NewGroup{Acronym: "cfrg-long-name", Name: "Long RG", Type: "rg"}, true},
		{groups.NewGroup{Acronym: "some-directorate", Name: "Dir", Type: "dir"}, true},
		{groups.NewGroup{Acronym: strings.Repeat("a", 40), Name: "Forty", Type: "team"}, true},
	} {
		_, err := e.g.Create(e.ctx, e.op, tc.n, "")
		if tc.ok && err != nil {
			t.Errorf("Create(%q, %s, historic %v) = %v", tc.n.Acronym, tc.n.Type, tc.n.Historic, err)
		}
		if !tc.ok {
			if fe := wantFail(t, err, fail.Invalid, "acronym"); fe.Rule != "R12" {
				t.Errorf("Create(%q): %+v, want rule R12", tc.n.Acronym, fe)
			}
		}
	}
	if g, _ := e.g.Get(e.ctx, "videocodec"); g.State != "conclude" {
		t.Errorf("videocodec state %q, want conclude (from the alias concluded)", g.State)
	}
}

func TestList(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area"})
	e.create(groups.NewGroup{Acronym: "sec", Name: "Security Area", Type: "area"})
	e.create(groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "art"})
	e.create(groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"})
	e.create(groups.NewGroup{Acronym: "tls", Name: "Transport Layer Security", Type: "wg", Parent: "sec", State: "bof"})
	e.create(groups.NewGroup{Acronym: "oldsec", Name: "Old Security", Type: "wg", Parent: "sec", State: "conclude"})
	for _, tc := range []struct {
		f     groups.Filter
		want  []string
		total int
	}{
		{groups.Filter{}, []string{"art", "httpbis", "oldsec", "quic", "sec", "tls"}, 6},
		{groups.Filter{Type: "wg"}, []string{"httpbis", "oldsec", "quic", "tls"}, 4},
		{groups.Filter{Type: "wg", State: "active"}, []string{"httpbis", "quic"}, 2},
		{groups.Filter{Parent: "SEC"}, []string{"oldsec", "tls"}, 2},
		{groups.Filter{Acronym: "QUIC"}, []string{"quic"}, 1},
		{groups.Filter{NameContain: "secur"}, []string{"oldsec", "sec", "tls"}, 3},
		{groups.Filter{Type: "wg", Limit: 2}, []string{"httpbis", "oldsec"}, 4},
		{groups.Filter{Type: "wg", Limit: 2, Offset: 2}, []string{"quic", "tls"}, 4},
		{groups.Filter{Type: "rg"}, nil, 0},
	} {
		gs, total, err := e.g.List(e.ctx, tc.f)
		if err != nil {
			t.Fatalf("List(%+v): %v", tc.f, err)
		}
		var got []string
		for _, g := range gs {
			got = append(got, g.Acronym)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" || total != tc.total {
			t.Errorf("List(%+v): total %d, want %d (-want +got):\n%s", tc.f, total, tc.total, diff)
		}
	}
}

func TestUpdate(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Description: "Transport."})
	e.now = t0.Add(time.Hour)
	err := e.g.Update(e.ctx, e.op, "QUIC", groups.Changes{
		Name:        ptr(" QUIC Transport "),
		State:       ptr("concluded"),
		Description: ptr("Transport."), // unchanged
		ListEmail:   ptr("quic@ietf.org"),
	}, "work done")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := e.g.Get(e.ctx, "quic")
	if g.Name != "QUIC Transport" || g.State != "conclude" || g.Description != "Transport." || g.ListEmail != "quic@ietf.org" || !g.Updated.Equal(e.now) || !g.Created.Equal(t0) {
		t.Errorf("after Update: %+v", g)
	}
	want := []ev{
		{"group_created", "WG quic created (Active)", ""},
		{"group_changed", `Name changed to "QUIC Transport" from "QUIC"`, "work done"},
		{"group_changed", "State changed to Concluded from Active", "work done"},
		{"group_changed", `List address set to "quic@ietf.org"`, "work done"},
	}
	if diff := cmp.Diff(want, e.evs("quic")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}

	long := strings.Repeat("x", 400)
	if err := e.g.Update(e.ctx, e.op, "quic", groups.Changes{Comments: &long}, ""); err != nil {
		t.Fatal(err)
	}
	evs := e.evs("quic")
	if last := evs[len(evs)-1]; last.Summary != "Comments changed" {
		t.Errorf("summary of a long change = %q, want it shortened", last.Summary)
	}
}

func TestUpdateRefuses(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Description: "Transport."})
	for _, tc := range []struct {
		name  string
		acr   string
		c     groups.Changes
		kind  fail.Kind
		field string
	}{
		{"no fields", "quic", groups.Changes{}, fail.Invalid, ""},
		{"same values", "quic", groups.Changes{Name: ptr("QUIC"), State: ptr("active"), Description: ptr(" Transport. \n")}, fail.Invalid, ""},
		{"bad state", "quic", groups.Changes{Name: ptr("New"), State: ptr("running")}, fail.Invalid, "state"},
		{"empty name", "quic", groups.Changes{Name: ptr("  "), Description: ptr("New")}, fail.Invalid, "name"},
		{"no such group", "nope", groups.Changes{Name: ptr("New")}, fail.NotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.version()
			fe := wantFail(t, e.g.Update(e.ctx, e.op, tc.acr, tc.c, ""), tc.kind, tc.field)
			if tc.name == "same values" && !strings.Contains(fe.Message, "Nothing changed") {
				t.Errorf("message %q, want it to say nothing changed", fe.Message)
			}
			if e.version() != before {
				t.Error("a refused Update made an event")
			}
		})
	}
	if g, _ := e.g.Get(e.ctx, "quic"); g.Name != "QUIC" || g.State != "active" || !g.Updated.Equal(t0) {
		t.Errorf("refused updates changed quic: %+v", g)
	}
}

func TestGrantAndRevoke(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg"})
	bob := e.person("Bob")
	e.now = t0.Add(time.Hour)
	if err := e.g.Grant(e.ctx, e.op, "QUIC", " Chair ", bob.ID, "Bob@Example.ORG", "R44: picked by the AD"); err != nil {
		t.Fatal(err)
	}
	rs, total, err := e.g.Roles(e.ctx, groups.RoleFilter{Acronym: "quic"})
	if err != nil || total != 1 || len(rs) != 1 {
		t.Fatalf("Roles = %+v, %d, %v", rs, total, err)
	}
	g, _ := e.g.Get(e.ctx, "quic")
	want := groups.Role{ID: rs[0].ID, GroupID: g.ID, Acronym: "quic", GroupName: "QUIC", GroupType: "wg", GroupState: "active",
		PersonID: bob.ID, PersonName: "Bob", Name: "chair", Email: "bob@example.org", Created: e.now}
	if diff := cmp.Diff(want, rs[0]); diff != "" {
		t.Errorf("role (-want +got):\n%s", diff)
	}

	before := e.version()
	for _, tc := range []struct {
		name, acr, role string
		person          int64
		kind            fail.Kind
		field           string
	}{
		{"unknown role", "quic", "boss", bob.ID, fail.Invalid, "role"},
		{"empty role", "quic", "", bob.ID, fail.Invalid, "role"},
		{"unknown group", "nope", "chair", bob.ID, fail.NotFound, ""},
		{"unknown person", "quic", "chair", 9999, fail.NotFound, ""},
		{"duplicate", "quic", "chair", bob.ID, fail.Conflict, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantFail(t, e.g.Grant(e.ctx, e.op, tc.acr, tc.role, tc.person, "", ""), tc.kind, tc.field)
		})
	}
	if e.version() != before || e.count(`SELECT COUNT(*) FROM role`) != 1 {
		t.Error("a refused Grant changed something")
	}

	// The same person may hold another role in the same group.
	if err := e.g.Grant(e.ctx, e.op, "quic", "secr", bob.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := e.g.Revoke(e.ctx, e.op, rs[0].ID, "stepped down"); err != nil {
		t.Fatal(err)
	}
	wantFail(t, e.g.Revoke(e.ctx, e.op, rs[0].ID, ""), fail.NotFound, "")
	left, _, _ := e.g.Roles(e.ctx, groups.RoleFilter{Acronym: "quic"})
	if len(left) != 1 || left[0].Name != "secr" {
		t.Errorf("roles after revoking the chair: %+v", left)
	}
	wantEv := []ev{
		{"group_created", "WG quic created (Active)", ""},
		{"role_granted", "Bob is now Chair", "R44: picked by the AD"},
		{"role_granted", "Bob is now Secretary", ""},
		{"role_revoked", "Bob is no longer Chair", "stepped down"},
	}
	if diff := cmp.Diff(wantEv, e.evs("quic")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestGrantIETFChairBringsItsOffices(t *testing.T) {
	e := newEnv(t)
	for _, n := range []groups.NewGroup{
		{Acronym: "ietf", Name: "IETF", Type: "ietf"},
		{Acronym: "gen", Name: "General Area", Type: "area"},
		{Acronym: "iesg", Name: "IESG", Type: "iesg"},
		{Acronym: "iab", Name: "IAB", Type: "iab"},
	} {
		e.create(n)
	}
	chair := e.person("Roman")
	if err := e.g.Grant(e.ctx, e.op, "ietf", "chair", chair.ID, "chair@ietf.org", "NomCom 2026 appointment"); err != nil {
		t.Fatal(err)
	}
	rs, _, _ := e.g.Roles(e.ctx, groups.RoleFilter{PersonID: chair.ID})
	var got []string
	for _, r := range rs {
		got = append(got, r.Name+"@"+r.Acronym+" "+r.Email)
	}
	want := []string{"chair@ietf chair@ietf.org", "ad@gen chair@ietf.org", "chair@iesg chair@ietf.org", "member@iab chair@ietf.org"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("roles of the IETF Chair (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		acr  string
		want ev
	}{
		{"ietf", ev{"role_granted", "Roman is now Chair", "NomCom 2026 appointment"}},
		{"gen", ev{"role_granted", "Roman is now Area Director", ""}},
		{"iesg", ev{"role_granted", "Roman is now Chair", ""}},
		{"iab", ev{"role_granted", "Roman is now Member", ""}},
	} {
		evs := e.events(tc.acr)
		last := evs[len(evs)-1]
		if last.Kind != tc.want.Kind || last.Summary != tc.want.Summary || last.ActorID != e.admin.ID {
			t.Errorf("%s: last event %+v, want %+v by the granter", tc.acr, last, tc.want)
		}
		switch tc.acr {
		case "ietf":
			if last.Why != tc.want.Why {
				t.Errorf("ietf: why %q, want %q", last.Why, tc.want.Why)
			}
		case "gen":
			if !strings.HasPrefix(last.Why, "R42") {
				t.Errorf("gen: why %q does not name R42", last.Why)
			}
		default:
			if !strings.HasPrefix(last.Why, "R43") {
				t.Errorf("%s: why %q does not name R43", tc.acr, last.Why)
			}
		}
	}
}

func TestGrantIETFChairSkipsMissingAndHeldOffices(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "ietf", Name: "IETF", Type: "ietf"})
	e.create(groups.NewGroup{Acronym: "iesg", Name: "IESG", Type: "iesg"})
	e.create(groups.NewGroup{Acronym: "iab", Name: "IAB", Type: "iab"})
	chair := e.person("Roman")
	e.grant("iab", "member", chair) // already on the IAB
	if err := e.g.Grant(e.ctx, e.op, "ietf", "chair", chair.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	rs, _, _ := e.g.Roles(e.ctx, groups.RoleFilter{PersonID: chair.ID})
	var got []string
	for _, r := range rs {
		got = append(got, r.Name+"@"+r.Acronym)
	}
	if diff := cmp.Diff([]string{"member@iab", "chair@ietf", "chair@iesg"}, got); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
	if n := len(e.events("iab")); n != 2 {
		t.Errorf("iab has %d events, want 2 (created, the first grant)", n)
	}
	// Other roles in the IETF bring nothing.
	other := e.person("Other")
	e.grant("ietf", "member", other)
	if rs, _, _ := e.g.Roles(e.ctx, groups.RoleFilter{PersonID: other.ID}); len(rs) != 1 {
		t.Errorf("an IETF member got %d roles, want 1", len(rs))
	}
}

func TestRolesFilter(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg"})
	e.create(groups.NewGroup{Acronym: "old", Name: "Old", Type: "wg", State: "conclude"})
	a, b := e.person("Alice"), e.person("Bob")
	e.grant("quic", "chair", a)
	e.grant("quic", "chair", b)
	e.grant("old", "chair", a)
	e.grant("quic", "editor", a)
	for _, tc := range []struct {
		f     groups.RoleFilter
		want  []string
		total int
	}{
		{groups.RoleFilter{}, []string{"Alice chair@quic", "Bob chair@quic", "Alice chair@old", "Alice editor@quic"}, 4},
		{groups.RoleFilter{PersonID: a.ID, Active: true}, []string{"Alice chair@quic", "Alice editor@quic"}, 2},
		{groups.RoleFilter{Name: "chair"}, []string{"Alice chair@quic", "Bob chair@quic", "Alice chair@old"}, 3},
		{groups.RoleFilter{Name: "chair", Limit: 2, Offset: 1}, []string{"Bob chair@quic", "Alice chair@old"}, 3},
	} {
		rs, total, err := e.g.Roles(e.ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rs {
			got = append(got, fmt.Sprintf("%s %s@%s", r.PersonName, r.Name, r.Acronym))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" || total != tc.total {
			t.Errorf("Roles(%+v): total %d, want %d (-want +got):\n%s", tc.f, total, tc.total, diff)
		}
	}
}

func TestSortRoles(t *testing.T) {
	rs := []groups.Role{
		{PersonName: "Zed", Name: "member"}, {PersonName: "Bea", Name: "secr"}, {PersonName: "Al", Name: "member"},
		{PersonName: "Cy", Name: "chair"}, {PersonName: "Ann", Name: "chair"}, {PersonName: "Dee", Name: "ad"},
	}
	groups.SortRoles(rs)
	var got []string
	for _, r := range rs {
		got = append(got, r.Name+" "+r.PersonName)
	}
	want := []string{"chair Ann", "chair Cy", "ad Dee", "secr Bea", "member Al", "member Zed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SortRoles (-want +got):\n%s", diff)
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{groups.RoleName("ad"), "Area Director"},
		{groups.RoleName("nope"), "nope"},
		{groups.StateName("conclude"), "Concluded"},
		{groups.StateName("nope"), "nope"},
		{groups.TypeName("wg"), "WG"},
		{groups.TypeName("nope"), "nope"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

package groups_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

func TestPowers(t *testing.T) {
	e := newEnv(t)
	for _, n := range []groups.NewGroup{
		{Acronym: "secretariat", Name: "Secretariat", Type: "adm"},
		{Acronym: "art", Name: "ART", Type: "area"},
		{Acronym: "sec", Name: "Security", Type: "area"},
		{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"},
		{Acronym: "tls", Name: "TLS", Type: "wg", Parent: "sec"},
		{Acronym: "oldwg", Name: "Old", Type: "wg", Parent: "art", State: "conclude"},
	} {
		e.create(n)
	}
	staff, ad, chair, secr, editor, gone, nobody := e.person("Staff"), e.person("Ada"), e.person("Chad"), e.person("Sue"), e.person("Ed"), e.person("Gone"), e.person("Nobody")
	e.grant("secretariat", "member", staff)
	e.grant("art", "ad", ad)
	e.grant("httpbis", "chair", chair)
	e.grant("httpbis", "secr", secr)
	e.grant("httpbis", "editor", editor)
	e.grant("oldwg", "chair", gone) // in a concluded group: no power

	g := map[string]groups.Group{}
	for _, a := range []string{"art", "sec", "httpbis", "tls"} {
		x, err := e.g.Get(e.ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		g[a] = x
	}
	powers := func(a record.Actor) groups.Actor {
		p, err := e.g.ActorOf(e.ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	type can struct {
		Secretariat, IESG, Any                               bool
		EditHTTP, ManageHTTP, MilestonesHTTP, EditTLS        bool
		ManageArt, EditArt                                   bool
		GrantChairHTTP, GrantSecrHTTP, GrantADHTTP           bool
		GrantPreADHTTP, GrantEditorHTTP, GrantChairTLS       bool
		GrantADArt, GrantChairArt, RevokeChairHTTP           bool
		CreateWGArt, CreateWGSec, CreateAreaArt, CreateRGArt bool
	}
	check := func(p groups.Actor) can {
		return can{
			p.Secretariat(), p.IESG(), p.Any(),
			p.MayEdit(g["httpbis"]), p.MayManage(g["httpbis"]), p.MayMilestones(g["httpbis"]), p.MayEdit(g["tls"]),
			p.MayManage(g["art"]), p.MayEdit(g["art"]),
			p.MayGrant(g["httpbis"], "chair"), p.MayGrant(g["httpbis"], "secr"), p.MayGrant(g["httpbis"], "ad"),
			p.MayGrant(g["httpbis"], "pre-ad"), p.MayGrant(g["httpbis"], "editor"), p.MayGrant(g["tls"], "chair"),
			p.MayGrant(g["art"], "ad"), p.MayGrant(g["art"], "chair"), p.MayRevoke(g["httpbis"], "chair"),
			p.MayCreate("wg", g["art"]), p.MayCreate("wg", g["sec"]), p.MayCreate("area", g["art"]), p.MayCreate("rg", g["art"]),
		}
	}
	all := can{true, false, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true}
	for _, tc := range []struct {
		who  record.Actor
		want can
	}{
		{staff, all},
		// An AD runs their area's groups and picks their chairs (R44),
		// but seats no AD: that is the NomCom's, recorded by the
		// secretariat.
		{ad, can{IESG: true, Any: true, EditHTTP: true, ManageHTTP: true, MilestonesHTTP: true, ManageArt: true, EditArt: true,
			GrantChairHTTP: true, GrantSecrHTTP: true, GrantEditorHTTP: true, RevokeChairHTTP: true, CreateWGArt: true}},
		// Chairs and secretaries edit their group and appoint helpers,
		// never chairs or ADs, and manage nothing.
		{chair, can{Any: true, EditHTTP: true, MilestonesHTTP: true, GrantSecrHTTP: true, GrantEditorHTTP: true}},
		{secr, can{Any: true, EditHTTP: true, MilestonesHTTP: true, GrantSecrHTTP: true, GrantEditorHTTP: true}},
		// An editor holds a role but no power over the group.
		{editor, can{Any: true}},
		{gone, can{}},
		{nobody, can{}},
		{record.Actor{}, can{}},
	} {
		t.Run(tc.who.String(), func(t *testing.T) {
			if diff := cmp.Diff(tc.want, check(powers(tc.who))); diff != "" {
				t.Errorf("powers of %s (-want +got):\n%s", tc.who, diff)
			}
		})
	}

	ads, err := e.g.ADsOf(e.ctx, g["httpbis"])
	if err != nil || len(ads) != 1 || ads[0].PersonID != ad.ID {
		t.Errorf("ADsOf(httpbis) = %+v, %v", ads, err)
	}
	if ads, _ := e.g.ADsOf(e.ctx, g["art"]); len(ads) != 1 || ads[0].PersonID != ad.ID {
		t.Errorf("ADsOf(art) = %+v", ads)
	}
	if ads, _ := e.g.ADsOf(e.ctx, g["tls"]); len(ads) != 0 {
		t.Errorf("ADsOf(tls) = %+v, want none", ads)
	}
	top, _ := e.g.Get(e.ctx, "secretariat")
	if ads, err := e.g.ADsOf(e.ctx, top); ads != nil || err != nil {
		t.Errorf("ADsOf(a group with no area) = %+v, %v", ads, err)
	}
}

// TestActorBodies: the IETF Chair sits on the IESG (R42) and is a full
// member of the IAB (R43); an AD sits on the IESG only; an IAB member on
// the IAB only. Appeals are heard by these bodies, so who sits on them is
// said here, once.
func TestActorBodies(t *testing.T) {
	e := newEnv(t)
	for _, n := range []groups.NewGroup{
		{Acronym: "ietf", Name: "IETF", Type: "ietf"},
		{Acronym: "iesg", Name: "IESG", Type: "iesg"},
		{Acronym: "iab", Name: "IAB", Type: "iab"},
		{Acronym: "gen", Name: "General Area", Type: "area", Parent: "iesg"},
		{Acronym: "art", Name: "ART", Type: "area", Parent: "iesg"},
	} {
		e.create(n)
	}
	chair, ad, iab, nobody := e.person("Roman"), e.person("Ada"), e.person("Ian"), e.person("Nobody")
	if err := e.g.Grant(e.ctx, e.op, "ietf", "chair", chair.ID, "chair@ietf.org", ""); err != nil {
		t.Fatal(err)
	}
	e.grant("art", "ad", ad)
	e.grant("iab", "member", iab)
	type bodies struct{ IESG, IAB, IETFChair, MemberIESG bool }
	for _, c := range []struct {
		who  record.Actor
		want bodies
	}{
		{chair, bodies{true, true, true, true}},
		{ad, bodies{true, false, false, false}},
		{iab, bodies{false, true, false, false}},
		{nobody, bodies{}},
		{record.Actor{Name: "someone without an account"}, bodies{}},
	} {
		a, err := e.g.ActorOf(e.ctx, c.who)
		if err != nil {
			t.Fatal(err)
		}
		got := bodies{a.IESG(), a.IAB(), a.IETFChair(), a.Member("iesg")}
		if got != c.want || a.Actor != c.who {
			t.Errorf("%s: %+v, want %+v (actor %+v)", c.who.Name, got, c.want, a.Actor)
		}
	}
}

// TestBodiesChairsSeatNoMembers: the IESG's and the IAB's members are
// seated by the NomCom process (R42, R43), so their chairs appoint a
// secretary but no member; a WG's chair still may.
func TestBodiesChairsSeatNoMembers(t *testing.T) {
	e := newEnv(t)
	for _, n := range []groups.NewGroup{
		{Acronym: "ietf", Name: "IETF", Type: "ietf"},
		{Acronym: "iesg", Name: "IESG", Type: "iesg"},
		{Acronym: "iab", Name: "IAB", Type: "iab"},
		{Acronym: "gen", Name: "General Area", Type: "area", Parent: "iesg"},
		{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "gen"},
	} {
		e.create(n)
	}
	ietfChair, iabChair, wgChair, someone := e.person("Roman"), e.person("Mirja"), e.person("Chad"), e.person("Sam")
	if err := e.g.Grant(e.ctx, e.op, "ietf", "chair", ietfChair.ID, "chair@ietf.org", ""); err != nil {
		t.Fatal(err)
	}
	e.grant("iab", "chair", iabChair)
	e.grant("httpbis", "chair", wgChair)
	for _, c := range []struct {
		who         record.Actor
		group, role string
		want        bool
	}{
		{ietfChair, "iesg", "member", false},
		{ietfChair, "iesg", "secr", true},
		{iabChair, "iab", "member", false},
		{iabChair, "iab", "secr", true},
		{wgChair, "httpbis", "member", true},
	} {
		a, err := e.g.ActorOf(e.ctx, c.who)
		if err != nil {
			t.Fatal(err)
		}
		err = e.g.Grant(e.ctx, a, c.group, c.role, someone.ID, "", "")
		if got := err == nil; got != c.want {
			t.Errorf("%s appoints a %s of %s: %v, want allowed %v", c.who.Name, c.role, c.group, err, c.want)
		}
		if err == nil {
			e.g.Revoke(e.ctx, e.op, mustRoleID(t, e, c.group, c.role, someone.ID), "")
		}
	}
}

func mustRoleID(t *testing.T, e *env, acronym, role string, person int64) int64 {
	t.Helper()
	rs, _, err := e.g.Roles(e.ctx, groups.RoleFilter{Acronym: acronym, Name: role, PersonID: person})
	if err != nil || len(rs) != 1 {
		t.Fatalf("role %s of %s: %v %v", role, acronym, rs, err)
	}
	return rs[0].ID
}

// TestIESGMembers: the IESG is the ADs of the active areas (R42), by area;
// ADs of a concluded area and other roles in areas are not on it.
func TestIESGMembers(t *testing.T) {
	e := newEnv(t)
	for _, n := range []groups.NewGroup{
		{Acronym: "sec", Name: "Security", Type: "area"},
		{Acronym: "art", Name: "ART", Type: "area"},
		{Acronym: "old", Name: "Old Area", Type: "area", State: "conclude"},
		{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"},
	} {
		e.create(n)
	}
	e.grant("sec", "ad", e.person("Deb"))
	e.grant("art", "ad", e.person("Ada"))
	e.grant("art", "ad", e.person("Zed"))
	e.grant("old", "ad", e.person("Olaf"))
	e.grant("httpbis", "chair", e.person("Chad"))
	rs, err := e.g.IESGMembers(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Acronym+" "+r.PersonName)
	}
	want := []string{"art Ada", "art Zed", "sec Deb"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IESG (-want +got):\n%s", diff)
	}
}

// TestServiceEnforcesPowers: the groups service itself refuses a change
// by someone whose roles do not allow it, whatever edge the call comes
// from, and a refused change records nothing.
func TestServiceEnforcesPowers(t *testing.T) {
	e := newEnv(t)
	for _, n := range []groups.NewGroup{
		{Acronym: "art", Name: "ART", Type: "area"},
		{Acronym: "sec", Name: "Security", Type: "area"},
		{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"},
		{Acronym: "newbof", Name: "A BOF", Type: "wg", Parent: "art", State: "bof"},
	} {
		e.create(n)
	}
	artAD, secAD, chair, nobody := e.person("Ada"), e.person("Sid"), e.person("Chad"), e.person("Nobody")
	e.grant("art", "ad", artAD)
	e.grant("sec", "ad", secAD)
	e.grant("httpbis", "chair", chair)
	rs, _, err := e.g.Roles(e.ctx, groups.RoleFilter{Acronym: "httpbis", Name: "chair"})
	if err != nil || len(rs) != 1 {
		t.Fatalf("chair role: %v %v", rs, err)
	}
	desc, state := "New words.", "conclude"
	before := e.version()
	refused := []struct {
		what string
		err  error
	}{
		{"a description by nobody", e.g.Update(e.ctx, e.as(nobody), "httpbis", groups.Changes{Description: &desc}, "")},
		{"the state by the chair", e.g.Update(e.ctx, e.as(chair), "httpbis", groups.Changes{State: &state}, "")},
		{"the state by another area's AD", e.g.Update(e.ctx, e.as(secAD), "httpbis", groups.Changes{State: &state}, "")},
		{"the charter by the chair", func() error {
			_, err := e.g.ReviseCharter(e.ctx, e.as(chair), "httpbis", "A charter.", "")
			return err
		}()},
		{"a milestone by nobody", e.g.AddMilestone(e.ctx, e.as(nobody), "httpbis", "Ship it", "2027-01", nil, "")},
		{"a chair by the chair", e.g.Grant(e.ctx, e.as(chair), "httpbis", "chair", nobody.ID, "", "")},
		{"a chair by another area's AD (R44)", e.g.Grant(e.ctx, e.as(secAD), "httpbis", "chair", nobody.ID, "", "")},
		{"an AD by an AD", e.g.Grant(e.ctx, e.as(artAD), "sec", "ad", nobody.ID, "", "")},
		{"the chair removed by nobody", e.g.Revoke(e.ctx, e.as(nobody), rs[0].ID, "")},
		{"a WG in another area", func() error {
			_, err := e.g.Create(e.ctx, e.as(secAD), groups.NewGroup{Acronym: "newwg", Name: "New", Type: "wg", Parent: "art"}, "")
			return err
		}()},
	}
	for _, c := range refused {
		if fail.KindOf(c.err) != fail.Forbidden {
			t.Errorf("%s: %v, want forbidden", c.what, c.err)
		}
	}
	if e.version() != before {
		t.Error("a refused change recorded an event")
	}
	for _, c := range []struct {
		what string
		err  error
	}{
		{"a description by the chair", e.g.Update(e.ctx, e.as(chair), "httpbis", groups.Changes{Description: &desc}, "")},
		{"a milestone by the chair", e.g.AddMilestone(e.ctx, e.as(chair), "httpbis", "Ship it", "2027-01", nil, "")},
		{"a BOF's state by the area's AD", e.g.Update(e.ctx, e.as(artAD), "newbof", groups.Changes{State: ptr("bof-conc")}, "")},
		{"a chair by the operator", e.g.Grant(e.ctx, e.op, "httpbis", "chair", nobody.ID, "", "")},
	} {
		if c.err != nil {
			t.Errorf("%s: %v", c.what, c.err)
		}
	}
}

package nomcom_test

import (
	"context"
	"strings"
	"testing"

	"hum/internal/fail"
	"hum/internal/nomcom"
)

// TestR48SittingMembersRefused: sitting IESG members (an AD, an
// ex-officio member), IAB members, and the members of the ISOC Board of
// Trustees, the IETF Trust, the LLC Board and the LLC's staff (recorded
// by the secretariat) may not volunteer, however eligible; the refusal
// names R48 and changes nothing. An ineligible volunteer is refused
// naming the paths they miss; an eligible one is taken.
func TestR48SittingMembersRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := e.as("sec@example.org")
	e.at("2019-06-01")
	for _, who := range []string{"exo@example.org", "trustee@example.org", "trust@example.org", "llc@example.org", "staff@example.org", "ok@example.org", "late@example.org", "pat@example.org"} {
		e.person(who, "")
		e.must(e.gs.Grant(ctx, e.op, "dnsop", "chair", e.id(who), "", "")) // eligible by R46
	}
	e.person("never@example.org", "")
	for _, who := range []string{"ad@example.org", "iab@example.org"} {
		e.must(e.gs.Grant(ctx, e.op, "dnsop", "chair", e.id(who), "", ""))
	}
	e.must(e.gs.Grant(ctx, e.op, "iesg", "exofficio", e.id("exo@example.org"), "", ""))
	e.must(e.s.RecordMember(ctx, sec, "isocbot", "member", "trustee@example.org", ""))
	e.must(e.s.RecordMember(ctx, sec, "ietf-trust", "chair", "trust@example.org", ""))
	e.must(e.s.RecordMember(ctx, sec, "llc-board", "exofficio", "llc@example.org", ""))
	e.must(e.s.RecordMember(ctx, sec, "llc-staff", "", "staff@example.org", ""))
	if err := e.s.RecordMember(ctx, e.as("pat@example.org"), "llc-board", "member", "pat@example.org", ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant records a board member: %v", err)
	}
	e.at("2020-01-06")
	e.nomcomYear(2020)
	e.must(e.s.OpenCall(ctx, e.as("nc@example.org"), 2020, "", 0, ""))

	for _, c := range []struct{ who, what string }{
		{"ad@example.org", "IESG: Area Director of art"},
		{"exo@example.org", "IESG: Ex-officio Member"},
		{"iab@example.org", "IAB: Member"},
		{"ic@example.org", "Area Director of gen"}, // the IETF Chair (R42)
		{"trustee@example.org", "ISOC Board of Trustees: Member"},
		{"trust@example.org", "IETF Trust: Chair"},
		{"llc@example.org", "IETF LLC Board: Ex-officio Member"},
		{"staff@example.org", "IETF LLC staff: Member"},
	} {
		before := e.count(`SELECT COUNT(*) FROM event`)
		err := e.s.Volunteer(ctx, e.as(c.who), 2020, "Example Org")
		if ruleOf(err) != "R48" || fail.KindOf(err) != fail.Forbidden || !strings.Contains(err.Error(), c.what) {
			t.Errorf("%s volunteers: %v; want a refusal naming R48 and %q", c.who, err, c.what)
		}
		if e.count(`SELECT COUNT(*) FROM event`) != before || e.count(`SELECT COUNT(*) FROM nomcom_volunteer`) != 0 {
			t.Errorf("%s's refusal changed something", c.who)
		}
	}
	err := e.s.Volunteer(ctx, e.as("never@example.org"), 2020, "Example Org")
	if !strings.Contains(ruleOf(err), "R45") || fail.KindOf(err) != fail.Forbidden {
		t.Errorf("an ineligible person volunteers: %v; want a refusal naming R45-R47", err)
	}
	if err := e.s.Volunteer(ctx, e.as("ok@example.org"), 2020, ""); ruleOf(err) != "R49" {
		t.Errorf("no affiliation: %v, want R49's refusal", err)
	}
	e.must(e.s.Volunteer(ctx, e.as("ok@example.org"), 2020, "Example Org"))
	if err := e.s.Volunteer(ctx, e.as("ok@example.org"), 2020, "Example Org"); fail.KindOf(err) != fail.Conflict {
		t.Errorf("volunteering twice: %v", err)
	}
	// Someone seated on a body after volunteering is left out of the
	// pool, with the reason.
	e.must(e.s.Volunteer(ctx, e.as("late@example.org"), 2020, "Late Org"))
	e.must(e.s.RecordMember(ctx, sec, "ietf-trust", "member", "late@example.org", ""))
	for i := range 10 {
		who := "filler" + itoa(i) + "@example.org"
		e.person(who, "")
		e.at("2019-06-01")
		e.must(e.gs.Grant(ctx, e.op, "httpbis", "chair", e.id(who), "", ""))
		e.at("2020-01-07")
		e.must(e.s.Volunteer(ctx, e.as(who), 2020, "Filler "+itoa(i)))
	}
	e.must(e.s.AnnounceSources(ctx, e.as("nc@example.org"), 2020, []string{"A lottery"}, "2020-02-01", ""))
	vs, err := e.s.Volunteers(ctx, 2020)
	e.must(err)
	for _, v := range vs {
		if v.Name == "Late Person" && (v.Position != 0 || !strings.HasPrefix(v.Excluded, "R48")) {
			t.Errorf("late, now an IETF Trust member: position %d, excluded %q", v.Position, v.Excluded)
		}
		if v.Name == "Ok Person" && v.Position == 0 {
			t.Error("ok is not in the pool")
		}
	}
}

// TestVolunteerNeedsAnOpenCall: before the call, and after the pool is
// published, nobody volunteers; a volunteer may withdraw while the call
// is open.
func TestVolunteerNeedsAnOpenCall(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.at("2019-06-01")
	e.person("pat@example.org", "")
	e.must(e.gs.Grant(ctx, e.op, "dnsop", "chair", e.id("pat@example.org"), "", ""))
	e.at("2020-01-06")
	e.nomcomYear(2020)
	if err := e.s.Volunteer(ctx, e.as("pat@example.org"), 2020, "Acme"); fail.KindOf(err) != fail.Conflict {
		t.Errorf("before the call: %v", err)
	}
	if err := e.s.OpenCall(ctx, e.as("pat@example.org"), 2020, "", 0, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant opens the call: %v", err)
	}
	if err := e.s.OpenCall(ctx, e.as("nc@example.org"), 2020, "2020-03-01", 0, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("a call dated in the future: %v", err)
	}
	e.must(e.s.OpenCall(ctx, e.as("nc@example.org"), 2020, "", 0, ""))
	e.must(e.s.Volunteer(ctx, e.as("pat@example.org"), 2020, "Acme"))
	e.must(e.s.Withdraw(ctx, e.as("pat@example.org"), 2020, "changed my mind"))
	if n := e.count(`SELECT COUNT(*) FROM nomcom_volunteer`); n != 0 {
		t.Errorf("%d volunteers after withdrawing", n)
	}
	if err := e.s.AnnounceSources(ctx, e.as("nc@example.org"), 2020, []string{"A lottery"}, "2020-02-01", ""); ruleOf(err) != "R49" {
		t.Errorf("a pool smaller than the seats: %v", err)
	}
	if err := e.s.AnnounceSources(ctx, e.as("nc@example.org"), 2020, []string{"A lottery"}, "2020-01-06", ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("sources whose values are already known: %v", err)
	}
	n, err := e.s.Get(ctx, 2020)
	e.must(err)
	if n.State != nomcom.Open {
		t.Errorf("state %s after refusals, want open", n.State)
	}
}

// TestR48SittingListsTheADs: the page of who may not volunteer lists
// the sitting members of every body of R48, the IESG's ADs (those of
// the active areas) included, and it lists exactly those that Volunteer
// refuses: one function says who is barred.
func TestR48SittingListsTheADs(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.person("trustee@example.org", "Tess Trustee")
	e.must(e.s.RecordMember(ctx, e.as("sec@example.org"), "ietf-trust", "member", "trustee@example.org", ""))
	ms, err := e.s.Sitting(ctx)
	e.must(err)
	sitting := map[int64]string{}
	for _, m := range ms {
		sitting[m.PersonID] = m.Body + " " + m.Name
	}
	for who, want := range map[string]string{"ad@example.org": "IESG ad", "iab@example.org": "IAB member", "trustee@example.org": "IETF Trust member"} {
		if got := sitting[e.id(who)]; got != want {
			t.Errorf("R48: %s sits as %q, want %q", who, got, want)
		}
	}
	bars, err := e.s.Barred(ctx, 0)
	e.must(err)
	if len(bars) != len(sitting) {
		t.Errorf("R48: %d people barred, %d listed as sitting", len(bars), len(sitting))
	}
	for id := range bars {
		if sitting[id] == "" {
			t.Errorf("R48: person %d is barred but not listed as sitting", id)
		}
	}
}

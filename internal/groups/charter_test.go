package groups_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

func TestCharterRevisions(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "sec", Name: "Security", Type: "area"})
	g := e.create(groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "sec"})
	ad := e.person("Ada")
	e.grant("sec", "ad", ad)
	op := groups.Operator(record.System)

	if _, ok, err := e.g.Charter(e.ctx, g.ID); ok || err != nil {
		t.Errorf("Charter of a new group: ok %v, err %v; want none", ok, err)
	}
	steps := []struct {
		by   groups.Actor
		text string
		rev  int
	}{
		{op, "The QUIC WG will\r\nspecify QUIC.\n\n", 1},
		{e.op, "The QUIC WG will maintain QUIC.", 2},
		{e.op, "The QUIC WG will\nspecify QUIC.", 3}, // going back to an older text is a new revision
	}
	for i, s := range steps {
		e.now = t0.Add(time.Duration(i+1) * time.Hour)
		rev, err := e.g.ReviseCharter(e.ctx, s.by, "QUIC", s.text, "rechartering")
		if err != nil || rev != s.rev {
			t.Fatalf("ReviseCharter #%d = %d, %v; want %d", i+1, rev, err, s.rev)
		}
	}

	before := e.version()
	for _, same := range []string{"The QUIC WG will\nspecify QUIC.", "  The QUIC WG will\r\nspecify QUIC.\n"} {
		_, err := e.g.ReviseCharter(e.ctx, e.op, "quic", same, "")
		if fe := wantFail(t, err, fail.Invalid, "text"); !strings.Contains(fe.Message, "same") {
			t.Errorf("identical text: %v", err)
		}
	}
	for _, empty := range []string{"", " \r\n\t "} {
		_, err := e.g.ReviseCharter(e.ctx, e.op, "quic", empty, "")
		wantFail(t, err, fail.Invalid, "text")
	}
	_, err := e.g.ReviseCharter(e.ctx, e.op, "quic", strings.Repeat("x", 100_001), "")
	wantFail(t, err, fail.Invalid, "text")
	_, err = e.g.ReviseCharter(e.ctx, e.op, "nope", "A charter.", "")
	wantFail(t, err, fail.NotFound, "")
	if e.version() != before {
		t.Error("a refused revision made an event")
	}

	want := []groups.CharterRev{
		{Rev: 3, Text: "The QUIC WG will\nspecify QUIC.", By: "Sam Secretariat", Created: t0.Add(3 * time.Hour)},
		{Rev: 2, Text: "The QUIC WG will maintain QUIC.", By: "Sam Secretariat", Created: t0.Add(2 * time.Hour)},
		{Rev: 1, Text: "The QUIC WG will\nspecify QUIC.", By: "(System)", Created: t0.Add(time.Hour)},
	}
	revs, err := e.g.CharterRevs(e.ctx, g.ID)
	if diff := cmp.Diff(want, revs); err != nil || diff != "" {
		t.Errorf("CharterRevs: %v (-want +got):\n%s", err, diff)
	}
	cur, ok, err := e.g.Charter(e.ctx, g.ID)
	if diff := cmp.Diff(want[0], cur); !ok || err != nil || diff != "" {
		t.Errorf("Charter: ok %v, err %v (-want +got):\n%s", ok, err, diff)
	}

	// Charters are per group.
	other := e.create(groups.NewGroup{Acronym: "tls", Name: "TLS", Type: "wg", Parent: "sec"})
	if rev, err := e.g.ReviseCharter(e.ctx, e.op, "tls", "The QUIC WG will maintain QUIC.", ""); err != nil || rev != 1 {
		t.Errorf("first revision of another group = %d, %v; want 1", rev, err)
	}
	if revs, _ := e.g.CharterRevs(e.ctx, other.ID); len(revs) != 1 {
		t.Errorf("tls has %d revisions, want 1", len(revs))
	}

	wantEv := []ev{
		{"group_created", "WG quic created (Active)", ""},
		{"charter_revised", "Charter revision 01", "rechartering"},
		{"charter_revised", "Charter revision 02", "rechartering"},
		{"charter_revised", "Charter revision 03", "rechartering"},
	}
	if diff := cmp.Diff(wantEv, e.evs("quic")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestR13CharterOnlyThroughChartering: the AD (or the secretariat) no
// longer rewrites a WG's charter in place; only the operator records a
// charter approved elsewhere, and other groups' charters are revised as
// before.
func TestR13CharterOnlyThroughChartering(t *testing.T) {
	e := newEnv(t)
	e.create(groups.NewGroup{Acronym: "sec", Name: "Security", Type: "area"})
	g := e.create(groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "sec"})
	e.create(groups.NewGroup{Acronym: "secdir", Name: "Security Directorate", Type: "dir", Parent: "sec"})
	ad, secr := e.person("Ada"), e.person("Sue")
	e.grant("sec", "ad", ad)
	e.create(groups.NewGroup{Acronym: "secretariat", Name: "Secretariat", Type: "ietf"})
	e.grant("secretariat", "secr", secr)

	before := e.version()
	for _, by := range []groups.Actor{e.as(ad), e.as(secr)} {
		_, err := e.g.ReviseCharter(e.ctx, by, "quic", "The QUIC WG will do anything it likes.", "")
		if fe := wantFail(t, err, fail.Conflict, ""); fe.Rule != "R13" || !strings.Contains(fe.Message, "charter-ietf-quic") {
			t.Errorf("%s rewrote a WG charter: %v", by.Name, err)
		}
	}
	if e.version() != before {
		t.Error("a refused revision made an event")
	}
	if _, ok, _ := e.g.Charter(e.ctx, g.ID); ok {
		t.Error("a refused revision left a charter")
	}
	if rev, err := e.g.ReviseCharter(e.ctx, e.as(ad), "secdir", "The directorate reviews documents.", ""); err != nil || rev != 1 {
		t.Errorf("the AD revises a directorate's charter: %d, %v", rev, err)
	}
}

func TestMilestones(t *testing.T) {
	e := newEnv(t)
	g := e.create(groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg"})
	tls := e.create(groups.NewGroup{Acronym: "tls", Name: "TLS", Type: "wg"})
	chair := e.person("Chad")
	e.grant("quic", "chair", chair)
	e.grant("tls", "chair", chair) // so that another group's milestone is not found, rather than refused

	for _, m := range []struct {
		desc, due string
		docs      []string
	}{
		{"  Submit transport to the IESG ", "2027-03", []string{"draft-ietf-quic-transport"}},
		{"Submit recovery", "2026-12-15", nil},
		{"Publish applicability", "2027-01", []string{"draft-ietf-quic-applicability", "rfc9000"}},
	} {
		if err := e.g.AddMilestone(e.ctx, e.as(chair), "QUIC", m.desc, m.due, m.docs, "plan"); err != nil {
			t.Fatalf("AddMilestone(%q): %v", m.desc, err)
		}
	}
	ms, err := e.g.Milestones(e.ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	byDesc := map[string]int64{}
	for _, m := range ms {
		byDesc[m.Description] = m.ID
	}
	want := []groups.Milestone{
		{ID: byDesc["Submit recovery"], Description: "Submit recovery", Due: "2026-12-15"},
		{ID: byDesc["Publish applicability"], Description: "Publish applicability", Due: "2027-01", Docs: []string{"draft-ietf-quic-applicability", "rfc9000"}},
		{ID: byDesc["Submit transport to the IESG"], Description: "Submit transport to the IESG", Due: "2027-03", Docs: []string{"draft-ietf-quic-transport"}},
	}
	if diff := cmp.Diff(want, ms, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("Milestones (-want +got):\n%s", diff)
	}

	// Resolve one: it moves after the open ones.
	if err := e.g.ChangeMilestone(e.ctx, e.as(chair), "quic", byDesc["Submit recovery"], groups.MilestoneChange{Resolved: ptr(" Done ")}, ""); err != nil {
		t.Fatal(err)
	}
	// Change one's due date and documents.
	if err := e.g.ChangeMilestone(e.ctx, e.as(chair), "quic", byDesc["Publish applicability"],
		groups.MilestoneChange{Due: ptr("2027-06"), Docs: []string{}}, "slipped"); err != nil {
		t.Fatal(err)
	}
	// Delete one.
	if err := e.g.ChangeMilestone(e.ctx, e.as(chair), "quic", byDesc["Submit transport to the IESG"], groups.MilestoneChange{Delete: true}, "merged"); err != nil {
		t.Fatal(err)
	}
	ms, _ = e.g.Milestones(e.ctx, g.ID)
	want = []groups.Milestone{
		{ID: byDesc["Publish applicability"], Description: "Publish applicability", Due: "2027-06"},
		{ID: byDesc["Submit recovery"], Description: "Submit recovery", Due: "2026-12-15", Resolved: "Done"},
	}
	if diff := cmp.Diff(want, ms, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Milestones after changes (-want +got):\n%s", diff)
	}

	before := e.version()
	for _, tc := range []struct {
		name string
		acr  string
		id   int64
		c    groups.MilestoneChange
		kind fail.Kind
		fld  string
	}{
		{"deleted", "quic", byDesc["Submit transport to the IESG"], groups.MilestoneChange{Resolved: ptr("Done")}, fail.NotFound, ""},
		{"delete twice", "quic", byDesc["Submit transport to the IESG"], groups.MilestoneChange{Delete: true}, fail.NotFound, ""},
		{"another group's", "tls", byDesc["Submit recovery"], groups.MilestoneChange{Resolved: ptr("Done")}, fail.NotFound, ""},
		{"no such group", "nope", byDesc["Submit recovery"], groups.MilestoneChange{Resolved: ptr("Done")}, fail.NotFound, ""},
		{"no such id", "quic", 9999, groups.MilestoneChange{Resolved: ptr("Done")}, fail.NotFound, ""},
		{"bad due", "quic", byDesc["Submit recovery"], groups.MilestoneChange{Due: ptr("soon")}, fail.Invalid, "due"},
		{"empty description", "quic", byDesc["Submit recovery"], groups.MilestoneChange{Description: ptr("  ")}, fail.Invalid, "description"},
		{"bad doc", "quic", byDesc["Submit recovery"], groups.MilestoneChange{Docs: []string{"RFC 9000"}}, fail.Invalid, "docs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantFail(t, e.g.ChangeMilestone(e.ctx, e.as(chair), tc.acr, tc.id, tc.c, ""), tc.kind, tc.fld)
		})
	}
	if e.version() != before {
		t.Error("a refused change made an event")
	}
	if ms2, _ := e.g.Milestones(e.ctx, g.ID); !cmp.Equal(want, ms2, cmpopts.EquateEmpty()) {
		t.Errorf("refused changes altered milestones: %+v", ms2)
	}
	if ms, _ := e.g.Milestones(e.ctx, tls.ID); len(ms) != 0 {
		t.Errorf("tls has milestones: %+v", ms)
	}

	wantEv := []ev{
		{"group_created", "WG quic created (Active)", ""},
		{"role_granted", "Chad is now Chair", ""},
		{"milestone_added", `Milestone "Submit transport to the IESG" added, due 2027-03`, "plan"},
		{"milestone_added", `Milestone "Submit recovery" added, due 2026-12-15`, "plan"},
		{"milestone_added", `Milestone "Publish applicability" added, due 2027-01`, "plan"},
		{"milestone_changed", `Milestone "Submit recovery" resolved: Done`, ""},
		{"milestone_changed", `Milestone "Publish applicability" changed (due 2027-06)`, "slipped"},
		{"milestone_deleted", `Milestone "Submit transport to the IESG" deleted`, "merged"},
	}
	if diff := cmp.Diff(wantEv, e.evs("quic")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	for _, x := range e.events("quic")[2:] {
		if x.ActorID != chair.ID {
			t.Errorf("event %q by %d, want the chair %d", x.Summary, x.ActorID, chair.ID)
		}
	}
}

func TestAddMilestoneRefuses(t *testing.T) {
	e := newEnv(t)
	g := e.create(groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg"})
	before := e.version()
	for _, tc := range []struct {
		acr, desc, due string
		docs           []string
		kind           fail.Kind
		field          string
	}{
		{"quic", "", "2027-03", nil, fail.Invalid, "description"},
		{"quic", "  ", "2027-03", nil, fail.Invalid, "description"},
		{"quic", "x", "", nil, fail.Invalid, "due"},
		{"quic", "x", "2027", nil, fail.Invalid, "due"},
		{"quic", "x", "2027-3", nil, fail.Invalid, "due"},
		{"quic", "x", "2027-00", nil, fail.Invalid, "due"},
		{"quic", "x", "2027-13", nil, fail.Invalid, "due"},
		{"quic", "x", "27-03", nil, fail.Invalid, "due"},
		{"quic", "x", "2027/03", nil, fail.Invalid, "due"},
		{"quic", "x", "2027-03-00", nil, fail.Invalid, "due"},
		{"quic", "x", "2027-03-32", nil, fail.Invalid, "due"},
		{"quic", "x", "2027-02-30", nil, fail.Invalid, "due"},
		{"quic", "x", "2027-04-31", nil, fail.Invalid, "due"},
		{"quic", "x", "2027-02-29", nil, fail.Invalid, "due"}, // not a leap year
		{"quic", "x", "2027-03 ", nil, fail.Invalid, "due"},
		{"quic", "x", "March 2027", nil, fail.Invalid, "due"},
		{"quic", "x", "2027-03", []string{"RFC9000"}, fail.Invalid, "docs"},
		{"quic", "x", "2027-03", []string{"rfc"}, fail.Invalid, "docs"},
		{"quic", "x", "2027-03", []string{"draft-"}, fail.Invalid, "docs"},
		{"quic", "x", "2027-03", []string{"draft-ietf quic"}, fail.Invalid, "docs"},
		{"quic", "x", "2027-03", []string{"draft-ietf-quic-transport", "foo"}, fail.Invalid, "docs"},
		{"quic", "x", "2027-03", []string{""}, fail.Invalid, "docs"},
		{"nope", "x", "2027-03", nil, fail.NotFound, ""},
	} {
		err := e.g.AddMilestone(e.ctx, e.op, tc.acr, tc.desc, tc.due, tc.docs, "")
		fe, ok := fail.As(err)
		if !ok || fe.Kind != tc.kind || fe.Field != tc.field {
			t.Errorf("AddMilestone(%q, %q, %q, %q) = %v, want kind %s, field %q", tc.acr, tc.desc, tc.due, tc.docs, err, tc.kind, tc.field)
		}
	}
	if e.version() != before {
		t.Error("a refused milestone made an event")
	}
	if ms, _ := e.g.Milestones(e.ctx, g.ID); len(ms) != 0 {
		t.Errorf("refused milestones were stored: %+v", ms)
	}
	for _, due := range []string{"2028-02-29", "2027-12-31", "2027-01-01", "2027-12"} {
		if err := e.g.AddMilestone(e.ctx, e.op, "quic", "ok "+due, due, nil, ""); err != nil {
			t.Errorf("AddMilestone due %s: %v", due, err)
		}
	}
}

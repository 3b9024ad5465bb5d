package telechat_test

import (
	"context"
	"strings"
	"testing"

	"hum/internal/charters"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/telechat"
)

// Charters under IESG review come to the telechat in the agenda's
// section 4 (Working Group actions), as the IESG's agenda has them: a
// new WG in 4.1, a recharter in 4.2; in internal review "for IETF
// review" (.1), later "for approval" (.2). Only the area's ADs and the
// secretariat place them (R42).
func TestChartersOnTheAgenda(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.b.AddGroups(groups.NewGroup{Acronym: "newbof", Name: "A New Idea", Type: "wg", Parent: "rtg", State: "bof"})
	outbox := &mail.Outbox{Name: "hum"}
	ls := &lists.Service{DB: e.db, Mail: outbox, Domain: "hum.test", BaseURL: "http://hum.test"}
	e.must(ls.Ensure(ctx))
	cs := &charters.Service{DB: e.db, Groups: e.b.Groups, Lists: ls, Mail: ls.Router(outbox), BaseURL: "http://hum.test", Domain: "hum.test"}
	e.s.Charters = cs
	series, _ := telechat.Series(date("2021-07-01"), 2)
	_, err := e.s.AddDates(ctx, e.op, series, "")
	e.must(err)
	const name = "charter-ietf-newbof"
	ada := e.by("ad@example.org")
	_, err = cs.Submit(ctx, ada, name, "The New Idea WG will specify the new idea.", "")
	e.must(err)
	refused(t, "a draft charter", e.s.PlaceCharter(ctx, name, ada, date("2021-07-01"), ""), fail.Conflict, "")
	e.must(cs.SetState(ctx, ada, name, charters.Internal, ""))
	refused(t, "another area's AD", e.s.PlaceCharter(ctx, name, e.by("ad2@example.org"), date("2021-07-01"), ""), fail.Forbidden, "R42")
	refused(t, "not a telechat", e.s.PlaceCharter(ctx, name, ada, date("2021-07-02"), ""), fail.Invalid, "")
	e.must(e.s.PlaceCharter(ctx, name, ada, date("2021-07-01"), "Ready for external review?"))

	a, err := e.s.Agenda(ctx, date("2021-07-01"))
	e.must(err)
	got := map[string][]string{}
	for _, s := range a.Sections {
		for _, c := range s.Charters {
			got[s.Num] = append(got[s.Num], c.Charter.Name)
		}
	}
	if len(got) != 1 || len(got["4.1.1"]) != 1 || got["4.1.1"][0] != name || a.Docs != 1 {
		t.Errorf("charters on 2021-07-01: %v (%d on the agenda)", got, a.Docs)
	}
	for _, s := range a.Sections {
		if s.Num == "4.1.1" && (len(s.Charters) != 1 || s.Charters[0].Ballot.Kind != charters.ReadyForExternal || !s.Charters[0].Ballot.Open()) {
			t.Errorf("4.1.1 without its ballot: %+v", s.Charters)
		}
	}
	e.must(e.s.PlaceCharter(ctx, name, e.by("sec@example.org"), date("2021-07-15"), ""))
	if a, _ = e.s.Agenda(ctx, date("2021-07-01")); a.Docs != 0 {
		t.Errorf("moved, yet still on 2021-07-01: %d", a.Docs)
	}
	if ev := e.events("doc", name, "telechat"); strings.Join(ev, "\n") != "Telechat date has been changed to 2021-07-15 from 2021-07-01\nPlaced on agenda for telechat - 2021-07-01" {
		t.Errorf("events: %q", ev)
	}

	for _, c := range []struct {
		group, state, want string
	}{
		{"bof", charters.Internal, "4.1.1"}, {"proposed", charters.External, "4.1.2"}, {"proposed", charters.IESGReview, "4.1.2"},
		{"active", charters.Internal, "4.2.1"}, {"active", charters.IESGReview, "4.2.2"},
	} {
		if got := telechat.CharterSection(charters.Charter{Group: groups.Group{State: c.group}, State: c.state}); got != c.want {
			t.Errorf("%s group, charter %s: %s, want %s", c.group, c.state, got, c.want)
		}
	}
}

package meetings_test

import (
	"strings"
	"testing"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/testbody"
)

// fellowshipCommittee sets up the reviewing committee: a team with a
// chair and a member.
func (e *env) fellowshipCommittee() {
	e.t.Helper()
	e.body.AddGroups(groups.NewGroup{Acronym: "fellowship", Name: "ISOC Fellowship Committee", Type: "team"})
	e.body.AddPeople(
		testbody.Person{Email: "fc-chair@example.org", Name: "Fay Chair", Role: "chair", Group: "fellowship"},
		testbody.Person{Email: "fc-member@example.org", Name: "Finn Member", Role: "member", Group: "fellowship"},
		testbody.Person{Email: "kim@example.org", Name: "Kim Applicant"},
	)
}

func TestFellowship(t *testing.T) {
	a := attending(newEnv(t))
	a.fellowshipCommittee()
	sec, pat, kim := a.as("sec@example.org"), a.as("pat@example.org"), a.as("kim@example.org")
	chair, member := a.as("fc-chair@example.org"), a.as("fc-member@example.org")
	app := meetings.NewApplication{Statement: "I run a network operators' group and would bring QUIC back.", Country: "ke", Affiliation: "KENOG", FirstMeeting: true}

	before := a.state()
	if err := a.m.Apply(a.ctx, kim, "125", app); fail.KindOf(err) != fail.Conflict {
		t.Errorf("applying before the call opens: %v", err)
	}
	if err := a.m.SetFellowshipDeadline(a.ctx, pat, "125", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant setting the deadline: %v", err)
	}
	if err := a.m.SetFellowshipDeadline(a.ctx, sec, "125", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("a deadline after the meeting starts: %v", err)
	}
	if a.state() != before {
		t.Error("refusals changed something")
	}
	deadline := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	if err := a.m.SetFellowshipDeadline(a.ctx, sec, "125", deadline, "call opened"); err != nil {
		t.Fatal(err)
	}
	before = a.state()
	if err := a.m.Apply(a.ctx, kim, "125", meetings.NewApplication{Country: "Kenya"}); fail.KindOf(err) != fail.Invalid {
		t.Errorf("an empty application: %v", err)
	}
	if err := a.m.Apply(a.ctx, groups.Actor{}, "125", app); fail.KindOf(err) != fail.Unauthorized {
		t.Errorf("applying logged out: %v", err)
	}
	if a.state() != before {
		t.Error("refused applications changed something")
	}
	if err := a.m.Apply(a.ctx, kim, "125", app); err != nil {
		t.Fatal(err)
	}
	if err := a.m.Apply(a.ctx, pat, "125", meetings.NewApplication{Statement: "Please.", Country: "FR"}); err != nil {
		t.Fatal(err)
	}
	// After the deadline: refused, nothing changed.
	a.now = deadline.Add(time.Minute)
	before = a.state()
	if err := a.m.Apply(a.ctx, a.as("chair-tls@example.org"), "125", app); fail.KindOf(err) != fail.Conflict || !strings.Contains(err.Error(), "closed") {
		t.Errorf("applying after the deadline: %v", err)
	}
	if a.state() != before {
		t.Error("a late application changed something")
	}

	// Applications are not public: only the committee and the secretariat.
	if _, err := a.m.Applications(a.ctx, pat, "125"); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant reading applications: %v", err)
	}
	as, err := a.m.Applications(a.ctx, member, "125")
	if err != nil || len(as) != 2 {
		t.Fatalf("applications: %d, %v", len(as), err)
	}
	kimApp, patApp := as[0], as[1]
	for _, ev := range a.eventSummaries() {
		if strings.Contains(ev, "Kim") || strings.Contains(ev, "KENOG") || strings.Contains(ev, "network operators") {
			t.Errorf("the open record tells of an application: %q", ev)
		}
	}
	if err := a.m.ScoreApplication(a.ctx, pat, "125", kimApp.ID, 5, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant scoring: %v", err)
	}
	if err := a.m.ScoreApplication(a.ctx, member, "125", kimApp.ID, 9, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("a score of 9: %v", err)
	}
	if err := a.m.ScoreApplication(a.ctx, member, "125", kimApp.ID, 5, "strong"); err != nil {
		t.Fatal(err)
	}
	if err := a.m.ScoreApplication(a.ctx, chair, "125", kimApp.ID, 4, ""); err != nil {
		t.Fatal(err)
	}
	if as, _ = a.m.Applications(a.ctx, chair, "125"); as[0].Mean() != 4.5 {
		t.Errorf("mean = %v", as[0].Mean())
	}
	if err := a.m.Decide(a.ctx, chair, "125", kimApp.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := a.m.Decide(a.ctx, chair, "125", patApp.ID, false, ""); err != nil {
		t.Fatal(err)
	}
	before = a.state()
	if err := a.m.Decide(a.ctx, chair, "125", kimApp.ID, false, ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("deciding twice: %v", err)
	}
	if a.state() != before {
		t.Error("a second decision changed something")
	}
	if m := a.lastMail("kim@example.org"); !strings.Contains(m, "awarded") {
		t.Errorf("kim's mail:\n%s", m)
	}
	if m := a.lastMail("pat@example.org"); !strings.Contains(m, "could not offer") {
		t.Errorf("pat's mail:\n%s", m)
	}
	// The fellow is registered, onsite, on a fellow's ticket; the list of
	// fellows is public.
	r, ok, err := a.m.RegistrationOf(a.ctx, "125", kim.ID)
	if err != nil || !ok || r.Type != meetings.Onsite || r.Ticket != "fellow" || r.Country != "KE" {
		t.Errorf("kim's registration: %+v %v %v", r, ok, err)
	}
	fs, err := a.m.Fellows(a.ctx, "125")
	if err != nil || len(fs) != 1 || fs[0].Name != "Kim Applicant" {
		t.Errorf("fellows = %+v, %v", fs, err)
	}
	if mine, ok, _ := a.m.MyApplication(a.ctx, pat, "125"); !ok || mine.Status != meetings.Declined {
		t.Errorf("pat's own application: %+v", mine)
	}
}

// eventSummaries lists the fellowship's events, actor and summary.
func (e *env) eventSummaries() []string {
	e.t.Helper()
	rows, err := e.db.QueryContext(e.ctx, `SELECT actor || ': ' || summary FROM event WHERE kind LIKE 'fellowship%' ORDER BY id`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

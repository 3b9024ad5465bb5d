package meetings_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/meetings"
)

// TestR24BlueSheets: a registered participant marks their attendance once
// the session has started and until the proceedings are final, with the
// time they marked it; every refusal names R24 and changes nothing.
func TestR24BlueSheets(t *testing.T) {
	a := attending(newEnv(t))
	pat, quinn := a.as("pat@example.org"), a.as("chair-quic@example.org")
	if _, err := a.m.Register(a.ctx, pat, "125", meetings.NewRegistration{Name: "Pat Participant", Affiliation: "Example Inc", Country: "FR", Type: "onsite"}); err != nil {
		t.Fatal(err)
	}
	refused := func(what string, err error, rule, code string) {
		t.Helper()
		f, ok := fail.As(err)
		if !ok || f.Rule != rule || (code != "" && f.Code != code) {
			t.Errorf("%s: %v, want a refusal naming %s", what, err, rule)
		}
	}
	before := a.state()
	// Before the session: closed.
	refused("before the start", a.m.Attend(a.ctx, pat, "125", a.tls1), "R24", "")
	a.now = a.sunday.Add(10 * time.Minute)
	// Not registered: refused, with the way to register.
	err := a.m.Attend(a.ctx, quinn, "125", a.tls1)
	refused("not registered", err, "R24", meetings.ErrNotRegistered)
	if err != nil && !strings.Contains(err.Error(), "/meeting/125/register/") {
		t.Errorf("the refusal does not say where to register: %v", err)
	}
	if a.state() != before {
		t.Error("refused attendance changed something")
	}
	if err := a.m.Attend(a.ctx, pat, "125", a.tls1); err != nil {
		t.Fatal(err)
	}
	before = a.state()
	if err := a.m.Attend(a.ctx, pat, "125", a.tls1); fail.KindOf(err) != fail.Conflict {
		t.Errorf("marking twice: %v, want conflict", err)
	}
	// The afternoon session has not started yet.
	refused("the afternoon session in the morning", a.m.Attend(a.ctx, pat, "125", a.tls2), "R24", "")
	if a.state() != before {
		t.Error("refused attendance changed something")
	}
	// Afterwards, until the proceedings are final.
	a.now = a.sunday.AddDate(0, 0, 20)
	if err := a.m.Attend(a.ctx, pat, "125", a.tls2); err != nil {
		t.Errorf("marking after the session, before the proceedings: %v", err)
	}
	a.finalize()
	before = a.state()
	refused("after final proceedings", a.m.Attend(a.ctx, pat, "125", a.quic), "R24", "")
	if a.state() != before {
		t.Error("attendance after final proceedings changed something")
	}

	_, sheets, err := a.m.BlueSheets(a.ctx, "125", "tls")
	if err != nil {
		t.Fatal(err)
	}
	if len(sheets) != 2 || len(sheets[0].Lines) != 1 || sheets[0].Onsite != 1 {
		t.Fatalf("sheets = %+v", sheets)
	}
	l := sheets[0].Lines[0]
	if d := cmp.Diff(meetings.SheetLine{PersonID: pat.ID, Name: "Pat Participant", Affiliation: "Example Inc", Type: "onsite",
		Time: a.sunday.Add(10 * time.Minute), Origin: "self"}, l); d != "" {
		t.Errorf("line (-want +got):\n%s", d)
	}
	if !sheets[0].Start.Equal(a.sunday) || sheets[0].Code == "" {
		t.Errorf("sheet start %v, code %q", sheets[0].Start, sheets[0].Code)
	}
	s, err := a.m.SessionByCode(a.ctx, strings.ToUpper(sheets[0].Code))
	if err != nil || s.ID != a.tls1 {
		t.Errorf("short code %s → %d, %v", sheets[0].Code, s.ID, err)
	}
	if _, err := a.m.SessionByCode(a.ctx, "!!"); fail.KindOf(err) != fail.NotFound {
		t.Errorf("bad code: %v", err)
	}

	// R45/R50 need who registered and attended, per meeting.
	att, err := a.m.Attended(a.ctx, pat.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []meetings.MeetingAttendance{{Meeting: "125", Type: "ietf", Date: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), Registered: true, RegType: "onsite", Sessions: 2}}
	if d := cmp.Diff(want, att); d != "" {
		t.Errorf("Attended (-want +got):\n%s", d)
	}
}

// TestR24SecretariatCorrections: the secretariat adds and removes lines,
// each with a reason, on the group's record; others may not.
func TestR24SecretariatCorrections(t *testing.T) {
	a := attending(newEnv(t))
	sec, pat := a.as("sec@example.org"), a.as("pat@example.org")
	if _, err := a.m.Register(a.ctx, pat, "125", meetings.NewRegistration{Name: "Pat", Country: "FR", Type: "remote"}); err != nil {
		t.Fatal(err)
	}
	a.now = a.sunday.Add(2 * time.Hour)
	before := a.state()
	if err := a.m.AddAttendance(a.ctx, pat, "125", a.tls1, "pat@example.org", "me"); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant adding lines: %v", err)
	}
	if err := a.m.AddAttendance(a.ctx, sec, "125", a.tls1, "pat@example.org", " "); fail.KindOf(err) != fail.Invalid {
		t.Errorf("a line without a reason: %v", err)
	}
	if err := a.m.AddAttendance(a.ctx, sec, "125", a.tls1, "chair-quic@example.org", "was there"); fail.KindOf(err) != fail.Invalid {
		t.Errorf("adding someone not registered: %v", err)
	}
	if err := a.m.AddAttendance(a.ctx, sec, "125", a.tls1, "nobody@example.org", "was there"); fail.KindOf(err) != fail.Invalid {
		t.Errorf("adding an unknown address: %v", err)
	}
	if a.state() != before {
		t.Error("refused corrections changed something")
	}
	if err := a.m.AddAttendance(a.ctx, sec, "125", a.tls1, "pat@example.org", "signed the paper sheet"); err != nil {
		t.Fatal(err)
	}
	if err := a.m.RemoveAttendance(a.ctx, sec, "125", a.tls1, pat.ID, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("removing without a reason: %v", err)
	}
	if err := a.m.RemoveAttendance(a.ctx, sec, "125", a.quic, pat.ID, "not there"); fail.KindOf(err) != fail.Invalid {
		t.Errorf("removing a line that is not there: %v", err)
	}
	if err := a.m.RemoveAttendance(a.ctx, sec, "125", a.tls1, pat.ID, "signed twice by mistake"); err != nil {
		t.Fatal(err)
	}
	kinds, _ := a.groupEvents("tls")
	if len(kinds) < 2 || kinds[0] != "attendance_removed" || kinds[1] != "attendance_added" {
		t.Errorf("tls's record = %v", kinds)
	}

	// Final proceedings close the blue sheets to all but the
	// secretariat, who still corrects them (and the refusal to a
	// participant sends them there).
	a.finalize()
	if err := a.m.AddAttendance(a.ctx, sec, "125", a.tls1, "pat@example.org", "signed the paper sheet"); err != nil {
		t.Errorf("the secretariat's correction after final proceedings: %v", err)
	}
	if err := a.m.RemoveAttendance(a.ctx, sec, "125", a.tls1, pat.ID, "was not there after all"); err != nil {
		t.Errorf("the secretariat's removal after final proceedings: %v", err)
	}
	before = a.state()
	if err := a.m.AddAttendance(a.ctx, pat, "125", a.tls1, "pat@example.org", "me"); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant adding lines after final proceedings: %v", err)
	}
	if err := a.m.Attend(a.ctx, pat, "125", a.tls1); fail.KindOf(err) != fail.Conflict {
		t.Errorf("marking after final proceedings: %v, want conflict", err)
	}
	if a.state() != before {
		t.Error("refused changes after final proceedings changed something")
	}
}

func TestAttendanceNumbers(t *testing.T) {
	a := attending(newEnv(t))
	people := map[string]string{"pat@example.org": "onsite", "chair-quic@example.org": "remote", "chair-tls@example.org": "onsite", "ad-sec@example.org": "remote"}
	for addr, typ := range people {
		if _, err := a.m.Register(a.ctx, a.as(addr), "125", meetings.NewRegistration{Name: addr, Country: "FR", Type: typ}); err != nil {
			t.Fatal(err)
		}
	}
	a.now = a.sundayPM.Add(time.Hour)
	for addr := range people {
		if err := a.m.Attend(a.ctx, a.as(addr), "125", a.tls1); err != nil {
			t.Fatal(err)
		}
	}
	a.m.Attend(a.ctx, a.as("pat@example.org"), "125", a.tls2)
	a.m.Attend(a.ctx, a.as("chair-quic@example.org"), "125", a.quic)
	a.m.Attend(a.ctx, a.as("ad-sec@example.org"), "125", a.quic)
	_, rows, err := a.m.AttendanceSummary(a.ctx, "125")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Group          string
		Sessions       [][2]int
		Onsite, Remote int
	}
	var got []row
	for _, r := range rows {
		x := row{Group: r.Group, Onsite: r.Onsite, Remote: r.Remote}
		for _, s := range r.Sessions {
			x.Sessions = append(x.Sessions, [2]int{s.Onsite, s.Remote})
		}
		got = append(got, x)
	}
	want := []row{{"quic", [][2]int{{0, 2}}, 0, 2}, {"tls", [][2]int{{2, 2}, {1, 0}}, 3, 2}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("summary (-want +got):\n%s", d)
	}
	hist, err := a.m.GroupAttendance(a.ctx, "tls")
	if err != nil || len(hist) != 1 || hist[0].Meeting != "125" || hist[0].Total != 5 || len(hist[0].Sessions) != 2 || !hist[0].Sessions[0].Start.Equal(a.sunday) {
		t.Errorf("tls history = %+v, %v", hist, err)
	}
	// tls: four people on its first sheet, pat again on its second.
	if n, known, err := a.m.PeopleAttended(a.ctx, "125", "tls"); n != 4 || !known || err != nil {
		t.Errorf("people at tls = %d %v %v, want 4 different people", n, known, err)
	}
	procs, err := a.m.Proceedings(a.ctx, a.m125)
	var sheets []int
	for _, g := range procs {
		for _, c := range g.Attendance {
			sheets = append(sheets, c.Total)
		}
	}
	if d := cmp.Diff([]int{4, 1, 2}, sheets); err != nil || d != "" {
		t.Errorf("proceedings' attendance, tls (sec) then quic (wit) (-want +got):\n%s%v", d, err)
	}
	if n, known, err := a.m.PeopleAttended(a.ctx, "125", "httpbis"); n != 0 || known || err != nil {
		t.Errorf("people at httpbis, which did not meet = %d %v %v, want unknown", n, known, err)
	}
	if _, err := a.m.GroupAttendance(a.ctx, "nosuch"); fail.KindOf(err) != fail.NotFound {
		t.Errorf("unknown group: %v", err)
	}
}

package meetings_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/meetings"
)

func TestRequestSessions(t *testing.T) {
	e := newEnv(t)
	m := e.meeting()
	chair := e.as("chair-tls@example.org")
	if err := e.m.RequestSessions(e.ctx, chair, "125", "tls", twoSessions(), "as every year"); err != nil {
		t.Fatal(err)
	}
	r, err := e.m.SessionRequest(e.ctx, "125", "tls")
	if err != nil {
		t.Fatal(err)
	}
	want := twoSessions()
	if d := cmp.Diff(want, r.Request); d != "" {
		t.Errorf("request read back (-want +got):\n%s", d)
	}
	if r.Status != meetings.StatusWaiting || len(r.Sessions) != 2 || r.Area != "sec" || r.RequestedBy != "Chris Chair" {
		t.Errorf("request = %+v", r)
	}
	if d := cmp.Diff([]meetings.PersonRef{{Name: "Quinn Chair", Email: "chair-quic@example.org"}}, r.People); d != "" {
		t.Errorf("people (-want +got):\n%s", d)
	}
	if n := e.rows(`session_constraint WHERE meeting_id = $1`, m.ID); n != 6 {
		t.Errorf("%d constraint rows, want 6 (2 conflicts, bethere, adjacent, timerange, time relation)", n)
	}
	if evs, _ := e.groupEvents("tls"); len(evs) == 0 || evs[0] != "session_requested" {
		t.Errorf("tls's history = %v", evs)
	}

	// The secretariat places the first session; the chair then asks for
	// one long session instead: the first session is kept, placed, and
	// the second withdrawn.
	first := r.Sessions[0]
	slots, _ := e.m.Timeslots(e.ctx, m.ID)
	var slot meetings.Timeslot
	for _, s := range slots {
		if s.Type == "regular" {
			slot = s
			break
		}
	}
	if err := e.m.Assign(e.ctx, e.as("sec@example.org"), "125", first.ID, slot.ID, ""); err != nil {
		t.Fatal(err)
	}
	one := meetings.Request{Sessions: 1, Lengths: []time.Duration{2 * time.Hour}, Attendees: 120, Conflicts: map[string][]string{"conflic3": {"QUIC "}}}
	if err := e.m.RequestSessions(e.ctx, chair, "125", "tls", one, ""); err != nil {
		t.Fatal(err)
	}
	r, _ = e.m.SessionRequest(e.ctx, "125", "tls")
	if len(r.Sessions) != 1 || r.Sessions[0].ID != first.ID || r.Status != meetings.StatusScheduled || r.Sessions[0].RequestedDuration != 2*time.Hour {
		t.Errorf("after the change: %+v", r.Sessions)
	}
	if d := cmp.Diff(map[string][]string{"conflic3": {"quic"}}, r.Request.Conflicts); d != "" {
		t.Errorf("conflicts replaced (-want +got):\n%s", d)
	}
	if n := e.rows(`session WHERE meeting_id = $1 AND status = 'deleted'`, m.ID); n != 1 {
		t.Errorf("%d deleted sessions, want the second", n)
	}
	if n := e.rows(`session_joint_with_group`); n != 0 {
		t.Errorf("%d joint rows left", n)
	}
	if evs, _ := e.groupEvents("tls"); evs[0] != "session_request_changed" {
		t.Errorf("tls's history = %v", evs)
	}
}

// TestRequestRefusals: each bad request is refused with a clear error
// and changes nothing.
func TestRequestRefusals(t *testing.T) {
	e := newEnv(t)
	m := e.meeting()
	with := func(f func(*meetings.Request)) meetings.Request { r := twoSessions(); f(&r); return r }
	cases := []struct {
		name, by, group string
		r               meetings.Request
		kind            fail.Kind
		field, says     string
	}{
		{"unknown group", "chair-tls@example.org", "nosuch", twoSessions(), fail.NotFound, "", `"nosuch"`},
		{"a participant", "pat@example.org", "tls", twoSessions(), fail.Forbidden, "", "chairs"},
		{"another group's chair", "chair-quic@example.org", "tls", twoSessions(), fail.Forbidden, "", "tls"},
		{"another area's AD", "ad-wit@example.org", "tls", twoSessions(), fail.Forbidden, "", "tls"},
		{"an area", "sec@example.org", "nosuch", twoSessions(), fail.NotFound, "", ""},
		{"four sessions", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.Sessions = 4 }), fail.Invalid, "sessions", "1 to 3"},
		{"45 minutes", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.Lengths[1] = 45 * time.Minute }), fail.Invalid, "length", "45 minutes"},
		{"lengths missing", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.Lengths = r.Lengths[:1] }), fail.Invalid, "length", ""},
		{"nobody expected", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.Attendees = 0 }), fail.Invalid, "attendees", ""},
		{"conflict with itself", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.Conflicts["conflict"] = []string{"tls"} }), fail.Invalid, "conflict", "itself"},
		{"unknown conflict", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.Conflicts["conflic3"] = []string{"zzz"} }), fail.Invalid, "conflic3", `"zzz"`},
		{"a group at two levels", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.Conflicts["conflic3"] = []string{"quic"} }), fail.Invalid, "conflic3", "twice"},
		{"unknown person", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.BeThere = []string{"who@example.net"} }), fail.Invalid, "bethere", "who@example.net"},
		{"bad time range", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.TimeRanges = []string{"sunday-brunch"} }), fail.Invalid, "timeranges", "sunday-brunch"},
		{"time relation for one", "chair-tls@example.org", "tls", with(func(r *meetings.Request) {
			r.Sessions, r.Lengths, r.JointSession = 1, r.Lengths[:1], 0
		}), fail.Invalid, "time_relation", "two sessions"},
		{"adjacent with itself", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.Adjacent = "tls" }), fail.Invalid, "adjacent", "itself"},
		{"unknown joint group", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.JointWith = []string{"nope"} }), fail.Invalid, "joint_with", `"nope"`},
		{"joint with a fourth session", "chair-tls@example.org", "tls", with(func(r *meetings.Request) { r.JointSession = 3 }), fail.Invalid, "joint_for", ""},
	}
	before := e.events()
	for _, c := range cases {
		err := e.m.RequestSessions(e.ctx, e.as(c.by), "125", c.group, c.r, "")
		f, ok := fail.As(err)
		if !ok || f.Kind != c.kind {
			t.Errorf("%s: %v, want %s", c.name, err, c.kind)
			continue
		}
		if c.field != "" {
			var fields []string
			for _, p := range f.Problems {
				fields = append(fields, p.Field)
			}
			if len(fields) != 1 || fields[0] != c.field {
				t.Errorf("%s: problems on %v, want %s only", c.name, fields, c.field)
			}
		}
		if !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %q does not say %q", c.name, err, c.says)
		}
	}
	if e.events() != before || e.rows(`session WHERE meeting_id = $1`, m.ID) != 0 || e.rows(`session_constraint`) != 0 {
		t.Error("a refused request changed something")
	}
	// The AD of tls's area may request for it.
	if err := e.m.RequestSessions(e.ctx, e.as("ad-sec@example.org"), "125", "tls", twoSessions(), ""); err != nil {
		t.Errorf("tls's AD: %v", err)
	}
}

func TestRequestDeadline(t *testing.T) {
	e := newEnv(t)
	m := e.meeting()
	deadline := meetings.RequestDeadline(m)
	if got := deadline.Format(time.RFC3339); got != "2026-01-30T23:59:59Z" {
		t.Fatalf("deadline = %s, want 43 days before 2026-03-14 at 23:59 UTC", got)
	}
	e.now = deadline.Add(time.Minute)
	before := e.events()
	err := e.m.RequestSessions(e.ctx, e.as("chair-tls@example.org"), "125", "tls", twoSessions(), "")
	if fail.KindOf(err) != fail.Conflict || !strings.Contains(err.Error(), "2026-01-30") {
		t.Errorf("a late request: %v, want a refusal naming the date", err)
	}
	if e.events() != before || e.rows(`session`) != 0 {
		t.Error("a late request changed something")
	}
	// The secretariat moves the deadline a week on; the chair is in time.
	if err := e.m.SetImportantDate(e.ctx, e.as("sec@example.org"), "125", "cutoffwgreq", "2026-02-06", "more time"); err != nil {
		t.Fatal(err)
	}
	if d, err := e.m.SessionRequestDeadline(e.ctx, m); err != nil || d.Format(time.RFC3339) != "2026-02-06T23:59:59Z" {
		t.Errorf("moved deadline = %s, %v", d, err)
	}
	if err := e.m.RequestSessions(e.ctx, e.as("chair-tls@example.org"), "125", "tls", twoSessions(), ""); err != nil {
		t.Errorf("a request before the moved deadline: %v", err)
	}
	e.now = time.Date(2026, 2, 7, 0, 0, 1, 0, time.UTC)
	if err := e.m.RequestSessions(e.ctx, e.as("chair-tls@example.org"), "125", "tls", twoSessions(), ""); fail.KindOf(err) != fail.Conflict || !strings.Contains(err.Error(), "2026-02-06") {
		t.Errorf("a request after the moved deadline: %v", err)
	}
	if err := e.m.RequestSessions(e.ctx, e.as("sec@example.org"), "125", "tls", twoSessions(), "late, agreed with the AD"); err != nil {
		t.Errorf("the secretariat accepting a late request: %v", err)
	}
	// Once the meeting has begun, only the secretariat withdraws.
	e.now = m.Date.Add(time.Hour)
	if err := e.m.WithdrawRequest(e.ctx, e.as("chair-tls@example.org"), "125", "tls", ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("withdrawing during the meeting: %v", err)
	}
}

func TestWithdrawAndNotMeeting(t *testing.T) {
	e := newEnv(t)
	m := e.meeting()
	chair := e.as("chair-tls@example.org")
	if err := e.m.WithdrawRequest(e.ctx, chair, "125", "tls", ""); fail.KindOf(err) != fail.NotFound {
		t.Errorf("withdrawing nothing: %v", err)
	}
	if err := e.m.RequestSessions(e.ctx, chair, "125", "tls", twoSessions(), ""); err != nil {
		t.Fatal(err)
	}
	r, _ := e.m.SessionRequest(e.ctx, "125", "tls")
	slots, _ := e.m.Timeslots(e.ctx, m.ID)
	for _, s := range slots {
		if s.Type == "regular" {
			if err := e.m.Assign(e.ctx, e.as("sec@example.org"), "125", r.Sessions[0].ID, s.ID, ""); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if err := e.m.WithdrawRequest(e.ctx, chair, "125", "tls", "the drafts are done"); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.m.SessionRequest(e.ctx, "125", "tls"); r.Status != "" || len(r.Sessions) != 0 {
		t.Errorf("after withdrawing: %+v", r)
	}
	if n := e.rows(`session WHERE status = 'deleted'`); n != 2 {
		t.Errorf("%d deleted sessions, want 2", n)
	}
	if e.rows(`assignment`) != 0 || e.rows(`session_constraint`) != 0 || e.rows(`session_joint_with_group`) != 0 {
		t.Error("a withdrawn request left placements, constraints or joint groups")
	}

	if err := e.m.NotMeeting(e.ctx, chair, "125", "tls", ""); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.m.SessionRequest(e.ctx, "125", "tls"); r.Status != meetings.StatusNotMeeting || len(r.Sessions) != 0 {
		t.Errorf("not meeting: %+v", r)
	}
	before := e.events()
	if err := e.m.NotMeeting(e.ctx, chair, "125", "tls", ""); fail.KindOf(err) != fail.Conflict || e.events() != before {
		t.Errorf("not meeting twice: %v", err)
	}
	// Changing its mind, the group asks after all.
	if err := e.m.RequestSessions(e.ctx, chair, "125", "tls", twoSessions(), ""); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.m.SessionRequest(e.ctx, "125", "tls"); r.Status != meetings.StatusWaiting || len(r.Sessions) != 2 {
		t.Errorf("a request after not meeting: %+v", r)
	}
	evs, _ := e.groupEvents("tls")
	want := []string{"session_request_changed", "session_not_meeting", "session_request_withdrawn", "session_scheduled", "session_requested"}
	if d := cmp.Diff(want, evs[:len(want)]); d != "" {
		t.Errorf("tls's history (-want +got):\n%s", d)
	}
}

func TestRequestsTableAndLastRequest(t *testing.T) {
	e := newEnv(t)
	e.meetingOn("123", "2025-07-19")
	e.meetingOn("124", "2025-11-01")
	e.meeting()
	sec := e.as("sec@example.org")
	// tls asked for sessions at 123 and said it would not meet at 124:
	// its last request is 123's until it asks at 124 after all.
	// IETF 124's deadline is long past: only the secretariat records it.
	if err := e.m.RequestSessions(e.ctx, e.as("chair-tls@example.org"), "124", "tls", twoSessions(), ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("a request for a past meeting: %v", err)
	}
	if err := e.m.RequestSessions(e.ctx, sec, "124", "tls", twoSessions(), ""); err != nil {
		t.Fatal(err)
	}
	older := meetings.Request{Sessions: 1, Lengths: []time.Duration{time.Hour}, Attendees: 40, Conflicts: map[string][]string{"conflic3": {"httpbis"}}}
	if err := e.m.RequestSessions(e.ctx, sec, "123", "tls", older, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.m.NotMeeting(e.ctx, sec, "124", "tls", ""); err != nil {
		t.Fatal(err)
	}
	if last, err := e.m.LastRequest(e.ctx, "125", "tls"); err != nil || last.Meeting != "123" || last.Request.Attendees != 40 {
		t.Errorf("last request past a not-meeting answer: %+v, %v", last, err)
	}
	if err := e.m.RequestSessions(e.ctx, sec, "124", "tls", twoSessions(), ""); err != nil {
		t.Fatal(err)
	}
	last, err := e.m.LastRequest(e.ctx, "125", "tls")
	if err != nil {
		t.Fatal(err)
	}
	if last.Meeting != "124" || last.Request.Attendees != 80 {
		t.Errorf("last request: %+v", last)
	}
	if d := cmp.Diff(twoSessions().Conflicts, last.Request.Conflicts); d != "" {
		t.Errorf("last conflicts (-want +got):\n%s", d)
	}
	if _, err := e.m.LastRequest(e.ctx, "123", "tls"); fail.KindOf(err) != fail.NotFound {
		t.Errorf("no request before 123: %v", err)
	}

	one := meetings.Request{Sessions: 1, Lengths: []time.Duration{time.Hour}, Attendees: 30}
	if err := e.m.RequestSessions(e.ctx, e.as("chair-quic@example.org"), "125", "quic", one, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.m.RequestSessions(e.ctx, e.as("chair-tls@example.org"), "125", "tls", one, ""); err != nil {
		t.Fatal(err)
	}
	rs, err := e.m.Requests(e.ctx, "125")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Area+"/"+r.Group)
	}
	if d := cmp.Diff([]string{"sec/tls", "wit/quic"}, got); d != "" {
		t.Errorf("requests by area (-want +got):\n%s", d)
	}
	missing, err := e.m.NotRequested(e.ctx, "125")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string][]string{"wit": {"httpbis"}}, missing); d != "" {
		t.Errorf("not requested (-want +got):\n%s", d)
	}
}

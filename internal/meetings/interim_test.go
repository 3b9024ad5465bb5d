package meetings_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/meetings"
)

func TestOnlineInterimIsScheduledAndAnnounced(t *testing.T) {
	e := newEnv(t).withMail()
	it, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), e.onlineInterim(20, "1. Multipath"), "")
	if err != nil {
		t.Fatal(err)
	}
	m := it.Meeting
	if m.Number != "interim-2026-quic-01" || m.Type != meetings.Interim || m.Group != "quic" || it.Status != meetings.StatusScheduled || it.Announced.IsZero() {
		t.Fatalf("interim = %+v", it)
	}
	if len(it.Sessions) != 1 || it.Sessions[0].Slot.RoomID != 0 || it.Sessions[0].Slot.Type != "regular" || it.Sessions[0].Agenda != "1. Multipath" {
		t.Fatalf("sessions = %+v", it.Sessions)
	}
	if got := it.Sessions[0].Slot.Start.In(m.Location).Format("2006-01-02 15:04"); got != "2026-01-30 14:00" {
		t.Errorf("session starts %s, want 2026-01-30 14:00 Paris time", got)
	}
	// On its own official schedule, so the agenda code works for it.
	placed, err := e.m.Placed(e.ctx, m.ScheduleID)
	if err != nil || len(placed) != 1 || placed[0].Session.Group != "quic" {
		t.Fatalf("placed = %+v, %v", placed, err)
	}
	out := e.outbox()
	if len(out) != 1 {
		t.Fatalf("%d mails queued, want the announcement", len(out))
	}
	if d := cmp.Diff([]string{"ietf-announce@example.org", "quic@example.org"}, out[0].To); d != "" {
		t.Errorf("announcement to (-want +got):\n%s", d)
	}
	if !strings.Contains(out[0].Subject, "QUIC (quic) WG Virtual Interim Meeting: 2026-01-30") || !strings.Contains(string(out[0].Raw), "meet.example.org/quic") {
		t.Errorf("announcement %q:\n%s", out[0].Subject, out[0].Raw)
	}
	kinds, _ := e.groupEvents("quic")
	if d := cmp.Diff([]string{"interim_scheduled", "interim_requested"}, kinds[:2]); d != "" {
		t.Errorf("quic's history (-want +got):\n%s", d)
	}
	// The next one that year is 02.
	it2, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), e.onlineInterim(30, ""), "")
	if err != nil || it2.Meeting.Number != "interim-2026-quic-02" {
		t.Errorf("second interim %q, %v; want interim-2026-quic-02", it2.Meeting.Number, err)
	}
}

func TestInterimRuleR26OnlineNotice(t *testing.T) {
	e := newEnv(t).withMail()
	before, meetings0 := e.events(), e.meetingCount()
	_, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), e.onlineInterim(13, ""), "")
	if ruleOf(err) != "R26" || fail.KindOf(err) != fail.Invalid || !strings.Contains(err.Error(), "two weeks") {
		t.Fatalf("an online interim 13 days ahead: %v, want an R26 refusal", err)
	}
	if e.events() != before || e.meetingCount() != meetings0 || len(e.outbox()) != 0 {
		t.Error("a refused request changed something")
	}
	if _, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), e.onlineInterim(15, ""), ""); err != nil {
		t.Errorf("15 days ahead: %v", err)
	}
}

func TestInterimRuleR26AgendaAWeekAhead(t *testing.T) {
	e := newEnv(t).withMail()
	it, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), e.onlineInterim(15, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	sid := it.Sessions[0].Session.ID
	e.now = e.now.AddDate(0, 0, 7) // 8 days before
	if err := e.m.SetInterimAgenda(e.ctx, e.as("chair-quic@example.org"), it.Meeting.Number, sid, "1. Intro", ""); err != nil {
		t.Fatalf("agenda 8 days ahead: %v", err)
	}
	e.now = e.now.AddDate(0, 0, 2) // 6 days before
	before := e.events()
	err = e.m.SetInterimAgenda(e.ctx, e.as("chair-quic@example.org"), it.Meeting.Number, sid, "1. Intro\n2. Late item", "")
	if ruleOf(err) != "R26" {
		t.Fatalf("agenda 6 days ahead: %v, want an R26 refusal", err)
	}
	if got, _ := e.m.Interim(e.ctx, it.Meeting.Number); e.events() != before || got.Sessions[0].Agenda != "1. Intro" {
		t.Errorf("a refused agenda changed something: %q", got.Sessions[0].Agenda)
	}
	if err := e.m.SetInterimAgenda(e.ctx, e.as("sec@example.org"), it.Meeting.Number, sid, "1. Intro\n2. Late item", "chair asked"); err != nil {
		t.Errorf("the secretariat posting a late agenda: %v", err)
	}
}

func TestInterimRuleR27ApprovalAndNotice(t *testing.T) {
	e := newEnv(t).withMail()
	req := e.onlineInterim(30, "")
	req.Mode, req.City, req.Country = meetings.Hybrid, "Paris", "FR"
	before := e.events()
	if _, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), req, ""); ruleOf(err) != "R27" {
		t.Fatalf("a hybrid interim 30 days ahead: %v, want an R27 refusal", err)
	}
	if e.events() != before || e.meetingCount() != 0 {
		t.Error("a refused request changed something")
	}
	req = e.onlineInterim(70, "1. Everything")
	req.Mode, req.City, req.Country = meetings.InPerson, "Paris", "FR"
	it, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), req, "")
	if err != nil {
		t.Fatal(err)
	}
	if it.Status != meetings.StatusApprWait || !it.Announced.IsZero() {
		t.Fatalf("an in-person interim is %s (announced %v), want waiting for approval", it.Status, it.Announced)
	}
	out := e.outbox()
	if len(out) != 1 || joined(out[0].To) != "ad-wit@example.org" || !strings.Contains(out[0].Subject, "Approval Requested") {
		t.Fatalf("mail = %v, want an approval request to quic's AD", out)
	}
	for _, who := range []string{"chair-quic@example.org", "ad-sec@example.org", "pat@example.org"} {
		if err := e.m.ApproveInterim(e.ctx, e.as(who), it.Meeting.Number, ""); fail.KindOf(err) != fail.Forbidden || ruleOf(err) != "R27" {
			t.Errorf("%s approving: %v, want an R27 refusal", who, err)
		}
	}
	// Approval is announcement: it too needs eight weeks' notice.
	saved := e.now
	e.now = e.now.AddDate(0, 0, 20)
	if err := e.m.ApproveInterim(e.ctx, e.as("ad-wit@example.org"), it.Meeting.Number, ""); ruleOf(err) != "R27" {
		t.Errorf("approving 50 days ahead: %v, want an R27 refusal", err)
	}
	e.now = saved
	if err := e.m.ApproveInterim(e.ctx, e.as("ad-wit@example.org"), it.Meeting.Number, "fine"); err != nil {
		t.Fatal(err)
	}
	got, _ := e.m.Interim(e.ctx, it.Meeting.Number)
	if got.Status != meetings.StatusScheduled || got.ApprovedBy != "Bea Director" {
		t.Errorf("after approval: %s by %q", got.Status, got.ApprovedBy)
	}
	out = e.outbox()
	if len(out) != 2 || joined(out[1].To) != "ietf-announce@example.org,quic@example.org" || !strings.Contains(out[1].Subject, "QUIC (quic) WG Interim Meeting") {
		t.Errorf("after approval the mail is %v, want the announcement", out)
	}
	if err := e.m.ApproveInterim(e.ctx, e.as("ad-wit@example.org"), it.Meeting.Number, ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("approving twice: %v, want a conflict", err)
	}
}

func TestInterimRuleR27NotDuringAnIETFMeeting(t *testing.T) {
	e := newEnv(t).withMail()
	e.meeting() // IETF 125, 2026-03-14 to 20
	req := e.onlineInterim(0, "")
	req.Mode, req.City, req.Country, req.Sessions[0].Date = meetings.Hybrid, "Shenzhen", "CN", "2026-03-16"
	if _, err := e.m.RequestInterim(e.ctx, e.as("sec@example.org"), req, ""); ruleOf(err) != "R27" || !strings.Contains(err.Error(), "IETF 125") {
		t.Errorf("a hybrid interim during IETF 125: %v, want an R27 refusal", err)
	}
}

func TestInterimRuleR25Openness(t *testing.T) {
	e := newEnv(t).withMail()
	req := e.onlineInterim(20, "")
	req.Sessions[0].Remote = "  "
	before := e.events()
	_, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), req, "")
	if ruleOf(err) != "R25" {
		t.Fatalf("an interim with no remote participation: %v, want an R25 refusal", err)
	}
	if e.events() != before || e.meetingCount() != 0 || len(e.outbox()) != 0 {
		t.Error("a refused request changed something")
	}
	// In person still needs remote participation, and a place.
	req = e.onlineInterim(70, "")
	req.Mode, req.Sessions[0].Remote = meetings.InPerson, ""
	_, err = e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), req, "")
	f, _ := fail.As(err)
	if f == nil {
		t.Fatal("an in-person interim with no place was accepted")
	}
	var fields []string
	for _, p := range f.Problems {
		fields = append(fields, p.Field)
	}
	if joined(fields) != "city,country" {
		t.Errorf("problems %v, want city and country", fields)
	}
}

func TestInterimRequestRefusals(t *testing.T) {
	e := newEnv(t).withMail()
	before := e.events()
	for _, tc := range []struct {
		who  string
		edit func(*meetings.InterimRequest)
		kind fail.Kind
	}{
		{"pat@example.org", nil, fail.Forbidden},
		{"chair-tls@example.org", nil, fail.Forbidden},
		{"chair-quic@example.org", func(r *meetings.InterimRequest) { r.Group = "nosuch" }, fail.NotFound},
		{"chair-quic@example.org", func(r *meetings.InterimRequest) { r.Mode = "carrier-pigeon" }, fail.Invalid},
		{"chair-quic@example.org", func(r *meetings.InterimRequest) { r.TimeZone = "Local" }, fail.Invalid},
		{"chair-quic@example.org", func(r *meetings.InterimRequest) { r.Sessions = nil }, fail.Invalid},
		{"chair-quic@example.org", func(r *meetings.InterimRequest) { r.Sessions[0].Time = "25:00" }, fail.Invalid},
		{"chair-quic@example.org", func(r *meetings.InterimRequest) { r.Sessions[0].Minutes = 5 }, fail.Invalid},
		{"chair-quic@example.org", func(r *meetings.InterimRequest) {
			r.Sessions = append(r.Sessions, r.Sessions[0]) // not after the first
		}, fail.Invalid},
	} {
		req := e.onlineInterim(20, "")
		if tc.edit != nil {
			tc.edit(&req)
		}
		if _, err := e.m.RequestInterim(e.ctx, e.as(tc.who), req, ""); fail.KindOf(err) != tc.kind {
			t.Errorf("%s, %+v: %v, want %s", tc.who, req, err, tc.kind)
		}
	}
	if e.events() != before || e.meetingCount() != 0 || len(e.outbox()) != 0 {
		t.Error("refused requests changed something")
	}
}

func TestCancelInterim(t *testing.T) {
	e := newEnv(t).withMail()
	it, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), e.onlineInterim(20, ""), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.m.CancelInterim(e.ctx, e.as("chair-tls@example.org"), it.Meeting.Number, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("another group's chair cancelling: %v", err)
	}
	if err := e.m.CancelInterim(e.ctx, e.as("chair-quic@example.org"), it.Meeting.Number, "the authors are away"); err != nil {
		t.Fatal(err)
	}
	got, _ := e.m.Interim(e.ctx, it.Meeting.Number)
	out := e.outbox()
	if got.Status != meetings.StatusCanceled || len(out) != 2 || joined(out[1].To) != "ietf-announce@example.org,quic@example.org" ||
		!strings.Contains(out[1].Subject, "Cancelled (was 2026-01-30)") || !strings.Contains(string(out[1].Raw), "the authors are away") {
		t.Errorf("after cancelling: %s, mail %v", got.Status, out)
	}
	if err := e.m.CancelInterim(e.ctx, e.as("chair-quic@example.org"), it.Meeting.Number, ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("cancelling twice: %v, want a conflict", err)
	}
	// One never announced is cancelled quietly.
	req := e.onlineInterim(70, "")
	req.Mode, req.City, req.Country = meetings.InPerson, "Paris", "FR"
	it2, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), req, "")
	if err != nil {
		t.Fatal(err)
	}
	n := len(e.outbox())
	if err := e.m.CancelInterim(e.ctx, e.as("chair-quic@example.org"), it2.Meeting.Number, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.m.Interim(e.ctx, it2.Meeting.Number); got.Status != "canceledpa" || len(e.outbox()) != n {
		t.Errorf("cancelling before announcement: %s, %d new mails", got.Status, len(e.outbox())-n)
	}
}

func TestDeclineInterim(t *testing.T) {
	e := newEnv(t).withMail()
	req := e.onlineInterim(70, "")
	req.Mode, req.City, req.Country = meetings.Hybrid, "Paris", "FR"
	it, err := e.m.RequestInterim(e.ctx, e.as("chair-quic@example.org"), req, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.m.DeclineInterim(e.ctx, e.as("ad-wit@example.org"), it.Meeting.Number, "meet online instead"); err != nil {
		t.Fatal(err)
	}
	out := e.outbox()
	if got, _ := e.m.Interim(e.ctx, it.Meeting.Number); got.Status != "disappr" || joined(out[len(out)-1].To) != "chair-quic@example.org" {
		t.Errorf("declined: %s, last mail %v", got.Status, out[len(out)-1])
	}
	waiting, err := e.m.Interims(e.ctx, meetings.InterimFilter{Status: []string{meetings.StatusApprWait}})
	if err != nil || len(waiting) != 0 {
		t.Errorf("waiting after decline: %v, %v", waiting, err)
	}
}

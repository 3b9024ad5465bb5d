package meetings_test

import (
	"strings"
	"testing"
	"time"

	"hum/internal/fail"
	"hum/internal/meetings"
)

// TestR23MinutesReminder: a week after a session with no minutes, its
// chairs are reminded by mail, once, whichever process runs the job; a
// session with minutes, or long past, is left alone.
func TestR23MinutesReminder(t *testing.T) {
	e := newMaterialsEnv(newEnv(t))
	// tls met on 2026-03-15 01:30-03:30 UTC.
	e.now = time.Date(2026, 3, 22, 3, 0, 0, 0, time.UTC) // not yet a week
	if n, err := e.m.RemindMinutes(e.ctx); err != nil || n != 0 {
		t.Fatalf("six days after: %d reminders, %v", n, err)
	}
	missing, _ := e.m.MissingMinutes(e.ctx, "tls")
	if len(missing) != 1 || missing[0].Meeting != "125" || missing[0].Overdue || missing[0].Due.Format(time.DateOnly) != "2026-04-09" {
		t.Errorf("missing minutes = %+v, want IETF 125, due by the R29 cut-off", missing)
	}
	if m, _ := e.m.MissingMinutes(e.ctx, "quic"); len(m) != 0 {
		t.Errorf("quic's unplaced session: missing minutes %+v", m)
	}
	e.now = time.Date(2026, 3, 22, 4, 0, 0, 0, time.UTC)
	n, err := e.m.RemindMinutes(e.ctx)
	if err != nil || n != 1 {
		t.Fatalf("a week after: %d reminders, %v; want 1", n, err)
	}
	ms := e.mails()
	if len(ms) != 1 || ms[0].To[0] != "chair-tls@example.org" || !strings.Contains(ms[0].Subject, "Minutes of tls at IETF 125 are missing") ||
		!strings.Contains(string(ms[0].Raw), "R23") || !strings.Contains(string(ms[0].Raw), "http://hum.test/meeting/125/session/tls/") {
		t.Errorf("reminder = %+v\n%s", ms, ms[0].Raw)
	}
	// Again, and from another process's service: nothing more.
	other := &meetings.Service{DB: e.db, Groups: e.body.Groups, Mail: e.m.Mail, BaseURL: e.m.BaseURL, Domain: e.m.Domain}
	for _, s := range []*meetings.Service{e.m, other} {
		if n, err := s.RemindMinutes(e.ctx); err != nil || n != 0 {
			t.Errorf("a second run: %d reminders, %v", n, err)
		}
	}
	if len(e.mails()) != 1 {
		t.Errorf("%d mails, want the one reminder", len(e.mails()))
	}
	if evs, _ := e.groupEvents("tls"); evs[0] != "minutes_reminder" {
		t.Errorf("tls's history = %v, want the reminder", evs)
	}
	// Minutes arrive: nothing is missing.
	if _, err := e.m.Upload(e.ctx, e.as("chair-tls@example.org"), "125", "tls", meetings.Upload{Kind: "minutes", Filename: "m.md", Content: []byte("# Minutes")}, ""); err != nil {
		t.Fatal(err)
	}
	if m, _ := e.m.MissingMinutes(e.ctx, "tls"); len(m) != 0 {
		t.Errorf("after the upload: missing %+v", m)
	}
	// A session over a month past is not reminded (an imported meeting
	// must not mail its chairs years later).
	e2 := newMaterialsEnv(newEnv(t))
	e2.now = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	if n, _ := e2.m.RemindMinutes(e2.ctx); n != 0 {
		t.Errorf("six weeks after: %d reminders, want 0", n)
	}
	if m, _ := e2.m.MissingMinutes(e2.ctx, "tls"); len(m) != 1 || !m[0].Overdue {
		t.Errorf("six weeks after: %+v, want overdue", m)
	}
}

// TestR28InterimMinutesDue: an interim's minutes are due ten days after
// it, and overdue then.
func TestR28InterimMinutesDue(t *testing.T) {
	e := newMaterialsEnv(newEnv(t))
	quic, _ := e.body.Groups.Get(e.ctx, "quic")
	id, err := e.m.InsertInterim(e.ctx, "interim-2026-quic-01", quic.ID, "Europe/Paris", "2026-02-02")
	if err != nil {
		t.Fatal(err)
	}
	sec := e.as("sec@example.org")
	if _, err := e.m.AddRoom(e.ctx, sec, "interim-2026-quic-01", meetings.NewRoom{Name: "Online"}, ""); err != nil {
		t.Fatal(err)
	}
	ts, err := e.m.AddTimeslot(e.ctx, sec, "interim-2026-quic-01", meetings.NewTimeslot{Room: "Online", Type: "regular",
		Start: time.Date(2026, 2, 2, 15, 0, 0, 0, time.UTC), Duration: time.Hour}, "")
	if err != nil {
		t.Fatal(err)
	}
	sid, _ := e.m.InsertSession(e.ctx, meetings.Session{MeetingID: id, GroupID: quic.ID, Status: meetings.StatusWaiting})
	if err := e.m.Assign(e.ctx, sec, "interim-2026-quic-01", sid, ts.ID, ""); err != nil {
		t.Fatal(err)
	}
	e.now = time.Date(2026, 2, 12, 15, 0, 0, 0, time.UTC)
	m, _ := e.m.MissingMinutes(e.ctx, "quic")
	if len(m) != 1 || m[0].Due.UTC().Format(time.RFC3339) != "2026-02-12T16:00:00Z" || m[0].Overdue {
		t.Errorf("ten days after: %+v, want due 2026-02-12 16:00 UTC, not overdue (R28)", m)
	}
	e.now = e.now.Add(2 * time.Hour)
	if m, _ := e.m.MissingMinutes(e.ctx, "quic"); len(m) != 1 || !m[0].Overdue {
		t.Errorf("past ten days: %+v, want overdue (R28)", m)
	}
	gs, err := e.m.GroupSessions(e.ctx, "interim-2026-quic-01", "quic")
	if err != nil || gs.MinutesDue.UTC().Format(time.RFC3339) != "2026-02-12T16:00:00Z" {
		t.Errorf("session page: due %v, %v (R28)", gs.MinutesDue, err)
	}
}

// TestR24SessionReport: the chair's report goes to the area's ADs by
// mail and stays on the session page; others may not, an empty one is
// refused, and refusals change nothing.
func TestR24SessionReport(t *testing.T) {
	e := newMaterialsEnv(newEnv(t))
	e.now = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	before := e.state()
	if err := e.m.SendReport(e.ctx, e.as("chair-tls@example.org"), "125", "tls", "Early."); fail.KindOf(err) != fail.Invalid {
		t.Errorf("a report before the meeting: %v, want invalid", err)
	}
	e.day(1)
	if err := e.m.SendReport(e.ctx, e.as("pat@example.org"), "125", "tls", "Hi"); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a participant's report: %v, want forbidden", err)
	}
	if err := e.m.SendReport(e.ctx, e.as("chair-tls@example.org"), "125", "tls", "  \r\n"); fail.KindOf(err) != fail.Invalid || !strings.Contains(err.Error(), "R24") {
		t.Errorf("an empty report: %v, want invalid naming R24", err)
	}
	if e.state() != before {
		t.Error("a refused report changed something")
	}
	if err := e.m.SendReport(e.ctx, e.as("chair-tls@example.org"), "125", "tls", "We met and agreed to adopt draft-ietf-tls-esni."); err != nil {
		t.Fatal(err)
	}
	ms := e.mails()
	if len(ms) != 1 || ms[0].To[0] != "ad-sec@example.org" || !strings.Contains(string(ms[0].Raw), "agreed to adopt") {
		t.Errorf("report mail = %+v", ms)
	}
	rs, _ := e.m.Reports(e.ctx, e.meeting.ID, e.tls(t))
	if len(rs) != 1 || rs[0].By != "Chris Chair" {
		t.Errorf("reports = %+v", rs)
	}
}

func (e *mEnv) tls(t *testing.T) int64 {
	g, err := e.body.Groups.Get(e.ctx, "tls")
	if err != nil {
		t.Fatal(err)
	}
	return g.ID
}

// TestSlideProposals: a participant proposes, the chairs hear of it, a
// chair approves one (it becomes the group's slides) and declines
// another, and the proposer is told each time.
func TestSlideProposals(t *testing.T) {
	e := newMaterialsEnv(newEnv(t))
	pat, chair := e.as("pat@example.org"), e.as("chair-tls@example.org")
	before := e.state()
	if _, err := e.m.ProposeSlides(e.ctx, pat, "125", "tls", "ECH status", "ech.pdf", []byte("PK\x03\x04")); fail.KindOf(err) != fail.Invalid {
		t.Errorf("a mislabelled proposal: %v, want invalid", err)
	}
	if _, err := e.m.ProposeSlides(e.ctx, e.as("pat@example.org"), "125", "tls", "", "ech.pdf", []byte("%PDF-1")); fail.KindOf(err) != fail.Invalid {
		t.Errorf("an untitled proposal: %v, want invalid", err)
	}
	if e.state() != before {
		t.Error("refused proposals changed something")
	}
	a, err := e.m.ProposeSlides(e.ctx, pat, "125", "tls", "ECH status", "ech.pdf", []byte("%PDF-1.7 ech"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.m.ProposeSlides(e.ctx, pat, "125", "tls", "Off topic", "x.md", []byte("# x"))
	if err != nil {
		t.Fatal(err)
	}
	if ms := e.mails(); len(ms) != 2 || ms[0].To[0] != "chair-tls@example.org" || !strings.Contains(string(ms[0].Raw), "/meeting/125/slidesubmission/") {
		t.Errorf("chairs' notices = %+v", ms)
	}
	before = e.state()
	if err := e.m.DecideSlides(e.ctx, pat, "125", a, true, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("the proposer approving: %v, want forbidden", err)
	}
	if e.state() != before {
		t.Error("a refused decision changed something")
	}
	if err := e.m.DecideSlides(e.ctx, chair, "125", a, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.m.DecideSlides(e.ctx, chair, "125", b, false, "not for this session"); err != nil {
		t.Fatal(err)
	}
	if err := e.m.DecideSlides(e.ctx, chair, "125", b, true, ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("deciding twice: %v, want conflict", err)
	}
	x, body, err := e.m.Content(e.ctx, "slides-125-tls-ech-status", "")
	if err != nil || string(body) != "%PDF-1.7 ech" || x.Format != "pdf" {
		t.Errorf("approved slides: %+v %q %v", x, body, err)
	}
	ms := e.mails()
	if len(ms) != 4 || ms[2].To[0] != "pat@example.org" || !strings.Contains(ms[2].Subject, "approved") ||
		!strings.Contains(ms[3].Subject, "declined") || !strings.Contains(string(ms[3].Raw), "not for this session") {
		for _, m := range ms {
			t.Logf("%v %s", m.To, m.Subject)
		}
		t.Error("the proposer was not told of both decisions")
	}
	ps, _ := e.m.Proposals(e.ctx, e.meeting.ID, e.tls(t))
	if len(ps) != 2 || ps[0].Status == "pending" || ps[1].Material != "slides-125-tls-ech-status" {
		t.Errorf("proposals = %+v", ps)
	}
}

// TestAgendaLinksDrafts: drafts an agenda names, and that hum holds, are
// linked from the session.
func TestAgendaLinksDrafts(t *testing.T) {
	e := newMaterialsEnv(newEnv(t))
	if _, err := e.db.ExecContext(e.ctx, `INSERT INTO doc (name, type, rev, title, state, created, updated) VALUES ('draft-ietf-tls-esni', 'draft', '22', 'TLS Encrypted Client Hello', 'active', $1, $1)`, e.now); err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.Upload(e.ctx, e.as("chair-tls@example.org"), "125", "tls", meetings.Upload{Kind: "agenda", Filename: "agenda.md",
		Content: []byte("1. draft-ietf-tls-esni-22\n2. draft-unknown-thing\n")}, ""); err != nil {
		t.Fatal(err)
	}
	gs, err := e.m.GroupSessions(e.ctx, "125", "tls")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs.Drafts) != 1 || gs.Drafts[0].Name != "draft-ietf-tls-esni" || gs.Agenda == nil || !strings.Contains(string(gs.AgendaHTML), "<ol>") || len(gs.Placed) != 1 {
		t.Errorf("session page = drafts %+v, agenda %s, placed %d", gs.Drafts, gs.AgendaHTML, len(gs.Placed))
	}
}

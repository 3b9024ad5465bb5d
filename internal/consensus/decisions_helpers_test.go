package consensus_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"hum/internal/consensus"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/testbody"
)

// denv is a small standards body with the consensus and meetings
// services: the secretariat, an area with its AD, two WGs (quic with a
// chair and a secretary, tls with a chair), a concluded WG, a
// participant, IETF 125 with a session of each WG, and drafts.
type denv struct {
	t       testing.TB
	ctx     context.Context
	db      *db.DB
	now     time.Time
	body    *testbody.Body
	c       *consensus.Service
	m       *meetings.Service
	meeting meetings.Meeting
	quicS   int64 // quic's session at IETF 125
	tlsS    int64
}

func newDEnv(t testing.TB) *denv {
	t.Helper()
	d := dbtest.New(t)
	e := &denv{t: t, ctx: context.Background(), db: d, now: time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)}
	d.Now = func() time.Time { return e.now }
	e.body = testbody.New(t, d)
	e.body.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "wit", Name: "Web and Internet Transport", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "wit", ListEmail: "quic@example.org"},
		groups.NewGroup{Acronym: "tls", Name: "Transport Layer Security", Type: "wg", Parent: "wit", ListEmail: "tls@example.org"},
		groups.NewGroup{Acronym: "oldwg", Name: "Old WG", Type: "wg", Parent: "wit", State: "conclude"},
	)
	e.body.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "wit"},
		testbody.Person{Email: "chair-quic@example.org", Name: "Quinn Chair", Role: "chair", Group: "quic"},
		testbody.Person{Email: "secr-quic@example.org", Name: "Sue Secretary", Role: "secr", Group: "quic"},
		testbody.Person{Email: "chair-tls@example.org", Name: "Chris Chair", Role: "chair", Group: "tls"},
		testbody.Person{Email: "pat@example.org", Name: "Pat Participant"},
	)
	box := &mail.Outbox{Name: "hum"}
	e.m = &meetings.Service{DB: d, Groups: e.body.Groups, Mail: box, BaseURL: "http://hum.test", Domain: "hum.test"}
	e.c = &consensus.Service{DB: d, Groups: e.body.Groups, Mail: box, BaseURL: "http://hum.test", Domain: "hum.test"}
	var err error
	e.meeting, err = e.m.Create(e.ctx, e.as("sec@example.org"), meetings.NewMeeting{Number: "125", City: "Shenzhen", Country: "CN",
		TimeZone: "Asia/Shanghai", Date: "2026-03-14", Days: 7, Rooms: []meetings.NewRoom{{Name: "Room A", Capacity: 300}}}, "")
	e.must(err)
	e.quicS = e.session("quic", 0)
	e.tlsS = e.session("tls", 1)
	e.draft("draft-doe-quic-multipath", "", "")
	e.draft("draft-ietf-quic-qlog", "quic", "wg-doc")
	return e
}

// session requests an hour for a group at IETF 125, as the
// secretariat, and places it in the meeting's slot-th regular slot;
// it returns the session's id.
func (e *denv) session(acronym string, slot int) int64 {
	e.t.Helper()
	op := groups.Operator(record.Actor{Name: "test setup"})
	e.must(e.m.RequestSessions(e.ctx, op, "125", acronym,
		meetings.Request{Sessions: 1, Lengths: []time.Duration{time.Hour}, Attendees: 50, Conflicts: map[string][]string{}}, ""))
	var id, ts int64
	e.must(e.db.QueryRowContext(e.ctx, `SELECT MAX(s.id) FROM session s JOIN grp g ON g.id = s.group_id WHERE g.acronym = $1`, acronym).Scan(&id))
	e.must(e.db.QueryRowContext(e.ctx, `SELECT t.id FROM timeslot t WHERE t.meeting_id = $1 AND t.type = 'regular' AND t.room_id IS NOT NULL
		ORDER BY t.start, t.id LIMIT 1 OFFSET $2`, e.meeting.ID, slot).Scan(&ts))
	e.must(e.m.Assign(e.ctx, op, "125", id, ts, ""))
	return id
}

func (e *denv) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// draft adds an active draft, of group (or individual when ""), in a WG
// state, as docs would hold it after its submission.
func (e *denv) draft(name, group, wgState string) {
	e.t.Helper()
	var gid any
	if group != "" {
		g, err := e.body.Groups.Get(e.ctx, group)
		e.must(err)
		gid = g.ID
	}
	_, err := e.db.ExecContext(e.ctx, `INSERT INTO doc (name, type, rev, title, state, group_id, wg_state, created, updated)
		VALUES ($1, 'draft', '02', $2, 'active', $3, $4, $5, $5)`, name, "Title of "+name, gid, wgState, e.now)
	e.must(err)
}

// as is a person acting, with their roles, as web builds them.
func (e *denv) as(email string) groups.Actor {
	e.t.Helper()
	id, ok := e.body.IDs[email]
	if !ok {
		e.t.Fatalf("no person %s in the test body", email)
	}
	a, err := e.body.Groups.ActorOf(e.ctx, record.Actor{ID: id, Name: email})
	e.must(err)
	return a
}

// state sums up what a refusal must leave as it was: the record, the
// outbox, the decisions and the requests.
func (e *denv) state() string {
	e.t.Helper()
	var ev, out, dec, req int64
	e.must(e.db.QueryRowContext(e.ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM event), (SELECT COUNT(*) FROM outbox),
		(SELECT COUNT(*) FROM decision), (SELECT COUNT(*) FROM call_request)`).Scan(&ev, &out, &dec, &req))
	return fmt.Sprintf("events to %d, %d mails, %d decisions, %d requests", ev, out, dec, req)
}

// mails is the outbox, newest first.
func (e *denv) mails() []mail.Queued {
	e.t.Helper()
	ms, err := mail.List(e.ctx, e.db, "", 100)
	e.must(err)
	return ms
}

// refused checks that err is a fail.Error of kind k whose message says
// each of says, and that nothing changed since before.
func (e *denv) refused(what string, err error, k fail.Kind, before string, says ...string) {
	e.t.Helper()
	if err == nil {
		e.t.Errorf("%s: accepted, want refused (%s)", what, k)
		return
	}
	if fail.KindOf(err) != k {
		e.t.Errorf("%s: %v (%s), want kind %s", what, err, fail.KindOf(err), k)
	}
	for _, s := range says {
		if !strings.Contains(err.Error(), s) {
			e.t.Errorf("%s: %q does not say %q", what, err.Error(), s)
		}
	}
	if after := e.state(); after != before {
		e.t.Errorf("%s: refused, yet it changed: %s -> %s", what, before, after)
	}
}

// text is a queued mail as its reader sees it: the headers unfolded and
// the body decoded, so tests may look for what it says.
func text(t testing.TB, q mail.Queued) string {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(q.Raw))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for k, vs := range m.Header {
		for _, v := range vs {
			dec, err := new(mime.WordDecoder).DecodeHeader(v)
			if err != nil {
				dec = v
			}
			fmt.Fprintf(&b, "%s: %s\n", k, dec)
		}
	}
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b.String() + "\n" + string(body)
}

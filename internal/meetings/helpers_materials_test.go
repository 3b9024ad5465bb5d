package meetings_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/mail"
	"hum/internal/meetings"
)

// materialsEnv is newEnv with mail, IETF 125 (from 2026-03-14 in
// Shanghai), tls's session placed in the first regular slot of Room A
// (Sunday 2026-03-15 09:30 local, 01:30 UTC) and quic's requested but not
// placed.
type mEnv struct {
	*env
	meeting  meetings.Meeting
	tlsSlot  meetings.Timeslot
	tlsID    int64
	quicID   int64
	sessions []int64
}

func newMaterialsEnv(e *env) *mEnv {
	e.t.Helper()
	e.m.Mail, e.m.BaseURL, e.m.Domain = &mail.Outbox{Name: "hum"}, "http://hum.test", "hum.test"
	me := &mEnv{env: e, meeting: e.meeting()}
	tls, _ := e.body.Groups.Get(e.ctx, "tls")
	quic, _ := e.body.Groups.Get(e.ctx, "quic")
	var err error
	if me.tlsID, err = e.m.InsertSession(e.ctx, meetings.Session{MeetingID: me.meeting.ID, GroupID: tls.ID, Status: meetings.StatusWaiting, RequestedDuration: 2 * time.Hour}); err != nil {
		e.t.Fatal(err)
	}
	if me.quicID, err = e.m.InsertSession(e.ctx, meetings.Session{MeetingID: me.meeting.ID, GroupID: quic.ID, Status: meetings.StatusWaiting}); err != nil {
		e.t.Fatal(err)
	}
	slots, _ := e.m.Timeslots(e.ctx, me.meeting.ID)
	for _, s := range slots {
		if s.Type == "regular" && s.Room == "Room A" {
			me.tlsSlot = s
			break
		}
	}
	if err := e.m.Assign(e.ctx, e.as("sec@example.org"), "125", me.tlsID, me.tlsSlot.ID, ""); err != nil {
		e.t.Fatal(err)
	}
	return me
}

// day sets the clock to noon UTC on the meeting's i-th day (0: the first).
func (e *mEnv) day(i int) { e.now = time.Date(2026, 3, 14+i, 12, 0, 0, 0, time.UTC) }

// count counts the rows of a table, to show a refusal changed nothing.
func (e *mEnv) count(table string) int {
	e.t.Helper()
	n, err := db.Scalar[int](e.db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM `+table))
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// state is what refusals must leave as it was.
func (e *mEnv) state() string {
	e.t.Helper()
	var b strings.Builder
	for _, t := range []string{"event", "material", "material_rev", "slide_submission", "outbox", "session_report", "minutes_reminder"} {
		b.WriteString(t + "=")
		b.WriteString(strings.Repeat("|", e.count(t)))
		b.WriteString(" ")
	}
	return b.String()
}

// mails are the queued messages, oldest first.
func (e *mEnv) mails() []mail.Queued {
	e.t.Helper()
	ms, err := mail.List(e.ctx, e.db, "", 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}

// zipOf builds a ZIP archive of the named (empty) entries.
func zipOf(names ...string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, n := range names {
		w, _ := z.Create(n)
		w.Write([]byte("<x/>"))
	}
	z.Close()
	return b.Bytes()
}

// pptx is a minimal PowerPoint file as far as Sniff looks.
func pptx() []byte { return zipOf("[Content_Types].xml", "ppt/presentation.xml") }

package meetings_test

import (
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/meetings"
)

// withMail gives the env's service an outbox, addresses and hum's lists
// of the WGs (quic@example.org, ...), as app.New does, for the parts that
// announce.
func (e *env) withMail() *env {
	e.m.Mail = &mail.Outbox{Name: "hum"}
	e.m.BaseURL = "http://hum.test"
	e.m.Domain = "example.org"
	ls := &lists.Service{DB: e.db, Mail: e.m.Mail, BaseURL: e.m.BaseURL, Domain: e.m.Domain}
	if err := ls.Ensure(e.ctx); err != nil {
		e.t.Fatal(err)
	}
	e.m.Lists = ls
	return e
}

// outbox lists the queued mail, oldest first.
func (e *env) outbox() []mail.Queued {
	e.t.Helper()
	ms, err := mail.List(e.ctx, e.db, "", 100)
	if err != nil {
		e.t.Fatal(err)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}

// meetingCount counts meetings, to show a refused request made none.
func (e *env) meetingCount() int {
	e.t.Helper()
	n, err := db.Scalar[int](e.db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM meeting`))
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// onlineInterim is a request for an online interim of quic that starts
// days ahead of the env's clock at 14:00 Paris time, an hour long.
func (e *env) onlineInterim(days int, agenda string) meetings.InterimRequest {
	day := e.now.AddDate(0, 0, days).Format(time.DateOnly)
	return meetings.InterimRequest{Group: "quic", Mode: meetings.Online, TimeZone: "Europe/Paris",
		Sessions: []meetings.InterimSessionRequest{{Date: day, Time: "14:00", Minutes: 60, Agenda: agenda, Remote: "https://meet.example.org/quic"}}}
}

// ruleOf returns the rule a failure cites, searching its problems too.
func ruleOf(err error) string {
	f, ok := fail.As(err)
	if !ok {
		return ""
	}
	if f.Rule != "" {
		return f.Rule
	}
	for _, p := range f.Problems {
		if p.Rule != "" {
			return p.Rule
		}
	}
	return ""
}

func joined(ss []string) string { return strings.Join(ss, ",") }

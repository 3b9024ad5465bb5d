package web

import (
	"context"
	"html"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"hum/internal/db"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/scheduler"
)

// schedSite serves the small standards body with IETF 83 imported from
// the corpus, its official schedule "mtg:83" as the Datatracker holds
// it; the scheduler's runs from the pages have a budget in moves and
// two workers, so they are quick and end the same way on any machine.
type schedSite struct {
	*site
	ctx context.Context
	ms  *meetings.Service
	sch *scheduler.Service
	sec *client // the secretariat, logged in
}

func newSchedSite(t *testing.T) *schedSite {
	t.Helper()
	b := newBody(t)
	ms := &meetings.Service{DB: b.DB, Groups: b.Groups}
	import83(t, ms)
	s := &schedSite{site: serve(t, b, Config{Meetings: ms, RunMoves: 20_000, RunWorkers: 2}), ctx: context.Background(), ms: ms,
		sch: &scheduler.Service{Meetings: ms}}
	s.sec = s.client()
	s.sec.login("sec@example.org")
	return s
}

// scored is what the scheduler says a schedule costs, read directly.
func (s *schedSite) scored(name string) scheduler.Scored {
	s.t.Helper()
	sc, err := s.sch.Score(s.ctx, "83", name)
	if err != nil {
		s.t.Fatal(err)
	}
	return sc
}

// chargedFor is the session a charge with this text is charged to.
func chargedFor(t *testing.T, r scheduler.Report, text string) int64 {
	t.Helper()
	for _, c := range r.Charges {
		if c.Text == text {
			return c.Session
		}
	}
	t.Fatalf("no charge %q", text)
	return 0
}

// sessionOf is the id of a group's session (0-based index) at IETF 83.
func sessionOf(t *testing.T, sc scheduler.Scored, group string, index int) int64 {
	t.Helper()
	for _, ss := range sc.Problem.Sessions {
		if ss.Group == group && ss.Index == index {
			return ss.ID
		}
	}
	t.Fatalf("IETF 83 has no session %d of %s", index, group)
	return 0
}

// state is what a refused change must leave as it was: the record and
// the schedules' tables.
func (s *schedSite) state() string {
	s.t.Helper()
	var parts []string
	for _, q := range []string{
		`SELECT COALESCE(MAX(id), 0) FROM event`,
		`SELECT COUNT(*) FROM schedule`,
		`SELECT COUNT(*) FROM assignment`,
		`SELECT COUNT(*) FROM assignment WHERE pinned`,
		`SELECT COALESCE(SUM(timeslot_id * session_id), 0) FROM assignment`,
		`SELECT COALESCE(SUM(badness), 0) FROM schedule`,
		`SELECT schedule_id FROM meeting WHERE number = '83'`,
	} {
		n, err := db.Scalar[int64](s.db.QueryRowContext(s.ctx, q))
		if err != nil {
			s.t.Fatalf("%s: %v", q, err)
		}
		parts = append(parts, strconv.FormatInt(n, 10))
	}
	return strings.Join(parts, "/")
}

// idOf is the number a query selects.
func (s *schedSite) idOf(q string) int64 {
	s.t.Helper()
	n, err := db.Scalar[int64](s.db.QueryRowContext(s.ctx, q))
	if err != nil {
		s.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// lastEvents are the kinds of IETF 83's newest events, newest first.
func (s *schedSite) lastEvents(n int) []string {
	s.t.Helper()
	evs, err := record.List(s.ctx, s.db, "meeting", "83", n)
	if err != nil {
		s.t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

// send posts a form and follows the redirect, returning the status, the
// path it ended on and the page, unescaped.
func (c *client) send(path string, form url.Values) (int, string, string) {
	c.t.Helper()
	res, err := c.c.PostForm(c.srv.URL+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Request.URL.Path, html.UnescapeString(string(b))
}

// cellOf is the grid cell (the <td>) holding a session, "" if none.
func cellOf(body string, session int64) string {
	return cellAt(body, `data-session="`+strconv.FormatInt(session, 10)+`"`)
}

// cellAt is the grid cell (the <td>) holding the first match of marker.
func cellAt(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], "<td")
	end := strings.Index(body[i:], "</td>")
	if start < 0 || end < 0 {
		return ""
	}
	return body[start : i+end]
}

var flashRE = regexp.MustCompile(`(?s)<p class="flash" role="status">(.*?)</p>`)

// flashOf is the page's flash message.
func flashOf(body string) string {
	if m := flashRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

var targetRE = regexp.MustCompile(`class="free target" id="slot-(\d+)"`)

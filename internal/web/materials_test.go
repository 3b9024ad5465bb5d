package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/record"
)

// materialsSite serves newBody with IETF 125 (from 2026-03-14, Paris)
// and httpbis's session placed in its first slot (Sunday 09:30 local),
// with the clock at noon on the Monday after it.
func materialsSite(t *testing.T) (*site, *time.Time) {
	t.Helper()
	b := newBody(t)
	now := time.Date(2026, 3, 16, 12, 0, 0, 0, time.UTC)
	b.DB.Now = func() time.Time { return now }
	ms := &meetings.Service{DB: b.DB, Groups: b.Groups}
	ctx, op := context.Background(), groups.Operator(record.System)
	m, err := ms.Create(ctx, op, meetings.NewMeeting{Number: "125", City: "Paris", Country: "FR", TimeZone: "Europe/Paris", Date: "2026-03-14",
		Rooms: []meetings.NewRoom{{Name: "Room A", Capacity: 100}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := b.Groups.Get(ctx, "httpbis")
	var sid int64
	if err := b.DB.QueryRowContext(ctx, `INSERT INTO session (meeting_id, group_id, status, requested_duration, modified) VALUES ($1, $2, 'schedw', 3600, $3) RETURNING id`,
		m.ID, g.ID, now).Scan(&sid); err != nil {
		t.Fatal(err)
	}
	slots, _ := ms.Timeslots(ctx, m.ID)
	for _, s := range slots {
		if s.Type == "regular" {
			if err := ms.Assign(ctx, op, "125", sid, s.ID, ""); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	return serve(t, b, Config{}), &now
}

// zipFile is a ZIP archive of the named entries.
func zipFile(names ...string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, n := range names {
		w, _ := z.Create(n)
		w.Write([]byte("<x/>"))
	}
	z.Close()
	return b.Bytes()
}

// sendFile posts a multipart form with a file.
func (c *client) sendFile(path string, fields map[string]string, filename string, content []byte) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write(content)
	}
	mw.Close()
	res, err := c.c.Post(c.srv.URL+path, mw.FormDataContentType(), &body)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (s *site) count(table string) int {
	s.t.Helper()
	n, err := db.Scalar[int](s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table))
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

// TestSessionMaterials walks a session's materials through the web: a
// chair uploads minutes and slides and edits the agenda, a refused
// upload says why and changes nothing, a participant proposes slides
// and the chair approves them, the report goes to the AD (R24), and the
// proceedings show it all until the secretariat finalizes them.
func TestSessionMaterials(t *testing.T) {
	st, _ := materialsSite(t)
	anon := st.client()
	code, body := anon.get("/meeting/125/session/httpbis/")
	want(t, "session page", code, body, 200, "HTTP (httpbis) at IETF 125", "Sun 2026-03-15 09:30", "No materials yet", "/meeting/125/session/httpbis/attendance/")
	code, body = anon.get("/group/httpbis/about/")
	want(t, "about page", code, body, 200, "Minutes missing (R23)", "IETF 125")
	code, body = anon.get("/meeting/125/session/quic/")
	want(t, "a group without a session", code, body, 404)

	chair := st.client()
	chair.login("chair@example.org")
	minutes := "# Minutes\n\n<script>alert(1)</script>\n\n<img src=https://evil.example/p.png onerror=x()>\n\nWe adopted [the draft](https://example.org/d).\n"
	code, body = chair.sendFile("/meeting/125/session/httpbis/materials/", map[string]string{"kind": "minutes"}, "minutes.md", []byte(minutes))
	want(t, "minutes upload", code, body, 200, "Uploaded minutes-125-httpbis-00")
	if strings.Contains(body, "alert(1)") || strings.Contains(body, "evil.example") || !strings.Contains(body, `href="https://example.org/d"`) {
		t.Errorf("minutes not rendered safely:\n%s", body)
	}

	before, events := st.count("material_rev"), st.events("httpbis")
	code, body = chair.sendFile("/meeting/125/session/httpbis/materials/", map[string]string{"kind": "slides", "title": "Intro"}, "slides.pdf",
		zipFile("word/document.xml"))
	want(t, "slides.pdf that is a ZIP", code, body, 400, "named as PDF", "ZIP")
	code, body = chair.sendFile("/meeting/125/session/httpbis/materials/", map[string]string{"kind": "minutes"}, "", nil)
	want(t, "no file", code, body, 400, "Choose a file")
	if st.count("material_rev") != before || st.events("httpbis") != events {
		t.Error("a refused upload changed something")
	}

	code, body = chair.sendFile("/meeting/125/session/httpbis/materials/", map[string]string{"kind": "slides", "title": "Chairs' slides"}, "chairs.pdf", []byte("%PDF-1.7 chairs"))
	want(t, "slides upload", code, body, 200, "slides-125-httpbis-chairs-slides")
	res, err := anon.c.Get(st.srv.URL + "/meeting/125/materials/slides-125-httpbis-chairs-slides-00.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || string(pdf) != "%PDF-1.7 chairs" || res.Header.Get("Content-Security-Policy") != "sandbox" {
		t.Errorf("slides file: %d %v %q", res.StatusCode, res.Header, pdf)
	}

	if _, err := st.db.ExecContext(context.Background(), `INSERT INTO doc (name, type, rev, title, state, created, updated) VALUES ('draft-ietf-httpbis-cache', 'draft', '03', 'HTTP Caching', 'active', $1, $1)`, time.Now()); err != nil {
		t.Fatal(err)
	}
	code, body = chair.post("/meeting/125/session/httpbis/agenda/", url.Values{"agenda": {"1. Chairs\r\n2. draft-ietf-httpbis-cache-03\r\n"}})
	want(t, "agenda edit", code, body, 200, "The agenda is saved", `<a href="/doc/draft-ietf-httpbis-cache/">`, "HTTP Caching", "2. Chairs"[3:])

	code, body = anon.get("/doc/minutes-125-httpbis/")
	want(t, "material as a document", code, body, 200, "minutes-125-httpbis-00", "Chris Chair", "Uploaded minutes-125-httpbis-00")
	code, body = anon.get("/meeting/125/materials/minutes-125-httpbis")
	want(t, "minutes file", code, body, 200, "We adopted")
	code, body = anon.get("/meeting/125/materials/minutes-125-httpbis-07")
	want(t, "a revision that does not exist", code, body, 404)

	// A participant proposes slides; the chair approves them.
	pat := st.client()
	pat.login("pat@example.org")
	code, body = pat.sendFile("/meeting/125/session/httpbis/materials/", map[string]string{"kind": "minutes"}, "m.md", []byte("mine"))
	want(t, "a participant uploading", code, body, 403)
	code, body = pat.sendFile("/meeting/125/session/httpbis/propose_slides/", map[string]string{"title": "Cache keys"}, "keys.md", []byte("# Cache keys\n"))
	want(t, "proposal", code, body, 200, "Your slides are proposed")
	var pid string
	st.db.QueryRowContext(context.Background(), `SELECT CAST(MAX(id) AS TEXT) FROM slide_submission`).Scan(&pid)
	code, body = pat.post("/meeting/125/slidesubmission/"+pid+"/", url.Values{"decision": {"approve"}})
	want(t, "the proposer approving", code, body, 403)
	code, body = chair.get("/meeting/125/slidesubmission/" + pid + "/")
	want(t, "proposal page", code, body, 200, "Cache keys", "Approve")
	code, body = chair.post("/meeting/125/slidesubmission/"+pid+"/", url.Values{"decision": {"approve"}})
	want(t, "approval", code, body, 200, "The slides are approved", "slides-125-httpbis-cache-keys")

	// R24: the report goes to the AD.
	code, body = chair.post("/meeting/125/session/httpbis/report/", url.Values{"report": {""}})
	want(t, "an empty report", code, body, 400, "R24")
	code, body = chair.post("/meeting/125/session/httpbis/report/", url.Values{"report": {"We met; the cache draft goes to WGLC."}})
	want(t, "report", code, body, 200, "sent to the responsible AD", "goes to WGLC")
	ms, _ := mail.List(context.Background(), st.db, "", 100)
	var toAD bool
	for _, m := range ms {
		toAD = toAD || m.To[0] == "ad@example.org" && strings.Contains(m.Subject, "Session report: httpbis at IETF 125")
	}
	if !toAD {
		t.Error("the session report was not mailed to the AD")
	}

	// The proceedings, then finalizing them.
	code, body = anon.get("/meeting/125/proceedings/")
	want(t, "proceedings", code, body, 200, "Proceedings of IETF 125", "ART", "/meeting/125/materials/minutes-125-httpbis", "Chairs&#39; slides", "Blue sheets")
	code, body = chair.post("/meeting/125/proceedings/finalize/", nil)
	want(t, "a chair finalizing", code, body, 403)
	sec := st.client()
	sec.login("sec@example.org")
	code, body = sec.post("/meeting/125/proceedings/finalize/", url.Values{"why": {"done"}})
	want(t, "finalizing", code, body, 200, "are final")
	code, body = chair.sendFile("/meeting/125/session/httpbis/materials/", map[string]string{"kind": "minutes"}, "m.txt", []byte("late"))
	want(t, "an upload after finalizing", code, body, 403, "final")
}

// TestR29WindowThroughTheWeb: a chair's new slides a month after the
// meeting are refused naming R29 and the dates.
func TestR29WindowThroughTheWeb(t *testing.T) {
	st, now := materialsSite(t)
	*now = time.Date(2026, 4, 20, 12, 0, 0, 0, time.UTC)
	chair := st.client()
	chair.login("chair@example.org")
	code, body := chair.sendFile("/meeting/125/session/httpbis/materials/", map[string]string{"kind": "slides", "title": "Late"}, "late.pdf", []byte("%PDF-1"))
	want(t, "late slides", code, body, 403, "R29", "2026-04-09", "2026-05-03")
	if n := st.count("material"); n != 0 {
		t.Errorf("%d materials after a refusal", n)
	}
	if !regexp.MustCompile(`rule R29`).MatchString(body) {
		t.Error("the refusal does not name R29")
	}
}

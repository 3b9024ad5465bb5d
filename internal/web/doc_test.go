package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"hum/internal/corpustest"
	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/docs/rfcindex"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/testbody"
)

// newDocSite serves a body like newBody's, but with a routing area and
// its idr WG, and a submitter instead of a participant, with the
// documents service and a clock the test sets.
func newDocSite(t *testing.T, now *time.Time) (*site, *docs.Service) {
	t.Helper()
	d := dbtest.New(t)
	d.Now = func() time.Time { return *now }
	b := testbody.New(t, d)
	b.Password = testPassword
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "rtg", Name: "Routing Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "idr", Name: "Inter-Domain Routing", Type: "wg", Parent: "rtg", ListEmail: "idr@ietf.org"},
	)
	b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "rtg"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "idr"},
		testbody.Person{Email: "kesara@fq.nz", Name: "Kesara Nanayakkara Rathnayake"},
	)
	ds := &docs.Service{DB: d, Groups: b.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	return serve(t, b, Config{Docs: ds}), ds
}

// upload posts files as curl -F does: fields, then name=@file.
func (c *client) upload(path string, fields map[string]string, files map[string]string) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for field, file := range files {
		b := corpustest.ReadFile(c.t, "drafts/"+file)
		fw, _ := mw.CreateFormFile(field, file[strings.LastIndexByte(file, '/')+1:])
		fw.Write(b)
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

var confirmRe = regexp.MustCompile(`/submit/status/\d+/confirm/[A-Za-z0-9_-]+/`)

func TestSubmissionAPI(t *testing.T) {
	now := time.Date(2021, 6, 19, 10, 0, 0, 0, time.UTC)
	s, _ := newDocSite(t, &now)
	c := s.client()

	// i-d-template: curl -F user=... -F xml=@draft.xml .../api/submission
	code, body := c.upload("/api/submission", map[string]string{"user": "kesara@fq.nz"}, map[string]string{"xml": "xml/draft-smoke-signals-00.xml"})
	want(t, "api submission", code, body, 200, `"name": "draft-smoke-signals"`, `"rev": "00"`, `"status_url": "http://hum.test/api/submission/1/status"`)
	code, body = c.get("/api/submission/1/status")
	want(t, "status", code, body, 200, `"state": "auth"`, `"state_desc": "Awaiting submitter authentication"`)

	// Errors: 400 with {error, messages}, rules named.
	code, body = c.upload("/api/submission", map[string]string{"user": "kesara@fq.nz"}, map[string]string{"xml": "xml/draft-smoke-signals-00.invalid.xml"})
	want(t, "invalid", code, body, 400, `"error"`, `"messages"`, "Name rule")
	var e struct {
		Error    string   `json:"error"`
		Messages []string `json:"messages"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || len(e.Messages) == 0 {
		t.Errorf("error reply %q: %v", body, err)
	}
	code, body = c.upload("/api/submission", nil, map[string]string{"xml": "xml/draft-smoke-signals-00.xml"})
	want(t, "no user", code, body, 400, "Submitter")

	// The author confirms by the mailed link; the draft is posted.
	link := confirmRe.FindString(lastMail(t, s, "Confirm submission"))
	code, body = c.get(link)
	want(t, "confirm page", code, body, 200, "Confirm and post", "Standard for Data Transmission via Smoke Signals")
	code, body = c.post(link, url.Values{"action": {"confirm"}})
	want(t, "confirmed", code, body, 200, "Posted")
	code, body = c.get("/api/submission/1/status")
	want(t, "status posted", code, body, 200, `"state": "posted"`)

	code, body = c.get("/doc/draft-smoke-signals/")
	want(t, "doc page", code, body, 200, "Standard for Data Transmission via Smoke Signals", "1.  Introduction", "Status of This Memo", "Active", "/id/draft-smoke-signals-00.xml", "/id/draft-smoke-signals-00.txt")
	code, body = c.get("/doc/draft-smoke-signals/?view=html")
	want(t, "doc page as html", code, body, 200, "Introduction", `href="#introduction"`)
	code, body = c.get("/doc/draft-smoke-signals-00/")
	want(t, "doc with revision", code, body, 200, "draft-smoke-signals-00")
	code, body = c.get("/id/draft-smoke-signals-00.xml")
	want(t, "raw xml", code, body, 200, `docName="draft-smoke-signals-00"`)
	code, body = c.get("/doc/draft-smoke-signals/doc.json")
	want(t, "doc.json", code, body, 200, `"name": "draft-smoke-signals"`, `"rev": "00"`, `"state": "Active"`, `"intended_std_level": "Experimental"`, `"rev_history"`, `"expires": "2021-12-21`)
	code, body = c.get("/doc/draft-smoke-signals/bibtex/")
	want(t, "bibtex", code, body, 200, "@techreport{draft-smoke-signals-00,")
	code, body = c.get("/feed/document-changes/draft-smoke-signals/")
	want(t, "feed", code, body, 200, "<feed", "New revision 00 posted")
	code, body = c.get("/doc/draft-smoke-signals/history/")
	want(t, "history", code, body, 200, "New revision 00 posted", "Submission 1 of draft-smoke-signals-00 uploaded")

	// 01, as plain text, by the logged-in author: posted at once; diff.
	now = time.Date(2021, 11, 1, 10, 0, 0, 0, time.UTC)
	author := s.client()
	author.login("kesara@fq.nz")
	code, body = author.upload("/submit/", nil, map[string]string{"txt": "txt/draft-smoke-signals-01.txt"})
	want(t, "web submission", code, body, 200, "Posted")
	code, body = c.get("/doc/draft-smoke-signals/diff/?view=side")
	want(t, "diff side", code, body, 200, "<del>", "<ins>")
	code, body = c.get("/doc/draft-smoke-signals/diff/")
	want(t, "diff unified", code, body, 200, `class="add"`)
	code, body = c.get("/doc/draft-smoke-signals/00/")
	want(t, "old revision", code, body, 200, "an old revision")
	code, body = author.upload("/submit/", nil, map[string]string{"txt": "txt/draft-smoke-signals-01.txt"})
	want(t, "web reuse", code, body, 400, "Revision rule", "Nothing was stored")

	// Search: draft-foo-03 finds draft-foo.
	code, body = c.get("/doc/search/?name=draft-smoke-signals-07")
	want(t, "search by name with revision", code, body, 200, "1 document", "draft-smoke-signals-01")
	code, body = c.get("/doc/search/?name=smoke&rfcs=on")
	want(t, "search rfcs only", code, body, 200, "0 documents")
	code, body = c.get("/doc/search/?author=kesara&activedrafts=on&state=active&state=expired")
	want(t, "search author and states", code, body, 200, "1 document")

	// The author's page lists the draft.
	code, body = c.get("/person/kesara@fq.nz/")
	want(t, "author's page", code, body, 200, "<h2>Documents</h2>", "draft-smoke-signals-01", "Standard for Data Transmission via Smoke Signals")
}

func lastMail(t *testing.T, s *site, subj string) string {
	ms, _ := mail.List(context.Background(), s.db, "", 100)
	for _, m := range ms {
		if strings.Contains(m.Subject, subj) {
			return string(m.Raw)
		}
	}
	t.Fatalf("no mail %q", subj)
	return ""
}

func TestWGDraftApprovalAndGroupDocuments(t *testing.T) {
	now := time.Date(2023, 3, 7, 10, 0, 0, 0, time.UTC)
	s, _ := newDocSite(t, &now)
	c := s.client()
	code, body := c.upload("/api/submission", map[string]string{"user": "zzhang@juniper.net"}, map[string]string{"xml": "xml/draft-ietf-idr-rt-derived-community-00.xml"})
	want(t, "wg -00", code, body, 200, `"id": 1`)
	code, body = c.get("/api/submission/1/status")
	want(t, "waits for chair", code, body, 200, `"state": "grp-appr"`)
	chair := s.client()
	chair.login("chair@example.org")
	code, body = chair.get("/submit/status/1/")
	want(t, "chair sees approve", code, body, 200, "Approve and post")
	code, body = chair.post("/submit/status/1/", url.Values{"action": {"approve"}})
	want(t, "approved", code, body, 200, "Posted")
	code, body = c.get("/group/idr/documents/")
	want(t, "group documents", code, body, 200, "draft-ietf-idr-rt-derived-community-00", "WG Document")
	code, body = c.get("/doc/search/?group=idr&activedrafts=on")
	want(t, "search group", code, body, 200, "1 document")
	code, body = c.get("/doc/search/?area=rtg&activedrafts=on")
	want(t, "search area", code, body, 200, "1 document")
}

func TestRFCPages(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	s, ds := newDocSite(t, &now)
	f, err := os.Open(corpustest.Path(t, "rfc/rfc-index.txt"))
	if err != nil {
		t.Fatal(err)
	}
	es, err := rfcindex.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var some []rfcindex.Entry
	for _, e := range es {
		switch e.Number {
		case 2119, 8174, 7230, 7231, 9110, 9112:
			some = append(some, e)
		}
	}
	if _, err := ds.ImportIndex(context.Background(), some); err != nil {
		t.Fatal(err)
	}
	c := s.client()
	code, body := c.get("/doc/rfc9110/")
	want(t, "rfc9110", code, body, 200, "HTTP Semantics", "Obsoletes", "RFC7231", "Internet Standard", "STD97")
	code, body = c.get("/doc/rfc7231/")
	want(t, "rfc7231", code, body, 200, "Obsoleted by", "RFC9110")
	code, body = c.get("/doc/rfc2119/")
	want(t, "rfc2119", code, body, 200, "Updated by", "RFC8174", "BCP14")
	code, body = c.get("/doc/bcp14/")
	want(t, "bcp14", code, body, 200, "rfc2119", "rfc8174")
	code, body = c.get("/doc/std97/")
	want(t, "std97 redirects", code, body, 200, "HTTP Semantics")
	code, body = c.get("/doc/rfc2119/doc.json")
	want(t, "rfc json", code, body, 200, `"std_level": "Best Current Practice"`, `"rfc": 2119`)
	code, body = c.get("/doc/search/?name=RFC%209110")
	want(t, "search rfc", code, body, 200, "1 document", "RFC 9110")
	code, body = c.get("/doc/rfc2119/bibtex/")
	want(t, "rfc bibtex", code, body, 200, "doi = {10.17487/RFC2119}")
	code, _ = c.get("/doc/rfc1/")
	want(t, "missing", code, "", 404)
}

// TestSubmitFormRefusedAnonymous: a submitter who is not logged in and
// whose draft is refused gets the form again with the rules it broke and
// the address they typed (the page once came out empty: the form's
// address hid the layout's logged-in user).
func TestSubmitFormRefusedAnonymous(t *testing.T) {
	now := time.Date(2021, 6, 19, 10, 0, 0, 0, time.UTC)
	s, _ := newDocSite(t, &now)
	c := s.client()
	code, body := c.upload("/api/submission", map[string]string{"user": "kesara@fq.nz"}, map[string]string{"xml": "xml/draft-smoke-signals-00.xml"})
	want(t, "first submission", code, body, 200, `"rev": "00"`)
	code, body = c.upload("/submit/", map[string]string{"user": "kesara@fq.nz"}, map[string]string{"xml": "xml/draft-smoke-signals-00.xml"})
	want(t, "anonymous refused", code, body, 400, "The submission was not accepted", "Nothing was stored", `value="kesara@fq.nz"`, "Log in")
	code, body = c.upload("/submit/", nil, map[string]string{"xml": "xml/draft-smoke-signals-00.xml"})
	want(t, "anonymous without an address", code, body, 400, "Give your email address", `name="user"`)
}

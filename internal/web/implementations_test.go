package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"

	"hum/internal/docs"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/testbody"
)

func init() { pageModels["doc_implementations.html"] = implPage{} }

// implSite serves newBody's standards body with Ann, the author of
// draft-ann-impl (revisions 00 and 01), and Tom, a third participant.
func implSite(t *testing.T) *site {
	t.Helper()
	b := newBody(t)
	b.AddPeople(testbody.Person{Email: "ann@example.org", Name: "Ann Author"}, testbody.Person{Email: "tom@example.org", Name: "Tom Third"})
	ds := &docs.Service{DB: b.DB, Groups: b.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	ann, err := b.Groups.ActorOf(context.Background(), record.Actor{ID: b.IDs["ann@example.org"], Name: "Ann Author"})
	if err != nil {
		t.Fatal(err)
	}
	for _, rev := range []string{"00", "01"} {
		u := docs.Upload{XML: draftXML("draft-ann-impl", rev, "ann@example.org"), XMLName: "draft-ann-impl-" + rev + ".xml"}
		if _, err := ds.Submit(context.Background(), u, docs.Submitter{Actor: ann, Email: "ann@example.org", Emails: []string{"ann@example.org"}}); err != nil {
			t.Fatal(err)
		}
	}
	return serve(t, b, Config{Docs: ds})
}

func implValues(kv ...string) url.Values {
	v := url.Values{"rev": {"01"}, "name": {"hum-impl"}, "organization": {"Example <Org> & Co"}, "url": {"https://impl.example/hum"},
		"description": {"Written in Go."}, "coverage": {"All of it."}, "maturity": {"beta"}, "licence": {"MIT"}, "contact": {"impl@example.org"}, "date": {"2026-01-05"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// TestImplementationsPages: a participant reports an implementation; bad
// input (a javascript: URL, an unknown revision or draft) is refused with
// the page and its error and changes nothing; a third participant may
// not change the report, the draft's author may; the draft's page counts
// the reports and its history shows the events; the matrix shows the
// latest test; the text and XML sections and doc.json carry the reports.
func TestImplementationsPages(t *testing.T) {
	s := implSite(t)
	const base = "/doc/draft-ann-impl/implementations/"
	anon := s.client()
	code, body := anon.get(base)
	want(t, "the page, anonymous", code, body, 200, "No implementations of draft-ann-impl", "Log in</a> to report")

	pat := s.client()
	pat.login("pat@example.org")
	code, body = pat.post(base, implValues("url", "javascript:alert(document.cookie)"))
	want(t, "a javascript: URL", code, body, 400, "The URL must be an http:// or https:// address", `value="hum-impl"`)
	code, body = pat.post(base, implValues("rev", "07"))
	want(t, "an unknown revision", code, body, 400, "draft-ann-impl has no revision &#34;07&#34;; its revisions are 00, 01.")
	code, body = pat.post("/doc/draft-nobody/implementations/", implValues())
	want(t, "an unknown draft", code, body, 404, "There is no draft")
	if n := s.count("impl_report"); n != 0 {
		t.Fatalf("refused reports stored: %d", n)
	}

	code, body = pat.post(base, implValues("name", "<script>alert(1)</script>"))
	want(t, "a good report", code, body, 200, "The implementation report has been added.", "&lt;script&gt;alert(1)&lt;/script&gt;",
		`<a href="https://impl.example/hum" rel="nofollow noopener noreferrer">`, "Example &lt;Org&gt; &amp; Co", "Change this report")
	if strings.Contains(body, "<script>alert(1)") {
		t.Errorf("the report's name reached the page unescaped")
	}
	var id string
	if err := s.db.QueryRow(`SELECT CAST(id AS TEXT) FROM impl_report`).Scan(&id); err != nil {
		t.Fatal(err)
	}

	tom := s.client()
	tom.login("tom@example.org")
	code, body = tom.get(base)
	want(t, "the page, to a third participant", code, body, 200, "Report an implementation")
	if strings.Contains(body, "Change this report") {
		t.Errorf("a third participant is offered the edit form")
	}
	code, body = tom.post(base+id+"/", implValues("coverage", "None."))
	want(t, "a change by a third participant", code, body, 403, "may change it")
	ann := s.client()
	ann.login("ann@example.org")
	code, body = ann.post(base+id+"/", implValues("name", "hum-impl", "coverage", "Sections 1 to 3.", "why", "Checked with the implementer."))
	want(t, "a change by the draft's author", code, body, 200, "The implementation report has been changed.", "Sections 1 to 3.")

	code, body = anon.get("/doc/draft-ann-impl/")
	want(t, "the draft's page", code, body, 200, "1 implementation report", `<a href="/doc/draft-ann-impl/implementations/">`)
	code, body = anon.get("/doc/draft-ann-impl/history/")
	want(t, "the history", code, body, 200, "Implementation report added: &lt;script&gt;alert(1)&lt;/script&gt; (Example &lt;Org&gt; &amp; Co), of revision 01",
		"Implementation report hum-impl (Example &lt;Org&gt; &amp; Co) changed: name, coverage", "Checked with the implementer.")

	// Tom's own implementation, tested against Pat's twice: the matrix
	// shows the later result.
	code, body = tom.post(base, implValues("name", "tom-impl", "organization", "", "url", ""))
	want(t, "Tom's report", code, body, 200, "tom-impl")
	var tomID string
	s.db.QueryRow(`SELECT CAST(MAX(id) AS TEXT) FROM impl_report`).Scan(&tomID)
	code, body = tom.post(base+tomID+"/interop/", url.Values{"other": {id}, "date": {"2026-02-01"}, "result": {"pass"}})
	want(t, "Tom's test", code, body, 200, "The interoperability test has been recorded.")
	code, body = pat.post(base+id+"/interop/", url.Values{"other": {tomID}, "date": {"2026-01-10"}, "result": {"fail"}})
	want(t, "Pat's earlier test", code, body, 200, `<span class="result-pass" title="2026-02-01">pass</span>`)
	if strings.Contains(body, `class="result-fail"`) {
		t.Errorf("the matrix shows the earlier test")
	}
	code, body = pat.post(base+id+"/interop/", url.Values{"other": {id}, "result": {"pass"}})
	want(t, "a test with itself", code, body, 400, "not tested for interoperability with itself")

	code, body = anon.get("/doc/draft-ann-impl/implementation-status.txt")
	want(t, "the text section", code, body, 200, "Implementation Status\n", "This section records the status of known implementations",
		"Organization: Example <Org> & Co", "hum-impl and tom-impl, tested 2026-02-01: pass")
	code, body = anon.get("/doc/draft-ann-impl/implementation-status.xml")
	var sec struct {
		RemoveInRFC string   `xml:"removeInRFC,attr"`
		Names       []string `xml:"section>name"`
	}
	if err := xml.Unmarshal([]byte(body), &sec); code != 200 || err != nil || sec.RemoveInRFC != "true" || len(sec.Names) != 3 {
		t.Errorf("the XML section: %d %v %+v\n%s", code, err, sec, body)
	}

	code, body = anon.get("/doc/draft-ann-impl/doc.json")
	var doc struct {
		Name  string `json:"name"`
		Rev   string `json:"rev"`
		Impls []struct {
			Name  string `json:"name"`
			URL   string `json:"url"`
			Tests []struct {
				Result string `json:"result"`
			} `json:"interop_tests"`
		} `json:"implementations"`
	}
	if err := json.Unmarshal([]byte(body), &doc); code != 200 || err != nil {
		t.Fatalf("doc.json: %d %v", code, err)
	}
	if doc.Name != "draft-ann-impl" || doc.Rev != "01" || len(doc.Impls) != 2 || doc.Impls[0].URL != "https://impl.example/hum" || len(doc.Impls[0].Tests) != 1 {
		t.Errorf("doc.json = %+v", doc)
	}

	// Pat's report goes, with the tests on both sides.
	code, body = ann.post(base+id+"/remove/", url.Values{"why": {"Abandoned."}})
	want(t, "removal by the draft's author", code, body, 200, "The implementation report has been removed.")
	if r, tt := s.count("impl_report"), s.count("interop_test"); r != 1 || tt != 0 {
		t.Errorf("after removal: %d reports, %d tests", r, tt)
	}
}

// TestImplementationsAPI: the reports and tests in the API's list shape,
// filtered by document__name and the other filters of the registry, one
// by id, Tastypie's 400 for a field that does not filter.
func TestImplementationsAPI(t *testing.T) {
	s := implSite(t)
	pat := s.client()
	pat.login("pat@example.org")
	for _, n := range []string{"one", "two", "three"} {
		if code, body := pat.post("/doc/draft-ann-impl/implementations/", implValues("name", n)); code != 200 {
			t.Fatalf("add %s: %d\n%s", n, code, body)
		}
	}
	var ids []string
	rows, _ := s.db.Query(`SELECT CAST(id AS TEXT) FROM impl_report ORDER BY id`)
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	if code, body := pat.post("/doc/draft-ann-impl/implementations/"+ids[0]+"/interop/", url.Values{"other": {ids[1]}, "result": {"partial"}, "notes": {"0-RTT"}}); code != 200 {
		t.Fatalf("test: %d\n%s", code, body)
	}
	c := s.client()
	// The API's shapes, as the tests read them.
	type apiInteropTest struct {
		Result, Notes string
	}
	type apiImplementation struct {
		Name, Document string
		ResourceURI    string           `json:"resource_uri"`
		InteropTests   []apiInteropTest `json:"interop_tests"`
	}
	var list struct {
		Meta struct {
			TotalCount int     `json:"total_count"`
			Limit      int     `json:"limit"`
			Next       *string `json:"next"`
		} `json:"meta"`
		Objects []apiImplementation `json:"objects"`
	}
	code, body := c.get("/api/v1/doc/implementation/?document__name=draft-ann-impl&limit=2")
	if err := json.Unmarshal([]byte(body), &list); code != 200 || err != nil {
		t.Fatalf("list: %d %v\n%s", code, err, body)
	}
	if list.Meta.TotalCount != 3 || list.Meta.Limit != 2 || list.Meta.Next == nil || len(list.Objects) != 2 ||
		list.Objects[0].Name != "one" || list.Objects[0].Document != "/api/v1/doc/document/draft-ann-impl/" ||
		len(list.Objects[0].InteropTests) != 1 || list.Objects[0].InteropTests[0].Result != "partial" {
		t.Errorf("list = %+v", list)
	}
	code, body = c.get("/api/v1/doc/implementation/?document__name=draft-other")
	if !strings.Contains(body, `"total_count": 0`) {
		t.Errorf("another draft's list: %d %s", code, body)
	}
	var one apiImplementation
	code, body = c.get("/api/v1/doc/implementation/" + ids[2] + "/")
	if err := json.Unmarshal([]byte(body), &one); code != 200 || err != nil || one.Name != "three" || one.ResourceURI != "/api/v1/doc/implementation/"+ids[2]+"/" {
		t.Errorf("one: %d %v %+v", code, err, one)
	}
	if code, _ := c.get("/api/v1/doc/implementation/99999/"); code != 404 {
		t.Errorf("an unknown report: %d, want 404", code)
	}
	// On the registry: a field that does not filter is Tastypie's 400,
	// a parameter that is no field is ignored, as the Datatracker does.
	if code, body := c.get("/api/v1/doc/implementation/?description=x"); code != 400 || !strings.Contains(body, `"The 'description' field does not allow filtering."`) {
		t.Errorf("a field that does not filter: %d %s, want 400", code, body)
	}
	if code, body := c.get("/api/v1/doc/implementation/?votes=1"); code != 200 || !strings.Contains(body, `"total_count": 3`) {
		t.Errorf("a parameter that is no field: %d %s, want the list", code, body)
	}
	code, body = c.get("/api/v1/doc/interoptest/?document__name=draft-ann-impl")
	if code != 200 || !strings.Contains(body, `"total_count": 1`) || !strings.Contains(body, `"notes": "0-RTT"`) {
		t.Errorf("interop tests: %d %s", code, body)
	}
	for q, want := range map[string]string{
		"result=partial": `"total_count": 1`, "result=pass": `"total_count": 0`,
		"implementation=" + ids[0]: `"total_count": 1`, "other__name=two": `"total_count": 1`, "other__name=one": `"total_count": 0`,
	} {
		if code, body := c.get("/api/v1/doc/interoptest/?" + q); code != 200 || !strings.Contains(body, want) {
			t.Errorf("interop tests ?%s: %d %s, want %s", q, code, body, want)
		}
	}
	if code, body := c.get("/api/v1/doc/implementation/?name__in=one,three&order_by=-id"); code != 200 ||
		!strings.Contains(body, `"total_count": 2`) || strings.Index(body, `"name": "three"`) > strings.Index(body, `"name": "one"`) {
		t.Errorf("name__in, order_by=-id: %d %s", code, body)
	}
	if code, body := c.get("/api/v1/doc/implementation/schema/"); code != 200 || !strings.Contains(body, `"interop_tests"`) {
		t.Errorf("schema: %d %s", code, body)
	}
}

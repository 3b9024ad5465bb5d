package web

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
	"hum/internal/testbody"
)

func init() {
	pageModels["ipr_list.html"] = iprListPage{}
	pageModels["ipr_show.html"] = iprShowPage{}
	pageModels["ipr_history.html"] = iprHistoryPage{}
	pageModels["ipr_form.html"] = iprFormPage{}
	pageModels["ipr_search.html"] = iprSearchPage{}
	pageModels["ipr_admin.html"] = iprAdminPage{}
}

const (
	iprDraft = "draft-ietf-httpbis-ipr"  // httpbis's, by Ann (an account) and Carl (none)
	annDraft = "draft-ann-nothing-known" // Ann's own
)

// iprSite serves newBody's standards body with Ann, an author, and Tom, a
// third participant, and the two drafts above.
func iprSite(t *testing.T) *site {
	t.Helper()
	b := newBody(t)
	b.AddPeople(testbody.Person{Email: "ann@example.org", Name: "Ann Author"}, testbody.Person{Email: "tom@example.org", Name: "Tom Third"})
	ds := &docs.Service{DB: b.DB, Groups: b.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	ctx := context.Background()
	ann, err := b.Groups.ActorOf(ctx, record.Actor{ID: b.IDs["ann@example.org"], Name: "Ann Author"})
	if err != nil {
		t.Fatal(err)
	}
	op := docs.Submitter{Actor: groups.Operator(record.Actor{Name: "test setup"}), Email: "sec@example.org"}
	x := strings.Replace(string(draftXML(iprDraft, "00", "ann@example.org")), "</author>",
		`</author><author fullname="Carl Coauthor"><address><email>carl@example.net</email></address></author>`, 1)
	if _, err := ds.Submit(ctx, docs.Upload{XML: []byte(x), XMLName: iprDraft + "-00.xml"}, op); err != nil {
		t.Fatal(err)
	}
	if _, err := ds.Submit(ctx, docs.Upload{XML: draftXML(annDraft, "00", "ann@example.org"), XMLName: annDraft + "-00.xml"},
		docs.Submitter{Actor: ann, Email: "ann@example.org", Emails: []string{"ann@example.org"}}); err != nil {
		t.Fatal(err)
	}
	return serve(t, b, Config{Docs: ds})
}

func iprValues(kv ...string) url.Values {
	v := url.Values{"holder_legal_name": {"Example <Networks>"}, "holder_contact_name": {"Lee Licensing"}, "holder_contact_email": {"lee@networks.example"},
		"patent_number": {"US62/123456"}, "patent_inventor": {"Ivy Inventor"}, "patent_title": {"Method for deriving things"},
		"patent_date": {"2025-11-03"}, "licensing": {"reasonable"}, "licensing_comments": {"Ask Lee."}, "compliant": {"on"},
		"doc-0-name": {iprDraft + "-00"}, "doc-0-sections": {"4.2"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// recipients are the recipients of each queued message with this
// subject, oldest first.
func (s *site) recipients(subject string) [][]string {
	s.t.Helper()
	ms, err := mail.List(context.Background(), s.db, "", 1000)
	if err != nil {
		s.t.Fatal(err)
	}
	var out [][]string
	for _, m := range slices.Backward(ms) {
		if m.Subject == subject {
			out = append(out, m.To)
		}
	}
	return out
}

// TestIPRDisclosureFlow: a participant files a specific disclosure about
// a WG draft (bad input is shown again with its error and stores
// nothing); it is the filer's and the secretariat's to see until the
// secretariat, and no one else, posts it from the queue; posted, it is
// public, on the draft's page, its history and in search, and its
// announcement is queued to the draft's authors and the WG's chair and
// posted to the WG's list; an update keeps the old one and links both.
func TestIPRDisclosureFlow(t *testing.T) {
	s := iprSite(t)
	anon := s.client()
	code, body := anon.get("/ipr/")
	want(t, "the list, empty", code, body, 200, "IPR disclosures", "None yet.", `href="/ipr/new-specific/"`)
	code, body = anon.get("/ipr/new-specific/?draft=" + iprDraft)
	want(t, "the form, anonymous", code, body, 200, "Log in</a> to file a disclosure", `value="`+iprDraft+`"`, "R11")
	code, body = anon.post("/ipr/new-specific/", iprValues())
	want(t, "filing, anonymous", code, body, 401)

	pat := s.client()
	pat.login("pat@example.org")
	code, body = pat.post("/ipr/new-specific/", iprValues("patent_number", "one two three"))
	want(t, "a bad patent number", code, body, 400, "is not a patent number", `value="Example &lt;Networks&gt;"`)
	code, body = pat.post("/ipr/new-specific/", iprValues("doc-0-name", "", "other_designations", ""))
	want(t, "no contribution", code, body, 400, "Name the contribution", "rule R11")
	if n := s.count("ipr_disclosure"); n != 0 {
		t.Fatalf("refused disclosures stored: %d", n)
	}
	code, body = pat.post("/ipr/new-specific/", iprValues())
	want(t, "a good disclosure", code, body, 200, "Your disclosure is filed", "This disclosure is <strong>Pending</strong>",
		"Example &lt;Networks&gt;&#39;s Statement about IPR related to "+iprDraft, "Pat Participant", "pat@example.org")
	var id string
	if err := s.db.QueryRow(`SELECT CAST(id AS TEXT) FROM ipr_disclosure`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if got := s.recipients("New IPR Submission Notification"); !cmp.Equal(got, [][]string{{"sec@example.org"}}) {
		t.Errorf("the secretariat's notice went to %v", got)
	}
	code, _ = anon.get("/ipr/" + id + "/")
	want(t, "pending, anonymous", code, "", 401)
	tom := s.client()
	tom.login("tom@example.org")
	code, _ = tom.get("/ipr/" + id + "/")
	want(t, "pending, another participant", code, "", 403)
	code, body = anon.get("/doc/" + iprDraft + "/")
	want(t, "the draft, before posting", code, body, 200, "0 IPR disclosures")
	code, _ = pat.post("/ipr/"+id+"/post/", nil)
	want(t, "posting, by the filer", code, "", 403)

	sec := s.client()
	sec.login("sec@example.org")
	code, body = sec.get("/ipr/admin/pending/")
	want(t, "the secretariat's queue", code, body, 200, `href="/ipr/`+id+`/"`, "Pat Participant")
	code, _ = pat.get("/ipr/admin/pending/")
	want(t, "the queue, to a participant", code, "", 403)
	code, body = sec.post("/ipr/"+id+"/state/", url.Values{"state": {"rejected"}})
	want(t, "rejecting without a reason", code, body, 400, "Say why")
	code, body = sec.post("/ipr/"+id+"/post/", nil)
	want(t, "posting", code, body, 200, "The disclosure is posted and announced.")

	code, body = anon.get("/ipr/" + id + "/")
	want(t, "posted, anonymous", code, body, 200, "c) Reasonable and Non-Discriminatory License", `<a href="/doc/`+iprDraft+`/">`, "4.2", "US62/123456",
		"Filed 0 days after "+iprDraft+"-00 was posted", "(R11)")
	code, body = anon.get("/ipr/")
	want(t, "the list", code, body, 200, `<a href="/ipr/`+id+`/">`)
	code, body = anon.get("/ipr/" + id + "/history/")
	want(t, "the history", code, body, 200, "Disclosure submitted", "Disclosure posted", "Announced to "+iprDraft+".authors@hum.test, "+iprDraft+".chairs@hum.test, httpbis@hum.test")
	code, body = anon.get("/doc/" + iprDraft + "/")
	want(t, "the draft", code, body, 200, `<a href="/ipr/search/?submit=draft&amp;id=`+iprDraft+`">1 IPR disclosure</a>`)
	code, body = anon.get("/doc/" + iprDraft + "/history/")
	want(t, "the draft's history", code, body, 200, "Posted related IPR disclosure Example &lt;Networks&gt;")
	for _, q := range []string{"submit=draft&id=" + iprDraft, "submit=draft&draft=httpbis-ip", "submit=holder&holder=example+%3Cnet",
		"submit=patent&patent=US+62%2F123456", "submit=group&group=httpbis", "submit=iprtitle&iprtitle=statement"} {
		code, body = anon.get("/ipr/search/?" + q)
		want(t, "search "+q, code, body, 200, `<tr id="ipr-`+id+`">`)
	}
	code, body = anon.get("/ipr/search/?submit=holder&holder=nobody")
	want(t, "search for nothing", code, body, 200, "No IPR disclosures found.")
	code, body = anon.get("/ipr/by-draft/")
	want(t, "by draft", code, body, 200, iprDraft+"\t"+id+"\n")

	// The announcement: the authors (Carl by the draft's address) and the
	// chair, and a post to the WG's list.
	subject := "IPR Disclosure Example <Networks>'s Statement about IPR related to " + iprDraft
	if diff := cmp.Diff([][]string{{"ann@example.org", "carl@example.net", "chair@example.org"}}, s.recipients(subject)); diff != "" {
		t.Errorf("the announcement's recipients (-want +got):\n%s", diff)
	}
	var posts int
	s.db.QueryRow(`SELECT COUNT(*) FROM list_post p JOIN list l ON l.id = p.list_id WHERE l.name = 'httpbis' AND p.subject = $1`, subject).Scan(&posts)
	if posts != 1 {
		t.Errorf("posts of the announcement to httpbis: %d, want 1", posts)
	}

	// Tom files an update, which the secretariat posts.
	code, body = tom.get("/ipr/" + id + "/update/")
	want(t, "the update form", code, body, 200, "Update of IPR disclosure "+id, `value="Example &lt;Networks&gt;"`, `value="`+iprDraft+`"`)
	code, body = tom.post("/ipr/"+id+"/update/", iprValues("licensing", "no-license", "doc-0-name", iprDraft, "doc-0-revisions", "00"))
	want(t, "the update", code, body, 200, "Your disclosure is filed", "It updates <a href=\"/ipr/"+id+"/\">")
	var nu string
	s.db.QueryRow(`SELECT CAST(MAX(id) AS TEXT) FROM ipr_disclosure`).Scan(&nu)
	code, _ = sec.post("/ipr/"+nu+"/post/", nil)
	want(t, "posting the update", code, "", 200)
	code, body = anon.get("/ipr/" + id + "/")
	want(t, "the old one", code, body, 200, `This disclosure is updated by <a href="/ipr/`+nu+`/">`, "c) Reasonable")
	code, body = anon.get("/doc/" + iprDraft + "/")
	want(t, "the draft, two disclosures", code, body, 200, ">2 IPR disclosures</a>")

	// The secretariat removes the update; its page then says only that.
	code, _ = sec.post("/ipr/"+nu+"/state/", url.Values{"state": {"removed"}, "why": {"Filed in error."}})
	want(t, "removing", code, "", 200)
	code, body = anon.get("/ipr/" + nu + "/")
	want(t, "a removed disclosure", code, body, 200, "It was removed")
	if strings.Contains(body, "a) No License Required") {
		t.Errorf("a removed disclosure's details are public")
	}
}

// TestR11ConfirmOnTheDraftPage: the draft's page asks its authors with an
// account for their IPR confirmation; an author who says they know of
// IPR with no disclosure on file is refused naming R11, and nothing is
// recorded; one who knows of none is recorded on the page and the
// history; others get no form and are refused.
func TestR11ConfirmOnTheDraftPage(t *testing.T) {
	s := iprSite(t)
	ann := s.client()
	ann.login("ann@example.org")
	page := "/doc/" + annDraft + "/"
	code, body := ann.get(page)
	want(t, "the draft, to its author", code, body, 200, `action="/doc/`+annDraft+`/ipr/confirm/"`, "Vic Tim: not confirmed yet")
	code, body = ann.post(page+"ipr/confirm/", url.Values{"answer": {"disclosed"}})
	want(t, "knows of IPR, none on file", code, body, 409, "no disclosure of it is on file", "R11")
	if n := s.count("ipr_confirmation"); n != 0 {
		t.Fatalf("the refusal recorded %d confirmations", n)
	}
	code, body = ann.post(page+"ipr/confirm/", url.Values{"answer": {"none"}, "why": {"Checked with my employer."}})
	want(t, "knows of none", code, body, 200, "Your answer is recorded", "Ann Author knows of no IPR covering it")
	code, body = ann.get(page + "history/")
	want(t, "the history", code, body, 200, "IPR confirmation for revision 00 (R11)", "Checked with my employer.")

	pat := s.client()
	pat.login("pat@example.org")
	code, body = pat.get(page)
	want(t, "the draft, to a participant", code, body, 200, "Ann Author knows of no IPR")
	if strings.Contains(body, "ipr/confirm/") {
		t.Errorf("a participant is offered the author's confirmation")
	}
	code, _ = pat.post(page+"ipr/confirm/", url.Values{"answer": {"none"}})
	want(t, "a participant confirming", code, "", 403)
}

package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"hum/internal/archive"
	"hum/internal/db"
	"hum/internal/lists"
	"hum/internal/mail"
)

const lcDraft = "draft-ietf-httpbis-cache"

// lcSite is the test site with lists and an archive, and httpbis's draft
// in IETF Last Call since yesterday, with Ada as its AD.
func lcSite(t *testing.T) (*site, *archive.Service) {
	t.Helper()
	b := newBody(t)
	as := &archive.Service{DB: b.DB}
	ls := &lists.Service{DB: b.DB, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	st := serve(t, b, Config{Archive: as, Lists: ls})
	ctx := context.Background()
	if err := ls.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := b.DB.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO doc (name, type, rev, title, state, group_id, ad_id, iesg_state, lc_ends, created, updated)
		VALUES ($1, 'draft', '03', 'HTTP Caching', 'active', (SELECT id FROM grp WHERE acronym = 'httpbis'), $2, 'lc', $3, $4, $4)`,
		lcDraft, b.IDs["ad@example.org"], now.Add(13*24*time.Hour), now.Add(-30*24*time.Hour))
	exec(`INSERT INTO doc_rev (doc_id, rev, title, posted) SELECT id, '03', 'HTTP Caching', $2 FROM doc WHERE name = $1`, lcDraft, now)
	exec(`INSERT INTO doc_author (doc_id, ord, name, email) SELECT id, 0, 'Ben Writer', 'ben@example.net' FROM doc WHERE name = $1`, lcDraft)
	exec(`INSERT INTO event (at, actor, subject_type, subject, kind, summary) VALUES ($1, 'Sam Secretariat', 'doc', $2, 'last_call', 'IESG state changed to In Last Call')`,
		now.Add(-24*time.Hour), lcDraft)
	return st, as
}

func archiveOn(t *testing.T, st *site, as *archive.Service, list, from, subject, id string, date time.Time) {
	t.Helper()
	raw := "From: " + from + "\nTo: " + list + "@hum.test\nSubject: " + subject + "\nMessage-ID: <" + id + ">\nDate: " + date.Format(time.RFC1123Z) + "\n\nA comment.\n"
	ctx := context.Background()
	if err := st.db.Write(ctx, func(tx *db.Tx) error { _, err := as.Add(ctx, tx, list, []byte(raw)); return err }); err != nil {
		t.Fatal(err)
	}
}

// TestDocPageShowsLastCallComments: the draft's page lists the messages
// to last-call@ whose subject names it, sent during its Last Call, and
// links each; others are left out.
func TestDocPageShowsLastCallComments(t *testing.T) {
	st, as := lcSite(t)
	now := time.Now().UTC()
	archiveOn(t, st, as, "last-call", "Carol <carol@example.com>", "Re: Last Call: <"+lcDraft+"-03.txt> (HTTP Caching) to Proposed Standard", "in@example.com", now.Add(-time.Hour))
	archiveOn(t, st, as, "last-call", "Dana Otherdraft <dan@example.com>", "Last Call: <"+lcDraft+"-extras-00.txt>", "other@example.com", now.Add(-time.Hour))
	archiveOn(t, st, as, "last-call", "Evander Early <eve@example.com>", "Early thoughts on "+lcDraft, "early@example.com", now.Add(-3*24*time.Hour))
	archiveOn(t, st, as, "httpbis", "Fayette Wglist <fay@example.com>", "Re: Last Call: <"+lcDraft+"-03.txt>", "wg@example.com", now.Add(-time.Hour))
	code, body := st.client().get("/doc/" + lcDraft + "/")
	want(t, "the draft's page", code, body, 200, "IETF Last Call comments", "last-call@hum.test", "Carol", `href="/arch/msg/last-call/`, "/doc/"+lcDraft+"/email/")
	for _, not := range []string{"Otherdraft", "Evander", "Wglist"} {
		if strings.Contains(body, not) {
			t.Errorf("the page lists %s's message, which is no comment on this Last Call", not)
		}
	}
	// A draft that never went to Last Call has no such section.
	if _, err := st.db.Exec(`UPDATE doc SET lc_ends = NULL, iesg_state = '' WHERE name = $1`, lcDraft); err != nil {
		t.Fatal(err)
	}
	pat := st.client() // logged in: not served from the anonymous cache
	pat.login("pat@example.org")
	code, body = pat.get("/doc/" + lcDraft + "/")
	if code != 200 || strings.Contains(body, "IETF Last Call comments") {
		t.Errorf("without a Last Call: %d, section shown: %v", code, strings.Contains(body, "IETF Last Call comments"))
	}
}

// TestDocEmailPage: /doc/{name}/email/ lists the draft's aliases and
// whom each reaches now, by name; an empty one says why.
func TestDocEmailPage(t *testing.T) {
	st, _ := lcSite(t)
	code, body := st.client().get("/doc/" + lcDraft + "/email/")
	want(t, "the email page", code, body, 200, lcDraft+"@hum.test", lcDraft+".chairs@hum.test", lcDraft+".ad@hum.test", lcDraft+".all@hum.test",
		"Chris Chair", "Ada Director", "ben@example.net", "has no document shepherd")
	if strings.Contains(body, "chair@example.org") {
		t.Error("the page shows a person's address")
	}
	code, body = st.client().get("/group/httpbis/email/")
	want(t, "the group's email page", code, body, 200, "httpbis-chairs@hum.test", "httpbis-ads@hum.test", "Chris Chair", "Ada Director")
	code, _ = st.client().get("/doc/draft-nobody-here/email/")
	want(t, "an unknown draft", code, "", 404)
}

// TestR19WGArchiveStaysPublicOnTheWeb: the list settings form refuses a
// WG's private archive naming R19, and changes nothing.
func TestR19WGArchiveStaysPublicOnTheWeb(t *testing.T) {
	st, _ := newListSite(t)
	for _, who := range []string{"chair@example.org", "sec@example.org"} {
		c := st.client()
		c.login(who)
		code, body := c.post("/list/httpbis/settings/", url.Values{"description": {"HTTP"}, "post_policy": {"subscribers"}, "max_kb": {"1024"}})
		want(t, who+" makes httpbis private", code, body, 403, "R19", "must stay public")
	}
	var pub bool
	if err := st.db.QueryRow(`SELECT archive_public FROM list WHERE name = 'httpbis'`).Scan(&pub); err != nil || !pub {
		t.Errorf("httpbis's archive public: %v (%v)", pub, err)
	}
	c := st.client()
	c.login("sec@example.org")
	code, body := c.post("/list/ietf/settings/", url.Values{"description": {"General"}, "post_policy": {"subscribers"}, "max_kb": {"1024"}})
	want(t, "the secretariat makes ietf private", code, body, 200, "List settings saved")
}

// TestR20ConductPages: a chair takes the steps R20 asks for on the web;
// a suspension before them, or of more than 30 days, is refused on the
// page naming R20; a participant may not see the page.
func TestR20ConductPages(t *testing.T) {
	st, _ := newListSite(t)
	c := st.client()
	c.login("chair@example.org")
	const path = "/group/httpbis/chair/conduct/"
	code, body := c.get(path)
	want(t, "the page", code, body, 200, "Suspend posting privileges", "Ada Director")
	suspend := func(days string) (int, string) {
		return c.post(path+"suspend/", url.Values{"address": {"troll@example.net"}, "days": {days}, "reason": {"Attacks after warnings."}})
	}
	code, body = suspend("7")
	want(t, "suspend first", code, body, 409, "R20", "no warning to them is recorded")
	code, body = c.post(path+"warn/", url.Values{"address": {"troll@example.net"}, "note": {"Please stop the attacks."}})
	want(t, "warn", code, body, 200, "The warning is recorded", "Please stop the attacks.")
	var ad int64
	if err := st.db.QueryRow(`SELECT person_id FROM email WHERE address = 'ad@example.org'`).Scan(&ad); err != nil {
		t.Fatal(err)
	}
	code, body = c.post(path+"consult/", url.Values{"address": {"troll@example.net"}, "ad": {strconv.FormatInt(ad, 10)}, "note": {"Go ahead if it goes on."}})
	want(t, "consult", code, body, 200, "The consultation of the AD is recorded")
	code, body = suspend("45")
	want(t, "45 days", code, body, 400, "R20", "30 days at most")
	code, body = suspend("7")
	want(t, "suspend", code, body, 200, "Posting privileges are suspended", "in force", "on the record")

	p := st.client()
	p.login("pat@example.org")
	code, body = p.get(path)
	want(t, "a participant", code, body, 403)
	// The suspension is a decision of the chairs, appealable as the
	// mailed link has it.
	var event int64
	if err := st.db.QueryRow(`SELECT event_id FROM list_suspension`).Scan(&event); err != nil {
		t.Fatal(err)
	}
	link := "/event/" + strconv.FormatInt(event, 10) + "/"
	code, body = p.get("/appeals/new/?decision=" + url.QueryEscape(link))
	want(t, "the appeal form", code, body, 200, link)
	code, body = p.post("/appeals/new/", url.Values{"decision": {link}, "facts": {strings.Repeat("The troll was suspended for one post that disagreed with the chairs. ", 2)},
		"remedy": {"Lift the suspension."}})
	want(t, "the appeal", code, body, 200, "Your appeal is filed")
	code, body = st.client().get("/group/httpbis/chair/")
	if code != 200 || strings.Contains(body, path) {
		t.Errorf("the public dashboard links the conduct page: %d", code)
	}
	code, body = c.get("/group/httpbis/chair/")
	want(t, "the chair's dashboard", code, body, 200, path)
}

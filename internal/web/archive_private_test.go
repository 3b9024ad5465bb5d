package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hum/internal/archive"
	"hum/internal/archive/message"
	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/record"
)

// privatePost goes to cfrg, a research group whose archive the test
// makes private (a WG's archive stays public, R19); it
// has an attachment (part 2), as archPost does.
var privatePost = strings.NewReplacer("quic@ietf.org", "cfrg@ietf.org", "post1@example.org", "secret1@example.org", "ada@example.org", "chair@example.org",
	"Version negotiation", "Zeppelin plans", "Should version negotiation be authenticated?", "Is the zeppelin ready?").Replace(archPost)

const publicPost = `From: Carol <carol@example.com>
To: quic@ietf.org
Subject: Zeppelin sightings
Date: Tue, 3 Mar 2026 10:00:00 +0000
Message-ID: <public1@example.com>

A zeppelin flew over the meeting.
`

// privateArchSite is the test site with lists and an archive: cfrg
// holds privatePost, quic publicPost.
func privateArchSite(t *testing.T) (*site, *lists.Service) {
	t.Helper()
	b := newBody(t)
	b.AddGroups(groups.NewGroup{Acronym: "irtf", Name: "IRTF", Type: "irtf"}, groups.NewGroup{Acronym: "cfrg", Name: "Crypto Forum", Type: "rg", Parent: "irtf"})
	b.Grant("cfrg", "chair", b.IDs["chair@example.org"], "chair@example.org")
	as := &archive.Service{DB: b.DB}
	ls := &lists.Service{DB: b.DB, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	st := serve(t, b, Config{Archive: as, Lists: ls})
	ctx := context.Background()
	if err := ls.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	for list, raw := range map[string]string{"cfrg": privatePost, "quic": publicPost} {
		if err := st.db.Write(ctx, func(tx *db.Tx) error { _, err := as.Add(ctx, tx, list, []byte(raw)); return err }); err != nil {
			t.Fatal(err)
		}
	}
	return st, ls
}

// fetch is client.get with the response's header.
func (c *client) fetch(path string) (int, http.Header, string) {
	c.t.Helper()
	res, err := c.c.Get(c.srv.URL + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

// TestArchPrivate: a list whose archive is not public is read by its
// subscribers (through any of their addresses), its moderators and the
// secretariat, on every archive surface; anyone else finds nothing, and
// no cached anonymous page tells otherwise.
func TestArchPrivate(t *testing.T) {
	st, ls := privateArchSite(t)
	msg := "/arch/msg/cfrg/" + message.Hashcode("secret1@example.org", "cfrg") + "/"
	pub := "/arch/msg/quic/" + message.Hashcode("public1@example.com", "quic") + "/"

	// Anonymous pages cached while the archive is public must not
	// outlive the change.
	anon := st.client()
	for _, path := range []string{"/arch/", "/arch/search/"} {
		code, body := anon.get(path)
		want(t, "public: "+path, code, body, 200, `href="/arch/browse/cfrg/"`)
	}
	sec, chair, pat, ad := st.client(), st.client(), st.client(), st.client()
	sec.login("sec@example.org")
	code, body := sec.post("/list/cfrg/settings/", url.Values{"description": {"HTTP"}, "post_policy": {"subscribers"}, "max_kb": {"1024"}})
	want(t, "make the archive private", code, body, 200, "List settings saved")

	// Pat subscribes with a second address of the account.
	pat.login("pat@example.org")
	pat.post("/accounts/email/add/", url.Values{"email": {"pat.alt@example.net"}})
	code, body = pat.post(st.lastLink("pat.alt@example.net"), nil)
	want(t, "second address", code, body, 200, "pat.alt@example.net")
	if _, err := ls.Subscribe(context.Background(), record.System, "cfrg", "pat.alt@example.net", lists.ModeEach); err != nil {
		t.Fatal(err)
	}
	chair.login("chair@example.org")
	ad.login("ad@example.org") // an AD, but no moderator or subscriber of cfrg

	readers := []struct {
		who     string
		c       *client
		refused int // the status of a private page, 0 when they may read it
	}{
		{"anonymous", anon, 401},
		{"non-subscriber", ad, 403},
		{"subscriber", pat, 0},
		{"moderator", chair, 0},
		{"secretariat", sec, 0},
		{"anonymous again", anon, 401},
	}
	for _, r := range readers {
		may := r.refused == 0
		for _, path := range []string{"/arch/browse/cfrg/", "/arch/browse/cfrg/?view=thread", msg, msg + "raw/", msg + "2",
			"/feed/arch/cfrg/", "/arch/export/mbox/?list=cfrg", "/arch/msg/cfrg/nosuchid/"} {
			code, hd, body := r.c.fetch(path)
			switch {
			case !may:
				want(t, r.who+" "+path, code, body, r.refused, "archive is private")
			case path == "/arch/msg/cfrg/nosuchid/":
				want(t, r.who+" "+path, code, body, 404)
			default:
				want(t, r.who+" "+path, code, body, 200)
				if hd.Get("Cache-Control") != "private" {
					t.Errorf("%s %s: Cache-Control %q, want private", r.who, path, hd.Get("Cache-Control"))
				}
			}
		}
		// The author's person page lists the post only to those who
		// may read it.
		code, body := r.c.get("/person/chair@example.org/")
		if strings.Contains(body, "Zeppelin plans") != may {
			t.Errorf("%s: person page (%d) shows the private post: %v, want %v", r.who, code, !may, may)
		}
		code, body = r.c.get(msg)
		if may && !strings.Contains(body, "Is the zeppelin ready?") {
			t.Errorf("%s: message page %d lacks the text", r.who, code)
		}
		for _, path := range []string{"/arch/", "/arch/search/", "/arch/search/?q=zeppelin", "/arch/export/mbox/?q=zeppelin"} {
			code, body := r.c.get(path)
			want(t, r.who+" "+path, code, body, 200)
			shows := strings.Contains(body, "cfrg/") || strings.Contains(body, "secret1@example.org")
			if shows != may {
				t.Errorf("%s %s: shows the private list: %v, want %v\n%.3000s", r.who, path, shows, may, body)
			}
			if public := strings.Contains(body, "quic/") || strings.Contains(body, "public1@example.com"); !public {
				t.Errorf("%s %s: the public list is missing\n%.3000s", r.who, path, body)
			}
		}
	}
	if code, _ := anon.get(pub); code != 200 {
		t.Errorf("anonymous, public message: %d", code)
	}
	if _, hd, _ := anon.fetch("/arch/"); hd.Get("ETag") == "" {
		t.Error("the anonymous /arch/ did not come through the page cache, so the test did not exercise it")
	}
}

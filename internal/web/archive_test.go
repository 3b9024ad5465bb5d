package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"hum/internal/archive"
	"hum/internal/archive/message"
	"hum/internal/corpustest"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/mbox"
	"hum/internal/record"
	"hum/internal/testbody"
)

// archSite is a hum web server with an archive holding the 24 IETF
// corpus messages (list ietf) and a post with a reply (list quic).
func archSite(t *testing.T, hide bool) (*site, *archive.Service) {
	t.Helper()
	d := dbtest.New(t)
	b := testbody.New(t, d)
	b.Password = testPassword
	as := &archive.Service{DB: d, HideAddresses: hide}
	st := serve(t, b, Config{Archive: as})
	ctx := context.Background()
	raw := corpustest.ReadFile(t, "lists/ietf-mailarchive-24msgs.mbox")
	if _, err := as.Import(ctx, "ietf", bytes.NewReader(raw), nil); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{archPost, archReply} {
		err := d.Write(ctx, func(tx *db.Tx) error {
			_, err := as.Add(ctx, tx, "quic", []byte(m))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	b.AddPeople(testbody.Person{Email: "pat@example.org", Name: "Pat Participant"})
	return st, as
}

const archPost = `From: Ada Example <ada@example.org>
To: quic@ietf.org
Subject: Version negotiation
Date: Mon, 2 Mar 2026 10:00:00 +0000
Message-ID: <post1@example.org>
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

Should version negotiation be authenticated? See https://example.org/vn.
--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="trace.bin"

not really binary
--b
Content-Type: text/html

<p>html alternative <script>alert(1)</script></p>
--b--
`

const archReply = `From: Bob <bob@example.net>
To: quic@ietf.org
Subject: Re: Version negotiation
Date: Mon, 2 Mar 2026 11:00:00 +0000
Message-ID: <reply1@example.net>
In-Reply-To: <post1@example.org>
References: <post1@example.org>

Ada wrote:
> Should version negotiation be authenticated?

Yes, see the compatible version negotiation draft.
`

func TestArchPages(t *testing.T) {
	st, _ := archSite(t, false)
	c := st.client()
	post := "/arch/msg/quic/" + message.Hashcode("post1@example.org", "quic") + "/"
	reply := "/arch/msg/quic/" + message.Hashcode("reply1@example.net", "quic") + "/"

	code, body := c.get("/arch/")
	want(t, "/arch/", code, body, 200, `href="/arch/browse/ietf/"`, `href="/arch/browse/quic/"`, `<label for="arch-q">`)
	code, body = c.get("/arch/browse/quic/")
	want(t, "browse by date", code, body, 200, "Version negotiation", "Bob", post, reply, `href="/feed/arch/quic/"`)
	code, body = c.get("/arch/browse/quic/?view=thread")
	want(t, "browse by thread", code, body, 200, `class="depth-1"`, reply)
	code, body = c.get("/arch/browse/ietf/?page=2")
	want(t, "browse page 2 of a 24-message list", code, body, 200, "No messages on this page")
	code, _ = c.get("/arch/browse/nosuchlist/")
	want(t, "unknown list", code, "", 404)

	code, body = c.get(reply)
	want(t, "reply page", code, body, 200,
		"<details><summary>Quoted text", // the quote folds away
		"Yes, see the compatible",
		"Previous in thread: Version negotiation", "Previous by date: Version negotiation",
		`mailto:quic@ietf.org?In-Reply-To=%3Creply1%40example.net%3E`, "bob@example.net", "/raw/")
	code, body = c.get(post)
	want(t, "post page", code, body, 200, `<a href="https://example.org/vn" rel="nofollow noopener noreferrer">`, "trace.bin", "Next in thread: Re: Version negotiation")
	if strings.Contains(body, "<script>") {
		t.Errorf("the post page carries a script")
	}
	code, _ = c.get("/arch/msg/quic/nosuchid/")
	want(t, "unknown message", code, "", 404)

	res, err := c.c.Get(st.srv.URL + post + "2")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(b) != "not really binary" || !strings.Contains(res.Header.Get("Content-Disposition"), "trace.bin") {
		t.Errorf("attachment: %d %q %q", res.StatusCode, b, res.Header.Get("Content-Disposition"))
	}
	res, _ = c.c.Get(st.srv.URL + post + "3")
	res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || strings.Contains(ct, "html") {
		t.Errorf("html part served as %d %q, want a download that is not html", res.StatusCode, ct)
	}
	res, _ = c.c.Get(st.srv.URL + reply + "raw/")
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(b) != archReply {
		t.Errorf("raw: %d\n%s", res.StatusCode, b)
	}

	code, body = c.get("/arch/search/?q=" + url.QueryEscape(`"version negotiation" list:quic`))
	want(t, "search", code, body, 200, "<mark>", post, reply, "Download these results as mbox")
	code, body = c.get("/arch/search/?q=since:2026-99-01")
	want(t, "bad date", code, body, 200, "not a date")
	code, body = c.get("/feed/arch/quic/")
	want(t, "feed", code, body, 200, "<feed", "Re: Version negotiation", "http://hum.test"+reply)

	res, _ = c.c.Get(st.srv.URL + "/arch/export/mbox/?list=quic&q=" + url.QueryEscape("authenticated"))
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	r := mbox.NewReader(bytes.NewReader(b))
	n := 0
	for {
		m, err := r.Next()
		if err != nil {
			break
		}
		n++
		if !bytes.Equal(m, []byte(archPost)) {
			t.Errorf("exported message differs from the post:\n%s", m)
		}
	}
	if n != 1 {
		t.Errorf("export of authenticated list:quic gave %d messages, want 1 (the reply only quotes it)", n)
	}
}

// archNameless is a reply from an author who gave no name, so list pages
// would show the address itself.
const archNameless = `From: carol@example.com
To: quic@ietf.org
Subject: Re: Version negotiation
Date: Mon, 2 Mar 2026 12:00:00 +0000
Message-ID: <nameless1@example.com>
In-Reply-To: <reply1@example.net>
References: <post1@example.org> <reply1@example.net>

Agreed.
`

// TestArchHiddenAddresses: with HideAddresses (hum serve
// --hide-addresses), anonymous readers see no author's address on any
// archive page or in the feed, and cannot download raw messages or mbox,
// which carry them; logged-in readers see addresses and download.
func TestArchHiddenAddresses(t *testing.T) {
	st, as := archSite(t, true)
	ctx := context.Background()
	if err := st.db.Write(ctx, func(tx *db.Tx) error { _, err := as.Add(ctx, tx, "quic", []byte(archNameless)); return err }); err != nil {
		t.Fatal(err)
	}
	reply := "/arch/msg/quic/" + message.Hashcode("reply1@example.net", "quic") + "/"
	nameless := "/arch/msg/quic/" + message.Hashcode("nameless1@example.com", "quic") + "/"
	addrs := []string{"ada@example.org", "bob@example.net", "carol@example.com"}
	// Where a logged-in reader sees which address: the message pages show
	// From, list pages show an address only when the author gave no name.
	pages := map[string][]string{
		reply:                            {"bob@example.net", "carol@example.com"}, // From, and the thread
		nameless:                         {"carol@example.com"},                    // its thread lists Ada and Bob by name
		"/arch/browse/quic/":             {"carol@example.com"},
		"/arch/browse/quic/?view=thread": {"carol@example.com"},
		"/arch/search/?q=negotiation":    {"carol@example.com"},
		"/feed/arch/quic/":               addrs,
	}
	anon := st.client()
	in := st.client()
	in.login("pat@example.org")
	for path, shown := range pages {
		code, body := anon.get(path)
		want(t, "anonymous "+path, code, body, 200)
		for _, a := range addrs {
			if strings.Contains(body, a) {
				t.Errorf("anonymous %s shows %s", path, a)
			}
		}
		code, body = in.get(path)
		want(t, "logged in "+path, code, body, 200, shown...)
	}
	code, body := anon.get("/arch/browse/quic/")
	want(t, "anonymous, nameless author", code, body, 200, "(name not given)")
	for _, path := range []string{reply + "raw/", "/arch/export/mbox/?list=quic"} {
		code, body := anon.get(path)
		want(t, "anonymous "+path, code, body, 403, "Log in")
		code, body = in.get(path)
		want(t, "logged in "+path, code, body, 200, "bob@example.net")
	}
}

// TestArchPersonPosts: the person page lists the person's recent posts,
// whatever case their address was written in.
func TestArchPersonPosts(t *testing.T) {
	st, _ := archSite(t, false)
	if _, err := st.people.Add(context.Background(), record.System, "Bob@Example.NET", "Bob Builder"); err != nil {
		t.Fatal(err)
	}
	reply := "/arch/msg/quic/" + message.Hashcode("reply1@example.net", "quic") + "/"
	code, body := st.client().get("/person/bob@example.net/")
	want(t, "person page", code, body, 200, "Recent posts", reply, "Re: Version negotiation")
	if strings.Contains(body, message.Hashcode("post1@example.org", "quic")) {
		t.Errorf("Bob's page lists Ada's post")
	}
	code, body = st.client().get("/person/pat@example.org/")
	want(t, "person without posts", code, body, 200, "Pat Participant")
	if strings.Contains(body, "Recent posts") {
		t.Errorf("a person without posts has a Recent posts section")
	}
}

// TestArchLongThread: a thread of hundreds of replies is shown in part,
// saying how many messages are left out, on the browse-by-thread page
// and on a message page inside it.
func TestArchLongThread(t *testing.T) {
	st, as := archSite(t, false)
	c := st.client()
	var b strings.Builder
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 520
	for i := range n {
		fmt.Fprintf(&b, "From a@b Thu Jan  1 00:00:00 2025\nFrom: P%d <p%d@example.org>\nSubject: Re: Adoption call\nDate: %s\nMessage-ID: <m%d@example.org>\n", i, i, start.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z), i)
		if i > 0 {
			fmt.Fprintf(&b, "In-Reply-To: <m%d@example.org>\n", i-1)
		}
		fmt.Fprintf(&b, "\nI support adoption (%d).\n\n", i)
	}
	if _, err := as.Import(context.Background(), "quic", strings.NewReader(b.String()), nil); err != nil {
		t.Fatal(err)
	}
	m := func(i int) string {
		return "/arch/msg/quic/" + message.Hashcode(fmt.Sprintf("m%d@example.org", i), "quic") + "/"
	}
	code, body := c.get("/arch/browse/quic/?view=thread")
	want(t, "browse by thread", code, body, 200, `<a href="`+m(500)+`">20 more messages in this thread</a>`, m(499))
	if strings.Contains(body, `href="`+m(501)+`"`) {
		t.Errorf("browse by thread lists message 501 of a thread shown up to 500")
	}
	code, body = c.get(m(300))
	want(t, "message 300", code, body, 200, "200 earlier messages in this thread", "119 later messages in this thread", m(200), m(400))
	for _, i := range []int{199, 401} {
		if strings.Contains(body, `href="`+m(i)+`"`) {
			t.Errorf("message 300's page links message %d, outside its window", i)
		}
	}
}

// TestArchMessageMissingHeaders (issue 13, item 11): a message with no
// From, no Date and no Subject says so on its page instead of showing
// "From <>" or the import time as its date, and the links to it from its
// neighbours have text.
func TestArchMessageMissingHeaders(t *testing.T) {
	st, as := archSite(t, false)
	c := st.client()
	mbox := "From a@b Thu Jan  1 00:00:00 2025\nFrom: Ann <ann@example.org>\nSubject: Before\nDate: Wed, 1 Jan 2025 10:00:00 +0000\nMessage-ID: <before@example.org>\n\nFirst.\n\n" +
		"From a@b Thu Jan  1 00:00:00 2025\nMessage-ID: <bare@example.org>\n\nNo headers to speak of.\n\n"
	if _, err := as.Import(context.Background(), "bare", strings.NewReader(mbox), nil); err != nil {
		t.Fatal(err)
	}
	bare := "/arch/msg/bare/" + message.Hashcode("bare@example.org", "bare") + "/"
	code, body := c.get(bare)
	want(t, "bare message", code, body, 200, "(no sender)", "unknown", "No headers to speak of.")
	if strings.Contains(body, "&lt;&gt;") {
		t.Error(`the bare message shows "From <>"`)
	}
	code, body = c.get("/arch/msg/bare/" + message.Hashcode("before@example.org", "bare") + "/")
	want(t, "its neighbour", code, body, 200, "Next by date: (no subject)")
}

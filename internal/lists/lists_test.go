package lists

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-smtp"

	"hum/internal/db"
	"hum/internal/mail"
	"hum/internal/record"
)

func TestEnsureCreatesListsForWGsAndStandalone(t *testing.T) {
	e := newEnv(t)
	ls, err := e.lists.All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range ls {
		names = append(names, l.Name)
	}
	if got := strings.Join(names, " "); got != "httpbis i-d-announce ietf ietf-announce last-call new-work" {
		t.Errorf("lists = %q", got)
	}
	l, _ := e.lists.Get(context.Background(), "httpbis")
	if ok, _ := e.lists.MayModerate(context.Background(), e.as(record.Actor{ID: e.chair.ID}), l); !ok {
		t.Error("the WG chair does not moderate the WG's list")
	}
}

func TestRcptRefusals(t *testing.T) {
	e := newEnv(t)
	msg := msgText("alice@example.org", "hello", "", "hi")
	for _, c := range []struct {
		to   string
		want int
	}{
		{"nosuch@hum.test", 550},
		{"httpbis@elsewhere.example", 550},
		{"httpbis+x@hum.test", 550},
		{"httpbis@hum.test", 250},
	} {
		if got := code(e.send("alice@example.org", []string{c.to}, msg)); got != c.want {
			t.Errorf("RCPT %s: %d, want %d", c.to, got, c.want)
		}
	}
	// Over the list's limit: refused at RCPT (declared SIZE) and at DATA.
	if _, err := e.db.Exec(`UPDATE list SET max_bytes = 2000 WHERE name = 'httpbis'`); err != nil {
		t.Fatal(err)
	}
	big := msgText("alice@example.org", "big", "", strings.Repeat("x", 3000))
	if got := code(e.send("alice@example.org", []string{"httpbis@hum.test"}, big)); got != 552 {
		t.Errorf("over-size RCPT: %d, want 552", got)
	}
}

func TestPostIsCommittedBefore250AndDelivered(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net", "carol@example.com")
	msg := msgText("Alice <alice@example.org>", "first post", "", "Hello, list.")
	err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msg, func() {
		if n := e.count(`SELECT COUNT(*) FROM list_post WHERE state = 'accepted'`); n != 1 {
			t.Errorf("at 250 there are %d accepted posts, want 1", n)
		}
		// The copies are queued after the 250 (fanout.go): by then the
		// post is committed with its fan-out pending, or the chunk's
		// rows are written and its fan-out not yet moved past them (a
		// chunk is two commits), or it is done. One statement reads
		// both, as of one moment.
		var n, pending int
		if err := e.db.QueryRow(`SELECT (SELECT COUNT(*) FROM delivery), (SELECT COUNT(*) FROM list_post WHERE fanout_after IS NOT NULL)`).Scan(&n, &pending); err != nil {
			t.Fatal(err)
		}
		if !(n == 2 && pending == 0) && !(n == 0 && pending == 1) && !(n == 2 && pending == 1) {
			t.Errorf("at 250 there are %d delivery rows and %d pending fan-outs, want 2 rows or 1 pending or both", n, pending)
		}
		if len(e.archive.msgs) != 1 {
			t.Errorf("at 250 the archive has %d messages, want 1", len(e.archive.msgs))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(2)
	if len(got) != 2 {
		t.Fatalf("got %d copies, want 2", len(got))
	}
	tos := map[string]bool{}
	for _, m := range got {
		tos[m.to] = true
		if !strings.HasPrefix(m.from, "httpbis-bounces+") || !strings.HasSuffix(m.from, "@hum.test") {
			t.Errorf("envelope sender %q is not VERP", m.from)
		}
		for k, want := range map[string]string{
			"Message-ID":            "<first-post@example.org>",
			"List-Id":               "<httpbis.hum.test>",
			"List-Archive":          "<https://hum.test/arch/browse/httpbis/>",
			"List-Post":             "<mailto:httpbis@hum.test>",
			"List-Help":             "<mailto:httpbis-request@hum.test?subject=help>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"From":                  "Alice <alice@example.org>",
		} {
			if v := header(m.data, k); v != want {
				t.Errorf("copy to %s: %s = %q, want %q", m.to, k, v, want)
			}
		}
		unsub := header(m.data, "List-Unsubscribe")
		if !strings.Contains(unsub, "<https://hum.test/list/httpbis/unsubscribe/") || !strings.Contains(unsub, "<mailto:httpbis-request@hum.test?subject=unsubscribe>") {
			t.Errorf("List-Unsubscribe = %q", unsub)
		}
		if ar := header(m.data, "Authentication-Results"); !strings.Contains(ar, "spf=pass") || !strings.Contains(ar, "dmarc=pass") {
			t.Errorf("Authentication-Results = %q", ar)
		}
	}
	if !tos["bob@example.net"] || !tos["carol@example.com"] || tos["alice@example.org"] {
		t.Errorf("copies went to %v", tos)
	}
	// Sent again (the client never saw our 250): taken, not repeated.
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msg); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery`); n != 2 {
		t.Errorf("after a resend there are %d delivery rows, want 2", n)
	}
	waitUntil(t, func() bool { return e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'sent'`) == 2 })
}

func TestOneClickUnsubscribe(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net")
	sub, err := e.lists.Subscription(context.Background(), "httpbis", "bob@example.net")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.lists.Unsubscribe(context.Background(), "httpbis", "wrong"+sub.Token); err == nil {
		t.Error("a wrong token unsubscribed")
	}
	if err := e.lists.Unsubscribe(context.Background(), "httpbis", sub.Token); err != nil {
		t.Fatal(err)
	}
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "after", "", "x")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.lists.ExpandFanouts(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery`); n != 0 {
		t.Errorf("%d copies queued after bob left, want 0", n)
	}
}

func TestModeration(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "bob@example.net")
	ctx := context.Background()
	chair := record.Actor{ID: e.chair.ID, Name: e.chair.Name}
	// A non-subscriber with a verified address is held and told so.
	if err := e.send("dave@example.org", []string{"httpbis@hum.test"}, msgText("dave@example.org", "outsider", "", "x")); err != nil {
		t.Fatal(err)
	}
	held, err := e.lists.Held(ctx, e.as(chair), "httpbis")
	if err != nil || len(held) != 1 {
		t.Fatalf("held = %v, %v", held, err)
	}
	if len(e.outboxTo("dave@example.org")) != 1 || len(e.outboxTo("chair@example.org")) != 1 {
		t.Error("the author or the moderator was not told about the held post")
	}
	if _, err := e.lists.Held(ctx, e.as(record.Actor{ID: 999, Name: "x"}), "httpbis"); err == nil {
		t.Error("a stranger saw the moderation queue")
	}
	if err := e.lists.Moderate(ctx, e.as(chair), "httpbis", held[0].ID, Approve, "", true); err != nil {
		t.Fatal(err)
	}
	e.waitFor(1)
	if err := e.lists.Moderate(ctx, e.as(chair), "httpbis", held[0].ID, Discard, "", false); err == nil {
		t.Error("a post was decided twice")
	}
	// Allowed from now on.
	if err := e.send("dave@example.org", []string{"httpbis@hum.test"}, msgText("dave@example.org", "again", "", "x")); err != nil {
		t.Fatal(err)
	}
	e.waitFor(2)

	// Reject: a verified author gets the reason; a forged one nothing.
	e.send("erin@example.org", []string{"httpbis@hum.test"}, msgText("erin@example.org", "offtopic", "", "x"))
	e.send("mallory@forged.example", []string{"httpbis@hum.test"}, msgText("mallory@forged.example", "spam", "", "x"))
	held, _ = e.lists.Held(ctx, e.as(chair), "httpbis")
	if len(held) != 2 {
		t.Fatalf("%d held, want 2", len(held))
	}
	if len(e.outboxTo("mallory@forged.example")) != 0 {
		t.Error("backscatter: the forged sender was told the post is held")
	}
	for _, p := range held {
		if err := e.lists.Moderate(ctx, e.as(chair), "httpbis", p.ID, Reject, "Off topic for this list.", false); err != nil {
			t.Fatal(err)
		}
	}
	got := e.outboxTo("erin@example.org")
	if len(got) != 2 || !strings.Contains(string(got[0].Raw), "Off topic for this list.") {
		t.Errorf("the verified author did not get the reason: %d mails", len(got))
	}
	if len(e.outboxTo("mallory@forged.example")) != 0 {
		t.Error("backscatter: the forged sender got the rejection")
	}
}

func TestLoopIsRefused(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org")
	msg := msgText("alice@example.org", "loop", "List-Id: HTTP <httpbis.hum.test>\n", "x")
	if got := code(e.send("alice@example.org", []string{"httpbis@hum.test"}, msg)); got != 554 {
		t.Errorf("looping message: %d, want 554", got)
	}
	// Another list's List-Id is fine.
	msg = msgText("alice@example.org", "from elsewhere", "List-Id: <other.example.org>\n", "x")
	if got := code(e.send("alice@example.org", []string{"httpbis@hum.test"}, msg)); got != 250 {
		t.Errorf("message from another list: %d, want 250", got)
	}
}

func TestDMARCRewrite(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "sam@strict.example", "bob@example.net")
	msg := msgText(`"Sam Strict" <sam@strict.example>`, "strict", "", "x")
	if err := e.send("sam@strict.example", []string{"httpbis@hum.test"}, msg); err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(1)
	if from := header(got[0].data, "From"); from != `"Sam Strict via httpbis" <httpbis@hum.test>` {
		t.Errorf("From = %q", from)
	}
	if rt := header(got[0].data, "Reply-To"); rt != `"Sam Strict" <sam@strict.example>` {
		t.Errorf("Reply-To = %q", rt)
	}
}

func TestHeaderInjectionThroughDisplayName(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "sam@strict.example", "bob@example.net")
	// An encoded CR LF in the name must not become a header when From is
	// rewritten.
	msg := msgText(`=?utf-8?q?Evil=0D=0ABcc:_victim@example.com?= <sam@strict.example>`, "inject", "", "x")
	if err := e.send("sam@strict.example", []string{"httpbis@hum.test"}, msg); err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(1)
	if header(got[0].data, "Bcc") != "" {
		t.Errorf("header injected:\n%s", got[0].data)
	}
}

func TestBadInput(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net")
	for _, c := range []struct {
		name, msg string
		want      int
	}{
		{"no From", "Subject: x\r\n\r\nbody\r\n", 554},
		{"two From", "From: a@example.org, b@example.org\r\nSubject: x\r\n\r\nbody\r\n", 554},
		{"malformed MIME", "From: alice@example.org\nSubject: mime\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"\n\n--\x00\xff garbage\n", 250},
		{"no Message-ID", "From: alice@example.org\nSubject: no id\n\nbody\n", 250},
	} {
		if got := code(e.send("alice@example.org", []string{"httpbis@hum.test"}, c.msg)); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM list_post WHERE message_id LIKE '%generated@hum.test>'`); n != 2 {
		t.Errorf("%d posts with a generated Message-ID, want 2", n)
	}
	// Huge: over the endpoint's own limit, refused at DATA.
	huge := "From: alice@example.org\nSubject: huge\n\n" + strings.Repeat(strings.Repeat("y", 998)+"\n", 11*1024)
	if got := code(e.send("alice@example.org", []string{"httpbis@hum.test"}, huge)); got != 552 {
		t.Errorf("huge: %d, want 552", got)
	}
}

func TestBouncesDisableDelivery(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "gone@example.net", "bob@example.net")
	e.sink.reject["gone@example.net"] = true
	for i := range 3 {
		if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "post "+string(rune('a'+i)), "", "x")); err != nil {
			t.Fatal(err)
		}
		e.waitFor(i + 1)
	}
	waitUntil(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM subscription WHERE address = 'gone@example.net' AND state = 'disabled'`) == 1
	})
	if len(e.outboxTo("gone@example.net")) != 1 {
		t.Error("the subscriber was not told why delivery stopped")
	}
	// A DSN to the VERP address counts as well.
	sub, _ := e.lists.Subscription(context.Background(), "httpbis", "bob@example.net")
	dsn := "From: MAILER-DAEMON@example.net\nSubject: failure\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; bob@example.net\nAction: failed\nStatus: 5.1.1\n--b--\n"
	for range 3 {
		if err := e.send("", []string{"httpbis-bounces+" + sub.Token + "@hum.test"}, dsn); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM subscription WHERE address = 'bob@example.net' AND state = 'disabled'`); n != 1 {
		t.Error("three hard DSNs did not disable delivery")
	}
}

func TestRequestCommands(t *testing.T) {
	e := newEnv(t)
	req := func(from, subject string) {
		t.Helper()
		msg := "From: " + from + "\nSubject: " + subject + "\n\n"
		if err := e.send(from, []string{"httpbis-request@hum.test"}, msg); err != nil {
			t.Fatal(err)
		}
	}
	req("frank@example.org", "subscribe")
	got := e.outboxTo("frank@example.org")
	if len(got) != 1 {
		t.Fatalf("%d confirmation mails, want 1", len(got))
	}
	raw := string(got[0].Raw)
	i := strings.Index(raw, "httpbis-confirm+")
	if i < 0 {
		t.Fatalf("no confirm address in\n%s", raw)
	}
	confirm := raw[i:i+len("httpbis-confirm+")+32] + "@hum.test"
	// A reply to the confirmation subscribes.
	if err := e.send("frank@example.org", []string{confirm}, "From: frank@example.org\nSubject: Re: Confirm\n\n"); err != nil {
		t.Fatal(err)
	}
	if sub, err := e.lists.Subscription(context.Background(), "httpbis", "frank@example.org"); err != nil || sub.State != "active" {
		t.Fatalf("not subscribed after confirming: %v %v", sub, err)
	}
	req("frank@example.org", "help")
	if got := e.outboxTo("frank@example.org"); len(got) != 3 { // confirm, welcome, help
		t.Errorf("%d mails to frank, want 3", len(got))
	}
	// Forged: nothing is sent anywhere.
	req("mallory@forged.example", "subscribe")
	if len(e.outboxTo("mallory@forged.example")) != 0 {
		t.Error("backscatter to a forged request")
	}
	req("frank@example.org", "unsubscribe")
	got = e.outboxTo("frank@example.org")
	raw = string(got[0].Raw) // newest first
	i = strings.Index(raw, "/confirm/")
	secret := raw[i+len("/confirm/") : i+len("/confirm/")+32]
	if _, err := e.lists.Confirm(context.Background(), secret); err != nil {
		t.Fatal(err)
	}
	if sub, _ := e.lists.Subscription(context.Background(), "httpbis", "frank@example.org"); sub.State != "gone" {
		t.Errorf("state after unsubscribe = %q", sub.State)
	}
}

func TestDigest(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net")
	if _, err := e.lists.Subscribe(context.Background(), record.System, "httpbis", "dora@example.net", ModeDigest); err != nil {
		t.Fatal(err)
	}
	if _, err := e.lists.Subscribe(context.Background(), record.System, "httpbis", "nomail@example.net", ModeNone); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"one", "two"} {
		if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "digest "+s, "", "x")); err != nil {
			t.Fatal(err)
		}
	}
	e.waitFor(2) // bob's copies
	if err := e.lists.SendDigests(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := e.lists.SendDigests(context.Background()); err != nil { // not again today
		t.Fatal(err)
	}
	got := e.waitFor(3)
	var digests int
	for _, m := range got {
		if m.to == "nomail@example.net" {
			t.Error("a no-mail subscriber got mail")
		}
		if m.to == "dora@example.net" {
			digests++
			if !strings.Contains(header(m.data, "Content-Type"), "multipart/digest") || !strings.Contains(m.data, "Subject: digest two") {
				t.Errorf("digest:\n%s", m.data)
			}
		}
	}
	if digests != 1 || len(got) != 3 {
		t.Errorf("%d digests, %d messages in all; want 1 and 3", digests, len(got))
	}
}

func TestLMTP(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ep := &mail.Endpoint{Hostname: domain, Target: e.lists, LMTP: true}
	go ep.Serve(ln)
	defer ep.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := smtp.NewClientLMTP(conn)
	defer c.Close()
	if err := c.Hello("mta.example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("alice@example.org", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("httpbis@hum.test", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("nosuch@hum.test", nil); code(err) != 550 {
		t.Errorf("LMTP RCPT to an unknown list: %v", err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, strings.ReplaceAll(msgText("alice@example.org", "over lmtp", "", "x"), "\n", "\r\n"))
	if _, err := w.CloseWithLMTPResponse(); err != nil {
		t.Fatal(err)
	}
	e.waitFor(1)
}

func TestDKIMSignedCopies(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	s := &Service{Domain: domain, BaseURL: "https://hum.test"}
	p, err := s.prepare("httpbis", []byte("From: a@example.org\r\nSubject: s\r\nMessage-ID: <x@example.org>\r\n\r\nbody\r\n"), false, true)
	if err != nil {
		t.Fatal(err)
	}
	raw, _, err := s.copyParts(p, "tok", &DKIMKey{Domain: domain, Selector: "hum", Signer: priv}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{LookupTXT: func(string) ([]string, error) { return []string{rec}, nil }})
	if err != nil || len(vs) != 1 || vs[0].Err != nil {
		t.Fatalf("verify: %v %+v", err, vs)
	}
	signed := strings.ToLower(strings.Join(vs[0].HeaderKeys, ":"))
	if !strings.Contains(signed, "list-unsubscribe:list-unsubscribe-post") {
		t.Errorf("RFC 8058 wants List-Unsubscribe(-Post) signed; signed %s", signed)
	}
}

// TestDeliveredCopiesAreSigned: with a DKIM key, each copy the
// Deliverer sends carries a signature that verifies over that
// subscriber's own List-Unsubscribe, sent whole through the data writer
// (a signed copy has no common part in wire form).
func TestDeliveredCopiesAreSigned(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	e := newQuietEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net", "carol@example.com") // alice, the author, gets no copy
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "signed", "", ".a line with a dot\nand more")); err != nil {
		t.Fatal(err)
	}
	sink := startSink(t)
	d := &Deliverer{Lists: e.lists, Smarthost: sink.addr, Hello: domain, Poll: 50 * time.Millisecond, Digests: -1,
		DKIM: &DKIMKey{Domain: domain, Selector: "hum", Signer: priv}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitUntil(t, func() bool { return len(sink.received()) == 2 })
	rec := "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)
	tokens := map[string]bool{}
	for _, m := range sink.received() {
		vs, err := dkim.VerifyWithOptions(strings.NewReader(m.data), &dkim.VerifyOptions{LookupTXT: func(string) ([]string, error) { return []string{rec}, nil }})
		if err != nil || len(vs) != 1 || vs[0].Err != nil {
			t.Fatalf("the copy to %s does not verify: %v %+v\n%s", m.to, err, vs, m.data)
		}
		if !strings.Contains(m.data, "\r\n.a line with a dot\r\n") {
			t.Errorf("the copy to %s lost the line that begins with a dot:\n%s", m.to, m.data)
		}
		i := strings.Index(m.data, "/unsubscribe/")
		if i < 0 {
			t.Fatalf("the copy to %s has no List-Unsubscribe", m.to)
		}
		tokens[m.data[i:i+strings.Index(m.data[i:], ">")]] = true
	}
	if len(tokens) != 2 {
		t.Errorf("the two copies carry %d different unsubscribe links, want one each", len(tokens))
	}
}

func TestAnnounce(t *testing.T) {
	e := newEnv(t)
	e.subscribe("ietf-announce", "alice@example.org", "bob@example.net")
	// Through the Router, as docs would: list mail is posted, other
	// mail queued.
	m := e.lists.Router(&mail.Outbox{})
	err := e.db.Write(context.Background(), func(tx *db.Tx) error {
		return m.Queue(context.Background(), tx, mail.Message{From: "iesg-secretary@hum.test", To: []string{"ietf-announce@hum.test", "author@example.org"},
			Subject: "Last Call: <draft-x-00.txt>", Body: "Comments by ..."})
	})
	if err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(2)
	if header(got[0].data, "List-Id") != "<ietf-announce.hum.test>" || len(e.archive.msgs) != 1 {
		t.Errorf("announcement: %q, archive %d", header(got[0].data, "List-Id"), len(e.archive.msgs))
	}
	if len(e.outboxTo("author@example.org")) != 1 || len(e.outboxTo("ietf-announce@hum.test")) != 0 {
		t.Error("the router did not split list mail from other mail")
	}
}

// A post made for a person (a chair's consensus call) keeps the
// Message-Id, In-Reply-To and References it is given, so that it roots or
// joins a thread, and shows the person's name.
func TestAnnounceKeepsThreadHeadersAndName(t *testing.T) {
	e := newEnv(t)
	e.subscribe("ietf-announce", "alice@example.org")
	m := e.lists.Router(&mail.Outbox{})
	err := e.db.Write(context.Background(), func(tx *db.Tx) error {
		return m.Queue(context.Background(), tx, mail.Message{From: "chair@example.org", FromName: "Chris Chair", To: []string{"ietf-announce@hum.test"},
			Subject: "Re: Call for adoption", Body: "Outcome",
			Headers: map[string]string{"Message-Id": "<outcome-1@hum.test>", "In-Reply-To": "<call-1@hum.test>", "References": "<call-1@hum.test>"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(1)
	for k, want := range map[string]string{"Message-Id": "<outcome-1@hum.test>", "In-Reply-To": "<call-1@hum.test>", "References": "<call-1@hum.test>"} {
		if h := header(got[0].data, k); h != want {
			t.Errorf("delivered %s = %q, want %q", k, h, want)
		}
	}
	if h := header(got[0].data, "From"); !strings.Contains(h, "Chris Chair") {
		t.Errorf("delivered From = %q, want the chair's name", h)
	}
	var id string
	if err := e.db.QueryRow(`SELECT message_id FROM list_post`).Scan(&id); err != nil || id != "<outcome-1@hum.test>" {
		t.Errorf("list_post.message_id = %q, %v", id, err)
	}
}

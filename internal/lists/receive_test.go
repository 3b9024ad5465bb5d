package lists

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hum/internal/record"
)

// TestHeldPostOnStandaloneListTellsSecretariat: a list with no chairs
// and no moderators of its own sends held-post notices to the
// secretariat; once it has a moderator, to them.
func TestHeldPostOnStandaloneListTellsSecretariat(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sec := e.body.Add("sec@example.org", "Sam Secretariat")
	e.body.Grant("secretariat", "secr", sec.ID, "sec@example.org")
	if err := e.send("alice@example.org", []string{"ietf-announce@hum.test"}, msgText("alice@example.org", "announce one", "", "x")); err != nil {
		t.Fatal(err)
	}
	if got := e.outboxTo("sec@example.org"); len(got) != 1 || !strings.Contains(string(got[0].Raw), "Held for moderation on ietf-announce") {
		t.Fatalf("the secretariat got %d notices, want 1", len(got))
	}
	if err := e.lists.AddModerator(ctx, e.as(record.Actor{ID: sec.ID, Name: sec.Name}), "ietf-announce", "chair@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := e.send("alice@example.org", []string{"ietf-announce@hum.test"}, msgText("alice@example.org", "announce two", "", "x")); err != nil {
		t.Fatal(err)
	}
	if n, m := len(e.outboxTo("sec@example.org")), len(e.outboxTo("chair@example.org")); n != 1 || m != 1 {
		t.Errorf("after adding a moderator: %d notices to the secretariat (want 1 in all), %d to the moderator (want 1)", n, m)
	}
}

// TestRequestRepliesUnlessForged: a command from a domain with no DMARC
// record is answered (the reply asks for confirmation); one that the
// checks show to be forged is not.
func TestRequestRepliesUnlessForged(t *testing.T) {
	e := newEnv(t)
	req := func(from, subject string) {
		t.Helper()
		if err := e.send(from, []string{"httpbis-request@hum.test"}, "From: "+from+"\nSubject: "+subject+"\n\n"); err != nil {
			t.Fatal(err)
		}
	}
	req("nora@nodmarc.example", "subscribe")
	got := e.outboxTo("nora@nodmarc.example")
	if len(got) != 1 || !strings.Contains(string(got[0].Raw), "httpbis-confirm+") {
		t.Fatalf("%d confirmation requests to a sender with dmarc=none, want 1", len(got))
	}
	if as := header(string(got[0].Raw), "Auto-Submitted"); as != "auto-replied" {
		t.Errorf("a reply to a mailed command has Auto-Submitted %q, want auto-replied", as)
	}
	req("nora@nodmarc.example", "help")
	if n := len(e.outboxTo("nora@nodmarc.example")); n != 2 {
		t.Errorf("%d mails to nora after help, want 2", n)
	}
	req("sid@spffail.example", "subscribe")    // SPF fail, no DMARC record, no DKIM
	req("mallory@forged.example", "subscribe") // DMARC fail
	for _, a := range []string{"sid@spffail.example", "mallory@forged.example"} {
		if n := len(e.outboxTo(a)); n != 0 {
			t.Errorf("backscatter: %d mails to %s", n, a)
		}
	}
}

// TestRejectReasonReachesUnverifiedAuthor: a moderator's reason goes to
// an author the checks could not verify, but not to a forged one.
func TestRejectReasonReachesUnverifiedAuthor(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	chair := record.Actor{ID: e.chair.ID, Name: e.chair.Name}
	for _, a := range []string{"nora@nodmarc.example", "sid@spffail.example"} {
		if err := e.send(a, []string{"httpbis@hum.test"}, msgText(a, "from "+a, "", "x")); err != nil {
			t.Fatal(err)
		}
	}
	held, err := e.lists.Held(ctx, e.as(chair), "httpbis")
	if err != nil || len(held) != 2 {
		t.Fatalf("held = %v, %v", held, err)
	}
	for _, p := range held {
		if err := e.lists.Moderate(ctx, e.as(chair), "httpbis", p.ID, Reject, "Not for this list.", false); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.outboxTo("nora@nodmarc.example"); len(got) != 1 || !strings.Contains(string(got[0].Raw), "Not for this list.") {
		t.Errorf("the unverified author got %d mails, want the reason", len(got))
	}
	if n := len(e.outboxTo("sid@spffail.example")); n != 0 {
		t.Errorf("backscatter: the forged author got %d mails", n)
	}
}

// TestOwnAuthResultsAreRemoved: an Authentication-Results field that
// arrives claiming hum's authserv-id is dropped; others stay (RFC 8601).
func TestOwnAuthResultsAreRemoved(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net")
	extra := "Authentication-Results: hum.test; dkim=pass header.d=fake.example\n" +
		"Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.org\n" +
		"Authentication-Results: (by us) HUM.TEST;\n dmarc=pass header.from=fake.example\n"
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "claims", extra, "x")); err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(1)[0].data
	if strings.Contains(got, "fake.example") || !strings.Contains(got, "Authentication-Results: mx.example.org;") {
		t.Errorf("the copy's header:\n%s", got[:strings.Index(got, "\r\n\r\n")])
	}
	if ar := header(got, "Authentication-Results"); !strings.HasPrefix(ar, "hum.test;") || !strings.Contains(ar, "dmarc=pass header.from=example.org") {
		t.Errorf("the first Authentication-Results is %q, want hum's own", ar)
	}
	for _, raw := range e.archive.msgs {
		if strings.Contains(string(raw), "fake.example") {
			t.Error("the archive keeps a forged Authentication-Results")
		}
	}
}

// TestWebConfirmationIsAutoGenerated: mail caused by the web form is not
// a reply to a message (RFC 3834).
func TestWebConfirmationIsAutoGenerated(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.lists.StartSubscribe(ctx, "httpbis", "web@example.net", ModeEach); err != nil {
		t.Fatal(err)
	}
	got := e.outboxTo("web@example.net")
	if len(got) != 1 {
		t.Fatalf("%d confirmation mails, want 1", len(got))
	}
	raw := string(got[0].Raw)
	if as := header(raw, "Auto-Submitted"); as != "auto-generated" {
		t.Errorf("the confirmation request has Auto-Submitted %q, want auto-generated", as)
	}
	i := strings.Index(raw, "/confirm/")
	if _, err := e.lists.Confirm(ctx, raw[i+len("/confirm/"):i+len("/confirm/")+32]); err != nil {
		t.Fatal(err)
	}
	got = e.outboxTo("web@example.net") // newest first
	if len(got) != 2 || header(string(got[0].Raw), "Auto-Submitted") != "auto-generated" {
		t.Errorf("the welcome after a web confirmation is not auto-generated")
	}
}

// TestFailedSubscriberLookupIsTemporary: when the database cannot say
// whether the sender is subscribed, the post is neither held nor taken;
// the sender gets a temporary failure and tries again.
func TestFailedSubscriberLookupIsTemporary(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org")
	// The lookup reads list_allowed too: without it, the query fails.
	if _, err := e.db.Exec(`DROP TABLE list_allowed`); err != nil {
		t.Fatal(err)
	}
	err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "lookup fails", "", "x"))
	if c := code(err); c < 400 || c >= 500 {
		t.Errorf("SMTP reply %d (%v), want a temporary failure (4xx)", c, err)
	}
	if n := e.count(`SELECT COUNT(*) FROM list_post`); n != 0 {
		t.Errorf("%d posts stored (held or accepted), want none", n)
	}
}

// TestOddBytesInHeader: a NUL byte, which SMTP mail may not carry (RFC
// 2045 2.7-2.8), is removed at the endpoint; a control character the
// standard library's header parser refuses (0x01) stays. Either way the
// post keeps its own Message-ID: the archive and every copy have it once,
// and no NUL.
func TestOddBytesInHeader(t *testing.T) {
	for _, odd := range []string{"\x00", "\x01"} {
		t.Run(fmt.Sprintf("%q", odd), func(t *testing.T) {
			e := newEnv(t)
			e.subscribe("httpbis", "alice@example.org", "bob@example.net")
			msg := "From: alice@example.org\nTo: httpbis@hum.test\nSubject: odd" + odd + "here\nX-Odd: a" + odd + "b\n" +
				"Message-ID: <odd-1@example.org>\nDate: Thu, 26 Nov 2026 12:00:00 +0000\n\nbody" + odd + "text\n"
			if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msg); err != nil {
				t.Fatal(err)
			}
			if n := e.count(`SELECT COUNT(*) FROM list_post WHERE message_id = '<odd-1@example.org>'`); n != 1 {
				t.Errorf("%d posts recorded under the original Message-ID, want 1", n)
			}
			for _, c := range e.waitFor(1) {
				checkOneMessageID(t, "the copy to "+c.to, c.data)
			}
			e.archive.mu.Lock()
			defer e.archive.mu.Unlock()
			if len(e.archive.msgs) != 1 {
				t.Fatalf("%d messages archived, want 1", len(e.archive.msgs))
			}
			for _, raw := range e.archive.msgs {
				checkOneMessageID(t, "the archived message", string(raw))
			}
		})
	}
}

func checkOneMessageID(t *testing.T, what, raw string) {
	t.Helper()
	if strings.Contains(raw, "\x00") {
		t.Errorf("%s has a NUL byte", what)
	}
	hdr, _, _ := strings.Cut(raw, "\r\n\r\n")
	n := 0
	for _, ln := range strings.Split(hdr, "\r\n") {
		if k, _, ok := strings.Cut(ln, ":"); ok && strings.EqualFold(k, "Message-ID") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%s has %d Message-ID fields, want 1:\n%s", what, n, hdr)
	}
	if id := header(raw, "Message-ID"); id != "<odd-1@example.org>" {
		t.Errorf("%s has Message-ID %q, want the original", what, id)
	}
}

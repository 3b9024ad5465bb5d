package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// TestListAcceptance is issue 3's acceptance test for the list half:
// three subscribers, a post reaches the other two with the List-*
// headers, a reply does too, one-click unsubscribe works, and a SIGKILL
// right after the 250 loses nothing and duplicates nothing.
func TestListAcceptance(t *testing.T) {
	if testing.Short() {
		t.Skip("runs hum as processes of its own")
	}
	dsn := dbtest.DSN(t)
	for _, a := range []string{"alice@example.org", "bob@example.net", "carol@example.com"} {
		if out, err := hum(t, "list", "subscribe", "--db", dsn, "ietf", a); err != nil {
			t.Fatalf("list subscribe %s: %v %s", a, err, out)
		}
	}
	// The sink takes no copy until the first process is killed: a copy
	// the smarthost accepts in the instant before a kill -9 goes out
	// again after the restart (no SMTP sender can close that window, RFC
	// 1047), and the test would count it twice now and then.
	sink := startSink(t, true)
	hold := make(chan struct{})
	sink.setHold(hold)

	httpAddr, smtpAddr := freeAddr(t), freeAddr(t)
	args := []string{"--db", dsn, "--http", httpAddr, "--smtp", smtpAddr, "--smarthost", sink.addr,
		"--domain", "hum.test", "--base-url", "http://" + httpAddr, "--data", t.TempDir()}

	// 1. A post, and the server killed the moment it says 250.
	p := startHumBinary(t, args...)
	waitListening(t, smtpAddr)
	post := "From: Alice <alice@example.org>\nTo: ietf@hum.test\nSubject: Kill me after 250\nMessage-ID: <post1@example.org>\n\nThe first post.\n"
	postTo(t, smtpAddr, "alice@example.org", "ietf@hum.test", post, func() {
		p.cmd.Process.Signal(syscall.SIGKILL)
	})
	p.cmd.Wait()
	close(hold)
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	var posts, queued int
	d.QueryRow(`SELECT COUNT(*) FROM list_post WHERE message_id = '<post1@example.org>'`).Scan(&posts)
	d.QueryRow(`SELECT COUNT(*) FROM delivery WHERE state <> 'sent'`).Scan(&queued)
	d.Close()
	if posts != 1 {
		t.Fatalf("after SIGKILL right after 250: %d posts stored, want 1", posts)
	}
	t.Logf("after SIGKILL: %d of 2 copies not yet sent", queued)
	restarted := time.Now()
	startHumBinary(t, args...)
	waitListening(t, smtpAddr)
	got := waitCopies(t, sink, "<post1@example.org>", "bob@example.net", "carol@example.com")
	// On PostgreSQL the killed process's leases are taken over once its
	// heartbeat is stale (5 s), not when they run out (20 s).
	t.Logf("after the restart, both copies were out in %v", time.Since(restarted).Round(10*time.Millisecond))
	for to, copies := range got {
		if len(copies) != 1 {
			t.Errorf("%s got %d copies, want exactly 1", to, len(copies))
		}
		for _, h := range []string{"List-Id: <ietf.hum.test>", "List-Archive: <http://" + httpAddr + "/arch/browse/ietf/>", "List-Post: <mailto:ietf@hum.test>",
			"List-Help: <mailto:ietf-request@hum.test?subject=help>", "List-Unsubscribe: <http://" + httpAddr + "/list/ietf/unsubscribe/", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"} {
			if !strings.Contains(copies[0], h) {
				t.Errorf("the copy to %s lacks %q", to, h)
			}
		}
	}
	if _, ok := got["alice@example.org"]; ok {
		t.Error("the author got her own post")
	}

	// 2. A reply reaches the other two.
	reply := "From: Bob <bob@example.net>\nTo: ietf@hum.test\nSubject: Re: Kill me after 250\nMessage-ID: <reply1@example.net>\nIn-Reply-To: <post1@example.org>\nReferences: <post1@example.org>\n\nA reply.\n"
	postTo(t, smtpAddr, "bob@example.net", "ietf@hum.test", reply, nil)
	got = waitCopies(t, sink, "<reply1@example.net>", "alice@example.org", "carol@example.com")

	// 3. Carol unsubscribes in one click (RFC 8058), from her copy.
	link := regexp.MustCompile(`List-Unsubscribe: <(http://[^>]+)>`).FindStringSubmatch(got["carol@example.com"][0])
	if link == nil {
		t.Fatal("no https unsubscribe link in carol's copy")
	}
	res, err := http.Post(link[1], "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d", res.StatusCode)
	}
	postTo(t, smtpAddr, "alice@example.org", "ietf@hum.test", "From: alice@example.org\nSubject: after\nMessage-ID: <post2@example.org>\n\nx\n", nil)
	got = waitCopies(t, sink, "<post2@example.org>", "bob@example.net")
	time.Sleep(300 * time.Millisecond)
	if n := len(sink.copiesOf("<post2@example.org>")["carol@example.com"]); n != 0 {
		t.Errorf("carol got %d copies after unsubscribing", n)
	}
}

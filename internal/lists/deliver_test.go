package lists

import (
	"slices"
	"strings"
	"testing"

	"hum/internal/mail/mailtest"
)

// TestSmarthostRefusingSecondEHLO: copies share a connection to a
// smarthost that refuses a second EHLO (sendmail, Python's smtpd), and
// all go out: none is taken for a bounce.
func TestSmarthostRefusingSecondEHLO(t *testing.T) {
	picky := mailtest.StartPicky(t, nil)
	e := newEnvTo(t, picky.Addr)
	subs := []string{"bob@example.net", "carol@example.com", "dan@example.net"}
	e.subscribe("httpbis", append([]string{"alice@example.org"}, subs...)...)
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "one connection", "", "x")); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return e.count(`SELECT COUNT(*) FROM delivery WHERE state <> 'queued'`) == 3 })
	// Eight workers may share the three copies out, but at least one
	// connection must have carried a second copy past the second-EHLO trap.
	conns, to := picky.Received()
	slices.Sort(to)
	if !slices.Equal(to, subs) || conns >= len(subs) {
		t.Errorf("the smarthost got copies for %v over %d connections; want %v over fewer than %d", to, conns, subs, len(subs))
	}
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'sent'`); n != 3 {
		t.Errorf("%d copies sent, want 3", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM subscription WHERE bounces > 0 OR state <> 'active'`); n != 0 {
		t.Errorf("%d subscribers have bounces or lost delivery", n)
	}
}

// TestSmarthostRefusingMailFrom: a 5xx to MAIL FROM is the smarthost's
// failure, not the subscribers': it is recorded on the copies, retried,
// and counts no bounce, however often it happens.
func TestSmarthostRefusingMailFrom(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net", "carol@example.com")
	e.sink.refuseMail.Store(true)
	for _, s := range []string{"one", "two", "three"} {
		if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "refused "+s, "", "x")); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM delivery WHERE attempts >= 2 AND last_error LIKE '%550%relaying denied%'`) == 6
	})
	if n := e.count(`SELECT COUNT(*) FROM delivery WHERE state <> 'queued'`); n != 0 {
		t.Errorf("%d copies left the queue while the smarthost refused MAIL FROM", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM subscription WHERE bounces > 0 OR state <> 'active'`); n != 0 {
		t.Errorf("%d subscribers were charged a bounce for the smarthost's refusal", n)
	}
	e.sink.refuseMail.Store(false)
	e.waitFor(6)
	waitUntil(t, func() bool { return e.count(`SELECT COUNT(*) FROM delivery WHERE state = 'sent'`) == 6 })
}

// TestDisableNoticeSaysWhatIsCounted: bounces are counted when each comes
// within a week of the one before, not "in a row" (a copy the smarthost
// takes may still bounce later by DSN), and the notice says so.
func TestDisableNoticeSaysWhatIsCounted(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "gone@example.net")
	e.sink.reject["gone@example.net"] = true
	for _, s := range []string{"a", "b", "c"} {
		if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "post "+s, "", "x")); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, func() bool {
		return e.count(`SELECT COUNT(*) FROM subscription WHERE address = 'gone@example.net' AND state = 'disabled'`) == 1
	})
	sub, err := e.lists.Subscription(t.Context(), "httpbis", "gone@example.net")
	if err != nil {
		t.Fatal(err)
	}
	if r := sub.DisabledReason; strings.Contains(r, "in a row") || !strings.Contains(r, "3 copies could not be delivered, each within 7 days of the one before") {
		t.Errorf("disabled because %q", r)
	}
}

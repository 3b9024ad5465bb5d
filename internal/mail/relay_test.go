package mail

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"hum/internal/mail/mailtest"
)

// TestRelayConnReusedWithoutSecondEHLO: one connection carries several
// messages to a server that refuses a second EHLO.
func TestRelayConnReusedWithoutSecondEHLO(t *testing.T) {
	p := mailtest.StartPicky(t, nil)
	c, err := DialRelay(p.Addr, "hum.test")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 3 {
		if err := c.Send("list-bounces@hum.test", fmt.Sprintf("r%d@example.org", i), []byte("Subject: x\r\n\r\nbody\r\n"), nil); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	if conns, to := p.Received(); conns != 1 || len(to) != 3 {
		t.Errorf("%d connections, %d messages; want 1 and 3", conns, len(to))
	}
}

// TestRecipientRefused: only a 5xx about the recipient is a bounce.
func TestRecipientRefused(t *testing.T) {
	for _, c := range []struct {
		name    string
		reply   map[string]string
		bounced bool
	}{
		{"RCPT 550", map[string]string{"RCPT": "550 5.1.1 no such user"}, true},
		{"end of data 554", map[string]string{".": "554 5.7.1 rejected"}, true},
		{"RCPT 450", map[string]string{"RCPT": "450 4.2.1 try later"}, false},
		{"MAIL 550", map[string]string{"MAIL": "550 5.7.1 relaying denied"}, false},
		{"EHLO 554", map[string]string{"EHLO": "554 5.7.0 go away"}, false},
		{"DATA 554", map[string]string{"DATA": "554 5.5.1 no valid recipients"}, false},
	} {
		p := mailtest.StartPicky(t, c.reply)
		conn, err := DialRelay(p.Addr, "hum.test")
		if err == nil {
			err = conn.Send("list-bounces@hum.test", "r@example.org", []byte("Subject: x\r\n\r\nbody\r\n"), nil)
			conn.Close()
		}
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if got := RecipientRefused(err); got != c.bounced {
			t.Errorf("%s: RecipientRefused(%v) = %v, want %v", c.name, err, got, c.bounced)
		}
	}
}

// TestRelayConnReadyBeforeTheEnd: ready runs before the end of the data,
// when the smarthost cannot have taken the message; when it fails, the
// message is never ended, so the smarthost keeps nothing, and Close does
// not hang on a QUIT taken for data.
func TestRelayConnReadyBeforeTheEnd(t *testing.T) {
	p := mailtest.StartPicky(t, nil)
	c, err := DialRelay(p.Addr, "hum.test")
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("Subject: x\r\n\r\nbody\r\n")
	taken := -1
	if err := c.Send("list-bounces@hum.test", "r1@example.org", msg, func() error { _, to := p.Received(); taken = len(to); return nil }); err != nil {
		t.Fatal(err)
	}
	if taken != 0 {
		t.Errorf("ready ran when the smarthost had taken %d messages, want 0", taken)
	}
	stop := errors.New("the last copy is not recorded")
	if err := c.Send("list-bounces@hum.test", "r2@example.org", msg, func() error { return stop }); err != stop {
		t.Errorf("Send = %v, want ready's error", err)
	}
	done := make(chan struct{})
	go func() { c.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hung in the middle of the data")
	}
	// Had the data been ended, Send would have waited for the 250, which
	// the smarthost gives after keeping the message.
	if _, to := p.Received(); len(to) != 1 || to[0] != "r1@example.org" {
		t.Errorf("the smarthost took messages for %v, want only r1@example.org", to)
	}
}

package mail

import (
	"fmt"
	"testing"

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
		if err := c.Send("list-bounces@hum.test", fmt.Sprintf("r%d@example.org", i), []byte("Subject: x\r\n\r\nbody\r\n")); err != nil {
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
			err = conn.Send("list-bounces@hum.test", "r@example.org", []byte("Subject: x\r\n\r\nbody\r\n"))
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

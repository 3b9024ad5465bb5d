package mail

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/mail/mailtest"
)

// smarthosts are the two kinds RelayConn meets: one that answers each
// command in turn (sendmail-like, no PIPELINING), and one that offers
// PIPELINING, to which MAIL, RCPT and DATA go in one write.
var smarthosts = []struct {
	name string
	ehlo map[string]string
}{
	{"in turn", nil},
	{"pipelining", map[string]string{"EHLO": "250-picky.test\r\n250-8BITMIME\r\n250 PIPELINING"}},
}

func picky(t *testing.T, ehlo, reply map[string]string) *mailtest.Picky {
	all := map[string]string{}
	for k, v := range ehlo {
		all[k] = v
	}
	for k, v := range reply {
		all[k] = v
	}
	return mailtest.StartPicky(t, all)
}

// TestRelayConnReusedWithoutSecondEHLO: one connection carries several
// messages to a server that refuses a second EHLO.
func TestRelayConnReusedWithoutSecondEHLO(t *testing.T) {
	for _, sh := range smarthosts {
		p := picky(t, sh.ehlo, nil)
		c, err := DialRelay(p.Addr, "hum.test")
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if err := c.Send("list-bounces@hum.test", fmt.Sprintf("r%d@example.org", i), nil, []byte("Subject: x\r\n\r\nbody\r\n")); err != nil {
				t.Fatalf("%s: message %d: %v", sh.name, i+1, err)
			}
		}
		c.Close()
		if conns, to := p.Received(); conns != 1 || len(to) != 3 {
			t.Errorf("%s: %d connections, %d messages; want 1 and 3", sh.name, conns, len(to))
		}
	}
}

// TestRecipientRefused: only a 5xx about the recipient is a bounce, and
// a message whose envelope was refused is never taken, even by a
// smarthost that says 354 to a DATA without a recipient.
func TestRecipientRefused(t *testing.T) {
	for _, sh := range smarthosts {
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
			if _, ok := c.reply["EHLO"]; ok && sh.ehlo != nil {
				continue
			}
			p := picky(t, sh.ehlo, c.reply)
			conn, err := DialRelay(p.Addr, "hum.test")
			if err == nil {
				err = conn.Send("list-bounces@hum.test", "r@example.org", nil, []byte("Subject: x\r\n\r\nbody\r\n"))
				conn.Close()
			}
			if err == nil {
				t.Errorf("%s, %s: no error", sh.name, c.name)
				continue
			}
			if got := RecipientRefused(err); got != c.bounced {
				t.Errorf("%s, %s: RecipientRefused(%v) = %v, want %v", sh.name, c.name, err, got, c.bounced)
			}
			var se *smtp.SMTPError
			if errors.As(err, &se) && se.Code >= 500 && se.EnhancedCode[0] != 5 {
				t.Errorf("%s, %s: enhanced code %v not read from %q", sh.name, c.name, se.EnhancedCode, err)
			}
			if _, to := p.Received(); len(to) != 0 && c.name != "end of data 554" {
				t.Errorf("%s, %s: the smarthost took a message for %v", sh.name, c.name, to)
			}
		}
	}
}

// TestRelayConnReadyBeforeTheEnd: ready runs before the end of the data,
// when the smarthost cannot have taken the message; when it fails, the
// message is never ended, so the smarthost keeps nothing, and Close does
// not hang on a QUIT taken for data.
func TestRelayConnReadyBeforeTheEnd(t *testing.T) {
	for _, sh := range smarthosts {
		p := picky(t, sh.ehlo, nil)
		c, err := DialRelay(p.Addr, "hum.test")
		if err != nil {
			t.Fatal(err)
		}
		msg := []byte("Subject: x\r\n\r\nbody\r\n")
		taken := -1
		if err := c.Send("list-bounces@hum.test", "r1@example.org", func() error { _, to := p.Received(); taken = len(to); return nil }, msg); err != nil {
			t.Fatal(err)
		}
		if taken != 0 {
			t.Errorf("%s: ready ran when the smarthost had taken %d messages, want 0", sh.name, taken)
		}
		stop := errors.New("the last copy is not recorded")
		if err := c.Send("list-bounces@hum.test", "r2@example.org", func() error { return stop }, msg); err != stop {
			t.Errorf("%s: Send = %v, want ready's error", sh.name, err)
		}
		done := make(chan struct{})
		go func() { c.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: Close hung in the middle of the data", sh.name)
		}
		// Had the data been ended, Send would have waited for the 250, which
		// the smarthost gives after keeping the message.
		if _, to := p.Received(); len(to) != 1 || to[0] != "r1@example.org" {
			t.Errorf("%s: the smarthost took messages for %v, want only r1@example.org", sh.name, to)
		}
	}
}

// TestRelayConnPipelines: to a smarthost that offers PIPELINING, MAIL,
// RCPT and DATA go out together. This one answers none of them until it
// has all three, so a client that waited for each reply would hang. The
// data arrives dot-stuffed, in CRLF lines, whole across the parts it was
// given in.
func TestRelayConnPipelines(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got := make(chan string, 1)
	go func() {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		r := bufio.NewReader(conn)
		io.WriteString(conn, "220 strict.test\r\n")
		r.ReadString('\n')
		io.WriteString(conn, "250-strict.test\r\n250 PIPELINING\r\n")
		var cmds []string
		for len(cmds) < 3 {
			line, err := r.ReadString('\n')
			if err != nil {
				got <- fmt.Sprintf("after %q: %v", cmds, err)
				return
			}
			cmds = append(cmds, strings.Fields(line)[0])
		}
		io.WriteString(conn, "250 ok\r\n250 ok\r\n354 go on\r\n")
		var data strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				got <- fmt.Sprintf("in the data: %v", err)
				return
			}
			if line == ".\r\n" {
				break
			}
			data.WriteString(line)
		}
		io.WriteString(conn, "250 kept\r\n")
		got <- strings.Join(cmds, " ") + "\n" + data.String()
	}()
	c, err := DialRelay(l.Addr().String(), "hum.test")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Send("b@hum.test", "r@example.org", nil, []byte("Subject: x\n\n.dot\r\nsplit "), []byte("line\n"), []byte(".\n"), []byte("no end")); err != nil {
		t.Fatal(err)
	}
	want := "MAIL RCPT DATA\nSubject: x\r\n\r\n..dot\r\nsplit line\r\n..\r\nno end\r\n"
	if s := <-got; s != want {
		t.Errorf("the smarthost got %q, want %q", s, want)
	}
}

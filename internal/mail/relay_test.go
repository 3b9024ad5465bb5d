package mail

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
)

// pickySMTP is a smarthost that behaves like sendmail: a second EHLO in a
// session gets "503 Duplicate HELO/EHLO". reply maps a command (EHLO,
// MAIL, RCPT, DATA, or "." for the end of the data) to the answer it
// gets instead of the usual one.
type pickySMTP struct {
	addr  string
	reply map[string]string

	mu    sync.Mutex
	conns int
	got   int // messages accepted
}

func startPicky(t *testing.T, reply map[string]string) *pickySMTP {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	p := &pickySMTP{addr: l.Addr().String(), reply: reply}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns++
			p.mu.Unlock()
			go p.serve(conn)
		}
	}()
	return p
}

func (p *pickySMTP) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	fmt.Fprintf(conn, "220 picky.test ESMTP\r\n")
	helloed, inData := false, false
	answer := func(cmd, usual string) {
		if a, ok := p.reply[cmd]; ok {
			usual = a
		}
		fmt.Fprintf(conn, "%s\r\n", usual)
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		if inData {
			if line == "." {
				inData = false
				if _, refused := p.reply["."]; !refused {
					p.mu.Lock()
					p.got++
					p.mu.Unlock()
				}
				answer(".", "250 2.0.0 queued")
			}
			continue
		}
		switch cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0]); cmd {
		case "EHLO", "HELO":
			if helloed {
				fmt.Fprintf(conn, "503 5.5.0 picky.test Duplicate HELO/EHLO\r\n")
				continue
			}
			helloed = true
			answer("EHLO", "250 picky.test")
		case "MAIL", "RCPT", "RSET", "NOOP":
			answer(cmd, "250 2.0.0 ok")
		case "DATA":
			if a, ok := p.reply["DATA"]; ok {
				fmt.Fprintf(conn, "%s\r\n", a)
				continue
			}
			inData = true
			fmt.Fprintf(conn, "354 go ahead\r\n")
		case "QUIT":
			fmt.Fprintf(conn, "221 bye\r\n")
			return
		default:
			fmt.Fprintf(conn, "502 5.5.1 what?\r\n")
		}
	}
}

func (p *pickySMTP) counts() (conns, got int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conns, p.got
}

// TestRelayConnReusedWithoutSecondEHLO: one connection carries several
// messages to a server that refuses a second EHLO.
func TestRelayConnReusedWithoutSecondEHLO(t *testing.T) {
	p := startPicky(t, nil)
	c, err := DialRelay(p.addr, "hum.test")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 3 {
		if err := c.Send("list-bounces@hum.test", fmt.Sprintf("r%d@example.org", i), []byte("Subject: x\r\n\r\nbody\r\n")); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	if conns, got := p.counts(); conns != 1 || got != 3 {
		t.Errorf("%d connections, %d messages; want 1 and 3", conns, got)
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
		p := startPicky(t, c.reply)
		conn, err := DialRelay(p.addr, "hum.test")
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

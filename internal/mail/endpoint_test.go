package mail

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// takeAll is a Target that takes every message.
type takeAll struct {
	mu  sync.Mutex
	got int
}

func (t *takeAll) CheckRcpt(context.Context, string, int64) error { return nil }
func (t *takeAll) Receive(context.Context, Envelope, []byte) error {
	t.mu.Lock()
	t.got++
	t.mu.Unlock()
	return nil
}

func startEndpoint(t *testing.T, e *Endpoint) string {
	t.Helper()
	if e.Target == nil {
		e.Target = &takeAll{}
	}
	e.Hostname = "hum.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.Serve(ln)
	t.Cleanup(func() { e.Close() })
	return ln.Addr().String()
}

// greet connects and reads the first reply line.
func greet(t *testing.T, addr string) (net.Conn, string) {
	t.Helper()
	return greetFrom(t, "127.0.0.1", addr)
}

func TestEndpointMaxConns(t *testing.T) {
	addr := startEndpoint(t, &Endpoint{MaxConns: 2})
	c1, l1 := greet(t, addr)
	_, l2 := greet(t, addr)
	_, l3 := greet(t, addr)
	if !strings.HasPrefix(l1, "220 ") || !strings.HasPrefix(l2, "220 ") {
		t.Fatalf("the first two connections were not greeted: %q %q", l1, l2)
	}
	if !strings.HasPrefix(l3, "421 4.7.0 ") {
		t.Errorf("the third connection got %q, want 421", l3)
	}
	// A place comes free when a client leaves.
	c1.Write([]byte("QUIT\r\n"))
	c1.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, l := greet(t, addr)
		if strings.HasPrefix(l, "220 ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no place after a client left: %q", l)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestEndpointMaxRecipients(t *testing.T) {
	target := &takeAll{}
	addr := startEndpoint(t, &Endpoint{MaxRecipients: 2, Target: target})
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("a@example.org", nil); err != nil {
		t.Fatal(err)
	}
	for i, rcpt := range []string{"one@hum.test", "two@hum.test", "three@hum.test"} {
		err := c.Rcpt(rcpt, nil)
		var se *smtp.SMTPError
		switch {
		case i < 2 && err != nil:
			t.Fatalf("RCPT %d: %v", i+1, err)
		case i == 2 && (!errors.As(err, &se) || se.Code != 452):
			t.Errorf("RCPT beyond the limit: %v, want 452", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("Subject: x\r\n\r\nx\r\n"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	target.mu.Lock()
	defer target.mu.Unlock()
	if target.got != 2 {
		t.Errorf("%d recipients delivered, want the 2 accepted", target.got)
	}
}

func TestEndpointReadTimeout(t *testing.T) {
	addr := startEndpoint(t, &Endpoint{ReadTimeout: 200 * time.Millisecond})
	c, _ := greet(t, addr)
	// Say nothing: the endpoint must hang up on its own.
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	line, err := bufio.NewReader(c).ReadString('\n')
	if err == nil && !strings.HasPrefix(line, "421 ") {
		t.Fatalf("a silent client got %q, want 421 or a closed connection", line)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the endpoint kept a silent client past its read timeout")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("hung up after %v", d)
	}
}

func TestEndpointDefaults(t *testing.T) {
	e := &Endpoint{Hostname: "hum.test", Target: &takeAll{}}
	s := e.server()
	// go-smtp's ReadTimeout is the wait for a command; the message's data
	// is read under the endpoint's ReadTimeout.
	if s.MaxRecipients != DefaultMaxRecipients || e.ReadTimeout != DefaultReadTimeout || s.ReadTimeout != DefaultIdleTimeout || s.WriteTimeout != DefaultWriteTimeout || e.conns.max != DefaultMaxConns || e.conns.perClient != DefaultMaxConnsPerClient {
		t.Errorf("defaults: rcpt %d, read %v, idle %v, write %v, conns %d, per client %d", s.MaxRecipients, e.ReadTimeout, s.ReadTimeout, s.WriteTimeout, e.conns.max, e.conns.perClient)
	}
}

// keepAll is a Target that keeps every message it takes.
type keepAll struct {
	mu  sync.Mutex
	raw [][]byte
}

func (t *keepAll) CheckRcpt(context.Context, string, int64) error { return nil }
func (t *keepAll) Receive(_ context.Context, _ Envelope, raw []byte) error {
	t.mu.Lock()
	t.raw = append(t.raw, append([]byte(nil), raw...))
	t.mu.Unlock()
	return nil
}

func (t *keepAll) taken() [][]byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.raw
}

// sendRaw sends msg (CRLF lines) in one SMTP transaction and returns the
// reply to the data: nil for 250, else the *smtp.SMTPError.
func sendRaw(t *testing.T, addr, msg string) error {
	t.Helper()
	w := openData(t, addr)
	w.Write([]byte(msg))
	return w.Close()
}

// openData opens a transaction to list@hum.test and returns the writer
// of its data; the connection closes when the test ends.
func openData(t *testing.T, addr string) io.WriteCloser {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Hello("client.example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("a@example.org", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("list@hum.test", nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// A line longer than RFC 5322's 998 characters is the sender's fault, but
// a receiver takes it (as Postfix does): a 4xx would have the sending MTA
// retry for days a message that can never go through.
func TestEndpointLongLineIsTaken(t *testing.T) {
	target := &keepAll{}
	addr := startEndpoint(t, &Endpoint{Target: target})
	long := strings.Repeat("0123456789", 500)
	msg := "From: a@example.org\r\nSubject: long\r\n\r\n" + long + "\r\nend\r\n"
	if err := sendRaw(t, addr, msg); err != nil {
		t.Fatalf("a message with a 5,000-character line: %v, want 250", err)
	}
	got := target.taken()
	if len(got) != 1 || string(got[0]) != msg {
		t.Errorf("the message was not stored intact: %d messages taken", len(got))
	}
}

// A line over the endpoint's own limit is refused for good, with a 5xx
// that says why, and never a 4xx.
func TestEndpointLineOverLimitIsPermanent(t *testing.T) {
	target := &keepAll{}
	addr := startEndpoint(t, &Endpoint{Target: target, MaxLineLength: 1000})
	msg := "From: a@example.org\r\nSubject: long\r\n\r\n" + strings.Repeat("x", 5000) + "\r\n"
	err := sendRaw(t, addr, msg)
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code/100 != 5 || !strings.Contains(se.Message, "1000") {
		t.Errorf("a line over the limit got %v, want a 5xx naming the limit", err)
	}
	if n := len(target.taken()); n != 0 {
		t.Errorf("%d messages taken, want none", n)
	}
	atLimit := "From: a@example.org\r\nSubject: long\r\n\r\n" + strings.Repeat("x", 1000) + "\r\n"
	if err := sendRaw(t, addr, atLimit); err != nil {
		t.Errorf("a line of exactly the limit: %v, want 250", err)
	}
}

// greetFrom is greet from the local address ip.
func greetFrom(t *testing.T, ip, addr string) (net.Conn, string) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("greeting: %v", err)
	}
	return c, line
}

// One client holding all the connections it may have does not shut out
// another (127.0.0.2 is loopback on Linux too); the one over its limit
// is told 421. Postfix calls this smtpd_client_connection_count_limit.
func TestEndpointPerClientLimit(t *testing.T) {
	if DefaultMaxConnsPerClient >= DefaultMaxConns {
		t.Fatalf("the per-client default %d is not below the global %d", DefaultMaxConnsPerClient, DefaultMaxConns)
	}
	addr := startEndpoint(t, &Endpoint{})
	for i := range DefaultMaxConnsPerClient {
		if _, l := greetFrom(t, "127.0.0.1", addr); !strings.HasPrefix(l, "220 ") {
			t.Fatalf("connection %d from 127.0.0.1 got %q, want 220", i+1, l)
		}
	}
	if _, l := greetFrom(t, "127.0.0.1", addr); !strings.HasPrefix(l, "421 4.7.0 ") {
		t.Errorf("one connection over the client's limit got %q, want 421", l)
	}
	if _, l := greetFrom(t, "127.0.0.2", addr); !strings.HasPrefix(l, "220 ") {
		t.Errorf("another client got %q, want 220", l)
	}
}

// A client that says nothing is dropped after IdleTimeout, well before
// the five minutes RFC 5321 gives a command that is being sent.
func TestEndpointIdleTimeout(t *testing.T) {
	e := &Endpoint{Hostname: "hum.test", Target: &takeAll{}}
	if s := e.server(); s.ReadTimeout > time.Minute {
		t.Errorf("the default wait for a command is %v, want at most a minute", s.ReadTimeout)
	}
	addr := startEndpoint(t, &Endpoint{IdleTimeout: 200 * time.Millisecond})
	c, _ := greet(t, addr)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err == nil && !strings.HasPrefix(line, "421 ") {
		t.Fatalf("a silent client got %q, want 421 or a closed connection", line)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the endpoint kept a silent client past its idle timeout")
	}
}

// The idle timeout is for a client that sends no command: a message
// that arrives slowly, with pauses longer than it, is taken.
func TestEndpointSlowDataIsNotIdle(t *testing.T) {
	target := &keepAll{}
	w := openData(t, startEndpoint(t, &Endpoint{Target: target, IdleTimeout: 100 * time.Millisecond}))
	w.Write([]byte("Subject: slow\r\n\r\n"))
	time.Sleep(400 * time.Millisecond) // longer than the idle timeout
	w.Write([]byte("at last\r\n"))
	if err := w.Close(); err != nil {
		t.Fatalf("a slow message: %v, want 250", err)
	}
	if got := target.taken(); len(got) != 1 || !strings.Contains(string(got[0]), "at last") {
		t.Errorf("the slow message was not taken whole")
	}
}

package mail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/corpustest"
	"hum/internal/mail/mailtest"
)

// smarthosts are the two kinds of sendmail-like smarthost the relay
// tests run against: with PIPELINING and without.
var smarthosts = []struct {
	name  string
	start func(testing.TB, map[string]string) *mailtest.Picky
}{
	{"plain", mailtest.StartPicky},
	{"pipelining", mailtest.StartPipelining},
}

// TestRelayConnReusedWithoutSecondEHLO: one connection carries several
// messages to a server that refuses a second EHLO; MAIL, RCPT and DATA
// go together where the server offers PIPELINING, and in turn where not.
func TestRelayConnReusedWithoutSecondEHLO(t *testing.T) {
	for _, sh := range smarthosts {
		p := sh.start(t, nil)
		c, err := DialRelay(p.Addr, "hum.test")
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if err := c.Send("list-bounces@hum.test", fmt.Sprintf("r%d@example.org", i), nil, []byte("Subject: x\r\n\r\nbody\r\n"), nil); err != nil {
				t.Fatalf("%s: message %d: %v", sh.name, i+1, err)
			}
		}
		c.Close()
		if conns, to := p.Received(); conns != 1 || len(to) != 3 {
			t.Errorf("%s: %d connections, %d messages; want 1 and 3", sh.name, conns, len(to))
		}
		want := 0
		if sh.name == "pipelining" {
			want = 3
		}
		if got := p.Pipelined(); got != want {
			t.Errorf("%s: %d of 3 MAIL commands came with RCPT and DATA behind them, want %d", sh.name, got, want)
		}
	}
}

// TestRecipientRefused: only a 5xx about the recipient is a bounce, and
// a message whose envelope was refused is never taken, whether the
// envelope went in turn or pipelined (where RCPT and DATA are sent
// before MAIL's reply, and get the smarthost's 503s after a refusal).
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
			p := sh.start(t, c.reply)
			conn, err := DialRelay(p.Addr, "hum.test")
			if err == nil {
				err = conn.Send("list-bounces@hum.test", "r@example.org", nil, []byte("Subject: x\r\n\r\nbody\r\n"), nil)
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
			if se != nil && c.reply[strings.Fields(c.name)[0]] != "" && !strings.Contains(c.reply[strings.Fields(c.name)[0]], strconv.Itoa(se.Code)) {
				t.Errorf("%s, %s: the error is %q, not the reply to %s", sh.name, c.name, err, strings.Fields(c.name)[0])
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
		p := sh.start(t, nil)
		c, err := DialRelay(p.Addr, "hum.test")
		if err != nil {
			t.Fatal(err)
		}
		msg := []byte("Subject: x\r\n\r\nbody\r\n")
		taken := -1
		if err := c.Send("list-bounces@hum.test", "r1@example.org", func() error { _, to := p.Received(); taken = len(to); return nil }, msg, nil); err != nil {
			t.Fatal(err)
		}
		if taken != 0 {
			t.Errorf("%s: ready ran when the smarthost had taken %d messages, want 0", sh.name, taken)
		}
		stop := errors.New("the last copy is not recorded")
		if err := c.Send("list-bounces@hum.test", "r2@example.org", func() error { return stop }, msg, nil); err != stop {
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

// rawSink is a go-smtp smarthost that keeps the data of each message as
// it arrives, un-dot-stuffed by the server.
type rawSink struct {
	mu  sync.Mutex
	got [][]byte
}

func (s *rawSink) NewSession(*smtp.Conn) (smtp.Session, error) { return s, nil }
func (s *rawSink) Reset()                                      {}
func (s *rawSink) Logout() error                               { return nil }
func (s *rawSink) Mail(string, *smtp.MailOptions) error        { return nil }
func (s *rawSink) Rcpt(string, *smtp.RcptOptions) error        { return nil }
func (s *rawSink) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.got = append(s.got, b)
	s.mu.Unlock()
	return nil
}

// TestRelayConnWireArrivesAsWritten: a message whose rest is sent in
// wire form (ToWire, WriteWire) arrives byte for byte as the same message
// sent whole through go-smtp's data writer, after whichever line the
// head ends:
// before a line that begins with a dot, a lone "." line, bare LFs and
// CRs, a last line not ended, and the corpus's messages with broken line
// ends. A lone "." line not stuffed would end the data early; a stuffed
// dot not taken off again would add a byte; a line end not made CRLF, or
// made twice, would change the text.
func TestRelayConnWireArrivesAsWritten(t *testing.T) {
	sink := &rawSink{}
	srv := smtp.NewServer(sink)
	srv.Domain = "sink.test"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })

	messages := [][]byte{
		[]byte("Subject: x\r\n\r\n.dot\r\n.\r\nsplit line\r\n..two\r\n\r\n.\r\nend\r\n"),
		[]byte("Subject: bare\n\n.lf only\n.\nlast line not ended"),
		[]byte("Subject: cr\r\n\r\nlone\rcr\r.after cr\r\n.\r"),
		[]byte(".Subject: dot first\r\n\r\n"),
	}
	for _, name := range []string{"bad-newlines-multiple-parts.msg", "basic-plain-with-bad-header-separator.msg"} {
		messages = append(messages, corpustest.ReadFile(t, "email/mime4j/"+name))
	}

	c, err := DialRelay(l.Addr().String(), "hum.test")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	type send struct {
		head []byte
		rest Wire
	}
	for _, whole := range messages {
		sends := []send{{head: whole}} // the message through the data writer alone
		for i := 0; i <= len(whole); i++ {
			if i > 0 && whole[i-1] == '\n' {
				sends = append(sends, send{head: whole[:i], rest: ToWire(whole[i:])})
			}
		}
		// and the rest made of parts cut anywhere, as a list's prepared
		// post is of its header and body
		if i := bytes.IndexByte(whole, '\n') + 1; i > 0 {
			mid := i + (len(whole)-i)/2
			sends = append(sends, send{head: whole[:i], rest: ToWire(whole[i:mid], whole[mid:])})
		}
		sink.mu.Lock()
		sink.got = nil
		sink.mu.Unlock()
		for _, s := range sends {
			if err := c.Send("b@hum.test", "r@example.org", nil, s.head, s.rest); err != nil {
				t.Fatalf("%q then %q: %v", s.head, s.rest, err)
			}
		}
		sink.mu.Lock()
		got := sink.got
		sink.mu.Unlock()
		if len(got) != len(sends) {
			t.Fatalf("the smarthost took %d messages, want %d", len(got), len(sends))
		}
		for i := range got {
			if !bytes.Equal(got[i], got[0]) {
				t.Errorf("sent as %q then %q, arrived as %q; sent whole through the data writer, as %q", sends[i].head, sends[i].rest, got[i], got[0])
			}
		}
	}
	// A head that does not end a line cannot go before a rest in wire
	// form: the rest's first line would not be escaped as a line's start.
	if err := c.Send("b@hum.test", "r@example.org", nil, []byte("Subject: x"), ToWire([]byte(".\r\n"))); err == nil {
		t.Error("a head not ending a line was sent before a rest in wire form")
	}
	if err := c.Send("b@hum.test", "r@example.org", nil, nil, ToWire([]byte("Subject: x\r\n"))); err == nil {
		t.Error("a rest in wire form was sent with no head")
	}
	if w := ToWire(nil, []byte{}); w != nil {
		t.Errorf("ToWire of no data = %q, want none", w)
	}
	if err := c.Send("b@hum.test", "r@example.org", nil, []byte("Subject: x\r\n\r\nafter a refusal\r\n"), nil); err != nil {
		t.Errorf("the connection after a refused send: %v", err)
	}
}

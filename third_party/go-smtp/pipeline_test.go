package smtp

// Tests of hum's addition (pipeline.go, HUM.md).

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
)

// writes records each Write on a connection as a chunk of its own, so a
// test can see which commands went out together.
type writes struct {
	net.Conn
	mu     sync.Mutex
	chunks []string
}

func (w *writes) Write(b []byte) (int, error) {
	w.mu.Lock()
	w.chunks = append(w.chunks, string(b))
	w.mu.Unlock()
	return w.Conn.Write(b)
}

func (w *writes) taken() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.chunks
	w.chunks = nil
	return out
}

// pipeBackend is a go-smtp server's backend that refuses senders and
// recipients whose address starts with "refused" and keeps what arrives.
type pipeBackend struct {
	mu  sync.Mutex
	got []string // "from -> to,to: data"
}

type pipeSession struct {
	b    *pipeBackend
	from string
	to   []string
}

func (b *pipeBackend) NewSession(*Conn) (Session, error) { return &pipeSession{b: b}, nil }

func (s *pipeSession) Reset()        { s.from, s.to = "", nil }
func (s *pipeSession) Logout() error { return nil }
func (s *pipeSession) Mail(from string, _ *MailOptions) error {
	if strings.HasPrefix(from, "refused") {
		return &SMTPError{Code: 550, EnhancedCode: EnhancedCode{5, 1, 8}, Message: "sender refused"}
	}
	s.from = from
	return nil
}
func (s *pipeSession) Rcpt(to string, _ *RcptOptions) error {
	if strings.HasPrefix(to, "refused") {
		return &SMTPError{Code: 550, EnhancedCode: EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.to = append(s.to, to)
	return nil
}
func (s *pipeSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	s.b.got = append(s.b.got, s.from+" -> "+strings.Join(s.to, ",")+": "+string(b))
	s.b.mu.Unlock()
	return nil
}

func (b *pipeBackend) arrived() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.got...)
}

// pipeServer starts go-smtp's server (which offers PIPELINING) and
// returns a client connected to it, with its writes recorded.
func pipeServer(t *testing.T) (*Client, *writes, *pipeBackend) {
	t.Helper()
	be := &pipeBackend{}
	s := NewServer(be)
	s.Domain = "sink.example.org"
	s.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	w := &writes{Conn: conn}
	c := NewClient(w)
	t.Cleanup(func() { c.Close() })
	if err := c.Hello("client.example.org"); err != nil {
		t.Fatal(err)
	}
	w.taken()
	return c, w, be
}

func sendData(t *testing.T, d *DataCommand, body string) {
	t.Helper()
	if _, err := d.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestMailRcptDataPipelines(t *testing.T) {
	c, w, be := pipeServer(t)
	for i, body := range []string{"Subject: one\r\n\r\nfirst\r\n", "Subject: two\r\n\r\n.dot\r\n"} {
		d, rcptErrs, err := c.MailRcptData("list-bounces@example.org", nil, []string{"a@example.org", "b@example.org"}, nil)
		if err != nil {
			t.Fatalf("transaction %d: %v", i, err)
		}
		if rcptErrs[0] != nil || rcptErrs[1] != nil {
			t.Fatalf("transaction %d: recipient errors %v", i, rcptErrs)
		}
		chunks := w.taken()
		want := "MAIL FROM:<list-bounces@example.org> BODY=8BITMIME\r\nRCPT TO:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
		if len(chunks) != 1 || chunks[0] != want {
			t.Fatalf("transaction %d: the client wrote %q, want MAIL, RCPT and DATA in one write: %q", i, chunks, want)
		}
		sendData(t, d, body)
		w.taken()
	}
	got := be.arrived()
	want := []string{
		"list-bounces@example.org -> a@example.org,b@example.org: Subject: one\r\n\r\nfirst\r\n",
		"list-bounces@example.org -> a@example.org,b@example.org: Subject: two\r\n\r\n.dot\r\n",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("arrived %q, want %q", got, want)
	}
}

func TestMailRcptDataSomeRefused(t *testing.T) {
	c, _, be := pipeServer(t)
	d, rcptErrs, err := c.MailRcptData("list@example.org", nil, []string{"refused@example.org", "b@example.org"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var se *SMTPError
	if !errors.As(rcptErrs[0], &se) || se.Code != 550 || rcptErrs[1] != nil {
		t.Fatalf("recipient errors %v, want a 550 for the first only", rcptErrs)
	}
	sendData(t, d, "Subject: x\r\n\r\nx\r\n")
	if got := be.arrived(); len(got) != 1 || !strings.HasPrefix(got[0], "list@example.org -> b@example.org: ") {
		t.Fatalf("arrived %q, want the message for b only", got)
	}
}

func TestMailRcptDataAllRefused(t *testing.T) {
	c, _, be := pipeServer(t)
	d, rcptErrs, err := c.MailRcptData("list@example.org", nil, []string{"refused@example.org"}, nil)
	if d != nil || !errors.Is(err, ErrNoRecipient) {
		t.Fatalf("got %v, %v; want no data writer and ErrNoRecipient", d, err)
	}
	var se *SMTPError
	if !errors.As(rcptErrs[0], &se) || se.Code != 550 {
		t.Fatalf("recipient error %v, want the 550", rcptErrs[0])
	}
	// The session goes on after a reset.
	if err := c.Reset(); err != nil {
		t.Fatal(err)
	}
	d, _, err = c.MailRcptData("list@example.org", nil, []string{"b@example.org"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sendData(t, d, "Subject: after\r\n\r\nx\r\n")
	if got := be.arrived(); len(got) != 1 {
		t.Fatalf("arrived %q, want the one message after the reset", got)
	}
}

func TestMailRcptDataSenderRefused(t *testing.T) {
	c, _, be := pipeServer(t)
	d, _, err := c.MailRcptData("refused@example.org", nil, []string{"b@example.org"}, nil)
	var se *SMTPError
	if d != nil || !errors.As(err, &se) || se.Code != 550 || se.Message != "sender refused" {
		t.Fatalf("got %v, %v; want MAIL's refusal", d, err)
	}
	if got := be.arrived(); len(got) != 0 {
		t.Fatalf("arrived %q", got)
	}
}

// chunks records each Write as a chunk of its own.
type chunks []string

func (c *chunks) Write(b []byte) (int, error) {
	*c = append(*c, string(b))
	return len(b), nil
}

// scripted is a client on a connection whose server says script, in
// order, whatever the client writes; the client's writes are recorded.
func scripted(script ...string) (*Client, *chunks) {
	var out chunks
	var fake faker
	fake.ReadWriter = struct {
		io.Reader
		io.Writer
	}{strings.NewReader(strings.Join(script, "\r\n") + "\r\n"), &out}
	c := NewClient(fake)
	c.localName = "client.example.org"
	return c, &out
}

// A server that says 354 to DATA though it took no recipient (RFC 2920
// has it refuse): the client ends an empty message at once.
func TestMailRcptDataEndsAnUnwantedData(t *testing.T) {
	c, out := scripted("220 sink", "250-sink", "250 PIPELINING", "250 ok", "550 5.1.1 no such user", "354 go ahead", "250 queued")
	d, rcptErrs, err := c.MailRcptData("list@example.org", nil, []string{"refused@example.org"}, nil)
	if d != nil || !errors.Is(err, ErrNoRecipient) || rcptErrs[0] == nil {
		t.Fatalf("got %v, %v, %v; want ErrNoRecipient", d, rcptErrs, err)
	}
	want := []string{"EHLO client.example.org\r\n", "MAIL FROM:<list@example.org>\r\nRCPT TO:<refused@example.org>\r\nDATA\r\n", ".\r\n"}
	if strings.Join(*out, "|") != strings.Join(want, "|") {
		t.Fatalf("the client wrote %q, want %q", *out, want)
	}
}

// Without PIPELINING the commands go one by one, each after its reply.
func TestMailRcptDataInTurn(t *testing.T) {
	c, out := scripted("220 sink", "250-sink", "250 8BITMIME", "250 ok", "250 ok", "354 go ahead")
	d, rcptErrs, err := c.MailRcptData("list@example.org", nil, []string{"a@example.org"}, nil)
	if err != nil || d == nil || rcptErrs[0] != nil {
		t.Fatalf("got %v, %v, %v", d, rcptErrs, err)
	}
	want := []string{"EHLO client.example.org\r\n", "MAIL FROM:<list@example.org> BODY=8BITMIME\r\n", "RCPT TO:<a@example.org>\r\n", "DATA\r\n"}
	if strings.Join(*out, "|") != strings.Join(want, "|") {
		t.Fatalf("the client wrote %q, want %q", *out, want)
	}
}

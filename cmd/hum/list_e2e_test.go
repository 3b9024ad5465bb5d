package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// listSink is the smarthost of the list test: it keeps every copy. While
// hold is open, a sender waits at MAIL FROM, before any copy can be taken.
type listSink struct {
	mu   sync.Mutex
	got  []listCopy
	hold chan struct{}
}

type listCopy struct{ from, to, data string }

func (s *listSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &listSinkSession{s: s}, nil }

type listSinkSession struct {
	s    *listSink
	from string
	to   []string // every RCPT of the transaction: one copy each
}

func (ss *listSinkSession) Reset()        { ss.to = nil }
func (ss *listSinkSession) Logout() error { return nil }
func (ss *listSinkSession) Mail(f string, _ *smtp.MailOptions) error {
	if ss.s.hold != nil {
		<-ss.s.hold
	}
	ss.from, ss.to = f, nil
	return nil
}
func (ss *listSinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}
func (ss *listSinkSession) Data(r io.Reader) error {
	b, _ := io.ReadAll(r)
	ss.s.mu.Lock()
	for _, to := range ss.to {
		ss.s.got = append(ss.s.got, listCopy{ss.from, to, string(b)})
	}
	ss.s.mu.Unlock()
	return nil
}

// copiesOf returns the copies of the message with the given Message-ID,
// by recipient.
func (s *listSink) copiesOf(msgID string) map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]string{}
	for _, c := range s.got {
		if strings.Contains(c.data, "Message-ID: "+msgID+"\r\n") || strings.Contains(c.data, "Message-Id: "+msgID+"\r\n") {
			out[c.to] = append(out[c.to], c.data)
		}
	}
	return out
}

// humProcess runs the real binary, so SIGKILL is a real crash.
type humProcess struct {
	cmd *exec.Cmd
}

func startHumBinary(t *testing.T, bin string, args ...string) *humProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &humProcess{cmd}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	return p
}

func waitListening(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %s", addr)
}

// postTo sends one message over SMTP and calls after() the moment the
// server has answered 250 to the data, before QUIT.
func postTo(t *testing.T, addr, from, to, msg string, after func()) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.example"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(from, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt(to, nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, strings.ReplaceAll(msg, "\n", "\r\n"))
	if err := w.Close(); err != nil {
		t.Fatalf("DATA: %v", err)
	}
	if after != nil {
		after()
		return
	}
	c.Quit()
}

// TestListAcceptance is issue 3's acceptance test for the list half:
// three subscribers, a post reaches the other two with the List-*
// headers, a reply does too, one-click unsubscribe works, and a SIGKILL
// right after the 250 loses nothing and duplicates nothing.
func TestListAcceptance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "hum")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
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
	sink := &listSink{hold: make(chan struct{})}
	srv := smtp.NewServer(sink)
	srv.Domain = "sink.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	httpAddr, smtpAddr := freeListAddr(t), freeListAddr(t)
	args := []string{"--db", dsn, "--http", httpAddr, "--smtp", smtpAddr, "--smarthost", ln.Addr().String(),
		"--domain", "hum.test", "--base-url", "http://" + httpAddr, "--data", t.TempDir()}

	// 1. A post, and the server killed the moment it says 250.
	p := startHumBinary(t, bin, args...)
	waitListening(t, smtpAddr)
	post := "From: Alice <alice@example.org>\nTo: ietf@hum.test\nSubject: Kill me after 250\nMessage-ID: <post1@example.org>\n\nThe first post.\n"
	postTo(t, smtpAddr, "alice@example.org", "ietf@hum.test", post, func() {
		p.cmd.Process.Signal(syscall.SIGKILL)
	})
	p.cmd.Wait()
	close(sink.hold)
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
	startHumBinary(t, bin, args...)
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

// waitCopies waits until each of want has a copy of msgID, then a little
// longer so that duplicates would show.
func waitCopies(t *testing.T, s *listSink, msgID string, want ...string) map[string][]string {
	t.Helper()
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		got := s.copiesOf(msgID)
		ok := true
		for _, w := range want {
			ok = ok && len(got[w]) > 0
		}
		if ok {
			time.Sleep(500 * time.Millisecond)
			return s.copiesOf(msgID)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("copies of %s: got %v, want one each for %v", msgID, keys(s.copiesOf(msgID)), want)
	return nil
}

func keys(m map[string][]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func freeListAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

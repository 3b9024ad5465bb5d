package main

// The end-to-end tests' shared parts: the smarthost they run hum
// against (sink), a browser without the browser (webClient), running
// hum's commands and its binary, and waiting for what hum does.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/db"
)

// sink is hum's smarthost in the end-to-end tests, a real SMTP server
// until the test ends: it counts every copy it takes by Message-ID and
// recipient and by Subject and recipient, and with keep, keeps each
// copy's text for the tests that read the mail (the bursts only count,
// and would keep thousands). While a hold channel is open (setHold),
// a sender waits at MAIL FROM, before any copy can be taken.
type sink struct {
	addr string
	keep bool

	mu       sync.Mutex
	got      []sinkCopy
	copies   map[string]int // "<id> rcpt"
	subjects map[string]int // "subject\x00rcpt"
	n        int
	hold     chan struct{}
}

// sinkCopy is one copy the sink kept: one recipient's.
type sinkCopy struct{ from, to, id, data string }

// startSink runs a sink; keep says whether it keeps the copies' text.
func startSink(t *testing.T, keep bool) *sink {
	t.Helper()
	s := &sink{keep: keep, copies: map[string]int{}, subjects: map[string]int{}}
	srv := smtp.NewServer(s)
	srv.Domain = "sink.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	s.addr = ln.Addr().String()
	return s
}

func (s *sink) setHold(c chan struct{}) { s.mu.Lock(); s.hold = c; s.mu.Unlock() }

// total is how many copies the sink has taken.
func (s *sink) total() int { s.mu.Lock(); defer s.mu.Unlock(); return s.n }

// copiesTo is how many copies of the message id reached to.
func (s *sink) copiesTo(id, to string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.copies[id+" "+to]
}

// subjectCopies is how many copies with the subject reached to.
func (s *sink) subjectCopies(subject, to string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subjects[subject+"\x00"+to]
}

// waitSubjectTo waits until a copy with the subject reaches to.
func (s *sink) waitSubjectTo(t *testing.T, subject, to string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for s.subjectCopies(subject, to) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no %q reached %s", subject, to)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// copiesOf returns the kept copies of the message with the given
// Message-ID, by recipient.
func (s *sink) copiesOf(msgID string) map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]string{}
	for _, c := range s.got {
		if c.id == msgID {
			out[c.to] = append(out[c.to], c.data)
		}
	}
	return out
}

// withSubject returns the kept copies from the address from whose
// Subject starts with subject, by recipient.
func (s *sink) withSubject(from, subject string) map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]string{}
	for _, c := range s.got {
		if m := regexp.MustCompile(`(?m)^Subject: (.*)\r\n`).FindStringSubmatch(c.data); m != nil && strings.HasPrefix(m[1], subject) && regexp.MustCompile(`(?m)^From: .*<`+regexp.QuoteMeta(from)+`>\r\n`).MatchString(c.data) {
			out[c.to] = append(out[c.to], c.data)
		}
	}
	return out
}

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }

type sinkSession struct {
	s    *sink
	from string
	to   []string // every RCPT of the transaction: one copy each
}

var (
	msgIDHeader   = regexp.MustCompile(`(?im)^Message-Id:\s*(<[^>]+>)`)
	subjectHeader = regexp.MustCompile(`(?im)^Subject:\s*(.*?)\r?$`)
)

func (ss *sinkSession) Reset()        { ss.to = nil }
func (ss *sinkSession) Logout() error { return nil }
func (ss *sinkSession) Mail(f string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	hold := ss.s.hold
	ss.s.mu.Unlock()
	if hold != nil {
		<-hold
	}
	ss.from, ss.to = f, nil
	return nil
}
func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}
func (ss *sinkSession) Data(r io.Reader) error {
	b, _ := io.ReadAll(r)
	id, subject := "?", ""
	if m := msgIDHeader.FindSubmatch(b); m != nil {
		id = string(m[1])
	}
	if m := subjectHeader.FindSubmatch(b); m != nil {
		subject = string(m[1])
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	for _, to := range ss.to {
		ss.s.copies[id+" "+to]++
		ss.s.subjects[subject+"\x00"+to]++
		ss.s.n++
		if ss.s.keep {
			ss.s.got = append(ss.s.got, sinkCopy{ss.from, to, id, string(b)})
		}
	}
	return nil
}

// waitSubject waits until each of want has exactly one copy of the message
// with the subject, and returns the first one's.
func waitSubject(t *testing.T, s *sink, from, subject string, want ...string) string {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		got, ok := s.withSubject(from, subject), true
		for _, w := range want {
			ok = ok && len(got[w]) > 0
		}
		if ok {
			time.Sleep(300 * time.Millisecond) // duplicates would show
			got = s.withSubject(from, subject)
			for _, w := range want {
				if len(got[w]) != 1 {
					t.Errorf("%s got %d copies of %q", w, len(got[w]), subject)
				}
			}
			return got[want[0]][0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("copies of %q: got %v, want one each for %v", subject, keys(got), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitCopies waits until each of want has a copy of msgID, then a little
// longer so that duplicates would show.
func waitCopies(t *testing.T, s *sink, msgID string, want ...string) map[string][]string {
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

// humSteps runs hum's commands one after another, each a test failure
// if it fails.
func humSteps(t *testing.T, steps [][]string) {
	t.Helper()
	for _, args := range steps {
		if out, err := hum(t, args...); err != nil {
			t.Fatalf("hum %v: %v\n%s", args, err, out)
		}
	}
}

// execSQL runs one statement on the database at dsn: a test's setting
// of the scene that hum's commands do not offer.
func execSQL(t *testing.T, dsn, q string, args ...any) {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

// serveWithMail is serveOn with mail: hum takes mail on a free port (its
// address returned), for the domain hum.test, and sends through
// smarthost; it returns once that port listens.
func serveWithMail(t *testing.T, dsn, smarthost string, args ...string) (base, smtpAddr string) {
	t.Helper()
	smtpAddr = freeAddr(t)
	base = serveOn(t, dsn, append([]string{"--smtp", smtpAddr, "--smarthost", smarthost, "--domain", "hum.test"}, args...)...)
	waitListening(t, smtpAddr)
	return base, smtpAddr
}

// freeAddr finds a port nobody listens on, for hum to listen on. It
// picks at random below the kernel's range of ephemeral ports: a port
// the kernel hands out (to a listener on port 0, or as the local end of
// an outgoing connection, which the tests and the packages run beside
// them make by the thousand) could be taken by one of those between this
// check and hum's bind, and CI saw that happen ("bind: address already
// in use"). Below the range only another test's pick can collide.
func freeAddr(t *testing.T) string {
	t.Helper()
	low, high := belowEphemeral()
	for range 100 {
		port := low + rand.IntN(high-low)
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue // taken
		}
		ln.Close()
		return ln.Addr().String()
	}
	t.Fatalf("no free port in %d-%d after 100 tries", low, high-1)
	return ""
}

// belowEphemeral is the range of ports freeAddr picks from: up to 20,000
// ports below the first ephemeral one (ip_local_port_range), and above
// the privileged ones.
func belowEphemeral() (low, high int) {
	high = 32768 // Linux's default first ephemeral port
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > 2048 {
				high = n
			}
		}
	}
	return max(1024, high-20000), high
}

// humProcess is hum as a process of its own, so SIGKILL is a real
// crash. Its program is this test binary, which runs hum's main when
// asAHum is set in its environment (TestMain): the tests build no binary
// of their own, which under -race cost CI a second build of every package
// without the race detector, and the process runs hum's code as the tests
// were built (with -race, with the race detector). A race it reports
// fails the test that started it.
type humProcess struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer // read only once the process has been waited for
}

// asAHum is the environment variable that makes this test binary hum.
const asAHum = "HUM_TEST_RUN_AS_HUM"

func TestMain(m *testing.M) {
	if os.Getenv(asAHum) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startHumBinary runs "hum serve" with args as a process of its own.
func startHumBinary(t *testing.T, args ...string) *humProcess {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := &humProcess{cmd: exec.Command(bin, append([]string{"serve"}, args...)...)}
	p.cmd.Env = append(os.Environ(), asAHum+"=1")
	p.cmd.Stdout = io.Discard
	p.cmd.Stderr = &p.stderr
	if testing.Verbose() {
		p.cmd.Stderr = io.MultiWriter(&p.stderr, os.Stderr)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		p.cmd.Wait()
		if out := p.stderr.String(); strings.Contains(out, "WARNING: DATA RACE") {
			t.Errorf("the hum process reported a data race:\n%s", out)
		}
	})
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
	c := mailFrom(t, addr, from)
	defer c.Close()
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

// mailFrom opens an SMTP session with hum at addr and starts a
// message from from (EHLO, MAIL FROM).
func mailFrom(t *testing.T, addr, from string) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Hello("client.example"); err != nil {
		c.Close()
		t.Fatal(err)
	}
	if err := c.Mail(from, nil); err != nil {
		c.Close()
		t.Fatal(err)
	}
	return c
}

// archivedIDs counts the messages in list ietf's archive by Message-ID,
// with its angle brackets (the archive stores it without).
func archivedIDs(t *testing.T, d *db.DB) map[string]int {
	t.Helper()
	archived := map[string]int{}
	rows, err := d.Query(`SELECT message_id FROM arch_message WHERE list = 'ietf'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		archived["<"+id+">"]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return archived
}

// newDraft stores an individual draft with revisions 00..last, as a
// submission would have (the submission flow has tests of its own).
func newDraft(t *testing.T, dsn, name string, last int) {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	now := time.Now().UTC()
	var id int64
	if err := d.QueryRow(`INSERT INTO doc (name, type, rev, title, state, created, updated) VALUES ($1, 'draft', $2, 'Frobbing widgets', 'active', $3, $3) RETURNING id`,
		name, fmt.Sprintf("%02d", last), now).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for r := 0; r <= last; r++ {
		if _, err := d.Exec(`INSERT INTO doc_rev (doc_id, rev, title, posted) VALUES ($1, $2, 'Frobbing widgets', $3)`, id, fmt.Sprintf("%02d", r), now); err != nil {
			t.Fatal(err)
		}
	}
}

// webClient is a person's browser without the browser: cookies, forms,
// redirects followed.
type webClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newWebClient(t *testing.T, base string) *webClient {
	jar, _ := cookiejar.New(nil)
	return &webClient{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (w *webClient) do(res *http.Response, err error) (int, string, *url.URL) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Request.URL
}

func (w *webClient) get(path string) (int, string, *url.URL) {
	w.t.Helper()
	return w.do(w.c.Get(w.base + path))
}

func (w *webClient) post(path string, form url.Values) (int, string, *url.URL) {
	w.t.Helper()
	return w.do(w.c.PostForm(w.base+path, form))
}

func (w *webClient) login(email, pw string) {
	w.t.Helper()
	code, body, _ := w.post("/accounts/login/", url.Values{"email": {email}, "password": {pw}})
	wantPage(w.t, "login "+email, code, body, 200, "Your account")
}

// waitPage waits until the page shows each of want (mail arriving).
func (w *webClient) waitPage(path string, want ...string) string {
	w.t.Helper()
	deadline := time.Now().Add(patience)
	for {
		code, body, _ := w.get(path)
		missing := ""
		for _, s := range want {
			if !strings.Contains(body, s) {
				missing = s
			}
		}
		if code == 200 && missing == "" {
			return body
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s: status %d, still no %q after %v\n%.3000s", path, code, missing, patience, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func wantPage(t *testing.T, what string, code int, body string, wantCode int, wantText ...string) {
	t.Helper()
	if code != wantCode {
		t.Fatalf("%s: status %d, want %d\n%.3000s", what, code, wantCode, body)
	}
	for _, s := range wantText {
		if !strings.Contains(body, s) {
			t.Errorf("%s: the page lacks %q\n%.3000s", what, s, body)
		}
	}
}

// unfold joins a raw message's folded and quoted-printable soft-broken
// lines, for matching text in it.
func unfold(raw string) string {
	raw = strings.ReplaceAll(raw, "=\r\n", "")
	return strings.ReplaceAll(raw, "\r\n ", " ")
}

// TestFreeAddrAvoidsEphemeralPorts checks that the tests' ports come
// from below the kernel's ephemeral range, where no outgoing connection
// can take one between freeAddr and hum's bind, and that each is free.
func TestFreeAddrAvoidsEphemeralPorts(t *testing.T) {
	low, high := belowEphemeral()
	seen := map[string]bool{}
	for range 50 {
		addr := freeAddr(t)
		_, p, err := net.SplitHostPort(addr)
		if err != nil {
			t.Fatal(err)
		}
		port, _ := strconv.Atoi(p)
		if port < low || port >= high {
			t.Fatalf("freeAddr gave %s, outside %d-%d (the first ephemeral port is %d)", addr, low, high-1, high)
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("freeAddr gave %s, which cannot be listened on: %v", addr, err)
		}
		ln.Close()
		seen[addr] = true
	}
	if len(seen) < 40 {
		t.Errorf("50 picks gave only %d ports: not picked at random", len(seen))
	}
}

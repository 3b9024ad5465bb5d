package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"

	"hum/internal/app"
	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// The one end-to-end test: a newcomer registers in a real browser, confirms
// the address from a mail caught by a real SMTP server, logs out and in
// again, and reads a group page. It runs the whole binary through run, so
// it covers the wiring in serve.go that no other test sees.
func TestE2ERegisterLoginGroup(t *testing.T) {
	tab := newBrowser(t)
	smarthost, mails := startSMTP(t)
	base := startHum(t, smarthost)
	b := &browser{t: t, ctx: tab, base: base}

	const (
		addr = "grace.newcomer@example.net"
		name = "Grace Newcomer"
		pw   = "a long enough passphrase"
	)

	b.open("/accounts/create/", http.StatusOK)
	b.submit(http.StatusOK, "email", addr)
	b.wantText("main h1", "Check your mail")

	m := waitMail(t, mails, 15*time.Second)
	if len(m.to) != 1 || m.to[0] != addr {
		t.Fatalf("confirmation mail went to %q, want [%q]", m.to, addr)
	}
	if m.subject != "Confirm your new account" {
		t.Errorf("confirmation mail subject = %q", m.subject)
	}
	link := regexp.MustCompile(regexp.QuoteMeta(base) + `/accounts/create/confirm/\S+/`).FindString(m.body)
	if link == "" {
		t.Fatalf("no link starting with %s in the confirmation mail:\n%s", base, m.body)
	}

	b.open(strings.TrimPrefix(link, base), http.StatusOK)
	b.wantText("main h1", "Finish creating your account")
	b.submit(http.StatusOK, "name", name, "password", pw, "password2", pw)
	b.wantText("main .flash", "Welcome, "+name)
	b.wantText("header.site .who", name)

	b.click(`header.site form[action="/accounts/logout/"] button`, http.StatusOK)
	b.wantText("header.site .who", "Log in")

	b.open("/accounts/login/", http.StatusOK)
	b.submit(http.StatusOK, "email", addr, "password", pw)
	b.wantText("main h1", "Your account")

	b.open("/group/httpbis/about/", http.StatusOK)
	b.wantText("main h1", "Hypertext Transfer Protocol Bis")
	b.wantText("header.site .who", name)

	b.open(strings.TrimPrefix(link, base), http.StatusConflict)
	b.wantText("main .error", "already been used")
}

const chromium = "/usr/bin/chromium"

// newBrowser starts a headless Chromium with a fresh profile and returns
// the context of its first tab. Without Chromium the test is skipped on a
// laptop but fails on CI, which installs it.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("browser test needs Debian's chromium at %s (apt-get install chromium): %v", chromium, err)
		}
		t.Fatalf("CI is set but %s is missing: %v", chromium, err)
	}
	// The deadline bounds the whole browser session, so a hung page fails
	// the test instead of the package timeout.
	ctx, cancelTime := context.WithTimeout(t.Context(), time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	tab, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTime()
	})
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	return tab
}

// browser drives one tab against one hum. Every action waits for what it
// caused, and fails the test with the page it was on.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// step bounds one action, so a missing element fails fast with a message
// rather than at the end of the browser's deadline.
func (b *browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, 10*time.Second)
}

func (b *browser) open(path string, status int64) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != status {
		b.t.Fatalf("open %s: status %d, want %d\n%s", path, resp.Status, status, b.mainText())
	}
}

// submit fills the fields of the form in main, given as id, value pairs,
// and sends it.
func (b *browser) submit(status int64, idValues ...string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	for i := 0; i+1 < len(idValues); i += 2 {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(idValues[i]), idValues[i+1])); err != nil {
			b.t.Fatalf("fill #%s: %v", idValues[i], err)
		}
	}
	b.click(`main form button[type="submit"]`, status)
}

// click clicks a button that loads a page, and waits for that page.
func (b *browser) click(css string, status int64) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(css)))
	if err != nil {
		b.t.Fatalf("click %s: %v", css, err)
	}
	if resp.Status != status {
		b.t.Fatalf("click %s: status %d, want %d\n%s", css, resp.Status, status, b.mainText())
	}
}

// wantText checks that the first element matching css contains want.
func (b *browser) wantText(css, want string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		b.t.Fatalf("read %s (want %q): %v\n%s", css, want, err, b.mainText())
	}
	if !strings.Contains(got, want) {
		u, _ := chromedp.Run(ctx, chromedp.Location())
		b.t.Fatalf("on %s, %s says %q; want it to contain %q", u, css, got, want)
	}
}

// mainText is the text of the page, for failure messages.
func (b *browser) mainText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
	if err != nil {
		return fmt.Sprintf("(cannot read the page: %v)", err)
	}
	return s
}

// patience is how long a test waits for hum to be ready or for mail to
// arrive. It bounds a hang, not a speed: under -race, with the other
// packages' tests on two cores, loading the demo alone has taken over 30s
// (12s on an idle machine).
const patience = 2 * time.Minute

// startHum runs "hum serve --demo" in this process on a free port, handing
// mail to smarthost, and stops it when the test ends. The database is
// SQLite, or PostgreSQL when HUM_TEST_POSTGRES is set (dbtest decides).
func startHum(t *testing.T, smarthost string) (base string) {
	t.Helper()
	dsn := dbtest.DSN(t) // before the Cleanup in serveOn, so the schema outlives hum
	return serveOn(t, dsn, "--smarthost", smarthost, "--demo")
}

// startHumOnDemo is startHum on a copy of the demo loaded once per test
// binary (demoLoaded): "hum serve --demo" finds the demo there and serves
// it, as after a restart. startHum's tests load it into an empty database.
func startHumOnDemo(t *testing.T, smarthost string) (base string) {
	t.Helper()
	dsn, _ := demoLoaded.DSN(t)
	return serveOn(t, dsn, "--smarthost", smarthost, "--demo")
}

// demoLoaded is a database holding the demo standards body, loaded as
// "hum serve --demo" loads it (loadDemo, with the services of app.New).
var demoLoaded = &dbtest.Template[struct{}]{Name: "the demo", Build: func(t testing.TB, d *db.DB) struct{} {
	c := app.Config{DB: "unused", Data: t.TempDir(), HTTP: "127.0.0.1:8080", Demo: true}
	if err := c.Resolve(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(d, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadDemo(context.Background(), a, time.Now()); err != nil {
		t.Fatal(err)
	}
	return struct{}{}
}}

// serveOn runs "hum serve" with args on the database dsn, in this
// process on a free port, and stops it when the test ends.
func serveOn(t *testing.T, dsn string, args ...string) (base string) {
	t.Helper()
	return serveOnClock(t, nil, dsn, args...)
}

// serveOnClock is serveOn on a clock of the test's (nil: the wall clock).
func serveOnClock(t *testing.T, now func() time.Time, dsn string, args ...string) (base string) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serveAt(ctx, append([]string{"--db", dsn, "--http", addr, "--smtp", freeAddr(t), "--data", t.TempDir()}, args...), io.Discard, now)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("hum serve returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("hum serve did not stop within 15s of its context ending")
		}
	})

	base = "http://" + addr
	deadline := time.Now().Add(patience)
	for {
		select {
		case err := <-done:
			done <- err // for the Cleanup
			t.Fatalf("hum serve stopped before it answered: %v", err)
		default:
		}
		if resp, err := http.Get(base + "/"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("hum serve did not answer on %s within %v", base, patience)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// caught is one message as the smarthost received it.
type caught struct {
	to      []string
	subject string
	body    string
}

// startSMTP runs a real SMTP server that passes every message it accepts
// to the returned channel.
func startSMTP(t *testing.T) (addr string, mails <-chan caught) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan caught, 16)
	s := smtp.NewServer(catcher(ch))
	s.Domain = "smarthost.test"
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ln.Addr().String(), ch
}

func waitMail(t *testing.T, mails <-chan caught, wait time.Duration) caught {
	t.Helper()
	select {
	case m := <-mails:
		return m
	case <-time.After(wait):
		t.Fatalf("no mail reached the smarthost within %s", wait)
		return caught{}
	}
}

// catcher is a go-smtp Backend; each session collects one envelope.
type catcher chan<- caught

func (c catcher) NewSession(*smtp.Conn) (smtp.Session, error) { return &catchSession{out: c}, nil }

type catchSession struct {
	out catcher
	to  []string
}

func (s *catchSession) Reset()                               { s.to = nil }
func (s *catchSession) Logout() error                        { return nil }
func (s *catchSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *catchSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data decodes the message, so the test reads the body as a person
// would, whatever transfer encoding hum chose.
func (s *catchSession) Data(r io.Reader) error {
	e, err := message.Read(r)
	if err != nil && !message.IsUnknownCharset(err) {
		return err
	}
	body, err := io.ReadAll(e.Body)
	if err != nil {
		return err
	}
	h := gomail.Header{Header: e.Header}
	subject, err := h.Subject()
	if err != nil {
		return err
	}
	select {
	case s.out <- caught{to: s.to, subject: subject, body: string(body)}:
		return nil
	default:
		return errors.New("test smarthost: too many messages")
	}
}

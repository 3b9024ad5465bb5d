package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hum/internal/archive/message"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/mail/stubdns"
)

// TestServeHideAddresses: --hide-addresses, or HUM_HIDE_ADDRESSES=1,
// shows anonymous archive readers names only and refuses them the raw
// message; without either, the address shows.
func TestServeHideAddresses(t *testing.T) {
	dsn := dbtest.DSN(t)
	mbox := filepath.Join(t.TempDir(), "quic.mbox")
	os.WriteFile(mbox, []byte("From bob@example.net Mon Mar  2 11:00:00 2026\nFrom: Bob <bob@example.net>\nTo: quic@ietf.org\n"+
		"Subject: Version negotiation\nDate: Mon, 2 Mar 2026 11:00:00 +0000\nMessage-ID: <vn1@example.net>\n\nAuthenticate it.\n"), 0o644)
	if out, err := hum(t, "import", "mbox", "--db", dsn, "--list", "quic", mbox); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	msg := "/arch/msg/quic/" + message.Hashcode("vn1@example.net", "quic") + "/"
	for _, c := range []struct {
		what string
		env  string
		args []string
		hide bool
	}{
		{"default", "", nil, false},
		{"--hide-addresses", "", []string{"--hide-addresses"}, true},
		{"HUM_HIDE_ADDRESSES=1", "1", nil, true},
	} {
		t.Run(c.what, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("HUM_HIDE_ADDRESSES", c.env)
			}
			base := serveFor(t, dsn, c.args...)
			code, body := httpGet(t, base+msg)
			if code != 200 || !strings.Contains(body, "Bob") || strings.Contains(body, "bob@example.net") != !c.hide {
				t.Errorf("message page: %d, shows the address: %v, want %v", code, strings.Contains(body, "bob@example.net"), !c.hide)
			}
			if code, _ := httpGet(t, base+msg+"raw/"); (code == http.StatusForbidden) != c.hide {
				t.Errorf("anonymous raw message: %d", code)
			}
		})
	}
}

// serveFor runs hum serve on dsn with extra flags until the test ends.
func serveFor(t *testing.T, dsn string, args ...string) (base string) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--db", dsn, "--http", addr, "--smtp", freeAddr(t), "--data", t.TempDir()}, args...), io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("hum serve returned %v", err)
		}
	})
	base = "http://" + addr
	for deadline := time.Now().Add(patience); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("hum serve stopped before it answered: %v", err)
		default:
		}
		if code, _ := httpGet(t, base+"/arch/"); code == http.StatusOK {
			return base
		}
	}
	t.Fatalf("hum serve did not answer on %s within %v", base, patience)
	return ""
}

// httpGet returns a page's status and body; 0 when nothing answers.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		return 0, ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestServeResolver: --resolver sends the checks of incoming mail to that
// DNS server: there example.com's SPF policy refuses every sender, so a
// post from it is marked spf=fail; the system's resolver knows no such
// policy.
func TestServeResolver(t *testing.T) {
	dns, err := stubdns.Serve(map[string][]string{"example.com": {"v=spf1 -all"}})
	if err != nil {
		t.Fatal(err)
	}
	defer dns.Close()
	dsn := dbtest.DSN(t)
	if out, err := hum(t, "list", "subscribe", "--db", dsn, "ietf", "ann@example.com"); err != nil {
		t.Fatalf("list subscribe: %v %s", err, out)
	}
	smtpAddr := freeAddr(t)
	serveOn(t, dsn, "--smtp", smtpAddr, "--domain", "hum.test", "--resolver", dns.Addr)
	waitListening(t, smtpAddr)
	postTo(t, smtpAddr, "ann@example.com", "ietf@hum.test", "From: ann@example.com\nSubject: checked\nMessage-ID: <resolver@example.com>\n\nx\n", nil)
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var auth string
	if err := d.QueryRow(`SELECT auth_results FROM list_post WHERE message_id = '<resolver@example.com>'`).Scan(&auth); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(auth, "spf=fail") {
		t.Errorf("the post's Authentication-Results, checked with --resolver %s: %s; want spf=fail", dns.Addr, auth)
	}
}

// TestServeThatCannotTakeMailFreesItsPort: hum serve whose --smtp port
// is taken stops with the listener's error, and its --http port, which
// it had opened just before, is free again: a process that goes on (a
// test that starts hum again) is not left holding a port that accepts
// connections nobody answers.
func TestServeThatCannotTakeMailFreesItsPort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	httpAddr := freeAddr(t)
	err = serveAt(context.Background(), []string{"--db", dbtest.DSN(t), "--http", httpAddr, "--smtp", taken.Addr().String(), "--data", t.TempDir()}, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("hum serve on a taken --smtp port returned %v, want the listener's error", err)
	}
	ln, err := net.Listen("tcp", httpAddr)
	if err != nil {
		t.Fatalf("after hum serve stopped, its --http port %s is still held: %v", httpAddr, err)
	}
	ln.Close()
}

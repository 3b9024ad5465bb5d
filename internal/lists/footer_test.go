package lists

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/textproto"

	"hum/internal/record"
)

const testFooter = "_______________________________________________\r\nhttpbis mailing list\r\n"

// parts decodes every leaf part of a message to text, the way a mail
// client would show it.
func parts(t *testing.T, raw []byte) []string {
	t.Helper()
	m, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the decorated message does not parse: %v\n%s", err, raw)
	}
	var out []string
	err = m.Walk(func(_ []int, e *message.Entity, err error) error {
		if err != nil {
			return err
		}
		if mr := e.MultipartReader(); mr != nil {
			return nil
		}
		b, err := io.ReadAll(e.Body)
		out = append(out, string(b))
		return err
	})
	if err != nil {
		t.Fatalf("walking the decorated message: %v\n%s", err, raw)
	}
	return out
}

func decorate(t *testing.T, msg string) (raw []byte, ok bool) {
	t.Helper()
	msg = strings.ReplaceAll(strings.ReplaceAll(msg, "\r\n", "\n"), "\n", "\r\n")
	br := bufio.NewReader(strings.NewReader(msg))
	h, err := textproto.ReadHeader(br)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(br)
	out, ok := addFooter(&h, body, testFooter)
	var b bytes.Buffer
	textproto.WriteHeader(&b, h)
	b.Write(out)
	return b.Bytes(), ok
}

func TestFooter(t *testing.T) {
	qp := func(s string) string {
		var b strings.Builder
		w := quotedprintable.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.String()
	}
	for _, c := range []struct {
		name, msg string
		changed   bool
		want      []string // the parts as a client shows them, footer included
	}{
		{"plain", "Subject: a\n\nHello.\n", true, []string{"Hello.\r\n" + testFooter}},
		{"plain without a final newline", "Subject: a\n\nHello.", true, []string{"Hello.\r\n" + testFooter}},
		{"plain latin-1", "Content-Type: text/plain; charset=iso-8859-1\n\nCaf\xe9\n", true, []string{"Café\r\n" + testFooter}},
		{"quoted-printable", "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" + qp("Grüße, a long line "+strings.Repeat("x", 90)) + "\n",
			true, []string{"Grüße, a long line " + strings.Repeat("x", 90) + "\r\n" + testFooter}},
		{"base64", "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nSGVsbG8sIHdvcmxkLgo=\n", true, []string{"Hello, world.\n" + testFooter}},
		{"mixed", "Content-Type: multipart/mixed; boundary=b1\n\npreamble\n--b1\nContent-Type: text/plain\n\nBody.\n--b1\nContent-Type: application/octet-stream\n\nDATA\n--b1--\n",
			true, []string{"Body.", "DATA", strings.TrimSuffix(testFooter, "\r\n")}},
		{"alternative", "Content-Type: multipart/alternative;\n boundary=\"alt\"\n\n--alt\nContent-Type: text/plain\n\nplain\n--alt\nContent-Type: text/html\n\n<p>html</p>\n--alt--\n",
			true, []string{"plain", "<p>html</p>", testFooter}},
		{"html only", "Content-Type: text/html; charset=utf-8\n\n<p>hi</p>\n", true, []string{"<p>hi</p>", testFooter}},
		{"signed", "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; micalg=pgp-sha256; boundary=s\n\n--s\nContent-Type: text/plain\n\nSigned.\n--s\nContent-Type: application/pgp-signature\n\nSIG\n--s--\n",
			false, []string{"Signed.", "SIG"}},
		{"s/mime", "Content-Type: application/pkcs7-mime; smime-type=signed-data\nContent-Transfer-Encoding: base64\n\nAAAA\n", false, nil},
		{"mixed without its closing delimiter", "Content-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/plain\n\nBody.\n", false, nil},
		{"utf-16 text", "Content-Type: text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n\n//5IAGkA\n", true, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw, ok := decorate(t, c.msg)
			if ok != c.changed {
				t.Fatalf("changed = %v, want %v:\n%s", ok, c.changed, raw)
			}
			if !ok {
				if want := strings.ReplaceAll(c.msg, "\n", "\r\n"); string(raw) != want {
					t.Errorf("a message left alone changed:\n%q\nwant\n%q", raw, want)
				}
				return
			}
			got := parts(t, raw)
			if c.want == nil {
				if !strings.Contains(got[len(got)-1], "httpbis mailing list") {
					t.Errorf("no footer in the last part: %q", got)
				}
				return
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("parts:\n%q\nwant\n%q\nmessage:\n%s", got, c.want, raw)
			}
		})
	}
}

// TestFooterOnCopies checks the footer on a real copy, and that a signed
// post reaches subscribers byte for byte.
func TestFooterOnCopies(t *testing.T) {
	e := newEnv(t)
	e.subscribe("httpbis", "alice@example.org", "bob@example.net")
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, msgText("alice@example.org", "plain post", "", "Hello.")); err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(1)
	if want := "Hello.\r\n" + e.lists.footer("httpbis"); !strings.HasSuffix(got[0].data, want) {
		t.Errorf("the copy does not end with the footer:\n%s", got[0].data)
	}
	if !strings.Contains(got[0].data, "https://hum.test/list/httpbis/") {
		t.Error("the footer lacks the list's page")
	}

	body := "--s\r\nContent-Type: text/plain\r\n\r\nSigned.\r\n--s\r\nContent-Type: application/pgp-signature\r\n\r\nSIG\r\n--s--\r\n"
	signed := msgText("alice@example.org", "signed post", "MIME-Version: 1.0\nContent-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=s\n", "")
	if err := e.send("alice@example.org", []string{"httpbis@hum.test"}, signed+strings.ReplaceAll(body, "\r\n", "\n")); err != nil {
		t.Fatal(err)
	}
	got = e.waitFor(2)
	_, b, _ := strings.Cut(got[1].data, "\r\n\r\n")
	if b != "\r\n"+body {
		t.Errorf("the signed body changed on the way:\n%q\nwant\n%q", b, "\r\n"+body)
	}
}

func TestOwnerAddress(t *testing.T) {
	e := newEnv(t)
	msg := "From: Dana <dana@example.org>\nTo: httpbis-owner@hum.test\nSubject: Please help\nMessage-ID: <owner1@example.org>\n\nHow do I leave?\n"
	if err := e.send("dana@example.org", []string{"httpbis-owner@hum.test"}, msg); err != nil {
		t.Fatal(err)
	}
	fw := e.outboxTo("chair@example.org")
	if len(fw) != 1 {
		t.Fatalf("the chair has %d forwards, want 1", len(fw))
	}
	raw := string(fw[0].Raw)
	for _, want := range []string{"Subject: For the owners of httpbis: Please help", "Reply-To: dana@example.org", "Content-Type: message/rfc822",
		"Message-ID: <owner1@example.org>", "How do I leave?", "X-Loop: httpbis-owner@hum.test", "Authentication-Results: hum.test"} {
		if !strings.Contains(raw, want) {
			t.Errorf("the forward lacks %q:\n%s", want, raw)
		}
	}
	if n := len(e.outboxTo("dana@example.org")); n != 0 {
		t.Errorf("the sender got %d messages back", n)
	}
	// A forward that comes back is dropped, not forwarded again.
	loop := "From: chair@example.org\nX-Loop: httpbis-owner@hum.test\nSubject: again\n\nx\n"
	if err := e.send("chair@example.org", []string{"httpbis-owner@hum.test"}, loop); err != nil {
		t.Fatal(err)
	}
	if n := len(e.outboxTo("chair@example.org")); n != 1 {
		t.Errorf("after a looping forward the chair has %d forwards, want 1", n)
	}
	// A list nobody moderates: its owner mail goes to the secretariat.
	sec := e.body.Add("sec@example.org", "Sam Secretariat")
	e.body.Grant("secretariat", "secr", sec.ID, sec.Email)
	if err := e.send("dana@example.org", []string{"ietf-owner@hum.test"}, strings.Replace(msg, "owner1", "owner2", 1)); err != nil {
		t.Fatal(err)
	}
	if n := len(e.outboxTo("sec@example.org")); n != 1 {
		t.Errorf("the secretariat got %d forwards of ietf-owner mail, want 1", n)
	}
	// The forward renders as a valid message.
	if _, err := message.Read(bytes.NewReader(fw[0].Raw)); err != nil {
		t.Error(err)
	}
}

func TestEnrol(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.subscribe("httpbis", "bob@example.net")
	var many []string
	for i := range 450 {
		many = append(many, fmt.Sprintf("P%d@Example.org", i))
	}
	n, err := e.lists.Enrol(ctx, record.System, map[string][]string{
		"httpbis": {"bob@example.net", "chair@example.org", "chair@example.org"},
		"ietf":    many,
	}, ModeEach)
	if err != nil {
		t.Fatal(err)
	}
	if n != 451 {
		t.Errorf("added %d, want 451 (bob was there already)", n)
	}
	sub, err := e.lists.Subscription(ctx, "httpbis", "chair@example.org")
	if err != nil || sub.PersonID != e.chair.ID || sub.State != "active" || len(sub.Token) != 32 {
		t.Errorf("the chair's subscription: %+v %v", sub, err)
	}
	if n := e.count(`SELECT COUNT(*) FROM subscription s JOIN list l ON l.id = s.list_id WHERE l.name = 'ietf' AND s.address LIKE 'p%@example.org'`); n != 450 {
		t.Errorf("%d ietf subscribers, want 450", n)
	}
	if n := len(e.outboxTo("chair@example.org")); n != 0 {
		t.Errorf("enrolling mailed %d messages", n)
	}
	if _, err := e.lists.Enrol(ctx, record.System, map[string][]string{"nosuch": {"a@example.org"}}, ModeEach); err == nil {
		t.Error("enrolling on a list that does not exist worked")
	}
}

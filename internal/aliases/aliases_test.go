package aliases_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

	"hum/internal/aliases"
	"hum/internal/archive"
	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/testbody"
)

const draft = "draft-ietf-httpbis-cache"

// env is a standards body with aliases, lists and the SMTP endpoint on
// a socket, as hum serve wires them.
type env struct {
	t       *testing.T
	db      *db.DB
	body    *testbody.Body
	aliases *aliases.Service
	lists   *lists.Service
	outbox  *mail.Outbox
	smtp    string
}

type archiver struct{ s *archive.Service }

func (a archiver) Archive(ctx context.Context, tx *db.Tx, list string, raw []byte) (string, bool, error) {
	st, err := a.s.Add(ctx, tx, list, raw)
	return st.ID, st.Duplicate, err
}

func newEnv(t *testing.T) *env {
	t.Helper()
	d := dbtest.New(t)
	b := testbody.New(t, d)
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "IESG", Type: "iesg"},
		groups.NewGroup{Acronym: "iab", Name: "IAB", Type: "iab"},
		groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"},
		groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "rtg", Name: "Routing Area", Type: "area", Parent: "iesg"},
		groups.NewGroup{Acronym: "httpbis", Name: "HTTP", Type: "wg", Parent: "art"},
		groups.NewGroup{Acronym: "quic", Name: "QUIC", Type: "wg", Parent: "art"},
		groups.NewGroup{Acronym: "irtf", Name: "IRTF", Type: "irtf"},
		groups.NewGroup{Acronym: "cfrg", Name: "Crypto Forum", Type: "rg", Parent: "irtf"},
	)
	b.AddPeople(
		testbody.Person{Email: "sec@example.org", Name: "Sam Secretariat", Role: "secr", Group: "secretariat"},
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "art"},
		testbody.Person{Email: "ad2@example.org", Name: "Bea Director", Role: "ad", Group: "art"},
		testbody.Person{Email: "rad@example.org", Name: "Rob Director", Role: "ad", Group: "rtg"},
		testbody.Person{Email: "exo@example.org", Name: "Eve Exofficio", Role: "exofficio", Group: "iesg"},
		testbody.Person{Email: "iabchair@example.org", Name: "Ian Board", Role: "chair", Group: "iab"},
		testbody.Person{Email: "iabm@example.org", Name: "Iris Board", Role: "member", Group: "iab"},
		testbody.Person{Email: "irtf@example.org", Name: "Irene Research", Role: "exofficio", Group: "iab"},
		testbody.Person{Email: "chair@example.org", Name: "Chris Chair", Role: "chair", Group: "httpbis"},
		testbody.Person{Email: "secr@example.org", Name: "Sid Secretary", Role: "secr", Group: "httpbis"},
		testbody.Person{Email: "qchair@example.org", Name: "Quinn Chair", Role: "chair", Group: "quic"},
		testbody.Person{Email: "shep@example.org", Name: "Shep Herd"},
		testbody.Person{Email: "author@example.org", Name: "Ann Author"},
	)
	archives := &archive.Service{DB: d}
	outbox := &mail.Outbox{Name: "hum"}
	ls := &lists.Service{DB: d, Archive: archiver{archives}, Mail: outbox, Domain: "hum.test", BaseURL: "https://hum.test"}
	if err := ls.Ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: d, body: b, lists: ls, outbox: outbox,
		aliases: &aliases.Service{DB: d, Lists: ls, Outbox: outbox, Domain: "hum.test"}}
	// A WG draft: two authors (one with an account, one as the draft
	// prints them), the AD, no shepherd yet.
	e.exec(`INSERT INTO doc (name, type, rev, title, state, group_id, ad_id, created, updated)
		VALUES ($1, 'draft', '03', 'HTTP Caching', 'active', (SELECT id FROM grp WHERE acronym = 'httpbis'), $2, $3, $3)`, draft, b.IDs["ad@example.org"], d.Now())
	e.exec(`INSERT INTO doc_author (doc_id, ord, name, email, person_id) SELECT id, 0, 'Ann Author', '', $2 FROM doc WHERE name = $1`, draft, b.IDs["author@example.org"])
	e.exec(`INSERT INTO doc_author (doc_id, ord, name, email) SELECT id, 1, 'Ben Writer', 'Ben@Example.NET' FROM doc WHERE name = $1`, draft)
	e.exec(`INSERT INTO doc (name, type, rev, title, state, created, updated) VALUES ('draft-doe-old', 'draft', '00', 'Old', 'expired', $1, $1)`,
		d.Now().AddDate(-3, 0, 0))
	e.exec(`INSERT INTO doc_author (doc_id, ord, name, email) SELECT id, 0, 'Jo Doe', 'jo@example.net' FROM doc WHERE name = 'draft-doe-old'`)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.smtp = ln.Addr().String()
	ep := &mail.Endpoint{Hostname: "hum.test", Target: e.aliases}
	go ep.Serve(ln)
	t.Cleanup(func() { ep.Close() })
	return e
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.db.Exec(q, args...); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) expand(addr string) ([]string, bool) {
	e.t.Helper()
	a, found, err := e.aliases.Lookup(context.Background(), e.db, addr)
	if err != nil {
		e.t.Fatal(err)
	}
	return a.Addresses(), found
}

// TestAliasExpansions: each alias reaches whom the Datatracker's reaches,
// from the roles as they are now.
func TestAliasExpansions(t *testing.T) {
	e := newEnv(t)
	authors := []string{"author@example.org", "ben@example.net"}
	chairs := []string{"chair@example.org", "secr@example.org"}
	ads := []string{"ad2@example.org", "ad@example.org"}
	for _, tc := range []struct {
		addr string
		want []string
	}{
		{"iesg@hum.test", []string{"ad2@example.org", "ad@example.org", "exo@example.org", "rad@example.org"}},
		{"iab@hum.test", []string{"iabchair@example.org", "iabm@example.org", "irtf@example.org"}},
		{"IESG-Secretary@HUM.test", []string{"sec@example.org"}},
		{"internet-drafts@hum.test", []string{"sec@example.org"}},
		{"rfc-editor@hum.test", []string{"sec@example.org"}},
		{"hum@hum.test", []string{"sec@example.org"}},
		{draft + "@hum.test", authors},
		{draft + ".authors@hum.test", authors},
		{draft + ".chairs@hum.test", chairs},
		{draft + ".ad@hum.test", ads},
		{draft + ".shepherd@hum.test", nil},
		{draft + ".notify@hum.test", []string{"ad2@example.org", "ad@example.org", "author@example.org", "ben@example.net", "chair@example.org", "secr@example.org"}},
		{draft + ".all@hum.test", []string{"ad2@example.org", "ad@example.org", "author@example.org", "ben@example.net", "chair@example.org", "secr@example.org"}},
		{"httpbis-chairs@hum.test", chairs},
		{"httpbis-ads@hum.test", ads},
		{"art-ads@hum.test", ads},
		{"art-chairs@hum.test", []string{"ad2@example.org", "ad@example.org", "chair@example.org", "qchair@example.org", "secr@example.org"}},
		{"cfrg-chairs@hum.test", nil},
	} {
		got, found := e.expand(tc.addr)
		if !found {
			t.Errorf("%s is not an alias", tc.addr)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.addr, diff)
		}
	}
	for _, not := range []string{"httpbis@hum.test", "last-call@hum.test", "httpbis-request@hum.test", "cfrg-ads@hum.test", draft + ".nope@hum.test",
		"draft-nobody-here@hum.test", "draft-doe-old@hum.test", "nobody-chairs@hum.test", "iesg@example.org", "postmaster@hum.test"} {
		if got, found := e.expand(not); found {
			t.Errorf("%s is an alias (reaching %v)", not, got)
		}
	}

	// Expanded now: a new shepherd, a new chair, an AD who steps down.
	e.exec(`UPDATE doc SET shepherd_id = $1 WHERE name = $2`, e.body.IDs["shep@example.org"], draft)
	e.body.Grant("httpbis", "chair", e.body.IDs["shep@example.org"], "")
	e.exec(`DELETE FROM role WHERE person_id = $1`, e.body.IDs["ad2@example.org"])
	for addr, want := range map[string][]string{
		draft + ".shepherd@hum.test": {"shep@example.org"},
		"httpbis-chairs@hum.test":    {"chair@example.org", "secr@example.org", "shep@example.org"},
		"iesg@hum.test":              {"ad@example.org", "exo@example.org", "rad@example.org"},
	} {
		if got, _ := e.expand(addr); !cmp.Equal(got, want) {
			t.Errorf("after the changes, %s reaches %v, want %v", addr, got, want)
		}
	}
	// A list's name is never an alias, even one that looks like it.
	e.exec(`INSERT INTO list (name, description, created) VALUES ('quic-chairs', 'A list', $1)`, e.db.Now())
	if _, found := e.expand("quic-chairs@hum.test"); found {
		t.Error("the list quic-chairs is taken for an alias")
	}
}

// send speaks SMTP to the endpoint, returning the first refusal.
func (e *env) send(from, to, msg string) error {
	e.t.Helper()
	c, err := smtp.Dial(e.smtp)
	if err != nil {
		e.t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.example.org"); err != nil {
		return err
	}
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	if err := c.Rcpt(to, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	io.WriteString(w, strings.ReplaceAll(msg, "\n", "\r\n"))
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func code(err error) (int, string) {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code, se.Message
	}
	if err != nil {
		return -1, err.Error()
	}
	return 250, ""
}

func comment(to, id string) string {
	return "From: Pat <pat@example.com>\nTo: " + to + "\nSubject: About the cache draft\nMessage-ID: <" + id + "@example.com>\nDate: " + time.Now().Format(time.RFC1123Z) + "\n\nSection 4 is unclear.\n"
}

// TestAliasMailIsDeliveredNotArchived: mail to an alias is passed on to
// whom it reaches, through the outbox, as it came (To names the alias),
// once however often the sender retries; nothing is archived or posted.
func TestAliasMailIsDeliveredNotArchived(t *testing.T) {
	e := newEnv(t)
	to := draft + ".all@hum.test"
	for range 2 { // the second as a retry after a lost 250
		if err := e.send("pat@example.com", to, comment(to, "c1")); err != nil {
			t.Fatal(err)
		}
	}
	qs, err := mail.List(context.Background(), e.db, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 1 {
		t.Fatalf("%d messages queued, want one", len(qs))
	}
	want := []string{"ad2@example.org", "ad@example.org", "author@example.org", "ben@example.net", "chair@example.org", "secr@example.org"}
	if diff := cmp.Diff(want, qs[0].To); diff != "" {
		t.Errorf("delivered to (-want +got):\n%s", diff)
	}
	raw := string(qs[0].Raw)
	if !strings.HasPrefix(raw, "Delivered-To: "+to+"\r\n") || !strings.Contains(raw, "\r\nTo: "+to+"\r\n") || !strings.Contains(raw, "Section 4 is unclear.") {
		t.Errorf("not passed on as it came:\n%s", raw)
	}
	if qs[0].From != "pat@example.com" {
		t.Errorf("envelope sender %q", qs[0].From)
	}
	if n := e.count(`SELECT COUNT(*) FROM arch_message`) + e.count(`SELECT COUNT(*) FROM list_post`); n != 0 {
		t.Errorf("%d archived or posted", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM event WHERE kind = 'alias_delivered' AND subject = $1`, to); n != 1 {
		t.Errorf("%d alias_delivered events", n)
	}
	// Delivered back to hum with the line on: a loop, refused for good.
	if c, msg := code(e.send("pat@example.com", to, "Delivered-To: "+to+"\n"+comment(to, "c2"))); c != 554 {
		t.Errorf("a loop: %d %s", c, msg)
	}
}

// TestAliasToNobodyRefusedAtRcpt: an alias that reaches nobody now is
// refused at RCPT with 550 and the reason, not taken and dropped; an
// address that is neither list nor alias is refused too, and the lists
// still answer for theirs.
func TestAliasToNobodyRefusedAtRcpt(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		to   string
		code int
		says string
	}{
		{draft + ".shepherd@hum.test", 550, "has no document shepherd"},
		{"cfrg-chairs@hum.test", 550, "nobody chairs cfrg"},
		{"draft-nobody-here@hum.test", 550, ""},
		{"iesg@hum.test", 250, ""},
		{"httpbis-chairs@hum.test", 250, ""},
		{"last-call@hum.test", 250, ""},
	} {
		c, msg := code(e.send("pat@example.com", tc.to, comment(tc.to, "r-"+tc.to)))
		if c != tc.code || !strings.Contains(msg, tc.says) {
			t.Errorf("%s: %d %q, want %d saying %q", tc.to, c, msg, tc.code, tc.says)
		}
	}
	if n := e.count(`SELECT COUNT(*) FROM alias_message WHERE alias LIKE '%shepherd%' OR alias LIKE 'cfrg%'`); n != 0 {
		t.Errorf("a refused message was taken")
	}
	if n := e.count(`SELECT COUNT(*) FROM arch_message WHERE list = 'last-call'`); n != 1 {
		t.Errorf("the comment to last-call@ was not archived")
	}
}

// TestAliasReachingAListPostsThere: an alias is not archived, unless a
// list is among whom it reaches: that list takes it as a post.
func TestAliasReachingAListPostsThere(t *testing.T) {
	e := newEnv(t)
	e.exec(`UPDATE doc_author SET email = 'last-call@hum.test' WHERE email = 'Ben@Example.NET'`)
	to := draft + "@hum.test"
	if err := e.send("pat@example.com", to, comment(to, "l1")); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT COUNT(*) FROM arch_message WHERE list = 'last-call'`); n != 1 {
		t.Errorf("the list the alias reaches has %d messages", n)
	}
	qs, _ := mail.List(context.Background(), e.db, "", 10)
	if len(qs) != 1 || !cmp.Equal(qs[0].To, []string{"author@example.org"}) {
		t.Errorf("queued %+v", qs)
	}
}

// TestRouterExpandsHumsOwnMail: mail hum writes to an alias keeps the
// alias in To and goes to the addresses it reaches now; lists and people
// are left to the next Mailer; an alias that reaches nobody gets nothing.
func TestRouterExpandsHumsOwnMail(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.aliases.Router(e.lists.Router(e.outbox))
	err := e.db.Write(ctx, func(tx *db.Tx) error {
		if err := r.Queue(ctx, tx, mail.Message{From: "iesg-secretary@hum.test", To: []string{"iesg-secretary@hum.test", "ad@example.org"},
			Subject: "Last Call Expired: " + draft, Body: "It ended."}); err != nil {
			return err
		}
		if err := r.Queue(ctx, tx, mail.Message{From: "iesg-secretary@hum.test", To: []string{draft + ".shepherd@hum.test"}, Subject: "Nobody", Body: "."}); err != nil {
			return err
		}
		return r.Queue(ctx, tx, mail.Message{From: "iesg-secretary@hum.test", To: []string{"ietf-announce@hum.test"}, Subject: "Announced", Body: "."})
	})
	if err != nil {
		t.Fatal(err)
	}
	qs, err := mail.List(ctx, e.db, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, q := range qs {
		got[q.Subject] = append(got[q.Subject], strings.Join(q.To, ","))
		if q.Subject == "Last Call Expired: "+draft && strings.Join(q.To, ",") == "sec@example.org" && !strings.Contains(string(q.Raw), "To: <iesg-secretary@hum.test>") {
			t.Errorf("the alias is not in To:\n%s", q.Raw)
		}
	}
	want := map[string][]string{"Last Call Expired: " + draft: {"sec@example.org", "ad@example.org"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("queued (-want +got):\n%s", diff)
	}
	if n := e.count(`SELECT COUNT(*) FROM list_post p JOIN list l ON l.id = p.list_id WHERE l.name = 'ietf-announce'`); n != 1 {
		t.Errorf("the announcement was not posted to its list")
	}
}

// TestDraftAliasAgeIsTheTransactionsTime: inside a transaction a draft
// alias's two years are counted to the transaction's time, as every
// change in it is, not to the clock read again later: a message queued
// in a transaction that began while the alias lived still reaches it.
func TestDraftAliasAgeIsTheTransactionsTime(t *testing.T) {
	e := newEnv(t)
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now := start
	e.db.Now = func() time.Time { return now }
	e.exec(`INSERT INTO doc (name, type, rev, title, state, created, updated) VALUES ('draft-doe-edge', 'draft', '00', 'Edge', 'expired', $1, $1)`,
		start.AddDate(-2, 0, 0).Add(time.Hour))
	e.exec(`INSERT INTO doc_author (doc_id, ord, name, email) SELECT id, 0, 'Jo Doe', 'jo@example.net' FROM doc WHERE name = 'draft-doe-edge'`)
	err := e.db.Write(context.Background(), func(tx *db.Tx) error {
		now = start.Add(2 * time.Hour) // the clock moves on during the transaction
		_, found, err := e.aliases.Lookup(context.Background(), tx, "draft-doe-edge.authors@hum.test")
		if err == nil && !found {
			t.Error("the alias was counted to the clock, not to the transaction's time")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

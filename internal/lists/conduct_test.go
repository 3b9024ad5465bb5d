package lists

import (
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// conductEnv is newEnv with httpbis's responsible AD, an AD of another
// area, and a disruptive troll subscribed to httpbis with a reader.
type conductEnv struct {
	*env
	chair, ad, otherAD, pat groups.Actor
}

const (
	troll  = "troll@example.org"
	reader = "lee@example.org"
)

func newConductEnv(t *testing.T) *conductEnv {
	e := newEnv(t)
	e.body.AddGroups(groups.NewGroup{Acronym: "rtg", Name: "Routing", Type: "area", Parent: "iesg"})
	ad := e.body.Add("ad@example.org", "Ada Director")
	e.body.Grant("art", "ad", ad.ID, "ad@example.org")
	oad := e.body.Add("oad@example.org", "Otto Director")
	e.body.Grant("rtg", "ad", oad.ID, "oad@example.org")
	pat := e.body.Add("pat@example.org", "Pat Participant")
	e.subscribe("httpbis", troll, reader)
	c := &conductEnv{env: e}
	c.chair = e.as(record.Actor{ID: e.chair.ID, Name: e.chair.Name})
	c.ad = e.as(record.Actor{ID: ad.ID, Name: ad.Name})
	c.otherAD = e.as(record.Actor{ID: oad.ID, Name: oad.Name})
	c.pat = e.as(record.Actor{ID: pat.ID, Name: pat.Name})
	return c
}

// stepsTaken warns the troll and records the consultation of the AD.
func (c *conductEnv) stepsTaken() {
	c.t.Helper()
	ctx := context.Background()
	if err := c.lists.Warn(ctx, c.chair, "httpbis", troll, "Please stop the personal attacks.", false); err != nil {
		c.t.Fatal(err)
	}
	if err := c.lists.RecordConsultation(ctx, c.chair, "httpbis", troll, c.ad.ID, "Agreed: suspend if it goes on."); err != nil {
		c.t.Fatal(err)
	}
}

func (c *conductEnv) suspensions() int {
	return c.count(`SELECT COUNT(*) FROM list_suspension`)
}

// bodyText is the text of a message hum queued, decoded.
func bodyText(t *testing.T, raw []byte) string {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func refusedFor(t *testing.T, what string, err error, k fail.Kind, rule string) {
	t.Helper()
	fe, ok := fail.As(err)
	if !ok || fe.Kind != k || fe.Rule != rule {
		t.Fatalf("%s: got %v, want a %s refusal naming %s", what, err, k, rule)
	}
}

// TestR20SuspensionNeedsWarningAndConsultation: a chair cannot suspend a
// troll before warning them and consulting the responsible AD, each a
// recorded step; nobody but the WG's chairs (and the secretariat) takes
// those steps, and only an AD of the group's area counts as consulted.
func TestR20SuspensionNeedsWarningAndConsultation(t *testing.T) {
	c := newConductEnv(t)
	ctx := context.Background()
	suspend := func() error {
		_, err := c.lists.Suspend(ctx, c.chair, "httpbis", troll, 7, "Personal attacks after two warnings.")
		return err
	}
	err := suspend()
	refusedFor(t, "no step taken", err, fail.Conflict, "R20")
	if !strings.Contains(err.Error(), "no warning") || !strings.Contains(err.Error(), "no consultation") {
		t.Errorf("the refusal does not say what is missing: %v", err)
	}
	refusedFor(t, "a participant warns", c.lists.Warn(ctx, c.pat, "httpbis", troll, "Stop.", false), fail.Forbidden, "R20")
	refusedFor(t, "the AD warns", c.lists.Warn(ctx, c.ad, "httpbis", troll, "Stop.", false), fail.Forbidden, "R20")
	refusedFor(t, "a standalone list", c.lists.Warn(ctx, c.chair, "ietf", troll, "Stop.", false), fail.Invalid, "R20")

	if err := c.lists.Warn(ctx, c.chair, "httpbis", troll, "Please stop the personal attacks.", false); err != nil {
		t.Fatal(err)
	}
	if m := c.outboxTo(troll); len(m) != 1 || !strings.Contains(bodyText(t, m[0].Raw), "Please stop the personal attacks.") {
		t.Errorf("the private warning was not mailed to the troll: %v", m)
	}
	err = suspend()
	refusedFor(t, "warned, AD not consulted", err, fail.Conflict, "R20")
	if strings.Contains(err.Error(), "no warning") {
		t.Errorf("the warning is not counted: %v", err)
	}

	refusedFor(t, "another area's AD", c.lists.RecordConsultation(ctx, c.chair, "httpbis", troll, c.otherAD.ID, "Fine by me."), fail.Invalid, "R20")
	refusedFor(t, "a participant records", c.lists.RecordConsultation(ctx, c.pat, "httpbis", troll, c.ad.ID, "Fine."), fail.Forbidden, "R20")
	if err := c.lists.RecordConsultation(ctx, c.chair, "httpbis", troll, c.ad.ID, "Agreed: suspend if it goes on."); err != nil {
		t.Fatal(err)
	}
	if m := c.outboxTo("ad@example.org"); len(m) != 1 || !strings.Contains(bodyText(t, m[0].Raw), "Agreed: suspend if it goes on.") {
		t.Errorf("the AD was not told of the consultation recorded in their name: %v", m)
	}
	if n := c.suspensions(); n != 0 {
		t.Fatalf("%d suspensions written by refused attempts", n)
	}
	if err := suspend(); err != nil {
		t.Fatal(err)
	}

	// The steps are spent: a second suspension, after this one, needs
	// its own warning and consultation.
	var id int64
	if err := c.db.QueryRow(`SELECT id FROM list_suspension`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if err := c.lists.Lift(ctx, c.chair, "httpbis", id, "They apologised."); err != nil {
		t.Fatal(err)
	}
	refusedFor(t, "again, with the old steps", suspend(), fail.Conflict, "R20")
	c.stepsTaken()
	if err := suspend(); err != nil {
		t.Errorf("with new steps: %v", err)
	}

	evs, err := record.List(ctx, c.db, "group", "httpbis", 50)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, ev := range evs {
		kinds[ev.Kind]++
		if ev.Kind == "posting_warning" && strings.Contains(ev.Summary, troll) {
			t.Errorf("a private warning names the troll on the public record: %q", ev.Summary)
		}
	}
	want := map[string]int{"posting_warning": 2, "posting_consultation": 2, "posting_suspended": 2, "posting_restored": 1}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d %s events, want %d (all: %v)", kinds[k], k, n, kinds)
		}
	}
}

// TestR20SuspensionOfMoreThan30DaysRefused: RFC 3934 lets a chair suspend
// for not more than 30 days.
func TestR20SuspensionOfMoreThan30DaysRefused(t *testing.T) {
	c := newConductEnv(t)
	c.stepsTaken()
	for _, days := range []int{31, 90, 0, -1} {
		_, err := c.lists.Suspend(context.Background(), c.chair, "httpbis", troll, days, "Disruption.")
		refusedFor(t, "days", err, fail.Invalid, "R20")
	}
	if n := c.suspensions(); n != 0 {
		t.Fatalf("%d suspensions written", n)
	}
	if _, err := c.lists.Suspend(context.Background(), c.chair, "httpbis", troll, 30, "Disruption."); err != nil {
		t.Errorf("30 days: %v", err)
	}
}

// TestR20SuspendedPosterStillReceivesTheList: the suspended person's
// posts are refused naming R20, from any address of their account;
// their subscription stays, and they get the others' posts; they are
// told how to appeal.
func TestR20SuspendedPosterStillReceivesTheList(t *testing.T) {
	c := newConductEnv(t)
	ctx := context.Background()
	c.stepsTaken()
	if _, err := c.lists.Suspend(ctx, c.chair, "httpbis", troll, 14, "Personal attacks after warnings."); err != nil {
		t.Fatal(err)
	}
	var eventID int64
	if err := c.db.QueryRow(`SELECT event_id FROM list_suspension`).Scan(&eventID); err != nil {
		t.Fatal(err)
	}
	notice := c.outboxTo(troll)
	if len(notice) != 2 {
		t.Fatalf("the troll got %d mails, want the warning and the suspension", len(notice))
	}
	body := bodyText(t, notice[0].Raw)
	for _, want := range []string{"/appeals/new/?decision=%2Fevent%2F", "/event/", "still receive", "R20"} {
		if !strings.Contains(body, want) {
			t.Errorf("the notice lacks %q:\n%s", want, body)
		}
	}
	var kind, subject string
	if err := c.db.QueryRow(`SELECT kind, subject FROM event WHERE id = $1`, eventID).Scan(&kind, &subject); err != nil || kind != "posting_suspended" || subject != "httpbis" {
		t.Errorf("the decision's event is %q on %q (%v)", kind, subject, err)
	}

	err := c.send(troll, []string{"httpbis@hum.test"}, msgText(troll, "More of the same", "", "You are all wrong."))
	if code(err) != 550 || !strings.Contains(err.Error(), "R20") {
		t.Errorf("a suspended troll's post: %v, want 550 naming R20", err)
	}
	if err := c.send(reader, []string{"httpbis@hum.test"}, msgText(reader, "A real question", "", "What about caching?")); err != nil {
		t.Fatal(err)
	}
	got := c.waitFor(1)
	if len(got) != 1 || got[0].to != troll || !strings.Contains(got[0].data, "What about caching?") {
		t.Errorf("the suspended troll did not get the list's post: %+v", got)
	}
	if n := c.count(`SELECT COUNT(*) FROM subscription WHERE address = $1 AND state = 'active'`, troll); n != 1 {
		t.Errorf("the suspended troll's subscription is gone")
	}
	if n := c.count(`SELECT COUNT(*) FROM list_post WHERE author = $1`, troll); n != 0 {
		t.Errorf("%d posts of the suspended troll stored", n)
	}
}

// TestR20SuspensionOfAnAccountCoversItsAddresses: a person with an
// account is suspended, not one address of theirs.
func TestR20SuspensionOfAnAccountCoversItsAddresses(t *testing.T) {
	c := newConductEnv(t)
	ctx := context.Background()
	if _, err := c.db.Exec(`INSERT INTO email (person_id, address, is_primary, created) SELECT person_id, 'pat2@example.org', FALSE, created FROM email WHERE address = 'pat@example.org'`); err != nil {
		t.Fatal(err)
	}
	c.subscribe("httpbis", "pat2@example.org")
	if err := c.lists.Warn(ctx, c.chair, "httpbis", "pat@example.org", "Stop.", true); err != nil {
		t.Fatal(err)
	}
	if err := c.lists.RecordConsultation(ctx, c.ad, "httpbis", "pat2@example.org", c.ad.ID, "Go ahead."); err != nil {
		t.Fatalf("the AD records their own advice: %v", err)
	}
	if _, err := c.lists.Suspend(ctx, c.chair, "httpbis", "pat@example.org", 3, "Disruption."); err != nil {
		t.Fatal(err)
	}
	err := c.send("pat2@example.org", []string{"httpbis@hum.test"}, msgText("pat2@example.org", "From my other address", "", "Hello."))
	if code(err) != 550 || !strings.Contains(err.Error(), "R20") {
		t.Errorf("a post from the person's other address: %v, want 550 naming R20", err)
	}
}

// TestR20SuspensionEndsByItself: the job ends a suspension whose time is
// up, once however many processes run it, tells the troll, and their
// posts are taken again.
func TestR20SuspensionEndsByItself(t *testing.T) {
	c := newConductEnv(t)
	ctx := context.Background()
	c.stepsTaken()
	if _, err := c.lists.Suspend(ctx, c.chair, "httpbis", troll, 2, "Disruption."); err != nil {
		t.Fatal(err)
	}
	var job func(context.Context) error
	for _, j := range c.lists.Jobs() {
		if j.Name == "posting suspensions" {
			job = j.Run
		}
	}
	if job == nil {
		t.Fatal("no posting suspensions job")
	}
	if err := job(ctx); err != nil {
		t.Fatal(err)
	}
	if n := c.count(`SELECT COUNT(*) FROM list_suspension WHERE state = 'active'`); n != 1 {
		t.Fatalf("ended before its time")
	}
	// Its time is up (the clock is the Deliverer's too, so the end moves).
	if _, err := c.db.Exec(`UPDATE list_suspension SET ends = $1`, time.Now().UTC().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	ended := make([]int, 4)
	for i := range ended {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := c.lists.EndSuspensions(ctx)
			if err != nil {
				t.Error(err)
			}
			ended[i] = n
		}()
	}
	wg.Wait()
	if total := ended[0] + ended[1] + ended[2] + ended[3]; total != 1 {
		t.Errorf("the suspension was ended %d times", total)
	}
	if n := c.count(`SELECT COUNT(*) FROM list_suspension WHERE state = 'ended'`); n != 1 {
		t.Errorf("not ended")
	}
	if n := c.count(`SELECT COUNT(*) FROM event WHERE kind = 'posting_restored'`); n != 1 {
		t.Errorf("%d posting_restored events", n)
	}
	restored := 0
	for _, m := range c.outboxTo(troll) {
		if strings.Contains(m.Subject, "restored") {
			restored++
		}
	}
	if restored != 1 {
		t.Errorf("the troll was told %d times that the suspension ended", restored)
	}
	if err := c.send(troll, []string{"httpbis@hum.test"}, msgText(troll, "Back again", "", "Sorry.")); err != nil {
		t.Errorf("after the suspension: %v", err)
	}
}

// TestR20EndSuspensionsWritesNothingWhenNothingEnds: the job runs every
// minute; when no suspension is due it only reads, opening no write
// transaction (on SQLite, the one writer), and when one is due it ends
// it in one.
func TestR20EndSuspensionsWritesNothingWhenNothingEnds(t *testing.T) {
	c := newConductEnv(t)
	ctx := context.Background()
	var mu sync.Mutex
	commits := 0
	c.db.OnCommit(func() { mu.Lock(); commits++; mu.Unlock() })
	committed := func() int { mu.Lock(); defer mu.Unlock(); n := commits; commits = 0; return n }
	if n, err := c.lists.EndSuspensions(ctx); err != nil || n != 0 || committed() != 0 {
		t.Errorf("no suspension: ended %d, %v; want nothing written", n, err)
	}
	c.stepsTaken()
	if _, err := c.lists.Suspend(ctx, c.chair, "httpbis", troll, 2, "Disruption."); err != nil {
		t.Fatal(err)
	}
	committed()
	if n, err := c.lists.EndSuspensions(ctx); err != nil || n != 0 || committed() != 0 {
		t.Errorf("a suspension not yet over: ended %d, %v; want nothing written", n, err)
	}
	if _, err := c.db.Exec(`UPDATE list_suspension SET ends = $1`, time.Now().UTC().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n, err := c.lists.EndSuspensions(ctx); err != nil || n != 1 || committed() != 1 {
		t.Errorf("a suspension over: ended %d, %v", n, err)
	}
}

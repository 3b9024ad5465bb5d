package main

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"hum/internal/corpustest"
	"hum/internal/db/dbtest"
)

// TestE2ESchedulePinAndRun is the scheduler's acceptance test in a real
// browser (issue 10): on IETF 83, imported with the command, the
// secretariat pins a session in the official schedule's grid, runs the
// scheduler again from that schedule through the page with a short
// budget, and finds the session in the new schedule's grid where it
// was, still pinned.
func TestE2ESchedulePinAndRun(t *testing.T) {
	dir := filepath.Join(corpustest.Root(t), "meetings", "ietf83")
	tab := newBrowser(t)
	dsn := dbtest.DSN(t)
	const (
		addr = "sam.secretariat@example.org"
		pw   = "a long enough passphrase"
	)
	humSteps(t, [][]string{
		{"import", "meeting", "--db", dsn, "--number", "83", dir},
		{"group", "add", "--db", dsn, "--acronym", "secretariat", "--name", "IETF Secretariat", "--type", "ietf"},
		{"user", "add", "--db", dsn, "--email", addr, "--name", "Sam Secretariat", "--password", pw},
		{"role", "grant", "--db", dsn, addr, "secr", "secretariat"},
	})
	base := serveOn(t, dsn)
	b := &browser{t: t, ctx: tab, base: base}

	b.open("/accounts/login/", 200)
	b.submit(200, "email", addr, "password", pw)
	b.wantText("main h1", "Your account")

	b.open("/meeting/83/schedule/mtg:83/", 200)
	b.wantText("main h1", "IETF 83 schedule mtg:83")
	b.wantText("#cost", "3,381,000")
	session, slot := b.placed(`.sess[data-group="6man"]`)
	pinned := `#slot-` + slot + ` .sess.pinned[data-session="` + session + `"]`
	if n := b.count(pinned); n != 0 {
		t.Fatalf("6man is pinned before it is pinned (%d)", n)
	}
	b.click(`#session-`+session+` button.pin-button`, 200)
	b.wantText("main .flash", "Pinned session "+session)
	if n := b.count(pinned); n != 1 {
		t.Fatalf("after pinning, the grid shows 6man pinned in slot %s %d times", slot, n)
	}

	b.typeInto("run-name", "from-the-browser")
	b.typeInto("run-seed", "3")
	b.typeInto("run-seconds", "1")
	b.click(`main form.run button[type="submit"]`, 200)
	b.wantText("main .flash", `The scheduler made "from-the-browser" from "mtg:83"`)
	b.wantText("main h1", "IETF 83 schedule from-the-browser")
	if n := b.count(pinned); n != 1 {
		t.Errorf("in the new schedule, 6man (session %s) is not pinned in slot %s; it is in slot %s", session, slot, b.slotOf(session))
	}
	if got, _ := b.placed(`.sess[data-group="6man"]`); got != session {
		t.Errorf("the new schedule's 6man is session %s, want %s", got, session)
	}
}

// placed is the session id and the slot id of the first session cell
// matching css.
func (b *browser) placed(css string) (session, slot string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(function(){ var e = document.querySelector(`+jsString(css)+`);
		return e ? [e.dataset.session, e.closest("td").id.replace("slot-", "")] : []; })()`))
	if err != nil || len(ids) != 2 {
		b.t.Fatalf("no session %s on the page (%v)\n%s", css, err, b.mainText())
	}
	if _, err := strconv.ParseInt(ids[1], 10, 64); err != nil {
		b.t.Fatalf("the cell of %s has no slot id: %q", css, ids[1])
	}
	return ids[0], ids[1]
}

// slotOf is the slot id of the cell holding a session, for messages.
func (b *browser) slotOf(session string) string {
	ctx, cancel := b.step()
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){ var e = document.querySelector('.sess[data-session="`+session+`"]');
		return e ? e.closest("td").id : "none"; })()`))
	return s
}

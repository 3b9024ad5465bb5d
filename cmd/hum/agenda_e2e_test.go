package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"hum/internal/corpustest"
	"hum/internal/db/dbtest"
)

// TestE2EAgendaOnAPhone walks IETF 83's agenda, imported with the
// command, in a real browser at a phone's width: the page loads and
// shows the sessions, filtering by a group works, the time-zone switch
// (typed, and the one-click reader's zone that the page's script
// offers) changes the times shown, and nothing is wider than the screen.
func TestE2EAgendaOnAPhone(t *testing.T) {
	dir := filepath.Join(corpustest.Root(t), "meetings", "ietf83")
	tab := newBrowser(t)
	dsn := dbtest.DSN(t)
	if out, err := hum(t, "import", "meeting", "--db", dsn, "--number", "83", dir); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	base := serveOn(t, dsn)
	b := &browser{t: t, ctx: tab, base: base}
	ctx, cancel := b.step()
	err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Tokyo"})
			return err
		}))
	cancel()
	if err != nil {
		t.Fatal(err)
	}

	b.open("/meeting/83/agenda/", 200)
	b.wantText("main h1", "IETF 83 agenda")
	if n := b.count("li.session"); n != 149 {
		t.Errorf("the agenda shows %d sessions, want 149", n)
	}
	b.noOverflow()
	pkixStart := `li.session[data-group="pkix"]`
	b.wantText(`#shown-zone`, "Europe/Paris")
	if got := b.slotStart(pkixStart); got != "09:00" {
		t.Errorf("pkix starts at %q in Paris, want 09:00", got)
	}

	// Filter by a group: open the filter, tick pkix, show.
	b.clickNoLoad("details.groups-filter summary")
	b.clickNoLoad(`input[type=checkbox][value="pkix"]`)
	b.click(`main form.agenda-filter button[type="submit"]`, 200)
	if n, p := b.count("li.session"), b.count(pkixStart); n != 1 || p != 1 {
		t.Errorf("after filtering by pkix: %d sessions, %d of pkix; want 1 and 1", n, p)
	}
	b.wantText("main p.formats", "Showing 1 of 149 sessions")
	b.noOverflow()

	// Type a time zone: New York is six hours behind Paris that week.
	b.typeInto("agenda-tz", "America/New_York")
	b.click(`main form.agenda-filter button[type="submit"]`, 200)
	b.wantText(`#shown-zone`, "America/New_York")
	if got := b.slotStart(pkixStart); got != "03:00" {
		t.Errorf("pkix starts at %q in New York, want 03:00", got)
	}
	// The page's script offers the browser's own zone (Tokyo here).
	b.wantText("#use-my-zone", "Asia/Tokyo")
	b.click("#use-my-zone", 200)
	b.wantText(`#shown-zone`, "Asia/Tokyo")
	if got := b.slotStart(pkixStart); got != "16:00" {
		t.Errorf("pkix starts at %q in Tokyo, want 16:00", got)
	}
	b.noOverflow()

	// The keyword box finds a group by its name.
	b.open("/meeting/83/agenda/", 200)
	b.typeInto("agenda-q", "Public-Key")
	b.click(`main form.agenda-filter button[type="submit"]`, 200)
	if n, p := b.count("li.session"), b.count(pkixStart); n != 1 || p != 1 {
		t.Errorf("keyword Public-Key: %d sessions, %d of pkix", n, p)
	}
}

func (b *browser) count(css string) int {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(css)+`).length`))
	if err != nil {
		b.t.Fatalf("count %s: %v", css, err)
	}
	return n
}

// slotStart is the start time shown for the slot holding the first
// element matching css.
func (b *browser) slotStart(css string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){ var e = document.querySelector(`+jsString(css)+`);
		return e ? e.closest(".slot").querySelector(".t-start").textContent : ""; })()`))
	if err != nil {
		b.t.Fatalf("start of %s: %v", css, err)
	}
	return s
}

// noOverflow fails when the page is wider than the screen, which on a
// phone means sideways scrolling.
func (b *browser) noOverflow() {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth]`))
	if err != nil {
		b.t.Fatal(err)
	}
	if w[0] > w[1] || w[1] > 390 {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("main *")).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth).slice(0, 5).map(e => e.tagName + "." + e.className).join(", ")`))
		b.t.Errorf("the page is %dpx wide in a %dpx screen (window %d): %s", w[0], w[1], w[2], wide)
	}
}

// clickNoLoad clicks something that changes the page without loading
// another.
func (b *browser) clickNoLoad(css string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		b.t.Fatalf("click %s: %v", css, err)
	}
}

// typeInto replaces the value of the input with an id.
func (b *browser) typeInto(id, value string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById(`+jsString(id)+`).value = "") === ""`)); err != nil {
		b.t.Fatalf("clear #%s: %v", id, err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(id), value)); err != nil {
		b.t.Fatalf("type into #%s: %v", id, err)
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

package web

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/scheduler"
)

// TestScheduleGridIETF83 shows IETF 83's official schedule as the
// Datatracker holds it: its cost and breakdown, its three double-booked
// rooms as hard violations (both sessions in the cell, the cell marked),
// mext unplaced, and each session's charges marked in its cell.
func TestScheduleGridIETF83(t *testing.T) {
	s := newSchedSite(t)
	official := s.scored("mtg:83")
	code, body := s.client().get("/meeting/83/schedule/mtg:83/")
	want(t, "the official schedule", code, body, 200, `<strong id="cost">3,381,000</strong>`, "(stored: not scored)",
		`<td>Conflicts with <span class="muted">conflict</span></td><td class="num">10</td><td class="num">100,000</td><td class="num">1,000,000</td>`,
		`<td>Conflicts with (secondary) <span class="muted">conflic2</span></td><td class="num">18</td>`,
		`session_requires_trim</span></td><td class="num">4</td>`,
		`<li class="hardv">212/213 at Mon 2012-03-26 13:00 holds both eai and mobopts</li>`,
		`<li class="hardv">253 at Tue 2012-03-27 13:00 holds both kitten and krb-wg</li>`,
		`<li class="hardv">253 at Wed 2012-03-28 09:00 holds both opsarea and opsawg</li>`,
		"mext <span class=\"muted\">150 min</span>: not placed by this schedule")
	if strings.Contains(body, "pin/") || strings.Contains(body, "Run the scheduler") {
		t.Error("a visitor is offered the secretariat's controls")
	}

	// ccamp asked for 2h30 and got 2h: its cell says so.
	ccamp := cellOf(body, chargedFor(t, official.Report, "ccamp: 2h30 asked for, 2h given"))
	for _, w := range []string{`title="ccamp: 2h30 asked for, 2h given (100,000)"`, "⚠ trimmed"} {
		if !strings.Contains(ccamp, w) {
			t.Errorf("ccamp's cell lacks %q:\n%s", w, ccamp)
		}
	}
	// xmpp is charged two secondary conflicts: one mark, counted.
	if xmpp := cellOf(body, sessionOf(t, official, "xmpp", 0)); !strings.Contains(xmpp, "⚠ conflict (2nd) ×2") || !strings.Contains(xmpp, "⚠ conflict (3rd)") {
		t.Errorf("xmpp's cell:\n%s", xmpp)
	}
	// Room 212/213 holds eai and mobopts at once, in two slots of one
	// time: one cell shows both, marked.
	eai := cellOf(body, sessionOf(t, official, "eai", 0))
	for _, w := range []string{`class="placed hard"`, `data-group="mobopts"`, `data-group="eai"`, "⛔ hard violation", `title="212/213 at Mon 2012-03-26 13:00 holds both eai and mobopts"`} {
		if !strings.Contains(eai, w) {
			t.Errorf("eai's cell lacks %q:\n%s", w, eai)
		}
	}
	if clean := cellOf(body, sessionOf(t, official, "6man", 0)); strings.Contains(clean, "hard") {
		t.Errorf("6man's cell is marked hard:\n%s", clean)
	}

	// The placing grid shows the double booking too, and links here.
	code, body = s.client().get("/meeting/83/schedule/")
	want(t, "the placing grid", code, body, 200, `href="/meeting/83/schedule/mtg:83/"`, `href="/meeting/83/schedules/"`)
	if cell := cellAt(body, `<a href="/meeting/83/session/eai/">`); !strings.Contains(cell, `<a href="/meeting/83/session/mobopts/">`) {
		t.Errorf("the placing grid hides mobopts behind eai:\n%s", cell)
	}
}

// TestSchedulesListAndRun: the list shows each schedule's stored cost;
// the secretariat runs the scheduler from the official schedule with a
// session pinned, through the page, and the new schedule keeps it there,
// pinned; the same seed again gives the same schedule; a run is refused,
// changing nothing, for a budget too large, a taken name, a bad seed or
// an unknown schedule to start from, and for anyone else.
func TestSchedulesListAndRun(t *testing.T) {
	s := newSchedSite(t)
	code, body := s.client().get("/meeting/83/schedules/")
	want(t, "the list", code, body, 200, `href="/meeting/83/schedule/mtg:83/">mtg:83</a> <span class="tag official">official</span>`, "not scored")

	// Store the official schedule's cost: the list shows it.
	code, _, body = s.sec.send("/meeting/83/schedule/mtg:83/score/", nil)
	want(t, "scoring", code, body, 200, `Scored "mtg:83": it costs 3,381,000.`)
	code, body = s.client().get("/meeting/83/schedules/")
	want(t, "the list, scored", code, body, 200, `<td class="num" data-label="Cost">3,381,000</td>`)

	ccamp := chargedFor(t, s.scored("mtg:83").Report, "ccamp: 2h30 asked for, 2h given")
	where := s.scored("mtg:83").Placement[ccamp]
	code, _, body = s.sec.send("/meeting/83/schedule/mtg:83/pin/", url.Values{"session": {strconv.FormatInt(ccamp, 10)}, "pinned": {"1"}})
	want(t, "pinning ccamp", code, body, 200, "Pinned session")
	if !strings.Contains(cellOf(body, ccamp), `class="sess pinned"`) {
		t.Errorf("ccamp's cell is not marked pinned:\n%s", cellOf(body, ccamp))
	}

	run := url.Values{"from": {"mtg:83"}, "name": {"again"}, "seed": {"5"}, "seconds": {"30"}}
	code, path, body := s.sec.send("/meeting/83/schedules/", run)
	want(t, "the run", code, body, 200, `The scheduler made "again" from "mtg:83"`)
	if path != "/meeting/83/schedule/again/" {
		t.Errorf("the run ended on %s", path)
	}
	again := s.scored("again")
	if !slices.Equal(again.Placement[ccamp], where) || !slices.Contains(again.Problem.Pinned[ccamp], where[0]) {
		t.Errorf("ccamp, pinned at %v, is at %v in the new schedule (pinned %v)", where, again.Placement[ccamp], again.Problem.Pinned[ccamp])
	}
	cell := cellOf(body, ccamp)
	if !strings.Contains(cell, `id="slot-`+strconv.FormatInt(where[0], 10)+`"`) || !strings.Contains(cell, `class="sess pinned"`) {
		t.Errorf("the new schedule's page has ccamp in\n%s", cell)
	}
	if !strings.Contains(body, `<strong id="cost">`+scheduler.Thousands(again.Report.Cost)+`</strong>`) || again.Schedule.Badness == nil || *again.Schedule.Badness != again.Report.Cost {
		t.Errorf("the new schedule's cost: stored %v, scored %d", again.Schedule.Badness, again.Report.Cost)
	}
	code, body = s.client().get("/meeting/83/schedules/")
	want(t, "the list after the run", code, body, 200, `href="/meeting/83/schedule/again/">again</a></td><td class="num" data-label="Cost">`+scheduler.Thousands(again.Report.Cost)+`</td>`)
	if k := s.lastEvents(1); !slices.Equal(k, []string{"schedule_created"}) {
		t.Errorf("the run recorded %v", k)
	}

	run.Set("name", "again2")
	if code, _, body = s.sec.send("/meeting/83/schedules/", run); code != 200 {
		t.Fatalf("the second run: %d\n%s", code, body)
	}
	if d := cmp.Diff(again.Placement, s.scored("again2").Placement); d != "" {
		t.Errorf("seed 5 twice (-first +second):\n%s", d)
	}

	before := s.state()
	for _, tc := range []struct {
		what, field, value string
		code               int
		text               string
	}{
		{"a budget too large", "seconds", "61", 400, "The time budget is at most 60 seconds here"},
		{"no budget", "seconds", "0", 400, "at least 1 second"},
		{"a taken name", "name", "mtg:83", 400, `IETF 83 already has a schedule named "mtg:83"`},
		{"a bad name", "name", "no spaces please", 400, "A schedule's name is"},
		{"a bad seed", "seed", "-1", 400, "The seed is a whole number"},
		{"an unknown start", "from", "nosuch", 404, `"nosuch"`},
	} {
		bad := url.Values{"from": {"mtg:83"}, "name": {"third"}, "seed": {"1"}, "seconds": {"5"}}
		bad.Set(tc.field, tc.value)
		code, _, body := s.sec.send("/meeting/83/schedules/", bad)
		want(t, tc.what, code, body, tc.code, tc.text)
		if tc.field != "from" && !strings.Contains(body, `value="`+tc.value+`"`) {
			t.Errorf("%s: the form lost %s=%q", tc.what, tc.field, tc.value)
		}
		if after := s.state(); after != before {
			t.Errorf("%s changed %s to %s", tc.what, before, after)
		}
	}
	chair := s.client()
	chair.login("chair@example.org")
	code, _, body = chair.send("/meeting/83/schedules/", url.Values{"name": {"mine"}, "seconds": {"1"}})
	want(t, "the chair's run", code, body, 403, "Only the secretariat")
	code, _, body = s.client().send("/meeting/83/schedules/", url.Values{"name": {"mine"}, "seconds": {"1"}})
	want(t, "a visitor's run", code, body, 401)
	if after := s.state(); after != before {
		t.Errorf("refused runs changed %s to %s", before, after)
	}
}

// TestScheduleMoveByHand: the secretariat picks a session, the grid
// offers the free slots, the move is stored and scored again, and the
// page says what it did to the cost; unpinning, taking a session out
// and refusals (a held slot, a slot that is no session slot, a session
// the scheduler does not place, an unknown schedule, anyone else).
func TestScheduleMoveByHand(t *testing.T) {
	s := newSchedSite(t)
	before := s.scored("mtg:83")
	ccamp := chargedFor(t, before.Report, "ccamp: 2h30 asked for, 2h given")
	id := strconv.FormatInt(ccamp, 10)
	page := "/meeting/83/schedule/mtg:83/"

	code, body := s.sec.get(page + "?move=" + id)
	want(t, "choosing where", code, body, 200, `Moving <strong>ccamp (session 1)</strong> (150 minutes)`)
	targets := targetRE.FindAllStringSubmatch(body, -1)
	if len(targets) == 0 {
		t.Fatalf("no free slot is offered:\n%s", body)
	}
	to := targets[0][1]

	state := s.state()
	held := strconv.FormatInt(before.Placement[sessionOf(t, before, "6man", 0)][0], 10)
	breakSlot := strconv.FormatInt(s.idOf(`SELECT MIN(t.id) FROM timeslot t JOIN meeting m ON m.id = t.meeting_id WHERE m.number = '83' AND t.room_id IS NULL`), 10)
	// A plenary's session, in a slot that is not the scheduler's.
	plenary := strconv.FormatInt(s.idOf(`SELECT MIN(a.session_id) FROM assignment a JOIN timeslot t ON t.id = a.timeslot_id WHERE t.type <> 'regular'`), 10)
	for _, tc := range []struct {
		what    string
		form    url.Values
		path    string
		code    int
		text    string
		asChair bool
	}{
		{"a held slot", url.Values{"session": {id}, "timeslot": {held}}, page, 409, "already holds session", false},
		{"a break", url.Values{"session": {id}, "timeslot": {breakSlot}}, page, 400, "is not a session slot", false},
		{"no slot", url.Values{"session": {id}}, page, 400, "Choose a slot", false},
		{"no session", url.Values{"session": {"x"}, "timeslot": {to}}, page, 400, "Choose a session", false},
		{"a plenary", url.Values{"session": {plenary}, "timeslot": {to}}, page, 400, "is not one the scheduler places", false},
		{"an unknown schedule", url.Values{"session": {id}, "timeslot": {to}}, "/meeting/83/schedule/nosuch/", 404, `no schedule named "nosuch"`, false},
		{"the chair", url.Values{"session": {id}, "timeslot": {to}}, page, 403, "Only the secretariat", true},
	} {
		c := s.sec
		if tc.asChair {
			c = s.client()
			c.login("chair@example.org")
		}
		code, _, body := c.send(tc.path+"move/", tc.form)
		want(t, tc.what, code, body, tc.code, tc.text)
		if after := s.state(); after != state {
			t.Errorf("%s changed %s to %s", tc.what, state, after)
		}
	}

	code, path, body := s.sec.send(page+"move/", url.Values{"session": {id}, "timeslot": {to}})
	after := s.scored("mtg:83")
	want(t, "the move", code, body, 200, "The cost went from 3,381,000 to "+scheduler.Thousands(after.Report.Cost)+" ("+signed(after.Report.Cost-3_381_000)+").",
		`<strong id="cost">`+scheduler.Thousands(after.Report.Cost)+`</strong>`)
	if path != page || !strings.Contains(flashOf(body), "Moved ccamp (session 1) to ") {
		t.Errorf("the move ended on %s saying %q", path, flashOf(body))
	}
	if got := after.Placement[ccamp]; len(got) == 0 || strconv.FormatInt(got[0], 10) != to {
		t.Errorf("ccamp is at %v, moved to %s", got, to)
	}
	if !strings.Contains(cellOf(body, ccamp), `id="slot-`+to+`"`) {
		t.Errorf("the grid does not show ccamp in slot %s:\n%s", to, cellOf(body, ccamp))
	}
	if b := after.Schedule.Badness; b == nil || *b != after.Report.Cost {
		t.Errorf("the stored cost is %v, the schedule costs %d", b, after.Report.Cost)
	}
	if k := s.lastEvents(2); !slices.Equal(k, []string{"schedule_scored", "schedule_session_moved"}) {
		t.Errorf("the move recorded %v", k)
	}

	// Take it out: it is unplaced, charged as such.
	code, _, body = s.sec.send(page+"move/", url.Values{"session": {id}, "action": {"unplace"}})
	want(t, "taking ccamp out", code, body, 200, "Took ccamp (session 1) out of the schedule.", "ccamp (session 1) <span class=\"muted\">150 min</span>: not placed by this schedule")
	if _, placed := s.scored("mtg:83").Placement[ccamp]; placed {
		t.Error("ccamp is still placed")
	}
}

// TestSchedulePinAndOfficial: pin and unpin a session (recorded, shown),
// make a schedule official (the agenda's and the list's), and the
// refusals.
func TestSchedulePinAndOfficial(t *testing.T) {
	s := newSchedSite(t)
	official := s.scored("mtg:83")
	v6ops := strconv.FormatInt(sessionOf(t, official, "v6ops", 0), 10)
	pinned := func() int64 {
		return s.idOf(`SELECT COUNT(*) FROM assignment a JOIN schedule sc ON sc.id = a.schedule_id WHERE sc.name = 'mtg:83' AND a.pinned`)
	}
	code, _, body := s.sec.send("/meeting/83/schedule/mtg:83/pin/", url.Values{"session": {v6ops}, "pinned": {"1"}})
	want(t, "pin", code, body, 200, "Pinned session "+v6ops, "1 pinned")
	if pinned() != 1 || !slices.Equal(s.lastEvents(1), []string{"schedule_pinned"}) {
		t.Errorf("pinned %d, events %v", pinned(), s.lastEvents(1))
	}
	if !strings.Contains(cellOf(body, sessionOf(t, official, "v6ops", 0)), `value="0"><button type="submit" class="secondary pin-button">Unpin</button>`) {
		t.Error("a pinned session is not offered unpinning")
	}
	code, _, body = s.sec.send("/meeting/83/schedule/mtg:83/pin/", url.Values{"session": {v6ops}, "pinned": {"0"}})
	want(t, "unpin", code, body, 200, "Unpinned session "+v6ops, "0 pinned")
	if pinned() != 0 || !slices.Equal(s.lastEvents(1), []string{"schedule_unpinned"}) {
		t.Errorf("pinned %d, events %v", pinned(), s.lastEvents(1))
	}

	mext := strconv.FormatInt(sessionOf(t, official, "mext", 0), 10)
	state := s.state()
	code, _, body = s.sec.send("/meeting/83/schedule/mtg:83/pin/", url.Values{"session": {mext}, "pinned": {"1"}})
	want(t, "pinning an unplaced session", code, body, 400, "only a placed session can be pinned")
	code, _, body = s.sec.send("/meeting/83/schedule/nosuch/pin/", url.Values{"session": {v6ops}, "pinned": {"1"}})
	want(t, "pinning in an unknown schedule", code, body, 404)
	code, _, body = s.sec.send("/meeting/83/schedule/nosuch/official/", nil)
	want(t, "making an unknown schedule official", code, body, 404)
	code, body = s.client().get("/meeting/83/schedule/nosuch/")
	want(t, "an unknown schedule", code, body, 404, `no schedule named &#34;nosuch&#34;`)
	code, body = s.client().get("/meeting/84/schedules/")
	want(t, "an unknown meeting", code, body, 404)
	chair := s.client()
	chair.login("chair@example.org")
	for _, p := range []string{"pin/", "official/", "score/"} {
		code, _, body = chair.send("/meeting/83/schedule/mtg:83/"+p, url.Values{"session": {v6ops}, "pinned": {"1"}})
		want(t, "the chair's "+p, code, body, 403)
	}
	if after := s.state(); after != state {
		t.Errorf("refusals changed %s to %s", state, after)
	}

	code, _, body = s.sec.send("/meeting/83/schedules/", url.Values{"name": {"quick"}, "seed": {"1"}, "seconds": {"10"}})
	want(t, "a run", code, body, 200, "Make it the official schedule")
	code, path, body := s.sec.send("/meeting/83/schedule/quick/official/", nil)
	want(t, "make it official", code, body, 200, `"quick" is now the official schedule of IETF 83`, `quick <span class="tag official">official</span>`)
	if path != "/meeting/83/schedule/quick/" || strings.Contains(body, "Make it the official schedule") {
		t.Errorf("after making it official: %s, still offered", path)
	}
	if k := s.lastEvents(1); !slices.Equal(k, []string{"schedule_official"}) {
		t.Errorf("recorded %v", k)
	}
	m, _ := s.ms.Get(s.ctx, "83")
	if q := s.scored("quick"); m.ScheduleID != q.Schedule.ID {
		t.Errorf("the meeting's schedule is %d, quick is %d", m.ScheduleID, q.Schedule.ID)
	}
	code, body = s.client().get("/meeting/83/schedules/")
	want(t, "the list", code, body, 200, `>quick</a> <span class="tag official">official</span>`)
	if strings.Contains(body, `>mtg:83</a> <span class="tag official">`) {
		t.Error("mtg:83 is still marked official")
	}
	code, body = s.client().get("/meeting/83/schedule/")
	want(t, "the placing grid", code, body, 200, `href="/meeting/83/schedule/quick/"`)
}

// TestScheduleCompare: two schedules side by side, what moved between
// them and what each costs, reached from the list's form.
func TestScheduleCompare(t *testing.T) {
	s := newSchedSite(t)
	code, _, body := s.sec.send("/meeting/83/schedules/", url.Values{"from": {"mtg:83"}, "name": {"better"}, "seed": {"2"}, "seconds": {"10"}})
	if code != 200 {
		t.Fatalf("run: %d\n%s", code, body)
	}
	a, b := s.scored("mtg:83"), s.scored("better")
	code, body = s.client().get("/meeting/83/schedules/compare/?a=mtg:83&b=better")
	want(t, "compare", code, body, 200, "IETF 83: mtg:83 and better", `<th class="num" id="cost-a">3,381,000</th>`,
		`<th class="num" id="cost-b">`+scheduler.Thousands(b.Report.Cost)+`</th>`, `<th class="num">`+signed(b.Report.Cost-a.Report.Cost)+`</th>`,
		`<td>Sessions left unplaced <span class="muted">unplaced</span></td><td class="num">1,000,000</td><td class="num">1</td><td class="num">1,000,000</td>`)
	moved, same := 0, 0
	for _, ss := range a.Problem.Sessions {
		x, y := a.Placement[ss.ID], b.Placement[ss.ID]
		switch {
		case len(x) > 0 && len(y) > 0 && slices.Equal(slices.Sorted(slices.Values(x)), slices.Sorted(slices.Values(y))):
			same++
		case len(x) > 0 && len(y) > 0:
			moved++
		}
	}
	phrase := strconv.Itoa(same) + " sessions are in the same place in both; "
	if same == 1 {
		phrase = "1 session is in the same place in both; "
	}
	text := regexp.MustCompile(`\s+`).ReplaceAllString(body, " ")
	if !strings.Contains(text, phrase+strconv.Itoa(moved)+" moved.") ||
		strings.Count(body, `<td data-label="Session">`) != moved {
		t.Errorf("want %d the same, %d moved:\n%s", same, moved, body)
	}
	// The run places mext, which the official schedule left out (the
	// greedy start places every session that fits somewhere).
	if len(b.Placement[sessionOf(t, a, "mext", 0)]) == 0 {
		t.Errorf("better leaves mext unplaced")
	} else if !strings.Contains(body, "<h3 id=\"only-b\">Placed by better only</h3>\n<ul><li>mext: ") {
		t.Errorf("mext, placed by better only, is not listed so:\n%s", body)
	}
	code, body = s.client().get("/meeting/83/schedule/mtg:83/compare/nosuch/")
	want(t, "compare with nothing", code, body, 404)
	code, body = s.client().get("/meeting/83/schedules/compare/?a=mtg:83")
	want(t, "compare one", code, body, 400, "Choose two schedules")
}

// TestPlacingGridRemovesEitherOfADoubleBooking: IETF 83 holds eai and
// mobopts in two slots of room 212/213 at one time, shown in one cell;
// the secretariat's Remove under each takes it out of its own slot (the
// form used to name the cell's first slot for both, and was refused for
// the other).
func TestPlacingGridRemovesEitherOfADoubleBooking(t *testing.T) {
	for _, group := range []string{"mobopts", "eai"} {
		s := newSchedSite(t)
		official := s.scored("mtg:83")
		id := sessionOf(t, official, group, 0)
		code, body := s.sec.get("/meeting/83/schedule/")
		want(t, "the placing grid", code, body, 200)
		form := regexp.MustCompile(`name="session" value="` + strconv.FormatInt(id, 10) + `"><input type="hidden" name="timeslot" value="(\d+)"`).FindStringSubmatch(body)
		if form == nil {
			t.Fatalf("no Remove form for %s", group)
		}
		code, _, page := s.sec.send("/meeting/83/schedule/", url.Values{"action": {"unassign"}, "session": {strconv.FormatInt(id, 10)}, "timeslot": {form[1]}})
		if code != 200 {
			t.Fatalf("removing %s: %d\n%s", group, code, flashOf(page))
		}
		if slots := s.scored("mtg:83").Placement[id]; len(slots) != 0 {
			t.Errorf("%s is still placed, in %v", group, slots)
		}
	}
}

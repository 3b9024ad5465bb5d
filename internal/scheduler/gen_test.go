package scheduler

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"hum/internal/meetings"
)

func TestGenerateSizes(t *testing.T) {
	for _, c := range []struct {
		spec         GenSpec
		rooms, slots int
	}{
		// 17 slots a room a week, and the lunch slot in rooms 1–5 of each 8.
		{GenSpec{Sessions: 300, Rooms: 20}, 20, 20*17 + 14},
		{GenSpec{Sessions: 600, Rooms: 40}, 40, 40*17 + 25},
		{GenSpec{Sessions: 133}, 9, 9*17 + 6},
		{GenSpec{Sessions: 30, Rooms: 2, Days: 7}, 2, 2*(17+3+4) + 2},
	} {
		p := Generate(c.spec, 1)
		if len(p.Sessions) != c.spec.Sessions {
			t.Errorf("%+v: %d sessions", c.spec, len(p.Sessions))
		}
		rooms := map[string]bool{}
		for _, s := range p.Slots {
			rooms[s.Room] = true
		}
		if len(rooms) != c.rooms || len(p.Slots) != c.slots {
			t.Errorf("%+v: %d rooms, %d slots; want %d, %d", c.spec, len(rooms), len(p.Slots), c.rooms, c.slots)
		}
		checkWellFormed(t, p)
	}
}

// checkWellFormed checks what the solver may take for granted: ids
// unique, every name known, a room's slots apart, a group's sessions
// indexed in order.
func checkWellFormed(t *testing.T, p *Problem) {
	t.Helper()
	if err := Check(p); err != nil && len(p.Sessions) > 0 { // with none, the solver rightly refuses
		t.Errorf("the solver refuses the problem: %v", err)
	}
	if p.Zone == nil || p.Zone.String() != "Europe/Paris" {
		t.Errorf("zone %v", p.Zone)
	}
	slots := map[int64]bool{}
	for i, s := range p.Slots {
		if slots[s.ID] {
			t.Errorf("slot id %d twice", s.ID)
		}
		slots[s.ID] = true
		for _, o := range p.Slots[:i] {
			if o.Room == s.Room && o.Start.Before(s.End()) && s.Start.Before(o.End()) {
				t.Errorf("slots %d and %d overlap in %s", o.ID, s.ID, s.Room)
			}
		}
		if s.Capacity <= 0 || s.Duration <= 0 {
			t.Errorf("slot %+v", s)
		}
	}
	groups := map[string]bool{}
	for _, g := range p.Groups {
		if groups[g.Acronym] {
			t.Errorf("group %s twice", g.Acronym)
		}
		groups[g.Acronym] = true
	}
	next := map[string]int{}
	for _, s := range p.Sessions {
		if slots[s.ID] {
			t.Errorf("session id %d is also a slot id", s.ID)
		}
		if !groups[s.Group] {
			t.Errorf("session %d of unknown group %s", s.ID, s.Group)
		}
		if s.Index != next[s.Group] {
			t.Errorf("session %d of %s has index %d, want %d", s.ID, s.Group, s.Index, next[s.Group])
		}
		next[s.Group]++
	}
	for _, g := range p.Groups {
		if next[g.Acronym] == 0 {
			t.Errorf("group %s has no session", g.Acronym)
		}
		seen := map[string]bool{g.Acronym: true}
		for _, c := range g.Conflicts {
			if !groups[c.Target] || seen[c.Target] {
				t.Errorf("%s: conflict with %s (unknown, itself or twice)", g.Acronym, c.Target)
			}
			seen[c.Target] = true
		}
		for _, a := range g.Adjacent {
			if !groups[a] || a == g.Acronym {
				t.Errorf("%s: adjacent to %s", g.Acronym, a)
			}
		}
		for _, r := range g.TimeRanges {
			if _, ok := meetings.Range(r); !ok {
				t.Errorf("%s: time range %q", g.Acronym, r)
			}
		}
		if g.TimeRelation != "" {
			if _, ok := meetings.ParseTimeRelation(g.TimeRelation); !ok {
				t.Errorf("%s: time relation %q", g.Acronym, g.TimeRelation)
			}
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	spec := GenSpec{Sessions: 300, Rooms: 20}
	a, b := Generate(spec, 7), Generate(spec, 7)
	ignoreZone := cmpopts.IgnoreFields(Problem{}, "Zone")
	if d := cmp.Diff(a, b, ignoreZone); d != "" {
		t.Errorf("seed 7 twice (-first +second):\n%s", d)
	}
	if cmp.Equal(a.Groups, Generate(spec, 8).Groups) {
		t.Error("seeds 7 and 8 give the same groups")
	}
}

// TestGenerateShape checks that a large meeting looks like IETF 83: the
// figures documented on Generate, within what one draw may stray.
func TestGenerateShape(t *testing.T) {
	p := Generate(GenSpec{Sessions: 600, Rooms: 40}, 3)
	n := len(p.Groups)
	area := map[string]string{}
	for _, g := range p.Groups {
		area[g.Acronym] = g.Area
	}
	perLevel := map[string]int{}
	sameLevel := map[string]int{}
	pairs := map[[2]string]bool{}
	in := map[string]int{}
	kinds := map[string]int{}
	bethere := map[int64]int{}
	for _, g := range p.Groups {
		kinds[g.Type+"/"+g.State]++
		for _, c := range g.Conflicts {
			perLevel[c.Kind]++
			if area[c.Target] == g.Area {
				sameLevel[c.Kind]++
			}
			pairs[[2]string{g.Acronym, c.Target}] = true
			in[c.Target]++
		}
		for _, id := range g.BeThere {
			bethere[id]++
		}
		if len(g.TimeRanges) > 0 {
			kinds["timerange"]++
		}
		if g.TimeRelation != "" {
			kinds["time_relation"]++
		}
		if len(g.Adjacent) > 0 {
			kinds["wg_adjacent"]++
		}
	}
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.2f, want %.2f ± %.2f", what, got, want, tol)
		}
	}
	// IETF 83: 121 groups, 794/310/94 conflicts with meeting groups, 64%/44%/39% in area.
	near("sessions per group", float64(len(p.Sessions))/float64(n), 133.0/121, 0.05)
	for i, lvl := range meetings.ConflictLevels {
		want := []float64{794.0 / 121, 310.0 / 121, 94.0 / 121}[i]
		near(lvl+" per group", float64(perLevel[lvl])/float64(n), want, want/5)
		near(lvl+" in area", float64(sameLevel[lvl])/float64(perLevel[lvl]), sameArea[i], 0.1)
	}
	mutual := 0
	for pr := range pairs {
		if pairs[[2]string{pr[1], pr[0]}] {
			mutual++
		}
	}
	near("answered pairs", float64(mutual)/float64(len(pairs)), 573.0/1185, 0.12)
	var sum, sq float64
	for _, g := range p.Groups {
		x := float64(in[g.Acronym])
		sum += x
		sq += x * x
	}
	mean := sum / float64(n)
	near("in-degree sd/mean", math.Sqrt(sq/float64(n)-mean*mean)/mean, 6.3/9.9, 0.15)

	for _, k := range []string{"ag/active", "wg/bof", "wg/proposed", "rg/active", "timerange", "time_relation", "wg_adjacent"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in %v", k, kinds)
		}
	}
	if kinds["wg/bof"] > maxBOFs {
		t.Errorf("%d BOFs: more than can meet apart", kinds["wg/bof"])
	}
	shared := 0
	for _, c := range bethere {
		if c >= 2 {
			shared++
		}
	}
	if shared == 0 {
		t.Errorf("no person that two groups need: %v", bethere)
	}
	var three, untimed bool
	for _, s := range p.Sessions {
		three = three || s.Index == 2
		untimed = untimed || s.Duration == 0
	}
	if !three || !untimed {
		t.Errorf("a group with three sessions: %v; a session of no length: %v", three, untimed)
	}
	t.Logf("%d groups, %d sessions, %d slots; conflicts %v (in area %v), %d of %d pairs answered; kinds %v",
		n, len(p.Sessions), len(p.Slots), perLevel, sameLevel, mutual, len(pairs), kinds)
}

func TestGeneratePenaltiesFromVocabulary(t *testing.T) {
	p := Generate(GenSpec{Sessions: 10}, 1)
	var top int64
	v := meetings.Vocab()
	for _, c := range v.ConstraintNames {
		top = max(top, int64(c.Penalty))
		if p.Penalty.Constraint[c.Slug] != int64(c.Penalty) {
			t.Errorf("%s: %d, want %d", c.Slug, p.Penalty.Constraint[c.Slug], c.Penalty)
		}
	}
	for _, b := range v.BusinessConstraints {
		top = max(top, int64(b.Penalty))
		if p.Penalty.Business[b.Slug] != int64(b.Penalty) {
			t.Errorf("%s: %d, want %d", b.Slug, p.Penalty.Business[b.Slug], b.Penalty)
		}
	}
	if p.Penalty.Unplaced != top || top == 0 {
		t.Errorf("unplaced %d, want the largest penalty %d", p.Penalty.Unplaced, top)
	}
}

func TestGenerateOddSpecs(t *testing.T) {
	for _, spec := range []GenSpec{{}, {Sessions: -3}, {Sessions: 1}, {Sessions: 2, Rooms: 1, Days: 1}} {
		p := Generate(spec, 0)
		if len(p.Sessions) != max(spec.Sessions, 0) {
			t.Errorf("%+v: %d sessions", spec, len(p.Sessions))
		}
		checkWellFormed(t, p)
	}
}

package scheduler

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"hum/internal/meetings"
)

// Generate makes a synthetic meeting shaped like IETF 83 but of any size,
// to see how the solver's time grows with the problem. The same spec and
// seed give the same Problem.
//
// The shape is measured on the IETF 83 corpus
// (../shared/corpus/meetings/ietf83: meeting83.json, constraint83.json
// and the flat join ietf83-sessions-flat.DERIVED.json). Its schedulable
// sessions are the 133 of wg, rg and ag groups with status sched or
// schedw (121 groups); its regular slots are the 145 timeslots of type
// "session", in 8 main rooms of 17 to 19 slots (a few overlap) and one
// slot elsewhere.
//
//   - Slots, per room per day (local time, Europe/Paris):
//     Monday    09:00 150, 13:00 120, 15:10 60
//     Tuesday   09:00 150, 13:00 120, 15:20 100, 17:10 60
//     Wednesday 09:00 150, 11:30 90 (lunch BOF slot, 5 of the 8 rooms), 13:00 120, 15:10 60
//     Thursday  09:00 150, 13:00 120, 15:20 120, 17:40 120
//     Friday    09:00 120, 11:20 60, 12:30 60
//     Days beyond five repeat the week, skipping the weekend.
//   - Rooms: the 8 main rooms hold 60, 100, 100, 100, 200, 200, 260 and
//     380; n rooms take these capacities in the same proportions.
//     IETF 83 has 133 sessions for 8 main rooms (16.6 a room); the
//     default is one room for 15 sessions, so 300 sessions get 20 rooms
//     and 600 get 40, about 0.85 sessions a slot (IETF 83: 133/145 = 0.92).
//   - Requested length: 120 min 54, 60 min 29, 150 min 28, 90 min 16,
//     none 6 (of 133).
//   - Expected attendance: drawn from the 133 sessions' own figures
//     (attendees below; 0 when none was given).
//   - Sessions per group: 109 groups one, 12 groups two; here 9% of
//     groups get two and 1% three, so a three-session group exists.
//   - Areas: rai 21 groups, rtg 18, int 17, ops 16, app 15, tsv 13,
//     sec 12, irtf 6 (the research groups), gen 3. Of the 121 groups, 3
//     are area groups (type ag: opsarea, rtgarea, saag) and 4 BOFs
//     (state bof). Here area groups come 3 in 133 sessions, at most one
//     an area (irtf and gen have none), and BOFs in IETF 83's share but
//     at most 6 (see roles). 114 groups had 17 ADs, about 7 each, at
//     most 12; here an area has an AD for every 10.5 of its groups.
//   - Conflicts: 946 conflict, 391 conflic2 and 119 conflic3 rows, of
//     which 794, 310 and 94 name a group that meets (the others are
//     inert). Per group, the counts of those follow confCounts below
//     (mean 6.6, 2.6 and 0.8). Of them 64%, 44% and 39% are within the
//     source's area. 573 of 1185 directed pairs (48%) are answered by the
//     target naming the source back. Groups are named as targets unevenly:
//     in-degree mean 9.9, sd 6.3, max 31 (v6ops), 13 groups never.
//   - Not in IETF 83 but added here so every rule of the cost function
//     has something to charge: ~1% proposed WGs (at most 3); people who
//     must be present, ~4% of groups naming one, each person named by
//     2 or 3 groups; ~3% of groups name time ranges they cannot meet in,
//     30% of multi-session groups a time relation, ~2% an adjacent group
//     of their area. No joint sessions.
//
// Penalties come from the meetings vocabulary; Unplaced is its largest
// penalty.
func Generate(spec GenSpec, seed uint64) *Problem {
	spec = spec.withDefaults()
	g := &generator{
		spec: spec,
		rng:  rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		p: &Problem{
			Meeting: fmt.Sprintf("gen-%d-%d-%d", spec.Sessions, spec.Rooms, seed),
			Zone:    paris(),
			Penalty: vocabPenalties(),
		},
	}
	g.slots()
	g.groups()
	g.sessions()
	g.roles()
	g.conflicts()
	g.extras()
	return g.p
}

// GenSpec is the size of a generated meeting.
type GenSpec struct {
	Sessions int
	Rooms    int // 0: one room for 15 sessions
	Days     int // 0: 5, Monday to Friday
}

func (s GenSpec) withDefaults() GenSpec {
	s.Sessions = max(s.Sessions, 0)
	if s.Rooms <= 0 {
		s.Rooms = max(1, (s.Sessions+14)/15)
	}
	if s.Days <= 0 {
		s.Days = 5
	}
	return s
}

// IETF 83's figures, from the corpus (see Generate).
var (
	// dayPattern holds each weekday's slots: start (hour, minute) and
	// length in minutes. lunch marks the slot only some rooms have.
	dayPattern = [5][]struct {
		h, m, min int
		lunch     bool
	}{
		{{9, 0, 150, false}, {13, 0, 120, false}, {15, 10, 60, false}},
		{{9, 0, 150, false}, {13, 0, 120, false}, {15, 20, 100, false}, {17, 10, 60, false}},
		{{9, 0, 150, false}, {11, 30, 90, true}, {13, 0, 120, false}, {15, 10, 60, false}},
		{{9, 0, 150, false}, {13, 0, 120, false}, {15, 20, 120, false}, {17, 40, 120, false}},
		{{9, 0, 120, false}, {11, 20, 60, false}, {12, 30, 60, false}},
	}
	capacities = []int{60, 100, 100, 100, 200, 200, 260, 380}
	// durations: minutes and how many sessions asked for them.
	durations = []struct{ min, n int }{{120, 54}, {60, 29}, {150, 28}, {90, 16}, {0, 6}}
	attendees = []int{
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 20, 20, 20, 20, 20, 20,
		25, 25, 25, 30, 30, 30, 30, 30, 30, 35, 40, 40, 40, 40, 40, 40, 40, 45,
		45, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50,
		50, 50, 50, 50, 50, 50, 50, 50, 50, 60, 60, 60, 60, 60, 60, 70, 70, 70,
		70, 75, 75, 75, 75, 75, 75, 75, 75, 75, 80, 80, 80, 80, 80, 80, 80, 90,
		90, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100,
		100, 100, 100, 100, 110, 120, 120, 120, 120, 120, 120, 125, 125, 125,
		125, 150, 150, 150, 150, 150, 150, 150, 150, 150, 200, 200, 200, 200,
		300, 300,
	}
	areas = []struct {
		acronym string
		groups  int
	}{{"rai", 21}, {"rtg", 18}, {"int", 17}, {"ops", 16}, {"app", 15}, {"tsv", 13}, {"sec", 12}, {"irtf", 6}, {"gen", 3}}
	// confCounts[level] lists, for each count of conflicts a group
	// declares at that level (to groups that meet), how many groups did.
	confCounts = [3][]struct{ k, n int }{
		{{0, 15}, {1, 6}, {2, 5}, {3, 3}, {4, 13}, {5, 8}, {6, 13}, {7, 12}, {8, 11}, {9, 8}, {10, 5}, {11, 7}, {12, 3}, {13, 3}, {14, 1}, {15, 1}, {16, 3}, {18, 1}, {19, 2}, {20, 1}},
		{{0, 34}, {1, 17}, {2, 18}, {3, 16}, {4, 17}, {5, 5}, {6, 4}, {7, 2}, {8, 3}, {9, 1}, {10, 1}, {11, 1}, {12, 2}},
		{{0, 86}, {1, 14}, {2, 8}, {3, 4}, {4, 3}, {5, 1}, {6, 3}, {8, 1}, {9, 1}},
	}
	sameArea = [3]float64{0.64, 0.44, 0.39}
)

const (
	pBOF        = 4.0 / 121
	maxBOFs     = 6
	pProposed   = 0.01
	maxProposed = 3
	pTwo        = 0.09
	pThree      = 0.01
	pAnswer     = 0.45 // a target names its source back
	popSigma    = 0.5  // spread of how often a group is named
	pBeThere    = 0.04
	pTimeRange  = 0.03
	pRelation   = 0.30
	pAdjacent   = 0.02
	firstSlotID = 1
	firstSessID = 1_000_001 // apart from slot ids, so a mix-up shows
)

type generator struct {
	spec GenSpec
	rng  *rand.Rand
	p    *Problem
	area []int     // area index of each group
	pop  []float64 // how often each group is named
}

// paris is IETF 83's zone. Without the zone database, a fixed UTC+2 (the
// meeting's week was in summer time) keeps local times right.
func paris() *time.Location {
	if z, err := time.LoadLocation("Europe/Paris"); err == nil {
		return z
	}
	return time.FixedZone("CEST", 2*3600)
}

// day returns the date of the meeting's d-th day, Monday first, weekends
// skipped: IETF 83's Monday was 26 March 2012.
func (g *generator) day(d int) (y int, m time.Month, dd int) {
	t := time.Date(2012, time.March, 26+7*(d/5)+d%5, 0, 0, 0, 0, time.UTC)
	return t.Date()
}

func (g *generator) slots() {
	id := int64(firstSlotID)
	for d := range g.spec.Days {
		y, mo, dd := g.day(d)
		for _, s := range dayPattern[d%5] {
			for r := range g.spec.Rooms {
				if s.lunch && r%8 >= 5 {
					continue
				}
				g.p.Slots = append(g.p.Slots, Slot{
					ID:       id,
					Room:     fmt.Sprintf("Room %02d", r+1),
					Capacity: capacities[r*len(capacities)/g.spec.Rooms],
					Start:    time.Date(y, mo, dd, s.h, s.m, 0, 0, g.p.Zone),
					Duration: time.Duration(s.min) * time.Minute,
				})
				id++
			}
		}
	}
}

// groups makes enough groups for the sessions: each area's share of
// them, its area group when there is room for one, BOFs and proposed WGs.
func (g *generator) groups() {
	// Each group has 1.1 sessions on average; a few spare groups are
	// cut when the sessions run out.
	n := g.spec.Sessions
	total := 0
	for _, a := range areas {
		total += a.groups
	}
	ags := min(int(math.Round(float64(n)*3/133)), len(areas)-2) // irtf and gen have none
	if n > 0 {
		ags = max(ags, 1)
	}
	seq := make([]int, len(areas))
	add := func(ai int, typ string) {
		a := areas[ai].acronym
		acr := fmt.Sprintf("%s%d", a, seq[ai]+1)
		seq[ai]++
		if typ == "ag" {
			acr = a + "area"
		}
		g.p.Groups = append(g.p.Groups, Group{Acronym: acr, Type: typ, State: "active", Area: a})
		g.area = append(g.area, ai)
		g.pop = append(g.pop, math.Exp(popSigma*g.rng.NormFloat64()))
	}
	for ai := range ags {
		add(ai, "ag")
	}
	for len(g.p.Groups) < n {
		x := g.rng.IntN(total)
		ai := 0
		for x >= areas[ai].groups {
			x -= areas[ai].groups
			ai++
		}
		typ := "wg"
		if areas[ai].acronym == "irtf" {
			typ = "rg"
		}
		add(ai, typ)
	}
}

// roles makes a few WGs BOFs or proposed, and gives each group an AD of
// its area, an area as many as it needs for 10.5 groups each (IETF 83:
// 114 groups, 17 ADs, 2 an area but gen's 1). BOFs and proposed WGs do
// not grow in step with the meeting: no two BOFs may meet at once, nor a
// BOF with an area meeting, and a meeting has 18 times of day whatever
// its rooms, so IETF 83's share (4 of 121) is kept only up to 6.
func (g *generator) roles() {
	gs := g.p.Groups
	var wgs []int
	count := make([]int, len(areas))
	for i, gr := range gs {
		count[g.area[i]]++
		if gr.Type == "wg" {
			wgs = append(wgs, i)
		}
	}
	bofs := min(maxBOFs, int(math.Round(float64(len(gs))*pBOF)))
	proposed := min(maxProposed, int(math.Round(float64(len(gs))*pProposed)))
	if len(gs) >= 20 {
		bofs, proposed = max(bofs, 1), max(proposed, 1)
	}
	g.rng.Shuffle(len(wgs), func(i, j int) { wgs[i], wgs[j] = wgs[j], wgs[i] })
	for k, i := range wgs[:min(len(wgs), bofs+proposed)] {
		gs[i].State = "bof"
		if k >= bofs {
			gs[i].State = "proposed"
		}
	}
	for i := range gs {
		ai := g.area[i]
		if areas[ai].acronym == "irtf" {
			continue
		}
		ads := (2*count[ai] + 20) / 21
		first := int64(1000 + 100*ai)
		if gs[i].Type == "ag" {
			for k := range ads {
				gs[i].ADs = append(gs[i].ADs, first+int64(k))
			}
			continue
		}
		gs[i].ADs = []int64{first + int64(g.rng.IntN(ads))}
	}
}

// sessions gives each group one, two or three sessions until there are
// spec.Sessions of them, and drops the groups left without one.
func (g *generator) sessions() {
	left := g.spec.Sessions
	used := 0
	for i := range g.p.Groups {
		if left == 0 {
			break
		}
		k := 1
		switch u := g.rng.Float64(); {
		case u < pThree:
			k = 3
		case u < pThree+pTwo:
			k = 2
		}
		k = min(k, left)
		for j := range k {
			g.p.Sessions = append(g.p.Sessions, Session{
				ID:        int64(firstSessID + len(g.p.Sessions)),
				Group:     g.p.Groups[i].Acronym,
				Index:     j,
				Duration:  time.Duration(g.duration()) * time.Minute,
				Attendees: attendees[g.rng.IntN(len(attendees))],
			})
		}
		left -= k
		used = i + 1
	}
	g.p.Groups = g.p.Groups[:used]
	g.area = g.area[:used]
	g.pop = g.pop[:used]
}

func (g *generator) duration() int {
	total := 0
	for _, d := range durations {
		total += d.n
	}
	x := g.rng.IntN(total)
	for _, d := range durations {
		if x < d.n {
			return d.min
		}
		x -= d.n
	}
	return 0
}

// conflicts gives each group its conflicts at the three levels: how many
// drawn from IETF 83's counts, each target answering one that named it,
// or else in the group's area as often as IETF 83's were, popular groups
// more often.
func (g *generator) conflicts() {
	n := len(g.p.Groups)
	if n < 2 {
		return
	}
	named := make([]map[int]bool, n) // targets each group names
	namedBy := make([][]int, n)      // who names each group, in order
	for i := range named {
		named[i] = map[int]bool{i: true}
	}
	for _, i := range g.rng.Perm(n) {
		for lvl, kind := range meetings.ConflictLevels {
			want := min(g.count(confCounts[lvl]), n-1)
			for range want {
				t := g.target(i, lvl, named[i], namedBy[i])
				if t < 0 {
					break
				}
				named[i][t] = true
				namedBy[t] = append(namedBy[t], i)
				g.p.Groups[i].Conflicts = append(g.p.Groups[i].Conflicts, Conflict{Kind: kind, Target: g.p.Groups[t].Acronym})
			}
		}
	}
}

func (g *generator) count(h []struct{ k, n int }) int {
	total := 0
	for _, c := range h {
		total += c.n
	}
	x := g.rng.IntN(total)
	for _, c := range h {
		if x < c.n {
			return c.k
		}
		x -= c.n
	}
	return 0
}

// target picks a group for i to name at level lvl, or -1 when none is left.
func (g *generator) target(i, lvl int, named map[int]bool, namedBy []int) int {
	if g.rng.Float64() < pAnswer {
		var open []int
		for _, s := range namedBy {
			if !named[s] {
				open = append(open, s)
			}
		}
		if len(open) > 0 {
			return open[g.rng.IntN(len(open))]
		}
	}
	same := g.rng.Float64() < sameArea[lvl]
	if t := g.weighted(named, func(t int) bool { return (g.area[t] == g.area[i]) == same }); t >= 0 {
		return t
	}
	return g.weighted(named, func(int) bool { return true })
}

// weighted draws a group that ok accepts and named does not hold, in
// proportion to its popularity, or -1.
func (g *generator) weighted(named map[int]bool, ok func(int) bool) int {
	total := 0.0
	for t, w := range g.pop {
		if !named[t] && ok(t) {
			total += w
		}
	}
	if total == 0 {
		return -1
	}
	x := g.rng.Float64() * total
	last := -1
	for t, w := range g.pop {
		if named[t] || !ok(t) {
			continue
		}
		last = t
		if x < w {
			return t
		}
		x -= w
	}
	return last
}

// extras adds what IETF 83 did not have: people who must be present,
// time ranges, time relations and adjacency requests.
func (g *generator) extras() {
	gs := g.p.Groups
	n := len(gs)
	if n < 2 {
		return
	}
	// Each person is named by two or three groups, so they can clash.
	for p := range max(1, int(math.Round(float64(n)*pBeThere/2.5))) {
		for _, i := range g.rng.Perm(n)[:min(n, 2+g.rng.IntN(2))] {
			gs[i].BeThere = append(gs[i].BeThere, int64(5000+p))
		}
	}
	var ranges []string
	for _, r := range meetings.Vocab().TimeRanges {
		for d := range min(g.spec.Days, 5) {
			y, m, dd := g.day(d)
			wd := strings.ToLower(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Weekday().String())
			if strings.HasPrefix(r.Slug, wd+"-") {
				ranges = append(ranges, r.Slug)
			}
		}
	}
	sessions := make(map[string]int, n)
	for _, s := range g.p.Sessions {
		sessions[s.Group]++
	}
	for i := range gs {
		if len(ranges) > 0 && g.rng.Float64() < pTimeRange {
			for _, r := range g.rng.Perm(len(ranges))[:min(len(ranges), 1+g.rng.IntN(3))] {
				gs[i].TimeRanges = append(gs[i].TimeRanges, ranges[r])
			}
		}
		if sessions[gs[i].Acronym] > 1 && g.rng.Float64() < pRelation {
			gs[i].TimeRelation = meetings.TimeRelations[g.rng.IntN(len(meetings.TimeRelations))].Slug
		}
		if g.rng.Float64() < pAdjacent {
			var mates []string
			for j := range gs {
				if j != i && g.area[j] == g.area[i] && sessions[gs[j].Acronym] == 1 {
					mates = append(mates, gs[j].Acronym)
				}
			}
			if len(mates) > 0 {
				gs[i].Adjacent = append(gs[i].Adjacent, mates[g.rng.IntN(len(mates))])
			}
		}
	}
}

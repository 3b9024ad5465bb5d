package scheduler

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"hum/internal/fail"
)

// The search is simulated annealing over the whole placement. A move
// takes one session to another place; if a session is there, the two
// trade places (the other may end up unplaced when the first was). The
// cost of a move is found from the sessions it touches alone (see
// state), so a worker tries a few million moves a second.
//
// Workers anneal independently from the same greedy start, each with its
// own random stream drawn from the seed. They run in rounds of a fixed
// number of moves and meet between rounds: the search stops at the first
// round after which one holds a placement at the lower bound, or when the
// move budget or the time is spent. Because the rounds are counted in
// moves, a given seed gives the same placement however fast the machine
// is, unless the time runs out first; the result says which.

const (
	roundMoves     = 200_000 // moves a worker makes between meetings
	roundsPerCycle = 10      // rounds from hot to cold before a worker reheats
)

// Solve searches for a cheap placement of p.
func Solve(ctx context.Context, p *Problem, o Options) (Result, error) {
	began := time.Now()
	m, err := compile(p)
	if err != nil {
		return Result{}, err
	}
	if o.Time <= 0 {
		o.Time = 10 * time.Second
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	start, err := m.start(p)
	if err != nil {
		return Result{}, err
	}
	bound := m.lowerBound()
	ws := make([]*worker, o.Workers)
	for i := range ws {
		ws[i] = &worker{m: m, cur: start.clone(), rng: rand.New(rand.NewPCG(o.Seed, uint64(i)+1))}
		ws[i].best = ws[i].cur.clone()
		ws[i].temps()
	}
	res := Result{LowerBound: bound}
	deadline := began.Add(o.Time)
	for round := 0; ; round++ {
		best := ws[0]
		for _, w := range ws[1:] {
			if w.best.cost < best.best.cost {
				best = w
			}
		}
		switch {
		case best.best.cost <= bound:
			res.Stopped = "lower bound reached"
		case o.Moves > 0 && int64(round)*roundMoves >= o.Moves:
			res.Stopped = "move budget spent"
		case ctx.Err() != nil:
			res.Stopped = "cancelled"
		case round > 0 && time.Now().After(deadline):
			res.Stopped = "time limit"
		}
		if res.Stopped != "" {
			res.Placement = best.best.placement()
			res.BestAt = best.bestAt
			break
		}
		var wg sync.WaitGroup
		for _, w := range ws {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w.round(round, began)
			}()
		}
		wg.Wait()
		res.Moves += int64(len(ws)) * roundMoves
	}
	res.Report, err = m.score(res.Placement)
	if err != nil {
		return Result{}, err
	}
	m.explainUnplaced(&res.Report)
	res.Elapsed = time.Since(began)
	return res, nil
}

// start places the pinned sessions where they are pinned, then the
// sessions of the start placement that fit, then the rest greedily.
func (m *model) start(p *Problem) (*state, error) {
	st := newState(m)
	for _, id := range sortedIDs(p.Pinned) {
		s, ok := m.sessID[id]
		if !ok {
			return nil, fail.New(fail.Invalid, "Session %d is pinned, but IETF %s does not ask to schedule it.", id, m.p.Meeting)
		}
		c, err := m.candFor(s, p.Pinned[id])
		if err != nil {
			return nil, err
		}
		d, ok := st.drop(s, c)
		if !ok {
			return nil, fail.New(fail.Invalid, "%s is pinned where it clashes with another pinned session (a slot taken twice, or its group twice at once).", m.sess[s].label())
		}
		st.cost += d
		m.pinned[s] = true
	}
	for _, id := range sortedIDs(p.Start) {
		s, ok := m.sessID[id]
		if !ok || m.pinned[s] {
			continue
		}
		if c, err := m.candFor(s, p.Start[id]); err == nil {
			if d, ok := st.drop(s, c); ok {
				st.cost += d
			}
		}
	}
	m.greedy(st)
	st.recount()
	return st, nil
}

func sortedIDs(pl Placement) []int64 {
	ids := make([]int64, 0, len(pl))
	for id := range pl {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// candFor finds (or, for a pin, adds) the place that is exactly the given
// slots.
func (m *model) candFor(s int32, ids []int64) (int32, error) {
	ts := make([]int32, 0, len(ids))
	for _, id := range ids {
		t, ok := m.slot[id]
		if !ok {
			return 0, fail.New(fail.Invalid, "%s is placed in timeslot %d, which is not a session slot of IETF %s.", m.sess[s].label(), id, m.p.Meeting)
		}
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(a, b int32) int { return m.slots[a].Start.Compare(m.slots[b].Start) })
	ts = slices.Compact(ts)
	for i := 1; i < len(ts); i++ {
		if m.next[ts[i-1]] != ts[i] {
			return 0, fail.New(fail.Invalid, "%s is placed in slots that are not back to back in one room.", m.sess[s].label())
		}
	}
	if len(ts) == 0 {
		return 0, fail.New(fail.Invalid, "%s is placed in no slot.", m.sess[s].label())
	}
	for _, ci := range m.byFst[s][ts[0]] {
		if m.cands[s][ci].k == int32(len(ts)) {
			return ci, nil
		}
	}
	m.byFst[s][ts[0]] = append(m.byFst[s][ts[0]], int32(len(m.cands[s])))
	m.cands[s] = append(m.cands[s], cand{first: ts[0], k: int32(len(ts)), own: m.own(s, ts[0], int32(len(ts)))})
	return int32(len(m.cands[s]) - 1), nil
}

// greedy places the sessions not yet placed, hardest first, each where
// it adds least to the cost; a session that fits nowhere stays out.
func (m *model) greedy(st *state) {
	n := len(m.sess)
	weight := make([]int64, n)
	for a := range n {
		for b := range n {
			weight[a] += m.pair[a*n+b]
		}
		weight[a] += int64(m.sess[a].Duration/time.Minute) * 1000
		weight[a] += int64(m.sess[a].Attendees) * 100
	}
	order := make([]int32, 0, n)
	for s := range int32(n) {
		if st.pos[s] < 0 {
			order = append(order, s)
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(weight[b], weight[a]) })
	for _, s := range order {
		bestC, bestP := int64(math.MaxInt64), int32(-1)
		for p := range int32(len(m.cands[s])) {
			c, ok := st.contrib(s, m.cands[s][p])
			if !ok {
				continue
			}
			// Prefer, at equal cost, fewer slots and then smaller rooms.
			c = c*4 + int64(m.cands[s][p].k)
			if c < bestC || (c == bestC && m.slots[m.cands[s][p].first].Capacity < m.slots[m.cands[s][bestP].first].Capacity) {
				bestC, bestP = c, p
			}
		}
		if bestP >= 0 {
			st.set(s, bestP)
		}
	}
}

// explainUnplaced says why each unplaced session is out.
func (m *model) explainUnplaced(r *Report) {
	need := len(m.sess)
	for i := range r.Unplaced {
		if need > len(m.slots) {
			r.Unplaced[i].Reason = fmt.Sprintf("more sessions (%d) than slots (%d); leaving this one out cost least", need, len(m.slots))
		} else {
			r.Unplaced[i].Reason = "no free place where its group does not meet twice at once; leaving it out cost least"
		}
	}
}

// worker anneals one placement.
type worker struct {
	m      *model
	cur    *state
	best   *state
	bestAt time.Duration
	rng    *rand.Rand
	hot    float64
	cold   float64
	free   []int32 // the sessions that may move
}

// temps sets the temperatures from the penalties: at first a hundredth
// of the largest (with today's vocabulary 10,000, a second-level
// conflict, taken about one time in three), at the end a tenth of the
// smallest, so that the last moves refuse any charge. Starting hotter (a
// tenth of the largest) did as well on IETF 83 and worse on the
// generated meetings of 300 and 600 sessions, whose search it spent
// undoing what it had built.
func (w *worker) temps() {
	small, big := int64(math.MaxInt64), int64(0)
	for _, v := range w.m.p.Penalty.Constraint {
		if v > 0 {
			small, big = min(small, v), max(big, v)
		}
	}
	for _, v := range w.m.p.Penalty.Business {
		if v > 0 {
			small, big = min(small, v), max(big, v)
		}
	}
	if big == 0 {
		small, big = 1, 1
	}
	w.hot = float64(big) / 100
	w.cold = float64(small) / 10
	for s := range int32(len(w.m.sess)) {
		if !w.m.pinned[s] {
			w.free = append(w.free, s)
		}
	}
}

// round makes roundMoves moves, cooling from hot to cold over a cycle of
// rounds; a new cycle starts from the best placement the worker has seen.
func (w *worker) round(round int, began time.Time) {
	if len(w.free) == 0 {
		return
	}
	phase := round % roundsPerCycle
	if phase == 0 && round > 0 {
		w.cur.copyFrom(w.best)
	}
	total := float64(roundMoves * roundsPerCycle)
	ratio := math.Log(w.cold / w.hot)
	for i := range roundMoves {
		t := w.hot * math.Exp(ratio*float64(phase*roundMoves+i)/total)
		w.move(t)
		if w.cur.cost < w.best.cost {
			w.best.copyFrom(w.cur)
			w.bestAt = time.Since(began)
		}
	}
}

// move tries one move at temperature t.
func (w *worker) move(t float64) {
	st, m := w.cur, w.m
	a := w.free[w.rng.IntN(len(w.free))]
	pa := int32(w.rng.IntN(len(m.cands[a])))
	if pa == st.pos[a] {
		return
	}
	ca := m.cands[a][pa]
	// Who is in the way?
	b := int32(-1)
	blocked := false
	m.chain(ca.first, ca.k, func(x int32) {
		o := st.occ[x]
		if o < 0 || o == a {
			return
		}
		if b >= 0 && o != b || m.pinned[o] {
			blocked = true
		}
		b = o
	})
	if blocked {
		return
	}
	pb := int32(-1) // where b goes: a's place, or out
	if b >= 0 && st.pos[a] >= 0 {
		opts := m.byFst[b][m.cands[a][st.pos[a]].first]
		pb = opts[w.rng.IntN(len(opts))]
	}
	oldA, oldB := st.pos[a], int32(-1)
	if b >= 0 {
		oldB = st.pos[b]
	}
	st.aff = st.aff[:0]
	st.affect(a)
	if b >= 0 {
		st.affect(b)
	}
	var d int64
	d += st.lift(a)
	if b >= 0 {
		d += st.lift(b)
	}
	ok := true
	var dd int64
	if dd, ok = st.drop(a, pa); ok {
		d += dd
		if b >= 0 && pb >= 0 {
			if dd, ok = st.drop(b, pb); ok {
				d += dd
			}
		}
	}
	if ok {
		d += st.regroup()
		if d <= 0 || w.rng.Float64() < math.Exp(-float64(d)/t) {
			st.commitGroups()
			st.cost += d
			return
		}
	}
	// Undo.
	if st.pos[a] >= 0 {
		st.unset(a)
	}
	if b >= 0 && st.pos[b] >= 0 {
		st.unset(b)
	}
	if oldA >= 0 {
		st.set(a, oldA)
	}
	if oldB >= 0 {
		st.set(b, oldB)
	}
}

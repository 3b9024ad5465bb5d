package scheduler

// state is one placement under search, with its cost kept up to date
// move by move: only the sessions a move touches are looked at.
type state struct {
	m     *model
	occ   []int32 // slot → session, or -1
	pos   []int32 // session → index into its cands, or -1
	gcost []int64 // group → what its sessions cost together
	cost  int64

	seen  []uint32 // session → the stamp of the last look that counted it
	stamp uint32
	tmp   []int64 // group costs of a move under evaluation
	aff   []int32 // groups a move under evaluation touches
}

func newState(m *model) *state {
	st := &state{m: m, occ: make([]int32, len(m.slots)), pos: make([]int32, len(m.sess)), gcost: make([]int64, len(m.groups)),
		seen: make([]uint32, len(m.sess))}
	for i := range st.occ {
		st.occ[i] = -1
	}
	for i := range st.pos {
		st.pos[i] = -1
	}
	st.cost = int64(len(m.sess)) * m.unplcd
	return st
}

func (st *state) clone() *state {
	c := *st
	c.occ, c.pos, c.gcost = append([]int32(nil), st.occ...), append([]int32(nil), st.pos...), append([]int64(nil), st.gcost...)
	c.seen, c.stamp, c.tmp, c.aff = make([]uint32, len(st.seen)), 0, nil, nil
	return &c
}

func (st *state) copyFrom(o *state) {
	copy(st.occ, o.occ)
	copy(st.pos, o.pos)
	copy(st.gcost, o.gcost)
	st.cost = o.cost
}

func (st *state) span(s int32) span {
	p := st.pos[s]
	if p < 0 {
		return span{-1, -1}
	}
	c := st.m.cands[s][p]
	last := c.first
	for k := c.k; k > 1; k-- {
		last = st.m.next[last]
	}
	return span{c.first, last}
}

// contrib is what session s costs in place c given everyone else where
// they are: its own cost and its share of every pair it would overlap.
// ok is false when c is taken, clashes with a room's other use, or puts
// s at the same time as another session of its group.
func (st *state) contrib(s int32, c cand) (cost int64, ok bool) {
	m := st.m
	st.stamp++
	if st.stamp == 0 {
		clear(st.seen)
		st.stamp = 1
	}
	n := len(m.sess)
	row := m.pair[int(s)*n : int(s)*n+n]
	g := m.group[s]
	cost = c.own
	t, k := c.first, c.k
	for ; k > 0; k-- {
		if o := st.occ[t]; o >= 0 && o != s {
			return 0, false
		}
		for _, u := range m.over[t] {
			o := st.occ[u]
			if o < 0 || o == s || st.seen[o] == st.stamp {
				continue
			}
			if m.room[u] == m.room[t] || m.group[o] == g {
				return 0, false
			}
			st.seen[o] = st.stamp
			cost += row[o]
		}
		t = m.next[t]
	}
	return cost, true
}

func (st *state) set(s, p int32) {
	st.pos[s] = p
	c := st.m.cands[s][p]
	st.m.chain(c.first, c.k, func(t int32) { st.occ[t] = s })
}

func (st *state) unset(s int32) {
	c := st.m.cands[s][st.pos[s]]
	st.m.chain(c.first, c.k, func(t int32) { st.occ[t] = -1 })
	st.pos[s] = -1
}

// lift takes s out of its place and returns the change in cost.
func (st *state) lift(s int32) int64 {
	if st.pos[s] < 0 {
		return 0
	}
	c, _ := st.contrib(s, st.m.cands[s][st.pos[s]])
	st.unset(s)
	return st.m.unplcd - c
}

// drop puts s in place p, if it may go there, and returns the change in
// cost.
func (st *state) drop(s, p int32) (int64, bool) {
	c, ok := st.contrib(s, st.m.cands[s][p])
	if !ok {
		return 0, false
	}
	st.set(s, p)
	return c - st.m.unplcd, true
}

// affected lists the groups whose group cost depends on where s is: its
// own and those that asked to meet next to it.
func (st *state) affect(s int32) {
	g := st.m.group[s]
	add := func(g int32) {
		for _, x := range st.aff {
			if x == g {
				return
			}
		}
		st.aff = append(st.aff, g)
	}
	add(g)
	for _, f := range st.m.adjFrom[g] {
		add(f)
	}
}

// regroup recomputes the affected groups' costs into tmp and returns the
// change.
func (st *state) regroup() int64 {
	var d int64
	st.tmp = st.tmp[:0]
	for _, g := range st.aff {
		c := st.m.groupCost(g, st.span)
		st.tmp = append(st.tmp, c)
		d += c - st.gcost[g]
	}
	return d
}

func (st *state) commitGroups() {
	for i, g := range st.aff {
		st.gcost[g] = st.tmp[i]
	}
}

// placement is the state as a Placement.
func (st *state) placement() Placement {
	pl := Placement{}
	for s, p := range st.pos {
		if p < 0 {
			continue
		}
		c := st.m.cands[s][p]
		id := st.m.sess[s].ID
		st.m.chain(c.first, c.k, func(t int32) { pl[id] = append(pl[id], st.m.slots[t].ID) })
	}
	return pl
}

// recount computes the cost from scratch: the check on the incremental
// bookkeeping, and the start after a placement is loaded.
func (st *state) recount() {
	m := st.m
	var cost int64
	for s := range int32(len(m.sess)) {
		if st.pos[s] < 0 {
			cost += m.unplcd
			continue
		}
		c := m.cands[s][st.pos[s]]
		// Each pair is counted from both ends; contrib counts the pair's
		// whole cost, so halve by counting only pairs with a lower index.
		cost += c.own
		st.stamp++
		if st.stamp == 0 {
			clear(st.seen)
			st.stamp = 1
		}
		m.chain(c.first, c.k, func(t int32) {
			for _, u := range m.over[t] {
				if o := st.occ[u]; o >= 0 && o < s && st.seen[o] != st.stamp {
					st.seen[o] = st.stamp
					cost += m.pairCost(s, o)
				}
			}
		})
	}
	for g := range int32(len(m.groups)) {
		st.gcost[g] = m.groupCost(g, st.span)
		cost += st.gcost[g]
	}
	st.cost = cost
}

package thread

import (
	"slices"
	"time"
)

// walk returns every container under roots, parents before children. It
// is iterative because a long reply chain can be tens of thousands deep.
func walk(roots []*Container) []*Container {
	order := append([]*Container(nil), roots...)
	for i := 0; i < len(order); i++ {
		order = append(order, order[i].Children...)
	}
	return order
}

// prune is JWZ step 4: drop placeholders without children and splice the
// children of other placeholders into their parent. A root placeholder
// stays when it holds several children, since promoting them would split
// one conversation into several.
func prune(roots []*Container) []*Container {
	order := walk(roots)
	for i := len(order) - 1; i >= 0; i-- {
		c := order[i]
		c.Children = spliceChildren(c, c.Children)
	}
	var out []*Container
	for _, r := range roots {
		switch {
		case r.Message != nil || len(r.Children) > 1:
			out = append(out, r)
		case len(r.Children) == 1:
			k := r.Children[0]
			k.Parent = nil
			r.Children = nil
			out = append(out, k)
		}
	}
	return out
}

func spliceChildren(parent *Container, kids []*Container) []*Container {
	out := kids[:0:0]
	for _, k := range kids {
		if k.Message != nil {
			out = append(out, k)
			continue
		}
		for _, gk := range k.Children {
			gk.Parent = parent
			out = append(out, gk)
		}
		k.Children, k.Parent = nil, nil
	}
	return out
}

// groupBySubject is JWZ step 5, restricted as described in the package
// comment.
func groupBySubject(roots []*Container) []*Container {
	table := make(map[string]*Container)
	for _, r := range roots {
		subj, reply := rootSubject(r)
		if subj == "" {
			continue
		}
		old, ok := table[subj]
		if !ok || (r.Message == nil && old.Message != nil) {
			table[subj] = r
			continue
		}
		if old.Message != nil && r.Message != nil && isReplyRoot(old) && !reply {
			table[subj] = r
		}
	}
	out := roots[:0:0]
	for _, r := range roots {
		subj, reply := rootSubject(r)
		old := table[subj]
		if subj == "" || old == r || !(reply || r.Message == nil) {
			out = append(out, r)
			continue
		}
		if d := merge(old, r); d != nil {
			// old is replaced in place by the new placeholder d.
			table[subj] = d
			if i := slices.Index(out, old); i >= 0 {
				out[i] = d
			}
		}
	}
	return out
}

// merge attaches root r to the thread rooted at old. When neither can be
// the other's parent, both become children of a new placeholder, which is
// returned.
func merge(old, r *Container) *Container {
	switch {
	case old.Message == nil && r.Message == nil:
		for _, k := range r.Children {
			link(old, k)
		}
		r.Children = nil
	case old.Message == nil || !isReplyRoot(old):
		link(old, r)
	default:
		d := &Container{Index: -1}
		link(d, old)
		link(d, r)
		return d
	}
	return nil
}

func rootSubject(c *Container) (string, bool) {
	m := c.Message
	if m == nil && len(c.Children) > 0 {
		m = c.Children[0].Message
	}
	if m == nil {
		return "", false
	}
	return BaseSubject(m.Subject)
}

func isReplyRoot(c *Container) bool {
	_, reply := rootSubject(c)
	return reply
}

// sortForest orders siblings by date and input order, and roots by the
// date of their thread's earliest message.
func sortForest(roots []*Container) {
	order := walk(roots)
	for i := len(order) - 1; i >= 0; i-- {
		c := order[i]
		c.first, c.order = time.Time{}, -1
		if c.Message != nil {
			c.first, c.order = c.Message.Date, c.Index
		}
		for _, k := range c.Children {
			if c.order < 0 || before(k.first, k.order, c.first, c.order) {
				c.first, c.order = k.first, k.order
			}
		}
		slices.SortFunc(c.Children, compare)
	}
	slices.SortFunc(roots, compare)
}

func compare(a, b *Container) int {
	if before(a.first, a.order, b.first, b.order) {
		return -1
	}
	if before(b.first, b.order, a.first, a.order) {
		return 1
	}
	return 0
}

// before orders by date, then by input index, so the order is total and
// does not depend on the input's map or sort stability. A message without a
// date has the zero time and sorts first.
func before(ta time.Time, ia int, tb time.Time, ib int) bool {
	if !ta.Equal(tb) {
		return ta.Before(tb)
	}
	return ia < ib
}

// Entry is one line of a flattened thread view.
type Entry struct {
	Container *Container
	Depth     int
}

// Flatten lists the forest depth-first in display order with each
// container's depth (roots are 0).
func Flatten(roots []*Container) []Entry {
	var out []Entry
	type item struct {
		c     *Container
		depth int
	}
	stack := make([]item, 0, len(roots))
	for i := len(roots) - 1; i >= 0; i-- {
		stack = append(stack, item{roots[i], 0})
	}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out = append(out, Entry{it.c, it.depth})
		for i := len(it.c.Children) - 1; i >= 0; i-- {
			stack = append(stack, item{it.c.Children[i], it.depth + 1})
		}
	}
	return out
}

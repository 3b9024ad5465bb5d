// Package thread groups archived messages into conversation trees with
// Jamie Zawinski's algorithm (https://www.jwz.org/doc/threading.html), the
// one Netscape, Mutt and most list archives use. It knows nothing about
// storage or MIME: callers pass the few header values it needs.
//
// Where the algorithm leaves choices open, this package:
//   - appends In-Reply-To to References when it is not already last;
//   - keeps a message whose Message-ID repeats an earlier one as a separate
//     message (the first one owns the ID for replies);
//   - gives a message without Message-ID a private ID, so it can have
//     parents but no children;
//   - refuses any link that would make a cycle;
//   - groups roots by base subject (step 5) only when the later root is a
//     reply ("Re:" etc.) or a placeholder, so two unrelated posts that share
//     a subject such as "Meeting notes" stay apart;
//   - orders siblings by date, then input order, and roots by the date of
//     their earliest message.
package thread

import (
	"strconv"
	"strings"
	"time"
)

// Message is what threading needs from a message.
type Message struct {
	ID         string // Message-ID, with or without angle brackets
	InReplyTo  string
	References []string
	Subject    string
	Date       time.Time
}

// Container is a node of the thread forest. A placeholder stands for a
// message that others refer to but that is not in the input; it has a nil
// Message and Index -1.
type Container struct {
	Message  *Message
	Index    int    // position of Message in the input slice, or -1
	ID       string // normalised Message-ID ("" when the message had none)
	Parent   *Container
	Children []*Container

	key   string    // map key: ID, or a private one for missing/duplicate IDs
	first time.Time // earliest date in the subtree, for ordering
	order int       // earliest input index in the subtree, to break ties
}

// IsPlaceholder reports whether c stands for a message not in the input.
func (c *Container) IsPlaceholder() bool { return c.Message == nil }

type threader struct {
	byID map[string]*Container
	all  []*Container // creation order, so the result never depends on map order
	slab []Container
}

// Thread builds the forest for msgs. Containers point into msgs, so the
// slice must not be modified while the result is in use.
func Thread(msgs []Message) []*Container {
	t := &threader{
		byID: make(map[string]*Container, len(msgs)+len(msgs)/2),
		all:  make([]*Container, 0, len(msgs)+len(msgs)/2),
	}
	for i := range msgs {
		t.add(&msgs[i], i)
	}
	var roots []*Container
	for _, c := range t.all {
		if c.Parent == nil {
			roots = append(roots, c)
		}
	}
	roots = prune(roots)
	roots = groupBySubject(roots)
	sortForest(roots)
	return roots
}

func (t *threader) newContainer(key string) *Container {
	if len(t.slab) == 0 {
		t.slab = make([]Container, 1024)
	}
	c := &t.slab[0]
	t.slab = t.slab[1:]
	c.key, c.Index = key, -1
	t.all = append(t.all, c)
	return c
}

// get returns the container for id, creating a placeholder if needed.
func (t *threader) get(id string) *Container {
	if c, ok := t.byID[id]; ok {
		return c
	}
	c := t.newContainer(id)
	c.ID = id
	t.byID[id] = c
	return c
}

// add is JWZ step 1 for one message.
func (t *threader) add(m *Message, i int) {
	id := NormalizeID(m.ID)
	var c *Container
	switch existing, ok := t.byID[id]; {
	case id == "":
		c = t.newContainer("\x00noid:" + strconv.Itoa(i))
	case ok && existing.Message == nil:
		c = existing
	case ok:
		c = t.newContainer("\x00dup:" + strconv.Itoa(i) + ":" + id)
		c.ID = id
	default:
		c = t.get(id)
	}
	c.Message, c.Index = m, i

	var prev *Container
	for _, ref := range references(m) {
		if ref == id {
			continue
		}
		rc := t.get(ref)
		if prev != nil && rc.Parent == nil && !isAncestor(rc, prev) {
			link(prev, rc)
		}
		prev = rc
	}
	// The message's own references are authoritative for its parent.
	if prev != nil && !isAncestor(c, prev) {
		if c.Parent != nil {
			unlink(c)
		}
		link(prev, c)
	}
}

// references returns the normalised References of m, with In-Reply-To
// appended when it is not already the last one.
func references(m *Message) []string {
	refs := make([]string, 0, len(m.References)+1)
	for _, r := range m.References {
		for _, f := range strings.Fields(r) {
			if id := NormalizeID(f); id != "" {
				refs = append(refs, id)
			}
		}
	}
	if irt := NormalizeID(firstID(m.InReplyTo)); irt != "" {
		if len(refs) == 0 || refs[len(refs)-1] != irt {
			refs = append(refs, irt)
		}
	}
	return refs
}

// firstID picks the first <...> token of an In-Reply-To value, which some
// mailers fill with prose like `<id> (from "Jane" at ...)`.
func firstID(s string) string {
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			return s[i : i+j+1]
		}
	}
	return s
}

// NormalizeID trims whitespace and angle brackets from a Message-ID.
func NormalizeID(id string) string {
	return strings.Trim(id, " \t\r\n<>")
}

// isAncestor reports whether a is b or an ancestor of b.
func isAncestor(a, b *Container) bool {
	for c := b; c != nil; c = c.Parent {
		if c == a {
			return true
		}
	}
	return false
}

func link(parent, child *Container) {
	child.Parent = parent
	parent.Children = append(parent.Children, child)
}

func unlink(c *Container) {
	kids := c.Parent.Children
	for i, k := range kids {
		if k == c {
			c.Parent.Children = append(kids[:i:i], kids[i+1:]...)
			break
		}
	}
	c.Parent = nil
}

package thread

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"hum/internal/corpustest"
	"hum/internal/mbox"
)

const fedora = "email/threading/fedora-devel-2010-01"

// mhonarcTree is the thread tree of Mailman's (MHonArc's) thread.html:
// parent message number per message (-1 for a thread start), and whether
// the message was listed under "<Possible follow-ups>", MHonArc's marker
// for messages it attached by subject rather than by reference.
type mhonarcTree struct {
	parent   map[int]int
	root     map[int]int
	followup map[int]bool
}

var msgAnchor = regexp.MustCompile(`<a name="(\d+)"`)

func readMHonArc(t *testing.T) mhonarcTree {
	t.Helper()
	f, err := os.Open(corpustest.Path(t, filepath.Join(fedora, "2010-January_thread.html.gz")))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tree := mhonarcTree{parent: map[int]int{}, root: map[int]int{}, followup: map[int]bool{}}
	var stack []int // last message seen at each list depth
	depth, started := 0, false
	inFollowup := map[int]bool{}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := strings.ToLower(strings.TrimSpace(sc.Text()))
		if !started {
			started = strings.HasPrefix(line, "<hr>")
			continue
		}
		if strings.HasPrefix(line, "<ul>") {
			depth++
			continue
		}
		if strings.HasPrefix(line, "</ul>") {
			inFollowup[depth] = false
			depth--
			continue
		}
		if strings.Contains(line, "&lt;possible follow-ups&gt;") {
			inFollowup[depth] = true
			continue
		}
		m := msgAnchor.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		stack = append(stack[:depth-1], n)
		tree.parent[n] = -1
		tree.root[n] = stack[0]
		if depth > 1 {
			tree.parent[n] = stack[depth-2]
		}
		tree.followup[n] = inFollowup[depth]
	}
	return tree
}

func readFedora(t *testing.T) []Message {
	t.Helper()
	data, err := os.ReadFile(corpustest.Path(t, filepath.Join(fedora, "2010-January.txt.gz")))
	if err != nil {
		t.Fatal(err)
	}
	r := mbox.NewReader(bytes.NewReader(data))
	var msgs []Message
	for {
		raw, err := r.Next()
		if err == io.EOF {
			return msgs
		}
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("message %d: %v", len(msgs), err)
		}
		date, _ := m.Header.Date()
		msgs = append(msgs, Message{
			ID:         m.Header.Get("Message-Id"),
			InReplyTo:  m.Header.Get("In-Reply-To"),
			References: strings.Fields(m.Header.Get("References")),
			Subject:    m.Header.Get("Subject"),
			Date:       date,
		})
	}
}

// TestMailmanThreads compares our forest with Mailman's thread.html for
// fedora-devel-list, January 2010 (292 messages). MHonArc numbers messages
// in mbox order, which is also our input order.
func TestMailmanThreads(t *testing.T) {
	want := readMHonArc(t)
	msgs := readFedora(t)
	if len(msgs) != 292 || len(want.parent) != 292 {
		t.Fatalf("got %d messages and %d in thread.html, want 292", len(msgs), len(want.parent))
	}
	roots := Thread(msgs)
	parent := map[int]int{}
	root := map[int]int{}
	for _, r := range roots {
		for _, e := range Flatten([]*Container{r}) {
			if c := e.Container; c.Message != nil {
				parent[c.Index] = shownParent(c)
				root[c.Index] = firstMessage(r).Index
			}
		}
	}
	var diffs []string
	for n := range 292 {
		if want.followup[n] {
			continue // MHonArc guessed by subject; checked by thread membership below
		}
		if parent[n] != want.parent[n] {
			diffs = append(diffs, fmt.Sprintf("parent %d: got %d, mailman %d", n, parent[n], want.parent[n]))
		}
	}
	for n := range 292 {
		if root[n] != want.root[n] && !sameThread(n, root, want.root) {
			diffs = append(diffs, fmt.Sprintf("thread %d: got root %d, mailman %d", n, root[n], want.root[n]))
		}
	}
	slices.Sort(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
	followups, threads := 0, map[int]bool{}
	for n := range 292 {
		if want.followup[n] {
			followups++
		}
		threads[want.root[n]] = true
	}
	// Every thread of Mailman's is one of ours, and vice versa (checked
	// above per message); the counts must agree too.
	if len(roots) != len(threads) {
		t.Errorf("%d threads, Mailman has %d", len(roots), len(threads))
	}
	t.Logf("%d threads; parents compared for %d messages, %d subject follow-ups compared by thread", len(roots), 292-followups, followups)
}

// mhonarcMaxDepth is the deepest level thread.html shows (its TLEVELS
// setting; the page nests at most four lists). Deeper replies are listed
// at that level, under their ancestor one level up.
const mhonarcMaxDepth = 3

// shownParent is the message number MHonArc would show as c's parent: its
// real parent, or for deep replies the ancestor at mhonarcMaxDepth-1.
// Placeholders are invisible in MHonArc, so a placeholder parent is -1.
func shownParent(c *Container) int {
	var chain []*Container // c's ancestors, nearest first
	for p := c.Parent; p != nil; p = p.Parent {
		chain = append(chain, p)
	}
	if len(chain) == 0 {
		return -1
	}
	p := chain[0]
	if depth := len(chain); depth > mhonarcMaxDepth {
		p = chain[depth-mhonarcMaxDepth]
	}
	if p.Message == nil {
		return -1
	}
	return p.Index
}

func firstMessage(c *Container) *Container {
	for c.Message == nil {
		c = c.Children[0]
	}
	return c
}

// sameThread reports whether message n shares its thread with the same
// set of messages in both trees.
func sameThread(n int, a, b map[int]int) bool {
	for k := range a {
		if (a[k] == a[n]) != (b[k] == b[n]) {
			return false
		}
	}
	return true
}

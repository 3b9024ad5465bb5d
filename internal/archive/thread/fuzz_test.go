package thread

import (
	"strings"
	"testing"
	"time"
)

// FuzzThread threads any set of Message-IDs, In-Reply-To and References,
// as forged or broken headers would give: every message appears exactly
// once in the forest, nothing is its own ancestor, and no cycle loops
// Flatten. Each line of the input is a message: "id|in-reply-to|refs
// separated by spaces|subject".
func FuzzThread(f *testing.F) {
	f.Add("a|||Hello\nb|a|a|Re: Hello\nc|b|a b|Re: Hello")
	f.Add("a|b||x\nb|a||y")                     // a loop through In-Reply-To
	f.Add("a||a a a|x\na||a|dup id\n||b|no id") // self reference, duplicate and missing ids
	f.Add("a||c b|x\nb||a c|y\nc||b a|z")       // references in a cycle
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		if len(lines) > 200 {
			lines = lines[:200]
		}
		msgs := make([]Message, len(lines))
		for i, l := range lines {
			p := strings.SplitN(l, "|", 4)
			for len(p) < 4 {
				p = append(p, "")
			}
			msgs[i] = Message{ID: p[0], InReplyTo: p[1], References: strings.Fields(p[2]), Subject: p[3],
				Date: time.Date(2024, 1, 1, 0, 0, i, 0, time.UTC)}
		}
		roots := Thread(msgs)
		seen := make([]int, len(msgs))
		entries := Flatten(roots)
		if len(entries) > 3*len(msgs)*(len(msgs)+2) {
			t.Fatalf("%d entries for %d messages", len(entries), len(msgs))
		}
		for _, e := range entries {
			c := e.Container
			if c.IsPlaceholder() {
				continue
			}
			if c.Index < 0 || c.Index >= len(msgs) || c.Message != &msgs[c.Index] {
				t.Fatalf("container index %d does not point at its message", c.Index)
			}
			seen[c.Index]++
			depth := 0
			for p := c.Parent; p != nil; p = p.Parent {
				if p == c || depth > len(entries) {
					t.Fatalf("message %d is its own ancestor", c.Index)
				}
				depth++
			}
		}
		for i, n := range seen {
			if n != 1 {
				t.Fatalf("message %d (%q) appears %d times in the forest", i, msgs[i].ID, n)
			}
		}
	})
}

package thread

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// render draws a forest one container per line, indented by depth, using
// the message's subject (or "-" for a placeholder).
func render(roots []*Container) string {
	var b strings.Builder
	for _, e := range Flatten(roots) {
		name := "-"
		if e.Container.Message != nil {
			name = e.Container.Message.Subject
		}
		fmt.Fprintf(&b, "%s%s\n", strings.Repeat("  ", e.Depth), name)
	}
	return b.String()
}

func day(n int) time.Time { return time.Date(2024, 1, n, 0, 0, 0, 0, time.UTC) }

func TestThread(t *testing.T) {
	tests := []struct {
		name string
		msgs []Message
		want string
	}{
		{
			name: "references and in-reply-to",
			msgs: []Message{
				{ID: "<c>", References: []string{"<a> <b>"}, Subject: "c", Date: day(3)},
				{ID: "<a>", Subject: "a", Date: day(1)},
				{ID: "<b>", InReplyTo: "<a>", Subject: "b", Date: day(2)},
				{ID: "<d>", InReplyTo: `<a> (from "x" at y)`, Subject: "d", Date: day(4)},
			},
			want: "a\n  b\n    c\n  d\n",
		},
		{
			name: "missing parent keeps a placeholder for siblings",
			msgs: []Message{
				{ID: "x1", References: []string{"<gone>"}, Subject: "x1", Date: day(2)},
				{ID: "x2", References: []string{"<gone>"}, Subject: "x2", Date: day(1)},
				{ID: "y", References: []string{"<gone2>"}, Subject: "y", Date: day(3)},
			},
			want: "-\n  x2\n  x1\ny\n",
		},
		{
			name: "missing intermediate is spliced out",
			msgs: []Message{
				{ID: "a", Subject: "a", Date: day(1)},
				{ID: "c", References: []string{"a", "b"}, Subject: "c", Date: day(3)},
			},
			want: "a\n  c\n",
		},
		{
			name: "cycle in references",
			msgs: []Message{
				{ID: "a", References: []string{"b"}, Subject: "a", Date: day(1)},
				{ID: "b", References: []string{"a"}, Subject: "b", Date: day(2)},
				{ID: "c", References: []string{"c", "a", "c"}, Subject: "c", Date: day(3)},
			},
			want: "b\n  a\n    c\n",
		},
		{
			name: "duplicate message-id",
			msgs: []Message{
				{ID: "<a>", Subject: "first", Date: day(1)},
				{ID: "<a>", Subject: "second copy", Date: day(2)},
				{ID: "<b>", InReplyTo: "<a>", Subject: "reply", Date: day(3)},
			},
			want: "first\n  reply\nsecond copy\n",
		},
		{
			name: "no message-id",
			msgs: []Message{
				{Subject: "orphan", Date: day(2)},
				{Subject: "child", InReplyTo: "<p>", Date: day(3)},
				{ID: "<p>", Subject: "parent", Date: day(1)},
			},
			want: "parent\n  child\norphan\n",
		},
		{
			name: "subject fallback for replies only",
			msgs: []Message{
				{ID: "1", Subject: "Meeting notes", Date: day(1)},
				{ID: "2", Subject: "Meeting notes", Date: day(2)},
				{ID: "3", Subject: "AW: [wg] meeting   NOTES", Date: day(3)},
				{ID: "4", Subject: "Re: Re: Other", Date: day(4)},
				{ID: "5", Subject: "Sv: Other", Date: day(5)},
			},
			want: "Meeting notes\n  AW: [wg] meeting   NOTES\nMeeting notes\n-\n  Re: Re: Other\n  Sv: Other\n",
		},
		{
			name: "reply merges into placeholder root",
			msgs: []Message{
				{ID: "1", References: []string{"gone"}, Subject: "Re: topic", Date: day(1)},
				{ID: "2", References: []string{"gone"}, Subject: "Re: topic", Date: day(2)},
				{ID: "3", Subject: "Re: topic", Date: day(3)},
			},
			want: "-\n  Re: topic\n  Re: topic\n  Re: topic\n",
		},
		{
			name: "roots ordered by earliest message",
			msgs: []Message{
				{ID: "late", Subject: "late", Date: day(9)},
				{ID: "early", Subject: "early", Date: day(5)},
				{ID: "r", InReplyTo: "late", Subject: "reply to late, dated early", Date: day(1)},
			},
			want: "late\n  reply to late, dated early\nearly\n",
		},
		{name: "empty", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(Thread(tt.msgs))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestThreadIndexAndID(t *testing.T) {
	msgs := []Message{{ID: " <a@x> ", Date: day(1)}, {InReplyTo: "a@x", Date: day(2)}}
	roots := Thread(msgs)
	if len(roots) != 1 || roots[0].Index != 0 || roots[0].ID != "a@x" {
		t.Fatalf("root = %+v", roots[0])
	}
	k := roots[0].Children[0]
	if k.Index != 1 || k.ID != "" || k.Parent != roots[0] || k.Message != &msgs[1] {
		t.Fatalf("child = %+v", k)
	}
}

func TestBaseSubject(t *testing.T) {
	tests := []struct {
		in    string
		base  string
		reply bool
	}{
		{"Hello", "hello", false},
		{"Re: Hello", "hello", true},
		{"RE: re: Hello", "hello", true},
		{"[tls] Re: [tls] Hello", "hello", true},
		{"AW: Sv: VS: Antw: Hello", "hello", true},
		{"Re[2]: Hello", "hello", true},
		{"Re^3: Hello", "hello", true},
		{"Fwd: Hello (fwd)", "hello", true},
		{"[Fwd: Hello]", "hello", true},
		{"回复： Hello", "hello", true},
		{"Отв: Привет", "привет", true},
		{"Regarding: Hello", "regarding: hello", false},
		{"Re:Hello", "hello", true},
		{"[only-a-tag]", "[only-a-tag]", false},
		{"  spaced \t  out  ", "spaced out", false},
		{"", "", false},
	}
	for _, tt := range tests {
		base, reply := BaseSubject(tt.in)
		if base != tt.base || reply != tt.reply {
			t.Errorf("BaseSubject(%q) = %q, %v; want %q, %v", tt.in, base, reply, tt.base, tt.reply)
		}
	}
}

func BenchmarkThread200k(b *testing.B) {
	msgs := synthetic(200000)
	b.ResetTimer()
	for b.Loop() {
		Thread(msgs)
	}
}

// synthetic makes n messages in threads of up to 50, each reply carrying
// the full References chain (capped at 10, as mailers do), some with
// missing parents and re-used subjects.
func synthetic(n int) []Message {
	msgs := make([]Message, n)
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range msgs {
		root := i - i%50
		m := Message{
			ID:      fmt.Sprintf("<%d@example.com>", i),
			Subject: fmt.Sprintf("topic %d", root),
			Date:    start.Add(time.Duration(i) * time.Minute),
		}
		if i != root {
			m.Subject = "Re: " + m.Subject
			parent := root + (i-root)/2
			for p := parent; len(m.References) < 10; p = root + (p-root)/2 {
				m.References = append([]string{fmt.Sprintf("<%d@example.com>", p)}, m.References...)
				if p == root {
					break
				}
			}
			if i%97 == 0 {
				m.References = []string{"<lost@example.com>"}
			}
			m.InReplyTo = m.References[len(m.References)-1]
		}
		msgs[i] = m
	}
	return msgs
}

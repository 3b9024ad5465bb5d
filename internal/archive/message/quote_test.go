package message

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBlocks(t *testing.T) {
	in := "I agree.\n\nOn Mon, 1 Jan 2024 at 10:00, Jane Doe <\njane@example.com> wrote:\n> first\n>\n> > older\n> back\n\nMore text\n-- \nJohn\n"
	want := []Block{
		{Kind: Text, Text: "I agree.\n"},
		{Kind: Attribution, Text: "On Mon, 1 Jan 2024 at 10:00, Jane Doe <\njane@example.com> wrote:"},
		{Kind: Quote, Depth: 1, Text: "> first\n>"},
		{Kind: Quote, Depth: 2, Text: "> > older"},
		{Kind: Quote, Depth: 1, Text: "> back"},
		{Kind: Text, Text: "\nMore text"},
		{Kind: Signature, Text: "-- \nJohn"},
	}
	if diff := cmp.Diff(want, Blocks(in)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// "wrote:" without a following quote is just text.
	if got := Blocks("Then he wrote:\nnothing quoted"); len(got) != 1 || got[0].Kind != Text {
		t.Errorf("got %+v", got)
	}
}

func TestLinkify(t *testing.T) {
	tests := []struct {
		in   string
		want []Segment
	}{
		{"see https://example.com/a_(b). ok", []Segment{{Text: "see "}, {Text: "https://example.com/a_(b)", URL: "https://example.com/a_(b)"}, {Text: ". ok"}}},
		{"<https://datatracker.ietf.org/doc/x/>", []Segment{{Text: "<"}, {Text: "https://datatracker.ietf.org/doc/x/", URL: "https://datatracker.ietf.org/doc/x/"}, {Text: ">"}}},
		{"(www.ietf.org)", []Segment{{Text: "("}, {Text: "www.ietf.org", URL: "http://www.ietf.org"}, {Text: ")"}}},
		{"javascript:alert(1)", []Segment{{Text: "javascript:alert(1)"}}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Linkify(tt.in)); diff != "" {
			t.Errorf("Linkify(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
	b := Block{Text: `<script>x</script> https://e.com/?a=1&b="2"`}
	want := `&lt;script&gt;x&lt;/script&gt; <a href="https://e.com/?a=1&amp;b=" rel="nofollow noopener noreferrer">https://e.com/?a=1&amp;b=</a>&#34;2&#34;`
	if got := string(b.HTML()); got != want {
		t.Errorf("HTML() =\n%s\nwant\n%s", got, want)
	}
}

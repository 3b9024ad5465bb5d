package render_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/docs/render"
)

// layout renders a v3 draft whose middle is body, unpaginated, and
// returns the lines of its first section's content.
func layout(t *testing.T, body string) []string {
	t.Helper()
	src := `<rfc docName="draft-x-y-00" category="info" ipr="trust200902" version="3"><front><title>T</title>
<author fullname="A B" initials="A." surname="B"/><date year="2024" month="1" day="2"/></front>
<middle><section><name>S</name>` + body + `</section><section anchor="end"><name>End</name></section></middle></rfc>`
	out, err := render.Text([]byte(src), nil, render.TextOptions{Unpaginated: true, Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	i := strings.Index(s, "\n1.  S\n")
	j := strings.Index(s, "\n2.  End\n")
	if i < 0 || j < i {
		t.Fatalf("no section in\n%s", s)
	}
	return strings.Split(strings.Trim(s[i+len("\n1.  S\n"):j], "\n"), "\n")
}

func TestTextLayout(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"paragraph: 72 columns, two spaces after a sentence, hyphens break",
			`<t>The quick brown fox jumps over the lazy dog. Then it rests. Well-known sub-type words are broken after their hyphens when the line is full-length.</t>`,
			[]string{
				"   The quick brown fox jumps over the lazy dog.  Then it rests.  Well-",
				"   known sub-type words are broken after their hyphens when the line is",
				"   full-length.",
			}},
		{"section references never split, abbreviations end no sentence",
			`<t>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx see Section 2.3 of it, i.e. this.</t>`,
			[]string{
				"   xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx see",
				"   Section 2.3 of it, i.e. this.",
			}},
		{"bullets by depth, compact and spaced",
			`<ul><li>one</li><li><t>two</t><ul spacing="compact"><li>inner</li><li>more</li></ul></li></ul>`,
			[]string{
				"   *  one",
				"",
				"   *  two",
				"",
				"      -  inner",
				"      -  more",
			}},
		{"numbered lists: letters, roman numerals, a format, a start",
			`<ol type="a"><li>x</li></ol><ol type="i" spacing="compact"><li>a</li><li>b</li><li>c</li><li>d</li></ol><ol type="R%d" start="9" spacing="compact"><li>nine</li><li>ten</li></ol>`,
			[]string{
				"   a.  x",
				"",
				"   i.    a",
				"   ii.   b",
				"   iii.  c",
				"   iv.   d",
				"",
				"   R9  nine",
				"   R10 ten",
			}},
		{"definition lists: beside the term, below a long one, below on request",
			`<dl><dt>Term</dt><dd>Its definition.</dd><dt>A term far too long to share its line with the first word</dt><dd>Definition.</dd></dl><dl newline="true"><dt>T2</dt><dd>Below.</dd></dl>`,
			[]string{
				"   Term  Its definition.",
				"",
				"   A term far too long to share its line with the first word",
				"      Definition.",
				"",
				"   T2",
				"      Below.",
			}},
		{"a table, its caption centred under it",
			`<table><name>Codes</name><thead><tr><th>Code</th><th align="right">Value</th></tr></thead><tbody><tr><td>a</td><td align="right">1</td></tr></tbody></table>`,
			[]string{
				"                             +======+=======+",
				"                             | Code | Value |",
				"                             +======+=======+",
				"                             | a    |     1 |",
				"                             +------+-------+",
				"",
				"                              Table 1: Codes",
			}},
		{"artwork verbatim, a figure's caption, source code between markers",
			`<figure><name>Box</name><artwork><![CDATA[
+--+
|  |	x
+--+
]]></artwork></figure><sourcecode markers="true" name="a.c">int x;</sourcecode>`,
			[]string{
				"   +--+",
				"   |  |    x",
				"   +--+",
				"",
				"                               Figure 1: Box",
				"",
				"   <CODE BEGINS> file \"a.c\"",
				"   int x;",
				"   <CODE ENDS>",
			}},
		{"a cross-reference to a section and to a figure, emphasis",
			`<t anchor="p">See <xref target="end"/>, <xref target="f"/>, <em>this</em> and <strong>that</strong>.</t><figure anchor="f"><artwork>x</artwork></figure>`,
			[]string{
				"   See Section 2, Figure 1, _this_ and *that*.",
				"",
				"   x",
				"",
				"                                  Figure 1",
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := layout(t, c.body)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("lines differ (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTextPages: pages of 48 lines of text between a running header and
// a footer with the page number, a form feed before each header; no
// page ends on a section heading; the contents give each section's page.
func TestTextPages(t *testing.T) {
	var body strings.Builder
	for i := range 12 {
		body.WriteString(`<section anchor="s` + strings.Repeat("x", i) + `"><name>Part ` + strings.Repeat("I", i+1) + `</name>`)
		for range 3 + i%4 {
			body.WriteString(`<t>` + strings.Repeat("Words that fill a line of text in a paragraph. ", 6) + `</t>`)
		}
		body.WriteString(`</section>`)
	}
	src := `<rfc docName="draft-x-pages-00" category="std" ipr="trust200902" version="3"><front><title abbrev="Pages">Pages of Text</title>
<author fullname="Ann Author" initials="A." surname="Author"/><author fullname="Bo Bee" initials="B." surname="Bee"/><date year="2024" month="1" day="2"/>
<abstract><t>Pages.</t></abstract></front><middle>` + body.String() + `</middle></rfc>`
	out, err := render.Text([]byte(src), nil, render.TextOptions{Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n\f\n")
	if len(pages) < 4 {
		t.Fatalf("%d pages", len(pages))
	}
	headingPage := map[string]int{}
	for i, p := range pages {
		ls := strings.Split(p, "\n")
		if len(ls) != 56-btoi(i > 0) {
			t.Errorf("page %d has %d lines", i+1, len(ls))
		}
		if f := ls[len(ls)-1]; len(f) != 72 || !strings.HasPrefix(f, "Author & Bee               Expires 5 July 2024 ") || !strings.HasSuffix(f, " [Page "+strconv.Itoa(i+1)+"]") {
			t.Errorf("page %d ends %q", i+1, f)
		}
		if i > 0 && ls[0] != "Internet-Draft                    Pages                     January 2024" {
			t.Errorf("page %d starts %q", i+1, ls[0])
		}
		last := ""
		for _, l := range ls[:len(ls)-1] {
			if strings.TrimSpace(l) != "" {
				last = l
			}
			if l != "" && l[0] >= '0' && l[0] <= '9' && strings.Contains(l, ".  Part ") {
				headingPage[l] = i + 1
			}
		}
		if strings.Contains(last, ".  Part ") && !strings.Contains(last, ". .") {
			t.Errorf("page %d ends on the heading %q", i+1, last)
		}
	}
	if len(headingPage) != 12 {
		t.Errorf("found %d of the 12 headings", len(headingPage))
	}
	for h, p := range headingPage {
		entry := "   " + h + " "
		if num, title, _ := strings.Cut(h, ".  "); len(num) > 1 {
			entry = "   " + num + ". " + title + " " // "10. Part", as xml2rfc lines the numbers up
		}
		found := false
		for _, l := range strings.Split(pages[0]+pages[1], "\n") {
			if strings.HasPrefix(l, entry) {
				found = true
				if !strings.HasSuffix(l, " "+strconv.Itoa(p)) {
					t.Errorf("the contents give %q, its heading is on page %d", l, p)
				}
			}
		}
		if !found {
			t.Errorf("no contents entry for %q", h)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestTextDeepNesting: lists nested deeper than the line is wide still
// come out, a word a line, rather than looping or failing.
func TestTextDeepNesting(t *testing.T) {
	body := strings.Repeat("<ul><li><t>deep words here</t>", 40) + strings.Repeat("</li></ul>", 40)
	got := layout(t, body)
	if len(got) < 40 || !strings.Contains(strings.Join(got, "\n"), "deep") {
		t.Errorf("deep lists gave %q", got)
	}
}

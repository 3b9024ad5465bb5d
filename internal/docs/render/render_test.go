package render_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"hum/internal/corpustest"
	"hum/internal/docs/render"
)

func files(t *testing.T, dir string) []string {
	t.Helper()
	fs, err := filepath.Glob(filepath.Join(corpustest.Path(t, "drafts/"+dir), "*"))
	if err != nil || len(fs) == 0 {
		t.Fatalf("no corpus files in drafts/%s: %v", dir, err)
	}
	return fs
}

// inert parses rendered HTML the way a browser would and fails on
// anything that could run: script or style elements, event handler
// attributes, javascript: links, iframes and objects.
func inert(t *testing.T, name, body string) *html.Node {
	t.Helper()
	root, err := html.Parse(strings.NewReader("<!doctype html><body>" + body))
	if err != nil {
		t.Fatalf("%s: output does not parse: %v", name, err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "iframe", "object", "embed", "form", "base", "meta", "link", "img", "svg":
				t.Errorf("%s: output has a <%s> element", name, n.Data)
			}
			for _, a := range n.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case strings.HasPrefix(a.Key, "on"):
					t.Errorf("%s: output has an event attribute %s=%q", name, a.Key, a.Val)
				case (a.Key == "href" || a.Key == "src") && !(strings.HasPrefix(v, "#") || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")):
					t.Errorf("%s: output links to %q", name, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return root
}

// ids collects every id attribute in the output.
func ids(n *html.Node, into map[string]bool) {
	if n.Type == html.ElementNode {
		for _, a := range n.Attr {
			if a.Key == "id" {
				into[a.Val] = true
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		ids(c, into)
	}
}

// Every XML in the corpus renders without panic; every real draft or
// RFC gets sections, a table of contents whose entries all point at an
// anchor in the body, and inert output.
func TestEveryCorpusXML(t *testing.T) {
	for _, f := range files(t, "xml") {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d, err := render.FromXML(src)
			if strings.Contains(name, ".invalid.") {
				if err == nil {
					inert(t, name, string(d.Body))
				}
				return
			}
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			root := inert(t, name, string(d.Body))
			if len(d.TOC) == 0 {
				t.Fatalf("no table of contents")
			}
			if !strings.Contains(string(d.Body), "<section") {
				t.Errorf("no sections")
			}
			have := map[string]bool{}
			ids(root, have)
			numbered := 0
			for _, e := range d.TOC {
				if !have[e.Anchor] {
					t.Errorf("TOC entry %q points at #%s, which is not in the body", e.Title, e.Anchor)
				}
				if e.Number != "" {
					numbered++
				}
			}
			if numbered == 0 {
				t.Errorf("no numbered sections in %v", d.TOC)
			}
		})
	}
}

// Every text draft renders as escaped text with links to RFCs and drafts.
func TestEveryCorpusText(t *testing.T) {
	for _, f := range files(t, "txt") {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			body := string(render.FromText(src))
			inert(t, name, body)
			if len(body) < len(src) {
				t.Errorf("output (%d bytes) is shorter than the text (%d bytes)", len(body), len(src))
			}
			if strings.Contains(string(src), "RFC 2119") && !strings.Contains(body, `<a href="/doc/rfc2119/">RFC 2119</a>`) {
				t.Errorf("RFC 2119 is not linked")
			}
			if strings.Contains(string(src), "<") && !strings.Contains(body, "&lt;") {
				t.Errorf("< was not escaped")
			}
		})
	}
}

// Hostile XML: markup in titles, attributes and text comes out as text;
// links go only to http(s), anchors or hum's own pages.
func TestHostileXMLIsInert(t *testing.T) {
	src := `<?xml version="1.0"?>
<rfc docName="draft-evil-00" version="3">
<front><title>Evil</title></front>
<middle>
<section anchor="intro&quot; onmouseover=&quot;alert(1)"><name>Intro <script>alert(1)</script></name>
  <t>Text with <script>alert(2)</script> and &lt;script&gt;alert(3)&lt;/script&gt; and <iframe src="javascript:alert(4)"/>.</t>
  <t><eref target="javascript:alert(5)">click</eref> <xref target="x&quot;&gt;&lt;script&gt;alert(6)&lt;/script&gt;"/></t>
  <artwork><![CDATA[<script>alert(7)</script>]]></artwork>
  <ul><li onclick="alert(8)">item</li></ul>
</section>
<section title="&lt;img src=x onerror=alert(9)&gt;"><t>v2 title</t></section>
</middle>
<back><references><name>Refs <style>x</style></name>
<reference anchor="R&quot;1" target="javascript:alert(10)"><front><title>&lt;b&gt;T&lt;/b&gt;</title></front>
<seriesInfo name="Internet-Draft" value="draft-x&quot; onclick=&quot;alert(11)"/></reference>
</references></back>
</rfc>`
	d, err := render.FromXML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	inert(t, "hostile", string(d.Body))
	for _, e := range d.TOC {
		if strings.ContainsAny(e.Anchor, `"<> `) {
			t.Errorf("unsafe anchor %q", e.Anchor)
		}
	}
	if !strings.Contains(string(d.Body), "&lt;script&gt;alert(7)&lt;/script&gt;") {
		t.Errorf("artwork not shown as text:\n%s", d.Body)
	}
	// The TOC titles go through html/template on the page; here they must
	// be plain text without the injected elements' markup.
	if d.TOC[0].Title != "Intro alert(1)" {
		t.Errorf("title = %q", d.TOC[0].Title)
	}
}

// Text with markup and odd links stays text.
func TestHostileTextIsInert(t *testing.T) {
	body := string(render.FromText([]byte("See RFC 9110 and draft-ietf-foo-bar-03.\n<script>alert(1)</script>\nhttps://example.com/\"onmouseover=alert(2) javascript:alert(3)\n")))
	inert(t, "text", body)
	for _, w := range []string{`<a href="/doc/rfc9110/">RFC 9110</a>`, `<a href="/doc/draft-ietf-foo-bar-03/">`, "&lt;script&gt;", `<a href="https://example.com/">`} {
		if !strings.Contains(body, w) {
			t.Errorf("lacks %q:\n%s", w, body)
		}
	}
}

// A diff escapes both sides and marks word changes.
func TestDiffEscapes(t *testing.T) {
	rows, unified := render.Diff("a <b>\nsame\n", "a <i>\nsame\n")
	if len(rows) == 0 || len(unified) == 0 {
		t.Fatal("no rows")
	}
	for _, r := range append(rows, unified...) {
		for _, h := range []string{string(r.Left), string(r.Right)} {
			if strings.Contains(h, "<b>") || strings.Contains(h, "<i>") {
				t.Errorf("unescaped: %q", h)
			}
		}
	}
}

package meetings_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"hum/internal/corpustest"
	"hum/internal/meetings"
)

// FuzzRender: whatever Markdown or HTML minutes hold, rendering never
// panics and its output has no script, no event handler, no javascript:
// URL and nothing that loads remote content.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# Minutes\n\n* a\n* b\n\n[x](https://example.org/)",
		"<script>alert(1)</script><img src=https://evil.example/p onerror=x()>",
		"[a](javascript:alert(1)) ![i](http://evil.example/i.png) <a href=\"jav&#x09;ascript:x\">y</a>",
		"| a |\n|---|\n| <iframe src=//evil.example> |",
		"<svg><style>@import 'https://evil.example/'</style></svg><math><mi xlink:href=javascript:x>",
		"```\n<script>\n```\n\n<!-- <script> -->",
	} {
		f.Add("md", []byte(s))
		f.Add("html", []byte(s))
	}
	if root, ok := corpustest.Seeds(f); ok {
		for _, pat := range []string{"drafts/md/*.md", "email/*/*.html", "email/*/*/*.html"} {
			files, _ := filepath.Glob(filepath.Join(root, pat))
			for _, p := range files {
				if b, err := os.ReadFile(p); err == nil && len(b) < 1<<20 {
					f.Add("md", b)
					f.Add("html", b)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, format string, src []byte) {
		out := string(meetings.Render(format, src))
		z := html.NewTokenizer(strings.NewReader(out))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				return
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			name, more := z.TagName()
			switch string(name) {
			case "script", "style", "iframe", "object", "embed", "link", "meta", "base", "form", "svg", "math", "video", "audio", "source":
				t.Fatalf("output has <%s>:\n%s", name, out)
			}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				key, val := strings.ToLower(string(k)), strings.ToLower(strings.TrimSpace(string(v)))
				if strings.HasPrefix(key, "on") || key == "style" || key == "srcset" {
					t.Fatalf("output has attribute %s:\n%s", key, out)
				}
				if scheme := schemeOf(val); (key == "href" || key == "src") && scheme != "" && scheme != "http" && scheme != "https" && scheme != "mailto" && scheme != "data" {
					t.Fatalf("output has %s=%q:\n%s", key, val, out)
				}
				if key == "src" && !strings.HasPrefix(val, "data:image/") {
					t.Fatalf("output loads %s=%q:\n%s", key, val, out)
				}
			}
		}
	})
}

// schemeOf is a URL's scheme, or "" for a relative URL.
func schemeOf(u string) string {
	if i := strings.IndexAny(u, ":/?#"); i > 0 && u[i] == ':' {
		return u[:i]
	}
	return ""
}

// FuzzSniff: no upload panics the check, and what it accepts is what it
// says: a PDF begins %PDF-, a PPTX is a ZIP with ppt/ parts, text is
// UTF-8 without NUL bytes.
func FuzzSniff(f *testing.F) {
	f.Add("slides", "s.pdf", []byte("%PDF-1.7"))
	f.Add("slides", "s.pptx", pptx())
	f.Add("slides", "s.pdf", zipOf("word/document.xml"))
	f.Add("minutes", "m.md", []byte("# x"))
	f.Add("agenda", "a", []byte("<html><body>x"))
	f.Fuzz(func(t *testing.T, kind, name string, b []byte) {
		format, err := meetings.Sniff(kind, name, b)
		if err != nil {
			return
		}
		switch format {
		case "pdf":
			if !strings.HasPrefix(string(b), "%PDF-") {
				t.Fatalf("accepted as PDF: %q", b)
			}
		case "pptx":
			if !strings.HasPrefix(string(b), "PK") {
				t.Fatalf("accepted as PPTX: %q", b)
			}
		default:
			if !utf8.Valid(b) || strings.IndexByte(string(b), 0) >= 0 {
				t.Fatalf("accepted as %s: %q", format, b)
			}
		}
	})
}

package meetings

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// markdown turns Markdown into HTML. Raw HTML in the source passes
// through goldmark (minutes often hold some) and is then cleaned by the
// same policy as uploaded HTML, so there is one place that decides what
// is safe.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(html.WithUnsafe()),
)

// policy allows the formatting agendas and minutes use and nothing
// active or remote: no scripts, styles, forms, frames or event handlers,
// and no images or media but data: images, because loading remote
// content from a page tells a third party who read it and when. Links
// are fine, marked nofollow and noreferrer.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardURLs()
	p.AllowAttrs("href").OnElements("a")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AllowElements("p", "br", "div", "span", "b", "i", "u", "em", "strong", "blockquote", "del", "ins",
		"pre", "code", "tt", "kbd", "samp", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
		"tfoot", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "sub", "sup", "small", "s")
	p.AllowAttrs("colspan", "rowspan").OnElements("td", "th")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("td", "th")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").OnElements("input")
	p.AllowDataURIImages()
	p.AllowAttrs("alt").OnElements("img")
	return p
}()

// RenderMarkdown renders Markdown as safe HTML.
func RenderMarkdown(src []byte) template.HTML {
	var b bytes.Buffer
	if err := markdown.Convert(src, &b); err != nil {
		// goldmark fails only when writing fails, which a buffer does not.
		return template.HTML("<pre>" + template.HTMLEscapeString(string(src)) + "</pre>")
	}
	return SanitizeHTML(b.Bytes())
}

// SanitizeHTML makes uploaded HTML safe to show inside a page.
func SanitizeHTML(src []byte) template.HTML {
	// The policy's output is safe by construction; that is its purpose.
	return template.HTML(policy.SanitizeBytes(src))
}

// Render shows a text material's content as HTML: Markdown rendered,
// HTML sanitised, plain text preformatted. Other formats render empty.
func Render(format string, content []byte) template.HTML {
	switch format {
	case FormatMarkdown:
		return RenderMarkdown(content)
	case FormatHTML:
		return SanitizeHTML(content)
	case FormatText:
		return template.HTML(`<pre class="material-text">` + template.HTMLEscapeString(string(content)) + `</pre>`)
	}
	return ""
}

// draftRE finds Internet-Draft names in an agenda, with or without a
// revision.
var draftRE = regexp.MustCompile(`\bdraft-[a-z0-9]+(?:-[a-z0-9]+)+\b`)

// maxDraftNames bounds how many names one agenda may link.
const maxDraftNames = 200

// DraftNames lists the distinct draft names an agenda mentions, in order,
// without revisions.
func DraftNames(text []byte) []string {
	seen := map[string]bool{}
	var names []string
	for _, m := range draftRE.FindAll(bytes.ToLower(text), -1) {
		n := string(m)
		if i := strings.LastIndexByte(n, '-'); i > 0 && len(n)-i == 3 && n[i+1] >= '0' && n[i+1] <= '9' && n[i+2] >= '0' && n[i+2] <= '9' {
			n = n[:i]
		}
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
			if len(names) == maxDraftNames {
				break
			}
		}
	}
	return names
}

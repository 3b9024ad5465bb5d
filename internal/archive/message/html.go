package message

import (
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Policies are built once and only read afterwards (bluemonday policies
// are safe for concurrent use once configured).
var (
	policyNoRemote = newPolicy(false)
	policyRemote   = newPolicy(true)
)

// newPolicy allows the formatting mail uses and nothing active: no
// scripts, styles, forms or event handlers. Links get rel="nofollow
// noreferrer" and open in a new tab. Images are allowed only as data: URIs
// unless remoteImages is set, because loading a remote image tells the
// sender who read the message and when.
func newPolicy(remoteImages bool) *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardURLs()
	p.AllowAttrs("href").OnElements("a")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowElements("p", "br", "div", "span", "b", "i", "u", "em", "strong", "blockquote",
		"pre", "code", "tt", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
		"tfoot", "tr", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
		"sub", "sup", "small", "s", "strike", "font", "center")
	p.AllowAttrs("colspan", "rowspan").OnElements("td", "th")
	p.AllowDataURIImages()
	if remoteImages {
		p.AllowImages()
	} else {
		p.AllowAttrs("alt").OnElements("img")
	}
	return p
}

// SanitizeHTML returns mail HTML made safe to embed in a page.
func SanitizeHTML(s string, remoteImages bool) template.HTML {
	p := policyNoRemote
	if remoteImages {
		p = policyRemote
	}
	// The policy's output is safe by construction; that is its purpose.
	return template.HTML(p.Sanitize(s))
}

// htmlToText renders HTML as plain text for display, quoting and search:
// text nodes, with line breaks for block elements, and nothing from
// script, style or head.
func htmlToText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(collapseBlankLines(b.String()))
		case html.TextToken:
			if skip == 0 {
				b.WriteString(collapseSpace(string(z.Text())))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); a {
			case atom.Script, atom.Style, atom.Head, atom.Title:
				skip++
			case atom.Br, atom.P, atom.Div, atom.Tr, atom.Li, atom.H1, atom.H2, atom.H3,
				atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Pre, atom.Hr, atom.Table:
				b.WriteString("\n")
			case atom.Td, atom.Th:
				b.WriteString(" ")
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); a {
			case atom.Script, atom.Style, atom.Head, atom.Title:
				if skip > 0 {
					skip--
				}
			case atom.P, atom.Div, atom.Blockquote, atom.Pre, atom.Table:
				b.WriteString("\n")
			}
		}
	}
}

// collapseSpace collapses runs of whitespace to one space, keeping a
// leading or trailing one so adjacent inline elements stay apart.
func collapseSpace(s string) string {
	f := strings.Join(strings.Fields(s), " ")
	if s != "" && strings.TrimLeft(s, " \t\r\n") != s {
		f = " " + f
	}
	if len(f) > 1 && strings.TrimRight(s, " \t\r\n") != s {
		f += " "
	}
	return f
}

func collapseBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

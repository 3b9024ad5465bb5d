package render

import (
	"regexp"
	"strings"
)

// flowTags are the elements that flow inside a paragraph.
var flowTags = map[string]bool{
	"em": true, "strong": true, "tt": true, "sub": true, "sup": true, "bcp14": true, "xref": true, "eref": true,
	"relref": true, "iref": true, "cref": true, "spanx": true, "vspace": true, "br": true, "u": true, "contact": true,
	"c": false,
}

// hasText reports whether n holds flowing text (words or inline
// elements) rather than blocks.
func hasText(n *node) bool {
	for _, k := range n.kids {
		switch k := k.(type) {
		case string:
			if strings.TrimSpace(k) != "" {
				return true
			}
		case *node:
			if flowTags[k.name] && k.name != "iref" {
				return true
			}
		}
	}
	return false
}

// inline renders n's flowing content as one string for fill.
func (d *textDoc) inline(n *node) string {
	var b strings.Builder
	d.inlineInto(&b, n)
	return strings.Trim(b.String(), " \t\r\n")
}

func (d *textDoc) inlineInto(b *strings.Builder, n *node) {
	for _, k := range n.kids {
		switch k := k.(type) {
		case string:
			b.WriteString(k)
		case *node:
			d.inlineElem(b, k)
		}
	}
}

func (d *textDoc) inlineElem(b *strings.Builder, n *node) {
	switch n.name {
	case "em":
		b.WriteString("_" + d.inline(n) + "_")
	case "strong":
		b.WriteString("*" + d.inline(n) + "*")
	case "sub", "sup":
		mark := "_"
		if n.name == "sup" {
			mark = "^"
		}
		in := d.inline(n)
		if simpleExpr(in) {
			b.WriteString(mark + in)
		} else {
			b.WriteString(mark + "(" + in + ")")
		}
	case "spanx":
		switch n.attr("style") {
		case "strong":
			b.WriteString("*" + d.inline(n) + "*")
		case "verb":
			b.WriteString(d.inline(n))
		default:
			b.WriteString("_" + d.inline(n) + "_")
		}
	case "xref", "relref":
		b.WriteString(d.xref(n))
	case "eref":
		target := n.attr("target")
		text := d.inline(n)
		switch {
		case n.attr("brackets") == "angle":
			target = "<" + target + ">"
		case text != "" && target != "":
			target = "(" + target + ")"
		}
		b.WriteString(strings.TrimSpace(text + " " + target))
	case "vspace", "br":
		b.WriteRune(lineSep)
	case "iref", "cref", "name", "preamble", "postamble", "list", "figure":
		// Index terms and comments do not show; the rest are blocks.
	case "contact":
		name := n.attr("fullname")
		if asc := n.attr("asciiFullname"); asc != "" && !latin(name) {
			name += " (" + asc + ")"
		}
		b.WriteString(strings.ReplaceAll(name, ". ", "."+string(nbsp)))
	default:
		d.inlineInto(b, n)
	}
}

var simpleRe = regexp.MustCompile(`^(?:\d+(?:\.\d+)?)?\w*$`)

// simpleExpr reports whether a sub- or superscript needs no
// parentheses, as xml2rfc decides it.
func simpleExpr(s string) bool {
	if s != "" && strings.ContainsAny(s[:1], "+-") {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		depth := 0
		ok := true
		for _, r := range s[1 : len(s)-1] {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth < 0 {
				ok = false
				break
			}
		}
		if ok && depth == 0 {
			return true
		}
	}
	return !strings.Contains(s, "_") && simpleRe.MatchString(s)
}

// xref is what a cross-reference shows: "[RFC2119]", "Section 2",
// "Figure 1", with its own text before where it has some, and a section
// of another document as "Section 3 of [RFC9110]".
func (d *textDoc) xref(n *node) string {
	target := n.attr("target")
	content := d.inline(n)
	format := n.attr("format")
	derived, known := d.derived[target]
	var text string
	if sec := n.attr("section"); sec != "" {
		label := "Section"
		switch {
		case sec[0] >= '0' && sec[0] <= '9':
		case len(sec) == 1 || len(sec) > 1 && sec[1] == '.':
			label = "Appendix"
		default:
			label = "Part"
		}
		ref := "[" + derived + "]"
		if !known {
			ref = "[" + target + "]"
		}
		exp := ""
		if content != "" {
			exp = content + " "
		}
		switch n.attr("sectionFormat") {
		case "comma":
			text = exp + ref + ", " + label + " " + sec
		case "parens":
			text = exp + ref + " (" + label + " " + sec + ")"
		case "bare":
			text = sec
			if content != "" && content != sec {
				text = sec + " (" + content + ")"
			}
		default:
			text = label + " " + sec + " of " + exp + ref
		}
		return strings.ReplaceAll(text, "-", string(nbhy))
	}
	switch {
	case d.isRef[target]:
		switch {
		case format == "none":
			text = content
		case format == "title":
			text = d.titles[target]
			if content != "" {
				text = content + " (" + d.titles[target] + ")"
			}
		case content != "":
			text = content + " [" + derived + "]"
		default:
			text = "[" + derived + "]"
		}
	case known:
		switch {
		case format == "none":
			text = content
		case format == "counter":
			text = derived[strings.LastIndexByte(derived, ' ')+1:]
		case format == "title":
			text = d.titles[target]
		case content != "":
			text = content + " (" + derived + ")"
		default:
			text = derived
		}
	case content != "":
		text = content
	default:
		text = "[" + target + "]"
	}
	return strings.ReplaceAll(text, "-", string(nbhy))
}

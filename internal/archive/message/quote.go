package message

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
)

// BlockKind says what a run of body lines is, so the UI can fold quotes.
type BlockKind int

const (
	Text        BlockKind = iota // the author's own words
	Quote                        // lines starting with '>'
	Attribution                  // "On <date>, <name> wrote:" before a quote
	Signature                    // from a "-- " line to the end
)

// Block is a run of consecutive lines of one kind. Depth is the quote level
// (number of '>'), 0 for other kinds. Text keeps the lines as written,
// quote markers included.
type Block struct {
	Kind  BlockKind
	Depth int
	Text  string
}

// attributionLine matches the line a mail client writes before a quote, in
// the languages common on lists ("wrote:", "writes:", "schrieb:", "a écrit
// :", "escribió:", "skrev:", "ha scritto:", "napisał:").
var attributionLine = regexp.MustCompile(`(?i)(wrote|writes|schrieb|a écrit|escribió|skrev|ha scritto|napisał|kirjoitti|schreef)\s*:\s*$`)

// Blocks splits a text body into Text, Quote, Attribution and Signature
// blocks. An attribution must be directly followed (blank lines allowed) by
// a quote; it may be wrapped over two lines.
func Blocks(text string) []Block {
	text = strings.TrimSuffix(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	lines := strings.Split(text, "\n")
	kinds := make([]BlockKind, len(lines))
	depths := make([]int, len(lines))
	sig := false
	for i, l := range lines {
		switch {
		case sig:
			kinds[i] = Signature
		case l == "-- " || l == "--":
			sig, kinds[i] = true, Signature
		case strings.HasPrefix(l, ">"):
			kinds[i], depths[i] = Quote, quoteDepth(l)
		}
	}
	for i, l := range lines {
		if kinds[i] != Text || !attributionLine.MatchString(l) || !quoteFollows(lines, kinds, i+1) {
			continue
		}
		kinds[i] = Attribution
		if i > 0 && kinds[i-1] == Text && strings.TrimSpace(lines[i-1]) != "" &&
			!strings.HasPrefix(strings.TrimSpace(l), "On ") && strings.HasPrefix(strings.TrimSpace(lines[i-1]), "On ") {
			kinds[i-1] = Attribution
		}
	}
	return group(lines, kinds, depths)
}

func quoteDepth(l string) int {
	d := 0
	for _, r := range l {
		switch r {
		case '>':
			d++
		case ' ', '\t':
		default:
			return d
		}
	}
	return d
}

func quoteFollows(lines []string, kinds []BlockKind, i int) bool {
	for ; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" {
			return kinds[i] == Quote
		}
	}
	return false
}

// group joins consecutive lines of the same kind and depth. Blank lines
// between two quote lines of one depth stay inside that quote.
func group(lines []string, kinds []BlockKind, depths []int) []Block {
	var out []Block
	for i, l := range lines {
		k, d := kinds[i], depths[i]
		if k == Text && strings.TrimSpace(l) == "" && len(out) > 0 && out[len(out)-1].Kind == Quote &&
			i+1 < len(lines) && kinds[i+1] == Quote && depths[i+1] == out[len(out)-1].Depth {
			k, d = Quote, out[len(out)-1].Depth
		}
		if n := len(out); n > 0 && out[n-1].Kind == k && out[n-1].Depth == d {
			out[n-1].Text += "\n" + l
			continue
		}
		out = append(out, Block{Kind: k, Depth: d, Text: l})
	}
	// A trailing newline leaves an empty last line; drop empty blocks.
	if n := len(out); n > 0 && out[n-1].Text == "" {
		out = out[:n-1]
	}
	return out
}

// Segment is a piece of text that is either plain (URL == "") or a link.
type Segment struct {
	Text string
	URL  string
}

var urlPattern = regexp.MustCompile(`(?i)\b(?:https?://|ftp://|www\.)[^\s<>"]+`)

// Linkify finds http(s), ftp and www. URLs in s. Trailing punctuation that
// usually ends a sentence, and a closing bracket with no opening one in
// the URL, are left out of the link.
func Linkify(s string) []Segment {
	var out []Segment
	last := 0
	for _, loc := range urlPattern.FindAllStringIndex(s, -1) {
		raw := trimURL(s[loc[0]:loc[1]])
		href := raw
		if strings.HasPrefix(strings.ToLower(href), "www.") {
			href = "http://" + href
		}
		u, err := url.Parse(href)
		if err != nil || u.Host == "" {
			continue
		}
		if loc[0] > last {
			out = append(out, Segment{Text: s[last:loc[0]]})
		}
		out = append(out, Segment{Text: raw, URL: u.String()})
		last = loc[0] + len(raw)
	}
	if last < len(s) {
		out = append(out, Segment{Text: s[last:]})
	}
	return out
}

func trimURL(u string) string {
	for len(u) > 0 {
		c := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?'*", c) >= 0:
		case c == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
		case c == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
		case c == '>':
		default:
			return u
		}
		u = u[:len(u)-1]
	}
	return u
}

// HTML renders the block's text escaped, with URLs as links that carry
// rel="nofollow noopener noreferrer". Nothing from the mail is emitted
// unescaped, so the result is safe inside a <pre> or white-space:pre-wrap
// element.
func (b Block) HTML() template.HTML {
	var sb strings.Builder
	for _, seg := range Linkify(b.Text) {
		if seg.URL == "" {
			sb.WriteString(template.HTMLEscapeString(seg.Text))
			continue
		}
		sb.WriteString(`<a href="`)
		sb.WriteString(template.HTMLEscapeString(seg.URL))
		sb.WriteString(`" rel="nofollow noopener noreferrer">`)
		sb.WriteString(template.HTMLEscapeString(seg.Text))
		sb.WriteString(`</a>`)
	}
	return template.HTML(sb.String())
}

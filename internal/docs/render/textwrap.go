package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Characters the text renderer carries through filling and removes or
// replaces at the end, as xml2rfc does: a non-breaking space and hyphen
// hold words together, a zero-width space is a place to break, a word
// joiner (and keepMark, which this package inserts into short URLs)
// forbids one, and lineSep is a forced line break.
const (
	nbsp     = '\u00a0'
	nbhy     = '\u2011'
	zwsp     = '\u200b'
	wj       = '\u2060'
	keepMark = '\ue060'
	lineSep  = '\u2028'
)

// wrapOpts are the margins of one fill: first and rest are the
// indentation of the first and the following lines, width the column
// every line must end before.
type wrapOpts struct {
	width       int
	first, rest string
	// noSentence leaves single spaces after full stops (references).
	noSentence bool
}

// fill wraps text to lines within the width, the way xml2rfc's text
// wrapper does: whitespace collapses, two spaces follow the end of a
// sentence, a line breaks at spaces, after hyphens inside words and after
// slashes between words, and "Section 2" and the like never split.
func fill(text string, o wrapOpts) []string {
	// However deep the nesting, a line holds a character.
	o.width = max(o.width, runes(o.first)+1, runes(o.rest)+1)
	if strings.ContainsRune(text, lineSep) {
		var out []string
		for i, part := range strings.Split(text, string(lineSep)) {
			part = strings.TrimLeft(part, " \t\n\r")
			if part == "" {
				out = append(out, "")
				continue
			}
			p := o
			if i > 0 {
				p.first = o.rest
			}
			out = append(out, fill(part, p)...)
		}
		return out
	}
	text = mungeSpace(text)
	text = sectionNBSP(text)
	chunks := splitChunks(text)
	maxWord := o.width - runes(o.rest)
	var cs []string
	for _, c := range chunks {
		if runes(dropZeroWidth(c)) > maxWord {
			// A word longer than the line: give up its protection.
			plain := strings.ReplaceAll(strings.Map(func(r rune) rune {
				if r == wj || r == keepMark {
					return -1
				}
				return r
			}, c), string(nbsp), " ")
			cs = append(cs, splitChunks(plain)...)
			continue
		}
		cs = append(cs, dropZeroWidth(c))
	}
	if !o.noSentence {
		fixSentences(cs)
	}
	lines := wrapChunks(cs, o)
	for i, l := range lines {
		lines[i] = strings.Map(func(r rune) rune {
			if r == keepMark {
				return -1
			}
			return r
		}, l)
	}
	return lines
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// dropZeroWidth removes, once a chunk is split off, the characters that
// only steered the splitting: they take no room on the line.
func dropZeroWidth(s string) string {
	if !strings.ContainsAny(s, "\u200b\u200c\u2060\ue060") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == zwsp || r == '\u200c' || r == wj || r == keepMark {
			return -1
		}
		return r
	}, s)
}

// mungeSpace turns each whitespace character into a space, then folds a
// run of spaces into one, or into two after a full stop, question or
// exclamation mark.
func mungeSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	run := 0
	var prev rune
	flush := func() {
		if run == 0 {
			return
		}
		n := 1
		if strings.ContainsRune(".!?", prev) && run >= 2 {
			n = 2
		}
		b.WriteString("  "[:n])
		run = 0
	}
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' {
			run++
			continue
		}
		flush()
		b.WriteRune(r)
		prev = r
	}
	flush()
	return b.String()
}

var sectionWords = []string{"Section ", "Appendix ", "Figure ", "Table "}

// sectionNBSP joins "Section", "Appendix", "Figure" and "Table" to the
// word after them.
func sectionNBSP(s string) string {
	for _, w := range sectionWords {
		if strings.Contains(s, w) {
			s = strings.ReplaceAll(s, w, w[:len(w)-1]+string(nbsp))
		}
	}
	return s
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// splitChunks splits text into words and runs of spaces, and words
// further where a line may break inside them: after a hyphen between
// word characters and a letter, after a slash between a word and a
// letter, and at a zero-width space.
func splitChunks(s string) []string {
	var out []string
	i := 0
	for i < len(s) {
		j := i
		if isSpaceByte(s[i]) {
			for j < len(s) && isSpaceByte(s[j]) {
				j++
			}
			out = append(out, s[i:j])
			i = j
			continue
		}
		for j < len(s) && !isSpaceByte(s[j]) {
			j++
		}
		out = append(out, splitWord(s[i:j])...)
		i = j
	}
	return out
}

func splitWord(w string) []string {
	rs := []rune(w)
	var out []string
	start := 0  // the start of the next chunk
	slash := -1 // the last slash a line may break after, since start
	cut := func(end int) {
		if end > start {
			out = append(out, string(rs[start:end]))
			start = end
		}
		slash = -1
	}
	for k := 0; k < len(rs); k++ {
		r := rs[k]
		var next rune
		if k+1 < len(rs) {
			next = rs[k+1]
		}
		switch {
		case r == zwsp:
			if slash >= 0 {
				cut(slash + 1)
			}
			cut(k)
			out = append(out, string(zwsp))
			start = k + 1
		case r == '/' && k > start && isWordRune(rs[k-1]) && next < 128 && unicode.IsLetter(next):
			slash = k
		case r == '-':
			// Like xml2rfc's splitter, break after the last slash
			// before a hyphen, then after the hyphen itself where it
			// joins two words.
			if slash >= 0 {
				cut(slash + 1)
			}
			if k-start >= 2 && isWordRune(rs[k-1]) && next < 128 && unicode.IsLetter(next) {
				cut(k + 1)
			}
		}
	}
	if slash >= 0 {
		cut(slash + 1)
	}
	cut(len(rs))
	return out
}

// fixSentences doubles the space after a chunk that ends a sentence and
// before one that starts the next, as xml2rfc does; abbreviations such
// as "Fig." or "i.e." do not end a sentence.
func fixSentences(cs []string) {
	for i := 0; i+2 < len(cs); i++ {
		if cs[i+1] == " " && endsSentence(cs[i]) && startsSentence(cs[i+2]) {
			cs[i+1] = "  "
			i++
		}
	}
}

func endsSentence(c string) bool {
	rs := []rune(c)
	n := len(rs)
	if n > 0 && strings.ContainsRune("\"')]", rs[n-1]) {
		n--
	}
	if n < 2 || !strings.ContainsRune(".!?", rs[n-1]) {
		return false
	}
	p := rs[n-2]
	if !(p < 128 && (unicode.IsLetter(p) || unicode.IsDigit(p)) || strings.ContainsRune(">])\"'", p)) {
		return false
	}
	// Abbreviations that are no end of a sentence.
	w := string(rs[:len(rs)])
	if len(rs) == 4 && rs[3] == '.' && unicode.IsUpper(rs[0]) && unicode.IsLower(rs[1]) && unicode.IsLower(rs[2]) {
		return false
	}
	for _, a := range abbrevs {
		if w == a {
			return false
		}
	}
	return true
}

var abbrevs = []string{"Eq.", "cf.", "Cf.", "vs.", "resp.", "viz.", "ibid.", "Jr.", "Sr.", "Mr.", "Ms.", "Messrs.", "Mmes.", "Dr.", "Prof.", "Profs.", "St.", "Lt.", "i.e."}

func startsSentence(c string) bool {
	for _, r := range c {
		if strings.ContainsRune("\"'([", r) {
			continue
		}
		return r < 128 && unicode.IsUpper(r)
	}
	return false
}

// wrapChunks fills lines greedily, as Python's textwrap does: spaces at
// the start of a continuation line and at the end of any line go, and a
// chunk longer than a whole line is cut.
func wrapChunks(cs []string, o wrapOpts) []string {
	var lines []string
	for len(cs) > 0 {
		indent := o.first
		if len(lines) > 0 {
			indent = o.rest
		}
		width := o.width - runes(indent)
		if len(lines) > 0 && strings.TrimSpace(cs[0]) == "" {
			cs = cs[1:]
			if len(cs) == 0 {
				break
			}
		}
		var cur []string
		n := 0
		for len(cs) > 0 && cs[0] == "" {
			cs = cs[1:]
		}
		for len(cs) > 0 {
			l := runes(cs[0])
			if n+l > width {
				break
			}
			cur = append(cur, cs[0])
			n += l
			cs = cs[1:]
		}
		if len(cs) > 0 && runes(cs[0]) > width {
			space := max(width-n, 1)
			rs := []rune(cs[0])
			if len(cur) == 0 || n < width {
				cur = append(cur, string(rs[:min(space, len(rs))]))
				cs[0] = string(rs[min(space, len(rs)):])
			}
		}
		if len(cur) > 0 && strings.TrimSpace(cur[len(cur)-1]) == "" {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			lines = append(lines, indent+strings.Join(cur, ""))
		} else if len(cs) > 0 && n == 0 && width <= 0 {
			// No room at all: emit the chunk on its own line rather than loop.
			lines = append(lines, indent+cs[0])
			cs = cs[1:]
		}
	}
	return lines
}

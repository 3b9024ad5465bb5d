package archive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippetWords is how many words a snippet shows.
const snippetWords = 24

// snippetOf cuts a snippet from a message's indexed text around the first
// word that matches q, with MarkStart and MarkEnd around matches, or from
// the subject when the body has none. SQLite's snippet() did this inside
// FTS5, but it re-ran the whole query for each hit: half the time of a
// search over a million messages.
func snippetOf(q Query, subject, body string) string {
	stems := q.stems()
	if len(stems) == 0 {
		return ""
	}
	if s, ok := cut(body, stems); ok {
		return s
	}
	s, _ := cut(subject, stems)
	return s
}

// stems are the query's words as prefixes that the forms stemming
// matches share ("authenticate" finds "authenticated"). Author terms are
// left out: they match the From line, which snippets do not show.
func (q Query) stems() []string {
	var out []string
	for _, t := range q.Terms {
		if t.Field == "author" {
			continue
		}
		for _, w := range t.Words {
			if n := utf8.RuneCountInString(w); n > 5 {
				w = string([]rune(w)[:max(4, n-3)])
			}
			out = append(out, w)
		}
	}
	return out
}

type span struct{ start, end int }

// cut returns the snippetWords words of text starting a few words before
// the first match, and whether there was a match.
func cut(text string, stems []string) (string, bool) {
	var words []span
	start := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			words = append(words, span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, span{start, len(text)})
	}
	match := func(w span) bool {
		lw := strings.ToLower(text[w.start:w.end])
		for _, s := range stems {
			if strings.HasPrefix(lw, s) {
				return true
			}
		}
		return false
	}
	first := -1
	for i, w := range words {
		if match(w) {
			first = i
			break
		}
	}
	if first < 0 {
		return "", false
	}
	from := max(0, first-4)
	to := min(len(words), from+snippetWords)
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	pos := words[from].start
	for _, w := range words[from:to] {
		b.WriteString(squash(text[pos:w.start]))
		if match(w) {
			b.WriteString(MarkStart + text[w.start:w.end] + MarkEnd)
		} else {
			b.WriteString(text[w.start:w.end])
		}
		pos = w.end
	}
	if to < len(words) {
		b.WriteString("…")
	}
	return b.String(), true
}

// squash turns each run of white space in sep into one space.
func squash(sep string) string {
	f := strings.Fields(sep)
	if len(f) == 0 {
		if sep == "" {
			return ""
		}
		return " "
	}
	out := strings.Join(f, " ")
	if strings.TrimLeftFunc(sep, unicode.IsSpace) != sep {
		out = " " + out
	}
	if strings.TrimRightFunc(sep, unicode.IsSpace) != sep {
		out += " "
	}
	return out
}

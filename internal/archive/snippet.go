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
func snippetOf(stems []string, subject, body string) string {
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
// the first match, and whether there was a match. It reads text only as
// far as the snippet's last word, and keeps only the words it may show: a
// search cuts a snippet from each hit's whole text.
func cut(text string, stems []string) (string, bool) {
	var buf [snippetWords]span
	words := buf[:0] // from at most 4 words before the first match on
	first, dropped, more := -1, false, false
	for pos := 0; ; {
		w, ok := nextWord(text, pos)
		if !ok {
			break
		}
		pos = w.end
		if first >= 0 && len(words) == snippetWords {
			more = true
			break
		}
		words = append(words, w)
		switch {
		case first >= 0:
		case matches(text[w.start:w.end], stems):
			first = len(words) - 1
		case len(words) > 4:
			copy(words, words[1:])
			words = words[:4]
			dropped = true
		}
	}
	if first < 0 {
		return "", false
	}
	var b strings.Builder
	b.Grow(words[len(words)-1].end - words[0].start + 16)
	if dropped {
		b.WriteString("…")
	}
	pos := words[0].start
	for _, w := range words {
		writeSquashed(&b, text[pos:w.start])
		if matches(text[w.start:w.end], stems) {
			b.WriteString(MarkStart)
			b.WriteString(text[w.start:w.end])
			b.WriteString(MarkEnd)
		} else {
			b.WriteString(text[w.start:w.end])
		}
		pos = w.end
	}
	if more {
		b.WriteString("…")
	}
	return b.String(), true
}

// nextWord returns the first word of text at or after byte from: a run of
// letters and digits. ASCII bytes, nearly all of a message's, are told
// apart by a table rather than by decoding and looking up each rune.
func nextWord(text string, from int) (span, bool) {
	start := -1
	for i := from; i < len(text); {
		c := text[i]
		var word bool
		size := 1
		if c < utf8.RuneSelf {
			word = asciiWord[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			return span{start, i}, true
		}
		i += size
	}
	if start >= 0 {
		return span{start, len(text)}, true
	}
	return span{}, false
}

// asciiWord tells which ASCII bytes are letters or digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
	}
	return t
}()

// matches reports whether word, in lower case, starts with one of stems
// (which are lower case). An ASCII word, nearly every one, is compared
// without making its lower-case copy.
func matches(word string, stems []string) bool {
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			lw := strings.ToLower(word)
			for _, s := range stems {
				if strings.HasPrefix(lw, s) {
					return true
				}
			}
			return false
		}
	}
	for _, s := range stems {
		if len(word) >= len(s) && asciiLowerPrefix(word, s) {
			return true
		}
	}
	return false
}

// asciiLowerPrefix reports whether the ASCII word, in lower case, starts
// with s.
func asciiLowerPrefix(word, s string) bool {
	for i := 0; i < len(s); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// writeSquashed writes sep to b with each run of white space in it as
// one space.
func writeSquashed(b *strings.Builder, sep string) {
	space := false
	for i := 0; i < len(sep); {
		r, size := rune(sep[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(sep[i:])
		}
		if unicode.IsSpace(r) {
			space = true
		} else {
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteString(sep[i : i+size]) // as it was, valid UTF-8 or not
		}
		i += size
	}
	if space {
		b.WriteByte(' ')
	}
}

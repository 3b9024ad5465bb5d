package archive

import (
	"strings"
	"testing"
	"unicode"

	"hum/internal/corpustest"
)

func TestSnippetOf(t *testing.T) {
	q, _ := ParseQuery(`authenticate "version negotiation" from:bob`)
	body := "Hello all,\n\nShould  version negotiation be authenticated? " + strings.Repeat("word ", 40)
	got := snippetOf(q.stems(), "Subject", body)
	want := "Hello all, Should " + MarkStart + "version" + MarkEnd + " " + MarkStart + "negotiation" + MarkEnd + " be " +
		MarkStart + "authenticated" + MarkEnd + "? word word"
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "…") {
		t.Errorf("snippetOf = %q, want it to start %q and end with …", got, want)
	}
	if got := snippetOf(q.stems(), "Version talk", "nothing here"); got != MarkStart+"Version"+MarkEnd+" talk" {
		t.Errorf("subject fallback = %q", got)
	}
	if got := snippetOf(Query{Terms: []Term{{Field: "author", Words: []string{"bob"}}}}.stems(), "bob", "bob"); got != "" {
		t.Errorf("author-only query gave snippet %q", got)
	}
}

// cutAll is cut as it was before it stopped reading at the snippet's end:
// every word of the text split out and lowered. TestCutAsCutAll holds the
// two to the same output.
func cutAll(text string, stems []string) (string, bool) {
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

// TestCutAsCutAll: the snippet of real mail, for words early, late and
// nowhere, in ASCII and not, in any case, is the one the whole text split
// into words gives.
func TestCutAsCutAll(t *testing.T) {
	raw := string(corpustest.ReadFile(t, "lists/r-devel-2019.mbox"))
	texts := []string{"", "x", "Straße STRASSE straße", "ÜBER über Über-alles", "an error at the very end ERROR",
		// Bytes that are not UTF-8, each a separator to both.
		"caf\xe9 error\xff\xfepackage \xe2\x82 vignette\xc3 \xc3\xa9t\xc3\xa9 the check 2020", "\xe2\x82\xacpackage\x80cran \xf0\x9f\x98",
		// The Kelvin sign lowers to an ASCII k: "pac\u212aage" matches
		// "packag"; words half ASCII; matches late, and words that
		// only begin like one.
		"one two three four five six pac\u212aage seven package", "a b c d e f g h PACKAGE\u00e9 i j", "x y z w v u t packag\u212a",
		"one two three four five six seven \u00e9 eight nine ten eleven package twelve", "p pa pac pack packa package-x xpackage packaging"}
	for i := 0; i+3000 <= len(raw) && len(texts) < 400; i += 2713 {
		texts = append(texts, strings.ToValidUTF8(raw[i:i+3000], "?"))
	}
	stemSets := [][]string{{"packag"}, {"error"}, {"vignett", "cran"}, {"über"}, {"stra"}, {"r"}, {"zzzz"}, {"ı"}, {"the", "check"},
		{"pack", "seven"}, {"eleven", "e"}, {"k"}}
	n := 0
	for _, text := range texts {
		for _, stems := range stemSets {
			got, ok := cut(text, stems)
			want, wantOK := cutAll(text, stems)
			if got != want || ok != wantOK {
				t.Fatalf("cut(%.60q…, %q) = %q, %v; cutAll gives %q, %v", text, stems, got, ok, want, wantOK)
			}
			if ok {
				n++
			}
		}
	}
	if n < 300 {
		t.Fatalf("only %d of the texts had a match; the test needs real snippets", n)
	}
}

// squash, the reference for writeSquashed, turns each run of white space in sep into one space.
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

// FuzzCutAsCutAll: for any text and stems, cut's snippet is the one the
// whole text split into words gives. Seeded from real mail; stems are
// the words of a query, lowered.
func FuzzCutAsCutAll(f *testing.F) {
	raw := string(corpustest.ReadFile(f, "lists/r-devel-2019.mbox"))
	for i := 0; i+2000 <= len(raw) && i < 40*7919; i += 7919 {
		f.Add(raw[i:i+2000], "package error")
	}
	f.Add("a b c d e f pac\u212aage", "packag")
	f.Add("caf\xe9 error\xff\xfepackage", "error vignett")
	f.Fuzz(func(t *testing.T, text, query string) {
		var stems []string
		for _, w := range strings.Fields(strings.ToLower(query)) {
			if len(w) <= 20 {
				stems = append(stems, w)
			}
		}
		if len(stems) == 0 {
			return
		}
		got, ok := cut(text, stems)
		want, wantOK := cutAll(text, stems)
		if got != want || ok != wantOK {
			t.Fatalf("cut(%q, %q) = %q, %v; cutAll gives %q, %v", text, stems, got, ok, want, wantOK)
		}
	})
}

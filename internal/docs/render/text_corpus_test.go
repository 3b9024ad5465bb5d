package render_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"

	"hum/internal/corpustest"
	"hum/internal/docs/draft"
	"hum/internal/docs/render"
	"hum/internal/docs/rfcindex"
)

// xml2rfcPairs are the corpus drafts whose text xml2rfc rendered from the
// XML beside it (drafts/README.md), with the share of the text's lines
// the renderer reproduces today: a layout change that loses lines fails.
var xml2rfcPairs = []struct {
	xml, txt string
	min      float64
}{
	// Its Internet-Drafts references are bibxml entries hum cannot
	// fetch: they show as far as hum's records know them.
	{"xml/draft-ietf-idr-rt-derived-community-00.xml", "txt/draft-ietf-idr-rt-derived-community-00.txt", 0.92},
	{"xml/draft-template.xml", "txt/draft-template.txt", 0.91},
	{"xml/draft-miek-test.v2.xml", "txt/draft-miek-test.txt", 0.97},
	// The v3 conversion gained a references section since the text
	// was made.
	{"xml/draft-miek-test.v3.xml", "txt/draft-miek-test.txt", 0.93},
}

// indexResolver resolves RFCs from the corpus's rfc-index.txt, as hum
// resolves them from its records once the index is imported.
type indexResolver map[string]rfcindex.Entry

func (r indexResolver) Resolve(doc string) (draft.Resolved, bool) {
	e, ok := r[doc]
	if !ok {
		return draft.Resolved{}, false
	}
	x := draft.Resolved{Title: e.Title, Authors: e.Authors, Date: time.Date(e.Year, e.Month, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")}
	for _, s := range e.Also {
		if s.Name == "BCP" || s.Name == "STD" {
			x.Series = append(x.Series, s.Name+" "+strconv.Itoa(s.Number))
		}
	}
	return x, true
}

func loadIndex(t *testing.T) indexResolver {
	t.Helper()
	f, err := os.Open(corpustest.Path(t, "rfc/rfc-index.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	es, err := rfcindex.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	r := indexResolver{}
	for _, e := range es {
		r["rfc"+strconv.Itoa(e.Number)] = e
	}
	return r
}

// renderCorpus renders a corpus XML as a posted draft is: references
// resolved at submission, the document's date standing in for today.
func renderCorpus(t *testing.T, res draft.Resolver, rel string) []byte {
	t.Helper()
	src, err := os.ReadFile(corpustest.Path(t, "drafts/"+rel))
	if err != nil {
		t.Fatal(err)
	}
	d, err := draft.Parse(filepath.Base(rel), bytes.NewReader(src), draft.Options{Resolver: res})
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	date := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if d.Date.Year > 0 {
		date = time.Date(d.Date.Year, time.Month(max(d.Date.Month, 1)), max(d.Date.Day, 1), 0, 0, 0, 0, time.UTC)
	}
	out, err := render.Text(src, d.References, render.TextOptions{Date: date})
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if dir := os.Getenv("HUM_TEXT_DUMP"); dir != "" {
		os.WriteFile(filepath.Join(dir, strings.ReplaceAll(rel, "/", "_")+".txt"), out, 0o644)
	}
	return out
}

// sameLines is the share of the non-blank lines of want (trailing spaces
// dropped, indentation kept) that got appears in in the same order: the
// lines a line diff of the two leaves alone, over the longer of the two.
func sameLines(got, want string) float64 {
	norm := func(s string) string {
		var b strings.Builder
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimRight(l, " \t\r"); l != "" {
				b.WriteString(l + "\n")
			}
		}
		return b.String()
	}
	a, b := norm(got), norm(want)
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	same := 0
	for _, d := range diffs {
		if d.Type == diffmatchpatch.DiffEqual {
			same += strings.Count(d.Text, "\n")
		}
	}
	n := max(strings.Count(a, "\n"), strings.Count(b, "\n"))
	if n == 0 {
		return 1
	}
	return float64(same) / float64(n)
}

// TestTextMatchesXML2RFC renders each corpus draft xml2rfc rendered and
// measures how many of xml2rfc's lines come out the same.
func TestTextMatchesXML2RFC(t *testing.T) {
	res := loadIndex(t)
	for _, p := range xml2rfcPairs {
		t.Run(filepath.Base(p.xml), func(t *testing.T) {
			got := renderCorpus(t, res, p.xml)
			want, err := os.ReadFile(corpustest.Path(t, "drafts/"+p.txt))
			if err != nil {
				t.Fatal(err)
			}
			score := sameLines(string(got), string(want))
			t.Logf("%s: %.1f%% of xml2rfc's non-blank lines reproduced", p.xml, 100*score)
			if score < p.min {
				t.Errorf("%s: %.3f of the lines match xml2rfc's, below %.3f", p.xml, score, p.min)
			}
		})
	}
}

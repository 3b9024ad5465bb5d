package rfcindex

import (
	"bufio"
	"encoding/xml"
	"errors"
	"hum/internal/corpustest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func corpusFile(t testing.TB, rel string) string {
	t.Helper()
	return corpustest.Path(t, rel)
}

func readIndex(t testing.TB) []Entry {
	t.Helper()
	f, err := os.Open(corpusFile(t, "rfc/rfc-index.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	es, err := ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// countStartLines counts entries independently of the parser: lines that
// begin with a number in column 0.
func countStartLines(t *testing.T) (all, notIssued int) {
	f, err := os.Open(corpusFile(t, "rfc/rfc-index.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start := regexp.MustCompile(`^[0-9]+ `)
	ni := regexp.MustCompile(`^[0-9]+ Not Issued\.$`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if start.MatchString(sc.Text()) {
			all++
		}
		if ni.MatchString(sc.Text()) {
			notIssued++
		}
	}
	return all, notIssued
}

// TestCount checks the parser saw every entry: the real index (CREATED ON
// 08/21/2026) has 10,018 entries, 188 of them "Not Issued", numbered 1 to
// 10036 in increasing order.
func TestCount(t *testing.T) {
	es := readIndex(t)
	all, notIssued := countStartLines(t)
	gotNI := 0
	for i, e := range es {
		if e.NotIssued {
			gotNI++
		}
		if i > 0 && e.Number <= es[i-1].Number {
			t.Errorf("entry %d follows %d: numbers must increase", e.Number, es[i-1].Number)
		}
	}
	if len(es) != 10018 || all != 10018 {
		t.Errorf("parsed %d entries, %d entry-start lines; want 10018", len(es), all)
	}
	if gotNI != 188 || notIssued != 188 {
		t.Errorf("parsed %d Not Issued, counted %d; want 188", gotNI, notIssued)
	}
	if es[0].Number != 1 || es[len(es)-1].Number != 10036 {
		t.Errorf("first %d last %d, want 1 and 10036", es[0].Number, es[len(es)-1].Number)
	}
}

func TestEntries(t *testing.T) {
	byNum := map[int]Entry{}
	for _, e := range readIndex(t) {
		byNum[e.Number] = e
	}
	for _, want := range []Entry{
		{Number: 14, NotIssued: true},
		{
			Number: 1, Title: "Host Software", Authors: []string{"S. Crocker"}, Year: 1969, Month: time.April,
			Formats: []string{"TXT", "HTML"}, Status: "UNKNOWN", DOI: "10.17487/RFC1",
		},
		{
			Number: 1149, Title: "Standard for the transmission of IP datagrams on avian carriers", Authors: []string{"D. Waitzman"},
			Year: 1990, Month: time.April, Day: 1, Formats: []string{"TXT", "HTML"}, UpdatedBy: []int{2549, 6214},
			Status: "EXPERIMENTAL", DOI: "10.17487/RFC1149",
		},
		{
			Number: 8717, Title: "IETF Administrative Support Activity 2.0: Consolidated Updates to IETF Administrative Terminology",
			Authors: []string{"J. Klensin, Ed."}, Year: 2020, Month: time.February, Formats: []string{"HTML", "TXT", "PDF", "XML"},
			Updates: []int{2028, 2418, 3005, 3710, 3929, 4633, 6702}, Also: []Series{{"BCP", 101}},
			Status: "BEST CURRENT PRACTICE", DOI: "10.17487/RFC8717",
		},
		{
			Number: 3245, Title: "The History and Context of Telephone Number Mapping (ENUM) Operational Decisions: Informational Documents Contributed to ITU-T Study Group 2 (SG2)",
			Authors: []string{"J. Klensin, Ed.", "IAB"}, Year: 2002, Month: time.March, Formats: []string{"TXT", "HTML"},
			Status: "INFORMATIONAL", DOI: "10.17487/RFC3245",
		},
	} {
		if diff := cmp.Diff(want, byNum[want.Number]); diff != "" {
			t.Errorf("RFC %d (-want +got):\n%s", want.Number, diff)
		}
	}
}

// rfcXML is the part of a published RFC's XML this test compares.
type rfcXML struct {
	Number    string `xml:"number,attr"`
	Obsoletes string `xml:"obsoletes,attr"`
	Updates   string `xml:"updates,attr"`
	Title     string `xml:"front>title"`
}

// TestAgainstRFCXML checks the index against the seven published RFCs in
// corpus/rfc/docs: same title, same obsoletes and updates.
func TestAgainstRFCXML(t *testing.T) {
	byNum := map[int]Entry{}
	for _, e := range readIndex(t) {
		byNum[e.Number] = e
	}
	for _, n := range []int{8717, 8720, 8736, 8937, 9282, 9401, 9720} {
		raw, err := os.ReadFile(corpusFile(t, "rfc/docs/rfc"+strconv.Itoa(n)+".xml"))
		if err != nil {
			t.Fatal(err)
		}
		var x rfcXML
		if err := xml.Unmarshal(raw, &x); err != nil {
			t.Fatalf("rfc%d.xml: %v", n, err)
		}
		e := byNum[n]
		want := []any{x.Number, strings.Join(strings.Fields(x.Title), " "), numbers(x.Obsoletes), numbers(x.Updates)}
		got := []any{strconv.Itoa(e.Number), e.Title, e.Obsoletes, e.Updates}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("RFC %d: index differs from its XML (-xml +index):\n%s", n, diff)
		}
	}
}

func numbers(s string) []int {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out
}

// TestRelationsConsistent: in the real index every relation has its
// inverse on the other entry (checked independently with a script too),
// so any finding is a parser bug.
func TestRelationsConsistent(t *testing.T) {
	es := readIndex(t)
	if bad := Inconsistencies(es); len(bad) != 0 {
		t.Errorf("%d inconsistent relations, first: %+v", len(bad), bad[0])
	}
	counts := map[string]int{}
	for _, e := range es {
		counts["obsoletes"] += len(e.Obsoletes)
		counts["obsoleted by"] += len(e.ObsoletedBy)
		counts["updates"] += len(e.Updates)
		counts["updated by"] += len(e.UpdatedBy)
	}
	if counts["obsoletes"] != counts["obsoleted by"] || counts["updates"] != counts["updated by"] || counts["updates"] == 0 {
		t.Errorf("relation counts do not pair up: %v", counts)
	}
}

func TestInconsistenciesFound(t *testing.T) {
	es := []Entry{
		{Number: 1, ObsoletedBy: []int{2}},
		{Number: 2},
		{Number: 3, Updates: []int{1, 99}},
	}
	want := []Inconsistency{
		{From: 1, Relation: "obsoleted by", To: 2, Missing: "obsoletes"},
		{From: 3, Relation: "updates", To: 1, Missing: "updated by"},
		{From: 3, Relation: "updates", To: 99, Missing: "updated by"},
	}
	if diff := cmp.Diff(want, Inconsistencies(es)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMalformed(t *testing.T) {
	in := "1 Host Software. S. Crocker. April 1969. (Status: UNKNOWN)\n\n2 No date here at all.\n"
	s := NewScanner(strings.NewReader(in))
	n := 0
	for s.Scan() {
		n++
	}
	var e *Error
	if n != 1 || ErrorCode(s.Err()) != CodeMalformed {
		t.Fatalf("scanned %d, err %v; want 1 entry then %s", n, s.Err(), CodeMalformed)
	}
	if errors.As(s.Err(), &e); e.Line != 3 {
		t.Errorf("error line %d, want 3", e.Line)
	}
}

func BenchmarkReadAll(b *testing.B) {
	data, err := os.ReadFile(corpusFile(b, "rfc/rfc-index.txt"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadAll(strings.NewReader(string(data))); err != nil {
			b.Fatal(err)
		}
	}
}

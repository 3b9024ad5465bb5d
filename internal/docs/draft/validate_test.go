package draft

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		name string
		want Code
	}{
		{"draft-ietf-idr-rt-derived-community", ""},
		{"draft-smoke-signals", ""},
		{"", CodeNameMissing},
		{"draft-foo", CodeNameParts},
		{"draft-Foo-bar", CodeNameFormat},
		{"draft-foo_bar-baz", CodeNameFormat},
		{"draft-1foo-bar", CodeNameFormat},
		{"rfc-foo-bar", CodeNameFormat},
		{"draft-foo--bar", CodeNameDashes},
		{"draft-ab-" + strings.Repeat("x", 41), ""},              // 50 characters
		{"draft-ab-" + strings.Repeat("x", 42), CodeNameTooLong}, // 51
	} {
		if got := ErrorCode(CheckName(tc.name)); got != tc.want {
			t.Errorf("CheckName(%q) (len %d) = %q, want %q", tc.name, len(tc.name), got, tc.want)
		}
	}
}

func TestCheckRevision(t *testing.T) {
	for _, tc := range []struct {
		prev             string
		exists, replaced bool
		rev              string
		want             Code
	}{
		{"", false, false, "00", ""},
		{"", false, false, "01", CodeRevNotFirst},
		{"00", true, false, "01", ""},
		{"09", true, false, "10", ""},
		{"03", true, false, "03", CodeRevReused},
		{"03", true, false, "02", CodeRevReused},
		{"03", true, false, "05", CodeRevNotNext},
		{"03", true, true, "04", CodeReplaced},
		{"03", true, false, "4", CodeRevFormat},
		{"03", true, false, "xx", CodeRevFormat},
	} {
		if got := ErrorCode(CheckRevision(tc.prev, tc.exists, tc.replaced, tc.rev)); got != tc.want {
			t.Errorf("CheckRevision(%q, %v, %v, %q) = %q, want %q", tc.prev, tc.exists, tc.replaced, tc.rev, got, tc.want)
		}
	}
}

func TestGroup(t *testing.T) {
	known := func(a string) bool { return a == "idr" || a == "cfrg" }
	for _, tc := range []struct {
		name  string
		group Group
		err   Code
	}{
		{"draft-ietf-idr-rt-derived-community", Group{GroupWG, "idr"}, ""},
		{"draft-irtf-cfrg-randomness-improvements", Group{GroupRG, "cfrg"}, ""},
		{"draft-ietf-nosuchwg-thing", Group{GroupWG, "nosuchwg"}, CodeGroupUnknown},
		{"draft-irtf-nosuchrg-thing", Group{GroupRG, "nosuchrg"}, CodeGroupUnknown},
		{"draft-jones-cose-rsa", Group{Kind: GroupIndividual}, ""},
		{"draft-iab-xml2rfc", Group{Kind: GroupIndividual}, ""},
		{"draft-ietf-idr", Group{Kind: GroupIndividual}, ""}, // too few parts to name a group
	} {
		if diff := cmp.Diff(tc.group, GroupOf(tc.name)); diff != "" {
			t.Errorf("GroupOf(%q) (-want +got):\n%s", tc.name, diff)
		}
		if got := ErrorCode(CheckGroup(tc.name, known)); got != tc.err {
			t.Errorf("CheckGroup(%q) = %q, want %q", tc.name, got, tc.err)
		}
	}
}

func day(y int, m time.Month, d int) Date { return Date{y, m, d} }

func TestCheckDate(t *testing.T) {
	today := day(2023, time.March, 7)
	for _, tc := range []struct {
		date Date
		want Code
	}{
		{day(2023, time.March, 7), ""},
		{day(2023, time.March, 4), ""},
		{day(2023, time.March, 10), ""},
		{day(2023, time.March, 3), CodeDateRange},
		{day(2023, time.March, 11), CodeDateRange},
		{Date{Year: 2023, Month: time.March}, ""}, // month only: today
		{Date{Year: 2023}, ""},                    // year only: today
		{Date{Year: 2022, Month: time.March}, CodeDateRange},
		{Date{}, CodeDateMissing},
	} {
		if got := ErrorCode(CheckDate(tc.date, today)); got != tc.want {
			t.Errorf("CheckDate(%v) = %q, want %q", tc.date, got, tc.want)
		}
	}
}

// TestValidateCorpus runs every real draft through Validate with "today"
// set to the document's own date, so the rules that fire are the ones the
// file really breaks.
func TestValidateCorpus(t *testing.T) {
	for _, tc := range []struct {
		file  string
		today Date
		want  []Code
	}{
		{"txt/draft-ietf-idr-rt-derived-community-00.txt", day(2023, time.March, 7), nil},
		{"txt/draft-ietf-idr-rt-derived-community-00.txt", day(2023, time.March, 11), []Code{CodeDateRange}},
		{"txt/draft-beep-boop.txt", day(2023, time.March, 7), []Code{CodeNameMismatch}},
		{"txt/draft-ietf-mip4-multiple-tunnel-support-07.txt", day(2013, time.December, 23), nil},
		{"txt/draft-jones-cose-rsa-03.txt", day(2017, time.May, 18), nil},
		{"txt/draft-iab-xml2rfc-02.txt", day(2016, time.January, 13), nil},
		{"txt/draft-miek-test.txt", day(2013, time.January, 1), []Code{CodeNameMismatch}},
		{"txt/draft-smoke-signals-00.txt", day(2021, time.June, 19), nil},
		{"txt/draft-smoke-signals-01.txt", day(2021, time.November, 1), nil},
		{"txt/draft-template.txt", day(2009, time.March, 1), []Code{CodeNameMismatch}},
		// An RFC is not a draft: its name is refused.
		{"txt/rfc7911.txt", day(2016, time.July, 1), []Code{CodeNameFormat, CodeRevFormat}},
		{"xml/draft-ietf-idr-rt-derived-community-00.xml", day(2023, time.March, 7), nil},
		{"xml/draft-ietf-ippm-ioam-ipv6-options-10.xml", day(2023, time.February, 28), nil},
		{"xml/draft-flanagan-nonascii-05.xml", day(2015, time.August, 19), nil},
		// <date year="2016"/>: a year-only date in the current year means today.
		{"xml/draft-ietf-curdle-pkix-01.v2.xml", day(2016, time.May, 5), []Code{CodeNameMismatch}},
		// Empty <date/> means today.
		{"xml/draft-schaad-curdle-oid-registry-00.v2.xml", day(2016, time.May, 5), []Code{CodeNameMismatch}},
		{"xml/draft-miek-test.v3.xml", day(2013, time.January, 1), []Code{CodeNameMismatch}},
		{"xml/draft-template.xml", day(2009, time.March, 1), []Code{CodeNameMismatch}},
		{"xml/draft-v3-features.xml", day(2017, time.April, 15), []Code{CodeRevFormat, CodeEmailMissing, CodeEmailMissing, CodeEmailMissing}},
		{"xml/draft-rfcxml-general-template-standard-00.xml", day(2023, time.June, 1), []Code{CodeEmailMissing}},
		// No <date> at all: today is assumed.
		{"xml/draft-smoke-signals-00.xml", day(2024, time.January, 2), nil},
		{"xml/draft-smoke-signals-00.v2.xml", day(2021, time.June, 30), []Code{CodeNameMismatch, CodeDateRange}},
		{"xml/draft-smoke-signals-00.invalid.xml", day(2021, time.June, 19), []Code{CodeNameMissing}},
		{"xml/rfc7911.v2.xml", day(2016, time.July, 1), []Code{CodeRevFormat, CodeNameMismatch}},
		{"xml/rfc9720.notprepped.xml", day(2025, time.January, 1), []Code{CodeNameMismatch}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			d, err := parseFile(t, "drafts/"+tc.file, Options{Today: tc.today})
			if err != nil {
				t.Fatal(err)
			}
			err = d.Validate(Check{FileName: tc.file, Today: tc.today})
			if diff := cmp.Diff(tc.want, Codes(err)); diff != "" {
				t.Errorf("Validate codes (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestValidateMessagesNameTheRule(t *testing.T) {
	d, err := parseFile(t, "drafts/txt/draft-beep-boop.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps := Problems(d.Validate(Check{FileName: "draft-beep-boop.txt"}))
	if len(ps) != 1 {
		t.Fatalf("got %d problems, want 1: %v", len(ps), ps)
	}
	want := `draft.CheckFileName("draft-beep-boop.txt"): the file is named "draft-beep-boop" but the document says it is "draft-ietf-idr-rt-derived-community-00"; rename the file or fix the name inside [name-mismatch]`
	if got := ps[0].Error(); got != want {
		t.Errorf("message:\n got %s\nwant %s", got, want)
	}
}

func cmpDiff(a, b any) string { return cmp.Diff(a, b) }

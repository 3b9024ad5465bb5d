package main

import (
	"bytes"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestShiftDateMovesOnlyTheDateField(t *testing.T) {
	for _, tc := range []struct{ name, raw, want string }{
		{"LF", "From: a@example.org\nDate: Fri, 22 May 2015 06:38:22 -0500\nSubject: x\n\nDate: in the body\n",
			"From: a@example.org\nDate: Fri, 22 May 2037 06:38:22 -0500\nSubject: x\n\nDate: in the body\n"},
		{"CRLF and folded", "DATE: Fri,\r\n 22 May 2015\r\n\t06:38:22 +0000\r\nSubject: x\r\n\r\nbody\r\n",
			"Date: Fri, 22 May 2037 06:38:22 +0000\r\nSubject: x\r\n\r\nbody\r\n"},
		{"no Date field", "Subject: x\n\nDate: Fri, 22 May 2015 06:38:22 -0500\n",
			"Subject: x\n\nDate: Fri, 22 May 2015 06:38:22 -0500\n"},
		{"a date that does not parse", "Date: someday\nSubject: x\n\nbody\n",
			"Date: someday\nSubject: x\n\nbody\n"},
		{"no end of line", "Date: Fri, 22 May 2015 06:38:22 -0500", "Date: Fri, 22 May 2015 06:38:22 -0500"},
	} {
		if got := string(shiftDate([]byte(tc.raw), 22)); got != tc.want {
			t.Errorf("%s: shiftDate\n%q\nwant\n%q", tc.name, got, tc.want)
		}
	}
}

func TestGeneratedCopiesFollowOneAnother(t *testing.T) {
	raws := [][]byte{
		[]byte("Message-ID: <a@example.org>\nDate: Mon, 1 Jun 2015 10:00:00 +0000\n\nbody\n"),
		[]byte("Message-ID: <b@example.org>\nDate: Wed, 1 Jul 2026 10:00:00 +0000\n\nbody\n"),
	}
	for _, same := range []bool{false, true} {
		sameDates = same
		var out bytes.Buffer
		if err := generated(&out, raws, 0, 6); err != nil {
			t.Fatal(err)
		}
		sameDates = false
		var years []int
		for _, line := range strings.Split(out.String(), "\n") {
			if v, ok := strings.CutPrefix(line, "Date: "); ok {
				d, err := mail.ParseDate(v)
				if err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				years = append(years, d.Year())
			}
		}
		want := []int{2015, 2026, 2027, 2038, 2039, 2050}
		if same {
			want = []int{2015, 2026, 2015, 2026, 2015, 2026}
		}
		if len(years) != len(want) {
			t.Fatalf("same dates %v: years %v, want %v", same, years, want)
		}
		for i := range want {
			if years[i] != want[i] {
				t.Errorf("same dates %v: years %v, want %v", same, years, want)
				break
			}
		}
	}
}

// The latencies stay in the order of the searches that took them: the
// breakdown by query reads them by index after the percentiles.
func TestPercentilesLeaveTheLatenciesInOrder(t *testing.T) {
	ms := time.Millisecond
	lat := []time.Duration{5 * ms, 1 * ms, 4 * ms, 2 * ms, 3 * ms}
	p50, p99 := percentiles(lat)
	if p50 != 3*ms || p99 != 5*ms {
		t.Errorf("p50, p99 = %v, %v; want 3ms, 5ms", p50, p99)
	}
	if !slices.Equal(lat, []time.Duration{5 * ms, 1 * ms, 4 * ms, 2 * ms, 3 * ms}) {
		t.Errorf("percentiles reordered the latencies: %v", lat)
	}
}

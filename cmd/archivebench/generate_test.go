package main

import (
	"bytes"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"hum/internal/archive/message"
	"hum/internal/corpustest"
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

func TestRenameIDsRenamesOnlyTheMessageIDs(t *testing.T) {
	raw := "From: A <a@example.org>\r\nMessage-Id: <m1@example.org>\r\nIN-REPLY-TO: <p@example.org>\r\n" +
		"References: <r1@example.org>\r\n\t<p@example.org>\r\nSubject: a -> b\r\n\r\n" +
		"> quoted\r\nMessage-ID: <in@body>\r\n"
	want := "From: A <a@example.org>\r\nMessage-Id: <m1@example.org-g3>\r\nIN-REPLY-TO: <p@example.org-g3>\r\n" +
		"References: <r1@example.org-g3>\r\n\t<p@example.org-g3>\r\nSubject: a -> b\r\n\r\n" +
		"> quoted\r\nMessage-ID: <in@body>\r\n"
	if got := string(renameIDs([]byte(raw), "-g3")); got != want {
		t.Errorf("renameIDs\n%q\nwant\n%q", got, want)
	}
	if got := string(renameIDs([]byte("Message-ID: <x@y>"), "-g1")); got != "Message-ID: <x@y-g1>" {
		t.Errorf("no end of line: %q", got)
	}
}

// TestGeneratedCopiesHaveTheOriginalsText: a generated copy of a real
// message is the same message under other Message-IDs, so that an
// archive of copies indexes as much text a message as the originals.
func TestGeneratedCopiesHaveTheOriginalsText(t *testing.T) {
	raws, err := sourceMessages(corpustest.Path(t, "lists/r-package-devel-2015q2-2026q3.mbox.gz"))
	if err != nil {
		t.Fatal(err)
	}
	quoted := 0
	for _, raw := range raws[:min(len(raws), 500)] {
		o, c := message.Parse(raw), message.Parse(renameIDs(raw, "-g1"))
		if strings.Contains(o.Body.Text, "\n>") {
			quoted++
		}
		if c.Body.Text != o.Body.Text || c.Subject != o.Subject || c.From != o.From {
			t.Fatalf("the copy of %s is another text:\n%.300q\nagainst\n%.300q", o.MessageID, c.Body.Text, o.Body.Text)
		}
		if !o.IDGenerated && c.MessageID != o.MessageID+"-g1" {
			t.Errorf("copy of %s has Message-ID %s", o.MessageID, c.MessageID)
		}
		if o.InReplyTo != "" && c.InReplyTo != o.InReplyTo+"-g1" {
			t.Errorf("copy of %s replies to %s, not %s-g1", o.MessageID, c.InReplyTo, o.InReplyTo)
		}
		if len(c.References) != len(o.References) {
			t.Fatalf("copy of %s has references %q against %q", o.MessageID, c.References, o.References)
		}
		for i := range o.References {
			if c.References[i] != o.References[i]+"-g1" {
				t.Errorf("copy of %s refers to %s, not %s-g1", o.MessageID, c.References[i], o.References[i])
			}
		}
	}
	if quoted < 100 {
		t.Fatalf("only %d of the messages quote; the test needs quotes", quoted)
	}
}

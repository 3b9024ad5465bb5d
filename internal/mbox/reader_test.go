package mbox

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readAll returns every message, the envelopes, and the first error other
// than io.EOF.
func readAll(t *testing.T, r *Reader) (msgs []string, envs []string, err error) {
	t.Helper()
	for {
		m, err := r.Next()
		if err == io.EOF {
			return msgs, envs, nil
		}
		if err != nil {
			return msgs, envs, err
		}
		msgs = append(msgs, string(m))
		envs = append(envs, r.Envelope())
	}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		format Format
		want   []string
		envs   []string
	}{
		{
			name:   "mboxo two messages",
			in:     "From a@example.com Thu Jan  1 00:00:00 2015\nSubject: one\n\nbody 1\n\nFrom b@example.com Fri Jan  2 10:00:00 2015\nSubject: two\n\nbody 2\n",
			format: FormatMbox,
			want:   []string{"Subject: one\n\nbody 1\n", "Subject: two\n\nbody 2\n"},
			envs:   []string{"a@example.com Thu Jan  1 00:00:00 2015", "b@example.com Fri Jan  2 10:00:00 2015"},
		},
		{
			name:   "mboxrd unescapes one level",
			in:     "From a Thu Jan  1 00:00:00 2015\nS: x\n\n>From here\n>>From there\n> From not escaped\n",
			format: FormatMbox,
			want:   []string{"S: x\n\nFrom here\n>From there\n> From not escaped\n"},
			envs:   []string{"a Thu Jan  1 00:00:00 2015"},
		},
		{
			name:   "pipermail prose From line is not a separator",
			in:     "From jdoe at example.com  Tue Jan  1 04:49:41 2008\nSubject: x\n\nFrom the wiki page we\nsee this.\n\nFrom jdoe at example.com  Tue Jan  1 05:49:41 2008\nSubject: y\n\nok\n",
			format: FormatMbox,
			want:   []string{"Subject: x\n\nFrom the wiki page we\nsee this.\n", "Subject: y\n\nok\n"},
			envs:   []string{"jdoe at example.com  Tue Jan  1 04:49:41 2008", "jdoe at example.com  Tue Jan  1 05:49:41 2008"},
		},
		{
			name:   "netscape From - and unmunged prose",
			in:     "\xef\xbb\xbfFrom -\nSubject: a\n\nFrom Russia with love\nYear: 1963\n\nFrom -\nSubject: b\n\nx\n",
			format: FormatMbox,
			want:   []string{"Subject: a\n\nFrom Russia with love\nYear: 1963\n", "Subject: b\n\nx\n"},
			envs:   []string{"-", "-"},
		},
		{
			name:   "CRLF line endings are kept",
			in:     "From a@b Mon Feb  3 01:02:03 2020\r\nSubject: a\r\n\r\nx\r\n\r\nFrom a@b Mon Feb  3 01:02:04 2020\r\nSubject: b\r\n\r\ny\r\n",
			format: FormatMbox,
			want:   []string{"Subject: a\r\n\r\nx\r\n", "Subject: b\r\n\r\ny\r\n"},
			envs:   []string{"a@b Mon Feb  3 01:02:03 2020", "a@b Mon Feb  3 01:02:04 2020"},
		},
		{
			name:   "mboxcl2 Content-Length spans an unescaped From line",
			in:     "From a@b Mon Feb  3 01:02:03 2020\nContent-Length: 50\n\nline\nFrom c@d Mon Feb  3 01:02:03 2020\nstill body\n\nFrom e@f Mon Feb  3 01:02:03 2020\nS: 2\n\nz\n",
			format: FormatMbox,
			want:   []string{"Content-Length: 50\n\nline\nFrom c@d Mon Feb  3 01:02:03 2020\nstill body\n", "S: 2\n\nz\n"},
			envs:   []string{"a@b Mon Feb  3 01:02:03 2020", "e@f Mon Feb  3 01:02:03 2020"},
		},
		{
			name:   "wrong Content-Length is ignored",
			in:     "From a@b Mon Feb  3 01:02:03 2020\nContent-Length: 3\n\nline one\n\nFrom e@f Mon Feb  3 01:02:03 2020\nS: 2\n\nz",
			format: FormatMbox,
			want:   []string{"Content-Length: 3\n\nline one\n", "S: 2\n\nz\n"},
			envs:   []string{"a@b Mon Feb  3 01:02:03 2020", "e@f Mon Feb  3 01:02:03 2020"},
		},
		{
			name:   "MMDF",
			in:     "\x01\x01\x01\x01\nSubject: a\n\nx\n\x01\x01\x01\x01\n\n\x01\x01\x01\x01\nSubject: b\n\nFrom y\n\x01\x01\x01\x01\n",
			format: FormatMMDF,
			want:   []string{"Subject: a\n\nx\n", "Subject: b\n\nFrom y\n"},
			envs:   []string{"", ""},
		},
		{
			name:   "bare file splits on a later From_ line",
			in:     "\nReturn-Path: <a@b>\nSubject: a\n\nx\n\nFrom a@b Mon Feb  3 01:02:03 2020\nSubject: b\n\ny\n",
			format: FormatBare,
			want:   []string{"Return-Path: <a@b>\nSubject: a\n\nx\n", "Subject: b\n\ny\n"},
			envs:   []string{"", "a@b Mon Feb  3 01:02:03 2020"},
		},
		{
			name: "year-separated file",
			in: "\n2005\nMessage-Id: <a@x>\nSubject: a\n\nx\n\n\n2005\r\nMessage-Id: <b@x>\n\n" +
				"y\n2005\nNote: no blank line before the year\n\n2005\nnot a header: the line after the year\n" +
				"\n2006\n\nFrom a@b Mon Feb  3 01:02:03 2020\nSubject: c\n\nz\n",
			format: FormatYear,
			want: []string{
				"Message-Id: <a@x>\nSubject: a\n\nx\n\n",
				"Message-Id: <b@x>\n\ny\n2005\nNote: no blank line before the year\n\n2005\nnot a header: the line after the year\n\n2006\n",
				"Subject: c\n\nz\n",
			},
			envs: []string{"", "", "a@b Mon Feb  3 01:02:03 2020"},
		},
		{
			name: "header-separated file: a repeat of the first field name after a body",
			in: "\nX-Envelope-From: a@x\nMessage-ID: <1@x>\n\none\n\nX-Envelope-From: b@x\n" +
				"Received: from x\n\tby y\nmessage-id: <2@x>\n\ntwo\n\n\nx-envelope-from: c@x\nMessage-ID: <3@x>\n\nthree\n",
			format: FormatBare,
			want: []string{
				"X-Envelope-From: a@x\nMessage-ID: <1@x>\n\none\n",
				"X-Envelope-From: b@x\nReceived: from x\n\tby y\nmessage-id: <2@x>\n\ntwo\n\n",
				"x-envelope-from: c@x\nMessage-ID: <3@x>\n\nthree\n",
			},
			envs: []string{"", "", ""},
		},
		{
			name:   "header-separated file with CRLF and a folded first field",
			in:     "Received: from a\r\n\tby b\r\nSubject: 1\r\n\r\nx\r\n\r\nReceived: from c\r\n\tby d\r\nSubject: 2\r\n\r\ny\r\n",
			format: FormatBare,
			want:   []string{"Received: from a\r\n\tby b\r\nSubject: 1\r\n\r\nx\r\n", "Received: from c\r\n\tby d\r\nSubject: 2\r\n\r\ny\r\n"},
			envs:   []string{"", ""},
		},
		{
			// mailbox_from: messages start with From:, To: or Date:.
			name: "header-separated file: a block with From: and Date: starts a message whatever its first field",
			in: "From: a@x\nTo: l@x\nSubject: 1\nDate: Mon, 1 Jul 2002 10:00:00 +0000\n\none\n\n" +
				"To: l@x\nSubject: 2\nX-Emacs: 19.34\nFrom: b@x\nDate: Mon, 1 Jul 2002 11:00:00 +0000\n\ntwo\n\n" +
				"Date: Mon, 1 Jul 2002 12:00:00 +0000\nFrom: c@x\nMessage-ID: <3@x>\n\nthree\n",
			format: FormatBare,
			want: []string{
				"From: a@x\nTo: l@x\nSubject: 1\nDate: Mon, 1 Jul 2002 10:00:00 +0000\n\none\n",
				"To: l@x\nSubject: 2\nX-Emacs: 19.34\nFrom: b@x\nDate: Mon, 1 Jul 2002 11:00:00 +0000\n\ntwo\n",
				"Date: Mon, 1 Jul 2002 12:00:00 +0000\nFrom: c@x\nMessage-ID: <3@x>\n\nthree\n",
			},
			envs: []string{"", "", ""},
		},
		{
			// The limit of that rule: a forward pasted after body text and
			// a blank line cannot be told from the next message.
			name: "a forwarded block with From: and Date: after body text is split",
			in: "From: a@x\nTo: b@x\nSubject: Fwd: minutes\nDate: Mon, 1 Jul 2002 10:00:00 +0000\n\nFYI, below.\n\n" +
				"Date: Fri, 28 Jun 2002 09:00:00 +0000\nFrom: c@x\nSubject: minutes\n\nThe minutes.\n",
			format: FormatBare,
			want: []string{
				"From: a@x\nTo: b@x\nSubject: Fwd: minutes\nDate: Mon, 1 Jul 2002 10:00:00 +0000\n\nFYI, below.\n",
				"Date: Fri, 28 Jun 2002 09:00:00 +0000\nFrom: c@x\nSubject: minutes\n\nThe minutes.\n",
			},
			envs: []string{"", ""},
		},
		{
			// Issue 13 item 11: a message that forwards a message that
			// forwards another, pasted after body text with no
			// introducing line, was read as three messages (and the
			// archive kept two). Its own header has a Message-ID: and
			// the forwarded blocks do not, so they are its body.
			name: "single message with a Message-ID: a forward that nests a forward stays whole",
			in: "Return-Path: <a@x>\nFrom: a@x\nTo: b@x\nMessage-ID: <outer@x>\nSubject: Fwd: Fwd: minutes\nDate: Tue, 2 Jul 2002 10:00:00 +0000\n\nFYI, below.\n\n" +
				"From: b@x\nDate: Mon, 1 Jul 2002 10:00:00 +0000\nSubject: Fwd: minutes\nTo: a@x\n\nSee the minutes.\n\n" +
				"Date: Fri, 28 Jun 2002 09:00:00 +0000\nFrom: c@x\nSubject: minutes\nTo: l@x\n\nThe minutes.\n",
			format: FormatBare,
			want: []string{"Return-Path: <a@x>\nFrom: a@x\nTo: b@x\nMessage-ID: <outer@x>\nSubject: Fwd: Fwd: minutes\nDate: Tue, 2 Jul 2002 10:00:00 +0000\n\nFYI, below.\n\n" +
				"From: b@x\nDate: Mon, 1 Jul 2002 10:00:00 +0000\nSubject: Fwd: minutes\nTo: a@x\n\nSee the minutes.\n\n" +
				"Date: Fri, 28 Jun 2002 09:00:00 +0000\nFrom: c@x\nSubject: minutes\nTo: l@x\n\nThe minutes.\n"},
			envs: []string{""},
		},
		{
			// ... while in such a file the next message, which has a
			// Message-ID: of its own, is still split off.
			name: "bare file with Message-IDs: the next message has one",
			in: "From: a@x\nMessage-ID: <1@x>\nDate: Tue, 2 Jul 2002 10:00:00 +0000\n\none\n\n" +
				"Date: Tue, 2 Jul 2002 11:00:00 +0000\nFrom: b@x\nMessage-ID: <2@x>\n\ntwo\n",
			format: FormatBare,
			want: []string{"From: a@x\nMessage-ID: <1@x>\nDate: Tue, 2 Jul 2002 10:00:00 +0000\n\none\n",
				"Date: Tue, 2 Jul 2002 11:00:00 +0000\nFrom: b@x\nMessage-ID: <2@x>\n\ntwo\n"},
			envs: []string{"", ""},
		},
		{
			name: "single message: a forwarded block under an introducing line",
			in: "From: a@x\nTo: b@x\nSubject: Fwd: minutes\nDate: Mon, 1 Jul 2002 10:00:00 +0000\n\nFYI, below.\n\n" +
				"---------- Forwarded message ----------\nDate: Fri, 28 Jun 2002 09:00:00 +0000\nFrom: c@x\nSubject: minutes\n\nThe minutes.\n",
			format: FormatBare,
			want: []string{"From: a@x\nTo: b@x\nSubject: Fwd: minutes\nDate: Mon, 1 Jul 2002 10:00:00 +0000\n\nFYI, below.\n\n" +
				"---------- Forwarded message ----------\nDate: Fri, 28 Jun 2002 09:00:00 +0000\nFrom: c@x\nSubject: minutes\n\nThe minutes.\n"},
			envs: []string{""},
		},
		{
			// mailbox_to: replies quote the header of the message they
			// answer as Outlook writes it, with Sent: for Date:.
			name: "single message: an Outlook-style quoted From: / Sent: / To: / Subject: block",
			in: "To: l@x\nSubject: RE: plan\nFrom: a@x\nDate: Tue, 2 Jul 2002 10:00:00 +0000\n\nAgreed.\n\n" +
				"-----Original Message-----\n\nFrom: b@x\nSent: Monday, July 01, 2002 9:00 AM\nTo: l@x\nSubject: plan\n\nThe plan.\n",
			format: FormatBare,
			want: []string{"To: l@x\nSubject: RE: plan\nFrom: a@x\nDate: Tue, 2 Jul 2002 10:00:00 +0000\n\nAgreed.\n\n" +
				"-----Original Message-----\n\nFrom: b@x\nSent: Monday, July 01, 2002 9:00 AM\nTo: l@x\nSubject: plan\n\nThe plan.\n"},
			envs: []string{""},
		},
		{
			// mailbox_from line 847: a message whose header follows the
			// last body line of the message before, with no blank line.
			// After the blank line, "<ftp://...>" looks like a field to
			// isHeaderField but has no plain field name.
			name: "a block with From: and Date: that follows no blank line stays in the body",
			in: "To: l@x\nFrom: a@x\nDate: Mon, 1 Jul 2002 10:00:00 +0000\nSubject: draft\n\nRetrieve it from\n\n" +
				"<ftp://host/draft.txt>\nFrom: b@x\nDate: Mon, 1 Jul 2002 11:00:00 +0000\nTo: l@x\nSubject: q\n\nquestion\n",
			format: FormatBare,
			want: []string{"To: l@x\nFrom: a@x\nDate: Mon, 1 Jul 2002 10:00:00 +0000\nSubject: draft\n\nRetrieve it from\n\n" +
				"<ftp://host/draft.txt>\nFrom: b@x\nDate: Mon, 1 Jul 2002 11:00:00 +0000\nTo: l@x\nSubject: q\n\nquestion\n"},
			envs: []string{""},
		},
		{
			name:   "single message: a Date: body line that starts no header block",
			in:     "Date: Mon, 1 Jul 2002 10:00:00 +0000\nSubject: meet\n\nHow about\n\nDate: next Tuesday\nPlace: room 2\nor later?\n",
			format: FormatBare,
			want:   []string{"Date: Mon, 1 Jul 2002 10:00:00 +0000\nSubject: meet\n\nHow about\n\nDate: next Tuesday\nPlace: room 2\nor later?\n"},
			envs:   []string{""},
		},
		{
			// The shape of mailbox_date: the first message's body starts
			// with the header block of the message it forwards.
			name:   "single message: a forwarded header block right after the header",
			in:     "Date: Fri, 26 Jul 2002 09:45:03 -0700\nFrom: a@x\nSubject: s\n\nDate: Fri, 26 Jul 2002 08:10:32 -0400\nFrom: b@x\nSubject: s\n\nbody\n",
			format: FormatBare,
			want:   []string{"Date: Fri, 26 Jul 2002 09:45:03 -0700\nFrom: a@x\nSubject: s\n\nDate: Fri, 26 Jul 2002 08:10:32 -0400\nFrom: b@x\nSubject: s\n\nbody\n"},
			envs:   []string{""},
		},
		{
			// The limit of the rule: with the same first field name, a
			// forward after some body text looks like the next message.
			name:   "a forwarded block after body text is split when it starts with the file's first field name",
			in:     "Date: Mon, 1 Jul 2002 10:00:00 +0000\nFrom: a@x\n\nFYI, below.\n\nDate: Fri, 28 Jun 2002 09:00:00 +0000\nFrom: c@x\n\nThe minutes.\n",
			format: FormatBare,
			want:   []string{"Date: Mon, 1 Jul 2002 10:00:00 +0000\nFrom: a@x\n\nFYI, below.\n", "Date: Fri, 28 Jun 2002 09:00:00 +0000\nFrom: c@x\n\nThe minutes.\n"},
			envs:   []string{"", ""},
		},
		{
			name: "single message: an attached message/rfc822 that starts with the first field name",
			in: "From: a@x\nContent-Type: multipart/mixed;\n boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nsee attached\n\n" +
				"--b1\nContent-Type: message/rfc822\n\nFrom: c@x\nSubject: inner\n\ninner body\n\n--b1--\n\n" +
				"From: d@x\nSubject: next\n\nnext body\n",
			format: FormatBare,
			want: []string{
				"From: a@x\nContent-Type: multipart/mixed;\n boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nsee attached\n\n" +
					"--b1\nContent-Type: message/rfc822\n\nFrom: c@x\nSubject: inner\n\ninner body\n\n--b1--\n",
				"From: d@x\nSubject: next\n\nnext body\n",
			},
			envs: []string{"", ""},
		},
		{
			name:   "year lines in the bodies of a header-separated file are body text",
			in:     "Return-Path: <a@x>\nSubject: a\n\nx\n\n2005\nSubject: not a separator\n\nReturn-path: <b@x>\nSubject: b\n\n2006\n",
			format: FormatBare,
			want:   []string{"Return-Path: <a@x>\nSubject: a\n\nx\n\n2005\nSubject: not a separator\n", "Return-path: <b@x>\nSubject: b\n\n2006\n"},
			envs:   []string{"", ""},
		},
		{
			name:   "a header-like line in an mbox body splits nothing",
			in:     "From a@b Mon Feb  3 01:02:03 2020\nSubject: a\n\nx\n\nSubject: b\nTo: c\n\ny\n",
			format: FormatMbox,
			want:   []string{"Subject: a\n\nx\n\nSubject: b\nTo: c\n\ny\n"},
			envs:   []string{"a@b Mon Feb  3 01:02:03 2020"},
		},
		{
			name:   "a year line in a bare file is body text",
			in:     "Subject: a\n\nx\n\n2005\nNote: y\n",
			format: FormatBare,
			want:   []string{"Subject: a\n\nx\n\n2005\nNote: y\n"},
			envs:   []string{""},
		},
		{
			name:   "a year line in an mbox is body text",
			in:     "From a@b Mon Feb  3 01:02:03 2020\nSubject: a\n\nx\n\n2005\nNote: y\n",
			format: FormatMbox,
			want:   []string{"Subject: a\n\nx\n\n2005\nNote: y\n"},
			envs:   []string{"a@b Mon Feb  3 01:02:03 2020"},
		},
		{
			name:   "a leading year without a header after it is a bare message",
			in:     "2005\nwas a good year\n",
			format: FormatBare,
			want:   []string{"2005\nwas a good year\n"},
			envs:   []string{""},
		},
		{
			name:   "empty input",
			in:     "\n\n",
			format: FormatUnknown,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.in))
			got, envs, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.envs, envs); diff != "" {
				t.Errorf("envelopes (-want +got):\n%s", diff)
			}
			if r.Format() != tt.format {
				t.Errorf("Format() = %v, want %v", r.Format(), tt.format)
			}
		})
	}
}

func TestReaderGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, "From a@b Mon Feb  3 01:02:03 2020\nS: x\n\ny\n")
	zw.Close()
	got, _, err := readAll(t, NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"S: x\n\ny\n"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReaderTooLarge(t *testing.T) {
	big := strings.Repeat("x", 300) + "\n"
	in := "From a@b Mon Feb  3 01:02:03 2020\nS: 1\n\n" + strings.Repeat(big, 10) +
		"\nFrom a@b Mon Feb  3 01:02:03 2020\nS: 2\n\nsmall\n"
	r := NewReader(strings.NewReader(in))
	r.MaxSize = 1000
	if _, err := r.Next(); !errors.Is(err, ErrMessageTooLarge) {
		t.Fatalf("first Next error = %v, want ErrMessageTooLarge", err)
	}
	m, err := r.Next()
	if err != nil || string(m) != "S: 2\n\nsmall\n" {
		t.Fatalf("second Next = %q, %v", m, err)
	}
}

func TestIsYearLine(t *testing.T) {
	tests := map[string]bool{
		"2005\n":   true,
		"1999\r\n": true,
		"2019":     true,
		"2005 \n":  false,
		"1899\n":   false,
		"205\n":    false,
		"20055\n":  false,
		"20x5\n":   false,
	}
	for line, want := range tests {
		if got := isYearLine([]byte(line)); got != want {
			t.Errorf("isYearLine(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestIsHeaderField(t *testing.T) {
	tests := map[string]bool{
		"Message-Id: <a@b>\n":   true,
		"X-Empty:\n":            true,
		"Subject:x":             true,
		"not a header: x\n":     false,
		": no name\n":           false,
		"NoColon\n":             false,
		"\n":                    false,
		" Folded: continuation": false,
	}
	for line, want := range tests {
		if got := isHeaderField([]byte(line)); got != want {
			t.Errorf("isHeaderField(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestMultipartBoundary(t *testing.T) {
	tests := map[string]string{
		"Content-Type: multipart/mixed; boundary=\"a b\"\n":              "a b",
		"Content-Type: MULTIPART/MIXED; BOUNDARY=x\n":                    "x",
		"Content-Type: multipart/alternative;\r\n\tboundary=\"=_x\"\r\n": "=_x",
		"Content-type: multipart/mixed; boundary = y; charset=us-ascii":  "y",
		"Content-Type: text/plain; boundary=x\n":                         "",
		"Content-Type: multipart/mixed\n":                                "",
		"Content-Type: multipart/mixed; boundary=\"unclosed\n":           "",
	}
	for field, want := range tests {
		if got := string(multipartBoundary([]byte(field))); got != want {
			t.Errorf("multipartBoundary(%q) = %q, want %q", field, got, want)
		}
	}
}

func TestIsFromLine(t *testing.T) {
	tests := map[string]bool{
		"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\n":        true,
		"From jones@example.com  Fri Jul  8 08:00:00 2016\r\n": true,
		"From dromasca at avaya.com  Tue Jan  1 04:49:41 2008": true,
		"From a@b Tue, Jan 1 04:49 2008":                       true,
		"From a@b Tue Jan 1 04:49:41 PST 2008":                 true,
		"From a@b Tue Jan 1 04:49:41 2008 -0700":               true,
		"From - \n":                                            true,
		"From 1844347792267117879@xxx\n":                       true,
		"From Russia with love\n":                              false,
		"From the Usage section of as.data.frame.table()\n":    false,
		"From your message Mon, 9 Nov 1998 06:09:48 -0000:\n":  false,
		"From \n":                             false,
		"From: a@b\n":                         false,
		">From a@b Tue Jan 1 04:49:41 2008\n": false,
	}
	for line, want := range tests {
		if got := isFromLine([]byte(line)); got != want {
			t.Errorf("isFromLine(%q) = %v, want %v", line, got, want)
		}
	}
}

// shortReader returns at most 600 bytes per Read, so that a Peek further
// ahead than the last one refills the buffer and moves what it holds.
type shortReader struct{ r io.Reader }

func (s shortReader) Read(p []byte) (int, error) { return s.r.Read(p[:min(len(p), 600)]) }

// A leading year line without a header field after it must not be
// classified on bytes that peeking ahead moved: here the moved bytes would
// read as a field "ab:" and split the message at its second block.
func TestDetectAfterBufferMoves(t *testing.T) {
	in := "\n\n\n\n\n\n2005\n ab: c\nab: 1\n\nbody\n\nab: 2\nx: y\n\nbody2\n" + strings.Repeat("padding line\n", 200)
	got, _, err := readAll(t, NewReader(shortReader{strings.NewReader(in)}))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{in[6:]}, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

package mbox

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWriter(t *testing.T) {
	date := time.Date(2020, 2, 3, 1, 2, 3, 0, time.FixedZone("x", 3600))
	tests := []struct {
		name, sender, raw, want string
	}{
		{
			name:   "escapes From and quoted From",
			sender: "a@example.com",
			raw:    "S: x\n\nFrom here\n>From there\n> From fine\n",
			want:   "From a@example.com Mon Feb  3 00:02:03 2020\nS: x\n\n>From here\n>>From there\n> From fine\n\n",
		},
		{
			name:   "adds final newline, sanitises sender",
			sender: "evil sender\n",
			raw:    "S: x\n\nno newline",
			want:   "From evilsender Mon Feb  3 00:02:03 2020\nS: x\n\nno newline\n\n",
		},
		{
			name: "empty sender",
			raw:  "S: x\r\n\r\nbody\r\n",
			want: "From MAILER-DAEMON Mon Feb  3 00:02:03 2020\nS: x\r\n\r\nbody\r\n\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf)
			if err := w.WriteMessage(tt.sender, date, []byte(tt.raw)); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriterRoundTripEdgeCases(t *testing.T) {
	msgs := []string{
		"",
		"\n",
		"S: a\n\nends with blank lines\n\n\n",
		"From start\n>From\n>>>>From x\n",
		"S: crlf\r\n\r\nx\r\n",
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, m := range msgs {
		w.WriteMessage("a@b", time.Unix(0, 0), []byte(m))
	}
	w.Flush()
	r := NewReader(&buf)
	var got []string
	for {
		m, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(m))
	}
	if diff := cmp.Diff(msgs, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

package archive_test

import (
	"context"
	"fmt"
	"testing"
)

// ThreadOf finds a thread by any of its messages' Message-Ids, on its list
// only, with each message's depth and the start of its text.
func TestThreadOf(t *testing.T) {
	s := newService(t)
	msg := func(id, inReplyTo, from, body string) []byte {
		h := fmt.Sprintf("From: %s\r\nTo: idr@hum.test\r\nSubject: Call for adoption\r\nMessage-ID: <%s>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n", from, id)
		if inReplyTo != "" {
			h += fmt.Sprintf("In-Reply-To: <%s>\r\nReferences: <%s>\r\n", inReplyTo, inReplyTo)
		}
		return []byte(h + "\r\n" + body + "\r\n")
	}
	add(t, s, "idr", msg("call-1@hum.test", "", "chair@example.org", "Please say whether you support adoption."))
	add(t, s, "idr", msg("r1@example.com", "call-1@hum.test", "ann@example.com", "I support it."))
	add(t, s, "idr", msg("r2@example.net", "r1@example.com", "bo@example.net", "I object: section 3 is wrong."))
	add(t, s, "idr", msg("other@example.net", "", "bo@example.net", "Something else."))
	add(t, s, "quic", msg("q@example.net", "call-1@hum.test", "bo@example.net", "Wrong list."))

	ctx := context.Background()
	for _, root := range []string{"call-1@hum.test", "<r2@example.net>"} {
		got, err := s.ThreadOf(ctx, "idr", root)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, p := range got {
			lines = append(lines, fmt.Sprintf("%d %s %s", p.Depth, p.MessageID, p.Text))
		}
		want := []string{"0 call-1@hum.test Please say whether you support adoption.", "1 r1@example.com I support it.", "2 r2@example.net I object: section 3 is wrong."}
		if fmt.Sprint(lines) != fmt.Sprint(want) {
			t.Errorf("ThreadOf(%q) =\n%q\nwant\n%q", root, lines, want)
		}
	}
	if got, err := s.ThreadOf(ctx, "idr", "nowhere@example.org"); err != nil || len(got) != 0 {
		t.Errorf("ThreadOf of an unknown message = %v, %v; want none", got, err)
	}
}

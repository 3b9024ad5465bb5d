package mail

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSenderLeavesOutRefused: recipients that Refuse names never reach
// the smarthost; the rest of the message's recipients do, and a message
// with none left fails for good, saying why, without a connection.
func TestSenderLeavesOutRefused(t *testing.T) {
	ctx := context.Background()
	h, addr := startSmarthost(t)
	d, _ := newDB(t)
	s := NewSender(d, addr, "hum.example", quiet)
	s.Refuse = func(_ context.Context, to []string) ([]string, error) {
		var r []string
		for _, a := range to {
			if a == "trill@ietf.org" {
				r = append(r, a)
			}
		}
		return r, nil
	}
	o := &Outbox{Name: "hum"}
	queue(t, d, o, msg("I-D Action", "i-d-announce@hum.example", "trill@ietf.org"))
	if !s.sendOne(ctx) {
		t.Fatal("sendOne found nothing to send")
	}
	want := []delivery{{"noreply@hum.example", []string{"i-d-announce@hum.example"}, "I-D Action"}}
	if diff := cmp.Diff(want, h.deliveries()); diff != "" {
		t.Errorf("smarthost received (-want +got):\n%s", diff)
	}

	queue(t, d, o, msg("Only the real list", "trill@ietf.org"))
	if !s.sendOne(ctx) {
		t.Fatal("sendOne found nothing to send")
	}
	if n := len(h.deliveries()); n != 1 {
		t.Errorf("smarthost received %d messages, want 1: %+v", n, h.deliveries())
	}
	qs, err := List(ctx, d, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(qs, func(q Queued) bool { return q.Subject == "Only the real list" })
	if i < 0 {
		t.Fatalf("outbox: %+v", qs)
	}
	if st := stateOf(t, d, qs[i].ID); st.State != "failed" || !strings.Contains(st.LastError, "trill@ietf.org") {
		t.Errorf("a message to refused recipients only: %+v, want failed naming them", st)
	}
}

package notices

import (
	"slices"
	"testing"
	"time"
)

// TestSettled: the notices pass a gap in the record's ids only once the
// event after it is older than settle, since on PostgreSQL the gap may be
// a transaction still under way.
func TestSettled(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	ev := func(id int64, age time.Duration) event { return event{id: id, at: now.Add(-age)} }
	ids := func(es []event) []int64 {
		var out []int64
		for _, e := range es {
			out = append(out, e.id)
		}
		return out
	}
	for _, c := range []struct {
		name string
		last int64
		evs  []event
		want []int64
	}{
		{"no gap", 10, []event{ev(11, 0), ev(12, 0)}, []int64{11, 12}},
		{"a young gap stops", 10, []event{ev(11, 0), ev(13, time.Second), ev(14, 0)}, []int64{11}},
		{"a young gap at the start", 10, []event{ev(12, 0)}, nil},
		{"an old gap is passed", 10, []event{ev(11, 0), ev(13, 2*settle), ev(14, 0)}, []int64{11, 13, 14}},
		{"nothing", 10, nil, nil},
	} {
		if got := ids(settled(c.evs, c.last, now)); !slices.Equal(got, c.want) {
			t.Errorf("%s: passed %v, want %v", c.name, got, c.want)
		}
	}
}

package scheduler

import (
	"slices"
	"testing"
	"time"
)

// TestChain: a long session takes the back-to-back slots after the one
// it starts in (11:15 follows 11:00 within the gap allowed), never one
// after a long break (13:00) or on another day.
func TestChain(t *testing.T) {
	p := tiny()
	for _, tc := range []struct {
		name  string
		first int64
		d     time.Duration
		want  []int64
	}{
		{"fits", slot(0, "A", 0), time.Hour, []int64{slot(0, "A", 0)}},
		{"no length asked", slot(0, "B", 2), 0, []int64{slot(0, "B", 2)}},
		{"two slots", slot(0, "A", 0), 3 * time.Hour, []int64{slot(0, "A", 0), slot(0, "A", 1)}},
		{"more than the morning", slot(0, "B", 0), 5 * time.Hour, []int64{slot(0, "B", 0), slot(0, "B", 1)}},
		{"not across lunch", slot(1, "A", 1), 3 * time.Hour, []int64{slot(1, "A", 1)}},
		{"not across the night", slot(0, "A", 2), 4 * time.Hour, []int64{slot(0, "A", 2)}},
		{"no such slot", 99, time.Hour, nil},
	} {
		if got := p.Chain(tc.first, tc.d); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Chain(%d, %v) = %v, want %v", tc.name, tc.first, tc.d, got, tc.want)
		}
	}
}

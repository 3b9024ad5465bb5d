package web

import (
	"testing"
	"time"
)

func TestLength(t *testing.T) {
	for d, want := range map[time.Duration]string{45 * time.Minute: "45 min", 2 * time.Hour: "2 h", 150 * time.Minute: "2 h 30 min"} {
		if got := length(d); got != want {
			t.Errorf("length(%v) = %q, want %q", d, got, want)
		}
	}
}

package heapfloor

import (
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		floor, live uint64
		base, want  int
	}{
		{32 << 20, 2 << 20, 100, 1500}, // 2 MB live: the next cycle at 32 MB
		{32 << 20, 8 << 20, 100, 300},  // 8 MB: at 32
		{32 << 20, 16 << 20, 100, 100}, // half the floor: the default goal is the floor
		{32 << 20, 20 << 20, 100, 100}, // more: as without a floor
		{32 << 20, 64 << 20, 100, 100}, // over the floor
		{32 << 20, 8 << 20, 400, 400},  // never below the GOGC the process began with
		{32 << 20, 0, 100, 100},        // nothing measured yet
	} {
		if got := percent(c.floor, c.live, c.base); got != c.want {
			t.Errorf("percent(%d, %d, %d) = %d, want %d", c.floor, c.live, c.base, got, c.want)
		}
	}
}

// TestKeepRaisesTheGoal: with a live heap of a few kilobytes, the goal
// the collector sets after a cycle is the floor, where it would be 4 MB.
func TestKeepRaisesTheGoal(t *testing.T) {
	t.Setenv("GOGC", "") // restored after the test
	if err := os.Unsetenv("GOGC"); err != nil {
		t.Fatal(err)
	}
	const floor = 64 << 20
	Keep(floor)
	goal := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // the finalizer runs on its own goroutine
		runtime.GC()
		metrics.Read(goal)
		if goal[0].Value.Uint64() >= floor*9/10 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the heap's goal is %d bytes after the collections, want about %d", goal[0].Value.Uint64(), floor)
		}
	}
}

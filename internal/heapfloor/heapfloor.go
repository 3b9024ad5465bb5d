// Package heapfloor keeps the Go heap's goal at or above a floor, so that
// a process whose live heap is small does not collect garbage every few
// megabytes it allocates.
//
// The collector starts a cycle once the heap has grown by GOGC per cent
// over what the last cycle left live. Searching the archive in a process
// that held little else (archivebench), 2-3 MB stayed live and the
// collector ran 60 times a second; with the goal at 32 MB it ran 6 times,
// and the process made 2,700-3,300 searches a second instead of
// 2,100-2,900 (issue 17 §3). A process whose live heap is more than half
// the floor collects exactly as it would without it.
package heapfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Floor is the heap goal that hum's processes keep (cmd/hum, and the
// benchmarks that run its services in their own process). hum serve's
// heap peaked at 39-45 MB over an hour on 1,000,000 messages with the
// collector's default goal, so the floor does not raise it.
const Floor = 32 << 20

var once sync.Once

// Keep keeps the heap's goal at floor bytes or more from now on, for the
// whole process; later calls do nothing. It leaves the collector as it is
// when GOGC is set in the environment (GOGC=off included).
func Keep(floor uint64) {
	once.Do(func() {
		if _, set := os.LookupEnv("GOGC"); set {
			return
		}
		gogc := []metrics.Sample{{Name: "/gc/gogc:percent"}}
		metrics.Read(gogc)
		base := int(gogc[0].Value.Uint64())
		if base <= 0 || floor == 0 {
			return
		}
		t := &tuner{floor: floor, base: base, live: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
		t.tune()
		t.arm()
	})
}

type tuner struct {
	floor uint64
	base  int
	live  []metrics.Sample
}

// sentinel is garbage at once; its finalizer runs after the cycle that
// found it so.
type sentinel struct{ _ [64]byte }

// arm makes the end of the next cycle tune GOGC and arm the one after.
func (t *tuner) arm() {
	runtime.SetFinalizer(new(sentinel), func(*sentinel) {
		t.tune()
		t.arm()
	})
}

// tune sets GOGC for the next cycle from what the last one left live.
func (t *tuner) tune() {
	metrics.Read(t.live)
	debug.SetGCPercent(percent(t.floor, t.live[0].Value.Uint64(), t.base))
}

// percent is the GOGC that puts the next goal at floor over live bytes,
// and at least base.
func percent(floor, live uint64, base int) int {
	if live == 0 || live >= floor {
		return base
	}
	return max(base, int((floor-live)*100/live))
}

package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"hum/internal/benchrun"
	"hum/internal/scheduler"
)

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

func median[T int64 | time.Duration](sorted []T) T {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// kindTotal is what a report charges for one kind.
func kindTotal(r scheduler.Report, slug string) int64 {
	for _, k := range r.Kinds {
		if k.Slug == slug {
			return k.Total
		}
	}
	return 0
}

// kindCount is how many times a report charges one kind.
func kindCount(r scheduler.Report, slug string) int {
	for _, k := range r.Kinds {
		if k.Slug == slug {
			return k.Count
		}
	}
	return 0
}

// breakdown is a report's kinds in one line: "conflic2×1 session_requires_trim×1", or "-".
func breakdown(r scheduler.Report) string {
	var parts []string
	for _, k := range r.Kinds {
		parts = append(parts, fmt.Sprintf("%s×%d", k.Slug, k.Count))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

func workers(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// machine says what the bench runs on.
func machine() string {
	return fmt.Sprintf("%s %s/%s, %d cores, GOMAXPROCS %d; %s", runtime.Version(), runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), runtime.GOMAXPROCS(0), loadavg())
}

// loadavg is the machine's load average, which matters on a shared one.
func loadavg() string {
	if l := benchrun.LoadAvg(); l != nil {
		return "load average " + strings.Join(l, " ")
	}
	return "load average unknown"
}

package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"hum/internal/benchrun"
)

func sortDurations(d []time.Duration) { slices.Sort(d) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// loadAvg is the machine's load average, as uptime prints it.
func loadAvg() string {
	if l := benchrun.LoadAvg(); l != nil {
		return strings.Join(l, " ")
	}
	return "unknown"
}

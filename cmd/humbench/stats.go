package main

import (
	"slices"
	"time"
)

// percentile is the nearest-rank p-th percentile of sorted samples: the
// smallest sample with at least p% of all samples at or below it.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// p*n before the division keeps whole-number ranks exact (99*100/100).
	rank := int(p * float64(n) / 100)
	if float64(rank) < p*float64(n)/100 {
		rank++
	}
	return sorted[min(max(rank, 1), n)-1]
}

// median of unsorted samples; the mean of the middle two for an even count.
func median(xs []time.Duration) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

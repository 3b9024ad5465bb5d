package main

import (
	"context"
	"testing"
	"time"
)

func msec(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{5}, 5},
		{[]time.Duration{9, 1, 5}, 5},
		{[]time.Duration{4, 1, 3, 2}, 2}, // (2+3)/2 in integer nanoseconds
		{[]time.Duration{msec(300), msec(100), msec(200), msec(400)}, msec(250)},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 999.4: "999", 1000: "1,000", 12345.6: "12,346", 1234567: "1,234,567", -4321: "-4,321"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestLoadRefusesRemoteTargets(t *testing.T) {
	for _, target := range []string{"http://example.com/", "http://10.0.0.1:8080/", "http://localhost/"} {
		if _, err := load(context.Background(), target, 1, time.Millisecond, 1); err == nil {
			t.Errorf("load(%q) ran; want a refusal: only loopback IPs are allowed", target)
		}
	}
}

func TestParseWrk(t *testing.T) {
	out := `Running 10s test @ http://127.0.0.1:1/group/httpbis/about/
  2 threads and 50 connections
  Latency Distribution
     50%    9.07ms
     99%   67.17ms
  24842 requests in 5.00s, 180.83MB read
Requests/sec:   4964.90
`
	w := parseWrk(out)
	if w.rps != 4964.90 || w.p50 != "9.07ms" || w.p99 != "67.17ms" || len(w.summary) != 7 {
		t.Errorf("parseWrk = %+v", w)
	}
}

package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func msec(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = msec(i + 1)
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one sample", []time.Duration{msec(7)}, 99, msec(7)},
		{"p0 is the smallest", hundred, 0, msec(1)},
		{"p50 of 1..100", hundred, 50, msec(50)},
		{"p90 of 1..100", hundred, 90, msec(90)},
		{"p99 of 1..100", hundred, 99, msec(99)},
		{"p100 is the largest", hundred, 100, msec(100)},
		{"p50 of four rounds up", []time.Duration{1, 2, 3, 4}, 50, 2},
		{"p51 of four", []time.Duration{1, 2, 3, 4}, 51, 3},
		{"p99 of ten is the largest", hundred[:10], 99, msec(10)},
		{"p90 of ten", hundred[:10], 90, msec(9)},
	} {
		if got := Percentile(tc.sorted, tc.p); got != tc.want {
			t.Errorf("%s: Percentile(p%v) = %v, want %v", tc.name, tc.p, got, tc.want)
		}
	}
}

func TestRunCountsRequestsAndErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/bad") {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	r, err := Run(context.Background(), srv.URL, 4, 10*time.Second, 100, func(i int64) string {
		if i%10 == 0 {
			return "/bad"
		}
		return "/good"
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Latencies) != 90 || r.Errors != 10 || !strings.Contains(r.FirstErr, "404") {
		t.Errorf("ok %d, errors %d (%q); want 90 and 10", len(r.Latencies), r.Errors, r.FirstErr)
	}
}

func TestRunRefusesOtherHosts(t *testing.T) {
	for _, target := range []string{"http://192.168.1.10:8080/", "http://example.org/"} {
		if _, err := Run(context.Background(), target, 1, time.Second, 1, nil); err == nil {
			t.Errorf("Run(%s) was allowed", target)
		}
	}
}

package archive_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"hum/internal/archive"
	"hum/internal/mbox"
)

// -archive.n scales the import benchmark: N messages made from the real
// r-package-devel messages with fresh Message-IDs (references rewritten
// the same way, so threads stay threads). 0 imports the file as it is.
// The figure is -archive.n=200000.
var genN = flag.Int("archive.n", 0, "messages in the generated corpus for BenchmarkImport (0: the r-package-devel mbox as is)")

const rpkg = "lists/r-package-devel-2015q2-2026q3.mbox.gz"

// generated builds an mbox of n messages from the corpus file: copy k of
// every message gets "-gk" appended to each Message-ID it contains.
func generated(b *testing.B, n int) []byte {
	src := corpusFile(b, rpkg)
	if n == 0 {
		return src
	}
	r := mbox.NewReader(bytes.NewReader(src))
	var raws [][]byte
	for {
		raw, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, raw)
	}
	var buf bytes.Buffer
	w := mbox.NewWriter(&buf)
	for i := 0; i < n; i++ {
		raw := raws[i%len(raws)]
		if k := i / len(raws); k > 0 {
			raw = bytes.ReplaceAll(raw, []byte(">"), []byte(fmt.Sprintf("-g%d>", k)))
		}
		w.WriteMessage("bench@example.org", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), raw)
	}
	w.Flush()
	return buf.Bytes()
}

// BenchmarkImport reports msgs/s for a whole import, threading and
// search index included.
func BenchmarkImport(b *testing.B) {
	data := generated(b, *genN)
	var n int
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		s := newService(b)
		b.StartTimer()
		t := time.Now()
		res, err := s.Import(context.Background(), "r-package-devel", bytes.NewReader(data), nil)
		if err != nil {
			b.Fatal(err)
		}
		took += time.Since(t)
		n += res.Read
	}
	b.ReportMetric(float64(n)/took.Seconds(), "msgs/s")
}

// BenchmarkSearch reports p50/p99 latency of a mix of queries over the
// imported corpus.
func BenchmarkSearch(b *testing.B) {
	s := newService(b)
	if _, err := s.Import(context.Background(), "r-package-devel", bytes.NewReader(generated(b, *genN)), nil); err != nil {
		b.Fatal(err)
	}
	queries := []string{"vignette", "cran check note", `"non-standard file"`, "from:hadley", "subject:windows",
		"rcpp compile error since:2020-01-01", "list:r-package-devel until:2016-01-01", "namespace imports", "valgrind", "submission rejected"}
	qs := make([]archive.Query, len(queries))
	for i, q := range queries {
		qs[i], _ = archive.ParseQuery(q)
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		t := time.Now()
		if _, err := s.Search(context.Background(), qs[i%len(qs)], 20, 0); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
		i++
	}
	reportPercentiles(b, lat)
}

// BenchmarkThreadPage reports the latency of what the message page needs:
// the message, its neighbours and its thread.
func BenchmarkThreadPage(b *testing.B) {
	s := newService(b)
	if _, err := s.Import(context.Background(), "r-package-devel", bytes.NewReader(generated(b, *genN)), nil); err != nil {
		b.Fatal(err)
	}
	ts, err := s.Threads(context.Background(), "r-package-devel", 200, 0)
	if err != nil || len(ts) == 0 {
		b.Fatal(err)
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		t := time.Now()
		e := ts[i%len(ts)].Entries[0]
		m, err := s.Get(context.Background(), e.List, e.ID)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Neighbours(context.Background(), &m.Summary); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
		i++
	}
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	if len(lat) == 0 {
		return
	}
	b.ReportMetric(float64(lat[len(lat)*50/100].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

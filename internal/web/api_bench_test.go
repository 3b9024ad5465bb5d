package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/demo"
	"hum/internal/docs"
	"hum/internal/lists"
	"hum/internal/loadgen"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/testbody"
)

// BenchmarkAPIResources measures every resource the machinery serves on
// the demo standards body with its documents and meetings: its list (limit=100) and one object, under 50
// keep-alive connections over loopback, reporting req/s, p50 and p99.
// Each request carries a parameter that is not a filter and differs every
// time, so that none is answered from the page cache: these are the
// figures of the query and its rendering. SQLite, or PostgreSQL under
// HUM_TEST_POSTGRES. b.N is the number of requests per run:
//
//	go test -run '^$' -bench APIResources -benchtime 2000x ./internal/web/
func BenchmarkAPIResources(b *testing.B) {
	body, ls, ds, ms := demoBody(b)
	s := newServer(b, Config{DB: body.DB, People: body.People, Groups: body.Groups, Lists: ls, Docs: ds, Meetings: ms, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, r := range s.OpenData.All() {
		list := r.ListURI() + "?limit=100"
		detail := firstObject(b, srv.URL+list)
		b.Run(r.Name()+"/list", func(b *testing.B) { benchLoad(b, srv.URL+list+"&bench=") })
		if detail == "" {
			continue // nothing of it in the demo
		}
		b.Run(r.Name()+"/detail", func(b *testing.B) { benchLoad(b, srv.URL+detail+"?bench=") })
	}
}

// firstObject is the URI of a list's first object, or "".
func firstObject(b *testing.B, url string) string {
	res, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var l apiListResponse
	if err := json.NewDecoder(res.Body).Decode(&l); err != nil || res.StatusCode != 200 {
		b.Fatalf("%s: %d %v", url, res.StatusCode, err)
	}
	if len(l.Objects) == 0 {
		return ""
	}
	return l.Objects[0]["resource_uri"].(string)
}

func benchLoad(b *testing.B, base string) {
	b.ResetTimer()
	r, err := loadgen.Run(context.Background(), base, 50, 10*time.Minute, int64(b.N), func(i int64) string { return fmt.Sprint(i) })
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if r.Errors > 0 {
		b.Fatalf("%d errors, the first: %s", r.Errors, r.FirstErr)
	}
	b.ReportMetric(r.RPS(), "req/s")
	b.ReportMetric(float64(r.Percentile(50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(r.Percentile(99).Microseconds())/1000, "p99-ms")
}

// demoBody is a database holding the demo standards body with its lists,
// documents (drafts posted, in Last Call and on ballots, RFCs, charters)
// and meetings, so that the API is read on rows, not on empty tables; it
// returns the services that loaded them.
func demoBody(t testing.TB) (*testbody.Body, *lists.Service, *docs.Service, *meetings.Service) {
	t.Helper()
	ctx := context.Background()
	body := testbody.New(t, dbtest.New(t))
	ls := &lists.Service{DB: body.DB, Mail: &mail.Outbox{Name: "hum"}, Domain: "hum.test", BaseURL: "http://hum.test"}
	if err := ls.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	ds := &docs.Service{DB: body.DB, Groups: body.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	ms := &meetings.Service{DB: body.DB, Groups: body.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test", Lists: ls}
	if _, err := demo.Load(ctx, body.DB, body.People, body.Groups, demo.Options{Lists: ls, Docs: ds, Meetings: ms}); err != nil {
		t.Fatal(err)
	}
	return body, ls, ds, ms
}

// BenchmarkAPIPaging reads a list of 100,000 events the way a script
// does: group/groupevent, 1,000 a page, following meta.next to the end.
// Pages go by keyset under the hood, so the last page should cost what
// the first does; it reports the first, median and last page's time and
// the whole walk's events per second. SQLite, or PostgreSQL under
// HUM_TEST_POSTGRES:
//
//	go test -run '^$' -bench APIPaging -benchtime 1x ./internal/web/
func BenchmarkAPIPaging(b *testing.B) {
	ctx := context.Background()
	body, ls, ds, ms := demoBody(b)
	const n = 100_000
	var acronym string
	if err := body.DB.QueryRowContext(ctx, `SELECT acronym FROM grp WHERE type = 'wg' ORDER BY acronym LIMIT 1`).Scan(&acronym); err != nil {
		b.Fatal(err)
	}
	// A group's history: 1,000 changes of 100 events each, a minute
	// apart, so that a page spans ten times, as a real one spans many.
	// (Written at one time, every page's events tied, and the order by
	// time left the cursor nothing to cut.)
	now := body.DB.Now
	start := time.Now().Add(-1000 * time.Minute)
	for k := range n / 100 {
		at := start.Add(time.Duration(k) * time.Minute)
		body.DB.Now = func() time.Time { return at }
		cs := make([]record.Change, 100)
		for i := range cs {
			cs[i] = record.Change{Actor: record.System, SubjectType: "group", Subject: acronym, Kind: "group_changed", Summary: fmt.Sprintf("Change %d", k*100+i)}
		}
		if err := body.DB.Write(ctx, func(tx *db.Tx) error { return record.AddAll(ctx, tx, cs) }); err != nil {
			b.Fatal(err)
		}
	}
	body.DB.Now = now
	// PostgreSQL's statistics, as autovacuum would take them after such a
	// load (db.Analyze); SQLite plans without.
	if err := body.DB.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	s := newServer(b, Config{DB: body.DB, People: body.People, Groups: body.Groups, Lists: ls, Docs: ds, Meetings: ms, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	var pages []time.Duration
	read := 0
	b.ResetTimer()
	for range b.N {
		pages, read = pages[:0], 0
		next := "/api/v1/group/groupevent/?limit=1000&group__acronym=" + acronym
		for next != "" {
			t := time.Now()
			res, err := http.Get(srv.URL + next)
			if err != nil {
				b.Fatal(err)
			}
			var l apiListResponse
			err = json.NewDecoder(res.Body).Decode(&l)
			res.Body.Close()
			if err != nil || res.StatusCode != 200 {
				b.Fatalf("%s: %d %v", next, res.StatusCode, err)
			}
			pages = append(pages, time.Since(t))
			read += len(l.Objects)
			next = ""
			if l.Meta.Next != nil {
				next = *l.Meta.Next
			}
		}
	}
	b.StopTimer()
	if read < n {
		b.Fatalf("read %d events; want at least %d", read, n)
	}
	first, last := pages[0], pages[len(pages)-1]
	sorted := slices.Clone(pages)
	slices.Sort(sorted)
	b.ReportMetric(float64(len(pages)), "pages")
	b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
	b.ReportMetric(float64(sorted[len(sorted)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(last.Microseconds())/1000, "last-ms")
	b.ReportMetric(float64(read)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

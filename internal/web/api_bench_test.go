package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"hum/internal/db/dbtest"
	"hum/internal/demo"
	"hum/internal/docs"
	"hum/internal/lists"
	"hum/internal/loadgen"
	"hum/internal/mail"
	"hum/internal/meetings"
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

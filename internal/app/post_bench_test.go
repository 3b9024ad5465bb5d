package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hum/internal/db/dbtest"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/record"
)

// BenchmarkPost10kSubscribersArchived times a post to a list of 10,000
// subscribers as hum takes it, with the real archive (search index and
// all), from Receive to its return, after which the endpoint says 250
// (issue 17: within 100 ms on both engines). No Deliverer runs; the
// first post to the list, which makes the archive's per-list state, is
// made before the clock starts. internal/lists has the same benchmark
// with an archive in memory, through SMTP.
//
//	go test -run '^$' -bench Post10k ./internal/app/
func BenchmarkPost10kSubscribersArchived(b *testing.B) {
	ctx := context.Background()
	d := dbtest.New(b)
	a, err := New(d, Config{BaseURL: "https://bench.test", Domain: "bench.test"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := a.Lists.Ensure(ctx); err != nil {
		b.Fatal(err)
	}
	addrs := []string{"author@example.org"}
	for i := range 10000 {
		addrs = append(addrs, fmt.Sprintf("user%05d@example.net", i))
	}
	if _, err := a.Lists.Enrol(ctx, record.System, map[string][]string{"ietf": addrs}, lists.ModeEach); err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat("A line of a typical list post, about seventy characters long........\r\n", 40)
	post := func(i int) {
		raw := fmt.Sprintf("From: Author <author@example.org>\r\nTo: ietf@bench.test\r\nSubject: post %d\r\nMessage-ID: <bench%d@example.org>\r\n\r\n%s", i, i, body)
		if err := a.Lists.Receive(ctx, mail.Envelope{From: "author@example.org", To: []string{"ietf@bench.test"}}, []byte(raw)); err != nil {
			b.Fatal(err)
		}
	}
	post(0)
	i := 0
	for b.Loop() {
		i++
		post(i)
	}
	b.StopTimer()
	var n int
	if err := d.QueryRow(`SELECT COUNT(*) FROM list_post WHERE state = 'accepted'`).Scan(&n); err != nil || n != i+1 {
		b.Fatalf("%d posts accepted (%v), want %d", n, err, i+1)
	}
}

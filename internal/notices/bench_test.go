package notices_test

import (
	"context"
	"fmt"
	"testing"

	"hum/internal/db"
	"hum/internal/record"
)

// BenchmarkSendNotices: what the job costs per change told, each change
// mailing the notify list and the two each-change followers (fay, gus):
// go test -run '^$' -bench SendNotices ./internal/notices/
func BenchmarkSendNotices(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	const changes = 100
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		cs := make([]record.Change, changes)
		for j := range cs {
			// One actor per change, so that each is a transaction of its own.
			cs[j] = record.Change{Actor: record.Actor{Name: fmt.Sprintf("bench %d-%d", i, j)}, SubjectType: "doc", Subject: name,
				Kind: "shepherd", Summary: "Document shepherd changed to Chris Chair from (none)"}
		}
		if err := e.d.Write(ctx, func(tx *db.Tx) error { return record.AddAll(ctx, tx, cs) }); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		n, err := e.a.Notices.SendNotices(ctx)
		if err != nil || n != changes {
			b.Fatalf("told %d changes (%v), want %d", n, err, changes)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*changes), "µs/change")
}

package docs_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"hum/internal/db/dbtest"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
)

// BenchmarkSubmit is the end-to-end time of one submission by a
// logged-in author: parse, validate, store, post and announce.
// go test -bench Submit ./internal/docs/ (HUM_TEST_POSTGRES for PostgreSQL)
func BenchmarkSubmit(b *testing.B) {
	for _, c := range []struct {
		file, name, as, date string
		author               string
	}{
		{"txt/draft-iab-xml2rfc-02.txt", "draft-iab-xml2rfc-02", "draft-iab-xmlb%d-00", "2016-01-13", "paul.hoffman@icann.org"},
		{"xml/rfc9001.canonical.xml", "draft-ietf-quic-tls-34", "draft-ietf-quic-tlsb%d-00", "2021-05-15", "mt@lowentropy.net"},
	} {
		b.Run(c.file, func(b *testing.B) {
			e := newEnv(b)
			src := file(b, c.file)
			e.at(c.date)
			ctx := context.Background()
			p, err := e.people.Add(ctx, e.actor(""), c.author, "Author")
			if err != nil {
				b.Fatal(err)
			}
			a, err := e.groups.ActorOf(ctx, record.Actor{ID: p.ID, Name: "Author"})
			if err != nil {
				b.Fatal(err)
			}
			who := docs.Submitter{Actor: a, Email: c.author, Emails: []string{c.author}}
			b.SetBytes(int64(len(src)))
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				name := fmt.Sprintf(c.as, i)
				u := docs.Upload{XMLName: name + ".xml", TXTName: name + ".txt"}
				data := bytes.ReplaceAll(src, []byte(c.name), []byte(name))
				if c.file[:3] == "txt" {
					u.TXT = data
				} else {
					u.XML = data
				}
				if _, err := e.s.Submit(ctx, u, who); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkImportIndex loads the whole rfc-index.txt into a fresh database.
func BenchmarkImportIndex(b *testing.B) {
	es := readIndex(b)
	for b.Loop() {
		b.StopTimer()
		d := dbtest.New(b)
		s := &docs.Service{DB: d, Groups: &groups.Service{DB: d}, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
		b.StartTimer()
		start := time.Now()
		if _, err := s.ImportIndex(context.Background(), es); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/import")
	}
}

// BenchmarkAgendaBallots reads the ballots of a telechat's 30 drafts,
// each with positions from both ADs, one by one (Ballot, as the agenda
// did) and together (Ballots, as it does).
// go test -run '^$' -bench AgendaBallots ./internal/docs/ (HUM_TEST_POSTGRES for PostgreSQL)
func BenchmarkAgendaBallots(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	e.at("2021-06-19")
	src := file(b, "txt/draft-smoke-signals-00.txt")
	var names []string
	for i := range 30 {
		name := fmt.Sprintf("draft-smoke-signals%d", i)
		u := docs.Upload{TXT: bytes.ReplaceAll(src, []byte("draft-smoke-signals"), []byte(name)), TXTName: name + "-00.txt"}
		if _, err := e.s.Submit(ctx, u, e.who("kesara@fq.nz")); err != nil {
			b.Fatal(err)
		}
		d := e.doc(name)
		if _, err := e.db.Exec(`UPDATE doc SET iesg_state = 'iesg-eva', std_level = 'ps' WHERE id = $1`, d.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := e.db.Exec(`INSERT INTO ballot (doc_id, opened) VALUES ($1, $2)`, d.ID, e.now); err != nil {
			b.Fatal(err)
		}
		for _, ad := range []string{"ad@example.org", "ad2@example.org"} {
			if err := e.s.SetPosition(ctx, name, e.by(ad), docs.PositionChange{Pos: "yes"}); err != nil {
				b.Fatal(err)
			}
		}
		names = append(names, name)
	}
	b.Run("one by one", func(b *testing.B) {
		for b.Loop() {
			for _, n := range names {
				if _, err := e.s.Ballot(ctx, n); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("together", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.s.Ballots(ctx, names); err != nil {
				b.Fatal(err)
			}
		}
	})
}

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

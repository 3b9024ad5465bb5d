// Command listbench measures list fan-out: one post to N subscribers,
// from the SMTP 250 of the post until a local SMTP sink has accepted
// every copy. It runs on a fresh SQLite database, or on the PostgreSQL
// named by --db (in a schema of its own, dropped afterwards).
//
//	go run ./cmd/listbench -n 10000
//	go run ./cmd/listbench -n 10000 -db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/app"
	"hum/internal/db"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/record"
)

func main() {
	n := flag.Int("n", 10000, "subscribers")
	dsn := flag.String("db", "", "postgres://... (default: a temporary SQLite database)")
	workers := flag.Int("workers", 8, "SMTP connections to the sink")
	flag.Parse()
	if err := run(*n, *dsn, *workers); err != nil {
		log.Fatal(err)
	}
}

type sink struct{ n atomic.Int64 }

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s}, nil }

type sinkSession struct{ s *sink }

func (ss *sinkSession) Reset()                               {}
func (ss *sinkSession) Logout() error                        { return nil }
func (ss *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (ss *sinkSession) Data(r io.Reader) error               { io.Copy(io.Discard, r); ss.s.n.Add(1); return nil }

func run(n int, dsn string, workers int) error {
	ctx := context.Background()
	if dsn == "" {
		dir, err := os.MkdirTemp("", "listbench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = "sqlite:" + filepath.Join(dir, "hum.db")
	} else {
		var drop func()
		var err error
		if dsn, drop, err = db.OpenSchema(ctx, dsn, "listbench_"); err != nil {
			return err
		}
		defer drop()
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	a, err := app.New(d, app.Config{BaseURL: "https://bench.test", Domain: "bench.test"}, nil)
	if err != nil {
		return err
	}
	ls := a.Lists
	if err := ls.Ensure(ctx); err != nil {
		return err
	}
	t0 := time.Now()
	err = d.Write(ctx, func(tx *db.Tx) error {
		ctx := db.WithTx(ctx, tx)
		for i := range n {
			if _, err := ls.Subscribe(ctx, record.System, "ietf", fmt.Sprintf("user%05d@example.net", i), lists.ModeEach); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d subscribers set up in %v\n", d.Dialect, n, time.Since(t0).Round(time.Millisecond))

	sk := &sink{}
	srv := smtp.NewServer(sk)
	srv.Domain = "sink.test"
	sln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go srv.Serve(sln)
	defer srv.Close()

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dl := &lists.Deliverer{Lists: ls, Smarthost: sln.Addr().String(), Hello: "bench.test", Log: quiet, Workers: workers, Batch: 200}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { dl.Run(rctx); close(done) }()
	defer func() { cancel(); <-done }()

	eln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ep := &mail.Endpoint{Hostname: "bench.test", Target: ls, Log: quiet}
	go ep.Serve(eln)
	defer ep.Close()

	// The author is not subscribed: allow them, so the post is not held.
	if _, err := d.Exec(`INSERT INTO list_allowed (list_id, address, created) SELECT id, 'author@example.org', $1 FROM list WHERE name = 'ietf'`, d.Now()); err != nil {
		return err
	}
	msg := "From: Author <author@example.org>\r\nTo: ietf@bench.test\r\nSubject: fan-out\r\nMessage-ID: <bench@example.org>\r\n\r\n" + strings.Repeat("A line of a typical list post, about seventy characters long........\r\n", 40)
	start := time.Now()
	if err := post(eln.Addr().String(), msg); err != nil {
		return err
	}
	accepted := time.Since(start)
	for sk.n.Load() < int64(n) {
		if time.Since(start) > 5*time.Minute {
			return fmt.Errorf("only %d of %d copies after 5 minutes", sk.n.Load(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(start)
	fmt.Printf("%s: post accepted (250) in %v; %d copies at the sink in %v: %.0f recipients/s (Mailman 3 ≈ 630, mlmmj ≈ 880)\n",
		d.Dialect, accepted.Round(time.Millisecond), n, took.Round(time.Millisecond), float64(n)/took.Seconds())
	// Let the recorder mark the last copies sent before counting.
	deadline := time.Now().Add(30 * time.Second)
	var sent int
	for time.Now().Before(deadline) {
		if err := d.QueryRow(`SELECT COUNT(*) FROM delivery WHERE state = 'sent'`).Scan(&sent); err != nil {
			return err
		}
		if sent == n {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	fmt.Printf("%s: %d delivery rows marked sent after %v\n", d.Dialect, sent, time.Since(start).Round(time.Millisecond))
	return nil
}

func post(addr, msg string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("bench.client"); err != nil {
		return err
	}
	if err := c.SendMail("author@example.org", []string{"ietf@bench.test"}, strings.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}

package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/app"
	"hum/internal/benchrun"
	"hum/internal/db"
	"hum/internal/loadgen"
	"hum/internal/mail/stubdns"
)

// The serve-memory mode (--serve-memory DURATION) answers issue 17's
// "hum serve with an archive of 1,000,000 messages: resident memory under
// 150 MB after an hour of mixed reading and posting". It runs `hum serve`
// on --db (an archive --generate built), reads it through readers at once
// (message pages at random, searches, the thread list) while one sender
// posts to a list every second, and prints hum's resident memory every
// minute, then its peak.

const (
	memGroup  = "benchwg"
	memPoster = "poster@example.org"
)

func serveMemory(ctx context.Context, dsn, humBin string, d time.Duration, readers int) error {
	if dsn == "" {
		return fmt.Errorf("--serve-memory needs --db: an archive that --generate built")
	}
	keys, last, err := memSetup(ctx, dsn)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "archivebench-serve")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if humBin == "" {
		if humBin, err = benchrun.Build(ctx, work); err != nil {
			return err
		}
	}
	if err := memList(ctx, humBin, dsn); err != nil {
		return err
	}
	sink, err := benchrun.DiscardSink()
	if err != nil {
		return err
	}
	defer sink.Close()
	dns, err := stubdns.Serve(nil) // SPF and DMARC answered at once (see procbench)
	if err != nil {
		return err
	}
	defer dns.Close()
	h, err := benchrun.Start(ctx, benchrun.Serve{Bin: humBin, DSN: dsn, Dir: filepath.Join(work, "hum"), SMTP: true,
		Args: []string{"--smarthost", sink.Addr().String(), "--resolver", dns.Addr, "--domain", "hum.test"}, Wait: 5 * time.Minute})
	if err != nil {
		return err
	}
	defer h.Stop()
	pid := h.Cmd.Process.Pid
	fmt.Printf("serve-memory: hum serve on an archive up to message id %d, %d readers of %d random messages and a post a second for %v; load %s\n",
		last, readers, len(keys), d, strings.Join(benchrun.LoadAvg(), " "))
	rss, _, _ := benchrun.RSS(pid) // KiB
	fmt.Printf("  start: resident %d MB\n", rss>>10)

	lctx, stop := context.WithTimeout(ctx, d)
	defer stop()
	var posts, failed atomic.Int64
	posting := make(chan struct{})
	go func() { memPosts(lctx, h.SMTP, &posts, &failed); close(posting) }()
	var pages atomic.Int64
	read := make(chan error, 1)
	go func() {
		_, err := loadgen.Run(lctx, h.Base, readers, d, 0, func(i int64) string {
			pages.Add(1)
			switch i % 10 {
			case 7, 8:
				return "/arch/search/?q=" + url.QueryEscape(queries[rand.IntN(len(queries))])
			case 9:
				return "/arch/browse/bench/"
			default:
				return "/arch/msg/bench/" + keys[rand.IntN(len(keys))] + "/"
			}
		})
		read <- err
	}()
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	start, peak := time.Now(), rss
	for done := false; !done; {
		select {
		case <-lctx.Done():
			done = true
		case <-tick.C:
		}
		rss, hwm, _ := benchrun.RSS(pid)
		peak = max(peak, hwm)
		fmt.Printf("  %3.0f min: resident %d MB (peak %d MB), %d pages, %d posts (%d failed); load %s\n",
			time.Since(start).Minutes(), rss>>10, hwm>>10, pages.Load(), posts.Load(), failed.Load(), strings.Join(benchrun.LoadAvg(), " "))
	}
	<-posting // before hum stops, so that no post is cut off
	if err := <-read; err != nil && ctx.Err() == nil {
		return err
	}
	fmt.Printf("serve-memory: peak resident %d MB over %v\n", peak>>10, d)
	return nil
}

// memSetup returns the hashcodes of up to 20,000 random messages of the
// generated archive, and its highest message id.
func memSetup(ctx context.Context, dsn string) (keys []string, last int64, err error) {
	a, err := benchrun.Open(ctx, dsn, app.Config{BaseURL: "http://hum.test", Domain: "hum.test"})
	if err != nil {
		return nil, 0, err
	}
	defer a.Close()
	if err := a.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM arch_message`).Scan(&last); err != nil {
		return nil, 0, err
	}
	ids := make([]string, 20000)
	for i := range ids {
		ids[i] = strconv.FormatInt(1+rand.Int64N(max(last, 1)), 10)
	}
	keys, err = db.Query(ctx, a.DB, func(row db.Scanner) (k string, err error) {
		err = row.Scan(&k)
		return k, err
	}, `SELECT hashcode FROM arch_message WHERE list = 'bench' AND id IN (`+strings.Join(ids, ",")+`)`)
	if err == nil && len(keys) == 0 {
		err = fmt.Errorf("the archive has no messages in list bench: build it with --generate")
	}
	return keys, last, err
}

// memList makes the group whose list the sender posts to, with the
// sender subscribed, once.
func memList(ctx context.Context, humBin, dsn string) error {
	for _, args := range [][]string{
		{"group", "add", "--db", dsn, "--acronym", memGroup, "--name", "Bench WG", "--type", "wg"},
		{"list", "subscribe", "--db", dsn, memGroup, memPoster},
	} {
		if b, err := exec.CommandContext(ctx, humBin, args...).CombinedOutput(); err != nil && !strings.Contains(string(b), "already") {
			return fmt.Errorf("hum %s: %v\n%s", strings.Join(args[:2], " "), err, b)
		}
	}
	return nil
}

// memPosts posts to the list every second until ctx ends.
func memPosts(ctx context.Context, addr string, posts, failed *atomic.Int64) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for k := 1; ; k++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		msg := fmt.Sprintf("From: Bench Poster <%s>\r\nTo: %s@hum.test\r\nSubject: serve-memory post %d\r\nMessage-ID: <serve-memory-%d-%d@example.org>\r\n\r\n"+
			"Post %d of the serve-memory bench, a few lines\r\nlong, as most list mail is: vignette, namespace, valgrind.\r\n",
			memPoster, memGroup, k, time.Now().UnixNano(), k, k)
		if err := memPost(addr, msg); err != nil {
			if failed.Add(1) == 1 {
				fmt.Fprintln(os.Stderr, "archivebench: a post failed:", err)
			}
			continue
		}
		posts.Add(1)
	}
}

// memPost sends msg to the list over a connection of its own, without
// TLS (hum's test endpoint offers none).
func memPost(addr, msg string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("bench.example.org"); err != nil {
		return err
	}
	if err := c.SendMail(memPoster, []string{memGroup + "@hum.test"}, strings.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}

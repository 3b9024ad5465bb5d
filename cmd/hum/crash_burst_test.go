package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// TestCrashBurst is a measurement, not a correctness test: it runs only
// when HUM_CRASH_RUNS says how many times to kill hum (issue 13: "the
// kill -9 burst"), and reports its figures with t.Log rather than failing
// on them, since the one duplicate SMTP cannot close (a copy the
// smarthost took in the instant before a crash, RFC 1047) is expected to
// show. It fails only when the run itself goes wrong (hum never finishes
// delivering) or when an accepted post is lost, which no crash may do.
//
// hum, as a process of its own (startHumBinary: this test binary, so
// its figures are of a build with the race detector when the test runs
// with -race), serves a list with HUM_CRASH_SUBS subscribers (20) and a
// sink smarthost; HUM_CRASH_CLIENTS (5) clients each send HUM_CRASH_POSTS
// (40) posts over SMTP, as MTAs would: a post whose 250 did not arrive is
// sent again, same Message-ID and body, once hum is back. hum is killed
// with SIGKILL at random moments while they send, restarted each time,
// and left to finish delivery at the end.
//
//	HUM_CRASH_RUNS=4 go test -run TestCrashBurst -v ./cmd/hum/
func TestCrashBurst(t *testing.T) {
	crashes, err := strconv.Atoi(os.Getenv("HUM_CRASH_RUNS"))
	if err != nil {
		t.Skip("a measurement: set HUM_CRASH_RUNS to the number of kills to run it")
	}
	subs, clients, posts := envInt("HUM_CRASH_SUBS", 20), envInt("HUM_CRASH_CLIENTS", 5), envInt("HUM_CRASH_POSTS", 40)
	dsn := dbtest.DSN(t)
	var members []string
	for i := range subs {
		a := fmt.Sprintf("sub%03d@example.org", i)
		members = append(members, a)
		if out, err := hum(t, "list", "subscribe", "--db", dsn, "ietf", a); err != nil {
			t.Fatalf("list subscribe %s: %v %s", a, err, out)
		}
	}

	sink := startSink(t, false)

	httpAddr, smtpAddr := freeAddr(t), freeAddr(t)
	args := []string{"--db", dsn, "--http", httpAddr, "--smtp", smtpAddr, "--smarthost", sink.addr,
		"--domain", "hum.test", "--base-url", "http://" + httpAddr, "--data", t.TempDir()}

	var (
		mu       sync.Mutex
		accepted = map[string]bool{} // Message-IDs that got 250
		tries    atomic.Int64        // DATA commands sent, re-sends included
		resent   atomic.Int64        // posts sent again after no 250
		noReply  atomic.Int64        // data sent whole, then no reply to it
	)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := members[c%len(members)]
			for i := range posts {
				id := fmt.Sprintf("<burst-%d-%d@example.org>", c, i)
				msg := fmt.Sprintf("From: %s\r\nTo: ietf@hum.test\r\nSubject: burst %d/%d\r\nMessage-ID: %s\r\n\r\nPost %d of client %d.\r\n", from, c, i, id, i, c)
				for n := 0; ; n++ {
					if n > 0 {
						resent.Add(1)
					}
					tries.Add(1)
					err := burstPost(smtpAddr, from, msg)
					if errors.Is(err, errNoReply) {
						noReply.Add(1)
					}
					if err == nil {
						mu.Lock()
						accepted[id] = true
						mu.Unlock()
						break
					}
					var se *smtp.SMTPError
					if errors.As(err, &se) && se.Code >= 500 {
						t.Errorf("%s refused for good: %v", id, err)
						break
					}
					if time.Since(start) > 10*time.Minute {
						t.Errorf("%s: still no 250 after 10 minutes: %v", id, err)
						return
					}
					time.Sleep(100 * time.Millisecond) // an MTA's retry, much sooner
				}
			}
		}()
	}
	sending := make(chan struct{})
	go func() { wg.Wait(); close(sending) }()

	p := startHumBinary(t, args...)
	waitListening(t, smtpAddr)
	for k := range crashes {
		// A kill somewhere in the burst: the clients send for a few
		// seconds at most, so the moments are drawn from the first ones.
		time.Sleep(time.Duration(300+rand.IntN(1500)) * time.Millisecond)
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.cmd.Wait()
		t.Logf("kill %d at %v; %d copies at the sink so far", k+1, time.Since(start).Round(time.Millisecond), sink.total())
		p = startHumBinary(t, args...)
		waitListening(t, smtpAddr)
	}
	<-sending
	sentAt := time.Since(start)

	// Delivery is done when nothing waits (no copy queued, no post whose
	// copies are still to be queued) and the sink has stopped taking
	// copies for a while.
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	deadline := time.Now().Add(3 * time.Minute)
	last, still := -1, 0
	for {
		var waiting int
		if err := d.QueryRow(`SELECT (SELECT COUNT(*) FROM delivery WHERE state NOT IN ('sent', 'failed'))
			+ (SELECT COUNT(*) FROM list_post WHERE fanout_after IS NOT NULL)`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		n := sink.total()
		if waiting == 0 && n == last {
			if still++; still >= 4 {
				break
			}
		} else {
			still = 0
		}
		last = n
		if time.Now().After(deadline) {
			t.Fatalf("delivery did not finish: %d copies waiting", waiting)
		}
		time.Sleep(500 * time.Millisecond)
	}

	// The archive, by Message-ID.
	archived := archivedIDs(t, d)
	var failed int
	d.QueryRow(`SELECT COUNT(*) FROM delivery WHERE state = 'failed'`).Scan(&failed)

	lost, dupArchive, unacked := 0, 0, 0
	for id := range accepted {
		if archived[id] == 0 {
			lost++
			t.Errorf("%s got 250 but is not in the archive", id)
		}
	}
	for id, n := range archived {
		dupArchive += n - 1
		if !accepted[id] {
			unacked++ // stored, but the client never saw the 250
		}
	}
	expected, delivered, over, missing := 0, 0, 0, 0
	for id := range archived {
		for _, to := range members {
			if to == members[clientOf(id)%len(members)] {
				continue // the author gets no copy of their own post
			}
			expected++
			n := sink.copiesTo(id, to)
			delivered += n
			if n > 1 {
				over += n - 1
			}
			if n == 0 {
				missing++
			}
		}
	}
	t.Logf("engine %s; %d subscribers, %d clients x %d posts, %d kills; sending took %v",
		engineOf(dsn), subs, clients, posts, crashes, sentAt.Round(time.Millisecond))
	t.Logf("posts: accepted (250) %d of %d; sent %d times (re-sent after no 250: %d, of which the data had gone out whole: %d); archived %d distinct (never acknowledged: %d); lost %d; duplicated in the archive %d",
		len(accepted), clients*posts, tries.Load(), resent.Load(), noReply.Load(), len(archived), unacked, lost, dupArchive)
	t.Logf("copies: expected %d, delivered %d, missing %d, over-delivered (second copies) %d, failed deliveries %d",
		expected, delivered, missing, over, failed)
}

var burstClient = regexp.MustCompile(`^<burst-(\d+)-`)

// clientOf is the client number in a burst Message-ID.
func clientOf(id string) int {
	m := burstClient.FindStringSubmatch(id)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func engineOf(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		return "PostgreSQL"
	}
	return "SQLite"
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// errNoReply is a post whose data went out whole and got no reply: hum
// may have stored it, so the client's re-send must not make a second.
var errNoReply = errors.New("no reply to the data")

// burstPost sends one message, as an MTA would, and returns nil only on
// a 250 to its data.
func burstPost(addr, from, msg string) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	c := smtp.NewClient(conn)
	defer c.Close()
	if err := c.Hello("client.example"); err != nil {
		return err
	}
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	if err := c.Rcpt("ietf@hum.test", nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			return err
		}
		return fmt.Errorf("%w: %v", errNoReply, err)
	}
	c.Quit()
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"hum/internal/corpustest"
	"hum/internal/db"
)

// TestE2EThreeProcesses is issue 17's proof that several `hum serve`
// processes share one PostgreSQL, as the README says: three real
// binaries on one fresh schema, each with its own HTTP and SMTP port.
//   - The document timers, which every process runs at start, end a
//     Last Call once: one event, one "Last Call Expired" mail.
//   - A login through one process is a login on the others.
//   - A change through one shows on the others' cached pages within the
//     documented bound (web's staleAfter, 250 ms).
//   - A burst of posts spread over the three reaches every subscriber
//     exactly once and is archived once.
//   - A second burst, during which one process is killed with SIGKILL:
//     nothing that got 250 is lost, and the others finish its copies
//     once its heartbeat is stale (5 s). A copy may go out twice only
//     in the window RFC 1047 describes, at most one per worker of the
//     killed process.
//
// It needs PostgreSQL (SQLite is one process's database): the one
// HUM_TEST_POSTGRES names, else the README's local server, so that the
// README's test command runs it on either pass. Without a server it skips
// on a laptop and fails in CI.
func TestE2EThreeProcesses(t *testing.T) {
	pg := os.Getenv("HUM_TEST_POSTGRES")
	if pg == "" {
		pg = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	dsn, drop, err := db.OpenSchema(context.Background(), pg, "hum_test_")
	if err != nil {
		if corpustest.CI() {
			t.Fatalf("several hum processes share only a PostgreSQL, and there is none: %v", err)
		}
		t.Skipf("several hum processes share only a PostgreSQL: %v (set HUM_TEST_POSTGRES)", err)
	}
	t.Cleanup(drop)
	const (
		wg        = "widgets"
		draft     = "draft-ietf-widgets-frob"
		ad        = "ad@example.org"
		chair     = "chair@example.org"
		secr      = "secr@example.org"
		pw        = "a long enough passphrase"
		subs      = 8
		burst     = 24 // posts in the first burst
		killBurst = 36 // posts in the burst with the kill
	)
	start := time.Now()
	steps := [][]string{
		{"group", "add", "--db", dsn, "--acronym", "art", "--name", "Applications and Real-Time Area", "--type", "area"},
		{"group", "add", "--db", dsn, "--acronym", wg, "--name", "Widgets", "--parent", "art"},
		{"group", "add", "--db", dsn, "--acronym", "secretariat", "--name", "Secretariat", "--type", "ietf"},
		{"user", "add", "--db", dsn, "--email", ad, "--name", "Ada Director", "--password", pw},
		{"user", "add", "--db", dsn, "--email", chair, "--name", "Chris Chair", "--password", pw},
		{"user", "add", "--db", dsn, "--email", secr, "--name", "Sam Secretariat", "--password", pw},
		{"role", "grant", "--db", dsn, ad, "ad", "art"},
		{"role", "grant", "--db", dsn, chair, "chair", wg},
		{"role", "grant", "--db", dsn, secr, "secr", "secretariat"},
	}
	var members []string
	for i := range subs {
		a := fmt.Sprintf("sub%02d@example.org", i)
		members = append(members, a)
		steps = append(steps, []string{"list", "subscribe", "--db", dsn, "ietf", a})
	}
	humSteps(t, steps)
	// A Last Call that ended yesterday: the first run of the document
	// timers in any process ends it.
	newDraft(t, dsn, draft, 2)
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(`UPDATE doc SET group_id = (SELECT id FROM grp WHERE acronym = $1), ad_id = (SELECT person_id FROM email WHERE address = $2),
		iesg_state = 'lc', lc_ends = $3, wg_state = 'sub-pub', std_level = 'ps', stream = 'ietf' WHERE name = $4`,
		wg, ad, time.Now().Add(-24*time.Hour), draft); err != nil {
		t.Fatal(err)
	}

	sink := startSink(t, false)
	sinkAddr := sink.addr

	// Three processes, started together so that their first runs of the
	// jobs overlap.
	type proc struct {
		base, smtp string
		p          *humProcess
	}
	procs := make([]*proc, 3)
	var worker0 string // process 0's delivery worker, the one killed
	for i := range procs {
		httpAddr, smtpAddr := freeAddr(t), freeAddr(t)
		procs[i] = &proc{base: "http://" + httpAddr, smtp: smtpAddr}
		procs[i].p = startHumBinary(t, "--db", dsn, "--http", httpAddr, "--smtp", smtpAddr, "--smarthost", sinkAddr,
			"--domain", "hum.test", "--base-url", "http://"+httpAddr, "--data", t.TempDir())
		if i == 0 {
			worker0 = waitWorker(t, d)
		}
	}
	for _, p := range procs {
		waitListening(t, p.smtp)
		waitListening(t, strings.TrimPrefix(p.base, "http://"))
	}
	t.Logf("three processes up after %v", time.Since(start).Round(time.Millisecond))

	// 1. A login through one process holds on the others: the session
	// is in the database, and the cookie (127.0.0.1, any port) goes to
	// all three.
	jar, _ := cookiejar.New(nil)
	clients := make([]*webClient, len(procs))
	for i, p := range procs {
		clients[i] = newWebClient(t, p.base)
		clients[i].c.Jar = jar
	}
	clients[0].login(secr, pw)
	for i, c := range clients {
		code, body, _ := c.get("/accounts/profile/")
		wantPage(t, fmt.Sprintf("the profile through process %d", i), code, body, 200, "Your account", secr)
	}
	anon := newWebClient(t, procs[2].base)
	if code, body, _ := anon.get("/accounts/profile/"); strings.Contains(body, secr) {
		t.Errorf("an anonymous client sees the secretariat's profile (%d)", code)
	}

	// 2. The jobs: each process has run the document timers (its
	// /admin/jobs/, read with the shared session, says so), and the
	// Last Call ended once.
	jobRow := regexp.MustCompile(`(?s)<td data-label="Job">document timers</td>.*?<td data-label="Result">(.*?)</td>.*?<td data-label="Runs">(\d+)`)
	for i, c := range clients {
		deadline := time.Now().Add(patience)
		for {
			code, body, _ := c.get("/admin/jobs/")
			m := jobRow.FindStringSubmatch(body)
			if code == 200 && m != nil && m[2] != "0" {
				if m[1] != "ok" {
					t.Errorf("process %d's document timers: %s", i, m[1])
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("process %d never ran the document timers: %d\n%.2000s", i, code, body)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	subject := "Last Call Expired: " + draft + "-02"
	sink.waitSubjectTo(t, subject, ad)
	waitOutboxEmpty(t, d)
	var events, queued int
	d.QueryRow(`SELECT COUNT(*) FROM event WHERE subject_type = 'doc' AND subject = $1 AND kind = 'iesg_state'`, draft).Scan(&events)
	d.QueryRow(`SELECT COUNT(*) FROM outbox WHERE subject = $1 AND rcpt_to = $2`, subject, ad).Scan(&queued)
	if got := sink.subjectCopies(subject, ad); events != 1 || queued != 1 || got != 1 {
		t.Errorf("three processes ended one Last Call: %d events, %d mails to the AD queued, %d copies at the sink; want 1 each", events, queued, got)
	}

	// 3. A change through one process shows on the others' cached
	// pages once the bound has passed: each re-reads the record's
	// version when it is older than 250 ms.
	for _, c := range clients[1:] {
		code, body, _ := anon.do(anon.c.Get(c.base + "/group/" + wg + "/about/"))
		wantPage(t, "the group page before", code, body, 200, "Chris Chair")
	}
	chairs := newWebClient(t, procs[0].base)
	chairs.login(chair, pw)
	code, body, _ := chairs.post("/accounts/profile/", url.Values{"name": {"Christine Chair"}, "biography": {""}})
	wantPage(t, "renaming the chair", code, body, 200, "Your profile has been saved.")
	time.Sleep(cacheBound)
	for i, c := range clients[1:] {
		code, body, _ := anon.do(anon.c.Get(c.base + "/group/" + wg + "/about/"))
		wantPage(t, fmt.Sprintf("process %d's group page %v after the rename", i+1, cacheBound), code, body, 200, "Christine Chair")
	}

	// 4. A burst spread over the three: every subscriber but the author
	// gets each post once, and the archive has each once.
	ids := sendBurst(t, []string{procs[0].smtp, procs[1].smtp, procs[2].smtp}, members, "a", burst, nil)
	waitDelivered(t, d, sink, ids, members)
	c := countCopies(t, d, sink, ids, members)
	t.Logf("burst over three processes: %d posts accepted, %d archived (%d twice), %d copies delivered of %d, %d missing, %d duplicates",
		len(ids), c.archived, c.archivedTwice, c.delivered, c.expected, c.missing, c.duplicates)
	if len(ids) != burst || c.archived != burst || c.archivedTwice != 0 || c.missing != 0 || c.duplicates != 0 {
		t.Errorf("want %d posts each archived once and %d copies each delivered once", burst, c.expected)
	}

	// 5. Another burst, and process 0 killed with SIGKILL once it has
	// taken a few of its posts and its delivery worker holds leases on
	// copies: the clients send what it did not answer to the next
	// process, as MTAs would, and the other two take over its leases
	// once its heartbeat is stale (5 s). The sink takes no copy until
	// the kill, so the window no SMTP sender can close (a copy taken
	// in the instant before a crash goes out again, RFC 1047) stays
	// shut and any second copy is a fault.
	hold := make(chan struct{})
	sink.setHold(hold)
	var once sync.Once
	killed := make(chan struct{})
	var held int
	kill := func(addr string, n int) {
		if addr != procs[0].smtp || n < 4 {
			return
		}
		once.Do(func() {
			deadline := time.Now().Add(patience)
			for leased(t, d, worker0) == 0 {
				if time.Now().After(deadline) {
					t.Errorf("process 0 never leased a copy")
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			procs[0].p.cmd.Process.Signal(syscall.SIGKILL)
			procs[0].p.cmd.Wait()
			held = leased(t, d, worker0)
			close(hold)
			close(killed)
		})
	}
	ids = sendBurst(t, []string{procs[0].smtp, procs[1].smtp, procs[2].smtp}, members, "k", killBurst, kill)
	select {
	case <-killed:
	default:
		close(hold)
		t.Fatal("process 0 was never killed")
	}
	waitDelivered(t, d, sink, ids, members)
	c = countCopies(t, d, sink, ids, members)
	t.Logf("after SIGKILL of one process in a burst: accepted %d, archived %d (%d twice), delivered %d of %d (missing %d), duplicates %d; the killed process held %d copies' leases, which the others took over",
		len(ids), c.archived, c.archivedTwice, c.delivered, c.expected, c.missing, c.duplicates, held)
	if len(ids) != killBurst || c.archived != killBurst || c.archivedTwice != 0 || c.missing != 0 || c.duplicates != 0 {
		t.Errorf("after the kill: want %d posts accepted and archived once each, and %d copies each delivered once", killBurst, c.expected)
	}
	if held == 0 {
		t.Error("the killed process held no lease, so nothing was taken over")
	}
	t.Logf("the whole test took %v", time.Since(start).Round(time.Millisecond))
}

// cacheBound is how stale a page may be of a change made through another
// process (web's staleAfter, as DESIGN.md says).
const cacheBound = 250 * time.Millisecond

// sendBurst sends n posts to the ietf list, three clients at once, post
// i to addrs[i%3] from members[i%len]. A post that gets no 250 (its
// process killed) goes to the next address, same Message-ID and body.
// after is called with the address and how many posts it has accepted.
// It returns the Message-IDs that got 250.
func sendBurst(t *testing.T, addrs, members []string, tag string, n int, after func(addr string, n int)) []string {
	t.Helper()
	var (
		mu       sync.Mutex
		accepted []string
		per      = map[string]int{}
		wg       sync.WaitGroup
	)
	next := make(chan int)
	go func() {
		for i := range n {
			next <- i
		}
		close(next)
	}()
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				from := members[i%len(members)]
				id := fmt.Sprintf("<%s-%d@example.org>", tag, i)
				msg := fmt.Sprintf("From: %s\r\nTo: ietf@hum.test\r\nSubject: post %s %d\r\nMessage-ID: %s\r\n\r\nPost %d.\r\n", from, tag, i, id, i)
				var err error
				for try := range 2 * len(addrs) {
					addr := addrs[(i+try)%len(addrs)]
					if err = burstPost(addr, from, msg); err == nil {
						mu.Lock()
						accepted = append(accepted, id)
						per[addr]++
						k := per[addr]
						mu.Unlock()
						if after != nil {
							after(addr, k)
						}
						break
					}
					var se *smtp.SMTPError
					if errors.As(err, &se) && se.Code >= 500 {
						break
					}
				}
				if err != nil {
					t.Errorf("%s: no process took it: %v", id, err)
				}
			}
		}()
	}
	wg.Wait()
	return accepted
}

// waitDelivered waits until every post has a copy at each subscriber but
// its author, and nothing waits in the delivery table.
func waitDelivered(t *testing.T, d *db.DB, sink *sink, ids, members []string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		var waiting int
		// A post whose copies are still to be queued waits too.
		if err := d.QueryRow(`SELECT (SELECT COUNT(*) FROM delivery WHERE state NOT IN ('sent', 'failed'))
			+ (SELECT COUNT(*) FROM list_post WHERE fanout_after IS NOT NULL)`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		c := countCopies(t, d, sink, ids, members)
		if waiting == 0 && c.missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery did not finish: %d copies waiting, %d missing at the sink", waiting, c.missing)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func waitOutboxEmpty(t *testing.T, d *db.DB) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		var waiting int
		if err := d.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state NOT IN ('sent', 'failed')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the outbox still holds %d messages", waiting)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type copyCounts struct {
	archived, archivedTwice                  int
	expected, delivered, missing, duplicates int
}

// waitWorker returns the id of the one delivery worker that beats.
func waitWorker(t *testing.T, d *db.DB) string {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		var ids []string
		rows, err := d.Query(`SELECT id FROM delivery_worker`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 1 {
			return ids[0]
		}
		if len(ids) > 1 || time.Now().After(deadline) {
			t.Fatalf("delivery workers: %v, want the first process's only", ids)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// leased counts the copies not yet sent that worker holds a lease on:
// a copy's own, or its chunk's (lists.Deliverer.leaseChunk).
func leased(t *testing.T, d *db.DB, worker string) int {
	var n int
	if err := d.QueryRow(`SELECT COUNT(*) FROM delivery WHERE state = 'queued' AND id NOT IN (SELECT delivery_id FROM delivery_sent)
		AND (claimed_by = $1 OR chunk_id IN (SELECT id FROM delivery_chunk WHERE claimed_by = $1))`, worker).Scan(&n); err != nil {
		t.Error(err)
	}
	return n
}

// countCopies counts, for the posts ids, the archive's messages and the
// sink's copies to each subscriber but the author.
func countCopies(t *testing.T, d *db.DB, sink *sink, ids, members []string) (c copyCounts) {
	t.Helper()
	archived := archivedIDs(t, d)
	for _, id := range ids {
		if archived[id] > 0 {
			c.archived++
		}
		if archived[id] > 1 {
			c.archivedTwice++
		}
		i, _ := strconv.Atoi(id[strings.Index(id, "-")+1 : strings.Index(id, "@")])
		for _, to := range members {
			if to == members[i%len(members)] {
				continue // the author gets no copy of their own post
			}
			c.expected++
			n := sink.copiesTo(id, to)
			c.delivered += n
			if n == 0 {
				c.missing++
			}
			if n > 1 {
				c.duplicates += n - 1
			}
		}
	}
	return c
}

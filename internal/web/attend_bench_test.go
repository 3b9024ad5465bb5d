package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/record"
	"hum/internal/testbody"
)

// BenchmarkAttendScale is the figure: 5,000 registrations and
// 100,000 blue-sheet lines at one meeting, then the times of the pages
// that show them. It does its work once, whatever b.N:
//
//	go test -run '^$' -bench AttendScale -benchtime 1x ./internal/web/
//
// (and again with HUM_TEST_POSTGRES set).
func BenchmarkAttendScale(b *testing.B) {
	const people, lines, groupsN, perGroup = 5000, 100000, 15, 10
	ctx := context.Background()
	body := testbody.New(b, dbtest.New(b))
	op := groups.Operator(record.System)
	now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	body.DB.Now = func() time.Time { return now }
	ms := &meetings.Service{DB: body.DB, Groups: body.Groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	body.AddGroups(groups.NewGroup{Acronym: "secretariat", Name: "IETF Secretariat", Type: "ietf"}, groups.NewGroup{Acronym: "iesg", Name: "IESG", Type: "iesg"},
		groups.NewGroup{Acronym: "art", Name: "Art", Type: "area", Parent: "iesg"})
	var rooms []meetings.NewRoom
	for i := range 8 {
		rooms = append(rooms, meetings.NewRoom{Name: fmt.Sprintf("Room %d", i+1), Capacity: 500})
	}
	m, err := ms.Create(ctx, op, meetings.NewMeeting{Number: "125", City: "Shenzhen", Country: "CN", TimeZone: "Asia/Shanghai", Date: "2026-03-14", Days: 7, Rooms: rooms}, "")
	if err != nil {
		b.Fatal(err)
	}
	slots, _ := ms.Timeslots(ctx, m.ID)
	var regular []meetings.Timeslot
	for _, s := range slots {
		if s.Type == "regular" {
			regular = append(regular, s)
		}
	}
	// 15 groups with 10 sessions each, placed on the grid; people and
	// sessions go in in big transactions, as a loader does (db.WithTx).
	var sessions []int64
	var ids []int64
	err = body.DB.Write(ctx, func(tx *db.Tx) error {
		c := db.WithTx(ctx, tx)
		for g := range groupsN {
			acr := fmt.Sprintf("wg%02d", g)
			gr, err := body.Groups.Create(c, op, groups.NewGroup{Acronym: acr, Name: "Group " + acr, Type: "wg", Parent: "art"}, "")
			if err != nil {
				return err
			}
			for range perGroup {
				var id int64
				if err := tx.QueryRowContext(c, `INSERT INTO session (meeting_id, group_id, status, modified) VALUES ($1, $2, 'schedw', $3) RETURNING id`, m.ID, gr.ID, now).Scan(&id); err != nil {
					return err
				}
				if err := ms.Assign(c, op, "125", id, regular[len(sessions)].ID, ""); err != nil {
					return err
				}
				sessions = append(sessions, id)
			}
		}
		for i := range people {
			p, err := body.People.Add(c, record.System, fmt.Sprintf("p%d@example.org", i), fmt.Sprintf("Person %04d", i))
			if err != nil {
				return err
			}
			ids = append(ids, p.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	actors := make([]groups.Actor, people)
	for i, id := range ids {
		actors[i] = groups.Actor{Actor: record.Actor{ID: id, Name: fmt.Sprintf("Person %04d", i)}}
	}

	// Registrations, each in its own transaction, as people register.
	t0 := time.Now()
	for i, by := range actors {
		typ := meetings.Onsite
		if i%3 == 0 {
			typ = meetings.Remote
		}
		if _, err := ms.Register(ctx, by, "125", meetings.NewRegistration{Name: by.Name, Affiliation: fmt.Sprintf("Org %d", i%97), Country: "FR", Type: typ}); err != nil {
			b.Fatal(err)
		}
	}
	regTime := time.Since(t0)

	// Blue-sheet lines: each person marks 20 distinct sessions. The first
	// 5,000 one transaction each, as in the rooms; the rest joined in
	// transactions of 1,000, as an import of paper sheets would.
	now = m.End().Add(time.Hour)
	rng := rand.New(rand.NewPCG(1, 2))
	type mark struct {
		by      groups.Actor
		session int64
	}
	var marks []mark
	per := lines / people
	for _, by := range actors {
		for _, k := range rng.Perm(len(sessions))[:per] {
			marks = append(marks, mark{by, sessions[k]})
		}
	}
	rng.Shuffle(len(marks), func(i, j int) { marks[i], marks[j] = marks[j], marks[i] })
	single := 5000
	t0 = time.Now()
	for _, mk := range marks[:single] {
		if err := ms.Attend(ctx, mk.by, "125", mk.session); err != nil {
			b.Fatal(err)
		}
	}
	singleTime := time.Since(t0)
	t0 = time.Now()
	for start := single; start < len(marks); start += 1000 {
		err := body.DB.Write(ctx, func(tx *db.Tx) error {
			c := db.WithTx(ctx, tx)
			for _, mk := range marks[start:min(start+1000, len(marks))] {
				if err := ms.Attend(c, mk.by, "125", mk.session); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	batchTime := time.Since(t0)
	b.Logf("engine %s: %d registrations in %v (%v each); %d lines one transaction each in %v (%v each); %d lines in transactions of 1,000 in %v (%v each)",
		body.DB.Dialect, people, regTime.Round(time.Millisecond), (regTime / people).Round(time.Microsecond),
		single, singleTime.Round(time.Millisecond), (singleTime / time.Duration(single)).Round(time.Microsecond),
		len(marks)-single, batchTime.Round(time.Millisecond), (batchTime / time.Duration(len(marks)-single)).Round(time.Microsecond))

	h := newServer(b, Config{DB: body.DB, People: body.People, Groups: body.Groups, Meetings: ms, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler()
	get := func(path string, rendered bool) time.Duration {
		req := httptest.NewRequest("GET", path, nil)
		if rendered {
			// A session cookie (even an unknown one) skips the page cache.
			req.AddCookie(&http.Cookie{Name: "hum_session", Value: "none"})
		}
		w := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(w, req)
		d := time.Since(t0)
		if w.Code != 200 {
			b.Fatalf("%s: %d\n%.500s", path, w.Code, w.Body.String())
		}
		return d
	}
	for _, path := range []string{"/meeting/125/attendees/", "/meeting/125/attendance/", "/meeting/125/attendance.svg",
		"/meeting/125/session/wg07/attendance/", "/group/wg07/meetings/attendance/", "/group/wg07/meetings/attendance.svg"} {
		get(path, true)  // warm the process's statement caches
		get(path, false) // fill the page cache
		const n = 10
		var rendered, cached time.Duration
		for range n {
			rendered += get(path, true)
			cached += get(path, false)
		}
		b.Logf("%-42s rendered %8v   cached %8v", path, (rendered / n).Round(10*time.Microsecond), (cached / n).Round(time.Microsecond))
	}
}

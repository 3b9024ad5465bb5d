package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"hum/internal/db"
	"hum/internal/db/dbtest"
)

// TestTimeReadsWhatTheDriverWrites: Time reads each timestamp as the
// SQLite driver's layouts do (the same instant, or an error for both),
// whatever its fraction, offset and separator, in its one-pass reading
// and in its fallback.
func TestTimeReadsWhatTheDriverWrites(t *testing.T) {
	layouts := []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02 15:04", "2006-01-02", "2006-01-02 15:04:05.999999999 -0700 MST"}
	driver := func(s string) (time.Time, bool) {
		ts, _ := strings.CutSuffix(s, "Z")
		for _, l := range layouts {
			if v, err := time.Parse(l, ts); err == nil {
				return v, true
			}
		}
		return time.Time{}, false
	}
	values := []string{"2015-05-22 12:46:49+00:00", "2026-12-05 18:06:44.879649+00:00", "2024-02-29 23:59:59.999999999-11:30",
		"2023-02-29 10:00:00+00:00", "2024-13-01 10:00:00+00:00", "2024-01-01 24:00:00+00:00", "2024-01-01T10:00:00+05:45",
		"2024-01-01 10:00:00Z", "2024-01-01 10:00:00.Z", "2024-01-01 10:00:00.1234567891+00:00", "2024-01-01 10:00:00+0000",
		"2024-01-01 10:00", "2024-01-01", "2024-01-01 10:00:00 +0000 UTC", "2024-1-01 10:00:00+00:00", "", "x",
		"2024-01-01 10:00:00+00:60", "2024-01-01 10:00:00-00:30"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		at := time.Unix(rng.Int64N(4e9)-1e9, rng.Int64N(1e9)*int64(rng.IntN(2))).In(time.FixedZone("", (rng.IntN(48)-24)*1800))
		values = append(values, at.Format(layouts[rng.IntN(2)]))
	}
	fast := 0
	for _, v := range values {
		want, ok := driver(v)
		var got db.Time
		err := got.Scan(v)
		if ok != (err == nil) || ok && !got.Equal(want) {
			t.Errorf("Time.Scan(%q) = %v, %v; the driver's layouts give %v, %v", v, got.Time, err, want, ok)
		}
		if _, ok := db.ParseStored(v); ok {
			fast++
		}
	}
	if fast < 2000 {
		t.Errorf("only %d of %d values read in one pass", fast, len(values))
	}
	var got db.Time
	now := time.Now()
	if err := got.Scan(now); err != nil || !got.Equal(now) {
		t.Errorf("Time.Scan(a time.Time) = %v, %v", got.Time, err)
	}
}

// TestTimeColReadsTheStoredText: a timestamp selected through TimeCol
// comes from SQLite's driver as the text stored, unparsed (from
// PostgreSQL's as a time), and reads into a Time as the same instant
// that the column itself gives the driver's own parsing.
func TestTimeColReadsTheStoredText(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	at := []time.Time{time.Date(2015, 5, 22, 12, 46, 49, 0, time.UTC), time.Date(2026, 12, 5, 18, 6, 44, 879649000, time.UTC)}
	if err := d.Write(ctx, func(tx *db.Tx) error {
		for i, a := range at {
			if _, err := tx.ExecContext(ctx, `INSERT INTO event (at, actor, subject_type, subject, kind, summary, why) VALUES ($1, '', 'group', 'x', 'test', $2, '')`, a, fmt.Sprint(i)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rows, err := d.QueryContext(ctx, `SELECT at, `+d.Dialect.TimeCol("at")+`, `+d.Dialect.TimeCol("at")+` FROM event WHERE kind = 'test' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var plain time.Time
		var raw any
		var read db.Time
		if err := rows.Scan(&plain, &raw, &read); err != nil {
			t.Fatal(err)
		}
		if _, isText := raw.(string); isText != (d.Dialect == db.SQLite) {
			t.Errorf("through TimeCol the driver gives a %T; want text on SQLite only", raw)
		}
		if !read.Equal(plain) || !read.Equal(at[n]) {
			t.Errorf("row %d: Time read %v, the column %v; stored %v", n, read.Time, plain, at[n])
		}
		n++
	}
	if err := rows.Err(); err != nil || n != len(at) {
		t.Fatalf("%d rows, %v", n, err)
	}
}

package db

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestMigration0034LinksRowsToTheirEvents: on a database an older hum
// left, migration 0034 gives each ballot position and each telechat
// placement the event that recorded it, one event each even when an AD
// took two positions within one tick of the clock (matched in order).
func TestMigration0034LinksRowsToTheirEvents(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Hour)
	d := migratedOver(t, 34, []seed{
		{`INSERT INTO person (id, name, created) VALUES (1, 'Ada Director', $1), (2, 'Bo Director', $1)`, []any{t0}},
		{`INSERT INTO doc (id, name, type, title, state, created, updated) VALUES (1, 'draft-a', 'draft', 'A', 'active', $1, $1),
			(2, 'draft-b', 'draft', 'B', 'active', $1, $1)`, []any{t0}},
		{`INSERT INTO ballot (id, doc_id, opened) VALUES (1, 1, $1), (2, 2, $1)`, []any{t0}},
		// Events 1-5: Ada twice on draft-a at t1, Bo on draft-a, Ada on draft-b, all at t1; a telechat placement.
		{`INSERT INTO event (id, at, actor_id, actor, subject_type, subject, kind, summary) VALUES
			(1, $1, 1, 'Ada Director', 'doc', 'draft-a', 'ballot_position', 'yes'),
			(2, $1, 1, 'Ada Director', 'doc', 'draft-a', 'ballot_position', 'noobj'),
			(3, $1, 2, 'Bo Director', 'doc', 'draft-a', 'ballot_position', 'yes'),
			(4, $1, 1, 'Ada Director', 'doc', 'draft-b', 'ballot_position', 'yes'),
			(5, $1, 1, 'Ada Director', 'doc', 'draft-a', 'telechat', 'Placed on agenda for telechat - 2024-03-14')`, []any{t1}},
		{`INSERT INTO ballot_position (id, ballot_id, person_id, pos, at) VALUES
			(10, 1, 1, 'yes', $1), (11, 1, 1, 'noobj', $1), (12, 1, 2, 'yes', $1), (13, 2, 1, 'yes', $1)`, []any{t1}},
		{`INSERT INTO telechat_doc (id, doc_id, date, by_id, at) VALUES (20, 1, '2024-03-14', 1, $1)`, []any{t1}},
	})
	got := ""
	for _, q := range []string{`SELECT id, event_id FROM ballot_position ORDER BY id`, `SELECT id, event_id FROM telechat_doc ORDER BY id`} {
		rows, err := d.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, ev int64
			if err := rows.Scan(&id, &ev); err != nil {
				t.Fatal(err)
			}
			got += fmt.Sprintf("%d:%d ", id, ev)
		}
		rows.Close()
	}
	if want := "10:1 11:2 12:3 13:4 20:5 "; got != want {
		t.Errorf("row:event %q, want %q", got, want)
	}
}

package db

import (
	"context"
	"testing"
	"time"
)

// TestMigration0033KeepsEndedRolesAndPublishesWGArchives: on a database
// an older hum left, migration 0033 turns the record's role revocations
// into role_ended rows by account (R46: matched to the one account that
// bears the name, its start the latest grant before it; a name two
// accounts bear is left out), and makes a WG's private archive public,
// once, with an event naming R19.
func TestMigration0033KeepsEndedRolesAndPublishesWGArchives(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 := time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	d := migratedOver(t, 33, []seed{
		{`INSERT INTO person (id, name, created) VALUES (1, 'Pia Past', $1), (2, 'Tom Twin', $1), (3, 'Tom Twin', $1)`, []any{t0}},
		{`INSERT INTO grp (id, acronym, name, type, state, created, updated) VALUES (1, 'httpbis', 'HTTP', 'wg', 'active', $1, $1), (2, 'hush', 'Hush', 'rg', 'active', $1, $1)`, []any{t0}},
		{`INSERT INTO event (at, actor, subject_type, subject, kind, summary) VALUES
			($1, 'x', 'group', 'httpbis', 'role_granted', 'Pia Past is now Chair'),
			($1, 'x', 'group', 'httpbis', 'role_granted', 'Tom Twin is now Secretary'),
			($2, 'x', 'group', 'httpbis', 'role_revoked', 'Pia Past is no longer Chair'),
			($2, 'x', 'group', 'httpbis', 'role_revoked', 'Tom Twin is no longer Secretary'),
			($2, 'x', 'group', 'httpbis', 'role_revoked', 'Pia Past is no longer Liaison Member')`, []any{t0, t1}},
		{`INSERT INTO list (name, group_id, archive_public, created) VALUES ('httpbis', 1, FALSE, $1), ('hush', 2, FALSE, $1)`, []any{t0}},
	})
	type ended struct {
		person  int64
		role    string
		started time.Time
		ended   time.Time
	}
	rows, err := d.QueryContext(ctx, `SELECT person_id, name, started, ended FROM role_ended ORDER BY event_id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []ended
	for rows.Next() {
		var e ended
		var started *time.Time
		if err := rows.Scan(&e.person, &e.role, &started, &e.ended); err != nil {
			t.Fatal(err)
		}
		if started != nil {
			e.started = *started
		}
		got = append(got, e)
	}
	rows.Close()
	want := []ended{{1, "chair", t0, t1}, {1, "liaison", time.Time{}, t1}}
	if len(got) != len(want) {
		t.Fatalf("role_ended %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].person != want[i].person || got[i].role != want[i].role || !got[i].started.Equal(want[i].started) || !got[i].ended.Equal(want[i].ended) {
			t.Errorf("role_ended[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	var private, events int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM list WHERE NOT archive_public AND name = 'httpbis'`).Scan(&private); err != nil || private != 0 {
		t.Errorf("R19: the WG's archive is still private (%d, %v)", private, err)
	}
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM list WHERE NOT archive_public AND name = 'hush'`).Scan(&private); err != nil || private != 1 {
		t.Errorf("an RG's private archive was made public (%d, %v)", private, err)
	}
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM event WHERE subject_type = 'list' AND subject = 'httpbis' AND kind = 'list_configured' AND summary LIKE '%(R19)'`).Scan(&events); err != nil || events != 1 {
		t.Errorf("R19: %d events on httpbis's record, want 1 (%v)", events, err)
	}
}

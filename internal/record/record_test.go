package record_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"hum/internal/db"
	"hum/internal/db/dbtest"
	"hum/internal/record"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func addPerson(t *testing.T, d *db.DB, name string) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRow(`INSERT INTO person (name, created) VALUES ($1, $2) RETURNING id`, name, t0).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func add(t *testing.T, d *db.DB, a record.Actor, st, subj, kind, summary, why string) {
	t.Helper()
	err := d.Write(context.Background(), func(tx *db.Tx) error {
		return record.Add(context.Background(), tx, a, st, subj, kind, summary, why)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestActorString(t *testing.T) {
	for _, tc := range []struct {
		a    record.Actor
		want string
	}{
		{record.Actor{}, "(System)"},
		{record.System, "(System)"},
		{record.Actor{ID: 3, Name: "Ada"}, "Ada"},
		{record.Actor{ID: 3}, "(System)"},
	} {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.a, got, tc.want)
		}
	}
}

func TestAddListByActorVersion(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	now := t0
	d.Now = func() time.Time { return now }

	if v, err := record.Version(ctx, d); err != nil || v != 0 {
		t.Fatalf("Version of an empty record = %d, %v; want 0, nil", v, err)
	}
	ada := addPerson(t, d, "Ada")
	add(t, d, record.System, "group", "quic", "group_created", "WG quic created", "")
	now = now.Add(time.Minute)
	add(t, d, record.Actor{ID: ada, Name: "Ada"}, "group", "quic", "role_granted", "Bob is now Chair", "R44")
	now = now.Add(time.Minute)
	add(t, d, record.Actor{ID: ada, Name: "Ada"}, "person", record.SubjectID(ada), "profile_changed", "Profile changed", "")

	got, err := record.List(ctx, d, "group", "quic", 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []record.Event{
		{At: t0.Add(time.Minute), ActorID: ada, Actor: "Ada", SubjectType: "group", Subject: "quic", Kind: "role_granted", Summary: "Bob is now Chair", Why: "R44"},
		{At: t0, ActorID: 0, Actor: "(System)", SubjectType: "group", Subject: "quic", Kind: "group_created", Summary: "WG quic created"},
	}
	ignoreID := cmpopts.IgnoreFields(record.Event{}, "ID")
	if diff := cmp.Diff(want, got, ignoreID); diff != "" {
		t.Errorf("List(group, quic) (-want +got):\n%s", diff)
	}
	if len(got) == 2 && got[0].ID <= got[1].ID {
		t.Errorf("List is not newest first: ids %d, %d", got[0].ID, got[1].ID)
	}

	if got, _ := record.List(ctx, d, "group", "quic", 1); len(got) != 1 || got[0].Kind != "role_granted" {
		t.Errorf("List with limit 1 = %+v, want only the newest event", got)
	}
	if got, _ := record.List(ctx, d, "group", "tls", 10); len(got) != 0 {
		t.Errorf("List of another subject = %+v, want none", got)
	}

	byAda, err := record.ByActor(ctx, d, ada, 10)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range byAda {
		kinds = append(kinds, e.Kind)
	}
	if diff := cmp.Diff([]string{"profile_changed", "role_granted"}, kinds); diff != "" {
		t.Errorf("ByActor kinds (-want +got):\n%s", diff)
	}

	v, err := record.Version(ctx, d)
	if err != nil || v != byAda[0].ID {
		t.Errorf("Version = %d, %v; want the newest id %d", v, err, byAda[0].ID)
	}
}

func TestAddRolledBackWithItsChange(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	errBoom := context.Canceled
	err := d.Write(ctx, func(tx *db.Tx) error {
		if err := record.Add(ctx, tx, record.System, "group", "quic", "group_created", "x", ""); err != nil {
			return err
		}
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("Write = %v, want %v", err, errBoom)
	}
	if got, _ := record.List(ctx, d, "group", "quic", 10); len(got) != 0 {
		t.Errorf("an event of a rolled-back change survived: %+v", got)
	}
}

func TestSubjectID(t *testing.T) {
	if got := record.SubjectID(42); got != "42" {
		t.Errorf("SubjectID(42) = %q", got)
	}
}

// AddID returns the id of the event it wrote, also when the transaction
// writes several and when an event of the same subject and kind came
// before (which MAX(id) would not tell apart from another transaction's).
func TestAddIDNamesItsOwnEvent(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	add(t, d, record.Actor{}, "group", "quic", "posting_suspended", "earlier", "")
	var first, second int64
	err := d.Write(ctx, func(tx *db.Tx) (err error) {
		if first, err = record.AddID(ctx, tx, record.Actor{}, "group", "quic", "posting_suspended", "first", ""); err != nil {
			return err
		}
		second, err = record.AddID(ctx, tx, record.Actor{}, "group", "quic", "posting_suspended", "second", "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[int64]string{first: "first", second: "second"} {
		var got string
		if err := d.QueryRow(`SELECT summary FROM event WHERE id = $1`, id).Scan(&got); err != nil || got != want {
			t.Errorf("event %d: summary %q (%v), want %q", id, got, err, want)
		}
	}
}

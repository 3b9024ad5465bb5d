// Package record is the open record: every change in hum is an event that
// says who made it, when, what changed and, when given, why. Events are
// written in the same transaction as the change, so the record and the
// state never disagree. The highest event id doubles as a version of the
// whole database, which web's pages and the API (opendata) validate their
// caches by, read through Versions.
package record

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"hum/internal/db"
)

// Actor is who made a change. The zero Actor is hum itself.
type Actor struct {
	ID   int64
	Name string
}

// System is hum acting on its own (timers, imports, the demo).
var System = Actor{Name: "(System)"}

func (a Actor) String() string {
	if a.Name == "" {
		return System.Name
	}
	return a.Name
}

// Event is one entry of the record.
type Event struct {
	ID          int64
	At          time.Time
	ActorID     int64
	Actor       string
	SubjectType string // "group", "person", ...
	Subject     string // the group acronym, the person id, ...
	Kind        string // "role_granted", "charter_revised", ...
	Summary     string
	Why         string
}

// Add writes an event in tx, at the transaction's time.
func Add(ctx context.Context, tx *db.Tx, a Actor, subjectType, subject, kind, summary, why string) error {
	_, err := AddID(ctx, tx, a, subjectType, subject, kind, summary, why)
	return err
}

// AddID is Add, returning the new event's id, for a change that links to
// its own event (a suspension's appeal link, a confirmation that a
// seating cites). It is the id this INSERT made: reading MAX(id) back
// afterwards could, on PostgreSQL, return another transaction's event.
func AddID(ctx context.Context, tx *db.Tx, a Actor, subjectType, subject, kind, summary, why string) (id int64, err error) {
	err = tx.QueryRowContext(ctx, `INSERT INTO event (at, actor_id, actor, subject_type, subject, kind, summary, why)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, tx.Now, a.id(), a.String(), subjectType, subject, kind, summary, why).Scan(&id)
	return id, err
}

// id is the actor's person id, NULL for hum itself.
func (a Actor) id() sql.NullInt64 {
	return sql.NullInt64{Int64: a.ID, Valid: a.ID != 0}
}

// Change is one event for AddAll: Add's arguments.
type Change struct {
	Actor                                    Actor
	SubjectType, Subject, Kind, Summary, Why string
}

// AddAll writes an event for each change in tx, at the transaction's time,
// with a few multi-row INSERTs: for bulk loaders that record thousands of
// changes (the RFC index import).
func AddAll(ctx context.Context, tx *db.Tx, cs []Change) error {
	// SQLite looks $N names up in a list, so a statement with many
	// parameters costs it the square of their number: smaller batches.
	batch := 400
	if tx.Dialect == db.SQLite {
		batch = 25
	}
	for len(cs) > 0 {
		part := cs[:min(batch, len(cs))]
		cs = cs[len(part):]
		args := make([]any, 0, len(part)*8)
		for _, c := range part {
			args = append(args, tx.Now, c.Actor.id(), c.Actor.String(), c.SubjectType, c.Subject, c.Kind, c.Summary, c.Why)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO event (at, actor_id, actor, subject_type, subject, kind, summary, why)
		VALUES `+db.Values(len(part), 8), args...); err != nil {
			return err
		}
	}
	return nil
}

// SubjectID formats a numeric id as a subject.
func SubjectID(id int64) string { return strconv.FormatInt(id, 10) }

// List returns the newest events about one subject, newest first.
func List(ctx context.Context, q db.Querier, subjectType, subject string, limit int) ([]Event, error) {
	return query(ctx, q, `WHERE subject_type = $1 AND subject = $2 ORDER BY id DESC LIMIT $3`, subjectType, subject, limit)
}

// ByActor returns the newest events made by a person.
func ByActor(ctx context.Context, q db.Querier, actorID int64, limit int) ([]Event, error) {
	return query(ctx, q, `WHERE actor_id = $1 ORDER BY id DESC LIMIT $2`, actorID, limit)
}

// Version is the id of the newest event: it changes whenever anything does.
func Version(ctx context.Context, q db.Querier) (int64, error) {
	var v sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT MAX(id) FROM event`).Scan(&v)
	return v.Int64, err
}

func query(ctx context.Context, q db.Querier, where string, args ...any) ([]Event, error) {
	return db.Query(ctx, q, scanEvent, `SELECT id, at, COALESCE(actor_id, 0), actor, subject_type, subject, kind, summary, why FROM event `+where, args...)
}

func scanEvent(row db.Scanner) (Event, error) {
	var e Event
	err := row.Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.SubjectType, &e.Subject, &e.Kind, &e.Summary, &e.Why)
	return e, err
}

// Recent returns the newest events about any subject of one type.
func Recent(ctx context.Context, q db.Querier, subjectType string, limit int) ([]Event, error) {
	return query(ctx, q, `WHERE subject_type = $1 ORDER BY id DESC LIMIT $2`, subjectType, limit)
}

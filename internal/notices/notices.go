// Package notices tells people of changes to documents, as the
// Datatracker's state update notices and its personal tracking lists do.
// It reads the open record (package record) past a cursor and, for each
// change to a document that the Datatracker notifies for (states, the
// responsible AD, the shepherd, the intended status, ballots, Last Call,
// replacement, publication, new revisions), mails the document's notify
// list ({draft}.notify@, package aliases) and everyone who follows the
// document or its group in "each" mode; people who follow in "daily"
// mode get one summary a day. Following is personal: it is kept in the
// follow table, not in the open record.
//
// The record is the only input: a capability that changes a document
// writes its event as it always did, and its notice follows within a
// minute from the job runner, in the transaction that moves the cursor,
// so a notice is queued exactly once however many processes run hum.
package notices

import (
	"context"
	"log/slog"
	"time"

	"hum/internal/db"
	"hum/internal/jobs"
	"hum/internal/mail"
)

// Mailer queues mail in a transaction: the followers' copies, through
// the aliases' and the lists' routers.
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}

// NotifyLists mails a document's notify alias ({draft}.notify@, package
// aliases), when it reaches anyone now, and tells whom it reaches: the
// alias is looked up once, for both.
type NotifyLists interface {
	MailNotify(ctx context.Context, tx *db.Tx, name string, m mail.Message) (reach []string, err error)
}

// Service sends the notices and keeps who follows what.
type Service struct {
	DB      *db.DB
	Mail    Mailer
	Notify  NotifyLists
	BaseURL string // for links in the notices
	Domain  string // notices come from hum@{Domain}
	Log     *slog.Logger
}

// Modes of following: a notice per change, or one summary a day.
const (
	Each  = "each"
	Daily = "daily"
)

// settle is how long the notices wait at a gap in the record's ids
// before passing it. On PostgreSQL an id is taken when its event is
// written, not when its transaction commits, so a gap may be a
// transaction still under way: waiting until the event after the gap is
// this old passes it only once that transaction has committed or rolled
// back, for any transaction shorter than settle (hum's writes take
// milliseconds). SQLite commits one writer at a time, so its record has
// no such gaps.
const settle = time.Minute

// batch is how many events one transaction of the notices reads.
const batch = 500

// Jobs are the notices' periodic work, for the job runner.
func (s *Service) Jobs() []jobs.Job {
	return []jobs.Job{
		{Name: "document notices", Every: time.Minute, Run: func(ctx context.Context) error {
			n, err := s.SendNotices(ctx)
			if n > 0 {
				s.log().Info("document notices queued", "changes", n)
			}
			return err
		}},
		{Name: "daily summaries", Every: time.Hour, Run: func(ctx context.Context) error {
			n, err := s.SendSummaries(ctx)
			if n > 0 {
				s.log().Info("daily summaries queued", "people", n)
			}
			return err
		}},
	}
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func (s *Service) from() string { return "hum@" + s.Domain }

// Skip moves both cursors to the newest event, so that nothing written so
// far is ever mailed: the demo calls it once it is loaded, since its story
// is thousands of changes nobody should be told of.
func (s *Service) Skip(ctx context.Context) error {
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if err := startCursors(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE notice_cursor SET last_event = (SELECT COALESCE(MAX(id), 0) FROM event)`)
		return err
	})
}

// startCursors makes both cursors at the newest event, unless they are
// there: together, so that the summaries start where the notices do.
// (WHERE 1 = 1 lets SQLite tell the upsert's ON from a join's.)
func startCursors(ctx context.Context, tx *db.Tx) error {
	for _, name := range []string{Each, Daily} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_cursor (name, last_event) SELECT $1, COALESCE(MAX(id), 0) FROM event WHERE 1 = 1
			ON CONFLICT (name) DO NOTHING`, name); err != nil {
			return err
		}
	}
	return nil
}

// cursor reads a cursor in tx, made at the newest event on the first run
// (so that a database's past is never mailed), locking its row on
// PostgreSQL so that a second process running the same job waits, then
// finds the work done. (SQLite's writers take the database's lock at
// BEGIN.)
func cursor(ctx context.Context, tx *db.Tx, name string) (last int64, day string, err error) {
	if err := startCursors(ctx, tx); err != nil {
		return 0, "", err
	}
	lock := ""
	if tx.Dialect == db.Postgres {
		lock = " FOR UPDATE"
	}
	err = tx.QueryRowContext(ctx, `SELECT last_event, day FROM notice_cursor WHERE name = $1`+lock, name).Scan(&last, &day)
	return last, day, err
}

// moveCursor moves a cursor from old, which it must still be at.
func moveCursor(ctx context.Context, tx *db.Tx, name string, old, to int64, day string) error {
	res, err := tx.ExecContext(ctx, `UPDATE notice_cursor SET last_event = $1, day = $2 WHERE name = $3 AND last_event = $4`, to, day, name, old)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return errMoved
	}
	return nil
}

type movedError struct{}

func (movedError) Error() string { return "notices: another process moved the cursor" }

var errMoved error = movedError{}

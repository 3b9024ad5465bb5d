// Package telechat is the IESG's formal telechat: its dates, which the
// secretariat sets (every other Thursday), the documents the responsible
// ADs place on each, the secretariat's management items, and the agenda
// built from them in the sections the IESG uses (the Datatracker's
// ietf/iesg/agenda.py). It owns the tables telechat_date, telechat_doc
// and telechat_item (migration 0028) and telechat_charter (0031);
// documents and their ballots are read through docs, charters and theirs
// through charters. Every change is an event: dates and items on the
// IESG's record (subject "group" "iesg"), placements on the document's.
package telechat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hum/internal/charters"
	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Service keeps the telechats.
type Service struct {
	DB   *db.DB
	Docs *docs.Service // the documents placed, their states and ballots
	// Charters are the charters under IESG review placed on telechats
	// (the agenda's section 4) and their ballots; nil leaves section 4
	// empty.
	Charters *charters.Service
}

// With returns a service like s on d (the demo's clock set back) and
// documents service ds.
func (s *Service) With(d *db.DB, ds *docs.Service) *Service {
	n := &Service{DB: d, Docs: ds}
	if s.Charters != nil {
		cs := *s.Charters
		cs.DB = d
		n.Charters = &cs
	}
	return n
}

const day = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date as the UTC midnight that starts it.
func ParseDate(field, v string) (time.Time, error) {
	t, err := time.Parse(day, strings.TrimSpace(v))
	if err != nil {
		return t, fail.Field(field, "%q is not a date; give it as YYYY-MM-DD.", v)
	}
	return t, nil
}

// today is the UTC date of the clock.
func today(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func dateOf(s string) time.Time { t, _ := time.Parse(day, s); return t }

// Dates lists the telechat dates from one on (inclusive), at most n (0:
// all of them).
func (s *Service) Dates(ctx context.Context, from time.Time, n int) ([]time.Time, error) {
	q := `SELECT date FROM telechat_date WHERE date >= $1 ORDER BY date`
	args := []any{from.Format(day)}
	if n > 0 {
		q += ` LIMIT $2`
		args = append(args, n)
	}
	ds, err := db.Query(ctx, s.DB, db.Scalar[string], q, args...)
	out := make([]time.Time, len(ds))
	for i, d := range ds {
		out[i] = dateOf(d)
	}
	return out, err
}

// Upcoming lists the telechats from today on, at most n (0: all).
func (s *Service) Upcoming(ctx context.Context, n int) ([]time.Time, error) {
	return s.Dates(ctx, today(s.DB.Now()), n)
}

// Next is the next telechat, today's included; ok is false when the
// secretariat has set none.
func (s *Service) Next(ctx context.Context) (t time.Time, ok bool, err error) {
	ds, err := s.Upcoming(ctx, 1)
	if err != nil || len(ds) == 0 {
		return t, false, err
	}
	return ds[0], true, nil
}

// IsDate reports whether t is a telechat date.
func (s *Service) IsDate(ctx context.Context, t time.Time) (bool, error) {
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM telechat_date WHERE date = $1`, t.Format(day)).Scan(&n)
	return n > 0, err
}

func secretariat(by groups.Actor, what string) error {
	if by.Secretariat() {
		return nil
	}
	return fail.New(fail.Forbidden, "Only the secretariat %s.", what)
}

// AddDates adds telechat dates, today or later. Dates already set are
// left as they are; it is an error only when all of them are.
func (s *Service) AddDates(ctx context.Context, by groups.Actor, dates []time.Time, why string) (added int, err error) {
	defer fail.Wrap(&err, "telechat.AddDates")
	if err := secretariat(by, "sets the IESG telechat dates"); err != nil {
		return 0, err
	}
	if len(dates) == 0 {
		return 0, fail.Field("date", "Give a date.")
	}
	if len(dates) > 60 {
		return 0, fail.Field("count", "At most 60 dates at once (over two years of telechats).")
	}
	first := today(s.DB.Now())
	for _, d := range dates {
		if d.Before(first) {
			return 0, fail.Field("date", "%s is in the past; telechat dates are set ahead.", d.Format(day))
		}
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		var names []string
		for _, d := range dates {
			res, err := tx.ExecContext(ctx, `INSERT INTO telechat_date (date) VALUES ($1) ON CONFLICT (date) DO NOTHING`, d.Format(day))
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 1 {
				names = append(names, d.Format(day))
			}
		}
		if len(names) == 0 {
			return fail.New(fail.Conflict, "Every date given is a telechat date already.")
		}
		added = len(names)
		slices.Sort(names)
		word := "date"
		if len(names) > 1 {
			word = "dates"
		}
		return record.Add(ctx, tx, by.Actor, "group", "iesg", "telechat_dates", "IESG telechat "+word+" added: "+strings.Join(names, ", "), why)
	})
	return added, err
}

// Series is n telechats every other Thursday from first, which must be a
// Thursday, as the IESG meets.
func Series(first time.Time, n int) ([]time.Time, error) {
	if first.Weekday() != time.Thursday {
		return nil, fail.Field("first", "%s is a %s: the IESG's telechats are on Thursdays.", first.Format(day), first.Weekday())
	}
	if n < 1 || n > 60 {
		return nil, fail.Field("count", "Give between 1 and 60 telechats.")
	}
	out := make([]time.Time, n)
	for i := range out {
		out[i] = first.AddDate(0, 0, 14*i)
	}
	return out, nil
}

// RemoveDate takes a telechat date away. A date with documents or
// management items on its agenda stays until they are moved.
func (s *Service) RemoveDate(ctx context.Context, by groups.Actor, t time.Time, why string) (err error) {
	defer fail.Wrap(&err, "telechat.RemoveDate(%s)", t.Format(day))
	if err := secretariat(by, "sets the IESG telechat dates"); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		on, err := s.placedOn(ctx, tx, t)
		if err != nil {
			return err
		}
		if len(on) > 0 {
			var names []string
			for _, p := range on {
				names = append(names, p.name)
			}
			return fail.New(fail.Conflict, "The %s telechat has documents on its agenda (%s): their ADs move them first.", t.Format(day), strings.Join(names, ", "))
		}
		var items int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM telechat_item WHERE date = $1`, t.Format(day)).Scan(&items); err != nil {
			return err
		}
		if items > 0 {
			return fail.New(fail.Conflict, "The %s telechat has management items on its agenda: remove them first.", t.Format(day))
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM telechat_date WHERE date = $1`, t.Format(day))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fail.New(fail.NotFound, "%s is not a telechat date.", t.Format(day))
		}
		return record.Add(ctx, tx, by.Actor, "group", "iesg", "telechat_dates", "IESG telechat date removed: "+t.Format(day), why)
	})
}

// Item is a management item on a telechat's agenda.
type Item struct {
	ID    int64
	Date  time.Time
	Title string
	Text  string
}

// AddItem puts a management item on a telechat's agenda.
func (s *Service) AddItem(ctx context.Context, by groups.Actor, t time.Time, title, text string) (err error) {
	defer fail.Wrap(&err, "telechat.AddItem(%s)", t.Format(day))
	if err := secretariat(by, "puts management items on the telechat agenda"); err != nil {
		return err
	}
	title, text = strings.TrimSpace(title), strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch {
	case title == "":
		return fail.Field("title", "Give the item a title.")
	case len(title) > 200:
		return fail.Field("title", "The title is longer than 200 characters.")
	case len(text) > 20_000:
		return fail.Field("text", "The text is longer than 20,000 characters.")
	}
	if ok, err := s.IsDate(ctx, t); err != nil {
		return err
	} else if !ok {
		return fail.Field("date", "%s is not a telechat date.", t.Format(day))
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO telechat_item (date, title, text, created) VALUES ($1, $2, $3, $4)`, t.Format(day), title, text, tx.Now); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "group", "iesg", "telechat_item", fmt.Sprintf("Management item for the %s telechat: %s", t.Format(day), title), "")
	})
}

// RemoveItem takes a management item off its agenda.
func (s *Service) RemoveItem(ctx context.Context, by groups.Actor, id int64) (err error) {
	defer fail.Wrap(&err, "telechat.RemoveItem(%d)", id)
	if err := secretariat(by, "puts management items on the telechat agenda"); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		var date, title string
		err := tx.QueryRowContext(ctx, `SELECT date, title FROM telechat_item WHERE id = $1`, id).Scan(&date, &title)
		if errors.Is(err, sql.ErrNoRows) {
			return fail.New(fail.NotFound, "There is no management item %d.", id)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM telechat_item WHERE id = $1`, id); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "group", "iesg", "telechat_item", fmt.Sprintf("Management item removed from the %s telechat: %s", date, title), "")
	})
}

// Items lists the management items of a telechat.
func (s *Service) Items(ctx context.Context, t time.Time) ([]Item, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (Item, error) {
		var i Item
		var d string
		err := row.Scan(&i.ID, &d, &i.Title, &i.Text)
		i.Date = dateOf(d)
		return i, err
	}, `SELECT id, date, title, text FROM telechat_item WHERE date = $1 ORDER BY id`, t.Format(day))
}

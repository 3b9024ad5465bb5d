package implementations

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Add records a report of an implementation of the draft name. Anyone
// logged in may; the draft and the revision implemented must exist.
func (s *Service) Add(ctx context.Context, name string, by groups.Actor, f Fields, why string) (r Report, err error) {
	defer fail.Wrap(&err, "implementations.Add(%q)", name)
	if err := loggedIn(by); err != nil {
		return r, err
	}
	d, err := s.draft(ctx, name, strings.TrimSpace(f.Rev))
	if err != nil {
		return r, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if f, err = clean(f, tx.Now); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO impl_report (doc_id, rev, name, organization, url, description, coverage, maturity, licence, contact, info_date, author_id, created, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
			d.ID, f.Rev, f.Name, f.Organization, f.URL, f.Description, f.Coverage, f.Maturity, f.Licence, f.Contact, f.Date, personID(by), tx.Now).Scan(&r.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "impl_added",
			fmt.Sprintf("Implementation report added: %s, of revision %s", label(f.Name, f.Organization), f.Rev), why)
	})
	if err != nil {
		return Report{}, err
	}
	return s.Get(ctx, r.ID)
}

// Change replaces the fields of report id.
func (s *Service) Change(ctx context.Context, id int64, by groups.Actor, f Fields, why string) (err error) {
	defer fail.Wrap(&err, "implementations.Change(%d)", id)
	old, d, err := s.editable(ctx, id, by)
	if err != nil {
		return err
	}
	if _, err := s.draft(ctx, d.Name, strings.TrimSpace(f.Rev)); err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		if f, err = clean(f, tx.Now); err != nil {
			return err
		}
		changed := diff(old, f)
		if len(changed) == 0 {
			return fail.New(fail.Invalid, "Nothing was changed in the report of %q.", old.Name)
		}
		res, err := tx.ExecContext(ctx, `UPDATE impl_report SET rev = $1, name = $2, organization = $3, url = $4, description = $5, coverage = $6,
			maturity = $7, licence = $8, contact = $9, info_date = $10, updated = $11 WHERE id = $12`,
			f.Rev, f.Name, f.Organization, f.URL, f.Description, f.Coverage, f.Maturity, f.Licence, f.Contact, f.Date, tx.Now, id)
		if err := one(res, err, old); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "impl_changed",
			fmt.Sprintf("Implementation report %s changed: %s", label(f.Name, f.Organization), strings.Join(changed, ", ")), why)
	})
}

// Remove deletes report id and the interoperability tests that name it,
// on either side. The record keeps what it said.
func (s *Service) Remove(ctx context.Context, id int64, by groups.Actor, why string) (err error) {
	defer fail.Wrap(&err, "implementations.Remove(%d)", id)
	old, d, err := s.editable(ctx, id, by)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM interop_test WHERE report_id = $1 OR other_id = $1`, id)
		if err != nil {
			return err
		}
		tests, err := res.RowsAffected()
		if err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, `DELETE FROM impl_report WHERE id = $1`, id)
		if err := one(res, err, old); err != nil {
			return err
		}
		summary := fmt.Sprintf("Implementation report removed: %s, of revision %s", label(old.Name, old.Organization), old.Rev)
		if tests > 0 {
			summary += fmt.Sprintf(", with %d interoperability test(s)", tests)
		}
		return record.Add(ctx, tx, by.Actor, "doc", d.Name, "impl_removed", summary, why)
	})
}

// editable loads report id and its draft, and checks that by may change it.
func (s *Service) editable(ctx context.Context, id int64, by groups.Actor) (Report, docs.Document, error) {
	if err := loggedIn(by); err != nil {
		return Report{}, docs.Document{}, err
	}
	r, err := s.Get(ctx, id)
	if err != nil {
		return r, docs.Document{}, err
	}
	d, err := s.Docs.Get(ctx, r.Doc)
	if err != nil {
		return r, d, err
	}
	if !mayChange(d, r, by) {
		return r, d, forbidden(r)
	}
	return r, d, nil
}

// one checks that an UPDATE or DELETE touched the report: none means
// someone changed or removed it a moment ago.
func one(res sql.Result, err error, r Report) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return fail.New(fail.Conflict, "The report of %q was changed by someone else a moment ago; reload the page and try again.", r.Name)
	}
	return nil
}

func diff(old Report, f Fields) []string {
	var out []string
	for _, c := range []struct{ name, a, b string }{
		{"revision", old.Rev, f.Rev}, {"name", old.Name, f.Name}, {"organization", old.Organization, f.Organization},
		{"URL", old.URL, f.URL}, {"description", old.Description, f.Description}, {"coverage", old.Coverage, f.Coverage},
		{"maturity", old.Maturity, f.Maturity}, {"licence", old.Licence, f.Licence}, {"contact", old.Contact, f.Contact},
		{"date", old.Date, f.Date},
	} {
		if c.a != c.b {
			out = append(out, c.name)
		}
	}
	return out
}

func label(name, org string) string {
	if org == "" {
		return name
	}
	return name + " (" + org + ")"
}

func personID(by groups.Actor) sql.NullInt64 { return db.NullID(by.ID) }

package docs

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/mail"
	"hum/internal/record"
)

// WarnDays is how long before expiry the authors are warned.
const WarnDays = 14

// ExpiryCounts says what one run of Expire did.
type ExpiryCounts struct{ Warned, Expired int }

// Expire is the periodic expiry job: it warns the authors of active
// drafts that expire within WarnDays, and expires the drafts whose 185
// days are up (R02) unless they are under IESG evaluation (R03). An
// expired draft stays readable, with all its revisions (R04). Run it every
// hour or so; it does nothing twice.
func (s *Service) Expire(ctx context.Context) (c ExpiryCounts, err error) {
	defer fail.Wrap(&err, "docs.Expire")
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		type due struct {
			id          int64
			name, rev   string
			title, iesg string
			expires     time.Time
		}
		load := func(q string, args ...any) ([]due, error) {
			return db.Query(ctx, tx, func(row db.Scanner) (due, error) {
				var d due
				err := row.Scan(&d.id, &d.name, &d.rev, &d.title, &d.iesg, &d.expires)
				return d, err
			}, q, args...)
		}
		const cols = `SELECT id, name, rev, title, iesg_state, expires FROM doc WHERE type = 'draft' AND state = 'active' AND `
		expired, err := load(cols+`expires <= $1 ORDER BY id`, tx.Now)
		if err != nil {
			return err
		}
		for _, d := range expired {
			if inIESGProcessing(d.iesg) {
				continue
			}
			// Conditional, as every process runs the timers: one that
			// expired it since the SELECT leaves this run nothing to do.
			ok, err := moved(tx.ExecContext(ctx, `UPDATE doc SET state = 'expired', updated = $1 WHERE id = $2 AND state = 'active'`, tx.Now, d.id))
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if err := record.Add(ctx, tx, record.System, "doc", d.name, "expired",
				fmt.Sprintf("%s-%s expired after %d days without a new revision", d.name, d.rev, ExpiryDays), "R02"); err != nil {
				return err
			}
			c.Expired++
		}
		warn, err := load(cols+`expires > $1 AND expires <= $2 AND expiry_warned = FALSE ORDER BY id`, tx.Now, tx.Now.Add(WarnDays*24*time.Hour))
		if err != nil {
			return err
		}
		for _, d := range warn {
			if inIESGProcessing(d.iesg) {
				continue
			}
			as, err := authors(ctx, tx, d.id)
			if err != nil {
				return err
			}
			var to []string
			for _, a := range as {
				if a.Email != "" {
					to = append(to, a.Email)
				}
			}
			ok, err := moved(tx.ExecContext(ctx, `UPDATE doc SET expiry_warned = TRUE WHERE id = $1 AND expiry_warned = FALSE`, d.id))
			if err != nil {
				return err
			}
			if !ok {
				continue // another process warned them
			}
			if len(to) > 0 {
				body := fmt.Sprintf("The Internet-Draft %s-%s, \"%s\", expires on %s.\n\nTo keep it active, post a new revision before then:\n\n  %s/submit/\n\nIts page: %s\n",
					d.name, d.rev, d.title, d.expires.UTC().Format("2006-01-02"), s.BaseURL, s.docURL(d.name))
				if err := s.Mail.Queue(ctx, tx, mail.Message{From: "internet-drafts@" + s.Domain, To: to,
					Subject: "Expiration impending: " + d.name + "-" + d.rev, Body: body}); err != nil {
					return err
				}
			}
			if err := record.Add(ctx, tx, record.System, "doc", d.name, "expiry_warning",
				"Authors warned that the draft expires on "+d.expires.UTC().Format("2006-01-02")+": "+strings.Join(to, ", "), ""); err != nil {
				return err
			}
			c.Warned++
		}
		return nil
	})
	return c, err
}

// moved reports whether a conditional UPDATE changed a row. The timers
// read what is due and then move each row on a condition of its old
// state: under PostgreSQL's READ COMMITTED another process's run may
// have moved it in between, and then the UPDATE changes nothing and the
// run must record and mail nothing.
func moved(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

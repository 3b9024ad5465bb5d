package docs

import (
	"context"
	"fmt"
	"hum/internal/jobs"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/record"
)

// Last Call lengths, the Datatracker's defaults: the minimum for a WG
// document (R05) and for an individual or area one (R06).
const (
	LastCallDaysWG         = 14
	LastCallDaysIndividual = 28
)

// LastCallDays is the default (and minimum) length of d's IETF Last Call.
func LastCallDays(d Document) int {
	if WGDocument(d) {
		return LastCallDaysWG
	}
	return LastCallDaysIndividual
}

// IssueLastCall starts IETF Last Call on a draft whose AD requested it:
// it announces the call on ietf-announce and sets when it ends. days 0
// means the default; the IESG may lengthen a Last Call but never make it
// shorter than R05/R06 allow. When it ends, Tick moves the draft on.
func (s *Service) IssueLastCall(ctx context.Context, name string, by groups.Actor, days int, why string) (err error) {
	defer fail.Wrap(&err, "docs.IssueLastCall(%q, %d)", name, days)
	d, err := s.subject(ctx, name)
	if err != nil {
		return err
	}
	if err := s.mayMove(ctx, d, by, "lc"); err != nil {
		return err
	}
	min := LastCallDays(d.Document)
	if days == 0 {
		days = min
	}
	if days < min {
		rule, kind := "R05", "a WG document"
		if min == LastCallDaysIndividual {
			rule, kind = "R06", "a document not from a WG"
		}
		return &fail.Error{Kind: fail.Invalid, Rule: rule, Field: "days",
			Message: fmt.Sprintf("IETF Last Call on %s lasts at least %d days.", kind, min)}
	}
	if days > 365 {
		return fail.Field("days", "A Last Call of more than a year is surely a typo.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		// Ends at the end of the UTC day, as the announcement gives a date.
		end := tx.Now.UTC().Truncate(24*time.Hour).AddDate(0, 0, days+1).Add(-time.Second)
		if err := changed(ctx, tx, d.Name, `UPDATE doc SET iesg_state = 'lc', lc_ends = $1, updated = $2 WHERE id = $3 AND iesg_state = $4`,
			end, tx.Now, d.ID, d.IESGState); err != nil {
			return err
		}
		rule := "R05"
		if !WGDocument(d.Document) {
			rule = "R06"
		}
		if why != "" {
			why += " "
		}
		if err := record.Add(ctx, tx, by.Actor, "doc", d.Name, "last_call",
			fmt.Sprintf("IESG state changed to In Last Call from %s; IETF Last Call of %d days ends %s", IESGStateName(d.IESGState), days, end.Format("2006-01-02")),
			why+"("+rule+")"); err != nil {
			return err
		}
		return s.announceLastCall(ctx, tx, d.Document, end)
	})
}

func (s *Service) announceLastCall(ctx context.Context, tx *db.Tx, d Document, end time.Time) error {
	level := StdLevelName(d.StdLevel)
	if level == "" {
		level = "an RFC"
	}
	from := "an individual submitter"
	if d.Group != "" {
		from = fmt.Sprintf("the %s %s (%s)", d.GroupName, strings.ToUpper(d.GroupType), d.Group)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The IESG has received a request from %s to consider the following document:\n- '%s'\n  <%s-%s.txt> as %s\n\n", from, d.Title, d.Name, d.Rev, level)
	fmt.Fprintf(&b, "The IESG plans to make a decision in the next few weeks, and solicits final\ncomments on this action. Please send substantive comments to the\nlast-call@%s mailing list by %s. Exceptionally, comments may\nbe sent to iesg@%s instead. In either case, please retain the beginning\nof the Subject line to allow automated sorting.\n\n",
		s.Domain, end.Format("2006-01-02"), s.Domain)
	b.WriteString("Abstract\n\n")
	for _, p := range strings.Split(d.Abstract, "\n\n") {
		b.WriteString(wrap(p, 72, "   ") + "\n\n")
	}
	fmt.Fprintf(&b, "The file can be obtained via\n%s\n", s.docURL(d.Name))
	return s.Mail.Queue(ctx, tx, mail.Message{From: "iesg-secretary@" + s.Domain, To: []string{"ietf-announce@" + s.Domain},
		Subject: fmt.Sprintf("Last Call: <%s-%s.txt> (%s) to %s", d.Name, d.Rev, d.Title, level), Body: b.String(),
		Headers: map[string]string{"Reply-To": "last-call@" + s.Domain}})
}

// EndLastCalls moves every draft whose IETF Last Call is over to
// Waiting for Writeup, and tells its AD. It does nothing twice.
func (s *Service) EndLastCalls(ctx context.Context) (n int, err error) {
	defer fail.Wrap(&err, "docs.EndLastCalls")
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		type due struct {
			id             int64
			name, rev, ad  string
			title, adEmail string
			ends           time.Time
		}
		ds, err := db.Query(ctx, tx, func(row db.Scanner) (due, error) {
			var x due
			err := row.Scan(&x.id, &x.name, &x.rev, &x.title, &x.ad, &x.adEmail, &x.ends)
			return x, err
		}, `SELECT d.id, d.name, d.rev, d.title, COALESCE(p.name, ''), COALESCE((SELECT MIN(address) FROM person_address WHERE person_id = d.ad_id), ''), d.lc_ends
			FROM doc d LEFT JOIN person_name p ON p.id = d.ad_id
			WHERE d.iesg_state = 'lc' AND d.lc_ends <= $1 ORDER BY d.id`, tx.Now)
		if err != nil {
			return err
		}
		for _, x := range ds {
			// Another process's run may have ended it since the SELECT:
			// then this one records and mails nothing.
			ok, err := moved(tx.ExecContext(ctx, `UPDATE doc SET iesg_state = 'writeupw', updated = $1 WHERE id = $2 AND iesg_state = 'lc'`, tx.Now, x.id))
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if err := record.Add(ctx, tx, record.System, "doc", x.name, "iesg_state",
				"IETF Last Call ended "+x.ends.UTC().Format("2006-01-02")+"; IESG state changed to Waiting for Writeup from In Last Call", ""); err != nil {
				return err
			}
			to := []string{"iesg-secretary@" + s.Domain}
			if x.adEmail != "" {
				to = append(to, x.adEmail)
			}
			if err := s.Mail.Queue(ctx, tx, mail.Message{From: "iesg-secretary@" + s.Domain, To: to,
				Subject: "Last Call Expired: " + x.name + "-" + x.rev,
				Body:    fmt.Sprintf("IETF Last Call on %s-%s, \"%s\", has ended.\nIt is now Waiting for Writeup; the next step is the IESG ballot.\n\n%s\n", x.name, x.rev, x.title, s.docURL(x.name))}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// TickCounts says what one run of Tick did.
type TickCounts struct {
	ExpiryCounts
	LastCallsEnded int
}

// Jobs is the documents' periodic work, for the job runner.
func (s *Service) Jobs() []jobs.Job {
	return []jobs.Job{{Name: "document timers", Every: 5 * time.Minute, Run: func(ctx context.Context) error {
		_, err := s.Tick(ctx)
		return err
	}}}
}

// Tick runs the documents' timers: draft expiry and its warnings (R02,
// R03) and the end of IETF Last Calls. Run it every few minutes; a run
// that finds nothing due does nothing, and each step is its own
// transaction, so several processes may run it.
func (s *Service) Tick(ctx context.Context) (c TickCounts, err error) {
	if c.LastCallsEnded, err = s.EndLastCalls(ctx); err != nil {
		return c, err
	}
	c.ExpiryCounts, err = s.Expire(ctx)
	return c, err
}

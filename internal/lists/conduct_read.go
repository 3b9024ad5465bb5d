package lists

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/jobs"
	"hum/internal/record"
)

// suspended refuses a post from an author whose posting privileges on l
// are suspended (R20): by the address, or by any address of their
// account. The refusal is the reply the sender's MTA returns to them.
func (s *Service) suspended(ctx context.Context, tx *db.Tx, l List, author string) error {
	var ends time.Time
	err := tx.QueryRowContext(ctx, `SELECT x.ends FROM list_suspension x WHERE x.list_id = $1 AND x.state = 'active' AND x.ends > $2
		AND (x.address = $3 OR x.person_id IN (SELECT e.person_id FROM person_address e WHERE e.address = $3))
		ORDER BY x.ends DESC LIMIT 1`, l.ID, tx.Now, author).Scan(&ends)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fail.Rule("R20", fail.Forbidden, "Your posting privileges on %s are suspended until %s by the WG's chairs (R20, RFC 3934); you still receive the list. The notice mailed to you says how to appeal.",
		l.Address(s.Domain), ends.UTC().Format("2006-01-02 15:04 UTC"))
}

// ConductStep is a warning or a consultation of the AD, as recorded.
type ConductStep struct {
	ID      int64
	Address string
	Name    string // the poster's, when they have an account
	Kind    string // StepWarning, StepPublicWarning, StepConsultation
	AD      string // the AD consulted
	Note    string
	By      string
	Created time.Time
}

// KindName is the step's kind in words.
func (c ConductStep) KindName() string {
	switch c.Kind {
	case StepWarning:
		return "Warning in private"
	case StepPublicWarning:
		return "Public warning on the list"
	case StepConsultation:
		return "Consultation of the AD"
	}
	return c.Kind
}

// Suspension is one suspension of posting privileges (R20).
type Suspension struct {
	ID         int64
	Address    string
	Name       string
	Reason     string
	Starts     time.Time
	Ends       time.Time
	State      string // active, ended, lifted
	EventID    int64
	By         string
	Lifted     *time.Time
	LiftReason string
}

// Conduct is what the chairs of a WG see of its list's conduct records.
type Conduct struct {
	List        List
	Group       groups.Group
	Steps       []ConductStep // newest first
	Suspensions []Suspension  // newest first
	ADs         []groups.Role // whom to consult: the ADs of the group's area
	MayAct      bool          // warn, record, suspend and lift
}

// ConductOf returns the conduct records of a WG's list, for its leaders,
// its responsible ADs and the secretariat.
func (s *Service) ConductOf(ctx context.Context, who groups.Actor, list string) (c Conduct, err error) {
	defer fail.Wrap(&err, "lists.ConductOf(%q)", list)
	w, err := s.wgListOf(ctx, s.DB, list)
	if err != nil {
		return c, err
	}
	if !MaySeeConduct(who, w.g) {
		return c, fail.New(fail.Forbidden, "Only the chairs of %s, its responsible AD and the secretariat see its list's conduct records.", w.g.Acronym)
	}
	c = Conduct{List: w.l, Group: w.g, MayAct: mayAct(who, w, "") == nil}
	c.Steps, err = db.Query(ctx, s.DB, func(row db.Scanner) (ConductStep, error) {
		var x ConductStep
		err := row.Scan(&x.ID, &x.Address, &x.Name, &x.Kind, &x.AD, &x.Note, &x.By, &x.Created)
		return x, err
	}, `SELECT x.id, x.address, COALESCE(p.name, ''), x.kind, COALESCE(a.name, ''), x.note, COALESCE(b.name, ''), x.created
		FROM list_conduct x LEFT JOIN person_name p ON p.id = x.person_id LEFT JOIN person_name a ON a.id = x.ad_id
		LEFT JOIN person_name b ON b.id = x.by_id WHERE x.list_id = $1 ORDER BY x.id DESC`, w.l.ID)
	if err != nil {
		return c, err
	}
	c.Suspensions, err = db.Query(ctx, s.DB, scanSuspension, `SELECT `+suspensionCols+` WHERE x.list_id = $1 ORDER BY x.id DESC`, w.l.ID)
	if err != nil {
		return c, err
	}
	c.ADs, err = db.Query(ctx, s.DB, func(row db.Scanner) (groups.Role, error) {
		var r groups.Role
		err := row.Scan(&r.PersonID, &r.PersonName)
		return r, err
	}, `SELECT r.person_id, p.name FROM role_holder r JOIN person_name p ON p.id = r.person_id
		WHERE r.group_id = $1 AND r.role = 'ad' ORDER BY p.name`, w.g.ParentID)
	return c, err
}

const suspensionCols = `x.id, x.address, COALESCE(p.name, ''), x.reason, x.starts, x.ends, x.state, COALESCE(x.event_id, 0),
	COALESCE(b.name, ''), x.lifted, x.lift_reason
	FROM list_suspension x LEFT JOIN person_name p ON p.id = x.person_id LEFT JOIN person_name b ON b.id = x.by_id`

func scanSuspension(row db.Scanner) (Suspension, error) {
	var x Suspension
	var lifted sql.NullTime
	err := row.Scan(&x.ID, &x.Address, &x.Name, &x.Reason, &x.Starts, &x.Ends, &x.State, &x.EventID, &x.By, &lifted, &x.LiftReason)
	if lifted.Valid {
		x.Lifted = &lifted.Time
	}
	return x, err
}

// Jobs is the lists' periodic work, for the job runner.
func (s *Service) Jobs() []jobs.Job {
	return []jobs.Job{{Name: "posting suspensions", Every: time.Minute, Run: func(ctx context.Context) error {
		_, err := s.EndSuspensions(ctx)
		return err
	}}, {Name: "list fan-out", Every: 5 * time.Second, Run: func(ctx context.Context) error {
		// The Deliverer expands posts as they come; this catches up in a
		// process without one (no --smarthost), so their copies show as
		// queued, and after a crash.
		_, err := s.ExpandFanouts(ctx)
		return err
	}}}
}

// EndSuspensions ends every suspension whose time is up, records it and
// tells the poster. It runs every minute, so it first reads whether any
// is due and opens a write transaction only then. Each end is
// conditional on the suspension still being in force, so several
// processes may run it at once: one of them ends it, the others find
// nothing to do.
func (s *Service) EndSuspensions(ctx context.Context) (n int, err error) {
	defer fail.Wrap(&err, "lists.EndSuspensions")
	type due struct {
		id   int64
		list string
	}
	ds, err := db.Query(ctx, s.DB, func(row db.Scanner) (due, error) {
		var d due
		err := row.Scan(&d.id, &d.list)
		return d, err
	}, `SELECT x.id, l.name FROM list_suspension x JOIN list l ON l.id = x.list_id WHERE x.state = 'active' AND x.ends <= $1 ORDER BY x.id`,
		s.DB.Now().UTC().Truncate(time.Microsecond))
	if err != nil || len(ds) == 0 {
		return 0, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		n = 0
		for _, d := range ds {
			var addr string
			var ends time.Time
			err := tx.QueryRowContext(ctx, `UPDATE list_suspension SET state = 'ended' WHERE id = $1 AND state = 'active' AND ends <= $2 RETURNING address, ends`, d.id, tx.Now).Scan(&addr, &ends)
			if errors.Is(err, sql.ErrNoRows) {
				continue // another process ended (or someone lifted) it
			}
			if err != nil {
				return err
			}
			w, err := s.wgListOf(ctx, tx, d.list)
			if err != nil {
				return err
			}
			if err := s.restored(ctx, tx, record.System, w, addr, fmt.Sprintf("over on %s", ends.UTC().Format("2006-01-02 15:04 UTC")), ""); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

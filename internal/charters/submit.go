package charters

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Submit posts a new text of a WG's charter as its next revision. A
// charter that is not under review starts (re)chartering with it, in
// Draft Charter: 00-00 for a new group, NN-00 after approved revision NN.
// During review the text may still change (the IESG may approve it "with
// minor changes", RFC 2418 §2.3); the page and the approval announcement
// say when the text approved is not the one announced. The group's
// responsible AD or the secretariat posts it.
func (s *Service) Submit(ctx context.Context, by groups.Actor, name, text, why string) (rev string, err error) {
	defer fail.Wrap(&err, "charters.Submit(%q)", name)
	if text, err = groups.CleanCharter(text); err != nil {
		return "", err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		c, err := s.load(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := mayManage(by, c.Group); err != nil {
			return err
		}
		if err := chartered(c.Group); err != nil {
			return err
		}
		switch c.Group.State {
		case "bof", "proposed", "active", "unknown":
		default:
			return fail.New(fail.Conflict, "%s is %s: only a BOF, a proposed WG or an active WG is chartered.", c.Group.Acronym, groups.StateName(c.Group.State))
		}
		if text == c.Text() {
			return fail.Field("text", "The text is the same as revision %s: nothing to revise.", c.Rev)
		}
		rev = nextRev(c)
		from := c.State
		to := from
		if !c.UnderReview() {
			to = Draft
		}
		if c.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO charter (name, group_id, state, rev, created, updated) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`,
				c.Name, c.Group.ID, to, rev, tx.Now).Scan(&c.ID)
		} else {
			err = changed(ctx, tx, c, `UPDATE charter SET state = $1, rev = $2, updated = $3 WHERE id = $4 AND state = $5 AND rev = $6`,
				to, rev, tx.Now, c.ID, c.State, c.Rev)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO charter_draft (charter_id, rev, text, by_id, created) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, rev, text, db.NullID(by.ID), tx.Now); err != nil {
			return err
		}
		if err := record.Add(ctx, tx, by.Actor, "doc", c.Name, "new_revision", fmt.Sprintf("New version available: %s-%s.txt", c.Name, rev), why); err != nil {
			return err
		}
		if to == from {
			return nil
		}
		what := "Chartering"
		if c.Recharter() {
			what = "Rechartering"
		}
		return record.Add(ctx, tx, by.Actor, "doc", c.Name, "charter_state",
			fmt.Sprintf("%s of %s begun: state changed to %s from %s", what, c.Group.Acronym, StateName(to), StateName(from)), "")
	})
	return rev, err
}

// nextRev names the revision a new text of c gets, as the Datatracker
// numbers them: the next NN-MM after the current revision, 00-00 with no
// approved one, NN-00 after approved revision NN, skipping any taken by an
// abandoned effort.
func nextRev(c Charter) string {
	next := func(rev string) string {
		major, minor, ok := strings.Cut(rev, "-")
		if !ok {
			return major + "-00"
		}
		n, _ := strconv.Atoi(minor)
		return fmt.Sprintf("%s-%02d", major, n+1)
	}
	rev := c.Rev
	if !c.UnderReview() {
		rev = c.ApprovedRev()
		if rev == "" {
			rev = "00"
		}
	}
	rev = next(rev)
	for {
		if _, taken := c.Revision(rev); !taken {
			return rev
		}
		rev = next(rev)
	}
}

// changed runs an UPDATE that must touch c's row as it was read, so two
// people acting at once cannot both move it.
func changed(ctx context.Context, tx *db.Tx, c Charter, q string, args ...any) error {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return fail.New(fail.Conflict, "%s changed while this was being done; please look at it again.", c.Name)
	}
	return nil
}

package groups

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/record"
)

// CharterRev is one revision of a group's charter text.
type CharterRev struct {
	Rev     int
	Text    string
	By      string
	Created time.Time
}

// Charter returns the current charter text, if the group has one.
func (s *Service) Charter(ctx context.Context, groupID int64) (CharterRev, bool, error) {
	var c CharterRev
	err := s.DB.QueryRowContext(ctx, `SELECT c.rev, c.text, COALESCE(p.name, '(System)'), c.created FROM charter_rev c LEFT JOIN person p ON p.id = c.by_id
		WHERE c.group_id = $1 ORDER BY c.rev DESC LIMIT 1`, groupID).Scan(&c.Rev, &c.Text, &c.By, &c.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	return c, err == nil, err
}

// CharterRevs lists every revision, newest first.
func (s *Service) CharterRevs(ctx context.Context, groupID int64) ([]CharterRev, error) {
	return CharterRevsIn(ctx, s.DB, groupID)
}

// CharterRevsIn is CharterRevs on q, which may be a transaction.
func CharterRevsIn(ctx context.Context, q db.Querier, groupID int64) ([]CharterRev, error) {
	return db.Query(ctx, q, func(row db.Scanner) (CharterRev, error) {
		var c CharterRev
		err := row.Scan(&c.Rev, &c.Text, &c.By, &c.Created)
		return c, err
	}, `SELECT c.rev, c.text, COALESCE(p.name, '(System)'), c.created FROM charter_rev c LEFT JOIN person p ON p.id = c.by_id
		WHERE c.group_id = $1 ORDER BY c.rev DESC`, groupID)
}

// ReviseCharter stores a new revision of a group's charter and makes it
// the current one at once. A WG's charter takes effect only when the IESG
// approves it after internal and external review (R13, internal/charters),
// so for a WG only the operator may do this: an import or the demo
// recording a charter approved before hum held the group. For other
// groups (RGs, teams, directorates) those who manage the group may.
func (s *Service) ReviseCharter(ctx context.Context, by Actor, acronym, text, why string) (rev int, err error) {
	defer fail.Wrap(&err, "groups.ReviseCharter(%q)", acronym)
	if text, err = CleanCharter(text); err != nil {
		return 0, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		g, err := get(ctx, tx, acronym)
		if err != nil {
			return err
		}
		if !by.MayManage(g) {
			return fail.New(fail.Forbidden, "Your roles do not let you make this change to %s.", g.Acronym)
		}
		if Chartered(g.Type) && !by.operator {
			return fail.Rule("R13", fail.Conflict, "A working group's charter changes only through chartering: post the new text as a revision of %s, take it through internal and external review, and it becomes the charter when the IESG approves it.", CharterName(g))
		}
		rev, err = InstallCharterIn(ctx, tx, by.Actor, g, text, why)
		return err
	})
	return rev, err
}

// CleanCharter normalises a charter text's line ends and spaces and
// refuses an empty or overlong one.
func CleanCharter(text string) (string, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return "", fail.Field("text", "The charter text is empty.")
	}
	if len(text) > 100_000 {
		return "", fail.Field("text", "The charter text is longer than 100,000 characters.")
	}
	return text, nil
}

// Chartered reports whether groups of a type are chartered by the IESG
// through internal and external review (R13) and concluded by their AD
// (R14): working groups, as the Datatracker's has_chartering_process.
func Chartered(groupType string) bool { return groupType == "wg" }

// CharterName is the name of g's charter document, as the Datatracker
// names it: charter-irtf-{acronym} for an RG, charter-ietf-{acronym} for
// any other group.
func CharterName(g Group) string {
	if g.Type == "rg" {
		return "charter-irtf-" + g.Acronym
	}
	return "charter-ietf-" + g.Acronym
}

// InstallCharterIn makes text g's current charter in tx, as its next
// revision, with no check of who acts: ReviseCharter checks, and the
// IESG's approval of a charter (internal/charters) is its own authority.
// The text must be clean (CleanCharter) and differ from the current one.
func InstallCharterIn(ctx context.Context, tx *db.Tx, by record.Actor, g Group, text, why string) (rev int, err error) {
	var lastText sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT text FROM charter_rev WHERE group_id = $1 ORDER BY rev DESC LIMIT 1`, g.ID).Scan(&lastText)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if lastText.Valid && lastText.String == text {
		return 0, fail.Field("text", "The text is the same as the current charter: nothing to revise.")
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(rev), 0) + 1 FROM charter_rev WHERE group_id = $1`, g.ID).Scan(&rev); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO charter_rev (group_id, rev, text, by_id, created) VALUES ($1, $2, $3, $4, $5)`,
		g.ID, rev, text, db.NullID(by.ID), tx.Now); err != nil {
		return 0, err
	}
	return rev, record.Add(ctx, tx, by, "group", g.Acronym, "charter_revised", fmt.Sprintf("Charter revision %02d", rev), why)
}

// Milestone is a dated goal of a group.
type Milestone struct {
	ID          int64
	Description string
	Due         string // YYYY-MM or YYYY-MM-DD
	Resolved    string // "" while open, else e.g. "Done"
	Docs        []string
}

var (
	dueRE = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$`)
	docRE = regexp.MustCompile(`^(draft-[a-z0-9][-a-z0-9]*|rfc\d+)$`)
)

// Milestones lists a group's milestones, open ones by due date first.
func (s *Service) Milestones(ctx context.Context, groupID int64) ([]Milestone, error) {
	return db.Query(ctx, s.DB, func(row db.Scanner) (Milestone, error) {
		var m Milestone
		var docs string
		err := row.Scan(&m.ID, &m.Description, &m.Due, &m.Resolved, &docs)
		m.Docs = strings.Fields(docs)
		return m, err
	}, `SELECT id, description, due, resolved, docs FROM milestone WHERE group_id = $1 AND NOT deleted
		ORDER BY resolved <> '', due, id`, groupID)
}

func checkMilestone(desc, due string, docs []string) (string, error) {
	if strings.TrimSpace(desc) == "" {
		return "", fail.Field("description", "A milestone needs a description.")
	}
	if !dueRE.MatchString(due) {
		return "", fail.Field("due", "%q is not a due date: write it as YYYY-MM, e.g. 2027-03.", due)
	}
	if _, err := time.Parse(time.DateOnly, due); len(due) == len(time.DateOnly) && err != nil {
		return "", fail.Field("due", "%q is not a date: that month has no such day.", due)
	}
	for _, d := range docs {
		if !docRE.MatchString(d) {
			return "", fail.Field("docs", "%q is not a document name such as draft-ietf-httpbis-semantics or rfc9110.", d)
		}
	}
	return strings.Join(docs, " "), nil
}

// AddMilestone adds a milestone to a group.
func (s *Service) AddMilestone(ctx context.Context, by Actor, acronym, desc, due string, docs []string, why string) (err error) {
	defer fail.Wrap(&err, "groups.AddMilestone(%q)", acronym)
	desc = strings.TrimSpace(desc)
	d, err := checkMilestone(desc, due, docs)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		g, err := get(ctx, tx, acronym)
		if err != nil {
			return err
		}
		if !by.MayMilestones(g) {
			return fail.New(fail.Forbidden, "Your roles do not let you make this change to %s.", g.Acronym)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO milestone (group_id, description, due, docs, created, updated) VALUES ($1, $2, $3, $4, $5, $5)`,
			g.ID, desc, due, d, tx.Now); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "group", g.Acronym, "milestone_added", fmt.Sprintf("Milestone %q added, due %s", desc, due), why)
	})
}

// MilestoneChange is a change to one milestone; nil leaves a field.
type MilestoneChange struct {
	Description, Due, Resolved *string
	Docs                       []string
	Delete                     bool
}

// ChangeMilestone edits, resolves or deletes a milestone.
func (s *Service) ChangeMilestone(ctx context.Context, by Actor, acronym string, id int64, c MilestoneChange, why string) (err error) {
	defer fail.Wrap(&err, "groups.ChangeMilestone(%q, %d)", acronym, id)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		g, err := get(ctx, tx, acronym)
		if err != nil {
			return err
		}
		if !by.MayMilestones(g) {
			return fail.New(fail.Forbidden, "Your roles do not let you make this change to %s.", g.Acronym)
		}
		var m Milestone
		var docs string
		err = tx.QueryRowContext(ctx, `SELECT description, due, resolved, docs FROM milestone WHERE id = $1 AND group_id = $2 AND NOT deleted`, id, g.ID).
			Scan(&m.Description, &m.Due, &m.Resolved, &docs)
		if err != nil {
			return fail.New(fail.NotFound, "%s has no milestone %d.", g.Acronym, id)
		}
		if c.Delete {
			if _, err := tx.ExecContext(ctx, `UPDATE milestone SET deleted = TRUE, updated = $1 WHERE id = $2`, tx.Now, id); err != nil {
				return err
			}
			return record.Add(ctx, tx, by.Actor, "group", g.Acronym, "milestone_deleted", fmt.Sprintf("Milestone %q deleted", m.Description), why)
		}
		if c.Description != nil {
			m.Description = strings.TrimSpace(*c.Description)
		}
		if c.Due != nil {
			m.Due = *c.Due
		}
		if c.Resolved != nil {
			m.Resolved = strings.TrimSpace(*c.Resolved)
		}
		if c.Docs != nil {
			docs = strings.Join(c.Docs, " ")
		}
		if docs, err = checkMilestone(m.Description, m.Due, strings.Fields(docs)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE milestone SET description = $1, due = $2, resolved = $3, docs = $4, updated = $5 WHERE id = $6`,
			m.Description, m.Due, m.Resolved, docs, tx.Now, id); err != nil {
			return err
		}
		summary := fmt.Sprintf("Milestone %q changed (due %s)", m.Description, m.Due)
		if c.Resolved != nil && m.Resolved != "" {
			summary = fmt.Sprintf("Milestone %q resolved: %s", m.Description, m.Resolved)
		}
		return record.Add(ctx, tx, by.Actor, "group", g.Acronym, "milestone_changed", summary, why)
	})
}

package charters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

// Get returns the charter document called name, with every revision. A
// WG or RG has one even before its first text (Not currently under
// review, no revision); any other name is not found.
func (s *Service) Get(ctx context.Context, name string) (c Charter, err error) {
	defer fail.Wrap(&err, "charters.Get(%q)", name)
	return s.load(ctx, s.DB, name)
}

// ForGroup returns g's charter document.
func (s *Service) ForGroup(ctx context.Context, g groups.Group) (Charter, error) {
	return s.load(ctx, s.DB, groups.CharterName(g))
}

// groupOf finds the WG or RG whose charter name is name.
func groupOf(ctx context.Context, q db.Querier, name string) (groups.Group, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	notFound := fail.New(fail.NotFound, "There is no charter called %q: a charter is named charter-ietf-{acronym} for a WG, charter-irtf-{acronym} for an RG.", name)
	rest, ok := strings.CutPrefix(name, "charter-")
	if !ok {
		return groups.Group{}, notFound
	}
	_, acronym, ok := strings.Cut(rest, "-")
	if !ok || acronym == "" {
		return groups.Group{}, notFound
	}
	g, err := groups.GetIn(ctx, q, acronym)
	if fail.KindOf(err) == fail.NotFound || err == nil && ((g.Type != "wg" && g.Type != "rg") || groups.CharterName(g) != name) {
		return g, notFound
	}
	return g, err
}

// load reads the charter called name on q (the database, or the
// transaction of a change).
func (s *Service) load(ctx context.Context, q db.Querier, name string) (Charter, error) {
	g, err := groupOf(ctx, q, name)
	if err != nil {
		return Charter{}, err
	}
	c := Charter{Name: groups.CharterName(g), Group: g}
	var intrev, extrev sql.NullTime
	err = q.QueryRowContext(ctx, `SELECT id, state, rev, intrev_at, extrev_at, extrev_rev FROM charter WHERE group_id = $1`, g.ID).
		Scan(&c.ID, &c.State, &c.Rev, &intrev, &extrev, &c.ExtText)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, err
	}
	c.IntRev, c.ExtRev = timePtr(intrev), timePtr(extrev)
	approved, err := groups.CharterRevsIn(ctx, q, g.ID)
	if err != nil {
		return c, err
	}
	for _, a := range approved {
		c.Revisions = append(c.Revisions, Revision{Rev: fmt.Sprintf("%02d", a.Rev), Text: a.Text, By: a.By, Created: a.Created.UTC(), Approved: true})
	}
	if c.ID != 0 {
		drafts, err := db.Query(ctx, q, func(row db.Scanner) (Revision, error) {
			var r Revision
			err := row.Scan(&r.Rev, &r.Text, &r.By, &r.Created)
			r.Created = r.Created.UTC()
			return r, err
		}, `SELECT d.rev, d.text, COALESCE(p.name, '(System)'), d.created FROM charter_draft d LEFT JOIN person_name p ON p.id = d.by_id
			WHERE d.charter_id = $1`, c.ID)
		if err != nil {
			return c, err
		}
		c.Revisions = append(c.Revisions, drafts...)
	}
	// 00-00 < 00-01 < 01 < 01-00 < 02: the revisions' names sort as
	// they were made.
	sort.Slice(c.Revisions, func(i, j int) bool { return c.Revisions[i].Rev < c.Revisions[j].Rev })
	if c.ID == 0 {
		c.State, c.Rev = NotReview, ""
		if rev := c.ApprovedRev(); rev != "" {
			c.State, c.Rev = Approved, rev
		}
	}
	return c, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

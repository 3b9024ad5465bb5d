// Package groups holds the organisation of the standards body: areas,
// working and research groups, the IESG, IAB and other bodies; the roles
// people hold in them; charters with every revision kept; and milestones.
// It also decides who may change what (see may.go).
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

// Group is an area, a WG, an RG or a body such as the IESG.
type Group struct {
	ID            int64
	Acronym       string
	Name          string
	Type          string
	State         string
	ParentID      int64
	Parent        string // parent acronym
	ParentName    string
	Description   string
	ListEmail     string
	ListSubscribe string
	ListArchive   string
	Comments      string
	Created       time.Time
	Updated       time.Time
}

// Service is the groups store.
type Service struct {
	DB *db.DB
}

const groupCols = `g.id, g.acronym, g.name, g.type, g.state, COALESCE(g.parent_id, 0), COALESCE(p.acronym, ''), COALESCE(p.name, ''),
	g.description, g.list_email, g.list_subscribe, g.list_archive, g.comments, g.created, g.updated`

const groupFrom = ` FROM grp g LEFT JOIN grp p ON p.id = g.parent_id `

func scanGroup(row interface{ Scan(...any) error }) (Group, error) {
	var g Group
	err := row.Scan(&g.ID, &g.Acronym, &g.Name, &g.Type, &g.State, &g.ParentID, &g.Parent, &g.ParentName,
		&g.Description, &g.ListEmail, &g.ListSubscribe, &g.ListArchive, &g.Comments, &g.Created, &g.Updated)
	return g, err
}

// Get returns the group with an acronym.
func (s *Service) Get(ctx context.Context, acronym string) (Group, error) {
	return get(ctx, s.DB, acronym)
}

// GetIn is Get on q, which may be a transaction: capabilities that change
// a group as part of their own change (chartering) read it there.
func GetIn(ctx context.Context, q db.Querier, acronym string) (Group, error) {
	return get(ctx, q, acronym)
}

func get(ctx context.Context, q db.Querier, acronym string) (Group, error) {
	g, err := scanGroup(q.QueryRowContext(ctx, `SELECT `+groupCols+groupFrom+`WHERE g.acronym = $1`, strings.ToLower(acronym)))
	if errors.Is(err, sql.ErrNoRows) {
		return g, fail.New(fail.NotFound, "There is no group with the acronym %q.", acronym)
	}
	return g, err
}

// Filter selects groups; zero fields match everything.
type Filter struct {
	ID          int64
	Acronym     string
	Type        string
	State       string
	Parent      string // parent acronym
	NameContain string
	Limit       int
	Offset      int
}

func (f Filter) where() db.Where {
	var w db.Where
	if f.ID != 0 {
		w.Add("g.id = $?", f.ID)
	}
	if f.Acronym != "" {
		w.Add("g.acronym = $?", strings.ToLower(f.Acronym))
	}
	if f.Type != "" {
		w.Add("g.type = $?", f.Type)
	}
	if f.State != "" {
		w.Add("g.state = $?", f.State)
	}
	if f.Parent != "" {
		w.Add("p.acronym = $?", strings.ToLower(f.Parent))
	}
	if f.NameContain != "" {
		w.Add("LOWER(g.name) LIKE $?", "%"+strings.ToLower(f.NameContain)+"%")
	}
	return w
}

// List returns the groups that match f, by acronym, and how many match
// in all (for paging).
func (s *Service) List(ctx context.Context, f Filter) (gs []Group, total int, err error) {
	return db.QueryPage(ctx, s.DB, db.Listing{Cols: groupCols, From: groupFrom, Where: f.where(), Order: "g.acronym", Limit: f.Limit, Offset: f.Offset}, scanGroup)
}

var acronymRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// NewGroup is what it takes to create a group.
type NewGroup struct {
	Acronym, Name, Type, State, Parent string
	Description, ListEmail             string
	// Historic skips R12's 8-character limit, for importing groups that
	// were chartered before it was applied (videocodec, mediactrl).
	Historic bool

	defaulted bool // no state was given
}

// Create adds a group and records who did it.
func (s *Service) Create(ctx context.Context, by Actor, n NewGroup, why string) (g Group, err error) {
	defer fail.Wrap(&err, "groups.Create(%q)", n.Acronym)
	if err := checkNew(&n); err != nil {
		return g, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		var parent Group
		if n.Parent != "" {
			if parent, err = get(ctx, tx, n.Parent); err != nil {
				return fail.Field("parent", "The parent group %q does not exist.", n.Parent)
			}
		}
		if !by.MayCreate(n.Type, parent) {
			return fail.New(fail.Forbidden, "Only the secretariat, or an AD for a group in their own area, may create a group.")
		}
		if n.defaulted && Chartered(n.Type) && !by.operator {
			n.State = "bof" // a new WG is chartered before it is active (R13)
		}
		if err := chartering(by, n.Type, "", n.State); err != nil {
			return err
		}
		g, err = create(ctx, tx, by.Actor, n, parent, why)
		return err
	})
	return g, err
}

func checkNew(n *NewGroup) error {
	n.Acronym = strings.ToLower(strings.TrimSpace(n.Acronym))
	n.Name = strings.TrimSpace(n.Name)
	if n.State == "" {
		n.State, n.defaulted = "active", true
	}
	if s, ok := stateAliases[n.State]; ok {
		n.State = s
	}
	switch {
	case !acronymRE.MatchString(n.Acronym):
		return fail.Field("acronym", "%q is not a valid acronym: use lower-case letters, digits and hyphens, starting with a letter or digit.", n.Acronym)
	case n.Type == "wg" && len(n.Acronym) > 8 && !n.Historic:
		return &fail.Error{Kind: fail.Invalid, Rule: "R12", Field: "acronym", Message: fmt.Sprintf("The acronym %q is longer than 8 characters: a WG acronym may have at most 8 (RFC 2418 §2.2).", n.Acronym)}
	case len(n.Acronym) > 40:
		return fail.Field("acronym", "The acronym %q is longer than 40 characters.", n.Acronym)
	case n.Name == "":
		return fail.Field("name", "Please give the group a name.")
	case Types[n.Type] == "":
		return fail.Field("type", "%q is not a group type; use one of wg, rg, area, team, ag, dir, ietf, iesg, iab, irtf, isoc.", n.Type)
	case States[n.State] == "":
		return fail.Field("state", "%q is not a group state; use bof, proposed, active or conclude.", n.State)
	}
	return nil
}

// create inserts n under parent (the zero Group for none).
func create(ctx context.Context, tx *db.Tx, by record.Actor, n NewGroup, p Group, why string) (Group, error) {
	var parent sql.NullInt64
	if p.ID != 0 {
		parent = sql.NullInt64{Int64: p.ID, Valid: true}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO grp (acronym, name, type, state, parent_id, description, list_email, created, updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, n.Acronym, n.Name, n.Type, n.State, parent, n.Description, n.ListEmail, tx.Now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return Group{}, fail.Field("acronym", "The acronym %q is already taken by another group. Acronyms must be unique.", n.Acronym)
	}
	if err != nil {
		return Group{}, err
	}
	summary := fmt.Sprintf("%s %s created (%s)", TypeName(n.Type), n.Acronym, StateName(n.State))
	if err := record.Add(ctx, tx, by, "group", n.Acronym, "group_created", summary, why); err != nil {
		return Group{}, err
	}
	return get(ctx, tx, n.Acronym)
}

// Changes are the editable fields of a group; nil leaves a field as is.
type Changes struct {
	Name, State, Description, ListEmail, ListSubscribe, ListArchive, Comments *string
}

// changes reports whether v, when given, differs from old.
func changes(v *string, old string) bool { return v != nil && strings.TrimSpace(*v) != old }

// Update changes a group's fields and records each change: its
// description, list details and comments for those who may edit the
// group, its name and state only for those who may manage it.
func (s *Service) Update(ctx context.Context, by Actor, acronym string, c Changes, why string) (err error) {
	defer fail.Wrap(&err, "groups.Update(%q)", acronym)
	if c.State != nil {
		st := *c.State
		if a, ok := stateAliases[st]; ok {
			st = a
		}
		if States[st] == "" {
			return fail.Field("state", "%q is not a group state; use bof, proposed, active or conclude.", *c.State)
		}
		c.State = &st
	}
	if c.Name != nil && strings.TrimSpace(*c.Name) == "" {
		return fail.Field("name", "A group needs a name.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		g, err := get(ctx, tx, acronym)
		if err != nil {
			return err
		}
		if !by.MayEdit(g) {
			return fail.New(fail.Forbidden, "Your roles do not let you make this change to %s.", g.Acronym)
		}
		if (changes(c.Name, g.Name) || changes(c.State, g.State)) && !by.MayManage(g) {
			return fail.New(fail.Forbidden, "Only the responsible AD or the secretariat may change the name or state of %s.", g.Acronym)
		}
		if changes(c.State, g.State) {
			if err := chartering(by, g.Type, g.State, strings.TrimSpace(*c.State)); err != nil {
				return err
			}
		}
		fields := []struct {
			col, label string
			old        string
			new        *string
		}{
			{"name", "Name", g.Name, c.Name}, {"state", "State", g.State, c.State},
			{"description", "Description", g.Description, c.Description}, {"list_email", "List address", g.ListEmail, c.ListEmail},
			{"list_subscribe", "List subscription", g.ListSubscribe, c.ListSubscribe}, {"list_archive", "List archive", g.ListArchive, c.ListArchive},
			{"comments", "Comments", g.Comments, c.Comments},
		}
		changed := 0
		for _, f := range fields {
			if f.new == nil || strings.TrimSpace(*f.new) == f.old {
				continue
			}
			v := strings.TrimSpace(*f.new)
			if _, err := tx.ExecContext(ctx, `UPDATE grp SET `+f.col+` = $1, updated = $2 WHERE id = $3`, v, tx.Now, g.ID); err != nil {
				return err
			}
			summary := fmt.Sprintf("%s changed to %q from %q", f.label, v, f.old)
			if f.old == "" {
				summary = fmt.Sprintf("%s set to %q", f.label, v)
			} else if v == "" {
				summary = fmt.Sprintf("%s cleared (was %q)", f.label, f.old)
			}
			if f.col == "state" {
				summary = fmt.Sprintf("State changed to %s from %s", StateName(v), StateName(f.old))
			}
			if len(summary) > 300 {
				summary = f.label + " changed"
			}
			if err := record.Add(ctx, tx, by.Actor, "group", g.Acronym, "group_changed", summary, why); err != nil {
				return err
			}
			changed++
		}
		if changed == 0 {
			return fail.New(fail.Invalid, "Nothing changed: the values given are the ones the group already has.")
		}
		return nil
	})
}

// chartering refuses a state change of a chartered group (a WG) that
// bypasses its chartering or its closing: only the IESG's approval of its
// charter makes a WG proposed or active (R13; internal/charters moves it
// with SetStateIn), and only its AD's decision, announced, concludes it
// (R14). A BOF may still be closed or abandoned here. The operator (an
// import, the demo) records states reached elsewhere, and may.
func chartering(by Actor, groupType, from, to string) error {
	if by.operator || !Chartered(groupType) || from == to {
		return nil
	}
	switch {
	case to == "proposed" || to == "active":
		return fail.Rule("R13", fail.Conflict, "A working group becomes %s only through chartering: its charter goes through a week of IESG and IAB review, is announced for external review, and the IESG approves it after another week or more. Start from the charter document.", StateName(to))
	case to == "conclude" || from == "proposed" || from == "active":
		return fail.Rule("R14", fail.Conflict, "Closing a working group is its responsible AD's decision, announced with the reason: use \"Conclude the WG\" on the group's page, not a state change.")
	}
	return nil
}

// SetStateIn moves g to state in tx, with its event, and no check of who
// acts: chartering (internal/charters) moves a WG to proposed and active,
// and concludes it, after checking its own rules (R13, R14).
func SetStateIn(ctx context.Context, tx *db.Tx, by record.Actor, g Group, state, summary, why string) error {
	if States[state] == "" {
		return fmt.Errorf("groups.SetStateIn(%q): no state %q", g.Acronym, state)
	}
	res, err := tx.ExecContext(ctx, `UPDATE grp SET state = $1, updated = $2 WHERE id = $3 AND state = $4`, state, tx.Now, g.ID, g.State)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return fail.New(fail.Conflict, "%s changed while this was being done; please look again.", g.Acronym)
	}
	if summary == "" {
		summary = fmt.Sprintf("State changed to %s from %s", StateName(state), StateName(g.State))
	}
	return record.Add(ctx, tx, by, "group", g.Acronym, "group_changed", summary, why)
}

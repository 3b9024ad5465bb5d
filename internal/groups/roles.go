package groups

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/record"
)

// Role is a person's role in a group.
type Role struct {
	ID         int64
	GroupID    int64
	Acronym    string
	GroupName  string
	GroupType  string
	GroupState string
	ParentID   int64
	PersonID   int64
	PersonName string
	Name       string // slug: chair, ad, secr, ...
	Email      string
	ShowEmail  bool // the person chose to show their address publicly
	Created    time.Time
}

// RoleFilter selects roles; zero fields match everything.
type RoleFilter struct {
	ID       int64
	GroupID  int64
	Acronym  string
	PersonID int64
	Name     string
	Type     string // the group's type
	Active   bool   // only roles in groups that are not concluded
	Limit    int
	Offset   int
}

const roleCols = `r.id, r.group_id, g.acronym, g.name, g.type, g.state, COALESCE(g.parent_id, 0), r.person_id, p.name, r.name, r.email, p.show_email, r.created`
const roleFrom = ` FROM role r JOIN grp g ON g.id = r.group_id JOIN person p ON p.id = r.person_id `

func (f RoleFilter) where() db.Where {
	var w db.Where
	if f.ID != 0 {
		w.Add("r.id = $?", f.ID)
	}
	if f.GroupID != 0 {
		w.Add("r.group_id = $?", f.GroupID)
	}
	if f.Acronym != "" {
		w.Add("g.acronym = $?", strings.ToLower(f.Acronym))
	}
	if f.PersonID != 0 {
		w.Add("r.person_id = $?", f.PersonID)
	}
	if f.Name != "" {
		w.Add("r.name = $?", f.Name)
	}
	if f.Type != "" {
		w.Add("g.type = $?", f.Type)
	}
	if f.Active {
		w.Raw("g.state NOT IN ('conclude', 'bof-conc', 'abandon', 'replaced')")
	}
	return w
}

// Roles lists the roles that match f and how many match in all.
func (s *Service) Roles(ctx context.Context, f RoleFilter) (rs []Role, total int, err error) {
	return db.QueryPage(ctx, s.DB, db.Listing{Cols: roleCols, From: roleFrom, Where: f.where(), Order: "r.id", Limit: f.Limit, Offset: f.Offset}, scanRole)
}

func scanRole(row db.Scanner) (Role, error) {
	var r Role
	err := row.Scan(&r.ID, &r.GroupID, &r.Acronym, &r.GroupName, &r.GroupType, &r.GroupState, &r.ParentID,
		&r.PersonID, &r.PersonName, &r.Name, &r.Email, &r.ShowEmail, &r.Created)
	return r, err
}

// SortRoles orders roles for display: chairs and ADs first.
func SortRoles(rs []Role) {
	rank := map[string]int{"chair": 0, "ad": 1, "pre-ad": 2, "secr": 3, "delegate": 4, "techadv": 5, "editor": 6}
	r := func(n string) int {
		if v, ok := rank[n]; ok {
			return v
		}
		return 10
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if r(rs[i].Name) != r(rs[j].Name) {
			return r(rs[i].Name) < r(rs[j].Name)
		}
		return rs[i].PersonName < rs[j].PersonName
	})
}

// Grant gives a person a role in a group. Granting the IETF Chair also
// grants the offices that come with it (R42, R43).
func (s *Service) Grant(ctx context.Context, by Actor, acronym, role string, personID int64, email, why string) (err error) {
	defer fail.Wrap(&err, "groups.Grant(%q, %q, %d)", acronym, role, personID)
	role = strings.ToLower(strings.TrimSpace(role))
	if Roles[role] == "" {
		return fail.Field("role", "%q is not a role. Roles are: %s.", role, strings.Join(roleSlugs(), ", "))
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		g, err := get(ctx, tx, acronym)
		if err != nil {
			return err
		}
		if !by.MayGrant(g, role) {
			return fail.New(fail.Forbidden, "Your roles do not let you appoint a %s of %s.", RoleName(role), g.Acronym)
		}
		if err := grant(ctx, tx, by.Actor, g, role, personID, email, why); err != nil {
			return err
		}
		if g.Acronym == "ietf" && role == "chair" {
			return grantIETFChairOffices(ctx, tx, by.Actor, personID, email)
		}
		return nil
	})
}

func roleSlugs() []string {
	var s []string
	for k := range Roles {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

func grant(ctx context.Context, tx *db.Tx, by record.Actor, g Group, role string, personID int64, email, why string) error {
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM person WHERE id = $1`, personID).Scan(&name); err != nil {
		return fail.New(fail.NotFound, "No person with id %d.", personID)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO role (group_id, person_id, name, email, created) VALUES ($1, $2, $3, $4, $5)`,
		g.ID, personID, role, strings.ToLower(email), tx.Now)
	if db.IsUniqueViolation(err) {
		return fail.New(fail.Conflict, "%s is already %s of %s.", name, RoleName(role), g.Acronym)
	}
	if err != nil {
		return err
	}
	return record.Add(ctx, tx, by, "group", g.Acronym, "role_granted", fmt.Sprintf("%s is now %s", name, RoleName(role)), why)
}

// grantIETFChairOffices gives the IETF Chair the offices RFC 3710 and
// RFC 2850 attach to the position, where the groups exist and the person
// does not hold them yet.
func grantIETFChairOffices(ctx context.Context, tx *db.Tx, by record.Actor, personID int64, email string) error {
	offices := []struct{ group, role, why string }{
		{"gen", "ad", "R42: the IETF Chair is also the General Area Director (RFC 3710 §2)"},
		{"iesg", "chair", "R43: the IETF Chair chairs the IESG (RFC 2850 §1)"},
		{"iab", "member", "R43: the IETF Chair is one of the IAB's 13 full members (RFC 2850 §1)"},
	}
	for _, o := range offices {
		g, err := get(ctx, tx, o.group)
		if err != nil {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM role WHERE group_id = $1 AND person_id = $2 AND name = $3`, g.ID, personID, o.role).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if err := grant(ctx, tx, by, g, o.role, personID, email, o.why); err != nil {
			return err
		}
	}
	return nil
}

// Revoke ends a role.
func (s *Service) Revoke(ctx context.Context, by Actor, roleID int64, why string) (err error) {
	defer fail.Wrap(&err, "groups.Revoke(%d)", roleID)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		rs, err := db.Query(ctx, tx, scanRole, `SELECT `+roleCols+roleFrom+`WHERE r.id = $1`, roleID)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return fail.New(fail.NotFound, "There is no role %d.", roleID)
		}
		r := rs[0]
		if !by.MayRevoke(Group{ID: r.GroupID, Acronym: r.Acronym, Type: r.GroupType, ParentID: r.ParentID}, r.Name) {
			return fail.New(fail.Forbidden, "Your roles do not let you remove a %s of %s.", RoleName(r.Name), r.Acronym)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM role WHERE id = $1`, roleID); err != nil {
			return err
		}
		eventID, err := record.AddID(ctx, tx, by.Actor, "group", r.Acronym, "role_revoked", fmt.Sprintf("%s is no longer %s", r.PersonName, RoleName(r.Name)), why)
		if err != nil {
			return err
		}
		// What ended stays as data, by account (R46 reads it; a name
		// may change afterwards).
		_, err = tx.ExecContext(ctx, `INSERT INTO role_ended (group_id, person_id, name, started, ended, event_id) VALUES ($1, $2, $3, $4, $5, $6)`,
			r.GroupID, r.PersonID, r.Name, r.Created, tx.Now, eventID)
		return err
	})
}

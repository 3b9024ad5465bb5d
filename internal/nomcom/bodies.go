package nomcom

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

// Body is one of the bodies whose sitting members may not volunteer
// (R48, RFC 8713 §4.15), as a group of hum, and the roles in it that
// make someone a sitting member (ex officio included).
type Body struct {
	Acronym, Name, Type string
	Roles               []string // nil: any role (staff)
	// Recorded: the secretariat records its members here (the IAB's and
	// the IESG's are seated by the NomCom process itself).
	Recorded bool
}

// Bodies are the bodies of R48. The ISOC Board of Trustees, the IETF
// Trust, the LLC Board and the LLC's staff are groups hum keeps only so
// that their members can be recorded and refused; the Datatracker names
// the first three so (its DISQUALIFYING_ROLE_QUERY_EXPRESSION). The
// IESG's members are also the ADs of the active areas.
var Bodies = []Body{
	{Acronym: "iab", Name: "IAB", Type: "iab", Roles: []string{"chair", "member", "exofficio"}},
	{Acronym: "iesg", Name: "IESG", Type: "iesg", Roles: []string{"chair", "member", "exofficio"}},
	{Acronym: "isocbot", Name: "ISOC Board of Trustees", Type: "isoc", Roles: []string{"chair", "member", "exofficio"}, Recorded: true},
	{Acronym: "ietf-trust", Name: "IETF Trust", Type: "adm", Roles: []string{"chair", "member", "exofficio"}, Recorded: true},
	{Acronym: "llc-board", Name: "IETF LLC Board", Type: "adm", Roles: []string{"chair", "member", "exofficio"}, Recorded: true},
	{Acronym: "llc-staff", Name: "IETF LLC staff", Type: "adm", Recorded: true},
}

// BodyOf returns the body with an acronym.
func BodyOf(acronym string) (Body, bool) {
	for _, b := range Bodies {
		if b.Acronym == acronym {
			return b, true
		}
	}
	return Body{}, false
}

// Bar is a sitting office that bars someone from volunteering (R48).
type Bar struct {
	PersonID int64
	Person   string
	What     string // "IESG: Area Director of art"
}

// Barred returns the sitting offices of R48, by person (personID 0:
// everyone's), in one query over the roles groups publishes.
func (s *Service) Barred(ctx context.Context, personID int64) (map[int64][]Bar, error) {
	var w db.Where
	var conds []string
	for _, b := range Bodies {
		c := "r.acronym = " + w.Arg(b.Acronym)
		if b.Roles != nil {
			c += " AND r.role IN " + w.In(b.Roles)
		}
		conds = append(conds, "("+c+")")
	}
	conds = append(conds, "(r.role = 'ad' AND r.group_type = 'area' AND r.group_state = 'active')")
	w.Raw("(" + strings.Join(conds, " OR ") + ")")
	w.Raw("r.group_state NOT IN ('conclude', 'bof-conc', 'abandon', 'replaced')")
	if personID != 0 {
		w.Add("r.person_id = $?", personID)
	}
	bars, err := db.Query(ctx, s.DB, func(row db.Scanner) (b Bar, err error) {
		var acronym, typ, role string
		if err = row.Scan(&b.PersonID, &b.Person, &acronym, &typ, &role); err != nil {
			return b, err
		}
		if body, ok := BodyOf(acronym); ok {
			b.What = body.Name + ": " + groups.RoleName(role)
		} else {
			b.What = "IESG: Area Director of " + acronym
		}
		return b, nil
	}, `SELECT r.person_id, p.name, r.acronym, r.group_type, r.role FROM role_holder r JOIN person_name p ON p.id = r.person_id`+w.SQL()+
		` ORDER BY r.person_id, r.acronym, r.role`, w.Args...)
	if err != nil {
		return nil, err
	}
	out := map[int64][]Bar{}
	for _, b := range bars {
		out[b.PersonID] = append(out[b.PersonID], b)
	}
	return out, nil
}

// BodyMember is a sitting member of one of the Bodies.
type BodyMember struct {
	Body   string // its name
	RoleID int64
	groups.Role
}

// Sitting lists the sitting members of every body of R48, by body.
func (s *Service) Sitting(ctx context.Context) ([]BodyMember, error) {
	var out []BodyMember
	for _, b := range Bodies {
		rs, _, err := s.Groups.Roles(ctx, groups.RoleFilter{Acronym: b.Acronym, Active: true})
		if err != nil {
			return nil, err
		}
		groups.SortRoles(rs)
		for _, r := range rs {
			if b.Roles == nil || slices.Contains(b.Roles, r.Name) {
				out = append(out, BodyMember{Body: b.Name, RoleID: r.ID, Role: r})
			}
		}
	}
	return out, nil
}

// RecordMember records, as the secretariat, that someone sits on one of
// the bodies hum keeps for R48 (the ISOC Board of Trustees, the IETF
// Trust, the LLC Board, the LLC's staff), creating its group the first
// time. Ending it is revoking the role on the group's page.
func (s *Service) RecordMember(ctx context.Context, by groups.Actor, acronym, role, email, why string) (err error) {
	defer fail.Wrap(&err, "nomcom.RecordMember(%q, %q)", acronym, email)
	if !by.Secretariat() {
		return forbidden(by, "Only the secretariat records who sits on the bodies of R48.")
	}
	b, ok := BodyOf(strings.ToLower(strings.TrimSpace(acronym)))
	if !ok || !b.Recorded {
		var names []string
		for _, b := range Bodies {
			if b.Recorded {
				names = append(names, b.Acronym)
			}
		}
		sort.Strings(names)
		return fail.Field("body", "%q is not one of the bodies recorded here (%s); the IAB and IESG are seated on their own pages.", acronym, strings.Join(names, ", "))
	}
	role = strings.TrimSpace(role)
	if role == "" {
		role = "member"
	}
	if b.Roles != nil && !slices.Contains(b.Roles, role) {
		return fail.Field("role", "A sitting member of the %s is one of: %s.", b.Name, strings.Join(b.Roles, ", "))
	}
	if groups.Roles[role] == "" {
		return fail.Field("role", "%q is not a role.", role)
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		ctx := db.WithTx(ctx, tx)
		p, err := personByEmail(ctx, tx, "email", email)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM grp WHERE acronym = $1`, b.Acronym).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := s.Groups.Create(ctx, by, groups.NewGroup{Acronym: b.Acronym, Name: b.Name, Type: b.Type}, "Kept so that its members can be recorded (R48)"); err != nil {
				return err
			}
		}
		if why == "" {
			why = fmt.Sprintf("Recorded so that NomCom refuses a sitting member of the %s as a volunteer (R48)", b.Name)
		}
		return s.Groups.Grant(ctx, by, b.Acronym, role, p.id, p.email, why)
	})
}

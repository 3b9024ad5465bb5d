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
// everyone's): those Sitting lists.
func (s *Service) Barred(ctx context.Context, personID int64) (map[int64][]Bar, error) {
	ms, err := s.sitting(ctx, personID)
	if err != nil {
		return nil, err
	}
	out := map[int64][]Bar{}
	for _, m := range ms {
		what := m.Body + ": " + groups.RoleName(m.Name)
		if m.GroupType == "area" {
			what = m.Body + ": Area Director of " + m.Acronym
		}
		out[m.PersonID] = append(out[m.PersonID], Bar{PersonID: m.PersonID, Person: m.PersonName, What: what})
	}
	return out, nil
}

// BodyMember is a sitting member of one of the Bodies, or an AD of an
// active area (a member of the IESG).
type BodyMember struct {
	Body   string // its name
	RoleID int64
	groups.Role
}

// Sitting lists the sitting members of every body of R48, by body: the
// IESG's include the ADs of the active areas. It is the one source of
// who may not volunteer (Barred, Volunteer).
func (s *Service) Sitting(ctx context.Context) ([]BodyMember, error) {
	return s.sitting(ctx, 0)
}

// sitting is Sitting, of one person when personID is not 0.
func (s *Service) sitting(ctx context.Context, personID int64) ([]BodyMember, error) {
	var out []BodyMember
	for _, b := range Bodies {
		rs, _, err := s.Groups.Roles(ctx, groups.RoleFilter{Acronym: b.Acronym, PersonID: personID, Active: true})
		if err != nil {
			return nil, err
		}
		groups.SortRoles(rs)
		for _, r := range rs {
			if b.Roles == nil || slices.Contains(b.Roles, r.Name) {
				out = append(out, BodyMember{Body: b.Name, RoleID: r.ID, Role: r})
			}
		}
		if b.Acronym != "iesg" {
			continue
		}
		ads, _, err := s.Groups.Roles(ctx, groups.RoleFilter{Type: "area", Name: "ad", PersonID: personID, Active: true})
		if err != nil {
			return nil, err
		}
		sort.SliceStable(ads, func(i, j int) bool { return ads[i].Acronym < ads[j].Acronym })
		for _, r := range ads {
			if r.GroupState == "active" {
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

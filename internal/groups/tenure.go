package groups

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// Tenure is a time someone held a role: from when it was granted (zero
// when the record does not say) to when it ended (zero: still held).
// NomCom eligibility by service (R46) reads them.
type Tenure struct {
	PersonID  int64
	Person    string
	Acronym   string
	GroupType string
	Role      string // slug
	From, To  time.Time
}

// TenureFilter selects tenures: of roles (slugs) in groups of types,
// overlapping [From, To]; PersonID, if not 0, keeps to one person.
type TenureFilter struct {
	Types, Roles []string
	From, To     time.Time
	PersonID     int64
}

// Tenures lists the tenures f selects. A role held now is in the role
// table, from its grant; a role held before is in role_ended, by
// account, from its grant to its revocation. A role held in a group
// that has since concluded is taken to have ended when the group last
// changed.
func (s *Service) Tenures(ctx context.Context, f TenureFilter) (out []Tenure, err error) {
	defer fail.Wrap(&err, "groups.Tenures(%v, %v, %d)", f.Types, f.Roles, f.PersonID)
	types, roles, from, to := f.Types, f.Roles, f.From, f.To
	if len(types) == 0 || len(roles) == 0 {
		return nil, nil
	}
	var w db.Where
	w.Raw("g.type IN " + w.In(types))
	w.Raw("r.name IN " + w.In(roles))
	w.Add("r.created <= $?", to)
	if f.PersonID != 0 {
		w.Add("r.person_id = $?", f.PersonID)
	}
	type row struct {
		Tenure
		state   string
		updated time.Time
	}
	current, err := db.Query(ctx, s.DB, func(sc db.Scanner) (r row, err error) {
		err = sc.Scan(&r.PersonID, &r.Person, &r.Acronym, &r.GroupType, &r.Role, &r.From, &r.state, &r.updated)
		return r, err
	}, `SELECT r.person_id, p.name, g.acronym, g.type, r.name, r.created, g.state, g.updated
		FROM role r JOIN grp g ON g.id = r.group_id JOIN person p ON p.id = r.person_id`+w.SQL()+` ORDER BY r.id`, w.Args...)
	if err != nil {
		return nil, err
	}
	for _, r := range current {
		if concluded(r.state) {
			r.To = r.updated
		}
		if r.To.IsZero() || !r.To.Before(from) {
			out = append(out, r.Tenure)
		}
	}
	past, err := s.pastTenures(ctx, f)
	return append(out, past...), err
}

func concluded(state string) bool {
	return slices.Contains([]string{"conclude", "bof-conc", "abandon", "replaced"}, state)
}

// pastTenures reads the ended tenures that overlap [f.From, f.To] from
// role_ended, which Revoke writes (and migration 0033 backfilled from
// the record): by account, so a person renamed since is still theirs.
func (s *Service) pastTenures(ctx context.Context, f TenureFilter) ([]Tenure, error) {
	var w db.Where
	w.Raw("g.type IN " + w.In(f.Types))
	w.Raw("x.name IN " + w.In(f.Roles))
	w.Add("x.ended >= $?", f.From)
	// Held at some time in the window: granted by its end (or granted
	// before the record began), ended after its start.
	w.Add("(x.started IS NULL OR x.started <= $?)", f.To)
	if f.PersonID != 0 {
		w.Add("x.person_id = $?", f.PersonID)
	}
	return db.Query(ctx, s.DB, func(sc db.Scanner) (t Tenure, err error) {
		var start sql.NullTime
		err = sc.Scan(&t.PersonID, &t.Person, &t.Acronym, &t.GroupType, &t.Role, &start, &t.To)
		t.From = start.Time
		return t, err
	}, `SELECT x.person_id, p.name, g.acronym, g.type, x.name, x.started, x.ended
		FROM role_ended x JOIN grp g ON g.id = x.group_id JOIN person p ON p.id = x.person_id`+w.SQL()+` ORDER BY x.id`, w.Args...)
}

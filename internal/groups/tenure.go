package groups

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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

// Tenures lists the tenures f selects. A role held now is in the role table,
// from its grant; a role held before is in the record, as the events
// Grant and Revoke write ("NAME is now ROLE", "NAME is no longer ROLE"),
// which name the person as they were named then: such a tenure is
// matched to the account that bears that name, and left out when none
// or several do. A role held in a group that has since concluded is
// taken to have ended when the group last changed.
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

// pastTenures reads the ended tenures from the record that overlap
// [from, to]: each revocation in the window, and the latest grant before
// it of the same role to the same name in the same group (revocations
// are few, and a group's events are found by its index).
func (s *Service) pastTenures(ctx context.Context, f TenureFilter) ([]Tenure, error) {
	var w db.Where
	w.Raw("e.subject_type = 'group'")
	w.Raw("e.kind = 'role_revoked'")
	w.Add("e.at >= $?", f.From)
	w.Raw("g.type IN " + w.In(f.Types))
	if f.PersonID != 0 {
		// The events that name the person as they are named now.
		var name string
		if err := s.DB.QueryRowContext(ctx, `SELECT name FROM person WHERE id = $1`, f.PersonID).Scan(&name); err != nil {
			return nil, err
		}
		w.Raw("SUBSTR(e.summary, 1, " + w.Arg(utf8.RuneCountInString(name)+1) + ") = " + w.Arg(name+" "))
	}
	type event struct {
		id                    int64
		acronym, typ, summary string
		at                    time.Time
	}
	evs, err := db.Query(ctx, s.DB, func(sc db.Scanner) (e event, err error) {
		err = sc.Scan(&e.id, &e.acronym, &e.typ, &e.summary, &e.at)
		return e, err
	}, `SELECT e.id, g.acronym, g.type, e.summary, e.at FROM event e JOIN grp g ON g.acronym = e.subject`+w.SQL()+` ORDER BY e.id`, w.Args...)
	if err != nil {
		return nil, err
	}
	var ended []Tenure
	for _, e := range evs {
		for _, role := range f.Roles {
			name, ok := strings.CutSuffix(e.summary, " is no longer "+RoleName(role))
			if !ok || name == "" {
				continue
			}
			// Its grant; none when it is older than the record.
			var start time.Time
			err := s.DB.QueryRowContext(ctx, `SELECT at FROM event WHERE subject_type = 'group' AND subject = $1 AND kind = 'role_granted'
				AND summary = $2 AND id < $3 ORDER BY id DESC LIMIT 1`, e.acronym, name+" is now "+RoleName(role), e.id).Scan(&start)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
			// Held at some time in [from, to]: granted by its end, ended
			// after its start (a role ended after the call was held on it).
			if !start.After(f.To) {
				ended = append(ended, Tenure{Person: name, Acronym: e.acronym, GroupType: e.typ, Role: role, From: start, To: e.at})
			}
		}
	}
	if len(ended) == 0 {
		return nil, nil
	}
	var names []string
	for _, t := range ended {
		names = append(names, t.Person)
	}
	var nw db.Where
	nw.Raw("name IN " + nw.In(names))
	ids := map[string][]int64{}
	type pn struct {
		id   int64
		name string
	}
	pns, err := db.Query(ctx, s.DB, func(sc db.Scanner) (p pn, err error) {
		err = sc.Scan(&p.id, &p.name)
		return p, err
	}, `SELECT id, name FROM person`+nw.SQL(), nw.Args...)
	if err != nil {
		return nil, err
	}
	for _, p := range pns {
		ids[p.name] = append(ids[p.name], p.id)
	}
	var out []Tenure
	for _, t := range ended {
		if len(ids[t.Person]) == 1 {
			t.PersonID = ids[t.Person][0]
			out = append(out, t)
		}
	}
	return out, nil
}

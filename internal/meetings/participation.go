package meetings

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// NomCom eligibility by attendance (R45) reads these: the last five IETF
// meetings before a date (R50) and, for each person, what each of them
// says about them.

// LastIETF returns the n most recent IETF meetings whose first day is on
// or before day (a date, read in UTC), latest first (R50: the
// Datatracker's previous_five_meetings).
func (s *Service) LastIETF(ctx context.Context, day time.Time, n int) ([]Meeting, error) {
	ms, _, err := s.List(ctx, Filter{Type: IETF, Before: day.UTC().AddDate(0, 0, 1), Desc: true, Limit: n})
	return ms, err
}

// Participation is what a meeting says of one person: their
// registration (through their account or any of their addresses), its
// type, whether they checked in, and how many sessions' blue sheets have
// their line.
type Participation struct {
	PersonID   int64
	MeetingID  int64
	Registered bool
	Type       string // Onsite or Remote, when registered
	CheckedIn  bool
	Sessions   int
}

// Participations lists, for the meetings with those ids, everyone who
// registered for or signed a blue sheet at one of them: one row per
// person and meeting, by person then meeting. personID, if not 0, keeps
// to that person.
func (s *Service) Participations(ctx context.Context, meetingIDs []int64, personID int64) (out []Participation, err error) {
	defer fail.Wrap(&err, "meetings.Participations(%v, %d)", meetingIDs, personID)
	if len(meetingIDs) == 0 {
		return nil, nil
	}
	// Each query has its own arguments: the meetings' ids, then the
	// person's.
	where := func(col, personCol string) db.Where {
		var w db.Where
		var ids []string
		for _, id := range meetingIDs {
			ids = append(ids, w.Arg(id))
		}
		w.Raw(col + " IN (" + strings.Join(ids, ", ") + ")")
		if personID != 0 {
			w.Add(personCol+" = $?", personID)
		}
		return w
	}
	regs, sessions := where("r.meeting_id", "p.person_id"), where("s.meeting_id", "a.person_id")
	// A registration is someone's through their account, or through an
	// address of theirs (registered by mailed link, or before the
	// account existed).
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT p.person_id, r.meeting_id, r.attendance_type, r.checkedin
		FROM registration r JOIN (SELECT id AS rid, person_id FROM registration WHERE person_id IS NOT NULL
			UNION SELECT r2.id, pa.person_id FROM registration r2 JOIN person_address pa ON pa.address = r2.email) p ON p.rid = r.id
		`+regs.SQL(), regs.Args...)
	if err != nil {
		return nil, err
	}
	at := map[[2]int64]int{}
	for rows.Next() {
		var p Participation
		if err := rows.Scan(&p.PersonID, &p.MeetingID, &p.Type, &p.CheckedIn); err != nil {
			rows.Close()
			return nil, err
		}
		k := [2]int64{p.PersonID, p.MeetingID}
		if i, ok := at[k]; ok {
			out[i].CheckedIn = out[i].CheckedIn || p.CheckedIn
			continue
		}
		p.Registered = true
		at[k] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	type count struct {
		person, meeting int64
		n               int
	}
	cs, err := db.Query(ctx, s.DB, func(row db.Scanner) (c count, err error) {
		err = row.Scan(&c.person, &c.meeting, &c.n)
		return c, err
	}, `SELECT a.person_id, s.meeting_id, COUNT(*) FROM attended a JOIN session s ON s.id = a.session_id `+sessions.SQL()+` GROUP BY a.person_id, s.meeting_id`, sessions.Args...)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		k := [2]int64{c.person, c.meeting}
		if i, ok := at[k]; ok {
			out[i].Sessions = c.n
			continue
		}
		at[k] = len(out)
		out = append(out, Participation{PersonID: c.person, MeetingID: c.meeting, Sessions: c.n})
	}
	sortParticipations(out)
	return out, nil
}

func sortParticipations(ps []Participation) {
	slices.SortFunc(ps, func(a, b Participation) int {
		if a.PersonID != b.PersonID {
			return cmp.Compare(a.PersonID, b.PersonID)
		}
		return cmp.Compare(a.MeetingID, b.MeetingID)
	})
}

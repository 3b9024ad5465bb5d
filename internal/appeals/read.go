package appeals

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

const appealCols = `a.id, a.name, a.kind, COALESCE(a.group_id, 0), COALESCE(g.acronym, ''), COALESCE(g.type, ''), COALESCE(g.parent_id, 0),
	a.event_id, a.decided, COALESCE(a.decided_by, 0), a.subject_type, a.subject, a.decision, a.appellant_id, a.appellant,
	a.facts, a.remedy, a.procedural, a.level, a.state, a.annulled, a.filed, a.updated`

const appealFrom = ` FROM appeal a LEFT JOIN group_ref g ON g.id = a.group_id `

func scanAppeal(row db.Scanner) (Appeal, error) {
	var a Appeal
	err := row.Scan(&a.ID, &a.Name, &a.Kind, &a.GroupID, &a.Group, &a.GroupType, &a.GroupParentID,
		&a.EventID, &a.Decided, &a.DecidedByID, &a.SubjectType, &a.Subject, &a.Decision, &a.AppellantID, &a.Appellant,
		&a.Facts, &a.Remedy, &a.Procedural, &a.Level, &a.State, &a.Annulled, &a.Filed, &a.Updated)
	return a, err
}

// levelCols are the columns scanLevel reads.
const levelCols = `seq, level, reason, addressed, due, acknowledged, response, responded, COALESCE(responder_id, 0), responder, annuls`

func scanLevel(row db.Scanner) (Level, error) { return scanLevelAfter(row) }

// scanLevelAfter scans a level after the columns lead (its appeal's id).
func scanLevelAfter(row db.Scanner, lead ...any) (Level, error) {
	var l Level
	var due, ack, resp sql.NullTime
	err := row.Scan(append(lead, &l.Seq, &l.Level, &l.Reason, &l.Addressed, &due, &ack, &l.Response, &resp, &l.ResponderID, &l.Responder, &l.Annuls)...)
	l.Due, l.Acknowledged, l.Responded = timeOf(due), timeOf(ack), timeOf(resp)
	return l, err
}

func timeOf(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

// Get returns appeal id with its levels.
func (s *Service) Get(ctx context.Context, id int64) (Appeal, error) { return get(ctx, s.DB, id) }

func get(ctx context.Context, q db.Querier, id int64) (Appeal, error) {
	a, err := scanAppeal(q.QueryRowContext(ctx, `SELECT `+appealCols+appealFrom+`WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fail.New(fail.NotFound, "There is no appeal %d.", id)
	} else if err != nil {
		return a, err
	}
	a.Levels, err = db.Query(ctx, q, scanLevel, `SELECT `+levelCols+` FROM appeal_level WHERE appeal_id = $1 ORDER BY seq`, id)
	return a, err
}

// Filter selects appeals for List; zero fields match everything.
type Filter struct {
	ID      int64
	GroupID int64
	Kind    string
	State   string
	Level   string
	EventID int64
	Limit   int // 0: all
	Offset  int
}

// List returns the appeals f selects, newest first, without their
// levels, and how many match in all.
func (s *Service) List(ctx context.Context, f Filter) ([]Appeal, int, error) {
	var w db.Where
	if f.ID != 0 {
		w.Add("a.id = $?", f.ID)
	}
	if f.GroupID != 0 {
		w.Add("a.group_id = $?", f.GroupID)
	}
	if f.Kind != "" {
		w.Add("a.kind = $?", f.Kind)
	}
	if f.State != "" {
		w.Add("a.state = $?", f.State)
	}
	if f.Level != "" {
		w.Add("a.level = $?", f.Level)
	}
	if f.EventID != 0 {
		w.Add("a.event_id = $?", f.EventID)
	}
	return db.QueryPage(ctx, s.DB, db.Listing{Cols: appealCols, From: appealFrom, Where: w, Order: "a.id DESC",
		Limit: f.Limit, Offset: f.Offset}, scanAppeal)
}

// levels returns the levels of appeals ids, by appeal, in one query.
func (s *Service) levels(ctx context.Context, ids []int64) (map[int64][]Level, error) {
	out := map[int64][]Level{}
	if len(ids) == 0 {
		return out, nil
	}
	var w db.Where
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = w.Arg(id)
	}
	w.Raw("appeal_id IN (" + strings.Join(ph, ", ") + ")")
	_, err := db.Query(ctx, s.DB, func(row db.Scanner) (Level, error) {
		var appeal int64
		l, err := scanLevelAfter(row, &appeal)
		out[appeal] = append(out[appeal], l)
		return l, err
	}, `SELECT appeal_id, `+levelCols+` FROM appeal_level`+w.SQL()+` ORDER BY appeal_id, seq`, w.Args...)
	return out, err
}

// WithLevels fills the levels of as, in one query.
func (s *Service) WithLevels(ctx context.Context, as []Appeal) error {
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	ls, err := s.levels(ctx, ids)
	for i := range as {
		as[i].Levels = ls[as[i].ID]
	}
	return err
}

// ForEvents returns the appeals of each of the decisions evs (event ids),
// for pages that show decisions: "Appealed: …".
func (s *Service) ForEvents(ctx context.Context, evs []int64) (map[int64][]Appeal, error) {
	out := map[int64][]Appeal{}
	if len(evs) == 0 {
		return out, nil
	}
	var w db.Where
	ph := make([]string, len(evs))
	for i, e := range evs {
		ph[i] = w.Arg(e)
	}
	w.Raw("a.event_id IN (" + strings.Join(ph, ", ") + ")")
	as, err := db.Query(ctx, s.DB, scanAppeal, `SELECT `+appealCols+appealFrom+w.SQL()+` ORDER BY a.id`, w.Args...)
	for _, a := range as {
		out[a.EventID] = append(out[a.EventID], a)
	}
	return out, err
}

// AwaitingChairs returns the appeals of group groupID awaiting the
// response of its chairs, for the chairs' dashboard.
func (s *Service) AwaitingChairs(ctx context.Context, groupID int64) ([]Appeal, error) {
	as, _, err := s.List(ctx, Filter{GroupID: groupID, State: Open, Level: Chairs})
	return as, err
}

// ForResponder returns the open appeals awaiting a response that who may
// record (MayRespond), oldest first: a dashboard's "appeals addressed to
// you".
func (s *Service) ForResponder(ctx context.Context, who groups.Actor) ([]Appeal, error) {
	as, _, err := s.List(ctx, Filter{State: Open})
	if err != nil {
		return nil, err
	}
	var out []Appeal
	for i := len(as) - 1; i >= 0; i-- {
		if MayRespond(who, as[i]) == nil {
			out = append(out, as[i])
		}
	}
	return out, nil
}

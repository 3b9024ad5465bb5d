package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

// Request is what a group asks of an IETF meeting: its sessions and what
// the schedule should respect, in the Datatracker's terms.
type Request struct {
	Sessions     int                 // 1 to 3
	Lengths      []time.Duration     // one per session: 60, 90 or 120 minutes
	Attendees    int                 // expected
	Conflicts    map[string][]string // conflict level (ConflictLevels) → group acronyms
	BeThere      []string            // people who must be present, by address
	TimeRanges   []string            // TimeRange slugs the group cannot meet in
	Adjacent     string              // a group to sit next to (wg_adjacent)
	JointWith    []string            // groups the session is held jointly with
	JointSession int                 // which session (1..Sessions) is the joint one; 0 every one
	TimeRelation string              // "", or a TimeRelations slug
	Comments     string
}

// SessionLengths are the lengths a session may be asked for.
var SessionLengths = []time.Duration{60 * time.Minute, 90 * time.Minute, 120 * time.Minute}

// MaxSessions is the most sessions a group may ask for at one meeting.
const MaxSessions = 3

// liveIn are the statuses of a request that stands: sessions waiting,
// placed or approved, and the answer "not meeting".
const liveIn = `('schedw', 'sched', 'scheda', 'appr', 'apprw', 'notmeet')`

// RequestDeadline is when session requests for m close by default: the
// Datatracker's cut-off for WG scheduling requests (cutoffwgreq), 43
// days before the meeting's first day, at the end of that day UTC. The
// secretariat may move it (SessionRequestDeadline).
func RequestDeadline(m Meeting) time.Time {
	d := m.Date.AddDate(0, 0, -43)
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, time.UTC)
}

// SessionRequestDeadline is when session requests for m close: its
// cutoffwgreq important date, as the secretariat set it or by default.
func (s *Service) SessionRequestDeadline(ctx context.Context, m Meeting) (time.Time, error) {
	return requestDeadline(ctx, s.DB, m)
}

func requestDeadline(ctx context.Context, q db.Querier, m Meeting) (time.Time, error) {
	ds, err := importantDates(ctx, q, m)
	for _, d := range ds {
		if d.Slug == "cutoffwgreq" {
			return d.End(), err
		}
	}
	return RequestDeadline(m), err
}

// MayRequest reports whether by may request, change and withdraw g's
// sessions, so pages offer the form only to them.
func MayRequest(by groups.Actor, g groups.Group) bool { return requestable(by, g) == nil }

// requestable reports whether by may request sessions for g: its chairs,
// secretaries and delegates, and its AD, for a WG or RG (a BOF is a WG in
// the state bof); the secretariat for any group.
func requestable(by groups.Actor, g groups.Group) error {
	if by.Secretariat() {
		return nil
	}
	if !by.LeadsGroup(g.ID) && !by.AD(g) {
		return fail.New(fail.Forbidden, "Only the chairs, secretaries and delegates of %s, its AD and the secretariat may request or change its sessions.", g.Acronym)
	}
	if g.Type != "wg" && g.Type != "rg" {
		return fail.New(fail.Forbidden, "%s is a %s; only WGs, RGs and BOFs request sessions (the secretariat arranges the others).", g.Acronym, g.Type)
	}
	return nil
}

// requestOpen refuses a change when the meeting is not open to its
// requests: an interim, a meeting past the deadline (zero for changes
// that have none) or one that has begun. The secretariat may still act.
func requestOpen(by groups.Actor, m Meeting, g groups.Group, now, deadline time.Time) error {
	if m.Type != IETF {
		return fail.New(fail.Invalid, "%s is an interim; its sessions are requested with the interim.", m.Number)
	}
	switch {
	case !now.Before(m.Date) && !by.Secretariat():
		return fail.New(fail.Conflict, "%s began on %s; only the secretariat may change %s's sessions now.", m.Title(), m.Date.Format(time.DateOnly), g.Acronym)
	case !deadline.IsZero() && now.After(deadline) && !by.Secretariat():
		return fail.New(fail.Conflict, "Session requests for %s closed on %s; ask the secretariat, who may still accept a late request.",
			m.Title(), deadline.Format("2006-01-02 15:04 MST"))
	}
	switch g.State {
	case "conclude", "bof-conc", "abandon", "replaced":
		return fail.New(fail.Conflict, "%s is %s; it has no sessions to request.", g.Acronym, g.State)
	}
	return nil
}

// resolved is a checked request: the groups and people it names, by id.
type resolved struct {
	conflicts map[string][]int64 // level → target ids, in the order given
	bethere   []int64
	adjacent  int64
	joint     []int64
}

// checkRequest normalises r and checks it against what hum holds,
// gathering every problem so the chair can mend them all at once.
func checkRequest(ctx context.Context, tx *db.Tx, g groups.Group, r *Request) (resolved, error) {
	var problems []*fail.Error
	add := func(field, format string, args ...any) {
		problems = append(problems, fail.Field(field, format, args...))
	}
	res := resolved{conflicts: map[string][]int64{}}
	if r.Sessions < 1 || r.Sessions > MaxSessions {
		add("sessions", "A group may ask for 1 to %d sessions; got %d.", MaxSessions, r.Sessions)
	} else if len(r.Lengths) != r.Sessions {
		add("length", "Give a length for each of the %d sessions; got %d.", r.Sessions, len(r.Lengths))
	}
	for i, l := range r.Lengths {
		if !slices.Contains(SessionLengths, l) {
			add("length", "Session %d: a session lasts 60, 90 or 120 minutes; got %s.", i+1, minutes(l))
		}
	}
	if r.Attendees < 1 || r.Attendees > 10000 {
		add("attendees", "Give the number of people expected, from 1 to 10000; got %d.", r.Attendees)
	}
	if r.Comments = strings.TrimSpace(r.Comments); len(r.Comments) > 5000 {
		add("comments", "Comments are at most 5000 characters; these are %d.", len(r.Comments))
	}

	// Groups named anywhere, resolved at once.
	var names []string
	for _, l := range ConflictLevels {
		r.Conflicts[l] = cleanList(r.Conflicts[l])
		names = append(names, r.Conflicts[l]...)
	}
	r.JointWith = cleanList(r.JointWith)
	r.Adjacent = strings.ToLower(strings.TrimSpace(r.Adjacent))
	names = append(names, r.JointWith...)
	if r.Adjacent != "" {
		names = append(names, r.Adjacent)
	}
	ids, err := groupIDs(ctx, tx, names)
	if err != nil {
		return res, err
	}
	target := func(field, what, acr string) int64 {
		id, ok := ids[acr]
		switch {
		case !ok:
			add(field, "There is no group %q (%s).", acr, what)
		case acr == g.Acronym:
			add(field, "%s cannot be listed as %s of itself.", acr, strings.ToLower(what))
		}
		return id
	}
	levelOf := map[string]string{}
	for _, l := range ConflictLevels {
		c, _ := Constraint(l)
		for _, acr := range r.Conflicts[l] {
			if prev, dup := levelOf[acr]; dup {
				add(l, "%s is listed twice, under %q and %q; list each group once.", acr, prevName(prev), c.Name)
				continue
			}
			levelOf[acr] = l
			if id := target(l, c.Name, acr); id != 0 {
				res.conflicts[l] = append(res.conflicts[l], id)
			}
		}
	}
	if r.Adjacent != "" {
		res.adjacent = target("adjacent", "Adjacent with", r.Adjacent)
	}
	for _, acr := range r.JointWith {
		if id := target("joint_with", "Joint with", acr); id != 0 {
			res.joint = append(res.joint, id)
		}
	}
	if r.JointSession < 0 || r.JointSession > r.Sessions {
		add("joint_for", "The joint session is one of the %d asked for; got %d.", r.Sessions, r.JointSession)
	}

	r.BeThere = cleanList(r.BeThere)
	for _, addr := range r.BeThere {
		id, err := db.Scalar[int64](tx.QueryRowContext(ctx, `SELECT person_id FROM person_address WHERE address = $1`, addr))
		if errors.Is(err, sql.ErrNoRows) {
			add("bethere", "No person has the address %s; the people who must be present need an account.", addr)
			continue
		} else if err != nil {
			return res, err
		}
		if !slices.Contains(res.bethere, id) {
			res.bethere = append(res.bethere, id)
		}
	}
	r.TimeRanges = cleanList(r.TimeRanges)
	for _, tr := range r.TimeRanges {
		if _, ok := Range(tr); !ok {
			add("timeranges", "%q is not a time range (they are named like monday-morning or friday-afternoon-late).", tr)
		}
	}
	if r.TimeRelation = strings.TrimSpace(r.TimeRelation); r.TimeRelation != "" {
		slug, ok := ParseTimeRelation(r.TimeRelation)
		switch {
		case !ok:
			add("time_relation", "%q is not a time relation (subsequent-days or one-day-separation).", r.TimeRelation)
		case r.Sessions < 2:
			add("time_relation", "A time between sessions needs at least two sessions.")
		}
		r.TimeRelation = slug
	}
	if len(problems) > 0 {
		return res, fail.Join(fail.Invalid, problems, "The request for %s was not saved: %s", g.Acronym, problems[0].Message)
	}
	return res, nil
}

func prevName(slug string) string { c, _ := Constraint(slug); return c.Name }

// cleanList lowercases, trims and drops empty and repeated entries.
func cleanList(vs []string) []string {
	var out []string
	for _, v := range vs {
		v = strings.ToLower(strings.TrimSpace(v))
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// SplitList splits what a form gives as a list: acronyms or addresses
// separated by commas, spaces or new lines.
func SplitList(s string) []string {
	return cleanList(strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == ';' }))
}

func groupIDs(ctx context.Context, q db.Querier, acronyms []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(acronyms) == 0 {
		return out, nil
	}
	var w db.Where
	in := w.In(acronyms)
	rows, err := q.QueryContext(ctx, `SELECT acronym, id FROM group_ref WHERE acronym IN `+in, w.Args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var acr string
		var id int64
		if err := rows.Scan(&acr, &id); err != nil {
			return nil, err
		}
		out[acr] = id
	}
	return out, rows.Err()
}

func minutes(d time.Duration) string { return fmt.Sprintf("%d minutes", int(d/time.Minute)) }

// RequestSessions makes or replaces g's request for a meeting: its
// sessions (waiting for scheduling) and its constraints. Sessions already
// asked for are kept (a placed one stays placed) and changed to the new
// lengths; those no longer asked for are withdrawn. The deadline holds
// for everyone but the secretariat.
func (s *Service) RequestSessions(ctx context.Context, by groups.Actor, number, acronym string, r Request, why string) (err error) {
	defer fail.Wrap(&err, "meetings.RequestSessions(%q, %q)", number, acronym)
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return err
	}
	if err := requestable(by, g); err != nil {
		return err
	}
	if r.Conflicts == nil {
		r.Conflicts = map[string][]string{}
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		deadline, err := requestDeadline(ctx, tx, m)
		if err != nil {
			return err
		}
		if err := requestOpen(by, m, g, tx.Now, deadline); err != nil {
			return err
		}
		res, err := checkRequest(ctx, tx, g, &r)
		if err != nil {
			return err
		}
		old, err := liveSessions(ctx, tx, m.ID, g.ID)
		if err != nil {
			return err
		}
		var ids []int64
		for i := range max(len(old), r.Sessions) {
			switch {
			case i < len(old) && i < r.Sessions:
				// A "not meeting" answer becomes a request.
				_, err = tx.ExecContext(ctx, `UPDATE session SET requested_duration = $1, attendees = $2, comments = $3, modified = $4,
					status = CASE WHEN status = 'notmeet' THEN 'schedw' ELSE status END WHERE id = $5`,
					int64(r.Lengths[i]/time.Second), r.Attendees, r.Comments, tx.Now, old[i])
				ids = append(ids, old[i])
			case i < len(old):
				err = dropSession(ctx, tx, old[i])
			default:
				var id int64
				id, err = insertSession(ctx, tx, Session{MeetingID: m.ID, GroupID: g.ID, Status: StatusWaiting, RequestedDuration: r.Lengths[i],
					Attendees: r.Attendees, Comments: r.Comments, RequestedByID: by.ID, Requested: tx.Now})
				ids = append(ids, id)
			}
			if err != nil {
				return err
			}
		}
		if err := writeConstraints(ctx, tx, m.ID, g.ID, r, res); err != nil {
			return err
		}
		if err := writeJoint(ctx, tx, ids, r.JointSession, res.joint); err != nil {
			return err
		}
		kind, verb := "session_requested", "Requested"
		if len(old) > 0 {
			kind, verb = "session_request_changed", "Changed the request to"
		}
		return s.changedSession(ctx, tx, by, m, Session{Group: g.Acronym}, kind, verb+" "+describe(r), why)
	})
}

// describe sums a request up for the record.
func describe(r Request) string {
	var ls []string
	for _, l := range r.Lengths {
		ls = append(ls, fmt.Sprint(int(l/time.Minute)))
	}
	n := 0
	for _, l := range ConflictLevels {
		n += len(r.Conflicts[l])
	}
	s := fmt.Sprintf("%d session%s (%s minutes) for %d people", r.Sessions, plural(r.Sessions), strings.Join(ls, ", "), r.Attendees)
	if n > 0 {
		s += fmt.Sprintf(", with %d conflict%s", n, plural(n))
	}
	if len(r.JointWith) > 0 {
		s += ", joint with " + strings.Join(r.JointWith, ", ")
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// liveSessions are the ids of g's sessions at a meeting that stand, in
// the order they were made.
func liveSessions(ctx context.Context, tx *db.Tx, meetingID, groupID int64) ([]int64, error) {
	return db.Query(ctx, tx, db.Scalar[int64], `SELECT id FROM session WHERE meeting_id = $1 AND group_id = $2 AND status IN `+liveIn+` ORDER BY id`,
		meetingID, groupID)
}

// dropSession withdraws a session: deleted, out of every schedule, held
// jointly with no one.
func dropSession(ctx context.Context, tx *db.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM assignment WHERE session_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM session_joint_with_group WHERE session_id = $1`, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE session SET status = $1, modified = $2 WHERE id = $3`, StatusDeleted, tx.Now, id)
	return err
}

// writeConstraints replaces g's constraints at a meeting.
func writeConstraints(ctx context.Context, tx *db.Tx, meetingID, groupID int64, r Request, res resolved) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM session_constraint WHERE meeting_id = $1 AND source_id = $2`, meetingID, groupID); err != nil {
		return err
	}
	ins := func(name string, target, person int64, relation, ranges string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO session_constraint (meeting_id, source_id, name, target_id, person_id, time_relation, timeranges)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, meetingID, groupID, name,
			sql.NullInt64{Int64: target, Valid: target != 0}, sql.NullInt64{Int64: person, Valid: person != 0}, relation, ranges)
		return err
	}
	for _, l := range ConflictLevels {
		for _, id := range res.conflicts[l] {
			if err := ins(l, id, 0, "", ""); err != nil {
				return err
			}
		}
	}
	for _, p := range res.bethere {
		if err := ins("bethere", 0, p, "", ""); err != nil {
			return err
		}
	}
	if res.adjacent != 0 {
		if err := ins("wg_adjacent", res.adjacent, 0, "", ""); err != nil {
			return err
		}
	}
	if len(r.TimeRanges) > 0 {
		if err := ins("timerange", 0, 0, "", strings.Join(r.TimeRanges, ",")); err != nil {
			return err
		}
	}
	if r.TimeRelation != "" {
		return ins("time_relation", 0, 0, r.TimeRelation, "")
	}
	return nil
}

// writeJoint records the groups the joint session (the which-th of ids,
// or every one for 0) is held with.
func writeJoint(ctx context.Context, tx *db.Tx, ids []int64, which int, groups []int64) error {
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM session_joint_with_group WHERE session_id = $1`, id); err != nil {
			return err
		}
		if which != 0 && which != i+1 {
			continue
		}
		for _, g := range groups {
			if _, err := tx.ExecContext(ctx, `INSERT INTO session_joint_with_group (session_id, group_id) VALUES ($1, $2)`, id, g); err != nil {
				return err
			}
		}
	}
	return nil
}

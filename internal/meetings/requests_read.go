package meetings

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
)

// GroupRequest is a group's request for a meeting as it stands.
type GroupRequest struct {
	Meeting     string // number
	GroupID     int64
	Group       string
	GroupName   string
	GroupType   string
	Area        string
	Status      string    // "" (no answer yet), schedw, sched, notmeet, ...
	Sessions    []Session // the sessions asked for, none when not meeting
	Request     Request
	People      []PersonRef // who must be present (Request.BeThere), named
	RequestedBy string
	Requested   time.Time
	Modified    time.Time
}

// PersonRef names a person.
type PersonRef struct{ Name, Email string }

// Conflicts lists the groups a request conflicts with at a level.
func (g GroupRequest) Conflicts(level string) []string { return g.Request.Conflicts[level] }

// Lengths are the requested lengths in minutes, for pages.
func (g GroupRequest) Lengths() []int {
	var out []int
	for _, l := range g.Request.Lengths {
		out = append(out, int(l/time.Minute))
	}
	return out
}

// requestStatus sums up the statuses of a request's sessions: waiting
// while any is, else that of the first.
func requestStatus(ss []Session) string {
	for _, s := range ss {
		if s.Status == StatusWaiting {
			return StatusWaiting
		}
	}
	if len(ss) == 0 {
		return ""
	}
	return ss[0].Status
}

// SessionRequest returns g's request for a meeting; its Status is "" when the
// group has made none.
func (s *Service) SessionRequest(ctx context.Context, number, acronym string) (GroupRequest, error) {
	m, err := s.Get(ctx, number)
	if err != nil {
		return GroupRequest{}, err
	}
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return GroupRequest{}, err
	}
	rs, err := s.loadRequests(ctx, m.ID, g.ID)
	if err != nil || len(rs) > 0 {
		return first(rs), err
	}
	return GroupRequest{Meeting: m.Number, GroupID: g.ID, Group: g.Acronym, GroupName: g.Name, GroupType: g.Type, Area: g.Parent,
		Request: Request{Conflicts: map[string][]string{}}}, nil
}

func first(rs []GroupRequest) GroupRequest {
	if len(rs) == 0 {
		return GroupRequest{}
	}
	return rs[0]
}

// Requests lists every group's request for a meeting, "not meeting"
// answers included, by area and group.
func (s *Service) Requests(ctx context.Context, number string) ([]GroupRequest, error) {
	m, err := s.Get(ctx, number)
	if err != nil {
		return nil, err
	}
	return s.loadRequests(ctx, m.ID, 0)
}

// LastRequest returns g's request at the last IETF meeting before this
// one at which it asked for sessions ("not meeting" answers are passed
// over), for a chair to start from: the Datatracker's "copy the
// conflicts from the last request".
func (s *Service) LastRequest(ctx context.Context, number, acronym string) (GroupRequest, error) {
	m, err := s.Get(ctx, number)
	if err != nil {
		return GroupRequest{}, err
	}
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return GroupRequest{}, err
	}
	id, err := db.Scalar[int64](s.DB.QueryRowContext(ctx, `SELECT m.id FROM meeting m WHERE m.type = 'ietf' AND m.date < $1
		AND (EXISTS (SELECT 1 FROM session s WHERE s.meeting_id = m.id AND s.group_id = $2 AND s.status IN ('schedw', 'sched', 'scheda', 'appr', 'apprw'))
		  OR EXISTS (SELECT 1 FROM session_constraint c WHERE c.meeting_id = m.id AND c.source_id = $2))
		ORDER BY m.date DESC LIMIT 1`, m.Date.Format(time.DateOnly), g.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return GroupRequest{}, fail.New(fail.NotFound, "%s made no session request before %s.", g.Acronym, m.Title())
	} else if err != nil {
		return GroupRequest{}, err
	}
	rs, err := s.loadRequests(ctx, id, g.ID)
	if err != nil {
		return GroupRequest{}, err
	}
	if len(rs) == 0 { // constraints without sessions
		last, err := db.Scalar[string](s.DB.QueryRowContext(ctx, `SELECT number FROM meeting WHERE id = $1`, id))
		if err != nil {
			return GroupRequest{}, err
		}
		r := GroupRequest{Meeting: last, GroupID: g.ID, Group: g.Acronym, GroupName: g.Name, GroupType: g.Type, Area: g.Parent, Request: Request{Conflicts: map[string][]string{}}}
		cs, err := s.constraints(ctx, id, g.ID)
		for _, c := range cs {
			c.apply(&r)
		}
		return r, err
	}
	return rs[0], nil
}

// NotRequested lists, by area, the active WGs and RGs that have given no
// answer for a meeting.
func (s *Service) NotRequested(ctx context.Context, number string) (map[string][]string, error) {
	m, err := s.Get(ctx, number)
	if err != nil {
		return nil, err
	}
	type row struct{ area, acronym string }
	rows, err := db.Query(ctx, s.DB, func(sc db.Scanner) (r row, err error) {
		err = sc.Scan(&r.area, &r.acronym)
		return r, err
	}, `SELECT COALESCE(a.acronym, ''), g.acronym FROM group_ref g LEFT JOIN group_ref a ON a.id = g.parent_id
		WHERE g.type IN ('wg', 'rg') AND g.state IN ('active', 'bof', 'proposed')
		AND NOT EXISTS (SELECT 1 FROM session s WHERE s.meeting_id = $1 AND s.group_id = g.id AND s.status IN `+liveIn+`)
		ORDER BY g.acronym`, m.ID)
	out := map[string][]string{}
	for _, r := range rows {
		out[r.area] = append(out[r.area], r.acronym)
	}
	return out, err
}

// loadRequests builds the requests of a meeting (of one group, when
// groupID is not 0) from its live sessions, constraints and joint groups.
func (s *Service) loadRequests(ctx context.Context, meetingID, groupID int64) ([]GroupRequest, error) {
	var w db.Where
	w.Add("s.meeting_id = $?", meetingID)
	w.Raw("s.status IN " + liveIn)
	if groupID != 0 {
		w.Add("s.group_id = $?", groupID)
	}
	ss, err := db.Query(ctx, s.DB, scanSession, `SELECT `+sessionCols+sessionFrom+w.SQL()+` ORDER BY COALESCE(a.acronym, ''), g.acronym, s.id`, w.Args...)
	if err != nil {
		return nil, err
	}
	joint, err := s.jointGroups(ctx, meetingID)
	if err != nil {
		return nil, err
	}
	var out []GroupRequest
	at := map[int64]int{}
	for _, sess := range ss {
		i, ok := at[sess.GroupID]
		if !ok {
			i = len(out)
			at[sess.GroupID] = i
			out = append(out, GroupRequest{Meeting: sess.Meeting, GroupID: sess.GroupID, Group: sess.Group, GroupName: sess.GroupName,
				GroupType: sess.GroupType, Area: sess.Area, RequestedBy: sess.RequestedBy, Requested: sess.Requested,
				Request: Request{Attendees: sess.Attendees, Comments: sess.Comments, Conflicts: map[string][]string{}}})
		}
		r := &out[i]
		if sess.Modified.After(r.Modified) {
			r.Modified = sess.Modified
		}
		if sess.Status == StatusNotMeeting {
			r.Status = StatusNotMeeting
			continue
		}
		r.Sessions = append(r.Sessions, sess)
		r.Request.Sessions++
		r.Request.Lengths = append(r.Request.Lengths, sess.RequestedDuration)
		if js := joint[sess.ID]; len(js) > 0 {
			r.Request.JointWith = js
			r.Request.JointSession = r.Request.Sessions
		}
	}
	for i := range out {
		r := &out[i]
		if r.Status == "" {
			r.Status = requestStatus(r.Sessions)
		}
		// Joint with every session: the form's "all".
		all := len(r.Sessions) > 1
		for _, sess := range r.Sessions {
			all = all && len(joint[sess.ID]) > 0
		}
		if all {
			r.Request.JointSession = 0
		}
	}
	cs, err := s.constraints(ctx, meetingID, groupID)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if i, ok := at[c.source]; ok {
			c.apply(&out[i])
		}
	}
	return out, nil
}

// constraintRow is one row of session_constraint, with its names.
type constraintRow struct {
	source           int64
	name, target     string
	person, email    string
	relation, ranges string
}

func (c constraintRow) apply(r *GroupRequest) {
	switch c.name {
	case Conflict1, Conflict2, Conflict3:
		r.Request.Conflicts[c.name] = append(r.Request.Conflicts[c.name], c.target)
	case "bethere":
		r.Request.BeThere = append(r.Request.BeThere, c.email)
		r.People = append(r.People, PersonRef{Name: c.person, Email: c.email})
	case "wg_adjacent":
		r.Request.Adjacent = c.target
	case "timerange":
		if c.ranges != "" {
			r.Request.TimeRanges = append(r.Request.TimeRanges, strings.Split(c.ranges, ",")...)
		}
	case "time_relation":
		r.Request.TimeRelation, _ = ParseTimeRelation(c.relation)
	}
}

func (s *Service) constraints(ctx context.Context, meetingID, groupID int64) ([]constraintRow, error) {
	var w db.Where
	w.Add("c.meeting_id = $?", meetingID)
	if groupID != 0 {
		w.Add("c.source_id = $?", groupID)
	}
	return db.Query(ctx, s.DB, func(sc db.Scanner) (c constraintRow, err error) {
		err = sc.Scan(&c.source, &c.name, &c.target, &c.person, &c.email, &c.relation, &c.ranges)
		return c, err
	}, `SELECT c.source_id, c.name, COALESCE(t.acronym, ''), COALESCE(p.name, ''),
		COALESCE((SELECT e.address FROM person_address e WHERE e.person_id = c.person_id ORDER BY e.is_primary DESC, e.address LIMIT 1), ''),
		c.time_relation, c.timeranges
		FROM session_constraint c LEFT JOIN group_ref t ON t.id = c.target_id LEFT JOIN person_name p ON p.id = c.person_id`+w.SQL()+` ORDER BY c.id`, w.Args...)
}

// jointGroups maps each session of a meeting held jointly to the
// acronyms of the groups it is held with.
func (s *Service) jointGroups(ctx context.Context, meetingID int64) (map[int64][]string, error) {
	type row struct {
		id  int64
		acr string
	}
	rows, err := db.Query(ctx, s.DB, func(sc db.Scanner) (r row, err error) {
		err = sc.Scan(&r.id, &r.acr)
		return r, err
	}, `SELECT j.session_id, g.acronym FROM session_joint_with_group j JOIN session s ON s.id = j.session_id
		JOIN group_ref g ON g.id = j.group_id WHERE s.meeting_id = $1 ORDER BY g.acronym`, meetingID)
	out := map[int64][]string{}
	for _, r := range rows {
		out[r.id] = append(out[r.id], r.acr)
	}
	return out, err
}

package consensus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// Decisions taken at meetings (R31): a chair records what a session of
// the group decided, and it stays pending until a confirmation call on
// the list settles it. Closing that call (calls*.go) moves it to
// confirmed or reversed; nothing here does.

// The states of a decision.
const (
	decPending   = "pending"
	decConfirmed = "confirmed"
	decReversed  = "reversed"
)

// staleMonths is how long a decision may wait for the list before the WG
// page and the chairs' dashboard flag it: a month since it was recorded.
const staleMonths = 1

// maxDecision bounds a decision's text: a sentence or a paragraph, not
// the minutes.
const maxDecision = 2000

// Decision is a decision taken in one of a group's sessions.
type Decision struct {
	ID          int64
	GroupID     int64
	Group       string // acronym
	SessionID   int64
	Meeting     string // the meeting's number: "125", "interim-2026-quic-01"
	MeetingType string // ietf, interim
	Text        string
	State       string // pending, confirmed, reversed
	RecordedBy  string
	Recorded    time.Time
	Settled     time.Time // zero while pending
	SettledBy   int64     // the confirmation call that settled it
	Reason      string    // why reversed: the call's outcome
	// Stale is a decision pending for more than a month (R31): the list
	// has not been asked, or has not answered.
	Stale bool
}

// MeetingTitle is how pages name the decision's meeting.
func (d Decision) MeetingTitle() string {
	if d.MeetingType == "ietf" {
		return "IETF " + d.Meeting
	}
	return d.Meeting
}

// StateName is the decision's state in words.
func (d Decision) StateName() string {
	switch d.State {
	case decPending:
		return "pending list confirmation"
	case decConfirmed:
		return "confirmed on the list"
	case decReversed:
		return "reversed on the list"
	}
	return d.State
}

// Pending reports whether the list has still to confirm the decision.
func (d Decision) Pending() bool { return d.State == decPending }

// MayDecide reports whether by records decisions of the group and
// answers requests for its calls: its chairs, secretaries and delegates,
// and the secretariat.
func MayDecide(by groups.Actor, groupID int64) bool {
	return by.Secretariat() || by.LeadsGroup(groupID)
}

// sessionRef is a session as decisions need it.
type sessionRef struct {
	ID, MeetingID, GroupID int64
	Meeting, MeetingType   string
	Status                 string
}

// sessionOf reads a session; an unknown one is NotFound.
func sessionOf(ctx context.Context, q db.Querier, id int64) (sr sessionRef, err error) {
	err = q.QueryRowContext(ctx, `SELECT id, meeting_id, group_id, meeting, meeting_type, status FROM session_ref WHERE id = $1`, id).
		Scan(&sr.ID, &sr.MeetingID, &sr.GroupID, &sr.Meeting, &sr.MeetingType, &sr.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return sr, fail.New(fail.NotFound, "There is no session %d.", id)
	}
	return sr, err
}

// didNotMeet are the statuses of a session that took no decisions.
var didNotMeet = map[string]bool{"deleted": true, "canceled": true, "notmeet": true, "disappr": true}

// checkSession refuses a session that is not one of g's, or did not meet.
func checkSession(sr sessionRef, g groups.Group) error {
	if sr.GroupID != g.ID {
		return fail.Rule("R31", fail.Invalid, "Session %d is not a session of %s; record a decision on the session of the group that took it.", sr.ID, g.Acronym)
	}
	if didNotMeet[sr.Status] {
		return fail.New(fail.Invalid, "Session %d of %s did not meet (%s); it took no decisions.", sr.ID, g.Acronym, sr.Status)
	}
	return nil
}

// cleanDecision trims a decision's text and checks it.
func cleanDecision(text string) (string, error) {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return "", fail.Field("text", "Write the decision: what the session decided, as the list is to confirm it (R31).")
	}
	if utf8.RuneCountInString(text) > maxDecision {
		return "", fail.Field("text", "The decision is %d characters; hum takes at most %d. Say what was decided; the minutes say the rest.", utf8.RuneCountInString(text), maxDecision)
	}
	return text, nil
}

// RecordDecision records a decision taken in session sessionID of the
// group acronym, pending list confirmation (R31). The group's chairs,
// secretaries and delegates may, and the secretariat.
func (s *Service) RecordDecision(ctx context.Context, by groups.Actor, acronym string, sessionID int64, text string) (d Decision, err error) {
	defer fail.Wrap(&err, "consensus.RecordDecision(%q, %d)", acronym, sessionID)
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return d, err
	}
	if !MayDecide(by, g.ID) {
		return d, fail.New(fail.Forbidden, "Only the chairs, secretaries and delegates of %s, and the secretariat, record its decisions.", g.Acronym)
	}
	if text, err = cleanDecision(text); err != nil {
		return d, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		sr, err := sessionOf(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if err := checkSession(sr, g); err != nil {
			return err
		}
		if id, err := recordedAt(ctx, tx, g.ID, sr.MeetingID, text); err != nil {
			return err
		} else if id != 0 {
			return fail.New(fail.Conflict, "This decision of %s at %s is already recorded (decision %d): a decision is recorded once.", g.Acronym, sr.title(), id)
		}
		d, err = s.insertDecision(ctx, tx, by, g, sr, text, "")
		return err
	})
	return d, err
}

func (sr sessionRef) title() string {
	return Decision{Meeting: sr.Meeting, MeetingType: sr.MeetingType}.MeetingTitle()
}

// recordedAt is the id of the group's decision with this text at any
// session of the meeting, 0 if none: a decision is recorded once.
func recordedAt(ctx context.Context, q db.Querier, groupID, meetingID int64, text string) (int64, error) {
	ids, err := db.Query(ctx, q, db.Scalar[int64], `SELECT d.id FROM decision d JOIN session_ref s ON s.id = d.session_id
		WHERE d.group_id = $1 AND s.meeting_id = $2 AND d.text = $3`, groupID, meetingID, text)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

func (s *Service) insertDecision(ctx context.Context, tx *db.Tx, by groups.Actor, g groups.Group, sr sessionRef, text, how string) (Decision, error) {
	d := Decision{GroupID: g.ID, Group: g.Acronym, SessionID: sr.ID, Meeting: sr.Meeting, MeetingType: sr.MeetingType,
		Text: text, State: decPending, RecordedBy: by.Name, Recorded: tx.Now}
	err := tx.QueryRowContext(ctx, `INSERT INTO decision (group_id, session_id, text, state, recorded_by, recorded)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, g.ID, sr.ID, text, decPending, db.NullID(by.ID), tx.Now).Scan(&d.ID)
	if db.IsUniqueViolation(err) {
		return d, fail.New(fail.Conflict, "This decision of %s at %s is already recorded: a decision is recorded once.", g.Acronym, sr.title())
	}
	if err != nil {
		return d, err
	}
	return d, record.Add(ctx, tx, by.Actor, "group", g.Acronym, "decision_recorded",
		fmt.Sprintf("Recorded decision %d of %s at %s%s, pending list confirmation (R31): %s", d.ID, g.Acronym, sr.title(), how, text), "")
}

// DecisionsInMinutes returns the decisions minutes state: the text of
// each line that begins with "Decision:" (in any case, after a list
// bullet or emphasis), in order, each once.
func DecisionsInMinutes(minutes string) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(minutes, "\n") {
		l := strings.TrimLeft(line, " \t>-*+_#")
		if len(l) < len("decision:") || !strings.EqualFold(l[:len("decision:")], "decision:") {
			continue
		}
		text := strings.Join(strings.Fields(strings.Trim(l[len("decision:"):], " \t*_")), " ")
		if text != "" && !seen[text] {
			seen[text] = true
			out = append(out, text)
		}
	}
	return out
}

// FromMinutes records the decisions the chair chose among those the
// minutes state (DecisionsInMinutes), each against session sessionID and
// pending list confirmation (R31). A decision already recorded for the
// group at that meeting is left out and returned in skipped: never twice.
// A chosen line the minutes do not state is refused.
func (s *Service) FromMinutes(ctx context.Context, by groups.Actor, acronym string, sessionID int64, minutes string, chosen []string) (added []Decision, skipped []string, err error) {
	defer fail.Wrap(&err, "consensus.FromMinutes(%q, %d)", acronym, sessionID)
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return nil, nil, err
	}
	if !MayDecide(by, g.ID) {
		return nil, nil, fail.New(fail.Forbidden, "Only the chairs, secretaries and delegates of %s, and the secretariat, record its decisions.", g.Acronym)
	}
	stated := map[string]bool{}
	for _, t := range DecisionsInMinutes(minutes) {
		stated[t] = true
	}
	var texts []string
	for _, c := range chosen {
		c = strings.Join(strings.Fields(c), " ")
		if !stated[c] {
			return nil, nil, fail.Field("decision", "The minutes state no decision %q; choose among the lines that begin with \"Decision:\".", c)
		}
		if _, err := cleanDecision(c); err != nil {
			return nil, nil, err
		}
		texts = append(texts, c)
	}
	if len(texts) == 0 {
		return nil, nil, fail.Field("decision", "Choose the decisions of the minutes to record.")
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		sr, err := sessionOf(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if err := checkSession(sr, g); err != nil {
			return err
		}
		for _, t := range texts {
			if id, err := recordedAt(ctx, tx, g.ID, sr.MeetingID, t); err != nil {
				return err
			} else if id != 0 {
				skipped = append(skipped, t)
				continue
			}
			d, err := s.insertDecision(ctx, tx, by, g, sr, t, " from its minutes")
			if err != nil {
				return err
			}
			added = append(added, d)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return added, skipped, nil
}

// DecisionFilter chooses decisions; zero fields choose all.
type DecisionFilter struct {
	ID        int64
	Group     string // acronym
	State     string
	SessionID int64
	Meeting   string // number
	// Limit and Offset page the list; a Limit of zero or less means all.
	Limit, Offset int
}

const decisionCols = `d.id, d.group_id, g.acronym, COALESCE(d.session_id, 0), COALESCE(s.meeting, ''), COALESCE(s.meeting_type, ''),
	d.text, d.state, COALESCE(p.name, ''), d.recorded, d.settled, COALESCE(d.settled_by_call, 0), d.reason`

const decisionFrom = ` FROM decision d JOIN group_ref g ON g.id = d.group_id LEFT JOIN session_ref s ON s.id = d.session_id
	LEFT JOIN person_name p ON p.id = d.recorded_by`

func scanDecision(now time.Time) func(db.Scanner) (Decision, error) {
	return func(row db.Scanner) (d Decision, err error) {
		var settled sql.NullTime
		err = row.Scan(&d.ID, &d.GroupID, &d.Group, &d.SessionID, &d.Meeting, &d.MeetingType,
			&d.Text, &d.State, &d.RecordedBy, &d.Recorded, &settled, &d.SettledBy, &d.Reason)
		d.Recorded = d.Recorded.UTC()
		if settled.Valid {
			d.Settled = settled.Time.UTC()
		}
		d.Stale = d.State == decPending && now.After(d.Recorded.AddDate(0, staleMonths, 0))
		return d, err
	}
}

// Decisions lists decisions, newest first, and how many match in all.
func (s *Service) Decisions(ctx context.Context, f DecisionFilter) (ds []Decision, total int, err error) {
	defer fail.Wrap(&err, "consensus.Decisions")
	var w db.Where
	if f.ID != 0 {
		w.Add("d.id = $?", f.ID)
	}
	if f.Group != "" {
		w.Add("g.acronym = $?", strings.ToLower(f.Group))
	}
	if f.State != "" {
		w.Add("d.state = $?", f.State)
	}
	if f.SessionID != 0 {
		w.Add("d.session_id = $?", f.SessionID)
	}
	if f.Meeting != "" {
		w.Add("s.meeting = $?", strings.ToLower(f.Meeting))
	}
	return db.QueryPage(ctx, s.DB, db.Listing{Cols: decisionCols, From: decisionFrom, Where: w, Order: "d.id DESC",
		Limit: f.Limit, Offset: f.Offset}, scanDecision(s.DB.Now()))
}

// MeetingDecisions lists the decisions of a group's sessions at a
// meeting, in the order they were recorded: the session page's.
func (s *Service) MeetingDecisions(ctx context.Context, number, acronym string) ([]Decision, error) {
	ds, _, err := s.Decisions(ctx, DecisionFilter{Group: acronym, Meeting: number})
	for i, j := 0, len(ds)-1; i < j; i, j = i+1, j-1 {
		ds[i], ds[j] = ds[j], ds[i]
	}
	return ds, err
}

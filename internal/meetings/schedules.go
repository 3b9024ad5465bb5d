package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
)

// A meeting has any number of schedules beside its official one (the
// agenda): ones the scheduler made, ones the secretariat is trying out.
// Each places sessions into timeslots; an assignment may be pinned, which
// keeps it where it is when the scheduler runs again from that schedule.
// A schedule's badness is what it cost when it was last scored. Only the
// secretariat changes schedules, and every change is an event on the
// meeting's record.

// Schedule is one of a meeting's schedules.
type Schedule struct {
	ID          int64
	MeetingID   int64
	Name        string
	Official    bool
	OwnerID     int64  // 0: made by hum itself (an import, the CLI)
	Owner       string // the owner's name, "" for none
	Created     time.Time
	Badness     *int64 // the cost when last scored; nil if never scored
	Assignments int    // rows: a session over two slots counts twice
	Sessions    int    // sessions placed
}

// NewSchedule is a schedule to store whole.
type NewSchedule struct {
	Name        string
	Assignments []Assignment // their SessionID, TimeslotID and Pinned
	Badness     *int64       // nil: not scored
	Official    bool         // make it the meeting's official schedule
}

// scheduleNameRE is what a schedule may be called: it is part of the
// schedule's URL. The Datatracker allows letters, digits, '-', ':' and
// '_' ("mtg:83"); hum adds '.' and '+'.
var scheduleNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$`)

const scheduleCols = `sc.id, sc.meeting_id, sc.name, CASE WHEN m.schedule_id = sc.id THEN 1 ELSE 0 END, COALESCE(sc.owner_id, 0),
	COALESCE(p.name, ''), sc.created, sc.badness,
	(SELECT COUNT(*) FROM assignment a WHERE a.schedule_id = sc.id),
	(SELECT COUNT(DISTINCT a.session_id) FROM assignment a WHERE a.schedule_id = sc.id)`

const scheduleFrom = ` FROM schedule sc JOIN meeting m ON m.id = sc.meeting_id LEFT JOIN person_name p ON p.id = sc.owner_id `

func scanSchedule(row db.Scanner) (sc Schedule, err error) {
	var official int
	var badness sql.NullInt64
	err = row.Scan(&sc.ID, &sc.MeetingID, &sc.Name, &official, &sc.OwnerID, &sc.Owner, &sc.Created, &badness, &sc.Assignments, &sc.Sessions)
	sc.Official = official == 1
	sc.Created = sc.Created.UTC()
	if badness.Valid {
		sc.Badness = &badness.Int64
	}
	return sc, err
}

// Schedules lists a meeting's schedules, oldest first.
func (s *Service) Schedules(ctx context.Context, number string) ([]Schedule, error) {
	m, err := s.Get(ctx, number)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, s.DB, scanSchedule, `SELECT `+scheduleCols+scheduleFrom+`WHERE sc.meeting_id = $1 ORDER BY sc.created, sc.id`, m.ID)
}

// Schedule returns a meeting's schedule by name.
func (s *Service) Schedule(ctx context.Context, number, name string) (Schedule, error) {
	m, err := s.Get(ctx, number)
	if err != nil {
		return Schedule{}, err
	}
	return scheduleOf(ctx, s.DB, m, name)
}

func scheduleOf(ctx context.Context, q db.Querier, m Meeting, name string) (Schedule, error) {
	sc, err := scanSchedule(q.QueryRowContext(ctx, `SELECT `+scheduleCols+scheduleFrom+`WHERE sc.meeting_id = $1 AND sc.name = $2`, m.ID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return sc, fail.New(fail.NotFound, "%s has no schedule named %q.", m.Title(), name)
	}
	return sc, err
}

// Assignments lists what a schedule places, by time.
func (s *Service) Assignments(ctx context.Context, number, name string) ([]Assignment, error) {
	sc, err := s.Schedule(ctx, number, name)
	if err != nil {
		return nil, err
	}
	as, _, err := s.AssignmentList(ctx, AssignmentFilter{ScheduleID: sc.ID})
	return as, err
}

// CreateSchedule stores a new schedule of a meeting with all its
// assignments (and, if asked, makes it the official one) in one
// transaction: a name already taken, a session or timeslot the meeting
// lacks, or a slot given twice, and nothing is written.
func (s *Service) CreateSchedule(ctx context.Context, by groups.Actor, number string, n NewSchedule, why string) (sc Schedule, err error) {
	defer fail.Wrap(&err, "meetings.CreateSchedule(%q, %q)", number, n.Name)
	if !by.Secretariat() {
		return sc, fail.New(fail.Forbidden, "Only the secretariat may make schedules.")
	}
	n.Name = strings.TrimSpace(n.Name)
	if !scheduleNameRE.MatchString(n.Name) {
		return sc, fail.Field("name", "A schedule's name is 1 to 64 letters, digits and . _ : + - (starting with a letter or digit); got %q.", n.Name)
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		if err := nameFree(ctx, tx, m, n.Name); err != nil {
			return err
		}
		if err := checkAssignments(ctx, tx, m, n.Assignments); err != nil {
			return err
		}
		id, err := addSchedule(ctx, tx, m.ID, by.Actor, n.Name, n.Official)
		if db.IsUniqueViolation(err) {
			return takenName(m, n.Name)
		} else if err != nil {
			return err
		}
		if n.Badness != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE schedule SET badness = $1 WHERE id = $2`, *n.Badness, id); err != nil {
				return err
			}
		}
		rows := make([][]any, 0, len(n.Assignments))
		placed := map[int64]bool{}
		for _, a := range n.Assignments {
			rows = append(rows, []any{id, a.SessionID, a.TimeslotID, a.Pinned, tx.Now})
			placed[a.SessionID] = true
		}
		if err := insertRows(ctx, tx, `INSERT INTO assignment (schedule_id, session_id, timeslot_id, pinned, modified) VALUES `, rows); err != nil {
			return err
		}
		summary := fmt.Sprintf("Made schedule %q placing %d sessions in %d timeslots%s", n.Name, len(placed), len(rows), costOf(n.Badness))
		if n.Official {
			if err := syncStatuses(ctx, tx, m.ID, id, 0); err != nil {
				return err
			}
			summary += "; it is now the official schedule"
		}
		if err := s.changed(ctx, tx, by, m, "schedule_created", summary, why); err != nil {
			return err
		}
		sc, err = scheduleOf(ctx, tx, m, n.Name)
		return err
	})
	return sc, err
}

// NameFree says whether a meeting has no schedule named name, so a
// caller about to spend a while making one (the scheduler) can refuse a
// taken name first. CreateSchedule checks again.
func (s *Service) NameFree(ctx context.Context, number, name string) error {
	m, err := s.Get(ctx, number)
	if err != nil {
		return err
	}
	if !scheduleNameRE.MatchString(name) {
		return fail.Field("name", "A schedule's name is 1 to 64 letters, digits and . _ : + - (starting with a letter or digit); got %q.", name)
	}
	return nameFree(ctx, s.DB, m, name)
}

func nameFree(ctx context.Context, q db.Querier, m Meeting, name string) error {
	n, err := db.Scalar[int](q.QueryRowContext(ctx, `SELECT COUNT(*) FROM schedule WHERE meeting_id = $1 AND name = $2`, m.ID, name))
	if err == nil && n > 0 {
		return takenName(m, name)
	}
	return err
}

func takenName(m Meeting, name string) error {
	return fail.Field("name", "%s already has a schedule named %q; choose another name.", m.Title(), name)
}

func costOf(badness *int64) string {
	if badness == nil {
		return ""
	}
	return fmt.Sprintf(", cost %d", *badness)
}

// checkAssignments refuses assignments that name a session or timeslot
// the meeting lacks, a slot in no room, or a slot twice.
func checkAssignments(ctx context.Context, tx *db.Tx, m Meeting, as []Assignment) error {
	sessions, err := db.Query(ctx, tx, func(row db.Scanner) (id int64, err error) {
		err = row.Scan(&id)
		return id, err
	}, `SELECT id FROM session WHERE meeting_id = $1`, m.ID)
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, id := range sessions {
		known[id] = true
	}
	slots, err := db.Query(ctx, tx, scanSlot, `SELECT `+slotCols+slotFrom+`WHERE t.meeting_id = $1`, m.ID)
	if err != nil {
		return err
	}
	slotByID := map[int64]Timeslot{}
	for _, t := range slots {
		slotByID[t.ID] = t
	}
	holder := map[int64]int64{}
	for _, a := range as {
		if !known[a.SessionID] {
			return fail.Field("assignments", "%s has no session %d.", m.Title(), a.SessionID)
		}
		t, ok := slotByID[a.TimeslotID]
		if !ok {
			return fail.Field("assignments", "%s has no timeslot %d.", m.Title(), a.TimeslotID)
		}
		if t.RoomID == 0 {
			return fail.Field("assignments", "The %s slot %s has no room; sessions go into slots in rooms.", t.Type, slotWhen(m, t))
		}
		if h, ok := holder[a.TimeslotID]; ok {
			return fail.Field("assignments", "Sessions %d and %d are both in the slot %s in %s; a slot holds one session.", h, a.SessionID, slotWhen(m, t), t.Room)
		}
		holder[a.TimeslotID] = a.SessionID
	}
	return nil
}

// syncStatuses keeps session statuses (of one session, or all of the
// meeting's for 0) in step with the official schedule, as Assign and
// Unassign do: a session it places is scheduled, a scheduled session it
// does not place waits again.
func syncStatuses(ctx context.Context, tx *db.Tx, meetingID, scheduleID, sessionID int64) error {
	one := ` AND (session.id = $5 OR $5 = 0)`
	if _, err := tx.ExecContext(ctx, `UPDATE session SET status = $1, modified = $2 WHERE meeting_id = $3 AND status IN ('schedw', 'appr', 'scheda')
		AND EXISTS (SELECT 1 FROM assignment a WHERE a.session_id = session.id AND a.schedule_id = $4)`+one,
		StatusScheduled, tx.Now, meetingID, scheduleID, sessionID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE session SET status = $1, modified = $2 WHERE meeting_id = $3 AND status = 'sched'
		AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.session_id = session.id AND a.schedule_id = $4)`+one,
		StatusWaiting, tx.Now, meetingID, scheduleID, sessionID)
	return err
}

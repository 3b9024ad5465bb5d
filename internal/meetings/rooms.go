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
	"hum/internal/record"
)

// Room is a meeting room.
type Room struct {
	ID        int64
	MeetingID int64
	Name      string
	Capacity  int
}

// Timeslot is a time in a room, or in no room (breaks, registration).
type Timeslot struct {
	ID        int64
	MeetingID int64
	RoomID    int64 // 0: no room
	Room      string
	Type      string // a TimeslotTypes slug
	Name      string // "Morning Session I"
	Start     time.Time
	Duration  time.Duration
}

// End is when the slot ends.
func (t Timeslot) End() time.Time { return t.Start.Add(t.Duration) }

// TimeslotTypes are the Datatracker's timeslot types that hum uses.
var TimeslotTypes = []string{"regular", "plenary", "break", "reg", "other", "lead", "offagenda", "reserved", "unavail"}

// Rooms lists a meeting's rooms by name.
func (s *Service) Rooms(ctx context.Context, meetingID int64) ([]Room, error) {
	rs, _, err := s.RoomList(ctx, RoomFilter{MeetingID: meetingID})
	return rs, err
}

func scanRoom(row db.Scanner) (r Room, err error) {
	err = row.Scan(&r.ID, &r.MeetingID, &r.Name, &r.Capacity)
	return r, err
}

const slotCols = `t.id, t.meeting_id, COALESCE(t.room_id, 0), COALESCE(r.name, ''), t.type, t.name, t.start, t.duration`
const slotFrom = ` FROM timeslot t LEFT JOIN room r ON r.id = t.room_id `

func scanSlot(row db.Scanner) (t Timeslot, err error) {
	var secs int64
	err = row.Scan(t.dest(&secs)...)
	t.done(secs)
	return t, err
}

// dest is where the columns of slotCols scan to: the slot's fields, and
// its length in seconds into secs, which done then takes.
func (t *Timeslot) dest(secs *int64) []any {
	return []any{&t.ID, &t.MeetingID, &t.RoomID, &t.Room, &t.Type, &t.Name, &t.Start, secs}
}

// done finishes a scanned slot: its start in UTC, its length.
func (t *Timeslot) done(secs int64) {
	t.Start = t.Start.UTC()
	t.Duration = secondsToDuration(secs)
}

// Timeslots lists a meeting's timeslots by start and room.
func (s *Service) Timeslots(ctx context.Context, meetingID int64) ([]Timeslot, error) {
	ts, _, err := s.SlotList(ctx, SlotFilter{MeetingID: meetingID})
	return ts, err
}

// Timeslot returns one of a meeting's timeslots.
func (s *Service) Timeslot(ctx context.Context, meetingID, id int64) (Timeslot, error) {
	return slotOf(ctx, s.DB, meetingID, id, "The meeting")
}

// slotOf loads a meeting's timeslot; a slot of no such id, or of another
// meeting, is not found in whose (the meeting's name).
func slotOf(ctx context.Context, q db.Querier, meetingID, id int64, whose string) (Timeslot, error) {
	t, err := scanSlot(q.QueryRowContext(ctx, `SELECT `+slotCols+slotFrom+`WHERE t.meeting_id = $1 AND t.id = $2`, meetingID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fail.New(fail.NotFound, "%s has no timeslot %d.", whose, id)
	}
	return t, err
}

// AddRoom adds a room to a meeting and lays the meeting's grid of
// session slots out in it: the regular slots other rooms have.
func (s *Service) AddRoom(ctx context.Context, by groups.Actor, number string, r NewRoom, why string) (room Room, err error) {
	defer fail.Wrap(&err, "meetings.AddRoom(%q, %q)", number, r.Name)
	if !by.Secretariat() {
		return room, fail.New(fail.Forbidden, "Only the secretariat may change a meeting's rooms.")
	}
	r.Name = strings.TrimSpace(r.Name)
	if err := checkRoom(r); err != nil {
		return room, err
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		id, err := insertRoom(ctx, tx, m.ID, r)
		if db.IsUniqueViolation(err) {
			return fail.Field("name", "%s already has a room named %q.", m.Title(), r.Name)
		} else if err != nil {
			return err
		}
		// The grid: one slot in the new room for each distinct regular
		// slot time the meeting has.
		grid, err := db.Query(ctx, tx, scanSlot, `SELECT DISTINCT 0, t.meeting_id, 0, '', t.type, t.name, t.start, t.duration
			FROM timeslot t WHERE t.meeting_id = $1 AND t.type = 'regular' AND t.room_id IS NOT NULL ORDER BY t.start`, m.ID)
		if err != nil {
			return err
		}
		for _, t := range grid {
			t.RoomID = id
			if _, err := insertSlot(ctx, tx, t); err != nil {
				return err
			}
		}
		room = Room{ID: id, MeetingID: m.ID, Name: r.Name, Capacity: r.Capacity}
		return s.changed(ctx, tx, by, m, "room_added", fmt.Sprintf("Added room %s (capacity %d)", r.Name, r.Capacity), why)
	})
	return room, err
}

func insertRoom(ctx context.Context, tx *db.Tx, meetingID int64, r NewRoom) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO room (meeting_id, name, capacity) VALUES ($1, $2, $3) RETURNING id`,
		meetingID, strings.TrimSpace(r.Name), r.Capacity).Scan(&id)
	return id, err
}

// changed records a change to a meeting and marks it updated.
func (s *Service) changed(ctx context.Context, tx *db.Tx, by groups.Actor, m Meeting, kind, summary, why string) error {
	if err := touch(ctx, tx, m.ID); err != nil {
		return err
	}
	return record.Add(ctx, tx, by.Actor, "meeting", m.Number, kind, summary, why)
}

// NewTimeslot is a slot to add; Room empty means no room.
type NewTimeslot struct {
	Room     string
	Type     string
	Name     string
	Start    time.Time // any zone
	Duration time.Duration
}

func checkSlot(m Meeting, t *NewTimeslot) error {
	var problems []*fail.Error
	if !slices.Contains(TimeslotTypes, t.Type) {
		problems = append(problems, fail.Field("type", "A timeslot's type is one of %s; got %q.", strings.Join(TimeslotTypes, ", "), t.Type))
	}
	if t.Duration < 5*time.Minute || t.Duration > 12*time.Hour {
		problems = append(problems, fail.Field("duration", "A timeslot lasts from 5 minutes to 12 hours; got %s.", t.Duration))
	}
	if t.Start.Before(m.Date) || !t.Start.Before(m.End()) {
		problems = append(problems, fail.Field("start", "The timeslot starts %s, outside %s (%s to %s).",
			t.Start.In(m.Location).Format("2006-01-02 15:04"), m.Title(), m.Date.Format(time.DateOnly), m.LastDay().Format(time.DateOnly)))
	}
	if len(t.Name) > 100 {
		problems = append(problems, fail.Field("name", "A timeslot's name is at most 100 characters."))
	}
	if len(problems) > 0 {
		return fail.Join(fail.Invalid, problems, "The timeslot was not added.")
	}
	return nil
}

// AddTimeslot adds a timeslot to a meeting. Two timeslots in one room
// may not overlap.
func (s *Service) AddTimeslot(ctx context.Context, by groups.Actor, number string, n NewTimeslot, why string) (t Timeslot, err error) {
	defer fail.Wrap(&err, "meetings.AddTimeslot(%q)", number)
	if !by.Secretariat() {
		return t, fail.New(fail.Forbidden, "Only the secretariat may change a meeting's timeslots.")
	}
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		if t, err = placeSlot(ctx, tx, m, 0, n); err != nil {
			return err
		}
		if t.ID, err = insertSlot(ctx, tx, t); err != nil {
			return err
		}
		return s.changed(ctx, tx, by, m, "timeslot_added", fmt.Sprintf("Added a %s timeslot %s%s", n.Type, slotWhen(m, t), inRoom(n.Room)), why)
	})
	return t, err
}

// EditTimeslot moves, renames or retypes a timeslot, keeping the rule
// that slots in one room do not overlap.
func (s *Service) EditTimeslot(ctx context.Context, by groups.Actor, number string, id int64, n NewTimeslot, why string) (err error) {
	defer fail.Wrap(&err, "meetings.EditTimeslot(%q, %d)", number, id)
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat may change a meeting's timeslots.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		if _, err := slotOf(ctx, tx, m.ID, id, m.Title()); err != nil {
			return err
		}
		t, err := placeSlot(ctx, tx, m, id, n)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE timeslot SET room_id = $1, type = $2, name = $3, start = $4, duration = $5 WHERE id = $6`,
			sql.NullInt64{Int64: t.RoomID, Valid: t.RoomID != 0}, t.Type, t.Name, t.Start, int64(t.Duration/time.Second), id); err != nil {
			return err
		}
		return s.changed(ctx, tx, by, m, "timeslot_changed", fmt.Sprintf("Changed timeslot %d to a %s slot %s%s", id, n.Type, slotWhen(m, t), inRoom(n.Room)), why)
	})
}

// DeleteTimeslot removes a timeslot that no schedule uses.
func (s *Service) DeleteTimeslot(ctx context.Context, by groups.Actor, number string, id int64, why string) (err error) {
	defer fail.Wrap(&err, "meetings.DeleteTimeslot(%q, %d)", number, id)
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat may change a meeting's timeslots.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		t, err := slotOf(ctx, tx, m.ID, id, m.Title())
		if err != nil {
			return err
		}
		used, err := db.Scalar[int](tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assignment WHERE timeslot_id = $1`, id))
		if err != nil {
			return err
		}
		if used > 0 {
			return fail.New(fail.Conflict, "The timeslot %s%s holds a session; move the session first.", slotWhen(m, t), inRoom(t.Room))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM timeslot WHERE id = $1`, id); err != nil {
			return err
		}
		return s.changed(ctx, tx, by, m, "timeslot_deleted", fmt.Sprintf("Deleted the %s timeslot %s%s", t.Type, slotWhen(m, t), inRoom(t.Room)), why)
	})
}

// placeSlot checks a slot to add (id 0) or move (id) in m: its fields,
// its room, and that it overlaps no other slot in that room.
func placeSlot(ctx context.Context, tx *db.Tx, m Meeting, id int64, n NewTimeslot) (Timeslot, error) {
	if err := checkSlot(m, &n); err != nil {
		return Timeslot{}, err
	}
	var roomID int64
	if n.Room != "" {
		var err error
		if roomID, err = roomByName(ctx, tx, m, n.Room); err != nil {
			return Timeslot{}, err
		}
	}
	t := Timeslot{ID: id, MeetingID: m.ID, RoomID: roomID, Room: n.Room, Type: n.Type, Name: n.Name, Start: n.Start.UTC(), Duration: n.Duration}
	return t, noOverlap(ctx, tx, t)
}

func roomByName(ctx context.Context, tx *db.Tx, m Meeting, name string) (int64, error) {
	id, err := db.Scalar[int64](tx.QueryRowContext(ctx, `SELECT id FROM room WHERE meeting_id = $1 AND name = $2`, m.ID, strings.TrimSpace(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fail.Field("room", "%s has no room named %q.", m.Title(), name)
	}
	return id, err
}

// noOverlap refuses a slot that overlaps another in the same room.
func noOverlap(ctx context.Context, tx *db.Tx, t Timeslot) error {
	if t.RoomID == 0 {
		return nil
	}
	others, err := db.Query(ctx, tx, scanSlot, `SELECT `+slotCols+slotFrom+`WHERE t.room_id = $1 AND t.id <> $2 AND t.start < $3 ORDER BY t.start`,
		t.RoomID, t.ID, t.End())
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.End().After(t.Start) {
			return fail.Field("start", "The timeslot overlaps another in %s (%s, %s to %s UTC); slots in one room may not overlap.",
				o.Room, o.Type, o.Start.Format("Mon 15:04"), o.End().Format("15:04"))
		}
	}
	return nil
}

func insertSlot(ctx context.Context, tx *db.Tx, t Timeslot) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO timeslot (meeting_id, room_id, type, name, start, duration, created) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		t.MeetingID, sql.NullInt64{Int64: t.RoomID, Valid: t.RoomID != 0}, t.Type, t.Name, t.Start.UTC(), int64(t.Duration/time.Second), tx.Now).Scan(&id)
	return id, err
}

func slotWhen(m Meeting, t Timeslot) string {
	s := t.Start.In(m.Location)
	return s.Format("Mon 2006-01-02 15:04") + "–" + t.End().In(m.Location).Format("15:04")
}

func inRoom(room string) string {
	if room == "" {
		return ""
	}
	return " in " + room
}

// gridSlot is one slot of a day in the usual grid, as local clock times.
type gridSlot struct {
	name       string
	hour, min  int
	minutes    int
	typ        string
	allRooms   bool // one per room; otherwise one with no room
	firstDay   bool // only on the first day
	notLastDay bool
}

// usualGrid is the IETF's week in outline: registration on the first
// day (a Sunday), then four session slots a day, with breaks, and a
// shorter last day.
var usualGrid = []gridSlot{
	{name: "Registration", hour: 10, minutes: 8 * 60, typ: "reg", firstDay: true},
	{name: "Session I", hour: 9, min: 30, minutes: 120, typ: "regular", allRooms: true},
	{name: "Break", hour: 11, min: 30, minutes: 90, typ: "break"},
	{name: "Session II", hour: 13, minutes: 90, typ: "regular", allRooms: true},
	{name: "Break", hour: 14, min: 30, minutes: 30, typ: "break", notLastDay: true},
	{name: "Session III", hour: 15, minutes: 90, typ: "regular", allRooms: true, notLastDay: true},
	{name: "Break", hour: 16, min: 30, minutes: 30, typ: "break", notLastDay: true},
	{name: "Session IV", hour: 17, minutes: 60, typ: "regular", allRooms: true, notLastDay: true},
}

// layGrid adds the usual grid of slots for every room of a meeting. With
// one day, that day gets the sessions; with more, the first day is for
// registration.
func layGrid(ctx context.Context, tx *db.Tx, meetingID int64, first time.Time, days int) error {
	rooms, err := db.Query(ctx, tx, scanRoom, `SELECT id, meeting_id, name, capacity FROM room WHERE meeting_id = $1 ORDER BY name`, meetingID)
	if err != nil {
		return err
	}
	for d := range days {
		day := first.AddDate(0, 0, d)
		for _, g := range usualGrid {
			switch {
			case days > 1 && d == 0 != g.firstDay:
				continue
			case days == 1 && g.firstDay:
				continue
			case g.notLastDay && d == days-1 && days > 1:
				continue
			}
			start := time.Date(day.Year(), day.Month(), day.Day(), g.hour, g.min, 0, 0, first.Location())
			t := Timeslot{MeetingID: meetingID, Type: g.typ, Name: g.name, Start: start, Duration: time.Duration(g.minutes) * time.Minute}
			if !g.allRooms {
				if _, err := insertSlot(ctx, tx, t); err != nil {
					return err
				}
				continue
			}
			for _, r := range rooms {
				t.RoomID = r.ID
				if _, err := insertSlot(ctx, tx, t); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

package meetings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// DatatrackerImport is a past meeting as the Datatracker exports it:
// Django fixtures (JSON lists of {pk, model, fields}) holding the meeting,
// its schedules, rooms, timeslots, sessions and assignments
// (meeting83.json), its constraints (constraint83.json) and the group
// list the sessions name (workinggroups.json).
type DatatrackerImport struct {
	Number   string   // the meeting to load, "83"
	Fixtures [][]byte // every fixture file, in any order
	// ListDomain, when set, moves the list addresses of the groups the
	// import creates to this domain (the demo keeps to reserved ones).
	ListDomain string
}

// ImportSummary says what an import did.
type ImportSummary struct {
	Meeting       string
	Unchanged     bool // it was imported before; nothing changed
	GroupsCreated []string
	Rooms         int
	Timeslots     int
	Sessions      int
	Constraints   int
	Assignments   int
	Schedule      string // the official schedule's name
}

func (s ImportSummary) String() string {
	if s.Unchanged {
		return fmt.Sprintf("IETF %s was imported before; nothing changed", s.Meeting)
	}
	return fmt.Sprintf("imported IETF %s: %d rooms, %d timeslots, %d sessions, %d constraints, official schedule %q with %d assignments; %d groups created",
		s.Meeting, s.Rooms, s.Timeslots, s.Sessions, s.Constraints, s.Schedule, s.Assignments, len(s.GroupsCreated))
}

// importedKind marks a meeting that came from an import, so that running
// the import again knows it has nothing to do.
const importedKind = "meeting_imported"

// ImportDatatracker loads a past IETF meeting from the Datatracker's
// fixtures, in one transaction: the meeting, rooms, timeslots, sessions
// with their status and requests, constraints, and the official schedule
// with its assignments. Groups the sessions or constraints name that hum
// does not hold are created from the group list (with their parents, in
// the state they were in). Running it again changes nothing. Only the
// secretariat (or the operator) may import.
func (s *Service) ImportDatatracker(ctx context.Context, by groups.Actor, in DatatrackerImport) (sum ImportSummary, err error) {
	defer fail.Wrap(&err, "meetings.ImportDatatracker(%q)", in.Number)
	if !by.Secretariat() {
		return sum, fail.New(fail.Forbidden, "Only the secretariat may import a meeting.")
	}
	fx, err := readFixtures(in.Fixtures, in.Number)
	if err != nil {
		return sum, err
	}
	sum.Meeting = fx.meeting.Number
	err = s.DB.Write(ctx, func(tx *db.Tx) error {
		if m, err := get(ctx, tx, fx.meeting.Number); err == nil {
			n, err := db.Scalar[int](tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM event WHERE subject_type = 'meeting' AND subject = $1 AND kind = $2`, m.Number, importedKind))
			if err != nil {
				return err
			}
			if n == 0 {
				return fail.New(fail.Conflict, "%s already exists and was not imported; hum will not merge an import into it.", m.Title())
			}
			sum.Unchanged = true
			return nil
		} else if fail.KindOf(err) != fail.NotFound {
			return err
		}
		return s.importMeeting(db.WithTx(ctx, tx), tx, by, fx, in.ListDomain, &sum)
	})
	return sum, err
}

func (s *Service) importMeeting(ctx context.Context, tx *db.Tx, by groups.Actor, fx *fixtures, listDomain string, sum *ImportSummary) error {
	gids := map[int64]int64{} // Datatracker group pk → hum group id
	acronyms := map[int64]string{}
	need := map[int64]bool{}
	for _, x := range fx.sessions {
		need[x.f.Group] = true
	}
	for _, c := range fx.constraints {
		need[c.f.Source] = true
		if c.f.Target != nil {
			need[*c.f.Target] = true
		}
	}
	for _, pk := range sortedKeys(need) {
		if _, err := s.importGroup(ctx, tx, by, fx, pk, listDomain, gids, acronyms, sum); err != nil {
			return err
		}
	}

	n := NewMeeting{Number: fx.meeting.Number, City: fx.meeting.City, Country: strings.ToUpper(fx.meeting.Country),
		VenueName: fx.meeting.VenueName, VenueAddr: fx.meeting.VenueAddr, TimeZone: fx.meeting.TimeZone, Days: fx.days}
	meetingID, err := insertMeeting(ctx, tx, n, fx.first, IETF, 0)
	if err != nil {
		return err
	}
	scheduleID, err := addSchedule(ctx, tx, meetingID, by.Actor, fx.schedule.Name, true)
	if err != nil {
		return err
	}
	sum.Schedule = fx.schedule.Name

	rooms := map[int64]int64{}
	for _, r := range fx.rooms {
		if rooms[r.pk], err = insertRoom(ctx, tx, meetingID, NewRoom{Name: r.f.Name, Capacity: r.f.Capacity}); err != nil {
			return err
		}
	}
	sum.Rooms = len(rooms)

	slots := map[int64]int64{}
	for _, t := range fx.slots {
		ts := Timeslot{MeetingID: meetingID, RoomID: rooms[t.room], Type: t.typ, Name: t.f.Name, Start: t.start, Duration: time.Duration(t.f.Duration) * time.Second}
		if slots[t.pk], err = insertSlot(ctx, tx, ts); err != nil {
			return err
		}
	}
	sum.Timeslots = len(slots)

	sessions := map[int64]int64{}
	perGroup := map[string]int{}
	for _, x := range fx.sessions {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO session (meeting_id, group_id, name, purpose, status, requested_duration, attendees,
			comments, agenda_note, requested, modified) VALUES ($1, $2, $3, 'regular', $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			meetingID, gids[x.f.Group], x.f.Name, x.f.Status, x.f.RequestedDuration, x.f.Attendees, x.f.Comments, x.f.AgendaNote,
			x.requested, x.modified).Scan(&id)
		if err != nil {
			return err
		}
		sessions[x.pk] = id
		perGroup[acronyms[x.f.Group]]++
	}
	sum.Sessions = len(sessions)

	rows := make([][]any, 0, len(fx.constraints))
	for _, c := range fx.constraints {
		var target sql.NullInt64
		if c.f.Target != nil {
			target = sql.NullInt64{Int64: gids[*c.f.Target], Valid: true}
		}
		rows = append(rows, []any{meetingID, gids[c.f.Source], c.f.Name, target})
	}
	if err := insertRows(ctx, tx, `INSERT INTO session_constraint (meeting_id, source_id, name, target_id) VALUES `, rows); err != nil {
		return err
	}
	sum.Constraints = len(rows)

	// The ADs of the time, for the scheduler (see migration 0018).
	rows = rows[:0]
	for _, pk := range sortedKeys(need) {
		if ad := fx.groups[pk].AD; ad != nil {
			rows = append(rows, []any{meetingID, gids[pk], *ad})
		}
	}
	if err := insertRows(ctx, tx, `INSERT INTO meeting_group_ad (meeting_id, group_id, datatracker_person) VALUES `, rows); err != nil {
		return err
	}

	rows = rows[:0]
	for _, a := range fx.assignments {
		rows = append(rows, []any{scheduleID, sessions[*a.f.Session], slots[a.f.Timeslot], a.f.Notes, tx.Now})
	}
	if err := insertRows(ctx, tx, `INSERT INTO assignment (schedule_id, session_id, timeslot_id, notes, modified) VALUES `, rows); err != nil {
		return err
	}
	sum.Assignments = len(rows)

	why := "Imported from the Datatracker"
	var evs []record.Change
	for _, g := range slices.Sorted(maps.Keys(perGroup)) {
		evs = append(evs, record.Change{Actor: by.Actor, SubjectType: "group", Subject: g, Kind: "sessions_imported",
			Summary: fmt.Sprintf("%d session request(s) for IETF %s imported", perGroup[g], fx.meeting.Number), Why: why})
	}
	evs = append(evs, record.Change{Actor: by.Actor, SubjectType: "meeting", Subject: fx.meeting.Number, Kind: importedKind,
		Summary: sum.String(), Why: why})
	return record.AddAll(ctx, tx, evs)
}

// importGroup finds the group with a Datatracker pk in hum, creating it
// (and its parents first) from the group list when hum lacks it.
func (s *Service) importGroup(ctx context.Context, tx *db.Tx, by groups.Actor, fx *fixtures, pk int64, listDomain string,
	gids map[int64]int64, acronyms map[int64]string, sum *ImportSummary) (string, error) {
	if a, ok := acronyms[pk]; ok {
		return a, nil
	}
	g, ok := fx.groups[pk]
	if !ok {
		return "", fail.New(fail.Invalid, "The fixtures name group %d, which the group list does not hold; give the group list too.", pk)
	}
	id, err := db.Scalar[int64](tx.QueryRowContext(ctx, `SELECT id FROM group_ref WHERE acronym = $1`, g.Acronym))
	if errors.Is(err, sql.ErrNoRows) {
		var parent string
		if g.Parent != nil && *g.Parent != pk {
			if parent, err = s.importGroup(ctx, tx, by, fx, *g.Parent, listDomain, gids, acronyms, sum); err != nil {
				return "", err
			}
		}
		list := g.ListEmail
		if at := strings.LastIndexByte(list, '@'); at > 0 && listDomain != "" {
			list = list[:at+1] + listDomain
		}
		created, err := s.Groups.Create(ctx, by, groups.NewGroup{Acronym: g.Acronym, Name: g.Name, Type: importedType(g), State: g.State,
			Parent: parent, ListEmail: list, Historic: true}, "Named by IETF "+fx.meeting.Number+", imported from the Datatracker")
		if err != nil {
			return "", fmt.Errorf("creating group %s: %w", g.Acronym, err)
		}
		id = created.ID
		sum.GroupsCreated = append(sum.GroupsCreated, g.Acronym)
	} else if err != nil {
		return "", err
	}
	gids[pk], acronyms[pk] = id, g.Acronym
	return g.Acronym, nil
}

// importedType maps a Datatracker group type of 2012 to hum's: the IESG
// and IAB were then of type "ietf".
func importedType(g dtGroup) string {
	switch g.Acronym {
	case "iesg", "iab", "irtf":
		return g.Acronym
	}
	if groups.Types[g.Type] == "" {
		return "team"
	}
	return g.Type
}

// insertRows inserts rows with multi-row INSERTs; SQLite looks $N up in
// a list, so it gets smaller batches (see record.AddAll).
func insertRows(ctx context.Context, tx *db.Tx, insert string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	batch := 500
	if tx.Dialect == db.SQLite {
		batch = 50
	}
	cols := len(rows[0])
	for len(rows) > 0 {
		part := rows[:min(batch, len(rows))]
		rows = rows[len(part):]
		args := make([]any, 0, len(part)*cols)
		for _, r := range part {
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, insert+db.Values(len(part), cols), args...); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[int64]bool) []int64 {
	ks := make([]int64, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

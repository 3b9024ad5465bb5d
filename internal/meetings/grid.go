package meetings

import (
	"context"

	"hum/internal/db"
)

// Broken is a constraint the official schedule breaks: a session placed
// at the same time as a session of a group its group listed as a
// conflict, or of another group that needs the same person there.
type Broken struct {
	SessionID int64
	Group     string
	Level     string // conflict, conflic2, conflic3 or bethere
	Name      string // the constraint's name, "Conflicts with (secondary)"
	Other     string // the group meeting at the same time
	Person    string // for bethere, who would have to be in two rooms
}

func overlap(a, b Timeslot) bool { return a.Start.Before(b.End()) && b.Start.Before(a.End()) }

// BrokenConstraints lists what the official schedule of m breaks, by
// session, for the secretariat placing sessions by hand.
func (s *Service) BrokenConstraints(ctx context.Context, m Meeting) ([]Broken, error) {
	items, err := s.Placed(ctx, m.ScheduleID)
	if err != nil {
		return nil, err
	}
	cs, err := s.constraints(ctx, m.ID, 0)
	if err != nil {
		return nil, err
	}
	byID, byAcronym := map[int64][]Item{}, map[string][]Item{}
	for _, it := range items {
		byID[it.Session.GroupID] = append(byID[it.Session.GroupID], it)
		byAcronym[it.Session.Group] = append(byAcronym[it.Session.Group], it)
	}
	var out []Broken
	seen := map[Broken]bool{}
	note := func(a, b Item, level, person string) {
		if a.Session.GroupID == b.Session.GroupID || !overlap(a.Slot, b.Slot) {
			return
		}
		c, _ := Constraint(level)
		x := Broken{SessionID: a.Session.ID, Group: a.Session.Group, Level: level, Name: c.Name, Other: b.Session.Group, Person: person}
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	needed := map[string][]int64{} // a person → the groups that need them
	for _, c := range cs {
		switch c.name {
		case Conflict1, Conflict2, Conflict3:
			for _, a := range byID[c.source] {
				for _, b := range byAcronym[c.target] {
					note(a, b, c.name, "")
				}
			}
		case "bethere":
			needed[c.person] = append(needed[c.person], c.source)
		}
	}
	for person, gs := range needed {
		for _, g1 := range gs {
			for _, g2 := range gs {
				for _, a := range byID[g1] {
					for _, b := range byID[g2] {
						note(a, b, "bethere", person)
					}
				}
			}
		}
	}
	return out, nil
}

// Placement is a session and where the official schedule puts it.
type Placement struct {
	Session
	Slots []Timeslot // none while it waits for scheduling
}

// GroupMeeting is a group's sessions at one meeting.
type GroupMeeting struct {
	Meeting  Meeting
	Sessions []Placement
}

// GroupMeetings lists a group's sessions, requested, placed and past,
// by meeting, latest first (withdrawn requests left out).
func (s *Service) GroupMeetings(ctx context.Context, acronym string) ([]GroupMeeting, error) {
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return nil, err
	}
	ss, err := db.Query(ctx, s.DB, scanSession, `SELECT `+sessionCols+sessionFrom+`WHERE s.group_id = $1 AND s.status <> 'deleted'
		ORDER BY m.date DESC, m.number, s.id`, g.ID)
	if err != nil {
		return nil, err
	}
	type placed struct {
		session int64
		slot    Timeslot
	}
	ps, err := db.Query(ctx, s.DB, func(row db.Scanner) (p placed, err error) {
		var secs int64
		err = row.Scan(append([]any{&p.session}, p.slot.dest(&secs)...)...)
		p.slot.done(secs)
		return p, err
	}, `SELECT x.session_id, `+slotCols+` FROM assignment x JOIN session s ON s.id = x.session_id
		JOIN meeting m ON m.schedule_id = x.schedule_id JOIN timeslot t ON t.id = x.timeslot_id LEFT JOIN room r ON r.id = t.room_id
		WHERE s.group_id = $1 ORDER BY t.start`, g.ID)
	if err != nil {
		return nil, err
	}
	slots := map[int64][]Timeslot{}
	for _, p := range ps {
		slots[p.session] = append(slots[p.session], p.slot)
	}
	ms, err := db.Query(ctx, s.DB, scanMeeting, `SELECT `+meetingCols+meetingFrom+`WHERE m.id IN (SELECT meeting_id FROM session WHERE group_id = $1)`, g.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]Meeting{}
	for _, m := range ms {
		byID[m.ID] = m
	}
	var out []GroupMeeting
	for _, sess := range ss {
		if len(out) == 0 || out[len(out)-1].Meeting.ID != sess.MeetingID {
			out = append(out, GroupMeeting{Meeting: byID[sess.MeetingID]})
		}
		gm := &out[len(out)-1]
		gm.Sessions = append(gm.Sessions, Placement{Session: sess, Slots: slots[sess.ID]})
	}
	return out, nil
}

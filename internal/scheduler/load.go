package scheduler

import (
	"context"
	"slices"
	"strings"

	"hum/internal/fail"
	"hum/internal/meetings"
)

// schedulable are the session statuses the scheduler places. The
// Datatracker's that_can_be_scheduled leaves out notmeet, disappr,
// deleted and apprw; hum also leaves out the cancelled and the
// rescheduled, which hold no slot of this meeting.
var schedulable = map[string]bool{
	"schedw": true, // waiting for scheduling
	"appr":   true, // approved
	"sched":  true, // scheduled
	"scheda": true, // scheduled, announcement to be sent
}

// Load builds the Problem of meeting number from what the meetings
// service holds:
//   - Slots are the regular timeslots in a room, with the room's
//     capacity, by start and room.
//   - Sessions are those the scheduler may move: of a schedulable status,
//     of a purpose held in regular slots, and not placed by the official
//     schedule in a slot of another kind (a plenary, a tutorial, a social:
//     those are the secretariat's, not the scheduler's). They are ordered
//     by group, then id; Index counts among the group's sessions by id.
//   - Groups are every group a session, a joint session or a constraint
//     names, with the constraints the group declared.
//   - Penalties come from the vocabulary (names.json).
//
// If from is not empty, Start is where that schedule places the
// sessions, and Pinned those of its assignments that are pinned.
func (s *Service) Load(ctx context.Context, number, from string) (p *Problem, err error) {
	defer fail.Wrap(&err, "scheduler.Load(%q, %q)", number, from)
	pl, err := s.Meetings.Planning(ctx, number)
	if err != nil {
		return nil, err
	}
	m := pl.Meeting
	p = &Problem{Meeting: m.Number, Zone: m.Location, Penalty: vocabPenalties(), Pinned: Placement{}, Start: Placement{}}
	if len(pl.Rooms) == 0 {
		return nil, fail.New(fail.Invalid, "%s has no rooms, so nothing can be scheduled; add rooms (and their session slots) first.", m.Title())
	}
	capacity := map[int64]int{}
	for _, r := range pl.Rooms {
		capacity[r.ID] = r.Capacity
	}
	regular := map[int64]bool{}
	for _, t := range pl.Slots {
		if t.Type == "regular" && t.RoomID != 0 {
			regular[t.ID] = true
			p.Slots = append(p.Slots, Slot{ID: t.ID, Room: t.Room, Capacity: capacity[t.RoomID], Start: t.Start.In(m.Location), Duration: t.Duration})
		}
	}
	if len(p.Slots) == 0 {
		return nil, fail.New(fail.Invalid, "%s has no session slots in its rooms, so nothing can be scheduled; add regular timeslots first.", m.Title())
	}
	elsewhere := map[int64]bool{}
	for _, a := range pl.Official {
		if !regular[a.TimeslotID] {
			elsewhere[a.SessionID] = true
		}
	}
	inRegular := purposesInRegularSlots()
	index := map[string]int{}
	for _, ss := range pl.Sessions {
		if !schedulable[ss.Status] || !inRegular[ss.Purpose] || elsewhere[ss.ID] {
			continue
		}
		p.Sessions = append(p.Sessions, Session{ID: ss.ID, Group: ss.Group, Index: index[ss.Group],
			Duration: ss.RequestedDuration, Attendees: ss.Attendees, Joint: pl.Joint[ss.ID]})
		index[ss.Group]++
	}
	if p.Groups, err = groupsOf(pl); err != nil {
		return nil, err
	}
	if from != "" {
		if err := s.startFrom(ctx, p, number, from); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// purposesInRegularSlots are the session purposes whose sessions go in
// regular slots, as the vocabulary says (regular, presentation,
// closed_meeting).
func purposesInRegularSlots() map[string]bool {
	out := map[string]bool{}
	for _, p := range meetings.Vocab().SessionPurposes {
		out[p.Slug] = slices.Contains(p.TimeslotTypes, "regular")
	}
	return out
}

// groupsOf turns the planning's groups and constraints into the
// Problem's groups, by acronym.
func groupsOf(pl meetings.Planning) ([]Group, error) {
	gs := make([]Group, len(pl.Groups))
	at := map[string]int{}
	for i, g := range pl.Groups {
		gs[i] = Group{Acronym: g.Acronym, Type: g.Type, State: g.State, Area: g.Parent, ADs: g.ADs}
		at[g.Acronym] = i
	}
	for _, c := range pl.Constraints {
		i, ok := at[c.Source]
		if !ok {
			return nil, fail.New(fail.Invalid, "%s's constraint %q is of a group the meeting's groups lack.", c.Source, c.Name)
		}
		g := &gs[i]
		name, ok := meetings.Constraint(c.Name)
		if !ok {
			return nil, fail.New(fail.Invalid, "%s has a constraint %q, which is not a constraint name the scheduler knows.", c.Source, c.Name)
		}
		switch {
		case name.GroupConflict:
			if _, ok := at[c.Target]; !ok || c.Target == "" {
				return nil, fail.New(fail.Invalid, "%s's %s constraint names the group %q, which hum does not hold.", c.Source, c.Name, c.Target)
			}
			g.Conflicts = append(g.Conflicts, Conflict{Kind: c.Name, Target: c.Target})
		case c.Name == "bethere":
			if c.PersonID != 0 {
				g.BeThere = append(g.BeThere, c.PersonID)
			}
		case c.Name == "timerange":
			for _, r := range strings.Split(c.TimeRanges, ",") {
				if r = strings.TrimSpace(r); r != "" {
					g.TimeRanges = append(g.TimeRanges, r)
				}
			}
		case c.Name == "time_relation":
			rel, ok := meetings.ParseTimeRelation(c.TimeRelation)
			if !ok {
				return nil, fail.New(fail.Invalid, "%s asks for the time relation %q, which the scheduler does not know.", c.Source, c.TimeRelation)
			}
			g.TimeRelation = rel
		case c.Name == "wg_adjacent":
			if _, ok := at[c.Target]; !ok || c.Target == "" {
				return nil, fail.New(fail.Invalid, "%s asks to meet next to %q, which hum does not hold.", c.Source, c.Target)
			}
			g.Adjacent = append(g.Adjacent, c.Target)
		}
	}
	return gs, nil
}

// startFrom sets p's start and pins from the schedule named from. A
// session that schedule puts (even partly) outside p's slots is left
// out of both, as is every session p does not place.
func (s *Service) startFrom(ctx context.Context, p *Problem, number, from string) error {
	as, err := s.Meetings.Assignments(ctx, number, from)
	if err != nil {
		return err
	}
	inP := map[int64]bool{}
	for _, ss := range p.Sessions {
		inP[ss.ID] = true
	}
	ours := map[int64]bool{}
	for _, t := range p.Slots {
		ours[t.ID] = true
	}
	start, pinned, outside := Placement{}, Placement{}, map[int64]bool{}
	for _, a := range as {
		if !inP[a.SessionID] {
			continue
		}
		if !ours[a.TimeslotID] {
			outside[a.SessionID] = true
			continue
		}
		start[a.SessionID] = append(start[a.SessionID], a.TimeslotID)
		if a.Pinned {
			pinned[a.SessionID] = append(pinned[a.SessionID], a.TimeslotID)
		}
	}
	for id := range outside {
		delete(start, id)
		delete(pinned, id)
	}
	p.Start, p.Pinned = start, pinned
	return nil
}

// vocabPenalties reads what each violation costs from the vocabulary. An
// unplaced session costs as much as the heaviest constraint or business
// rule there is: leaving a session out is never cheaper than any single
// violation it could cause, so a session goes into a slot that is too
// short (a trim) or next to a conflicting group rather than out of the
// schedule, and more sessions than slots still places as many as fit.
// The figure is read from the vocabulary, not written here, so it follows
// the penalties when they change.
func vocabPenalties() Penalties {
	v := meetings.Vocab()
	p := Penalties{Constraint: map[string]int64{}, Business: map[string]int64{}}
	for _, c := range v.ConstraintNames {
		p.Constraint[c.Slug] = int64(c.Penalty)
		p.Unplaced = max(p.Unplaced, int64(c.Penalty))
	}
	for _, b := range v.BusinessConstraints {
		p.Business[b.Slug] = int64(b.Penalty)
		p.Unplaced = max(p.Unplaced, int64(b.Penalty))
	}
	return p
}

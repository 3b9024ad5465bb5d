package web

import (
	"context"
	"strings"
	"time"

	"hum/internal/meetings"
)

// The grid of rooms by slots, per day, that both schedule pages show:
// the official one at /meeting/{n}/schedule/ (placing waiting sessions)
// and any schedule at /meeting/{n}/schedule/{name}/ (its violations,
// pins and hand moves). gridOf lays it out; each page fills in what it
// marks.

type scheduleDay struct {
	Day  string
	Rows []scheduleRow
}

// scheduleRow is one time of a day: a cell per room, or a slot in no
// room (a break) shown across the grid.
type scheduleRow struct {
	When   string
	Name   string
	NoRoom bool
	Cells  []scheduleCell
}

type scheduleCell struct {
	SlotID   int64
	Exists   bool // the room has a slot at this time
	Regular  bool // a slot sessions go into
	Sessions []placedView
	// Target is set on a free cell the session being moved may go to.
	Target bool
}

// Hard reports whether a session in the cell breaks a hard constraint.
func (c scheduleCell) Hard() bool {
	for _, v := range c.Sessions {
		if len(v.Hard) > 0 {
			return true
		}
	}
	return false
}

// Free reports whether the slot holds no session.
func (c scheduleCell) Free() bool { return len(c.Sessions) == 0 }

// placedView is a session in a cell, with what its placement breaks.
type placedView struct {
	SessionID int64
	SlotID    int64 // its own slot: a double-booked cell holds two
	Group     string
	Minutes   int
	Attendees int
	Capacity  int
	Pinned    bool
	Broken    []meetings.Broken // the official grid's broken constraints
	Marks     []chargeMark      // a schedule's charges, by kind
	Hard      []string          // a schedule's hard violations
	Movable   bool              // the scheduler places it: it may be moved by hand
	First     bool              // the first cell of its session (one that spans two slots has two)
}

// HardText is the hard violations, one a line, for a tooltip.
func (p placedView) HardText() string { return strings.Join(p.Hard, "\n") }

// TooSmall reports whether more people are expected than the room holds.
func (p placedView) TooSmall() bool { return p.Capacity > 0 && p.Attendees > p.Capacity }

// gridData is what a grid is built from: a meeting's rooms, its
// timeslots and what one schedule places.
type gridData struct {
	Rooms []meetings.Room
	Slots []meetings.Timeslot
	Items []meetings.Item
}

func (s *Server) gridData(ctx context.Context, m meetings.Meeting, scheduleID int64) (g gridData, err error) {
	if g.Rooms, err = s.Meetings.Rooms(ctx, m.ID); err != nil {
		return g, err
	}
	if g.Slots, err = s.Meetings.Timeslots(ctx, m.ID); err != nil {
		return g, err
	}
	g.Items, err = s.Meetings.Placed(ctx, scheduleID)
	return g, err
}

// gridOf lays the timeslots out as days of rows, a cell per room, with
// the sessions the items place in their cells; mark, if given, adds what
// a page shows of each.
func gridOf(m meetings.Meeting, g gridData, mark func(*placedView)) []scheduleDay {
	byRoom := map[int64]int{}
	capacity := map[int64]int{}
	for i, room := range g.Rooms {
		byRoom[room.ID] = i
		capacity[room.ID] = room.Capacity
	}
	in := map[int64][]meetings.Item{}
	for _, it := range g.Items {
		in[it.Slot.ID] = append(in[it.Slot.ID], it)
	}
	type key struct {
		start time.Time
		dur   time.Duration
	}
	rowAt := map[key]*scheduleRow{}
	var rows []*scheduleRow
	var starts []time.Time
	seen := map[int64]bool{}
	for _, t := range g.Slots {
		when := viewSlot(m, t)
		if t.RoomID == 0 {
			rows = append(rows, &scheduleRow{When: when.When, Name: t.Name, NoRoom: true})
			starts = append(starts, t.Start)
			continue
		}
		k := key{t.Start, t.Duration}
		row := rowAt[k]
		if row == nil {
			row = &scheduleRow{When: when.When, Name: t.Name, Cells: make([]scheduleCell, len(g.Rooms))}
			rowAt[k] = row
			rows = append(rows, row)
			starts = append(starts, t.Start)
		}
		c := scheduleCell{SlotID: t.ID, Exists: true, Regular: t.Type == "regular" || t.Type == "plenary" || t.Type == "other"}
		for _, it := range in[t.ID] {
			v := placedView{SessionID: it.Session.ID, SlotID: t.ID, Group: it.Session.Group, Minutes: int(it.Session.RequestedDuration / time.Minute),
				Attendees: it.Session.Attendees, Capacity: capacity[t.RoomID], Pinned: it.Pinned, First: !seen[it.Session.ID]}
			seen[it.Session.ID] = true
			if mark != nil {
				mark(&v)
			}
			c.Sessions = append(c.Sessions, v)
		}
		// Two slots of one room at one time (IETF 83 has them) share a
		// cell, so that a room double-booked that way shows both sessions.
		if old := row.Cells[byRoom[t.RoomID]]; old.Exists {
			if len(old.Sessions) > 0 || len(c.Sessions) == 0 {
				c.SlotID = old.SlotID
			}
			c.Regular = c.Regular || old.Regular
			c.Sessions = append(old.Sessions, c.Sessions...)
		}
		row.Cells[byRoom[t.RoomID]] = c
	}
	// Slots come by start, so the rows do: group them into days.
	var days []scheduleDay
	for i, row := range rows {
		day := starts[i].In(m.Location).Format("Monday 2 January 2006")
		if len(days) == 0 || days[len(days)-1].Day != day {
			days = append(days, scheduleDay{Day: day})
		}
		d := &days[len(days)-1]
		d.Rows = append(d.Rows, *row)
	}
	return days
}

// Package scheduler places the sessions of a meeting into its rooms and
// timeslots. It scores a schedule with the Datatracker's cost function
// (its constraint names and business constraints, penalties taken from
// the vocabulary in meetings/names.json) and searches for a cheap one.
//
// The package has two halves. The solver (problem.go, compile.go,
// score.go, solve.go) works on a Problem in memory and knows nothing of
// the database: the same code scores the official schedule, a
// secretariat's hand-made one and a generated one. The service
// (service.go and beside it) loads a Problem from the meetings package
// and stores what the solver found back as a schedule of that meeting.
package scheduler

import (
	"time"
)

// A Problem is everything the solver needs to know about a meeting.
type Problem struct {
	Meeting  string         // the meeting's number, for messages
	Zone     *time.Location // the meeting's time zone: time ranges are local
	Slots    []Slot         // the regular timeslots, each in a room
	Sessions []Session      // the sessions to place, in request order
	Groups   []Group        // every group a session or a constraint names
	Penalty  Penalties

	// Pinned sessions keep the slots they have here; the solver moves
	// every other session. Start is where the search begins (a schedule
	// given with --from); sessions absent from it begin unplaced.
	Pinned map[int64][]int64 // session id → slot ids
	Start  map[int64][]int64 // session id → slot ids
}

// A Slot is a timeslot in a room.
type Slot struct {
	ID       int64
	Room     string
	Capacity int
	Start    time.Time
	Duration time.Duration
}

// End is when the slot ends.
func (s Slot) End() time.Time { return s.Start.Add(s.Duration) }

// A Session is one session a group asked for.
type Session struct {
	ID        int64
	Group     string        // acronym
	Index     int           // 0-based, among its group's sessions in request order
	Duration  time.Duration // requested; 0 fits any slot
	Attendees int           // expected; 0 fits any room
	Joint     []string      // groups it is held jointly with: their constraints apply too
}

// A Group is what the cost function knows of a group: what it is and
// what it asked of the schedule.
type Group struct {
	Acronym string
	Type    string // wg, rg, area, ag, ...
	State   string // active, bof, proposed, ...
	Area    string // the parent's acronym
	ADs     []int64

	Conflicts    []Conflict
	BeThere      []int64  // people who must be present
	TimeRanges   []string // time ranges it cannot meet in: "monday-morning"
	TimeRelation string   // subsequent-days | one-day-separation
	Adjacent     []string // groups it asked to meet next to (same room, back to back)
}

// A Conflict is a group a group must not meet at the same time as, at a
// level: conflict, conflic2, conflic3, chair_conflict, tech_overlap or
// key_participant.
type Conflict struct {
	Kind   string
	Target string
}

// Penalties are what each kind of violation costs. Constraint holds the
// constraint names' penalties by slug (conflict, bethere, timerange, ...),
// Business the business constraints' by slug
// (session_requires_trim, bof_overlapping_bof, ...). Unplaced is what a
// session that could not be placed costs.
type Penalties struct {
	Constraint map[string]int64
	Business   map[string]int64
	Unplaced   int64
}

// A Placement says which slots each placed session takes; a session
// missing from it is unplaced. A session's slots are consecutive in one
// room on one day.
type Placement map[int64][]int64

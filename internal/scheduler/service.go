package scheduler

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

// Service schedules the meetings that the meetings service holds: it
// loads a meeting as a Problem, has the solver search, and stores what it
// found as a new schedule of the meeting. The meetings service owns the
// tables; this one reads and writes through it.
type Service struct {
	Meetings *meetings.Service
}

// RunRequest says how to run the scheduler on a meeting.
type RunRequest struct {
	Name     string        // the new schedule's name; "" is auto-YYYYMMDD-HHMMSS (UTC, from the database's clock)
	From     string        // a schedule to start from, keeping the sessions pinned in it; "" starts afresh
	Seed     uint64        // the same seed and inputs give the same schedule
	Time     time.Duration // the search's budget; 0 is the solver's default
	Moves    int64         // a budget in moves per worker instead (tests, benchmarks); 0 is none
	Workers  int           // parallel searches; 0 is one per core
	Pins     []Pin         // sessions to pin where these say, over From's pins
	Official bool          // make the result the official schedule
	Why      string        // for the record
}

// RunOutcome is what a run made.
type RunOutcome struct {
	Schedule meetings.Schedule // as stored
	Problem  *Problem          // what the solver was given
	Result   Result
}

// Run schedules meeting number: it loads the meeting (from r.From if
// given), pins what the request and From pin, searches, and stores the
// placement as a new schedule whose badness is its cost, with the pinned
// sessions still pinned, made official if asked. Nothing is written if
// anything fails; a taken name is refused before the search.
func (s *Service) Run(ctx context.Context, by groups.Actor, number string, r RunRequest) (out RunOutcome, err error) {
	defer fail.Wrap(&err, "scheduler.Run(%q, %q)", number, r.Name)
	if !by.Secretariat() {
		return out, fail.New(fail.Forbidden, "Only the secretariat may run the scheduler.")
	}
	if r.Name == "" {
		r.Name = "auto-" + s.Meetings.DB.Now().UTC().Format("20060102-150405")
	}
	if err := s.Meetings.NameFree(ctx, number, r.Name); err != nil {
		return out, err
	}
	p, err := s.Load(ctx, number, r.From)
	if err != nil {
		return out, err
	}
	if len(r.Pins) > 0 {
		pinned, err := ResolvePins(p, r.Pins)
		if err != nil {
			return out, err
		}
		for id, ts := range pinned {
			p.Pinned[id], p.Start[id] = ts, ts
		}
	}
	res, err := Solve(ctx, p, Options{Seed: r.Seed, Time: r.Time, Moves: r.Moves, Workers: r.Workers})
	if err != nil {
		return out, err
	}
	n := meetings.NewSchedule{Name: r.Name, Badness: &res.Report.Cost, Official: r.Official, Assignments: assignments(res.Placement, p.Pinned)}
	why := r.Why
	if why == "" {
		why = fmt.Sprintf("The scheduler, seed %d%s", r.Seed, FromWhere(r.From))
	}
	sc, err := s.Meetings.CreateSchedule(ctx, by, number, n, why)
	if err != nil {
		return out, err
	}
	return RunOutcome{Schedule: sc, Problem: p, Result: res}, nil
}

// FromWhere says where a run started: ` from "mtg:83"`, or nothing for a
// run from scratch.
func FromWhere(from string) string {
	if from == "" {
		return ""
	}
	return fmt.Sprintf(" from %q", from)
}

// assignments lists a placement as rows to store, by session; a session
// pinned is stored pinned.
func assignments(pl, pinned Placement) []meetings.Assignment {
	var out []meetings.Assignment
	for _, id := range slices.Sorted(maps.Keys(pl)) {
		_, pin := pinned[id]
		for _, t := range pl[id] {
			out = append(out, meetings.Assignment{SessionID: id, TimeslotID: t, Pinned: pin})
		}
	}
	return out
}

// Scored is an existing schedule and what it costs.
type Scored struct {
	Schedule  meetings.Schedule
	Problem   *Problem
	Placement Placement // the schedule's placement of the Problem's sessions
	Report    Report
}

// Score costs an existing schedule of a meeting (the official one is
// named as it was imported or made, "mtg:83", "official"). Only the
// sessions the scheduler would place count, in the slots it would use;
// the schedule is read, not changed.
func (s *Service) Score(ctx context.Context, number, name string) (sc Scored, err error) {
	defer fail.Wrap(&err, "scheduler.Score(%q, %q)", number, name)
	if sc.Schedule, err = s.Meetings.Schedule(ctx, number, name); err != nil {
		return sc, err
	}
	if sc.Problem, err = s.Load(ctx, number, name); err != nil {
		return sc, err
	}
	sc.Placement = sc.Problem.Start
	sc.Report, err = Score(sc.Problem, sc.Placement)
	return sc, err
}

// Rescore scores a schedule and stores the cost as its badness, as the
// secretariat's pages do after a session is moved by hand.
func (s *Service) Rescore(ctx context.Context, by groups.Actor, number, name, why string) (Scored, error) {
	sc, err := s.Score(ctx, number, name)
	if err != nil {
		return sc, err
	}
	if err := s.Meetings.SetBadness(ctx, by, number, name, sc.Report.Cost, why); err != nil {
		return sc, err
	}
	cost := sc.Report.Cost
	sc.Schedule.Badness = &cost
	return sc, nil
}

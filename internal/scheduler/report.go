package scheduler

import "time"

// A Report is what a placement costs and why.
type Report struct {
	Cost     int64
	Kinds    []Kind             // the breakdown by kind, in the vocabulary's order; kinds not charged are left out
	Hard     []string           // hard violations: a group meeting twice at once, a room used twice, a broken chain
	HardOf   map[int64][]string // the same, under each session they involve, for the grid
	Unplaced []Unplaced         // sessions the placement leaves out
	Charges  []Charge           // every charge, by session, for the grid
	Placed   int                // sessions placed
}

// A Kind is one line of the breakdown: how many times a kind of
// violation was charged, its penalty and the total.
type Kind struct {
	Slug    string // conflict, conflic2, session_requires_trim, unplaced, ...
	Name    string // "Conflicts with (secondary)"
	Count   int
	Penalty int64
	Total   int64
}

// A Charge is one violation charged to a session.
type Charge struct {
	Session int64
	Group   string
	Kind    string // as in Kind.Slug
	Other   string // the other group, where there is one
	Penalty int64
	Text    string // "6man: conflict with v6ops"
}

// Unplaced is a session left out, and why.
type Unplaced struct {
	Session int64
	Group   string
	Index   int
	Reason  string
}

// Options steer a search.
type Options struct {
	Seed    uint64
	Time    time.Duration // wall-clock budget; 0 means 10 s
	Moves   int64         // a budget in moves per worker; 0 means no limit but Time
	Workers int           // independent searches; 0 means GOMAXPROCS
}

// A Result is the placement a search found, its report and how the
// search went.
type Result struct {
	Placement  Placement
	Report     Report
	LowerBound int64 // no placement costs less
	Elapsed    time.Duration
	BestAt     time.Duration // when the search first held the placement it returns
	Moves      int64         // moves tried, all workers
	Stopped    string        // "lower bound reached", "move budget spent" or "time limit"
}

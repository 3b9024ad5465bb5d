package meetings

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// The constraint vocabulary is the Datatracker's: the names of the
// constraints a session request may carry and their scheduler penalties,
// the time ranges a group may refuse, session statuses and purposes,
// timeslot types and the business constraints the scheduler weighs.
// names.json is derived from the Datatracker's names fixture in the corpus
// (../shared/corpus/groups/datatracker-names-2021.json) by
// TestVocabularyMatchesCorpus, which fails when the two differ; run it
// with -update to derive it again. Production code never reads the corpus.
//
//go:embed names.json
var namesJSON []byte

// ConstraintName is a kind of constraint a request may carry.
type ConstraintName struct {
	Slug          string `json:"slug"`
	Name          string `json:"name"`
	Desc          string `json:"desc"`
	Order         int    `json:"order"`
	Penalty       int    `json:"penalty"`
	GroupConflict bool   `json:"is_group_conflict"` // its target is a group
	Used          bool   `json:"used"`
}

// TimeRange is a part of a meeting day a group may say it cannot meet in.
type TimeRange struct {
	Slug  string `json:"slug"`
	Desc  string `json:"desc"` // "Monday morning"
	Order int    `json:"order"`
}

// Name is a slug and its name, for the simpler vocabularies.
type Name struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
	Desc string `json:"desc"`
	Used bool   `json:"used"`
}

// Purpose is what a session is for.
type Purpose struct {
	Slug          string   `json:"slug"`
	Name          string   `json:"name"`
	Desc          string   `json:"desc"`
	Order         int      `json:"order"`
	OnAgenda      bool     `json:"on_agenda"`
	TimeslotTypes []string `json:"timeslot_types"`
	Used          bool     `json:"used"`
}

// BusinessConstraint is a rule the scheduler weighs on every schedule.
type BusinessConstraint struct {
	Slug    string `json:"slug"`
	Name    string `json:"name"`
	Penalty int    `json:"penalty"`
}

// Vocabulary is the whole of names.json, each list in the Datatracker's
// order (by order, then slug).
type Vocabulary struct {
	ConstraintNames     []ConstraintName     `json:"constraint_names"`
	TimeRanges          []TimeRange          `json:"time_ranges"`
	SessionStatuses     []Name               `json:"session_statuses"`
	SessionPurposes     []Purpose            `json:"session_purposes"`
	TimeslotTypes       []Name               `json:"timeslot_types"`
	BusinessConstraints []BusinessConstraint `json:"business_constraints"`
}

// TimeRelation is how a group's sessions should sit in time relative to
// one another. The Datatracker keeps these as choices on its Constraint
// model, not in its names fixture, so they are here rather than in
// names.json. (Older Datatracker code spells the second one
// "one-day-seperation"; ParseTimeRelation takes that too.)
type TimeRelation struct {
	Slug string
	Name string
}

// TimeRelations are the two the Datatracker offers.
var TimeRelations = []TimeRelation{
	{"subsequent-days", "Schedule the sessions on subsequent days"},
	{"one-day-separation", "Leave at least one free day in between the two sessions"},
}

// ParseTimeRelation returns the slug of a time relation, or false.
func ParseTimeRelation(s string) (string, bool) {
	if s == "one-day-seperation" {
		s = "one-day-separation"
	}
	for _, r := range TimeRelations {
		if r.Slug == s {
			return s, true
		}
	}
	return "", false
}

// The three levels of conflict a request lists, strongest first, as the
// Datatracker names them.
const (
	Conflict1 = "conflict"
	Conflict2 = "conflic2"
	Conflict3 = "conflic3"
)

// ConflictLevels are the three, strongest first.
var ConflictLevels = []string{Conflict1, Conflict2, Conflict3}

var vocabulary = sync.OnceValue(func() Vocabulary {
	var v Vocabulary
	if err := json.Unmarshal(namesJSON, &v); err != nil {
		panic(fmt.Sprintf("meetings: names.json: %v", err)) // embedded at build time; a test parses it
	}
	return v
})

// Vocab returns the vocabulary. Callers must not change what it holds.
func Vocab() Vocabulary { return vocabulary() }

// Constraint returns the constraint name with a slug.
func Constraint(slug string) (ConstraintName, bool) {
	for _, c := range Vocab().ConstraintNames {
		if c.Slug == slug {
			return c, true
		}
	}
	return ConstraintName{}, false
}

// Range returns the time range with a slug.
func Range(slug string) (TimeRange, bool) {
	for _, r := range Vocab().TimeRanges {
		if r.Slug == slug {
			return r, true
		}
	}
	return TimeRange{}, false
}

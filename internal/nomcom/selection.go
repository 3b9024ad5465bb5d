package nomcom

import (
	"fmt"
	"strings"
)

// MaxPerAffiliation is how many voting members may share a primary
// affiliation (R49, RFC 8713 §4.17).
const MaxPerAffiliation = 2

// Candidate is one person of the published pool, at their position in
// the list (from 1).
type Candidate struct {
	Position    int
	PersonID    int64
	Name        string
	Affiliation string
}

// Step is one draw of the selection and what came of it: the person
// drawn is selected, or skipped because two selected members already
// share their primary affiliation (R49).
type Step struct {
	Draw        // Position is the person's in the published list
	PersonID    int64
	Name        string
	Affiliation string
	Selected    bool
	Seat        int    // the seat they took (from 1), if selected
	Skipped     string // why not, if not
}

// Select draws from the pool, in its published order, with key (RFC 3797
// §4) until seats voting members are selected, skipping anyone whose
// primary affiliation MaxPerAffiliation selected members already share
// (R49). It returns every draw it made, the skipped ones too, so the
// computation can be published and re-run step by step. When the pool
// runs out first, fewer are selected; the caller says so.
func Select(key string, pool []Candidate, seats int) ([]Step, error) {
	if seats <= 0 {
		return nil, fmt.Errorf("there must be at least one seat")
	}
	d, err := NewDrawer(key, len(pool))
	if err != nil {
		return nil, err
	}
	for i, c := range pool {
		if c.Position != i+1 {
			return nil, fmt.Errorf("the pool's list is out of order at %d (position %d)", i+1, c.Position)
		}
	}
	per := map[string]int{}
	var steps []Step
	filled := 0
	for filled < seats {
		x, ok := d.Next()
		if !ok {
			break
		}
		c := pool[x.Position-1]
		s := Step{Draw: x, PersonID: c.PersonID, Name: c.Name, Affiliation: c.Affiliation}
		a := SameAffiliation(c.Affiliation)
		if per[a] >= MaxPerAffiliation {
			s.Skipped = fmt.Sprintf("R49: %d selected members already share the primary affiliation %q", per[a], c.Affiliation)
		} else {
			per[a]++
			filled++
			s.Selected, s.Seat = true, filled
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// SameAffiliation is the form in which two affiliations are compared:
// case, surrounding and repeated white space, and a trailing period do
// not make two affiliations differ ("Example Inc." and "example  inc").
func SameAffiliation(a string) string {
	return strings.TrimSuffix(strings.ToLower(strings.Join(strings.Fields(a), " ")), ".")
}

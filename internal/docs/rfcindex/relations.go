package rfcindex

import "slices"

// Inconsistency is a relation printed on one entry whose inverse is
// missing from the other, e.g. 8717 "Updates 2028" without 2028 "Updated
// by 8717". The real index has some; an importer should report them, not
// invent the missing half silently.
type Inconsistency struct {
	From     int    // the entry that states the relation
	Relation string // "obsoletes", "obsoleted by", "updates", "updated by"
	To       int    // the entry that should state the inverse
	Missing  string // the inverse relation not found on To
}

// Inconsistencies checks all four relations in both directions. An
// entry missing from the index entirely also counts (To not found).
func Inconsistencies(entries []Entry) []Inconsistency {
	byNum := make(map[int]*Entry, len(entries))
	for i := range entries {
		byNum[entries[i].Number] = &entries[i]
	}
	var out []Inconsistency
	check := func(e *Entry, rel string, tos []int, inv string, get func(*Entry) []int) {
		for _, to := range tos {
			other, ok := byNum[to]
			if !ok || !slices.Contains(get(other), e.Number) {
				out = append(out, Inconsistency{From: e.Number, Relation: rel, To: to, Missing: inv})
			}
		}
	}
	for i := range entries {
		e := &entries[i]
		check(e, "obsoletes", e.Obsoletes, "obsoleted by", func(x *Entry) []int { return x.ObsoletedBy })
		check(e, "obsoleted by", e.ObsoletedBy, "obsoletes", func(x *Entry) []int { return x.Obsoletes })
		check(e, "updates", e.Updates, "updated by", func(x *Entry) []int { return x.UpdatedBy })
		check(e, "updated by", e.UpdatedBy, "updates", func(x *Entry) []int { return x.Updates })
	}
	return out
}

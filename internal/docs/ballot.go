package docs

// Ballot positions, the Datatracker's slugs.
const (
	PosYes     = "yes"
	PosNoObj   = "noobj"
	PosDiscuss = "discuss"
	PosAbstain = "abstain"
	PosRecuse  = "recuse"
)

// Tally is the count of current positions on a ballot.
type Tally struct {
	Sitting                              int // ADs on the IESG now
	Yes, NoObj, Discuss, Abstain, Recuse int
}

// Needed is how many Yes + No Objection positions a document at level
// needs (R35): for Proposed/Internet Standard and BCP (and legacy Draft
// Standard), two thirds of the sitting ADs who have not recused, rounded
// up; for other documents, one.
func (t Tally) Needed(stdLevel string) int {
	if !twoThirds(stdLevel) {
		return 1
	}
	n := t.Sitting - t.Recuse
	return (2*n + 2) / 3
}

// Passes applies R35: at least one Yes, no Discuss, and enough Yes + No
// Objection. It also says, in words, what is missing.
func (t Tally) Passes(stdLevel string) (bool, string) {
	switch {
	case t.Discuss > 0:
		return false, plural(t.Discuss, "DISCUSS position must be cleared", "DISCUSS positions must be cleared")
	case t.Yes == 0:
		return false, "at least one YES is needed"
	}
	if got, need := t.Yes+t.NoObj, t.Needed(stdLevel); got < need {
		return false, plural(need-got, "more YES or NO OBJECTION is needed", "more YES or NO OBJECTION positions are needed")
	}
	return true, ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// Positions are the ballot positions with their display names.
var Positions = []Name{
	{PosYes, "Yes"}, {PosNoObj, "No Objection"}, {PosDiscuss, "Discuss"},
	{PosAbstain, "Abstain"}, {PosRecuse, "Recuse"},
}

// PositionName gives a position's display name; "" is "No Record".
func PositionName(s string) string {
	if s == "" {
		return "No Record"
	}
	return nameOr(Positions, s, s)
}

package docs

// UseWordIndex makes s search names and titles as PostgreSQL does without
// pg_trgm, so tests reach that path on a server that has it.
func UseWordIndex(s *Service) { s.search.idx = tsvectorWords{} }

// AltTally applies R36's count to sitting ADs of whom yes say YES, no
// say NO and recuse recuse; the rest have not voted.
func AltTally(sitting, yes, no, recuse int) AltBallot {
	a := AltBallot{Votes: map[int64]string{}}
	ads := make([]Person, sitting)
	for i := range ads {
		ads[i].ID = int64(i + 1)
		switch {
		case i < yes:
			a.Votes[ads[i].ID] = AltYes
		case i < yes+no:
			a.Votes[ads[i].ID] = AltNo
		case i < yes+no+recuse:
			a.Votes[ads[i].ID] = AltRecuse
		}
	}
	a.tally(ads)
	return a
}

package archive

import (
	"context"
	"time"
)

// SetSearchPartition makes PostgreSQL's search partitions hold n ids, for
// a test that starts on a new database, and returns what restores them.
func SetSearchPartition(n int64) (restore func()) {
	old := searchPartition
	searchPartition = n
	return func() { searchPartition = old }
}

// SetFirstWindow makes a search on PostgreSQL look first at the newest n
// ids, and a search go by the highest id an earlier one read for an
// hour, and returns what restores both.
func SetFirstWindow(n int64) (restore func()) {
	oldWindow, oldFor := firstWindow, newestFor
	firstWindow, newestFor = n, time.Hour
	return func() { firstWindow, newestFor = oldWindow, oldFor }
}

// MaxRanked is how many of the newest matches a search ranks.
const MaxRanked = maxRanked

// Occupy takes every place for a search in s, as that many searches
// running would, and returns what gives them back.
func Occupy(s *Service) (release func()) {
	s.enter(context.Background())
	s.leave()
	n := cap(s.slots)
	for range n {
		s.slots <- struct{}{}
	}
	return func() {
		for range n {
			<-s.slots
		}
	}
}

// SettleInSteps makes the closing merge of s's imports write pages leaf
// pages a step, calling between, when set, between two steps.
func SettleInSteps(s *Service, pages int, between func()) {
	s.settleStep, s.mergeStepped = pages, between
}

// FTS5 is q's match as the search's FTS5 tables read it.
func FTS5(q Query) string { return q.fts5() }

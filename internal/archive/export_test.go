package archive

// SetSearchPartition makes PostgreSQL's search partitions hold n ids, for
// a test that starts on a new database, and returns what restores them.
func SetSearchPartition(n int64) (restore func()) {
	old := searchPartition
	searchPartition = n
	return func() { searchPartition = old }
}

// MaxRanked is how many of the newest matches a search ranks.
const MaxRanked = maxRanked

package db

// PreparedTexts is how many query texts d keeps prepared.
func PreparedTexts(d *DB) int {
	d.stmts.mu.Lock()
	defer d.stmts.mu.Unlock()
	return len(d.stmts.byText)
}

const MaxPrepared = maxPrepared

package db

// PreparedTexts is how many query texts d keeps prepared.
func PreparedTexts(d *DB) int {
	d.stmts.mu.Lock()
	defer d.stmts.mu.Unlock()
	return len(d.stmts.byText)
}

const MaxPrepared = maxPrepared

// WritersWaiting is how many writers wait at the gate of d's main file.
func WritersWaiting(d *DB) int { return int(d.gate.waiting.Load()) }

// Writes is writes, the gate's reading of a statement outside a
// transaction.
var Writes = writes

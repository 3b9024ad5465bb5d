package archive

import (
	"context"
	"fmt"
	"slices"

	"hum/internal/db"
)

// searchPartition is how many message ids one partition of PostgreSQL's
// search index holds (migration 0009 says why it is partitioned). A
// database's partitions are bounded by it, so it never changes; tests
// make it small to search across many partitions.
var searchPartition int64 = 32768

// partitionLock is the advisory lock that makes concurrent writers create
// each partition once.
const partitionLock = 0x68756d66 // "humf"

// ensurePartitions creates the search partitions that ids fall in, and
// the one after, so that the writer that next crosses into a new range
// usually finds it made. CREATE TABLE and then ATTACH PARTITION lock
// arch_fts only against other DDL: searches and writers do not wait.
func (w *writer) ensurePartitions(ctx context.Context, ids []int64) error {
	var want []int64
	for _, id := range ids {
		lo := id / searchPartition * searchPartition
		if !slices.Contains(want, lo) {
			want = append(want, lo)
		}
	}
	if len(want) == 0 {
		return nil
	}
	want = append(want, slices.Max(want)+searchPartition)
	missing, err := w.missingPartitions(ctx, want)
	if err != nil || len(missing) == 0 {
		return err
	}
	if _, err := w.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, partitionLock); err != nil {
		return err
	}
	// Another writer may have made them while this one waited.
	if missing, err = w.missingPartitions(ctx, missing); err != nil {
		return err
	}
	for _, lo := range missing {
		name := fmt.Sprintf("arch_fts_p%d", lo)
		if _, err := w.tx.ExecContext(ctx, `CREATE TABLE `+name+` (LIKE arch_fts INCLUDING STORAGE) WITH (toast_tuple_target = 128)`); err != nil {
			return fmt.Errorf("creating search partition %s: %w", name, err)
		}
		if _, err := w.tx.ExecContext(ctx, fmt.Sprintf(`ALTER TABLE arch_fts ATTACH PARTITION %s FOR VALUES FROM (%d) TO (%d)`,
			name, lo, lo+searchPartition)); err != nil {
			return fmt.Errorf("attaching search partition %s: %w", name, err)
		}
	}
	return nil
}

// missingPartitions returns the partition starts in los that arch_fts
// does not have. It reads the catalog with a query, whose snapshot sees
// partitions other transactions committed a moment ago.
func (w *writer) missingPartitions(ctx context.Context, los []int64) ([]int64, error) {
	names, err := db.Query(ctx, w.tx, db.Scalar[string], `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'arch_fts'::regclass`)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, name := range names {
		have[name] = true
	}
	var missing []int64
	for _, lo := range los {
		if !have[fmt.Sprintf("arch_fts_p%d", lo)] {
			missing = append(missing, lo)
		}
	}
	return missing, nil
}

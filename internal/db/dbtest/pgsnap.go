package dbtest

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"

	"hum/internal/db"
)

// snapshot is the data of a PostgreSQL schema, held in memory: each
// table's rows in COPY's binary format, which reads back exactly, and
// each sequence's position. Restored into an emptied schema of the same
// migrations it is the schema it was taken from, without the inserts
// (and password hashes, and mail) that made it.
type snapshot struct {
	parts  []partition // made before the rows are copied in
	tables []tableRows // referenced tables before the tables that refer to them
	seqs   []seqPos
}

type tableRows struct {
	name, cols string
	data       []byte
}

type seqPos struct {
	name   string
	last   int64
	called bool
}

// takeSnapshot reads the data of d's schema (its search_path's first).
func takeSnapshot(ctx context.Context, d *db.DB) (*snapshot, error) {
	var schema string
	if err := d.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, err
	}
	order, err := tableOrder(ctx, d, schema)
	if err != nil {
		return nil, fmt.Errorf("dbtest: %w", err)
	}
	s := &snapshot{}
	if s.parts, err = partitions(ctx, d, schema); err != nil {
		return nil, err
	}

	cols, err := db.Query(ctx, d, func(r db.Scanner) ([2]string, error) {
		var c [2]string
		return c, r.Scan(&c[0], &c[1])
	}, `SELECT c.relname, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
		GROUP BY c.relname`)
	if err != nil {
		return nil, err
	}
	colsOf := map[string]string{}
	for _, c := range cols {
		colsOf[c[0]] = c[1]
	}

	conn, err := d.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn().PgConn()
		for _, n := range order {
			var b bytes.Buffer
			tag, err := pc.CopyTo(ctx, &b, `COPY (SELECT `+colsOf[n]+` FROM `+n+`) TO STDOUT (FORMAT binary)`)
			if err != nil {
				return fmt.Errorf("copying %s: %w", n, err)
			}
			if tag.RowsAffected() > 0 {
				s.tables = append(s.tables, tableRows{n, colsOf[n], b.Bytes()})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	seqs, err := db.Query(ctx, d, db.Scalar[string], `SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'S' ORDER BY relname`)
	if err != nil {
		return nil, err
	}
	for _, n := range seqs {
		p := seqPos{name: n}
		if err := d.QueryRowContext(ctx, `SELECT last_value, is_called FROM `+n).Scan(&p.last, &p.called); err != nil {
			return nil, err
		}
		s.seqs = append(s.seqs, p)
	}
	return s, nil
}

// restore writes the snapshot into d's emptied schema, in one
// transaction.
func (s *snapshot) restore(ctx context.Context, d *db.DB) error {
	conn, err := d.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn().PgConn()
		if err := pc.Exec(ctx, `BEGIN`).Close(); err != nil {
			return err
		}
		for _, p := range s.parts {
			q := `CREATE TABLE ` + p.name + ` PARTITION OF ` + p.parent + ` ` + p.bound
			if p.options != "" {
				q += ` WITH (` + p.options + `)`
			}
			if err := pc.Exec(ctx, q).Close(); err != nil {
				pc.Exec(ctx, `ROLLBACK`).Close()
				return fmt.Errorf("making partition %s: %w", p.name, err)
			}
		}
		for _, t := range s.tables {
			if _, err := pc.CopyFrom(ctx, bytes.NewReader(t.data), `COPY `+t.name+` (`+t.cols+`) FROM STDIN (FORMAT binary)`); err != nil {
				pc.Exec(ctx, `ROLLBACK`).Close()
				return fmt.Errorf("restoring %s: %w", t.name, err)
			}
		}
		if len(s.seqs) > 0 {
			var q strings.Builder
			q.WriteString("SELECT ")
			for i, p := range s.seqs {
				if i > 0 {
					q.WriteString(", ")
				}
				fmt.Fprintf(&q, "setval('%s', %d, %t)", p.name, p.last, p.called)
			}
			if err := pc.Exec(ctx, q.String()).Close(); err != nil {
				pc.Exec(ctx, `ROLLBACK`).Close()
				return err
			}
		}
		return pc.Exec(ctx, `COMMIT`).Close()
	})
}

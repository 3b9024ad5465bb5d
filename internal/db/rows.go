package db

import (
	"context"
	"database/sql"
	"fmt"
)

// NullID is a person's (or any row's) id for a nullable reference
// column: NULL for 0, hum itself or nobody.
func NullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// Scanner is a row to read: *sql.Row or *sql.Rows. It is an alias, so
// that the packages' scan functions, which take this interface spelled
// out, can be handed to Query as they are.
type Scanner = interface{ Scan(dest ...any) error }

// Query runs query and reads every row it returns with scan, in order.
// It closes the rows and reports their error, so a read cut short is not
// taken for a complete one. No rows gives a nil slice.
func Query[T any](ctx context.Context, q Querier, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Scalar scans a row of one column, for Query: db.Scalar[string].
func Scalar[T any](row Scanner) (T, error) {
	var v T
	err := row.Scan(&v)
	return v, err
}

// Listing is a filtered list, in the parts that counting and paging it
// need: the JSON API's limit and offset, and its meta.total_count.
type Listing struct {
	Cols  string // the columns to select
	From  string // " FROM ... JOIN ...", the same for the count
	Where Where
	Order string // what ORDER BY orders by, so that pages follow on
	// Limit and Offset choose the page; a Limit of zero or less means
	// every row.
	Limit, Offset int
}

// QueryPage reads the page of l that its Limit and Offset choose, with
// scan, and how many rows match in all. Only a limited page costs a
// COUNT(*); otherwise every row was read and the total is their number.
func QueryPage[T any](ctx context.Context, q Querier, l Listing, scan func(Scanner) (T, error)) (_ []T, total int, err error) {
	where := l.Where.SQL()
	query := `SELECT ` + l.Cols + l.From + where + ` ORDER BY ` + l.Order
	if l.Limit <= 0 {
		out, err := Query(ctx, q, scan, query, l.Where.Args...)
		return out, len(out), err
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+l.From+where, l.Where.Args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := Query(ctx, q, scan, query+fmt.Sprintf(" LIMIT %d OFFSET %d", l.Limit, l.Offset), l.Where.Args...)
	return out, total, err
}

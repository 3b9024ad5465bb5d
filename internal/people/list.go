package people

import (
	"context"
	"fmt"
	"strings"

	"hum/internal/db"
)

// Filter selects people for the API; zero fields match everyone.
type Filter struct {
	ID           int64
	Name         string
	NameContains string
	Limit        int
	Offset       int
}

// List returns the people that match f, by id, and how many match.
func (s *Service) List(ctx context.Context, f Filter) (ps []Person, total int, err error) {
	var w db.Where
	if f.ID != 0 {
		w.Add("p.id = $?", f.ID)
	}
	if f.Name != "" {
		w.Add("p.name = $?", f.Name)
	}
	if f.NameContains != "" {
		w.Add("LOWER(p.name) LIKE $?", "%"+strings.ToLower(f.NameContains)+"%")
	}
	where, args := w.SQL(), w.Args
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM person p`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT ` + personCols + ` FROM person p` + where + ` ORDER BY p.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, f.Offset)
	}
	rows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, 0, err
		}
		ps = append(ps, p)
	}
	return ps, total, rows.Err()
}

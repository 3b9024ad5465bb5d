package people

import (
	"context"
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
	return db.QueryPage(ctx, s.DB, db.Listing{Cols: personCols, From: ` FROM person p`, Where: w, Order: "p.id", Limit: f.Limit, Offset: f.Offset}, scanPerson)
}

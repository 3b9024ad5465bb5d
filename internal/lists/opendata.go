package lists

import "hum/internal/opendata"

// OpenData is the lists' part of the Datatracker's API: mailinglists/list,
// hum's lists as the Datatracker's List resource gave its lists (id,
// name, description, advertised). Every hum list is on /list/, so every
// one is advertised; subscribers are never here.
func (s *Service) OpenData() []opendata.Resource {
	all := opendata.All
	return []opendata.Resource{{
		App: "mailinglists", Model: "list", Key: "id",
		Table:    &opendata.Table{From: "list l"},
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "l.id"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "l.name"},
			{Name: "description", Type: opendata.String, Filter: all, Col: "l.description"},
			{Name: "advertised", Type: opendata.Boolean, Filter: all, Value: true},
		},
	}}
}

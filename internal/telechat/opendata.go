package telechat

import (
	"hum/internal/docs"
	"hum/internal/opendata"
)

// OpenData is the telechats' part of the Datatracker's API:
// doc/telechatdocevent, each placement of a document on a telechat's
// agenda (or its removal, a null date) as the record's event of it, with
// the date and whether it returns (see package opendata).
func (s *Service) OpenData() []opendata.Resource {
	r := docs.EventResource("telechatdocevent", "'telechat'",
		opendata.Field{Name: "telechat_date", Type: opendata.Date, Null: true, Filter: opendata.All, Col: "NULLIF(td.date, '')"},
		opendata.Field{Name: "returning_item", Type: opendata.Boolean, Filter: opendata.All, Col: "td.returning_item"})
	r.Table.From += " JOIN telechat_doc td ON td.event_id = ev.id"
	return []opendata.Resource{r}
}

package implementations

import (
	"context"
	"fmt"
	"strings"

	"hum/internal/db"
	"hum/internal/opendata"
)

// OpenData is running code in the API (hum's own resources, which the
// Datatracker does not have): doc/implementation, the reports, each with
// its interoperability tests nested as the report's page shows them, and
// doc/interoptest, the tests one by one. See package opendata for what
// an entry says.
func (s *Service) OpenData() []opendata.Resource {
	return []opendata.Resource{implementationResource(), interopTestResource()}
}

const (
	all = opendata.All
	rel = opendata.AllWithRelations
)

// implementationResource is doc/implementation: a report on a draft,
// ordered by draft and then as added.
func implementationResource() opendata.Resource {
	return opendata.Resource{
		App: "doc", Model: "implementation", Key: "id",
		Table:    &opendata.Table{From: "impl_report r JOIN doc d ON d.id = r.doc_id"},
		Ordering: []string{"id", "date", "time"},
		Order:    []string{"document", "id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "r.id"},
			{Name: "document", Type: opendata.ToOne, To: "doc/document", Filter: rel, Col: "d.name"},
			{Name: "rev", Type: opendata.String, Filter: all, Col: "r.rev"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "r.name"},
			{Name: "organization", Type: opendata.String, Filter: all, Col: "r.organization"},
			{Name: "url", Type: opendata.String, Filter: all, Col: "r.url"},
			{Name: "description", Type: opendata.String, Col: "r.description"},
			{Name: "coverage", Type: opendata.String, Col: "r.coverage"},
			{Name: "maturity", Type: opendata.String, Filter: all, Col: "r.maturity"},
			{Name: "licence", Type: opendata.String, Filter: all, Col: "r.licence"},
			{Name: "contact", Type: opendata.String, Col: "r.contact"},
			{Name: "date", Type: opendata.Date, Filter: all, Col: "r.info_date"},
			{Name: "author", Type: opendata.ToOne, To: "person/person", Null: true, Filter: rel, Col: "r.author_id"},
			{Name: "time", Type: opendata.DateTime, Filter: all, Col: "r.updated"},
			{Name: "interop_tests", Type: opendata.List, Fetch: fetchTests,
				Help: "The interoperability tests recorded on the report, as doc/interoptest gives them."},
		},
	}
}

// interopTestResource is doc/interoptest: a test recorded on a report
// (implementation) with another implementation of the same draft
// (other), filtered by the draft too (document__name).
func interopTestResource() opendata.Resource {
	return opendata.Resource{
		App: "doc", Model: "interoptest", Key: "id",
		Table: &opendata.Table{From: `interop_test t JOIN impl_report r ON r.id = t.report_id
			JOIN impl_report o ON o.id = t.other_id JOIN doc d ON d.id = r.doc_id`},
		Ordering: []string{"id", "date"},
		Order:    []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "t.id"},
			{Name: "implementation", Type: opendata.ToOne, To: "doc/implementation", Filter: rel, Col: "t.report_id"},
			{Name: "document", Type: opendata.ToOne, To: "doc/document", Filter: rel, Col: "d.name"},
			{Name: "other", Type: opendata.ToOne, To: "doc/implementation", Filter: rel, Col: "t.other_id"},
			{Name: "other_name", Type: opendata.String, Filter: all, Col: "o.name"},
			{Name: "date", Type: opendata.Date, Filter: all, Col: "t.tested"},
			{Name: "result", Type: opendata.String, Filter: all, Col: "t.result"},
			{Name: "notes", Type: opendata.String, Col: "t.notes"},
		},
	}
}

// fetchTests reads the tests recorded on a page of reports, in one query,
// each as doc/interoptest's object.
func fetchTests(ctx context.Context, q db.Querier, keys []any) (map[any]any, error) {
	var w db.Where
	ph := make([]string, len(keys))
	for i, k := range keys {
		ph[i] = w.Arg(k)
	}
	w.Raw(`t.report_id IN (` + strings.Join(ph, ", ") + `)`)
	ts, err := db.Query(ctx, q, scanTest, `SELECT `+testCols+testFrom+w.SQL()+` ORDER BY t.id`, w.Args...)
	if err != nil {
		return nil, err
	}
	out := map[any]any{}
	for _, t := range ts {
		l, _ := out[t.ReportID].([]any)
		out[t.ReportID] = append(l, map[string]any{
			"id": t.ID, "implementation": implementationURI(t.ReportID), "document": "/api/v1/doc/document/" + t.Doc + "/",
			"other": implementationURI(t.OtherID), "other_name": t.Other, "date": t.Date, "result": t.Result, "notes": t.Notes,
			"resource_uri": fmt.Sprintf("/api/v1/doc/interoptest/%d/", t.ID),
		})
	}
	return out, nil
}

func implementationURI(id int64) string { return fmt.Sprintf("/api/v1/doc/implementation/%d/", id) }

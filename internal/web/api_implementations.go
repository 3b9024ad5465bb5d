package web

import (
	"fmt"
	"net/http"

	"hum/internal/implementations"
	"hum/internal/opendata"
)

// The JSON API of implementation reports (routes in
// routes_implementations.go), in the list shape of the rest: each report
// carries its interoperability tests, which are also a resource of their
// own. Both filter on id and document__name.

type apiImplementation struct {
	ID           int64            `json:"id"`
	Document     string           `json:"document"`
	Rev          string           `json:"rev"`
	Name         string           `json:"name"`
	Organization string           `json:"organization"`
	URL          string           `json:"url"`
	Description  string           `json:"description"`
	Coverage     string           `json:"coverage"`
	Maturity     string           `json:"maturity"`
	Licence      string           `json:"licence"`
	Contact      string           `json:"contact"`
	Date         string           `json:"date"`
	Author       *string          `json:"author"`
	Time         string           `json:"time"`
	InteropTests []apiInteropTest `json:"interop_tests"`
	ResourceURI  string           `json:"resource_uri"`
}

type apiInteropTest struct {
	ID             int64  `json:"id"`
	Implementation string `json:"implementation"`
	Other          string `json:"other"`
	OtherName      string `json:"other_name"`
	Date           string `json:"date"`
	Result         string `json:"result"`
	Notes          string `json:"notes"`
	ResourceURI    string `json:"resource_uri"`
}

func implementationURI(id int64) string { return fmt.Sprintf("/api/v1/doc/implementation/%d/", id) }

func toAPIImplementation(r implementations.Report) apiImplementation {
	a := apiImplementation{ID: r.ID, Document: "/api/v1/doc/document/" + r.Doc + "/", Rev: r.Rev, Name: r.Name, Organization: r.Organization,
		URL: r.URL, Description: r.Description, Coverage: r.Coverage, Maturity: r.Maturity, Licence: r.Licence, Contact: r.Contact,
		Date: r.Date, Time: isoTime(r.Updated), InteropTests: []apiInteropTest{}, ResourceURI: implementationURI(r.ID)}
	if r.AuthorID != 0 {
		u := fmt.Sprintf("/api/v1/person/person/%d/", r.AuthorID)
		a.Author = &u
	}
	for _, t := range r.Tests {
		a.InteropTests = append(a.InteropTests, toAPIInteropTest(t))
	}
	return a
}

func toAPIInteropTest(t implementations.Test) apiInteropTest {
	return apiInteropTest{ID: t.ID, Implementation: implementationURI(t.ReportID), Other: implementationURI(t.OtherID), OtherName: t.Other,
		Date: t.Date, Result: t.Result, Notes: t.Notes, ResourceURI: fmt.Sprintf("/api/v1/doc/interoptest/%d/", t.ID)}
}

// implFilter reads the filters both endpoints take.
func implFilter(r *http.Request) (implementations.Filter, error) {
	q := r.URL.Query()
	if err := allowed(q, "id", "document__name"); err != nil {
		return implementations.Filter{}, err
	}
	limit, offset, err := opendata.Paging(q)
	if err != nil {
		return implementations.Filter{}, err
	}
	f := implementations.Filter{Doc: q.Get("document__name"), Limit: limit, Offset: offset}
	return f, ids(q, map[string]*int64{"id": &f.ID})
}

func (s *Server) apiImplementationList(w http.ResponseWriter, r *http.Request, one bool) error {
	f, err := implFilter(r)
	if err != nil {
		return err
	}
	rs, total, err := s.Implementations.List(r.Context(), f)
	if err != nil {
		return err
	}
	objs := []apiImplementation{}
	for _, x := range rs {
		objs = append(objs, toAPIImplementation(x))
	}
	return answer(w, r, one, f.Limit, f.Offset, total, objs, "implementation report")
}

func (s *Server) apiInteropTestList(w http.ResponseWriter, r *http.Request, one bool) error {
	f, err := implFilter(r)
	if err != nil {
		return err
	}
	ts, total, err := s.Implementations.Tests(r.Context(), f)
	if err != nil {
		return err
	}
	objs := []apiInteropTest{}
	for _, t := range ts {
		objs = append(objs, toAPIInteropTest(t))
	}
	return answer(w, r, one, f.Limit, f.Offset, total, objs, "interoperability test")
}

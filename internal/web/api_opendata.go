package web

import (
	"net/http"
	"net/url"
	"strconv"

	"hum/internal/fail"
	"hum/internal/opendata"
)

// The Datatracker's API over package opendata: one generic handler for
// every resource's list, detail and schema, and the listings of apps and
// resources, in Tastypie's shapes. Routes in routes_api.go.

// OpenData assembles the API's resources from the services of c: the
// Datatracker's vocabularies (name/*) and each capability's OpenData
// list. It is the one list of what the API serves; app.New builds hum's
// with it, and New a server's that was given none.
func OpenData(c Config) (*opendata.Service, error) {
	return opendata.New(c.DB,
		opendata.Names(),
		c.Groups.OpenData(),
		c.People.OpenData(),
		c.Lists.OpenData(),
		c.Docs.OpenData(),
		c.IPR.OpenData(),
		c.Telechat.OpenData(),
		c.Implementations.OpenData(),
		c.Appeals.OpenData(),
		c.Meetings.OpenData(), // nil-safe: the resources are its tables, not its state
		consensusOpenData(c),
	)
}

// consensusOpenData is consensus' resources, or none for a server built
// without it (New refuses one, after building its API).
func consensusOpenData(c Config) []opendata.Resource {
	if c.Consensus == nil {
		return nil
	}
	return c.Consensus.OpenData()
}

type apiEndpoint struct {
	ListEndpoint string `json:"list_endpoint"`
	Schema       string `json:"schema"`
}

// apiTop is /api/v1/: the apps, each with its list endpoint, as the
// Datatracker's top level gives them.
func (s *Server) apiTop(w http.ResponseWriter, r *http.Request) error {
	if err := jsonOnly(r); err != nil {
		return err
	}
	out := map[string]apiEndpoint{}
	for _, a := range s.OpenData.Apps() {
		out[a] = apiEndpoint{ListEndpoint: "/api/v1/" + a + "/"}
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiApp is /api/v1/{app}/: its resources with their list endpoints and
// schemas, as Tastypie's Api.top_level gives them.
func (s *Server) apiApp(w http.ResponseWriter, r *http.Request) error {
	if err := jsonOnly(r); err != nil {
		return err
	}
	app := r.PathValue("app")
	out := map[string]apiEndpoint{}
	for _, res := range s.OpenData.Resources(app) {
		out[res.Model] = apiEndpoint{ListEndpoint: res.ListURI(), Schema: res.ListURI() + "schema/"}
	}
	if len(out) == 0 {
		return fail.New(fail.NotFound, "The API has no app %q; /api/v1/ lists them.", app)
	}
	return writeJSON(w, http.StatusOK, out)
}

// resource finds the path's resource.
func (s *Server) resource(r *http.Request) (*opendata.Resource, error) {
	res, ok := s.OpenData.Resource(r.PathValue("app"), r.PathValue("model"))
	if !ok {
		return nil, fail.New(fail.NotFound, "The API has no resource %s/%s; /api/v1/ lists them.", r.PathValue("app"), r.PathValue("model"))
	}
	return res, jsonOnly(r)
}

// jsonOnly refuses a format other than JSON: the Datatracker also speaks
// XML and YAML, hum only JSON.
func jsonOnly(r *http.Request) error {
	if f := r.URL.Query().Get("format"); f != "" && f != "json" {
		return fail.Field("format", "hum serves the API as JSON only: use format=json, not %q.", f)
	}
	return nil
}

// apiListResponse is Tastypie's list shape.
type apiListResponse struct {
	Meta    apiMeta          `json:"meta"`
	Objects []map[string]any `json:"objects"`
}

type apiMeta struct {
	Limit      int     `json:"limit"`
	Next       *string `json:"next"`
	Offset     int     `json:"offset"`
	Previous   *string `json:"previous"`
	TotalCount int     `json:"total_count"`
}

// apiResourceList is /api/v1/{app}/{model}/.
func (s *Server) apiResourceList(w http.ResponseWriter, r *http.Request) error {
	res, err := s.resource(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := s.OpenData.List(r.Context(), res, q)
	if err != nil {
		return err
	}
	if p.Objects == nil {
		p.Objects = []map[string]any{}
	}
	m := apiMeta{Limit: p.Limit, Offset: p.Offset, TotalCount: p.Total}
	link := func(offset int, cursor string) *string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("limit", strconv.Itoa(p.Limit))
		v.Set("offset", strconv.Itoa(offset))
		v.Del(opendata.CursorParam)
		if cursor != "" {
			v.Set(opendata.CursorParam, cursor)
		}
		u := r.URL.Path + "?" + v.Encode()
		return &u
	}
	if p.Offset+p.Limit < p.Total {
		m.Next = link(p.Offset+p.Limit, p.Cursor)
	}
	if p.Offset > 0 {
		m.Previous = link(max(0, p.Offset-p.Limit), "")
	}
	return writeJSON(w, http.StatusOK, apiListResponse{Meta: m, Objects: p.Objects})
}

// apiResourceDetail is /api/v1/{app}/{model}/{key}/, and the schema at
// .../schema/ (no resource has an object keyed "schema").
func (s *Server) apiResourceDetail(w http.ResponseWriter, r *http.Request) error {
	res, err := s.resource(r)
	if err != nil {
		return err
	}
	if r.PathValue("key") == "schema" {
		return writeJSON(w, http.StatusOK, s.OpenData.Schema(res))
	}
	o, err := s.OpenData.Get(r.Context(), res, r.PathValue("key"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

package web

import (
	"net/http"
	"net/url"

	"hum/internal/docs"
)

// docJSON is /doc/{name}/doc.json with the Datatracker's fields.
func (s *Server) docJSON(w http.ResponseWriter, r *http.Request) error {
	d, revs, err := s.docRevisions(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	type author struct {
		Name        string `json:"name"`
		Email       string `json:"email"`
		Affiliation string `json:"affiliation"`
	}
	type rev struct {
		Name      string `json:"name"`
		Rev       string `json:"rev"`
		Published string `json:"published"`
		URL       string `json:"url"`
	}
	var as []author
	for _, a := range d.Authors {
		as = append(as, author{a.Name, a.Email, a.Organization})
	}
	var rh []rev
	for _, x := range revs {
		rh = append(rh, rev{d.Name, x.Rev, isoTime(x.Posted), s.BaseURL + "/doc/" + d.Name + "/" + x.Rev + "/"})
	}
	if d.IsRFC() && d.Posted != nil {
		rh = append(rh, rev{d.Name, "", isoTime(*d.Posted), s.BaseURL + "/doc/" + d.Name + "/"})
	}
	var group map[string]string
	if d.GroupID != 0 {
		group = map[string]string{"name": d.GroupName, "type": d.GroupType, "acronym": d.Group}
	}
	str := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	var expires, tm *string
	if d.Expires != nil && d.Type == "draft" {
		expires = str(isoTime(*d.Expires))
	}
	if d.Posted != nil {
		tm = str(isoTime(*d.Posted))
	}
	var intended, std *string
	if d.IsRFC() {
		std = str(docs.StdLevelName(d.StdLevel))
	} else {
		intended = str(docs.StdLevelName(d.StdLevel))
	}
	iesg := ""
	if d.Type == "draft" {
		iesg = docs.IESGStateName(d.IESGState)
	}
	out := map[string]any{
		"name": d.Name, "rev": d.Rev, "title": d.Title, "pages": d.Pages, "abstract": d.Abstract,
		"time": tm, "state": docs.StateName(d.State), "intended_std_level": intended, "std_level": std,
		"authors": as, "group": group, "ad": str(d.AD), "shepherd": str(d.Shepherd), "iesg_state": str(iesg),
		"stream": str(d.Stream), "expires": expires, "rev_history": rh, "type": d.Type,
	}
	if d.Type == "draft" {
		// As the API shows them (doc/implementation), every one.
		res, _ := s.OpenData.Resource("doc", "implementation")
		p, err := s.OpenData.List(r.Context(), res, url.Values{"document": {d.Name}, "limit": {"0"}})
		if err != nil {
			return err
		}
		impls := []map[string]any{}
		impls = append(impls, p.Objects...)
		out["implementations"] = impls
	}
	if d.RFCNumber != 0 {
		out["rfc"] = d.RFCNumber
	}
	if d.WGState != "" {
		out["wg_state"] = docs.WGStateName(d.WGState)
	}
	return writeJSON(w, http.StatusOK, out)
}

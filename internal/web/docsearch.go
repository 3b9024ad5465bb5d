package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"hum/internal/docs"
	"hum/internal/docs/render"
	"hum/internal/fail"
	"hum/internal/groups"
)

type searchPage struct {
	Page
	Q       url.Values
	Docs    []docs.Document
	Total   int
	Heading string
	Group   *groups.Group
	States  []docs.Name
	More    string
}

func on(v string) bool { return v == "on" || v == "true" || v == "1" || v == "yes" }

// docSearch is /doc/search/ with the Datatracker's parameters: name,
// rfcs, activedrafts, olddrafts, group, area, ad, author, state (repeated).
func (s *Server) docSearch(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := docs.Query{Name: v.Get("name"), Group: v.Get("group"), Area: v.Get("area"), AD: v.Get("ad"),
		Author: v.Get("author"), RFCs: on(v.Get("rfcs")), Active: on(v.Get("activedrafts")),
		Expired: on(v.Get("olddrafts")) || on(v.Get("expired")), Replaced: on(v.Get("olddrafts")) || on(v.Get("replaced"))}
	for _, st := range v["state"] {
		if st != "" {
			q.States = append(q.States, st)
		}
	}
	q.Offset, _ = strconv.Atoi(v.Get("offset"))
	p := searchPage{Page: s.page(r, "Search documents"), Q: v}
	p.States = append(append(append([]docs.Name{}, docs.DraftStates[:4]...), docs.WGStates...), docs.IESGStates...)
	if len(v) == 0 {
		return s.show(w, "doc_search.html", p)
	}
	var err error
	if p.Docs, p.Total, err = s.Docs.Search(r.Context(), q); err != nil {
		return err
	}
	if q.Offset+len(p.Docs) < p.Total {
		n := url.Values{}
		for k, vs := range v {
			n[k] = vs
		}
		n.Set("offset", strconv.Itoa(q.Offset+len(p.Docs)))
		p.More = "/doc/search/?" + n.Encode()
	}
	return s.show(w, "doc_search.html", p)
}

func (s *Server) groupDocs(w http.ResponseWriter, r *http.Request) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	ds, total, err := s.Docs.Search(r.Context(), docs.Query{Group: g.Acronym, Area: "", Active: true, RFCs: true, Limit: 1000})
	if g.Type == "area" {
		ds, total, err = s.Docs.Search(r.Context(), docs.Query{Area: g.Acronym, Active: true, RFCs: true, Limit: 1000})
	}
	if err != nil {
		return err
	}
	return s.show(w, "doc_search.html", searchPage{Page: s.page(r, "Documents of "+g.Acronym), Docs: ds, Total: total,
		Heading: "Documents of " + g.Name + " (" + g.Acronym + ")", Group: &g})
}

// docJSON is /doc/{name}/doc.json with the Datatracker's fields.
func (s *Server) docJSON(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.Docs.Get(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	revs, err := s.Docs.Revisions(ctx, d.ID)
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
	if d.RFCNumber != 0 {
		out["rfc"] = d.RFCNumber
	}
	if d.WGState != "" {
		out["wg_state"] = docs.WGStateName(d.WGState)
	}
	return writeJSON2(w, out)
}

func (s *Server) docFeed(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Docs.Get(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	return s.changeFeed(w, r, "doc", d.Name, changeFeedInfo{
		Title: "Changes to " + d.Name, Description: d.Title, Updated: d.Updated,
		Page: "/doc/" + d.Name + "/", History: "/doc/" + d.Name + "/history/", Self: "/feed/document-changes/" + d.Name + "/",
	})
}

// docDiff is /doc/{name}/diff/?rev1=00&rev2=01&view=side|unified.
func (s *Server) docDiff(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.Docs.Get(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	revs, err := s.Docs.Revisions(ctx, d.ID)
	if err != nil {
		return err
	}
	if len(revs) < 2 {
		return fail.New(fail.NotFound, "%s has only one revision, so there is nothing to compare.", d.Name)
	}
	v := r.URL.Query()
	rev2 := v.Get("rev2")
	if rev2 == "" {
		rev2 = revs[len(revs)-1].Rev
	}
	rev1 := v.Get("rev1")
	if rev1 == "" {
		for i, x := range revs {
			if x.Rev == rev2 && i > 0 {
				rev1 = revs[i-1].Rev
			}
		}
	}
	text := func(rev string) (string, error) {
		xml, txt, err := s.Docs.Files(ctx, d.Name, rev)
		if err != nil {
			return "", err
		}
		if len(txt) > 0 {
			return string(txt), nil
		}
		return string(xml), nil
	}
	a, err := text(rev1)
	if err != nil {
		return err
	}
	b, err := text(rev2)
	if err != nil {
		return err
	}
	side, unified := render.Diff(a, b)
	view := v.Get("view")
	rows := unified
	if view == "side" {
		rows = side
	} else {
		view = "unified"
	}
	return s.show(w, "doc_diff.html", struct {
		Page
		Doc              docs.Document
		Revs             []docs.Revision
		Rev1, Rev2, View string
		Rows             []render.Row
		Empty            template.HTML
	}{s.page(r, "Diff of "+d.Name), d, revs, rev1, rev2, view, render.Context(rows, 3), ""})
}

package web

import (
	"net/http"
	"net/url"
	"strconv"

	"hum/internal/docs"
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

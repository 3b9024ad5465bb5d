package web

import (
	"net/http"

	"hum/internal/docs"
	"hum/internal/telechat"
)

// iesgDiscussesPage is the model of iesg_discusses.html.
type iesgDiscussesPage struct {
	Page
	Discusses []docs.Discuss
}

// iesgDiscusses is /iesg/discusses/: every DISCUSS a sitting AD holds on
// an open ballot, with its document and since when, newest first.
func (s *Server) iesgDiscusses(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.Docs.Discusses(r.Context())
	if err != nil {
		return err
	}
	return s.show(w, "iesg_discusses.html", iesgDiscussesPage{Page: s.page(r, "Outstanding DISCUSS positions"), Discusses: ds})
}

// adDocRow is one of an AD's documents on the dashboard.
type adDocRow struct {
	docs.ADDoc
	Telechat telechat.Placement
}

type adHeadingRows struct {
	Heading string
	Docs    []adDocRow
}

// docsForADPage is the model of doc_ad.html.
type docsForADPage struct {
	Page
	AD       docs.Person
	Sitting  bool
	Headings []adHeadingRows
	Count    int
}

// docsForAD is /doc/ad/{name}/ (the Datatracker's "docs for AD", {name}
// as it writes it: "ada.director"): the drafts an AD is responsible for,
// by state, with what each waits for and its telechat.
func (s *Server) docsForAD(w http.ResponseWriter, r *http.Request, key string) error {
	ctx := r.Context()
	a, err := s.Docs.ForAD(ctx, key)
	if err != nil {
		return err
	}
	p := docsForADPage{Page: s.page(r, "Documents for "+a.AD.Name), AD: a.AD, Sitting: a.Sitting}
	for _, h := range a.Headings {
		hr := adHeadingRows{Heading: h.Heading}
		for _, d := range h.Docs {
			row := adDocRow{ADDoc: d}
			if row.Telechat, err = s.Telechat.PlacementOf(ctx, d.Doc.ID); err != nil {
				return err
			}
			hr.Docs = append(hr.Docs, row)
		}
		p.Count += len(hr.Docs)
		p.Headings = append(p.Headings, hr)
	}
	return s.show(w, "doc_ad.html", p)
}

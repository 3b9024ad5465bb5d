package web

import (
	"net/http"

	"hum/internal/docs"
	"hum/internal/docs/render"
	"hum/internal/fail"
)

// docDiffPage is the model of doc_diff.html.
type docDiffPage struct {
	Page
	Doc              docs.Document
	Revs             []docs.Revision
	Rev1, Rev2, View string
	Rows             []render.Row
}

// docDiff is /doc/{name}/diff/?rev1=00&rev2=01&view=side|unified.
func (s *Server) docDiff(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, revs, err := s.docRevisions(ctx, r.PathValue("name"))
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
	// Revisions are compared as text: the text submitted, or a revision
	// submitted as XML only laid out as xml2rfc would; only XML that
	// cannot be laid out is compared as its source.
	text := func(rev string) (string, error) {
		t, _, err := s.Docs.Text(ctx, d.Name, rev)
		if err == nil {
			return string(t), nil
		}
		xml, _, ferr := s.Docs.Files(ctx, d.Name, rev)
		if ferr != nil || len(xml) == 0 {
			return "", err
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
	return s.show(w, "doc_diff.html", docDiffPage{s.page(r, "Diff of "+d.Name), d, revs, rev1, rev2, view, render.Context(rows, 3)})
}

package web

import (
	"net/http"

	"hum/internal/aliases"
	"hum/internal/docs"
	"hum/internal/groups"
)

// emailPage is the model of doc_email.html and group_email.html: the
// aliases of a document or a group, expanded now.
type emailPage struct {
	Page
	Doc     *docs.Document
	Group   *groups.Group
	Aliases []aliases.Alias
}

// docEmail is /doc/{name}/email/: the draft's aliases and whom each
// reaches now, as the Datatracker's document email tab. People are
// named, not shown by address (they choose whether theirs is public);
// an author's address as the draft prints it is shown.
func (s *Server) docEmail(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, err := s.Docs.Get(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	p := emailPage{Page: s.page(r, "Email aliases of "+d.Name), Doc: &d}
	if d.Type == "draft" {
		if p.Aliases, err = s.Aliases.DocAliases(ctx, d.Name); err != nil {
			return err
		}
	}
	return s.show(w, "doc_email.html", p)
}

// groupEmail is /group/{acronym}/email/: the group's -chairs and -ads
// aliases, as the Datatracker's "Email expansions".
func (s *Server) groupEmail(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	g, err := s.Groups.Get(ctx, r.PathValue("acronym"))
	if err != nil {
		return err
	}
	p := emailPage{Page: s.page(r, "Email aliases of "+g.Acronym), Group: &g}
	if p.Aliases, err = s.Aliases.GroupAliases(ctx, g.Acronym); err != nil {
		return err
	}
	return s.show(w, "doc_email.html", p)
}

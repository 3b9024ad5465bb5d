package web

import (
	"net/http"

	"hum/internal/archive"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/people"
	"hum/internal/record"
)

type personPage struct {
	Page
	Person  people.Person
	Roles   []groups.Role
	History []record.Event
	Posts   []archive.Summary // recent list posts from any of the person's addresses
	Docs    []docs.Document   // documents the person wrote
}

func (s *Server) person(w http.ResponseWriter, r *http.Request) error {
	p, err := s.People.ByEmail(r.Context(), r.PathValue("email"))
	if err != nil {
		if fe, ok := fail.As(err); ok && fe.Kind == fail.Invalid {
			return fail.New(fail.NotFound, "There is no person with the address %q.", r.PathValue("email"))
		}
		return err
	}
	roles, _, err := s.Groups.Roles(r.Context(), groups.RoleFilter{PersonID: p.ID})
	if err != nil {
		return err
	}
	hist, err := record.ByActor(r.Context(), s.DB, p.ID, 25)
	if err != nil {
		return err
	}
	page := personPage{s.page(r, p.Name), p, roles, hist, nil, nil}
	addrs, err := s.People.Addresses(r.Context(), p.ID)
	if err != nil {
		return err
	}
	// Posts to private archives the reader may not see are left out.
	hidden, err := s.archHidden(w, r)
	if err != nil {
		return err
	}
	if page.Posts, err = s.Archive.ByAuthor(r.Context(), addrs, 20, hidden...); err != nil {
		return err
	}
	if page.Docs, err = s.Docs.ByAuthor(r.Context(), p.ID, addrs, 50); err != nil {
		return err
	}
	return s.show(w, "person.html", page)
}

package web

import (
	"net/http"

	"hum/internal/fail"
	"hum/internal/groups"
)

// may loads the group and checks the viewer's power over it.
// The groups service enforces who may change what; may refuses a form
// before it is shown or read.
func (s *Server) may(r *http.Request, check func(groups.Actor, groups.Group) bool) (groups.Actor, groups.Group, error) {
	_, by, err := s.need(r)
	if err != nil {
		return by, groups.Group{}, err
	}
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return by, g, err
	}
	if !check(by, g) {
		return by, g, fail.New(fail.Forbidden, "Your roles do not let you make this change to %s.", g.Acronym)
	}
	return by, g, nil
}

func (s *Server) groupEditForm(w http.ResponseWriter, r *http.Request) error {
	by, g, err := s.may(r, groups.Actor.MayEdit)
	if err != nil {
		return err
	}
	f := newForm[groupEditData](s, r, "Edit "+g.Acronym)
	f.V = map[string][]string{"name": {g.Name}, "state": {g.State}, "description": {g.Description}, "list_email": {g.ListEmail},
		"list_subscribe": {g.ListSubscribe}, "list_archive": {g.ListArchive}, "comments": {g.Comments}}
	return s.showEdit(w, r, f, by, g)
}

// groupEditData is what the edit page shows beside the form.
type groupEditData struct {
	Group     groups.Group
	MayManage bool
	States    []string
}

func (s *Server) showEdit(w http.ResponseWriter, r *http.Request, f form[groupEditData], by groups.Actor, g groups.Group) error {
	f.Data = groupEditData{g, by.MayManage(g), []string{"bof", "proposed", "active", "dormant", "conclude", "bof-conc", "abandon", "replaced"}}
	if f.Err != nil {
		w.WriteHeader(status(f.Err.Kind))
	}
	return s.show(w, "group_edit.html", f)
}

func (s *Server) groupEdit(w http.ResponseWriter, r *http.Request) error {
	by, g, err := s.may(r, groups.Actor.MayEdit)
	if err != nil {
		return err
	}
	f := newForm[groupEditData](s, r, "Edit "+g.Acronym)
	val := func(k string) *string {
		if _, ok := r.PostForm[k]; !ok {
			return nil
		}
		v := r.PostForm.Get(k)
		return &v
	}
	c := groups.Changes{Description: val("description"), ListEmail: val("list_email"), ListSubscribe: val("list_subscribe"),
		ListArchive: val("list_archive"), Comments: val("comments")}
	c.Name, c.State = val("name"), val("state") // groups.Update refuses a change by someone who may not manage g
	if err := s.Groups.Update(r.Context(), by, g.Acronym, c, r.PostForm.Get("why")); err != nil {
		if fe, ok := fail.As(err); ok && (fe.Kind == fail.Invalid || fe.Kind == fail.Conflict) {
			f.Err = fe
			return s.showEdit(w, r, f, by, g)
		}
		return err
	}
	s.flash(r, "Your changes to "+g.Acronym+" are saved and recorded.")
	return redirect(w, r, "/group/"+g.Acronym+"/about/")
}

func (s *Server) groupCreateForm(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.need(r); err != nil {
		return err
	}
	return s.showCreate(w, r, newForm[[]groups.Group](s, r, "Create a group"))
}

func (s *Server) showCreate(w http.ResponseWriter, r *http.Request, f form[[]groups.Group]) error {
	as, _, err := s.Groups.List(r.Context(), groups.Filter{Type: "area", State: "active"})
	if err != nil {
		return err
	}
	f.Data = as
	if f.Err != nil {
		w.WriteHeader(status(f.Err.Kind))
	}
	return s.show(w, "group_create.html", f)
}

func (s *Server) groupCreate(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	f := newForm[[]groups.Group](s, r, "Create a group")
	n := groups.NewGroup{Acronym: r.PostFormValue("acronym"), Name: r.PostFormValue("name"), Type: r.PostFormValue("type"),
		State: r.PostFormValue("state"), Parent: r.PostFormValue("parent"), Description: r.PostFormValue("description"), ListEmail: r.PostFormValue("list_email")}
	if n.Parent != "" {
		if _, err = s.Groups.Get(r.Context(), n.Parent); err != nil {
			f.Err = fail.Field("parent", "There is no area %q.", n.Parent)
			return s.showCreate(w, r, f)
		}
	}
	g, err := s.Groups.Create(r.Context(), by, n, r.PostFormValue("why"))
	if err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Forbidden {
			return err
		}
		f.Err = fe
		return s.showCreate(w, r, f)
	}
	s.flash(r, g.Name+" ("+g.Acronym+") has been created.")
	return redirect(w, r, "/group/"+g.Acronym+"/about/")
}

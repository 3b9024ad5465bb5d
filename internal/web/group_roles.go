package web

import (
	"net/http"
	"strconv"

	"hum/internal/fail"
	"hum/internal/groups"
)

func (s *Server) roleGrant(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	role := r.PostFormValue("role")
	if groups.Roles[role] == "" {
		return s.againAbout(w, r, g, fail.Field("role", "%q is not a role.", role))
	}
	if !by.MayGrant(g, role) { // before the address is looked up; groups.Grant enforces it
		return fail.New(fail.Forbidden, "Your roles do not let you appoint a %s of %s.", groups.RoleName(role), g.Acronym)
	}
	p, err := s.People.ByEmail(r.Context(), r.PostFormValue("email"))
	if err != nil {
		if fe, ok := fail.As(err); ok && fe.Kind == fail.NotFound {
			err = fail.Field("email", "No account has the address %s: the person must create an account first.", r.PostFormValue("email"))
		}
		return s.againAbout(w, r, g, err)
	}
	if err := s.Groups.Grant(r.Context(), by, g.Acronym, role, p.ID, p.Email, r.PostFormValue("why")); err != nil {
		return s.againAbout(w, r, g, err)
	}
	s.flash(r, p.Name+" is now "+groups.RoleName(role)+" of "+g.Acronym+".")
	return redirect(w, r, "/group/"+g.Acronym+"/about/")
}

func (s *Server) roleRevoke(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	rs, _, err := s.Groups.Roles(r.Context(), groups.RoleFilter{ID: id, Acronym: r.PathValue("acronym")})
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return fail.New(fail.NotFound, "%s has no role %d.", r.PathValue("acronym"), id)
	}
	if err := s.Groups.Revoke(r.Context(), by, id, r.PostFormValue("why")); err != nil {
		return err
	}
	s.flash(r, rs[0].PersonName+" is no longer "+groups.RoleName(rs[0].Name)+" of "+rs[0].Acronym+".")
	return redirect(w, r, "/group/"+rs[0].Acronym+"/about/")
}

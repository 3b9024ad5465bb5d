package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// groupModel is everything the about page shows, cached until the record
// changes.
type groupModel struct {
	Group      groups.Group
	Roles      []groups.Role
	ADs        []groups.Role
	Charter    groups.CharterRev
	HasCharter bool
	Milestones []groups.Milestone
	Children   []childGroup
	IESG       []groups.Role // for the IESG itself: the sitting ADs
	History    []record.Event
}

type childGroup struct {
	Group  groups.Group
	Chairs []groups.Role
}

func (s *Server) groupModel(ctx context.Context, acronym string) (*groupModel, error) {
	v, err := s.cache.get(ctx, s.versions, "group", acronym, func() (any, error) {
		return s.loadGroup(ctx, acronym)
	})
	if err != nil {
		return nil, err
	}
	return v.(*groupModel), nil
}

func (s *Server) loadGroup(ctx context.Context, acronym string) (*groupModel, error) {
	g, err := s.Groups.Get(ctx, acronym)
	if err != nil {
		return nil, err
	}
	m := &groupModel{Group: g}
	if m.Roles, _, err = s.Groups.Roles(ctx, groups.RoleFilter{GroupID: g.ID}); err != nil {
		return nil, err
	}
	groups.SortRoles(m.Roles)
	if g.Type != "area" {
		if m.ADs, err = s.Groups.ADsOf(ctx, g); err != nil {
			return nil, err
		}
	}
	if m.Charter, m.HasCharter, err = s.Groups.Charter(ctx, g.ID); err != nil {
		return nil, err
	}
	if m.Milestones, err = s.Groups.Milestones(ctx, g.ID); err != nil {
		return nil, err
	}
	if m.History, err = record.List(ctx, s.DB, "group", g.Acronym, 25); err != nil {
		return nil, err
	}
	if g.Acronym == "iesg" {
		m.IESG, err = s.Groups.IESGMembers(ctx)
		if err != nil {
			return nil, err
		}
	}
	if g.Type == "area" || g.Type == "irtf" || g.Type == "ietf" {
		m.Children, err = s.children(ctx, g.Acronym)
	}
	return m, err
}

// children lists the active and BOF groups under a parent, with chairs.
func (s *Server) children(ctx context.Context, parent string) ([]childGroup, error) {
	gs, _, err := s.Groups.List(ctx, groups.Filter{Parent: parent})
	if err != nil {
		return nil, err
	}
	chairs, _, err := s.Groups.Roles(ctx, groups.RoleFilter{Name: "chair", Active: true})
	if err != nil {
		return nil, err
	}
	byGroup := map[int64][]groups.Role{}
	for _, r := range chairs {
		byGroup[r.GroupID] = append(byGroup[r.GroupID], r)
	}
	var out []childGroup
	for _, g := range gs {
		if g.State == "active" || g.State == "bof" || g.State == "proposed" {
			out = append(out, childGroup{g, byGroup[g.ID]})
		}
	}
	return out, nil
}

// aboutPage adds what the viewer may do to the cached model.
type aboutPage struct {
	Page
	*groupModel
	MayEdit, MayManage, MayMilestones, MayGrant bool
	RoleChoices                                 []string
	Err                                         *fail.Error
}

func (s *Server) groupRedirect(w http.ResponseWriter, r *http.Request) error {
	return redirect(w, r, "/group/"+strings.ToLower(r.PathValue("acronym"))+"/about/")
}

func (s *Server) groupAbout(w http.ResponseWriter, r *http.Request) error {
	m, err := s.groupModel(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	p, err := s.aboutPage(r, m)
	if err != nil {
		return err
	}
	return s.show(w, "group_about.html", p)
}

func (s *Server) aboutPage(r *http.Request, m *groupModel) (aboutPage, error) {
	p := aboutPage{Page: s.page(r, m.Group.Name+" ("+m.Group.Acronym+")"), groupModel: m}
	if p.User == nil {
		return p, nil
	}
	pw, err := s.powers(r.Context(), p.User.ID)
	if err != nil {
		return p, err
	}
	g := m.Group
	p.MayEdit, p.MayManage, p.MayMilestones = pw.MayEdit(g), pw.MayManage(g), pw.MayMilestones(g)
	for _, role := range []string{"chair", "ad", "secr", "delegate", "techadv", "editor", "member", "liaison", "exofficio", "advisor"} {
		if pw.MayGrant(g, role) {
			p.RoleChoices = append(p.RoleChoices, role)
		}
	}
	p.MayGrant = len(p.RoleChoices) > 0
	return p, nil
}

// groupHistoryPage is the model of group_history.html.
type groupHistoryPage struct {
	Page
	Group   groups.Group
	History []record.Event
}

func (s *Server) groupHistory(w http.ResponseWriter, r *http.Request) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	evs, err := record.List(r.Context(), s.DB, "group", g.Acronym, 1000)
	if err != nil {
		return err
	}
	return s.show(w, "group_history.html", groupHistoryPage{s.page(r, "History of "+g.Acronym), g, evs})
}

// areaModel is an area with its ADs and groups, for /wg/ and /area/.
type areaModel struct {
	Area     groups.Group
	ADs      []groups.Role
	Children []childGroup
}

func (s *Server) areas(ctx context.Context) ([]areaModel, error) {
	v, err := s.cache.get(ctx, s.versions, "areas", "", func() (any, error) {
		as, _, err := s.Groups.List(ctx, groups.Filter{Type: "area", State: "active"})
		if err != nil {
			return nil, err
		}
		ads, _, err := s.Groups.Roles(ctx, groups.RoleFilter{Name: "ad"})
		if err != nil {
			return nil, err
		}
		var out []areaModel
		for _, a := range as {
			am := areaModel{Area: a}
			for _, r := range ads {
				if r.GroupID == a.ID {
					am.ADs = append(am.ADs, r)
				}
			}
			if am.Children, err = s.children(ctx, a.Acronym); err != nil {
				return nil, err
			}
			out = append(out, am)
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]areaModel), nil
}

// areasPage is the model of wg.html and area.html.
type areasPage struct {
	Page
	Areas []areaModel
}

func (s *Server) wgList(w http.ResponseWriter, r *http.Request) error {
	as, err := s.areas(r.Context())
	if err != nil {
		return err
	}
	return s.show(w, "wg.html", areasPage{s.page(r, "Active working groups"), as})
}

func (s *Server) areaList(w http.ResponseWriter, r *http.Request) error {
	as, err := s.areas(r.Context())
	if err != nil {
		return err
	}
	return s.show(w, "area.html", areasPage{s.page(r, "Areas"), as})
}

// rgPage is the model of rg.html.
type rgPage struct {
	Page
	*groupModel
}

func (s *Server) rgList(w http.ResponseWriter, r *http.Request) error {
	m, err := s.groupModel(r.Context(), "irtf")
	if err != nil {
		return err
	}
	return s.show(w, "rg.html", rgPage{s.page(r, "Active research groups"), m})
}

// may loads the group and checks the viewer's power over it.
func (s *Server) may(r *http.Request, check func(groups.Powers, groups.Group) bool) (record.Actor, groups.Group, error) {
	u, pw, err := s.need(r)
	if err != nil {
		return record.Actor{}, groups.Group{}, err
	}
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return record.Actor{}, g, err
	}
	if !check(pw, g) {
		return record.Actor{}, g, fail.New(fail.Forbidden, "Your roles do not let you make this change to %s.", g.Acronym)
	}
	return actor(u), g, nil
}

func (s *Server) groupEditForm(w http.ResponseWriter, r *http.Request) error {
	_, g, err := s.may(r, groups.Powers.MayEdit)
	if err != nil {
		return err
	}
	f := newForm[groupEditData](s, r, "Edit "+g.Acronym)
	f.V = map[string][]string{"name": {g.Name}, "state": {g.State}, "description": {g.Description}, "list_email": {g.ListEmail},
		"list_subscribe": {g.ListSubscribe}, "list_archive": {g.ListArchive}, "comments": {g.Comments}}
	return s.showEdit(w, r, f, g)
}

// groupEditData is what the edit page shows beside the form.
type groupEditData struct {
	Group     groups.Group
	MayManage bool
	States    []string
}

func (s *Server) showEdit(w http.ResponseWriter, r *http.Request, f form[groupEditData], g groups.Group) error {
	_, pw, _ := s.need(r)
	f.Data = groupEditData{g, pw.MayManage(g), []string{"bof", "proposed", "active", "dormant", "conclude", "bof-conc", "abandon", "replaced"}}
	if f.Err != nil {
		w.WriteHeader(status(f.Err.Kind))
	}
	return s.show(w, "group_edit.html", f)
}

func (s *Server) groupEdit(w http.ResponseWriter, r *http.Request) error {
	by, g, err := s.may(r, groups.Powers.MayEdit)
	if err != nil {
		return err
	}
	_, pw, _ := s.need(r)
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
	if pw.MayManage(g) {
		c.Name, c.State = val("name"), val("state")
	} else if val("name") != nil && *val("name") != g.Name || val("state") != nil && *val("state") != g.State {
		return fail.New(fail.Forbidden, "Only the responsible AD or the secretariat may change the name or state of %s.", g.Acronym)
	}
	if err := s.Groups.Update(r.Context(), by, g.Acronym, c, r.PostForm.Get("why")); err != nil {
		if fe, ok := fail.As(err); ok && fe.Kind == fail.Invalid {
			f.Err = fe
			return s.showEdit(w, r, f, g)
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
	u, pw, err := s.need(r)
	if err != nil {
		return err
	}
	f := newForm[[]groups.Group](s, r, "Create a group")
	n := groups.NewGroup{Acronym: r.PostFormValue("acronym"), Name: r.PostFormValue("name"), Type: r.PostFormValue("type"),
		State: r.PostFormValue("state"), Parent: r.PostFormValue("parent"), Description: r.PostFormValue("description"), ListEmail: r.PostFormValue("list_email")}
	var parent groups.Group
	if n.Parent != "" {
		if parent, err = s.Groups.Get(r.Context(), n.Parent); err != nil {
			f.Err = fail.Field("parent", "There is no area %q.", n.Parent)
			return s.showCreate(w, r, f)
		}
	}
	if !pw.MayCreate(n.Type, parent) {
		return fail.New(fail.Forbidden, "Only the secretariat, or an AD for a group in their own area, may create a group.")
	}
	g, err := s.Groups.Create(r.Context(), actor(u), n, r.PostFormValue("why"))
	if err != nil {
		fe, ok := fail.As(err)
		if !ok {
			return err
		}
		f.Err = fe
		return s.showCreate(w, r, f)
	}
	s.flash(r, g.Name+" ("+g.Acronym+") has been created.")
	return redirect(w, r, "/group/"+g.Acronym+"/about/")
}

func (s *Server) charter(w http.ResponseWriter, r *http.Request) error {
	return s.showCharter(w, r, nil)
}

// charterData is what the charter page shows beside the form.
type charterData struct {
	Group     groups.Group
	Revs      []groups.CharterRev
	MayManage bool
}

func (s *Server) showCharter(w http.ResponseWriter, r *http.Request, ferr *fail.Error) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	revs, err := s.Groups.CharterRevs(r.Context(), g.ID)
	if err != nil {
		return err
	}
	f := newForm[charterData](s, r, "Charter of "+g.Acronym)
	f.Err = ferr
	mayManage := false
	if f.User != nil {
		pw, err := s.powers(r.Context(), f.User.ID)
		if err != nil {
			return err
		}
		mayManage = pw.MayManage(g)
	}
	if f.V.Get("text") == "" && len(revs) > 0 {
		f.V.Set("text", revs[0].Text)
	}
	f.Data = charterData{g, revs, mayManage}
	if ferr != nil {
		w.WriteHeader(status(ferr.Kind))
	}
	return s.show(w, "charter.html", f)
}

func (s *Server) charterPost(w http.ResponseWriter, r *http.Request) error {
	by, g, err := s.may(r, groups.Powers.MayManage)
	if err != nil {
		return err
	}
	rev, err := s.Groups.ReviseCharter(r.Context(), by, g.Acronym, r.PostFormValue("text"), r.PostFormValue("why"))
	if fe, ok := fail.As(err); ok && fe.Kind == fail.Invalid {
		return s.showCharter(w, r, fe)
	}
	if err != nil {
		return err
	}
	s.flash(r, "Charter revision "+strconv.Itoa(rev)+" of "+g.Acronym+" is saved.")
	return redirect(w, r, "/group/"+g.Acronym+"/charter/")
}

// charterRevPage is the model of charter_rev.html.
type charterRevPage struct {
	Page
	Group groups.Group
	Rev   groups.CharterRev
}

func (s *Server) charterRev(w http.ResponseWriter, r *http.Request) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	rev, _ := strconv.Atoi(r.PathValue("rev"))
	revs, err := s.Groups.CharterRevs(r.Context(), g.ID)
	if err != nil {
		return err
	}
	for _, c := range revs {
		if c.Rev == rev {
			return s.show(w, "charter_rev.html", charterRevPage{s.page(r, "Charter of "+g.Acronym+", revision "+r.PathValue("rev")), g, c})
		}
	}
	return fail.New(fail.NotFound, "%s has no charter revision %s.", g.Acronym, r.PathValue("rev"))
}

// againAbout shows the about page with a failure from one of its forms.
func (s *Server) againAbout(w http.ResponseWriter, r *http.Request, g groups.Group, err error) error {
	fe, ok := fail.As(err)
	if !ok || fe.Kind == fail.Forbidden || fe.Kind == fail.Internal {
		return err
	}
	m, err := s.groupModel(r.Context(), g.Acronym)
	if err != nil {
		return err
	}
	p, err := s.aboutPage(r, m)
	if err != nil {
		return err
	}
	p.Err = fe
	w.WriteHeader(status(fe.Kind))
	return s.show(w, "group_about.html", p)
}

func (s *Server) milestoneAdd(w http.ResponseWriter, r *http.Request) error {
	by, g, err := s.may(r, groups.Powers.MayMilestones)
	if err != nil {
		return err
	}
	docs := strings.Fields(strings.ReplaceAll(r.PostFormValue("docs"), ",", " "))
	if err := s.Groups.AddMilestone(r.Context(), by, g.Acronym, r.PostFormValue("description"), strings.TrimSpace(r.PostFormValue("due")), docs, r.PostFormValue("why")); err != nil {
		return s.againAbout(w, r, g, err)
	}
	s.flash(r, "The milestone has been added.")
	return redirect(w, r, "/group/"+g.Acronym+"/about/#milestones")
}

func (s *Server) milestoneChange(w http.ResponseWriter, r *http.Request) error {
	by, g, err := s.may(r, groups.Powers.MayMilestones)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var c groups.MilestoneChange
	switch r.PostFormValue("action") {
	case "resolve":
		done := r.PostFormValue("resolved")
		if done == "" {
			done = "Done"
		}
		c.Resolved = &done
	case "reopen":
		empty := ""
		c.Resolved = &empty
	case "delete":
		c.Delete = true
	default:
		return fail.New(fail.Invalid, "Unknown milestone action %q: use resolve, reopen or delete.", r.PostFormValue("action"))
	}
	if err := s.Groups.ChangeMilestone(r.Context(), by, g.Acronym, id, c, r.PostFormValue("why")); err != nil {
		return s.againAbout(w, r, g, err)
	}
	s.flash(r, "The milestone has been updated.")
	return redirect(w, r, "/group/"+g.Acronym+"/about/#milestones")
}

func (s *Server) roleGrant(w http.ResponseWriter, r *http.Request) error {
	u, pw, err := s.need(r)
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
	if !pw.MayGrant(g, role) {
		return fail.New(fail.Forbidden, "Your roles do not let you appoint a %s of %s.", groups.RoleName(role), g.Acronym)
	}
	p, err := s.People.ByEmail(r.Context(), r.PostFormValue("email"))
	if err != nil {
		if fe, ok := fail.As(err); ok && fe.Kind == fail.NotFound {
			err = fail.Field("email", "No account has the address %s: the person must create an account first.", r.PostFormValue("email"))
		}
		return s.againAbout(w, r, g, err)
	}
	if err := s.Groups.Grant(r.Context(), actor(u), g.Acronym, role, p.ID, p.Email, r.PostFormValue("why")); err != nil {
		return s.againAbout(w, r, g, err)
	}
	s.flash(r, p.Name+" is now "+groups.RoleName(role)+" of "+g.Acronym+".")
	return redirect(w, r, "/group/"+g.Acronym+"/about/")
}

func (s *Server) roleRevoke(w http.ResponseWriter, r *http.Request) error {
	u, pw, err := s.need(r)
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
	g, err := s.Groups.Get(r.Context(), rs[0].Acronym)
	if err != nil {
		return err
	}
	if !pw.MayRevoke(g, rs[0].Name) {
		return fail.New(fail.Forbidden, "Your roles do not let you remove a %s of %s.", groups.RoleName(rs[0].Name), g.Acronym)
	}
	if err := s.Groups.Revoke(r.Context(), actor(u), id, r.PostFormValue("why")); err != nil {
		return err
	}
	s.flash(r, rs[0].PersonName+" is no longer "+groups.RoleName(rs[0].Name)+" of "+g.Acronym+".")
	return redirect(w, r, "/group/"+g.Acronym+"/about/")
}

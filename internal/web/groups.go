package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"hum/internal/charters"
	"hum/internal/consensus"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
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
	CharterDoc charters.Charter // a WG's or RG's charter document
	HasDoc     bool
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
	if g.Type == "wg" || g.Type == "rg" {
		if m.CharterDoc, err = s.Charters.ForGroup(ctx, g); err != nil {
			return nil, err
		}
		m.HasDoc = true
	}
	if m.History, err = s.groupEvents(ctx, g, 25); err != nil {
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
	MayConclude                                 bool // R14: the responsible AD, or the secretariat
	RoleChoices                                 []string
	Err                                         *fail.Error
	MissingMinutes                              []meetings.MinutesDue // R23
	PendingDecisions                            []consensus.Decision  // R31
	MayDecide                                   bool
	Track                                       *trackButton // the viewer's Track button, when logged in
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
	var err error
	if p.MissingMinutes, err = s.Meetings.MissingMinutes(r.Context(), m.Group.Acronym); err != nil {
		return p, err
	}
	if p.PendingDecisions, _, err = s.Consensus.Decisions(r.Context(), consensus.DecisionFilter{Group: m.Group.Acronym, State: "pending"}); err != nil {
		return p, err
	}
	if p.User == nil {
		return p, nil
	}
	if p.Track, err = s.track(r.Context(), p.User, "group", m.Group.Acronym, "/group/"+m.Group.Acronym+"/about/"); err != nil {
		return p, err
	}
	pw, err := s.powers(r.Context(), p.User)
	if err != nil {
		return p, err
	}
	g := m.Group
	p.MayEdit, p.MayManage, p.MayMilestones = pw.MayEdit(g), pw.MayManage(g), pw.MayMilestones(g)
	p.MayDecide = consensus.MayDecide(pw, g.ID)
	p.MayConclude = charters.MayConclude(pw, g) && groups.Chartered(g.Type) && (g.State == "active" || g.State == "proposed")
	for _, role := range []string{"chair", "ad", "secr", "delegate", "techadv", "editor", "member", "liaison", "exofficio", "advisor"} {
		if pw.MayGrant(g, role) {
			p.RoleChoices = append(p.RoleChoices, role)
		}
	}
	p.MayGrant = len(p.RoleChoices) > 0
	return p, nil
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
	evs, err := s.groupEvents(r.Context(), g, 1000)
	if err != nil {
		return err
	}
	return s.show(w, "group_history.html", groupHistoryPage{s.page(r, "History of "+g.Acronym), g, evs})
}

// groupEvents are the newest events of a group's record and of its
// charter document's, newest first: a group's history shows its
// chartering, as the Datatracker's does.
func (s *Server) groupEvents(ctx context.Context, g groups.Group, limit int) ([]record.Event, error) {
	evs, err := record.List(ctx, s.DB, "group", g.Acronym, limit)
	if err != nil || (g.Type != "wg" && g.Type != "rg") {
		return evs, err
	}
	doc, err := record.List(ctx, s.DB, "doc", groups.CharterName(g), limit)
	if err != nil {
		return nil, err
	}
	evs = append(evs, doc...)
	slices.SortFunc(evs, func(a, b record.Event) int { return cmp.Compare(b.ID, a.ID) })
	return evs[:min(len(evs), limit)], nil
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

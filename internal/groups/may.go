package groups

import (
	"context"
	"slices"
	"sort"

	"hum/internal/record"
)

// Actor is a person acting: who they are, as the open record names them,
// and what their roles let them do. groups computes it (ActorOf) and every
// capability call that needs authority takes one, so "who may" is said
// once, here. Everyone may read everything; these decide who may change
// what:
//   - the secretariat may change anything;
//   - an AD may change their area and the groups in it, charters included,
//     and appoint their chairs (R44);
//   - chairs, secretaries and delegates may change their group's
//     description, list details and milestones, and appoint secretaries,
//     delegates and editors (and members, except of the IESG and the
//     IAB, whose members the NomCom process seats).
//
// The zero Actor is nobody: it holds no role and may change nothing.
type Actor struct {
	record.Actor        // ID (0 for someone without an account) and Name
	Roles        []Role // in groups that are not concluded

	operator bool // see Operator
}

// Operator is whoever runs hum itself (the CLI's user, the demo loader,
// an import), acting with the secretariat's authority.
func Operator(who record.Actor) Actor { return Actor{Actor: who, operator: true} }

// ActorOf loads what who may do: their roles in groups that are not
// concluded.
func (s *Service) ActorOf(ctx context.Context, who record.Actor) (Actor, error) {
	if who.ID == 0 {
		return Actor{Actor: who}, nil
	}
	rs, _, err := s.Roles(ctx, RoleFilter{PersonID: who.ID, Active: true})
	return Actor{Actor: who, Roles: rs}, err
}

func (p Actor) holds(groupID int64, names ...string) bool {
	for _, r := range p.Roles {
		if r.GroupID != groupID {
			continue
		}
		for _, n := range names {
			if r.Name == n {
				return true
			}
		}
	}
	return false
}

// Secretariat reports whether the person works for the secretariat.
func (p Actor) Secretariat() bool {
	if p.operator {
		return true
	}
	for _, r := range p.Roles {
		if r.Acronym == "secretariat" {
			return true
		}
	}
	return false
}

// AD reports whether the person is an AD responsible for g: an AD of g
// itself when it is an area, or of its parent area.
func (p Actor) AD(g Group) bool {
	return (g.Type == "area" && p.holds(g.ID, "ad")) || (g.ParentID != 0 && p.holds(g.ParentID, "ad"))
}

// IESG reports whether the person sits on the IESG (an AD of any area;
// the IETF Chair is the General Area's AD, R42).
func (p Actor) IESG() bool {
	for _, r := range p.Roles {
		if r.Name == "ad" && r.GroupType == "area" {
			return true
		}
	}
	return false
}

// IAB reports whether the person is a member or the chair of the IAB
// (the IETF Chair is a full member, R43).
func (p Actor) IAB() bool { return p.Member("iab") }

// IETFChair reports whether the person chairs the IETF.
func (p Actor) IETFChair() bool { return p.holdsIn("ietf", "chair") }

// Member reports whether the person holds a role of member or chair in
// the body with that acronym (iab, iesg, ...).
func (p Actor) Member(acronym string) bool { return p.holdsIn(acronym, "member", "chair") }

func (p Actor) holdsIn(acronym string, names ...string) bool {
	for _, r := range p.Roles {
		if r.Acronym == acronym && slices.Contains(names, r.Name) {
			return true
		}
	}
	return false
}

// Leads reports whether the person chairs, delegates for or is secretary of g.
func (p Actor) Leads(g Group) bool { return p.LeadsGroup(g.ID) }

// LeadsGroup is Leads for the group with id groupID (0 is no group).
func (p Actor) LeadsGroup(groupID int64) bool {
	return groupID != 0 && p.holds(groupID, "chair", "delegate", "secr")
}

// MayEdit: the description, list details and comments of g.
func (p Actor) MayEdit(g Group) bool { return p.Secretariat() || p.AD(g) || p.Leads(g) }

// MayManage: the name and state of g, and its charter.
func (p Actor) MayManage(g Group) bool { return p.Secretariat() || p.AD(g) }

// MayMilestones: add, change and resolve g's milestones.
func (p Actor) MayMilestones(g Group) bool { return p.MayEdit(g) }

// MayGrant reports whether the person may give role in g to someone.
func (p Actor) MayGrant(g Group, role string) bool {
	switch {
	case p.Secretariat():
		return true
	case role == "ad" || role == "pre-ad":
		return false // ADs are seated by the NomCom process; the secretariat records it
	case p.AD(g) && g.Type != "area":
		return true
	case role == "member" && (g.Type == "iesg" || g.Type == "iab"):
		return false // seated by the NomCom process (R42, R43), not by the body's chair
	case p.Leads(g):
		return role == "secr" || role == "delegate" || role == "editor" || role == "member" || role == "techadv"
	}
	return false
}

// MayRevoke mirrors MayGrant for taking a role away.
func (p Actor) MayRevoke(g Group, role string) bool { return p.MayGrant(g, role) }

// MayCreate reports whether the person may create a group of type typ
// under parent: the secretariat anything, an AD a WG or BOF in their area.
func (p Actor) MayCreate(typ string, parent Group) bool {
	if p.Secretariat() {
		return true
	}
	return (typ == "wg" || typ == "ag" || typ == "team") && parent.Type == "area" && p.holds(parent.ID, "ad")
}

// Any reports whether the person holds any role that lets them change
// something, so pages know whether to show edit controls at all.
func (p Actor) Any() bool { return len(p.Roles) > 0 }

// ADsOf returns the ADs responsible for g.
func (s *Service) ADsOf(ctx context.Context, g Group) ([]Role, error) {
	area := g.ParentID
	if g.Type == "area" {
		area = g.ID
	}
	if area == 0 {
		return nil, nil
	}
	rs, _, err := s.Roles(ctx, RoleFilter{GroupID: area, Name: "ad"})
	return rs, err
}

// IESGMembers returns who sits on the IESG (R42): the ADs of the active
// areas, the General AD (the IETF Chair) among them, sorted by area.
func (s *Service) IESGMembers(ctx context.Context) ([]Role, error) {
	rs, _, err := s.Roles(ctx, RoleFilter{Name: "ad", Active: true})
	var out []Role
	for _, r := range rs {
		if r.GroupType == "area" && r.GroupState == "active" {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Acronym < out[j].Acronym })
	return out, err
}

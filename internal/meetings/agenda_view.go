package meetings

import (
	"context"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
)

// Agenda is a meeting's official schedule as its readers see it: the
// sessions placed, and the timeslots without a session that an agenda
// still shows (registration, breaks, plenaries, socials).
type Agenda struct {
	Meeting Meeting
	Items   []Item     // placed sessions, by start, room and group
	Other   []Timeslot // slots holding no session that are not session slots
	Areas   []AgendaArea
	// GroupStates are the states of the groups that meet ("bof", ...).
	GroupStates map[string]string
	// Modified is the latest change to the meeting or its sessions, for
	// Last-Modified headers and feeds.
	Modified time.Time
	// start and end are Span's, made once by Agenda: the agenda page's
	// variant asks for them on every request.
	start, end time.Time
}

// AgendaArea is an area (a group's parent) and its groups that meet, for
// the agenda's filters.
type AgendaArea struct {
	ID      int64
	Acronym string
	Name    string
	Groups  []AgendaGroup
}

// AgendaGroup is a group that meets.
type AgendaGroup struct {
	Acronym, Name string
}

// Agenda returns meeting number's agenda from its official schedule.
func (s *Service) Agenda(ctx context.Context, number string) (*Agenda, error) {
	m, err := s.Get(ctx, number)
	if err != nil {
		return nil, err
	}
	a := &Agenda{Meeting: m, Modified: m.Updated}
	if m.ScheduleID != 0 {
		if a.Items, err = s.Placed(ctx, m.ScheduleID); err != nil {
			return nil, err
		}
	}
	a.Other, err = db.Query(ctx, s.DB, scanSlot, `SELECT `+slotCols+slotFrom+`WHERE t.meeting_id = $1 AND t.type <> 'regular'
		AND NOT EXISTS (SELECT 1 FROM assignment x WHERE x.timeslot_id = t.id AND x.schedule_id = $2)
		ORDER BY t.start, r.name, t.id`, m.ID, m.ScheduleID)
	if err != nil {
		return nil, err
	}
	type named struct {
		group, state, area, areaName string
		areaID                       int64
	}
	rows, err := db.Query(ctx, s.DB, func(row db.Scanner) (n named, err error) {
		err = row.Scan(&n.group, &n.state, &n.areaID, &n.area, &n.areaName)
		return n, err
	}, `SELECT DISTINCT g.acronym, g.state, COALESCE(a.id, 0), COALESCE(a.acronym, ''), COALESCE(a.name, '') FROM session s JOIN group_ref g ON g.id = s.group_id
		LEFT JOIN group_ref a ON a.id = g.parent_id WHERE s.meeting_id = $1`, m.ID)
	if err != nil {
		return nil, err
	}
	areaNames := map[string]string{}
	areaIDs := map[string]int64{}
	a.GroupStates = map[string]string{}
	for _, n := range rows {
		areaNames[n.area], areaIDs[n.area] = n.areaName, n.areaID
		a.GroupStates[n.group] = n.state
	}
	byArea := map[string]map[string]string{}
	for _, it := range a.Items {
		if it.Session.Modified.After(a.Modified) {
			a.Modified = it.Session.Modified
		}
		if byArea[it.Session.Area] == nil {
			byArea[it.Session.Area] = map[string]string{}
		}
		byArea[it.Session.Area][it.Session.Group] = it.Session.GroupName
	}
	for area, gs := range byArea {
		aa := AgendaArea{ID: areaIDs[area], Acronym: area, Name: areaNames[area]}
		for acr, name := range gs {
			aa.Groups = append(aa.Groups, AgendaGroup{acr, name})
		}
		slices.SortFunc(aa.Groups, func(x, y AgendaGroup) int { return strings.Compare(x.Acronym, y.Acronym) })
		a.Areas = append(a.Areas, aa)
	}
	slices.SortFunc(a.Areas, func(x, y AgendaArea) int { return strings.Compare(x.Acronym, y.Acronym) })
	a.start, a.end = a.span()
	return a, nil
}

// AgendaFilter picks sessions out of an agenda, as the Datatracker's
// agenda parameters do: Show and Hide name groups or areas (a group's
// parent); Keyword matches a group's acronym and name and the session's
// name, agenda note and comments.
type AgendaFilter struct {
	Show, Hide []string
	Keyword    string
}

// ParseList reads "acr1,acr2" (and repeated parameters) into acronyms.
func ParseList(vs ...string) []string {
	var out []string
	for _, v := range vs {
		for _, p := range strings.Split(v, ",") {
			if p = strings.ToLower(strings.TrimSpace(p)); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// Empty reports whether the filter keeps everything.
func (f AgendaFilter) Empty() bool {
	return len(f.Show) == 0 && len(f.Hide) == 0 && strings.TrimSpace(f.Keyword) == ""
}

// Keep reports whether a session passes the filter.
func (f AgendaFilter) Keep(s Session) bool {
	in := func(list []string) bool {
		return slices.Contains(list, s.Group) || s.Area != "" && slices.Contains(list, s.Area)
	}
	if len(f.Show) > 0 && !in(f.Show) || in(f.Hide) {
		return false
	}
	k := strings.ToLower(strings.TrimSpace(f.Keyword))
	if k == "" {
		return true
	}
	for _, text := range []string{s.Group, s.GroupName, s.Name, s.AgendaNote, s.Comments} {
		if strings.Contains(strings.ToLower(text), k) {
			return true
		}
	}
	return false
}

// Filtered returns the agenda's items that pass f.
func (a *Agenda) Filtered(f AgendaFilter) []Item {
	if f.Empty() {
		return a.Items
	}
	var out []Item
	for _, it := range a.Items {
		if f.Keep(it.Session) {
			out = append(out, it)
		}
	}
	return out
}

// Span is when the agenda's first slot starts and its last one ends; the
// meeting's days when it has none.
func (a *Agenda) Span() (start, end time.Time) {
	if !a.start.IsZero() {
		return a.start, a.end
	}
	return a.span()
}

func (a *Agenda) span() (start, end time.Time) {
	start, end = a.Meeting.Date, a.Meeting.End()
	first := true
	consider := func(t Timeslot) {
		if first || t.Start.Before(start) {
			start = t.Start
		}
		if first || t.End().After(end) {
			end = t.End()
		}
		first = false
	}
	for _, it := range a.Items {
		consider(it.Slot)
	}
	for _, t := range a.Other {
		consider(t)
	}
	return start, end
}

// LastDay is the meeting's last day, midnight in its zone.
func (m Meeting) LastDay() time.Time { return m.Day(m.Days - 1) }

package web

import (
	"net/http"
	"time"

	"hum/internal/groups"
	"hum/internal/meetings"
)

// attendSummaryPage is a meeting's attendance: a row per group, with
// onsite and remote counts per session.
type attendSummaryPage struct {
	Page
	Meeting meetings.Meeting
	Rows    []meetings.GroupCounts
	Onsite  int
	Remote  int
}

// Local shows a session's start in the meeting's zone.
func (p attendSummaryPage) Local(t time.Time) string {
	if t.IsZero() {
		return "not on the agenda"
	}
	return t.In(p.Meeting.Location).Format("Mon 15:04")
}

func (s *Server) attendSummary(w http.ResponseWriter, r *http.Request) error {
	m, rows, err := s.Meetings.AttendanceSummary(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	p := attendSummaryPage{Page: s.page(r, "Attendance at "+m.Title()), Meeting: m, Rows: rows}
	for _, g := range rows {
		p.Onsite += g.Onsite
		p.Remote += g.Remote
	}
	return s.show(w, "attend_summary.html", p)
}

func writeSVG(w http.ResponseWriter, svg []byte) error {
	w.Header().Set("Content-Type", "image/svg+xml")
	_, err := w.Write(svg)
	return err
}

func (s *Server) attendSummarySVG(w http.ResponseWriter, r *http.Request) error {
	m, rows, err := s.Meetings.AttendanceSummary(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	var bars []chartBar
	for _, g := range rows {
		for i, c := range g.Sessions {
			label := g.Group
			if len(g.Sessions) > 1 {
				label += " " + string(rune('1'+i))
			}
			if !c.Start.IsZero() {
				label += " (" + c.Start.In(m.Location).Format("Mon 15:04") + ")"
			}
			bars = append(bars, chartBar{label, c.Onsite, c.Remote, c.Total - c.Onsite - c.Remote})
		}
	}
	return writeSVG(w, barChart("Attendance per session at "+m.Title(), bars))
}

// attendGroupPage is a group's attendance across meetings.
type attendGroupPage struct {
	Page
	Group groups.Group
	Rows  []meetings.GroupCounts
}

func (s *Server) attendGroup(w http.ResponseWriter, r *http.Request) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	rows, err := s.Meetings.GroupAttendance(r.Context(), g.Acronym)
	if err != nil {
		return err
	}
	return s.show(w, "attend_group.html", attendGroupPage{s.page(r, g.Acronym+": attendance at meetings"), g, rows})
}

func (s *Server) attendGroupSVG(w http.ResponseWriter, r *http.Request) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	rows, err := s.Meetings.GroupAttendance(r.Context(), g.Acronym)
	if err != nil {
		return err
	}
	var bars []chartBar
	for _, m := range rows {
		label := m.Meeting
		if meetings.IsIETFNumber(m.Meeting) {
			label = "IETF " + m.Meeting
		}
		bars = append(bars, chartBar{label, m.Onsite, m.Remote, m.Total - m.Onsite - m.Remote})
	}
	return writeSVG(w, barChart(g.Acronym+": attendance over its meetings (lines on the blue sheets)", bars))
}

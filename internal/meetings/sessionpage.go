package meetings

import (
	"context"
	"html/template"
	"time"

	"hum/internal/db"
	"hum/internal/groups"
)

// DocRef is a document a session's agenda names, as hum holds it.
type DocRef struct {
	Name, Title, Rev string
}

// GroupSessions is everything about a group's sessions at a meeting:
// what the session page shows.
type GroupSessions struct {
	Meeting   Meeting
	Group     groups.Group
	Sessions  []Session // not withdrawn
	Placed    []Item    // the official schedule's slots, by time
	Materials []Material
	Agenda    *Material
	AgendaSrc []byte // the agenda's text, for editing (Markdown or text)
	AgendaHTML,
	MinutesHTML template.HTML
	Minutes   *Material
	Drafts    []DocRef // Internet-Drafts the agenda names that hum holds
	Proposals []Proposal
	Reports   []Report
	Ended     time.Time // the end of the last placed session; zero if none
	// MinutesDue is when minutes are due: ten days after an interim
	// (R28), the R29 cut-off after an IETF meeting.
	MinutesDue     time.Time
	MinutesOverdue bool
}

// Sessions of a group at a meeting, for its session page.
func (s *Service) GroupSessions(ctx context.Context, number, acronym string) (gs GroupSessions, err error) {
	if gs.Meeting, err = s.Get(ctx, number); err != nil {
		return gs, err
	}
	if gs.Group, err = s.Groups.Get(ctx, acronym); err != nil {
		return gs, err
	}
	all, _, err := s.Sessions(ctx, SessionFilter{MeetingID: gs.Meeting.ID, Group: gs.Group.Acronym})
	if err != nil {
		return gs, err
	}
	for _, ss := range all {
		if ss.Status != StatusDeleted {
			gs.Sessions = append(gs.Sessions, ss)
		}
	}
	placed, err := s.PlacedFor(ctx, gs.Meeting.ScheduleID, gs.Group.ID)
	if err != nil {
		return gs, err
	}
	gs.Placed = placed
	for _, it := range placed {
		if e := it.Slot.End(); e.After(gs.Ended) {
			gs.Ended = e
		}
	}
	if gs.Meeting.Type == IETF {
		gs.MinutesDue = gs.Meeting.MaterialsCutoff()
	} else if !gs.Ended.IsZero() {
		gs.MinutesDue = gs.Ended.AddDate(0, 0, interimMinutesDueDays)
	}
	gs.MinutesOverdue = !gs.Ended.IsZero() && !gs.MinutesDue.IsZero() && overdue(gs.Meeting.Type, gs.MinutesDue, s.DB.Now())
	if gs.Materials, err = s.Materials(ctx, gs.Meeting.ID, gs.Group.ID); err != nil {
		return gs, err
	}
	for i := range gs.Materials {
		x := &gs.Materials[i]
		switch x.Type {
		case KindAgenda:
			gs.Agenda = x
			_, b, err := s.Content(ctx, x.Name, "")
			if err != nil {
				return gs, err
			}
			gs.AgendaHTML = Render(x.Format, b)
			if x.Format == FormatMarkdown || x.Format == FormatText {
				gs.AgendaSrc = b
			}
			if x.Format != FormatPDF {
				if gs.Drafts, err = s.knownDocs(ctx, DraftNames(b)); err != nil {
					return gs, err
				}
			}
		case KindMinutes:
			gs.Minutes = x
			_, b, err := s.Content(ctx, x.Name, "")
			if err != nil {
				return gs, err
			}
			gs.MinutesHTML = Render(x.Format, b)
		}
	}
	if gs.Proposals, err = s.Proposals(ctx, gs.Meeting.ID, gs.Group.ID); err != nil {
		return gs, err
	}
	gs.Reports, err = s.Reports(ctx, gs.Meeting.ID, gs.Group.ID)
	return gs, err
}

// knownDocs resolves draft names against the documents hum holds, in the
// order given; names it does not hold are left out.
func (s *Service) knownDocs(ctx context.Context, names []string) ([]DocRef, error) {
	if len(names) == 0 {
		return nil, nil
	}
	var w db.Where
	w.Raw("name IN " + w.In(names))
	found, err := db.Query(ctx, s.DB, func(row db.Scanner) (d DocRef, err error) {
		err = row.Scan(&d.Name, &d.Title, &d.Rev)
		return d, err
	}, `SELECT name, title, rev FROM doc_ref`+w.SQL(), w.Args...)
	if err != nil {
		return nil, err
	}
	by := map[string]DocRef{}
	for _, d := range found {
		by[d.Name] = d
	}
	var out []DocRef
	for _, n := range names {
		if d, ok := by[n]; ok {
			out = append(out, d)
		}
	}
	return out, nil
}

package meetings

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// The materials windows of an IETF meeting (R29), in days after its first
// day, as the Datatracker's MEETING_MATERIALS_DEFAULT_SUBMISSION_*_DAYS.
const (
	MaterialsCutoffDays    = 26
	CorrectionsCutoffDays  = 50
	interimMinutesDueDays  = 10 // R28
	minutesReminderAfter   = 7 * 24 * time.Hour
	minutesReminderHorizon = 30 * 24 * time.Hour
)

// MaterialsCutoff is the last day on which new materials of an IETF
// meeting are taken (R29), in the meeting's zone.
func (m Meeting) MaterialsCutoff() time.Time { return m.Date.AddDate(0, 0, MaterialsCutoffDays) }

// CorrectionsCutoff is the last day on which its materials may be
// corrected (R29).
func (m Meeting) CorrectionsCutoff() time.Time { return m.Date.AddDate(0, 0, CorrectionsCutoffDays) }

// checkWindow refuses a change to a meeting's materials outside its
// windows: after the proceedings are final, or past the R29 cut-offs of
// an IETF meeting (isNew: a material that did not exist). The
// secretariat may always.
func checkWindow(m Meeting, by groups.Actor, now time.Time, isNew bool) error {
	if by.Secretariat() {
		return nil
	}
	if m.ProceedingsFinal {
		return fail.New(fail.Forbidden, "The proceedings of %s are final; only the secretariat may change its materials now.", m.Title())
	}
	if m.Type != IETF {
		return nil
	}
	now = now.In(m.Location)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	if !now.Before(m.CorrectionsCutoff().AddDate(0, 0, 1)) {
		return fail.Rule("R29", fail.Forbidden, "R29: %s's materials could be corrected until %s (%d days after it began on %s); after that only the secretariat may change them.",
			m.Title(), day(m.CorrectionsCutoff()), CorrectionsCutoffDays, day(m.Date))
	}
	if isNew && !now.Before(m.MaterialsCutoff().AddDate(0, 0, 1)) {
		return fail.Rule("R29", fail.Forbidden, "R29: new materials for %s were taken until %s (%d days after it began on %s); until %s only corrections of materials already there are taken, and after that only the secretariat may change them.",
			m.Title(), day(m.MaterialsCutoff()), MaterialsCutoffDays, day(m.Date), day(m.CorrectionsCutoff()))
	}
	return nil
}

// Finalize marks a meeting's proceedings final, which closes its
// materials (and blue sheets) to all but the secretariat. Only the
// secretariat may.
func (s *Service) Finalize(ctx context.Context, by groups.Actor, number, why string) (err error) {
	defer fail.Wrap(&err, "meetings.Finalize(%q)", number)
	if !by.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat may finalize the proceedings.")
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		m, err := get(ctx, tx, number)
		if err != nil {
			return err
		}
		if m.ProceedingsFinal {
			return fail.New(fail.Conflict, "The proceedings of %s are already final.", m.Title())
		}
		if m.Date.After(tx.Now) {
			return fail.New(fail.Invalid, "%s has not begun; its proceedings can be finalized after it.", m.Title())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE meeting SET proceedings_final = TRUE, updated = $1 WHERE id = $2`, tx.Now, m.ID); err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "meeting", m.Number, "proceedings_final", "Finalized the proceedings of "+m.Title(), why)
	})
}

// GroupMaterials is one group's part of a meeting's proceedings.
type GroupMaterials struct {
	Group     string
	GroupName string
	Area      string
	Sessions  []Item     // placed on the official schedule, by time
	Materials []Material // by kind
	Minutes   bool
	// Attendance is each held session's blue-sheet counts, by time.
	Attendance []SessionCount
}

// Proceedings gathers a meeting's sessions and materials by area and
// group: every group with a session that is not withdrawn.
func (s *Service) Proceedings(ctx context.Context, m Meeting) ([]GroupMaterials, error) {
	sess, _, err := s.Sessions(ctx, SessionFilter{MeetingID: m.ID})
	if err != nil {
		return nil, err
	}
	placed, err := s.Placed(ctx, m.ScheduleID)
	if err != nil {
		return nil, err
	}
	xs, err := s.Materials(ctx, m.ID, 0)
	if err != nil {
		return nil, err
	}
	counts, err := s.sessionCounts(ctx, "s.meeting_id = $1", m.ID)
	if err != nil {
		return nil, err
	}
	by := map[string]*GroupMaterials{}
	var out []*GroupMaterials
	for _, ss := range sess {
		if ss.Status == StatusDeleted || ss.Status == StatusNotMeeting || by[ss.Group] != nil {
			continue
		}
		gm := &GroupMaterials{Group: ss.Group, GroupName: ss.GroupName, Area: ss.Area}
		by[ss.Group] = gm
		out = append(out, gm)
	}
	for _, it := range placed {
		if gm := by[it.Session.Group]; gm != nil {
			gm.Sessions = append(gm.Sessions, it)
		}
	}
	for _, x := range xs {
		if gm := by[x.Group]; gm != nil {
			gm.Materials = append(gm.Materials, x)
			gm.Minutes = gm.Minutes || x.Type == KindMinutes
		}
	}
	for _, c := range counts {
		if gm := by[c.Group]; gm != nil {
			gm.Attendance = append(gm.Attendance, c)
		}
	}
	res := make([]GroupMaterials, 0, len(out))
	for _, gm := range out {
		res = append(res, *gm)
	}
	sortByArea(res)
	return res, nil
}

func sortByArea(gs []GroupMaterials) {
	slices.SortStableFunc(gs, func(a, b GroupMaterials) int {
		return cmp.Or(strings.Compare(a.Area, b.Area), strings.Compare(a.Group, b.Group))
	})
}

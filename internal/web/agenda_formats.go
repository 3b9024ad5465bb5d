package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"hum/internal/groups"
	"hum/internal/meetings"
)

// The agenda in the Datatracker's other formats: ICS for calendars, JSON
// for programs, text and CSV. Each takes the HTML page's show and hide
// parameters.

// domain is the host of the base URL, for UIDs that stay the same as
// long as the site does.
func (s *Server) domain() string {
	if u, err := url.Parse(s.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// sessionUIDs gives each placement of a session its UID: the session's
// for its first slot, with -2, -3 for later ones, so a calendar updates a
// moved session instead of adding it again.
func sessionUIDs(items []meetings.Item, number, domain string) []string {
	seen := map[int64]int{}
	uids := make([]string, len(items))
	for i, it := range items {
		seen[it.Session.ID]++
		uid := fmt.Sprintf("ietf-%s-%s-%d", number, it.Session.Group, it.Session.ID)
		if k := seen[it.Session.ID]; k > 1 {
			uid += fmt.Sprintf("-%d", k)
		}
		uids[i] = uid + "@" + domain
	}
	return uids
}

func (s *Server) agendaICS(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agendaModel(r.Context(), r.PathValue("num"))
	if err != nil {
		return err
	}
	m := a.Meeting
	items := a.Filtered(readAgendaRequest(r, m).Filter)
	cal := ics.NewCalendarFor("hum")
	cal.SetProductId("-//hum//" + m.Title() + " agenda//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(m.Title() + " agenda")
	cal.SetXWRTimezone(m.TimeZone)
	start, end := a.Span()
	addVTimezone(cal, m.Location, start.AddDate(-1, 0, 0), end.AddDate(1, 0, 0))
	tzid := ics.WithTZID(m.TimeZone)
	uids := sessionUIDs(items, m.Number, s.domain())
	for i, it := range items {
		ss := it.Session
		e := cal.AddEvent(uids[i])
		e.SetDtStampTime(a.Modified)
		e.SetModifiedAt(ss.Modified)
		e.SetProperty(ics.ComponentPropertyDtStart, it.Slot.Start.In(m.Location).Format(icsLocal), tzid)
		e.SetProperty(ics.ComponentPropertyDtEnd, it.Slot.End().In(m.Location).Format(icsLocal), tzid)
		e.SetSummary(ss.Group + " - " + ss.Title())
		if it.Slot.Room != "" {
			e.SetLocation(it.Slot.Room)
		}
		status := ics.ObjectStatusConfirmed
		if ss.Status == meetings.StatusCanceled {
			status = ics.ObjectStatusCancelled
		}
		e.SetStatus(status)
		e.SetClass(ics.ClassificationPublic)
		page := s.BaseURL + "/meeting/" + m.Number + "/session/" + ss.Group + "/"
		e.SetURL(page)
		desc := []string{ss.GroupName + sessionKind(ss, a.GroupStates[ss.Group])}
		if ss.Area != "" {
			desc[0] += " (" + strings.ToUpper(ss.Area) + ")"
		}
		if ss.AgendaNote != "" {
			desc = append(desc, "Note: "+ss.AgendaNote)
		}
		desc = append(desc, "Session: "+page, "Documents: "+s.BaseURL+"/group/"+ss.Group+"/documents/")
		e.SetDescription(strings.Join(desc, "\n"))
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="ietf-`+m.Number+`-agenda.ics"`)
	return cal.SerializeTo(w)
}

const icsLocal = "20060102T150405"

// sessionKind names what a group is, as the Datatracker's agenda does
// after its name: "WG", "RG", "BOF".
func sessionKind(ss meetings.Session, state string) string {
	if state == "bof" {
		return " BOF"
	}
	switch ss.GroupType {
	case "wg", "rg", "ag":
		return " " + groups.TypeName(ss.GroupType)
	}
	return ""
}

// addVTimezone describes loc's offsets between from and to as RFC 5545
// observances: one per transition in that window (found by bisecting
// the offsets the time package knows), or one standard observance for a
// zone without any. Explicit onsets need no RRULE, which the time
// package could not give.
func addVTimezone(cal *ics.Calendar, loc *time.Location, from, to time.Time) {
	tz := cal.AddTimezone(loc.String())
	type onset struct {
		at         time.Time
		fromOffset int
	}
	var onsets []onset
	_, prev := from.In(loc).Zone()
	first := prev
	for day := from; day.Before(to); day = day.Add(24 * time.Hour) {
		next := day.Add(24 * time.Hour)
		if _, off := next.In(loc).Zone(); off != prev {
			lo, hi := day, next // the change is in (lo, hi]
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.In(loc).Zone(); o == prev {
					lo = mid
				} else {
					hi = mid
				}
			}
			onsets = append(onsets, onset{hi.Truncate(time.Second), prev})
			prev = off
		}
	}
	if len(onsets) == 0 {
		name, off := from.In(loc).Zone()
		observance(tz, false, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), first, off, name)
		return
	}
	for _, o := range onsets {
		t := o.at.In(loc)
		name, off := t.Zone()
		// DTSTART is the onset in the local time in force before it.
		observance(tz, t.IsDST(), o.at.Add(time.Duration(o.fromOffset)*time.Second).UTC(), o.fromOffset, off, name)
	}
}

func observance(tz *ics.VTimezone, daylight bool, localStart time.Time, from, to int, name string) {
	c := &ics.ComponentBase{}
	c.SetProperty(ics.ComponentPropertyDtStart, localStart.Format(icsLocal))
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), icsOffset(from))
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), icsOffset(to))
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	if daylight {
		tz.Components = append(tz.Components, &ics.Daylight{ComponentBase: *c})
	} else {
		tz.Components = append(tz.Components, &ics.Standard{ComponentBase: *c})
	}
}

func icsOffset(secs int) string {
	sign := "+"
	if secs < 0 {
		sign, secs = "-", -secs
	}
	return fmt.Sprintf("%s%02d%02d", sign, secs/3600, secs%3600/60)
}

// agendaJSON is the Datatracker's agenda data: {"83": [objects]}, each a
// session, a location or a parent (area), newest change first.
func (s *Server) agendaJSON(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agendaModel(r.Context(), r.PathValue("num"))
	if err != nil {
		return err
	}
	m := a.Meeting
	items := a.Filtered(readAgendaRequest(r, m).Filter)
	var objs []map[string]any
	rooms := map[int64]string{}
	parents := map[string]bool{}
	for _, it := range items {
		ss := it.Session
		group := map[string]any{"acronym": ss.Group, "name": ss.GroupName, "type": ss.GroupType, "state": a.GroupStates[ss.Group]}
		if ss.Area != "" {
			group["parent"] = ss.Area
			parents[ss.Area] = true
		}
		o := map[string]any{"objtype": "session", "id": it.AssignmentID, "is_bof": a.GroupStates[ss.Group] == "bof", "group": group,
			"name": ss.Title(), "start": it.Slot.Start.UTC().Format(time.RFC3339), "duration": pyDuration(it.Slot.Duration),
			"location": it.Slot.Room, "session_res_uri": fmt.Sprintf("/api/v1/meeting/session/%d/", ss.ID), "session_id": ss.ID,
			"modified": ss.Modified.UTC().Format(time.RFC3339), "status": ss.Status}
		if ss.AgendaNote != "" {
			o["agenda_note"] = ss.AgendaNote
		}
		if ss.RemoteInstructions != "" {
			o["remote_instructions"] = ss.RemoteInstructions
		}
		objs = append(objs, o)
		if it.Slot.RoomID != 0 {
			rooms[it.Slot.RoomID] = it.Slot.Room
		}
	}
	updated := m.Updated.UTC().Format(time.RFC3339)
	roomIDs := make([]int64, 0, len(rooms))
	for id := range rooms {
		roomIDs = append(roomIDs, id)
	}
	sort.Slice(roomIDs, func(i, j int) bool { return roomIDs[i] < roomIDs[j] })
	for _, id := range roomIDs {
		objs = append(objs, map[string]any{"objtype": "location", "id": id, "name": rooms[id], "modified": updated})
	}
	for _, area := range a.Areas {
		if parents[area.Acronym] {
			objs = append(objs, map[string]any{"objtype": "parent", "id": area.ID, "name": area.Acronym, "description": area.Name, "modified": updated})
		}
	}
	// RFC 3339 UTC strings sort as times do.
	sort.SliceStable(objs, func(i, j int) bool { return objs[i]["modified"].(string) > objs[j]["modified"].(string) })
	w.Header().Set("Last-Modified", a.Modified.UTC().Format(http.TimeFormat))
	return writeJSON(w, http.StatusOK, map[string]any{m.Number: objs})
}

// pyDuration writes a duration as Python's str(timedelta) does, which
// the Datatracker's JSON carries: "1:30:00".
func pyDuration(d time.Duration) string {
	secs := int64(d / time.Second)
	days := secs / 86400
	secs %= 86400
	s := fmt.Sprintf("%d:%02d:%02d", secs/3600, secs%3600/60, secs%60)
	if days == 1 {
		return "1 day, " + s
	} else if days > 1 {
		return fmt.Sprintf("%d days, %s", days, s)
	}
	return s
}

// agendaRows is the agenda as rows of slots for the text and CSV forms:
// sessions and the other slots (registration, breaks), by time.
type agendaRow struct {
	slot    meetings.Timeslot
	session *meetings.Session
}

func agendaRows(a *meetings.Agenda, f meetings.AgendaFilter) []agendaRow {
	var rows []agendaRow
	for _, it := range a.Filtered(f) {
		rows = append(rows, agendaRow{it.Slot, &it.Session})
	}
	if f.Empty() {
		for _, t := range a.Other {
			rows = append(rows, agendaRow{slot: t})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		x, y := rows[i], rows[j]
		if !x.slot.Start.Equal(y.slot.Start) {
			return x.slot.Start.Before(y.slot.Start)
		}
		if (x.session == nil) != (y.session == nil) {
			return x.session == nil
		}
		if x.session != nil && x.session.Area != y.session.Area {
			return x.session.Area < y.session.Area
		}
		return x.slot.Room < y.slot.Room
	})
	return rows
}

func (s *Server) agendaText(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agendaModel(r.Context(), r.PathValue("num"))
	if err != nil {
		return err
	}
	m := a.Meeting
	loc := m.Location
	var b strings.Builder
	center := func(s string) { fmt.Fprintf(&b, "%*s\n", (72+len(s))/2, s) }
	center(fmt.Sprintf("Agenda of the %s IETF Meeting", ordinal(m.Number)))
	last := m.Day(m.Days - 1)
	if last.Month() == m.Date.Month() {
		center(fmt.Sprintf("%s %d-%d, %d", m.Date.Month(), m.Date.Day(), last.Day(), last.Year()))
	} else {
		center(fmt.Sprintf("%s %d-%s %d, %d", m.Date.Month(), m.Date.Day(), last.Month(), last.Day(), last.Year()))
	}
	center("Updated " + a.Modified.In(loc).Format("2006-01-02 15:04 MST"))
	b.WriteString("\n")
	center("IETF agendas are subject to change, up to and during the meeting.")
	center("Times are in " + m.TimeZone + ".")
	day, head := "", ""
	for _, row := range agendaRows(a, readAgendaRequest(r, m).Filter) {
		t := row.slot
		st := t.Start.In(loc)
		if d := st.Format("2006-01-02"); d != day {
			day, head = d, ""
			fmt.Fprintf(&b, "\n%s, %s\n", strings.ToUpper(st.Format("Monday")), st.Format("January 2, 2006"))
		}
		span := st.Format("1504") + "-" + t.End().In(loc).Format("1504")
		if row.session == nil {
			fmt.Fprintf(&b, "%s  %s%s\n", span, t.Name, roomSuffix(t.Room))
			continue
		}
		ss := row.session
		if t.Type != "regular" && (t.Name == "" || t.Name == ss.Title()) {
			// A plenary or tutorial: its slot is named for it.
			fmt.Fprintf(&b, "%s  %s%s\n", span, ss.Title(), roomSuffix(t.Room))
			head = ""
			continue
		}
		if h := span + " " + t.Name; h != head {
			head = h
			fmt.Fprintf(&b, "%s  %s\n", span, t.Name)
		}
		line := fmt.Sprintf("  %-16s %-5s %-10s %s%s", t.Room, strings.ToUpper(ss.Area), ss.Group, ss.Title(), sessionKind(*ss, a.GroupStates[ss.Group]))
		if ss.AgendaNote != "" {
			line += " - " + ss.AgendaNote
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err = w.Write([]byte(b.String()))
	return err
}

func roomSuffix(room string) string {
	if room == "" {
		return ""
	}
	return " - " + room
}

// ordinal writes 83 as "83rd".
func ordinal(n string) string {
	suffix := "th"
	if len(n) > 0 && (len(n) < 2 || n[len(n)-2] != '1') {
		switch n[len(n)-1] {
		case '1':
			suffix = "st"
		case '2':
			suffix = "nd"
		case '3':
			suffix = "rd"
		}
	}
	return n + suffix
}

func (s *Server) agendaCSV(w http.ResponseWriter, r *http.Request) error {
	a, err := s.agendaModel(r.Context(), r.PathValue("num"))
	if err != nil {
		return err
	}
	m := a.Meeting
	loc := m.Location
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="ietf-`+m.Number+`-agenda.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"Date", "Start", "End", "Session", "Room", "Area", "Acronym", "Type", "Description", "Session ID", "Agenda", "Slides"})
	for _, row := range agendaRows(a, readAgendaRequest(r, m).Filter) {
		t := row.slot
		st := t.Start.In(loc)
		rec := []string{st.Format("2006-01-02"), st.Format("1504"), t.End().In(loc).Format("1504")}
		if row.session == nil {
			kind := t.Name
			switch t.Type {
			case "break":
				kind = "Break"
			case "reg":
				kind = "Registration"
			}
			rec = append(rec, kind, t.Room, "", "", "", t.Name, fmt.Sprintf("s%d", t.ID), "", "")
		} else {
			ss := row.session
			rec = append(rec, t.Name, t.Room, strings.ToUpper(ss.Area), ss.Group, strings.TrimSpace(sessionKind(*ss, a.GroupStates[ss.Group])),
				ss.Title(), fmt.Sprint(ss.ID), "", "")
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

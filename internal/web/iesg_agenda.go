package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/telechat"
)

// iesgAgendaPage is the model of iesg_agenda.html.
type iesgAgendaPage struct {
	Page
	Agenda   telechat.Agenda
	Set      bool        // there is a telechat to show
	Upcoming []time.Time // the telechats to come, for moving between them
}

// iesgAgenda is /iesg/agenda/ (the next telechat) and
// /iesg/agenda/{date}/: the documents on a telechat in the IESG's
// sections, each with its ballot.
func (s *Server) iesgAgenda(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := iesgAgendaPage{Page: s.page(r, "IESG telechat agenda")}
	var err error
	if p.Upcoming, err = s.Telechat.Upcoming(ctx, 8); err != nil {
		return err
	}
	var t time.Time
	if v := r.PathValue("date"); v != "" {
		if t, err = telechat.ParseDate("date", v); err != nil {
			return fail.New(fail.NotFound, "There is no IESG telechat on %q.", v)
		}
	} else if len(p.Upcoming) > 0 {
		t = p.Upcoming[0]
	}
	if !t.IsZero() {
		if p.Agenda, err = s.Telechat.Agenda(ctx, t); err != nil {
			return err
		}
		p.Set = true
		p.Title = "IESG telechat agenda, " + t.Format("2006-01-02")
	}
	return s.show(w, "iesg_agenda.html", p)
}

// iesgDocumentsTxt is /iesg/agenda/documents.txt in the Datatracker's
// format: a header line, then one tab-separated line per document on the
// next four telechats.
func (s *Server) iesgDocumentsTxt(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	dates, err := s.Telechat.Upcoming(ctx, 4)
	if err != nil {
		return err
	}
	on, err := s.Telechat.Scheduled(ctx, dates...)
	if err != nil {
		return err
	}
	rows := []string{"# Fields: telechat date, filename (draft-foo-bar or rfc1234), intended status, rfc editor submission flag (0=no, 1=yes), area acronym, AD name, version"}
	for _, x := range on {
		d := x.Doc
		level := docs.StdLevelName(d.StdLevel)
		if level == "" {
			level = "None"
		}
		flag := "0"
		if d.Stream == "ise" || d.Stream == "irtf" {
			flag = "1"
		}
		area := strings.ToLower(d.Area)
		if area == "" {
			area = "none"
		}
		ad := d.AD
		if ad == "" {
			ad = "None Assigned"
		}
		rows = append(rows, strings.Join([]string{x.Date.Format("2006-01-02"), d.Name, level, flag, area, ad, d.Rev}, "\t"))
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err = w.Write([]byte(strings.Join(rows, "\n")))
	return err
}

// iesgTelechatICS is /iesg/agenda/telechat.ics: the telechats to come as
// all-day events (the IESG meets by phone; its hour is not hum's to
// say), each linking its agenda, with a UID that stays with the date.
func (s *Server) iesgTelechatICS(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	dates, err := s.Telechat.Upcoming(ctx, 0)
	if err != nil {
		return err
	}
	on, err := s.Telechat.Scheduled(ctx, dates...)
	if err != nil {
		return err
	}
	count := map[time.Time]int{}
	for _, x := range on {
		count[x.Date]++
	}
	cal := ics.NewCalendarFor(s.SiteName)
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("IESG telechats")
	host := strings.TrimPrefix(strings.TrimPrefix(s.BaseURL, "https://"), "http://")
	stamp := s.DB.Now().UTC().Truncate(24 * time.Hour)
	for _, d := range dates {
		day := d.Format("2006-01-02")
		e := cal.AddEvent("iesg-telechat-" + day + "@" + host)
		e.SetDtStampTime(stamp)
		e.SetAllDayStartAt(d)
		e.SetAllDayEndAt(d.AddDate(0, 0, 1))
		e.SetSummary("IESG telechat")
		e.SetDescription(countOf(count[d], "document") + " on the agenda: " + s.BaseURL + "/iesg/agenda/" + day + "/")
		e.SetURL(s.BaseURL + "/iesg/agenda/" + day + "/")
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	_, err = w.Write([]byte(cal.Serialize()))
	return err
}

// countOf is "1 document", "3 documents".
func countOf(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

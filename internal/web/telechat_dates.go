package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"hum/internal/charters"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/telechat"
)

// telechatDate is one telechat on the dates page.
type telechatDate struct {
	Date  time.Time
	Docs  int
	Items []telechat.Item
}

// telechatDatesPage is the model of telechat_dates.html.
type telechatDatesPage struct {
	Page
	Dates       []telechatDate
	Secretariat bool
	NextFirst   time.Time // the Thursday a new series would start on
}

// telechatDates is /iesg/telechat-dates/: the telechats to come, with
// the secretariat's forms to add a date or a biweekly series, to remove
// one, and to put management items on an agenda.
func (s *Server) telechatDates(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := telechatDatesPage{Page: s.page(r, "IESG telechat dates")}
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
	for _, d := range dates {
		items, err := s.Telechat.Items(ctx, d)
		if err != nil {
			return err
		}
		p.Dates = append(p.Dates, telechatDate{Date: d, Docs: count[d], Items: items})
	}
	if p.User != nil {
		pw, err := s.powers(ctx, p.User)
		if err != nil {
			return err
		}
		p.Secretariat = pw.Secretariat()
	}
	// A series goes on every other Thursday after the last date set, or
	// starts on the next Thursday.
	from := s.DB.Now().UTC().Truncate(24 * time.Hour)
	if len(dates) > 0 {
		from = dates[len(dates)-1].AddDate(0, 0, 14)
	}
	for from.Weekday() != time.Thursday {
		from = from.AddDate(0, 0, 1)
	}
	p.NextFirst = from
	return s.show(w, "telechat_dates.html", p)
}

// telechatDatesPost is the secretariat's forms on the dates page; the
// service refuses anyone else.
func (s *Server) telechatDatesPost(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	why := strings.TrimSpace(r.PostFormValue("why"))
	var msg string
	switch r.PostFormValue("action") {
	case "add":
		t, err := telechat.ParseDate("date", r.PostFormValue("date"))
		if err != nil {
			return err
		}
		if _, err := s.Telechat.AddDates(ctx, by, []time.Time{t}, why); err != nil {
			return err
		}
		msg = "Telechat date added."
	case "series":
		first, err := telechat.ParseDate("first", r.PostFormValue("first"))
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("count")))
		if err != nil {
			return fail.Field("count", "Give the number of telechats as a number.")
		}
		ds, err := telechat.Series(first, n)
		if err != nil {
			return err
		}
		added, err := s.Telechat.AddDates(ctx, by, ds, why)
		if err != nil {
			return err
		}
		msg = countOf(added, "telechat date") + " added."
	case "remove":
		t, err := telechat.ParseDate("date", r.PostFormValue("date"))
		if err != nil {
			return err
		}
		if err := s.Telechat.RemoveDate(ctx, by, t, why); err != nil {
			return err
		}
		msg = "Telechat date removed."
	case "item":
		t, err := telechat.ParseDate("date", r.PostFormValue("date"))
		if err != nil {
			return err
		}
		if err := s.Telechat.AddItem(ctx, by, t, r.PostFormValue("title"), r.PostFormValue("text")); err != nil {
			return err
		}
		msg = "Management item added."
	case "remove-item":
		id, err := strconv.ParseInt(r.PostFormValue("item"), 10, 64)
		if err != nil {
			return fail.Field("item", "Name the item by its number.")
		}
		if err := s.Telechat.RemoveItem(ctx, by, id); err != nil {
			return err
		}
		msg = "Management item removed."
	default:
		return fail.New(fail.Invalid, "Choose what to change.")
	}
	s.flash(r, msg)
	return redirect(w, r, "/iesg/telechat-dates/")
}

// docTelechatPost is /doc/{name}/edit/telechat/ (the Datatracker's
// telechat date form): the responsible AD puts the document on a
// telechat, moves it, or takes it off (an empty date).
func (s *Server) docTelechatPost(w http.ResponseWriter, r *http.Request) error {
	by, err := s.by(r)
	if err != nil {
		return err
	}
	var t time.Time
	if v := strings.TrimSpace(r.PostFormValue("telechat_date")); v != "" {
		if t, err = telechat.ParseDate("telechat_date", v); err != nil {
			return err
		}
	}
	name := docs.BaseName(r.PathValue("name"))
	place := s.Telechat.Place
	if charters.IsName(name) {
		name, place = strings.ToLower(r.PathValue("name")), s.Telechat.PlaceCharter
	}
	if err := place(r.Context(), name, by, t, strings.TrimSpace(r.PostFormValue("why"))); err != nil {
		return err
	}
	if t.IsZero() {
		s.flash(r, "Taken off the telechat agenda.")
	} else {
		s.flash(r, "Placed on the agenda of the "+t.Format("2006-01-02")+" IESG telechat.")
	}
	next := "/doc/" + name + "/ballot/"
	switch r.PostFormValue("next") {
	case "edit":
		next = "/doc/" + name + "/edit/"
	case "doc": // a charter's page
		next = "/doc/" + name + "/"
	}
	return redirect(w, r, next)
}

package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/feeds"

	"hum/internal/archive"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
)

// DemoLogin is a demo account shown on the front page in demo mode.
type DemoLogin struct {
	Email, Password, What string
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) error {
	v, err := s.cache.get(r.Context(), s.versions, "recent", "", func() (any, error) {
		return record.Recent(r.Context(), s.DB, "group", 15)
	})
	if err != nil {
		return err
	}
	return s.show(w, "index.html", struct {
		Page
		Recent []record.Event
		Logins []DemoLogin
	}{s.page(r, "Home"), v.([]record.Event), s.DemoLogins})
}

type personPage struct {
	Page
	Person  people.Person
	Roles   []groups.Role
	History []record.Event
	Posts   []archive.Summary // recent list posts from any of the person's addresses
	Docs    []docs.Document   // documents the person wrote
}

func (s *Server) person(w http.ResponseWriter, r *http.Request) error {
	p, err := s.People.ByEmail(r.Context(), r.PathValue("email"))
	if err != nil {
		if fe, ok := fail.As(err); ok && fe.Kind == fail.Invalid {
			return fail.New(fail.NotFound, "There is no person with the address %q.", r.PathValue("email"))
		}
		return err
	}
	roles, _, err := s.Groups.Roles(r.Context(), groups.RoleFilter{PersonID: p.ID})
	if err != nil {
		return err
	}
	hist, err := record.ByActor(r.Context(), s.DB, p.ID, 25)
	if err != nil {
		return err
	}
	page := personPage{s.page(r, p.Name), p, roles, hist, nil, nil}
	addrs, err := s.People.Addresses(r.Context(), p.ID)
	if err != nil {
		return err
	}
	if s.Archive != nil {
		// Posts to private archives the reader may not see are left out.
		hidden, err := s.archHidden(w, r)
		if err != nil {
			return err
		}
		if page.Posts, err = s.Archive.ByAuthor(r.Context(), addrs, 20, hidden...); err != nil {
			return err
		}
	}
	if s.Docs != nil {
		if page.Docs, err = s.Docs.ByAuthor(r.Context(), p.ID, addrs, 50); err != nil {
			return err
		}
	}
	return s.show(w, "person.html", page)
}

func (s *Server) groupFeed(w http.ResponseWriter, r *http.Request) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	return s.changeFeed(w, r, "group", g.Acronym, changeFeedInfo{
		Title: "Changes to " + g.Name + " (" + g.Acronym + ")", Description: "Every recorded change to the " + g.Acronym + " group.", Updated: g.Updated,
		Page: "/group/" + g.Acronym + "/about/", History: "/group/" + g.Acronym + "/history/", Self: "/feed/group-changes/" + g.Acronym + "/",
	})
}

// changeFeedInfo describes the subject of a change feed; paths are
// relative to the base URL.
type changeFeedInfo struct {
	Title, Description  string
	Updated             time.Time
	Page, History, Self string
}

// changeFeed writes the newest 50 recorded changes to one subject as
// Atom, each entry linking to its line in the subject's history.
func (s *Server) changeFeed(w http.ResponseWriter, r *http.Request, subjectType, subject string, info changeFeedInfo) error {
	evs, err := record.List(r.Context(), s.DB, subjectType, subject, 50)
	if err != nil {
		return err
	}
	f := &feeds.Feed{Title: info.Title, Link: &feeds.Link{Href: s.BaseURL + info.Page}, Id: s.BaseURL + info.Self,
		Description: info.Description, Updated: info.Updated}
	if len(evs) > 0 {
		f.Updated = evs[0].At
	}
	for _, e := range evs {
		href := fmt.Sprintf("%s%s#event-%d", s.BaseURL, info.History, e.ID)
		desc := e.Summary
		if e.Why != "" {
			desc += "\n\nWhy: " + e.Why
		}
		f.Items = append(f.Items, &feeds.Item{Id: href, Title: e.Summary, Link: &feeds.Link{Href: href},
			Author: &feeds.Author{Name: e.Actor}, Description: desc, Created: e.At, Updated: e.At})
	}
	atom, err := f.ToAtom()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, err = w.Write([]byte(atom))
	return err
}

func (s *Server) needSecretariat(r *http.Request) error {
	_, pw, err := s.need(r)
	if err != nil {
		return err
	}
	if !pw.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat may read the outbox: it holds other people's confirmation links.")
	}
	return nil
}

func (s *Server) outbox(w http.ResponseWriter, r *http.Request) error {
	if err := s.needSecretariat(r); err != nil {
		return err
	}
	msgs, err := mail.List(r.Context(), s.DB, r.URL.Query().Get("state"), 200)
	if err != nil {
		return err
	}
	return s.show(w, "outbox.html", struct {
		Page
		Messages []mail.Queued
		Now      time.Time
	}{s.page(r, "Outbox"), msgs, s.DB.Now()})
}

func (s *Server) outboxMessage(w http.ResponseWriter, r *http.Request) error {
	if err := s.needSecretariat(r); err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, err := mail.Get(r.Context(), s.DB, id)
	if err != nil {
		return err
	}
	return s.show(w, "outbox_message.html", struct {
		Page
		M   mail.Queued
		Raw string
	}{s.page(r, "Outbox: "+m.Subject), m, string(m.Raw)})
}

package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/feeds"

	"hum/internal/record"
)

// atomFeed is one Atom feed; links are absolute.
type atomFeed struct {
	Title, Description string
	Page, Self         string // the page the feed follows, and the feed itself
	Updated            time.Time
	Entries            []atomEntry
}

// atomEntry is one entry; its link is also its id.
type atomEntry struct {
	Link, Title, Text string
	Author, Email     string // Email may be empty
	At                time.Time
}

// writeAtom writes every Atom feed hum serves.
func writeAtom(w http.ResponseWriter, af atomFeed) error {
	f := &feeds.Feed{Title: af.Title, Link: &feeds.Link{Href: af.Page}, Id: af.Self,
		Description: af.Description, Updated: af.Updated}
	for _, e := range af.Entries {
		f.Items = append(f.Items, &feeds.Item{Id: e.Link, Title: e.Title, Link: &feeds.Link{Href: e.Link},
			Author: &feeds.Author{Name: e.Author, Email: e.Email}, Description: e.Text, Created: e.At, Updated: e.At})
	}
	atom, err := f.ToAtom()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, err = w.Write([]byte(atom))
	return err
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
	f := atomFeed{Title: info.Title, Description: info.Description, Page: s.BaseURL + info.Page,
		Self: s.BaseURL + info.Self, Updated: info.Updated}
	if len(evs) > 0 {
		f.Updated = evs[0].At
	}
	for _, e := range evs {
		text := e.Summary
		if e.Why != "" {
			text += "\n\nWhy: " + e.Why
		}
		f.Entries = append(f.Entries, atomEntry{Link: s.BaseURL + info.History + "#event-" + strconv.FormatInt(e.ID, 10),
			Title: e.Summary, Text: text, Author: e.Actor, At: e.At})
	}
	return writeAtom(w, f)
}

// groupFeed is /feed/group-changes/{acronym}/.
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

// docFeed is /feed/document-changes/{name}/.
func (s *Server) docFeed(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Docs.Get(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	return s.changeFeed(w, r, "doc", d.Name, changeFeedInfo{
		Title: "Changes to " + d.Name, Description: d.Title, Updated: d.Updated,
		Page: "/doc/" + d.Name + "/", History: "/doc/" + d.Name + "/history/", Self: "/feed/document-changes/" + d.Name + "/",
	})
}

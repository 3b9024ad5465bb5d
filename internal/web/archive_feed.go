package web

import (
	"net/http"

	"github.com/gorilla/feeds"

	"hum/internal/archive/message"
)

// archFeed is the Atom feed of a list's newest messages, at
// /feed/arch/{list}/ beside the other feeds under /feed/.
func (s *Server) archFeed(w http.ResponseWriter, r *http.Request) error {
	a, l, err := s.archGetList(w, r)
	if err != nil {
		return err
	}
	msgs, err := a.ByDate(r.Context(), l.Name, 30, 0)
	if err != nil {
		return err
	}
	hide := s.hideAddresses(s.page(r, ""))
	f := &feeds.Feed{
		Title:       "The " + l.Name + " list",
		Link:        &feeds.Link{Href: s.BaseURL + "/arch/browse/" + l.Name + "/"},
		Id:          s.BaseURL + "/feed/arch/" + l.Name + "/",
		Description: "The newest messages in the " + l.Name + " archive.",
		Updated:     l.Last,
	}
	for _, m := range msgs {
		link := s.BaseURL + "/arch/msg/" + l.Name + "/" + m.ID + "/"
		author := &feeds.Author{Name: m.FromName}
		if !hide {
			author.Email = m.FromAddr
		}
		full, err := a.Get(r.Context(), l.Name, m.ID)
		if err != nil {
			return err
		}
		text := message.Parse(full.Raw).Body.Text
		if len(text) > 2000 {
			text = text[:2000] + "…"
		}
		f.Items = append(f.Items, &feeds.Item{
			Id: link, Title: m.Subject, Link: &feeds.Link{Href: link}, Author: author,
			Description: text, Created: m.Date, Updated: m.Date,
		})
	}
	atom, err := f.ToAtom()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, err = w.Write([]byte(atom))
	return err
}

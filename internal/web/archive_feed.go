package web

import (
	"net/http"

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
	f := atomFeed{
		Title:       "The " + l.Name + " list",
		Page:        s.BaseURL + "/arch/browse/" + l.Name + "/",
		Self:        s.BaseURL + "/feed/arch/" + l.Name + "/",
		Description: "The newest messages in the " + l.Name + " archive.",
		Updated:     l.Last,
	}
	for _, m := range msgs {
		e := atomEntry{Link: s.BaseURL + "/arch/msg/" + l.Name + "/" + m.ID + "/", Title: m.Subject, Author: m.FromName, At: m.Date}
		if !hide {
			e.Email = m.FromAddr
		}
		full, err := a.Get(r.Context(), l.Name, m.ID)
		if err != nil {
			return err
		}
		e.Text = message.Parse(full.Raw).Body.Text
		if len(e.Text) > 2000 {
			e.Text = e.Text[:2000] + "…"
		}
		f.Entries = append(f.Entries, e)
	}
	return writeAtom(w, f)
}

package web

import (
	"net/http"

	"hum/internal/record"
)

// DemoLogin is a demo account shown on the front page in demo mode.
type DemoLogin struct {
	Email, Password, What string
}

// indexPage is the model of index.html.
type indexPage struct {
	Page
	Recent []record.Event
	Logins []DemoLogin
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) error {
	v, err := s.cache.get(r.Context(), s.versions, "recent", "", func() (any, error) {
		return record.Recent(r.Context(), s.DB, "group", 15)
	})
	if err != nil {
		return err
	}
	return s.show(w, "index.html", indexPage{s.page(r, "Home"), v.([]record.Event), s.DemoLogins})
}

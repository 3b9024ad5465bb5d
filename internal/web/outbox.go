package web

import (
	"net/http"
	"strconv"
	"time"

	"hum/internal/fail"
	"hum/internal/mail"
)

// needSecretariat refuses everyone but the secretariat; what says why
// the page is theirs alone.
func (s *Server) needSecretariat(r *http.Request, what string) error {
	_, pw, err := s.need(r)
	if err != nil {
		return err
	}
	if !pw.Secretariat() {
		return fail.New(fail.Forbidden, "Only the secretariat may %s.", what)
	}
	return nil
}

const outboxOnly = "read the outbox: it holds other people's confirmation links"

// outboxPage is the model of outbox.html.
type outboxPage struct {
	Page
	Messages []mail.Queued
	Now      time.Time
}

func (s *Server) outbox(w http.ResponseWriter, r *http.Request) error {
	if err := s.needSecretariat(r, outboxOnly); err != nil {
		return err
	}
	msgs, err := mail.List(r.Context(), s.DB, r.URL.Query().Get("state"), 200)
	if err != nil {
		return err
	}
	return s.show(w, "outbox.html", outboxPage{s.page(r, "Outbox"), msgs, s.DB.Now()})
}

// outboxMessagePage is the model of outbox_message.html.
type outboxMessagePage struct {
	Page
	M   mail.Queued
	Raw string
}

func (s *Server) outboxMessage(w http.ResponseWriter, r *http.Request) error {
	if err := s.needSecretariat(r, outboxOnly); err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, err := mail.Get(r.Context(), s.DB, id)
	if err != nil {
		return err
	}
	return s.show(w, "outbox_message.html", outboxMessagePage{s.page(r, "Outbox: "+m.Subject), m, string(m.Raw)})
}

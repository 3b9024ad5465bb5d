package web

import (
	"context"
	"net/http"
	"strings"

	"hum/internal/fail"
	"hum/internal/notices"
	"hum/internal/people"
)

// trackButton is the Track / Untrack form on a document's or a group's
// page, for a logged-in person: Mode is how they follow it now ("" when
// they do not).
type trackButton struct {
	Type, Name, Mode string
	Next             string // the page the form returns to
}

// track returns the Track button of a page for u, nil when nobody is
// logged in.
func (s *Server) track(ctx context.Context, u *people.Person, typ, name, next string) (*trackButton, error) {
	if u == nil {
		return nil, nil
	}
	mode, err := s.Notices.Mode(ctx, u.ID, typ, name)
	if err != nil {
		return nil, err
	}
	return &trackButton{Type: typ, Name: name, Mode: mode, Next: next}, nil
}

// trackPageModel is /accounts/track/: what one follows, and how.
type trackPageModel struct {
	Page
	Follows []notices.Follow
}

func (s *Server) trackPage(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	p := trackPageModel{Page: s.page(r, "What you track")}
	if p.Follows, err = s.Notices.Following(r.Context(), u.ID); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.show(w, "track.html", p)
}

// trackPost starts or stops following, or changes how: type (doc or
// group), name, and mode (each, daily, or untrack); it returns to next.
func (s *Server) trackPost(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	typ, name, mode := r.PostFormValue("type"), strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("mode")
	var msg string
	switch mode {
	case "untrack":
		err = s.Notices.Unfollow(ctx, u.ID, typ, name)
		msg = "You no longer track " + name + "."
	case notices.Each:
		err = s.Notices.Follow(ctx, u.ID, typ, name, mode)
		msg = "You track " + name + ": each change is mailed to you."
	case notices.Daily:
		err = s.Notices.Follow(ctx, u.ID, typ, name, mode)
		msg = "You track " + name + ": a summary of its changes is mailed to you once a day."
	default:
		return fail.Field("mode", "Choose each, daily or untrack.")
	}
	if err != nil {
		return err
	}
	s.flash(r, msg)
	next := "/accounts/track/"
	if v := r.PostFormValue("next"); v != "" {
		next = localNext(v)
	}
	return redirect(w, r, next)
}

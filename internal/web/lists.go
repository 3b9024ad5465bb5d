package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"hum/internal/fail"
	"hum/internal/lists"
)

// listIndexPage is the model of list_index.html.
type listIndexPage struct {
	Page
	Lists  []lists.List
	Domain string
}

func (s *Server) listIndex(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.Lists.All(r.Context())
	if err != nil {
		return err
	}
	return s.show(w, "list_index.html", listIndexPage{s.page(r, "Mailing lists"), ls, s.Lists.Domain})
}

type listPage struct {
	Page
	List       lists.List
	Domain     string
	Sub        *lists.Subscription // the logged-in person's, if any
	MayMod     bool
	Held       int
	Moderators []lists.Moderator // on the settings page
	Err        *fail.Error
	V          url.Values
}

func (s *Server) listPage(r *http.Request) (listPage, error) {
	l, err := s.Lists.Get(r.Context(), r.PathValue("name"))
	if err != nil {
		return listPage{}, err
	}
	p := listPage{Page: s.page(r, l.Name+" mailing list"), List: l, Domain: s.Lists.Domain}
	if p.User != nil {
		by, err := s.powers(r.Context(), p.User)
		if err != nil {
			return p, err
		}
		sub, err := s.mySubscription(r.Context(), p.User.ID, l.Name)
		if err == nil {
			p.Sub = &sub
		} else if fail.KindOf(err) != fail.NotFound {
			return p, err
		}
		if p.MayMod, err = s.Lists.MayModerate(r.Context(), by, l); err != nil {
			return p, err
		}
		if p.MayMod {
			held, err := s.Lists.Held(r.Context(), by, l.Name)
			if err != nil {
				return p, err
			}
			p.Held = len(held)
		}
	}
	return p, nil
}

// mySubscription is a person's subscription to a list, through whichever
// of their addresses is subscribed.
func (s *Server) mySubscription(ctx context.Context, personID int64, name string) (lists.Subscription, error) {
	addrs, err := s.People.Addresses(ctx, personID)
	if err != nil {
		return lists.Subscription{}, err
	}
	return s.Lists.SubscriptionAmong(ctx, name, addrs)
}

func (s *Server) listInfo(w http.ResponseWriter, r *http.Request) error {
	p, err := s.listPage(r)
	if err != nil {
		return err
	}
	return s.show(w, "list_info.html", p)
}

// listAgain shows the list page (list_info.html) or its settings page
// (list_settings.html) again with a failure the person can mend.
func (s *Server) listAgain(w http.ResponseWriter, r *http.Request, tmpl string, err error) error {
	fe, ok := fail.As(err)
	if !ok || fe.Kind == fail.Internal || fe.Kind == fail.Forbidden || fe.Kind == fail.NotFound {
		return err
	}
	load := s.listPage
	if tmpl == "list_settings.html" {
		load = s.listSettingsPage
	}
	p, perr := load(r)
	if perr != nil {
		return perr
	}
	p.Err, p.V = fe, r.PostForm
	w.WriteHeader(status(fe.Kind))
	return s.show(w, tmpl, p)
}

// listSubscribe subscribes a logged-in person at once (their address is
// confirmed); anyone else gets a confirmation link by mail.
func (s *Server) listSubscribe(w http.ResponseWriter, r *http.Request) error {
	r.ParseForm()
	name, mode := r.PathValue("name"), r.PostFormValue("mode")
	if u := s.user(r); u != nil {
		if _, err := s.Lists.Subscribe(r.Context(), actor(u), name, u.Email, mode); err != nil {
			return s.listAgain(w, r, "list_info.html", err)
		}
		s.flash(r, "You are subscribed to "+name+".")
		return redirect(w, r, "/list/"+name+"/")
	}
	addr := r.PostFormValue("email")
	if err := firstErr(s.limits.allow("mail", clientIP(r)), s.limits.allow("mail", addr)); err != nil {
		return err
	}
	if err := s.Lists.StartSubscribe(r.Context(), name, addr, mode); err != nil {
		return s.listAgain(w, r, "list_info.html", err)
	}
	return s.notice(w, r, "Check your mail", "We sent a confirmation link to "+addr+". Open it to finish subscribing to "+name+".")
}

// listUnsubscribeStart mails an unsubscribe link to an address, saying
// the same whether or not it is subscribed.
func (s *Server) listUnsubscribeStart(w http.ResponseWriter, r *http.Request) error {
	r.ParseForm()
	name, addr := r.PathValue("name"), r.PostFormValue("email")
	if err := firstErr(s.limits.allow("mail", clientIP(r)), s.limits.allow("mail", addr)); err != nil {
		return err
	}
	if err := s.Lists.StartUnsubscribe(r.Context(), name, addr); err != nil {
		return s.listAgain(w, r, "list_info.html", err)
	}
	return s.notice(w, r, "Check your mail", "If "+addr+" is subscribed to "+name+", it will get a link to unsubscribe.")
}

// listOptions is a logged-in subscriber changing delivery or leaving.
func (s *Server) listOptions(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	r.ParseForm()
	name := r.PathValue("name")
	sub, err := s.mySubscription(r.Context(), u.ID, name)
	if err != nil {
		return err
	}
	if r.PostFormValue("action") == "unsubscribe" {
		if err := s.Lists.UnsubscribeAddress(r.Context(), actor(u), name, sub.Address); err != nil {
			return err
		}
		s.flash(r, "You have left "+name+".")
		return redirect(w, r, "/list/"+name+"/")
	}
	if err := s.Lists.SetMode(r.Context(), actor(u), name, sub.Address, r.PostFormValue("mode")); err != nil {
		return s.listAgain(w, r, "list_info.html", err)
	}
	s.flash(r, "Your delivery option is saved.")
	return redirect(w, r, "/list/"+name+"/")
}

// listUnsubscribePage is the model of list_unsubscribe.html.
type listUnsubscribePage struct {
	Page
	Sub   lists.Subscription
	Token string
}

func (s *Server) listUnsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	sub, err := s.Lists.ByToken(r.Context(), r.PathValue("name"), r.PathValue("token"))
	if err != nil {
		return err
	}
	return s.show(w, "list_unsubscribe.html", listUnsubscribePage{s.page(r, "Unsubscribe from "+sub.List), sub, r.PathValue("token")})
}

// listUnsubscribe is the button behind the link and the RFC 8058
// one-click POST (body List-Unsubscribe=One-Click) alike.
func (s *Server) listUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if err := s.Lists.Unsubscribe(r.Context(), name, r.PathValue("token")); err != nil {
		return err
	}
	return s.notice(w, r, "Unsubscribed", "You will get no more mail from "+name+".")
}

// listConfirmPage is the model of list_confirm.html.
type listConfirmPage struct {
	Page
	P     lists.Pending
	Token string
}

func (s *Server) listConfirmForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Lists.CheckConfirm(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return s.show(w, "list_confirm.html", listConfirmPage{s.page(r, "Confirm"), p, r.PathValue("token")})
}

func (s *Server) listConfirm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.Lists.Confirm(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	if p.Action == "unsubscribe" {
		return s.notice(w, r, "Unsubscribed", p.Address+" has left "+p.List+".")
	}
	return s.notice(w, r, "Subscribed", p.Address+" is subscribed to "+p.List+". A welcome message is on its way.")
}

// listModerationPage is the model of list_moderation.html.
type listModerationPage struct {
	Page
	Name string
	Held []lists.Post
}

func (s *Server) listModeration(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	held, err := s.Lists.Held(r.Context(), by, name)
	if err != nil {
		return err
	}
	return s.show(w, "list_moderation.html", listModerationPage{s.page(r, "Moderation queue of "+name), name, held})
}

// listHeldPage is the model of list_held.html.
type listHeldPage struct {
	Page
	Post lists.Post
	Raw  string
}

func (s *Server) listHeld(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, err := s.Lists.HeldPost(r.Context(), by, r.PathValue("name"), id)
	if err != nil {
		return err
	}
	raw := p.Raw
	if len(raw) > 64<<10 {
		raw = raw[:64<<10]
	}
	return s.show(w, "list_held.html", listHeldPage{s.page(r, "Held message"), p, string(raw)})
}

func (s *Server) listModerate(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	r.ParseForm()
	name := r.PathValue("name")
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	action := r.PostFormValue("action")
	if err := s.Lists.Moderate(r.Context(), by, name, id, action, r.PostFormValue("reason"), r.PostFormValue("allow") != ""); err != nil {
		return err
	}
	s.flash(r, "Message "+map[string]string{lists.Approve: "approved", lists.Reject: "rejected", lists.Discard: "discarded"}[action]+".")
	return redirect(w, r, "/list/"+name+"/moderation/")
}

// listSubscribersPage is the model of list_subscribers.html.
type listSubscribersPage struct {
	Page
	Name string
	Subs []lists.Subscription
}

func (s *Server) listSubscribers(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	subs, err := s.Lists.Subscribers(r.Context(), by, name)
	if err != nil {
		return err
	}
	return s.show(w, "list_subscribers.html", listSubscribersPage{s.page(r, "Subscribers of "+name), name, subs})
}

// listSettingsPage is the list page with its moderators, for those who
// may change its settings (Moderators says who).
func (s *Server) listSettingsPage(r *http.Request) (listPage, error) {
	_, by, err := s.need(r)
	if err != nil {
		return listPage{}, err
	}
	p, err := s.listPage(r)
	if err != nil {
		return p, err
	}
	p.Title = "Settings of " + p.List.Name
	p.Moderators, err = s.Lists.Moderators(r.Context(), by, p.List.Name)
	return p, err
}

func (s *Server) listSettingsForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.listSettingsPage(r)
	if err != nil {
		return err
	}
	return s.show(w, "list_settings.html", p)
}

// listModerators adds (action=add) or removes (action=remove) a
// moderator of a list by email address.
func (s *Server) listModerators(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	r.ParseForm()
	name, addr := r.PathValue("name"), r.PostFormValue("email")
	change, done := s.Lists.AddModerator, " now moderates "
	if r.PostFormValue("action") == "remove" {
		change, done = s.Lists.RemoveModerator, " no longer moderates "
	}
	if err := change(r.Context(), by, name, addr); err != nil {
		return s.listAgain(w, r, "list_settings.html", err)
	}
	s.flash(r, addr+done+name+".")
	return redirect(w, r, "/list/"+name+"/settings/")
}

func (s *Server) listSettings(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	r.ParseForm()
	name := r.PathValue("name")
	max, _ := strconv.ParseInt(r.PostFormValue("max_kb"), 10, 64)
	err = s.Lists.Configure(r.Context(), by, name, lists.Settings{
		Description:   r.PostFormValue("description"),
		ArchivePublic: r.PostFormValue("archive_public") != "",
		PostPolicy:    r.PostFormValue("post_policy"),
		MaxBytes:      max * 1024,
	})
	if err != nil {
		return s.listAgain(w, r, "list_settings.html", err)
	}
	s.flash(r, "List settings saved.")
	return redirect(w, r, "/list/"+name+"/")
}

// listDeliveriesPage is the model of list_deliveries.html.
type listDeliveriesPage struct {
	Page
	Q       lists.DeliveryQueue
	Sending bool
	Now     time.Time
}

// listDeliveries shows the delivery queue of one list, or of every list
// at /admin/deliveries/.
func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	q, err := s.Lists.Deliveries(r.Context(), by, name, r.URL.Query().Get("state"), 200)
	if err != nil {
		return err
	}
	title := "Deliveries of every list"
	if name != "" {
		title = "Deliveries of " + name
	}
	return s.show(w, "list_deliveries.html", listDeliveriesPage{s.page(r, title), q, s.Lists.Sending, s.DB.Now()})
}

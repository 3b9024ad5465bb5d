package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/people"
)

// form is the model of a page with a form: the values sent and the
// failure to show beside them.
// Data is what else the page shows, of its own type per page, so that a
// test can check each template against it.
type form[D any] struct {
	Page
	Err   *fail.Error
	V     url.Values
	Token string
	Data  D
}

// noData is the Data of a form page that shows nothing else.
type noData struct{}

func newForm[D any](s *Server, r *http.Request, title string) form[D] {
	r.ParseForm()
	return form[D]{Page: s.page(r, title), V: r.PostForm}
}

// again shows a form again with the failure, when it is one the person
// can mend; other failures go to the error page.
func again[D any](s *Server, w http.ResponseWriter, tmpl string, f form[D], err error) error {
	fe, ok := fail.As(err)
	if !ok || fe.Kind == fail.Internal || fe.Kind == fail.Forbidden || fe.Kind == fail.NotFound {
		return err
	}
	f.Err = fe
	w.WriteHeader(status(fe.Kind))
	return s.show(w, tmpl, f)
}

// noticePage is the model of notice.html.
type noticePage struct {
	Page
	Message string
}

func (s *Server) notice(w http.ResponseWriter, r *http.Request, title, msg string) error {
	return s.show(w, "notice.html", noticePage{s.page(r, title), msg})
}

func (s *Server) createForm(w http.ResponseWriter, r *http.Request) error {
	return s.show(w, "account_create.html", newForm[noData](s, r, "Create an account"))
}

func (s *Server) createStart(w http.ResponseWriter, r *http.Request) error {
	f := newForm[noData](s, r, "Create an account")
	if err := s.limits.allow("register", clientIP(r)); err != nil {
		return again(s, w, "account_create.html", f, err)
	}
	if err := s.People.StartAccount(r.Context(), r.PostFormValue("email")); err != nil {
		return again(s, w, "account_create.html", f, err)
	}
	return s.notice(w, r, "Check your mail", "We have sent a mail to "+strings.TrimSpace(r.PostFormValue("email"))+
		". Open the link in it to confirm your address and choose your name and password. The link works for 3 days.")
}

func (s *Server) createConfirmForm(w http.ResponseWriter, r *http.Request) error {
	l, err := s.People.CheckLink(r.Context(), people.PurposeCreate, r.PathValue("token"))
	if err != nil {
		return err
	}
	f := newForm[string](s, r, "Finish creating your account")
	f.Token, f.Data = r.PathValue("token"), l.Email
	return s.show(w, "account_confirm.html", f)
}

func (s *Server) createFinish(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	l, err := s.People.CheckLink(r.Context(), people.PurposeCreate, token)
	if err != nil {
		return err
	}
	f := newForm[string](s, r, "Finish creating your account")
	f.Token, f.Data = token, l.Email
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		return again(s, w, "account_confirm.html", f, fail.Field("password2", "The two passwords are not the same."))
	}
	p, err := s.People.FinishAccount(r.Context(), token, r.PostFormValue("name"), r.PostFormValue("password"))
	if err != nil {
		return again(s, w, "account_confirm.html", f, err)
	}
	if err := s.login(r, p); err != nil {
		return err
	}
	s.flash(r, "Welcome, "+p.Name+". Your account is ready and you are logged in.")
	return redirect(w, r, "/accounts/profile/")
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	f := newForm[string](s, r, "Log in")
	if next := r.URL.Query().Get("next"); next != "" {
		f.Data = localNext(next)
	}
	return s.show(w, "login.html", f)
}

// localNext is where a person goes back to after logging in: next, if a
// browser reads it as a path on this site, else "/". Every redirect to a
// URL that a request supplies goes through here.
//
// Browsers drop tab, CR and LF anywhere in a URL and read \ as /, so
// "/\t/evil.example" takes them to //evil.example, another site. next is
// judged after that normalisation; any other control character, a
// backslash, a scheme or a host refuses it.
func localNext(next string) string {
	n := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, next)
	if !strings.HasPrefix(n, "/") || strings.HasPrefix(n, "//") || strings.ContainsAny(n, "\\\x7f") {
		return "/"
	}
	for _, r := range n {
		if r < ' ' {
			return "/"
		}
	}
	u, err := url.Parse(n)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return "/"
	}
	return n
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) error {
	f := newForm[string](s, r, "Log in")
	next := "/accounts/profile/"
	if v := r.PostFormValue("next"); v != "" {
		next = localNext(v)
		f.Data = next
	}
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	if err := s.limits.allow("login", clientIP(r)); err != nil {
		return again(s, w, "login.html", f, err)
	}
	guesser := email + "\x00" + clientIP(r)
	if err := s.limits.check("login-failure", guesser); err != nil {
		return again(s, w, "login.html", f, err)
	}
	p, err := s.People.Login(r.Context(), email, r.PostFormValue("password"))
	if err != nil {
		if fe, ok := fail.As(err); ok && fe.Kind == fail.Unauthorized {
			s.limits.failed("login-failure", guesser)
		}
		return again(s, w, "login.html", f, err)
	}
	if err := s.login(r, p); err != nil {
		return err
	}
	return redirect(w, r, next)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/")
}

// logoutEverywhere ends every session of the account, this one too: for
// a person who fears someone else is logged in as them.
func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	if err := s.People.EndSessions(r.Context(), u.ID); err != nil {
		return err
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/")
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) error {
	return s.show(w, "reset.html", newForm[noData](s, r, "Reset your password"))
}

func (s *Server) resetStart(w http.ResponseWriter, r *http.Request) error {
	f := newForm[noData](s, r, "Reset your password")
	if err := s.limits.allow("reset", clientIP(r)); err != nil {
		return again(s, w, "reset.html", f, err)
	}
	if err := s.People.StartReset(r.Context(), r.PostFormValue("email")); err != nil {
		return again(s, w, "reset.html", f, err)
	}
	return s.notice(w, r, "Check your mail", "If "+strings.TrimSpace(r.PostFormValue("email"))+
		" has an account, we have sent it a link to choose a new password. The link works for 3 days.")
}

func (s *Server) resetConfirmForm(w http.ResponseWriter, r *http.Request) error {
	l, err := s.People.CheckLink(r.Context(), people.PurposeReset, r.PathValue("token"))
	if err != nil {
		return err
	}
	f := newForm[string](s, r, "Choose a new password")
	f.Token, f.Data = r.PathValue("token"), l.Email
	return s.show(w, "reset_confirm.html", f)
}

func (s *Server) resetFinish(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	l, err := s.People.CheckLink(r.Context(), people.PurposeReset, token)
	if err != nil {
		return err
	}
	f := newForm[string](s, r, "Choose a new password")
	f.Token, f.Data = token, l.Email
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		return again(s, w, "reset_confirm.html", f, fail.Field("password2", "The two passwords are not the same."))
	}
	p, err := s.People.FinishReset(r.Context(), token, r.PostFormValue("password"))
	if err != nil {
		return again(s, w, "reset_confirm.html", f, err)
	}
	if err := s.login(r, p); err != nil {
		return err
	}
	s.flash(r, "Your new password is set and you are logged in.")
	return redirect(w, r, "/accounts/profile/")
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.need(r); err != nil {
		return err
	}
	return s.show(w, "password.html", newForm[noData](s, r, "Change your password"))
}

func (s *Server) passwordPost(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	f := newForm[noData](s, r, "Change your password")
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		return again(s, w, "password.html", f, fail.Field("password2", "The two new passwords are not the same."))
	}
	if err := s.limits.allow("login", strconv.FormatInt(u.ID, 10)); err != nil {
		return again(s, w, "password.html", f, err)
	}
	if err := s.People.ChangePassword(r.Context(), u.ID, r.PostFormValue("current"), r.PostFormValue("password")); err != nil {
		return again(s, w, "password.html", f, err)
	}
	// The change ended every session of the account; this browser
	// starts a new one, so only the others are logged out.
	p, err := s.People.ByID(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if err := s.login(r, p); err != nil {
		return err
	}
	s.flash(r, "Your password has been changed.")
	return redirect(w, r, "/accounts/profile/")
}

type profileData struct {
	Emails []people.Email
	Roles  []groups.Role
}

func (s *Server) profileForm(w http.ResponseWriter, r *http.Request, f form[profileData], err error) error {
	u := f.User
	emails, e1 := s.People.Emails(r.Context(), u.ID)
	roles, _, e2 := s.Groups.Roles(r.Context(), groups.RoleFilter{PersonID: u.ID})
	if e1 != nil || e2 != nil {
		return firstErr(e1, e2)
	}
	f.Data = profileData{emails, roles}
	if f.V.Get("name") == "" && err == nil {
		f.V = url.Values{"name": {u.Name}, "biography": {u.Biography}}
		if u.ShowEmail {
			f.V.Set("show_email", "on")
		}
	}
	if err != nil {
		return again(s, w, "profile.html", f, err)
	}
	return s.show(w, "profile.html", f)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.need(r); err != nil {
		return err
	}
	return s.profileForm(w, r, newForm[profileData](s, r, "Your account"), nil)
}

func (s *Server) profilePost(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	f := newForm[profileData](s, r, "Your account")
	err = s.People.UpdateProfile(r.Context(), u.ID, r.PostFormValue("name"), r.PostFormValue("biography"), r.PostFormValue("show_email") == "on")
	if err != nil {
		return s.profileForm(w, r, f, err)
	}
	s.flash(r, "Your profile has been saved.")
	return redirect(w, r, "/accounts/profile/")
}

func (s *Server) emailAdd(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	f := newForm[profileData](s, r, "Your account")
	if err := s.limits.allow("mail", strconv.FormatInt(u.ID, 10)); err != nil {
		return s.profileForm(w, r, f, err)
	}
	if err := s.People.StartAddEmail(r.Context(), u.ID, r.PostFormValue("email")); err != nil {
		return s.profileForm(w, r, f, err)
	}
	s.flash(r, "We have sent a confirmation link to "+r.PostFormValue("email")+".")
	return redirect(w, r, "/accounts/profile/")
}

func (s *Server) emailConfirmForm(w http.ResponseWriter, r *http.Request) error {
	l, err := s.People.CheckLink(r.Context(), people.PurposeEmail, r.PathValue("token"))
	if err != nil {
		return err
	}
	f := newForm[string](s, r, "Confirm your address")
	f.Token, f.Data = r.PathValue("token"), l.Email
	return s.show(w, "email_confirm.html", f)
}

func (s *Server) emailConfirm(w http.ResponseWriter, r *http.Request) error {
	addr, err := s.People.FinishAddEmail(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return s.notice(w, r, "Address confirmed", addr+" is now one of the addresses of your account.")
}

func (s *Server) emailPrimary(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	if err := s.People.SetPrimaryEmail(r.Context(), u.ID, r.FormValue("email")); err != nil {
		return s.profileForm(w, r, newForm[profileData](s, r, "Your account"), err)
	}
	s.flash(r, "Your primary address is now "+r.FormValue("email")+".")
	return redirect(w, r, "/accounts/profile/")
}

func (s *Server) emailRemove(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	if err := s.People.RemoveEmail(r.Context(), u.ID, r.FormValue("email")); err != nil {
		return s.profileForm(w, r, newForm[profileData](s, r, "Your account"), err)
	}
	s.flash(r, r.FormValue("email")+" has been removed from your account.")
	return redirect(w, r, "/accounts/profile/")
}

type keysData struct {
	Keys   []people.APIKey
	Secret string
}

func (s *Server) apiKeys(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	keys, err := s.People.APIKeys(r.Context(), u.ID)
	if err != nil {
		return err
	}
	f := newForm[keysData](s, r, "Your API keys")
	f.Data = keysData{Keys: keys}
	return s.show(w, "apikeys.html", f)
}

func (s *Server) apiKeyAdd(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	secret, err := s.People.NewAPIKey(r.Context(), u.ID, r.PostFormValue("label"))
	f := newForm[keysData](s, r, "Your API keys")
	keys, _ := s.People.APIKeys(r.Context(), u.ID)
	f.Data = keysData{Keys: keys, Secret: secret}
	if err != nil {
		return again(s, w, "apikeys.html", f, err)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.show(w, "apikeys.html", f)
}

func (s *Server) apiKeyRevoke(w http.ResponseWriter, r *http.Request) error {
	u, _, err := s.need(r)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.People.RevokeAPIKey(r.Context(), u.ID, id); err != nil {
		return err
	}
	s.flash(r, "The API key has been revoked.")
	return redirect(w, r, "/accounts/apikey/")
}

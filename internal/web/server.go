// Package web serves hum over HTTP: server-rendered pages that work
// without JavaScript, a JSON API in the Datatracker's list shape, and Atom
// feeds. Handlers return errors; one wrapper turns a fail.Error into the
// right status and an HTML page or a JSON body. Routes sit in one table per
// area (routes*.go).
package web

import (
	"context"
	"encoding/json"
	"errors"
	"hum/internal/appeals"
	"hum/internal/consensus"
	"hum/internal/jobs"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/scs/v2"

	"hum/internal/aliases"
	"hum/internal/archive"
	"hum/internal/charters"
	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/export"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/implementations"
	"hum/internal/ipr"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/nomcom"
	"hum/internal/notices"
	"hum/internal/opendata"
	"hum/internal/people"
	"hum/internal/record"
	"hum/internal/scheduler"
	"hum/internal/telechat"
)

// Config is what the server needs from main.
type Config struct {
	DB       *db.DB
	People   *people.Service
	Groups   *groups.Service
	Archive  *archive.Service
	Lists    *lists.Service
	Docs     *docs.Service
	Meetings *meetings.Service
	// Consensus is decisions from meetings, requests for calls and the
	// chairs' dashboard (and consensus calls).
	Consensus *consensus.Service
	// Appeals keeps appeals; New makes one over Lists and Docs if it is
	// nil, announcing through the lists' Router.
	Appeals *appeals.Service
	// Charters takes WGs through chartering and concludes them; New makes
	// one over Lists if it is nil, mailing through the aliases' and the
	// lists' Routers (iesg@ and iab@ are aliases).
	Charters *charters.Service
	// Scheduler runs and scores schedules for the secretariat's pages;
	// New makes one over Meetings if it is nil.
	Scheduler *scheduler.Service
	// Aliases expands the addresses that are not lists, for the
	// documents' email pages; New makes one over Lists if it is nil.
	Aliases *aliases.Service
	// Implementations holds the drafts' implementation reports; New
	// makes one over Docs if it is nil.
	Implementations *implementations.Service
	// OpenData serves the Datatracker's API (/api/v1/); New makes one
	// over the services above if it is nil.
	OpenData *opendata.Service
	// Export keeps the public dump of the record, served at /api/export/;
	// New makes one over OpenData, Archive and Lists if it is nil.
	Export *export.Service
	// IPR holds the IPR disclosures; New makes one over Docs and Lists if
	// it is nil, announcing through the lists' Router.
	IPR *ipr.Service
	// Telechat keeps the IESG's telechats; New makes one over Docs if it
	// is nil.
	Telechat *telechat.Service
	// NomCom is the Nominating Committees: eligibility, volunteers, the
	// selection and the positions; New makes one over Groups, Meetings
	// and Docs if it is nil, announcing through the lists' Router.
	NomCom *nomcom.Service
	// Notices keeps who tracks which documents and groups; New makes one
	// over Aliases and Lists if it is nil, mailing through their Routers.
	Notices *notices.Service
	// RunMoves and RunWorkers, if set, bound the scheduler's runs from
	// the pages by moves per worker and by workers, as well as by the
	// time asked for: tests set them so that a run ends the same way
	// however loaded the machine is.
	RunMoves   int64
	RunWorkers int
	Jobs       *jobs.Runner // this process's periodic work, shown at /admin/jobs/
	Log        *slog.Logger
	BaseURL    string // public address, no trailing slash
	SiteName   string
	Demo       bool // show the demo banner
	// DemoLogins are shown on the front page in demo mode.
	DemoLogins []DemoLogin
	// DevTemplates reloads templates from this directory on every request.
	DevTemplates string
}

// Server is the HTTP side of hum.
type Server struct {
	Config
	sessions *scs.SessionManager
	tmpl     *templates
	cache    *cache
	pages    pageCache
	versions *record.Versions // the API's, so one process reads the version once
	limits   *limiters
	mux      *http.ServeMux
}

// New builds a Server with every route registered.
func New(c Config) (*Server, error) {
	if c.SiteName == "" {
		c.SiteName = "hum"
	}
	if c.Scheduler == nil && c.Meetings != nil {
		c.Scheduler = &scheduler.Service{Meetings: c.Meetings}
	}
	if c.Consensus == nil && c.Docs != nil && c.Lists != nil && c.Archive != nil {
		// As app.New builds it, for tests and benches that build web alone.
		c.Consensus = &consensus.Service{DB: c.DB, Groups: c.Groups, Docs: c.Docs, Archive: c.Archive, Mail: c.Lists.Router(c.Docs.Mail),
			BaseURL: c.BaseURL, Domain: c.Lists.Domain}
	}
	if c.Aliases == nil && c.Lists != nil {
		c.Aliases = &aliases.Service{DB: c.DB, Lists: c.Lists, Outbox: &mail.Outbox{Name: c.SiteName}, Domain: c.Lists.Domain}
	}
	if c.Implementations == nil && c.Docs != nil {
		c.Implementations = &implementations.Service{DB: c.DB, Docs: c.Docs}
	}
	if c.Telechat == nil && c.Docs != nil {
		c.Telechat = &telechat.Service{DB: c.DB, Docs: c.Docs}
	}
	if c.Appeals == nil && c.Lists != nil && c.Docs != nil {
		c.Appeals = &appeals.Service{DB: c.DB, Groups: c.Groups, Docs: c.Docs, Mail: c.Lists.Router(c.Docs.Mail),
			BaseURL: c.BaseURL, Domain: c.Lists.Domain}
	}
	if c.NomCom == nil && c.Lists != nil && c.Docs != nil && c.Meetings != nil {
		c.NomCom = &nomcom.Service{DB: c.DB, Groups: c.Groups, Meetings: c.Meetings, Docs: c.Docs, Mail: c.Lists.Router(c.Docs.Mail),
			BaseURL: c.BaseURL, Domain: c.Lists.Domain}
	}
	if c.IPR == nil && c.Lists != nil && c.Docs != nil {
		c.IPR = &ipr.Service{DB: c.DB, Docs: c.Docs, Groups: c.Groups, Lists: c.Lists, Aliases: c.Aliases, Mail: c.Aliases.Router(c.Lists.Router(c.Docs.Mail)),
			BaseURL: c.BaseURL, Domain: c.Lists.Domain}
	}
	if c.Charters == nil && c.Lists != nil && c.Docs != nil {
		c.Charters = &charters.Service{DB: c.DB, Groups: c.Groups, Lists: c.Lists, Mail: c.Aliases.Router(c.Lists.Router(c.Docs.Mail)),
			BaseURL: c.BaseURL, Domain: c.Lists.Domain}
	}
	if c.Notices == nil && c.Lists != nil && c.Docs != nil {
		c.Notices = &notices.Service{DB: c.DB, Mail: c.Aliases.Router(c.Lists.Router(c.Docs.Mail)), Notify: c.Aliases.Notifier(c.Lists.Router(c.Docs.Mail)),
			BaseURL: c.BaseURL, Domain: c.Lists.Domain, Log: c.Log}
	}
	if c.OpenData == nil && c.Groups != nil && c.People != nil && c.Lists != nil {
		od, err := OpenData(c)
		if err != nil {
			return nil, err
		}
		c.OpenData = od
	}
	if c.Telechat != nil && c.Telechat.Charters == nil {
		c.Telechat.Charters = c.Charters // section 4 of the agenda
	}
	if c.Export == nil && c.OpenData != nil {
		c.Export = &export.Service{DB: c.DB, API: c.OpenData, Archive: c.Archive}
		if c.Lists != nil {
			c.Export.Lists = c.Lists
		}
	}
	if c.Consensus == nil || c.Appeals == nil || c.Implementations == nil || c.IPR == nil || c.Charters == nil || c.OpenData == nil || c.NomCom == nil || c.Notices == nil {
		// Pages of groups, drafts and sessions show calls, decisions,
		// appeals, implementations, IPR and charters: every server has them.
		return nil, errors.New("web.New: the consensus, appeals, implementations, IPR and charters services need Docs, Lists and Archive")
	}
	t, err := parseTemplates(c.DevTemplates)
	if err != nil {
		return nil, err
	}
	vs := c.OpenData.Versions
	if vs == nil {
		vs = record.NewVersions(c.DB)
	}
	s := &Server{Config: c, tmpl: t, cache: newCache(), versions: vs, limits: newLimiters(), mux: http.NewServeMux()}
	s.sessions = scs.New()
	s.sessions.Store = &sessionStore{db: c.DB}
	s.sessions.Lifetime = 14 * 24 * time.Hour
	s.sessions.IdleTimeout = 7 * 24 * time.Hour
	s.sessions.Cookie.Name = "hum_session"
	s.sessions.Cookie.HttpOnly = true
	s.sessions.Cookie.SameSite = http.SameSiteLaxMode
	s.sessions.Cookie.Secure = strings.HasPrefix(c.BaseURL, "https://")
	s.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.fail(w, r, err)
	}
	s.routes()
	return s, nil
}

// Handler returns the root handler with its middleware.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, fail.New(fail.Forbidden, "This form was sent from another site, so hum refused it (cross-site request forgery protection). Reload the page and try again."))
	}))
	// API calls carry an API key, not a cookie, so cross-origin scripts
	// cannot ride on a browser session there.
	cop.AddInsecureBypassPattern("POST /api/")
	// RFC 8058 one-click unsubscribes are POSTed by mail providers,
	// cross-site by nature. The token in the URL authenticates them, not
	// a cookie, so a forged request has no session to ride on.
	cop.AddInsecureBypassPattern("POST /list/{name}/unsubscribe/{token}/{$}")
	// The front serves kept anonymous pages before the rest (front.go).
	return s.recover(s.front(headers(s.sessions.LoadAndSave(cop.Handler(s.mux)))))
}

// handlerFunc is a handler that returns its failure.
type handlerFunc func(http.ResponseWriter, *http.Request) error

// A pattern that ends in "/" matches only that path, not the subtree
// below it, so unknown paths get a 404 rather than a parent's page.
func (s *Server) handle(pattern string, h handlerFunc) {
	if strings.HasSuffix(pattern, "/") {
		pattern += "{$}"
	}
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackingWriter{ResponseWriter: w}
		err := checkInput(r)
		if err == nil {
			err = h(tw, r)
		}
		if err != nil {
			if tw.wrote {
				// The response is on its way (the client went away mid-write,
				// say): log it, but don't write an error page after it.
				if r.Context().Err() == nil {
					s.Log.Warn("request failed after the response began", "path", r.URL.Path, "err", err)
				}
				return
			}
			s.fail(w, r, err)
		}
	}))
}

// checkInput refuses a path, or a query or form value (or name), holding a NUL or
// bytes that are not UTF-8: nobody types them, and PostgreSQL can neither
// store nor compare them. Every handler gets it, before it runs; a
// multipart form (an upload) is its handler's to parse, with its limits.
func checkInput(r *http.Request) error {
	if p := r.URL.Path; !utf8.ValidString(p) || strings.ContainsRune(p, 0) {
		return fail.New(fail.Invalid, "The address holds a NUL or bytes that are not UTF-8 text.")
	}
	if fe := checkText(r.URL.Query()); fe != nil {
		return fe
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && r.Method != http.MethodGet && r.Method != http.MethodHead {
		// Else a handler's ParseForm fails and it reads an empty form.
		if _, _, err := mime.ParseMediaType(ct); err != nil {
			return fail.New(fail.Invalid, "The form could not be read: its Content-Type %q is not a media type (%v).", ct, err)
		}
	}
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(ct) == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			return fail.New(fail.Invalid, "The form could not be read: %v", err)
		}
		if fe := checkText(r.PostForm); fe != nil {
			return fe
		}
	}
	return nil
}

// checkText refuses a field or filter holding a NUL or bytes that are not
// UTF-8.
func checkText(v map[string][]string) *fail.Error {
	for k, vs := range v {
		for _, x := range vs {
			if !utf8.ValidString(k+x) || strings.ContainsRune(k+x, 0) {
				return fail.Field(strings.ToValidUTF8(k, "?"), "%q holds a NUL or bytes that are not UTF-8 text.", strings.ToValidUTF8(k, "?"))
			}
		}
	}
	return nil
}

// trackingWriter notes whether a handler has begun its response.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (t *trackingWriter) WriteHeader(code int) { t.wrote = true; t.ResponseWriter.WriteHeader(code) }
func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// status maps a failure kind to its HTTP status.
func status(k fail.Kind) int {
	switch k {
	case fail.Invalid:
		return http.StatusBadRequest
	case fail.NotFound:
		return http.StatusNotFound
	case fail.Conflict:
		return http.StatusConflict
	case fail.Unauthorized:
		return http.StatusUnauthorized
	case fail.Forbidden:
		return http.StatusForbidden
	case fail.RateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// errorPage is the model of error.html.
type errorPage struct {
	Page
	Err *fail.Error
}

// fail renders err as a page or, for API paths, as JSON.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	fe, ok := fail.As(err)
	if !ok {
		if errors.Is(err, context.Canceled) {
			return
		}
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		fe = fail.New(fail.Internal, "Something went wrong on our side. It has been logged; please try again.")
	}
	code := status(fe.Kind)
	if wantsJSON(r) {
		writeJSON(w, code, map[string]any{"error": fe.Message, "kind": fe.Kind, "rule": fe.Rule, "field": fe.Field})
		return
	}
	p := s.page(r, http.StatusText(code))
	w.WriteHeader(code)
	s.tmpl.render(w, "error.html", errorPage{p, fe}, s.Log)
}

func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json") && !strings.Contains(r.Header.Get("Accept"), "text/html")
}

// writeJSON writes every JSON response: the API's, doc.json and the
// errors of API calls.
func writeJSON(w http.ResponseWriter, code int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(v)
}

func (s *Server) recover(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

func headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secure(w.Header())
		h.ServeHTTP(w, r)
	})
}

// The security headers of every response, made once. Each slice is full
// (length is capacity), so Header.Add copies rather than writes into it.
var (
	nosniff    = []string{"nosniff"}
	sameOrigin = []string{"same-origin"}
	deny       = []string{"DENY"}
	csp        = []string{"default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; form-action 'self'"}
)

// secure sets the security headers.
func secure(hd http.Header) {
	hd["X-Content-Type-Options"] = nosniff
	hd["Referrer-Policy"] = sameOrigin
	hd["X-Frame-Options"] = deny
	hd["Content-Security-Policy"] = csp
}

// redirect sends the browser on after a successful POST.
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

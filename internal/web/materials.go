package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"hum/internal/consensus"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

// sessionPage is the model of session.html: a group's sessions at a
// meeting, their materials, and the forms the viewer may use.
type sessionPage struct {
	Page
	meetings.GroupSessions
	May         bool // upload, revise and remove materials, decide on proposals
	MayReport   bool // send the session report to the AD
	Secretariat bool
	Err         *fail.Error
	Form        string // the form Err belongs to
	V           url.Values
	Now         time.Time
	// Decisions of the group's sessions here (R31); MayDecide records
	// them, and MinutesDecisions are the minutes' not yet recorded.
	Decisions        []consensus.Decision
	MayDecide        bool
	MinutesDecisions []string
}

// Local is t in the meeting's time zone.
func (p sessionPage) Local(t time.Time) string {
	return t.In(p.Meeting.Location).Format("Mon 2006-01-02 15:04 MST")
}

// Kinds are the kinds a chair may upload here, with their names.
func (p sessionPage) Kinds() []meetings.KindChoice { return meetings.KindChoices() }

// AgendaText is the agenda's source for the edit box.
func (p sessionPage) AgendaText() string {
	if v, ok := p.V["agenda"]; ok && p.Form == "agenda" {
		return v[0]
	}
	return string(p.AgendaSrc)
}

func (s *Server) sessionPage(w http.ResponseWriter, r *http.Request) error {
	return s.showSession(w, r, nil, "")
}

// showSession renders the session page, with a failure beside the form
// that caused it.
func (s *Server) showSession(w http.ResponseWriter, r *http.Request, err error, form string) error {
	p := sessionPage{Form: form, V: r.PostForm}
	if err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Internal || fe.Kind == fail.NotFound || fe.Kind == fail.Unauthorized {
			return err
		}
		p.Err = fe
	}
	gs, gerr := s.Meetings.GroupSessions(r.Context(), r.PathValue("number"), r.PathValue("acronym"))
	if gerr != nil {
		return gerr
	}
	if len(gs.Sessions) == 0 {
		return fail.New(fail.NotFound, "%s has no session at %s.", gs.Group.Acronym, gs.Meeting.Title())
	}
	p.GroupSessions, p.Now = gs, s.DB.Now()
	p.Page = s.page(r, gs.Group.Acronym+" at "+gs.Meeting.Title())
	var by groups.Actor
	if p.User != nil {
		if by, err = s.powers(r.Context(), p.User); err != nil {
			return err
		}
		p.May, p.MayReport, p.Secretariat = meetings.MayManageMaterials(by, gs.Group), meetings.MayReport(by, gs.Group), by.Secretariat()
		w.Header().Set("Cache-Control", "no-store")
	}
	if err := s.sessionDecisions(r.Context(), &p, by); err != nil {
		return err
	}
	if p.Err != nil {
		w.WriteHeader(status(p.Err.Kind))
	}
	return s.show(w, "session.html", p)
}

func sessionURL(r *http.Request) string {
	return "/meeting/" + url.PathEscape(strings.ToLower(r.PathValue("number"))) + "/session/" + url.PathEscape(strings.ToLower(r.PathValue("acronym"))) + "/"
}

// readFile reads a multipart form with one file of at most
// meetings.MaxUpload bytes (the service checks each kind's own limit).
func readFile(w http.ResponseWriter, r *http.Request) (name string, b []byte, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, meetings.MaxUpload+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return "", nil, fail.Field("file", "The upload is larger than hum takes (%d MiB).", meetings.MaxUpload>>20)
		}
		return "", nil, fail.Field("file", "Send the file as multipart/form-data, in the field \"file\".")
	}
	f, h, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return "", nil, nil
	} else if err != nil {
		return "", nil, fail.Field("file", "The file could not be read: %v.", err)
	}
	defer f.Close()
	b, err = io.ReadAll(io.LimitReader(f, meetings.MaxUpload+1))
	return h.Filename, b, err
}

// materialUpload takes a file (or a recording's link) for the group's
// materials at the meeting.
func (s *Server) materialUpload(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	name, b, err := readFile(w, r)
	if err != nil {
		return s.showSession(w, r, err, "upload")
	}
	u := meetings.Upload{Kind: r.FormValue("kind"), Title: r.FormValue("title"), Filename: name, Content: b,
		URL: r.FormValue("url"), Name: r.FormValue("name")}
	if u.Kind != meetings.KindRecording && b == nil {
		return s.showSession(w, r, fail.Field("file", "Choose a file to upload."), "upload")
	}
	x, err := s.Meetings.Upload(r.Context(), by, r.PathValue("number"), r.PathValue("acronym"), u, r.FormValue("why"))
	if err != nil {
		return s.showSession(w, r, err, "upload")
	}
	s.flash(r, "Uploaded "+x.Name+"-"+x.Rev+".")
	return redirect(w, r, sessionURL(r))
}

// agendaEdit saves the agenda typed into the session page (Markdown).
func (s *Server) agendaEdit(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	text := strings.ReplaceAll(r.PostFormValue("agenda"), "\r\n", "\n")
	_, err = s.Meetings.Upload(r.Context(), by, r.PathValue("number"), r.PathValue("acronym"),
		meetings.Upload{Kind: meetings.KindAgenda, Filename: "agenda.md", Content: []byte(text)}, r.PostFormValue("why"))
	if err != nil {
		return s.showSession(w, r, err, "agenda")
	}
	s.flash(r, "The agenda is saved.")
	return redirect(w, r, sessionURL(r))
}

func (s *Server) materialRemove(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	if err := s.Meetings.Remove(r.Context(), by, r.PathValue("number"), r.PathValue("acronym"), r.PostFormValue("name"), r.PostFormValue("why")); err != nil {
		return s.showSession(w, r, err, "remove")
	}
	s.flash(r, "Removed "+r.PostFormValue("name")+".")
	return redirect(w, r, sessionURL(r))
}

// slidesPropose takes slides proposed by any logged-in participant.
func (s *Server) slidesPropose(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	name, b, err := readFile(w, r)
	if err == nil && b == nil {
		err = fail.Field("file", "Choose a file to propose.")
	}
	if err == nil {
		_, err = s.Meetings.ProposeSlides(r.Context(), by, r.PathValue("number"), r.PathValue("acronym"), r.FormValue("title"), name, b)
	}
	if err != nil {
		return s.showSession(w, r, err, "propose")
	}
	s.flash(r, "Your slides are proposed; the chairs will approve or decline them, and you will be told by mail.")
	return redirect(w, r, sessionURL(r))
}

// sessionReport sends the chairs' report to the ADs (R24).
func (s *Server) sessionReport(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	if err := s.Meetings.SendReport(r.Context(), by, r.PathValue("number"), r.PathValue("acronym"), r.PostFormValue("report")); err != nil {
		return s.showSession(w, r, err, "report")
	}
	s.flash(r, "The session report is sent to the responsible AD.")
	return redirect(w, r, sessionURL(r))
}

// mayActOn is whether by may see a proposal's file: those who manage
// the group's materials (g), and the proposer.
func mayActOn(by groups.Actor, g groups.Group, p meetings.Proposal) bool {
	return meetings.MayManageMaterials(by, g) || by.ID == p.SubmitterID
}

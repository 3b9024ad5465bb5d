package web

import (
	"net/http"
	"strconv"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"hum/internal/fail"
	"hum/internal/meetings"
)

// attendSheetPage is a group's blue sheets at a meeting (R24): for each
// of its sessions, the public list of who attended, the button to mark
// one's own attendance, the short link and QR code shown in the room, and
// the secretariat's corrections.
type attendSheetPage struct {
	Page
	Meeting     meetings.Meeting
	Group       string
	Sheets      []meetings.BlueSheet
	BaseURL     string
	Registered  bool
	Secretariat bool
	Err         *fail.Error
	ErrSession  int64
	V           map[string][]string
}

// Local shows a time in the meeting's zone.
func (p attendSheetPage) Local(t time.Time) string {
	return t.In(p.Meeting.Location).Format("Monday 2 January 2006 15:04") + " (" + p.Meeting.TimeZone + ")"
}

// Signed reports whether the viewer's line is on a sheet.
func (p attendSheetPage) Signed(b meetings.BlueSheet) bool {
	if p.User == nil {
		return false
	}
	for _, l := range b.Lines {
		if l.PersonID == p.User.ID {
			return true
		}
	}
	return false
}

// NotRegistered reports whether the error shown is the refusal of someone
// not registered, to offer the registration form.
func (p attendSheetPage) NotRegistered() bool {
	return p.Err != nil && p.Err.Code == meetings.ErrNotRegistered
}

func (s *Server) attendSheetModel(r *http.Request) (attendSheetPage, error) {
	m, sheets, err := s.Meetings.BlueSheets(r.Context(), r.PathValue("number"), r.PathValue("acronym"))
	if err != nil {
		return attendSheetPage{}, err
	}
	p := attendSheetPage{Page: s.page(r, "Attendance: "+sheets[0].Session.Group+" at "+m.Title()), Meeting: m, Group: sheets[0].Session.Group,
		Sheets: sheets, BaseURL: s.BaseURL, V: map[string][]string{}}
	if p.User != nil {
		by, err := s.powers(r.Context(), p.User)
		if err != nil {
			return p, err
		}
		p.Secretariat = by.Secretariat()
		if _, p.Registered, err = s.Meetings.RegistrationOf(r.Context(), m.Number, p.User.ID); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (s *Server) attendSheet(w http.ResponseWriter, r *http.Request) error {
	p, err := s.attendSheetModel(r)
	if err != nil {
		return err
	}
	return s.show(w, "attend_session.html", p)
}

// showSheetError shows the page again with a refusal the person can read
// beside the session it is about.
func (s *Server) showSheetError(w http.ResponseWriter, r *http.Request, sessionID int64, err error) error {
	fe, ok := fail.As(err)
	if !ok || fe.Kind == fail.Internal || fe.Kind == fail.NotFound || fe.Kind == fail.Unauthorized {
		return err
	}
	p, err := s.attendSheetModel(r)
	if err != nil {
		return err
	}
	p.Err, p.ErrSession, p.V = fe, sessionID, r.PostForm
	w.WriteHeader(status(fe.Kind))
	return s.show(w, "attend_session.html", p)
}

func formSession(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PostFormValue("session"), 10, 64)
	return id
}

func (s *Server) attendMark(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	id := formSession(r)
	number, acronym := r.PathValue("number"), r.PathValue("acronym")
	if err := s.Meetings.Attend(r.Context(), by, number, id); err != nil {
		return s.showSheetError(w, r, id, err)
	}
	s.flash(r, "Your attendance is on the blue sheet. Thank you.")
	return redirect(w, r, "/meeting/"+number+"/session/"+acronym+"/attendance/#s-"+strconv.FormatInt(id, 10))
}

func (s *Server) attendCorrect(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	id := formSession(r)
	number, acronym := r.PathValue("number"), r.PathValue("acronym")
	why := r.PostFormValue("why")
	if r.PostFormValue("remove") != "" {
		pid, _ := strconv.ParseInt(r.PostFormValue("remove"), 10, 64)
		err = s.Meetings.RemoveAttendance(r.Context(), by, number, id, pid, why)
	} else {
		err = s.Meetings.AddAttendance(r.Context(), by, number, id, r.PostFormValue("email"), why)
	}
	if err != nil {
		return s.showSheetError(w, r, id, err)
	}
	s.flash(r, "The blue sheet is corrected, and the correction recorded.")
	return redirect(w, r, "/meeting/"+number+"/session/"+acronym+"/attendance/#s-"+strconv.FormatInt(id, 10))
}

// attendQR is the QR code of a session's short attendance link, for the
// screen in the room.
func (s *Server) attendQR(w http.ResponseWriter, r *http.Request) error {
	_, sheets, err := s.Meetings.BlueSheets(r.Context(), r.PathValue("number"), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.URL.Query().Get("session"), 10, 64)
	for _, b := range sheets {
		if b.Session.ID == id || id == 0 && len(sheets) == 1 {
			png, err := qrcode.Encode(s.BaseURL+"/a/"+b.Code+"/", qrcode.Medium, 320)
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", "image/png")
			_, err = w.Write(png)
			return err
		}
	}
	return fail.New(fail.NotFound, "%s has no session %q at this meeting.", r.PathValue("acronym"), r.URL.Query().Get("session"))
}

// attendShort follows a session's short link to its blue sheet.
func (s *Server) attendShort(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.Meetings.SessionByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/meeting/"+sess.Meeting+"/session/"+sess.Group+"/attendance/#s-"+strconv.FormatInt(sess.ID, 10), http.StatusFound)
	return nil
}

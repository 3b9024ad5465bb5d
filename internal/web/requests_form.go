package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

// requestData is what the session request form shows beside the form.
type requestData struct {
	Meeting  meetings.Meeting
	Group    groups.Group
	Current  meetings.GroupRequest // the request as it stands
	Deadline time.Time
	Late     bool // past the deadline: only the secretariat may save
	// Last is the group's request at an earlier meeting, if any, and
	// what it asked for there beside how many came.
	Last         *meetings.GroupRequest
	Attended     int
	HasAttended  bool
	Copied       string // the meeting the conflicts were just copied from
	Problems     map[string][]string
	Levels       []meetings.ConstraintName
	Ranges       []meetings.TimeRange
	Relations    []meetings.TimeRelation
	Lengths      []int
	SessionCount []int
}

// attendedLast is how many people attended g's sessions at the meeting
// of its last request, from the blue sheets, and whether that is known.
func (s *Server) attendedLast(ctx context.Context, g groups.Group, last meetings.GroupRequest) (int, bool) {
	if last.Meeting == "" {
		return 0, false
	}
	n, known, err := s.Meetings.PeopleAttended(ctx, last.Meeting, g.Acronym)
	if err != nil {
		s.Log.Error("attendance at the last meeting", "group", g.Acronym, "meeting", last.Meeting, "err", err)
		return 0, false
	}
	return n, known
}

// requestPage loads the meeting and group of a request URL and checks
// that the viewer may request for the group.
func (s *Server) requestPage(r *http.Request) (groups.Actor, meetings.Meeting, groups.Group, error) {
	_, by, err := s.need(r)
	if err != nil {
		return by, meetings.Meeting{}, groups.Group{}, err
	}
	m, err := s.Meetings.Get(r.Context(), r.PathValue("number"))
	if err != nil {
		return by, m, groups.Group{}, err
	}
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return by, m, g, err
	}
	if !meetings.MayRequest(by, g) {
		return by, m, g, fail.New(fail.Forbidden, "Only the chairs, secretaries and delegates of %s, its AD and the secretariat may request its sessions.", g.Acronym)
	}
	return by, m, g, nil
}

func (s *Server) requestForm(w http.ResponseWriter, r *http.Request) error {
	by, m, g, err := s.requestPage(r)
	if err != nil {
		return err
	}
	f := newForm[requestData](s, r, "Session request: "+g.Acronym+" at "+m.Title())
	cur, err := s.Meetings.SessionRequest(r.Context(), m.Number, g.Acronym)
	if err != nil {
		return err
	}
	f.V = requestValues(cur.Request)
	if cur.Status == "" || cur.Status == meetings.StatusNotMeeting {
		f.V.Set("sessions", "1")
		f.V.Set("length1", "60")
	}
	if r.URL.Query().Get("copy") != "" {
		last, err := s.Meetings.LastRequest(r.Context(), m.Number, g.Acronym)
		switch {
		case err == nil:
			for _, l := range meetings.ConflictLevels {
				f.V.Set(l, strings.Join(last.Request.Conflicts[l], " "))
			}
			f.Data.Copied = last.Meeting
		case fail.KindOf(err) == fail.NotFound:
			f.Err, _ = fail.As(err)
		default:
			return err
		}
	}
	return s.showRequest(w, r, f, by, m, g)
}

func (s *Server) showRequest(w http.ResponseWriter, r *http.Request, f form[requestData], by groups.Actor, m meetings.Meeting, g groups.Group) error {
	ctx := r.Context()
	cur, err := s.Meetings.SessionRequest(ctx, m.Number, g.Acronym)
	if err != nil {
		return err
	}
	d := &f.Data
	d.Meeting, d.Group, d.Current = m, g, cur
	if d.Deadline, err = s.Meetings.SessionRequestDeadline(ctx, m); err != nil {
		return err
	}
	d.Late = s.DB.Now().After(d.Deadline) && !by.Secretariat()
	if last, err := s.Meetings.LastRequest(ctx, m.Number, g.Acronym); err == nil {
		d.Last = &last
		d.Attended, d.HasAttended = s.attendedLast(ctx, g, last)
	} else if fail.KindOf(err) != fail.NotFound {
		return err
	}
	for _, l := range meetings.ConflictLevels {
		c, _ := meetings.Constraint(l)
		d.Levels = append(d.Levels, c)
	}
	d.Ranges, d.Relations = meetings.Vocab().TimeRanges, meetings.TimeRelations
	for _, l := range meetings.SessionLengths {
		d.Lengths = append(d.Lengths, int(l/time.Minute))
	}
	for i := range meetings.MaxSessions {
		d.SessionCount = append(d.SessionCount, i+1)
	}
	d.Problems = problemsByField(f.Err)
	if f.Err != nil {
		w.WriteHeader(status(f.Err.Kind))
	}
	return s.show(w, "meeting_request.html", f)
}

// problemsByField sorts a failure's problems by the field they are
// about, so a form shows each beside its field.
func problemsByField(e *fail.Error) map[string][]string {
	out := map[string][]string{}
	if e == nil {
		return out
	}
	if e.Field != "" {
		out[e.Field] = append(out[e.Field], e.Message)
	}
	for _, p := range e.Problems {
		out[p.Field] = append(out[p.Field], p.Message)
	}
	return out
}

// requestValues is a request as the form's values.
func requestValues(r meetings.Request) url.Values {
	v := url.Values{}
	v.Set("sessions", strconv.Itoa(r.Sessions))
	for i, l := range r.Lengths {
		v.Set("length"+strconv.Itoa(i+1), strconv.Itoa(int(l/time.Minute)))
	}
	if r.Attendees > 0 {
		v.Set("attendees", strconv.Itoa(r.Attendees))
	}
	for _, l := range meetings.ConflictLevels {
		v.Set(l, strings.Join(r.Conflicts[l], " "))
	}
	v.Set("bethere", strings.Join(r.BeThere, " "))
	v["timeranges"] = r.TimeRanges
	v.Set("adjacent", r.Adjacent)
	v.Set("joint_with", strings.Join(r.JointWith, " "))
	v.Set("joint_for", strconv.Itoa(r.JointSession))
	v.Set("time_relation", r.TimeRelation)
	v.Set("comments", r.Comments)
	return v
}

// parseRequest reads the form. A number that is not one reads as 0 (or
// -1 for the joint session), which the service refuses by name.
func parseRequest(v url.Values) meetings.Request {
	num := func(k string, bad int) int {
		n, err := strconv.Atoi(strings.TrimSpace(v.Get(k)))
		if err != nil {
			return bad
		}
		return n
	}
	r := meetings.Request{
		Sessions: num("sessions", 0), Attendees: num("attendees", 0),
		Conflicts: map[string][]string{}, BeThere: meetings.SplitList(v.Get("bethere")), TimeRanges: v["timeranges"],
		Adjacent: v.Get("adjacent"), JointWith: meetings.SplitList(v.Get("joint_with")), JointSession: num("joint_for", -1),
		TimeRelation: v.Get("time_relation"), Comments: v.Get("comments"),
	}
	if v.Get("joint_for") == "" {
		r.JointSession = 0
	}
	for i := 1; i <= min(max(r.Sessions, 1), meetings.MaxSessions); i++ {
		r.Lengths = append(r.Lengths, time.Duration(num("length"+strconv.Itoa(i), 0))*time.Minute)
	}
	for _, l := range meetings.ConflictLevels {
		r.Conflicts[l] = meetings.SplitList(v.Get(l))
	}
	return r
}

func (s *Server) requestSave(w http.ResponseWriter, r *http.Request) error {
	by, m, g, err := s.requestPage(r)
	if err != nil {
		return err
	}
	f := newForm[requestData](s, r, "Session request: "+g.Acronym+" at "+m.Title())
	if err := s.Meetings.RequestSessions(r.Context(), by, m.Number, g.Acronym, parseRequest(r.PostForm), r.PostForm.Get("why")); err != nil {
		return s.requestAgain(w, r, f, by, m, g, err)
	}
	s.flash(r, "The request for "+g.Acronym+" at "+m.Title()+" is saved and recorded.")
	return redirect(w, r, "/meeting/"+m.Number+"/requests/"+g.Acronym+"/")
}

// requestAgain shows the form again with a failure the requester can
// mend or needs to read; other failures go to the error page.
func (s *Server) requestAgain(w http.ResponseWriter, r *http.Request, f form[requestData], by groups.Actor, m meetings.Meeting, g groups.Group, err error) error {
	fe, ok := fail.As(err)
	if !ok || fe.Kind == fail.Internal || fe.Kind == fail.Forbidden {
		return err
	}
	f.Err = fe
	return s.showRequest(w, r, f, by, m, g)
}

func (s *Server) requestWithdraw(w http.ResponseWriter, r *http.Request) error {
	return s.requestEnd(w, r, false)
}

func (s *Server) requestNotMeeting(w http.ResponseWriter, r *http.Request) error {
	return s.requestEnd(w, r, true)
}

func (s *Server) requestEnd(w http.ResponseWriter, r *http.Request, notMeeting bool) error {
	by, m, g, err := s.requestPage(r)
	if err != nil {
		return err
	}
	f := newForm[requestData](s, r, "Session request: "+g.Acronym+" at "+m.Title())
	end, done := s.Meetings.WithdrawRequest, "The request for "+g.Acronym+" at "+m.Title()+" is withdrawn."
	if notMeeting {
		end, done = s.Meetings.NotMeeting, "Recorded that "+g.Acronym+" will not meet at "+m.Title()+"."
	}
	if err := end(r.Context(), by, m.Number, g.Acronym, r.PostForm.Get("why")); err != nil {
		cur, _ := s.Meetings.SessionRequest(r.Context(), m.Number, g.Acronym)
		f.V = requestValues(cur.Request)
		return s.requestAgain(w, r, f, by, m, g, err)
	}
	s.flash(r, done)
	return redirect(w, r, "/meeting/"+m.Number+"/requests/"+g.Acronym+"/")
}

// StatusName is the name of the request's status.
func (d requestData) StatusName() string {
	if d.Current.Status == "" {
		return "No request yet"
	}
	return meetings.StatusNames[d.Current.Status]
}

package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"hum/internal/appeals"
	"hum/internal/archive"
	"hum/internal/consensus"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/record"
)

// callListPage is the model of call_list.html.
type callListPage struct {
	Page
	Group   groups.Group
	Calls   []consensus.Call
	MayOpen bool
}

func (s *Server) callList(w http.ResponseWriter, r *http.Request) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	cs, _, err := s.Consensus.List(r.Context(), consensus.Filter{Group: g.Acronym})
	if err != nil {
		return err
	}
	p := callListPage{Page: s.page(r, g.Acronym+": consensus calls"), Group: g, Calls: cs}
	if by, err := s.actorOf(r); err != nil {
		return err
	} else {
		p.MayOpen = by.Secretariat() || by.Leads(g)
	}
	return s.show(w, "call_list.html", p)
}

// callFormData is the Data of call_new.html.
type callFormData struct {
	Group groups.Group
	Kinds []struct{ Slug, Name string }
}

func (s *Server) callNewForm(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	if !by.Secretariat() && !by.Leads(g) {
		return fail.Rule("R30", fail.Forbidden, "Only the chairs of %s call for consensus on its list.", g.Acronym)
	}
	q := r.URL.Query()
	o := consensus.Opening{Group: g.Acronym, Kind: q.Get("kind"), Doc: q.Get("doc")}
	o.DecisionID, _ = strconv.ParseInt(q.Get("decision"), 10, 64)
	o.RequestID, _ = strconv.ParseInt(q.Get("request"), 10, 64)
	f := newForm[callFormData](s, r, g.Acronym+": open a consensus call")
	f.Data = callFormData{Group: g, Kinds: consensus.Kinds}
	o, err = s.Consensus.Prefill(r.Context(), o)
	if fe, ok := fail.As(err); ok && fe.Kind != fail.Internal {
		f.Err = fe
	} else if err != nil {
		return err
	}
	f.V = map[string][]string{"kind": {o.Kind}, "doc": {o.Doc}, "question": {o.Question},
		"deadline": {s.DB.Now().Add(consensus.DefaultPeriod).UTC().Format("2006-01-02T15:04")}}
	if o.DecisionID != 0 {
		f.V.Set("decision", strconv.FormatInt(o.DecisionID, 10))
	}
	if o.RequestID != 0 {
		f.V.Set("request", strconv.FormatInt(o.RequestID, 10))
	}
	return s.show(w, "call_new.html", f)
}

// formTime reads a datetime-local field as UTC; "" is the zero time.
func formTime(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fail.Field(field, "%q is not a date and time (YYYY-MM-DD HH:MM, UTC).", v)
}

func (s *Server) callOpen(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	f := newForm[callFormData](s, r, g.Acronym+": open a consensus call")
	f.Data = callFormData{Group: g, Kinds: consensus.Kinds}
	v := r.PostForm
	o := consensus.Opening{Group: g.Acronym, Kind: v.Get("kind"), Doc: strings.TrimSpace(v.Get("doc")), Question: v.Get("question")}
	if d := strings.TrimSpace(v.Get("decision")); d != "" {
		if o.DecisionID, err = strconv.ParseInt(d, 10, 64); err != nil {
			return again(s, w, "call_new.html", f, fail.Field("decision", "%q is not a decision number.", d))
		}
	}
	o.RequestID, _ = strconv.ParseInt(v.Get("request"), 10, 64)
	if o.Deadline, err = formTime("deadline", v.Get("deadline")); err != nil {
		return again(s, w, "call_new.html", f, err)
	}
	c, err := s.Consensus.Open(r.Context(), by, o)
	if err != nil {
		return again(s, w, "call_new.html", f, err)
	}
	s.flash(r, "The call is open and posted to the "+c.List+" list.")
	return redirect(w, r, callURL(c))
}

func callURL(c consensus.Call) string {
	return "/group/" + c.Group + "/calls/" + strconv.FormatInt(c.ID, 10) + "/"
}

// callPage is the model of call.html. It has no count of anything: the
// notes are the chair's reading, shown message by message (R32).
type callPage struct {
	Page
	Err      *fail.Error
	Call     consensus.Call
	ThreadAt string // the call's post in the archive
	Thread   []callPost
	Issues   []consensus.Issue
	History  []record.Event
	MayChair bool
	// Appeals are the appeals of the call's outcome (its closing event).
	Appeals  []appeals.Appeal
	Kinds    []struct{ Slug, Name string }
	Outcomes []struct{ Slug, Name string }
}

// callPost is a message of the thread with the chair's note on it.
type callPost struct {
	archive.Post
	Note *consensus.Note
}

// OpenIssues are the issues still open, for the close form (R34).
func (p callPage) OpenIssues() []consensus.Issue {
	var out []consensus.Issue
	for _, i := range p.Issues {
		if i.State == "open" {
			out = append(out, i)
		}
	}
	return out
}

func (s *Server) call(r *http.Request) (consensus.Call, error) {
	id, err := pathID(r)
	if err != nil {
		return consensus.Call{}, err
	}
	c, err := s.Consensus.Get(r.Context(), id)
	if err == nil && !strings.EqualFold(c.Group, r.PathValue("acronym")) {
		err = fail.New(fail.NotFound, "%s has no consensus call #%d.", r.PathValue("acronym"), id)
	}
	return c, err
}

func (s *Server) callPage(w http.ResponseWriter, r *http.Request) error {
	return s.showCall(w, r, nil)
}

func (s *Server) showCall(w http.ResponseWriter, r *http.Request, fe *fail.Error) error {
	ctx := r.Context()
	c, err := s.call(r)
	if err != nil {
		return err
	}
	p := callPage{Page: s.page(r, c.KindName()+": "+c.Group), Err: fe, Call: c, Kinds: consensus.NoteKinds, Outcomes: consensus.Outcomes}
	posts, err := s.Consensus.Thread(ctx, c)
	if err != nil {
		return err
	}
	notes, err := s.Consensus.Notes(ctx, c.ID)
	if err != nil {
		return err
	}
	byID := map[string]*consensus.Note{}
	for i := range notes {
		byID[notes[i].MessageID] = &notes[i]
	}
	for _, m := range posts {
		if m.MessageID == c.MessageID {
			p.ThreadAt = "/arch/msg/" + c.List + "/" + m.ID + "/"
		}
		p.Thread = append(p.Thread, callPost{Post: m, Note: byID[m.MessageID]})
	}
	if p.Issues, err = s.Consensus.Issues(ctx, c.ID); err != nil {
		return err
	}
	if p.History, err = s.Consensus.History(ctx, c.ID); err != nil {
		return err
	}
	if !c.Open() {
		ev, err := s.Appeals.CallEvent(ctx, c.Group, c.ID)
		if err != nil && fail.KindOf(err) != fail.NotFound {
			return err
		}
		if ev != 0 {
			as, err := s.Appeals.ForEvents(ctx, []int64{ev})
			if err != nil {
				return err
			}
			p.Appeals = as[ev]
		}
	}
	by, err := s.actorOf(r)
	if err != nil {
		return err
	}
	if g, err := s.Groups.Get(ctx, c.Group); err == nil {
		p.MayChair = c.Open() && (by.Secretariat() || by.Leads(g))
	}
	if fe != nil {
		w.WriteHeader(status(fe.Kind))
	}
	return s.show(w, "call.html", p)
}

// callAction is the chair's POST on a call: note, address, extend, close.
func (s *Server) callAction(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	c, err := s.call(r)
	if err != nil {
		return err
	}
	r.ParseForm()
	v := r.PostForm
	ctx := r.Context()
	var done string
	switch v.Get("action") {
	case "note":
		err, done = s.Consensus.NoteMessage(ctx, by, c.ID, v.Get("message"), v.Get("kind"), v.Get("note")), "Noted."
	case "address":
		id, _ := strconv.ParseInt(v.Get("issue"), 10, 64)
		if err = s.callHasIssue(r, c, id); err == nil {
			err, done = s.Consensus.Address(ctx, by, id, v.Get("message"), v.Get("rev"), v.Get("note")), "The issue is marked addressed."
		}
	case "extend":
		var t time.Time
		if t, err = formTime("deadline", v.Get("deadline")); err == nil {
			err, done = s.Consensus.Extend(ctx, by, c.ID, t, v.Get("why")), "The deadline is extended."
		}
	case "close":
		cl := consensus.Closing{Outcome: v.Get("outcome"), Explanation: v.Get("explanation"), NotAccommodated: map[int64]string{}}
		for k := range v {
			if id, ok := strings.CutPrefix(k, "why_"); ok {
				n, _ := strconv.ParseInt(id, 10, 64)
				cl.NotAccommodated[n] = v.Get(k)
			}
		}
		err, done = s.Consensus.Close(ctx, by, c.ID, cl), "The call is closed and its outcome posted to the list."
	default:
		err = fail.Field("action", "%q is not something to do with a call.", v.Get("action"))
	}
	if err != nil {
		fe, ok := fail.As(err)
		if !ok || fe.Kind == fail.Internal || fe.Kind == fail.Forbidden || fe.Kind == fail.Unauthorized {
			return err
		}
		return s.showCall(w, r, fe)
	}
	s.flash(r, done)
	return redirect(w, r, callURL(c))
}

// callHasIssue refuses an issue that is not the call's: a call's page
// acts on that call only.
func (s *Server) callHasIssue(r *http.Request, c consensus.Call, id int64) error {
	is, err := s.Consensus.Issues(r.Context(), c.ID)
	if err != nil {
		return err
	}
	for _, i := range is {
		if i.ID == id {
			return nil
		}
	}
	return fail.New(fail.NotFound, "Call #%d has no objection or issue #%d.", c.ID, id)
}

// callTally answers a request for a count of a call's replies: there is
// none (R30, R32).
func (s *Server) callTally(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.call(r); err != nil {
		return err
	}
	return consensus.NoTally("vote count or percentage")
}

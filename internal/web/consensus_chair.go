package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"hum/internal/appeals"
	"hum/internal/consensus"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/meetings"
)

// Decisions from meetings (R31), requests for calls and the chairs'
// dashboard (routes in routes_consensus_chair.go).

// dashboardPage is the model of chair_dashboard.html: one group's
// dashboard, or (at /me/) those of every group the viewer leads.
type dashboardPage struct {
	Page
	Boards []consensus.Dashboard
	Me     bool
	// Requests are the viewer's own requests for calls (at /me/).
	Requests []consensus.CallRequest
	// May is whether the viewer acts for the group (its one board).
	May bool
	// Appeals are the appeals awaiting each board's chairs, by acronym.
	Appeals map[string][]appeals.Appeal
	// ForYou are the appeals awaiting a response the viewer may record
	// at any level (at /me/: a chair, an AD, the IESG, the IAB).
	ForYou []appeals.Appeal
}

// addBoard adds a group's dashboard and the appeals awaiting its chairs.
func (s *Server) addBoard(ctx context.Context, p *dashboardPage, acronym string) error {
	d, err := s.dashboard(ctx, acronym)
	if err != nil {
		return err
	}
	p.Boards = append(p.Boards, d)
	as, err := s.Appeals.AwaitingChairs(ctx, d.Group.ID)
	if err != nil {
		return err
	}
	if p.Appeals == nil {
		p.Appeals = map[string][]appeals.Appeal{}
	}
	p.Appeals[d.Group.Acronym] = as
	return nil
}

// dashboard reads a group's dashboard, the minutes from meetings.
func (s *Server) dashboard(ctx context.Context, acronym string) (consensus.Dashboard, error) {
	return s.Consensus.Dashboard(ctx, acronym, s.Meetings.MissingMinutes)
}

// chairDashboard is /group/{acronym}/chair/: public, as all of hum is to
// read; the forms it links to are for the chairs.
func (s *Server) chairDashboard(w http.ResponseWriter, r *http.Request) error {
	var p dashboardPage
	if err := s.addBoard(r.Context(), &p, r.PathValue("acronym")); err != nil {
		return err
	}
	d := p.Boards[0]
	p.Page = s.page(r, "Chairs' dashboard: "+d.Group.Acronym)
	if p.User != nil {
		by, err := s.powers(r.Context(), p.User)
		if err != nil {
			return err
		}
		p.May = consensus.MayDecide(by, d.Group.ID)
		w.Header().Set("Cache-Control", "no-store")
	}
	return s.show(w, "chair_dashboard.html", p)
}

// mePage is /me/: the dashboards of every group the viewer chairs, is
// secretary of or delegates for, and their own requests for calls.
func (s *Server) mePage(w http.ResponseWriter, r *http.Request) error {
	u, by, err := s.need(r)
	if err != nil {
		return err
	}
	p := dashboardPage{Page: s.page(r, "Your dashboard"), Me: true, May: true}
	for _, g := range consensus.LedGroups(by) {
		if err := s.addBoard(r.Context(), &p, g); err != nil {
			return err
		}
	}
	if p.ForYou, err = s.Appeals.ForResponder(r.Context(), by); err != nil {
		return err
	}
	if p.Requests, err = s.Consensus.CallRequests(r.Context(), consensus.RequestFilter{RequesterID: u.ID}); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.show(w, "chair_dashboard.html", p)
}

// decisionsPage is the model of group_decisions.html.
type decisionsPage struct {
	Page
	Group     groups.Group
	Decisions []consensus.Decision
	MayDecide bool
}

// groupDecisions is /group/{acronym}/decisions/: every decision of the
// group's sessions, with its state.
func (s *Server) groupDecisions(w http.ResponseWriter, r *http.Request) error {
	g, err := s.Groups.Get(r.Context(), r.PathValue("acronym"))
	if err != nil {
		return err
	}
	p := decisionsPage{Page: s.page(r, "Decisions of "+g.Acronym), Group: g}
	if p.Decisions, _, err = s.Consensus.Decisions(r.Context(), consensus.DecisionFilter{Group: g.Acronym}); err != nil {
		return err
	}
	if p.User != nil {
		by, err := s.powers(r.Context(), p.User)
		if err != nil {
			return err
		}
		p.MayDecide = consensus.MayDecide(by, g.ID)
		w.Header().Set("Cache-Control", "no-store")
	}
	return s.show(w, "group_decisions.html", p)
}

// sessionDecisions fills the session page's Decisions section: the
// decisions of the group's sessions at the meeting and, for those who
// record them, the minutes' "Decision:" lines not yet recorded.
func (s *Server) sessionDecisions(ctx context.Context, p *sessionPage, by groups.Actor) (err error) {
	if p.Decisions, err = s.Consensus.MeetingDecisions(ctx, p.Meeting.Number, p.Group.Acronym); err != nil {
		return err
	}
	p.MayDecide = consensus.MayDecide(by, p.Group.ID)
	if !p.MayDecide || p.Minutes == nil {
		return nil
	}
	text, err := s.minutesText(ctx, p.Minutes)
	if err != nil {
		return err
	}
	recorded := map[string]bool{}
	for _, d := range p.Decisions {
		recorded[d.Text] = true
	}
	for _, t := range consensus.DecisionsInMinutes(text) {
		if !recorded[t] {
			p.MinutesDecisions = append(p.MinutesDecisions, t)
		}
	}
	return nil
}

// minutesText is the minutes' source, if it is text (Markdown, text or
// HTML, whose lines are read as they are); "" for other formats.
func (s *Server) minutesText(ctx context.Context, m *meetings.Material) (string, error) {
	switch m.Format {
	case meetings.FormatMarkdown, meetings.FormatText, meetings.FormatHTML:
	default:
		return "", nil
	}
	_, b, err := s.Meetings.Content(ctx, m.Name, "")
	return string(b), err
}

// sessionID reads the form's session: the group's only one when the
// form names none.
func sessionID(r *http.Request, p []meetings.Session) (int64, error) {
	v := r.PostFormValue("session")
	if v == "" && len(p) == 1 {
		return p[0].ID, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, fail.Field("session", "Choose the session that took the decision.")
	}
	return id, nil
}

// groupSessionsOf is the group's sessions at the meeting of the path;
// a group with none there has no session page.
func (s *Server) groupSessionsOf(r *http.Request) (meetings.GroupSessions, error) {
	gs, err := s.Meetings.GroupSessions(r.Context(), r.PathValue("number"), r.PathValue("acronym"))
	if err == nil && len(gs.Sessions) == 0 {
		err = fail.New(fail.NotFound, "%s has no session at %s.", gs.Group.Acronym, gs.Meeting.Title())
	}
	return gs, err
}

// decisionRecord records a decision typed on the session page.
func (s *Server) decisionRecord(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	gs, err := s.groupSessionsOf(r)
	if err != nil {
		return err
	}
	id, err := sessionID(r, gs.Sessions)
	if err == nil {
		_, err = s.Consensus.RecordDecision(r.Context(), by, r.PathValue("acronym"), id, r.PostFormValue("text"))
	}
	if err != nil {
		return s.showSession(w, r, err, "decision")
	}
	s.flash(r, "The decision is recorded, pending confirmation on the list (R31).")
	return redirect(w, r, sessionURL(r)+"#decisions")
}

// decisionsFromMinutes records the minutes' decisions the chair ticked.
func (s *Server) decisionsFromMinutes(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	gs, err := s.groupSessionsOf(r)
	if err != nil {
		return err
	}
	if gs.Minutes == nil {
		return s.showSession(w, r, fail.New(fail.Invalid, "%s has no minutes at %s to take decisions from.", gs.Group.Acronym, gs.Meeting.Title()), "minutes-decisions")
	}
	text, err := s.minutesText(r.Context(), gs.Minutes)
	if err != nil {
		return err
	}
	id, err := sessionID(r, gs.Sessions)
	if err != nil {
		return s.showSession(w, r, err, "minutes-decisions")
	}
	added, skipped, err := s.Consensus.FromMinutes(r.Context(), by, gs.Group.Acronym, id, text, r.PostForm["decision"])
	if err != nil {
		return s.showSession(w, r, err, "minutes-decisions")
	}
	msg := fmt.Sprintf("Recorded %d decision(s) from the minutes, pending confirmation on the list (R31).", len(added))
	if len(skipped) > 0 {
		msg += fmt.Sprintf(" %d were recorded already and are left as they are.", len(skipped))
	}
	s.flash(r, msg)
	return redirect(w, r, sessionURL(r)+"#decisions")
}

// askCall is the doc page's "ask the chairs for a call" section.
type askCall struct {
	Waiting []consensus.CallRequest // every request about the draft
	WGs     []groups.Group          // active WGs, for adoption of an individual draft
}

// askCallModel reads the section for a draft.
func (s *Server) askCallModel(ctx context.Context, p *docPage) (err error) {
	if p.Doc.Type != "draft" {
		return nil
	}
	p.Ask = &askCall{}
	if p.Ask.Waiting, err = s.Consensus.CallRequests(ctx, consensus.RequestFilter{Doc: p.Doc.Name, State: "waiting"}); err != nil {
		return err
	}
	if p.Doc.Individual() || p.Doc.Group == "" {
		p.Ask.WGs, _, err = s.Groups.List(ctx, groups.Filter{Type: "wg", State: "active"})
	}
	return err
}

// requestCall takes a participant's request that the chairs start a
// call on the draft.
func (s *Server) requestCall(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	name := strings.ToLower(r.PathValue("name"))
	req, err := s.Consensus.AskForCall(r.Context(), by, name, r.PostFormValue("kind"), r.PostFormValue("group"), r.PostFormValue("reason"))
	if err != nil {
		if fe, ok := fail.As(err); ok && fe.Kind != fail.Internal && fe.Kind != fail.NotFound {
			w.WriteHeader(status(fe.Kind))
			return s.show(w, "call_request.html", callReqPage{Page: s.page(r, "Ask for a call on "+name), Doc: name, Err: fe, V: r.PostForm})
		}
		return err
	}
	s.flash(r, fmt.Sprintf("Your request for a %s is sent to the chairs of %s.", req.KindName(), req.Group))
	return redirect(w, r, req.URL())
}

// callReqPage is the model of call_request.html: a request and, for the
// chairs, the forms to act on it; or a refused request with its error.
type callReqPage struct {
	Page
	Req *consensus.CallRequest
	Doc string // the draft of a refused request
	May bool
	Err *fail.Error
	V   url.Values
}

func (s *Server) showCallRequest(w http.ResponseWriter, r *http.Request, ferr error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	req, err := s.Consensus.CallRequest(r.Context(), r.PathValue("acronym"), id)
	if err != nil {
		return err
	}
	p := callReqPage{Page: s.page(r, "Request for a "+req.KindName()+" of "+req.Doc), Req: &req, V: r.PostForm}
	if p.User != nil {
		by, err := s.powers(r.Context(), p.User)
		if err != nil {
			return err
		}
		p.May = consensus.MayDecide(by, req.GroupID)
	}
	if ferr != nil {
		fe, ok := fail.As(ferr)
		if !ok || fe.Kind == fail.Internal || fe.Kind == fail.Unauthorized || fe.Kind == fail.NotFound {
			return ferr
		}
		p.Err = fe
		w.WriteHeader(status(fe.Kind))
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.show(w, "call_request.html", p)
}

// callRequestPage is /group/{acronym}/requests/{id}/, public.
func (s *Server) callRequestPage(w http.ResponseWriter, r *http.Request) error {
	return s.showCallRequest(w, r, nil)
}

// requestDecline declines a waiting request with the chairs' reason.
func (s *Server) requestDecline(w http.ResponseWriter, r *http.Request) error {
	_, by, err := s.need(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.Consensus.DeclineRequest(r.Context(), by, r.PathValue("acronym"), id, r.PostFormValue("answer")); err != nil {
		return s.showCallRequest(w, r, err)
	}
	s.flash(r, "The request is declined; the requester gets your answer by mail.")
	return redirect(w, r, r.URL.Path[:len(r.URL.Path)-len("decline/")])
}

package web

import (
	"fmt"
	"net/http"

	"hum/internal/consensus"
	"hum/internal/fail"
	"hum/internal/opendata"
)

// The JSON API of decisions from meetings (R31), in the list shape of the
// rest of hum's API (routes in routes_consensus_chair.go).

type apiDecision struct {
	ID           int64   `json:"id"`
	ResourceURI  string  `json:"resource_uri"`
	Group        string  `json:"group"`
	GroupAcronym string  `json:"group_acronym"`
	Session      *string `json:"session"`
	Meeting      string  `json:"meeting_number"`
	Text         string  `json:"text"`
	State        string  `json:"state"`
	RecordedBy   string  `json:"recorded_by"`
	Recorded     string  `json:"recorded"`
	Settled      *string `json:"settled"`
	SettledBy    *string `json:"settled_by_call"`
	Reason       string  `json:"reason"`
	Stale        bool    `json:"pending_over_a_month"`
}

func toAPIDecision(d consensus.Decision) apiDecision {
	a := apiDecision{ID: d.ID, ResourceURI: fmt.Sprintf("/api/v1/consensus/decision/%d/", d.ID), Group: groupURI(d.GroupID), GroupAcronym: d.Group,
		Meeting: d.Meeting, Text: d.Text, State: d.State, RecordedBy: d.RecordedBy, Recorded: isoTime(d.Recorded), Reason: d.Reason, Stale: d.Stale}
	if d.SessionID != 0 {
		u := sessionURI(d.SessionID)
		a.Session = &u
	}
	if !d.Settled.IsZero() {
		t := isoTime(d.Settled)
		a.Settled = &t
	}
	if d.SettledBy != 0 {
		c := fmt.Sprintf("/api/v1/consensus/call/%d/", d.SettledBy)
		a.SettledBy = &c
	}
	return a
}

// apiDecisionList is /api/v1/consensus/decision/, filtered by
// group__acronym, state and session (an id or resource URI).
func (s *Server) apiDecisionList(w http.ResponseWriter, r *http.Request, one bool) error {
	q := r.URL.Query()
	if err := allowed(q, "id", "group__acronym", "state", "session"); err != nil {
		return err
	}
	limit, offset, err := opendata.Paging(q)
	if err != nil {
		return err
	}
	f := consensus.DecisionFilter{Group: q.Get("group__acronym"), State: q.Get("state"), Limit: limit, Offset: offset}
	if err := ids(q, map[string]*int64{"id": &f.ID, "session": &f.SessionID}); err != nil {
		return err
	}
	switch f.State {
	case "", "pending", "confirmed", "reversed":
	default:
		return fail.Field("state", "state is pending, confirmed or reversed, not %q.", f.State)
	}
	ds, total, err := s.Consensus.Decisions(r.Context(), f)
	if err != nil {
		return err
	}
	objs := make([]apiDecision, 0, len(ds))
	for _, d := range ds {
		objs = append(objs, toAPIDecision(d))
	}
	return answer(w, r, one, limit, offset, total, objs, "decision")
}

package web

import (
	"fmt"
	"net/http"
	"time"

	"hum/internal/appeals"
	"hum/internal/opendata"
)

// The appeals' API: the Datatracker's Appeal (ietf/group/models.py: name,
// group, date) at its resource, /api/v1/group/appeal/, with hum's own
// fields beside: the kind, the state, the level it is at, the decision
// appealed (its event) and each level's response.

type apiAppeal struct {
	ID          int64               `json:"id"`
	Name        string              `json:"name"`
	Group       *string             `json:"group"`
	Date        string              `json:"date"`
	Kind        string              `json:"kind"`
	State       string              `json:"state"`
	Level       string              `json:"level"`
	Appellant   string              `json:"appellant"`
	Decision    apiAppealedDecision `json:"decision"`
	Facts       string              `json:"facts"`
	Remedy      string              `json:"remedy"`
	Procedural  bool                `json:"procedural"`
	Annulled    bool                `json:"annulled"`
	Levels      []apiAppealLevel    `json:"levels"`
	ResourceURI string              `json:"resource_uri"`
}

type apiAppealedDecision struct {
	Event       int64  `json:"event"`
	Time        string `json:"time"`
	SubjectType string `json:"subject_type"`
	Subject     string `json:"subject"`
	Summary     string `json:"summary"`
	URL         string `json:"url"`
}

type apiAppealLevel struct {
	Level        string  `json:"level"`
	Reason       string  `json:"reason"`
	Addressed    string  `json:"addressed"`
	Due          *string `json:"due"`
	Acknowledged *string `json:"acknowledged"`
	Response     string  `json:"response"`
	Responded    *string `json:"responded"`
	Responder    string  `json:"responder"`
	Annuls       bool    `json:"annuls"`
}

func optTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := isoTime(*t)
	return &s
}

func toAPIAppeal(a appeals.Appeal) apiAppeal {
	out := apiAppeal{ID: a.ID, Name: a.Name, Date: a.Filed.UTC().Format(time.DateOnly), Kind: a.Kind, State: a.State, Level: a.Level,
		Appellant: a.Appellant, Facts: a.Facts, Remedy: a.Remedy, Procedural: a.Procedural, Annulled: a.Annulled,
		Decision: apiAppealedDecision{Event: a.EventID, Time: isoTime(a.Decided), SubjectType: a.SubjectType, Subject: a.Subject, Summary: a.Decision,
			URL: fmt.Sprintf("/event/%d/", a.EventID)},
		Levels: []apiAppealLevel{}, ResourceURI: fmt.Sprintf("/api/v1/group/appeal/%d/", a.ID)}
	if a.GroupID != 0 {
		g := groupURI(a.GroupID)
		out.Group = &g
	}
	for _, l := range a.Levels {
		out.Levels = append(out.Levels, apiAppealLevel{Level: l.Level, Reason: l.Reason, Addressed: isoTime(l.Addressed), Due: optTime(l.Due),
			Acknowledged: optTime(l.Acknowledged), Response: l.Response, Responded: optTime(l.Responded), Responder: l.Responder, Annuls: l.Annuls})
	}
	return out
}

func (s *Server) apiAppealList(w http.ResponseWriter, r *http.Request, one bool) error {
	svc := s.Appeals
	q := r.URL.Query()
	if err := allowed(q, "id", "group", "kind", "state", "level", "event"); err != nil {
		return err
	}
	limit, offset, err := opendata.Paging(q)
	if err != nil {
		return err
	}
	f := appeals.Filter{Kind: q.Get("kind"), State: q.Get("state"), Level: q.Get("level"), Limit: limit, Offset: offset}
	if err := ids(q, map[string]*int64{"id": &f.ID, "group": &f.GroupID, "event": &f.EventID}); err != nil {
		return err
	}
	as, total, err := svc.List(r.Context(), f)
	if err != nil {
		return err
	}
	if err := svc.WithLevels(r.Context(), as); err != nil {
		return err
	}
	objs := make([]apiAppeal, len(as))
	for i, a := range as {
		objs[i] = toAPIAppeal(a)
	}
	return answer(w, r, one, limit, offset, total, objs, "appeal")
}

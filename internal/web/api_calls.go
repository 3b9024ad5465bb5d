package web

import (
	"net/http"
	"strconv"
	"strings"

	"hum/internal/consensus"
	"hum/internal/opendata"
)

// apiCall is a consensus call in the API. It carries the issues raised
// and their states, never a count of anything (R32).
type apiCall struct {
	ID          int64          `json:"id"`
	Kind        string         `json:"kind"`
	Group       string         `json:"group"`
	Document    *string        `json:"doc"`
	Rev         string         `json:"rev"`
	Decision    *int64         `json:"decision"`
	Question    string         `json:"question"`
	Opened      string         `json:"time"`
	Deadline    string         `json:"deadline"`
	State       string         `json:"state"`
	Outcome     string         `json:"outcome"`
	Explanation string         `json:"explanation"`
	Thread      string         `json:"thread"`
	Notes       []apiCallNote  `json:"notes"`
	Issues      []apiCallIssue `json:"issues"`
	HTML        string         `json:"html_url"`
	ResourceURI string         `json:"resource_uri"`
	Closed      *string        `json:"closed"`
}

// apiCallNote is the chair's reading of one message of the thread.
type apiCallNote struct {
	Message string `json:"message_id"`
	Kind    string `json:"kind"`
	Note    string `json:"note"`
	By      string `json:"by"`
	Time    string `json:"time"`
}

type apiCallIssue struct {
	ID                 int64  `json:"id"`
	Message            string `json:"message_id"`
	Kind               string `json:"kind"`
	Summary            string `json:"summary"`
	State              string `json:"state"`
	AddressedMessageID string `json:"addressed_message_id"`
	AddressedRev       string `json:"addressed_rev"`
	Note               string `json:"note"`
}

// noTallyWords are filters and fields a script might ask for a count by;
// each is refused naming R32 rather than being an unknown filter.
var noTallyWords = []string{"tally", "vote", "count", "percent", "support", "object", "hum"}

// threadURL is the archive page of the call's post, "" until it is
// archived.
func (s *Server) threadURL(r *http.Request, c consensus.Call) (string, error) {
	posts, err := s.Consensus.Thread(r.Context(), c)
	for _, p := range posts {
		if p.MessageID == c.MessageID {
			return "/arch/msg/" + c.List + "/" + p.ID + "/", err
		}
	}
	return "", err
}

func (s *Server) toAPICall(r *http.Request, c consensus.Call, is []consensus.Issue) (apiCall, error) {
	thread, err := s.threadURL(r, c)
	if err != nil {
		return apiCall{}, err
	}
	notes, err := s.Consensus.Notes(r.Context(), c.ID)
	if thread != "" {
		thread = s.BaseURL + thread
	}
	a := apiCall{ID: c.ID, Kind: c.Kind, Group: groupURI(c.GroupID), Rev: c.Rev, Question: c.Question,
		Opened: isoTime(c.Opened), Deadline: isoTime(c.Deadline), State: c.State, Outcome: c.Outcome, Explanation: c.Explanation,
		Thread: thread, Notes: []apiCallNote{}, Issues: []apiCallIssue{},
		HTML: s.BaseURL + callURL(c), ResourceURI: "/api/v1/consensus/call/" + strconv.FormatInt(c.ID, 10) + "/"}
	if c.Doc != "" {
		d := "/api/v1/doc/document/" + c.Doc + "/"
		a.Document = &d
	}
	if c.DecisionID != 0 {
		a.Decision = &c.DecisionID
	}
	if c.Closed != nil {
		t := isoTime(*c.Closed)
		a.Closed = &t
	}
	for _, n := range notes {
		a.Notes = append(a.Notes, apiCallNote{Message: n.MessageID, Kind: n.Kind, Note: n.Note, By: n.By, Time: isoTime(n.At)})
	}
	for _, i := range is {
		if i.CallID == c.ID {
			a.Issues = append(a.Issues, apiCallIssue{ID: i.ID, Message: i.MessageID, Kind: i.Kind, Summary: i.Summary, State: i.State,
				AddressedMessageID: i.AddressedMessageID, AddressedRev: i.AddressedRev, Note: i.AddressedNote})
		}
	}
	return a, err
}

func (s *Server) apiCalls(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for k := range q {
		for _, word := range noTallyWords {
			if strings.Contains(strings.ToLower(k+" "+q.Get("order_by")), word) {
				return consensus.NoTally(k)
			}
		}
	}
	if err := allowed(q, "group__acronym", "doc__name", "state", "kind"); err != nil {
		return err
	}
	limit, offset, err := opendata.Paging(q)
	if err != nil {
		return err
	}
	cs, total, err := s.Consensus.List(r.Context(), consensus.Filter{Group: q.Get("group__acronym"), Doc: q.Get("doc__name"),
		State: opendata.LastSegment(q.Get("state")), Kind: opendata.LastSegment(q.Get("kind")), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	is, err := s.Consensus.Issues(r.Context(), ids...)
	if err != nil {
		return err
	}
	objs := make([]apiCall, 0, len(cs))
	for _, c := range cs {
		a, err := s.toAPICall(r, c, is)
		if err != nil {
			return err
		}
		objs = append(objs, a)
	}
	return writeJSON(w, http.StatusOK, reply(r, limit, offset, total, objs))
}

func (s *Server) apiCall(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := s.Consensus.Get(r.Context(), id)
	if err != nil {
		return err
	}
	is, err := s.Consensus.Issues(r.Context(), c.ID)
	if err != nil {
		return err
	}
	a, err := s.toAPICall(r, c, is)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

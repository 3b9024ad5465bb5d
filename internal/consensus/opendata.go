package consensus

import (
	"context"
	"net/url"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/opendata"
)

// OpenData is how working groups decide, in the API (hum's own resources:
// the Datatracker has none): consensus/call, a call with the chair's
// notes and the issues raised nested, and consensus/decision, a decision
// from a meeting and whether the list confirmed it (R31). Neither has a
// count of anything, and both refuse a filter or an order that asks for
// one (R32). See package opendata for what an entry says.
func (s *Service) OpenData() []opendata.Resource {
	return []opendata.Resource{s.callResource(), s.decisionResource()}
}

const (
	all = opendata.All
	rel = opendata.AllWithRelations
)

// noTallyWords are words of a filter or order a script might ask for a
// count by; each is refused naming R32 rather than ignored.
var noTallyWords = []string{"tally", "vote", "count", "percent", "support", "object", "hum"}

// refuseTally refuses a query whose parameters or order ask for a count.
func refuseTally(q url.Values) error {
	order := strings.ToLower(strings.Join(q["order_by"], " "))
	for k := range q {
		asked := strings.ToLower(k) + " " + order
		for _, w := range noTallyWords {
			if strings.Contains(asked, w) {
				return NoTally(k)
			}
		}
	}
	return nil
}

// absolute prefixes a path the API answers with hum's public address.
func (s *Service) absolute(v any) any {
	if p, ok := v.(string); ok && p != "" {
		return s.BaseURL + p
	}
	return ""
}

// callResource is consensus/call: newest first, as the group's calls page
// lists them. thread is the call's post in the list archive, "" until the
// archive holds it.
func (s *Service) callResource() opendata.Resource {
	return opendata.Resource{
		App: "consensus", Model: "call", Key: "id",
		Table:    &opendata.Table{From: "consensus_call c JOIN group_ref g ON g.id = c.group_id LEFT JOIN doc_ref d ON d.id = c.doc_id"},
		Ordering: []string{"id", "time", "deadline", "closed"},
		Order:    []string{"-time", "-id"},
		Check:    refuseTally,
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "c.id"},
			{Name: "kind", Type: opendata.String, Filter: all, Col: "c.kind", Help: "adoption, wglc, confirm or question"},
			{Name: "group", Type: opendata.ToOne, To: "group/group", Filter: rel, Col: "c.group_id"},
			{Name: "doc", Type: opendata.ToOne, To: "doc/document", Null: true, Filter: rel, Col: "d.name"},
			{Name: "rev", Type: opendata.String, Filter: all, Col: "c.rev"},
			{Name: "decision", Type: opendata.Integer, Null: true, Filter: all, Col: "c.decision_id",
				Help: "The id of the decision a confirmation call asks the list about (consensus/decision)."},
			{Name: "question", Type: opendata.String, Filter: all, Col: "c.question"},
			{Name: "time", Type: opendata.DateTime, Filter: all, Col: "c.opened"},
			{Name: "deadline", Type: opendata.DateTime, Filter: all, Col: "c.deadline"},
			{Name: "state", Type: opendata.String, Filter: all, Col: "c.state", Help: "open or closed"},
			{Name: "outcome", Type: opendata.String, Filter: all, Col: "c.outcome"},
			{Name: "explanation", Type: opendata.String, Col: "c.explanation"},
			{Name: "thread", Type: opendata.String, Map: s.absolute,
				Col: `COALESCE((SELECT '/arch/msg/' || c.list || '/' || MIN(am.hashcode) || '/' FROM arch_message_ref am
					WHERE am.list = c.list AND am.message_id = c.message_id), '')`},
			{Name: "notes", Type: opendata.List, Fetch: fetchNotes,
				Help: "The chair's reading of messages of the thread, one by one: never a vote (R32)."},
			{Name: "issues", Type: opendata.List, Fetch: fetchIssues,
				Help: "The objections and issues raised, and whether each was addressed (R33, R34)."},
			{Name: "html_url", Type: opendata.String, Map: s.absolute,
				Col: `'/group/' || g.acronym || '/calls/' || CAST(c.id AS TEXT) || '/'`},
			{Name: "closed", Type: opendata.DateTime, Null: true, Filter: all, Col: "c.closed"},
		},
	}
}

// stale tells, from a pending decision's recording time, whether it has
// waited for the list more than staleMonths (R31).
func (s *Service) stale(v any) any {
	t, ok := v.(time.Time)
	return ok && s.DB.Now().After(t.AddDate(0, staleMonths, 0))
}

// checkDecisionState refuses a state no decision has.
func checkDecisionState(q url.Values) error {
	if v := q.Get("state"); q.Has("state") {
		switch opendata.LastSegment(v) {
		case decPending, "confirmed", "reversed":
		default:
			return fail.Field("state", "state is pending, confirmed or reversed, not %q.", v)
		}
	}
	return nil
}

// decisionResource is consensus/decision: a decision taken at a session,
// newest first, pending until the list confirms or reverses it.
func (s *Service) decisionResource() opendata.Resource {
	return opendata.Resource{
		App: "consensus", Model: "decision", Key: "id",
		Table: &opendata.Table{From: `decision d JOIN group_ref g ON g.id = d.group_id LEFT JOIN session_ref sr ON sr.id = d.session_id
			LEFT JOIN person_name p ON p.id = d.recorded_by`},
		Ordering: []string{"id", "recorded", "settled"},
		Order:    []string{"-id"},
		Check:    checkDecisionState,
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "d.id"},
			{Name: "group", Type: opendata.ToOne, To: "group/group", Filter: rel, Col: "d.group_id"},
			{Name: "group_acronym", Type: opendata.String, Filter: all, Col: "g.acronym"},
			{Name: "session", Type: opendata.ToOne, To: "meeting/session", Null: true, Filter: rel, Col: "d.session_id"},
			{Name: "meeting_number", Type: opendata.String, Filter: all, Col: "COALESCE(sr.meeting, '')"},
			{Name: "text", Type: opendata.String, Filter: all, Col: "d.text"},
			{Name: "state", Type: opendata.String, Filter: all, Col: "d.state", Help: "pending, confirmed or reversed"},
			{Name: "recorded_by", Type: opendata.String, Col: "COALESCE(p.name, '')"},
			{Name: "recorded", Type: opendata.DateTime, Filter: all, Col: "d.recorded"},
			{Name: "settled", Type: opendata.DateTime, Null: true, Filter: all, Col: "d.settled"},
			{Name: "settled_by_call", Type: opendata.ToOne, To: "consensus/call", Null: true, Filter: rel, Col: "d.settled_by_call"},
			{Name: "reason", Type: opendata.String, Col: "d.reason"},
			{Name: "pending_over_a_month", Type: opendata.Boolean, Reads: opendata.DateTime, Map: s.stale,
				Col:  "CASE WHEN d.state = 'pending' THEN d.recorded END",
				Help: "Pending for more than a month: the list should be asked (R31)."},
		},
	}
}

// inCalls is the condition col IN (keys), with keys added to w.
func inCalls(w *db.Where, col string, keys []any) {
	ph := make([]string, len(keys))
	for i, k := range keys {
		ph[i] = w.Arg(k)
	}
	w.Raw(col + " IN (" + strings.Join(ph, ", ") + ")")
}

// fetchNotes reads the chair's notes on a page of calls, in one query.
func fetchNotes(ctx context.Context, q db.Querier, keys []any) (map[any]any, error) {
	var w db.Where
	inCalls(&w, "n.call_id", keys)
	out := map[any]any{}
	_, err := db.Query(ctx, q, func(row db.Scanner) (Note, error) {
		var call int64
		var n Note
		if err := row.Scan(&call, &n.MessageID, &n.Kind, &n.Note, &n.By, &n.At); err != nil {
			return n, err
		}
		l, _ := out[call].([]any)
		out[call] = append(l, map[string]any{"message_id": n.MessageID, "kind": n.Kind, "note": n.Note, "by": n.By,
			"time": n.At.UTC().Format("2006-01-02T15:04:05Z")})
		return n, nil
	}, `SELECT n.call_id, n.message_id, n.kind, n.note, COALESCE(p.name, ''), n.noted FROM consensus_note n
		LEFT JOIN person_name p ON p.id = n.noted_by`+w.SQL()+` ORDER BY n.call_id, n.noted, n.message_id`, w.Args...)
	return out, err
}

// fetchIssues reads the issues raised in a page of calls, in one query.
func fetchIssues(ctx context.Context, q db.Querier, keys []any) (map[any]any, error) {
	var w db.Where
	inCalls(&w, "i.call_id", keys)
	is, err := db.Query(ctx, q, scanIssue, `SELECT `+issueCols+` FROM consensus_issue i LEFT JOIN person_name p ON p.id = i.addressed_by`+
		w.SQL()+` ORDER BY i.call_id, i.id`, w.Args...)
	out := map[any]any{}
	for _, i := range is {
		l, _ := out[i.CallID].([]any)
		out[i.CallID] = append(l, map[string]any{"id": i.ID, "message_id": i.MessageID, "kind": i.Kind, "summary": i.Summary,
			"state": i.State, "addressed_message_id": i.AddressedMessageID, "addressed_rev": i.AddressedRev, "note": i.AddressedNote})
	}
	return out, err
}

package appeals

import (
	"context"
	"fmt"
	"time"

	"hum/internal/db"
	"hum/internal/opendata"
)

// OpenData is the appeals' part of the API: group/appeal, the
// Datatracker's Appeal (ietf/group/models.py: name, group, date) with
// hum's own fields beside it: the kind, the state, the level it is at,
// the event of the decision appealed (event, and decision, what the
// event says), the appellant's case, and each level's response (levels).
// See package opendata for what an entry says.
func (s *Service) OpenData() []opendata.Resource {
	all, rel := opendata.All, opendata.AllWithRelations
	return []opendata.Resource{{
		App: "group", Model: "appeal", Key: "id",
		Table:    &opendata.Table{From: "appeal a"},
		Ordering: []string{"id", "date"},
		Order:    []string{"-id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "a.id"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "a.name"},
			{Name: "group", Type: opendata.ToOne, To: "group/group", Null: true, Filter: rel, Col: "a.group_id"},
			{Name: "date", Type: opendata.Date, Filter: all, Col: "a.filed", Stamp: true},
			{Name: "kind", Type: opendata.String, Filter: all, Col: "a.kind"},
			{Name: "state", Type: opendata.String, Filter: all, Col: "a.state"},
			{Name: "level", Type: opendata.String, Filter: all, Col: "a.level"},
			{Name: "event", Type: opendata.Integer, Filter: all, Col: "a.event_id", Help: "The event of the decision appealed."},
			{Name: "appellant", Type: opendata.String, Filter: all, Col: "a.appellant"},
			{Name: "facts", Type: opendata.String, Col: "a.facts"},
			{Name: "remedy", Type: opendata.String, Col: "a.remedy"},
			{Name: "procedural", Type: opendata.Boolean, Filter: all, Col: "a.procedural"},
			{Name: "annulled", Type: opendata.Boolean, Filter: all, Col: "a.annulled"},
			{Name: "decision", Type: opendata.Dict, Fetch: fetchDecisions,
				Help: "The decision appealed: its event, time, subject, summary and page."},
			{Name: "levels", Type: opendata.List, Fetch: fetchLevels,
				Help: "Each level that has held the appeal, in order, with its response."},
		},
	}}
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func optTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return isoTime(*t)
}

// fetchDecisions reads the decisions a page of appeals appeal.
func fetchDecisions(ctx context.Context, q db.Querier, keys []any) (map[any]any, error) {
	var w db.Where
	w.Raw("id IN " + w.InKeys(keys))
	out := map[any]any{}
	_, err := db.Query(ctx, q, func(row db.Scanner) (int64, error) {
		var id, event int64
		var decided time.Time
		var typ, subject, summary string
		if err := row.Scan(&id, &event, &decided, &typ, &subject, &summary); err != nil {
			return 0, err
		}
		out[id] = map[string]any{"event": event, "time": isoTime(decided), "subject_type": typ, "subject": subject,
			"summary": summary, "url": fmt.Sprintf("/event/%d/", event)}
		return id, nil
	}, `SELECT id, event_id, decided, subject_type, subject, decision FROM appeal`+w.SQL(), w.Args...)
	return out, err
}

// fetchLevels reads the levels of a page of appeals, in one query.
func fetchLevels(ctx context.Context, q db.Querier, keys []any) (map[any]any, error) {
	var w db.Where
	w.Raw("appeal_id IN " + w.InKeys(keys))
	out := map[any]any{}
	_, err := db.Query(ctx, q, func(row db.Scanner) (Level, error) {
		var appeal int64
		l, err := scanLevelAfter(row, &appeal)
		if err != nil {
			return l, err
		}
		ls, _ := out[appeal].([]any)
		out[appeal] = append(ls, map[string]any{"level": l.Level, "reason": l.Reason, "addressed": isoTime(l.Addressed),
			"due": optTime(l.Due), "acknowledged": optTime(l.Acknowledged), "response": l.Response,
			"responded": optTime(l.Responded), "responder": l.Responder, "annuls": l.Annuls})
		return l, nil
	}, `SELECT appeal_id, `+levelCols+` FROM appeal_level`+w.SQL()+` ORDER BY appeal_id, seq`, w.Args...)
	return out, err
}

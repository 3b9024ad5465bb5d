package groups

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
	"time"

	"hum/internal/db"
	"hum/internal/opendata"
)

// group/grouphistory is the Datatracker's GroupHistory: a copy of a group
// as it was before each change. hum keeps no copies; it keeps an event
// for every change, naming the field with its old and new value (Update),
// so the copies are rebuilt from the group as it is now, going back
// through its changes. A value too long for its event ("Description
// changed") cannot be rebuilt and keeps the later one. A history row is
// numbered by its change's event.

// historyLabels are the fields Update records, by their label.
var historyLabels = map[string]string{
	"Name": "name", "State": "state", "Description": "description", "List address": "list_email",
	"List subscription": "list_subscribe", "List archive": "list_archive", "Comments": "comments",
}

func groupHistoryResource() opendata.Resource {
	f := groupResource().Fields
	fields := []opendata.Field{{Name: "id", Type: opendata.Integer, Filter: all},
		{Name: "group", Type: opendata.ToOne, To: "group/group", Filter: rel}}
	for _, x := range f {
		switch x.Name {
		case "id", "charter":
			continue // the history's own id; GroupHistory has no charter
		case "ad":
			x.Empty, x.Col = true, "" // who was AD then is not kept
		}
		x.Col = ""
		fields = append(fields, x)
	}
	return opendata.Resource{
		App: "group", Model: "grouphistory", Key: "id",
		Load:     loadGroupHistory,
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: fields,
	}
}

func loadGroupHistory(ctx context.Context, q db.Querier) ([]opendata.Row, error) {
	type change struct {
		id      int64
		at      time.Time
		summary string
	}
	now := map[string]opendata.Row{}
	created := map[string]time.Time{}
	rows, err := q.QueryContext(ctx, `SELECT id, acronym, name, type, state, parent_id, description, list_email, list_subscribe,
		list_archive, comments, created FROM grp`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var parent sql.NullInt64
		var acronym, name, typ, state, desc, le, ls, la, comments string
		var at time.Time
		if err := rows.Scan(&id, &acronym, &name, &typ, &state, &parent, &desc, &le, &ls, &la, &comments, &at); err != nil {
			rows.Close()
			return nil, err
		}
		r := opendata.Row{"group": id, "acronym": acronym, "name": name, "type": typ, "state": state, "parent": nil,
			"description": desc, "list_email": le, "list_subscribe": ls, "list_archive": la, "comments": comments}
		if parent.Valid {
			r["parent"] = parent.Int64
		}
		now[acronym], created[acronym] = r, at.UTC()
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	changes := map[string][]change{}
	ev, err := q.QueryContext(ctx, `SELECT id, at, subject, summary FROM event
		WHERE subject_type = 'group' AND kind = 'group_changed' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for ev.Next() {
		var c change
		var acronym string
		if err := ev.Scan(&c.id, &c.at, &acronym, &c.summary); err != nil {
			ev.Close()
			return nil, err
		}
		changes[acronym] = append(changes[acronym], c)
	}
	ev.Close()
	if err := ev.Err(); err != nil {
		return nil, err
	}
	stateSlug := map[string]string{}
	for slug, name := range States {
		stateSlug[name] = slug
	}
	var out []opendata.Row
	for acronym, cs := range changes {
		cur, ok := now[acronym]
		if !ok {
			continue
		}
		cur = clone(cur)
		for i := len(cs) - 1; i >= 0; i-- {
			field, old, ok := revert(cs[i].summary, stateSlug)
			if ok {
				cur[field] = old
			}
			before := clone(cur)
			before["id"] = cs[i].id
			before["time"] = created[acronym] // the copy is of the group as last saved before this change
			if i > 0 {
				before["time"] = cs[i-1].at.UTC()
			}
			out = append(out, before)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["id"].(int64) < out[j]["id"].(int64) })
	return out, nil
}

func clone(r opendata.Row) opendata.Row {
	c := make(opendata.Row, len(r))
	for k, v := range r {
		c[k] = v
	}
	return c
}

// revert reads a change's summary as Update writes it and gives the
// field and its value before the change.
func revert(summary string, stateSlug map[string]string) (field, old string, ok bool) {
	if rest, found := strings.CutPrefix(summary, "State changed to "); found {
		for name, slug := range stateSlug {
			if strings.HasSuffix(rest, " from "+name) && stateSlug[strings.TrimSuffix(rest, " from "+name)] != "" {
				return "state", slug, true
			}
		}
		return "", "", false
	}
	for label, f := range historyLabels {
		rest, found := strings.CutPrefix(summary, label+" ")
		if !found {
			continue
		}
		switch {
		case strings.HasPrefix(rest, "set to "):
			return f, "", true
		case strings.HasPrefix(rest, "cleared (was "):
			v, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(rest, "cleared (was "), ")"))
			return f, v, err == nil
		case strings.HasPrefix(rest, "changed to "):
			after := strings.TrimPrefix(rest, "changed to ")
			q, err := strconv.QuotedPrefix(after)
			if err != nil {
				return "", "", false
			}
			v, err := strconv.Unquote(strings.TrimPrefix(after[len(q):], " from "))
			return f, v, err == nil
		}
	}
	return "", "", false
}

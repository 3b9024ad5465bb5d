package groups

import "hum/internal/opendata"

// OpenData is the groups' part of the Datatracker's API: the resources of
// its group app that hum holds, read from this package's tables (see
// package opendata for what an entry says). Fields hum has no value for
// answer the Datatracker's empty value.
func (s *Service) OpenData() []opendata.Resource {
	return []opendata.Resource{groupResource()}
}

// adCol is a group's responsible AD as the Datatracker's Group.ad gives
// it: an AD of the group itself, else of the area it sits in.
const adCol = `COALESCE(
	(SELECT MIN(ar.person_id) FROM role ar WHERE ar.group_id = g.id AND ar.name = 'ad'),
	(SELECT MIN(ar.person_id) FROM role ar JOIN grp pa ON pa.id = ar.group_id WHERE pa.id = g.parent_id AND pa.type = 'area' AND ar.name = 'ad'))`

// charterCol names a WG's or RG's charter document, charter-ietf-{acronym}
// or charter-irtf-{acronym}, once it has a charter text.
const charterCol = `CASE WHEN g.type IN ('wg', 'rg') AND EXISTS (SELECT 1 FROM charter_rev cr WHERE cr.group_id = g.id)
	THEN 'charter-' || CASE WHEN g.type = 'rg' THEN 'irtf' ELSE 'ietf' END || '-' || g.acronym END`

// groupResource is group/group (ietf/group/resources.py GroupResource).
func groupResource() opendata.Resource {
	all, rel := opendata.All, opendata.AllWithRelations
	return opendata.Resource{
		App: "group", Model: "group", Key: "id",
		Table:    &opendata.Table{From: "grp g"},
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "g.id"},
			{Name: "acronym", Type: opendata.String, Filter: all, Col: "g.acronym"},
			{Name: "name", Type: opendata.String, Filter: all, Col: "g.name"},
			{Name: "description", Type: opendata.String, Filter: all, Col: "g.description"},
			{Name: "list_email", Type: opendata.String, Filter: all, Col: "g.list_email"},
			{Name: "list_subscribe", Type: opendata.String, Filter: all, Col: "g.list_subscribe"},
			{Name: "list_archive", Type: opendata.String, Filter: all, Col: "g.list_archive"},
			{Name: "comments", Type: opendata.String, Filter: all, Col: "g.comments"},
			{Name: "time", Type: opendata.DateTime, Filter: all, Col: "g.updated"},
			{Name: "state", Type: opendata.ToOne, To: "name/groupstatename", Null: true, Filter: rel, Col: "g.state"},
			{Name: "type", Type: opendata.ToOne, To: "name/grouptypename", Null: true, Filter: rel, Col: "g.type"},
			{Name: "parent", Type: opendata.ToOne, To: "group/group", Null: true, Filter: rel, Col: "g.parent_id"},
			{Name: "ad", Type: opendata.ToOne, To: "person/person", Null: true, Filter: rel, Col: adCol},
			{Name: "charter", Type: opendata.ToOne, To: "doc/document", Null: true, Filter: rel, Col: charterCol},
			// hum keeps no per-group document states or tags switched off.
			{Name: "unused_states", Type: opendata.ToMany, To: "doc/state", Filter: rel, Empty: true},
			{Name: "unused_tags", Type: opendata.ToMany, To: "name/doctagname", Filter: rel, Empty: true},
			// The Datatracker's defaults: hum has no per-group setting.
			{Name: "meeting_seen_as_area", Type: opendata.Boolean, Empty: true},
			{Name: "used_roles", Type: opendata.String, Value: "[]",
				Help: "Group role slugs used by this group, as JSON text; [] means the group type's default roles"},
			{Name: "uses_milestone_dates", Type: opendata.Boolean, Value: true},
		},
	}
}

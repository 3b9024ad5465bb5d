package groups

import (
	"sort"
	"strings"

	"hum/internal/opendata"
)

// OpenData is the groups' part of the Datatracker's API: the resources of
// its group app that hum holds, read from this package's tables (see
// package opendata for what an entry says). Fields hum has no value for
// answer the Datatracker's empty value.
func (s *Service) OpenData() []opendata.Resource {
	return []opendata.Resource{groupResource(), roleResource(), groupEventResource(), changeStateGroupEventResource(),
		milestoneResource(), groupHistoryResource()}
}

const (
	all = opendata.All
	rel = opendata.AllWithRelations
)

// adCol is a group's responsible AD as the Datatracker's Group.ad gives
// it: an AD of the group itself, else of the area it sits in.
const adCol = `COALESCE(
	(SELECT MIN(ar.person_id) FROM role ar WHERE ar.group_id = g.id AND ar.name = 'ad'),
	(SELECT MIN(ar.person_id) FROM role ar JOIN grp pa ON pa.id = ar.group_id WHERE pa.id = g.parent_id AND pa.type = 'area' AND ar.name = 'ad'))`

// charterCol names a WG's or RG's charter document, charter-ietf-{acronym}
// or charter-irtf-{acronym}, once it has a charter text or a charter
// document under review (the rows doc/document serves, docs.docRows).
const charterCol = `CASE WHEN g.type IN ('wg', 'rg') AND (EXISTS (SELECT 1 FROM charter_rev cr WHERE cr.group_id = g.id)
		OR EXISTS (SELECT 1 FROM charter c WHERE c.group_id = g.id))
	THEN 'charter-' || CASE WHEN g.type = 'rg' THEN 'irtf' ELSE 'ietf' END || '-' || g.acronym END`

// groupResource is group/group (ietf/group/resources.py GroupResource).
func groupResource() opendata.Resource {
	return opendata.Resource{
		App: "group", Model: "group", Key: "id",
		Table:    &opendata.Table{From: "grp g"},
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "g.id"},
			{Name: "acronym", Type: opendata.String, Filter: all, Col: "g.acronym", Unique: true},
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

// roleEmail is the address a role holder holds it with: the one the role
// names while it is still theirs, else their primary address (both are
// public in person/email).
const roleEmail = `COALESCE(
	(SELECT pa.address FROM person_address pa WHERE pa.person_id = r.person_id AND pa.address = r.email),
	(SELECT pa.address FROM person_address pa WHERE pa.person_id = r.person_id AND pa.is_primary))`

// roleResource is group/role (RoleResource).
func roleResource() opendata.Resource {
	return opendata.Resource{
		App: "group", Model: "role", Key: "id",
		Table:    &opendata.Table{From: "role r"},
		Ordering: []string{"id"}, Order: []string{"id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "r.id"},
			{Name: "name", Type: opendata.ToOne, To: "name/rolename", Filter: rel, Col: "r.name"},
			{Name: "group", Type: opendata.ToOne, To: "group/group", Filter: rel, Col: "r.group_id"},
			{Name: "person", Type: opendata.ToOne, To: "person/person", Filter: rel, Col: "r.person_id"},
			{Name: "email", Type: opendata.ToOne, To: "person/email", Filter: rel, Col: roleEmail},
		},
	}
}

// Every event of the record about a group is a group event. The
// Datatracker's event types are few; hum's kinds map onto them.
const (
	groupEvents = "event ev JOIN grp g ON g.acronym = ev.subject"
	isGroup     = "ev.subject_type = 'group'"
	isState     = "(ev.kind = 'group_created' OR (ev.kind = 'group_changed' AND ev.summary LIKE 'State changed to %'))"
	eventType   = `CASE WHEN ` + isState + ` THEN 'changed_state'
		WHEN ev.kind LIKE 'milestone%' THEN 'changed_milestone' ELSE 'info_changed' END`
	// eventBy is the actor, or "(System)" (person 0) for hum itself.
	eventBy = "COALESCE(ev.actor_id, 0)"
)

func groupEventFields() []opendata.Field {
	return []opendata.Field{
		{Name: "id", Type: opendata.Integer, Filter: all, Col: "ev.id"},
		{Name: "group", Type: opendata.ToOne, To: "group/group", Filter: rel, Col: "g.id", Via: &opendata.Via{Field: "acronym", Col: "ev.subject"}},
		{Name: "time", Type: opendata.DateTime, Filter: all, Col: "ev.at"},
		{Name: "type", Type: opendata.String, Filter: all, Col: eventType},
		{Name: "by", Type: opendata.ToOne, To: "person/person", Filter: rel, Col: eventBy},
		{Name: "desc", Type: opendata.String, Filter: all, Col: "ev.summary"},
	}
}

// groupEventResource is group/groupevent (GroupEventResource), newest
// first as the Datatracker orders them.
func groupEventResource() opendata.Resource {
	return opendata.Resource{
		App: "group", Model: "groupevent", Key: "id",
		Table:    &opendata.Table{From: groupEvents, Where: isGroup},
		Ordering: []string{"id"}, Order: []string{"-time", "id"},
		Fields: groupEventFields(),
	}
}

// stateOfEvent reads the state a group entered from the event's summary,
// as groups.create and groups.Update write it ("WG x created (Active)",
// "State changed to Concluded from Active").
func stateOfEvent() string {
	slugs := make([]string, 0, len(States))
	for slug := range States {
		slugs = append(slugs, slug)
	}
	sort.Strings(slugs)
	var b strings.Builder
	b.WriteString("CASE")
	for _, slug := range slugs {
		name := States[slug]
		b.WriteString(" WHEN ev.kind = 'group_created' AND ev.summary LIKE '% created (" + name + ")' THEN '" + slug + "'")
		b.WriteString(" WHEN ev.kind = 'group_changed' AND ev.summary LIKE 'State changed to " + name + " from %' THEN '" + slug + "'")
	}
	b.WriteString(" END")
	return b.String()
}

// changeStateGroupEventResource is group/changestategroupevent
// (ChangeStateGroupEventResource): a group's creation and each change of
// its state.
func changeStateGroupEventResource() opendata.Resource {
	fields := append(groupEventFields(),
		opendata.Field{Name: "groupevent_ptr", Type: opendata.ToOne, To: "group/groupevent", Filter: rel, Col: "ev.id"},
		opendata.Field{Name: "state", Type: opendata.ToOne, To: "name/groupstatename", Filter: rel, Col: stateOfEvent()})
	return opendata.Resource{
		App: "group", Model: "changestategroupevent", Key: "id",
		Table:    &opendata.Table{From: groupEvents, Where: isGroup + " AND " + isState},
		Ordering: []string{"id"}, Order: []string{"-time", "id"},
		Fields: fields,
	}
}

// milestoneResource is group/groupmilestone (GroupMilestoneResource),
// deleted milestones with state "deleted" as the Datatracker keeps them.
// A due month (YYYY-MM) is its first day. Its documents are those of its
// names that hum holds (doc_wg_ref, published by docs).
func milestoneResource() opendata.Resource {
	return opendata.Resource{
		App: "group", Model: "groupmilestone", Key: "id",
		Table:    &opendata.Table{From: "milestone m"},
		Ordering: []string{"id"}, Order: []string{"due", "id"},
		Fields: []opendata.Field{
			{Name: "id", Type: opendata.Integer, Filter: all, Col: "m.id"},
			{Name: "group", Type: opendata.ToOne, To: "group/group", Filter: rel, Col: "m.group_id"},
			{Name: "state", Type: opendata.ToOne, To: "name/groupmilestonestatename", Filter: rel,
				Col: "CASE WHEN m.deleted THEN 'deleted' ELSE 'active' END"},
			{Name: "desc", Type: opendata.String, Filter: all, Col: "m.description"},
			{Name: "due", Type: opendata.Date, Filter: all, Col: "CASE WHEN LENGTH(m.due) = 7 THEN m.due || '-01' ELSE m.due END"},
			{Name: "resolved", Type: opendata.String, Filter: all, Col: "m.resolved"},
			{Name: "time", Type: opendata.DateTime, Filter: all, Col: "m.updated"},
			{Name: "docs", Type: opendata.ToMany, To: "doc/document", Filter: rel, Link: &opendata.Link{
				From:  "milestone mdm JOIN doc_wg_ref mdd ON (' ' || mdm.docs || ' ') LIKE ('% ' || mdd.name || ' %')",
				Owner: "mdm.id", Key: "mdd.name"}},
			{Name: "order", Type: opendata.Integer, Null: true, Empty: true},
		},
	}
}

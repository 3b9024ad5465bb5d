package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The shapes ietfdata (glasgow-ipl/ietfdata, ietfdata/datatracker.py at
// c0e13fdf, its pydantic 2 models) requires of the resources hum serves.
// Each field is required (pydantic fails on a missing one, Optional or
// not); its kind: str, int, bool, dt (a time pydantic parses), "?" for
// Optional (null allowed), uri:ROOT a resource URI under ROOT, [uri:ROOT]
// and [str] lists.
var ietfdataModels = map[string]map[string]string{
	"Person": {"resource_uri": "uri:/api/v1/person/person/", "id": "int", "name": "str", "name_from_draft": "str?", "ascii": "str",
		"ascii_short": "str?", "user": "str?", "time": "dt", "photo": "str?", "photo_thumb": "str?", "biography": "str", "plain": "str",
		"pronouns_freetext": "str?", "pronouns_selectable": "str"},
	"PersonAlias": {"id": "int", "resource_uri": "uri:/api/v1/person/alias/", "person": "uri:/api/v1/person/person/", "name": "str"},
	"Email": {"resource_uri": "uri:/api/v1/person/email/", "person": "uri?:/api/v1/person/person/", "address": "str", "time": "dt",
		"origin": "str", "primary": "bool", "active": "bool"},
	"HistoricalEmail": {"resource_uri": "uri:/api/v1/person/historicalemail/", "person": "uri?:/api/v1/person/person/", "address": "str",
		"time": "dt", "origin": "str", "primary": "bool", "active": "bool", "history_change_reason": "str?", "history_user": "str?",
		"history_id": "int", "history_type": "str", "history_date": "dt"},
	"GroupState": {"resource_uri": "uri:/api/v1/name/groupstatename/", "slug": "str", "desc": "str", "name": "str", "used": "bool", "order": "int"},
	"GroupTypeName": {"desc": "str", "name": "str", "order": "int", "resource_uri": "uri:/api/v1/name/grouptypename/", "slug": "str",
		"used": "bool", "verbose_name": "str"},
	"Group": {"acronym": "str", "ad": "uri?:/api/v1/person/person/", "charter": "uri?:/api/v1/doc/document/", "comments": "str",
		"description": "str", "id": "int", "list_archive": "str", "list_email": "str", "list_subscribe": "str", "name": "str",
		"parent": "uri?:/api/v1/group/group/", "resource_uri": "uri:/api/v1/group/group/", "state": "uri:/api/v1/name/groupstatename/",
		"time": "dt", "type": "uri:/api/v1/name/grouptypename/", "unused_states": "[uri:/api/v1/doc/state/]", "unused_tags": "[str]",
		"meeting_seen_as_area": "bool", "used_roles": "str", "uses_milestone_dates": "bool"},
	"GroupHistory": {"acronym": "str", "ad": "uri?:/api/v1/person/person/", "comments": "str", "description": "str",
		"group": "uri:/api/v1/group/group/", "id": "int", "list_archive": "str", "list_email": "str", "list_subscribe": "str", "name": "str",
		"parent": "uri?:/api/v1/group/group/", "resource_uri": "uri:/api/v1/group/grouphistory/", "state": "uri:/api/v1/name/groupstatename/",
		"time": "dt", "type": "uri:/api/v1/name/grouptypename/", "unused_states": "[uri:/api/v1/doc/state/]", "unused_tags": "[str]",
		"uses_milestone_dates": "bool", "meeting_seen_as_area": "bool", "used_roles": "str"},
	"GroupEvent": {"by": "uri:/api/v1/person/person/", "desc": "str", "group": "uri:/api/v1/group/group/", "id": "int",
		"resource_uri": "uri:/api/v1/group/groupevent/", "time": "dt", "type": "str"},
	"GroupMilestoneStateName": {"desc": "str", "name": "str", "order": "int", "resource_uri": "uri:/api/v1/name/groupmilestonestatename/",
		"slug": "str", "used": "bool"},
	"GroupMilestone": {"desc": "str", "docs": "[uri:/api/v1/doc/document/]", "due": "str", "group": "uri:/api/v1/group/group/", "id": "int",
		"order": "int?", "resolved": "str", "resource_uri": "uri:/api/v1/group/groupmilestone/", "state": "uri:/api/v1/name/groupmilestonestatename/",
		"time": "dt"},
	"RoleName": {"desc": "str", "name": "str", "order": "int", "resource_uri": "uri:/api/v1/name/rolename/", "slug": "str", "used": "bool"},
	"GroupRole": {"email": "uri:/api/v1/person/email/", "group": "uri:/api/v1/group/group/", "id": "int", "name": "uri:/api/v1/name/rolename/",
		"person": "uri:/api/v1/person/person/", "resource_uri": "uri:/api/v1/group/role/"},
	"GroupStateChangeEvent": {"by": "uri:/api/v1/person/person/", "desc": "str", "group": "uri:/api/v1/group/group/",
		"groupevent_ptr": "uri:/api/v1/group/groupevent/", "id": "int", "resource_uri": "uri:/api/v1/group/changestategroupevent/",
		"state": "uri:/api/v1/name/groupstatename/", "time": "dt", "type": "str"},
	"EmailList": {"id": "int", "resource_uri": "uri:/api/v1/mailinglists/list/", "name": "str", "description": "str", "advertised": "bool"},
}

// checkShape says what in o does not fit model.
func checkShape(o map[string]any, model map[string]string) []string {
	var bad []string
	for field, kind := range model {
		v, ok := o[field]
		if !ok {
			bad = append(bad, field+" missing")
			continue
		}
		optional := strings.Contains(kind, "?")
		kind = strings.Replace(kind, "?", "", 1)
		if v == nil {
			if !optional {
				bad = append(bad, field+" is null")
			}
			continue
		}
		fits := false
		switch {
		case kind == "str":
			_, fits = v.(string)
		case kind == "int":
			n, ok := v.(float64)
			fits = ok && n == float64(int64(n))
		case kind == "bool":
			_, fits = v.(bool)
		case kind == "dt":
			s, ok := v.(string)
			_, err := time.Parse(time.RFC3339, s)
			fits = ok && err == nil
		case strings.HasPrefix(kind, "uri:"):
			s, ok := v.(string)
			fits = ok && strings.HasPrefix(s, strings.TrimPrefix(kind, "uri:"))
		case strings.HasPrefix(kind, "["):
			l, ok := v.([]any)
			fits = ok
			for _, x := range l {
				s, ok := x.(string)
				fits = fits && ok && strings.HasPrefix(s, strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(kind, "["), "uri:"), "]"))
			}
		}
		if !fits {
			bad = append(bad, fmt.Sprintf("%s = %#v is not %s", field, v, kind))
		}
	}
	return bad
}

// TestIetfdataCalls makes the calls of ietfdata's DataTracker that read
// what hum serves, with the parameters it sends (and limit=100, as its
// _datatracker_get_multi adds), follows meta.next as it does, and checks
// every object against the pydantic model it parses it with. ietfdata
// exits on any status but 200, 404, 429 and 500.
func TestIetfdataCalls(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	ctx := context.Background()
	chair := mustPerson(t, s, "chair@example.org")
	art, _ := s.groups.Get(ctx, "art")
	httpbis, _ := s.groups.Get(ctx, "httpbis")
	quic, _ := s.groups.Get(ctx, "quic")
	const since = "time__gte=1970-01-01T00:00:00&time__lt=2038-01-19T03:14:07"
	lists := []struct{ call, url, model string }{
		{"people()", "/api/v1/person/person/?" + since, "Person"},
		{"people(name_contains=)", "/api/v1/person/person/?" + since + "&name__contains=Chris", "Person"},
		{"people(name_ascii=)", "/api/v1/person/person/?" + since + "&ascii=Chris+Chair", "Person"},
		{"person_aliases(person=)", fmt.Sprintf("/api/v1/person/alias/?person=%d", chair), "PersonAlias"},
		{"email_for_person()", fmt.Sprintf("/api/v1/person/email/?person=%d", chair), "Email"},
		{"emails()", "/api/v1/person/email/?" + since, "Email"},
		{"emails(addr_contains=)", "/api/v1/person/email/?" + since + "&address__contains=example", "Email"},
		{"email_history_for_address()", "/api/v1/person/historicalemail/?address=chair@example.org", "HistoricalEmail"},
		{"email_history_for_person()", fmt.Sprintf("/api/v1/person/historicalemail/?person=%d", chair), "HistoricalEmail"},
		{"groups()", "/api/v1/group/group/?" + since, "Group"},
		{"groups(state=, parent=)", fmt.Sprintf("/api/v1/group/group/?%s&state=active&parent=%d", since, art.ID), "Group"},
		{"groups(name_contains=)", "/api/v1/group/group/?" + since + "&name__contains=HTTP", "Group"},
		{"group_from_acronym()", "/api/v1/group/group/?acronym=httpbis", "Group"},
		{"group_histories()", fmt.Sprintf("/api/v1/group/grouphistory/?%s&group=%d", since, quic.ID), "GroupHistory"},
		{"group_histories_from_acronym()", "/api/v1/group/grouphistory/?acronym=quic", "GroupHistory"},
		{"group_events()", fmt.Sprintf("/api/v1/group/groupevent/?%s&group=%d", since, quic.ID), "GroupEvent"},
		{"group_events(type=)", "/api/v1/group/groupevent/?" + since + "&type=changed_state", "GroupEvent"},
		{"group_milestones()", fmt.Sprintf("/api/v1/group/groupmilestone/?%s&group=%d", since, httpbis.ID), "GroupMilestone"},
		{"group_milestone_statenames()", "/api/v1/name/groupmilestonestatename/", "GroupMilestoneStateName"},
		{"role_names()", "/api/v1/name/rolename/", "RoleName"},
		{"group_roles(group=)", fmt.Sprintf("/api/v1/group/role/?group=%d", httpbis.ID), "GroupRole"},
		{"group_roles(email=)", "/api/v1/group/role/?email=chair@example.org", "GroupRole"},
		{"group_roles(person=)", fmt.Sprintf("/api/v1/group/role/?person=%d", chair), "GroupRole"},
		{"group_roles(name=)", "/api/v1/group/role/?name=chair", "GroupRole"},
		{"group_state_change_events()", fmt.Sprintf("/api/v1/group/changestategroupevent/?%s&group=%d", since, quic.ID), "GroupStateChangeEvent"},
		{"group_state_change_events(state=)", "/api/v1/group/changestategroupevent/?" + since + "&state=conclude", "GroupStateChangeEvent"},
		{"group_states()", "/api/v1/name/groupstatename/", "GroupState"},
		{"group_type_names()", "/api/v1/name/grouptypename/", "GroupTypeName"},
		{"mailing lists", "/api/v1/mailinglists/list/", "EmailList"},
	}
	for _, l := range lists {
		n := 0
		first := l.url + "&limit=100"
		if !strings.Contains(l.url, "?") {
			first = l.url + "?limit=100"
		}
		for next := first; next != ""; {
			var page apiListResponse
			if code := getJSON(t, c, next, &page); code != http.StatusOK {
				t.Errorf("%s: GET %s answers %d: ietfdata exits", l.call, next, code)
				break
			}
			for _, o := range page.Objects {
				n++
				if bad := checkShape(o, ietfdataModels[l.model]); len(bad) > 0 {
					t.Errorf("%s: %v does not parse as %s: %v", l.call, o["resource_uri"], l.model, bad)
				}
			}
			next = ""
			if page.Meta.Next != nil {
				next = *page.Meta.Next
			}
		}
		if n == 0 {
			t.Errorf("%s: no objects", l.call)
		}
	}
	details := []struct{ call, url, model string }{
		{"person()", fmt.Sprintf("/api/v1/person/person/%d/", chair), "Person"},
		{"person_from_email() / email_for_address()", "/api/v1/person/email/chair@example.org/", "Email"},
		{"group()", fmt.Sprintf("/api/v1/group/group/%d/", httpbis.ID), "Group"},
		{"group_state_from_slug()", "/api/v1/name/groupstatename/active/", "GroupState"},
		{"group_type_name_from_slug()", "/api/v1/name/grouptypename/wg/", "GroupTypeName"},
		{"role_name_from_slug()", "/api/v1/name/rolename/chair/", "RoleName"},
	}
	for _, d := range details {
		var o map[string]any
		if code := getJSON(t, c, d.url, &o); code != http.StatusOK {
			t.Errorf("%s: GET %s answers %d", d.call, d.url, code)
			continue
		}
		if bad := checkShape(o, ietfdataModels[d.model]); len(bad) > 0 {
			t.Errorf("%s: %s does not parse as %s: %v", d.call, d.url, d.model, bad)
		}
	}
	// people(name_plain=...) sends plain=, which the Datatracker refuses
	// too: Tastypie's 400, as there.
	var e map[string]any
	if code := getJSON(t, c, "/api/v1/person/person/?plain=x", &e); code != http.StatusBadRequest || e["error"] != "The 'plain' field does not allow filtering." {
		t.Errorf("plain=: %d %v", code, e)
	}
}

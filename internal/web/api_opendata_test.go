package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"hum/internal/db/dbtest"
	"hum/internal/groups"
	"hum/internal/record"
)

func TestAPIListings(t *testing.T) {
	s := newSite(t)
	c := s.client()
	var top map[string]map[string]string
	getJSON(t, c, "/api/v1/", &top)
	for _, app := range []string{"group", "name", "meeting", "consensus"} {
		if top[app]["list_endpoint"] != "/api/v1/"+app+"/" {
			t.Errorf("/api/v1/: %s is %v", app, top[app])
		}
	}
	var group map[string]map[string]string
	getJSON(t, c, "/api/v1/group/", &group)
	if group["group"]["list_endpoint"] != "/api/v1/group/group/" || group["group"]["schema"] != "/api/v1/group/group/schema/" ||
		group["appeal"]["list_endpoint"] != "/api/v1/group/appeal/" {
		t.Errorf("/api/v1/group/: %v", group)
	}
	// Meetings and consensus are on the registry: each resource has its
	// schema, as every other.
	for app, models := range map[string][]string{"meeting": {"meeting", "schedule", "session", "timeslot", "room", "schedtimesessassignment"},
		"consensus": {"call", "decision"}} {
		var l map[string]map[string]string
		getJSON(t, c, "/api/v1/"+app+"/", &l)
		for _, m := range models {
			if l[m]["schema"] != "/api/v1/"+app+"/"+m+"/schema/" {
				t.Errorf("/api/v1/%s/: %s is %v", app, m, l[m])
			}
		}
	}
	var names map[string]map[string]string
	getJSON(t, c, "/api/v1/name/", &names)
	if names["groupstatename"]["list_endpoint"] != "/api/v1/name/groupstatename/" {
		t.Errorf("/api/v1/name/: %v", names["groupstatename"])
	}
	var bad map[string]any
	for _, path := range []string{"/api/v1/nosuch/", "/api/v1/group/nosuch/", "/api/v1/group/nosuch/schema/", "/api/v1/group/group/999999/", "/api/v1/name/groupstatename/nosuch/"} {
		if code := getJSON(t, c, path, &bad); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, code)
		}
	}
	if code := getJSON(t, c, "/api/v1/group/group/?format=xml", &bad); code != http.StatusBadRequest {
		t.Errorf("format=xml: %d, want 400", code)
	}
}

func TestAPIGroupResource(t *testing.T) {
	s := newSite(t)
	c := s.client()
	var l apiListResponse
	getJSON(t, c, "/api/v1/group/group/?acronym=httpbis&format=json", &l)
	if l.Meta.TotalCount != 1 || len(l.Objects) != 1 {
		t.Fatalf("acronym=httpbis: %+v", l)
	}
	g := l.Objects[0]
	for _, k := range []string{"acronym", "ad", "charter", "comments", "description", "id", "list_archive", "list_email", "list_subscribe",
		"meeting_seen_as_area", "name", "parent", "resource_uri", "state", "time", "type", "unused_states", "unused_tags", "used_roles", "uses_milestone_dates"} {
		if _, ok := g[k]; !ok {
			t.Errorf("group/group has no %s: %v", k, g)
		}
	}
	var one map[string]any
	if code := getJSON(t, c, g["resource_uri"].(string), &one); code != 200 || one["acronym"] != "httpbis" {
		t.Errorf("%s: %d %v", g["resource_uri"], code, one)
	}
	var state map[string]any
	if code := getJSON(t, c, g["state"].(string), &state); code != 200 || state["slug"] != "active" || state["name"] != "Active" {
		t.Errorf("%s: %d %v", g["state"], code, state)
	}
	var schema map[string]any
	getJSON(t, c, "/api/v1/group/group/schema/", &schema)
	if f, _ := schema["filtering"].(map[string]any); f["acronym"] != float64(1) || f["state"] != float64(2) {
		t.Errorf("schema: %v", schema["filtering"])
	}

	// Paging: meta.next carries the cursor, and following it gives the
	// next page; previous goes back by offset.
	l = apiListResponse{}
	getJSON(t, c, "/api/v1/group/group/?limit=2", &l)
	if l.Meta.TotalCount != 5 || len(l.Objects) != 2 || l.Meta.Next == nil || l.Meta.Previous != nil ||
		!strings.Contains(*l.Meta.Next, "cursor=") || !strings.Contains(*l.Meta.Next, "offset=2") {
		t.Fatalf("first page: %+v", l.Meta)
	}
	var acronyms []string
	for next := "/api/v1/group/group/?limit=2"; ; {
		var p apiListResponse
		getJSON(t, c, next, &p)
		for _, o := range p.Objects {
			acronyms = append(acronyms, o["acronym"].(string))
		}
		if p.Meta.Next == nil {
			break
		}
		next = *p.Meta.Next
	}
	if strings.Join(acronyms, " ") != "iesg secretariat art httpbis quic" {
		t.Errorf("pages: %v", acronyms)
	}

	// A filter the Datatracker does not allow: Tastypie's 400.
	res, err := c.c.Get(s.srv.URL + "/api/v1/group/group/?state__desc__name=x")
	if err != nil {
		t.Fatal(err)
	}
	var e map[string]any
	json.NewDecoder(res.Body).Decode(&e)
	res.Body.Close()
	if res.StatusCode != 400 || e["error"] != "The 'desc' field does not support relations." {
		t.Errorf("bad filter: %d %v", res.StatusCode, e)
	}
}

// TestAPIConditionalGet: the API's answers carry the record's version as
// an ETag, and a client that has it gets 304 until something changes.
func TestAPIConditionalGet(t *testing.T) {
	s := newSite(t)
	get := func(etag string) *http.Response {
		req, _ := http.NewRequest("GET", s.srv.URL+"/api/v1/group/group/?acronym=quic", nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	first := get("")
	etag := first.Header.Get("ETag")
	if first.StatusCode != 200 || etag == "" {
		t.Fatalf("first: %d %q", first.StatusCode, etag)
	}
	if res := get(etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("same version: %d, want 304", res.StatusCode)
	}
	if _, err := s.groups.Create(t.Context(), groups.Operator(record.System), groups.NewGroup{Acronym: "ntp", Name: "NTP", Type: "wg", Parent: "art"}, ""); err != nil {
		t.Fatal(err)
	}
	if res := get(etag); res.StatusCode != 200 || res.Header.Get("ETag") == etag {
		t.Errorf("after a change: %d %q", res.StatusCode, res.Header.Get("ETag"))
	}
}

// TestAPIAddressesUnderHideAddresses: whether or not --hide-addresses is
// set, the API gives no address hum knows only from the archive (the
// authors of archived mail); it gives the addresses the Datatracker
// makes public, which the group pages show to anyone too.
func TestAPIAddressesUnderHideAddresses(t *testing.T) {
	for _, hide := range []bool{false, true} {
		st, _ := archSite(t, hide)
		c := st.client()
		var l apiListResponse
		getJSON(t, c, "/api/v1/person/email/?limit=0", &l)
		for _, o := range l.Objects {
			if o["address"] == "ada@example.org" {
				t.Errorf("hide=%v: the archive's author ada@example.org is in person/email", hide)
			}
		}
		var e map[string]any
		if code := getJSON(t, c, "/api/v1/person/email/ada@example.org/", &e); code != http.StatusNotFound {
			t.Errorf("hide=%v: ada@example.org answers %d", hide, code)
		}
		if code := getJSON(t, c, "/api/v1/person/email/pat@example.org/", &e); code != http.StatusNotFound {
			t.Errorf("hide=%v: a participant's address answers %d", hide, code)
		}
	}
}

// TestAPIVersionsShared: the pages and the API read the record's version
// through one record.Versions, so a process queries it once per 250 ms
// and registers one commit hook, whether New builds the API or is given
// it (as app.New does).
func TestAPIVersionsShared(t *testing.T) {
	s := newServer(t, Config{DB: dbtest.New(t)})
	if s.versions == nil || s.versions != s.OpenData.Versions {
		t.Errorf("New built the API: the pages' versions %p, the API's %p", s.versions, s.OpenData.Versions)
	}
	od, err := OpenData(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	given := newServer(t, Config{DB: s.DB, OpenData: od})
	if given.versions != od.Versions {
		t.Errorf("New given the API: the pages' versions %p, the API's %p", given.versions, od.Versions)
	}
}

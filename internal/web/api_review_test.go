package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"hum/internal/charters"
	"hum/internal/docs"
	"hum/internal/mail"
	"hum/internal/record"
)

// apiCount is the total_count of a list request.
func apiCount(t *testing.T, c *client, uri string) int {
	t.Helper()
	var l apiListResponse
	if code := getJSON(t, c, uri, &l); code != http.StatusOK {
		t.Fatalf("%s: %d", uri, code)
	}
	return l.Meta.TotalCount
}

// TestAPISubmissionDateFilter: submission_date is a date read from a
// timestamp, so a date filter compares with the day the timestamp falls on
// (a date compared with a timestamp as text never matched).
func TestAPISubmissionDateFilter(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	// apiSite submits 00 on 2024-03-01, 01 and another draft 31 days later.
	for q, want := range map[string]int{
		"submission_date=2024-03-01":                                      1,
		"submission_date=2024-04-01":                                      2,
		"submission_date=2024-03-02":                                      0,
		"submission_date__gte=2024-03-01":                                 3,
		"submission_date__gt=2024-03-01":                                  2,
		"submission_date__lt=2024-04-01":                                  1,
		"submission_date__lte=2024-04-01":                                 3,
		"submission_date__range=2024-03-01,2024-03-31":                    1,
		"submission_date__in=2024-03-01,2024-04-01":                       3,
		"submission_date=2024-03-01T12:00:00":                             1,
		"name=draft-ietf-httpbis-ioam-api&submission_date__lt=2025-01-01": 2,
	} {
		if got := apiCount(t, c, "/api/v1/submit/submission/?"+q); got != want {
			t.Errorf("%s: %d submissions, want %d", q, got, want)
		}
	}
	var sub map[string]any
	getJSON(t, c, "/api/v1/submit/submission/?limit=1", &sub)
	if o := sub["objects"].([]any)[0].(map[string]any); o["submission_date"] != "2024-03-01" {
		t.Errorf("submission_date = %v, want 2024-03-01", o["submission_date"])
	}
}

// TestAPIDocumentListsPostedSubmissions: a document's submissions are the
// posted ones, as on the Datatracker; one waiting (01, during IESG
// evaluation) is a submission but not yet the document's.
func TestAPIDocumentListsPostedSubmissions(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	var d map[string]any
	if code := getJSON(t, c, "/api/v1/doc/document/draft-ietf-httpbis-ioam-api/", &d); code != http.StatusOK {
		t.Fatalf("document: %d", code)
	}
	subs, _ := d["submissions"].([]any)
	if len(subs) != 1 {
		t.Fatalf("submissions %v, want only the posted 00", subs)
	}
	var sub map[string]any
	getJSON(t, c, subs[0].(string), &sub)
	if sub["rev"] != "00" || sub["state"] != "/api/v1/name/draftsubmissionstatename/posted/" {
		t.Errorf("the document's submission: %v", sub)
	}
}

// TestAPIGroupCharterOfCharterDocument: a group whose charter document
// exists (a first charter under review, no approved text yet) links it.
func TestAPIGroupCharterOfCharterDocument(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	ctx := context.Background()
	ad, err := s.groups.ActorOf(ctx, record.Actor{ID: mustPerson(t, s, "ad@example.org"), Name: "Ada Director"})
	if err != nil {
		t.Fatal(err)
	}
	cs := &charters.Service{DB: s.db, Groups: s.groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	if _, err := cs.Submit(ctx, ad, "charter-ietf-httpbis", "HTTP things, first charter.", ""); err != nil {
		t.Fatal(err)
	}
	g, _ := s.groups.Get(ctx, "httpbis")
	var o map[string]any
	if code := getJSON(t, c, fmt.Sprintf("/api/v1/group/group/%d/", g.ID), &o); code != http.StatusOK {
		t.Fatalf("group: %d", code)
	}
	if o["charter"] != "/api/v1/doc/document/charter-ietf-httpbis/" {
		t.Errorf("charter = %v", o["charter"])
	}
	var doc map[string]any
	if code := getJSON(t, c, "/api/v1/doc/document/charter-ietf-httpbis/", &doc); code != http.StatusOK {
		t.Errorf("the charter document: %d", code)
	}
}

// TestAPIBallotPositionsJoinEvents: each position is its own event, even
// when an AD changes it twice within one tick of the clock.
func TestAPIBallotPositionsJoinEvents(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	ctx := context.Background()
	ds := &docs.Service{DB: s.db, Groups: s.groups, Mail: &mail.Outbox{Name: "hum"}, BaseURL: "http://hum.test", Domain: "hum.test"}
	ad, err := s.groups.ActorOf(ctx, record.Actor{ID: mustPerson(t, s, "ad@example.org"), Name: "Ada Director"})
	if err != nil {
		t.Fatal(err)
	}
	const name = "draft-ietf-httpbis-ioam-api"
	// apiSite's clock stands still now: both at the same instant.
	for _, p := range []string{"noobj", "abstain"} {
		if err := ds.SetPosition(ctx, name, ad, docs.PositionChange{Pos: p, Comment: "Now " + p + "."}); err != nil {
			t.Fatal(err)
		}
	}
	var l apiListResponse
	getJSON(t, c, "/api/v1/doc/ballotpositiondocevent/?doc__name="+name+"&order_by=id", &l)
	var got []string
	for _, o := range l.Objects {
		got = append(got, fmt.Sprint(o["pos"], " ", o["comment"]))
	}
	want := []string{"/api/v1/name/ballotpositionname/yes/ Fine.", "/api/v1/name/ballotpositionname/noobj/ Now noobj.",
		"/api/v1/name/ballotpositionname/abstain/ Now abstain."}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("positions:\n got %q\nwant %q", got, want)
	}
}

// TestAPIIPR: the ipr/* resources serve the public disclosures, each
// kind under its own resource and all under iprdisclosurebase, and never
// a pending one or its events.
func TestAPIIPR(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	for uri, want := range map[string]int{
		"/api/v1/ipr/iprdisclosurebase/":                                                   5,
		"/api/v1/ipr/holderiprdisclosure/":                                                 2,
		"/api/v1/ipr/thirdpartyiprdisclosure/":                                             1,
		"/api/v1/ipr/genericiprdisclosure/":                                                1,
		"/api/v1/ipr/nondocspecificiprdisclosure/":                                         1,
		"/api/v1/ipr/iprdocrel/?document__name=draft-ietf-httpbis-ioam-api":                3,
		"/api/v1/ipr/relatedipr/?relationship=updates":                                     1,
		"/api/v1/ipr/iprdisclosurebase/?holder_legal_name=Example%20Networks&state=posted": 5,
		"/api/v1/ipr/iprdisclosurebase/?docs__name=draft-ietf-httpbis-ioam-api":            3,
		"/api/v1/ipr/iprevent/?type=posted":                                                5,
		"/api/v1/ipr/iprevent/?type=pending":                                               0,
		"/api/v1/ipr/iprevent/?desc__contains=Quiet":                                       0,
	} {
		if got := apiCount(t, c, uri); got != want {
			t.Errorf("%s: %d, want %d", uri, got, want)
		}
	}
	var l apiListResponse
	getJSON(t, c, "/api/v1/ipr/holderiprdisclosure/?order_by=id", &l)
	h := l.Objects[1]
	if h["licensing"] != "/api/v1/name/iprlicensetypename/royalty-free/" || h["patent_info"] != "Number: US62/123456\nInventor: Ivy Inventor\nTitle: Measuring in flight\nDate: 2024-01-05" ||
		h["iprdisclosurebase_ptr"] != "/api/v1/ipr/iprdisclosurebase/"+fmt.Sprint(h["id"])+"/" {
		t.Errorf("holder disclosure: %v", h)
	}
	if rel, _ := h["rel"].([]any); len(rel) != 1 || rel[0] != "/api/v1/ipr/iprdisclosurebase/"+fmt.Sprint(l.Objects[0]["id"])+"/" {
		t.Errorf("the update's rel: %v", h["rel"])
	}
	_, body := c.get("/api/v1/ipr/iprdisclosurebase/?limit=0")
	if strings.Contains(body, "quiet@networks.example") || strings.Contains(body, "Still pending") {
		t.Errorf("a pending disclosure is in the API")
	}
}

// TestAPITelechatDocEvent: each placement on a telechat agenda is a
// telechatdocevent, with its date.
func TestAPITelechatDocEvent(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	var l apiListResponse
	getJSON(t, c, "/api/v1/doc/telechatdocevent/?doc__name=draft-ietf-httpbis-ioam-api&order_by=id", &l)
	var got []string
	for _, o := range l.Objects {
		got = append(got, fmt.Sprint(o["telechat_date"], " ", o["returning_item"], " ", o["type"]))
	}
	if fmt.Sprint(got) != "[2024-04-11 false scheduled_for_telechat 2024-04-25 false scheduled_for_telechat]" {
		t.Errorf("telechat events: %q", got)
	}
	if n := apiCount(t, c, "/api/v1/doc/telechatdocevent/?telechat_date__gte=2024-04-20"); n != 1 {
		t.Errorf("telechat_date__gte: %d", n)
	}
}

// TestAPISubmissionAuthors: a submission's authors are the Datatracker's
// JSON text of name, email, affiliation and country, as the draft names
// them; the address is there once the revision is posted (then it is an
// author's address printed in a posted draft, public anyway).
func TestAPISubmissionAuthors(t *testing.T) {
	s := apiSite(t)
	c := s.client()
	var l apiListResponse
	getJSON(t, c, "/api/v1/submit/submission/?name=draft-ietf-httpbis-ioam-api&order_by=id", &l)
	if len(l.Objects) != 2 {
		t.Fatalf("submissions: %v", l.Objects)
	}
	for i, want := range []string{
		`[{"name": "Vic Tim", "email": "pat@example.org", "affiliation": "", "country": ""}]`,
		`[{"name": "Vic Tim", "email": "", "affiliation": "", "country": ""}]`,
	} {
		if got := l.Objects[i]["authors"]; got != want {
			t.Errorf("submission %v authors:\n got %v\nwant %s", l.Objects[i]["rev"], got, want)
		}
	}
	if n := apiCount(t, c, "/api/v1/submit/submission/?authors__contains=Vic%20Tim"); n != 3 {
		t.Errorf("authors__contains: %d", n)
	}
}

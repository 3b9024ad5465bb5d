package web

import (
	"testing"

	"hum/internal/db/dbtest"
	"hum/internal/groups"
	"hum/internal/testbody"
)

// TestR48BodiesPageListsTheADs: the page of who may not volunteer (R48)
// lists the IESG's ADs with the other sitting members, as Volunteer
// refuses them.
func TestR48BodiesPageListsTheADs(t *testing.T) {
	b := testbody.New(t, dbtest.New(t))
	b.AddGroups(
		groups.NewGroup{Acronym: "iesg", Name: "Internet Engineering Steering Group", Type: "iesg"},
		groups.NewGroup{Acronym: "iab", Name: "Internet Architecture Board", Type: "iab"},
		groups.NewGroup{Acronym: "art", Name: "Applications and Real-Time Area", Type: "area", Parent: "iesg"},
	)
	b.AddPeople(
		testbody.Person{Email: "ad@example.org", Name: "Ada Director", Role: "ad", Group: "art"},
		testbody.Person{Email: "iab@example.org", Name: "Iris Board", Role: "member", Group: "iab"},
	)
	s := serve(t, b, Config{})
	code, body := s.clientFrom("127.0.0.30").get("/nomcom/bodies/")
	want(t, "the bodies page", code, body, 200, "Iris Board", "Ada Director", `href="/group/art/about/">IESG</a>`, "Area Director")
}

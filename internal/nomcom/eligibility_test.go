package nomcom_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"hum/internal/nomcom"
)

// fiveMeetings creates six IETF meetings: 101 to 106, four months
// apart, from March 2018 to July 2019. With a call on 2019-08-01, the
// last five (R50) are 102 to 106.
func (e *env) fiveMeetings() {
	for i, date := range []string{"2018-03-17", "2018-07-14", "2018-11-03", "2019-03-23", "2019-07-20", "2019-11-16"} {
		e.meeting(itoa(101+i), date)
	}
}

// TestR45AttendanceThreeOfFive: registered for and attended three of
// the last five IETF meetings, in person (checked in) or online (on a
// session's blue sheet), makes one eligible; two do not, and a
// registration with no attendance does not count.
func TestR45AttendanceThreeOfFive(t *testing.T) {
	e := newEnv(t)
	e.fiveMeetings()
	for _, who := range []string{"three@example.org", "two@example.org", "mixed@example.org", "noshow@example.org"} {
		e.person(who, "")
	}
	for _, m := range []string{"102", "103", "104"} {
		e.attendOnsite(m, "three@example.org")
	}
	for _, m := range []string{"102", "103"} {
		e.attendOnsite(m, "two@example.org")
	}
	e.registerOnly("104", "two@example.org") // registered, never there: does not count
	e.attendOnsite("102", "mixed@example.org")
	e.attendRemote("103", "mixed@example.org")
	e.attendRemote("105", "mixed@example.org")
	for _, m := range []string{"102", "103", "104", "105"} {
		e.registerOnly(m, "noshow@example.org")
	}
	call := "2019-08-01"
	for _, c := range []struct {
		who      string
		attended int
		eligible bool
	}{
		{"three@example.org", 3, true},
		{"mixed@example.org", 3, true},
		{"two@example.org", 2, false},
		{"noshow@example.org", 0, false},
	} {
		el := e.eligibility(c.who, call)
		if el.Attended != c.attended || el.Meets(nomcom.PathAttendance) != c.eligible {
			t.Errorf("%s: attended %d, R45 met %v; want %d, %v (%v)", c.who, el.Attended, el.Meets(nomcom.PathAttendance), c.attended, c.eligible, el.Explain())
		}
		if len(el.Attendance) != 5 {
			t.Errorf("%s: %d meetings shown as evidence, want the last five", c.who, len(el.Attendance))
		}
	}
	// The whole list agrees with the one-person view.
	day, _ := time.Parse(time.DateOnly, call)
	r, err := e.s.Eligible(context.Background(), day)
	e.must(err)
	var names []string
	for _, p := range r.People {
		if p.Meets(nomcom.PathAttendance) {
			names = append(names, p.Name)
		}
	}
	if want := []string{"Mixed Person", "Three Person"}; !slices.Equal(names, want) {
		t.Errorf("eligible by R45: %v, want %v", names, want)
	}
}

// TestR50LastFiveMeetingsByStartDate: "the last five meetings" are the
// five most recent IETF meetings whose first day is on or before the
// call. Someone who attended 101 to 103 is eligible by a call the day
// before 106 starts (the five are 101 to 105), and not by a call on
// 106's first day (106 is one of the five, and 101 drops out).
func TestR50LastFiveMeetingsByStartDate(t *testing.T) {
	e := newEnv(t)
	e.fiveMeetings()
	e.person("old@example.org", "")
	for _, m := range []string{"101", "102", "103"} {
		e.attendOnsite(m, "old@example.org")
	}
	numbers := func(el nomcom.Eligibility) []string {
		var out []string
		for _, a := range el.Attendance {
			out = append(out, a.Meeting.Number)
		}
		return out
	}
	for _, c := range []struct {
		call     string
		five     []string
		attended int
	}{
		{"2019-11-15", []string{"105", "104", "103", "102", "101"}, 3},
		{"2019-11-16", []string{"106", "105", "104", "103", "102"}, 2},
		{"2019-08-01", []string{"105", "104", "103", "102", "101"}, 3},
		{"2018-07-13", []string{"101"}, 1},
	} {
		el := e.eligibility("old@example.org", c.call)
		if got := numbers(el); !slices.Equal(got, c.five) {
			t.Errorf("call %s: the last five are %v, want %v", c.call, got, c.five)
		}
		if el.Attended != c.attended || el.Meets(nomcom.PathAttendance) != (c.attended >= 3) {
			t.Errorf("call %s: attended %d (eligible %v), want %d", c.call, el.Attended, el.Eligible(), c.attended)
		}
	}
}

// TestR46ServiceWithinThreeYears: a WG chair or secretary at any time in
// the three years before the call is eligible, whether the role is held
// now or ended within the window; one that ended before it, or an AD's
// role, does not count.
func TestR46ServiceWithinThreeYears(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, who := range []string{"now@example.org", "recent@example.org", "long@example.org", "secr@example.org", "later@example.org", "left@example.org"} {
		e.person(who, "")
	}
	e.at("2015-01-10")
	e.must(e.gs.Grant(ctx, e.op, "httpbis", "chair", e.id("recent@example.org"), "", ""))
	e.must(e.gs.Grant(ctx, e.op, "dnsop", "chair", e.id("long@example.org"), "", ""))
	e.must(e.gs.Grant(ctx, e.op, "dnsop", "chair", e.id("left@example.org"), "", ""))
	e.at("2016-03-01")
	e.must(e.gs.Grant(ctx, e.op, "dnsop", "secr", e.id("secr@example.org"), "", ""))
	e.at("2016-06-01")
	e.revoke("dnsop", "chair", "long@example.org") // more than three years before the call
	e.at("2017-09-01")
	e.revoke("httpbis", "chair", "recent@example.org") // within three years
	e.must(e.gs.Grant(ctx, e.op, "httpbis", "chair", e.id("now@example.org"), "", ""))
	e.at("2019-09-01")
	e.must(e.gs.Grant(ctx, e.op, "dnsop", "chair", e.id("later@example.org"), "", "")) // after the call
	e.at("2019-10-01")
	e.revoke("dnsop", "chair", "left@example.org") // held on the day of the call, ended after it

	call := "2019-08-01"
	for _, c := range []struct {
		who  string
		want bool
	}{
		{"now@example.org", true},
		{"recent@example.org", true},
		{"secr@example.org", true},
		{"long@example.org", false},
		{"later@example.org", false},
		{"left@example.org", true},
		{"ad@example.org", false},
	} {
		el := e.eligibility(c.who, call)
		if el.Meets(nomcom.PathService) != c.want {
			t.Errorf("%s: R46 met %v, want %v (offices %+v)", c.who, el.Meets(nomcom.PathService), c.want, el.Offices)
		}
	}
	if el := e.eligibility("recent@example.org", call); len(el.Offices) != 1 || el.Offices[0].Acronym != "httpbis" || el.Offices[0].To.IsZero() {
		t.Errorf("recent's evidence: %+v, want httpbis's chair, ended", el.Offices)
	}
}

func (e *env) revoke(acronym, role, who string) {
	e.t.Helper()
	var id int64
	e.must(e.db.QueryRow(`SELECT r.id FROM role r JOIN grp g ON g.id = r.group_id WHERE g.acronym = $1 AND r.name = $2 AND r.person_id = $3`,
		acronym, role, e.id(who)).Scan(&id))
	e.must(e.gs.Revoke(context.Background(), e.op, id, ""))
}

// TestR47AuthorshipTwoRFCs: the front-page author of two IETF-stream
// RFCs (or drafts in the RFC Editor queue) in the five years before the
// call is eligible; one, or one and an older one, is not.
func TestR47AuthorshipTwoRFCs(t *testing.T) {
	e := newEnv(t)
	for _, who := range []string{"two@example.org", "queue@example.org", "old@example.org"} {
		e.person(who, "")
	}
	e.rfc("draft-ietf-httpbis-old", "old@example.org", "2013-01-10", 8001) // more than five years before
	e.rfc("draft-ietf-httpbis-one", "two@example.org", "2016-02-01", 8002)
	e.rfc("draft-ietf-httpbis-two", "two@example.org", "2018-05-01", 8003)
	e.rfc("draft-ietf-httpbis-three", "queue@example.org", "2017-05-01", 8004)
	e.toQueue("draft-ietf-httpbis-queued", "queue@example.org", "2019-05-01")
	e.rfc("draft-ietf-httpbis-four", "old@example.org", "2018-01-01", 8005)

	call := "2019-08-01"
	for _, c := range []struct {
		who   string
		works int
		want  bool
	}{
		{"two@example.org", 2, true},
		{"queue@example.org", 2, true},
		{"old@example.org", 1, false},
	} {
		el := e.eligibility(c.who, call)
		if len(el.Works) != c.works || el.Meets(nomcom.PathAuthorship) != c.want {
			t.Errorf("%s: %d works, R47 met %v; want %d, %v (%+v)", c.who, len(el.Works), el.Meets(nomcom.PathAuthorship), c.works, c.want, el.Works)
		}
	}
	// A draft counts while queued, and as its RFC once published: never
	// twice. Published after the call, the queued draft still counts.
	e.now = time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC)
	_, err := e.ds.Publish(context.Background(), "draft-ietf-httpbis-queued", e.op, 8006)
	e.must(err)
	if el := e.eligibility("queue@example.org", call); len(el.Works) != 2 || el.Works[1].Kind != "queue" || el.Works[1].Name != "draft-ietf-httpbis-queued" {
		t.Errorf("the queued draft, published after the call: %+v", el.Works)
	}
	if el := e.eligibility("queue@example.org", "2019-10-01"); len(el.Works) != 2 || el.Works[1].Name != "rfc8006" {
		t.Errorf("once published, the draft counts as its RFC: %+v", el.Works)
	}
}

// TestEligibilityWindowLeapDay: a call on 29 February looks back to 28
// February.
func TestEligibilityWindowLeapDay(t *testing.T) {
	from, to := nomcom.Window(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), 3)
	if from != time.Date(2021, 2, 28, 0, 0, 0, 0, time.UTC) || to.Format(time.DateOnly) != "2024-02-29" {
		t.Errorf("window %s to %s", from, to)
	}
}

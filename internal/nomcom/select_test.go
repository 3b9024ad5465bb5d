package nomcom_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/fail"
	"hum/internal/nomcom"
)

// TestR49SelectSkipsAThirdOfOneAffiliation: on RFC 3797 §6's pool and
// key, where the first three drawn (Lee, Doc, Mary) share an
// affiliation, Mary is skipped and the eleventh draw (Sloth) takes the
// tenth seat.
func TestR49SelectSkipsAThirdOfOneAffiliation(t *testing.T) {
	names := []string{"John", "Mary", "Bashful", "Dopey", "Sleepy", "Grouchy", "Doc", "Sneazy", "Handsome", "Cassandra",
		"Pollyanna", "Pendragon", "Pandora", "Faith", "Hope", "Charity", "Lee", "Longsuffering", "Chastity", "Smith",
		"Pride", "Sloth", "Envy", "Anger", "Kasczynski"}
	var pool []nomcom.Candidate
	for i, n := range names {
		aff := n + " Ltd"
		if n == "Lee" || n == "Doc" || n == "Mary" {
			aff = "Example Corp."
		}
		if n == "Doc" {
			aff = "example  corp" // the same affiliation, written differently
		}
		pool = append(pool, nomcom.Candidate{Position: i + 1, PersonID: int64(i + 1), Name: n, Affiliation: aff})
	}
	steps, err := nomcom.Select("9319./2.5.8.10.12./9.18.26.34.41.45./", pool, 10)
	if err != nil {
		t.Fatal(err)
	}
	var seated, skipped []string
	for _, s := range steps {
		if s.Selected {
			seated = append(seated, s.Name)
		} else {
			skipped = append(skipped, s.Name)
			if !strings.HasPrefix(s.Skipped, "R49") {
				t.Errorf("%s skipped for %q, want the rule R49 named", s.Name, s.Skipped)
			}
		}
	}
	want := []string{"Lee", "Doc", "Charity", "Kasczynski", "Envy", "Sneazy", "Anger", "Chastity", "Pandora", "Sloth"}
	if diff := cmp.Diff(want, seated); diff != "" {
		t.Errorf("seated (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Mary"}, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}

// volunteers40 starts NomCom 2020 with a call on 2020-01-06 and has 40
// people volunteer, each a WG chair (R46), with primary affiliations of
// which twelve are Example Networks, eight Acme and five Example
// University.
func (e *env) volunteers40() []string {
	e.t.Helper()
	ctx := context.Background()
	e.at("2019-06-01")
	var emails []string
	for i := range 40 {
		email := fmt.Sprintf("v%02d@example.org", i+1)
		e.person(email, fmt.Sprintf("Volunteer %02d", i+1))
		e.must(e.gs.Grant(ctx, e.op, "httpbis", "chair", e.id(email), "", ""))
		emails = append(emails, email)
	}
	e.at("2020-01-06")
	e.nomcomYear(2020)
	chair := e.as("nc@example.org")
	e.must(e.s.OpenCall(ctx, chair, 2020, "2020-01-06", 0, ""))
	for i, email := range emails {
		aff := fmt.Sprintf("Company %d", i)
		switch {
		case i%10 < 3:
			aff = "Example Networks"
		case i%10 < 5:
			aff = "Acme"
		case i%8 == 7:
			aff = "Example University"
		}
		e.must(e.s.Volunteer(ctx, e.as(email), 2020, aff))
	}
	return emails
}

var sources2020 = []string{"The numbers of the Example Lottery drawn on 2020-02-01", "The closing value of the Example Index on 2020-02-01", "The Demo Sweepstake's winning ticket of 2020-02-01"}
var values2020 = []string{"4 17 22 31 38 45", "12345.67", "AB12-CD34"}

// TestR49TenFromFortyWithTheAffiliationRule: 40 volunteers, many from
// three companies; the chair publishes the pool and the sources, enters
// the values once known, and hum seats 10 voting members, never three
// with one primary affiliation, announces the result on ietf-announce,
// and anyone computes the same result from the published inputs.
func TestR49TenFromFortyWithTheAffiliationRule(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.volunteers40()
	chair := e.as("nc@example.org")
	e.must(e.s.AnnounceSources(ctx, chair, 2020, sources2020, "2020-02-01", ""))
	if subj := e.outbox("ietf-announce@hum.test"); len(subj) != 2 || !strings.Contains(subj[1], "pool") {
		t.Errorf("announcements: %q, want the call and the pool", subj)
	}
	// Not before the values can be known.
	if _, err := e.s.EnterValues(ctx, chair, 2020, values2020, ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("values entered before their day: %v", err)
	}
	e.at("2020-02-02")
	if _, err := e.s.EnterValues(ctx, e.as("v01@example.org"), 2020, values2020, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("a volunteer enters the values: %v", err)
	}
	c, err := e.s.EnterValues(ctx, chair, 2020, values2020, "")
	e.must(err)
	if c.Key != "4.17.22.31.38.45./12345.67/AB12CD34/" {
		t.Errorf("key %q", c.Key)
	}
	members := e.count(`SELECT COUNT(*) FROM role r JOIN grp g ON g.id = r.group_id WHERE g.acronym = 'nomcom2020' AND r.name = 'member'`)
	if members != 10 {
		t.Errorf("%d voting members seated, want 10", members)
	}
	per := map[string]int{}
	rows, err := e.db.Query(`SELECT v.affiliation FROM nomcom_volunteer v JOIN role r ON r.person_id = v.person_id
		JOIN grp g ON g.id = r.group_id WHERE g.acronym = 'nomcom2020' AND r.name = 'member'`)
	e.must(err)
	for rows.Next() {
		var a string
		e.must(rows.Scan(&a))
		per[a]++
	}
	rows.Close()
	for a, n := range per {
		if n > nomcom.MaxPerAffiliation {
			t.Errorf("R49 broken: %d voting members from %s", n, a)
		}
	}
	if len(c.Skipped()) == 0 {
		t.Errorf("no draw was skipped: this pool and these values should exercise R49 (%d seated from %d draws)", len(c.Selected()), len(c.Steps))
	}
	for _, st := range c.Skipped() {
		n := 0
		for _, x := range c.Steps {
			if x.Step < st.Step && x.Selected && nomcom.SameAffiliation(x.Affiliation) == nomcom.SameAffiliation(st.Affiliation) {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%s was skipped with %d of %s already seated", st.Name, n, st.Affiliation)
		}
	}
	// The record cites R49 for each seat, and the result is announced.
	if n := e.count(`SELECT COUNT(*) FROM event WHERE kind = 'role_granted' AND subject = 'nomcom2020' AND why LIKE 'R49: selected for seat%'`); n != 10 {
		t.Errorf("%d seats cite R49 in the record, want 10", n)
	}
	if subj := e.outbox("ietf-announce@hum.test"); len(subj) != 3 || !strings.Contains(subj[2], "selected") {
		t.Errorf("announcements: %q, want the result last", subj)
	}
	// Anyone re-runs it from the published inputs and gets the same.
	again, err := e.s.Compute(ctx, 2020, nil)
	e.must(err)
	if !again.Recorded {
		t.Error("the computation from the published inputs differs from the seats hum recorded")
	}
	if diff := cmp.Diff(c.Steps, again.Steps); diff != "" {
		t.Errorf("re-run differs (-first +again):\n%s", diff)
	}
	other, err := e.s.Compute(ctx, 2020, []string{"4 17 22 31 38 46", "12345.67", "AB12-CD34"})
	e.must(err)
	if other.Recorded || cmp.Equal(other.Steps, c.Steps) {
		t.Error("other values give the same seats")
	}
	// Values cannot be entered twice.
	if _, err := e.s.EnterValues(ctx, chair, 2020, values2020, ""); fail.KindOf(err) != fail.Conflict {
		t.Errorf("values entered twice: %v", err)
	}
}

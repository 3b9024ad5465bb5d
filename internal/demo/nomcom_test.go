package demo

import (
	"context"
	"slices"
	"strings"
	"testing"

	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/nomcom"
	"hum/internal/record"
)

// TestDemoNomCom loads the demo with its NomComs. Last year's ran to its
// end: 40 volunteers, ten seated by RFC 3797 from the published pool and
// sources with R49 skipping at least one, the same seats computed again
// from the published inputs, two positions confirmed and seated. This
// year's calls for volunteers: eligibility by attendance (R45, over the
// demo's past meetings: eight of the crowd), by service (R46) and by
// authorship (R47, one of the crowd) is there and explained; the
// participant login is refused (R45-R47), the AD login too (R48), and
// the httpbis chair login may volunteer (R46).
func TestDemoNomCom(t *testing.T) {
	ctx := context.Background()
	dm := loadDemo(t, true)
	ns := dm.ns
	all, err := ns.List(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("NomComs: %v, %v", all, err)
	}
	this, last := all[0], all[1]
	if last.State != nomcom.Selected || this.State != nomcom.Open {
		t.Fatalf("states: last year's %s, this year's %s", last.State, this.State)
	}
	c, err := ns.Compute(ctx, last.Year, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Recorded || len(c.Pool) != demoVolunteers || len(c.Selected()) != 10 {
		t.Errorf("last year's selection: recorded %v, pool %d, seated %d", c.Recorded, len(c.Pool), len(c.Selected()))
	}
	if len(c.Skipped()) == 0 {
		t.Errorf("no volunteer was skipped by R49 in %d draws: change DemoValues so the demo shows the rule", len(c.Steps))
	}
	ps, err := ns.Positions(ctx, last.Year)
	if err != nil || len(ps) != 2 {
		t.Fatalf("last year's positions: %d, %v", len(ps), err)
	}
	for _, p := range ps {
		if p.State() != "seated" {
			t.Errorf("%s: %s, want seated", p.Name, p.State())
		}
	}

	r, err := ns.Eligible(ctx, this.CallDate)
	if err != nil {
		t.Fatal(err)
	}
	if r.Count(nomcom.PathAttendance) != 8 || r.Count(nomcom.PathService) < demoCrowd || r.Count(nomcom.PathAuthorship) != 1 || len(r.Meetings) != 5 {
		t.Errorf("this year's eligibility: %d by R45, %d by R46, %d by R47, over %d meetings", r.Count(nomcom.PathAttendance),
			r.Count(nomcom.PathService), r.Count(nomcom.PathAuthorship), len(r.Meetings))
	}
	for _, e := range r.People {
		if e.Meets(nomcom.PathAuthorship) {
			var kinds []string
			for _, w := range e.Works {
				kinds = append(kinds, w.Kind+" "+w.Name)
			}
			if want := []string{"rfc rfc9998", "queue " + demoQueuedDraft}; !slices.Equal(kinds, want) {
				t.Errorf("%s's works: %v, want %v", e.Name, kinds, want)
			}
		}
	}
	as := func(what string) groups.Actor {
		t.Helper()
		for _, l := range dm.logins {
			if strings.HasPrefix(l.What, what) {
				var id int64
				var name string
				if err := dm.d.QueryRow(`SELECT p.id, p.name FROM person p JOIN email e ON e.person_id = p.id WHERE e.address = $1`, l.Email).Scan(&id, &name); err != nil {
					t.Fatal(err)
				}
				a, err := dm.gs.ActorOf(ctx, record.Actor{ID: id, Name: name})
				if err != nil {
					t.Fatal(err)
				}
				return a
			}
		}
		t.Fatalf("no demo login %q", what)
		return groups.Actor{}
	}
	if err := ns.Volunteer(ctx, as("Participant"), this.Year, "Example"); fail.KindOf(err) != fail.Forbidden || !strings.Contains(err.Error(), "R45") {
		t.Errorf("the participant login volunteers: %v", err)
	}
	if err := ns.Volunteer(ctx, as("Applications Area Director"), this.Year, "Example"); !strings.Contains(err.Error(), "R48") {
		t.Errorf("the AD login volunteers: %v", err)
	}
	if err := ns.Volunteer(ctx, as("httpbis chair"), this.Year, "Example"); err != nil {
		t.Errorf("the httpbis chair login volunteers: %v", err)
	}
}

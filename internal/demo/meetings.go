package demo

import (
	"context"
	"embed"
	"fmt"
	"time"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/meetings"
	"hum/internal/record"
)

// ietf83Files are IETF 83 (Paris, March 2012) as the Datatracker's
// fixtures hold it: meeting83.json and constraint83.json copied byte for
// byte from ../shared/corpus/meetings/ietf83 (mcr/ietfdb, BSD-3-Clause),
// and groups83.json, the corpus's 2013 group list cut to the groups they
// name (TestIETF83FromCorpus derives it), so the binary never reads
// ../shared at run time.
//
//go:embed ietf83
var ietf83Files embed.FS

// DemoMeeting is the number of the demo's upcoming IETF meeting. Real
// meetings will not reach it for centuries, and an import of a real
// meeting of that number would be refused (meetings.ImportDatatracker
// never merges into a meeting it did not create).
const DemoMeeting = "990"

// meetingsDemo loads IETF 83 with its official agenda; then, on a clock
// set back to March 2012, its chairs post agendas and minutes for a few
// sessions and participants register and sign the blue sheets. It adds
// an upcoming IETF meeting, open for registration and session requests,
// with a few requests in, and an online interim of idr three weeks
// ahead.
func (l *loader) meetingsDemo(ctx context.Context, d *db.DB, opt Options) error {
	if opt.Meetings == nil {
		return nil
	}
	var t time.Time
	clockDB := &db.DB{DB: d.DB, Dialect: d.Dialect, Now: func() time.Time { return t }}
	ms := &meetings.Service{DB: clockDB, Groups: opt.Meetings.Groups, Mail: demoMail{next: opt.Meetings.Mail, domain: opt.Meetings.Domain},
		BaseURL: opt.Meetings.BaseURL, Domain: opt.Meetings.Domain, Lists: opt.Meetings.Lists}
	t = l.now
	var files [][]byte
	for _, f := range []string{"meeting83.json", "constraint83.json", "groups83.json"} {
		b, err := ietf83Files.ReadFile("ietf83/" + f)
		if err != nil {
			return err
		}
		files = append(files, b)
	}
	if _, err := ms.ImportDatatracker(ctx, operator, meetings.DatatrackerImport{Number: "83", Fixtures: files, ListDomain: "ietf.example"}); err != nil {
		return fmt.Errorf("demo meetings, IETF 83: %w", err)
	}
	x := meetingLoader{l: l, ms: ms, clock: &t}
	if err := x.past(ctx); err != nil {
		return fmt.Errorf("demo meetings, IETF 83: %w", err)
	}
	t = l.now
	if err := x.upcoming(ctx); err != nil {
		return fmt.Errorf("demo meetings, IETF %s: %w", DemoMeeting, err)
	}
	return nil
}

type meetingLoader struct {
	l     *loader
	ms    *meetings.Service
	clock *time.Time
}

// actor is a person acting with the roles they hold.
func (x meetingLoader) actor(ctx context.Context, id int64) (groups.Actor, error) {
	var name string
	if err := x.l.gs.DB.QueryRowContext(ctx, `SELECT name FROM person WHERE id = $1`, id).Scan(&name); err != nil {
		return groups.Actor{}, err
	}
	return x.l.gs.ActorOf(ctx, record.Actor{ID: id, Name: name})
}

// chair is the first chair of a group.
func (x meetingLoader) chair(ctx context.Context, acronym string) (groups.Actor, error) {
	rs, _, err := x.l.gs.Roles(ctx, groups.RoleFilter{Acronym: acronym, Name: "chair", Limit: 1})
	if err != nil {
		return groups.Actor{}, err
	}
	if len(rs) == 0 {
		return groups.Actor{}, fmt.Errorf("%s has no chair", acronym)
	}
	return x.actor(ctx, rs[0].PersonID)
}

// participants are the people who take part in a group: its role
// holders and list subscribers, as the demo made them, up to n.
func (x meetingLoader) participants(ctx context.Context, area string, n int) ([]int64, error) {
	return db.Query(ctx, x.l.gs.DB, db.Scalar[int64], `SELECT DISTINCT r.person_id FROM role r JOIN grp g ON g.id = r.group_id
		LEFT JOIN grp a ON a.id = g.parent_id WHERE a.acronym = $1 OR g.acronym = $1 ORDER BY r.person_id LIMIT $2`, area, n)
}

// pastSessions are the IETF 83 sessions whose agendas, minutes and blue
// sheets the demo fills in.
var pastSessions = []struct{ group, area, agenda, minutes string }{
	{"httpbis", "app", demoAgenda83("httpbis", "draft-ietf-httpbis-p1-messaging", "draft-ietf-httpbis-p6-cache"), demoMinutes83("httpbis")},
	{"tls", "sec", demoAgenda83("tls", "draft-ietf-tls-ecc-new-mac"), demoMinutes83("tls")},
	{"dnsop", "ops", demoAgenda83("dnsop", "draft-ietf-dnsop-dnssec-key-timing"), demoMinutes83("dnsop")},
}

// past fills in part of IETF 83 as it happened: agendas two weeks
// before, registrations, blue sheets signed during each session, and
// minutes three days after.
func (x meetingLoader) past(ctx context.Context) error {
	m, err := x.ms.Get(ctx, "83")
	if err != nil {
		return err
	}
	placed, err := x.ms.Placed(ctx, m.ScheduleID)
	if err != nil {
		return err
	}
	registered := map[int64]bool{}
	for _, ps := range pastSessions {
		chair, err := x.chair(ctx, ps.group)
		if err != nil {
			return err
		}
		*x.clock = m.Date.AddDate(0, 0, -14)
		if _, err := x.ms.Upload(ctx, chair, "83", ps.group, meetings.Upload{Kind: meetings.KindAgenda, Filename: "agenda.md", Content: []byte(ps.agenda)}, ""); err != nil {
			return fmt.Errorf("agenda of %s: %w", ps.group, err)
		}
		people, err := x.participants(ctx, ps.area, 25)
		if err != nil {
			return err
		}
		for i, id := range people {
			if registered[id] {
				continue
			}
			registered[id] = true
			who, err := x.actor(ctx, id)
			if err != nil {
				return err
			}
			*x.clock = m.Date.AddDate(0, 0, -20).Add(time.Duration(i) * time.Hour)
			typ := meetings.Onsite
			if i%4 == 3 {
				typ = meetings.Remote
			}
			if _, err := x.ms.Register(ctx, who, "83", meetings.NewRegistration{Name: who.Name, Affiliation: "Example Networks", Country: "FR", Type: typ}); err != nil {
				return fmt.Errorf("registration: %w", err)
			}
		}
		var end time.Time
		for _, it := range placed {
			if it.Session.Group != ps.group {
				continue
			}
			end = it.Slot.End()
			for i, id := range people {
				*x.clock = it.Slot.Start.Add(time.Duration(5+i) * time.Minute)
				who, err := x.actor(ctx, id)
				if err != nil {
					return err
				}
				if err := x.ms.Attend(ctx, who, "83", it.Session.ID); err != nil {
					return fmt.Errorf("blue sheet of %s: %w", ps.group, err)
				}
			}
		}
		if end.IsZero() {
			return fmt.Errorf("%s has no session on the agenda", ps.group)
		}
		*x.clock = end.AddDate(0, 0, 3)
		if _, err := x.ms.Upload(ctx, chair, "83", ps.group, meetings.Upload{Kind: meetings.KindMinutes, Filename: "minutes.md", Content: []byte(ps.minutes)}, ""); err != nil {
			return fmt.Errorf("minutes of %s: %w", ps.group, err)
		}
	}
	return nil
}

// upcoming adds IETF DemoMeeting about ten weeks ahead (a Saturday), with
// the usual rooms and grid, some session requests and registrations, a
// fellowship open for applications, and an online interim of idr.
func (x meetingLoader) upcoming(ctx context.Context) error {
	day := x.l.now.AddDate(0, 0, 70)
	for day.Weekday() != time.Saturday {
		day = day.AddDate(0, 0, 1)
	}
	sec, err := x.secretariat(ctx)
	if err != nil {
		return err
	}
	if _, err := x.ms.Create(ctx, sec, meetings.NewMeeting{Number: DemoMeeting, City: "Vienna", Country: "AT", VenueName: "Demo Congress Centre",
		TimeZone: "Europe/Vienna", Date: day.Format(time.DateOnly), Days: 7}, "The demo's next meeting"); err != nil {
		return err
	}
	requests := []struct {
		group     string
		sessions  int
		attendees int
		conflicts map[string][]string
	}{
		{"httpbis", 2, 180, map[string][]string{"conflict": {"tls", "core"}, "conflic2": {"appsawg"}}},
		{"tls", 1, 120, map[string][]string{"conflict": {"httpbis", "saag"}}},
		{"dnsop", 2, 150, map[string][]string{"conflict": {"dnsext", "v6ops"}, "conflic3": {"opsawg"}}},
		{"6man", 1, 140, map[string][]string{"conflict": {"v6ops"}}},
	}
	for _, r := range requests {
		chair, err := x.chair(ctx, r.group)
		if err != nil {
			return err
		}
		lengths := make([]time.Duration, r.sessions)
		for i := range lengths {
			lengths[i] = 2 * time.Hour
		}
		if err := x.ms.RequestSessions(ctx, chair, DemoMeeting, r.group, meetings.Request{Sessions: r.sessions, Lengths: lengths,
			Attendees: r.attendees, Conflicts: r.conflicts, Comments: "Please avoid Friday."}, ""); err != nil {
			return fmt.Errorf("request of %s: %w", r.group, err)
		}
	}
	if err := x.ms.SetFellowshipDeadline(ctx, sec, DemoMeeting, day.AddDate(0, 0, -30), "Applications open"); err != nil {
		return err
	}
	chair, err := x.chair(ctx, "idr")
	if err != nil {
		return err
	}
	interimDay := x.l.now.AddDate(0, 0, 21)
	_, err = x.ms.RequestInterim(ctx, chair, meetings.InterimRequest{Group: "idr", Mode: meetings.Online, TimeZone: "UTC",
		Sessions: []meetings.InterimSessionRequest{{Date: interimDay.Format(time.DateOnly), Time: "14:00", Minutes: 90,
			Agenda: "1. Administrivia\n2. draft-ietf-idr-rt-derived-community: last call comments\n3. AOB",
			Remote: "Join at https://meetings.example.org/idr (audio and video, with chat)"}}}, "")
	return err
}

// secretariat is the secretariat's demo login.
func (x meetingLoader) secretariat(ctx context.Context) (groups.Actor, error) {
	rs, _, err := x.l.gs.Roles(ctx, groups.RoleFilter{Acronym: "secretariat", Name: "secr", Limit: 1})
	if err != nil || len(rs) == 0 {
		return groups.Actor{}, fmt.Errorf("no secretariat: %v", err)
	}
	return x.actor(ctx, rs[0].PersonID)
}

func demoAgenda83(group string, drafts ...string) string {
	s := "# " + group + " agenda, IETF 83 (Paris)\n\n*Demo agenda.*\n\n1. Administrivia: note well, scribes, blue sheets (5 min)\n"
	for i, d := range drafts {
		s += fmt.Sprintf("%d. %s: status and open issues (20 min)\n", i+2, d)
	}
	return s + fmt.Sprintf("%d. Open mike\n", len(drafts)+2)
}

func demoMinutes83(group string) string {
	return "# " + group + " minutes, IETF 83 (Paris)\n\n*Demo minutes.* Notes taken by the WG's secretary.\n\n" +
		"## Administrivia\n\nThe chairs presented the Note Well. The blue sheets went round.\n\n" +
		"## Documents\n\nThe editors summarised the changes since Taipei. Open issues were discussed; " +
		"the sense of the room will be confirmed on the list, as decisions are.\n\n" +
		"## Actions\n\n- Editors: publish a revision before the next cut-off.\n- Chairs: start the list discussion of the open issues.\n"
}

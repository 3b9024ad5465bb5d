package web

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/meetings"
)

// The meetings of the matrix's standards body, made through the meetings
// service as the people concerned would make them. The fixture's clock
// stands at Monday 2024-03-04 10:00 UTC, so:
//   - IETF 119 (Madrid, from Sunday 2024-03-03) is under way: httpbis's
//     session, requested and placed by the secretariat, began at 09:30
//     local (08:30 UTC), its blue sheet is open and its materials window
//     (R29) too;
//   - IETF 120 (Vancouver, from Sunday 2024-07-21) is ahead: session
//     requests (deadline 2024-06-08) and registration are open.
const (
	nowMeeting  = "119"
	nextMeeting = "120"
)

// fellowReviewer is the role whose person sits on the fellowship's
// reviewing committee (a member of the group "fellowship") in the rows
// that need one: none of the matrix's roles is on it by office, and an
// IAB member is no reviewer unless seated there.
const fellowReviewer = "iab"

// meetings is a meetings service on the fixture's database, built as the
// server builds its own (same mail router, same addresses).
func (f *authzFixture) meetings() *meetings.Service {
	return &meetings.Service{DB: f.db, Groups: f.groups, Mail: f.lists.Router(&mail.Outbox{Name: "hum"}), BaseURL: "http://hum.test", Domain: "hum.test"}
}

func (f *authzFixture) ietfMeeting(number, city, country, zone, date string) {
	f.t.Helper()
	_, err := f.meetings().Create(context.Background(), f.op, meetings.NewMeeting{Number: number, City: city, Country: country, TimeZone: zone, Date: date,
		Days: 6, Rooms: []meetings.NewRoom{{Name: "Room A", Capacity: 100}, {Name: "Room B", Capacity: 40}}}, "")
	f.must(err)
}

// requestHTTPBis asks for one hour for httpbis at a meeting, as the
// secretariat (who may after the deadline too), and returns the
// session's id.
func (f *authzFixture) requestHTTPBis(number string) string {
	f.t.Helper()
	f.must(f.meetings().RequestSessions(context.Background(), f.op, number, "httpbis",
		meetings.Request{Sessions: 1, Lengths: []time.Duration{time.Hour}, Attendees: 50, Conflicts: map[string][]string{}}, ""))
	id := f.idOf(`SELECT MAX(s.id) FROM session s JOIN meeting m ON m.id = s.meeting_id WHERE m.number = $1`, number)
	f.saved["session"] = id
	return id
}

// firstSlot is the id of a meeting's first regular timeslot in a room.
func (f *authzFixture) firstSlot(number string) string {
	return f.idOf(`SELECT t.id FROM timeslot t JOIN meeting m ON m.id = t.meeting_id
		WHERE m.number = $1 AND t.type = 'regular' AND t.room_id IS NOT NULL ORDER BY t.start, t.id LIMIT 1`, number)
}

// upcoming is IETF 120, with nothing requested yet.
func (f *authzFixture) upcoming() {
	f.ietfMeeting(nextMeeting, "Vancouver", "CA", "America/Vancouver", "2024-07-21")
	f.saved["slot"] = f.firstSlot(nextMeeting)
}

// upcomingRequested is IETF 120 with httpbis's request waiting for
// scheduling.
func (f *authzFixture) upcomingRequested() {
	f.upcoming()
	f.requestHTTPBis(nextMeeting)
}

// upcomingPlaced is IETF 120 with httpbis's session placed in the first
// slot.
func (f *authzFixture) upcomingPlaced() {
	f.upcomingRequested()
	f.must(f.meetings().Assign(context.Background(), f.op, nextMeeting, f.id(f.saved["session"]), f.id(f.saved["slot"]), ""))
}

// upcomingPlacedWithFree is upcomingPlaced, and the id of another
// regular slot, free, saved as "free".
func (f *authzFixture) upcomingPlacedWithFree() {
	f.upcomingPlaced()
	f.saved["free"] = f.idOf(`SELECT t.id FROM timeslot t JOIN meeting m ON m.id = t.meeting_id
		WHERE m.number = $1 AND t.type = 'regular' AND t.room_id IS NOT NULL AND t.id <> $2 ORDER BY t.start, t.id LIMIT 1`, nextMeeting, f.id(f.saved["slot"]))
}

// upcomingTwoSchedules is upcomingPlaced with a second schedule,
// "other", placing httpbis's session in the same slot.
func (f *authzFixture) upcomingTwoSchedules() {
	f.upcomingPlaced()
	_, err := f.meetings().CreateSchedule(context.Background(), f.op, nextMeeting, meetings.NewSchedule{Name: "other",
		Assignments: []meetings.Assignment{{SessionID: f.id(f.saved["session"]), TimeslotID: f.id(f.saved["slot"])}}}, "")
	f.must(err)
}

// underway is IETF 119 with httpbis's session placed in its first slot,
// Monday 09:30 in Madrid, which has begun.
func (f *authzFixture) underway() {
	f.ietfMeeting(nowMeeting, "Madrid", "ES", "Europe/Madrid", "2024-03-03")
	sess, slot := f.requestHTTPBis(nowMeeting), f.firstSlot(nowMeeting)
	f.must(f.meetings().Assign(context.Background(), f.op, nowMeeting, f.id(sess), f.id(slot), ""))
}

// register registers the person at email for a meeting, as themselves,
// and returns the registration's id.
func (f *authzFixture) register(number, email, typ string) string {
	f.t.Helper()
	reg, err := f.meetings().Register(context.Background(), f.actor(email), number, meetings.NewRegistration{Name: "Someone " + email, Country: "FR", Type: typ})
	f.must(err)
	return strconv.FormatInt(reg.ID, 10)
}

// underwayVictimRegistered: IETF 119 under way, the victim registered
// onsite and not checked in.
func (f *authzFixture) underwayVictimRegistered() {
	f.underway()
	f.saved["reg"] = f.register(nowMeeting, victim, meetings.Onsite)
}

// underwayAllRegistered: IETF 119 under way, every role's person
// registered (remote), so each may sign the blue sheet.
func (f *authzFixture) underwayAllRegistered() {
	f.underway()
	for _, r := range authzRoles {
		if r.email != "" {
			f.register(nowMeeting, r.email, meetings.Remote)
		}
	}
}

// victimOnSheet: the victim registered and on httpbis's blue sheet.
func (f *authzFixture) victimOnSheet() {
	f.underwayVictimRegistered()
	f.must(f.meetings().Attend(context.Background(), f.actor(victim), nowMeeting, f.id(f.saved["session"])))
}

var meetingLinkRE = regexp.MustCompile(`http://hum\.test(/meeting/[0-9]+/register/confirm/[A-Za-z0-9_-]+/)`)

// victimLink: the victim asked, logged out, to register for IETF 120; the
// link mailed to them is in saved["link"].
func (f *authzFixture) victimLink() {
	f.upcoming()
	f.must(f.meetings().StartRegistration(context.Background(), nextMeeting, meetings.NewRegistration{Email: victim, Name: "Vic Tim", Country: "FR", Type: meetings.Remote}))
	msgs, err := mail.List(context.Background(), f.db, "", 50)
	f.must(err)
	for _, m := range msgs {
		// Quoted-printable wraps the long link with soft line breaks.
		if l := meetingLinkRE.FindStringSubmatch(strings.ReplaceAll(string(m.Raw), "=\r\n", "")); l != nil && m.To[0] == victim {
			f.saved["link"] = l[1]
			return
		}
	}
	f.t.Fatal("no registration link was mailed to the victim")
}

// fellowshipOpen: IETF 120 takes fellowship applications until
// 2024-06-01.
func (f *authzFixture) fellowshipOpen() {
	f.upcoming()
	f.must(f.meetings().SetFellowshipDeadline(context.Background(), f.op, nextMeeting, time.Date(2024, 6, 1, 23, 59, 0, 0, time.UTC), ""))
}

// fellowshipApplied: the fellowship is open, its committee seated (the
// fellowReviewer's person as a member) and the victim has applied.
func (f *authzFixture) fellowshipApplied() {
	ctx := context.Background()
	f.fellowshipOpen()
	_, err := f.groups.Create(ctx, f.op, groups.NewGroup{Acronym: meetings.FellowshipGroup, Name: "ISOC Fellowship Committee", Type: "team"}, "")
	f.must(err)
	who := f.email(fellowReviewer)
	f.must(f.groups.Grant(ctx, f.op, meetings.FellowshipGroup, "member", f.ids[who], who, ""))
	f.must(f.meetings().Apply(ctx, f.actor(victim), nextMeeting, meetings.NewApplication{Statement: "I would like to come.", Country: "KE", Affiliation: "Example University", FirstMeeting: true}))
	f.saved["app"] = f.idOf(`SELECT MAX(id) FROM fellowship_application`)
}

// interimWaiting: httpbis's chair asked for a hybrid interim in June,
// which waits for the responsible AD's approval (R27).
func (f *authzFixture) interimWaiting() {
	it, err := f.meetings().RequestInterim(context.Background(), f.actor("chair@example.org"), meetings.InterimRequest{Group: "httpbis", Mode: meetings.Hybrid,
		City: "Paris", Country: "FR", TimeZone: "Europe/Paris",
		Sessions: []meetings.InterimSessionRequest{{Date: "2024-06-03", Time: "14:00", Minutes: 120, Remote: "https://meet.example.org/httpbis"}}}, "")
	f.must(err)
	if it.Status != meetings.StatusApprWait {
		f.t.Fatalf("the chair's hybrid interim is %s, not waiting for approval", it.Status)
	}
	f.saved["interim"] = it.Meeting.Number
	f.saved["isession"] = strconv.FormatInt(it.Sessions[0].Session.ID, 10)
}

// interimStatus is the status of the waiting interim's sessions.
func interimStatus(f *authzFixture) string {
	return f.scalar(`SELECT MIN(s.status) FROM session s JOIN meeting m ON m.id = s.meeting_id WHERE m.number = $1`, f.saved["interim"])
}

// withSlides: IETF 119 under way with the chairs' slides among httpbis's
// materials, uploaded by the secretariat.
func (f *authzFixture) withSlides() {
	f.underway()
	x, err := f.meetings().Upload(context.Background(), f.op, nowMeeting, "httpbis",
		meetings.Upload{Kind: meetings.KindSlides, Title: "Chairs' slides", Filename: "chairs.pdf", Content: []byte("%PDF-1.7 chairs")}, "")
	f.must(err)
	f.saved["material"] = x.Name
}

// slidesProposed: IETF 119 under way, the victim has proposed slides for
// httpbis's session.
func (f *authzFixture) slidesProposed() {
	f.underway()
	id, err := f.meetings().ProposeSlides(context.Background(), f.actor(victim), nowMeeting, "httpbis", "My idea", "idea.pdf", []byte("%PDF-1.7 idea"))
	f.must(err)
	f.saved["proposal"] = strconv.FormatInt(id, 10)
}

// finalized: IETF 119 under way with its proceedings finalized, which
// closes its materials and blue sheets to all but the secretariat.
func (f *authzFixture) finalized() {
	f.must(f.meetings().Finalize(context.Background(), f.op, nowMeeting, ""))
}

func (f *authzFixture) underwayFinal() { f.underway(); f.finalized() }

func (f *authzFixture) victimRegisteredFinal() { f.underwayVictimRegistered(); f.finalized() }

func (f *authzFixture) allRegisteredFinal() { f.underwayAllRegistered(); f.finalized() }

// pastCorrections: IETF 119, 60 days on, past the R29 corrections
// window (50 days after its first day).
func (f *authzFixture) pastCorrections() { f.underway(); f.later(60 * 24 * time.Hour) }

// over: IETF 119 a week after it ended.
func (f *authzFixture) over() { f.underway(); f.later(7 * 24 * time.Hour) }

// pastRequestDeadline: IETF 120 on 2024-06-10, after its session
// requests closed (2024-06-08).
func (f *authzFixture) pastRequestDeadline() {
	f.upcoming()
	f.now = time.Date(2024, 6, 10, 10, 0, 0, 0, time.UTC)
}

// proposedAndNext: the victim's slides proposed at IETF 119, and IETF
// 120 announced.
func (f *authzFixture) proposedAndNext() { f.slidesProposed(); f.upcoming() }

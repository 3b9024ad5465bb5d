package web

import (
	"net/url"
	"strconv"
	"strings"
)

// The authorization matrix's rows for meetings (issue 9): registration,
// blue sheets, the fellowship, interims, important dates, materials,
// proceedings, session requests and the secretariat's schedule, rooms
// and timeslots. Who may is the IETF's rules (RULES.md) and the
// Datatracker's practice:
//   - anyone registers (R18), and any logged-in participant proposes
//     slides and applies for the fellowship; a registered one signs a
//     session's blue sheet (R24);
//   - a group's chairs and secretaries, its AD and the secretariat
//     request its sessions and manage its materials (the Datatracker's
//     matman roles of a WG: chair, delegate, secr and ad); the chairs
//     (and the secretariat) send its session report to the AD (R24);
//   - interims are requested by the group's chairs, its AD or the
//     secretariat, and a hybrid or in-person one is approved by the
//     responsible AD or the secretariat, not by an AD of another area
//     (R25-R27);
//   - the fellowship's committee and the secretariat score and decide;
//   - only the secretariat places sessions, edits rooms, timeslots and
//     important dates, checks attendees in, corrects blue sheets, sets the
//     fellowship's deadline and finalizes the proceedings.
// The meetings they act on are made in authz_fixture_meetings_test.go.

func init() { authzProbes = append(authzProbes, meetingProbes...) }

var (
	matman    = []string{"chair", "ad", "secretariat"} // a group's chairs, its AD, the secretariat
	leadsHTTP = []string{"chair", "secretariat"}       // a group's chairs, the secretariat
	secOnly   = []string{"secretariat"}
)

// onMeeting is the path of a page of a meeting.
func onMeeting(number, rest string) func(*authzFixture) string {
	return static("/meeting/" + number + "/" + rest)
}

// savedPath fills the ids the setup saved into a path: {key} stands for
// f.saved[key].
func savedPath(p string) func(*authzFixture) string {
	return func(f *authzFixture) string {
		out := p // each fixture has its own ids
		for k, v := range f.saved {
			out = strings.ReplaceAll(out, "{"+k+"}", v)
		}
		return out
	}
}

// savedForm is values, with {key} in a value standing for f.saved[key].
func savedForm(kv ...string) func(*authzFixture, string) url.Values {
	return func(f *authzFixture, _ string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			val := kv[i+1]
			for k, s := range f.saved {
				val = strings.ReplaceAll(val, "{"+k+"}", s)
			}
			v.Add(kv[i], val)
		}
		return v
	}
}

// query is a target: one value a query selects.
func query(q string) func(*authzFixture) string {
	return func(f *authzFixture) string { return f.scalar(q) }
}

// file is an upload in the field "file", its content ending with who
// sends it, so that each role's upload is a new one.
func file(name, content string) func(*authzFixture, string) (string, string, []byte) {
	return func(_ *authzFixture, who string) (string, string, []byte) {
		return "file", name, []byte(content + who + "\n")
	}
}

func interimAction(what string, ok []string, kv ...string) authzProbe {
	return authzProbe{route: "POST /meeting/interim/request/{number}/", what: what, setup: (*authzFixture).interimWaiting,
		path: savedPath("/meeting/interim/request/{interim}/"), form: savedForm(kv...), ok: ok, no: 403}
}

var meetingProbes = []authzProbe{
	// R18: anyone registers, logged in in one click, or by a mailed link.
	{route: "POST /meeting/{number}/register/", what: "oneself (a link by mail when logged out)", setup: (*authzFixture).upcoming,
		path: onMeeting(nextMeeting, "register/"),
		form: func(f *authzFixture, who string) url.Values {
			return url.Values{"name": {"Someone"}, "country": {"FR"}, "type": {"remote"}, "email": {"new-" + who + "@example.net"}}
		},
		ok: everyone, shared: true, target: query(`SELECT (SELECT COUNT(*) FROM registration) + (SELECT COUNT(*) FROM registration_pending)`)},
	{route: "POST /meeting/{number}/register/", what: "oneself, after the meeting ended", setup: (*authzFixture).over,
		path: onMeeting(nowMeeting, "register/"),
		form: func(f *authzFixture, who string) url.Values {
			return url.Values{"name": {"Someone"}, "country": {"FR"}, "type": {"remote"}, "email": {"new-" + who + "@example.net"}}
		},
		ok: secOnly, no: 409, anon: 409, target: query(`SELECT (SELECT COUNT(*) FROM registration) + (SELECT COUNT(*) FROM registration_pending)`)},
	{route: "POST /meeting/{number}/register/confirm/{secret}/", what: "a made-up link", setup: (*authzFixture).upcoming,
		path: onMeeting(nextMeeting, "register/confirm/madeup/"), no: 404, anon: 404},
	// The mailed link is the authority: whoever holds it confirms it.
	{route: "POST /meeting/{number}/register/confirm/{secret}/", what: "the link mailed to the victim", setup: (*authzFixture).victimLink,
		path: savedPath("{link}"), ok: everyone, target: count("registration")},
	{route: "POST /meeting/{number}/attendees/{id}/checkin/", what: "the victim, onsite", setup: (*authzFixture).underwayVictimRegistered,
		path: savedPath("/meeting/" + nowMeeting + "/attendees/{reg}/checkin/"), ok: secOnly, no: 403,
		target: query(`SELECT COUNT(*) FROM registration WHERE checkedin = TRUE`)},

	// R24: a registered participant signs the blue sheet of a session
	// that has begun; only the secretariat corrects it.
	{route: "POST /meeting/{number}/session/{acronym}/attendance/", what: "one's own line, registered", setup: (*authzFixture).underwayAllRegistered,
		path: onMeeting(nowMeeting, "session/httpbis/attendance/"), form: savedForm("session", "{session}"),
		ok: everyLogin, shared: true, target: count("attended")},
	{route: "POST /meeting/{number}/session/{acronym}/attendance/", what: "one's own line, not registered", setup: (*authzFixture).underway,
		path: onMeeting(nowMeeting, "session/httpbis/attendance/"), form: savedForm("session", "{session}"), no: 403},
	{route: "POST /meeting/{number}/session/{acronym}/attendance/correct/", what: "add the victim", setup: (*authzFixture).underwayVictimRegistered,
		path: onMeeting(nowMeeting, "session/httpbis/attendance/correct/"),
		form: savedForm("session", "{session}", "email", victim, "why", "Signed the paper sheet."), ok: secOnly, no: 403, target: count("attended")},
	// Final proceedings close the blue sheets to all but the secretariat.
	{route: "POST /meeting/{number}/session/{acronym}/attendance/", what: "one's own line, proceedings final", setup: (*authzFixture).allRegisteredFinal,
		path: onMeeting(nowMeeting, "session/httpbis/attendance/"), form: savedForm("session", "{session}"), no: 409},
	{route: "POST /meeting/{number}/session/{acronym}/attendance/correct/", what: "add the victim, proceedings final", setup: (*authzFixture).victimRegisteredFinal,
		path: onMeeting(nowMeeting, "session/httpbis/attendance/correct/"),
		form: savedForm("session", "{session}", "email", victim, "why", "Signed the paper sheet."), ok: secOnly, no: 403, target: count("attended")},
	{route: "POST /meeting/{number}/session/{acronym}/attendance/correct/", what: "remove the victim", setup: (*authzFixture).victimOnSheet,
		path: onMeeting(nowMeeting, "session/httpbis/attendance/correct/"),
		form: func(f *authzFixture, _ string) url.Values {
			return url.Values{"session": {f.saved["session"]}, "remove": {strconv.FormatInt(f.ids[victim], 10)}, "why": {"Was not there."}}
		}, ok: secOnly, no: 403, target: count("attended")},

	// The ISOC fellowship.
	{route: "POST /meeting/{number}/fellowship/", what: "one's own application", setup: (*authzFixture).fellowshipOpen,
		path: onMeeting(nextMeeting, "fellowship/"), form: values("statement", "I would like to come.", "country", "KE", "affiliation", "Example University"),
		ok: everyLogin, shared: true, target: count("fellowship_application")},
	{route: "POST /meeting/{number}/fellowship/deadline/", what: "open the call", setup: (*authzFixture).upcoming,
		path: onMeeting(nextMeeting, "fellowship/deadline/"), form: values("deadline", "2024-06-01T23:59"), ok: secOnly, no: 403,
		target: count("fellowship_call")},
	{route: "POST /meeting/{number}/fellowship/{id}/score/", what: "the victim's application", setup: (*authzFixture).fellowshipApplied,
		path: savedPath("/meeting/" + nextMeeting + "/fellowship/{app}/score/"), form: values("score", "4", "comment", "Strong."),
		ok: []string{fellowReviewer, "secretariat"}, no: 403, shared: true, target: count("fellowship_score")},
	{route: "POST /meeting/{number}/fellowship/{id}/decide/", what: "award the victim", setup: (*authzFixture).fellowshipApplied,
		path: savedPath("/meeting/" + nextMeeting + "/fellowship/{app}/decide/"), form: values("award", "1", "why", "Strong application."),
		ok: []string{fellowReviewer, "secretariat"}, no: 403, target: query(`SELECT MAX(status) FROM fellowship_application`)},

	// R25-R27: interims. An online one is scheduled at once; a hybrid one
	// the chairs ask for waits for the responsible AD.
	{route: "POST /meeting/interim/request/", what: "an online interim of httpbis", path: static("/meeting/interim/request/"),
		form: values("group", "httpbis", "mode", "online", "time_zone", "UTC", "date_0", "2024-04-01", "time_0", "14:00", "minutes_0", "60",
			"remote_0", "https://meet.example.org/httpbis"),
		ok: matman, no: 403, shared: true, target: count("interim")},
	{route: "POST /meeting/interim/request/", what: "a hybrid interim of httpbis", path: static("/meeting/interim/request/"),
		form: values("group", "httpbis", "mode", "hybrid", "city", "Paris", "country", "FR", "time_zone", "Europe/Paris",
			"date_0", "2024-06-10", "time_0", "14:00", "minutes_0", "120", "remote_0", "https://meet.example.org/httpbis"),
		ok: []string{"ad", "secretariat"}, held: []string{"chair"}, no: 403, shared: true,
		target: query(`SELECT COUNT(*) FROM session s JOIN meeting m ON m.id = s.meeting_id WHERE m.type = 'interim' AND s.status = 'sched'`)},
	withTarget(interimAction("approve the chairs' hybrid interim", []string{"ad", "secretariat"}, "action", "approve"), interimStatus),
	withTarget(interimAction("decline the chairs' hybrid interim", []string{"ad", "secretariat"}, "action", "decline", "why", "Too close to IETF 120."), interimStatus),
	withTarget(interimAction("cancel it", matman, "action", "cancel", "why", "Plans changed."), interimStatus),
	withTarget(interimAction("post its agenda", matman, "action", "agenda", "session", "{isession}", "agenda", "1. Issues"),
		query(`SELECT COUNT(*) FROM interim_agenda`)),

	{route: "POST /meeting/{number}/important-dates/", what: "move the request cut-off", setup: (*authzFixture).upcoming,
		path: onMeeting(nextMeeting, "important-dates/"), form: values("cutoffwgreq", "2024-06-01"), ok: secOnly, no: 403,
		target: count("important_date")},

	// Materials (R29 windows open): the group's chairs, its AD and the
	// secretariat; any participant proposes slides.
	{route: "POST /meeting/{number}/session/{acronym}/materials/", what: "httpbis's minutes", kind: uploadPost, setup: (*authzFixture).underway,
		path: onMeeting(nowMeeting, "session/httpbis/materials/"), form: values("kind", "minutes"), file: file("minutes.md", "# Minutes\n\nWe met.\n"),
		ok: matman, no: 403, shared: true, target: count("material_rev")},
	// R29: after the windows, or once the proceedings are final, only
	// the secretariat.
	{route: "POST /meeting/{number}/session/{acronym}/materials/", what: "httpbis's minutes, past the corrections window", kind: uploadPost,
		setup: (*authzFixture).pastCorrections, path: onMeeting(nowMeeting, "session/httpbis/materials/"), form: values("kind", "minutes"),
		file: file("minutes.md", "# Minutes\n\nWe met.\n"), ok: secOnly, no: 403, target: count("material_rev")},
	{route: "POST /meeting/{number}/session/{acronym}/materials/", what: "httpbis's minutes, proceedings final", kind: uploadPost,
		setup: (*authzFixture).underwayFinal, path: onMeeting(nowMeeting, "session/httpbis/materials/"), form: values("kind", "minutes"),
		file: file("minutes.md", "# Minutes\n\nWe met.\n"), ok: secOnly, no: 403, target: count("material_rev")},
	{route: "POST /meeting/{number}/session/{acronym}/agenda/", what: "httpbis's agenda, typed", setup: (*authzFixture).underway,
		path: onMeeting(nowMeeting, "session/httpbis/agenda/"), form: func(_ *authzFixture, who string) url.Values {
			return url.Values{"agenda": {"# Agenda\n\n1. Issues (" + who + ")\n"}}
		}, ok: matman, no: 403, shared: true, target: count("material_rev")},
	{route: "POST /meeting/{number}/session/{acronym}/remove/", what: "the chairs' slides", setup: (*authzFixture).withSlides,
		path: onMeeting(nowMeeting, "session/httpbis/remove/"), form: savedForm("name", "{material}", "why", "Wrong deck."),
		ok: matman, no: 403, target: query(`SELECT MIN(state) FROM material`)},
	{route: "POST /meeting/{number}/session/{acronym}/remove/", what: "httpbis's slides, through quic's page", setup: (*authzFixture).withSlides,
		path: onMeeting(nowMeeting, "session/quic/remove/"), form: savedForm("name", "{material}", "why", "Wrong deck."), no: 404},
	{route: "POST /meeting/{number}/session/{acronym}/propose_slides/", what: "one's own slides", kind: uploadPost, setup: (*authzFixture).underway,
		path: onMeeting(nowMeeting, "session/httpbis/propose_slides/"), form: values("title", "An idea"), file: file("idea.pdf", "%PDF-1.7 idea"),
		ok: everyLogin, shared: true, target: count("slide_submission")},
	{route: "POST /meeting/{number}/session/{acronym}/report/", what: "httpbis's session report to its AD", setup: (*authzFixture).underway,
		path: onMeeting(nowMeeting, "session/httpbis/report/"), form: values("report", "We discussed the issues and agreed on two."),
		ok: leadsHTTP, no: 403, shared: true, target: count("session_report")},
	{route: "POST /meeting/{number}/slidesubmission/{id}/", what: "approve the victim's slides", setup: (*authzFixture).slidesProposed,
		path: savedPath("/meeting/" + nowMeeting + "/slidesubmission/{proposal}/"), form: values("decision", "approve"),
		ok: matman, no: 403, target: query(`SELECT MAX(status) FROM slide_submission`)},
	{route: "POST /meeting/{number}/slidesubmission/{id}/", what: "IETF 119's proposal, through IETF 120's page", setup: (*authzFixture).proposedAndNext,
		path: savedPath("/meeting/" + nextMeeting + "/slidesubmission/{proposal}/"), form: values("decision", "approve"), no: 404},
	{route: "POST /meeting/{number}/proceedings/finalize/", what: "IETF 119's", setup: (*authzFixture).underway,
		path: onMeeting(nowMeeting, "proceedings/finalize/"), ok: secOnly, no: 403, target: query(`SELECT COUNT(*) FROM meeting WHERE proceedings_final = TRUE`)},

	// Session requests: the group's chairs, its AD, the secretariat.
	{route: "POST /meeting/{number}/requests/{acronym}/", what: "httpbis's sessions", setup: (*authzFixture).upcoming,
		path: onMeeting(nextMeeting, "requests/httpbis/"), form: values("sessions", "1", "length1", "60", "attendees", "50"),
		ok: matman, no: 403, target: count("session")},
	// The secretariat may still accept a late request.
	{route: "POST /meeting/{number}/requests/{acronym}/", what: "httpbis's sessions, after the deadline", setup: (*authzFixture).pastRequestDeadline,
		path: onMeeting(nextMeeting, "requests/httpbis/"), form: values("sessions", "1", "length1", "60", "attendees", "50"),
		ok: secOnly, no: 403, except: allOf(409, "chair", "ad"), target: count("session")},
	{route: "POST /meeting/{number}/requests/{acronym}/withdraw/", what: "httpbis's request", setup: (*authzFixture).upcomingRequested,
		path: onMeeting(nextMeeting, "requests/httpbis/withdraw/"), ok: matman, no: 403, target: query(`SELECT COUNT(*) FROM session WHERE status = 'schedw'`)},
	{route: "POST /meeting/{number}/requests/{acronym}/notmeeting/", what: "httpbis", setup: (*authzFixture).upcomingRequested,
		path: onMeeting(nextMeeting, "requests/httpbis/notmeeting/"), ok: matman, no: 403, target: query(`SELECT COUNT(*) FROM session WHERE status = 'notmeet'`)},

	// The secretariat's schedule, rooms and timeslots.
	{route: "POST /meeting/{number}/schedule/", what: "place httpbis's session", setup: (*authzFixture).upcomingRequested,
		path: onMeeting(nextMeeting, "schedule/"), form: savedForm("action", "assign", "session", "{session}", "timeslot", "{slot}"),
		ok: secOnly, no: 403, target: count("assignment")},
	{route: "POST /meeting/{number}/schedule/", what: "take httpbis's session out", setup: (*authzFixture).upcomingPlaced,
		path: onMeeting(nextMeeting, "schedule/"), form: savedForm("action", "unassign", "session", "{session}", "timeslot", "{slot}"),
		ok: secOnly, no: 403, target: count("assignment")},
	{route: "POST /meeting/{number}/timeslots/", what: "a Friday evening slot", setup: (*authzFixture).upcoming,
		path: onMeeting(nextMeeting, "timeslots/"),
		form: values("room", "Room A", "type", "regular", "slot_name", "Extra", "start", "2024-07-26T19:00", "minutes", "60"),
		ok:   secOnly, no: 403, target: count("timeslot")},
	{route: "POST /meeting/{number}/timeslots/{id}/", what: "shorten the first slot", setup: (*authzFixture).upcoming,
		path: savedPath("/meeting/" + nextMeeting + "/timeslots/{slot}/"),
		form: values("room", "Room A", "type", "regular", "slot_name", "Session I", "start", "2024-07-22T09:30", "minutes", "90"),
		ok:   secOnly, no: 403, target: query(`SELECT SUM(duration) FROM timeslot`)},
	{route: "POST /meeting/{number}/timeslots/{id}/delete/", what: "the first slot", setup: (*authzFixture).upcoming,
		path: savedPath("/meeting/" + nextMeeting + "/timeslots/{slot}/delete/"), form: values("why", "Not needed."),
		ok: secOnly, no: 403, target: count("timeslot")},
	{route: "POST /meeting/{number}/rooms/", what: "a third room", setup: (*authzFixture).upcoming,
		path: onMeeting(nextMeeting, "rooms/"), form: values("name", "Room C", "capacity", "30"), ok: secOnly, no: 403, target: count("room")},

	// The schedules beside the official one (issue 10): only the
	// secretariat runs the scheduler and changes a schedule.
	{route: "POST /meeting/{number}/schedules/", what: "run the scheduler", setup: (*authzFixture).upcomingRequested,
		path: onMeeting(nextMeeting, "schedules/"), form: values("name", "tried", "seed", "1", "seconds", "1"),
		ok: secOnly, no: 403, target: count("schedule")},
	{route: "POST /meeting/{number}/schedule/{name}/pin/", what: "pin httpbis's session", setup: (*authzFixture).upcomingPlaced,
		path: onMeeting(nextMeeting, "schedule/official/pin/"), form: savedForm("session", "{session}", "pinned", "1"),
		ok: secOnly, no: 403, target: count("assignment WHERE pinned")},
	{route: "POST /meeting/{number}/schedule/{name}/move/", what: "move httpbis's session to another slot", setup: (*authzFixture).upcomingPlacedWithFree,
		path: onMeeting(nextMeeting, "schedule/official/move/"), form: savedForm("session", "{session}", "timeslot", "{free}"),
		ok: secOnly, no: 403, target: query(`SELECT SUM(timeslot_id) FROM assignment`)},
	{route: "POST /meeting/{number}/schedule/{name}/score/", what: "store the official schedule's cost", setup: (*authzFixture).upcomingPlaced,
		path: onMeeting(nextMeeting, "schedule/official/score/"),
		ok:   secOnly, no: 403, target: query(`SELECT COALESCE(badness, -1) FROM schedule WHERE name = 'official'`)},
	{route: "POST /meeting/{number}/schedule/{name}/official/", what: "make another schedule official", setup: (*authzFixture).upcomingTwoSchedules,
		path: onMeeting(nextMeeting, "schedule/other/official/"),
		ok:   secOnly, no: 403, target: query(`SELECT schedule_id FROM meeting WHERE number = '` + nextMeeting + `'`)},
}

func withTarget(p authzProbe, target func(*authzFixture) string) authzProbe {
	p.target = target
	return p
}

package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"hum/internal/mail"
	"hum/internal/nomcom"
)

// The authorization matrix's rows for the NomCom (RFC 8713). The
// secretariat starts a NomCom, records its chair (whom the ISOC
// President appoints) and the members of R48's bodies; the chair runs
// the process (the call, the pool and sources, the values, the
// positions, the choices), and none of the matrix's roles chairs NomCom
// 2024, so only the secretariat may. Anyone logged in volunteers if
// eligible and not sitting on an R48 body: the two WG chairs are
// eligible by R46, the ADs, the ex-officio IESG member, the IAB member
// and the IETF Chair are refused by R48, the participant and the
// secretariat (no path) by R45-R47. Anyone logged in nominates and gives
// feedback; only the nominee answers a nomination (the victim, not a
// matrix role); the IAB confirms an AD, never with the IETF Chair (R43).

func init() { authzProbes = append(authzProbes, nomcomProbes...) }

const nomcomYear = 2024

func (f *authzFixture) nomcoms() *nomcom.Service {
	return &nomcom.Service{DB: f.db, Groups: f.groups, Meetings: f.meetings(), Docs: f.docs, Mail: f.lists.Router(&mail.Outbox{Name: "hum"}),
		BaseURL: "http://hum.test", Domain: "hum.test"}
}

// nomcomNew is NomCom 2024, started, without a chair.
func nomcomNew(f *authzFixture) {
	_, err := f.nomcoms().Create(context.Background(), f.op, nomcomYear, "", "")
	f.must(err)
}

// nomcomOpen is NomCom 2024 calling for volunteers since today.
func nomcomOpen(f *authzFixture) {
	nomcomNew(f)
	f.must(f.nomcoms().OpenCall(context.Background(), f.op, nomcomYear, "", 0, ""))
}

// nomcomChairVolunteered: the call is open and httpbis's chair has
// volunteered.
func nomcomChairVolunteered(f *authzFixture) {
	nomcomOpen(f)
	f.must(f.nomcoms().Volunteer(context.Background(), f.actor("chair@example.org"), nomcomYear, "Example Org"))
}

// nomcomTen: the call is open with ten volunteers, each a chair of idr.
func nomcomTen(f *authzFixture) {
	ctx := context.Background()
	for i := range 10 {
		email := fmt.Sprintf("vol%d@example.org", i)
		p, err := f.people.Add(ctx, f.op.Actor, email, fmt.Sprintf("Vol %d", i))
		f.must(err)
		f.ids[email] = p.ID
		f.must(f.groups.Grant(ctx, f.op, "idr", "chair", p.ID, email, ""))
	}
	nomcomOpen(f)
	for i := range 10 {
		f.must(f.nomcoms().Volunteer(ctx, f.actor(fmt.Sprintf("vol%d@example.org", i)), nomcomYear, fmt.Sprintf("Org %d", i)))
	}
}

// nomcomPool: the ten's pool published, the values due tomorrow, and
// the clock two days on.
func nomcomPool(f *authzFixture) {
	nomcomTen(f)
	f.must(f.nomcoms().AnnounceSources(context.Background(), f.op, nomcomYear, []string{"A lottery's numbers"}, f.now.AddDate(0, 0, 1).Format("2006-01-02"), ""))
	f.later(48 * time.Hour)
}

// nomcomPosition: NomCom 2024 lists art's AD seat, saved as "position".
func nomcomPosition(f *authzFixture) {
	nomcomNew(f)
	p, err := f.nomcoms().AddPosition(context.Background(), f.op, nomcomYear, "ART Area Director", "art", "ad@example.org", "")
	f.must(err)
	f.saved["position"] = strconv.FormatInt(p.ID, 10)
}

// nomcomNominated: the victim nominated for the position, by Pat; the
// nomination saved as "nomination".
func nomcomNominated(f *authzFixture) {
	nomcomPosition(f)
	f.must(f.nomcoms().Nominate(context.Background(), f.actor("pat@example.org"), nomcomYear, f.id(f.saved["position"]), victim, ""))
	f.saved["nomination"] = f.idOf(`SELECT MAX(id) FROM nomcom_nomination`)
}

// nomcomAccepted: the victim accepted.
func nomcomAccepted(f *authzFixture) {
	nomcomNominated(f)
	f.must(f.nomcoms().Respond(context.Background(), f.actor(victim), nomcomYear, f.id(f.saved["nomination"]), true))
}

// nomcomChosen: the NomCom chose the victim, who awaits the IAB.
func nomcomChosen(f *authzFixture) {
	nomcomAccepted(f)
	f.must(f.nomcoms().Choose(context.Background(), f.op, nomcomYear, f.id(f.saved["position"]), f.id(f.saved["nomination"]), ""))
}

func nomcomCol(col string) func(*authzFixture) string {
	return func(f *authzFixture) string {
		return f.scalar(`SELECT COALESCE(CAST(`+col+` AS TEXT), '') FROM nomcom WHERE year = $1`, nomcomYear)
	}
}

func positionCol(col string) func(*authzFixture) string {
	return func(f *authzFixture) string {
		return f.scalar(`SELECT COALESCE(CAST(`+col+` AS TEXT), '') FROM nomcom_position WHERE id = $1`, f.id(f.saved["position"]))
	}
}

var (
	nomcomVolunteers = []string{"other-chair", "chair"} // eligible by R46, and on no R48 body
	secretariatOnly  = []string{"secretariat"}
	y                = "/nomcom/" + strconv.Itoa(nomcomYear)
)

var nomcomProbes = []authzProbe{
	{route: "POST /nomcom/", what: "start a NomCom", path: static("/nomcom/"), form: values("year", "2025", "chair", victim),
		ok: secretariatOnly, no: 403, target: count("nomcom")},
	{route: "POST /nomcom/bodies/", what: "record an LLC Board member (R48)", path: static("/nomcom/bodies/"), form: values("body", "llc-board", "role", "member", "email", victim),
		ok: secretariatOnly, no: 403, target: count("role")},
	{route: "POST /nomcom/{year}/chair/", what: "record the chair's appointment", setup: nomcomNew, path: static(y + "/chair/"), form: values("chair", victim),
		ok: secretariatOnly, no: 403, target: count("role")},
	{route: "POST /nomcom/{year}/call/", what: "open the call for volunteers", setup: nomcomNew, path: static(y + "/call/"),
		ok: secretariatOnly, no: 403, target: nomcomCol("state")},
	{route: "POST /nomcom/{year}/volunteer/", what: "volunteer (R45-R48)", setup: nomcomOpen, path: static(y + "/volunteer/"), form: values("affiliation", "Example Org"),
		ok: nomcomVolunteers, no: 403, shared: true, target: count("nomcom_volunteer")},
	{route: "POST /nomcom/{year}/volunteer/withdraw/", what: "withdraw httpbis's chair", setup: nomcomChairVolunteered, path: static(y + "/volunteer/withdraw/"),
		ok: []string{"chair"}, no: 404, target: count("nomcom_volunteer")},
	{route: "POST /nomcom/{year}/sources/", what: "publish the pool and the sources", setup: nomcomTen, path: static(y + "/sources/"),
		form: func(f *authzFixture, _ string) url.Values {
			return url.Values{"sources": {"A lottery's numbers"}, "values_date": {f.now.AddDate(0, 0, 3).Format("2006-01-02")}}
		},
		ok: secretariatOnly, no: 403, target: nomcomCol("state")},
	{route: "POST /nomcom/{year}/values/", what: "enter the values and select", setup: nomcomPool, path: static(y + "/values/"), form: values("value", "1 2 3 4 5 6"),
		ok: secretariatOnly, no: 403, target: nomcomCol("state")},
	{route: "POST /nomcom/{year}/positions/", what: "list a position", setup: nomcomNew, path: static(y + "/positions/"), form: values("name", "OPS AD", "group", "rtg"),
		ok: secretariatOnly, no: 403, target: count("nomcom_position")},
	{route: "POST /nomcom/{year}/positions/{id}/nominate/", what: "nominate oneself", setup: nomcomPosition, path: savedPath(y + "/positions/{position}/nominate/"),
		form: func(f *authzFixture, who string) url.Values { return url.Values{"email": {selfOrAnon(f, who)}} },
		ok:   everyLogin, shared: true, target: count("nomcom_nomination")},
	{route: "POST /nomcom/{year}/positions/{id}/choose/", what: "choose the victim", setup: nomcomAccepted, path: savedPath(y + "/positions/{position}/choose/"),
		form: savedForm("nomination", "{nomination}"), ok: secretariatOnly, no: 403, target: positionCol("chosen_id")},
	{route: "POST /nomcom/{year}/positions/{id}/confirm/", what: "confirm an AD (the IAB; R43)", setup: nomcomChosen, path: savedPath(y + "/positions/{position}/confirm/"),
		form: func(f *authzFixture, _ string) url.Values {
			return url.Values{"start": {f.now.AddDate(0, 1, 0).Format("2006-01-02")}}
		},
		ok: []string{"iab", "secretariat"}, no: 403, target: positionCol("confirmed")},
	{route: "POST /nomcom/{year}/nominations/{id}/respond/", what: "accept the victim's nomination", setup: nomcomNominated, path: savedPath(y + "/nominations/{nomination}/respond/"),
		form: values("answer", "accept"), no: 403, target: func(f *authzFixture) string {
			return f.scalar(`SELECT state FROM nomcom_nomination WHERE id = $1`, f.id(f.saved["nomination"]))
		}},
	{route: "POST /nomcom/{year}/nominations/{id}/comment/", what: "give feedback on the victim", setup: nomcomNominated, path: savedPath(y + "/nominations/{nomination}/comment/"),
		form: values("kind", "feedback", "body", "A fine choice."), ok: everyLogin, shared: true, target: count("nomcom_comment")},
	{route: "POST /nomcom/{year}/nominations/{id}/comment/", what: "deliberate (the NomCom only)", setup: nomcomNominated, path: savedPath(y + "/nominations/{nomination}/comment/"),
		form: values("kind", "deliberation", "body", "Yes."), no: 403, target: count("nomcom_comment")},
}

package web

import (
	"context"
	"net/url"
	"strconv"
)

// The authorization matrix's rows for the conduct of a WG's list (R20,
// RFC 3934): a chair of the WG warns a disruptive poster, records the
// consultation of the responsible AD and suspends or reinstates them;
// the secretariat may too. The responsible AD may record their own
// advice; no other AD, nor the IESG or the IAB, acts on a WG's list.

func init() { authzProbes = append(authzProbes, conductProbes...) }

const troll = "troll@example.net"

// trollWarned: httpbis's chair has warned the troll and consulted Ada.
func (f *authzFixture) trollWarned() {
	ctx := context.Background()
	chair := f.actor("chair@example.org")
	f.must(f.lists.Warn(ctx, chair, "httpbis", troll, "Stop the personal attacks.", false))
	f.must(f.lists.RecordConsultation(ctx, chair, "httpbis", troll, f.ids["ad@example.org"], "Suspend if it goes on."))
}

// trollSuspended: and suspended them for a week.
func (f *authzFixture) trollSuspended() {
	f.trollWarned()
	id, err := f.lists.Suspend(context.Background(), f.actor("chair@example.org"), "httpbis", troll, 7, "Attacks after warnings.")
	f.must(err)
	f.saved["suspension"] = strconv.FormatInt(id, 10)
}

var conductProbes = []authzProbe{
	{route: "POST /group/{acronym}/chair/conduct/warn/", what: "a private warning to a poster on httpbis",
		path: static("/group/httpbis/chair/conduct/warn/"), form: values("address", troll, "note", "Please stop."),
		ok: []string{"chair", "secretariat"}, no: 403, shared: true, target: count("list_conduct")},
	{route: "POST /group/{acronym}/chair/conduct/warn/", what: "a public warning, posted on httpbis",
		path: static("/group/httpbis/chair/conduct/warn/"), form: values("address", troll, "note", "Please stop.", "public", "1"),
		ok: []string{"chair", "secretariat"}, no: 403, shared: true, target: count("list_post")},
	{route: "POST /group/{acronym}/chair/conduct/consult/", what: "Ada's advice on a poster on httpbis",
		path: static("/group/httpbis/chair/conduct/consult/"),
		form: func(f *authzFixture, who string) url.Values {
			return url.Values{"address": {troll}, "ad": {strconv.FormatInt(f.ids["ad@example.org"], 10)}, "note": {"Warn them again first."}}
		},
		ok: []string{"chair", "ad", "secretariat"}, no: 403, shared: true, target: count("list_conduct")},
	{route: "POST /group/{acronym}/chair/conduct/suspend/", what: "a warned poster on httpbis, for a week", setup: (*authzFixture).trollWarned,
		path: static("/group/httpbis/chair/conduct/suspend/"), form: values("address", troll, "days", "7", "reason", "Attacks after warnings."),
		ok: []string{"chair", "secretariat"}, no: 403, target: count("list_suspension")},
	{route: "POST /group/{acronym}/chair/conduct/{id}/lift/", what: "a suspension on httpbis", setup: (*authzFixture).trollSuspended,
		path: func(f *authzFixture) string {
			return "/group/httpbis/chair/conduct/" + f.saved["suspension"] + "/lift/"
		},
		form: values("reason", "They apologised."), ok: []string{"chair", "secretariat"}, no: 403,
		target: func(f *authzFixture) string {
			return f.scalar(`SELECT state FROM list_suspension WHERE id = $1`, f.id(f.saved["suspension"]))
		}},
	{route: "POST /group/{acronym}/chair/conduct/{id}/lift/", what: "httpbis's suspension through quic's URL", setup: (*authzFixture).trollSuspended,
		path: func(f *authzFixture) string { return "/group/quic/chair/conduct/" + f.saved["suspension"] + "/lift/" },
		form: values("reason", "They apologised."), no: 403, except: allOf(404, "other-chair", "secretariat")},
}

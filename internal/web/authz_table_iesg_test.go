package web

import (
	"context"
	"net/url"
	"time"

	"hum/internal/telechat"
)

// The matrix's rows for the IESG's telechat and the write-up's and
// intended status's forms: the secretariat sets the telechat dates and
// the management items (the Datatracker's admin pages); the responsible
// AD and the secretariat place a document on a telechat (R42); the
// chairs change the intended status before the IESG has the draft, its
// responsible AD after.

func init() { authzProbes = append(authzProbes, iesgProbes...) }

func (f *authzFixture) telechat() *telechat.Service {
	return &telechat.Service{DB: f.db, Docs: f.docs}
}

// telechats sets four telechats from the first Thursday a week on.
func (f *authzFixture) telechats() {
	first := f.now.UTC().Truncate(24*time.Hour).AddDate(0, 0, 7)
	for first.Weekday() != time.Thursday {
		first = first.AddDate(0, 0, 1)
	}
	ds, err := telechat.Series(first, 4)
	f.must(err)
	_, err = f.telechat().AddDates(context.Background(), f.op, ds, "")
	f.must(err)
	f.saved["telechat"] = ds[0].Format("2006-01-02")
}

// evalOnTelechats is the draft in IESG evaluation, with telechats set.
func evalOnTelechats(f *authzFixture) { f.evalDraft(); f.telechats() }

// withItem is telechats with a management item on the first, saved as
// "item".
func withItem(f *authzFixture) {
	f.telechats()
	t, _ := telechat.ParseDate("date", f.saved["telechat"])
	f.must(f.telechat().AddItem(context.Background(), f.op, t, "Statement review", ""))
	f.saved["item"] = f.idOf(`SELECT MAX(id) FROM telechat_item`)
}

var telechatDates = static("/iesg/telechat-dates/")

var iesgProbes = []authzProbe{
	// The secretariat sets the telechats, every other Thursday.
	{route: "POST /iesg/telechat-dates/", what: "a biweekly series", path: telechatDates,
		form: values("action", "series", "first", "2024-03-07", "count", "4"), ok: []string{"secretariat"}, no: 403, target: count("telechat_date")},
	{route: "POST /iesg/telechat-dates/", what: "one date", path: telechatDates,
		form: values("action", "add", "date", "2024-03-21"), ok: []string{"secretariat"}, no: 403, target: count("telechat_date")},
	{route: "POST /iesg/telechat-dates/", what: "remove a date", setup: (*authzFixture).telechats, path: telechatDates,
		form: func(f *authzFixture, _ string) url.Values {
			return url.Values{"action": {"remove"}, "date": {f.saved["telechat"]}}
		}, ok: []string{"secretariat"}, no: 403, target: count("telechat_date")},
	{route: "POST /iesg/telechat-dates/", what: "a management item", setup: (*authzFixture).telechats, path: telechatDates,
		form: func(f *authzFixture, _ string) url.Values {
			return url.Values{"action": {"item"}, "date": {f.saved["telechat"]}, "title": {"Appeal norms"}}
		}, ok: []string{"secretariat"}, no: 403, shared: true, target: count("telechat_item")},
	{route: "POST /iesg/telechat-dates/", what: "remove a management item", setup: withItem, path: telechatDates,
		form: func(f *authzFixture, _ string) url.Values {
			return url.Values{"action": {"remove-item"}, "item": {f.saved["item"]}}
		}, ok: []string{"secretariat"}, no: 403, target: count("telechat_item")},
	// R42: the responsible AD (Ada) or the secretariat put the draft on
	// a telechat; no other AD, not the IETF Chair.
	{route: "POST /doc/{name}/edit/telechat/", what: "place the draft in evaluation on the next telechat", setup: evalOnTelechats,
		path: static("/doc/" + evalDoc + "/edit/telechat/"),
		form: func(f *authzFixture, _ string) url.Values {
			return url.Values{"telechat_date": {f.saved["telechat"]}}
		}, ok: []string{"ad", "secretariat"}, no: 403, target: count("telechat_doc")},
	// The intended status: the chairs until publication is requested,
	// then the responsible AD.
	withSetup(edit(wgDoc, "intended status before the IESG", "action", "intended", "level", "ps"), (*authzFixture).wgDraft,
		[]string{"chair", "secretariat"}, docCol(wgDoc, "std_level")),
	withSetup(edit(lcReqDoc, "intended status once the IESG has it", "action", "intended", "level", "ps"), (*authzFixture).lcReqDraft,
		[]string{"ad", "secretariat"}, docCol(lcReqDoc, "std_level")),
}

package web

import (
	"context"
	"strconv"

	"hum/internal/implementations"
)

// The authorization matrix's rows for implementation reports (RFC 7942):
// anyone logged in reports an implementation of a draft (R18: open
// participation); the report's author, the draft's authors and the
// secretariat change or remove it and record its interoperability tests.
// Here the reports are Pat's (the participant) on the victim's draft, so
// Pat and the secretariat may; no chair, AD or IESG role gives more (the
// draft's author is tried in TestImplementationsPages, as the victim is
// not one of the matrix's roles).

func init() { authzProbes = append(authzProbes, implementationProbes...) }

const implDoc = indivDoc

func (f *authzFixture) impls() *implementations.Service {
	return &implementations.Service{DB: f.db, Docs: f.docs}
}

// patsReport is the victim's draft with an implementation Pat reported,
// and one the victim reported; their ids are saved as "impl" and "other".
func patsReport(f *authzFixture) {
	f.indivDraft()
	ctx := context.Background()
	pat, err := f.impls().Add(ctx, implDoc, f.actor("pat@example.org"), implementations.Fields{Rev: "00", Name: "pat-impl", Coverage: "All."}, "")
	f.must(err)
	other, err := f.impls().Add(ctx, implDoc, f.actor(victim), implementations.Fields{Rev: "00", Name: "victim-impl"}, "")
	f.must(err)
	f.saved["impl"], f.saved["other"] = strconv.FormatInt(pat.ID, 10), strconv.FormatInt(other.ID, 10)
}

// patsTest is patsReport with a test recorded on Pat's report, saved as
// "test".
func patsTest(f *authzFixture) {
	patsReport(f)
	t, err := f.impls().AddTest(context.Background(), f.id(f.saved["impl"]), f.actor("pat@example.org"),
		implementations.NewTest{Other: f.id(f.saved["other"]), Result: "pass"}, "")
	f.must(err)
	f.saved["test"] = strconv.FormatInt(t.ID, 10)
}

func implCol(col string) func(*authzFixture) string {
	return func(f *authzFixture) string {
		return f.scalar(`SELECT COALESCE(MAX(`+col+`), '') FROM impl_report WHERE id = $1`, f.id(f.saved["impl"]))
	}
}

var implEditors = []string{"participant", "secretariat"} // Pat wrote the report; the secretariat

var implementationProbes = []authzProbe{
	{route: "POST /doc/{name}/implementations/", what: "report an implementation", setup: (*authzFixture).indivDraft,
		path: static("/doc/" + implDoc + "/implementations/"), form: values("rev", "00", "name", "an-impl", "url", "https://impl.example/"),
		ok: everyLogin, shared: true, target: count("impl_report")},
	{route: "POST /doc/{name}/implementations/{id}/", what: "change Pat's report", setup: patsReport,
		path: savedPath("/doc/" + implDoc + "/implementations/{impl}/"), form: values("rev", "00", "name", "pat-impl", "coverage", "Only part."),
		ok: implEditors, no: 403, target: implCol("coverage")},
	{route: "POST /doc/{name}/implementations/{id}/remove/", what: "remove Pat's report", setup: patsReport,
		path: savedPath("/doc/" + implDoc + "/implementations/{impl}/remove/"), form: values("why", "gone"),
		ok: implEditors, no: 403, target: count("impl_report")},
	{route: "POST /doc/{name}/implementations/{id}/interop/", what: "record a test on Pat's report", setup: patsReport,
		path: savedPath("/doc/" + implDoc + "/implementations/{impl}/interop/"), form: savedForm("other", "{other}", "result", "partial"),
		ok: implEditors, no: 403, target: count("interop_test")},
	{route: "POST /doc/{name}/implementations/{id}/interop/{test}/remove/", what: "remove the test on Pat's report", setup: patsTest,
		path: savedPath("/doc/" + implDoc + "/implementations/{impl}/interop/{test}/remove/"),
		ok:   implEditors, no: 403, target: count("interop_test")},
}

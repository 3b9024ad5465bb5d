package implementations_test

import (
	"context"
	"strings"
	"testing"

	"hum/internal/fail"
	"hum/internal/implementations"
)

// TestReportPermissions: any participant may add a report; a third
// participant may not change or remove someone else's; its author, the
// draft's author and the secretariat may. Each change is an event on the
// draft's record with who and why; a refusal changes nothing.
func TestReportPermissions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	if _, err := e.s.Add(ctx, draft, e.as(""), fields("anon"), ""); fail.KindOf(err) != fail.Unauthorized {
		t.Fatalf("Add by nobody: %v, want unauthorized", err)
	}
	r, err := e.s.Add(ctx, draft, e.as("pat@example.org"), fields("hum-impl"), "We ship it.")
	if err != nil {
		t.Fatal(err)
	}
	if r.AuthorID != e.ids["pat@example.org"] || r.Rev != "01" || r.Doc != draft || r.Maturity != "beta" {
		t.Errorf("Add = %+v, want Pat's report of revision 01", r)
	}
	evs := e.events(draft)
	if len(evs) != 1 || evs[0].Kind != "impl_added" || evs[0].ActorID != e.ids["pat@example.org"] || evs[0].Why != "We ship it." ||
		!strings.Contains(evs[0].Summary, "hum-impl (Example Org)") {
		t.Fatalf("events after Add = %+v", evs)
	}

	change := fields("hum-impl")
	change.Coverage = "Sections 2 and 3."
	// A third participant may neither change nor remove Pat's report.
	if err := e.s.Change(ctx, r.ID, e.as("tom@example.org"), change, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("Change by a third participant: %v, want forbidden", err)
	}
	if err := e.s.Remove(ctx, r.ID, e.as("tom@example.org"), ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("Remove by a third participant: %v, want forbidden", err)
	}
	if _, err := e.s.AddTest(ctx, r.ID, e.as("tom@example.org"), implementations.NewTest{Other: r.ID, Result: "pass"}, ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("AddTest by a third participant: %v, want forbidden", err)
	}
	if got, _ := e.s.Get(ctx, r.ID); got.Coverage != "All of it." || len(e.events(draft)) != 1 {
		t.Errorf("a refused change changed something: %+v, %d events", got, len(e.events(draft)))
	}

	// The draft's author may change it, with the record saying what moved.
	if err := e.s.Change(ctx, r.ID, e.as("ann@example.org"), change, "Narrower than claimed."); err != nil {
		t.Fatalf("Change by the draft's author: %v", err)
	}
	if got, _ := e.s.Get(ctx, r.ID); got.Coverage != "Sections 2 and 3." {
		t.Errorf("after the author's change, coverage = %q", got.Coverage)
	}
	evs = e.events(draft)
	if evs[0].Kind != "impl_changed" || evs[0].ActorID != e.ids["ann@example.org"] || evs[0].Why != "Narrower than claimed." || !strings.Contains(evs[0].Summary, "coverage") {
		t.Errorf("event of the change = %+v", evs[0])
	}
	// Its own author and the secretariat may, too.
	change.Licence = "Apache-2.0"
	if err := e.s.Change(ctx, r.ID, e.as("pat@example.org"), change, ""); err != nil {
		t.Errorf("Change by the report's author: %v", err)
	}
	change.Contact = "other@example.org"
	if err := e.s.Change(ctx, r.ID, e.as("sec@example.org"), change, ""); err != nil {
		t.Errorf("Change by the secretariat: %v", err)
	}
	if err := e.s.Change(ctx, r.ID, e.as("sec@example.org"), change, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("a change that changes nothing: %v, want invalid", err)
	}

	// The draft's author removes it; the record keeps it.
	if err := e.s.Remove(ctx, r.ID, e.as("ann@example.org"), "Withdrawn by its implementer."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Get(ctx, r.ID); fail.KindOf(err) != fail.NotFound {
		t.Errorf("Get after Remove: %v, want not found", err)
	}
	evs = e.events(draft)
	if evs[0].Kind != "impl_removed" || !strings.Contains(evs[0].Summary, "hum-impl") || evs[0].Why != "Withdrawn by its implementer." {
		t.Errorf("event of the removal = %+v", evs[0])
	}
}

// TestUnknownDraftOrRevisionRefused: a report on a draft hum does not
// hold, or on a revision the draft does not have, is refused with a clear
// error, and nothing is stored or recorded.
func TestUnknownDraftOrRevisionRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pat := e.as("pat@example.org")
	_, err := e.s.Add(ctx, "draft-nobody-wrote-this", pat, fields("x"), "")
	if fail.KindOf(err) != fail.NotFound || !strings.Contains(err.Error(), "draft-nobody-wrote-this") {
		t.Errorf("unknown draft: %v, want not found naming it", err)
	}
	f := fields("x")
	f.Rev = "07"
	_, err = e.s.Add(ctx, draft, pat, f, "")
	if fe, ok := fail.As(err); !ok || fe.Kind != fail.Invalid || fe.Field != "rev" || !strings.Contains(fe.Message, "00, 01") {
		t.Errorf("unknown revision: %v, want invalid rev listing 00, 01", err)
	}
	f.Rev = ""
	if _, err = e.s.Add(ctx, draft, pat, f, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("no revision: %v, want invalid", err)
	}
	// A change to an unknown revision is refused as well.
	r := e.add("pat@example.org", "ok", fields("ok"))
	f = fields("ok")
	f.Rev = "02"
	if err := e.s.Change(ctx, r.ID, pat, f, ""); fail.KindOf(err) != fail.Invalid {
		t.Errorf("change to an unknown revision: %v, want invalid", err)
	}
	if n := e.count("impl_report"); n != 1 {
		t.Errorf("%d reports stored, want only the good one", n)
	}
	if got, _ := e.s.Get(ctx, r.ID); got.Rev != "01" {
		t.Errorf("revision after the refused change = %q", got.Rev)
	}
	if n := len(e.events(draft)); n != 1 {
		t.Errorf("%d events, want the one good report's", n)
	}
}

// TestFieldsChecked: the URL is shown as a link on public pages, so only
// http and https URLs are taken; a javascript: URL is refused. Maturity
// is one of RFC 7942 §4's levels, the date a real one.
func TestFieldsChecked(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pat := e.as("pat@example.org")
	for _, c := range []struct {
		what  string
		edit  func(*implementations.Fields)
		field string
	}{
		{"javascript: URL", func(f *implementations.Fields) { f.URL = "javascript:alert(document.cookie)" }, "url"},
		{"JavaScript: URL in capitals", func(f *implementations.Fields) { f.URL = "JavaScript:alert(1)" }, "url"},
		{"data: URL", func(f *implementations.Fields) { f.URL = "data:text/html,<script>alert(1)</script>" }, "url"},
		{"URL without a host", func(f *implementations.Fields) { f.URL = "https:///path" }, "url"},
		{"relative URL", func(f *implementations.Fields) { f.URL = "//evil.example/x" }, "url"},
		{"URL with a quote", func(f *implementations.Fields) { f.URL = `https://a.example/"onmouseover="x` }, "url"},
		{"no name", func(f *implementations.Fields) { f.Name = "  " }, "name"},
		{"unknown maturity", func(f *implementations.Fields) { f.Maturity = "gold" }, "maturity"},
		{"bad date", func(f *implementations.Fields) { f.Date = "1 March" }, "date"},
		{"future date", func(f *implementations.Fields) { f.Date = "2027-01-01" }, "date"},
		{"control character", func(f *implementations.Fields) { f.Description = "a\x00b" }, "description"},
		{"long name", func(f *implementations.Fields) { f.Name = strings.Repeat("n", 201) }, "name"},
	} {
		f := fields("x")
		c.edit(&f)
		_, err := e.s.Add(ctx, draft, pat, f, "")
		if fe, ok := fail.As(err); !ok || fe.Kind != fail.Invalid || fe.Field != c.field {
			t.Errorf("%s: %v, want invalid %s", c.what, err, c.field)
		}
	}
	if n := e.count("impl_report"); n != 0 {
		t.Errorf("%d reports stored from bad input", n)
	}
	f := fields("plain")
	f.URL, f.Date, f.Maturity = "http://impl.example/", "", ""
	r := e.add("pat@example.org", "plain", f)
	if r.Date != "2026-03-02" || r.URL != "http://impl.example/" {
		t.Errorf("report = %+v, want today's date and the http URL", r)
	}
}

// TestMatrixLatestResult: each cell holds the latest test between the
// pair, recorded on either report, latest by date and then by order of
// recording; the matrix is symmetric, the diagonal and untested pairs
// empty.
func TestMatrixLatestResult(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.add("pat@example.org", "alpha", fields("alpha"))
	b := e.add("tom@example.org", "bravo", fields("bravo"))
	c := e.add("ann@example.org", "charlie", fields("charlie"))
	test := func(who string, from, to int64, date, result string) {
		t.Helper()
		if _, err := e.s.AddTest(ctx, from, e.as(who), implementations.NewTest{Other: to, Date: date, Result: result, Notes: "n"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	test("pat@example.org", a.ID, b.ID, "2026-02-01", "pass") // recorded first, but the later date
	test("pat@example.org", a.ID, b.ID, "2026-01-01", "fail")
	test("tom@example.org", b.ID, a.ID, "2026-01-15", "partial")
	test("ann@example.org", c.ID, a.ID, "2026-02-10", "fail")
	test("pat@example.org", a.ID, c.ID, "2026-02-10", "partial") // same day, recorded later

	rs, err := e.s.ForDoc(ctx, draft)
	if err != nil {
		t.Fatal(err)
	}
	m := implementations.MatrixOf(rs)
	cell := func(i, j int) string {
		if t := m.Cells[i][j]; t != nil {
			return t.Result + " " + t.Date
		}
		return "-"
	}
	want := [][]string{
		{"-", "pass 2026-02-01", "partial 2026-02-10"},
		{"pass 2026-02-01", "-", "-"},
		{"partial 2026-02-10", "-", "-"},
	}
	for i := range want {
		for j := range want[i] {
			if got := cell(i, j); got != want[i][j] {
				t.Errorf("cell %s x %s = %q, want %q", m.Reports[i].Name, m.Reports[j].Name, got, want[i][j])
			}
		}
	}

	// Tests are refused with the implementation itself, one of another
	// draft, or an unknown result; nothing is stored.
	other, err := e.s.Add(ctx, "draft-example-other", e.as("pat@example.org"), implementations.Fields{Rev: "00", Name: "elsewhere"}, "")
	if err != nil {
		t.Fatal(err)
	}
	before := e.count("interop_test")
	for _, n := range []implementations.NewTest{
		{Other: a.ID, Result: "pass"},
		{Other: other.ID, Result: "pass"},
		{Other: 99999, Result: "pass"},
		{Other: b.ID, Result: "42%"},
		{Other: b.ID, Result: "pass", Date: "2030-01-01"},
	} {
		if _, err := e.s.AddTest(ctx, a.ID, e.as("pat@example.org"), n, ""); fail.KindOf(err) != fail.Invalid {
			t.Errorf("AddTest %+v: %v, want invalid", n, err)
		}
	}
	if n := e.count("interop_test"); n != before {
		t.Errorf("refused tests stored: %d -> %d", before, n)
	}

	// Removing bravo takes the tests on both sides with it.
	if err := e.s.Remove(ctx, b.ID, e.as("tom@example.org"), ""); err != nil {
		t.Fatal(err)
	}
	if n := e.count("interop_test"); n != 2 {
		t.Errorf("%d tests left after removing bravo, want the two of alpha and charlie", n)
	}
	// A test is removed by those who may change its report.
	rs, _ = e.s.ForDoc(ctx, draft)
	tid := rs[0].Tests[0].ID
	if err := e.s.RemoveTest(ctx, a.ID, tid, e.as("tom@example.org"), ""); fail.KindOf(err) != fail.Forbidden {
		t.Errorf("RemoveTest by a third participant: %v", err)
	}
	if err := e.s.RemoveTest(ctx, a.ID, tid, e.as("pat@example.org"), "Mistaken."); err != nil {
		t.Fatal(err)
	}
	if evs := e.events(draft); evs[0].Kind != "interop_removed" || evs[0].Why != "Mistaken." {
		t.Errorf("event of the test's removal = %+v", evs[0])
	}
}

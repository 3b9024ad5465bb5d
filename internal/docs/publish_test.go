package docs_test

import (
	"context"
	"strings"
	"testing"

	"hum/internal/docs/rfcindex"
	"hum/internal/fail"
	"hum/internal/record"
)

// TestRFCNumberNeverReusedR09: once a number names an RFC, whether hum
// published it or the RFC index brought it, publishing another draft
// under it is refused citing R09, and nothing of the refused publication
// is recorded; a number left to hum is a fresh one.
func TestRFCNumberNeverReusedR09(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.postSmokeSignals(t)
	e.at("2023-03-07")
	if _, err := e.s.Submit(ctx, xml(t, "xml/draft-ietf-idr-rt-derived-community-00.xml"), e.who("sec@example.org")); err != nil {
		t.Fatal(err)
	}
	first, second := "draft-smoke-signals", "draft-ietf-idr-rt-derived-community"
	// Both straight into the RFC Editor queue: the road there is
	// TestLifecycle's.
	for _, name := range []string{first, second} {
		if _, err := e.db.Exec(`UPDATE doc SET iesg_state = 'rfcqueue', std_level = 'inf' WHERE name = $1`, name); err != nil {
			t.Fatal(err)
		}
	}
	es, err := rfcindex.ReadAll(strings.NewReader("8200 Internet Protocol, Version 6 (IPv6) Specification. S. Deering, R.\n     Hinden. July 2017. (Format: TXT, HTML) (Status: INTERNET STANDARD)\n     (DOI: 10.17487/RFC8200)\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.ImportIndex(ctx, es); err != nil {
		t.Fatal(err)
	}
	sec := e.by("sec@example.org")
	if rfc, err := e.s.Publish(ctx, first, sec, 9000); err != nil || rfc != "rfc9000" {
		t.Fatalf("publish %s as 9000: %q %v", first, rfc, err)
	}
	title := e.doc("rfc9000").Title
	before := len(e.mails("RFC "))

	for _, number := range []int{9000, 8200} {
		_, err := e.s.Publish(ctx, second, sec, number)
		refused(t, "publish a second draft as an RFC number already taken", err, fail.Conflict, "R09")
		if d := e.doc(second); d.IESGState != "rfcqueue" || d.RFCNumber != 0 || d.State == "rfc" {
			t.Errorf("after the refused publication as %d: %s is %q/%q, RFC %d", number, second, d.State, d.IESGState, d.RFCNumber)
		}
	}
	if r := e.doc("rfc9000"); r.Title != title || r.RFCNumber != 9000 {
		t.Errorf("rfc9000 after a refused reuse: %q %d, want %q", r.Title, r.RFCNumber, title)
	}
	if r := e.doc("rfc8200"); !strings.HasPrefix(r.Title, "Internet Protocol, Version 6") {
		t.Errorf("rfc8200 after a refused reuse: %q", r.Title)
	}
	evs, err := record.List(ctx, e.db, "doc", second, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Kind == "published" {
			t.Errorf("a refused publication was recorded: %+v", ev)
		}
	}
	if n := len(e.mails("RFC ")); n != before {
		t.Errorf("a refused publication queued %d announcements", n-before)
	}

	// Left to hum, the number is the next one never used.
	rfc, err := e.s.Publish(ctx, second, sec, 0)
	if err != nil || rfc != "rfc9001" {
		t.Errorf("publish with a number left to hum: %q %v, want rfc9001", rfc, err)
	}
}

// TestImportKeepsRFCsPublishedHere: an RFC hum published is not the
// import's to overwrite. An index whose entry under the same number is
// another RFC (as the real RFC 9999 is to the demo's) leaves its title,
// authors and relations alone, and the import says so.
func TestImportKeepsRFCsPublishedHere(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.postSmokeSignals(t)
	name := "draft-smoke-signals"
	if _, err := e.db.Exec(`UPDATE doc SET iesg_state = 'rfcqueue', std_level = 'inf' WHERE name = $1`, name); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Publish(ctx, name, e.by("sec@example.org"), 9999); err != nil {
		t.Fatal(err)
	}
	before := e.doc("rfc9999")
	es, err := rfcindex.ReadAll(strings.NewReader(`9999 Remote ATtestation procedureS (RATS) Conceptual Message Wrapper
     (CMW). H. Birkholz, N. Smith, T. Fossati, H. Tschofenig. July 2026.
     (Format: HTML, TXT, PDF, XML) (Obsoletes RFC1149) (Updated by RFC10001)
     (Status: PROPOSED STANDARD) (DOI: 10.17487/RFC9999)

10001 Operational Guidelines for DNS Transport in Mixed IPv4/IPv6
     Environments. Momoka, T. Fiebig. August 2026. (Format: HTML, TXT)
     (Updates RFC9999) (Status: INFORMATIONAL) (DOI: 10.17487/RFC10001)
`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.s.ImportIndex(ctx, es)
	if err != nil {
		t.Fatal(err)
	}
	if c.Added != 1 || len(c.Kept) != 1 || c.Updated != 0 || !strings.Contains(c.String(), "RFC 9999") {
		t.Errorf("import counts %+v: %s; want 1 added and RFC 9999 kept, said so", c, c)
	}
	after := e.doc("rfc9999")
	if after.Title != before.Title || len(after.Authors) != len(before.Authors) || after.Authors[0].Name != before.Authors[0].Name {
		t.Errorf("rfc9999 after the import: %q by %+v, want %q by %+v", after.Title, after.Authors, before.Title, before.Authors)
	}
	out, in, err := e.s.Relations(ctx, "rfc9999")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range append(out, in...) {
		if r.Source == "rfc10001" || r.Target == "rfc10001" {
			t.Errorf("the index's RFC 9999's relation was attached to hum's: %+v", r)
		}
	}
	if _, err := e.s.Get(ctx, "rfc10001"); err != nil {
		t.Errorf("the other entry was not imported: %v", err)
	}
}

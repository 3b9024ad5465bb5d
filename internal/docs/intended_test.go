package docs_test

import (
	"context"
	"testing"

	"hum/internal/fail"
	"hum/internal/record"
	"hum/internal/testbody"
)

// The chairs set a WG draft's intended status until publication is
// requested, its responsible AD after; no one else, and never Draft
// Standard (R08). Each change is on the record.
func TestIntendedStatus(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.wgDraft(t)
	chair, ad := e.by("chair@example.org"), e.by("ad@example.org")

	refused(t, "participant", e.s.SetIntendedStatus(ctx, name, e.by("kesara@fq.nz"), "ps", ""), fail.Forbidden, "")
	refused(t, "the area's AD before the IESG", e.s.SetIntendedStatus(ctx, name, ad, "ps", ""), fail.Forbidden, "")
	refused(t, "R08: Draft Standard", e.s.SetIntendedStatus(ctx, name, chair, "ds", ""), fail.Invalid, "R08")
	refused(t, "no such level", e.s.SetIntendedStatus(ctx, name, chair, "gold", ""), fail.Invalid, "")
	if err := e.s.SetIntendedStatus(ctx, name, chair, "ps", "The WG wants a standard"); err != nil {
		t.Fatal(err)
	}
	if d := e.doc(name); d.StdLevel != "ps" {
		t.Fatalf("std level %q", d.StdLevel)
	}
	if p, _ := e.s.PowersOn(ctx, name, chair); !p.Intended {
		t.Error("the chair is not offered the form")
	}

	if err := e.s.SetWriteup(ctx, name, e.by("pat@example.org"), testbody.Writeup()); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetIESGState(ctx, name, chair, "pub-req", ""); err != nil {
		t.Fatal(err)
	}
	refused(t, "R42: the chair once the IESG has it", e.s.SetIntendedStatus(ctx, name, chair, "inf", ""), fail.Forbidden, "R42")
	refused(t, "R42: another area's AD", e.s.SetIntendedStatus(ctx, name, e.by("ad2@example.org"), "inf", ""), fail.Forbidden, "R42")
	if p, _ := e.s.PowersOn(ctx, name, chair); p.Intended {
		t.Error("the chair is offered the form after the publication request")
	}
	if err := e.s.SetIntendedStatus(ctx, name, ad, "exp", "Too early for the Standards Track"); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetIntendedStatus(ctx, name, e.by("sec@example.org"), "exp", ""); err != nil {
		t.Fatalf("no change: %v", err)
	}
	evs, _ := record.List(ctx, e.db, "doc", name, 50)
	var got []string
	for _, ev := range evs {
		if ev.Kind == "intended_std_level" {
			got = append(got, ev.Actor+": "+ev.Summary+" / "+ev.Why)
		}
	}
	want := []string{
		"ad@example.org: Intended Status changed to Experimental from Proposed Standard / Too early for the Standards Track",
		"chair@example.org: Intended Status changed to Proposed Standard from Experimental / The WG wants a standard",
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("events:\n%q\nwant\n%q", got, want)
	}
}

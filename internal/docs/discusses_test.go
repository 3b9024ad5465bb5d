package docs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"hum/internal/docs"
	"hum/internal/testbody"
)

// evaluation takes the idr WG draft into IESG Evaluation, Ada its AD.
func (e *env) evaluation(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	name := e.wgDraft(t)
	steps := []func() error{
		func() error { return e.s.SetWriteup(ctx, name, e.by("pat@example.org"), testbody.Writeup()) },
		func() error { return e.s.SetIESGState(ctx, name, e.by("chair@example.org"), "pub-req", "") },
		func() error { return e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "lc-req", "") },
		func() error { return e.s.IssueLastCall(ctx, name, e.by("ad@example.org"), 0, "") },
		func() error { e.now = e.now.Add(15 * 24 * time.Hour); _, err := e.s.Tick(ctx); return err },
		func() error { return e.s.SetIESGState(ctx, name, e.by("ad@example.org"), "iesg-eva", "") },
	}
	for _, f := range steps {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	}
	return name
}

// /iesg/discusses/: each sitting AD's DISCUSS on an open ballot, since
// the AD first took it (rewording keeps the date), gone once cleared.
func TestDiscusses(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.evaluation(t)
	taken := e.now
	if err := e.s.SetPosition(ctx, name, e.by("ad2@example.org"), docs.PositionChange{Pos: "discuss", Discuss: "Section 3 is unclear."}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetPosition(ctx, name, e.by("ad@example.org"), docs.PositionChange{Pos: "yes"}); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(48 * time.Hour)
	if err := e.s.SetPosition(ctx, name, e.by("ad2@example.org"), docs.PositionChange{Pos: "discuss", Discuss: "Section 3 is still unclear."}); err != nil {
		t.Fatal(err)
	}
	ds, err := e.s.Discusses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Doc.Name != name || ds[0].AD.Name != "Bea Director" || !ds[0].Since.Equal(taken) || !ds[0].Updated.Equal(e.now) || ds[0].Text != "Section 3 is still unclear." {
		t.Fatalf("discusses: %+v", ds)
	}
	// What the AD's dashboard says the draft waits for.
	a, err := e.s.ForAD(ctx, "ada.director")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Headings) != 1 || a.Headings[0].Heading != "IESG Evaluation Internet-Draft" || !a.Sitting {
		t.Fatalf("dashboard: %+v", a)
	}
	if w := a.Headings[0].Docs[0].Waits; w != "the IESG ballot: 1 DISCUSS position must be cleared" {
		t.Errorf("waits for %q", w)
	}
	if _, err := e.s.ForAD(ctx, "bea"); err == nil {
		t.Error("a partial name found an AD")
	}
	if err := e.s.SetPosition(ctx, name, e.by("ad2@example.org"), docs.PositionChange{Pos: "noobj"}); err != nil {
		t.Fatal(err)
	}
	if ds, _ := e.s.Discusses(ctx); len(ds) != 0 {
		t.Errorf("a cleared DISCUSS is outstanding: %+v", ds)
	}
	a, _ = e.s.ForAD(ctx, "ada.director")
	if w := a.Headings[0].Docs[0].Waits; w != "the AD to approve: the ballot passes" {
		t.Errorf("waits for %q", w)
	}
}

func TestWaitingFor(t *testing.T) {
	now := time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)
	ends := time.Date(2021, 7, 3, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		d    docs.Document
		tags []string
		want string
	}{
		{docs.Document{State: "active", IESGState: "pub-req"}, nil, "the AD to begin AD Evaluation"},
		{docs.Document{State: "active", IESGState: "lc", LCEnds: &ends}, nil, "the IETF Last Call to end on 2021-07-03"},
		{docs.Document{State: "active", IESGState: "ad-eval"}, []string{"rev-ad"}, "the authors: Revised I-D Needed - Issue raised by AD; then the AD's evaluation"},
		{docs.Document{State: "active", IESGState: "rfcqueue"}, nil, "the RFC Editor"},
		{docs.Document{State: "rfc", IESGState: "pub"}, nil, ""},
		{docs.Document{State: "active"}, nil, ""},
	} {
		if got := docs.WaitingFor(c.d, docs.BallotView{}, c.tags, now); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.d.IESGState, c.tags, got, c.want)
		}
	}
	if !strings.Contains(docs.ADKey("Ada  Director"), "ada") || docs.ADKey("Ada Director") != "ada.director" {
		t.Errorf("ADKey")
	}
}

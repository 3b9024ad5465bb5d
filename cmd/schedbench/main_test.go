package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/corpustest"
	"hum/internal/scheduler"
)

// TestBenchSmoke runs the whole bench on tiny budgets, as CI could: every
// part prints, and the official schedule costs what the issue says.
func TestBenchSmoke(t *testing.T) {
	root := corpustest.Root(t)
	c := config{
		dir:    filepath.Join(root, "meetings", "ietf83"),
		groups: filepath.Join(root, "groups", "workinggroups-2013.json"),
		seeds:  1, times: []time.Duration{time.Second}, random: 5,
		sizes: []size{{60, 4}}, genSeeds: 1, genTime: time.Second,
	}
	var out bytes.Buffer
	if err := run(context.Background(), c, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		`(?m)^imported IETF 83: `,
		`(?m)^loaded: 13\d sessions of \d+ groups, 145 slots in 9 rooms`,
		`(?m)^official schedule mtg:83: cost [\d,]+ = 2,381,000 on constraints \+ 1 unplaced × 1,000,000; 3 hard violations$`,
		`(?m)^  conflict +10 × +100,000 = +1,000,000$`,
		`(?m)^  unplaced: mext session 1 `,
		`(?m)^  in a slot that fits when one is free +cost min [\d,]+ p10 `,
		`(?m)^  in any free slot +cost min [\d,]+ p10 `,
		`(?m)^IETF 83, budget 1s, \d+ workers; load average `,
		`(?m)^ +1 +[\d,]+ +\d+ +\d+ +\d+\.\d\ds +\d+\.\d\ds +[\d,]+  \S`,
		`(?m)^summary, budget 1s: cost min [\d,]+ median [\d,]+ max [\d,]+ \(lower bound [\d,]+\); \d of 1 runs at 0; \d feasible`,
		`(?m)^generated meetings \(scheduler.Generate\), budget 1s`,
		`(?m)^ +60 +4 +1 +\d+ +\d+ +\d+ +[\d,]+ +[\d,]+ +[\d,]+ +\d+ +\d+ +\d+\.\d\ds`,
	} {
		if !regexp.MustCompile(want).Match(out.Bytes()) {
			t.Errorf("no line matching %s in:\n%s", want, out.String())
		}
	}
}

func TestRandomPlacementIsFeasible(t *testing.T) {
	p := scheduler.Generate(scheduler.GenSpec{Sessions: 200}, 4)
	for _, fit := range []bool{true, false} {
		pl := randomPlacement(p, 9, fit)
		if !cmp.Equal(pl, randomPlacement(p, 9, fit)) {
			t.Errorf("fit %v: seed 9 gives two placements", fit)
		}
		r, err := scheduler.Score(p, pl)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Hard) > 0 || len(r.Unplaced) > 0 {
			t.Errorf("fit %v: hard %v, unplaced %d", fit, r.Hard, len(r.Unplaced))
		}
		if fit && kindCount(r, "session_requires_trim") > 0 {
			t.Errorf("a fitting placement trims: %v", r.Kinds)
		}
	}
}

func TestParseFlags(t *testing.T) {
	ts, err := parseTimes("2s, 10s")
	if err != nil || !cmp.Equal(ts, []time.Duration{2 * time.Second, 10 * time.Second}) {
		t.Errorf("times: %v, %v", ts, err)
	}
	zs, err := parseSizes("300,600:40")
	if err != nil || !cmp.Equal(zs, []size{{300, 20}, {600, 40}}, cmp.AllowUnexported(size{})) {
		t.Errorf("sizes: %v, %v", zs, err)
	}
	for _, bad := range []string{"", "10", "-1s", "x"} {
		if _, err := parseTimes(bad); err == nil {
			t.Errorf("times %q: no error", bad)
		}
	}
	for _, bad := range []string{"0", "300:0", "a:b", "300:"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("sizes %q: no error", bad)
		}
	}
	if zs, err := parseSizes(" "); err != nil || zs != nil {
		t.Errorf("no sizes: %v, %v", zs, err)
	}
}

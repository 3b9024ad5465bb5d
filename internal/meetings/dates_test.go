package meetings_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/corpustest"
	"hum/internal/fail"
	"hum/internal/meetings"
)

func TestImportantDatesDefaults(t *testing.T) {
	e := newEnv(t)
	m := e.meeting() // first day 2026-03-14
	ds, err := e.m.ImportantDates(e.ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range ds {
		got[d.Slug] = d.Date.Format(time.DateOnly)
		if !d.Default {
			t.Errorf("%s is not a default", d.Slug)
		}
	}
	want := map[string]string{
		"opensched": "2025-12-15", "cutoffwgreq": "2026-01-30", "prelimagenda": "2026-02-13", "finalagenda": "2026-02-20",
		"idcutoff": "2026-03-02", "draftwgagenda": "2026-03-04", "revwgagenda": "2026-03-09",
		"procsub": "2026-04-09", "revsub": "2026-05-03", // R29: 26 and 50 days after the first day
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("dates (-want +got):\n%s", d)
	}
	for i := 1; i < len(ds); i++ {
		if ds[i].Date.Before(ds[i-1].Date) {
			t.Errorf("%s before %s: not in date order", ds[i].Slug, ds[i-1].Slug)
		}
	}
}

func TestSetImportantDate(t *testing.T) {
	e := newEnv(t)
	m := e.meeting()
	before := e.events()
	for _, tc := range []struct {
		who, name, date string
		kind            fail.Kind
	}{
		{"chair-quic@example.org", "idcutoff", "2026-03-01", fail.Forbidden},
		{"sec@example.org", "nosuch", "2026-03-01", fail.Invalid},
		{"sec@example.org", "idcutoff", "March 1", fail.Invalid},
		{"sec@example.org", "idcutoff", "2029-03-01", fail.Invalid},
	} {
		if err := e.m.SetImportantDate(e.ctx, e.as(tc.who), "125", tc.name, tc.date, ""); fail.KindOf(err) != tc.kind {
			t.Errorf("%s setting %s to %q: %v, want %s", tc.who, tc.name, tc.date, err, tc.kind)
		}
	}
	if e.events() != before {
		t.Error("refusals changed something")
	}
	if err := e.m.SetImportantDate(e.ctx, e.as("sec@example.org"), "125", "idcutoff", "2026-03-01", "a holiday"); err != nil {
		t.Fatal(err)
	}
	d, err := e.m.ImportantDate(e.ctx, m, "idcutoff")
	if err != nil || d.Date.Format(time.DateOnly) != "2026-03-01" || d.Default {
		t.Errorf("idcutoff = %+v, %v", d, err)
	}
	if err := e.m.SetImportantDate(e.ctx, e.as("sec@example.org"), "125", "idcutoff", "", "back"); err != nil {
		t.Fatal(err)
	}
	if d, _ := e.m.ImportantDate(e.ctx, m, "idcutoff"); d.Date.Format(time.DateOnly) != "2026-03-02" || !d.Default {
		t.Errorf("after putting it back: %+v", d)
	}
	if e.events() != before+2 {
		t.Errorf("%d events for two changes", e.events()-before)
	}
}

func TestSubmissionCutoff(t *testing.T) {
	e := newEnv(t)
	e.meeting() // first day 2026-03-14 in Shenzhen; idcutoff 2026-03-02
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	for _, tc := range []struct {
		at     time.Time
		closed bool
	}{
		{time.Date(2026, 3, 2, 23, 59, 0, 0, time.UTC), false},
		{time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 3, 14, 23, 0, 0, 0, shanghai), true},
		{time.Date(2026, 3, 15, 0, 0, 0, 0, shanghai), false},
		{time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), false},
	} {
		w, closed, err := e.m.SubmissionCutoff(e.ctx, tc.at)
		if err != nil || closed != tc.closed {
			t.Errorf("at %s: closed %v, %v; want %v", tc.at, closed, err, tc.closed)
		}
		if closed && (w.Meeting.Number != "125" || w.Reopens.In(shanghai).Format("2006-01-02 15:04:05") != "2026-03-14 23:59:59" ||
			w.Closed.Format("2006-01-02 15:04:05") != "2026-03-02 23:59:59") {
			t.Errorf("at %s: window %+v", tc.at, w)
		}
	}
}

// TestDateNamesAreTheDatatrackers holds the important-date names hum uses
// to the Datatracker's names list: slug, name, description and default
// offset, except the materials windows, which follow R29.
func TestDateNamesAreTheDatatrackers(t *testing.T) {
	root := corpustest.Root(t)
	b, err := os.ReadFile(filepath.Join(root, "groups", "datatracker-names-2021.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Model  string `json:"model"`
		PK     any    `json:"pk"`
		Fields struct {
			Name   string `json:"name"`
			Desc   string `json:"desc"`
			Offset int    `json:"default_offset_days"`
			Used   bool   `json:"used"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	dt := map[string]meetings.DateName{}
	for _, r := range rows {
		if slug, ok := r.PK.(string); ok && r.Model == "name.importantdatename" && r.Fields.Used {
			dt[slug] = meetings.DateName{Slug: slug, Name: r.Fields.Name, Desc: r.Fields.Desc, Offset: r.Fields.Offset}
		}
	}
	if len(dt) < 10 {
		t.Fatalf("only %d important-date names in the corpus", len(dt))
	}
	for _, n := range meetings.DateNames {
		want, ok := dt[n.Slug]
		if !ok {
			t.Errorf("%s is not a used Datatracker important-date name", n.Slug)
			continue
		}
		switch n.Slug {
		case "procsub":
			want.Offset = meetings.MaterialsCutoffDays
		case "revsub":
			want.Offset = meetings.CorrectionsCutoffDays
		}
		if d := cmp.Diff(want, n); d != "" {
			t.Errorf("%s (-datatracker +hum):\n%s", n.Slug, d)
		}
	}
	if meetings.MaterialsCutoffDays != 26 || meetings.CorrectionsCutoffDays != 50 {
		t.Errorf("materials windows %d and %d days, R29 says 26 and 50", meetings.MaterialsCutoffDays, meetings.CorrectionsCutoffDays)
	}
}

package meetings_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/corpustest"
	"hum/internal/meetings"
)

var update = flag.Bool("update", false, "derive names.json again from the corpus")

// fixture is one object of a Django fixture.
type fixture struct {
	Model  string          `json:"model"`
	PK     any             `json:"pk"` // a slug, or a number for models hum does not read
	Fields json.RawMessage `json:"fields"`
}

// deriveVocabulary builds names.json from the Datatracker's names
// fixture: the models a session request and the schedule use, each list
// by its order and then slug, without the editor's HTML labels.
func deriveVocabulary(t *testing.T, raw []byte) []byte {
	t.Helper()
	var all []fixture
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	var v meetings.Vocabulary
	for _, f := range all {
		slug, _ := f.PK.(string)
		var x struct {
			Name, Desc, TimeslotTypes string
			Order, Penalty            int
			IsGroupConflict, Used     bool
			OnAgenda                  bool
		}
		var fields map[string]any
		if err := json.Unmarshal(f.Fields, &fields); err != nil {
			t.Fatalf("%s %s: %v", f.Model, slug, err)
		}
		str := func(k string) string { s, _ := fields[k].(string); return s }
		num := func(k string) int { n, _ := fields[k].(float64); return int(n) }
		boolean := func(k string) bool { b, _ := fields[k].(bool); return b }
		x.Name, x.Desc, x.TimeslotTypes = str("name"), str("desc"), str("timeslot_types")
		x.Order, x.Penalty = num("order"), num("penalty")
		x.IsGroupConflict, x.Used, x.OnAgenda = boolean("is_group_conflict"), boolean("used"), boolean("on_agenda")
		switch f.Model {
		case "name.constraintname":
			v.ConstraintNames = append(v.ConstraintNames, meetings.ConstraintName{Slug: slug, Name: x.Name, Desc: x.Desc, Order: x.Order,
				Penalty: x.Penalty, GroupConflict: x.IsGroupConflict, Used: x.Used})
		case "name.timerangename":
			v.TimeRanges = append(v.TimeRanges, meetings.TimeRange{Slug: slug, Desc: x.Desc, Order: x.Order})
		case "name.sessionstatusname":
			v.SessionStatuses = append(v.SessionStatuses, meetings.Name{Slug: slug, Name: x.Name, Desc: x.Desc, Used: x.Used})
		case "name.timeslottypename":
			v.TimeslotTypes = append(v.TimeslotTypes, meetings.Name{Slug: slug, Name: x.Name, Desc: x.Desc, Used: x.Used})
		case "name.sessionpurposename":
			p := meetings.Purpose{Slug: slug, Name: x.Name, Desc: x.Desc, Order: x.Order, OnAgenda: x.OnAgenda, Used: x.Used, TimeslotTypes: []string{}}
			if x.TimeslotTypes != "" {
				if err := json.Unmarshal([]byte(x.TimeslotTypes), &p.TimeslotTypes); err != nil {
					t.Fatalf("purpose %s: timeslot_types: %v", slug, err)
				}
			}
			v.SessionPurposes = append(v.SessionPurposes, p)
		case "meeting.businessconstraint":
			v.BusinessConstraints = append(v.BusinessConstraints, meetings.BusinessConstraint{Slug: slug, Name: x.Name, Penalty: x.Penalty})
		}
	}
	sort.Slice(v.ConstraintNames, func(i, j int) bool { return v.ConstraintNames[i].Order < v.ConstraintNames[j].Order })
	sort.Slice(v.TimeRanges, func(i, j int) bool { return v.TimeRanges[i].Order < v.TimeRanges[j].Order })
	sort.Slice(v.SessionStatuses, func(i, j int) bool { return v.SessionStatuses[i].Slug < v.SessionStatuses[j].Slug })
	sort.Slice(v.TimeslotTypes, func(i, j int) bool { return v.TimeslotTypes[i].Slug < v.TimeslotTypes[j].Slug })
	sort.Slice(v.SessionPurposes, func(i, j int) bool { return v.SessionPurposes[i].Order < v.SessionPurposes[j].Order })
	sort.Slice(v.BusinessConstraints, func(i, j int) bool { return v.BusinessConstraints[i].Slug < v.BusinessConstraints[j].Slug })
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// TestVocabularyMatchesCorpus derives the vocabulary from the corpus and
// fails when the embedded names.json says something else.
func TestVocabularyMatchesCorpus(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(corpustest.Root(t), "groups", "datatracker-names-2021.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := deriveVocabulary(t, raw)
	if *update {
		if err := os.WriteFile("names.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("names.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("names.json differs from what the corpus gives (go test -run TestVocabularyMatchesCorpus -update ./internal/meetings/ derives it again):\n%s",
			cmp.Diff(string(want), string(got)))
	}
}

// TestVocabulary checks what the request rules lean on, and that the
// core's lists of statuses and timeslot types agree with it.
func TestVocabulary(t *testing.T) {
	v := meetings.Vocab()
	var levels []string
	for _, c := range v.ConstraintNames {
		if c.Slug == "conflict" || c.Slug == "conflic2" || c.Slug == "conflic3" {
			levels = append(levels, c.Slug)
		}
	}
	if d := cmp.Diff(meetings.ConflictLevels, levels); d != "" {
		t.Errorf("conflict levels in order (-want +got):\n%s", d)
	}
	if c, ok := meetings.Constraint("conflic2"); !ok || c.Penalty != 10000 || c.Name != "Conflicts with (secondary)" {
		t.Errorf("conflic2 = %+v", c)
	}
	if r, ok := meetings.Range("monday-morning"); !ok || r.Desc != "Monday morning" || len(v.TimeRanges) != 15 {
		t.Errorf("monday-morning = %+v; %d ranges", r, len(v.TimeRanges))
	}
	for _, s := range v.SessionStatuses {
		if meetings.StatusNames[s.Slug] != s.Name {
			t.Errorf("status %s: StatusNames says %q, the Datatracker %q", s.Slug, meetings.StatusNames[s.Slug], s.Name)
		}
	}
	if len(meetings.StatusNames) != len(v.SessionStatuses) {
		t.Errorf("StatusNames has %d statuses, the vocabulary %d", len(meetings.StatusNames), len(v.SessionStatuses))
	}
	types := map[string]bool{}
	for _, n := range v.TimeslotTypes {
		types[n.Slug] = true
	}
	for _, typ := range meetings.TimeslotTypes {
		if !types[typ] {
			t.Errorf("timeslot type %q is not the Datatracker's", typ)
		}
	}
	if s, ok := meetings.ParseTimeRelation("one-day-seperation"); !ok || s != "one-day-separation" {
		t.Errorf("the Datatracker's old spelling: %q %v", s, ok)
	}
	if len(v.BusinessConstraints) != 9 || len(v.SessionPurposes) != 11 {
		t.Errorf("%d business constraints, %d purposes", len(v.BusinessConstraints), len(v.SessionPurposes))
	}
}

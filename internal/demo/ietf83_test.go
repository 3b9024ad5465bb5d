package demo

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"

	"hum/internal/corpustest"
)

var update = flag.Bool("update", false, "derive ietf83/groups83.json again from the corpus")

// TestIETF83FromCorpus holds the demo's copy of IETF 83 to the corpus:
// the meeting and constraint fixtures byte for byte, and groups83.json
// as the corpus's group list cut to the groups those fixtures name and
// their parents (the whole list is 435 KB).
func TestIETF83FromCorpus(t *testing.T) {
	for _, f := range []string{"meeting83.json", "constraint83.json"} {
		want := corpustest.ReadFile(t, "meetings/ietf83/"+f)
		got, err := ietf83Files.ReadFile("ietf83/" + f)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("ietf83/%s is not the corpus's meetings/ietf83/%s (%v)", f, f, err)
		}
	}
	derived := deriveGroups83(t)
	if *update {
		if err := os.WriteFile("ietf83/groups83.json", derived, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := ietf83Files.ReadFile("ietf83/groups83.json")
	if !bytes.Equal(got, derived) {
		t.Errorf("ietf83/groups83.json differs from what the corpus gives (go test -run TestIETF83FromCorpus -update ./internal/demo/ derives it again)")
	}
}

func deriveGroups83(t *testing.T) []byte {
	type object struct {
		PK     int64           `json:"pk"`
		Model  string          `json:"model"`
		Fields json.RawMessage `json:"fields"`
	}
	var fixtures, all []object
	for _, f := range []string{"meeting83.json", "constraint83.json"} {
		var objs []object
		if err := json.Unmarshal(corpustest.ReadFile(t, "meetings/ietf83/"+f), &objs); err != nil {
			t.Fatal(err)
		}
		fixtures = append(fixtures, objs...)
	}
	if err := json.Unmarshal(corpustest.ReadFile(t, "groups/workinggroups-2013.json"), &all); err != nil {
		t.Fatal(err)
	}
	named := map[int64]bool{}
	for _, o := range fixtures {
		var f struct{ Group, Source, Target *int64 }
		if err := json.Unmarshal(o.Fields, &f); err != nil {
			continue // other shapes name no group
		}
		for _, pk := range []*int64{f.Group, f.Source, f.Target} {
			if pk != nil && (o.Model == "meeting.session" || o.Model == "meeting.constraint") {
				named[*pk] = true
			}
		}
	}
	groups := map[int64]object{}
	parents := map[int64]int64{}
	for _, o := range all {
		if o.Model != "group.group" {
			continue
		}
		groups[o.PK] = o
		var f struct{ Parent *int64 }
		json.Unmarshal(o.Fields, &f)
		if f.Parent != nil {
			parents[o.PK] = *f.Parent
		}
	}
	var direct []int64
	for pk := range named {
		direct = append(direct, pk)
	}
	for _, pk := range direct {
		for depth := 0; depth < 10; depth++ { // the list has no cycles; this bounds a broken one
			parent, ok := parents[pk]
			if !ok {
				break
			}
			named[parent], pk = true, parent
		}
	}
	var pks []int64
	for pk := range named {
		if _, ok := groups[pk]; ok {
			pks = append(pks, pk)
		}
	}
	slices.Sort(pks)
	var out []object
	for _, pk := range pks {
		out = append(out, groups[pk])
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

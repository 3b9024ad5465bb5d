package opendata_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hum/internal/corpustest"
	"hum/internal/opendata"
)

var update = flag.Bool("update", false, "derive names.json again from the corpus")

// deriveNames keeps the name.* models of the Datatracker's names fixture,
// and doc.state, doc.statetype and doc.ballottype, sorted by model and
// primary key, one object per line.
func deriveNames(t *testing.T, raw []byte) []byte {
	t.Helper()
	var all []opendata.FixtureObject
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	var keep []opendata.FixtureObject
	for _, o := range all {
		switch {
		case strings.HasPrefix(o.Model, "name."), o.Model == "doc.state", o.Model == "doc.statetype", o.Model == "doc.ballottype":
			keep = append(keep, o)
		}
	}
	key := func(o opendata.FixtureObject) string {
		if n, ok := o.PK.(float64); ok {
			return o.Model + "\x00" + strings.Repeat("0", 12-len(fmtInt(n))) + fmtInt(n)
		}
		return o.Model + "\x00" + o.PK.(string)
	}
	sort.Slice(keep, func(i, j int) bool { return key(keep[i]) < key(keep[j]) })
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, o := range keep {
		line, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		if i < len(keep)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	return b.Bytes()
}

func fmtInt(n float64) string {
	b, _ := json.Marshal(int64(n))
	return string(b)
}

// TestNamesMatchCorpus derives names.json from the corpus and fails when
// the embedded file says something else.
func TestNamesMatchCorpus(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(corpustest.Root(t), "groups", "datatracker-names-2021.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := deriveNames(t, raw)
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
		t.Errorf("names.json differs from what the corpus gives (go test -run TestNamesMatchCorpus -update ./internal/opendata/ derives it again):\n%s",
			cmp.Diff(string(want), string(got)))
	}
}

package opendata

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// The name/* resources are the Datatracker's own vocabularies (group
// states and types, role names, document types, streams, ...), served
// from names.json: the name.* models of the Datatracker's names fixture
// in the corpus (../shared/corpus/groups/datatracker-names-2021.json),
// with doc.state, doc.statetype and doc.ballottype for the doc resources.
// TestNamesMatchCorpus derives it again and fails when the two differ
// (go test -run TestNamesMatchCorpus -update ./internal/opendata/).
// Production code never reads the corpus.
//
//go:embed names.json
var namesJSON []byte

// FixtureObject is one object of a Django fixture.
type FixtureObject struct {
	Model  string         `json:"model"`
	PK     any            `json:"pk"`
	Fields map[string]any `json:"fields"`
}

var fixture = sync.OnceValue(func() []FixtureObject {
	var all []FixtureObject
	if err := json.Unmarshal(namesJSON, &all); err != nil {
		panic(fmt.Sprintf("opendata: names.json: %v", err)) // embedded at build time; a test reads it
	}
	return all
})

// Fixture returns the objects of one model of names.json ("name.rolename",
// "doc.state"), in the file's order (by primary key).
func Fixture(model string) []FixtureObject {
	var out []FixtureObject
	for _, o := range fixture() {
		if o.Model == model {
			out = append(out, o)
		}
	}
	return out
}

// humNames are slugs hum uses that the 2021 fixture lacks, so that every
// URI hum gives resolves: hum keeps ex-officio members as a role of
// their own (the IETF Chair's seats, R42); and the RFC document type and
// the editorial stream, which the Datatracker added after 2021 (RFCs as
// documents of their own, RFC 9280's Editorial Stream).
var humNames = map[string][]FixtureObject{
	"name.doctypename": {{Model: "name.doctypename", PK: "rfc",
		Fields: map[string]any{"name": "RFC", "desc": "", "used": true, "order": float64(0), "prefix": "rfc"}}},
	"name.streamname": {{Model: "name.streamname", PK: "editorial",
		Fields: map[string]any{"name": "Editorial", "desc": "Editorial", "used": true, "order": float64(5)}}},
	"name.rolename": {{Model: "name.rolename", PK: "exofficio",
		Fields: map[string]any{"name": "Ex-officio Member", "desc": "", "used": true, "order": float64(0)}}},
}

// nameLinks are the fields of name models that point to another
// resource (the rest are plain values).
var nameLinks = map[string]string{
	"countryname.continent":                "name/continentname",
	"extresourcename.type":                 "name/extresourcetypename",
	"draftsubmissionstatename.next_states": "name/draftsubmissionstatename",
}

// nameFilters are filters the Datatracker's name/resources.py allows
// besides slug, name, desc, used and order, which every name allows.
var nameFilters = map[string]Filtering{
	"constraintname.penalty":               All,
	"docrelationshipname.revname":          All,
	"ballotpositionname.blocking":          All,
	"countryname.in_eu":                    All,
	"countryname.continent":                AllWithRelations,
	"draftsubmissionstatename.next_states": AllWithRelations,
}

// Names is the name/* resources, one per name model of names.json:
// slug (the key), name, desc, used and order, and the model's own
// fields; ordered by order and name as the Datatracker's NameModel is,
// with no order_by (its resources declare no ordering).
func Names() []Resource {
	byModel := map[string][]FixtureObject{}
	var models []string
	for _, o := range fixture() {
		if !strings.HasPrefix(o.Model, "name.") {
			continue
		}
		if byModel[o.Model] == nil {
			models = append(models, o.Model)
		}
		byModel[o.Model] = append(byModel[o.Model], o)
	}
	for m, extra := range humNames {
		byModel[m] = append(byModel[m], extra...)
	}
	var out []Resource
	for _, m := range models {
		out = append(out, nameResource(strings.TrimPrefix(m, "name."), byModel[m]))
	}
	return out
}

func nameResource(model string, objs []FixtureObject) Resource {
	r := Resource{App: "name", Model: model, Key: "slug", Order: []string{"order", "name"}}
	r.Fields = append(r.Fields, Field{Name: "slug", Type: String, Filter: All})
	extra := map[string]Type{}
	for _, o := range objs {
		for k, v := range o.Fields {
			switch v.(type) {
			case bool:
				extra[k] = Boolean
			case float64:
				extra[k] = Integer
			case []any:
				extra[k] = ToMany
			default:
				if _, ok := extra[k]; !ok {
					extra[k] = String
				}
			}
		}
	}
	var names []string
	for k := range extra {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		f := Field{Name: k, Type: extra[k], Filter: nameFilters[model+"."+k]}
		switch k {
		case "name", "desc", "used", "order":
			f.Filter = All
		}
		if to, ok := nameLinks[model+"."+k]; ok {
			f.To = to
			if f.Type != ToMany {
				f.Type = ToOne
			}
		} else if f.Type == ToMany {
			f.Type = String // a list kept as text, as Tastypie shows a JSON field
		}
		r.Fields = append(r.Fields, f)
	}
	for _, o := range objs {
		row := Row{"slug": o.PK}
		for _, f := range r.Fields[1:] {
			v := o.Fields[f.Name]
			switch x := v.(type) {
			case float64:
				v = int64(x)
			case []any:
				if f.Type == String {
					b, _ := json.Marshal(x)
					v = string(b)
				} else {
					v = x
				}
			case nil:
				if f.Type == ToMany {
					v = []any{}
				}
			}
			row[f.Name] = v
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

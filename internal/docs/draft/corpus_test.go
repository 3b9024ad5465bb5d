package draft

import (
	"bytes"
	"encoding/json"
	"hum/internal/corpustest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// corpusPath skips the test when the shared corpus is not checked out
// (fails it in CI); a file missing from a present corpus is a failure.
func corpusPath(t testing.TB, rel string) string {
	t.Helper()
	return corpustest.Path(t, rel)
}

func parseFile(t testing.TB, rel string, opt Options) (*Draft, error) {
	t.Helper()
	f, err := os.Open(corpusPath(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Parse(filepath.Base(rel), f, opt)
}

type metaFile struct {
	Entries []map[string]any `json:"entries"`
}

// TestCorpusMetadata checks every entry of metadata.json: each field the
// file records must come out of Parse exactly.
func TestCorpusMetadata(t *testing.T) {
	raw, err := os.ReadFile(corpusPath(t, "drafts/metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta metaFile
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	if len(meta.Entries) == 0 {
		t.Fatal("metadata.json has no entries")
	}
	for _, want := range meta.Entries {
		file := want["file"].(string)
		t.Run(file, func(t *testing.T) { checkEntry(t, file, want) })
	}
}

func checkEntry(t *testing.T, file string, want map[string]any) {
	switch want["format"] {
	case "template":
		// Placeholders such as %(name)s carry no metadata; the filled-in
		// templates are checked by TestDatatrackerTemplates.
		t.Skip("template with placeholders: covered by TestDatatrackerTemplates")
	case "kramdown-rfc markdown":
		// Markdown is not a submission format (the Datatracker accepts
		// .xml and .txt); Parse must say so clearly.
		_, err := parseFile(t, file, Options{})
		if ErrorCode(err) != CodeUnknownFormat {
			t.Fatalf("Parse(%s) error = %v, want code %s", file, err, CodeUnknownFormat)
		}
		return
	}
	d, err := parseFile(t, file, Options{})
	wellFormed := true
	if want["well_formed"] == false {
		// draft-beep-boop.xml has garbage after the XML declaration on
		// line 1; metadata.json records the values read after removing it.
		assertXMLSyntaxLine1(t, err)
		d, err = parseWithoutLine1Garbage(t, file)
		wellFormed = false
	}
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	got := metadataOf(t, d, want, wellFormed)
	if diff := cmp.Diff(normalise(t, pick(want)), normalise(t, got)); diff != "" {
		t.Errorf("metadata mismatch (-metadata.json +parsed):\n%s", diff)
	}
}

func assertXMLSyntaxLine1(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if p := Problems(err); len(p) == 1 {
		e = p[0]
	}
	if e == nil || e.Code != CodeXMLSyntax || e.Line != 1 {
		t.Fatalf("want an %s error on line 1, got %v", CodeXMLSyntax, err)
	}
}

func parseWithoutLine1Garbage(t *testing.T, file string) (*Draft, error) {
	data, err := os.ReadFile(corpusPath(t, file))
	if err != nil {
		t.Fatal(err)
	}
	decl := bytes.Index(data, []byte("?>")) + 2
	eol := bytes.IndexByte(data, '\n')
	fixed := append(append([]byte{}, data[:decl]...), data[eol:]...)
	return Parse(filepath.Base(file), bytes.NewReader(fixed), Options{})
}

// pick drops the keys that describe the entry rather than the document.
func pick(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		switch k {
		case "file", "format", "notes", "provenance":
			continue
		}
		out[k] = v
	}
	return out
}

// normalise round-trips through JSON so both sides have the same types.
func normalise(t *testing.T, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// metadataOf renders d in metadata.json's vocabulary, for exactly the keys
// the entry has; a key we cannot produce is a test failure, not a skip.
func metadataOf(t *testing.T, d *Draft, want map[string]any, wellFormed bool) map[string]any {
	got := map[string]any{}
	for k := range pick(want) {
		v, ok := field(d, k, wellFormed)
		if !ok {
			t.Errorf("metadata field %q has no counterpart in Draft", k)
			continue
		}
		got[k] = v
	}
	return got
}

func field(d *Draft, k string, wellFormed bool) (any, bool) {
	if v, ok := commonField(d, k); ok {
		return v, true
	}
	if d.Format == FormatText {
		return textField(d, k)
	}
	return xmlField(d, k, wellFormed)
}

func commonField(d *Draft, k string) (any, bool) {
	switch k {
	case "name":
		return orNil(d.Name), true
	case "rev":
		return orNil(d.Rev), true
	case "title":
		return d.Title, true
	case "abstract_first_sentence":
		return firstSentence(d.Abstract), true
	}
	return nil, false
}

func textField(d *Draft, k string) (any, bool) {
	switch k {
	case "doc_type":
		return d.DocType, true
	case "authors":
		var out []map[string]any
		for _, a := range d.Authors {
			name := a.Name
			if a.Role == "editor" {
				name += ", Ed."
			}
			out = append(out, map[string]any{"name": name, "organization": orNil(a.Organization)})
		}
		return out, true
	case "date_as_printed":
		return d.Raw.DateText, true
	case "date_iso":
		return d.Date.String(), true
	case "expires_as_printed":
		return orNil(d.Raw.ExpiresText), true
	case "intended_status_or_category":
		return d.Raw.StatusText, true
	case "group_label_as_printed":
		return d.Raw.GroupLabel, true
	case "pages":
		if d.Pages == 0 {
			return nil, true
		}
		return d.Pages, true
	case "form_feeds":
		return d.Raw.FormFeeds, true
	case "obsoletes_as_printed":
		return d.Raw.ObsoletesText, true
	case "rfc_number":
		return d.RFCNumber, true
	case "issn":
		return d.Raw.ISSN, true
	}
	return nil, false
}

func xmlField(d *Draft, k string, wellFormed bool) (any, bool) {
	if attr, ok := strings.CutSuffix(k, "_attr"); ok {
		if attr == "rfc_number" {
			attr = "number"
		}
		v, present := d.Raw.RootAttrs[attr]
		if !present {
			return nil, true
		}
		return v, true
	}
	switch k {
	case "authors":
		return xmlAuthors(d.Authors), true
	case "date_attrs":
		if d.Raw.Date == nil {
			return nil, true
		}
		return nonEmpty(map[string]string{"year": d.Raw.Date.Year, "month": d.Raw.Date.Month, "day": d.Raw.Date.Day}), true
	case "workgroup":
		return orEmpty(d.Workgroups), true
	case "area":
		return orEmpty(d.Areas), true
	case "seriesInfo":
		out := []map[string]string{}
		for _, s := range d.SeriesInfo {
			out = append(out, nonEmpty(map[string]string{"name": s.Name, "value": s.Value, "stream": s.Stream}))
		}
		return out, true
	case "pages":
		// An XML source has no pages, so metadata.json records null;
		// our estimate is checked by TestPageEstimate instead.
		return nil, true
	case "well_formed":
		return wellFormed, true
	}
	return nil, false
}

func xmlAuthors(as []Author) []map[string]string {
	var out []map[string]string
	for _, a := range as {
		out = append(out, nonEmpty(map[string]string{
			"fullname": a.Name, "asciiFullname": a.ASCIIName, "initials": a.Initials, "surname": a.Surname,
			"role": a.Role, "organization": a.Organization, "email": a.Email,
		}))
	}
	return out
}

func nonEmpty(m map[string]string) map[string]string {
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
	return m
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// firstSentence returns the abstract's first sentence: up to the first
// full stop followed by a space and a capital letter, or the paragraph end.
func firstSentence(abstract string) string {
	p, _, _ := strings.Cut(abstract, "\n\n")
	rs := []rune(p)
	for i := 0; i+2 < len(rs); i++ {
		if rs[i] == '.' && rs[i+1] == ' ' && unicode.IsUpper(rs[i+2]) {
			return string(rs[:i+1])
		}
	}
	return p
}

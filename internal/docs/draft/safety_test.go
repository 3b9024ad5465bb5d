package draft

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const minimal = `<rfc docName="draft-test-safety-00" category="info"><front><title>%s</title>
<author fullname="A Person"><address><email>a@example.org</email></address></author>
<abstract><t>Abstract.</t></abstract></front><middle/>%s</rfc>`

func parseString(name, s string, opt Options) (*Draft, error) {
	return Parse(name, strings.NewReader(s), opt)
}

// TestXXE: an external entity naming a local file must never be read.
func TestXXE(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("TOP-SECRET-SENTINEL"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, decl := range []string{
		`<!ENTITY x SYSTEM "file://` + secret + `">`,
		`<!ENTITY x PUBLIC "-//X//Y" "file://` + secret + `">`,
		`<!ENTITY x SYSTEM "file:///etc/passwd">`,
		`<!ENTITY % p SYSTEM "file://` + secret + `"> %p;`,
	} {
		doc := `<?xml version="1.0"?><!DOCTYPE rfc [` + decl + `]>` +
			fmt.Sprintf(minimal, "Title &x;", `<back><references><name>Normative References</name>&x;</references></back>`)
		if strings.Contains(decl, "%") {
			doc = strings.ReplaceAll(doc, "&x;", "")
		}
		d, err := parseString("draft-test-safety-00.xml", doc, Options{})
		if err != nil {
			t.Fatalf("%s: %v", decl, err)
		}
		dump := fmt.Sprintf("%+v", *d)
		if strings.Contains(dump, "SENTINEL") || strings.Contains(dump, "root:") {
			t.Errorf("%s: file content leaked into the draft: %s", decl, dump)
		}
		if d.Title != "Title" {
			t.Errorf("%s: title = %q, want the entity dropped", decl, d.Title)
		}
	}
}

// TestExternalEntityReferences: kramdown-rfc's bibxml entities become
// unresolved references, and a Resolver can resolve them.
func TestExternalEntityReferences(t *testing.T) {
	doc := `<!DOCTYPE rfc [
<!ENTITY RFC2119 SYSTEM "https://bib.ietf.org/public/rfc/bibxml/reference.RFC.2119.xml">
<!ENTITY I-D.ietf-foo-bar SYSTEM "https://bib.ietf.org/public/rfc/bibxml3/reference.I-D.ietf-foo-bar.xml">
]>` + fmt.Sprintf(minimal, "T", `<back><references title="Normative References">&RFC2119;</references>
<references title="Informative References">&I-D.ietf-foo-bar;</references></back>`)
	d, err := parseString("x.xml", doc, Options{Resolver: fakeResolver{"rfc2119": "Key words"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Reference{
		{Anchor: "RFC2119", Entity: "RFC2119", Doc: "rfc2119", Title: "Key words", Normative: true, URL: "https://bib.ietf.org/public/rfc/bibxml/reference.RFC.2119.xml"},
		{Anchor: "I-D.ietf-foo-bar", Entity: "I-D.ietf-foo-bar", Doc: "draft-ietf-foo-bar", Unresolved: true, URL: "https://bib.ietf.org/public/rfc/bibxml3/reference.I-D.ietf-foo-bar.xml"},
	}
	if diff := cmpDiff(want, d.References); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
}

type fakeResolver map[string]string

func (f fakeResolver) Resolve(doc string) (Resolved, bool) {
	t, ok := f[doc]
	return Resolved{Title: t}, ok
}

func TestBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE rfc [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := fmt.Sprintf("lol%d", i)
		fmt.Fprintf(&b, `<!ENTITY %s "%s">`, name, strings.Repeat("&"+prev+";", 10))
		prev = name
	}
	b.WriteString(`]>` + fmt.Sprintf(minimal, "&lol9;", ""))
	start := time.Now()
	_, err := parseString("laughs.xml", b.String(), Options{})
	if ErrorCode(err) != CodeXMLEntity {
		t.Fatalf("err = %v, want code %s", err, CodeXMLEntity)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("refusing took %v", el)
	}
}

// TestManySmallEntities: many references to an allowed entity must not
// amplify past the expansion budget.
func TestManySmallEntities(t *testing.T) {
	doc := `<!DOCTYPE rfc [<!ENTITY big "` + strings.Repeat("x", maxEntityValue) + `">]>` +
		fmt.Sprintf(minimal, strings.Repeat("&big;", maxExpansion/maxEntityValue+1), "")
	_, err := parseString("amplify.xml", doc, Options{})
	if ErrorCode(err) != CodeXMLEntity {
		t.Fatalf("err = %v, want code %s", err, CodeXMLEntity)
	}
}

func TestOversize(t *testing.T) {
	doc := fmt.Sprintf(minimal, "T", "") + strings.Repeat(" ", 2000)
	_, err := parseString("big.xml", doc, Options{MaxSize: 1000})
	if ErrorCode(err) != CodeTooLarge {
		t.Fatalf("err = %v, want code %s", err, CodeTooLarge)
	}
	if _, err := parseString("ok.xml", fmt.Sprintf(minimal, "T", ""), Options{MaxSize: 1000}); err != nil {
		t.Fatalf("small file: %v", err)
	}
}

func TestDepthLimit(t *testing.T) {
	deep := strings.Repeat("<t>", 100) + strings.Repeat("</t>", 100)
	_, err := parseString("deep.xml", fmt.Sprintf(minimal, "T", "<back>"+deep+"</back>"), Options{MaxDepth: 50})
	if ErrorCode(err) != CodeXMLTooDeep {
		t.Fatalf("err = %v, want code %s", err, CodeXMLTooDeep)
	}
}

func TestNotUTF8(t *testing.T) {
	latin1 := []byte("\n\n\nNetwork Working Group     J. M\xfcller\nInternet-Draft\n")
	for _, name := range []string{"draft-x-y-00.txt", "draft-x-y-00.xml"} {
		_, err := Parse(name, bytes.NewReader(latin1), Options{})
		ps := Problems(err)
		if len(ps) != 1 || ps[0].Code != CodeNotUTF8 || ps[0].Line != 4 {
			t.Errorf("%s: err = %v, want %s on line 4", name, err, CodeNotUTF8)
		}
	}
	_, err := parseString("x.xml", `<?xml version="1.0" encoding="ISO-8859-1"?>`+fmt.Sprintf(minimal, "T", ""), Options{})
	if ErrorCode(err) != CodeXMLSyntax {
		t.Errorf("ISO-8859-1 declaration: err = %v, want %s", err, CodeXMLSyntax)
	}
}

func TestXMLErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		code      Code
		line      int
	}{
		{"unclosed", "<rfc>\n<front>\n<title>x</front></rfc>", CodeXMLSyntax, 3},
		{"undefined entity", "<rfc>\n<front><title>&nope;</title></front></rfc>", CodeXMLSyntax, 2},
		{"wrong root", "<html></html>", CodeXMLNotRFC, 1},
		{"two roots", "<rfc/>\n<rfc/>", CodeXMLNotRFC, 2},
		{"empty", "", CodeXMLNotRFC, 1},
		{"text after root", "<rfc/>\nhello", CodeXMLSyntax, 1},
		{"not xml at all", "Network Working Group", CodeXMLSyntax, 1},
	} {
		_, err := parseString("draft-a-b-00.xml", tc.doc, Options{})
		ps := Problems(err)
		if len(ps) != 1 || ps[0].Code != tc.code || ps[0].Line != tc.line {
			t.Errorf("%s: err = %v, want %s on line %d", tc.name, err, tc.code, tc.line)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	_, err := parseString("draft-a-b-00.pdf", "%PDF", Options{})
	if ErrorCode(err) != CodeUnknownFormat {
		t.Errorf("err = %v, want %s", err, CodeUnknownFormat)
	}
}

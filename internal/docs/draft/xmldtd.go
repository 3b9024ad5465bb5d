package draft

import (
	"encoding/xml"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// How entities are handled. encoding/xml never reads a DTD or an external
// entity; it only substitutes names found in Decoder.Entity. We read the
// internal subset of <!DOCTYPE> ourselves:
//   - internal entities ("&#160;") are expanded here, with nesting and size
//     limits, so a billion-laughs document fails fast instead of eating RAM;
//   - external entities (SYSTEM/PUBLIC) are never fetched. They become a
//     marker that the reader turns into an unresolved Reference when it
//     appears inside <references>, and drops anywhere else (so an XXE
//     pointing at file:///etc/passwd yields nothing);
//   - parameter entities (<!ENTITY % ...>) are ignored: they only matter to
//     DTD validation, which we do not do.
const (
	maxEntityValue = 4 << 10  // bytes of one expanded internal entity
	maxExpansion   = 16 << 20 // bytes all entity references in a file may add
	markOpen       = '\uE000' // private-use runes: cannot clash with real text
	markClose      = '\uE001'
)

// extEntity is an external entity declared in the DOCTYPE.
type extEntity struct{ Name, URL string }

type entityTable struct {
	values   map[string]string // what the decoder substitutes
	external map[string]extEntity
}

func newEntityTable() *entityTable {
	t := &entityTable{values: make(map[string]string), external: make(map[string]extEntity)}
	// xml2rfc documents may use HTML entity names without declaring them
	// (the rfc2629-xhtml.ent DTD they name declares them).
	for k, v := range xml.HTMLEntity {
		t.values[k] = v
	}
	for k, v := range xml2rfcEntities {
		t.values[k] = v
	}
	return t
}

// xml2rfcEntities are the entities xml2rfc defines for every source
// (its rfc2629-other.ent, and v3's zwsp), which v2 sources use without
// declaring them.
var xml2rfcEntities = map[string]string{
	"excl": "!", "num": "#", "dollar": "$", "percnt": "%", "lpar": "(", "rpar": ")",
	"ast": "*", "plus": "+", "comma": ",", "hyphen": "-", "period": ".", "sol": "/",
	"colon": ":", "semi": ";", "equals": "=", "quest": "?", "commat": "@", "lsqb": "[",
	"bsol": "\\", "rsqb": "]", "circ": "^", "lowbar": "_", "grave": "`", "lcub": "{",
	"verbar": "|", "rcub": "}", "Zcaron": "\u017D", "zcaron": "\u017E", "dash": "\u2010",
	"nbhy": "\u2011", "wj": "\u2060", "zwsp": "\u200B",
}

// Entities returns what an RFCXML source may use without declaring it:
// the HTML names, xml2rfc's own, and &rfc.number; for this source. The
// renderer uses it so a page shows what the submission parser read.
func Entities(src []byte) map[string]string {
	t := newEntityTable()
	t.setRFCNumber(src)
	return t.values
}

var rfcNumberAttr = regexp.MustCompile(`<rfc\s[^>]*?\bnumber\s*=\s*["']\s*(\d+)\s*["']`)

// setRFCNumber defines &rfc.number; as xml2rfc does: the number attribute
// of <rfc>, or "XXXX" until the RFC Editor assigns one. The DOCTYPE comes
// before <rfc>, so the attribute is looked up in the raw source.
func (t *entityTable) setRFCNumber(data []byte) {
	t.values["rfc.number"] = "XXXX"
	if m := rfcNumberAttr.FindSubmatch(data); m != nil {
		t.values["rfc.number"] = string(m[1])
	}
}

var entityDecl = regexp.MustCompile(`<!ENTITY\s+(%\s+)?([^\s%"']+)\s+(?:(SYSTEM)\s+("[^"]*"|'[^']*')|(PUBLIC)\s+("[^"]*"|'[^']*')\s+("[^"]*"|'[^']*')|("[^"]*"|'[^']*'))\s*>`)

// addDoctype reads the entity declarations of a DOCTYPE directive.
func (t *entityTable) addDoctype(dir string) error {
	for _, m := range entityDecl.FindAllStringSubmatch(dir, -1) {
		if m[1] != "" {
			continue // parameter entity
		}
		name := m[2]
		switch {
		case m[3] != "":
			t.addExternal(name, unquote(m[4]))
		case m[5] != "":
			t.addExternal(name, unquote(m[7]))
		default:
			v, err := t.expand(unquote(m[8]))
			if err != nil {
				return fmt.Errorf("entity %q: %w", name, err)
			}
			t.values[name] = v
		}
	}
	return nil
}

func (t *entityTable) addExternal(name, url string) {
	t.external[name] = extEntity{Name: name, URL: url}
	t.values[name] = string(markOpen) + name + string(markClose)
}

func unquote(s string) string { return s[1 : len(s)-1] }

// expand resolves character and entity references inside an entity value.
// Values declared earlier are stored expanded, so one pass suffices and
// the size limit bounds any nesting (billion laughs).
func (t *entityTable) expand(v string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(v, '&')
		if i < 0 {
			b.WriteString(v)
			break
		}
		b.WriteString(v[:i])
		j := strings.IndexByte(v[i:], ';')
		if j < 0 {
			return "", fmt.Errorf("unterminated reference in entity value")
		}
		ref := v[i+1 : i+j]
		v = v[i+j+1:]
		s, err := t.ref(ref)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
		if b.Len() > maxEntityValue {
			return "", fmt.Errorf("entity expands to more than %d bytes", maxEntityValue)
		}
	}
	return b.String(), nil
}

func (t *entityTable) ref(ref string) (string, error) {
	if strings.HasPrefix(ref, "#") {
		return charRef(ref[1:])
	}
	switch ref {
	case "lt":
		return "<", nil
	case "gt":
		return ">", nil
	case "amp":
		return "&", nil
	case "apos":
		return "'", nil
	case "quot":
		return `"`, nil
	}
	s, ok := t.values[ref]
	if !ok {
		return "", fmt.Errorf("undefined entity &%s;", ref)
	}
	return s, nil
}

func charRef(s string) (string, error) {
	var n uint64
	var err error
	if strings.HasPrefix(s, "x") {
		n, err = strconv.ParseUint(s[1:], 16, 32)
	} else {
		n, err = strconv.ParseUint(s, 10, 32)
	}
	if err != nil || n == 0 || n > 0x10FFFF {
		return "", fmt.Errorf("bad character reference &#%s;", s)
	}
	return string(rune(n)), nil
}

// expansionSize is how many bytes substituting every entity reference in
// data would add. Counting over the raw bytes overcounts references inside
// comments and CDATA, which only makes the limit stricter.
func (t *entityTable) expansionSize(data []byte) int {
	total := 0
	for i := 0; i < len(data); i++ {
		if data[i] != '&' {
			continue
		}
		end := i + 1
		for end < len(data) && end-i < 256 && data[end] != ';' && data[end] != '&' && data[end] != '<' {
			end++
		}
		if end < len(data) && data[end] == ';' {
			total += len(t.values[string(data[i+1:end])])
		}
	}
	return total
}

// takeMarkers removes external-entity markers from s, returning the clean
// text and the names of the entities that were referenced.
func takeMarkers(s string) (string, []string) {
	if !strings.ContainsRune(s, markOpen) {
		return s, nil
	}
	var b strings.Builder
	var names []string
	for {
		i := strings.IndexRune(s, markOpen)
		if i < 0 {
			b.WriteString(s)
			return b.String(), names
		}
		b.WriteString(s[:i])
		s = s[i+len(string(markOpen)):]
		j := strings.IndexRune(s, markClose)
		if j < 0 {
			return b.String(), names
		}
		names = append(names, s[:j])
		s = s[j+len(string(markClose)):]
	}
}

var bibxmlFile = regexp.MustCompile(`^reference\.(.+)\.xml$`)

// refFromURL describes an external reference from its bibxml address, e.g.
// ".../bibxml/reference.RFC.2119.xml" is anchor RFC2119, doc rfc2119.
func refFromURL(name, url string) Reference {
	r := Reference{Anchor: name, Entity: name, URL: url, Unresolved: true}
	if m := bibxmlFile.FindStringSubmatch(path.Base(url)); m != nil {
		key := m[1]
		if n, ok := strings.CutPrefix(key, "RFC."); ok && isDigits(n) {
			key = "RFC" + n
		}
		r.Anchor = key
	}
	r.Doc = docFromAnchor(r.Anchor)
	return r
}

// docFromAnchor maps the usual bibxml anchors to document names.
func docFromAnchor(a string) string {
	if n, ok := strings.CutPrefix(strings.ToUpper(a), "RFC"); ok && isDigits(n) {
		return "rfc" + strings.TrimLeft(n, "0")
	}
	if n, ok := strings.CutPrefix(a, "I-D."); ok {
		name, _ := splitNameRev(n)
		if !strings.HasPrefix(name, "draft-") {
			name = "draft-" + name
		}
		return name
	}
	return ""
}

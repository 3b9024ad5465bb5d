package draft

import (
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// Format says which kind of source a Draft was read from.
type Format string

const (
	FormatXML  Format = "xml"
	FormatText Format = "txt"
)

// Draft is what a submission says about itself. Normalised values sit at
// the top; Raw keeps values exactly as found, for display and so tests can
// compare against the file itself.
type Draft struct {
	Format     Format
	XMLVersion string // "3" or "2" as declared, or as guessed from the vocabulary
	DocType    string // "Internet-Draft" or "RFC" (plain-text RFCs only)
	Name       string // e.g. "draft-ietf-idr-rt-derived-community" (or "rfc7911")
	Rev        string // e.g. "00"; "" when the document gives none
	RFCNumber  string // set for RFC sources, e.g. "7911"
	Title      string
	Authors    []Author
	Date       Date   // document date; see Options.Today for missing parts
	Expires    Date   // plain text only: the printed expiry
	Abstract   string // paragraphs separated by "\n\n", whitespace collapsed
	Category   string // intended status: std, bcp, info, exp, historic ("" unknown)
	Stream     string // ietf, irtf, iab, independent, editorial ("" unknown)
	Group      Group  // deduced from Name
	Workgroups []string
	Areas      []string
	SeriesInfo []SeriesInfo // front-matter seriesInfo only
	Obsoletes  []int
	Updates    []int
	// Pages is the page count: exact for paginated text (last "[Page N]"
	// footer), an estimate for XML (see estimatePages), 0 when unknown.
	Pages          int
	PagesEstimated bool
	References     []Reference
	Raw            Raw
}

// Raw holds values as they appear in the file.
type Raw struct {
	RootAttrs     map[string]string // XML: attributes of <rfc>
	Date          *DateAttrs        // XML: <date> attributes; nil when there is no <date>
	DateText      string            // txt: date as printed
	ExpiresText   string            // txt: "Expires:" as printed
	StatusText    string            // txt: "Intended status:" or "Category:" as printed
	GroupLabel    string            // txt: top-left header label, e.g. "Network Working Group"
	ObsoletesText string            // txt: "Obsoletes:" as printed
	UpdatesText   string            // txt: "Updates:" as printed
	ISSN          string            // txt: RFCs only
	FormFeeds     int               // txt: number of form feeds
}

// DateAttrs are the attributes of an XML <date> element.
type DateAttrs struct{ Year, Month, Day string }

// Author is one front-page author.
type Author struct {
	Name         string // fullname (XML) or name as printed without ", Ed." (txt)
	ASCIIName    string // asciiFullname, for names in non-Latin scripts
	Initials     string
	Surname      string
	Role         string // "editor" or ""
	Organization string
	Email        string
}

// SeriesInfo is a front-matter <seriesInfo>.
type SeriesInfo struct{ Name, Value, Stream string }

// Reference is one entry of a References section.
type Reference struct {
	Anchor    string // citation tag, e.g. "RFC2119"
	Doc       string // "rfc2119" or a draft name without revision; "" if neither
	Title     string
	Normative bool
	// Entity is the name of the external entity the source includes the
	// reference by ("RFC2119" for &RFC2119;); "" for written-out ones.
	Entity string `json:",omitempty"`
	// Authors, Date and Series come from the Resolver, for external
	// references.
	Authors []string `json:",omitempty"`
	Date    string   `json:",omitempty"`
	Series  []string `json:",omitempty"` // e.g. "BCP 14"
	// Unresolved is set when the source only points at the reference (an
	// external entity or xi:include) and nothing in hum has resolved it yet.
	Unresolved bool
	URL        string // the external entity's SYSTEM id or the xi:include href
}

// Resolver finds a referenced document in hum's own records. It must not
// fetch anything from the network.
type Resolver interface {
	// Resolve describes doc ("rfc2119", "draft-foo-bar").
	Resolve(doc string) (Resolved, bool)
}

// Resolved is what a Resolver knows of a referenced document.
type Resolved struct {
	Title   string
	Authors []string // names, front-page order
	Date    string   // ISO, maybe only year-month
	Series  []string // the sub-series an RFC belongs to, e.g. "BCP 14"
}

// Options bound and steer parsing. The zero value is usable.
type Options struct {
	MaxSize  int64    // bytes; default DefaultMaxSize
	MaxDepth int      // XML element depth; default DefaultMaxDepth
	Today    Date     // fills a missing XML date; zero means leave it missing
	Resolver Resolver // resolves external references; nil leaves them unresolved
}

// Limits. 8 MiB is well above the largest real drafts (the Datatracker
// allows about 6 MB for XML) and keeps a hostile upload cheap.
const (
	DefaultMaxSize  = 8 << 20
	DefaultMaxDepth = 64
)

func (o Options) withDefaults() Options {
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	return o
}

// Parse reads one submitted file. filename picks the format by its
// extension (.xml or .txt) and names the file in errors; the content is
// read from r up to opt.MaxSize bytes. Parse only extracts: it returns an
// error when the file cannot be read at all; rule violations are reported
// by Validate.
func Parse(filename string, r io.Reader, opt Options) (*Draft, error) {
	const op = "draft.Parse"
	opt = opt.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, opt.MaxSize+1))
	if err != nil {
		return nil, &Error{Code: CodeInternal, Op: op, Arg: filename, Msg: "could not read the upload", Err: err}
	}
	if int64(len(data)) > opt.MaxSize {
		return nil, problem(CodeTooLarge, op, filename, "the file is larger than the %d-byte limit", opt.MaxSize)
	}
	if !utf8.Valid(data) {
		return nil, &Error{Code: CodeNotUTF8, Op: op, Arg: filename, Line: badUTF8Line(data),
			Msg: "the file is not valid UTF-8; save it as UTF-8 and upload again"}
	}
	var d *Draft
	switch strings.ToLower(path.Ext(filename)) {
	case ".xml":
		d, err = parseXML(data, opt)
	case ".txt":
		d, err = parseText(data)
	default:
		return nil, problem(CodeUnknownFormat, op, filename, "upload an .xml (RFCXML) or .txt file")
	}
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Op, e.Arg = op, filename
		}
		return nil, err
	}
	d.Group = GroupOf(d.Name)
	if opt.Resolver != nil {
		ResolveReferences(d.References, opt.Resolver)
	}
	return d, nil
}

// ResolveReferences fills, in place, the unresolved references that name
// a document r knows, and returns how many that name a document are
// still unresolved: those may resolve later, when hum's records grow.
func ResolveReferences(refs []Reference, r Resolver) (pending []string) {
	for i := range refs {
		if refs[i].Doc == "" || !refs[i].Unresolved {
			continue
		}
		if x, ok := r.Resolve(refs[i].Doc); ok && x.Title != "" {
			refs[i].Title, refs[i].Authors, refs[i].Date, refs[i].Series, refs[i].Unresolved = x.Title, x.Authors, x.Date, x.Series, false
			continue
		}
		pending = append(pending, refs[i].Doc)
	}
	return pending
}

func badUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if data[0] == '\n' {
			line++
		}
		data = data[n:]
	}
	return line
}

// splitNameRev splits "draft-foo-bar-07" into name and revision; a name
// without a trailing two-digit revision comes back whole with rev "".
func splitNameRev(s string) (name, rev string) {
	s = strings.TrimSpace(s)
	i := strings.LastIndexByte(s, '-')
	if i > 0 && len(s)-i-1 == 2 && isDigits(s[i+1:]) {
		return s[:i], s[i+1:]
	}
	return s, ""
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// collapse joins runs of XML white space into single spaces.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}), " ")
}

package ipr

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hum/internal/docs"
	"hum/internal/fail"
)

// Fields are what a person files: the Datatracker's disclosure forms,
// the fields of the kind chosen.
type Fields struct {
	Kind                                                     string
	HolderLegalName                                          string
	HolderContactName, HolderContactEmail, HolderContactInfo string
	IETFerName, IETFerContactEmail, IETFerContactInfo        string
	Patent                                                   Patent
	HasPatentPending                                         bool
	Licensing, LicensingComments                             string
	SubmitterClaimsAllTermsDisclosed                         bool
	IsBlanketDisclosure                                      bool
	Statement, Notes, OtherDesignations                      string
	Compliant                                                bool
	SubmitterName, SubmitterEmail                            string
	Docs                                                     []DocInput
	// Updates are the posted disclosures this one updates.
	Updates []int64
}

// DocInput names a document a disclosure covers: a draft's name (with
// or without a revision) or an RFC ("rfc8179", "RFC 8179"), the draft's
// revisions covered ("00-02", "01, 03") and the sections.
type DocInput struct{ Name, Revisions, Sections string }

// Field lengths, in characters (the Datatracker's).
const (
	maxShort = 255
	maxLong  = 4096
)

// doc is a named document hum holds, checked.
type doc struct {
	docs.Document
	Revisions, Sections string
}

// clean trims and checks f for its kind, and finds the documents it
// names; nothing is written.
func (s *Service) clean(ctx context.Context, f Fields) (Fields, []doc, error) {
	for _, p := range []*string{&f.Kind, &f.HolderLegalName, &f.HolderContactName, &f.HolderContactEmail, &f.HolderContactInfo,
		&f.IETFerName, &f.IETFerContactEmail, &f.IETFerContactInfo, &f.Patent.Number, &f.Patent.Inventor, &f.Patent.Title,
		&f.Patent.Date, &f.Patent.Notes, &f.Licensing, &f.LicensingComments, &f.Statement, &f.Notes, &f.OtherDesignations,
		&f.SubmitterName, &f.SubmitterEmail} {
		*p = strings.TrimSpace(*p)
	}
	if _, ok := KindNames[f.Kind]; !ok {
		return f, nil, fail.Field("kind", "%q is not a kind of IPR disclosure; it is specific, generic or third-party.", f.Kind)
	}
	for _, c := range []struct {
		field, label, v string
		max             int
	}{
		{"holder_legal_name", "patent holder's legal name", f.HolderLegalName, maxShort},
		{"holder_contact_name", "holder's contact name", f.HolderContactName, maxShort},
		{"holder_contact_info", "holder's contact information", f.HolderContactInfo, maxShort},
		{"ietfer_name", "name of the participant", f.IETFerName, maxShort},
		{"ietfer_contact_info", "participant's contact information", f.IETFerContactInfo, maxShort},
		{"patent_number", "patent number", f.Patent.Number, 127},
		{"patent_inventor", "inventor", f.Patent.Inventor, 63},
		{"patent_title", "title of the invention", f.Patent.Title, maxShort},
		{"patent_notes", "patent notes", f.Patent.Notes, maxLong},
		{"licensing_comments", "licensing comments", f.LicensingComments, maxLong},
		{"statement", "statement", f.Statement, maxLong},
		{"notes", "additional notes", f.Notes, maxLong},
		{"other_designations", "other contributions", f.OtherDesignations, maxShort},
		{"submitter_name", "submitter's name", f.SubmitterName, maxShort},
	} {
		if err := text(c.field, c.label, c.v, c.max); err != nil {
			return f, nil, err
		}
	}
	if f.HolderLegalName == "" {
		return f, nil, fail.Field("holder_legal_name", "Give the legal name of the patent holder.")
	}
	if err := s.cleanKind(&f); err != nil {
		return f, nil, err
	}
	if err := checkPatent(f); err != nil {
		return f, nil, err
	}
	if err := email("submitter_email", "submitter's address", f.SubmitterEmail, true); err != nil {
		return f, nil, err
	}
	if f.SubmitterName == "" {
		return f, nil, fail.Field("submitter_name", "Give the submitter's name.")
	}
	ds, err := s.documents(ctx, f)
	if err != nil {
		return f, nil, err
	}
	if f.Kind != Generic && len(ds) == 0 && f.OtherDesignations == "" {
		return f, nil, &fail.Error{Kind: fail.Invalid, Rule: "R11", Field: "docs",
			Message: "Name the contribution the IPR covers: a document hum holds, or others under \"other contributions\". A disclosure is of IPR covering a contribution."}
	}
	slices.Sort(f.Updates)
	f.Updates = slices.Compact(f.Updates)
	return f, ds, nil
}

// cleanKind checks what each kind needs and clears what it does not
// have, as the Datatracker's three forms do.
func (s *Service) cleanKind(f *Fields) error {
	switch f.Kind {
	case Specific:
		f.IETFerName, f.IETFerContactEmail, f.IETFerContactInfo, f.Statement = "", "", "", ""
		if err := holderContact(f); err != nil {
			return err
		}
		if LicenseDesc(f.Licensing) == f.Licensing || f.Licensing == "none-selected" {
			return fail.Field("licensing", "Choose the licensing declaration, a) to f).")
		}
		if f.IsBlanketDisclosure && f.Licensing != "royalty-free" {
			return fail.Field("licensing", "A blanket disclosure (RFC 8179 §5.4.3) commits to a royalty-free licence: choose %q.", LicenseDesc("royalty-free"))
		}
	case ThirdParty:
		f.HolderContactName, f.HolderContactEmail, f.HolderContactInfo, f.Statement = "", "", "", ""
		f.Licensing, f.LicensingComments, f.SubmitterClaimsAllTermsDisclosed, f.IsBlanketDisclosure = "", "", false, false
		if f.IETFerName == "" {
			return fail.Field("ietfer_name", "Give the name of the participant whose personal belief triggers this disclosure.")
		}
		if err := email("ietfer_contact_email", "participant's address", f.IETFerContactEmail, true); err != nil {
			return err
		}
	case Generic:
		f.IETFerName, f.IETFerContactEmail, f.IETFerContactInfo = "", "", ""
		f.Licensing, f.LicensingComments, f.SubmitterClaimsAllTermsDisclosed, f.IsBlanketDisclosure = "", "", false, false
		if len(f.Docs) > 0 || f.OtherDesignations != "" {
			return fail.Field("docs", "A general disclosure names no documents; file a specific disclosure for IPR about a document.")
		}
		if err := holderContact(f); err != nil {
			return err
		}
		if f.Statement == "" {
			return fail.Field("statement", "Write the licensing statement: a general disclosure is one.")
		}
	}
	return nil
}

func holderContact(f *Fields) error {
	if f.HolderContactName == "" {
		return fail.Field("holder_contact_name", "Give the name of the patent holder's contact for licence requests.")
	}
	return email("holder_contact_email", "holder's contact address", f.HolderContactEmail, true)
}

// patentNumber is one publication or application number: a country code
// and a serial, or a PCT application (the Datatracker's examples:
// US62/123456, WO2017123456, EP12001234.9, PCT/IB2012/050001).
var patentNumber = regexp.MustCompile(`^(PCT/[A-Z]{2}\d{2}(\d{2})?/\d{5,6}|[A-Z]{2,3} ?[0-9][0-9./-]{3,18}[A-Z]?[0-9]?)$`)

// checkPatent: a specific or third-party disclosure gives the patent
// (number, inventor, title, date), unless it is a blanket one; a generic
// one gives all of it or none.
func checkPatent(f Fields) error {
	p := f.Patent
	if f.Kind == Generic {
		given := p.Number != "" || p.Inventor != "" || p.Title != "" || p.Date != ""
		if given && (p.Number == "" || p.Inventor == "" || p.Title == "" || p.Date == "") {
			return fail.Field("patent_number", "A general disclosure has no patent information, or all of it: number, inventor, title and date.")
		}
	} else if !f.IsBlanketDisclosure {
		for _, c := range []struct{ field, v, what string }{
			{"patent_number", p.Number, "the patent or application number"}, {"patent_inventor", p.Inventor, "the inventor"},
			{"patent_title", p.Title, "the title of the invention"}, {"patent_date", p.Date, "the date granted or applied for"},
		} {
			if c.v == "" {
				return fail.Field(c.field, "Give %s.", c.what)
			}
		}
	}
	numbers := 0
	for n := range strings.SplitSeq(p.Number, ",") {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		if !patentNumber.MatchString(n) {
			return fail.Field("patent_number", "%q is not a patent number: give the two-letter country code and the serial number, e.g. US62/123456 or WO2017123456, several separated by commas.", n)
		}
		numbers++
	}
	if p.Number != "" && numbers == 0 {
		return fail.Field("patent_number", "Give the patent or application number.")
	}
	if p.Date != "" {
		if _, err := time.Parse(time.DateOnly, p.Date); err != nil {
			return fail.Field("patent_date", "Write the date as YYYY-MM-DD, not %q.", p.Date)
		}
	}
	return nil
}

// documents finds the documents f names, each once, with the revisions
// covered checked against the draft's.
func (s *Service) documents(ctx context.Context, f Fields) ([]doc, error) {
	var out []doc
	for _, in := range f.Docs {
		name, rev := docName(in.Name)
		revs := strings.TrimSpace(in.Revisions)
		if name == "" {
			if revs != "" || strings.TrimSpace(in.Sections) != "" {
				return nil, fail.Field("docs", "Give the name of the document whose revisions or sections you list.")
			}
			continue
		}
		if revs == "" {
			revs = rev
		}
		d, err := s.Docs.Get(ctx, name)
		if fail.KindOf(err) == fail.NotFound {
			return nil, fail.Field("docs", "hum holds no document %q; name a draft or RFC it holds, or list the contribution under \"other contributions\".", in.Name)
		} else if err != nil {
			return nil, err
		}
		for _, o := range out {
			if o.ID == d.ID {
				return nil, fail.Field("docs", "%s is named twice.", d.Name)
			}
		}
		if err := text("docs", "sections", in.Sections, maxShort); err != nil {
			return nil, err
		}
		x := doc{Document: d, Sections: strings.TrimSpace(in.Sections)}
		if d.Type == "draft" {
			if x.Revisions, err = s.revisions(ctx, d, revs); err != nil {
				return nil, err
			}
		}
		out = append(out, x)
	}
	return out, nil
}

// docName reads "draft-foo-03" as draft-foo and revision 03, and "RFC
// 8179" or "rfc8179.txt" as rfc8179.
func docName(s string) (name, rev string) {
	s = strings.ToLower(strings.TrimSpace(s))
	if rest, ok := strings.CutPrefix(s, "rfc"); ok {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), ".txt"))
		if err == nil && n > 0 {
			return docs.RFCName(n), ""
		}
	}
	name = docs.BaseName(s)
	if name != s && strings.HasPrefix(s, "draft-") {
		rev = s[len(name)+1:]
	}
	return name, rev
}

var revRange = regexp.MustCompile(`^([0-9]{2})(?:\s*-\s*([0-9]{2}))?$`)

// revisions checks a list of revisions and ranges ("00-02, 04") against
// the draft's, and writes it back in one form.
func (s *Service) revisions(ctx context.Context, d docs.Document, list string) (string, error) {
	if list == "" {
		return "", fail.Field("docs", "Say which revisions of %s the disclosure covers (e.g. %s, or 00-%s).", d.Name, d.Rev, d.Rev)
	}
	rs, err := s.Docs.Revisions(ctx, d.ID)
	if err != nil {
		return "", err
	}
	have := map[string]bool{}
	for _, r := range rs {
		have[r.Rev] = true
	}
	var parts []string
	for p := range strings.FieldsFuncSeq(list, func(r rune) bool { return r == ',' || r == ';' }) {
		m := revRange.FindStringSubmatch(strings.TrimSpace(p))
		if m == nil {
			return "", fail.Field("docs", "%q is not a revision or a range of revisions of %s (write 00, or 00-02).", strings.TrimSpace(p), d.Name)
		}
		for _, r := range m[1:] {
			if r != "" && !have[r] {
				return "", fail.Field("docs", "%s has no revision %s; its latest is %s.", d.Name, r, d.Rev)
			}
		}
		if m[2] != "" && m[2] < m[1] {
			return "", fail.Field("docs", "The range %s-%s of %s runs backwards.", m[1], m[2], d.Name)
		}
		if m[2] != "" && m[2] != m[1] {
			parts = append(parts, m[1]+"-"+m[2])
		} else {
			parts = append(parts, m[1])
		}
	}
	if len(parts) == 0 {
		return "", fail.Field("docs", "Say which revisions of %s the disclosure covers.", d.Name)
	}
	return strings.Join(parts, ", "), nil
}

// text refuses a value that is too long or not text.
func text(field, label, v string, max int) error {
	if !utf8.ValidString(v) {
		return fail.Field(field, "The %s is not valid UTF-8 text.", label)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return fail.Field(field, "The %s is %d characters long; at most %d are kept.", label, n, max)
	}
	for _, r := range v {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return fail.Field(field, "The %s holds a control character (U+%04X).", label, r)
		}
	}
	return nil
}

// email checks a bare address.
func email(field, label, v string, required bool) error {
	if v == "" {
		if required {
			return fail.Field(field, "Give the %s.", label)
		}
		return nil
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || len(v) > maxShort || !strings.Contains(v[strings.LastIndexByte(v, '@')+1:], ".") {
		return fail.Field(field, "%q is not a mail address (write it as name@example.org).", v)
	}
	return nil
}

// title is the Datatracker's title for a disclosure.
func title(f Fields, ds []doc) string {
	var t string
	switch f.Kind {
	case Specific:
		t = genitive(f.HolderLegalName) + " Statement about IPR related to " + summary(f, ds)
	case Generic:
		t = genitive(f.HolderLegalName) + " General License Statement"
	case ThirdParty:
		t = genitive(f.IETFerName) + " Statement about IPR related to " + summary(f, ds) + " belonging to " + f.HolderLegalName
	}
	if utf8.RuneCountInString(t) > maxShort {
		t = string([]rune(t)[:maxShort-3]) + "..."
	}
	return t
}

func genitive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

// summary names the documents and other contributions: "a", "a and b",
// "a, b, and c".
func summary(f Fields, ds []doc) string {
	var names []string
	for _, d := range ds {
		if d.IsRFC() {
			names = append(names, fmt.Sprintf("RFC %d", d.RFCNumber))
		} else {
			names = append(names, d.Name)
		}
	}
	if f.OtherDesignations != "" {
		names = append(names, f.OtherDesignations)
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + ", and " + names[len(names)-1]
}

// Package implementations is running code: reports of implementations of
// an Internet-Draft (who implemented which revision, how much of it, how
// mature, under which licence), the interoperability tests between two
// implementations of the same draft, the matrix they make, and the
// draft's "Implementation Status" section generated in RFC 7942's format,
// as text and as RFCXML, to be pasted just before Security Considerations
// and removed before publication (R10).
//
// Anyone logged in may add a report. Its author (the account that added
// it), the draft's authors and the secretariat may change or remove it
// and record its tests. Every change is an event on the draft's record
// (subject_type "doc"), with who and why.
//
// It owns the tables of migration 0021 and has no HTTP inside.
package implementations

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"hum/internal/db"
	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
)

// Service is the implementation reports capability.
type Service struct {
	DB   *db.DB
	Docs *docs.Service // the drafts, their revisions and their authors
}

// Report is one implementation of a draft.
type Report struct {
	ID           int64
	DocID        int64
	Doc          string // the draft's name
	Rev          string // the revision implemented
	Name         string
	Organization string
	URL          string // http or https, or ""
	Description  string
	Coverage     string
	Maturity     string // a Maturities slug, or ""
	Licence      string
	Contact      string
	Date         string // YYYY-MM-DD: when the information was true
	AuthorID     int64
	Author       string // the name of the account that added it
	Created      time.Time
	Updated      time.Time
	// Tests are the interoperability tests recorded on this report,
	// oldest first. A test between two implementations shows on the
	// report it was recorded on; Matrix reads both directions.
	Tests []Test
}

// Fields are what a person writes in a report.
type Fields struct {
	Rev, Name, Organization, URL, Description, Coverage, Maturity, Licence, Contact, Date string
}

// Maturity is a level of maturity: a slug and its display name.
type Maturity struct{ Slug, Name string }

// Maturities are RFC 7942 §4's levels of maturity, in order.
var Maturities = []Maturity{
	{"research", "Research"},
	{"prototype", "Prototype"},
	{"alpha", "Alpha"},
	{"beta", "Beta"},
	{"production", "Production"},
	{"widely-used", "Widely used"},
}

// MaturityName is the display name of a maturity slug.
func MaturityName(slug string) string {
	for _, m := range Maturities {
		if m.Slug == slug {
			return m.Name
		}
	}
	return slug
}

// Field lengths, in characters.
const (
	maxShort = 200  // names, organisation, licence, contact, URL
	maxLong  = 5000 // description, coverage, notes
)

// draft loads a draft and checks that rev is one of its revisions: a
// report is about a revision that exists.
func (s *Service) draft(ctx context.Context, name, rev string) (docs.Document, error) {
	d, err := s.Docs.Get(ctx, name)
	if fail.KindOf(err) == fail.NotFound {
		return d, fail.New(fail.NotFound, "There is no draft %q: an implementation report is about a draft hum holds.", name)
	} else if err != nil {
		return d, err
	}
	if d.Type != "draft" {
		return d, fail.New(fail.Invalid, "%s is an RFC; implementation reports are kept on the Internet-Draft it came from (RFC 7942).", strings.ToUpper(d.Name))
	}
	if rev == "" {
		return d, fail.Field("rev", "Say which revision of %s is implemented.", d.Name)
	}
	revs, err := s.Docs.Revisions(ctx, d.ID)
	if err != nil {
		return d, err
	}
	var have []string
	for _, r := range revs {
		if r.Rev == rev {
			return d, nil
		}
		have = append(have, r.Rev)
	}
	return d, fail.Field("rev", "%s has no revision %q; its revisions are %s.", d.Name, rev, strings.Join(have, ", "))
}

// clean trims the fields and checks them, with today as the date when
// none is given.
func clean(f Fields, today time.Time) (Fields, error) {
	for _, p := range []*string{&f.Rev, &f.Name, &f.Organization, &f.URL, &f.Description, &f.Coverage, &f.Maturity, &f.Licence, &f.Contact, &f.Date} {
		*p = strings.TrimSpace(*p)
	}
	if f.Name == "" {
		return f, fail.Field("name", "Give the implementation's name.")
	}
	for _, c := range []struct {
		field, v string
		max      int
	}{
		{"name", f.Name, maxShort}, {"organization", f.Organization, maxShort}, {"url", f.URL, maxShort},
		{"licence", f.Licence, maxShort}, {"contact", f.Contact, maxShort},
		{"description", f.Description, maxLong}, {"coverage", f.Coverage, maxLong},
	} {
		if err := text(c.field, c.v, c.max); err != nil {
			return f, err
		}
	}
	if err := checkURL(f.URL); err != nil {
		return f, err
	}
	if f.Maturity != "" && MaturityName(f.Maturity) == f.Maturity {
		var names []string
		for _, m := range Maturities {
			names = append(names, m.Slug)
		}
		return f, fail.Field("maturity", "%q is not a level of maturity; choose one of %s (RFC 7942 §4).", f.Maturity, strings.Join(names, ", "))
	}
	var err error
	if f.Date, err = date("date", f.Date, today); err != nil {
		return f, err
	}
	return f, nil
}

// text refuses a value that is too long or not text.
func text(field, v string, max int) error {
	if !utf8.ValidString(v) {
		return fail.Field(field, "The %s is not valid UTF-8 text.", field)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return fail.Field(field, "The %s is %d characters long; at most %d are kept.", field, n, max)
	}
	for _, r := range v {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return fail.Field(field, "The %s holds a control character (U+%04X).", field, r)
		}
	}
	return nil
}

// checkURL takes an absolute http or https URL, or nothing: the URL is
// shown as a link on public pages, so a javascript: or data: URL must
// never get in.
func checkURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(v, " \t\r\n\"'<>\\") {
		return fail.Field("url", "The URL must be an http:// or https:// address, not %q.", v)
	}
	return nil
}

// date reads a YYYY-MM-DD date; empty is today.
func date(field, v string, today time.Time) (string, error) {
	if v == "" {
		return today.UTC().Format(time.DateOnly), nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return "", fail.Field(field, "Write the date as YYYY-MM-DD, not %q.", v)
	}
	if t.After(today.UTC().AddDate(0, 0, 1)) {
		return "", fail.Field(field, "%s is in the future.", v)
	}
	return v, nil
}

// mayChange: the report's author, the draft's authors, the secretariat.
func mayChange(d docs.Document, r Report, by groups.Actor) bool {
	if by.Secretariat() {
		return true
	}
	if by.ID == 0 {
		return false
	}
	if r.AuthorID == by.ID {
		return true
	}
	for _, a := range d.Authors {
		if a.PersonID != 0 && a.PersonID == by.ID {
			return true
		}
	}
	return false
}

// MayChange reports whether by may change or remove r and record its
// tests, for the pages to decide which forms to show.
func (s *Service) MayChange(ctx context.Context, r Report, by groups.Actor) (bool, error) {
	if by.ID == 0 && !by.Secretariat() {
		return false, nil
	}
	d, err := s.Docs.Get(ctx, r.Doc)
	if err != nil {
		return false, err
	}
	return mayChange(d, r, by), nil
}

func loggedIn(by groups.Actor) error {
	if by.ID == 0 && !by.Secretariat() {
		return fail.New(fail.Unauthorized, "Log in to report an implementation.")
	}
	return nil
}

func forbidden(r Report) error {
	return fail.New(fail.Forbidden, "Only the person who reported %q, the authors of %s and the secretariat may change it.", r.Name, r.Doc)
}

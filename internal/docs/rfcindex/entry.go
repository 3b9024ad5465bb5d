package rfcindex

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Entry is one RFC number in the index.
type Entry struct {
	Number      int
	NotIssued   bool // the number was assigned but never published
	Title       string
	Authors     []string // as printed, e.g. "P. Hoffman, Ed."
	Year        int
	Month       time.Month
	Day         int      // only for the few entries that print one (1 April RFCs)
	Formats     []string // e.g. TXT, HTML, PDF, XML
	Pages       int      // 0: this index no longer prints page counts
	Obsoletes   []int
	ObsoletedBy []int
	Updates     []int
	UpdatedBy   []int
	Also        []Series // STD/BCP/FYI numbers
	Status      string   // e.g. "PROPOSED STANDARD", "UNKNOWN"
	Stream      string   // "" unless the index prints "(Stream: ...)"
	DOI         string
}

// Series is a sub-series number such as STD 102 or BCP 14.
type Series struct {
	Name   string // "STD", "BCP", "FYI"
	Number int
}

func (s Series) String() string { return s.Name + strconv.Itoa(s.Number) }

var (
	// trailer matches one "(Key: value)" group, cut from the entry's end.
	trailer  = regexp.MustCompile(`^\((Format|Obsoletes|Obsoleted by|Updates|Updated by|Also|Status|Stream|DOI)[: ]\s*([^()]*)\)$`)
	dateTail = regexp.MustCompile(`(?:^|\s)(?:(\d{1,2}) )?([A-Z][a-z]+) (\d{4})\.$`)
	// authorStart finds the end of the title: ". " followed by initials.
	authorStart = regexp.MustCompile(`\.\s+\p{Lu}[\p{Ll}]?\.(?:-?\p{Lu}[\p{Ll}]?\.)*\s?\S`)
	docRef      = regexp.MustCompile(`([A-Z]+)\s?0*(\d+)`)
	pagesRe     = regexp.MustCompile(`(\d+) pages?`)
)

// parseEntry reads the text of one entry with lines already joined.
func parseEntry(text string) (Entry, bool) {
	var e Entry
	num, rest, ok := strings.Cut(text, " ")
	if e.Number, _ = strconv.Atoi(num); !ok || e.Number <= 0 {
		return e, false
	}
	rest = e.trailers(strings.TrimSpace(rest))
	if rest == "Not Issued." {
		e.NotIssued = true
		return e, true
	}
	// Match only the last few characters: an end-anchored regexp over
	// the whole entry would retry from every position.
	off := max(0, len(rest)-len(" 30 September 2026."))
	m := dateTail.FindStringSubmatchIndex(rest[off:])
	if m == nil {
		return e, false
	}
	for i := range m {
		if m[i] >= 0 {
			m[i] += off
		}
	}
	if m[2] >= 0 {
		e.Day, _ = strconv.Atoi(rest[m[2]:m[3]])
	}
	e.Month = parseMonth(rest[m[4]:m[5]])
	e.Year, _ = strconv.Atoi(rest[m[6]:m[7]])
	if e.Month == 0 {
		return e, false
	}
	e.Title, e.Authors = splitTitle(rest[:m[0]])
	return e, e.Title != ""
}

// trailers strips the "(Key: value)" groups from the end of s into e.
// Values never contain parentheses, so the last "(" starts the last group;
// cutting by hand keeps this linear (an end-anchored regexp is not).
func (e *Entry) trailers(s string) string {
	for strings.HasSuffix(s, ")") {
		i := strings.LastIndexByte(s, '(')
		if i < 0 {
			break
		}
		m := trailer.FindStringSubmatch(s[i:])
		if m == nil {
			break
		}
		e.field(m[1], strings.TrimSpace(m[2]))
		s = strings.TrimSpace(s[:i])
	}
	return s
}

func (e *Entry) field(key, val string) {
	switch key {
	case "Format":
		for _, f := range strings.Split(val, ",") {
			if f = strings.TrimSpace(f); f != "" {
				e.Formats = append(e.Formats, f)
			}
		}
		if m := pagesRe.FindStringSubmatch(val); m != nil {
			e.Pages, _ = strconv.Atoi(m[1])
		}
	case "Obsoletes":
		e.Obsoletes = rfcs(val)
	case "Obsoleted by":
		e.ObsoletedBy = rfcs(val)
	case "Updates":
		e.Updates = rfcs(val)
	case "Updated by":
		e.UpdatedBy = rfcs(val)
	case "Also":
		for _, m := range docRef.FindAllStringSubmatch(val, -1) {
			n, _ := strconv.Atoi(m[2])
			e.Also = append(e.Also, Series{m[1], n})
		}
	case "Status":
		e.Status = val
	case "Stream":
		e.Stream = val
	case "DOI":
		e.DOI = val
	}
}

// rfcs reads "RFC0822, RFC1123" as numbers; trailers are read from the end,
// so the caller keeps the order the index prints.
func rfcs(val string) []int {
	var out []int
	for _, m := range docRef.FindAllStringSubmatch(val, -1) {
		if m[1] == "RFC" {
			n, _ := strconv.Atoi(m[2])
			out = append(out, n)
		}
	}
	return out
}

// splitTitle separates "Title. A. Author, B. Author, Ed." at the first
// ". " that is followed by initials. Entries whose authors are bodies
// ("IAB", "Internet Architecture Board") have no initials: there the last
// ". " splits.
func splitTitle(s string) (string, []string) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	i := -1
	if loc := authorStart.FindStringIndex(s); loc != nil {
		i = loc[0]
	} else {
		i = strings.LastIndex(s, ". ")
	}
	if i < 0 {
		return s, nil
	}
	return s[:i], splitAuthors(strings.TrimSpace(s[i+1:]))
}

func splitAuthors(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ", ") {
		a = strings.TrimSpace(a)
		if (a == "Ed." || a == "Eds.") && len(out) > 0 {
			out[len(out)-1] += ", " + a
			continue
		}
		if a != "" {
			out = append(out, a)
		}
	}
	return out
}

func parseMonth(s string) time.Month {
	for m := time.January; m <= time.December; m++ {
		if m.String() == s {
			return m
		}
	}
	return 0
}

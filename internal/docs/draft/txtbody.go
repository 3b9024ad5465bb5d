package draft

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

var (
	pageFooter = regexp.MustCompile(`\[Page (\d+)\]\s*$`)
	lastFooter = regexp.MustCompile(`(?m)\[Page (\d+)\]\s*$`)
)

// stripPagination removes page footers and the running header that
// follows each form feed, so sections read as continuous text.
func stripPagination(lines []string) []string {
	out := make([]string, 0, len(lines))
	afterFF := false
	for _, l := range lines {
		if strings.Contains(l, "\f") {
			l = strings.ReplaceAll(l, "\f", "")
			afterFF = true
		}
		if pageFooter.MatchString(l) {
			afterFF = true // drafts without form feeds still have running headers
			continue
		}
		if afterFF && strings.TrimSpace(l) != "" {
			afterFF = false
			continue // running header, e.g. "Internet-Draft   Title   March 2023"
		}
		out = append(out, l)
	}
	return out
}

// countPages reads the number in the last "[Page N]" footer; without
// footers it counts form-feed separated pages; 0 means unpaginated.
func countPages(text string) int {
	if m := lastFooter.FindAllStringSubmatch(text, -1); m != nil {
		n, _ := strconv.Atoi(m[len(m)-1][1])
		return n
	}
	ff := strings.Count(text, "\f")
	if ff == 0 {
		return 0
	}
	if strings.TrimSpace(text[strings.LastIndex(text, "\f")+1:]) != "" {
		ff++
	}
	return ff
}

// isHeading reports whether a line is a section heading: text that starts
// in column 0 (body text is indented by three spaces).
func isHeading(l string) bool {
	return l != "" && !unicode.IsSpace(rune(l[0]))
}

// section returns the lines after the first heading matching re, up to the
// next heading that does not match cont (cont may be nil).
func section(lines []string, re, cont *regexp.Regexp) []string {
	for i, l := range lines {
		if !isHeading(l) || !re.MatchString(strings.TrimSpace(l)) {
			continue
		}
		j := i + 1
		for ; j < len(lines); j++ {
			if isHeading(lines[j]) && (cont == nil || !cont.MatchString(strings.TrimSpace(lines[j]))) {
				break
			}
		}
		return lines[i+1 : j]
	}
	return nil
}

var abstractHeading = regexp.MustCompile(`^Abstract$`)

func readAbstract(lines []string) string {
	var paras []string
	for _, p := range paragraphs(section(lines, abstractHeading, nil)) {
		paras = append(paras, joinLines(p))
	}
	return strings.Join(paras, "\n\n")
}

// paragraphs splits lines at blank lines.
func paragraphs(lines []string) [][]string {
	var out [][]string
	var cur []string
	// Clip: lines is often a window on the whole text, and appending the
	// closing blank line must not overwrite the heading that follows.
	for _, l := range append(lines[:len(lines):len(lines)], "") {
		if strings.TrimSpace(l) == "" {
			if cur != nil {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, strings.TrimSpace(l))
	}
	return out
}

// joinLines undoes line wrapping. xml2rfc breaks lines after the hyphen
// of a compound word ("XML-" / "based"), so a line ending in a hyphen
// after a letter joins the next without a space.
func joinLines(p []string) string {
	var b strings.Builder
	for i, l := range p {
		if i > 0 {
			prev := p[i-1]
			if !(len(prev) >= 2 && prev[len(prev)-1] == '-' && isLetter(prev[len(prev)-2])) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return collapse(b.String())
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

var (
	addressHeading = regexp.MustCompile(`(?i)^(\d+\.\s+)?(Authors?'?s?'? Address(es)?|Contributors' Addresses)$`)
	emailLine      = regexp.MustCompile(`(?i)^\s*e-?mail:\s*(\S+@\S+)`)
)

// readAddresses fills author emails from "Authors' Addresses": an entry
// starts at a line holding an author's surname, and its "Email:" line
// belongs to that author.
func readAddresses(authors []Author, lines []string) {
	cur := -1
	for _, l := range section(lines, addressHeading, nil) {
		for i, a := range authors {
			if a.Email == "" && a.Surname != "" && strings.Contains(l, a.Surname) {
				cur = i
				break
			}
		}
		if m := emailLine.FindStringSubmatch(l); m != nil && cur >= 0 && authors[cur].Email == "" {
			authors[cur].Email = strings.TrimRight(m[1], ".,;>")
		}
	}
}

var (
	// refsHeading matches the headings drafts give reference sections:
	// "References", "7.1.  Normative References", "Informational
	// References", "Non-normative References", "Other References".
	refsHeading   = regexp.MustCompile(`(?i)^(\d+(\.\d+)*\.?\s+)?((normative|informative|informational|non-normative|other|additional)\s+)?references$`)
	normativeWord = regexp.MustCompile(`(?i)(^|[^-\w])normative\b`)
	// refStart is an entry's "[anchor]": xml2rfc indents it three
	// columns, older tools a tab (eight columns once expanded).
	refStart   = regexp.MustCompile(`^\s{1,8}\[([^\]\s]+)\]`)
	draftInRef = regexp.MustCompile(`draft-[a-z0-9-]*[a-z0-9]`)
	rfcInRef   = regexp.MustCompile(`,\s*RFC\s?(\d{1,5})\s*,`)
)

// readReferences lists entries of the References sections; an entry
// starts with "[anchor]" and runs to the next one, so page breaks inside an
// entry do not matter.
func readReferences(lines []string) []Reference {
	var refs []Reference
	in, normative := false, false
	var cur *Reference
	var text []string
	flush := func() {
		if cur != nil {
			cur.Doc = refDoc(cur.Anchor, joinLines(text))
			refs = append(refs, *cur)
		}
		cur, text = nil, nil
	}
	for _, l := range lines {
		if isHeading(l) {
			flush()
			in = refsHeading.MatchString(strings.TrimSpace(l))
			normative = normativeWord.MatchString(l)
			continue
		}
		if !in {
			continue
		}
		if m := refStart.FindStringSubmatch(l); m != nil {
			flush()
			cur = &Reference{Anchor: m[1], Normative: normative}
			l = l[len(m[0]):]
		}
		if cur != nil && strings.TrimSpace(l) != "" {
			text = append(text, strings.TrimSpace(l))
		}
	}
	flush()
	return refs
}

func refDoc(anchor, text string) string {
	if d := docFromAnchor(anchor); d != "" {
		return d
	}
	if m := draftInRef.FindString(text); m != "" {
		name, _ := splitNameRev(m)
		return name
	}
	if m := rfcInRef.FindStringSubmatch(text); m != nil {
		return "rfc" + strings.TrimLeft(m[1], "0")
	}
	return ""
}

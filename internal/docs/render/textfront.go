package render

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// docDate is the document's date; day is 0 when it gives none.
type docDate struct {
	y   int
	m   time.Month
	day int
}

func (d docDate) String() string {
	if d.day == 0 {
		return d.m.String() + " " + strconv.Itoa(d.y)
	}
	return strconv.Itoa(d.day) + " " + d.m.String() + " " + strconv.Itoa(d.y)
}

// expires is the date an Internet-Draft expires: 185 days after its date.
func (d docDate) expires() docDate {
	day := max(d.day, 1)
	t := time.Date(d.y, d.m, day, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 185)
	return docDate{t.Year(), t.Month(), t.Day()}
}

// monthOf reads a month as a name, an abbreviation or a number.
func monthOf(s string) time.Month {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 12 {
		return time.Month(n)
	}
	for m := time.January; m <= time.December; m++ {
		if len(s) >= 3 && strings.HasPrefix(strings.ToLower(m.String()), strings.ToLower(s)) {
			return m
		}
	}
	return 0
}

// docDate reads <front><date>, completing it from TextOptions.Date as
// xml2rfc completes it from the day it runs.
func (d *textDoc) docDate() docDate {
	now := d.opt.Date
	today := docDate{now.Year(), now.Month(), now.Day()}
	f := d.rfc.child("front")
	if f == nil || f.child("date") == nil {
		return today
	}
	dt := f.child("date")
	y, err := strconv.Atoi(strings.TrimSpace(dt.attr("year")))
	if err != nil || y < 1 || y > 9999 {
		return today
	}
	m := monthOf(dt.attr("month"))
	day, _ := strconv.Atoi(strings.TrimSpace(dt.attr("day")))
	if m == 0 {
		if y != today.y {
			return docDate{y, time.January, 0}
		}
		return today
	}
	if day < 1 || day > 31 {
		day = 0
		if y == today.y && m == today.m {
			day = today.day
		}
	}
	return docDate{y, m, day}
}

var categoryNames = map[string]string{
	"std": "Standards Track", "bcp": "Best Current Practice", "info": "Informational",
	"exp": "Experimental", "historic": "Historic",
}

// front renders the first page: the header columns, the title, and the
// front matter (abstract, notes, boilerplate, contents).
func (d *textDoc) front() []tline {
	f := d.rfc.child("front")
	if f == nil {
		f = &node{name: "front"}
	}
	right := d.headerRight(f)
	left := d.headerLeft(f)
	var out []tline
	for range 4 {
		out = append(out, tline{})
	}
	blk := d.nextBlock()
	for i := 0; i < max(len(left), len(right)); i++ {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out = append(out, tline{s: l + strings.Repeat(" ", max(0, 72-runes(l)-runes(r))) + r, blk: blk})
	}
	out = append(out, tline{}, tline{})
	title := ""
	if t := f.child("title"); t != nil {
		title = t.text()
	}
	for _, l := range fill(title, wrapOpts{width: 72}) {
		out = append(out, tline{s: pyCenter(l, 72), blk: blk})
	}
	if dn := strings.TrimSpace(d.rfc.attr("docName")); dn != "" {
		out = append(out, tline{s: pyCenter(dn, 72), blk: blk})
	}
	for _, c := range elems(f) {
		switch c.name {
		case "abstract":
			out = append(out, tline{})
			out = append(out, d.frontSection("Abstract", c)...)
		case "note":
			name := sectionTitle(c)
			if name == "" {
				name = "Note"
			}
			out = append(out, tline{})
			out = append(out, d.frontSection(name, c)...)
		}
	}
	out = append(out, tline{})
	out = append(out, d.boilerplate()...)
	if d.tocInclude() {
		out = append(out, tline{})
		out = append(out, d.tocLines()...)
	}
	return out
}

// frontSection renders an unnumbered titled part of the front matter.
func (d *textDoc) frontSection(title string, n *node) []tline {
	out := []tline{{s: title, blk: d.nextBlock(), sec: true}, {}}
	return append(out, d.joinBlocks(n, 72, 3, true)...)
}

func (d *textDoc) headerRight(f *node) []string {
	var right []string
	prevOrg, hadPrev := "", false
	for _, a := range d.authors() {
		name := shortName(a)
		org := ""
		if o := a.child("organization"); o != nil {
			if o.attr("showOnFrontPage") != "false" {
				org = o.attr("abbrev")
				if org == "" {
					org = o.text()
				}
			}
		}
		if name == "" && org != "" {
			name, org = org, ""
		}
		if a.attr("role") == "editor" && name != "" {
			name += ", Ed."
		}
		switch {
		case len(right) > 0 && name != "" && org != "" && org == prevOrg:
			right[len(right)-1] = name
			right = append(right, org)
		default:
			if name != "" {
				right = append(right, name)
			}
			right = append(right, org) // an author with no organisation leaves a blank line
		}
		prevOrg, hadPrev = org, true
	}
	if hadPrev && prevOrg == "" && len(right) > 0 {
		right = right[:len(right)-1]
	}
	return append(right, d.date.String())
}

func (d *textDoc) headerLeft(f *node) []string {
	var left []string
	for _, c := range elems(f) {
		if c.name == "workgroup" {
			if t := c.text(); t != "" {
				left = append(left, t)
			}
		}
	}
	if len(left) == 0 {
		left = append(left, "Network Working Group")
	}
	left = append(left, "Internet-Draft")
	for _, rel := range []string{"obsoletes", "updates"} {
		if v := normList(d.rfc.attr(rel)); v != "" {
			label := strings.ToUpper(rel[:1]) + rel[1:] + ": "
			lines := fill(label+v+" (if approved)", wrapOpts{width: 48, rest: strings.Repeat(" ", len(label)), noSentence: true})
			left = append(left, lines...)
		}
	}
	if c, ok := categoryNames[d.rfc.attr("category")]; ok {
		left = append(left, "Intended status: "+c)
	}
	if d.rfc.attr("ipr") != "none" {
		left = append(left, "Expires: "+d.date.expires().String())
	}
	return left
}

func normList(s string) string {
	var parts []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// shortName is an author as the first page and references show them:
// initials and surname ("J. Haas"), with the ASCII form after a name in
// another script.
func shortName(a *node) string {
	sur := strings.TrimSpace(a.attr("surname"))
	ini := initials(a.attr("initials"))
	name := strings.TrimSpace(ini + " " + sur)
	if sur == "" {
		name = strings.TrimSpace(a.attr("fullname"))
	}
	if name != "" && !latin(name) {
		asc := strings.TrimSpace(initials(a.attr("asciiInitials")) + " " + a.attr("asciiSurname"))
		if strings.TrimSpace(a.attr("asciiSurname")) == "" {
			asc = strings.TrimSpace(a.attr("asciiFullname"))
		}
		if asc != "" {
			name += " (" + asc + ")"
		}
	}
	return name
}

// initials gives every initial its full stop, as xml2rfc does.
func initials(s string) string {
	s = strings.TrimSpace(s)
	if strings.Trim(s, ". ") == "" {
		return ""
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if r == ' ' && i > 0 && rs[i-1] != '.' {
			b.WriteRune('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// latin reports whether every letter of s is in the Latin script.
func latin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// surname is the part of an author's name the footer shows.
func surname(a *node) string {
	s := strings.TrimSpace(a.attr("asciiSurname"))
	if s == "" {
		s = strings.TrimSpace(a.attr("surname"))
	}
	if s == "" {
		if f := strings.Fields(a.attr("asciiFullname") + " " + a.attr("fullname")); len(f) > 0 {
			s = f[len(f)-1]
		}
	}
	return s
}

// pyCenter centres s in width as Python's str.center does (the extra
// space goes left when both the margin and the width are odd).
func pyCenter(s string, width int) string {
	n := runes(s)
	if n >= width {
		return s
	}
	marg := width - n
	left := marg/2 + (marg & width & 1)
	return strings.Repeat(" ", left) + s
}

// boilerplate is "Status of This Memo" and "Copyright Notice" as xml2rfc
// v3 writes them for an IETF Internet-Draft under trust200902.
func (d *textDoc) boilerplate() []tline {
	scheme := "https"
	if d.date.y < 2017 || d.date.y == 2017 && d.date.m < time.August {
		scheme = "http" // the IETF Trust's and the Datatracker's addresses before https
	}
	exp := d.date.expires().String()
	status := []string{
		"This Internet-Draft is submitted in full conformance with the provisions of BCP 78 and BCP 79.",
		"Internet-Drafts are working documents of the Internet Engineering Task Force (IETF). Note that other groups may also distribute working documents as Internet-Drafts. The list of current Internet-Drafts is at " + scheme + "://datatracker.ietf.org/drafts/current/.",
		"Internet-Drafts are draft documents valid for a maximum of six months and may be updated, replaced, or obsoleted by other documents at any time. It is inappropriate to use Internet-Drafts as reference material or to cite them other than as \"work in progress.\"",
		"This Internet-Draft will expire on " + exp + ".",
	}
	year := strconv.Itoa(d.date.y)
	copyright := []string{
		"Copyright (c) " + year + " IETF Trust and the persons identified as the document authors. All rights reserved.",
		"This document is subject to BCP 78 and the IETF Trust's Legal Provisions Relating to IETF Documents (" + scheme + "://trustee.ietf.org/license-info) in effect on the date of publication of this document. Please review these documents carefully, as they describe your rights and restrictions with respect to this document. Code Components extracted from this document must include Revised BSD License text as described in Section 4.e of the Trust Legal Provisions and are provided without warranty as described in the Revised BSD License.",
	}
	if d.date.y < 2009 || d.date.y == 2009 && (d.date.m < time.September || d.date.m == time.September && d.date.day < 12) {
		// The Trust Legal Provisions 2.0, before Code Components.
		copyright[1] = "This document is subject to BCP 78 and the IETF Trust's Legal Provisions Relating to IETF Documents in effect on the date of publication of this document (" + scheme + "://trustee.ietf.org/license-info). Please review these documents carefully, as they describe your rights and restrictions with respect to this document."
	}
	if d.rfc.attr("ipr") == "pre5378Trust200902" {
		copyright = append(copyright, "This document may contain material from IETF Documents or IETF Contributions published or made publicly available before November 10, 2008. The person(s) controlling the copyright in some of this material may not have granted the IETF Trust the right to allow modifications of such material outside the IETF Standards Process. Without obtaining an adequate license from the person(s) controlling the copyright in such materials, this document may not be modified outside the IETF Standards Process, and derivative works of it may not be created outside the IETF Standards Process, except to format it for publication as an RFC or to translate it into languages other than English.")
	}
	var out []tline
	para := func(title string, ps []string) {
		out = append(out, tline{s: title, blk: d.nextBlock(), sec: true})
		for _, p := range ps {
			out = append(out, tline{})
			blk := d.nextBlock()
			for _, l := range fill(p, wrapOpts{width: 69}) {
				out = append(out, tline{s: "   " + l, blk: blk})
			}
		}
	}
	para("Status of This Memo", status)
	out = append(out, tline{})
	para("Copyright Notice", copyright)
	return out
}

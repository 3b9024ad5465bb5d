package render

import (
	"fmt"
	"strconv"
	"strings"

	"hum/internal/docs/draft"
)

// extRefText writes a reference the source only points at (an external
// entity or an include) from what hum's records resolved it to; one hum
// holds no record of shows what its name says.
func extRefText(r draft.Reference) string {
	var parts []string
	if !r.Unresolved {
		var names []string
		for i, a := range r.Authors {
			names = append(names, refName(a, i == len(r.Authors)-1 && len(r.Authors) > 1))
		}
		if a := joinAuthors(names); a != "" {
			parts = append(parts, a)
		}
		if r.Title != "" {
			parts = append(parts, `"`+r.Title+`"`)
		}
	}
	url := ""
	switch doc := r.Doc; {
	case strings.HasPrefix(doc, "rfc"):
		n, err := strconv.Atoi(doc[3:])
		if err == nil {
			if !r.Unresolved {
				for _, s := range r.Series {
					parts = append(parts, strings.ReplaceAll(s, " ", string(nbsp)))
				}
			}
			parts = append(parts, "RFC"+string(nbsp)+strconv.Itoa(n), fmt.Sprintf("DOI%c10.17487/%cRFC%04d", nbsp, keepMark, n))
			url = "https://www.rfc-editor.org/info/rfc" + strconv.Itoa(n)
		}
	case strings.HasPrefix(doc, "draft-"):
		parts = append(parts, "Work in Progress", "Internet-Draft, "+doc)
		url = "https://datatracker.ietf.org/doc/html/" + doc
	default:
		if strings.HasPrefix(r.URL, "https://") || strings.HasPrefix(r.URL, "http://") {
			url = r.URL
		}
	}
	if !r.Unresolved && r.Date != "" {
		parts = append(parts, isoMonthYear(r.Date))
	}
	if url != "" {
		parts = append(parts, "<"+url+">")
	}
	if len(parts) == 0 {
		parts = append(parts, r.Anchor)
	}
	return strings.Join(parts, ", ") + "."
}

// refName turns "S. Sangli" or "Srihari Sangli" into "Sangli, S." (or
// "S. Sangli" for the last of several authors).
func refName(full string, last bool) string {
	full = strings.TrimSpace(full)
	ed := ""
	if strings.HasSuffix(full, ", Ed.") {
		full, ed = strings.TrimSuffix(full, ", Ed."), ", Ed."
	}
	f := strings.Fields(full)
	if len(f) < 2 {
		return full + ed
	}
	sur := f[len(f)-1]
	var ini []string
	for _, w := range f[:len(f)-1] {
		if strings.HasSuffix(w, ".") {
			ini = append(ini, w)
		} else {
			r := []rune(w)
			ini = append(ini, string(r[0])+".")
		}
	}
	if last {
		return strings.Join(ini, " ") + " " + sur + ed
	}
	return sur + ", " + strings.Join(ini, " ") + ed
}

// isoMonthYear writes "2006-02" or "2006-02-01" as "February 2006".
func isoMonthYear(s string) string {
	p := strings.Split(s, "-")
	if len(p) >= 2 {
		if m, err := strconv.Atoi(p[1]); err == nil && m >= 1 && m <= 12 {
			return monthOf(p[1]).String() + " " + p[0]
		}
	}
	return s
}

var countryNames = map[string]string{
	"US": "United States of America", "USA": "United States of America", "UK": "United Kingdom",
	"GB": "United Kingdom", "CA": "Canada", "DE": "Germany", "FR": "France", "NL": "Netherlands",
	"SE": "Sweden", "FI": "Finland", "NO": "Norway", "DK": "Denmark", "CH": "Switzerland", "AT": "Austria",
	"BE": "Belgium", "ES": "Spain", "IT": "Italy", "IE": "Ireland", "JP": "Japan", "CN": "China",
	"KR": "Republic of Korea", "IN": "India", "AU": "Australia", "NZ": "New Zealand", "BR": "Brazil",
	"IL": "Israel", "CZ": "Czechia", "PL": "Poland", "PT": "Portugal", "SG": "Singapore", "TW": "Taiwan",
}

// postal writes a postal address: its lines as given, or street, city
// line and country, the city line as the country writes it.
func (d *textDoc) postal(p *node, ascii bool) []string {
	val := func(c *node) string {
		if ascii && c.attr("ascii") != "" {
			return strings.TrimSpace(c.attr("ascii"))
		}
		return c.text()
	}
	var out []string
	var city, region, code, country string
	for _, c := range elems(p) {
		v := val(c)
		if v == "" {
			continue
		}
		switch c.name {
		case "postalLine", "street":
			out = append(out, v)
		case "city":
			city = v
		case "region":
			region = v
		case "code":
			code = v
		case "country":
			country = v
		}
	}
	cc := strings.ToUpper(country)
	if name, ok := countryNames[cc]; ok {
		country = name
	}
	line := ""
	switch cc {
	case "US", "USA", "UNITED STATES", "UNITED STATES OF AMERICA":
		line = strings.TrimSpace(strings.Trim(city+", "+region, ", ") + " " + code)
	case "UK", "GB", "UNITED KINGDOM":
		out = appendNonEmpty(out, city, region, code)
	default:
		out = appendNonEmpty(out, strings.TrimSpace(code+" "+city), region)
	}
	out = appendNonEmpty(out, line)
	out = appendNonEmpty(out, country)
	return out
}

func appendNonEmpty(out []string, ss ...string) []string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// contactLines is one author in Authors' Addresses.
func (d *textDoc) contactLines(a *node, ascii bool) []string {
	name := strings.TrimSpace(a.attr("fullname"))
	if ascii && a.attr("asciiFullname") != "" {
		name = strings.TrimSpace(a.attr("asciiFullname"))
	}
	if name == "" && a.attr("surname") != "" {
		name = strings.TrimSpace(initials(a.attr("initials")) + " " + a.attr("surname"))
	}
	org := ""
	if o := a.child("organization"); o != nil {
		org = o.text()
		if ascii && o.attr("ascii") != "" {
			org = strings.TrimSpace(o.attr("ascii"))
		}
	}
	var out []string
	if name != "" {
		if a.attr("role") == "editor" {
			name += " (editor)"
		}
		out = append(out, name)
		out = appendNonEmpty(out, org)
	} else {
		out = appendNonEmpty(out, org)
	}
	addr := a.child("address")
	if addr == nil {
		return out
	}
	if p := addr.child("postal"); p != nil {
		out = append(out, d.postal(p, ascii)...)
	}
	prev := ""
	for _, c := range elems(addr) {
		v := c.text()
		if v == "" {
			continue
		}
		switch c.name {
		case "phone":
			out = append(out, "Phone: "+v)
		case "facsimile":
			out = append(out, "Fax: "+v)
		case "email":
			if prev == "email" {
				out[len(out)-1] += ", " + v // a second address on the first's line
			} else {
				out = append(out, "Email: "+v)
			}
		case "uri":
			out = append(out, "URI:"+string(nbsp)+string(nbsp)+" "+v)
		}
		prev = c.name
	}
	return out
}

// addresses is the Authors' Addresses section.
func (d *textDoc) addresses() []tline {
	as := d.authors()
	if len(as) == 0 {
		return nil
	}
	out := []tline{{}}
	out = append(out, d.heading(d.authorsSec)...)
	for i, a := range as {
		out = append(out, tline{})
		if i > 0 {
			out = append(out, tline{})
		}
		var ls []string
		if !latin(a.attr("fullname")) && a.attr("asciiFullname") != "" {
			ls = d.contactLines(a, true)
			ls = append(ls, "", "Additional contact information:", "")
			native := d.contactLines(a, false)
			if n := len(native); n > 0 && strings.HasPrefix(native[n-1], "Email: ") {
				native = native[:n-1]
			}
			for _, l := range native {
				ls = append(ls, "   "+l)
			}
		} else {
			ls = d.contactLines(a, false)
		}
		var wrapped []string
		for _, l := range ls {
			if l == "" {
				wrapped = append(wrapped, "")
				continue
			}
			wrapped = append(wrapped, fill(l, wrapOpts{width: 69, noSentence: true})...)
		}
		out = append(out, indentLines(d.textLines(wrapped), 3)...)
	}
	return out
}

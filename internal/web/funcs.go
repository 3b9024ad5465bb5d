package web

import (
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"

	"hum/internal/archive"
	"hum/internal/archive/message"
	"hum/internal/charters"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/scheduler"
)

// templateFuncs returns the functions every page template may call. It
// builds a fresh map each time, so no template set shares mutable state.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		// Dates and text.
		"date":       func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		"datetime":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"pathesc":    url.PathEscape,
		"length":     length,
		"lower":      strings.ToLower,
		"upper":      strings.ToUpper,
		"list":       func(s ...string) []string { return s },
		"paragraphs": paragraphs,
		"contains":   func(xs []string, x string) bool { return slices.Contains(xs, x) },
		"has":        func(v map[string][]string, k, x string) bool { return slices.Contains(v[k], x) },

		// Groups.
		"role":    groups.RoleName,
		"state":   groups.StateName,
		"gtype":   groups.TypeName,
		"rolesBy": rolesBy,

		// Documents and their lifecycle.
		"stdlevel":   docs.StdLevelName,
		"docstate":   docs.StateName,
		"wgstate":    docs.WGStateName,
		"iesgstate":  docs.IESGStateName,
		"substate":   docs.SubmissionStateName,
		"tagname":    docs.TagName,
		"adkey":      docs.ADKey,
		"countdocs":  func(n int) string { return countOf(n, "document") },
		"intended":   func() []docs.Name { return docs.IntendedLevels },
		"posname":    docs.PositionName,
		"actiontype": docs.ActionType,
		"wgstates":   func() []docs.Name { return docs.WGStates },
		"tags":       func() []docs.Name { return docs.Tags },
		"nextiesg":   docs.NextIESGStates,
		"lcdays":     docs.LastCallDays,
		"reltype": func(t string) string {
			return map[string]string{"obs": "Obsoletes", "updates": "Updates", "replaces": "Replaces"}[t]
		},
		"relinv": func(t string) string {
			return map[string]string{"obs": "Obsoleted by", "updates": "Updated by", "replaces": "Replaced by"}[t]
		},

		// Charters.
		"chstate":  charters.StateName,
		"chpos":    charters.PositionName,
		"chballot": charters.BallotName,
		"chask":    charters.BallotQuestion,

		// The mail archive.
		"snippet": snippet,
		"quote":   func(k message.BlockKind) bool { return k == message.Quote },
		"sig":     func(k message.BlockKind) bool { return k == message.Signature },
		"attr":    func(k message.BlockKind) bool { return k == message.Attribution },
		"indent":  func(d int) string { return fmt.Sprintf("depth-%d", min(d, 8)) },
		"lines":   func(s string) int { return strings.Count(s, "\n") + 1 },
		"archwho": archWho,
		"kb":      kb,

		// Schedules and what they cost.
		"thousands": scheduler.Thousands,
		"cost":      costText,
		"signed":    signed,
	}
}

// paragraphs splits text at blank lines.
func paragraphs(s string) []string {
	var ps []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

// roleGroup is the holders of one role, for the facts list.
type roleGroup = []groups.Role

// rolesBy groups a group's roles by role name, in display order, for the
// facts list ("Chairs: A, B"); ADs of the parent area show apart.
func rolesBy(rs []groups.Role) map[string]roleGroup {
	bySlug := map[string]roleGroup{}
	for _, r := range rs {
		bySlug[r.Name] = append(bySlug[r.Name], r)
	}
	m := map[string]roleGroup{}
	for slug, holders := range bySlug {
		n := groups.RoleName(slug)
		if len(holders) > 1 {
			n = plural(n)
		}
		m[n] = holders
	}
	return m
}

// plural makes a role's display name plural: "Chairs", "Secretaries".
func plural(n string) string {
	if strings.HasSuffix(n, "ry") {
		return n[:len(n)-1] + "ies"
	}
	return n + "s"
}

// snippet escapes a search snippet and marks the matched words.
func snippet(s string) template.HTML {
	e := template.HTMLEscapeString(s)
	e = strings.ReplaceAll(e, archive.MarkStart, "<mark>")
	e = strings.ReplaceAll(e, archive.MarkEnd, "</mark>")
	return template.HTML(e)
}

// archWho is how a list page names an author.
func archWho(hide bool, name, addr string) string {
	switch {
	case name != "":
		return name
	case hide:
		return "(name not given)"
	}
	return addr
}

// kb is a size for people.
func kb(n int) string {
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%.0f KB", float64(n)/1024)
}

// length says how long a session or slot is as people say it: "90 min",
// "2 h", "2 h 30 min".
func length(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

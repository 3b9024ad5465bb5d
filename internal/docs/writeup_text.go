package docs

import (
	"strconv"
	"strings"
)

// Text renders the write-up as the template's text with its answers, in
// the layout the IESG and the Datatracker use, so the AD and a mail reader
// see the familiar form. The IPR question lists the disclosures that name
// the document. A write-up from before the template is its free text.
func (w Writeup) Text() string {
	if w.Answered == 0 {
		return w.Legacy
	}
	var b strings.Builder
	b.WriteString("# " + w.Title + "\n\n*" + w.Dated + "*\n\n")
	b.WriteString("Document: " + w.Doc.Name)
	if w.Doc.Rev != "" {
		b.WriteString("-" + w.Doc.Rev)
	}
	b.WriteString("\nDocument shepherd: " + orNone(w.Doc.Shepherd) + "\nResponsible AD: " + orNone(w.Doc.AD) + "\n")
	section := ""
	for _, q := range w.Questions {
		if q.Section != section {
			section = q.Section
			b.WriteString("\n## " + section + "\n")
		}
		prefix := strconv.Itoa(q.N) + ". "
		b.WriteString("\n" + fill(q.Text, prefix, strings.Repeat(" ", len(prefix)), 80) + "\n\n")
		if q.Answer == "" {
			b.WriteString("(not answered)\n")
		} else {
			b.WriteString(q.Answer + "\n")
		}
		if q.IPR {
			b.WriteString("\n" + w.disclosuresText() + "\n")
		}
	}
	if w.Legacy != "" {
		b.WriteString("\n## Earlier write-up (free text, from before the template)\n\n" + w.Legacy + "\n")
	}
	return b.String()
}

// disclosuresText is what hum knows of the IPR disclosures that name the
// document, for the IPR question.
func (w Writeup) disclosuresText() string {
	if !w.IPRKnown || len(w.Disclosures) == 0 {
		return "IPR disclosures that name " + w.Doc.Name + ": no disclosures known."
	}
	var b strings.Builder
	b.WriteString("IPR disclosures that name " + w.Doc.Name + ":\n")
	for _, d := range w.Disclosures {
		line := "- #" + strconv.FormatInt(d.ID, 10) + " " + d.Title
		if d.Holder != "" {
			line += " (" + d.Holder + ")"
		}
		if !d.Posted.IsZero() {
			line += ", posted " + d.Posted.UTC().Format("2006-01-02")
		}
		if d.URL != "" {
			line += ": " + d.URL
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// fill fills text to width columns, the first line after first and the
// others after rest.
func fill(text, first, rest string, width int) string {
	var b strings.Builder
	line := first
	fresh := true
	for _, word := range strings.Fields(text) {
		if !fresh && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line, fresh = rest, true
		}
		if !fresh {
			line += " "
		}
		line += word
		fresh = false
	}
	b.WriteString(line)
	return b.String()
}

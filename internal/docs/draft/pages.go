package draft

import (
	"strings"
	"unicode/utf8"
)

// pageCounter estimates how many pages xml2rfc would print for an XML
// source, without rendering it. It counts the lines each block would take
// (prose wrapped at 64 columns, as xml2rfc wraps at 72 minus a 3-column
// indent plus slack for word breaks; artwork line for line), adds a blank
// line per block, the boilerplate the source does not contain (first-page
// header, Status of This Memo, Copyright, table of contents, Authors'
// Addresses, references pulled in by entity), and divides by 50 body lines
// per page (58-line pages minus header and footer). Checked against the
// corpus drafts that come with their rendered .txt; it is an estimate for
// display and for spotting absurd uploads, never a rule.
type pageCounter struct {
	lines    int
	sections int
	open     string // block being collected, "" for none
	buf      strings.Builder
}

const (
	wrapWidth     = 64
	linesPerPage  = 50
	boilerplate   = 60 // header, status, copyright, blank lines
	authorLines   = 7  // one Authors' Addresses entry
	entityRefLine = 4  // one reference that is only an entity in the source
)

var blocks = map[string]bool{
	"t": true, "li": true, "dt": true, "dd": true, "name": true, "artwork": true,
	"sourcecode": true, "reference": true, "td": true, "th": true, "c": true, "preamble": true, "postamble": true,
}

func (p *pageCounter) start(name string) {
	if name == "section" {
		p.sections++
	}
	if blocks[name] {
		p.flush()
		p.open = name
	}
}

func (p *pageCounter) end(name string) {
	if blocks[name] {
		p.flush()
	}
}

func (p *pageCounter) text(s string) {
	if p.open != "" {
		p.buf.WriteString(s)
	}
}

func (p *pageCounter) flush() {
	s := p.buf.String()
	p.buf.Reset()
	switch {
	case p.open == "artwork" || p.open == "sourcecode":
		p.lines += strings.Count(strings.Trim(s, "\n"), "\n") + 3
	case strings.TrimSpace(s) != "":
		n := utf8.RuneCountInString(collapse(s))
		p.lines += (n+wrapWidth-1)/wrapWidth + 1
	}
	p.open = ""
}

// estimate returns the page count; authors and the number of references
// known only by entity add their lines.
func (p *pageCounter) estimate(authors, entityRefs int) int {
	p.flush()
	total := p.lines + boilerplate + p.sections + authors*authorLines + entityRefs*entityRefLine
	return (total + linesPerPage - 1) / linesPerPage
}

package draft

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// parseText reads a plain-text draft as xml2rfc (and its predecessors)
// lay it out: a two-column first-page header, the title and the name line,
// then "Abstract" and numbered sections with "[Page N]" footers.
func parseText(data []byte) (*Draft, error) {
	text := normaliseBreaks(string(data))
	d := &Draft{Format: FormatText, DocType: "Internet-Draft"}
	d.Raw.FormFeeds = strings.Count(text, "\f")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = expandTabs(l)
	}
	body := stripPagination(lines)
	at := firstNonBlank(body, 0)
	if at < 0 {
		return nil, &Error{Code: CodeTextNoHeader, Msg: "the file is empty"}
	}
	at = readHeader(d, body, at)
	readTitle(d, body, at)
	d.Abstract = readAbstract(body)
	readAddresses(d.Authors, body)
	d.References = readReferences(body)
	d.Pages = countPages(text)
	return d, nil
}

// normaliseBreaks turns CRLF and a lone CR (old Mac files, or a stray
// one) into LF, so no line of the parsed text holds a CR.
func normaliseBreaks(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// expandTabs replaces tabs by spaces up to the next multiple of eight
// columns, as a terminal and the printed page show them: the layout of a
// plain-text draft is read by column.
func expandTabs(l string) string {
	if !strings.Contains(l, "\t") {
		return l
	}
	var b strings.Builder
	col := 0
	for _, r := range l {
		if r == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

func firstNonBlank(lines []string, from int) int {
	for i := from; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" {
			return i
		}
	}
	return -1
}

// headerSplit separates the left and right columns: they are divided by a
// run of two or more spaces, and a line that starts with spaces has only a
// right column.
var headerSplit = regexp.MustCompile(`^(\S.*?)(?:\s{2,}(\S.*))?$`)

// readHeader reads the first-page header starting at line at and returns
// the index of the first line after it.
func readHeader(d *Draft, lines []string, at int) int {
	var left, right []string
	i := at
	for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
		l := strings.TrimRightFunc(lines[i], unicode.IsSpace)
		if r, _ := utf8.DecodeRuneInString(l); unicode.IsSpace(r) {
			right = append(right, strings.TrimSpace(l))
			continue
		}
		m := headerSplit.FindStringSubmatch(l)
		if m == nil { // a byte the pattern does not cover; keep the line whole
			left = append(left, l)
			continue
		}
		left = append(left, m[1])
		if m[2] != "" {
			right = append(right, m[2])
		}
	}
	readLeft(d, left)
	readRight(d, right)
	return i
}

func readLeft(d *Draft, left []string) {
	var last *string // the field a continuation line adds to
	for n, item := range left {
		key, val, _ := strings.Cut(item, ":")
		val = strings.TrimSpace(val)
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "internet-draft":
		case "request for comments":
			d.DocType, d.RFCNumber, d.Name = "RFC", val, "rfc"+val
		case "intended status", "category":
			d.Raw.StatusText, d.Category = val, categoryCode(val)
		case "expires":
			d.Raw.ExpiresText = val
			d.Expires, _ = parsePrintedDate(val)
		case "obsoletes":
			d.Raw.ObsoletesText, last = val, &d.Raw.ObsoletesText
		case "updates":
			d.Raw.UpdatesText, last = val, &d.Raw.UpdatesText
		case "issn":
			d.Raw.ISSN = val
		default:
			if n == 0 {
				d.Raw.GroupLabel = item
			} else if last != nil && rfcNumber.MatchString(item) {
				*last += " " + item
			}
		}
	}
	d.Obsoletes = parseRFCList(d.Raw.ObsoletesText)
	d.Updates = parseRFCList(d.Raw.UpdatesText)
}

// categoryCode maps a printed status to the RFCXML category attribute.
func categoryCode(s string) string {
	s = strings.ToLower(s)
	for _, c := range []struct{ text, code string }{
		{"standards track", "std"}, {"proposed standard", "std"}, {"internet standard", "std"},
		{"draft standard", "std"}, {"best current practice", "bcp"}, {"bcp", "bcp"},
		{"informational", "info"}, {"experimental", "exp"}, {"historic", "historic"},
	} {
		if strings.HasPrefix(s, c.text) {
			return c.code
		}
	}
	return ""
}

// personName matches "Z. Zhang", "E.B. Davies, Ed.", "Ch. Surname": an
// initial or two, then a surname. Organisation lines do not start so.
var personName = regexp.MustCompile(`^\p{Lu}\p{Ll}?\.(?:\s?-?\p{Lu}\p{Ll}?\.)*\s+\S`)

// readRight reads authors, organisations and the date. An organisation
// line applies to every author listed since the previous organisation.
func readRight(d *Draft, right []string) {
	if n := len(right); n > 0 {
		if dt, ok := parsePrintedDate(right[n-1]); ok {
			d.Date, d.Raw.DateText = dt, right[n-1]
			right = right[:n-1]
		}
	}
	pending := 0
	for _, item := range right {
		if personName.MatchString(item) {
			d.Authors = append(d.Authors, textAuthor(item))
			pending++
			continue
		}
		for i := len(d.Authors) - pending; i < len(d.Authors); i++ {
			d.Authors[i].Organization = item
		}
		pending = 0
	}
}

func textAuthor(s string) Author {
	a := Author{}
	for _, suffix := range []string{", Ed.", ", Editor", " (editor)"} {
		if t, ok := strings.CutSuffix(s, suffix); ok {
			s, a.Role = t, "editor"
		}
	}
	a.Name = s
	f := strings.Fields(s)
	i := 0
	for i < len(f)-1 && strings.HasSuffix(f[i], ".") {
		i++
	}
	a.Initials, a.Surname = strings.Join(f[:i], " "), strings.Join(f[i:], " ")
	return a
}

// nameLine is the draft name printed under the title, sometimes with
// ".txt", and in older drafts in angle brackets: <draft-foo-bar-01.txt>.
var nameLine = regexp.MustCompile(`^\s*(?:(draft-[A-Za-z0-9._-]+?)(?:\.txt)?|<(draft-[A-Za-z0-9._-]+?)(?:\.txt)?>)\s*$`)

// readTitle reads the title lines after the header and, for drafts, the
// name line below them.
func readTitle(d *Draft, lines []string, at int) {
	at = firstNonBlank(lines, at)
	if at < 0 {
		return
	}
	var title []string
	for ; at < len(lines); at++ {
		l := strings.TrimSpace(lines[at])
		if l == "" || strings.EqualFold(l, "abstract") {
			break
		}
		if m := nameLine.FindStringSubmatch(l); m != nil {
			d.Name, d.Rev = splitNameRev(m[1] + m[2])
			break
		}
		title = append(title, l)
	}
	d.Title = strings.Join(title, " ")
}

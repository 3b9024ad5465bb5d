package meetings

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"hum/internal/fail"
)

// Material kinds: the Datatracker's document types for session
// materials. Blue sheets are attendance, kept apart.
const (
	KindAgenda    = "agenda"
	KindMinutes   = "minutes"
	KindSlides    = "slides"
	KindChatlog   = "chatlog"
	KindRecording = "recording"
)

// Kinds are the material kinds in the order pages show them.
var Kinds = []string{KindAgenda, KindMinutes, KindSlides, KindChatlog, KindRecording}

// KindNames name the kinds for people.
var KindNames = map[string]string{KindAgenda: "Agenda", KindMinutes: "Minutes", KindSlides: "Slides",
	KindChatlog: "Chat log", KindRecording: "Recording"}

// Formats of a material's revision.
const (
	FormatMarkdown = "md"
	FormatText     = "txt"
	FormatHTML     = "html"
	FormatPDF      = "pdf"
	FormatPPTX     = "pptx"
	FormatURL      = "url"
)

// FormatNames name the formats for people.
var FormatNames = map[string]string{FormatMarkdown: "Markdown", FormatText: "plain text", FormatHTML: "HTML",
	FormatPDF: "PDF", FormatPPTX: "PowerPoint (PPTX)", FormatURL: "a link"}

// kindFormats are the formats each kind may take.
var kindFormats = map[string][]string{
	KindAgenda:    {FormatMarkdown, FormatText, FormatHTML, FormatPDF},
	KindMinutes:   {FormatMarkdown, FormatText, FormatHTML},
	KindSlides:    {FormatPDF, FormatPPTX, FormatMarkdown},
	KindChatlog:   {FormatText},
	KindRecording: {FormatURL},
}

// MaxSize is the largest file each kind takes. Slides carry pictures;
// agendas and minutes are text (a PDF agenda is the exception).
var MaxSize = map[string]int{
	KindAgenda:  2 << 20,
	KindMinutes: 2 << 20,
	KindSlides:  16 << 20,
	KindChatlog: 4 << 20,
}

// MaxUpload is the largest file of any kind.
const MaxUpload = 16 << 20

// extFormats is what a file's name says it is.
var extFormats = map[string]string{".md": FormatMarkdown, ".markdown": FormatMarkdown, ".txt": FormatText, ".text": FormatText,
	".html": FormatHTML, ".htm": FormatHTML, ".pdf": FormatPDF, ".pptx": FormatPPTX}

// Sniff decides a file's format from its content; the name only chooses
// among the kinds of text (Markdown, plain text, HTML), which the bytes
// cannot tell apart. A name that claims another format than the content
// has is refused, saying what the content is.
func Sniff(kind, filename string, b []byte) (format string, err error) {
	formats, ok := kindFormats[kind]
	if !ok || kind == KindRecording {
		return "", fail.Field("kind", "%q is not a kind of material that takes a file; choose agenda, minutes, slides or chat log.", kind)
	}
	if len(b) == 0 {
		return "", fail.Field("file", "The file is empty.")
	}
	if max := MaxSize[kind]; len(b) > max {
		return "", fail.Field("file", "The file is %s; %s may be at most %s.", size(len(b)), strings.ToLower(KindNames[kind]), size(max))
	}
	named := extFormats[strings.ToLower(path.Ext(filename))]
	content, what := contentFormat(b)
	switch {
	case content == "" && named != "":
		return "", fail.Field("file", "%s is named as %s, but %s.", quoteName(filename), FormatNames[named], what)
	case content == "":
		return "", fail.Field("file", "%s cannot be taken: %s.", quoteName(filename), what)
	case content == FormatText:
		format = named
		if format == "" || format == FormatPDF || format == FormatPPTX {
			if format != "" {
				return "", fail.Field("file", "%s is named as %s, but its content is %s.", quoteName(filename), FormatNames[format], what)
			}
			format = FormatText
			if strings.HasPrefix(http.DetectContentType(b), "text/html") {
				format = FormatHTML
			}
		}
	default:
		if named != "" && named != content {
			return "", fail.Field("file", "%s is named as %s, but its content is %s.", quoteName(filename), FormatNames[named], what)
		}
		format = content
	}
	for _, f := range formats {
		if f == format {
			return format, nil
		}
	}
	var names []string
	for _, f := range formats {
		names = append(names, FormatNames[f])
	}
	return "", fail.Field("file", "%s may be %s; %s is %s.", KindNames[kind], strings.Join(names, ", "), quoteName(filename), FormatNames[format])
}

// contentFormat says what b is: pdf, pptx or txt (valid UTF-8 without NUL
// bytes), or "" with what it is instead.
func contentFormat(b []byte) (format, what string) {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return FormatPDF, "a PDF"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return "", "it begins as a ZIP archive but is not a readable one (" + err.Error() + ")"
		}
		var types, ppt bool
		for _, f := range z.File {
			types = types || f.Name == "[Content_Types].xml"
			ppt = ppt || strings.HasPrefix(f.Name, "ppt/")
		}
		if types && ppt {
			return FormatPPTX, "a PowerPoint presentation"
		}
		return "", "it is a ZIP archive, not a PowerPoint presentation (a PPTX has [Content_Types].xml and ppt/ parts)"
	case bytes.IndexByte(b, 0) >= 0:
		return "", "it is binary data, not text (it holds NUL bytes), and not a PDF or PowerPoint file"
	case !utf8.Valid(b):
		return "", "it is not text in UTF-8, and not a PDF or PowerPoint file"
	}
	return FormatText, "text"
}

func quoteName(filename string) string {
	if filename == "" {
		return "The file"
	}
	return fmt.Sprintf("%q", path.Base(filename))
}

// size says a number of bytes for people.
func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkURL accepts a recording's link: an http or https URL with a host.
func checkURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 1000 {
		return "", fail.Field("url", "A recording is a link starting with https:// (at most 1000 characters); got %q.", s)
	}
	return u.String(), nil
}

// KindChoice is a kind as a form offers it.
type KindChoice struct{ Slug, Name string }

// KindChoices are the kinds a form offers, in order.
func KindChoices() []KindChoice {
	out := make([]KindChoice, len(Kinds))
	for i, k := range Kinds {
		out[i] = KindChoice{k, KindNames[k]}
	}
	return out
}

// KindName names the material's kind.
func (x Material) KindName() string { return KindNames[x.Type] }

// FormatName names the latest revision's format.
func (x Material) FormatName() string { return FormatNames[x.Format] }

// FormatName names the revision's format.
func (r Revision) FormatName() string { return FormatNames[r.Format] }

// FormatName names the proposal's format.
func (p Proposal) FormatName() string { return FormatNames[p.Format] }

// SizeText is the size for people.
func (x Material) SizeText() string { return size(x.Size) }

// SizeText is the size for people.
func (r Revision) SizeText() string { return size(r.Size) }

package message

import (
	"bytes"
	"mime"
	"strconv"
	"strings"
)

// part is one node of the MIME tree, parsed from bytes we already hold,
// so splitting costs no copies.
type part struct {
	path   string // IMAP-style: "1", "2.1"; "" for a multipart root
	h      header
	media  string            // lower-case type/subtype
	params map[string]string // Content-Type parameters, lower-case keys
	body   []byte            // still transfer-encoded
	kids   []*part
}

type walker struct {
	lim   Limits
	msg   *Message
	count int
}

// parse builds the tree for raw. Nesting beyond MaxDepth and parts beyond
// MaxParts are not split further, which bounds time and memory for hostile
// input (a "zip bomb" of nested multiparts).
func (w *walker) parse(raw []byte, path string, depth int, digest bool) *part {
	w.count++
	h, body := splitHeader(raw)
	p := &part{path: path, h: h, body: body}
	p.media, p.params = contentType(h.get("Content-Type"), digest)
	if !strings.HasPrefix(p.media, "multipart/") {
		if p.path == "" {
			p.path = "1"
		}
		return p
	}
	if depth >= w.lim.MaxDepth {
		w.msg.warn("part %s: nesting deeper than %d not parsed", path, w.lim.MaxDepth)
		p.media = "application/octet-stream"
		return p
	}
	chunks := splitMultipart(body, p.params["boundary"])
	if len(chunks) == 0 {
		w.msg.warn("part %s: %s without usable boundary, shown as text", path, p.media)
		p.media = "text/plain"
		if p.path == "" {
			p.path = "1"
		}
		return p
	}
	for i, c := range chunks {
		if w.count >= w.lim.MaxParts {
			w.msg.warn("more than %d parts; the rest are ignored", w.lim.MaxParts)
			break
		}
		kp := strconv.Itoa(i + 1)
		if path != "" {
			kp = path + "." + kp
		}
		p.kids = append(p.kids, w.parse(c, kp, depth+1, p.media == "multipart/digest"))
	}
	return p
}

// contentType parses a Content-Type value leniently: when the standard
// parser rejects the parameters, the media type is still used and simple
// name=value pairs are picked out by hand.
func contentType(v string, digest bool) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		if digest {
			return "message/rfc822", map[string]string{}
		}
		return "text/plain", map[string]string{}
	}
	media, params, err := mime.ParseMediaType(v)
	if err != nil {
		media, params = looseParams(v)
	}
	media = strings.ToLower(strings.TrimSpace(media))
	if !strings.Contains(media, "/") {
		if media == "text" || media == "" {
			media = "text/plain"
		} else {
			media = "application/octet-stream"
		}
	}
	return media, params
}

func looseParams(v string) (string, map[string]string) {
	fields := strings.Split(v, ";")
	params := map[string]string{}
	for _, f := range fields[1:] {
		k, val, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, dup := params[k]; !dup {
			params[k] = strings.Trim(strings.TrimSpace(val), `"`)
		}
	}
	return fields[0], params
}

// splitMultipart returns the bodies between boundary delimiter lines. The
// line ending before a delimiter belongs to the delimiter (RFC 2046). A
// missing close delimiter ends the last part at the end of input; a line
// that merely starts with the boundary ("--abcdef" for "abc") is content.
func splitMultipart(body []byte, boundary string) [][]byte {
	if boundary == "" {
		return nil
	}
	delim := []byte("--" + boundary)
	var parts [][]byte
	start := -1
	for pos := 0; pos < len(body); {
		line, _ := cutLine(body[pos:])
		if closing, ok := isDelimiter(line, delim); ok {
			if start >= 0 {
				parts = append(parts, trimEOL(body[start:pos]))
			}
			if closing {
				return parts
			}
			start = pos + len(line)
		}
		pos += len(line)
	}
	if start >= 0 && start <= len(body) {
		parts = append(parts, body[start:])
	}
	return parts
}

func isDelimiter(line, delim []byte) (closing, ok bool) {
	if !bytes.HasPrefix(line, delim) {
		return false, false
	}
	rest := bytes.TrimRight(line[len(delim):], " \t\r\n")
	switch {
	case len(rest) == 0:
		return false, true
	case bytes.Equal(rest, []byte("--")):
		return true, true
	}
	return false, false
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// decoded returns the part body with its Content-Transfer-Encoding undone.
// Unknown encodings are passed through as they are.
func (p *part) decoded() []byte {
	switch strings.ToLower(strings.TrimSpace(p.h.get("Content-Transfer-Encoding"))) {
	case "base64":
		return decodeBase64(p.body)
	case "quoted-printable":
		return decodeQP(p.body)
	}
	return p.body
}

// decodeQP is a lenient quoted-printable decoder: invalid escapes are kept
// literally instead of failing the whole part.
func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		if i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
			continue
		}
		j := i + 1
		for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		switch {
		case j < len(b) && b[j] == '\n':
			i = j
		case j+1 < len(b) && b[j] == '\r' && b[j+1] == '\n':
			i = j + 1
		case j == len(b):
			i = j
		default:
			out = append(out, c)
		}
	}
	return out
}

// filename returns the decoded file name from Content-Disposition or the
// Content-Type name parameter.
func (p *part) filename() string {
	if _, params, err := mime.ParseMediaType(p.h.get("Content-Disposition")); err == nil && params["filename"] != "" {
		return decodeText(params["filename"])
	}
	if _, params := looseParams(p.h.get("Content-Disposition")); params["filename"] != "" {
		return decodeText(params["filename"])
	}
	return decodeText(p.params["name"])
}

func (p *part) disposition() string {
	d, _, _ := strings.Cut(p.h.get("Content-Disposition"), ";")
	return strings.ToLower(strings.TrimSpace(d))
}

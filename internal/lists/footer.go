package lists

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// footer is the short text at the end of every copy, as Mailman adds: the
// list's address and the page to change a subscription. It is ASCII, so
// it can be appended to a text part in any ASCII-compatible charset.
func (s *Service) footer(list string) string {
	return "_______________________________________________\r\n" +
		list + " mailing list\r\n" +
		list + "@" + s.Domain + "\r\n" +
		s.BaseURL + "/list/" + list + "/\r\n"
}

// addFooter puts footer at the end of a message whose header is h and
// body is body, the way Mailman decorates posts:
//
//   - a single text/plain part gets the footer appended (decoded and
//     encoded again when it is base64, appended encoded when it is
//     quoted-printable);
//   - a multipart/mixed message (or a digest) gets a text/plain part
//     before its closing delimiter;
//   - anything else (multipart/alternative, text/html, an attachment on
//     its own) becomes the first part of a new multipart/mixed whose
//     second part is the footer.
//
// A signed or encrypted message (multipart/signed, multipart/encrypted,
// application/pkcs7-mime, ...) is left exactly as it is: a footer inside
// would break the signature, and one outside would look to the reader's
// client like unsigned text grafted on. Those copies go out without a
// footer; that is the price of keeping signatures valid, and it is
// documented in the README. The author's DKIM signature, on the other
// hand, covers the body too and any footer breaks it; that is what the
// DMARC From rewrite (prepare) is for.
//
// addFooter changes h in place and returns the new body; ok is false when
// the message was left alone.
func addFooter(h *textproto.Header, body []byte, footer string) (out []byte, ok bool) {
	ct := h.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" {
		mt, params, err = "text/plain", map[string]string{}, nil
	}
	if err != nil {
		return body, false // unparseable: leave it to the reader's client
	}
	if signedOrSealed(mt, params) {
		return body, false
	}
	switch {
	case mt == "text/plain" && asciiCompatible(params["charset"]):
		return appendText(h, body, footer)
	case (mt == "multipart/mixed" || mt == "multipart/digest") && params["boundary"] != "":
		return addPart(body, params["boundary"], footer)
	}
	return wrapMixed(h, body, footer)
}

// signedOrSealed tells the types whose bytes a signature or encryption
// covers.
func signedOrSealed(mt string, params map[string]string) bool {
	switch mt {
	case "multipart/signed", "multipart/encrypted", "application/pkcs7-mime", "application/x-pkcs7-mime",
		"application/pgp-encrypted", "application/pgp-signature":
		return true
	}
	return false
}

func asciiCompatible(charset string) bool {
	c := strings.ToLower(charset)
	return !strings.HasPrefix(c, "utf-16") && !strings.HasPrefix(c, "utf-32") && !strings.HasPrefix(c, "ucs-")
}

func appendText(h *textproto.Header, body []byte, footer string) ([]byte, bool) {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "", "7bit", "8bit", "binary":
		return append(endLine(body), footer...), true
	case "quoted-printable":
		var enc bytes.Buffer
		w := quotedprintable.NewWriter(&enc)
		w.Write([]byte(footer))
		w.Close()
		return append(endLine(body), enc.Bytes()...), true
	case "base64":
		dec, err := base64.StdEncoding.DecodeString(string(bytes.Map(dropSpace, body)))
		if err != nil {
			return body, false
		}
		return base64Lines(append(endLine(dec), footer...)), true
	}
	return body, false
}

// endLine makes b end with a line break, so the footer starts a line.
func endLine(b []byte) []byte {
	b = bytes.Clone(b)
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\r', '\n')
	}
	return b
}

func dropSpace(r rune) rune {
	if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
		return -1
	}
	return r
}

func base64Lines(b []byte) []byte {
	s := base64.StdEncoding.EncodeToString(b)
	var out bytes.Buffer
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	out.WriteString(s + "\r\n")
	return out.Bytes()
}

const footerPartHeader = "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\nContent-Disposition: inline\r\n\r\n"

// addPart inserts the footer as the last part of a multipart/mixed body,
// just before its closing delimiter. A body without one (truncated or
// malformed) is left alone.
func addPart(body []byte, boundary, footer string) ([]byte, bool) {
	closing := []byte("\n--" + boundary + "--")
	i := bytes.LastIndex(body, closing)
	if i < 0 {
		return body, false
	}
	if i > 0 && body[i-1] == '\r' {
		i--
	}
	var out bytes.Buffer
	out.Grow(len(body) + len(footer) + 200)
	out.Write(body[:i])
	fmt.Fprintf(&out, "\r\n--%s\r\n%s%s", boundary, footerPartHeader, strings.TrimSuffix(footer, "\r\n"))
	out.Write(body[i:])
	return out.Bytes(), true
}

// contentHeaders move from the message into the part it becomes.
var contentHeaders = []string{"Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-Description", "Content-Id", "Content-Language"}

// wrapMixed makes the message the first part of a new multipart/mixed
// and the footer the second.
func wrapMixed(h *textproto.Header, body []byte, footer string) ([]byte, bool) {
	sum := sha256.Sum256(body)
	boundary := "=_hum_footer_" + hex.EncodeToString(sum[:10])
	if bytes.Contains(body, []byte(boundary)) {
		return body, false
	}
	var out bytes.Buffer
	out.Grow(len(body) + len(footer) + 400)
	fmt.Fprintf(&out, "--%s\r\n", boundary)
	for _, k := range contentHeaders {
		for _, v := range h.Values(k) {
			fmt.Fprintf(&out, "%s: %s\r\n", k, v)
		}
		h.Del(k)
	}
	out.WriteString("\r\n")
	out.Write(body)
	if len(body) > 0 && body[len(body)-1] != '\n' {
		out.WriteString("\r\n")
	}
	fmt.Fprintf(&out, "--%s\r\n%s%s\r\n--%s--\r\n", boundary, footerPartHeader, footer, boundary)
	h.Set("MIME-Version", "1.0")
	h.Set("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	return out.Bytes(), true
}

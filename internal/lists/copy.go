package lists

import (
	"bufio"
	"bytes"
	"crypto"
	"errors"
	"fmt"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"github.com/emersion/go-msgauth/dkim"

	humail "hum/internal/mail"
)

// DKIMKey signs copies when configured.
type DKIMKey struct {
	Domain   string
	Selector string
	Signer   crypto.Signer
}

// prepared is a post made ready for its copies: everything but the
// per-recipient List-Unsubscribe is built once per post, and a copy is
// sent as two parts (copyParts), so the common one is never copied.
type prepared struct {
	list string
	// wire is the list's headers, the original ones (rewritten), and
	// the body, as SMTP's DATA carries them (mail.ToWire), made once and
	// sent as they are after each copy's own fields: put in that form
	// copy by copy, they were a seventh of the CPU of a fan-out (issue
	// 17 §2).
	wire humail.Wire
	// header and body are the same before wire form, kept only when
	// copies are signed (DKIM), as each copy's signature covers its own
	// fields and so is made copy by copy.
	header, body []byte
	// A copy's List-Unsubscribe and List-Unsubscribe-Post fields are
	// unsubBefore, the subscriber's token, and unsubAfter.
	unsubBefore, unsubAfter string
}

// listHeaders removes from a copy: another list's headers would point
// subscribers at the wrong place.
var dropHeaders = []string{"List-Id", "List-Archive", "List-Post", "List-Help", "List-Subscribe", "List-Unsubscribe",
	"List-Unsubscribe-Post", "List-Owner", "Return-Path", "Precedence", "Errors-To", "Sender"}

// prepare builds the common part of every copy of a post: the original
// message with its Message-ID, the RFC 2369/2919 headers, and, when the
// author's domain publishes DMARC reject or quarantine, From rewritten to
// "Name via list" <list@domain> with the author in Reply-To (as Mailman),
// and the list's footer (see addFooter; signed messages go without).
//
// With sign, the common part is kept as it is too, for copyParts to sign
// each copy.
func (s *Service) prepare(list string, raw []byte, rewrite, sign bool) (*prepared, error) {
	br := bufio.NewReader(bytes.NewReader(raw))
	h, err := textproto.ReadHeader(br)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	body.ReadFrom(br)
	for _, k := range dropHeaders {
		h.Del(k)
	}
	if rewrite {
		mh := mail.Header{Header: message.Header{Header: h}}
		if name, addr := parseAuthor(h.Values("From")); addr != "" {
			shown := name
			if shown == "" {
				shown = addr
			}
			mh.SetAddressList("From", []*mail.Address{{Name: shown + " via " + list, Address: list + "@" + s.Domain}})
			if !mh.Has("Reply-To") {
				mh.SetAddressList("Reply-To", []*mail.Address{{Name: name, Address: addr}})
			}
		}
		h = mh.Header.Header // a new field lands in the copy's list, not h's
	}
	bodyBytes := body.Bytes()
	if b, ok := addFooter(&h, bodyBytes, s.footer(list)); ok {
		bodyBytes = b
	}
	var hb bytes.Buffer
	arch := s.BaseURL + "/arch/browse/" + list + "/"
	fmt.Fprintf(&hb, "List-Id: <%s.%s>\r\n", list, s.Domain)
	fmt.Fprintf(&hb, "List-Archive: <%s>\r\n", arch)
	fmt.Fprintf(&hb, "List-Post: <mailto:%s@%s>\r\n", list, s.Domain)
	fmt.Fprintf(&hb, "List-Help: <mailto:%s-request@%s?subject=help>\r\n", list, s.Domain)
	fmt.Fprintf(&hb, "List-Subscribe: <%s/list/%s/>, <mailto:%s-request@%s?subject=subscribe>\r\n", s.BaseURL, list, list, s.Domain)
	fmt.Fprintf(&hb, "Precedence: list\r\n")
	if err := textproto.WriteHeader(&hb, h); err != nil {
		return nil, err
	}
	p := &prepared{list: list, wire: humail.ToWire(hb.Bytes(), bodyBytes),
		unsubBefore: "List-Unsubscribe: <" + s.BaseURL + "/list/" + list + "/unsubscribe/",
		unsubAfter:  "/>, <mailto:" + list + "-request@" + s.Domain + "?subject=unsubscribe>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
	}
	if sign {
		p.header, p.body = hb.Bytes(), bodyBytes
	}
	return p, nil
}

// copyParts is one recipient's copy: its own part, and the part shared
// by all the post's copies in wire form (prepared.wire), sent as it is.
// The unsubscribe headers carry that subscriber's token, so the
// one-click POST needs no login (RFC 8058), and are its own part,
// written into own (a buffer the caller reuses). A signed copy is all
// its own, as the signature covers that subscriber's fields; its post
// must have been prepared to sign.
func (s *Service) copyParts(p *prepared, token string, key *DKIMKey, own []byte) (head []byte, rest humail.Wire, err error) {
	own = append(append(append(own[:0], p.unsubBefore...), token...), p.unsubAfter...)
	if key == nil {
		return own, p.wire, nil
	}
	if p.header == nil {
		return nil, nil, errors.New("lists: a copy to sign of a post not prepared to sign")
	}
	var signed bytes.Buffer
	err = dkim.Sign(&signed, bytes.NewReader(bytes.Join([][]byte{own, p.header, p.body}, nil)), &dkim.SignOptions{
		Domain: key.Domain, Selector: key.Selector, Signer: key.Signer,
		HeaderKeys: []string{"From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Reply-To",
			"List-Id", "List-Post", "List-Unsubscribe", "List-Unsubscribe-Post"},
	})
	return signed.Bytes(), nil, err
}

// verp is the envelope sender of a subscriber's copy: bounces come back
// to an address that names the subscription.
func (s *Service) verp(list, token string) string {
	return list + "-bounces+" + token + "@" + s.Domain
}

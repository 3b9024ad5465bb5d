package lists

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"strings"

	"hum/internal/db"
	"hum/internal/mail"
)

var confirmRE = regexp.MustCompile(`(?i)\bconfirm\s+([a-z2-7]{32})\b`)

// request runs the commands mailed to {list}-request: subscribe
// [digest|nomail], unsubscribe, help, or a confirmation. Every change is
// confirmed by reply to the address itself, which is what stops a forged
// command, so the sender need not pass DMARC to be answered; but mail the
// checks show to be forged (Auth.Forged) gets nothing: no backscatter to
// whoever it impersonates.
func (s *Service) request(ctx context.Context, l List, env mail.Envelope, h textproto.MIMEHeader, raw []byte) error {
	if isAuto(h) || env.From == "" {
		return nil
	}
	if m := confirmRE.FindStringSubmatch(h.Get("Subject")); m != nil {
		return s.mailConfirm(ctx, l, strings.ToLower(m[1]), env)
	}
	as, err := netmail.ParseAddressList(h.Get("From"))
	if err != nil || len(as) != 1 || env.Auth.Forged() {
		return nil
	}
	addr := strings.ToLower(as[0].Address)
	cmd, arg := command(h.Get("Subject"), raw)
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		switch cmd {
		case "subscribe", "join":
			mode := ModeEach
			if arg == "digest" || arg == "nomail" || arg == "none" {
				mode = map[string]string{"digest": ModeDigest, "nomail": ModeNone, "none": ModeNone}[arg]
			}
			return s.startTx(ctx, tx, l, addr, "subscribe", mode, true)
		case "unsubscribe", "leave", "signoff":
			return s.startTx(ctx, tx, l, addr, "unsubscribe", "", true)
		}
		return s.Mail.Queue(ctx, tx, mail.Message{
			From: l.Name + "-request@" + s.Domain, To: []string{addr},
			Subject: "Help for " + l.Address(s.Domain),
			Body:    s.help(l),
			Headers: map[string]string{"Auto-Submitted": "auto-replied"},
		})
	})
}

func (s *Service) help(l List) string {
	return fmt.Sprintf(`This is the command address of %[1]s.

Put one command in the subject or the first line of the body:

  subscribe           get every message
  subscribe digest    get one digest a day
  subscribe nomail    be subscribed (to post) but get no mail
  unsubscribe         leave the list
  help                this message

Each change is confirmed by a reply. The list's page is %[2]s/list/%[3]s/
`, l.Address(s.Domain), s.BaseURL, l.Name)
}

// command finds the first command word in the subject or the body.
func command(subject string, raw []byte) (cmd, arg string) {
	lines := []string{subject}
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		raw = raw[i+4:]
	} else if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		raw = raw[i+2:]
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 0; sc.Scan() && n < 5; n++ {
		lines = append(lines, sc.Text())
	}
	for _, ln := range lines {
		f := strings.Fields(strings.ToLower(ln))
		for len(f) > 0 && (f[0] == "re:" || f[0] == "fwd:") {
			f = f[1:]
		}
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "subscribe", "join", "unsubscribe", "leave", "signoff", "help":
			if len(f) > 1 {
				arg = f[1]
			}
			return f[0], arg
		}
	}
	return "help", ""
}

// isAuto tells mail that must never be answered (RFC 3834).
func isAuto(h textproto.MIMEHeader) bool {
	as := strings.ToLower(h.Get("Auto-Submitted"))
	return (as != "" && as != "no") || h.Get("List-Id") != "" || strings.EqualFold(h.Get("Precedence"), "bulk") || strings.EqualFold(h.Get("Precedence"), "list")
}

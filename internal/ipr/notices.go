package ipr

import (
	"context"
	"fmt"
	"strings"

	"hum/internal/docs"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
)

// notices are the mail posting d sends, in the spirit of the
// Datatracker's "IPR Disclosure" notice (ipr_posted_on_doc): one per
// document it names, to the document's authors, its WG's chairs and its
// WG's list (for an individual draft, its responsible AD); for a generic
// disclosure, one to the General Area's ADs. When d updates disclosures,
// the people who filed those are told. Only addresses that exist are
// used (docParties).
func (s *Service) notices(ctx context.Context, d Disclosure) ([]mail.Message, error) {
	var out []mail.Message
	for _, r := range d.Docs {
		doc, err := s.Docs.Get(ctx, r.Doc)
		if err != nil {
			return nil, err
		}
		to, err := s.docParties(ctx, doc)
		if err != nil {
			return nil, err
		}
		if len(to) == 0 {
			continue
		}
		var names []string
		for _, a := range doc.Authors {
			names = append(names, a.Name)
		}
		info := fmt.Sprintf("Internet-Draft entitled %q (%s)", doc.Title, doc.Name)
		if doc.IsRFC() {
			info = fmt.Sprintf("RFC entitled %q (RFC %d)", doc.Title, doc.RFCNumber)
		}
		out = append(out, s.notice(d, to, strings.Join(names, ", "), "An IPR disclosure that pertains to your "+info))
	}
	if d.Kind == Generic {
		to, err := s.addresses(ctx, groups.RoleFilter{Acronym: "gen", Name: "ad", Active: true})
		if err != nil {
			return nil, err
		}
		if len(to) > 0 {
			out = append(out, s.notice(d, to, "General Area Director", "A general IPR disclosure"))
		}
	}
	for _, u := range d.Updates {
		old, err := s.Get(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		to := []string{old.SubmitterEmail}
		if old.ByID != 0 {
			a, err := s.primary(ctx, old.ByID)
			if err != nil {
				return nil, err
			}
			to = addAddr(nil, a)
		}
		if len(to) == 0 || to[0] == "" {
			continue
		}
		body := wrap(fmt.Sprintf("The IPR disclosure %q (%s), which you submitted, has been updated by the disclosure %q, now posted at %s.",
			old.Title, s.url(old.ID), d.Title, s.url(d.ID)), 76) + "\n\nThank you\n\nThe Secretariat\n"
		out = append(out, mail.Message{From: s.from(), To: to, Subject: "IPR Disclosure Update Notification",
			Body: "Dear " + old.SubmitterName + ":\n\n" + body, Headers: map[string]string{"Auto-Submitted": "auto-generated"}})
	}
	return out, nil
}

// notice is the posted-disclosure mail to one set of people.
func (s *Service) notice(d Disclosure, to []string, dear, what string) mail.Message {
	body := fmt.Sprintf("%s was submitted to the Secretariat on %s and has been posted on the \"Page of Intellectual Property Rights Disclosures\" (%s). The title of the IPR disclosure is %q.",
		what, d.Filed.UTC().Format("2006-01-02"), s.url(d.ID), d.Title)
	return mail.Message{From: s.from(), To: to, Subject: "IPR Disclosure " + d.Title,
		Body:    "Dear " + dear + ":\n\n" + wrap(body, 76) + "\n\nThank you\n\nThe Secretariat\n",
		Headers: map[string]string{"Auto-Submitted": "auto-generated"}}
}

// docParties are a document's authors, its WG's chairs and list, or for
// a document of no group its responsible AD: as the draft's aliases
// ({draft}.authors@, .chairs@) when they reach someone now, else the
// addresses themselves (an RFC's draft past its aliases' two years).
// Every one is an address that exists: an author's as the draft gives
// it, a role holder's, an alias or a list of hum's. A group's list
// address that hum does not serve (a concluded WG's) is never used.
func (s *Service) docParties(ctx context.Context, d docs.Document) ([]string, error) {
	var to []string
	authors, err := s.alias(ctx, d.Name+".authors")
	if err != nil {
		return nil, err
	}
	if authors != "" {
		to = addAddr(to, authors)
	} else {
		for _, a := range d.Authors {
			to = addAddr(to, a.Email)
		}
	}
	if d.GroupID == 0 {
		if d.ADID != 0 {
			ads, err := s.addresses(ctx, groups.RoleFilter{PersonID: d.ADID, Name: "ad", Active: true})
			if err != nil {
				return nil, err
			}
			for _, a := range ads {
				to = addAddr(to, a)
			}
		}
		return to, nil
	}
	chairs, err := s.alias(ctx, d.Name+".chairs")
	if err != nil {
		return nil, err
	}
	if chairs != "" {
		to = addAddr(to, chairs)
	} else {
		as, err := s.addresses(ctx, groups.RoleFilter{GroupID: d.GroupID, Name: "chair"})
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			to = addAddr(to, a)
		}
	}
	l, err := s.Lists.Get(ctx, d.Group)
	if fail.KindOf(err) == fail.NotFound {
		return to, nil // hum has no list of the group's: the record's list address is not ours to mail
	}
	if err != nil {
		return nil, err
	}
	return addAddr(to, l.Address(s.Domain)), nil
}

// alias is local@Domain when it is an alias of hum's that reaches
// someone now, else "".
func (s *Service) alias(ctx context.Context, local string) (string, error) {
	if s.Aliases == nil {
		return "", nil
	}
	a, found, err := s.Aliases.Lookup(ctx, s.DB, local+"@"+s.Domain)
	if err != nil || !found || len(a.To) == 0 {
		return "", err
	}
	return a.Address, nil
}

// wrap fills text to width columns.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		if n > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

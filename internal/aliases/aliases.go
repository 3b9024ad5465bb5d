// Package aliases answers for the addresses hum has that are not lists,
// as the Datatracker's aliases do: the sitting IESG (iesg@), the IAB
// (iab@), the
// secretariat (iesg-secretary@ and the addresses hum sends from), a
// draft's people ({draft}@, .authors, .chairs, .ad, .shepherd, .notify,
// .all), a group's ({acronym}-chairs@, -ads@) and a NomCom chair's
// (nomcom-chair-YYYY@, which NomCom mail comes from). An alias is not a
// list: nothing is archived and nobody subscribes. Each is expanded from
// the roles at the moment a message is sent, so it never goes stale, and
// one that reaches nobody is refused at RCPT, saying why.
//
// Its edges: it is the mail.Target the SMTP endpoint hands inbound mail
// to, and passes everything that is not an alias to the lists (which
// come first: a list's address is never an alias); mail to an alias
// goes out through the outbox. Router does the same for mail hum writes
// itself. It reads documents, groups and people through the views their
// owners publish (migrations 0011, 0024).
package aliases

import (
	"context"
	"slices"
	"strings"

	"hum/internal/db"
	"hum/internal/mail"
)

// MaxBytes is the largest message taken for an alias: as much as a list
// takes by default.
const MaxBytes = 10 << 20

// Lists is what aliases needs of the mailing lists: they answer for
// their own addresses, and Has says (in any transaction, never creating
// one) whether a name is a list's.
type Lists interface {
	mail.Target
	Has(ctx context.Context, q db.Querier, name string) (bool, error)
}

// Outbox queues mail as it came, for an envelope of hum's choosing.
type Outbox interface {
	QueueRaw(ctx context.Context, tx *db.Tx, from string, rcpt []string, subject string, raw []byte) error
}

// Service expands aliases and delivers mail sent to them.
type Service struct {
	DB     *db.DB
	Lists  Lists
	Outbox Outbox
	Domain string // aliases are {local}@{Domain}, as lists are
}

// Alias is one address and whom it reaches now.
type Alias struct {
	Address string // local@domain
	Local   string
	// About says whom the alias is for, in words ("the authors of ...").
	About string
	// To is whom it reaches now, sorted, each once.
	To []Recipient
	// Nobody says why it reaches nobody now, when To is empty.
	Nobody string
}

// Recipient is one address an alias reaches, with the name of the
// person whose address it is (empty for an address without an account,
// such as an author's address as the draft prints it).
type Recipient struct {
	Address string
	Name    string
}

// Addresses returns the addresses of a's recipients.
func (a Alias) Addresses() []string {
	var out []string
	for _, r := range a.To {
		out = append(out, r.Address)
	}
	return out
}

// system are the aliases of the standards body itself. hum sends from
// internet-drafts@, rfc-editor@ and hum@, so a reply to them reaches the
// secretariat, who posts drafts, publishes RFCs and runs the site in hum.
var system = map[string]struct{ about, nobody string }{
	"iesg":            {"the sitting IESG: the ADs of the active areas and the IESG's other members", "nobody sits on the IESG"},
	"iab":             {"the IAB: its chair, members and ex-officio members", "nobody sits on the IAB"},
	"iesg-secretary":  {"the IETF Secretariat", "nobody holds a role in the secretariat"},
	"internet-drafts": {"the IETF Secretariat, for Internet-Drafts", "nobody holds a role in the secretariat"},
	"rfc-editor":      {"the IETF Secretariat, who publishes RFCs in hum", "nobody holds a role in the secretariat"},
	"hum":             {"the IETF Secretariat, who runs this site", "nobody holds a role in the secretariat"},
}

// draftSuffixes are the Datatracker's draft aliases, in its order.
var draftSuffixes = []string{"", ".authors", ".chairs", ".ad", ".notify", ".shepherd", ".all"}

// local returns the local part of addr when addr is at hum's domain.
func (s *Service) local(addr string) (string, bool) {
	local, domain, ok := strings.Cut(strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<>")), "@")
	if !ok || local == "" || domain != strings.ToLower(s.Domain) {
		return "", false
	}
	return local, true
}

// Lookup finds the alias addr names and expands it, in q; found is false
// when addr is not an alias of hum's (it may be a list's address). A
// list of the same name wins: its address is never an alias.
func (s *Service) Lookup(ctx context.Context, q db.Querier, addr string) (a Alias, found bool, err error) {
	local, ok := s.local(addr)
	if !ok {
		return a, false, nil
	}
	if isList, err := s.Lists.Has(ctx, q, local); err != nil || isList {
		return a, false, err
	}
	a = Alias{Address: local + "@" + strings.ToLower(s.Domain), Local: local}
	var addrs []string
	switch {
	case system[local].about != "":
		found = true
		a.About, a.Nobody = system[local].about, system[local].nobody
		addrs, err = s.systemAddrs(ctx, q, local)
	case strings.HasPrefix(local, "draft-"):
		found, addrs, err = s.draft(ctx, q, &a)
	case strings.HasPrefix(local, "nomcom-chair-"):
		found, addrs, err = s.nomcomChair(ctx, q, &a)
	case strings.HasSuffix(local, "-chairs"), strings.HasSuffix(local, "-ads"):
		found, addrs, err = s.group(ctx, q, &a)
	}
	if err != nil || !found {
		return Alias{}, false, err
	}
	a.To, err = s.recipients(ctx, q, addrs)
	return a, true, err
}

// recipients sorts and dedupes addrs (lower-cased, empty ones dropped)
// and names the people whose addresses they are.
func (s *Service) recipients(ctx context.Context, q db.Querier, addrs []string) ([]Recipient, error) {
	seen := map[string]bool{}
	var out []Recipient
	for _, a := range addrs {
		a = strings.ToLower(strings.TrimSpace(a))
		if a == "" || !strings.Contains(a, "@") || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, Recipient{Address: a})
	}
	slices.SortFunc(out, func(x, y Recipient) int { return strings.Compare(x.Address, y.Address) })
	if len(out) == 0 {
		return nil, nil
	}
	w := &db.Where{}
	list := make([]string, len(out))
	for i, r := range out {
		list[i] = r.Address
	}
	w.Raw("e.address IN " + w.In(list))
	names := map[string]string{}
	rows, err := db.Query(ctx, q, func(row db.Scanner) ([2]string, error) {
		var x [2]string
		err := row.Scan(&x[0], &x[1])
		return x, err
	}, `SELECT e.address, p.name FROM person_address e JOIN person_name p ON p.id = e.person_id`+w.SQL(), w.Args...)
	for _, x := range rows {
		names[x[0]] = x[1]
	}
	for i := range out {
		out[i].Name = names[out[i].Address]
	}
	return out, err
}

// notifyAlias looks up the notify alias of the document name
// ({name}.notify@).
func (s *Service) notifyAlias(ctx context.Context, q db.Querier, name string) (Alias, bool, error) {
	return s.Lookup(ctx, q, name+".notify@"+s.Domain)
}

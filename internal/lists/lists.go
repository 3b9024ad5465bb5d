// Package lists runs mailing lists: subscriptions, the posting pipeline
// (receive, check, moderate, archive, deliver), and bounces.
//
// Its edges: mail.Endpoint hands it inbound messages (it is a
// mail.Target), an Archiver stores accepted posts, a Mailer queues the
// notices it sends itself (confirmations, moderation), and a Deliverer
// sends copies of posts to the smarthost from the delivery table.
package lists

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"hum/internal/db"
	"hum/internal/fail"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
)

// Archiver stores an accepted post in the public archive, in the
// caller's transaction, so a post is archived if and only if it is taken.
type Archiver interface {
	Archive(ctx context.Context, tx *db.Tx, list string, raw []byte) (id string, duplicate bool, err error)
}

// Mailer queues mail in a transaction (mail.Outbox does).
type Mailer interface {
	Queue(ctx context.Context, tx *db.Tx, m mail.Message) error
}

// Service is the mailing-list store and pipeline.
type Service struct {
	DB      *db.DB
	Archive Archiver
	Mail    Mailer
	Domain  string // lists are {name}@{Domain}
	BaseURL string // for links in mail, without a trailing slash
	// Sending tells whether this process runs a Deliverer (hum serve
	// --smarthost). Without one, copies stay queued, and the deliveries
	// page says why.
	Sending bool

	// wake tells this process's Deliverers that copies are queued; it is
	// made on first use, so a Service needs no wiring to its Deliverers.
	wake     chan struct{}
	wakeOnce sync.Once

	// expandFault, set by tests only, fails an expansion chunk after its
	// rows are written and before they commit, as a crash there would;
	// expandBetween after they commit and before fanout_after moves on.
	expandFault   func(postID int64) error
	expandBetween func(postID int64) error
	fanoutChunk   int // subscriptions per expansion; 0 for fanoutChunk
}

// woken is the channel on which a Deliverer hears that copies wait.
func (s *Service) woken() chan struct{} {
	s.wakeOnce.Do(func() { s.wake = make(chan struct{}, 1) })
	return s.wake
}

// queued tells the Deliverers that copies wait. It never blocks.
func (s *Service) queued() {
	select {
	case s.woken() <- struct{}{}:
	default:
	}
}

// Posting policies.
const (
	PostSubscribers = "subscribers" // subscribers and allowed senders post; others are held
	PostModerated   = "moderated"   // every post is held for a moderator
	// PostAnyone takes posts from anyone, subscribed or not; the checks
	// every list makes still hold (size, loops, forged mail, R20).
	PostAnyone = "anyone"
)

// Delivery modes.
const (
	ModeEach   = "each"
	ModeDigest = "digest"
	ModeNone   = "none"
)

// List is one mailing list.
type List struct {
	ID            int64
	Name          string
	GroupID       int64 // 0 for a standalone list
	Description   string
	ArchivePublic bool
	PostPolicy    string
	MaxBytes      int64
	Created       time.Time
	Subscribers   int // active, filled by All and Get
}

// MaxKB is the size limit in KB, for forms.
func (l List) MaxKB() int64 { return l.MaxBytes / 1024 }

// Address is the list's posting address.
func (l List) Address(domain string) string { return l.Name + "@" + domain }

// Standalone lists every standards body has.
var Standalone = []struct{ Name, Description, Policy string }{
	{"ietf", "General discussion of the work of the standards body.", PostSubscribers},
	{"ietf-announce", "Announcements: last calls, approvals, meetings. Posts are moderated.", PostModerated},
	{"i-d-announce", "A message for each new Internet-Draft revision. Posts are moderated.", PostModerated},
	// Charters out for external review, copied here for other standards
	// bodies to see (R13; the IETF's new-work@ietf.org).
	{"new-work", "Proposed charters of new and rechartered working groups, for other standards bodies. Posts are moderated.", PostModerated},
	// Each Last Call announcement asks for comments here; the document's
	// page links those that name it.
	{"last-call", "Comments on IETF Last Calls. Anyone may post; the archive is public.", PostAnyone},
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,62}$`)

const listCols = `l.id, l.name, COALESCE(l.group_id, 0), l.description, l.archive_public, l.post_policy, l.max_bytes, l.created,
	(SELECT COUNT(*) FROM subscription s WHERE s.list_id = l.id AND s.state = 'active')`

func scanList(row interface{ Scan(...any) error }) (List, error) {
	var l List
	err := row.Scan(&l.ID, &l.Name, &l.GroupID, &l.Description, &l.ArchivePublic, &l.PostPolicy, &l.MaxBytes, &l.Created, &l.Subscribers)
	return l, err
}

// Get returns a list by name. A WG created since the last Ensure gets its
// list here, so mail to a new group's list works at once.
func (s *Service) Get(ctx context.Context, name string) (List, error) {
	l, err := get(ctx, s.DB, name)
	if fail.KindOf(err) == fail.NotFound && nameRE.MatchString(name) {
		if err := s.Ensure(ctx); err != nil {
			return l, err
		}
		l, err = get(ctx, s.DB, name)
	}
	return l, err
}

func get(ctx context.Context, q db.Querier, name string) (List, error) {
	l, err := scanList(q.QueryRowContext(ctx, `SELECT `+listCols+` FROM list l WHERE l.name = $1`, strings.ToLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return l, fail.New(fail.NotFound, "There is no list called %q.", name)
	}
	return l, err
}

// All returns every list by name.
func (s *Service) All(ctx context.Context) ([]List, error) {
	return db.Query(ctx, s.DB, scanList, `SELECT `+listCols+` FROM list l ORDER BY l.name`)
}

// Ensure creates the standalone lists and a list for every WG that is
// active or a BoF and has none yet. It runs at start-up and whenever a
// name is looked up that has no list, so there is no hook to forget in
// groups; a concluded WG keeps its list (and archive).
func (s *Service) Ensure(ctx context.Context) (err error) {
	defer fail.Wrap(&err, "lists.Ensure")
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		for _, l := range Standalone {
			res, err := tx.ExecContext(ctx, `INSERT INTO list (name, description, post_policy, created) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`,
				l.Name, l.Description, l.Policy, tx.Now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				if err := record.Add(ctx, tx, record.System, "list", l.Name, "list_created", "List "+l.Name+" created", ""); err != nil {
					return err
				}
			}
		}
		type wg struct {
			id         int64
			acro, name string
		}
		wgs, err := db.Query(ctx, tx, func(row db.Scanner) (wg, error) {
			var g wg
			err := row.Scan(&g.id, &g.acro, &g.name)
			return g, err
		}, `SELECT g.id, g.acronym, g.name FROM group_ref g
			WHERE g.type IN ('wg', 'rg') AND g.state IN ('active', 'bof', 'proposed')
			  AND NOT EXISTS (SELECT 1 FROM list l WHERE l.name = g.acronym)`)
		if err != nil {
			return err
		}
		for _, g := range wgs {
			if !nameRE.MatchString(g.acro) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO list (name, group_id, description, created) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`,
				g.acro, g.id, "Discussion list of the "+g.name+" working group.", tx.Now); err != nil {
				return err
			}
			if err := record.Add(ctx, tx, record.System, "list", g.acro, "list_created", "List "+g.acro+" created for the working group", ""); err != nil {
				return err
			}
		}
		return nil
	})
}

// Settings are what a list's moderators may change.
type Settings struct {
	Description   string
	ArchivePublic bool
	PostPolicy    string
	MaxBytes      int64
}

// Configure changes a list's settings.
func (s *Service) Configure(ctx context.Context, by groups.Actor, name string, c Settings) (err error) {
	defer fail.Wrap(&err, "lists.Configure(%q)", name)
	if c.PostPolicy != PostSubscribers && c.PostPolicy != PostModerated && c.PostPolicy != PostAnyone {
		return fail.Field("post_policy", "Choose who may post: subscribers, everyone through moderation, or anyone.")
	}
	if c.MaxBytes < 1024 || c.MaxBytes > 50<<20 {
		return fail.Field("max_bytes", "The size limit must be between 1 KB and 50 MB.")
	}
	if len(c.Description) > 2000 {
		return fail.Field("description", "The description is too long (2000 characters at most).")
	}
	l, err := s.Get(ctx, name)
	if err != nil {
		return err
	}
	if ok, err := s.MayModerate(ctx, by, l); err != nil || !ok {
		return firstErr(err, fail.New(fail.Forbidden, "Only the list's moderators and the secretariat may change its settings."))
	}
	if !c.ArchivePublic {
		if err := s.mayHideArchive(ctx, l); err != nil {
			return err
		}
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE list SET description = $1, archive_public = $2, post_policy = $3, max_bytes = $4 WHERE id = $5`,
			strings.TrimSpace(c.Description), c.ArchivePublic, c.PostPolicy, c.MaxBytes, l.ID)
		if err != nil {
			return err
		}
		return record.Add(ctx, tx, by.Actor, "list", l.Name, "list_configured", "List settings changed", "")
	})
}

// MayModerate tells whether a person moderates a list: the group's
// chairs (and its secretaries and delegates), moderators added to the
// list, and the secretariat.
func (s *Service) MayModerate(ctx context.Context, who groups.Actor, l List) (bool, error) {
	switch {
	case who.ID == 0:
		return false, nil
	case who.Secretariat() || who.LeadsGroup(l.GroupID):
		return true, nil
	}
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM list_moderator WHERE list_id = $1 AND person_id = $2`, l.ID, who.ID).Scan(&n)
	return n > 0, err
}

// mayReadArchives returns which of ls (by id) the person may read even
// when the archive is private: the lists they moderate (MayModerate's
// rule) and those they subscribe to with any of addresses. It asks the
// database three times whatever the number of lists.
func (s *Service) mayReadArchives(ctx context.Context, who groups.Actor, addresses []string, ls []List) (map[int64]bool, error) {
	may := map[int64]bool{}
	if who.ID == 0 || len(ls) == 0 {
		return may, nil
	}
	for _, l := range ls {
		if who.Secretariat() || who.LeadsGroup(l.GroupID) {
			may[l.ID] = true
		}
	}
	ids := make([]string, len(ls))
	for i, l := range ls {
		ids[i] = strconv.FormatInt(l.ID, 10)
	}
	// List ids are our own integers, safe to inline.
	w := &db.Where{}
	w.Raw("list_id IN (" + strings.Join(ids, ",") + ")")
	w.Add("person_id = $?", who.ID)
	if err := collectIDs(ctx, s.DB, `SELECT list_id FROM list_moderator`+w.SQL(), w.Args, may); err != nil {
		return nil, err
	}
	var addrs []string
	for _, a := range addresses {
		if a, err := people.NormalizeEmail(a); err == nil {
			addrs = append(addrs, a)
		}
	}
	if len(addrs) > 0 {
		w := &db.Where{}
		w.Raw("list_id IN (" + strings.Join(ids, ",") + ")")
		w.Raw("address IN " + w.In(addrs))
		w.Raw("state <> 'gone'")
		if err := collectIDs(ctx, s.DB, `SELECT list_id FROM subscription`+w.SQL(), w.Args, may); err != nil {
			return nil, err
		}
	}
	return may, nil
}

// collectIDs adds to set the ids a one-column query returns.
func collectIDs(ctx context.Context, q db.Querier, query string, args []any, set map[int64]bool) error {
	ids, err := db.Query(ctx, q, db.Scalar[int64], query, args...)
	for _, id := range ids {
		set[id] = true
	}
	return err
}

// Moderator is a person added as a moderator of a list, beyond the
// group's chairs and the secretariat.
type Moderator struct {
	PersonID int64
	Name     string
	Address  string // primary
}

// Moderators lists the moderators added to a list, by name, for its
// moderators and the secretariat.
func (s *Service) Moderators(ctx context.Context, by groups.Actor, name string) ([]Moderator, error) {
	l, err := s.mayModerate(ctx, by, name)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, s.DB, func(row db.Scanner) (Moderator, error) {
		var m Moderator
		err := row.Scan(&m.PersonID, &m.Name, &m.Address)
		return m, err
	}, `SELECT p.id, p.name, COALESCE(e.address, '') FROM list_moderator m
		JOIN person_name p ON p.id = m.person_id LEFT JOIN person_address e ON e.person_id = p.id AND e.is_primary
		WHERE m.list_id = $1 ORDER BY p.name, p.id`, l.ID)
}

// AddModerator makes the person with an address a moderator of a list.
func (s *Service) AddModerator(ctx context.Context, by groups.Actor, name, addr string) (err error) {
	defer fail.Wrap(&err, "lists.AddModerator(%q)", name)
	return s.changeModerator(ctx, by, name, addr, true)
}

// RemoveModerator takes a moderator added to a list off it. The group's
// chairs and the secretariat moderate by their roles, not from here.
func (s *Service) RemoveModerator(ctx context.Context, by groups.Actor, name, addr string) (err error) {
	defer fail.Wrap(&err, "lists.RemoveModerator(%q)", name)
	return s.changeModerator(ctx, by, name, addr, false)
}

func (s *Service) changeModerator(ctx context.Context, by groups.Actor, name, addr string, add bool) error {
	addr, err := people.NormalizeEmail(addr)
	if err != nil {
		return err
	}
	l, err := s.Get(ctx, name)
	if err != nil {
		return err
	}
	if ok, err := s.MayModerate(ctx, by, l); err != nil || !ok {
		return firstErr(err, fail.New(fail.Forbidden, "Only the list's moderators and the secretariat may change its moderators."))
	}
	return s.DB.Write(ctx, func(tx *db.Tx) error {
		var pid int64
		var who string
		err := tx.QueryRowContext(ctx, `SELECT p.id, p.name FROM person_address e JOIN person_name p ON p.id = e.person_id WHERE e.address = $1`, addr).Scan(&pid, &who)
		if errors.Is(err, sql.ErrNoRows) {
			return fail.Field("email", "Nobody has an account with %s. A moderator needs one, to log in and moderate.", addr)
		}
		if err != nil {
			return err
		}
		var res sql.Result
		kind, summary := "moderator_added", who+" now moderates the list"
		if add {
			res, err = tx.ExecContext(ctx, `INSERT INTO list_moderator (list_id, person_id, created) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, l.ID, pid, tx.Now)
		} else {
			kind, summary = "moderator_removed", who+" no longer moderates the list"
			res, err = tx.ExecContext(ctx, `DELETE FROM list_moderator WHERE list_id = $1 AND person_id = $2`, l.ID, pid)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // it was so already: nothing changed, nothing to record
		}
		return record.Add(ctx, tx, by.Actor, "list", l.Name, kind, summary, "")
	})
}

// moderatorAddresses are where held-post notices and owner mail go: the
// group's chairs and the moderators added to the list, or, when there
// are none (the standalone lists), the secretariat.
func (s *Service) moderatorAddresses(ctx context.Context, q db.Querier, l List) ([]string, error) {
	as, err := db.Query(ctx, q, db.Scalar[string], `SELECT DISTINCT e.address FROM role_holder r JOIN person_address e ON e.person_id = r.person_id AND e.is_primary
		WHERE r.group_id = $1 AND r.role = 'chair'
		UNION SELECT e.address FROM list_moderator m JOIN person_address e ON e.person_id = m.person_id AND e.is_primary WHERE m.list_id = $2`, l.GroupID, l.ID)
	if err != nil || len(as) > 0 {
		return as, err
	}
	return db.Query(ctx, q, db.Scalar[string], `SELECT DISTINCT e.address FROM role_holder r
		JOIN person_address e ON e.person_id = r.person_id AND e.is_primary
		WHERE r.acronym = 'secretariat' ORDER BY e.address`)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

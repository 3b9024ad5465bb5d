// Package app assembles hum. One typed configuration (config.go: each
// setting's flag, environment variable, default and help in one table)
// and one constructor, New, that builds every service from it, once, with
// nothing set on a service afterwards. hum serve, every subcommand, the
// demo and the benchmarks all start here.
//
// Adding a capability is: its package, its migration, one line in New
// that builds its service, its periodic work handed to the job runner
// (a Jobs method), and its route file in web.
package app

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"hum/internal/appeals"
	"hum/internal/consensus"
	"log/slog"
	"os"
	"slices"
	"sync"

	"hum/internal/aliases"
	"hum/internal/archive"
	"hum/internal/charters"
	"hum/internal/db"
	"hum/internal/demo"
	"hum/internal/docs"
	"hum/internal/export"
	"hum/internal/groups"
	"hum/internal/implementations"
	"hum/internal/ipr"
	"hum/internal/jobs"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/meetings"
	"hum/internal/nomcom"
	"hum/internal/notices"
	"hum/internal/opendata"
	"hum/internal/people"
	"hum/internal/scheduler"
	"hum/internal/telechat"
	"hum/internal/web"
)

// App is hum's services, built from one Config.
type App struct {
	Config Config
	Log    *slog.Logger
	DB     *db.DB

	Outbox  *mail.Outbox // mail hum sends itself (not list copies)
	People  *people.Service
	Groups  *groups.Service
	Archive *archive.Service
	Lists   *lists.Service
	// Aliases answers for the addresses that are not lists (iesg@, a
	// draft's authors, a group's chairs): the SMTP endpoint's Target,
	// handing the lists their own mail.
	Aliases   *aliases.Service
	Docs      *docs.Service
	Meetings  *meetings.Service
	Scheduler *scheduler.Service
	Consensus *consensus.Service
	Appeals   *appeals.Service
	Charters  *charters.Service
	Jobs      *jobs.Runner

	Implementations *implementations.Service
	// OpenData is the open record as data: the Datatracker's API.
	OpenData *opendata.Service
	// Export is the public dump of the record (hum export --public,
	// /api/export/), made daily by the job runner.
	Export   *export.Service
	IPR      *ipr.Service
	Telechat *telechat.Service // the IESG's telechats
	Notices  *notices.Service  // notices of document changes, and following
	NomCom   *nomcom.Service

	// With a smarthost, these send the outbox and the list copies.
	sender    *mail.Sender
	deliverer *lists.Deliverer
}

// Open opens and migrates the configured database and builds the
// services on it. Close closes the database.
func Open(ctx context.Context, c Config, log *slog.Logger) (*App, error) {
	if err := c.Resolve(); err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, c.DB)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("cannot bring the database schema up to date: %w", err)
	}
	a, err := New(d, c, log)
	if err != nil {
		d.Close()
	}
	return a, err
}

// New builds every service on an open, migrated database. c must be
// resolved (Config.Resolve); a nil log discards.
func New(d *db.DB, c Config, log *slog.Logger) (*App, error) {
	if c.BaseURL == "" || c.Domain == "" {
		return nil, fmt.Errorf("app.New: the configuration has no base URL or mail domain (call Config.Resolve)")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &App{Config: c, Log: log, DB: d, Jobs: jobs.New(log)}
	a.Outbox = &mail.Outbox{Name: "hum"}
	a.People = &people.Service{DB: d, Mail: a.Outbox, BaseURL: c.BaseURL, From: "hum@" + c.Domain}
	a.Groups = &groups.Service{DB: d}
	a.Archive = &archive.Service{DB: d, HideAddresses: c.HideAddresses, Log: log}
	a.Lists = &lists.Service{DB: d, Archive: archiver{a.Archive}, Mail: a.Outbox,
		Domain: c.Domain, BaseURL: c.BaseURL, Sending: c.Smarthost != ""}
	a.Aliases = &aliases.Service{DB: d, Lists: a.Lists, Outbox: a.Outbox, Domain: c.Domain}
	// Mail hum writes goes to lists as posts, to aliases as expanded now,
	// and to everyone else through the outbox.
	mailer := a.Aliases.Router(a.Lists.Router(a.Outbox))
	a.Meetings = &meetings.Service{DB: d, Groups: a.Groups, Mail: mailer, BaseURL: c.BaseURL, Domain: c.Domain, Lists: a.Lists}
	a.Scheduler = &scheduler.Service{Meetings: a.Meetings}
	a.Docs = &docs.Service{DB: d, Groups: a.Groups, Mail: mailer, BaseURL: c.BaseURL, Domain: c.Domain,
		Cutoff: submissionCutoff(a.Meetings), IPR: writeupIPR{a}, Lists: a.Lists}
	a.Consensus = &consensus.Service{DB: d, Groups: a.Groups, Docs: a.Docs, Archive: a.Archive, Mail: mailer, BaseURL: c.BaseURL, Domain: c.Domain}
	a.Implementations = &implementations.Service{DB: d, Docs: a.Docs}
	a.Charters = &charters.Service{DB: d, Groups: a.Groups, Lists: a.Lists, Mail: mailer, BaseURL: c.BaseURL, Domain: c.Domain}
	a.Appeals = &appeals.Service{DB: d, Groups: a.Groups, Docs: a.Docs, Mail: mailer, BaseURL: c.BaseURL, Domain: c.Domain}
	a.IPR = &ipr.Service{DB: d, Docs: a.Docs, Groups: a.Groups, Lists: a.Lists, Aliases: a.Aliases, Mail: mailer, BaseURL: c.BaseURL, Domain: c.Domain}
	a.NomCom = &nomcom.Service{DB: d, Groups: a.Groups, Meetings: a.Meetings, Docs: a.Docs, Mail: mailer, BaseURL: c.BaseURL, Domain: c.Domain}
	a.Telechat = &telechat.Service{DB: d, Docs: a.Docs, Charters: a.Charters}
	a.Notices = &notices.Service{DB: d, Mail: mailer, Notify: a.Aliases.Notifier(a.Lists.Router(a.Outbox)), BaseURL: c.BaseURL, Domain: c.Domain, Log: log}
	od, err := web.OpenData(web.Config{DB: d, Groups: a.Groups, People: a.People, Docs: a.Docs, Lists: a.Lists, Archive: a.Archive, IPR: a.IPR,
		Telechat: a.Telechat, Implementations: a.Implementations, Appeals: a.Appeals, Meetings: a.Meetings, Consensus: a.Consensus})
	if err != nil {
		return nil, err
	}
	a.OpenData = od
	a.Export = &export.Service{DB: d, API: od, Archive: a.Archive, Lists: a.Lists}
	if c.Smarthost != "" {
		a.sender = mail.NewSender(d, c.Smarthost, c.Domain, log)
		a.sender.Refuse = demo.ExternalLists(d) // never to a real list the demo copied
		a.Outbox.Notify = a.sender.Wake
		var key *lists.DKIMKey
		if c.DKIMKey != "" {
			signer, err := readDKIMKey(c.DKIMKey)
			if err != nil {
				return nil, err
			}
			key = &lists.DKIMKey{Domain: c.Domain, Selector: c.DKIMSelector, Signer: signer}
		}
		a.deliverer = &lists.Deliverer{Lists: a.Lists, Smarthost: c.Smarthost, Hello: c.Domain, Log: log, DKIM: key}
	}
	for _, j := range slices.Concat(a.Docs.Jobs(), a.Archive.Jobs(), a.Meetings.Jobs(), a.Lists.Jobs(), a.NomCom.Jobs(), a.Notices.Jobs(), a.Export.Jobs(), web.Jobs(d)) {
		a.Jobs.Add(j)
	}
	return a, nil
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

// Start runs the background work (the job runner, and with a smarthost
// the outbox sender and the list Deliverer) until ctx is done; wg tells
// when all of it has stopped, which must come before Close.
func (a *App) Start(ctx context.Context, wg *sync.WaitGroup) {
	run := func(f func(context.Context)) {
		wg.Add(1)
		go func() { defer wg.Done(); f(ctx) }()
	}
	run(a.Jobs.Run)
	if a.sender != nil {
		run(a.sender.Run)
	}
	if a.deliverer != nil {
		run(a.deliverer.Run)
	}
}

// archiver adapts archive.Service to lists.Archiver.
type archiver struct{ s *archive.Service }

func (a archiver) Archive(ctx context.Context, tx *db.Tx, list string, raw []byte) (string, bool, error) {
	st, err := a.s.Add(ctx, tx, list, raw)
	return st.ID, st.Duplicate, err
}

// readDKIMKey reads a PEM private key (PKCS#8, or PKCS#1 RSA).
func readDKIMKey(path string) (crypto.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("--dkim-key %s: no PEM block", path)
	}
	if k, err := x509.ParsePKCS1PrivateKey(blk.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("--dkim-key %s: %w", path, err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("--dkim-key %s: not a signing key", path)
	}
	return signer, nil
}

// writeupIPR gives the shepherd write-up's IPR question the disclosures
// internal/ipr holds (ipr reads docs, so docs asks through this; a.IPR is
// built after a.Docs, and asked only once New has returned).
type writeupIPR struct{ a *App }

func (w writeupIPR) DisclosuresFor(ctx context.Context, name string) ([]docs.IPRDisclosure, error) {
	ds, err := w.a.IPR.ForDocument(ctx, name)
	if err != nil {
		return nil, err
	}
	out := make([]docs.IPRDisclosure, 0, len(ds))
	for _, d := range ds {
		x := docs.IPRDisclosure{ID: d.ID, Title: d.Title, Holder: d.HolderLegalName, URL: fmt.Sprintf("/ipr/%d/", d.ID)}
		if d.Posted != nil {
			x.Posted = *d.Posted
		}
		out = append(out, x)
	}
	return out, nil
}

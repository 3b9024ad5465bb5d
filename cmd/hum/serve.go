package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"hum/internal/app"
	"hum/internal/demo"
	"hum/internal/mail"
	"hum/internal/web"
)

// serve is `hum serve`: configuration, assembly, start. It runs until ctx
// is done, then stops the HTTP server, waits for the background work and
// closes the database.
func serve(ctx context.Context, args []string, out io.Writer) error {
	return serveAt(ctx, args, out, nil)
}

// serveAt is serve on a given clock: now, when not nil, stands for the
// wall clock in every change hum makes (the database's clock, db.DB.Now).
// The end-to-end tests move it, as the other tests move the database's,
// so that a rule that waits a week (R13) is tested without waiting; the
// command itself passes nil.
func serveAt(ctx context.Context, args []string, out io.Writer, now func() time.Time) error {
	fs := flags("serve", "http", "base-url", "domain", "smtp", "lmtp", "smarthost", "resolver", "dkim-key", "dkim-selector", "demo", "hide-addresses", "dev-templates")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	log := newLogger(out)
	start := time.Now()
	if err := os.MkdirAll(fs.cfg.Data, 0o755); err != nil {
		return err
	}
	a, err := fs.open(ctx, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if now != nil {
		a.DB.Now = now
	}
	c := a.Config

	logins, err := loadDemo(ctx, a, start)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{DB: a.DB, People: a.People, Groups: a.Groups, Archive: a.Archive, Lists: a.Lists, Docs: a.Docs, Meetings: a.Meetings, Scheduler: a.Scheduler, Consensus: a.Consensus, Aliases: a.Aliases, Implementations: a.Implementations, Telechat: a.Telechat, Appeals: a.Appeals, IPR: a.IPR, Charters: a.Charters, NomCom: a.NomCom, Notices: a.Notices, OpenData: a.OpenData, Export: a.Export, Jobs: a.Jobs,
		Log: log, BaseURL: c.BaseURL, Demo: c.Demo, DemoLogins: logins, DevTemplates: c.DevTemplates})
	if err != nil {
		return err
	}
	if err := a.Lists.Ensure(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.HTTP)
	if err != nil {
		return err
	}

	// Background work stops with ctx, or when serve fails; serve waits
	// for it before the database closes under it.
	var bg sync.WaitGroup
	defer bg.Wait()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	a.Start(ctx, &bg)
	if err := serveMail(ctx, &bg, a, log); err != nil {
		ln.Close() // never served: its port is free again
		return err
	}
	hs := srv.HTTPServer()
	log.Info("hum is serving", "http", "http://"+ln.Addr().String(), "base_url", c.BaseURL, "db", a.DB.Dialect, "smarthost", c.Smarthost, "started_in", time.Since(start).Round(time.Millisecond))
	if c.Smarthost == "" {
		log.Info("no --smarthost: outbound mail is held for the secretariat at " + c.BaseURL + "/admin/outbox/")
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	return nil
}

// loadDemo loads the demo standards body into an empty database when
// --demo is given, and returns the logins the front page shows.
func loadDemo(ctx context.Context, a *app.App, start time.Time) ([]web.DemoLogin, error) {
	if !a.Config.Demo {
		return nil, nil
	}
	loaded, err := demo.Loaded(ctx, a.DB)
	if err != nil {
		return nil, err
	}
	if !loaded {
		dl, err := demo.Load(ctx, a.DB, a.People, a.Groups, demo.Options{Archive: a.Archive, Lists: a.Lists, Docs: a.Docs, Meetings: a.Meetings, Charters: a.Charters, NomCom: a.NomCom})
		if err != nil {
			return nil, fmt.Errorf("loading the demo: %w", err)
		}
		// The demo's story is thousands of changes: nobody is told of them.
		if err := a.Notices.Skip(ctx); err != nil {
			return nil, err
		}
		a.Log.Info("demo standards body loaded", "logins", len(dl), "took", time.Since(start).Round(time.Millisecond))
		debug.FreeOSMemory() // the load's garbage would otherwise sit in RSS until the first busy minute
	}
	dl, err := demo.Logins(ctx, a.DB)
	if err != nil {
		return nil, err
	}
	var logins []web.DemoLogin
	for _, l := range dl {
		logins = append(logins, web.DemoLogin{Email: l.Email, Password: demo.Password, What: l.What})
	}
	return logins, nil
}

// serveMail takes list mail on --smtp: as SMTP, or with --lmtp as LMTP
// behind an MTA (a path starting with / is a unix socket).
func serveMail(ctx context.Context, bg *sync.WaitGroup, a *app.App, log *slog.Logger) error {
	c := a.Config
	if c.SMTP == "" {
		return nil
	}
	network := "tcp"
	if c.SMTP[0] == '/' {
		network = "unix" // an LMTP socket for Postfix
	}
	ln, err := net.Listen(network, c.SMTP)
	if err != nil {
		return err
	}
	checker := &mail.Checker{Hostname: c.Domain}
	if c.Resolver != "" {
		checker.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, c.Resolver)
		}}
	}
	ep := &mail.Endpoint{Hostname: c.Domain, Target: a.Aliases, Checker: checker, LMTP: c.LMTP, Log: log}
	bg.Add(2)
	go func() {
		defer bg.Done()
		if err := ep.Serve(ln); err != nil {
			log.Error("smtp endpoint", "err", err)
		}
	}()
	go func() { defer bg.Done(); <-ctx.Done(); ep.Close() }()
	proto := "smtp"
	if c.LMTP {
		proto = "lmtp"
	}
	log.Info("list mail endpoint listening", "proto", proto, "addr", ln.Addr().String(), "domain", c.Domain)
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"hum/internal/archive"
	"hum/internal/demo"
	"hum/internal/docs"
	"hum/internal/groups"
	"hum/internal/lists"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/web"
)

func serve(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("serve")
	dsn := dbFlag(fs)
	httpAddr := fs.String("http", env("http", "127.0.0.1:8080"), "HTTP listen address (env HUM_HTTP)")
	baseURL := fs.String("base-url", env("base-url", ""), "public address used in links in mail and feeds; default http:// plus --http (env HUM_BASE_URL)")
	smtpAddr := fs.String("smtp", env("smtp", "127.0.0.1:2525"), "SMTP/LMTP listen address for list mail (env HUM_SMTP)")
	domain := fs.String("domain", env("domain", ""), "mail domain lists live under; default the host of --base-url (env HUM_DOMAIN)")
	lmtp := fs.Bool("lmtp", env("lmtp", "") == "1" || env("lmtp", "") == "true", "speak LMTP instead of SMTP on --smtp, for hum behind Postfix; a --smtp starting with / is a unix socket (env HUM_LMTP=1)")
	dkimKey := fs.String("dkim-key", env("dkim-key", ""), "PEM private key to DKIM-sign list copies with, as --domain (env HUM_DKIM_KEY)")
	dkimSelector := fs.String("dkim-selector", env("dkim-selector", "hum"), "DKIM selector of --dkim-key (env HUM_DKIM_SELECTOR)")
	smarthost := fs.String("smarthost", env("smarthost", ""), "HOST:PORT to hand outbound mail to; without it mail stays in /admin/outbox/ (env HUM_SMARTHOST)")
	dataDir := fs.String("data", env("data", "./hum-data"), "directory for files such as drafts (env HUM_DATA)")
	withDemo := fs.Bool("demo", env("demo", "") == "true" || env("demo", "") == "1", "load a demo standards body into an empty database (env HUM_DEMO=1)")
	hideAddrs := fs.Bool("hide-addresses", env("hide-addresses", "") == "true" || env("hide-addresses", "") == "1", "show anonymous readers of the mail archive authors' names only, no addresses; raw messages and mbox exports, which carry addresses, then need a login (env HUM_HIDE_ADDRESSES=1)")
	devTemplates := fs.String("dev-templates", env("dev_templates", ""), "reload templates from this directory (internal/web) on each request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	log := newLogger(out)
	start := time.Now()

	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := os.MkdirAll(*dataDir, 0o755); err != nil {
		return err
	}
	if *baseURL == "" {
		*baseURL = "http://" + *httpAddr
	}
	*baseURL = strings.TrimSuffix(*baseURL, "/")
	if *domain == "" {
		*domain = mailDomain(*baseURL)
	}

	// Background workers stop with ctx; serve waits for them before the
	// database closes under them.
	var bg sync.WaitGroup
	defer bg.Wait()
	outbox := &mail.Outbox{Name: "hum"}
	if *smarthost != "" {
		sender := mail.NewSender(d, *smarthost, *domain, log)
		outbox.Notify = sender.Wake
		bg.Add(1)
		go func() { defer bg.Done(); sender.Run(ctx) }()
	}
	ps := &people.Service{DB: d, Mail: outbox, BaseURL: *baseURL, From: "hum@" + *domain}
	gs := &groups.Service{DB: d}

	arch := &archive.Service{DB: d, HideAddresses: *hideAddrs, Log: log}
	ls := &lists.Service{DB: d, Groups: gs, Archive: archiver{arch}, Mail: outbox, Domain: *domain, BaseURL: *baseURL}

	ds := &docs.Service{DB: d, Mail: ls.Router(outbox), BaseURL: *baseURL, Domain: *domain}

	var logins []web.DemoLogin
	if *withDemo {
		loaded, err := demo.Loaded(ctx, d)
		if err != nil {
			return err
		}
		if !loaded {
			dl, err := demo.Load(ctx, d, ps, gs, demo.Options{Archive: arch, Lists: ls, Docs: ds})
			if err != nil {
				return fmt.Errorf("loading the demo: %w", err)
			}
			log.Info("demo standards body loaded", "logins", len(dl), "took", time.Since(start).Round(time.Millisecond))
			debug.FreeOSMemory() // the load's garbage would otherwise sit in RSS until the first busy minute
		}
		dl, err := demo.Logins(ctx, d)
		if err != nil {
			return err
		}
		for _, l := range dl {
			logins = append(logins, web.DemoLogin{Email: l.Email, Password: demo.Password, What: l.What})
		}
	}

	if err := serveLists(ctx, &bg, ls, *smtpAddr, *lmtp, *smarthost, *domain, *dkimKey, *dkimSelector, log); err != nil {
		return err
	}
	bg.Add(1)
	go func() {
		defer bg.Done()
		every(ctx, 5*time.Minute, "document timers", log, func(ctx context.Context) error { _, err := ds.Tick(ctx); return err })
	}()
	// SQLite's search index is written after each post commits; this
	// catches up what a crash or another process (hum import) left, and
	// builds the whole index when its file is new.
	bg.Add(1)
	go func() {
		defer bg.Done()
		every(ctx, time.Minute, "search index", log, func(ctx context.Context) error {
			n, err := arch.SyncIndex(ctx)
			if n > 0 {
				log.Info("search index caught up", "messages", n)
			}
			return err
		})
	}()

	srv, err := web.New(web.Config{DB: d, People: ps, Groups: gs, Archive: arch, Lists: ls, Docs: ds, Log: log, BaseURL: *baseURL, Demo: *withDemo, DemoLogins: logins, DevTemplates: *devTemplates})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	bg.Add(1)
	go func() {
		defer bg.Done()
		every(ctx, time.Hour, "sweeping sessions", log, func(ctx context.Context) error { return web.Sweep(ctx, d) })
	}()
	log.Info("hum is serving", "http", "http://"+ln.Addr().String(), "base_url", *baseURL, "db", d.Dialect, "smarthost", *smarthost, "started_in", time.Since(start).Round(time.Millisecond))
	if *smarthost == "" {
		log.Info("no --smarthost: outbound mail is held for the secretariat at " + *baseURL + "/admin/outbox/")
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
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// mailDomain is the host of the base URL, or localhost for an address.
func mailDomain(base string) string {
	u, err := url.Parse(base)
	if err != nil || net.ParseIP(u.Hostname()) != nil || u.Hostname() == "" {
		return "localhost"
	}
	return u.Hostname()
}

// every runs fn now and then each period until ctx is done.
func every(ctx context.Context, period time.Duration, what string, log *slog.Logger, fn func(context.Context) error) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			log.Warn(what, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"hum/internal/db"
	"hum/internal/groups"
	"hum/internal/mail"
	"hum/internal/people"
	"hum/internal/record"
)

// openDB opens and migrates the database named by --db.
func openDB(ctx context.Context, dsn string) (*db.DB, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("cannot bring the database schema up to date: %w", err)
	}
	return d, nil
}

func dbFlag(fs interface {
	String(string, string, string) *string
}) *string {
	return fs.String("db", env("db", db.DefaultDSN), "database: sqlite:PATH or postgres://USER@HOST:PORT/DB (env HUM_DB)")
}

// admin is who the CLI acts as: the person running it, on the record.
func admin() record.Actor {
	u := os.Getenv("USER")
	if u == "" {
		u = "admin"
	}
	return record.Actor{Name: "(hum CLI, " + u + ")"}
}

func services(d *db.DB) (*people.Service, *groups.Service) {
	return &people.Service{DB: d, Mail: &mail.Outbox{Name: "hum"}, BaseURL: env("base-url", "http://127.0.0.1:8080"), From: "hum@" + env("domain", "localhost")},
		&groups.Service{DB: d}
}

func migrate(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("migrate")
	dsn := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	v, _ := d.Version(ctx)
	fmt.Fprintf(out, "applied %d migrations; schema version %d\n", n, v)
	return nil
}

func userAdd(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("user add")
	dsn := dbFlag(fs)
	email := fs.String("email", "", "the person's email address")
	name := fs.String("name", "", "the person's name")
	password := fs.String("password", "", "optional password; without one they set it by a reset")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: user add takes only flags", fs.Args())
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	ps, _ := services(d)
	if *password != "" {
		if err := people.CheckPassword(*password); err != nil {
			return err
		}
	}
	p, err := ps.Add(ctx, admin(), *email, *name)
	if err != nil {
		return err
	}
	if *password != "" {
		if err := ps.SetPassword(ctx, admin(), p.ID, *password); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "added %s <%s> as person %d\n", p.Name, p.Email, p.ID)
	return nil
}

func userPassword(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("user password")
	dsn := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: hum %s", commands["user password"].usage)
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	ps, _ := services(d)
	p, err := ps.ByEmail(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("reading the password from standard input: %w", err)
	}
	if err := ps.SetPassword(ctx, admin(), p.ID, strings.TrimRight(line, "\r\n")); err != nil {
		return err
	}
	fmt.Fprintf(out, "password set for %s\n", p.Email)
	return nil
}

func roleArgs(name string, args []string) (dsn, why string, rest []string, err error) {
	fs := flags(name)
	d := dbFlag(fs)
	w := fs.String("why", "", "why, for the record")
	if err := fs.Parse(args); err != nil {
		return "", "", nil, err
	}
	if fs.NArg() != 3 {
		return "", "", nil, fmt.Errorf("usage: hum %s (flags go before EMAIL ROLE GROUP)", commands[name].usage)
	}
	return *d, *w, fs.Args(), nil
}

func roleGrant(ctx context.Context, args []string, out io.Writer) error {
	dsn, why, a, err := roleArgs("role grant", args)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	ps, gs := services(d)
	p, err := ps.ByEmail(ctx, a[0])
	if err != nil {
		return err
	}
	if err := gs.Grant(ctx, admin(), a[2], a[1], p.ID, p.Email, why); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is now %s of %s\n", p.Name, groups.RoleName(strings.ToLower(a[1])), strings.ToLower(a[2]))
	return nil
}

func roleRevoke(ctx context.Context, args []string, out io.Writer) error {
	dsn, why, a, err := roleArgs("role revoke", args)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	ps, gs := services(d)
	p, err := ps.ByEmail(ctx, a[0])
	if err != nil {
		return err
	}
	if _, err := gs.Get(ctx, a[2]); err != nil {
		return err
	}
	rs, _, err := gs.Roles(ctx, groups.RoleFilter{PersonID: p.ID, Acronym: a[2], Name: strings.ToLower(a[1])})
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return fmt.Errorf("%s is not %s of %s", p.Name, a[1], a[2])
	}
	if err := gs.Revoke(ctx, admin(), rs[0].ID, why); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is no longer %s of %s\n", p.Name, groups.RoleName(rs[0].Name), rs[0].Acronym)
	return nil
}

func groupAdd(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("group add")
	dsn := dbFlag(fs)
	var n groups.NewGroup
	fs.StringVar(&n.Acronym, "acronym", "", "acronym, e.g. httpbis (at most 8 characters for a WG, R12)")
	fs.StringVar(&n.Name, "name", "", "full name")
	fs.StringVar(&n.Type, "type", "wg", "type: wg, rg, area, ag, team, dir, ietf, iesg, iab, irtf, isoc")
	fs.StringVar(&n.State, "state", "active", "state: bof, proposed, active, conclude")
	fs.StringVar(&n.Parent, "parent", "", "parent group acronym (the area of a WG)")
	fs.StringVar(&n.ListEmail, "list", "", "mailing list address")
	why := fs.String("why", "", "why, for the record")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	_, gs := services(d)
	g, err := gs.Create(ctx, admin(), n, *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created %s %s (%s)\n", groups.TypeName(g.Type), g.Acronym, g.Name)
	return nil
}

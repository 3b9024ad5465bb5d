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
	"hum/internal/people"
	"hum/internal/record"
)

// admin is who the CLI acts as: the person running it, on the record.
func admin() record.Actor {
	u := os.Getenv("USER")
	if u == "" {
		u = "admin"
	}
	return record.Actor{Name: "(hum CLI, " + u + ")"}
}

func migrate(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("migrate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := fs.cfg.Resolve(); err != nil {
		return err
	}
	d, err := db.Open(ctx, fs.cfg.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	v, err := d.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "applied %d migrations; schema version %d\n", n, v)
	return nil
}

func userAdd(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("user add")
	email := fs.String("email", "", "the person's email address")
	name := fs.String("name", "", "the person's name")
	password := fs.String("password", "", "optional password; without one they set it by a reset")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: user add takes only flags", fs.Args())
	}
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	ps := a.People
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
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: hum %s", commands["user password"].usage)
	}
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	ps := a.People
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

func roleArgs(name string, args []string) (fs *cli, why string, rest []string, err error) {
	fs = flags(name)
	w := fs.String("why", "", "why, for the record")
	if err := fs.Parse(args); err != nil {
		return nil, "", nil, err
	}
	if fs.NArg() != 3 {
		return nil, "", nil, fmt.Errorf("usage: hum %s (flags go before EMAIL ROLE GROUP)", commands[name].usage)
	}
	return fs, *w, fs.Args(), nil
}

func roleGrant(ctx context.Context, args []string, out io.Writer) error {
	fs, why, args, err := roleArgs("role grant", args)
	if err != nil {
		return err
	}
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	ps, gs := a.People, a.Groups
	p, err := ps.ByEmail(ctx, args[0])
	if err != nil {
		return err
	}
	if err := gs.Grant(ctx, groups.Operator(admin()), args[2], args[1], p.ID, p.Email, why); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is now %s of %s\n", p.Name, groups.RoleName(strings.ToLower(args[1])), strings.ToLower(args[2]))
	return nil
}

func roleRevoke(ctx context.Context, args []string, out io.Writer) error {
	fs, why, args, err := roleArgs("role revoke", args)
	if err != nil {
		return err
	}
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	ps, gs := a.People, a.Groups
	p, err := ps.ByEmail(ctx, args[0])
	if err != nil {
		return err
	}
	if _, err := gs.Get(ctx, args[2]); err != nil {
		return err
	}
	rs, _, err := gs.Roles(ctx, groups.RoleFilter{PersonID: p.ID, Acronym: args[2], Name: strings.ToLower(args[1])})
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return fmt.Errorf("%s is not %s of %s", p.Name, args[1], args[2])
	}
	if err := gs.Revoke(ctx, groups.Operator(admin()), rs[0].ID, why); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is no longer %s of %s\n", p.Name, groups.RoleName(rs[0].Name), rs[0].Acronym)
	return nil
}

func groupAdd(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("group add")
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
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	gs := a.Groups
	g, err := gs.Create(ctx, groups.Operator(admin()), n, *why)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created %s %s (%s)\n", groups.TypeName(g.Type), g.Acronym, g.Name)
	return nil
}

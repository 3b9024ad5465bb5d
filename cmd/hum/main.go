// Command hum runs an open standards body: the web site, the JSON API, mail,
// and the admin commands around them. See README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"hum/internal/app"
	"hum/internal/heapfloor"
)

// command is one subcommand, such as "serve" or "role grant".
type command struct {
	usage string
	run   func(ctx context.Context, args []string, out io.Writer) error
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"serve":            {"serve [--db URL] [--data DIR] [--http ADDR] [--base-url URL] [--smtp ADDR] [--domain D] [--smarthost HOST:PORT] [--demo] (hum serve -h lists every flag)", serve},
		"migrate":          {"migrate [--db URL]", migrate},
		"user add":         {"user add [--db URL] --email EMAIL --name NAME [--password PW]", userAdd},
		"user password":    {"user password [--db URL] EMAIL (reads the new password from standard input)", userPassword},
		"role grant":       {"role grant [--db URL] [--why TEXT] EMAIL ROLE GROUP", roleGrant},
		"role revoke":      {"role revoke [--db URL] [--why TEXT] EMAIL ROLE GROUP", roleRevoke},
		"import mbox":      {"import mbox [--db URL] --list NAME FILE...", importMbox},
		"import rfc-index": {"import rfc-index [--db URL] FILE", importRFCIndex},
		"import meeting":   {"import meeting [--db URL] --number N [--groups FILE] DIR (the Datatracker's meetingN.json and constraintN.json)", importMeeting},
		"schedule":         {"schedule [--db URL] --meeting N [--name NAME] [--seed S] [--time DURATION] [--from NAME] [--pin FILE] [--json FILE] [--official] | --meeting N --score NAME [--json FILE]", schedule},
		"meeting add":      {"meeting add [--db URL] --number N --city C --country CC --tz Area/City --date YYYY-MM-DD [--days 6] [--room \"Name:capacity\" ...]", meetingAdd},
		"list subscribe":   {"list subscribe [--db URL] LIST EMAIL", listSubscribe},
		"group add":        {"group add [--db URL] --acronym A --name N --type wg [--parent AREA] [--state active]", groupAdd},
		"nomcom eligible":  {"nomcom eligible [--db URL] [--year Y] [--date YYYY-MM-DD] (everyone eligible, by path, with the evidence: R45-R47, R50)", nomcomEligible},
		"export":           {"export [--db URL] [--hide-addresses] --public FILE (every public fact as one SQLite database: the API's resources, one table each, and the public archives)", exportPublic},
		"nomcom select":    {"nomcom select [--db URL] [--year Y] [--value V ...] (the RFC 3797 selection from the published inputs, step by step)", nomcomSelect},
	}
}

func main() {
	heapfloor.Keep(heapfloor.Floor)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hum:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	for n := 2; n >= 1; n-- {
		if len(args) < n {
			continue
		}
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			return c.run(ctx, args[n:], out)
		}
	}
	usage(os.Stderr)
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		return nil
	}
	return fmt.Errorf("unknown command %q", strings.Join(args, " "))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: hum COMMAND [flags] [args]\n\ncommands:")
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintln(w, "  hum", commands[n].usage)
	}
	fmt.Fprintln(w, "\nEvery flag can also be set by an environment variable: --db is HUM_DB, --base-url is HUM_BASE_URL, and so on.")
}

// cli is a subcommand's flags: its own, and the settings of app.Options
// it takes, whose defaults come from the environment (HUM_DB, ...).
type cli struct {
	*flag.FlagSet
	cfg    app.Config
	envErr error
}

// flags makes a subcommand's flag set with the named settings; every
// subcommand takes --db and --data.
func flags(name string, settings ...string) *cli {
	c := &cli{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
	c.cfg, c.envErr = app.FromEnv()
	c.cfg.Flags(c.FlagSet, append([]string{"db", "data"}, settings...)...)
	return c
}

// Parse parses args, after reporting a bad environment variable.
func (c *cli) Parse(args []string) error {
	if c.envErr != nil {
		return c.envErr
	}
	return c.FlagSet.Parse(args)
}

// open opens the configured database and builds hum's services on it.
func (c *cli) open(ctx context.Context, log *slog.Logger) (*app.App, error) {
	return app.Open(ctx, c.cfg, log)
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

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
)

// command is one subcommand, such as "serve" or "role grant".
type command struct {
	usage string
	run   func(ctx context.Context, args []string, out io.Writer) error
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"serve":            {"serve [--db URL] [--http ADDR] [--base-url URL] [--smtp ADDR] [--domain D] [--smarthost HOST:PORT] [--data DIR] [--demo]", serve},
		"migrate":          {"migrate [--db URL]", migrate},
		"user add":         {"user add [--db URL] --email EMAIL --name NAME [--password PW]", userAdd},
		"user password":    {"user password [--db URL] EMAIL (reads the new password from standard input)", userPassword},
		"role grant":       {"role grant [--db URL] [--why TEXT] EMAIL ROLE GROUP", roleGrant},
		"role revoke":      {"role revoke [--db URL] [--why TEXT] EMAIL ROLE GROUP", roleRevoke},
		"import mbox":      {"import mbox [--db URL] --list NAME FILE...", importMbox},
		"import rfc-index": {"import rfc-index [--db URL] FILE", importRFCIndex},
		"list subscribe":   {"list subscribe [--db URL] LIST EMAIL", listSubscribe},
		"group add":        {"group add [--db URL] --acronym A --name N --type wg [--parent AREA] [--state active]", groupAdd},
	}
}

func main() {
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

// flags makes a subcommand's flag set; its defaults come from env.
func flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	return fs
}

// env returns the HUM_ variable for a flag, or def.
func env(flagName, def string) string {
	if v, ok := os.LookupEnv("HUM_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))); ok {
		return v
	}
	return def
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

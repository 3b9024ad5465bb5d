package app

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Config is everything an operator can set. Each field is one row of
// Options: its flag, its environment variable and its default live there
// and nowhere else.
type Config struct {
	DB            string // PATH or sqlite:PATH (SQLite), or postgres://...; "" means sqlite:Data/hum.db
	Data          string // where hum keeps its files
	HTTP          string
	BaseURL       string // public address of the site, no trailing slash
	Domain        string // the mail domain lists live under
	SMTP          string
	LMTP          bool
	Smarthost     string
	Resolver      string // HOST:PORT of the DNS server for incoming mail's checks; "" is the system's
	DKIMKey       string
	DKIMSelector  string
	Demo          bool
	HideAddresses bool
	DevTemplates  string
}

// Option is one setting: --Name on the command line, HUM_NAME in the
// environment (upper case, - as _), Default when neither is given.
type Option struct {
	Name    string
	Default string
	Help    string
	field   func(*Config) any // *string or *bool
}

// Env is the environment variable of the option.
func (o Option) Env() string {
	return "HUM_" + strings.ToUpper(strings.ReplaceAll(o.Name, "-", "_"))
}

// Options lists every setting of hum, in the order help shows them.
var Options = []Option{
	{"db", "", "database: a SQLite file (PATH or sqlite:PATH) or postgres://USER@HOST:PORT/DB; default DATA/hum.db",
		func(c *Config) any { return &c.DB }},
	{"data", "./hum-data", "directory where hum keeps its files (the default SQLite database, its delivery queue and its search index)",
		func(c *Config) any { return &c.Data }},
	{"http", "127.0.0.1:8080", "HTTP listen address",
		func(c *Config) any { return &c.HTTP }},
	{"base-url", "", "public address used in links in mail and feeds; default http:// plus --http",
		func(c *Config) any { return &c.BaseURL }},
	{"domain", "", "mail domain lists live under; default the host of --base-url, or localhost when that is an IP address",
		func(c *Config) any { return &c.Domain }},
	{"smtp", "127.0.0.1:2525", "SMTP/LMTP listen address for list mail; a path starting with / is a unix socket",
		func(c *Config) any { return &c.SMTP }},
	{"lmtp", "", "speak LMTP instead of SMTP on --smtp, for hum behind Postfix",
		func(c *Config) any { return &c.LMTP }},
	{"smarthost", "", "HOST:PORT to hand outbound mail to; without it mail stays in /admin/outbox/",
		func(c *Config) any { return &c.Smarthost }},
	{"resolver", "", "HOST:PORT of the DNS server that the SPF, DKIM and DMARC checks of incoming mail ask; default the system's (/etc/resolv.conf)",
		func(c *Config) any { return &c.Resolver }},
	{"dkim-key", "", "PEM private key to DKIM-sign list copies with, as --domain",
		func(c *Config) any { return &c.DKIMKey }},
	{"dkim-selector", "hum", "DKIM selector of --dkim-key",
		func(c *Config) any { return &c.DKIMSelector }},
	{"demo", "", "load a demo standards body into an empty database",
		func(c *Config) any { return &c.Demo }},
	{"hide-addresses", "", "show anonymous readers of the mail archive authors' names only, no addresses; raw messages and mbox exports, which carry addresses, then need a login",
		func(c *Config) any { return &c.HideAddresses }},
	{"dev-templates", "", "reload templates from this directory (internal/web) on each request",
		func(c *Config) any { return &c.DevTemplates }},
}

// FromEnv is the configuration given by defaults and HUM_ variables, before
// any flag. A subcommand that takes no --domain flag still honours
// HUM_DOMAIN this way.
func FromEnv() (Config, error) {
	var c Config
	for _, o := range Options {
		v, ok := os.LookupEnv(o.Env())
		if !ok {
			v = o.Default
		}
		if err := o.set(&c, v); err != nil {
			return c, fmt.Errorf("%s: %w", o.Env(), err)
		}
	}
	return c, nil
}

func (o Option) set(c *Config, v string) error {
	switch p := o.field(c).(type) {
	case *string:
		*p = v
	case *bool:
		switch strings.ToLower(v) {
		case "", "0", "false", "no":
			*p = false
		case "1", "true", "yes":
			*p = true
		default:
			return fmt.Errorf("want 1 or 0, not %q", v)
		}
	}
	return nil
}

// Flags registers the named options on fs, each defaulting to c's value
// (from FromEnv), and with the option's help and environment variable.
func (c *Config) Flags(fs *flag.FlagSet, names ...string) {
	for _, n := range names {
		o := option(n)
		help := o.Help + " (env " + o.Env() + ")"
		switch p := o.field(c).(type) {
		case *string:
			fs.StringVar(p, o.Name, *p, help)
		case *bool:
			fs.BoolVar(p, o.Name, *p, help)
		}
	}
}

func option(name string) Option {
	for _, o := range Options {
		if o.Name == name {
			return o
		}
	}
	panic("app: no option " + name)
}

// Resolve fills in the settings whose defaults follow from others: the
// database from --data, the base URL from --http, the mail domain from
// the base URL. Every service then gets the same values.
func (c *Config) Resolve() error {
	if c.DB == "" {
		c.DB = "sqlite:" + filepath.Join(c.Data, "hum.db")
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.HTTP
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--base-url %q: want http://HOST or https://HOST", c.BaseURL)
	}
	if c.Domain == "" {
		c.Domain = "localhost"
		if h := u.Hostname(); h != "" && net.ParseIP(h) == nil {
			c.Domain = h
		}
	}
	return nil
}

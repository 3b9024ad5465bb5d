package app

import (
	"context"
	"flag"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"hum/internal/db/dbtest"
	"hum/internal/jobs"
)

// TestConfig: defaults, then HUM_ variables, then flags; Resolve derives
// the database from --data, the base URL from --http and the mail domain
// from the base URL.
func TestConfig(t *testing.T) {
	for _, c := range []struct {
		what string
		env  map[string]string
		args []string
		want Config
	}{
		{"defaults", nil, nil, Config{DB: "sqlite:hum-data/hum.db", Data: "./hum-data", HTTP: "127.0.0.1:8080", BaseURL: "http://127.0.0.1:8080",
			Domain: "localhost", SMTP: "127.0.0.1:2525", DKIMSelector: "hum"}},
		{"environment", map[string]string{"HUM_DATA": "/srv/hum", "HUM_BASE_URL": "https://hum.example.org/", "HUM_DEMO": "1", "HUM_HIDE_ADDRESSES": "true"}, nil,
			Config{DB: "sqlite:/srv/hum/hum.db", Data: "/srv/hum", HTTP: "127.0.0.1:8080", BaseURL: "https://hum.example.org",
				Domain: "hum.example.org", SMTP: "127.0.0.1:2525", DKIMSelector: "hum", Demo: true, HideAddresses: true}},
		{"flags over environment", map[string]string{"HUM_DOMAIN": "env.example", "HUM_DB": "sqlite:/env.db"},
			[]string{"--domain", "ietf.example.org", "--http", "0.0.0.0:80", "--lmtp", "--dev-templates", "internal/web"},
			Config{DB: "sqlite:/env.db", Data: "./hum-data", HTTP: "0.0.0.0:80", BaseURL: "http://0.0.0.0:80",
				Domain: "ietf.example.org", SMTP: "127.0.0.1:2525", DKIMSelector: "hum", LMTP: true, DevTemplates: "internal/web"}},
	} {
		t.Run(c.what, func(t *testing.T) {
			for _, o := range Options { // as if unset: the machine's own HUM_ variables stay out
				t.Setenv(o.Env(), o.Default)
			}
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			cfg, err := FromEnv()
			if err != nil {
				t.Fatal(err)
			}
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			var names []string
			for _, o := range Options {
				names = append(names, o.Name)
			}
			cfg.Flags(fs, names...)
			if err := fs.Parse(c.args); err != nil {
				t.Fatal(err)
			}
			if err := cfg.Resolve(); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, cfg); d != "" {
				t.Errorf("config (-want +got):\n%s", d)
			}
		})
	}
}

func TestConfigRefuses(t *testing.T) {
	t.Setenv("HUM_DEMO", "maybe")
	if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), "HUM_DEMO") {
		t.Errorf("HUM_DEMO=maybe: %v", err)
	}
	c := Config{Data: "x", BaseURL: "hum.example.org"}
	if err := c.Resolve(); err == nil || !strings.Contains(err.Error(), "--base-url") {
		t.Errorf("a base URL without a scheme: %v", err)
	}
	d := dbtest.New(t)
	if _, err := New(d, Config{}, nil); err == nil {
		t.Error("New took a configuration with no base URL or mail domain")
	}
}

// TestOptionsHelp: every option says what it is for and answers to its
// HUM_ variable in -h.
func TestOptionsHelp(t *testing.T) {
	var cfg Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	for _, o := range Options {
		if o.Help == "" {
			t.Errorf("--%s has no help", o.Name)
		}
		cfg.Flags(fs, o.Name)
	}
	var help strings.Builder
	fs.SetOutput(&help)
	fs.PrintDefaults()
	for _, o := range Options {
		if !strings.Contains(help.String(), "-"+o.Name) || !strings.Contains(help.String(), o.Env()) {
			t.Errorf("help lacks --%s or %s", o.Name, o.Env())
		}
	}
}

// TestNew: one call builds every service with the configured addresses,
// and each capability's periodic work is handed to the one runner.
func TestNew(t *testing.T) {
	d := dbtest.New(t)
	a, err := New(d, Config{BaseURL: "https://hum.example.org", Domain: "ietf.example.org", Smarthost: "127.0.0.1:1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.People.BaseURL != "https://hum.example.org" || a.People.From != "hum@ietf.example.org" ||
		a.Lists.Domain != "ietf.example.org" || a.Docs.Domain != "ietf.example.org" || a.Docs.BaseURL != "https://hum.example.org" {
		t.Errorf("addresses: people %q %q, lists %q, docs %q %q", a.People.BaseURL, a.People.From, a.Lists.Domain, a.Docs.Domain, a.Docs.BaseURL)
	}
	if n := a.NomCom; n.Domain != "ietf.example.org" || n.BaseURL != "https://hum.example.org" || n.Meetings != a.Meetings || n.Docs != a.Docs || n.Groups != a.Groups {
		t.Errorf("the NomCom service is not wired to the others: %+v", n)
	}
	if a.Docs.Groups != a.Groups || !a.Lists.Sending || a.Outbox.Notify == nil {
		t.Error("the services are not wired to each other")
	}
	if a.sender == nil || a.sender.Refuse == nil {
		t.Error("the outbox sender does not screen out the real lists a demo copied")
	}
	var names []string
	for _, j := range a.Jobs.Jobs() {
		names = append(names, j.Name)
	}
	want := []string{"document timers", "search index", "minutes reminders", "posting suspensions", "list fan-out", "nomcom seating", "document notices", "daily summaries", "public dump", "session sweep"}
	if !slices.Equal(names, want) {
		t.Errorf("jobs %v, want %v", names, want)
	}
	// They run: started and stopped with the context.
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	a.Start(ctx, &wg)
	for deadline := time.Now().Add(10 * time.Second); !ran(a.Jobs.Jobs()) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond) // until every job has run once
	}
	cancel()
	wg.Wait()
	for _, j := range a.Jobs.Jobs() {
		if j.Runs == 0 || j.LastError != "" {
			t.Errorf("%s: %s", j.Name, j.LastError)
		}
	}
}

func ran(st []jobs.Status) bool {
	for _, s := range st {
		if s.Runs == 0 {
			return false
		}
	}
	return true
}

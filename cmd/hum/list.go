package main

import (
	"context"
	"fmt"
	"io"

	"hum/internal/lists"
	"hum/internal/mail"
)

// listSubscribe is `hum list subscribe LIST EMAIL`, for the secretariat.
// It subscribes directly, with no confirmation mail.
func listSubscribe(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("list subscribe")
	dsn := dbFlag(fs)
	mode := fs.String("mode", "each", "delivery: each, digest or none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("usage: hum list subscribe [--db URL] [--mode each|digest|none] LIST EMAIL")
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	_, gs := services(d)
	ls := &lists.Service{DB: d, Groups: gs, Mail: &mail.Outbox{Name: "hum"}, Domain: env("domain", "localhost"), BaseURL: env("base-url", "http://127.0.0.1:8080")}
	sub, err := ls.Subscribe(ctx, admin(), fs.Arg(0), fs.Arg(1), *mode)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s subscribed to %s (%s)\n", sub.Address, sub.List, sub.Mode)
	return nil
}

package main

import (
	"context"
	"fmt"
	"io"

	"hum/internal/lists"
)

// listSubscribe is `hum list subscribe LIST EMAIL`, for the secretariat.
// It subscribes directly, with no confirmation mail.
func listSubscribe(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("list subscribe")
	mode := fs.String("mode", lists.ModeEach, "delivery: each, digest or none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("usage: hum list subscribe [--db URL] [--mode each|digest|none] LIST EMAIL")
	}
	a, err := fs.open(ctx, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	sub, err := a.Lists.Subscribe(ctx, admin(), fs.Arg(0), fs.Arg(1), *mode)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s subscribed to %s (%s)\n", sub.Address, sub.List, sub.Mode)
	return nil
}

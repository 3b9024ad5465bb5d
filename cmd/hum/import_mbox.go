package main

import (
	"context"
	"errors"
	"io"
)

// importMbox is `hum import mbox --list NAME FILE...`.
func importMbox(ctx context.Context, args []string, out io.Writer) error {
	return errors.New("hum import mbox: not built yet")
}
